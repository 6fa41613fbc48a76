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

/// One bar per row, its length the share of each class A–D (so a small
/// group reads as well as a large one beside it), with the row's size as a
/// number; drawn with boxes, not a fixed-width drawing, so it fits a phone.
#[component]
pub fn ClassBars(rows: Vec<BarRow>, #[prop(into)] label: String) -> impl IntoView {
    let i18n = use_i18n();
    let bars = rows
        .into_iter()
        .map(|r| {
            let total: u32 = r.classes.iter().sum();
            let title = format!(
                "A {} · B {} · C {} · D {}",
                r.classes[0], r.classes[1], r.classes[2], r.classes[3]
            );
            let segs = r
                .classes
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| {
                    let pct = f64::from(*n) * 100.0 / f64::from(total.max(1));
                    view! {
                        <span class="block h-full" style=format!("width:{pct:.2}%;background:{}", CLASS_COLOURS[k])
                            title=format!("{} {n}（{pct:.0}%）", ["A", "B", "C", "D"][k])></span>
                    }
                })
                .collect_view();
            let name = {
                let (zh, en) = (r.zh.clone(), r.en.clone());
                move || if i18n.get_locale() == Locale::zh { zh.clone() } else { en.clone() }
            };
            let full = name.clone();
            view! {
                <div class="grid grid-cols-[minmax(0,7rem)_1fr_3rem] items-center gap-2 sm:grid-cols-[minmax(0,12rem)_1fr_3.5rem]" data-bar="">
                    <span class="truncate text-right text-xs text-slate-700" title=full>{name}</span>
                    <span class="flex h-4 min-w-0 overflow-hidden rounded bg-slate-100" title=title>{segs}</span>
                    <span class="text-right text-xs tabular-nums text-slate-700">{total}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="min-w-0 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" role="img" aria-label=label data-chart="">
            <div class="space-y-1">{bars}</div>
            <p class="mt-1 text-xs text-slate-500">{tr("条长为各等次占比；右侧为企业数。", "Bars show each class's share; the number is the count.")}</p>
            <div class="mt-2 flex flex-wrap gap-3 text-sm">
                {grading::Class::ALL.iter().enumerate().map(|(k, c)| {
                    let name = tr(c.zh(), c.en());
                    view! { <span class="flex items-center gap-1"><span class="inline-block h-3 w-3 rounded-sm" style=format!("background:{}", CLASS_COLOURS[k])></span>{name}</span> }
                }).collect_view()}
            </div>
        </div>
    }
}
