//! The public home page: what the evaluation is, and the class distribution
//! of the latest graded year per county, as a chart.

use crate::i18n::*;
use crate::overview::{public_overview, CountyClasses};
use crate::pages::tr;
use leptos::prelude::*;

pub const CLASS_COLOURS: [&str; 4] = ["#059669", "#0284c7", "#d97706", "#dc2626"];

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| public_overview());
    view! {
        <section class="space-y-3">
            <h1 class="text-2xl font-bold">{t!(i18n, app_title)}</h1>
            <p class="text-slate-700">{t!(i18n, home.lead)}</p>
            <p class="text-sm text-slate-500">{t!(i18n, home.policy)}</p>
        </section>
        <Suspense fallback=move || view! { <p class="mt-6 text-slate-500">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) if o.year.is_some() => {
                        let year = o.year.unwrap_or_default();
                        let graded: u32 = o.counties.iter().map(CountyClasses::graded).sum();
                        view! {
                            <section class="mt-8 space-y-4">
                                <div class="flex flex-wrap gap-4">
                                    <Stat label=move || t_string!(i18n, home.year).to_string() value=year.to_string() />
                                    <Stat label=move || t_string!(i18n, home.evaluated).to_string() value=graded.to_string() />
                                </div>
                                <h2 class="text-lg font-semibold">{t!(i18n, home.by_county)}</h2>
                                <ClassChart counties=o.counties.clone() />
                            </section>
                        }
                        .into_any()
                    }
                    Ok(_) => view! { <p class="mt-6 text-slate-500">{t!(i18n, home.no_data)}</p> }.into_any(),
                    Err(e) => view! { <p class="mt-6 text-red-700">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Stat(label: impl Fn() -> String + Send + Sync + 'static, value: String) -> impl IntoView {
    view! {
        <div class="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
            <div class="text-xs text-slate-500">{label}</div>
            <div class="text-2xl font-semibold tabular-nums">{value}</div>
        </div>
    }
}

/// Horizontal stacked bars, one per county, A–D in class colours; the table
/// below carries the same numbers for screen readers and for copying.
#[component]
fn ClassChart(counties: Vec<CountyClasses>) -> impl IntoView {
    let i18n = use_i18n();
    let max = counties
        .iter()
        .map(CountyClasses::graded)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let row_h = 28.0;
    let label_w = 150.0;
    let chart_w = 600.0;
    let height = row_h * counties.len() as f64 + 30.0;
    let bars = counties
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let county = grading::County::parse(&c.county).unwrap_or(grading::County::Nanhu);
            let name = tr(county.zh(), county.en());
            let y = i as f64 * row_h + 4.0;
            let mut x = label_w;
            let segs = c
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
            let total = c.graded();
            view! {
                <text x=label_w - 6.0 y=y + 15.0 text-anchor="end" font-size="12" fill="#334155">{name}</text>
                {segs}
                <text x=x + 4.0 y=y + 15.0 font-size="12" fill="#334155">{total}</text>
            }
        })
        .collect_view();
    let rows = counties
        .iter()
        .map(|c| {
            let county = grading::County::parse(&c.county).unwrap_or(grading::County::Nanhu);
            let name = tr(county.zh(), county.en());
            view! {
                <tr class="border-t border-slate-200">
                    <td class="py-1 pr-2">{name}</td>
                    {c.classes.iter().map(|n| view! { <td class="px-2 text-right tabular-nums">{*n}</td> }).collect_view()}
                    <td class="px-2 text-right tabular-nums">{c.graded()}</td>
                    <td class="px-2 text-right tabular-nums">{c.exempt}</td>
                    <td class="px-2 text-right tabular-nums">{c.merged}</td>
                    <td class="px-2 text-right tabular-nums">{c.excluded}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="overflow-x-auto rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
            <svg viewBox=format!("0 0 {chart_w} {height}") class="h-auto w-full min-w-[480px]" role="img" aria-label=move || t_string!(i18n, home.by_county)>
                {bars}
            </svg>
            <div class="mt-2 flex flex-wrap gap-3 text-sm" aria-label=move || t_string!(i18n, home.legend)>
                {grading::Class::ALL.iter().enumerate().map(|(k, c)| {
                    let label = tr(c.zh(), c.en());
                    view! { <span class="flex items-center gap-1"><span class="inline-block h-3 w-3 rounded-sm" style=format!("background:{}", CLASS_COLOURS[k])></span>{label}</span> }
                }).collect_view()}
            </div>
        </div>
        <div class="mt-4 overflow-x-auto">
            <table class="min-w-full text-sm" data-testid="class-table">
                <thead>
                    <tr class="text-left text-slate-500">
                        <th class="py-1 pr-2">{t!(i18n, home.county)}</th>
                        <th class="px-2 text-right">"A"</th>
                        <th class="px-2 text-right">"B"</th>
                        <th class="px-2 text-right">"C"</th>
                        <th class="px-2 text-right">"D"</th>
                        <th class="px-2 text-right">{t!(i18n, home.total)}</th>
                        <th class="px-2 text-right">{t!(i18n, home.exempt)}</th>
                        <th class="px-2 text-right">{t!(i18n, home.merged)}</th>
                        <th class="px-2 text-right">{t!(i18n, home.excluded)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
