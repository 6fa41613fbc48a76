//! 政策目标看板: every quantified target of the city's policies, by
//! document and goal group, with its latest actual against time progress
//! (时间进度), a sparkline, filters, the per-county 赛马 tables; one
//! target's page (chart against the expected line, source sentence,
//! history, the lead unit's report form, the administrator's edits); and
//! the printable monthly bulletin (按月通报).

use crate::pages::{both, is_zh, tr};
use crate::targets::{
    get_target, targets_bulletin, targets_dashboard, Comparator, EditTarget, Filter, Kind, Race,
    ReportActual, SetDocPublic, Status, TargetDetail, TargetView,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn status_badge(s: Status) -> impl IntoView {
    let cls = match s {
        Status::Done => "bg-emerald-600 text-white",
        Status::Ahead => "bg-sky-600 text-white",
        Status::OnTrack => "bg-emerald-100 text-emerald-900",
        Status::Behind => "bg-amber-500 text-white",
        Status::Missed => "bg-red-600 text-white",
        Status::NoData => "bg-slate-200 text-slate-700",
    };
    view! { <span class=format!("inline-block whitespace-nowrap rounded px-2 py-0.5 text-xs {cls}") data-status=s.code()>{tr(s.zh(), s.en())}</span> }
}

pub use shared::targets::fmt_num as num;

fn county_name(code: &str) -> impl Fn() -> String + Send + Sync + 'static {
    let c = grading::County::parse(code);
    both(
        c.map_or(code.to_string(), |c| c.zh().to_string()),
        c.map_or(code.to_string(), |c| c.en().to_string()),
    )
}

/// Counts by status in words ("正常 27，滞后 14").
fn status_counts(by: &[u32], unit: (&str, &str)) -> impl Fn() -> String + Send + Sync + 'static {
    let words = |zh: bool| {
        Status::ALL
            .into_iter()
            .zip(by.iter().copied())
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| {
                if zh {
                    format!("{} {n}{}", s.zh(), unit.0)
                } else {
                    format!("{} {n}{}", s.en(), unit.1)
                }
            })
            .collect::<Vec<_>>()
            .join(if zh { "，" } else { ", " })
    };
    both(words(true), words(false))
}

/// The target as stated and its latest actual, in the page's language.
fn target_words(
    t: &TargetView,
) -> (
    impl Fn() -> String + Send + Sync + 'static,
    impl Fn() -> String + Send + Sync + 'static,
) {
    (
        both(t.target_text(), t.target_text_en()),
        both(t.actual_text(), t.actual_text_en()),
    )
}

/// A line of the reported figures (no axes: the shape is the point).
fn sparkline(values: &[Option<f64>]) -> impl IntoView {
    let pts: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    if pts.len() < 2 {
        return ().into_any();
    }
    let (lo, hi) = pts.iter().fold((f64::MAX, f64::MIN), |(a, b), (_, v)| {
        (a.min(*v), b.max(*v))
    });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = values.len().max(2) - 1;
    let d: String = pts
        .iter()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                *i as f64 / n as f64 * 80.0,
                18.0 - (v - lo) / span * 16.0
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    view! { <svg viewBox="0 0 80 20" class="h-5 w-20" aria-hidden="true"><polyline points=d fill="none" stroke="#047857" stroke-width="1.5" /></svg> }.into_any()
}

/// How far the latest figure is towards the target (and where time
/// progress says it should be), for targets that have an amount.
fn progress_bar(t: &TargetView) -> impl IntoView {
    let (Some(v), Some(a)) = (t.value, t.latest.as_ref().and_then(|a| a.value)) else {
        return ().into_any();
    };
    if v <= 0.0
        || !matches!(
            t.comparator,
            Comparator::Gt | Comparator::Ge | Comparator::Approx
        )
        || t.kind == Kind::Rank
    {
        return ().into_any();
    }
    let pct = (a / v * 100.0).clamp(0.0, 100.0);
    let exp = t.expected.map(|e| (e / v * 100.0).clamp(0.0, 100.0));
    view! {
        <div class="relative mt-1 h-2 w-full rounded bg-slate-200" title=format!("{:.0}%", a / v * 100.0)>
            <div class="h-2 rounded bg-emerald-600" style=format!("width:{pct:.1}%")></div>
            {exp.map(|e| view! { <div class="absolute top-[-2px] h-3 w-0.5 bg-slate-800" style=format!("left:{e:.1}%") title=tr("时间进度", "Time progress")></div> })}
        </div>
    }
    .into_any()
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            Filter {
                doc: get("doc"),
                lead: get("lead"),
                status: get("status"),
                due: get("due"),
                month: get("month"),
                scope: get("scope"),
                laggards: get("laggards").map(|v| v == "on" || v == "true"),
                mine: get("mine").map(|v| v == "on" || v == "true"),
            }
        })
    };
    // Bumped when an import lands.
    let import: RwSignal<u32> = RwSignal::new(0);
    let public = ServerAction::<SetDocPublic>::new();
    let user = crate::pages::layout::use_current_user();
    let data = Resource::new(
        move || (filter(), import.get(), public.version().get()),
        |(f, ..)| targets_dashboard(f),
    );
    view! {
        <div class="mb-3 flex flex-wrap items-baseline justify-between gap-2">
            <h1 class="text-xl font-semibold">{tr("政策目标看板", "Policy targets")}</h1>
            <a class="text-sm text-emerald-700 underline" href=move || format!("/targets/bulletin?month={}&doc={}", filter().month.unwrap_or_default(), filter().doc.unwrap_or_default()) data-testid="to-bulletin">{tr("按月通报", "Monthly bulletin")}</a>
        </div>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                // Awaited, not read: a light page is rendered once.
                let is_admin = user
                    .await
                    .is_some_and(|u| shared::authz::may_open(&u, shared::authz::Area::Admin));
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(d) => {
                        let f = filter();
                        view! { <Board d=d f=f import=import public=public is_admin=is_admin /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Board(
    d: crate::targets::Dashboard,
    f: Filter,
    import: RwSignal<u32>,
    public: ServerAction<SetDocPublic>,
    is_admin: bool,
) -> impl IntoView {
    let sel = "rounded border border-slate-300 px-2 py-1";
    let month = d.month.clone();
    let mine_any = d.targets.iter().any(|t| t.mine);
    // Cards by document, then goal group.
    let mut groups: Vec<(String, String, Vec<TargetView>)> = Vec::new();
    for t in d.targets.iter().cloned() {
        let key = (t.doc_number.clone(), t.group.clone());
        match groups
            .iter_mut()
            .find(|(a, b, _)| (a.clone(), b.clone()) == key)
        {
            Some(g) => g.2.push(t),
            None => groups.push((key.0, key.1, vec![t])),
        }
    }
    view! {
        <form method="get" class="mb-3 grid grid-cols-2 gap-2 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200 md:grid-cols-4 lg:grid-cols-8" data-testid="target-filters">
            <label class="col-span-2">{tr("文件", "Document")}
                <select name="doc" class=format!("{sel} w-full")>
                    <option value="">{tr("全部文件", "All documents")}</option>
                    {d.docs.iter().map(|x| { let s = f.doc.as_deref() == Some(x.id.as_str()); view! { <option value=x.id.clone() selected=s lang="zh">{format!("{} {}", x.number, x.title)}</option> } }).collect_view()}
                </select></label>
            <label>{tr("牵头单位", "Lead unit")}
                <select name="lead" class=format!("{sel} w-full")>
                    <option value="">{tr("全部", "All")}</option>
                    {d.leads.iter().map(|x| { let s = f.lead.as_deref() == Some(x.as_str()); view! { <option value=x.clone() selected=s lang="zh">{x.clone()}</option> } }).collect_view()}
                </select></label>
            <label>{tr("状态", "Status")}
                <select name="status" class=format!("{sel} w-full")>
                    <option value="">{tr("全部", "All")}</option>
                    {Status::ALL.into_iter().map(|s| { let on = f.status.as_deref() == Some(s.code()); view! { <option value=s.code() selected=on>{tr(s.zh(), s.en())}</option> } }).collect_view()}
                </select></label>
            <label>{tr("截止不晚于", "Due by")}<input name="due" class=format!("{sel} w-full") placeholder="2021-12-31" value=f.due.clone().unwrap_or_default() /></label>
            <label>{tr("月份", "Month")}<input type="month" name="month" class=format!("{sel} w-full") value=d.month.clone() /></label>
            <label>{tr("范围", "Scope")}
                <select name="scope" class=format!("{sel} w-full")>
                    {[("city", "全市目标", "City targets"), ("county", "分县（市、区）目标", "County targets"), ("all", "全部", "All")].into_iter().map(|(k, z, e)| { let on = f.scope.as_deref().unwrap_or("city") == k; view! { <option value=k selected=on>{tr(z, e)}</option> } }).collect_view()}
                </select></label>
            <div class="flex flex-col justify-end gap-1">
                <label><input type="checkbox" name="laggards" checked=f.laggards.unwrap_or(false) />" "{tr("滞后优先", "Laggards first")}</label>
                {mine_any.then(|| view! { <label><input type="checkbox" name="mine" checked=f.mine.unwrap_or(false) />" "{tr("仅本单位", "Mine only")}</label> })}
            </div>
            <button class="col-span-2 rounded bg-emerald-700 px-3 py-1 text-white md:col-span-1">{tr("筛选", "Filter")}</button>
        </form>
        <p class="mb-3 text-sm text-slate-600">{both(
            format!("状态按 {} 计算：累计类目标对照时间进度（序时进度），时点、比率、排名类按现状比较。", d.month),
            format!("Status as of {}: running totals against time progress; point-in-time, ratio and rank targets against where they stand.", d.month),
        )}</p>
        <div class="mb-4 grid gap-3 md:grid-cols-2" data-testid="doc-cards">
            {d.docs.iter().map(|x| {
                let total = x.targets.max(1) as f64;
                let doc = x.id.clone();
                let is_public = x.public;
                view! {
                    <section class="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
                        <div class="text-xs text-slate-500"><span lang="zh">{x.number.clone()}</span>{format!(" · {}", x.date)}{is_public.then(|| tr(" · 已公开", " · public"))}</div>
                        <a lang="zh" class="font-semibold text-emerald-800 underline" href=format!("/targets?doc={}&scope=all", x.id)>{x.title.clone()}</a>
                        <div class="mt-2 flex h-3 w-full overflow-hidden rounded" aria-label="status">
                            {Status::ALL.into_iter().zip(x.by_status.clone()).filter(|(_, n)| *n > 0).map(|(s, n)| {
                                let color = match s { Status::Done => "bg-emerald-600", Status::Ahead => "bg-sky-600", Status::OnTrack => "bg-emerald-300", Status::Behind => "bg-amber-500", Status::Missed => "bg-red-600", Status::NoData => "bg-slate-300" };
                                view! { <div class=color style=format!("width:{:.2}%", n as f64 / total * 100.0) title=both(format!("{} {n}", s.zh()), format!("{} {n}", s.en()))></div> }
                            }).collect_view()}
                        </div>
                        <p class="mt-1 text-xs text-slate-600">{both(format!("共 {} 项：", x.targets), format!("{} targets: ", x.targets))}{status_counts(&x.by_status, ("", ""))}</p>
                        {is_admin.then(|| { let doc = doc.clone(); view! {
                            <ActionForm action=public attr:class="mt-1 text-xs">
                                <input type="hidden" name="doc" value=doc />
                                <input type="hidden" name="public" value=(!is_public).to_string() />
                                <button type="submit" class="rounded border border-slate-300 px-2">{if is_public { tr("取消公开", "Make private") } else { tr("公开此文件的看板", "Publish this document's dashboard") }}</button>
                            </ActionForm>
                        }})}
                    </section>
                }
            }).collect_view()}
        </div>
        {mine_any.then(|| view! { <ImportForm import=import /> })}
        <div class="space-y-4" data-testid="target-groups">
            {groups.into_iter().map(|(number, group, ts)| { let month = month.clone(); view! {
                <section>
                    <h2 lang="zh" class="mb-2 text-sm font-semibold text-slate-700">{format!("{number} · {group}")}</h2>
                    <div class="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
                        {ts.into_iter().map(|t| view! { <Card t=t month=month.clone() /> }).collect_view()}
                    </div>
                </section>
            } }).collect_view()}
        </div>
        {(!d.races.is_empty()).then(|| view! {
            <h2 class="mt-6 mb-2 text-lg font-semibold">{tr("县（市、区）赛马", "County race")}</h2>
            <div class="grid gap-3 lg:grid-cols-2" data-testid="races">
                {d.races.into_iter().map(|r| view! { <RaceTable r=r /> }).collect_view()}
            </div>
        })}
    }
}

#[component]
fn Card(t: TargetView, month: String) -> impl IntoView {
    let scope = (t.scope != "city").then(|| county_name(&t.scope));
    let (goal, actual) = target_words(&t);
    view! {
        <a href=format!("/targets/{}?month={month}", t.id) class="block rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200 hover:ring-emerald-400" data-target=t.id.clone()>
            <div class="flex items-start justify-between gap-2">
                <span class="font-medium"><span lang="zh">{t.indicator.clone()}</span>{scope.map(|s| move || format!(" ({})", s()))}</span>
                {status_badge(t.status)}
            </div>
            <div class="mt-1 text-xs text-slate-600">{tr("目标：", "Target: ")}{goal}{t.aspirational.then(|| tr("（力争）", " (aspirational)"))}{both(format!("，{} 前", t.deadline), format!(", by {}", t.deadline))}</div>
            <div class="mt-1 flex items-center justify-between gap-2">
                <span class="text-xs">{tr("实际：", "Actual: ")}<span class="font-semibold tabular-nums" data-actual>{actual}</span>
                    {t.expected.map(|e| both(format!("；应达 {}", num(e)), format!("; expected {}", num(e))))}</span>
                {sparkline(&t.recent)}
            </div>
            {progress_bar(&t)}
            <div class="mt-1 text-[11px] text-slate-500">{tr("牵头：", "Lead: ")}<span lang="zh">{t.lead.join("、")}</span></div>
        </a>
    }
}

#[component]
fn RaceTable(r: Race) -> impl IntoView {
    view! {
        <section class="overflow-x-auto rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
            <h3 class="mb-1 text-sm font-semibold"><span lang="zh">{r.indicator.clone()}</span>{both(format!("（{}）", r.unit), format!(" ({})", shared::targets::status::unit_en(&r.unit)))}</h3>
            <table class="min-w-full text-xs" data-race=r.key.clone()>
                <thead class="text-left text-slate-500"><tr><th>{tr("名次", "Rank")}</th><th>{tr("县（市、区）", "County")}</th><th class="text-right">{tr("目标", "Target")}</th><th class="text-right">{tr("实际", "Actual")}</th><th class="text-right">{tr("完成率", "Done")}</th><th>{tr("状态", "Status")}</th></tr></thead>
                <tbody>
                    {r.rows.into_iter().map(|x| view! {
                        <tr class="border-t border-slate-100">
                            <td class="tabular-nums">{x.rank}</td>
                            <td><a class="underline" href=format!("/targets/{}", x.target_id)>{county_name(&x.county)}</a></td>
                            <td class="text-right tabular-nums">{x.value.map(num).unwrap_or_default()}</td>
                            <td class="text-right tabular-nums">{x.actual.map(num).unwrap_or_else(|| "—".into())}</td>
                            <td class="text-right tabular-nums">{x.completion.map(|c| format!("{c:.0}%")).unwrap_or_else(|| "—".into())}</td>
                            <td>{status_badge(x.status)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn imported_words(rows: usize, changed: usize) -> impl Fn() -> String {
    both(
        format!("已导入 {rows} 行，其中 {changed} 行有变化。"),
        format!("{rows} rows imported, {changed} of them changed."),
    )
}

#[component]
fn ImportForm(import: RwSignal<u32>) -> impl IntoView {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};
    let send = Action::new_local(|d: &FormData| crate::targets::import_actuals(d.clone().into()));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        {
            if let Ok(d) = FormData::new_with_form(&form) {
                send.dispatch_local(d);
            }
        }
    };
    // On the light page (no script) the form is posted as it is, and the
    // server sends the page back with the outcome in its address.
    let came_back = {
        let landed = leptos_router::hooks::use_query_map()
            .with_untracked(|q| q.get("imported"))
            .and_then(|v| {
                let (rows, changed) = v.split_once(',')?;
                Some((rows.parse::<usize>().ok()?, changed.parse::<usize>().ok()?))
            });
        match crate::pages::form_error::<crate::targets::ImportActuals>() {
            Some(e) => Some(e.to_string()),
            None => landed.map(|(rows, changed)| imported_words(rows, changed)()),
        }
    };
    // A landed import refreshes the board.
    Effect::new(move |_| {
        if matches!(send.value().get(), Some(Ok(_))) {
            import.update(|v| *v += 1);
        }
    });
    view! {
        <form method="post" action="/api/import_actuals" enctype="multipart/form-data" on:submit=on_submit class="mb-4 flex flex-wrap items-center gap-2 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200" data-testid="actuals-import">
            <span class="font-semibold">{tr("导入月度实际值", "Import monthly actuals")}</span>
            <span class="text-xs text-slate-500">{tr("列：", "Columns, headed in Chinese as in the template (target id, month, actual, compared figure, milestone, evidence, note): ")}<span lang="zh">"目标编号、月份、实际值、比较值、节点状态、佐证、备注"</span>{tr("（CSV 或 .xlsx）", " (CSV or .xlsx)")}</span>
            <input type="file" name="file" accept=".csv,.xlsx" required />
            <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-white" disabled=move || send.pending().get()>{tr("导入", "Import")}</button>
            <span role="status" class="w-full whitespace-pre-wrap text-sm" data-testid="actuals-import-result">{move || send.value().get().map(|r| match r {
                Ok(i) => imported_words(i.rows, i.changed)(),
                Err(e) => e.to_string(),
            }).or_else(|| came_back.clone())}</span>
        </form>
    }
}

#[component]
pub fn TargetPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    // The month the dashboard computed the status for (its link says).
    let query = leptos_router::hooks::use_query_map();
    let month = move || query.with(|q| q.get("month").filter(|m| m.len() == 7));
    let report = ServerAction::<ReportActual>::new();
    let edit = ServerAction::<EditTarget>::new();
    let data = Resource::new(
        move || (id(), month(), report.version().get(), edit.version().get()),
        |(id, month, ..)| get_target(id, month),
    );
    view! {
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(d) => view! { <Target d=d report=report edit=edit month=month() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The monthly series against the expected line (cumulative targets) or
/// the target's level.
fn chart(d: &TargetDetail) -> impl IntoView {
    let pts = &d.series;
    let vals: Vec<f64> = pts
        .iter()
        .flat_map(|p| [p.actual, p.expected])
        .flatten()
        .chain(d.target.value)
        .collect();
    if vals.is_empty() || d.target.kind == Kind::Milestone {
        return ().into_any();
    }
    let hi = vals.iter().cloned().fold(f64::MIN, f64::max).max(0.0) * 1.1;
    let lo = vals.iter().cloned().fold(f64::MAX, f64::min).min(0.0);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = pts.len().max(2) - 1;
    let x = move |i: usize| 30.0 + i as f64 / n as f64 * 360.0;
    let y = move |v: f64| 150.0 - (v - lo) / span * 130.0;
    let line = |f: &dyn Fn(&crate::targets::SeriesPoint) -> Option<f64>| -> String {
        pts.iter()
            .enumerate()
            .filter_map(|(i, p)| f(p).map(|v| format!("{:.1},{:.1}", x(i), y(v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let actual = line(&|p| p.actual);
    let expected = line(&|p| p.expected);
    let level = (d.target.kind != Kind::Cumulative)
        .then_some(d.target.value)
        .flatten()
        .map(y);
    view! {
        <svg viewBox="0 0 400 175" class="w-full" role="img" aria-label="chart" data-testid="target-chart">
            <line x1="30" x2="390" y1=y(lo.max(0.0)) y2=y(lo.max(0.0)) stroke="#cbd5e1" />
            {level.map(|l| view! { <line x1="30" x2="390" y1=l y2=l stroke="#0f172a" stroke-dasharray="4 3" /> })}
            <polyline points=expected fill="none" stroke="#64748b" stroke-dasharray="4 3" stroke-width="1.5" />
            <polyline points=actual fill="none" stroke="#047857" stroke-width="2.5" />
            // Each reported month as a point: one month alone still shows.
            {pts.iter().enumerate().filter_map(|(i, p)| p.actual.map(|v| view! { <circle cx=x(i) cy=y(v) r="3" fill="#047857" data-point="" /> })).collect_view()}
            {pts.iter().enumerate().filter(|(i, _)| i % 2 == 0 || pts.len() <= 12).map(|(i, p)| view! { <text x=x(i) y="170" font-size="8" text-anchor="middle">{p.month[5..].to_string()}</text> }).collect_view()}
            <text x="30" y="12" font-size="9">{num(hi)}</text>
        </svg>
        <p class="text-xs text-slate-500">{tr("实线：实际；虚线：时间进度应达（累计类）或目标值。", "Solid: actual; dashed: expected by time progress (running totals) or the target level.")}</p>
    }
    .into_any()
}

#[component]
fn Target(
    d: TargetDetail,
    report: ServerAction<ReportActual>,
    edit: ServerAction<EditTarget>,
    month: Option<String>,
) -> impl IntoView {
    let t = d.target.clone();
    let (goal, actual) = target_words(&t);
    let input = "mt-1 w-full rounded border border-slate-300 px-2 py-1";
    // A light page's plain form comes back with `saved` in the address.
    let saved_before =
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved").is_some());
    let report_result = move || {
        report
            .value()
            .get()
            .map(|r| match r {
                Ok(()) => tr("已保存。", "Saved.")().to_string(),
                Err(e) => e.to_string(),
            })
            .or_else(|| saved_before.then(|| tr("已保存。", "Saved.")().to_string()))
    };
    let edit_result = move || {
        edit.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.to_string())
    };
    // The report form starts at the month the status is computed for.
    let this_month = month.unwrap_or_else(|| {
        d.series
            .iter()
            .rev()
            .find(|p| p.actual.is_some())
            .map_or_else(|| t.start.format("%Y-%m").to_string(), |p| p.month.clone())
    });
    view! {
        <p lang="zh" class="text-xs text-slate-500">{format!("{} {}", t.doc_number, d.doc_title)}</p>
        <div class="mb-2 flex flex-wrap items-center gap-3">
            <h1 class="text-xl font-semibold" data-testid="target-indicator"><span lang="zh">{t.indicator.clone()}</span>{(t.scope != "city").then(|| { let c = county_name(&t.scope); move || format!(" ({})", c()) })}</h1>
            <span data-testid="target-status">{status_badge(t.status)}</span>
        </div>
        <div class="grid gap-4 lg:grid-cols-[1fr_22rem]">
            <div class="space-y-3">
                <section class="rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200">
                    <dl class="grid grid-cols-[7rem_1fr] gap-y-1">
                        <dt class="text-slate-500">{tr("目标", "Target")}</dt><dd>{goal}{t.aspirational.then(|| tr("（力争）", " (aspirational)"))}</dd>
                        <dt class="text-slate-500">{tr("期限", "Period")}</dt><dd>{both(format!("{} 至 {}", t.start, t.deadline), format!("{} to {}", t.start, t.deadline))}</dd>
                        <dt class="text-slate-500">{tr("类型", "Kind")}</dt><dd>{match t.kind {
                            Kind::Cumulative => tr("累计，按时间进度", "Cumulative, against time progress"),
                            Kind::Level => tr("时点/比率，按现状", "A level or ratio, as it stands"),
                            Kind::Relative => tr("相对比较", "Relative to another figure"),
                            Kind::Rank => tr("排名", "A rank"),
                            Kind::Zero => tr("零事件", "Zero events"),
                            Kind::Milestone => tr("节点", "A milestone"),
                        }}</dd>
                        <dt class="text-slate-500">{tr("牵头单位", "Lead")}</dt><dd lang="zh">{t.lead.join("、")}{t.lead_note.clone().map(|n| format!("（{n}）"))}</dd>
                        <dt class="text-slate-500">{tr("配合单位", "Support")}</dt><dd lang="zh">{if t.support.is_empty() { "—".to_string() } else { t.support.join("、") }}</dd>
                        <dt class="text-slate-500">{tr("最新实际", "Latest")}</dt><dd data-testid="target-actual">{actual}{t.latest.as_ref().map(|a| {
                            let by_en = if a.by == shared::targets::MEASURED_BY { "Muyi platform (from the evaluation data)".to_string() } else { a.by.clone() };
                            both(format!("（{}，{}）", a.month, a.by), format!(" ({}, {by_en})", a.month))
                        })}</dd>
                        {t.expected.map(|e| view! { <dt class="text-slate-500">{tr("时间进度应达", "Expected")}</dt><dd>{num(e)}</dd> })}
                    </dl>
                    <blockquote lang="zh" class="mt-2 border-l-4 border-emerald-600 bg-emerald-50 p-2 text-sm" data-testid="target-quote">{format!("“{}”", t.quote)}<span class="block text-xs text-slate-500">{format!("—— {} {}", t.doc_number, t.section)}{t.action.clone().map(|a| format!(" {a}"))}</span></blockquote>
                </section>
                <section class="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">{chart(&d)}</section>
                <section class="overflow-x-auto rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200">
                    <h2 class="mb-1 font-semibold">{tr("月度实际", "Monthly actuals")}</h2>
                    <table class="min-w-full text-xs" data-testid="actuals">
                        <thead class="text-left text-slate-500"><tr><th>{tr("月份", "Month")}</th><th class="text-right">{tr("实际", "Actual")}</th><th class="text-right">{tr("应达", "Expected")}</th><th>{tr("状态", "Status")}</th></tr></thead>
                        <tbody>
                            {d.series.iter().map(|p| view! {
                                <tr class="border-t border-slate-100"><td>{p.month.clone()}</td><td class="text-right tabular-nums">{p.actual.map(num).unwrap_or_else(|| "—".into())}</td><td class="text-right tabular-nums">{p.expected.map(num).unwrap_or_default()}</td><td>{status_badge(p.status)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
                <section class="overflow-x-auto rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200">
                    <h2 class="mb-1 font-semibold">{tr("修改记录", "History")}</h2>
                    <table class="min-w-full text-xs" data-testid="target-history">
                        <tbody>
                            {d.history.iter().map(|h| view! {
                                <tr class="border-t border-slate-100"><td>{h.at.clone()}</td><td>{h.by.clone()}</td><td>{{ let (zh, en) = shared::targets::field_words(&h.field); crate::pages::both(zh, en) }}</td><td>{{ let v = |x: &Option<String>, empty: &str| x.clone().unwrap_or_else(|| empty.into()); both(format!("{} → {}", v(&h.old_value, "（空）"), v(&h.new_value, "（空）")), format!("{} → {}", v(&h.old_value, "(empty)"), v(&h.new_value, "(empty)"))) }}</td><td>{{ let (zh, en) = shared::targets::source_words(&h.source); crate::pages::both(zh, en) }}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            </div>
            <aside class="space-y-3">
                {t.mine.then(|| { let t = t.clone(); view! {
                    <ActionForm action=report attr:class="space-y-2 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-emerald-300" attr:data-testid="report-form">
                        <h2 class="font-semibold">{tr("填报月度实际值", "Report a month")}</h2>
                        <input type="hidden" name="target" value=t.id.clone() />
                        <label class="block">{tr("月份", "Month")}<input type="month" name="month" class=input value=this_month.clone() required /></label>
                        {match t.kind {
                            Kind::Milestone => view! {
                                <label class="block">{tr("节点状态", "Milestone")}<select name="milestone" class=input>
                                    <option value="on_track">{tr("推进中", "Under way")}</option><option value="delayed">{tr("延误", "Delayed")}</option><option value="done">{tr("已完成", "Done")}</option>
                                </select></label>
                            }.into_any(),
                            Kind::Relative => view! {
                                <label class="block">{tr("本项实际值", "This series")}<input name="value" inputmode="decimal" class=input required /></label>
                                <label class="block">{tr("比较值：", "Compared figure: ")}<span lang="zh">{t.versus.clone().unwrap_or_default()}</span><input name="versus" inputmode="decimal" class=input required /></label>
                            }.into_any(),
                            Kind::Rank => view! { <label class="block">{tr("名次", "Rank")}<input name="value" inputmode="numeric" class=input required /></label> }.into_any(),
                            Kind::Zero => view! { <label class="block">{tr("自期初累计发生起数", "Events since the start")}<input name="value" inputmode="numeric" class=input required /></label> }.into_any(),
                            _ => view! { <label class="block">{{ let en_unit = shared::targets::status::unit_en(&t.unit).to_string(); if t.kind == Kind::Cumulative { both(format!("截至当月累计（{}）", t.unit), format!("Cumulative to month end ({en_unit})")) } else { both(format!("当月末数值（{}）", t.unit), format!("At month end ({en_unit})")) } }}<input name="value" inputmode="decimal" class=input required data-testid="report-value" /></label> }.into_any(),
                        }}
                        <label class="block">{tr("佐证 / 数据来源", "Evidence / source")}<input name="evidence" class=input /></label>
                        <label class="block">{tr("备注", "Note")}<input name="note" class=input /></label>
                        <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-white" data-testid="report-submit">{tr("保存", "Save")}</button>
                        <p role="status" data-testid="report-result">{report_result}</p>
                    </ActionForm>
                }})}
                {d.may_edit.then(|| view! {
                    <ActionForm action=edit attr:class="space-y-2 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200" attr:data-testid="edit-target">
                        <h2 class="font-semibold">{tr("修改目标（管理员）", "Edit target (administrator)")}</h2>
                        <input type="hidden" name="id" value=t.id.clone() />
                        <label class="block">{tr("目标值", "Value")}<input name="fields[value]" class=input value=t.value.map(num).unwrap_or_default() /></label>
                        <label class="block">{tr("单位", "Unit")}<input name="fields[unit]" class=input value=t.unit.clone() /></label>
                        <label class="block">{tr("截止日期", "Deadline")}<input name="fields[deadline]" class=input value=t.deadline.to_string() /></label>
                        <label class="block">{tr("牵头单位（顿号分隔）", "Lead units")}<input name="fields[lead]" class=input value=t.lead.join("、") /></label>
                        <button type="submit" class="rounded bg-slate-700 px-3 py-1 text-white">{tr("保存修改", "Save")}</button>
                        <p role="alert" class="text-red-700">{edit_result}</p>
                    </ActionForm>
                })}
            </aside>
        </div>
    }
}

/// 按月通报: a printable page of every target's actual, expected, status
/// and lead unit, the laggards and the county ranking.
#[component]
pub fn BulletinPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("doc").filter(|v| !v.is_empty()),
                q.get("month").filter(|v| !v.is_empty()),
            )
        })
    };
    let data = Resource::new(args, |(doc, month)| targets_bulletin(doc, month));
    view! {
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(b) => {
                        let title = b.doc.as_ref().map_or(String::new(), |d| d.title.clone());
                        let number = b.doc.as_ref().map_or(String::new(), |d| d.number.clone());
                        let doc_id = b.doc.as_ref().map_or(String::new(), |d| d.id.clone());
                        let (y, m) = b.month.split_once('-').map(|(y, m)| (y.to_string(), m.trim_start_matches('0').to_string())).unwrap_or_default();
                        let row = |t: &TargetView| { let (goal, actual) = target_words(t); view! {
                            <tr class="border-t border-slate-200 align-top">
                                <td class="px-1 py-0.5" lang="zh">{t.indicator.clone()}</td>
                                <td class="px-1 py-0.5">{goal}</td>
                                <td class="px-1 py-0.5 text-right tabular-nums">{actual}</td>
                                <td class="px-1 py-0.5 text-right tabular-nums">{t.expected.map(num).unwrap_or_default()}</td>
                                <td class="px-1 py-0.5">{status_badge(t.status)}</td>
                                <td class="px-1 py-0.5" lang="zh">{t.lead.join("、")}</td>
                            </tr>
                        } };
                        const HEAD: &[(&str, &str)] = &[("指标", "Indicator"), ("目标", "Target"), ("截至当月实际", "Actual to date"), ("时间进度应达", "Expected"), ("状态", "Status"), ("牵头单位", "Lead")];
                        let (head, head2) = (crate::pages::table_head(HEAD), crate::pages::table_head(HEAD));
                        view! {
                            <div class="mb-3 flex flex-wrap items-center gap-2 print:hidden">
                                <form method="get" class="flex items-center gap-2 text-sm">
                                    <input type="hidden" name="doc" value=doc_id.clone() />
                                    <input type="month" name="month" value=b.month.clone() class="rounded border border-slate-300 px-2 py-1" />
                                    <button class="rounded bg-emerald-700 px-3 py-1 text-white">{tr("查看", "Show")}</button>
                                </form>
                                <a class="rounded border border-emerald-700 px-3 py-1 text-sm text-emerald-800" href=format!("/targets/bulletin.xlsx?doc={doc_id}&month={}", b.month) rel="external" download=format!("bulletin-{}.xlsx", b.month) data-testid="bulletin-xlsx">{tr("下载 Excel", "Download .xlsx")}</a>
                                <button type="button" class="rounded border border-slate-400 px-3 py-1 text-sm" on:click=|_| print_page()>{tr("打印", "Print")}</button>
                            </div>
                            <article class="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200 print:p-0 print:shadow-none print:ring-0" data-testid="bulletin">
                                <h1 lang="zh" class="text-center text-xl font-bold">{title.clone()}</h1>
                                <p class="mb-3 text-center text-base">{both(format!("{y} 年 {m} 月推进情况通报（{number}）"), format!("Progress bulletin, {y}-{m:0>2}"))}<span lang="zh">{{ let zh = is_zh(); move || (!zh()).then(|| format!(" ({number})")) }}</span></p>
                                <p class="mb-3 text-sm">{both(format!("截至 {y} 年 {m} 月，共 {} 项量化目标：", b.targets.len()), format!("At the end of {y}-{m:0>2}, {} quantified targets: ", b.targets.len()))}{status_counts(&b.by_status, (" 项", ""))}{tr("。", ".")}</p>
                                <h2 class="mt-4 mb-1 font-semibold">{both(format!("一、滞后与未达成（{} 项）", b.laggards.len()), format!("1. Behind or missed ({})", b.laggards.len()))}</h2>
                                <div class="overflow-x-auto print:overflow-visible"><table class="w-full text-xs" data-testid="bulletin-laggards">{head}<tbody>{b.laggards.iter().map(row).collect_view()}</tbody></table></div>
                                <h2 class="mt-4 mb-1 font-semibold">{tr("二、全部目标", "2. All targets")}</h2>
                                <div class="overflow-x-auto print:overflow-visible"><table class="w-full text-xs" data-testid="bulletin-all">{head2}<tbody>{b.targets.iter().map(row).collect_view()}</tbody></table></div>
                                {(!b.races.is_empty()).then(|| view! {
                                    <h2 class="mt-4 mb-1 font-semibold">{tr("三、县（市、区）排名", "3. Counties ranked")}</h2>
                                    <div class="grid gap-2 sm:grid-cols-2">{b.races.iter().cloned().map(|r| view! { <RaceTable r=r /> }).collect_view()}</div>
                                })}
                                <p class="mt-4 text-xs text-slate-500">{tr(
                                    "说明：累计类目标按时间进度（序时进度）评价，达到应达值 105% 及以上为超进度，95% 至 105% 为正常，低于 95% 为滞后；时点、比率、排名类目标按当月末现状评价；期末未达到目标为未达成。演示数据仅供演示。",
                                    "Note: running totals are judged against time progress: 105% of the expected figure or more is ahead, 95% to 105% on track, under 95% behind; point-in-time, ratio and rank targets by where they stand at month end; a target not met at its deadline is missed. Demo data, for demonstration only.",
                                )}</p>
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The browser's print dialog (the bulletin prints without the header).
fn print_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}
