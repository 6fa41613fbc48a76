//! SVG charts shared by the pages.

use crate::i18n::*;
use crate::pages::tr;
use leptos::prelude::*;

pub const CLASS_COLOURS: [&str; 4] = ["#059669", "#0284c7", "#d97706", "#dc2626"];

/// One bar: a label in both languages and the count per class A–D.
#[derive(Clone, Debug, PartialEq)]
pub struct BarRow {
    pub zh: String,
    pub en: String,
    pub classes: [u32; 4],
}

/// Horizontal stacked bars, A–D in class colours, with a legend.
#[component]
pub fn ClassBars(rows: Vec<BarRow>, #[prop(into)] label: String) -> impl IntoView {
    let i18n = use_i18n();
    let max = rows
        .iter()
        .map(|r| r.classes.iter().sum::<u32>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (row_h, label_w, chart_w) = (28.0, 170.0, 640.0);
    let height = row_h * rows.len() as f64 + 8.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let y = i as f64 * row_h + 4.0;
            let mut x = label_w;
            let segs = r
                .classes
                .iter()
                .enumerate()
                .map(|(k, n)| {
                    let w = (*n as f64 / max) * (chart_w - label_w - 60.0);
                    let seg = view! {
                        <rect x=x y=y width=w height=row_h - 8.0 fill=CLASS_COLOURS[k]>
                            <title>{format!("{} {n}", ["A", "B", "C", "D"][k])}</title>
                        </rect>
                    };
                    x += w;
                    seg
                })
                .collect_view();
            let total: u32 = r.classes.iter().sum();
            let name = move || if i18n.get_locale() == Locale::zh { r.zh.clone() } else { r.en.clone() };
            view! {
                <text x=label_w - 6.0 y=y + 15.0 text-anchor="end" font-size="12" fill="#334155">{name}</text>
                {segs}
                <text x=x + 4.0 y=y + 15.0 font-size="12" fill="#334155">{total}</text>
            }
        })
        .collect_view();
    view! {
        <div class="overflow-x-auto rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
            <svg viewBox=format!("0 0 {chart_w} {height}") class="h-auto w-full min-w-[480px]" role="img" aria-label=label>
                {bars}
            </svg>
            <div class="mt-2 flex flex-wrap gap-3 text-sm">
                {grading::Class::ALL.iter().enumerate().map(|(k, c)| {
                    let name = tr(c.zh(), c.en());
                    view! { <span class="flex items-center gap-1"><span class="inline-block h-3 w-3 rounded-sm" style=format!("background:{}", CLASS_COLOURS[k])></span>{name}</span> }
                }).collect_view()}
            </div>
        </div>
    }
}
