//! The public home page: what the evaluation is, and the class distribution
//! of the latest graded year per county, as a chart.

use crate::overview::{public_overview, CountyClasses};
use crate::pages::charts::{BarRow, ClassBars};
use crate::pages::tr;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let year_label = tr("评价年度", "Evaluation year");
    let graded_label = tr("参评企业", "Enterprises graded");
    let overview = Resource::new(|| (), |_| public_overview());
    view! {
        <section class="space-y-3">
            <h1 class="text-2xl font-bold">{tr("嘉兴市工业企业绩效综合评价", "Jiaxing Industrial Enterprise Performance Evaluation")}</h1>
            <p class="text-slate-700">{tr("“亩均论英雄”改革：以亩均税收、亩均工业增加值、研发强度、单位能耗与排污权产出、全员劳动生产率六项指标，对规上和规下工业企业分类评价，按 A、B、C、D 四类实施差别化政策。", "The \"heroes by output per mu\" reform grades above-size and below-size industrial enterprises on six indicators — tax and value added per mu, R&D intensity, value added per unit of energy and of emission rights, and labour productivity — into classes A to D, each with its own policies.")}</p>
            <p class="text-sm text-slate-500">{tr("依据：嘉政办发〔2021〕5号《深化工业企业绩效综合评价加快资源要素优化配置实施方案》", "Basis: Jiaxing Municipal Government Office document JZBF [2021] No. 5 on deepening the industrial enterprise performance evaluation")}</p>
        </section>
        <Suspense fallback=move || view! { <p class="mt-6 text-slate-500">{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) if o.year.is_some() => {
                        let year = o.year.unwrap_or_default();
                        let graded: u32 = o.counties.iter().map(CountyClasses::graded).sum();
                        view! {
                            <section class="mt-8 space-y-4">
                                <div class="flex flex-wrap gap-4">
                                    <Stat label=move || year_label().to_string() value=year.to_string() />
                                    <Stat label=move || graded_label().to_string() value=graded.to_string() />
                                </div>
                                <h2 class="text-lg font-semibold">{tr("各县（市、区）分类分布", "Classes by county")}</h2>
                                <p class="text-sm text-slate-600" data-testid="home-source">
                                    {tr("以上为已公布的 ", "As published: ")}{year}{tr(" 年度结果（第 ", " results, version ")}{o.version.unwrap_or_default()}
                                    {if o.status == Some(crate::disclosure::PublicationStatus::Window) { tr(" 版，公示中）。", ", open for objections).") } else { tr(" 版，已定档）。", ", final).") }}
                                </p>
                                <ClassChart counties=o.counties.clone() />
                                <a href=format!("/disclosure/{year}") data-testid="to-disclosure" class="inline-block rounded bg-emerald-700 px-4 py-2 text-white">{tr("查看公示名单、查询企业等次", "See the published list and look up an enterprise")}</a>
                            </section>
                        }
                        .into_any()
                    }
                    Ok(_) => view! { <p class="mt-6 text-slate-500">{tr("尚无评价结果。", "No evaluation results yet.")}</p> }.into_any(),
                    Err(e) => view! { <p class="mt-6 text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
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

/// The class distribution per county as bars, and the same numbers as a
/// table (for screen readers and copying).
#[component]
fn ClassChart(counties: Vec<CountyClasses>) -> impl IntoView {
    let bars: Vec<BarRow> = counties
        .iter()
        .map(|c| {
            let county = grading::County::parse(&c.county).unwrap_or(grading::County::Nanhu);
            BarRow {
                zh: county.zh().into(),
                en: county.en().into(),
                classes: c.classes,
            }
        })
        .collect();
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
        <ClassBars rows=bars label=tr("各县（市、区）分类分布", "Classes by county")().to_string() />
        <div class="mt-4 overflow-x-auto">
            <table class="min-w-full text-sm" data-testid="class-table">
                <thead>
                    <tr class="text-left text-slate-500">
                        <th class="py-1 pr-2">{tr("县（市、区）", "County")}</th>
                        <th class="px-2 text-right">"A"</th>
                        <th class="px-2 text-right">"B"</th>
                        <th class="px-2 text-right">"C"</th>
                        <th class="px-2 text-right">"D"</th>
                        <th class="px-2 text-right">{tr("合计", "Total")}</th>
                        <th class="px-2 text-right">{tr("新办暂不评价", "New, exempt")}</th>
                        <th class="px-2 text-right">{tr("并入出租方", "Merged into lessor")}</th>
                        <th class="px-2 text-right">{tr("不纳入评价", "Excluded")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
