//! 差别化电价 (`/measures/electricity`): a county sets its surcharge for
//! D-class enterprises, reviews the list, publishes it for a window and
//! files it with the city; the city and the power units see every county's
//! state. `/disclosure/electricity/{year}` is the public side: the
//! published lists.

use crate::measures::{
    get_electricity_page, public_electricity, ExemptEnterprise, FileProcedure, Procedure,
    ProcedureState, PublishProcedure, SetSurcharge,
};
use crate::pages::measures::MeasuresTabs;
use crate::pages::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const INPUT: &str = "rounded border border-slate-300 bg-white px-2 py-1";
const BUTTON: &str =
    "rounded bg-emerald-700 px-3 py-1 text-white disabled:cursor-not-allowed disabled:opacity-50";

fn state_badge(s: ProcedureState) -> impl IntoView {
    let style = match s {
        ProcedureState::Filed => "bg-emerald-100 text-emerald-900",
        ProcedureState::Overdue => "bg-red-100 text-red-900",
        ProcedureState::InWindow | ProcedureState::Scheduled => "bg-amber-100 text-amber-900",
        ProcedureState::AwaitingFiling => "bg-sky-100 text-sky-900",
        ProcedureState::Draft | ProcedureState::NotStarted => "bg-slate-100 text-slate-700",
    };
    view! { <span class=format!("rounded px-2 py-0.5 text-xs font-semibold {style}") data-testid="procedure-state">{tr(s.zh(), s.en())}</span> }
}

/// A server action's refusal, next to its form; cleared by its next run.
pub(crate) fn refusal<S>(a: ServerAction<S>) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Output = (), Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    move || {
        a.value().get().and_then(|r| r.err()).map(|e| {
            view! { <p role="alert" class="text-sm text-red-700" data-testid="action-error">{crate::pages::error_text(&e)}</p> }
        })
    }
}

#[component]
pub fn ElectricityPage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.with(|m| m.get(k).filter(|v| !v.is_empty()));
    let surcharge = ServerAction::<SetSurcharge>::new();
    let exempt = ServerAction::<ExemptEnterprise>::new();
    let publish = ServerAction::<PublishProcedure>::new();
    let file = ServerAction::<FileProcedure>::new();
    let changed = move || {
        (
            surcharge.version().get(),
            exempt.version().get(),
            publish.version().get(),
            file.version().get(),
        )
    };
    let data = Resource::new(
        move || (q("year"), q("county"), changed()),
        |(year, county, _)| get_electricity_page(year.and_then(|y| y.parse().ok()), county),
    );
    view! {
        <MeasuresTabs current="electricity" />
        <h1 class="mb-1 text-xl font-semibold">{tr("D 类企业差别化电价", "Differentiated electricity prices for class D")}</h1>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">{tr(
            "依据嘉政办发〔2021〕5号：D 类企业电价在目录销售电价基础上每千瓦时加价不超过 0.50 元，具体幅度由各地确定。县（市、区）设定加价幅度、审核名单（取自年度公示版本的 D 类企业，可按规定说明理由不列入）、经政府审批后在执行前公示，并在公示结束 1 个月内报市经信局、市发展改革委、市财政局、嘉兴电力局备案。备案后不可修改。",
            "Under Jiazhengbanfa [2021] No. 5, class D enterprises pay at most 0.50 yuan/kWh above the catalogue price, the amount set by each county. The county sets it, reviews the list (the class D enterprises of the year's published version; exemptions need a reason), has it approved, publishes it before it applies, and files it with the city within one month of the window's end. A filed procedure cannot change.")}</p>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok((o, p)) => {
                        let year = o.year;
                        let many = o.county.is_none();
                        let chosen = p.as_ref().map(|p| p.county);
                        view! {
                            <form method="get" class="mb-4 flex flex-wrap items-end gap-2 text-sm">
                                <label class="flex flex-col">{tr("年度", "Year")}
                                    <select name="year" class=INPUT>
                                        {o.years.iter().map(|y| view! { <option value=y.to_string() selected=*y == year>{y.to_string()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <button class=BUTTON>{tr("查看", "Show")}</button>
                            </form>
                            {many.then(|| view! {
                                <section class="mb-4 overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
                                    <table class="min-w-full text-sm" data-testid="procedures">
                                        <thead class="bg-slate-100 text-left"><tr>
                                            <th class="px-2 py-1">{tr("县（市、区）", "County")}</th>
                                            <th class="px-2 py-1">{tr("状态", "State")}</th>
                                            <th class="px-2 py-1 text-right">{tr("加价（元/千瓦时）", "Surcharge (yuan/kWh)")}</th>
                                            <th class="px-2 py-1 text-right">{tr("列入 / D 类", "Listed / class D")}</th>
                                            <th class="px-2 py-1">{tr("公示截止", "Window ends")}</th>
                                            <th class="px-2 py-1">{tr("备案期限", "File by")}</th>
                                        </tr></thead>
                                        <tbody>{o.counties.iter().map(|c| {
                                            let current = chosen == Some(c.county);
                                            view! { <tr class=if current { "border-t border-slate-100 bg-emerald-50" } else { "border-t border-slate-100" }>
                                                <td class="px-2 py-1"><a class="text-emerald-700 underline" href=format!("/measures/electricity?year={year}&county={}", c.county)>{tr(c.county.zh(), c.county.en())}</a></td>
                                                <td class="px-2 py-1">{state_badge(c.state)}{c.filed_late.then(|| view! { <span class="ml-1 text-xs text-red-700">{tr("（逾期备案）", " (filed late)")}</span> })}</td>
                                                <td class="px-2 py-1 text-right tabular-nums">{if c.surcharge.is_empty() { "—".to_string() } else { c.surcharge.clone() }}</td>
                                                <td class="px-2 py-1 text-right tabular-nums">{format!("{} / {}", c.listed, c.d_class)}</td>
                                                <td class="px-2 py-1">{c.window_end.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td class="px-2 py-1">{c.due.clone().unwrap_or_else(|| "—".into())}</td>
                                            </tr> }
                                        }).collect_view()}</tbody>
                                    </table>
                                </section>
                            })}
                            {match p {
                                Some(p) => view! { <ProcedureView p=p surcharge=surcharge exempt=exempt publish=publish file=file /> }.into_any(),
                                None => view! { <p class="text-sm text-slate-600">{tr("选择一个县（市、区）查看其名单和程序。", "Choose a county to see its list and procedure.")}</p> }.into_any(),
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn ProcedureView(
    p: Procedure,
    surcharge: ServerAction<SetSurcharge>,
    exempt: ServerAction<ExemptEnterprise>,
    publish: ServerAction<PublishProcedure>,
    file: ServerAction<FileProcedure>,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let zh = move || i18n.get_locale() == crate::i18n::Locale::zh;
    let (year, place) = (p.year, p.county);
    let county = place.code().to_string();
    let preparing =
        p.editable && matches!(p.state, ProcedureState::NotStarted | ProcedureState::Draft);
    let filing = p.editable
        && matches!(
            p.state,
            ProcedureState::AwaitingFiling | ProcedureState::Overdue
        );
    let listed = p.rows.iter().filter(|r| r.exempt.is_none()).count();
    let d_total = p.rows.len();
    let set = p.surcharge.clone();
    let unset = set.is_empty();
    let today = p.today.clone();
    let c2 = county.clone();
    let c3 = county.clone();
    let c4 = county.clone();
    let version = p.version;
    view! {
        <section class="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="procedure">
            <h2 class="mb-2 flex flex-wrap items-center gap-2 font-semibold">{tr(place.zh(), place.en())}{move || if zh() { format!(" {year} 年度") } else { format!(" {year}") }}{state_badge(p.state)}</h2>
            <dl class="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
                <dt class="text-slate-500">{tr("加价幅度", "Surcharge")}</dt>
                <dd data-testid="procedure-surcharge">{if p.surcharge.is_empty() { tr("未设定", "not set")().to_string() } else { p.surcharge.clone() }}{(!p.surcharge.is_empty()).then(|| tr(" 元/千瓦时", " yuan/kWh"))}</dd>
                <dt class="text-slate-500">{tr("名单来源", "List from")}</dt>
                <dd>{move || match version { Some(v) => if zh() { format!("{year} 年度公示第 {v} 版的 D 类企业") } else { format!("class D of version {v} of the {year} publication") }, None => tr("年度结果尚未公示", "not yet published")().to_string() }}</dd>
                <dt class="text-slate-500">{tr("列入名单", "Listed")}</dt>
                <dd>{move || if zh() { format!("{listed} 家（D 类共 {d_total} 家）") } else { format!("{listed} of {d_total} class D") }}</dd>
                {p.window_start.clone().map(|s| view! {
                    <dt class="text-slate-500">{tr("公示期", "Window")}</dt>
                    <dd>{format!("{s} — {}", p.window_end.clone().unwrap_or_default())}</dd>
                    <dt class="text-slate-500">{tr("批准文件", "Approved by")}</dt>
                    <dd lang="zh">{p.approval.clone()}</dd>
                    <dt class="text-slate-500">{tr("备案期限", "File by")}</dt>
                    <dd>{p.due.clone().unwrap_or_default()}</dd>
                })}
                {p.filed_at.clone().map(|f| view! {
                    <dt class="text-slate-500">{tr("已备案", "Filed")}</dt>
                    <dd data-testid="procedure-filed">{format!("{f}（{}）", p.filing_no)}{p.filed_late.then(|| tr("，逾期备案", ", late"))}</dd>
                })}
                {p.updated_at.clone().map(|u| view! {
                    <dt class="text-slate-500">{tr("最近修改（北京时间）", "Last change (Beijing time)")}</dt>
                    <dd>{format!("{u} · {}", p.updated_by)}</dd>
                })}
            </dl>
            {preparing.then(|| view! {
                <div class="mt-3 grid gap-3 md:grid-cols-2">
                    <ActionForm action=surcharge attr:class="space-y-1 rounded bg-slate-50 p-3 text-sm" attr:data-testid="surcharge-form">
                        <input type="hidden" name="year" value=year />
                        <input type="hidden" name="county" value=c2.clone() />
                        <label class="block">{tr("加价幅度（元/千瓦时，0 至 0.50）", "Surcharge (yuan/kWh, 0 to 0.50)")}
                            <input name="surcharge" inputmode="decimal" class=format!("{INPUT} block w-full") value=set.clone() required data-testid="surcharge-input" /></label>
                        <button class=BUTTON>{tr("保存加价幅度", "Save the surcharge")}</button>
                        {refusal(surcharge)}
                    </ActionForm>
                    <ActionForm action=publish attr:class="space-y-1 rounded bg-slate-50 p-3 text-sm" attr:data-testid="publish-form">
                        <input type="hidden" name="year" value=year />
                        <input type="hidden" name="county" value=c3.clone() />
                        <div class="flex flex-wrap gap-2">
                            <label class="flex flex-col">{tr("公示开始", "Window opens")}<input type="date" name="start" class=INPUT value=today.clone() required /></label>
                            <label class="flex flex-col">{tr("公示结束", "Window closes")}<input type="date" name="end" class=INPUT required data-testid="publish-end" /></label>
                        </div>
                        <label class="block">{tr("批准文件（政府审批文号）", "Approval (government document number)")}
                            <input name="approval" class=format!("{INPUT} block w-full") required data-testid="publish-approval" /></label>
                        <button class=BUTTON disabled=unset title=move || if unset { tr("请先设定加价幅度", "Set the surcharge first")().to_string() } else { String::new() }>{tr("公示名单", "Publish the list")}</button>
                        {refusal(publish)}
                    </ActionForm>
                </div>
            })}
            {filing.then(|| view! {
                <ActionForm action=file attr:class="mt-3 space-y-1 rounded bg-sky-50 p-3 text-sm" attr:data-testid="file-form">
                    <input type="hidden" name="year" value=year />
                    <input type="hidden" name="county" value=c4.clone() />
                    <label class="block">{tr("备案文号或回执编号", "Filing number or receipt")}
                        <input name="filing_no" class=format!("{INPUT} block w-full") required data-testid="filing-no" /></label>
                    <button class=BUTTON data-testid="file-button">{tr("报市里备案", "File with the city")}</button>
                    {refusal(file)}
                </ActionForm>
            })}
        </section>
        <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table class="min-w-full text-sm" data-testid="procedure-list">
                <thead class="bg-slate-100 text-left"><tr>
                    <th class="px-2 py-1">{tr("企业", "Enterprise")}</th>
                    <th class="px-2 py-1">{tr("名单", "On the list")}</th>
                    {preparing.then(|| view! { <th class="px-2 py-1">{tr("不列入（须说明理由）", "Exempt (with a reason)")}</th> })}
                </tr></thead>
                <tbody>{p.rows.into_iter().map(|r| {
                    let county = county.clone();
                    let on = r.exempt.is_none();
                    view! { <tr class="border-t border-slate-100">
                        <td class="px-2 py-1">{r.name.clone()}<div class="font-mono text-xs text-slate-500">{r.uscc.clone()}</div></td>
                        <td class="px-2 py-1">{match r.exempt.clone() {
                            None => view! { <span class="text-red-800">{tr("执行加价", "Surcharged")}</span> }.into_any(),
                            Some(why) => view! { <span class="text-slate-600">{tr("不列入：", "Exempt: ")}{why}</span> }.into_any(),
                        }}</td>
                        {preparing.then(|| view! { <td class="px-2 py-1">
                            <ActionForm action=exempt attr:class="flex flex-wrap gap-1">
                                <input type="hidden" name="year" value=year />
                                <input type="hidden" name="county" value=county.clone() />
                                <input type="hidden" name="uscc" value=r.uscc.clone() />
                                {if on {
                                    view! {
                                        <input name="reason" class=INPUT required placeholder=tr("理由，如：重点民生保障生产企业", "Reason, e.g. essential supplies") />
                                        <button class="rounded bg-slate-600 px-2 py-1 text-white">{tr("不列入", "Exempt")}</button>
                                    }.into_any()
                                } else {
                                    view! { <button class="rounded bg-slate-600 px-2 py-1 text-white">{tr("恢复列入", "Put back")}</button> }.into_any()
                                }}
                            </ActionForm>
                        </td> })}
                    </tr> }
                }).collect_view()}</tbody>
            </table>
        </div>
        {preparing.then(|| refusal(exempt))}
    }
}

/// `/disclosure/electricity/{year}`: the published lists, by county.
#[component]
pub fn PublicElectricityPage() -> impl IntoView {
    let year = crate::pages::year_param();
    let data = Resource::new(year, public_electricity);
    view! {
        <Suspense fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                let y = year();
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(list) => view! {
                        <h1 class="mb-1 text-xl font-semibold">{move || format!("{y} {}", tr("年度 D 类企业差别化电价公示", "differentiated electricity prices for class D enterprises")())}</h1>
                        <p class="mb-4 max-w-3xl text-sm text-slate-600">{tr(
                            "依据嘉政办发〔2021〕5号，对绩效综合评价为 D 类的企业，在目录销售电价基础上每千瓦时加价，幅度由各县（市、区）确定，最高 0.50 元，执行前公示。",
                            "Under Jiazhengbanfa [2021] No. 5, class D enterprises pay a surcharge per kWh set by each county (at most 0.50 yuan), published before it applies.")}</p>
                        {list.is_empty().then(|| view! { <p class="text-slate-600">{tr("本年度尚无县（市、区）公示差别化电价名单。", "No county has published its list for this year yet.")}</p> })}
                        <div class="space-y-4" data-testid="public-procedures">
                            {list.into_iter().map(|p| view! {
                                <section class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                                    <h2 class="mb-1 flex flex-wrap items-center gap-2 font-semibold">{tr(p.county.zh(), p.county.en())}{state_badge(p.state)}</h2>
                                    <p class="text-sm">{tr("加价幅度：", "Surcharge: ")}<strong>{p.surcharge.clone()}</strong>{tr(" 元/千瓦时", " yuan/kWh")}
                                        " · "{tr("公示期：", "Window: ")}{format!("{} — {}", p.window_start.clone().unwrap_or_default(), p.window_end.clone().unwrap_or_default())}
                                        " · "{tr("批准文件：", "Approved by: ")}<span lang="zh">{p.approval.clone()}</span></p>
                                    <ul class="mt-2 grid gap-1 text-sm sm:grid-cols-2">
                                        {p.rows.iter().map(|r| view! {
                                            <li><a class="text-emerald-700 underline" href=format!("/disclosure/enterprise/{}", r.uscc)>{r.name.clone()}</a>" "<span class="font-mono text-xs text-slate-500">{r.uscc.clone()}</span></li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }).collect_view()}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
