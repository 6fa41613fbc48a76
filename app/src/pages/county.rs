//! 县域概览: the county's enterprises per cohort and class, the cut-off
//! scores, exempt/merged/excluded counts, data to chase, and the county
//! (主体) evaluation.

use crate::counties::{county_overview, CountyReport, WARNINGS_SHOWN};
use crate::pages::charts::{BarRow, ClassBars};
use crate::pages::tr;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn CountyPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                q.get("year").and_then(|y| y.parse::<i32>().ok()),
                q.get("county").filter(|c| !c.is_empty()),
            )
        },
        |(year, county)| county_overview(year, county),
    );
    view! {
        <h1 class="mb-3 text-xl font-semibold">{tr("县域概览", "County overview")}</h1>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(o) if o.year.is_none() => view! { <p>{tr("尚无评价结果。", "No results yet.")}</p> }.into_any(),
                    Ok(o) => view! { <Overview o=o /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn stat(
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    n: u32,
    id: &'static str,
) -> impl IntoView {
    view! {
        <div class="rounded-lg bg-white px-4 py-2 shadow-sm ring-1 ring-slate-200">
            <div class="text-xs text-slate-500">{label}</div>
            <div class="text-xl font-semibold tabular-nums" data-testid=id>{n}</div>
        </div>
    }
}

fn cut(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{x:.2}"))
}

#[component]
fn Overview(o: CountyReport) -> impl IntoView {
    let history = o.clone();
    let sel = "rounded border border-slate-300 bg-white px-2 py-1 text-sm";
    let year = o.year.unwrap_or_default();
    let bars: Vec<BarRow> = o
        .cohorts
        .iter()
        .map(|c| BarRow {
            zh: c.label_zh.clone(),
            en: c.label_en.clone(),
            classes: c.classes,
        })
        .collect();
    view! {
        <Form method="GET" action="" attr:class="mb-4 flex flex-wrap items-end gap-2">
            <select name="year" class=sel aria-label="year">
                {o.years.iter().map(|y| view! { <option value=y.to_string() selected=*y == year>{*y}</option> }).collect_view()}
            </select>
            {o.county_locked.is_none().then(|| view! {
                <select name="county" class=sel aria-label="county">
                    <option value="">{tr("全市", "Whole city")}</option>
                    {grading::County::ALL.iter().map(|c| view! { <option value=c.code() selected=o.county.as_deref() == Some(c.code())>{tr(c.zh(), c.en())}</option> }).collect_view()}
                </select>
            })}
            <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-sm text-white">{tr("查看", "Show")}</button>
        </Form>
        <div class="mb-4 flex flex-wrap gap-3">
            {stat(tr("参评", "Graded"), o.graded, "n-graded")}
            {stat(tr("新办暂不评价", "New, exempt"), o.exempt, "n-exempt")}
            {stat(tr("并入出租方", "Merged into lessor"), o.merged, "n-merged")}
            {stat(tr("不纳入评价", "Excluded"), o.excluded, "n-excluded")}
        </div>
        <h2 class="mb-2 text-lg font-semibold">{tr("各排序范围分类分布", "Classes per cohort")}</h2>
        <ClassBars rows=bars label="classes per cohort" />
        <div class="mt-3 overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table class="min-w-full text-sm" data-testid="cutoffs">
                <thead class="bg-slate-100 text-left"><tr>
                    <th class="px-2 py-1">{tr("排序范围", "Cohort")}</th>
                    <th class="px-2 py-1 text-right">{tr("范围内企业", "Cohort size")}</th>
                    <th class="px-2 py-1 text-right">{tr("A 类最低分", "Lowest A")}</th>
                    <th class="px-2 py-1 text-right">{tr("B 类最低分", "Lowest B")}</th>
                    <th class="px-2 py-1 text-right">{tr("C 类最低分", "Lowest C")}</th>
                </tr></thead>
                <tbody>
                    {o.cohorts.iter().map(|c| view! {
                        <tr class="border-t border-slate-200">
                            <td class="px-2 py-1">{crate::pages::both(c.label_zh.clone(), c.label_en.clone())}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{c.n}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{cut(c.cutoffs[0])}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{cut(c.cutoffs[1])}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{cut(c.cutoffs[2])}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2 class="mt-6 mb-2 text-lg font-semibold">{tr("主体评价（县（市、区））", "County evaluation")}</h2>
        <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table class="min-w-full text-sm" data-testid="county-ranking">
                <thead class="bg-slate-100 text-left"><tr>
                    <th class="px-2 py-1">{tr("排名", "Rank")}</th>
                    <th class="px-2 py-1">{tr("县（市、区）", "County")}</th>
                    <th class="px-2 py-1 text-right">{tr("发展水平", "Level")}</th>
                    <th class="px-2 py-1 text-right">{tr("同比增幅", "Growth")}</th>
                    <th class="px-2 py-1 text-right">{tr("综合得分", "Composite")}</th>
                </tr></thead>
                <tbody>
                    {o.counties.iter().map(|c| {
                        let name = grading::County::parse(&c.county).map(|x| tr(x.zh(), x.en()));
                        view! { <tr class="border-t border-slate-200">
                            <td class="px-2 py-1 tabular-nums">{c.rank}</td>
                            <td class="px-2 py-1">{name}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{format!("{:.2}", c.level)}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{c.growth.map_or("—".into(), |g| format!("{g:.2}"))}</td>
                            <td class="px-2 py-1 text-right tabular-nums">{format!("{:.2}", c.composite)}</td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <History o=history />
        <h2 class="mt-6 mb-2 text-lg font-semibold">{tr("数据质量提醒", "Data-quality warnings")}" "<span class="text-sm font-normal text-slate-500" data-testid="warnings-total">{o.warnings_total}</span></h2>
        <p class="mb-2 text-sm text-slate-500">{tr("缺失或为负的数据按规则计为 0 分，请与提供部门核实。", "Missing or negative inputs score zero under the rules: check them with the providing department.")}{(o.warnings_total as usize > WARNINGS_SHOWN).then(|| crate::pages::both(format!("（仅列出前 {WARNINGS_SHOWN} 家）"), format!(" (the first {WARNINGS_SHOWN} listed)")))}</p>
        <ul class="divide-y divide-slate-200 rounded-lg bg-white text-sm shadow-sm ring-1 ring-slate-200" data-testid="warnings">
            {o.warnings.into_iter().map(|w| view! {
                <li class="flex flex-wrap gap-2 px-3 py-1">
                    <A href=format!("/enterprises/{}/{year}", w.uscc)>{w.name}</A>
                    <span class="text-amber-700">{crate::pages::both(w.warnings.join("；"), w.warnings_en.join("; "))}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// 历年情况: the scope's classes per graded year, and every county's rank
/// in each year's county evaluation.
#[component]
fn History(o: CountyReport) -> impl IntoView {
    let bars: Vec<BarRow> = o
        .history
        .iter()
        .map(|h| BarRow {
            zh: format!("{} 年", h.year),
            en: h.year.to_string(),
            classes: h.classes,
        })
        .collect();
    let years: Vec<i32> = o.history.iter().map(|h| h.year).collect();
    let chosen = o.county.clone();
    let rows = grading::County::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mine = chosen.as_deref() == Some(c.code());
            let ranks = o
                .history
                .iter()
                .map(|h| {
                    let r = h.ranks.get(i).copied().unwrap_or(0);
                    view! { <td class="px-2 py-1 text-right tabular-nums">{r}</td> }
                })
                .collect_view();
            view! {
                <tr class=if mine { "border-t border-slate-200 bg-emerald-50 font-semibold" } else { "border-t border-slate-200" } data-county=c.code()>
                    <td class="px-2 py-1">{tr(c.zh(), c.en())}</td>
                    {ranks}
                </tr>
            }
        })
        .collect_view();
    let scope = match o.county.as_deref().and_then(grading::County::parse) {
        Some(c) => tr(c.zh(), c.en()),
        None => tr("全市", "Whole city"),
    };
    view! {
        <h2 class="mt-6 mb-2 text-lg font-semibold">{tr("历年情况", "Year by year")}</h2>
        <div class="grid gap-3 md:grid-cols-2" data-testid="county-history">
            <div class="min-w-0">
                <p class="mb-1 text-sm text-slate-600">{scope}{tr("：各年度评定等次企业分布", ": graded enterprises per class, each year")}</p>
                <ClassBars rows=bars label="classes per year" />
            </div>
            <div class="min-w-0 overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                <table class="min-w-full text-sm" data-testid="county-ranks-history">
                    <thead class="bg-slate-100 text-left"><tr>
                        <th class="px-2 py-1">{tr("主体评价排名", "County rank")}</th>
                        {years.iter().map(|y| view! { <th class="px-2 py-1 text-right">{*y}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}
