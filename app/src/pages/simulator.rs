//! 政策模拟: before a draft ruleset is adopted, the browser grades the whole
//! city under it with the engine itself (WASM, `grading::simulate`) and
//! shows what would move: the class transition matrix (all, or one county,
//! industry or scale), the county evaluation under the draft beside the one
//! in force, and the enterprises that move (searchable; the list downloads
//! as a workbook the server makes with the same engine).

use crate::pages::report::Matrix;
use crate::pages::{both, tr};
use crate::rulesets::{rules_simulation, SimulationData};
use grading::ruleset::Scope;
use grading::simulate::{matrix, NOT_GRADED};
use grading::{County, CountyScore, Industry, Scale, Words};
use leptos::prelude::*;
use std::sync::Arc;

/// One enterprise as the simulator lists it.
#[derive(Clone, Debug)]
struct Meta {
    uscc: String,
    name: String,
    county: County,
    industry: Industry,
    scale: Scale,
}

/// The ranking scope a simulation asks for: the draft's own, or either.
fn scope_of(code: &str) -> Option<Scope> {
    match code {
        "city" => Some(Scope::City),
        "county" => Some(Scope::County),
        _ => None,
    }
}

/// The city under the draft.
#[derive(Clone, Debug)]
struct Outcome {
    data_year: i32,
    scope: Scope,
    meta: Arc<Vec<Meta>>,
    before: Arc<Vec<u8>>,
    after: Arc<Vec<u8>>,
    scores: Arc<Vec<Option<f64>>>,
    now: Vec<CountyScore>,
    draft: Vec<CountyScore>,
    /// Milliseconds to parse and grade, in this browser.
    ms: f64,
}

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        window().performance().map_or(0.0, |p| p.now())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// Parses the table and grades it under the draft: all in the browser.
fn grade(mut d: SimulationData, scope: Option<Scope>) -> Result<Outcome, Words> {
    let start = now_ms();
    if let Some(s) = scope {
        d.draft.cohort.scope = s;
    }
    let rows = d.table.enterprises()?;
    let meta: Vec<Meta> = rows
        .iter()
        .map(|e| Meta {
            uscc: e.uscc.clone(),
            name: e.name.clone(),
            county: e.county,
            industry: e.industry,
            scale: e.scale,
        })
        .collect();
    let scope = d.draft.cohort.scope;
    let sim = grading::simulate::run(d.draft, rows, d.previous.as_ref())
        .map_err(|e| Words::new(format!("无法评价：{e:?}"), format!("cannot grade: {e:?}")))?;
    let ms = now_ms() - start;
    Ok(Outcome {
        data_year: d.data_year,
        scope,
        meta: Arc::new(meta),
        before: Arc::new(d.current),
        after: Arc::new(sim.classes),
        scores: Arc::new(sim.scores),
        now: d.current_counties,
        draft: sim.counties,
        ms,
    })
}

const CLASS: [&str; 5] = ["A", "B", "C", "D", "—"];

#[component]
pub fn Simulator(year: i32) -> impl IntoView {
    let outcome: RwSignal<Option<Result<Outcome, Words>>> = RwSignal::new(None);
    let running = RwSignal::new(false);
    let scope = RwSignal::new(String::new());
    let run = move |_| {
        running.set(true);
        outcome.set(None);
        let asked = scope_of(&scope.get_untracked());
        leptos::task::spawn_local(async move {
            let r = match rules_simulation(year).await {
                Ok(d) => grade(d, asked),
                Err(e) => Err(Words::new(e.to_string(), e.en())),
            };
            outcome.set(Some(r));
            running.set(false);
        });
    };
    view! {
        <section class="mt-3 rounded-lg bg-white p-3 text-sm ring-1 ring-slate-200" data-testid="simulator">
            <h3 class="font-semibold">{tr("政策模拟", "Policy simulation")}</h3>
            <p class="text-slate-600">{tr(
                "采用前，在浏览器内用评价引擎按草稿重新评价全市企业，查看等次变化。",
                "Before adopting, grade the whole city under the draft in this browser with the evaluation engine and see what moves.",
            )}</p>
            <div class="mt-2 flex flex-wrap items-center gap-2">
                <select class="rounded border border-slate-300 bg-white px-2 py-1" aria-label="scope" data-testid="simulation-scope"
                    on:change=move |ev| scope.set(event_target_value(&ev))>
                    <option value="">{tr("排序范围：按草稿", "Ranking: as the draft says")}</option>
                    <option value="city">{tr("排序范围：全市", "Ranking: city-wide")}</option>
                    <option value="county">{tr("排序范围：各县（市、区）", "Ranking: within each county")}</option>
                </select>
                <button type="button" class="rounded bg-sky-700 px-3 py-1 text-white disabled:opacity-50" on:click=run disabled=move || running.get() data-testid="simulate">
                    {move || if running.get() { tr("模拟中…", "Simulating…")() } else { tr("按草稿模拟全市评价", "Simulate the city under the draft")() }}
                </button>
                <a class="rounded border border-sky-700 px-3 py-1 text-sky-800" href=move || match scope.get().as_str() { "" => format!("/admin/rules/{year}/simulation.xlsx"), s => format!("/admin/rules/{year}/simulation.xlsx?scope={s}") } rel="external" data-testid="simulation-xlsx">{tr("下载变动企业（Excel）", "Download the movers (.xlsx)")}</a>
            </div>
            {move || outcome.get().map(|r| match r {
                Err(w) => view! { <p role="alert" class="mt-2 text-red-700">{both(w.zh, w.en)}</p> }.into_any(),
                Ok(o) => view! { <Results o=o year=year /> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Results(o: Outcome, year: i32) -> impl IntoView {
    let county = RwSignal::new(String::new());
    let industry = RwSignal::new(String::new());
    let scale = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let meta = o.meta.clone();
    let keep = move |m: &Meta| {
        let (c, i, s) = (county.get(), industry.get(), scale.get());
        (c.is_empty() || m.county.code() == c)
            && (i.is_empty() || m.industry.code() == i)
            && (s.is_empty() || m.scale.code() == s)
    };
    let cells = {
        let (meta, before, after) = (meta.clone(), o.before.clone(), o.after.clone());
        move || matrix(&before, &after, |i| keep(&meta[i]))
    };
    let n = o.meta.len();
    let moved = o
        .before
        .iter()
        .zip(o.after.iter())
        .filter(|(b, a)| b != a)
        .count();
    let ranked = match o.scope {
        Scope::City => ("全市排序", "ranked city-wide"),
        Scope::County => ("各县（市、区）内排序", "ranked within each county"),
    };
    let source = if o.data_year == year {
        both(
            format!("已在浏览器内按草稿（{}）评价 {year} 年度 {n} 家企业，用时 {:.0} 毫秒；{moved} 家等次或状态有变。", ranked.0, o.ms),
            format!("Graded the {n} enterprises of {year} under the draft ({}) in this browser in {:.0} ms; {moved} change class or status.", ranked.1, o.ms),
        )
    } else {
        both(
            format!("{year} 年度尚无企业数据，已用 {} 年度 {n} 家企业的数据按草稿（{}）评价，用时 {:.0} 毫秒；{moved} 家等次或状态有变。", o.data_year, ranked.0, o.ms),
            format!("{year} has no enterprise data yet: graded the {n} enterprises of {} under the draft ({}) in this browser in {:.0} ms; {moved} change class or status.", o.data_year, ranked.1, o.ms),
        )
    };
    let sel = "rounded border border-slate-300 bg-white px-2 py-1";
    let movers = {
        let o = o.clone();
        move || {
            let q = search.get().trim().to_string();
            let rows: Vec<usize> = (0..o.meta.len())
                .filter(|&i| o.before[i] != o.after[i])
                .filter(|&i| keep(&o.meta[i]))
                .filter(|&i| {
                    q.is_empty() || o.meta[i].name.contains(&q) || o.meta[i].uscc.contains(&q)
                })
                .collect();
            let total = rows.len();
            let shown = rows
                .into_iter()
                .take(100)
                .map(|i| {
                    let m = &o.meta[i];
                    let (c, ind) = (m.county, m.industry);
                    view! {
                        <tr class="border-t border-slate-100">
                            <td class="px-2 py-0.5" lang="zh">{m.name.clone()}</td>
                            <td class="px-2 py-0.5 whitespace-nowrap">{tr(c.zh(), c.en())}</td>
                            <td class="px-2 py-0.5">{tr(ind.zh(), ind.en())}</td>
                            <td class="px-2 py-0.5 text-center">{CLASS[usize::from(o.before[i].min(NOT_GRADED))]}</td>
                            <td class="px-2 py-0.5 text-center font-semibold">{CLASS[usize::from(o.after[i].min(NOT_GRADED))]}</td>
                            <td class="px-2 py-0.5 text-right tabular-nums">{o.scores[i].map(|s| format!("{s:.2}")).unwrap_or_default()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p class="mt-1 text-xs text-slate-600" data-testid="movers-total">{both(format!("变动企业 {total} 家（列出前 100 家）"), format!("{total} enterprises move (first 100 listed)"))}</p>
                <div class="max-h-96 overflow-auto rounded ring-1 ring-slate-100">
                    <table class="w-full text-xs" data-testid="movers">
                        {crate::pages::table_head(&[("企业", "Enterprise"), ("县（市、区）", "County"), ("行业", "Industry"), ("现行", "Now"), ("草稿", "Draft"), ("草稿得分", "Draft score")])}
                        <tbody>{shown}</tbody>
                    </table>
                </div>
            }
        }
    };
    let counties = o
        .draft
        .iter()
        .map(|d| {
            let now = o.now.iter().find(|c| c.county == d.county);
            let c = d.county;
            view! {
                <tr class="border-t border-slate-100" data-county=c.code()>
                    <td class="px-2 py-0.5">{tr(c.zh(), c.en())}</td>
                    <td class="px-2 py-0.5 text-right tabular-nums">{now.map(|n| n.rank)}</td>
                    <td class="px-2 py-0.5 text-right font-semibold tabular-nums">{d.rank}</td>
                    <td class="px-2 py-0.5 text-right tabular-nums">{now.map(|n| format!("{:.2}", n.composite))}</td>
                    <td class="px-2 py-0.5 text-right tabular-nums">{format!("{:.2}", d.composite)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="mt-2 rounded bg-sky-50 p-2" data-testid="simulation-summary">{source}</p>
        <div class="mt-2 flex flex-wrap gap-2" data-testid="simulation-filters">
            <select class=sel aria-label="county" on:change=move |ev| county.set(event_target_value(&ev))>
                <option value="">{tr("全市", "Whole city")}</option>
                {County::ALL.iter().map(|c| view! { <option value=c.code()>{tr(c.zh(), c.en())}</option> }).collect_view()}
            </select>
            <select class=sel aria-label="industry" on:change=move |ev| industry.set(event_target_value(&ev))>
                <option value="">{tr("全部行业", "Every industry")}</option>
                {Industry::ALL.iter().map(|i| view! { <option value=i.code()>{tr(i.zh(), i.en())}</option> }).collect_view()}
            </select>
            <select class=sel aria-label="scale" on:change=move |ev| scale.set(event_target_value(&ev))>
                <option value="">{tr("规上和规下", "Above and below size")}</option>
                <option value="above">{tr("规上企业", "Above-size")}</option>
                <option value="below">{tr("规下企业", "Below-size")}</option>
            </select>
        </div>
        <div class="mt-2 grid gap-3 lg:grid-cols-2">
            <div class="min-w-0">
                <h4 class="mb-1 font-medium">{tr("等次变动（现行规则 → 草稿）", "Class transitions (in force → draft)")}</h4>
                {move || view! { <Matrix cells=cells() corner=Words::new("现行 ↓ · 草稿 →", "In force ↓ · draft →") testid="simulation-matrix" /> }}
            </div>
            <div class="min-w-0">
                <h4 class="mb-1 font-medium">{tr("县（市、区）综合评价", "County evaluation")}</h4>
                <div class="overflow-x-auto">
                    <table class="w-full text-xs" data-testid="simulation-counties">
                        {crate::pages::table_head(&[("县（市、区）", "County"), ("现行排名", "Rank now"), ("草稿排名", "Rank, draft"), ("现行得分", "Composite now"), ("草稿得分", "Composite, draft")])}
                        <tbody>{counties}</tbody>
                    </table>
                </div>
            </div>
        </div>
        <h4 class="mt-3 mb-1 font-medium">{tr("变动企业", "Enterprises that move")}</h4>
        <input type="search" class="w-64 max-w-full rounded border border-slate-300 px-2 py-1" placeholder=tr("企业名称或统一社会信用代码", "Name or USCC")
            aria-label="search" on:input=move |ev| search.set(event_target_value(&ev)) data-testid="movers-search" />
        {movers}
    }
}
