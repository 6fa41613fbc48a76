//! 整治提升台账 (`/measures/ledger`): a year's remediation ledger, counts by
//! county and status (the city's view) and each enterprise's plan,
//! person, milestones and evidence (the county's work); and the
//! enterprise's own plan in its portal ([`MyPlan`]).

use crate::measures::{
    get_ledger, AddMilestone, CompleteMilestone, LedgerEntry, LedgerStatus, PlanKind, SavePlan,
};
use crate::pages::disclosure::county_name;
use crate::pages::electricity::refusal;
use crate::pages::measures::MeasuresTabs;
use crate::pages::{class_badge, tr};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const INPUT: &str = "rounded border border-slate-300 bg-white px-2 py-1";
const BUTTON: &str = "rounded bg-emerald-700 px-3 py-1 text-white";

/// Colours of the statuses, in [`LedgerStatus::ALL`] order (bars and badges).
const STATUS_STYLE: [&str; 6] = [
    "bg-slate-300 text-slate-900",
    "bg-sky-200 text-sky-900",
    "bg-red-200 text-red-900",
    "bg-emerald-200 text-emerald-900",
    "bg-emerald-600 text-white",
    "bg-slate-100 text-slate-500",
];

fn status_badge(s: LedgerStatus) -> impl IntoView {
    let i = LedgerStatus::ALL.iter().position(|x| *x == s).unwrap_or(0);
    view! { <span class=format!("rounded px-2 py-0.5 text-xs font-semibold {}", STATUS_STYLE[i]) data-testid="ledger-status">{tr(s.zh(), s.en())}</span> }
}

fn why(e: &LedgerEntry) -> impl Fn() -> String + Send + Sync + 'static {
    let i18n = crate::i18n::use_i18n();
    let (d, low, avg, below) = (
        e.d_class,
        e.low_tax,
        e.avg_tax_per_mu,
        e.scale == grading::Scale::Below,
    );
    move || {
        let zh = i18n.get_locale() == crate::i18n::Locale::zh;
        let mut parts = Vec::new();
        if d {
            parts.push(if zh {
                "D 类".to_string()
            } else {
                "class D".into()
            });
        }
        if low {
            let limit = if below { 3 } else { 10 };
            let a = avg.map(|a| format!("{a:.2}")).unwrap_or_default();
            parts.push(if zh {
                format!("近三年亩均税收 {a} 万元，低于 {limit} 万元")
            } else {
                format!("3-year tax per mu {a} (10k yuan), under {limit}")
            });
        }
        parts.join(if zh { "；" } else { "; " })
    }
}

fn plan_name(p: Option<PlanKind>) -> impl Fn() -> String + Send + Sync + 'static {
    let i18n = crate::i18n::use_i18n();
    move || match p {
        Some(p) if i18n.get_locale() == crate::i18n::Locale::zh => p.zh().to_string(),
        Some(p) => p.en().to_string(),
        None => "—".into(),
    }
}

#[component]
pub fn LedgerPage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.with(|m| m.get(k).filter(|v| !v.is_empty()));
    let plan = ServerAction::<SavePlan>::new();
    let add = ServerAction::<AddMilestone>::new();
    let done = ServerAction::<CompleteMilestone>::new();
    let data = Resource::new(
        move || {
            (
                q("year"),
                q("county"),
                q("status"),
                q("q"),
                (
                    plan.version().get(),
                    add.version().get(),
                    done.version().get(),
                ),
            )
        },
        |(year, county, status, q, _)| {
            get_ledger(year.and_then(|y| y.parse().ok()), county, status, q)
        },
    );
    let i18n = crate::i18n::use_i18n();
    let zh = move || i18n.get_locale() == crate::i18n::Locale::zh;
    view! {
        <MeasuresTabs current="ledger" />
        <h1 class="mb-1 text-xl font-semibold">{tr("整治提升台账", "Remediation ledger")}</h1>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">{tr(
            "每年评价结果公示后自动生成：D 类企业，以及近三年亩均税收低于 10 万元的规上企业、低于 3 万元的规下企业（嘉政办发〔2021〕3号、5号）。县（市、区）为每家企业确定整治提升方式（提升、兼并重组、腾退、关停）、责任人和节点，并记录完成情况和佐证；企业在其账户中可查看。下一年度评价不再列入的，即退出台账，计入政策目标“改造提升”的完成数。",
            "Made from each year's published results: every class D enterprise, and every above-size (below-size) enterprise whose three-year average tax per mu is under 100,000 (30,000) yuan. The county gives each a plan (upgrade, merger, vacate, close) with a responsible person and milestones, and records progress with evidence; the enterprise sees it in its portal. An enterprise the next year's evaluation no longer puts on leaves the ledger and counts towards the policy target.")}</p>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(l) => {
                        let year = l.year;
                        let many = l.county.is_none();
                        let current_county = q("county");
                        let current_status = q("status");
                        let matching = l.matching;
                        let shown = l.entries.len();
                        view! {
                            <form method="get" class="mb-4 flex flex-wrap items-end gap-2 text-sm" data-testid="ledger-form">
                                <label class="flex flex-col">{tr("年度", "Year")}
                                    <select name="year" class=INPUT>
                                        {l.years.iter().map(|y| view! { <option value=y.to_string() selected=*y == year>{y.to_string()}</option> }).collect_view()}
                                    </select>
                                </label>
                                {many.then(|| view! {
                                    <label class="flex flex-col">{tr("县（市、区）", "County")}
                                        <select name="county" class=INPUT>
                                            <option value="">{tr("全部", "All")}</option>
                                            {grading::County::ALL.iter().map(|c| view! { <option value=c.code() selected=current_county.as_deref() == Some(c.code())>{tr(c.zh(), c.en())}</option> }).collect_view()}
                                        </select>
                                    </label>
                                })}
                                <label class="flex flex-col">{tr("状态", "Status")}
                                    <select name="status" class=INPUT data-testid="ledger-status-filter">
                                        <option value="">{tr("全部", "All")}</option>
                                        {LedgerStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=current_status.as_deref() == Some(s.code())>{tr(s.zh(), s.en())}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class="flex flex-col">{tr("企业", "Enterprise")}
                                    <input name="q" class=INPUT placeholder=tr("名称或代码", "Name or USCC") value=q("q").unwrap_or_default() />
                                </label>
                                <button class=BUTTON>{tr("查看", "Show")}</button>
                            </form>
                            <Counts counts=l.counts.clone() />
                            <p class="mb-2 text-sm text-slate-600" data-testid="ledger-count">{move || if zh() {
                                if matching as usize > shown { format!("符合条件 {matching} 家，列出前 {shown} 家。") } else { format!("符合条件 {matching} 家。") }
                            } else if matching as usize > shown { format!("{matching} match; the first {shown} are shown.") } else { format!("{matching} match.") }}</p>
                            <div class="space-y-2" data-testid="ledger-entries">
                                {l.entries.into_iter().map(|e| view! { <Entry e=e plan=plan add=add done=done /> }).collect_view()}
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Counts by county and status: a bar per county (the statuses' shares)
/// and the numbers beside it.
#[component]
fn Counts(counts: Vec<crate::measures::LedgerCount>) -> impl IntoView {
    let max = counts.iter().map(|c| c.total).max().unwrap_or(0).max(1);
    view! {
        <section class="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="ledger-counts">
            <h2 class="mb-2 font-semibold">{tr("在册企业（按县、状态）", "On the ledger, by county and status")}</h2>
            <ul class="mb-2 flex flex-wrap gap-2 text-xs">
                {LedgerStatus::ALL.iter().enumerate().map(|(i, s)| view! { <li class="flex items-center gap-1"><span class=format!("inline-block h-3 w-3 rounded {}", STATUS_STYLE[i])></span>{tr(s.zh(), s.en())}</li> }).collect_view()}
            </ul>
            <div class="space-y-1 text-sm">
                {counts.into_iter().map(|c| {
                    let words = |zh: bool| LedgerStatus::ALL.iter().zip(c.by_status).map(|(s, n)| format!("{} {n}", if zh { s.zh() } else { s.en() })).collect::<Vec<_>>().join(if zh { "，" } else { ", " });
                    let title = crate::pages::both(words(true), words(false));
                    view! {
                        <div class="grid grid-cols-[6rem_1fr_3rem] items-center gap-2 sm:grid-cols-[12rem_1fr_3rem]">
                            <span class="truncate">{county_name(&c.county)}</span>
                            <div class="flex h-4 overflow-hidden rounded bg-slate-50" title=title style=format!("width:{}%", (c.total * 100 / max).max(1))>
                                {c.by_status.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| view! {
                                    <span class=STATUS_STYLE[i] style=format!("width:{}%", n * 100 / c.total.max(1))></span>
                                }).collect_view()}
                            </div>
                            <span class="text-right tabular-nums">{c.total}</span>
                        </div>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn Entry(
    e: LedgerEntry,
    plan: ServerAction<SavePlan>,
    add: ServerAction<AddMilestone>,
    done: ServerAction<CompleteMilestone>,
) -> impl IntoView {
    let open = !matches!(e.status, LedgerStatus::Exited | LedgerStatus::Removed);
    let (year, uscc) = (e.year, e.uscc.clone());
    let has_plan = e.plan.is_some();
    let reason = why(&e);
    let kind = plan_name(e.plan);
    let (current_plan, person) = (e.plan, e.person.clone());
    let uscc2 = uscc.clone();
    view! {
        <details class="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" data-testid="ledger-entry">
            <summary class="flex cursor-pointer flex-wrap items-center gap-2 text-sm">
                <span class="font-semibold">{e.name.clone()}</span>
                {e.class.map(class_badge)}
                {status_badge(e.status)}
                <span class="text-slate-600">{tr(e.county.zh(), e.county.en())}</span>
                <span class="text-slate-600">{reason}</span>
                <span class="text-slate-600">{tr("方式：", "Plan: ")}{kind}</span>
            </summary>
            <div class="mt-2 space-y-2 text-sm">
                <p class="font-mono text-xs text-slate-500">{e.uscc.clone()}</p>
                <p>{tr("责任人：", "Responsible: ")}<span lang="zh">{if e.person.is_empty() { "—".to_string() } else { e.person.clone() }}</span>
                    " · "{tr("最近更新（北京时间）：", "Updated (Beijing time): ")}{format!("{} {}", e.updated_at, e.updated_by)}</p>
                {e.exited_in.map(|y| view! { <p class="text-emerald-800">{tr("已经评价退出台账：", "Left the ledger with the evaluation of ")}{y}</p> })}
                <Milestones e=e.clone() done=open.then_some(done) />
                {open.then(move || view! {
                    <div class="grid gap-2 md:grid-cols-2">
                        <ActionForm action=plan attr:class="space-y-1 rounded bg-slate-50 p-2" attr:data-testid="plan-form">
                            <input type="hidden" name="year" value=year />
                            <input type="hidden" name="uscc" value=uscc.clone() />
                            <label class="block">{tr("整治提升方式", "Plan")}
                                <select name="plan" class=format!("{INPUT} block w-full") required>
                                    {PlanKind::ALL.iter().map(|k| view! { <option value=k.code() selected=current_plan == Some(*k)>{tr(k.zh(), k.en())}</option> }).collect_view()}
                                </select></label>
                            <label class="block">{tr("责任人", "Responsible person")}
                                <input name="person" class=format!("{INPUT} block w-full") value=person.clone() required /></label>
                            <button class=BUTTON>{tr("保存方案", "Save the plan")}</button>
                            {refusal(plan)}
                        </ActionForm>
                        <ActionForm action=add attr:class="space-y-1 rounded bg-slate-50 p-2" attr:data-testid="milestone-form">
                            <input type="hidden" name="year" value=year />
                            <input type="hidden" name="uscc" value=uscc2.clone() />
                            <label class="block">{tr("新节点", "New milestone")}
                                <input name="title" class=format!("{INPUT} block w-full") required /></label>
                            <label class="block">{tr("计划完成日期", "Due")}
                                <input type="date" name="due" class=format!("{INPUT} block w-full") required /></label>
                            <button class="rounded bg-emerald-700 px-3 py-1 text-white disabled:cursor-not-allowed disabled:opacity-50" disabled=!has_plan>{tr("添加节点", "Add")}</button>
                            {(!has_plan).then(|| view! { <p class="text-xs text-slate-500">{tr("先保存整治提升方式和责任人。", "Save the plan and person first.")}</p> })}
                            {refusal(add)}
                        </ActionForm>
                    </div>
                })}
            </div>
        </details>
    }
}

/// A plan's milestones; with `done`, a form to record each open one.
#[component]
fn Milestones(e: LedgerEntry, done: Option<ServerAction<CompleteMilestone>>) -> impl IntoView {
    let (year, uscc) = (e.year, e.uscc.clone());
    view! {
        {e.milestones.is_empty().then(|| view! { <p class="text-slate-500">{tr("尚无节点。", "No milestones yet.")}</p> })}
        <ol class="space-y-1" data-testid="milestones">
            {e.milestones.into_iter().enumerate().map(|(i, m)| {
                let uscc = uscc.clone();
                let finished = m.done_on.is_some();
                view! {
                    <li class="rounded border border-slate-200 p-2">
                        <span class="font-medium" lang="zh">{format!("{}. {}", i + 1, m.title)}</span>
                        " "<span class="text-slate-600">{tr("计划 ", "due ")}{m.due.clone()}</span>
                        {m.done_on.clone().map(|d| view! { <span class="ml-1 text-emerald-800">{tr("，已于 ", ", done ")}{d}{tr(" 完成；佐证：", "; evidence: ")}<span lang="zh">{m.evidence.clone()}</span></span> })}
                        {done.filter(|_| !finished).map(|a| view! {
                            <ActionForm action=a attr:class="mt-1 flex flex-wrap items-end gap-1">
                                <input type="hidden" name="year" value=year />
                                <input type="hidden" name="uscc" value=uscc.clone() />
                                <input type="hidden" name="index" value=i />
                                <input type="date" name="done_on" class=INPUT required aria-label=tr("完成日期", "Done on") />
                                <input name="evidence" class=INPUT required placeholder=tr("佐证：文件、验收材料", "Evidence: document, acceptance") />
                                <button class="rounded bg-slate-600 px-2 py-1 text-white">{tr("记为完成", "Mark done")}</button>
                                {refusal(a)}
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The enterprise's own plan in its portal: why it is on the ledger, the
/// plan's name by its class, the person, milestones and evidence (part of
/// the portal's data, so the page has no second resource to stream).
#[component]
pub fn MyPlan(e: LedgerEntry) -> impl IntoView {
    let (tz, te) = e.plan_title();
    let reason = why(&e);
    let kind = plan_name(e.plan);
    let year = e.year;
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-amber-300" data-testid="my-plan">
            <h2 class="mb-1 font-semibold">{tr("整治提升", "Remediation")}" · "{tr(tz, te)}{format!("（{year}）")}</h2>
            <p class="text-sm">{tr("列入原因：", "Why: ")}{reason}" "{status_badge(e.status)}</p>
            <p class="text-sm">{tr("方式：", "Plan: ")}{kind}" · "{tr("责任人：", "Responsible: ")}<span lang="zh">{if e.person.is_empty() { "—".to_string() } else { e.person.clone() }}</span></p>
            <p class="mb-2 text-xs text-slate-600">{tr(
                "由所在县（市、区）制定并跟踪；下一年度评价不再列入（不是 D 类，且近三年亩均税收达到标准）即退出台账。",
                "Set and followed by your county; you leave the ledger when a later year's evaluation no longer puts you on it.")}</p>
            <Milestones e=e.clone() done=None />
        </section>
    }
}
