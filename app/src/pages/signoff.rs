//! 核实上报: the year's sign-off matrix — every county and providing
//! department, whether it has confirmed the year's data, who and when
//! (Beijing time), what it confirmed and what it holds now, and what
//! reopened it. A county official or department clerk confirms its own
//! row; the administrator opens the publicity window once it is complete
//! (公示管理). The form works without WASM.

use crate::pages::{both, tr};
use crate::signoff::{get_signoffs, SignOff};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::signoff::{SignMatrix, SignRow, SignState};

#[component]
pub fn SignoffPage() -> impl IntoView {
    let query = use_query_map();
    let year = move || query.with(|m| m.get("year").and_then(|y| y.parse::<i32>().ok()));
    let sign = ServerAction::<SignOff>::new();
    let data = Resource::new(
        move || (year(), sign.version().get()),
        |(y, _)| get_signoffs(y),
    );
    let outcome = move || {
        sign.value().get().map(|r| match r {
            Ok(()) => tr("已确认。", "Confirmed.")().to_string(),
            Err(e) => crate::pages::error_text(&e)(),
        })
    };
    view! {
        <crate::pages::YearTabs current="signoff" />
        <h1 class="mb-1 text-xl font-semibold">{tr("核实上报", "Data sign-off")}</h1>
        <p class="mb-3 max-w-3xl text-sm text-slate-600">{tr(
            "公示前，各县（市、区）确认本地企业的数据，各数据提供部门确认本部门提供的指标（谁提供、谁核对、谁负责）。确认后如数据又有修改，该项确认自动失效，须重新确认。全部确认后方可开启公示。",
            "Before the results go on public notice, each county confirms its enterprises' data and each providing department the figures it provides. A change after a confirmation undoes it, to be confirmed again. The public notice opens once every row is confirmed.",
        )}</p>
        <p role="status" class="mb-2 text-sm" data-testid="signoff-outcome">{outcome}</p>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(m) => view! { <Matrix m=m sign=sign /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn state_class(s: SignState) -> &'static str {
    match s {
        SignState::Signed => "rounded bg-emerald-100 px-2 py-0.5 text-emerald-800",
        SignState::Reopened => "rounded bg-amber-100 px-2 py-0.5 text-amber-900",
        SignState::Open => "rounded bg-slate-100 px-2 py-0.5 text-slate-700",
    }
}

#[component]
fn Matrix(m: SignMatrix, sign: ServerAction<SignOff>) -> impl IntoView {
    let year = m.year;
    let done = m
        .rows
        .iter()
        .filter(|r| r.state == SignState::Signed)
        .count();
    let total = m.rows.len();
    let years = m
        .years
        .iter()
        .map(|&y| {
            let class = if y == year {
                "rounded-full bg-emerald-700 px-3 py-1 text-white"
            } else {
                "rounded-full bg-white px-3 py-1 ring-1 ring-slate-300"
            };
            view! { <A href=format!("/signoff?year={y}") attr:class=class>{both(format!("{y} 年度"), format!("{y}"))}</A> }
        })
        .collect_view();
    let published = m.published;
    let rows = m
        .rows
        .into_iter()
        .map(|r| view! { <Row r=r year=year published=published sign=sign /> })
        .collect_view();
    let summary = if m.published {
        both(
            format!("{year} 年度已开始公示，核实上报已结束。"),
            format!("{year} is on public notice; sign-off is over."),
        )
    } else if m.complete {
        both(
            format!("{year} 年度全部 {total} 项已确认，可以开启公示。"),
            format!("All {total} rows of {year} are confirmed: the public notice may open."),
        )
    } else {
        both(
            format!("{year} 年度已确认 {done} / {total} 项。"),
            format!("{done} of {total} rows of {year} confirmed."),
        )
    };
    view! {
        <nav class="mb-3 flex flex-wrap gap-2 text-sm" data-testid="signoff-years">{years}</nav>
        <p class="mb-2 font-semibold" data-testid="signoff-summary">{summary}</p>
        <div class="h-2 w-full max-w-md overflow-hidden rounded bg-slate-200" role="progressbar" aria-valuemin="0" aria-valuemax=total aria-valuenow=done>
            <div class="h-2 bg-emerald-600" style=format!("width:{}%", (done * 100).checked_div(total).unwrap_or(0))></div>
        </div>
        <div class="mt-3 overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table class="w-full min-w-[40rem] text-sm" data-testid="signoff-matrix">
                {crate::pages::table_head(&[("确认方", "Party"), ("状态", "State"), ("企业 / 数据项（现）", "Enterprises / values (now)"), ("确认时", "Confirmed"), ("确认人与时间（北京时间）", "By, at (Beijing time)"), ("", "")])}
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn Row(r: SignRow, year: i32, published: bool, sign: ServerAction<SignOff>) -> impl IntoView {
    let w = r.party.words();
    let st = r.state.words();
    let reopened = r.reopened.clone().map(|(at, by, why)| {
        view! { <span class="block text-xs text-amber-900">{both(format!("{at} "), format!("changed {at} by "))}<span lang="zh">{by}</span>{both("修改：".into(), ": ".into())}<span lang="zh">{both(why.zh.clone(), why.en.clone())}</span></span> }
    });
    let confirmed = r
        .signed_counts
        .map(|(a, b)| format!("{a} / {b}"))
        .unwrap_or_else(|| "—".into());
    let by = match (r.signed_by.clone(), r.signed_at.clone()) {
        (Some(b), Some(a)) => view! { <span lang="zh">{b}</span>{format!(" · {a}")} }.into_any(),
        _ => "—".into_any(),
    };
    let can = r.mine && !published;
    let again = r.state != SignState::Open;
    view! {
        <tr class="border-t border-slate-100" data-testid=format!("signoff-{}", r.party.code())>
            <td class="px-2 py-1">{both(w.zh.clone(), w.en.clone())}</td>
            <td class="px-2 py-1"><span class=state_class(r.state)>{both(st.zh.clone(), st.en.clone())}</span>{reopened}</td>
            <td class="px-2 py-1 tabular-nums">{format!("{} / {}", r.records, r.filled)}</td>
            <td class="px-2 py-1 tabular-nums">{confirmed}</td>
            <td class="px-2 py-1">{by}</td>
            <td class="px-2 py-1">
                {can.then(|| view! {
                    <ActionForm action=sign>
                        <input type="hidden" name="year" value=year />
                        <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-white" data-testid="signoff-confirm">
                            {if again { tr("重新确认", "Confirm again") } else { tr("确认数据无误", "Confirm the data") }}
                        </button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
