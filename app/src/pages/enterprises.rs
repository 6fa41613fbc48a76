//! 企业列表: the official's enterprises for a year, filtered and paged on
//! the server; grades that move elsewhere are pushed in and highlighted.

use crate::enterprises::{list_enterprises, GradeEvent, ListPage, ListQuery, RankMove, RowChange};
use crate::pages::{class_badge, enum_select, tr};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use std::collections::HashMap;

fn query_from(map: &leptos_router::params::ParamsMap) -> ListQuery {
    let get = |k: &str| map.get(k).filter(|v| !v.is_empty());
    ListQuery {
        year: get("year").and_then(|v| v.parse().ok()),
        county: get("county"),
        q: get("q"),
        industry: get("industry"),
        scale: get("scale"),
        class: get("class"),
        status: get("status"),
        sort: get("sort"),
        page: get("page").and_then(|v| v.parse().ok()),
        moved: get("moved"),
    }
}

fn page_href(q: &ListQuery, page: u64) -> String {
    let mut parts = vec![format!("page={page}")];
    let mut push = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{k}={}", v.replace('&', "%26").replace(' ', "+")));
        }
    };
    push("year", &q.year.map(|y| y.to_string()));
    push("county", &q.county);
    push("q", &q.q);
    push("industry", &q.industry);
    push("scale", &q.scale);
    push("class", &q.class);
    push("status", &q.status);
    push("moved", &q.moved);
    push("sort", &q.sort);
    format!("/enterprises?{}", parts.join("&"))
}

pub fn score_text(s: Option<f64>) -> String {
    s.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
}

/// Grades pushed since the page loaded. The newest word on a row wins: a
/// full change replaces an earlier rank move, a later rank move updates it.
#[derive(Default)]
pub struct Pushed {
    full: HashMap<String, RowChange>,
    ranks: HashMap<String, (u32, u32)>,
}

impl Pushed {
    pub fn apply(&mut self, ev: GradeEvent) {
        for c in ev.changes {
            self.ranks.remove(&c.row.uscc);
            self.full.insert(c.row.uscc.clone(), c);
        }
        for RankMove(uscc, _, rank, n) in ev.ranks {
            match self.full.get_mut(&uscc) {
                Some(c) => {
                    c.row.rank = Some(rank);
                    c.row.cohort_size = Some(n);
                }
                None => {
                    self.ranks.insert(uscc, (rank, n));
                }
            }
        }
    }

    fn change(&self, uscc: &str) -> Option<RowChange> {
        self.full.get(uscc).cloned()
    }

    fn rank(&self, uscc: &str) -> Option<(Option<u32>, Option<u32>)> {
        self.full
            .get(uscc)
            .map(|c| (c.row.rank, c.row.cohort_size))
            .or_else(|| self.ranks.get(uscc).map(|&(r, n)| (Some(r), Some(n))))
    }
}

#[component]
pub fn EnterprisesPage() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(move || query_from(&query.get()), list_enterprises);
    let live: RwSignal<Pushed> = RwSignal::new(Pushed::default());
    view! {
        <h1 class="mb-3 text-xl font-semibold">{tr("企业评价", "Enterprise grades")}</h1>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(page) => view! {
                        <Filters page=page.clone() q=query_from(&query.get_untracked()) />
                        <Exports year=page.year />
                        <Table page=page q=query_from(&query.get_untracked()) live=live on_reload=Callback::new(move |_| list.refetch()) />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Filters(page: ListPage, q: ListQuery) -> impl IntoView {
    let sel = "rounded border border-slate-300 bg-white px-2 py-1 text-sm";
    let opt =
        |value: &'static str, zh: &'static str, en: &'static str, current: &Option<String>| {
            let selected = current.as_deref() == Some(value);
            view! { <option value=value selected=selected>{tr(zh, en)}</option> }
        };
    let year = page.year;
    view! {
        <Form method="GET" action="" attr:class="mb-3 flex flex-wrap items-end gap-2" attr:data-testid="filters">
            <label class="text-sm">{tr("年度", "Year")}" "
                <select name="year" class=sel>
                    {page.years.iter().map(|y| view! { <option value=y.to_string() selected=Some(*y) == year>{*y}</option> }).collect_view()}
                </select>
            </label>
            {page.county_locked.is_none().then(|| view! {
                <label class="text-sm">{tr("县（市、区）", "County")}" "
                    <select name="county" class=sel>
                        <option value="">{tr("全市", "All")}</option>
                        {grading::County::ALL.iter().map(|c| opt(c.code(), c.zh(), c.en(), &q.county)).collect_view()}
                    </select>
                </label>
            })}
            <label class="text-sm">{tr("搜索", "Search")}" "
                <input name="q" value=q.q.clone().unwrap_or_default() placeholder=tr("名称或统一社会信用代码", "Name or USCC") class=format!("{sel} w-48") />
            </label>
            {enum_select("industry", ("全部行业", "All industries"), grading::Industry::ALL.iter().map(|c| (c.code(), c.zh(), c.en())), &q.industry)}
            {enum_select("scale", ("规上和规下", "All sizes"), grading::Scale::ALL.iter().map(|c| (c.code(), c.zh(), c.en())), &q.scale)}
            {enum_select("class", ("全部分类", "All classes"), grading::Class::ALL.iter().map(|c| (c.code(), c.zh(), c.en())), &q.class)}
            {enum_select("status", ("全部状态", "All statuses"), grading::Status::ALL.iter().map(|c| (c.code(), c.zh(), c.en())), &q.status)}
            {enum_select("moved", ("分类变化：不限", "Class change: any or none"), [("up", "较上年上升", "Up since last year"), ("down", "较上年下降", "Down since last year"), ("any", "较上年有变化", "Changed since last year")].into_iter(), &q.moved)}
            <select name="sort" class=sel aria-label="sort">
                {opt("score_desc", "得分从高到低", "Score, high to low", &q.sort)}
                {opt("score_asc", "得分从低到高", "Score, low to high", &q.sort)}
                {opt("name", "按名称", "By name", &q.sort)}
            </select>
            <button type="submit" class="rounded bg-emerald-700 px-3 py-1 text-sm text-white">{tr("筛选", "Filter")}</button>
        </Form>
    }
}

/// Downloads of the year (scoped to the user's county on the server).
#[component]
fn Exports(year: Option<i32>) -> impl IntoView {
    let year = year?;
    let link = "rounded border border-emerald-600 px-2 py-0.5 text-emerald-800 hover:bg-emerald-50";
    Some(view! {
        <div class="mb-3 flex flex-wrap items-center gap-2 text-sm" data-testid="exports">
            <span class="text-slate-500">{tr("导出", "Export")}</span>
            <a class=link href=format!("/export/{year}.xlsx") download>{tr("Excel（记录和结果）", "Excel (records and results)")}</a>
            <a class=link href=format!("/export/{year}-records.csv") download>{tr("记录 CSV", "Records CSV")}</a>
            <a class=link href=format!("/export/{year}-results.csv") download>{tr("结果 CSV", "Results CSV")}</a>
        </div>
    })
}

#[component]
fn Table(
    page: ListPage,
    q: ListQuery,
    live: RwSignal<Pushed>,
    /// An import rewrote the year: fetch the page again.
    on_reload: Callback<()>,
) -> impl IntoView {
    let year = page.year.unwrap_or_default();
    // Hear only of the rows shown (USCCs are [0-9A-Z], safe in a URL); a new
    // page of rows opens a new stream and closes the old one.
    let shown: Vec<String> = page.rows.iter().map(|r| r.uscc.clone()).collect();
    if !shown.is_empty() {
        crate::pages::live_client::subscribe(&shown, move |ev| {
            if ev.reload {
                on_reload.run(());
            } else {
                live.update(|p| p.apply(ev));
            }
        });
    }
    let rows = page
        .rows
        .into_iter()
        .map(|r| {
            let uscc = r.uscc.clone();
            let key = uscc.clone();
            let pushed = Memo::new(move |_| live.with(|p| p.change(&key)));
            let pushed_rank = Memo::new(move |_| live.with(|p| p.rank(&uscc)));
            let base = r.clone();
            let score = move || score_text(pushed.get().map_or(base.score, |c| c.row.score));
            let base = r.clone();
            let rank = move || {
                let (rank, n) = pushed_rank.get().unwrap_or((base.rank, base.cohort_size));
                match (rank, n) {
                    (Some(r), Some(n)) => format!("{r}/{n}"),
                    _ => "—".into(),
                }
            };
            let base = r.clone();
            let class = move || pushed.get().map_or(base.class, |c| c.row.class);
            let moved = Memo::new(move |_| pushed.get().is_some_and(|c| c.class_moved));
            let county = tr(r.county.zh(), r.county.en());
            let industry = tr(r.industry.zh(), r.industry.en());
            let scale = tr(r.scale.zh(), r.scale.en());
            let status = tr(r.status.zh(), r.status.en());
            view! {
                <tr
                    class=move || if moved.get() { "border-t border-slate-200 bg-amber-100 transition-colors" } else { "border-t border-slate-200" }
                    data-uscc=r.uscc.clone()
                    data-moved=move || moved.get().to_string()
                >
                    <td class="px-2 py-1"><A href=format!("/enterprises/{}/{year}", r.uscc)>{r.name.clone()}</A></td>
                    <td class="hidden px-2 py-1 font-mono text-xs md:table-cell">{r.uscc.clone()}</td>
                    <td class="hidden px-2 py-1 sm:table-cell">{county}</td>
                    <td class="hidden px-2 py-1 lg:table-cell">{industry}</td>
                    <td class="hidden px-2 py-1 lg:table-cell">{scale}</td>
                    <td class="px-2 py-1 text-right tabular-nums" data-testid="score">{score}</td>
                    <td class="hidden px-2 py-1 text-right tabular-nums sm:table-cell">{rank}</td>
                    <td class="px-2 py-1" data-testid="class">{r.previous_class.map(|p| view! { <span class="mr-1 text-xs text-slate-500" data-testid="previous-class" title=tr("上年分类", "Last year's class")>{p.code()}" →"</span> })}{move || match class() { Some(c) => class_badge(c).into_any(), None => view! { <span class="text-xs text-slate-500">{status}</span> }.into_any() }}</td>
                </tr>
            }
        })
        .collect_view();
    let (p, pages) = (page.page, page.pages);
    let prev = (p > 1).then(|| page_href(&q, p - 1));
    let next = (p < pages).then(|| page_href(&q, p + 1));
    view! {
        <p class="mb-2 text-sm text-slate-500" data-testid="total">{move || format!("{} {} · {} {p}/{pages}", page.total, tr("家", "enterprises")(), tr("第", "page")())}</p>
        <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table class="min-w-full text-sm" data-testid="enterprises">
                <thead class="bg-slate-100 text-left">
                    <tr>
                        <th class="px-2 py-2">{tr("企业名称", "Name")}</th>
                        <th class="hidden px-2 py-2 md:table-cell">{tr("统一社会信用代码", "USCC")}</th>
                        <th class="hidden px-2 py-2 sm:table-cell">{tr("县（市、区）", "County")}</th>
                        <th class="hidden px-2 py-2 lg:table-cell">{tr("行业", "Industry")}</th>
                        <th class="hidden px-2 py-2 lg:table-cell">{tr("规模", "Size")}</th>
                        <th class="px-2 py-2 text-right">{tr("得分", "Score")}</th>
                        <th class="hidden px-2 py-2 text-right sm:table-cell">{tr("排名", "Rank")}</th>
                        <th class="px-2 py-2">{tr("分类", "Class")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="mt-3 flex gap-3 text-sm">
            {prev.map(|h| view! { <A href=h attr:class="text-emerald-700 underline">{tr("上一页", "Previous")}</A> })}
            {next.map(|h| view! { <A href=h attr:class="text-emerald-700 underline">{tr("下一页", "Next")}</A> })}
        </nav>
    }
}
