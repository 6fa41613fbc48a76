//! 公示: the public pages a citizen, a journalist or a bank uses — the
//! publications, one publication's notice with its class distributions and
//! a searchable list, an enterprise's card across years, the correction
//! notices. Everything here is read from the published versions, never
//! the working state; no login.

use crate::disclosure::{
    public_corrections, public_lookup, publication_page, publications, Distribution, Found, Notice,
    PublicQuery, PublicRow, PublicationStatus, PUBLIC_PER_PAGE,
};
use crate::pages::charts::{BarRow, ClassBars};
use crate::pages::{class_badge, enum_select, tr};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// 公示中 / 已定档.
fn state_label(
    status: PublicationStatus,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(status.zh(), status.en())
}

/// The badge colour of a publication's state.
fn state_class(status: PublicationStatus) -> &'static str {
    match status {
        PublicationStatus::Window => "rounded bg-amber-100 px-2 text-amber-900",
        PublicationStatus::Final => "rounded bg-slate-100 px-2",
    }
}

pub(crate) fn kind_label(kind: &str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    match kind {
        "publicity" => tr("公示", "Publication"),
        "final" => tr("定档", "Final"),
        _ => tr("更正", "Correction"),
    }
}

pub(crate) fn county_name(code: &str) -> impl Fn() -> String + Send + Sync + 'static {
    let c = grading::County::parse(code);
    let raw = code.to_string();
    let f = c.map(|c| tr(c.zh(), c.en()));
    move || f.map_or(raw.clone(), |f| f().to_string())
}

fn status_name(s: grading::Status) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(s.zh(), s.en())
}

/// `/disclosure`: every publication, and a search across them.
#[component]
pub fn DisclosureListPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| publications());
    view! {
        <h1 class="mb-1 text-xl font-semibold">{tr("企业绩效综合评价结果公示", "Published evaluation results")}</h1>
        <p class="mb-4 text-sm text-slate-600">{tr(
            "依据嘉政办发〔2021〕5号“建立纠偏与公示机制”，公示各年度工业企业绩效综合评价等次，接受社会监督；公示后的更正以更正公告发布，历次版本均可查阅。",
            "Each year's enterprise classes are published for public scrutiny (Jiazhengbanfa [2021] No. 5); corrections are published as numbered correction notices, and every version stays readable.",
        )}</p>
        <Suspense fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(l) if l.is_empty() => view! { <p class="text-slate-500">{tr("尚无公示。", "Nothing published yet.")}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="grid gap-3 sm:grid-cols-2" data-testid="publications">
                            {l.into_iter().map(|p| {
                                let state = state_label(p.status);
                                view! {
                                    <li class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                                        <A href=format!("/disclosure/{}", p.year) attr:class="text-lg font-semibold text-emerald-800 underline">
                                            {format!("{} ", p.year)}{tr("年度评价结果", "results")}
                                        </A>
                                        <div class="mt-1 flex flex-wrap gap-2 text-sm">
                                            <span class=state_class(p.status)>{state}</span>
                                            {(p.corrections > 0).then(|| view! { <span class="rounded bg-sky-100 px-2 text-sky-900">{tr("有更正", "Corrected")}" "{p.corrections}</span> })}
                                        </div>
                                        <p class="mt-1 text-sm text-slate-600">{tr("公示期", "Window")}" "{p.window_start}" — "{p.window_end}" · "{tr("第", "v")}{p.latest_version}{tr(" 版", "")}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
        <h2 class="mt-6 mb-2 font-semibold">{tr("查询企业", "Find an enterprise")}</h2>
        <CardSearch />
    }
}

/// Goes to an enterprise's card by its USCC, or lists the enterprises
/// whose name holds the text (a plain GET form).
#[component]
fn CardSearch() -> impl IntoView {
    view! {
        <form method="GET" action="/disclosure/enterprise" class="flex flex-wrap gap-2" data-testid="card-search">
            <input name="uscc" required placeholder=tr("企业名称或统一社会信用代码", "Name or USCC") aria-label="search" class="w-64 rounded border border-slate-300 px-2 py-1 text-sm" />
            <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-sm text-white">{tr("查询", "Look up")}</button>
        </form>
    }
}

fn query_from(map: &leptos_router::params::ParamsMap) -> PublicQuery {
    let get = |k: &str| map.get(k).filter(|v| !v.is_empty());
    PublicQuery {
        version: get("version").and_then(|v| v.parse().ok()),
        q: get("q"),
        county: get("county"),
        industry: get("industry"),
        scale: get("scale"),
        class: get("class"),
        page: get("page").and_then(|v| v.parse().ok()),
    }
}

/// The list's search and filters as URL query pairs (the page number
/// left to the caller).
fn filter_pairs(q: &PublicQuery) -> Vec<(&'static str, String)> {
    [
        ("version", q.version.map(|v| v.to_string())),
        ("q", q.q.clone()),
        ("county", q.county.clone()),
        ("industry", q.industry.clone()),
        ("scale", q.scale.clone()),
        ("class", q.class.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k, v.filter(|v| !v.is_empty())?)))
    .collect()
}

fn encoded(pairs: &[(&'static str, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

fn page_href(year: i32, q: &PublicQuery, page: u64) -> String {
    let mut pairs = vec![("page", page.to_string())];
    pairs.extend(filter_pairs(q));
    format!("/disclosure/{year}?{}#results", encoded(&pairs))
}

fn year_param() -> impl Fn() -> i32 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .get()
            .get("year")
            .and_then(|y| y.parse().ok())
            .unwrap_or_default()
    }
}

/// `/disclosure/:year`: a publication.
#[component]
pub fn PublicationPage() -> impl IntoView {
    let year = year_param();
    let query = use_query_map();
    let page = Resource::new(
        move || (year(), query_from(&query.get())),
        |(y, q)| publication_page(y, q),
    );
    view! {
        <Suspense fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(p) => {
                        let q = query_from(&query.get_untracked());
                        let y = p.notice.year;
                        view! {
                            <NoticeBox notice=p.notice.clone() shown=p.version />
                            // min-w-0: a chart scrolls inside its box on a
                            // phone instead of widening the page.
                            <section class="mt-6 grid gap-4 lg:grid-cols-2">
                                <div class="min-w-0">
                                    <h2 class="mb-2 font-semibold">{tr("各县（市、区）等次分布", "Classes by county")}</h2>
                                    <Bars dist=p.by_county.clone() county=true />
                                </div>
                                <div class="min-w-0">
                                    <h2 class="mb-2 font-semibold">{tr("各行业（规下合并）等次分布", "Classes by cohort")}</h2>
                                    <Bars dist=p.by_cohort.clone() county=false />
                                </div>
                            </section>
                            <h2 class="mt-6 mb-2 scroll-mt-4 font-semibold" id="results">{tr("公示名单", "The list")}</h2>
                            <Filters year=y q=q.clone() />
                            <Downloads year=y version=p.version q=q.clone() />
                            <PublicTable rows=p.rows.clone() show_scores=p.notice.show_scores />
                            <p class="mt-2 text-sm text-slate-500" data-testid="total">{move || format!("{} {} · {} {}/{}", p.total, tr("家", "enterprises")(), tr("第", "page")(), p.page, p.pages)}</p>
                            <nav class="mt-2 flex gap-3 text-sm">
                                {(p.page > 1).then(|| view! { <A href=page_href(y, &q, p.page - 1) attr:class="text-emerald-700 underline">{tr("上一页", "Previous")}</A> })}
                                {(p.page < p.pages).then(|| view! { <A href=page_href(y, &q, p.page + 1) attr:class="text-emerald-700 underline">{tr("下一页", "Next")}</A> })}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoticeBox(notice: Notice, shown: i32) -> impl IntoView {
    let year = notice.year;
    let state = state_label(notice.status);
    let latest = notice.versions.last().map_or(shown, |v| v.version);
    let corrections = notice
        .versions
        .iter()
        .filter(|v| v.kind == "correction")
        .count();
    view! {
        <article class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 print:shadow-none" data-testid="notice">
            <h1 class="text-xl font-semibold">{format!("{year} ")}{tr("年度工业企业绩效综合评价结果公示", "industrial enterprise evaluation: published results")}</h1>
            <p class="mt-1 text-sm">
                <span class=state_class(notice.status)>{state}</span>
                " "{tr("公示期", "Window")}" "{notice.window_start.clone()}" — "{notice.window_end.clone()}
            </p>
            <p class="mt-3 whitespace-pre-line text-slate-800" lang="zh">{notice.notice.clone()}</p>
            <p class="mt-3 text-sm"><strong>{tr("异议方式：", "How to object: ")}</strong><span lang="zh">{notice.objection.clone()}</span></p>
            <p class="mt-1 text-sm text-slate-600">{tr("联系电话：", "Phone: ")}<span lang="zh">{notice.contact_phone.clone()}</span>" · "{tr("联系地址：", "Address: ")}<span lang="zh">{notice.contact_address.clone()}</span></p>
            <div class="mt-3 flex flex-wrap items-center gap-2 text-sm" data-testid="versions">
                <span class="text-slate-500">{tr("版本：", "Versions: ")}</span>
                {notice.versions.clone().into_iter().map(|v| {
                    let kind = kind_label(&v.kind);
                    let current = v.version == shown;
                    view! {
                        <A href=format!("/disclosure/{year}?version={}", v.version)
                            attr:class=if current { "rounded bg-emerald-700 px-2 text-white" } else { "rounded bg-slate-100 px-2 text-slate-700 underline" }>
                            {format!("v{} ", v.version)}{kind}{format!(" {}", v.published_at)}
                        </A>
                    }
                }).collect_view()}
                {(corrections > 0).then(|| view! { <A href=format!("/disclosure/{year}/corrections") attr:class="text-sky-800 underline">{tr("查看更正公告", "Correction notices")}</A> })}
                <a href=format!("/reports/{year}") class="text-sky-800 underline" data-testid="report-link">{tr("年度分析报告", "Annual analysis report")}</a>
                <A href=format!("/disclosure/leaders/{year}") attr:class="text-sky-800 underline">{tr("行业“领跑者”", "Industry leaders")}</A>
                <A href=format!("/disclosure/electricity/{year}") attr:class="text-sky-800 underline">{tr("D 类企业差别化电价公示", "D-class electricity surcharges")}</A>
            </div>
            {(shown != latest).then(|| view! { <p class="mt-2 rounded bg-amber-50 p-2 text-sm text-amber-900" role="note">{tr("您查看的是历史版本；最新版本为第 ", "You are reading an earlier version; the latest is v")}{latest}{tr(" 版。", ".")}</p> })}
        </article>
    }
}

#[component]
fn Bars(dist: Vec<Distribution>, county: bool) -> impl IntoView {
    let rows: Vec<BarRow> = dist
        .iter()
        .map(|d| {
            let (zh, en) = if county {
                grading::County::parse(&d.key).map_or((d.key.clone(), d.key.clone()), |c| {
                    (c.zh().into(), c.en().into())
                })
            } else if d.key == "below" {
                ("规下企业".into(), "Below-size".into())
            } else {
                grading::Industry::parse(&d.key).map_or((d.key.clone(), d.key.clone()), |c| {
                    (c.zh().into(), c.en().into())
                })
            };
            BarRow {
                zh,
                en,
                classes: d.classes,
            }
        })
        .collect();
    view! { <ClassBars rows=rows label=if county { "classes by county" } else { "classes by cohort" } /> }
}

#[component]
fn Filters(year: i32, q: PublicQuery) -> impl IntoView {
    let sel = "rounded border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        // A plain form, so the browser keeps the results' anchor: a search
        // lands on the list, not on the notice above it.
        <form method="GET" action=format!("/disclosure/{year}#results") class="mb-3 flex flex-wrap items-end gap-2" data-testid="public-filters">
            {q.version.map(|v| view! { <input type="hidden" name="version" value=v /> })}
            <input name="q" value=q.q.clone().unwrap_or_default() placeholder=tr("企业名称或统一社会信用代码", "Name or USCC") aria-label="search" class=format!("{sel} w-full sm:w-64") />
            {enum_select("county", ("全部县（市、区）", "All counties"), grading::County::ALL.iter().map(|c| (c.code(), c.zh(), c.en())), &q.county)}
            {enum_select("industry", ("全部行业", "All industries"), grading::Industry::ALL.iter().map(|c| (c.code(), c.zh(), c.en())), &q.industry)}
            {enum_select("scale", ("规上和规下", "All sizes"), grading::Scale::ALL.iter().map(|c| (c.code(), c.zh(), c.en())), &q.scale)}
            {enum_select("class", ("全部等次", "All classes"), grading::Class::ALL.iter().map(|c| (c.code(), c.zh(), c.en())), &q.class)}
            <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-sm text-white">{tr("查询", "Search")}</button>
        </form>
    }
}

/// The list as shown (its version, search and filters) as a file with
/// headers and names in the page's language; the API keeps the codes.
#[component]
fn Downloads(year: i32, version: i32, q: PublicQuery) -> impl IntoView {
    let link = "rounded border border-emerald-600 px-2 py-0.5 text-emerald-800 hover:bg-emerald-50";
    let zh = crate::pages::is_zh();
    let mut q = q;
    q.version = Some(version);
    let mut pairs = filter_pairs(&q);
    let in_zh = encoded(&pairs);
    pairs.push(("lang", "en".into()));
    let in_en = encoded(&pairs);
    let href = move |file: &'static str| {
        let (in_zh, in_en) = (in_zh.clone(), in_en.clone());
        move || {
            format!(
                "/disclosure/{year}/download/{file}?{}",
                if zh() { &in_zh } else { &in_en }
            )
        }
    };
    let filtered = [&q.q, &q.county, &q.industry, &q.scale, &q.class]
        .iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.is_empty()));
    view! {
        <div class="mb-3 flex flex-wrap items-center gap-2 text-sm" data-testid="public-downloads">
            <span class="text-slate-500">{if filtered { tr("下载查询结果", "Download these results") } else { tr("下载本版本名单", "Download this version") }}</span>
            <a class=link href=href("list.xlsx") download data-testid="download-xlsx">"Excel"</a>
            <a class=link href=href("list.csv") download data-testid="download-csv">"CSV"</a>
            <a class="text-slate-500 underline" href="/api/v1/docs">{tr("开放数据接口", "Open data API")}</a>
        </div>
    }
}

#[component]
fn PublicTable(rows: Vec<PublicRow>, show_scores: bool) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|r| {
            let county = tr(r.county.zh(), r.county.en());
            let industry = tr(r.industry.zh(), r.industry.en());
            let scale = tr(r.scale.zh(), r.scale.en());
            let status = status_name(r.status);
            view! {
                <tr class="border-t border-slate-200" data-uscc=r.uscc.clone()>
                    <td class="px-2 py-1"><A href=format!("/disclosure/enterprise/{}", r.uscc)>{r.name.clone()}</A>
                        <div class="font-mono text-xs text-slate-500 md:hidden">{r.uscc.clone()}</div></td>
                    <td class="hidden px-2 py-1 font-mono text-xs md:table-cell">{r.uscc.clone()}</td>
                    <td class="hidden px-2 py-1 sm:table-cell">{county}</td>
                    <td class="hidden px-2 py-1 lg:table-cell">{industry}</td>
                    <td class="hidden px-2 py-1 lg:table-cell">{scale}</td>
                    {show_scores.then(|| view! { <td class="px-2 py-1 text-right tabular-nums">{r.score.map(|s| format!("{s:.2}"))}</td> })}
                    <td class="px-2 py-1" data-testid="public-class">{match r.class { Some(c) if r.status == grading::Status::Graded => class_badge(c).into_any(), _ => view! { <span class="text-xs text-slate-500">{status}</span> }.into_any() }}</td>
                    <td class="hidden px-2 py-1 text-right text-xs text-slate-500 sm:table-cell">{format!("v{}", r.version)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table class="min-w-full text-sm" data-testid="public-list">
                <thead class="bg-slate-100 text-left">
                    <tr>
                        <th class="px-2 py-2">{tr("企业名称", "Name")}</th>
                        <th class="hidden px-2 py-2 md:table-cell">{tr("统一社会信用代码", "USCC")}</th>
                        <th class="hidden px-2 py-2 sm:table-cell">{tr("县（市、区）", "County")}</th>
                        <th class="hidden px-2 py-2 lg:table-cell">{tr("行业", "Industry")}</th>
                        <th class="hidden px-2 py-2 lg:table-cell">{tr("规模", "Size")}</th>
                        {show_scores.then(|| view! { <th class="px-2 py-2 text-right">{tr("得分", "Score")}</th> })}
                        <th class="px-2 py-2">{tr("等次", "Class")}</th>
                        <th class="hidden px-2 py-2 text-right sm:table-cell">{tr("版本", "Version")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// `/disclosure/:year/corrections`: the correction notices (更正公告).
#[component]
pub fn CorrectionsPage() -> impl IntoView {
    let year = year_param();
    let list = Resource::new(year, public_corrections);
    view! {
        <h1 class="mb-3 text-xl font-semibold">{move || year()}" "{tr("年度评价结果更正公告", "correction notices")}</h1>
        <Suspense fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(l) if l.is_empty() => view! { <p class="text-slate-500">{tr("尚无更正。", "No corrections.")}</p> }.into_any(),
                    Ok(l) => l.into_iter().map(|c| {
                        let kind = kind_label(&c.info.kind);
                        view! {
                            <article class="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="correction">
                                <h2 class="font-semibold">{format!("v{} ", c.info.version)}{kind}" · "{c.info.published_at.clone()}</h2>
                                <p class="mt-1 text-sm">{crate::pages::said(c.info.note.clone(), c.info.note_en.clone())}</p>
                                <div class="mt-2 overflow-x-auto">
                                    <table class="min-w-full text-sm">
                                        <thead class="text-left text-slate-500"><tr>
                                            <th class="px-2">{tr("企业", "Enterprise")}</th>
                                            <th class="px-2">{tr("县（市、区）", "County")}</th>
                                            <th class="px-2">{tr("原等次", "Before")}</th>
                                            <th class="px-2">{tr("更正后", "After")}</th>
                                            <th class="px-2">{tr("原因", "Why")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {c.changes.into_iter().map(|ch| {
                                                let cause = if ch.cause == "data" { tr("本企业数据更正", "its own data corrected") } else { tr("同组排名变动", "its cohort re-ranked") };
                                                let side = |class: Option<grading::Class>, status: Option<grading::Status>| -> Box<dyn Fn() -> String + Send + Sync> { match (class, status) { (Some(c), Some(grading::Status::Graded)) => Box::new(move || c.code().to_string()), (_, Some(s)) => Box::new(move || status_name(s)().to_string()), (_, None) => Box::new(|| "—".to_string()) } };
                                                view! { <tr class="border-t border-slate-200">
                                                    <td class="px-2 py-1"><A href=format!("/disclosure/enterprise/{}", ch.uscc)>{ch.name.clone()}</A></td>
                                                    <td class="px-2 py-1">{tr(ch.county.zh(), ch.county.en())}</td>
                                                    <td class="px-2 py-1">{side(ch.before_class, ch.before_status)}</td>
                                                    <td class="px-2 py-1 font-semibold">{side(ch.after_class, ch.after_status)}</td>
                                                    <td class="px-2 py-1 text-slate-600">{cause}</td>
                                                </tr> }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </article>
                        }
                    }).collect_view().into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/disclosure/enterprise/:uscc` (or `?uscc=`): an enterprise's public
/// card, or the enterprises whose name holds the text typed.
#[component]
pub fn CardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let uscc = move || {
        params
            .get()
            .get("uscc")
            .or_else(|| query.get().get("uscc"))
            .unwrap_or_default()
    };
    let card = Resource::new(uscc, public_lookup);
    view! {
        <Suspense fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match card.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(Found::Nothing) => view! {
                        <p class="text-slate-600">{tr("未找到该企业的公示信息。", "No published result for this enterprise.")}</p>
                        <CardSearch />
                    }.into_any(),
                    Ok(Found::Matches(year, total, rows)) => view! {
                        <h1 class="mb-2 text-xl font-semibold">{tr("查询结果", "Matches")}</h1>
                        <p class="mb-2 text-sm text-slate-600" data-testid="matches-count">{move || format!("{year} {} {total}", tr("年度公示中名称相符的企业：", "publication, enterprises whose name matches:")())}</p>
                        <ul class="mb-4 space-y-1 text-sm" data-testid="matches">
                            {rows.into_iter().map(|r| view! {
                                <li class="flex flex-wrap items-center gap-2">
                                    <A href=format!("/disclosure/enterprise/{}", r.uscc) attr:class="text-emerald-700 underline">{r.name.clone()}</A>
                                    <span class="font-mono text-xs text-slate-500">{r.uscc.clone()}</span>
                                    <span class="text-xs text-slate-600">{tr(r.county.zh(), r.county.en())}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                        {(total > PUBLIC_PER_PAGE).then(|| view! { <A href=format!("/disclosure/{year}?q={}#results", uscc().replace('&', "%26")) attr:class="text-sm text-emerald-700 underline">{tr("在公示名单中查看全部", "See them all in the list")}</A> })}
                        <CardSearch />
                    }.into_any(),
                    Ok(Found::Card(c)) => view! {
                        <h1 class="text-xl font-semibold" data-testid="card-name">{c.name.clone()}</h1>
                        <p class="font-mono text-sm text-slate-500">{c.uscc.clone()}</p>
                        <ul class="mt-4 space-y-2" data-testid="card">
                            {c.years.into_iter().map(|y| {
                                let state = state_label(y.publication);
                                let status = status_name(y.row.status);
                                view! {
                                    <li class="flex flex-wrap items-center gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
                                        <A href=format!("/disclosure/{}?q={}", y.year, y.row.uscc) attr:class="font-semibold underline">{format!("{} ", y.year)}{tr("年度", "")}</A>
                                        <span data-testid="card-class">{match y.row.class { Some(k) if y.row.status == grading::Status::Graded => class_badge(k).into_any(), _ => view! { <span class="text-sm text-slate-500">{status}</span> }.into_any() }}</span>
                                        <span class="text-sm text-slate-600">{tr(y.row.county.zh(), y.row.county.en())}</span>
                                        <span class="text-xs text-slate-500">{state}{format!(" · v{}", y.row.version)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
