//! 分类施策: the entitlement lists for the units that apply the classes
//! (`/measures`: a measure's list of a year from a published version, the
//! changes since the version before, downloads), and the public page of a
//! year's industry leaders (`/disclosure/leaders/{year}`).

use crate::measures::{get_measure_list, get_measures_index, public_leaders, MeasureList, SHOWN};
use crate::pages::disclosure::kind_label;
use crate::pages::{class_badge, tr};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MeasuresPage() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let zh = move || i18n.get_locale() == crate::i18n::Locale::zh;
    let query = use_query_map();
    let q = move |k: &str| query.with(|m| m.get(k).filter(|v| !v.is_empty()));
    let index = Resource::new(|| (), |_| get_measures_index());
    let list = Resource::new(
        move || (q("year"), q("m"), q("version"), q("county")),
        |(year, m, version, county)| {
            get_measure_list(
                year.and_then(|y| y.parse().ok()),
                m,
                version.and_then(|v| v.parse().ok()),
                county,
            )
        },
    );
    view! {
        <MeasuresTabs current="lists" />
        <h1 class="mb-1 text-xl font-semibold">{tr("分类施策 · 享受名单", "Measures by class: entitlement lists")}</h1>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">{tr(
            "依据嘉政办发〔2021〕5号“资源要素差别化配置”：每项措施按企业等次给予不同的政策，名单取自已公布的公示版本（不是工作数据）；发布更正后，名单随新版本更新，并列出与上一版本相比的变更。",
            "Resources are allocated by class (Jiazhengbanfa [2021] No. 5, part 3): each measure gives each class its value. A list is made from a published version of the year, never the working data; a correction publishes a new version, and the list shows what changed since the one before.")}</p>
        <Transition fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                let idx = match index.await {
                    Ok(i) => i,
                    Err(e) => return view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                };
                let current = list.await;
                let shown = current.as_ref().ok().and_then(|l| l.clone());
                let (year, key, version, county) = shown.as_ref().map_or((None, None, None, None), |l| (
                    Some(l.version.year),
                    Some(l.measure.key.clone()),
                    Some(l.version.version),
                    l.county.clone(),
                ));
                let versions = shown.as_ref().map(|l| l.versions.clone()).unwrap_or_default();
                view! {
                    <form method="get" class="mb-4 flex flex-wrap items-end gap-2 text-sm" data-testid="measure-form">
                        <label class="flex flex-col">{tr("年度", "Year")}
                            <select name="year" class="rounded border border-slate-300 bg-white px-2 py-1">
                                {idx.years.iter().map(|y| view! { <option value=y.to_string() selected=Some(*y) == year>{y.to_string()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="flex flex-col">{tr("措施", "Measure")}
                            <select name="m" class="rounded border border-slate-300 bg-white px-2 py-1" data-testid="measure-select">
                                {idx.measures.iter().map(|m| {
                                    let (k, tz, te) = (m.key.clone(), m.topic_zh.clone(), m.topic_en.clone());
                                    let selected = key.as_deref() == Some(k.as_str());
                                    view! { <option value=k selected=selected>{move || if zh() { tz.clone() } else { te.clone() }}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        {idx.county.is_none().then(|| view! {
                            <label class="flex flex-col">{tr("县（市、区）", "County")}
                                <select name="county" class="rounded border border-slate-300 bg-white px-2 py-1">
                                    <option value="">{tr("全部", "All")}</option>
                                    {grading::County::ALL.iter().map(|c| {
                                        let n = tr(c.zh(), c.en());
                                        view! { <option value=c.code() selected=county.as_deref() == Some(c.code())>{n}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                        })}
                        <label class="flex flex-col">{tr("公示版本", "Version")}
                            <select name="version" class="rounded border border-slate-300 bg-white px-2 py-1">
                                <option value="">{tr("最新版本", "Latest")}</option>
                                {versions.iter().map(|v| {
                                    let label = kind_label(&v.kind);
                                    let n = v.version;
                                    view! { <option value=n.to_string() selected=Some(n) == version && n != versions.first().map_or(0, |f| f.version)>{move || format!("{} {n}（{}）", if zh() { "第" } else { "v" }, label())}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <button class="rounded bg-emerald-700 px-3 py-1 text-white">{tr("查看", "Show")}</button>
                    </form>
                    {match current {
                        Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                        Ok(None) => view! { <p class="text-slate-600">{tr("尚无已公布的年度。名单在年度公示后生成。", "No year has been published yet; lists are made from a publication.")}</p> }.into_any(),
                        Ok(Some(l)) => view! { <ListView l=l /> }.into_any(),
                    }}
                }.into_any()
            })}
        </Transition>
    }
}

/// The three pages of 分类施策, as tabs: the entitlement lists, the
/// differentiated electricity procedure, the remediation ledger; each shown
/// to the roles the server lets in.
#[component]
pub fn MeasuresTabs(current: &'static str) -> impl IntoView {
    use crate::pages::{Tab, Tabs};
    use shared::authz::Area;
    const TABS: &[Tab] = &[
        Tab(
            "lists",
            "/measures",
            ("享受名单", "Entitlement lists"),
            None,
        ),
        Tab(
            "electricity",
            "/measures/electricity",
            ("差别化电价", "Electricity surcharges"),
            Some(Area::Electricity),
        ),
        Tab(
            "ledger",
            "/measures/ledger",
            ("整治提升台账", "Remediation ledger"),
            Some(Area::Ledger),
        ),
    ];
    view! { <Tabs current=current tabs=TABS testid="measures-tabs" /> }
}

#[component]
fn ListView(l: MeasureList) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let zh = move || i18n.get_locale() == crate::i18n::Locale::zh;
    let m = l.measure.clone();
    let (topic_zh, topic_en) = (m.topic_zh.clone(), m.topic_en.clone());
    let (by_zh, by_en) = (m.by_class_zh.clone(), m.by_class_en.clone());
    let query = match (&l.county, l.version.version) {
        (Some(c), v) => format!("?version={v}&county={c}"),
        (None, v) => format!("?version={v}"),
    };
    let base = format!("/measures/{}/{}", l.version.year, m.key);
    let total = l.total;
    let kind = kind_label(&l.version.kind);
    let figures = m.figures.clone();
    let units = crate::pages::both(
        m.units.join("、"),
        m.units
            .iter()
            .map(|u| grading::measures::unit_en(u))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let by_class = l.by_class;
    let (vyear, vnum, vat) = (
        l.version.year,
        l.version.version,
        l.version.published_at.clone(),
    );
    let changes = l.changes.clone();
    let n_changes = l.total_changes;
    let changes_shown = changes.len();
    view! {
        <section class="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="measure">
            <h2 class="font-semibold">{move || if zh() { topic_zh.clone() } else { topic_en.clone() }}</h2>
            <p class="text-sm text-slate-600">{tr("实施单位：", "Applied by: ")}{units}</p>
            <div class="mt-2 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
                {grading::Class::ALL.iter().copied().enumerate().map(|(i, c)| {
                    let (z, e) = (by_zh[i].clone(), by_en[i].clone());
                    view! {
                        <div class="rounded bg-slate-50 p-2">
                            {class_badge(c)}
                            <span class="ml-1">{move || { let t = if zh() { z.clone() } else { e.clone() }; if t.is_empty() { "—".to_string() } else { t } }}</span>
                            <span class="ml-1 text-xs text-slate-500">{crate::pages::both(format!("（{} 家）", by_class[i]), format!("({})", by_class[i]))}</span>
                        </div>
                    }
                }).collect_view()}
            </div>
            <p class="mt-2 text-sm" data-testid="list-version">
                {move || if zh() {
                    format!("名单取自 {vyear} 年度公示第 {vnum} 版（{}，{vat} 发布，北京时间）", kind())
                } else {
                    format!("From version {vnum} ({}) of the {vyear} publication, published {vat} (Beijing time)", kind())
                }}
            </p>
            <p class="mt-2 flex flex-wrap gap-3 text-sm">
                <a class="text-emerald-700 underline" data-testid="download-xlsx" rel="external" download="" href=format!("{base}.xlsx{query}")>{tr("下载名单（.xlsx，含名单变更）", "Download (.xlsx, with changes)")}</a>
                <a class="text-emerald-700 underline" data-testid="download-csv" rel="external" download="" href=format!("{base}.csv{query}")>{tr("下载名单（CSV）", "Download (CSV)")}</a>
            </p>
        </section>
        {(n_changes > 0).then(|| view! {
            <section class="mb-4 rounded-lg bg-amber-50 p-4 ring-1 ring-amber-200" data-testid="list-changes">
                <h2 class="mb-2 font-semibold">{move || if zh() { format!("名单变更（与第 {} 版相比，{n_changes} 家）", vnum - 1) } else { format!("Changes since version {} ({n_changes})", vnum - 1) }}</h2>
                <div class="overflow-x-auto"><table class="min-w-full text-sm">
                    <thead class="text-left text-slate-600"><tr>
                        <th class="px-2 py-1">{tr("企业", "Enterprise")}</th>
                        <th class="px-2 py-1">{tr("县（市、区）", "County")}</th>
                        <th class="px-2 py-1">{tr("变更前", "Before")}</th>
                        <th class="px-2 py-1">{tr("变更后", "After")}</th>
                    </tr></thead>
                    <tbody>{changes.iter().map(|c| {
                        let before = format!("{} {}", c.before_class.map(grading::Class::code).unwrap_or_default(), c.before.clone().unwrap_or_default());
                        let after = format!("{} {}", c.after_class.map(grading::Class::code).unwrap_or_default(), c.after.clone().unwrap_or_default());
                        view! { <tr class="border-t border-amber-200">
                            <td class="px-2 py-1">{c.name.clone()}<div class="font-mono text-xs text-slate-500">{c.uscc.clone()}</div></td>
                            <td class="px-2 py-1">{tr(c.county.zh(), c.county.en())}</td>
                            <td class="px-2 py-1">{if c.before.is_none() { tr("（不在名单）", "(not listed)")().to_string() } else { before }}</td>
                            <td class="px-2 py-1">{if c.after.is_none() { tr("（移出名单）", "(removed)")().to_string() } else { after }}</td>
                        </tr> }
                    }).collect_view()}</tbody>
                </table></div>
                {(n_changes > changes_shown).then(|| view! {
                    <p class="mt-2 text-sm text-slate-600">{crate::pages::both(
                        format!("上表列出前 {changes_shown} 项变更；全部变更见下载的 .xlsx 第二页。"),
                        format!("The first {changes_shown} changes are shown; the .xlsx download lists them all on its second sheet."),
                    )}</p>
                })}
            </section>
        })}
        <p class="mb-2 text-sm text-slate-600" data-testid="list-count">{move || if zh() {
            if total > SHOWN { format!("共 {total} 家，下表列出前 {SHOWN} 家；完整名单请下载。") } else { format!("共 {total} 家。") }
        } else if total > SHOWN { format!("{total} enterprises; the first {SHOWN} are shown, download for all.") } else { format!("{total} enterprises.") }}</p>
        <div class="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table class="min-w-full text-sm" data-testid="entitlements">
                <thead class="bg-slate-100 text-left"><tr>
                    <th class="px-2 py-1">{tr("企业", "Enterprise")}</th>
                    <th class="px-2 py-1">{tr("县（市、区）", "County")}</th>
                    <th class="px-2 py-1">{tr("等次", "Class")}</th>
                    <th class="px-2 py-1">{tr("享受内容", "Entitlement")}</th>
                    {figures.iter().map(|(key, name)| {
                        let en = grading::record::column_by_key(key).map_or(name.clone(), |c| c.en.to_string());
                        view! { <th class="px-2 py-1">{crate::pages::both(name.clone(), en)}</th> }
                    }).collect_view()}
                </tr></thead>
                <tbody>{l.rows.into_iter().map(|r| {
                    let (tz, te) = (r.text_zh.clone(), r.text_en.clone());
                    view! { <tr class="border-t border-slate-100">
                        <td class="px-2 py-1">{r.name.clone()}<div class="font-mono text-xs text-slate-500">{r.uscc.clone()}</div></td>
                        <td class="px-2 py-1">{tr(r.county.zh(), r.county.en())}</td>
                        <td class="px-2 py-1">{class_badge(r.class)}</td>
                        <td class="px-2 py-1" data-testid="entitlement">{move || { let t = if zh() { tz.clone() } else { te.clone() }; if t.is_empty() { "—".to_string() } else { t } }}</td>
                        {r.figures.iter().map(|f| view! { <td class="px-2 py-1 text-right tabular-nums">{if f.is_empty() { "—".to_string() } else { f.clone() }}</td> }).collect_view()}
                    </tr> }
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// `/disclosure/leaders/{year}`: the published industry leaders (行业领跑者)
/// by industry, public like the rest of the 公示.
#[component]
pub fn LeadersPage() -> impl IntoView {
    let year = crate::pages::year_param();
    let data = Resource::new(year, public_leaders);
    view! {
        <Suspense fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                let y = year();
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(l) => {
                        let mut groups: Vec<(grading::Industry, Vec<crate::measures::Leader>)> = Vec::new();
                        for r in l.rows {
                            match groups.last_mut() {
                                Some((ind, rows)) if *ind == r.industry => rows.push(r),
                                _ => groups.push((r.industry, vec![r])),
                            }
                        }
                        let kind = kind_label(&l.version.kind);
                        view! {
                            <h1 class="mb-1 text-xl font-semibold">{move || format!("{y} {}", tr("年度行业“领跑者”", "industry leaders")())}</h1>
                            <p class="mb-4 max-w-3xl text-sm text-slate-600">{tr(
                                "行业“领跑者”不论等次，市工业发展资金投资补助系数均按 1.5 执行。名单取自该年度最新公布的公示版本。",
                                "An industry leader's municipal investment subsidy coefficient is 1.5 whatever its class. The list comes from the year's latest published version.")}
                                " "{move || format!("（{} {}，{}）", kind(), l.version.version, l.version.published_at)}</p>
                            {groups.is_empty().then(|| view! { <p class="text-slate-600">{tr("本年度没有行业领跑者。", "No industry leader this year.")}</p> })}
                            <div class="grid gap-4 md:grid-cols-2" data-testid="leaders">
                                {groups.into_iter().map(|(ind, rows)| view! {
                                    <section class="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                                        <h2 class="mb-2 font-semibold">{tr(ind.zh(), ind.en())}{format!("（{}）", rows.len())}</h2>
                                        <ul class="space-y-1 text-sm">
                                            {rows.into_iter().map(|r| view! {
                                                <li class="flex flex-wrap items-center gap-2">
                                                    {r.class.map(class_badge)}
                                                    <a class="text-emerald-700 underline" href=format!("/disclosure/enterprise/{}", r.uscc)>{r.name.clone()}</a>
                                                    <span class="text-xs text-slate-500">{tr(r.county.zh(), r.county.en())}</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
