//! 申诉: each reader's queue (a county's appeals, a department's items, an
//! enterprise's own) with deadlines and overdue ones highlighted, and one
//! appeal: its items with their reviewers, evidence, the engine's
//! projection of the claimed values, the decisions and the timeline.

use crate::appeals::{
    appeal_queue, get_appeal, AppealDetail, AppealStatus, DecideItem, TakeAppeal,
};
use crate::pages::portal::dept_name;
use crate::pages::{class_badge, table_head, tr};
use crate::portal::WithdrawAppeal;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_badge(s: AppealStatus) -> impl IntoView {
    let cls = match s {
        AppealStatus::Filed => "bg-amber-100 text-amber-900",
        AppealStatus::Reviewing => "bg-sky-100 text-sky-900",
        AppealStatus::Corrected => "bg-emerald-100 text-emerald-900",
        AppealStatus::Partly => "bg-teal-100 text-teal-900",
        AppealStatus::Rejected => "bg-slate-200 text-slate-800",
        AppealStatus::Withdrawn => "bg-slate-100 text-slate-600",
    };
    view! { <span class=format!("rounded px-2 py-0.5 text-xs {cls}") data-status=s.code()>{tr(s.zh(), s.en())}</span> }
}

/// A contested field's name in the page's language.
fn field_label(key: &str) -> impl Fn() -> String + Send + Sync + 'static {
    let c = grading::record::column_by_key(key);
    let (zh, en) = c.map_or((key.to_string(), key.to_string()), |c| {
        (c.zh.into(), c.en.into())
    });
    crate::pages::both(zh, en)
}

#[component]
pub fn AppealsPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").filter(|s| !s.is_empty()));
    let list = Resource::new(status, appeal_queue);
    view! {
        <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h1 class="text-xl font-semibold">{tr("申诉", "Appeals")}</h1>
            <form method="get" class="flex items-center gap-2 text-sm">
                <select name="status" class="rounded border border-slate-300 px-2 py-1">
                    <option value="">{tr("全部状态", "All statuses")}</option>
                    {AppealStatus::ALL.into_iter().map(|s| {
                        let sel = move || status().as_deref() == Some(s.code());
                        view! { <option value=s.code() selected=sel>{tr(s.zh(), s.en())}</option> }
                    }).collect_view()}
                </select>
                <button class="rounded bg-emerald-700 px-3 py-1 text-white">{tr("筛选", "Filter")}</button>
            </form>
        </div>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(l) if l.is_empty() => view! { <p class="text-slate-600" data-testid="queue-empty">{tr("暂无申诉。", "No appeals.")}</p> }.into_any(),
                    Ok(l) => view! {
                        <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                            <table class="min-w-full text-sm" data-testid="queue">
                                {table_head(&[("回执号", "Receipt"), ("企业", "Enterprise"), ("年度", "Year"), ("状态", "Status"), ("待我处理", "For me"), ("答复期限", "Deadline")])}
                                <tbody>
                                    {l.into_iter().map(|a| {
                                        let row = if a.overdue { "border-t border-slate-200 bg-red-50" } else { "border-t border-slate-200" };
                                        view! { <tr class=row data-overdue=a.overdue.to_string()>
                                            <td class="px-2 py-1"><a class="text-emerald-700 underline" href=format!("/appeals/{}", a.id)>{a.receipt.clone()}</a></td>
                                            <td class="px-2 py-1">{a.name.clone()}<div class="font-mono text-xs text-slate-500">{a.uscc.clone()}</div></td>
                                            <td class="px-2 py-1">{a.year}</td>
                                            <td class="px-2 py-1">{status_badge(a.status)}</td>
                                            <td class="px-2 py-1 tabular-nums">{if a.waiting_for_me > 0 { format!("{} / {}", a.waiting_for_me, a.items) } else { "—".into() }}</td>
                                            <td class="px-2 py-1 tabular-nums">{a.deadline.clone()}{a.overdue.then(|| view! { <span class="ml-1 rounded bg-red-600 px-1 text-xs text-white">{tr("已超期", "Overdue")}</span> })}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AppealPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|y| y.parse::<i32>().ok())
                .unwrap_or_default()
        })
    };
    let decide = ServerAction::<DecideItem>::new();
    let take = ServerAction::<TakeAppeal>::new();
    let withdraw = ServerAction::<WithdrawAppeal>::new();
    let detail = Resource::new(
        move || {
            (
                id(),
                decide.version().get(),
                take.version().get(),
                withdraw.version().get(),
            )
        },
        |(id, ..)| get_appeal(id),
    );
    let error = move || {
        [
            decide.value().get().and_then(|r| r.err()),
            take.value().get().and_then(|r| r.err()),
            withdraw.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .map(|e| e.to_string())
        .next()
    };
    view! {
        <p role="alert" class="mb-2 text-sm text-red-700" data-testid="appeal-action-error">{error}</p>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(d) => view! { <Appeal d=d decide=decide take=take withdraw=withdraw /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Appeal(
    d: AppealDetail,
    decide: ServerAction<DecideItem>,
    take: ServerAction<TakeAppeal>,
    withdraw: ServerAction<WithdrawAppeal>,
) -> impl IntoView {
    let s = d.summary.clone();
    let id = s.id;
    view! {
        <div class="mb-3 flex flex-wrap items-center gap-3">
            <h1 class="text-xl font-semibold">{tr("申诉 ", "Appeal ")}<span data-testid="receipt">{s.receipt.clone()}</span></h1>
            <span data-testid="appeal-status">{status_badge(s.status)}</span>
            {s.overdue.then(|| view! { <span class="rounded bg-red-600 px-2 py-0.5 text-xs text-white">{tr("已超期", "Overdue")}</span> })}
        </div>
        <p class="mb-3 text-sm text-slate-600"><span lang="zh">{s.name.clone()}</span>{crate::pages::both(
            format!(" · {} · {} 年度 · 提出于 {} · 答复期限 {}", s.uscc, s.year, s.filed_at, s.deadline),
            format!(" · {} · {} · filed {} · answer due {}", s.uscc, s.year, s.filed_at, s.deadline),
        )}</p>
        <div class="grid gap-4 lg:grid-cols-[1fr_20rem]">
            <div class="space-y-4">
                {d.outcome.clone().map(|o| { let o = crate::pages::both(o, d.outcome_en.clone().unwrap_or_default()); view! {
                    <section class="rounded-lg bg-emerald-50 p-3 text-sm ring-1 ring-emerald-300" data-testid="outcome">
                        <div class="font-semibold">{tr("办理结果", "Outcome")}</div>
                        <p>{o}</p>
                        {d.class_after.map(|c| view! { <p class="mt-1">{tr("现分类：", "Class now: ")}<span data-testid="class-after">{class_badge(c)}</span></p> })}
                        {d.correction_version.map(|v| view! { <a class="text-emerald-700 underline" href=format!("/disclosure/{}/corrections", s.year)>{crate::pages::both(format!("更正公告（第 {v} 版）"), format!("Correction notice (version {v})"))}</a> })}
                    </section>
                } })}
                <section class="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
                    <h2 class="mb-2 font-semibold">{tr("申诉事项", "Contested items")}</h2>
                    <div class="space-y-3">
                        {d.items.clone().into_iter().map(|i| {
                            let label = field_label(&i.field);
                            view! {
                                <div class="rounded border border-slate-200 p-2 text-sm" data-item-field=i.field.clone()>
                                    <div class="flex flex-wrap items-center justify-between gap-2">
                                        <span class="font-semibold">{label}</span>
                                        <span class="text-xs text-slate-500">{tr("核实部门：", "Reviewer: ")}{dept_name(&i.reviewer)}</span>
                                    </div>
                                    <div class="font-mono text-xs">{crate::pages::both(
                                        format!("在档 {} → 主张 {}", i.current.clone().unwrap_or_else(|| "（空）".into()), i.claimed),
                                        format!("on file {} → claimed {}", i.current.clone().unwrap_or_else(|| "(empty)".into()), i.claimed),
                                    )}</div>
                                    <div class="text-xs" data-item-status=i.status.code()>{item_state(&i)}</div>
                                    {i.mine.then(|| view! {
                                        <ActionForm action=decide attr:class="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-[10rem_1fr_auto_auto]" attr:data-testid="decide-form">
                                            <input type="hidden" name="item" value=i.id />
                                            <input name="value" class="rounded border border-slate-300 px-2 py-1" placeholder=i.claimed.clone() aria-label="value" />
                                            <input name="reason" class="rounded border border-slate-300 px-2 py-1" placeholder=tr("核实意见（不予更正时必填）", "Finding (required to reject)") aria-label="reason" />
                                            <button type="submit" name="decision" value="accept" data-testid="accept" class="rounded bg-emerald-700 px-3 py-1 text-white">{tr("予以更正", "Accept")}</button>
                                            <button type="submit" name="decision" value="reject" data-testid="reject" class="rounded bg-slate-600 px-3 py-1 text-white">{tr("不予更正", "Reject")}</button>
                                        </ActionForm>
                                    })}
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </section>
                <section class="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
                    <h2 class="mb-1 font-semibold">{tr("申诉理由", "Explanation")}</h2>
                    <p class="whitespace-pre-wrap text-sm" lang="zh" data-testid="explanation-text">{d.explanation.clone()}</p>
                    <h3 class="mt-3 text-sm font-semibold">{tr("证明材料", "Evidence")}</h3>
                    <ul class="text-sm" data-testid="evidence-list">
                        {d.files.iter().map(|f| view! {
                            <li><a class="text-emerald-700 underline" href=format!("/files/appeal/{}", f.token) target="_blank" rel="noopener" lang="zh">{f.name.clone()}</a>
                                <span class="text-xs text-slate-500">{format!(" {} · {}", f.mime, if f.size < 1024 { format!("{} B", f.size) } else { format!("{:.0} KB", f.size as f64 / 1024.0) })}</span></li>
                        }).collect_view()}
                    </ul>
                </section>
            </div>
            <aside class="space-y-3">
                {d.projection.clone().map(|p| view! {
                    <section class="rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-emerald-300" data-testid="projection">
                        <h2 class="font-semibold">{tr("按主张值测算（评价引擎）", "Projection of the claimed values (engine)")}</h2>
                        <p>{tr("现在：", "Now: ")}{p.current_class.map(|c| class_badge(c).into_any()).unwrap_or_else(|| view! { <span>"—"</span> }.into_any())}
                            {format!(" {}", p.current_score.map_or("—".into(), |v| format!("{v:.2}")))}</p>
                        {match p.error.clone() {
                            Some(e) => view! { <p class="text-red-700">{crate::pages::both(e.zh, e.en)}</p> }.into_any(),
                            None => view! { <p>{tr("若按主张更正：", "If corrected as claimed: ")}<span data-testid="projected-class">{p.claimed_class.map(|c| class_badge(c).into_any()).unwrap_or_else(|| view! { <span>{crate::pages::both(p.claimed_status.clone(), p.claimed_status_en.clone())}</span> }.into_any())}</span>
                                {format!(" {}", p.claimed_score.map_or("—".into(), |v| format!("{v:.2}")))}</p> }.into_any(),
                        }}
                    </section>
                })}
                {d.may_take.then(|| view! {
                    <ActionForm action=take>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" data-testid="take" class="w-full rounded bg-sky-700 px-3 py-2 text-white">{tr("受理（转各部门核实）", "Register for review")}</button>
                    </ActionForm>
                })}
                {d.may_withdraw.then(|| view! {
                    <ActionForm action=withdraw>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" data-testid="withdraw" class="w-full rounded border border-slate-400 px-3 py-2">{tr("撤回申诉", "Withdraw")}</button>
                    </ActionForm>
                })}
                <section class="rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200">
                    <h2 class="mb-1 font-semibold">{tr("办理进程", "Timeline")}</h2>
                    <ol class="space-y-1" data-testid="timeline">
                        {d.timeline.iter().map(|e| view! {
                            <li><span class="text-xs text-slate-500">{format!("{} {}", e.at, e.by)}</span><br />{crate::pages::both(e.note.clone(), e.note_en.clone())}</li>
                        }).collect_view()}
                    </ol>
                </section>
            </aside>
        </div>
    }
}

/// Where a contested item stands, in the page's language: the decision with
/// who and when, or waiting.
fn item_state(i: &shared::appeals::ItemView) -> impl Fn() -> String + Send + Sync + 'static {
    let (by, at) = (
        i.decided_by.clone().unwrap_or_default(),
        i.decided_at.clone().unwrap_or_default(),
    );
    let value = i.decided_value.clone().unwrap_or_default();
    let reason = i.reason.clone().unwrap_or_default();
    let (zh, en) = match i.status {
        shared::appeals::ItemStatus::Accepted => {
            let (w, w_en) = if reason.is_empty() {
                (String::new(), String::new())
            } else {
                (format!("：{reason}"), format!(": {reason}"))
            };
            (
                format!("已更正为 {value}（{by} {at}）{w}"),
                format!("Corrected to {value} ({by} {at}){w_en}"),
            )
        }
        shared::appeals::ItemStatus::Rejected => (
            format!("不予更正（{by} {at}）：{reason}"),
            format!("Not corrected ({by} {at}): {reason}"),
        ),
        shared::appeals::ItemStatus::Pending => ("待核实".into(), "Awaiting review".into()),
    };
    crate::pages::both(zh, en)
}
