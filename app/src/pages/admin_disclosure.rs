//! 公示管理 (city administrator): open a year's publicity window, finalize
//! it once the window has closed, publish corrections. The forms work
//! without WASM too.

use crate::disclosure::{
    admin_disclosures, AdminYear, FinalizeDisclosure, OpenDisclosure, PublishCorrection,
};
use crate::pages::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AdminDisclosurePage() -> impl IntoView {
    let open = ServerAction::<OpenDisclosure>::new();
    let finalize = ServerAction::<FinalizeDisclosure>::new();
    let correct = ServerAction::<PublishCorrection>::new();
    let years = Resource::new(
        move || {
            (
                open.version().get(),
                finalize.version().get(),
                correct.version().get(),
            )
        },
        |_| admin_disclosures(),
    );
    let error = move || {
        [
            open.value().get().and_then(|r| r.err()),
            finalize.value().get().and_then(|r| r.err()),
            correct.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .map(|e| e.to_string())
        .next()
    };
    let reopen = ServerAction::<crate::appeals::ReopenAppeal>::new();
    let reopened = move || {
        reopen.value().get().map(|r| match r {
            Ok(()) => tr(
                "已重新开放：该企业可就该年度再提出一次申诉。",
                "Reopened: the enterprise may file one more appeal for that year.",
            )()
            .to_string(),
            Err(e) => e.to_string(),
        })
    };
    view! {
        <crate::pages::YearTabs current="disclosure" />
        <h1 class="mb-3 text-xl font-semibold">{tr("公示管理", "Publication")}</h1>
        <ActionForm action=reopen attr:class="mb-4 flex flex-wrap items-end gap-2 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200" attr:data-testid="reopen-form">
            <span class="w-full font-semibold">{tr("为单个企业重新开放申诉（公示期后或已确认）", "Reopen the appeal for one enterprise (after the window, or after it confirmed)")}</span>
            <label>{tr("统一社会信用代码", "USCC")}<input name="uscc" required class="ml-1 rounded border border-slate-300 px-2 py-1 font-mono" /></label>
            <label>{tr("年度", "Year")}<input name="year" required inputmode="numeric" class="ml-1 w-20 rounded border border-slate-300 px-2 py-1" /></label>
            <button type="submit" class="rounded bg-amber-600 px-3 py-1 text-white">{tr("重新开放", "Reopen")}</button>
            <span role="status" data-testid="reopen-result">{reopened}</span>
        </ActionForm>
        <p role="alert" class="mb-2 text-sm text-red-700" data-testid="disclosure-error">{error}</p>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match years.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|y| view! { <YearCard y=y open=open finalize=finalize correct=correct /> }).collect_view().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn YearCard(
    y: AdminYear,
    open: ServerAction<OpenDisclosure>,
    finalize: ServerAction<FinalizeDisclosure>,
    correct: ServerAction<PublishCorrection>,
) -> impl IntoView {
    let year = y.year;
    let input = "mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm";
    let signoff_line = if y.signed_off {
        tr(
            "核实上报已全部确认。",
            "Every county and department has confirmed the data.",
        )()
        .to_string()
    } else {
        crate::pages::both(
            format!(
                "核实上报尚未完成：{} 未确认。",
                y.unsigned
                    .iter()
                    .map(|w| w.zh.clone())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            format!(
                "Sign-off incomplete: {} not confirmed.",
                y.unsigned
                    .iter()
                    .map(|w| w.en.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )()
    };
    let body = match y.publication {
        None => view! {
            <p class="text-sm text-slate-600">{tr("尚未公示。填写后开启公示期：公示名单在此刻冻结，之后的修改须以更正公告发布。", "Not published. Opening the window freezes the list; later changes are published as corrections.")}</p>
            <ActionForm action=open attr:class="mt-2 grid gap-2 sm:grid-cols-2" attr:data-testid=format!("open-{year}")>
                <input type="hidden" name="form[year]" value=year />
                <label class="text-sm">{tr("公示开始日期", "Window opens")}<input type="date" name="form[start]" required class=input /></label>
                <label class="text-sm">{tr("公示结束日期", "Window closes")}<input type="date" name="form[end]" required class=input /></label>
                <label class="text-sm">{tr("联系电话", "Phone")}<input name="form[phone]" required class=input /></label>
                <label class="text-sm">{tr("联系地址", "Address")}<input name="form[address]" required class=input /></label>
                <label class="text-sm sm:col-span-2">{tr("公示说明", "Notice")}<textarea name="form[notice]" required rows="3" class=input></textarea></label>
                <label class="text-sm sm:col-span-2">{tr("异议方式", "How to object")}<textarea name="form[objection]" required rows="2" class=input></textarea></label>
                <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="form[show_scores]" value="true" />{tr("同时公布得分", "Publish scores too")}</label>
                <p class="text-sm sm:col-span-2" data-testid=format!("signoff-state-{year}")>
                    {signoff_line}
                    " "<A href=format!("/signoff?year={year}") attr:class="text-emerald-800 underline">{tr("查看核实上报", "See the sign-off")}</A>
                </p>
                {(!y.signed_off).then(|| view! {
                    <label class="text-sm sm:col-span-2">{tr("未全部确认即开启公示的理由（将记入审计日志）", "Why open before every row is confirmed (kept in the audit trail)")}<input name="form[override_reason]" class=input /></label>
                })}
                <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-white sm:col-span-2">{tr("开启公示", "Open the window")}</button>
            </ActionForm>
        }.into_any(),
        Some(n) => {
            let window = n.status == crate::disclosure::PublicationStatus::Window;
            view! {
                <p class="text-sm">
                    {if window { tr("公示中", "Open") } else { tr("已定档", "Final") }}
                    " · "{n.window_start.clone()}" — "{n.window_end.clone()}
                    " · "<A href=format!("/disclosure/{year}") attr:class="text-emerald-800 underline">{tr("查看公示页", "Public page")}</A>
                    " · "<A href=format!("/admin/reports/{year}") attr:class="text-emerald-800 underline">{tr("年度分析报告（内部版）", "Annual report (internal)")}</A>
                </p>
                <ul class="mt-1 text-xs text-slate-600">
                    {n.versions.iter().map(|v| { let kind = crate::pages::disclosure::kind_label(&v.kind); view! { <li>{format!("v{} ", v.version)}{kind}{format!(" {} · ", v.published_at)}{crate::pages::said(v.note.clone(), v.note_en.clone())}</li> } }).collect_view()}
                </ul>
                <p class="mt-2 text-sm" data-testid=format!("pending-{year}")>{tr("与最新公布版本相比，等次或状态有变化的企业：", "Enterprises whose class or status differs from the latest version: ")}{y.pending_changes}</p>
                {window.then(|| { let end = n.window_end.clone(); view! {
                    <ActionForm action=finalize attr:class="mt-2 flex flex-wrap items-center gap-2">
                        <input type="hidden" name="year" value=year />
                        <button type="submit" class="rounded bg-slate-700 px-3 py-1 text-sm text-white disabled:cursor-not-allowed disabled:opacity-50" disabled=!y.may_finalize data-testid=format!("finalize-{year}")>{tr("公示期结束，定档", "Finalize")}</button>
                        {(!y.may_finalize).then(|| view! { <span class="text-xs text-slate-600" data-testid=format!("finalize-why-{year}")>{crate::pages::both(format!("公示期至 {end} 结束，结束后方可定档"), format!("Can be finalized once the window closes on {end}"))}</span> })}
                    </ActionForm>
                } })}
                <ActionForm action=correct attr:class="mt-2 flex flex-wrap items-end gap-2" attr:data-testid=format!("correct-{year}")>
                    <input type="hidden" name="year" value=year />
                    <label class="grow text-sm">{tr("更正说明", "What was corrected, and why")}<input name="note" required class=input /></label>
                    <button type="submit" class="rounded bg-sky-700 px-3 py-1 text-sm text-white disabled:cursor-not-allowed disabled:opacity-50" disabled=y.pending_changes == 0>{tr("发布更正", "Publish a correction")}</button>
                    {(y.pending_changes == 0).then(|| view! { <span class="text-xs text-slate-600">{tr("与最新公布版本相比没有变化，无需更正", "Nothing differs from the latest version: no correction to publish")}</span> })}
                </ActionForm>
            }.into_any()
        }
    };
    view! {
        <section class="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid=format!("year-{year}")>
            <h2 class="font-semibold">{format!("{year} ")}{tr("年度", "")}</h2>
            {body}
        </section>
    }
}
