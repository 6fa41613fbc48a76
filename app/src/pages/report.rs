//! 年度分析报告: the public edition (`/reports/{year}`, a light page with
//! aggregates only) and the city's internal one (`/admin/reports/{year}`,
//! adding the enterprises that fell). One layout for both; it prints on
//! A4 without the header and the buttons, and downloads as a workbook.

use crate::disclosure::Distribution;
use crate::pages::charts::{BarRow, ClassBars, CLASS_COLOURS};
use crate::pages::disclosure::county_name;
use crate::pages::{both, tr, year_param};
use crate::reports::{get_annual_report, AnnualReport};
use grading::Words;
use leptos::prelude::*;
use leptos_router::components::A;
use shared::reports::{CohortShare, CountyLine, IndicatorLine};

fn words(w: &Words) -> impl Fn() -> String + Send + Sync + 'static {
    both(w.zh.clone(), w.en.clone())
}

fn num(v: f64) -> String {
    format!("{v:.2}")
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_else(|| "—".into())
}

fn group_words(key: &str) -> Words {
    if let Some(c) = grading::County::parse(key) {
        return Words::new(c.zh(), c.en());
    }
    match key {
        "city" => Words::new("全市", "Whole city"),
        "above" => Words::new("规上企业", "Above-size"),
        "below" => Words::new("规下企业", "Below-size"),
        _ => grading::Industry::parse(key)
            .map_or_else(|| Words::new(key, key), |i| Words::new(i.zh(), i.en())),
    }
}

fn bars(d: &[Distribution]) -> Vec<BarRow> {
    d.iter()
        .map(|d| {
            let w = group_words(&d.key);
            BarRow {
                zh: w.zh,
                en: w.en,
                classes: d.classes,
            }
        })
        .collect()
}

/// `/reports/{year}`: the public edition, for anyone.
#[component]
pub fn PublicReportPage() -> impl IntoView {
    view! { <ReportPage internal=false /> }
}

/// `/admin/reports/{year}`: the internal edition.
#[component]
pub fn InternalReportPage() -> impl IntoView {
    view! { <ReportPage internal=true /> }
}

#[component]
fn ReportPage(internal: bool) -> impl IntoView {
    let year = year_param();
    let data = Resource::new(year, move |y| get_annual_report(y, internal));
    view! {
        <Suspense fallback=move || view! { <p>{tr("报告生成中…", "Making the report…")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-red-700">{crate::pages::error_text(&e)}</p> }.into_any(),
                    Ok(r) => view! { <Report r=r internal=internal /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(r: AnnualReport, internal: bool) -> impl IntoView {
    let base = if internal {
        "/admin/reports"
    } else {
        "/reports"
    };
    let year = r.year;
    let xlsx = format!("{base}/{year}/report.xlsx");
    let years = r.years.clone();
    let state = if r.status == crate::disclosure::PublicationStatus::Window {
        tr("公示中", "open for objections")
    } else {
        tr("已定档", "final")
    };
    let edition = if internal {
        tr("内部版", "Internal edition")
    } else {
        tr("公开版", "Public edition")
    };
    let graded: u32 = r.city.classes.iter().sum();
    let (indicators, counties) = (r.indicators.clone(), r.counties.clone());
    let (indicators_too, whole) = (r.indicators.clone(), r.clone());
    // Industries never graded (those the scheme excludes) have no bar.
    let graded_industries: Vec<Distribution> = r
        .by_industry
        .iter()
        .filter(|d| d.classes.iter().sum::<u32>() > 0)
        .cloned()
        .collect();
    let mut scale_and_city = vec![r.city.clone()];
    scale_and_city.extend(r.by_scale.iter().cloned());
    view! {
        <div class="mb-3 flex flex-wrap items-center gap-2 text-sm print:hidden" data-testid="report-tools">
            <span class="text-slate-600">{tr("年度：", "Year: ")}</span>
            {years.into_iter().map(|y| view! {
                <A href=format!("{base}/{y}") attr:class=if y == year { "rounded bg-emerald-700 px-2 text-white" } else { "rounded bg-slate-100 px-2 underline" }>{y}</A>
            }).collect_view()}
            <a class="rounded border border-emerald-700 px-3 py-1 text-emerald-800" href=xlsx rel="external" data-testid="report-xlsx">{tr("下载 Excel 表格", "Download the tables (.xlsx)")}</a>
            {if internal {
                view! { <button type="button" class="rounded border border-slate-400 px-3 py-1" on:click=|_| print_page() data-testid="report-print">{tr("打印", "Print")}</button> }.into_any()
            } else {
                view! { <span class="text-slate-500">{tr("打印：使用浏览器的打印（Ctrl+P），按 A4 排版。", "To print, use the browser's Print (Ctrl+P); it lays out on A4.")}</span> }.into_any()
            }}
            {(!internal).then(|| view! { <A href=format!("/disclosure/{year}") attr:class="text-sky-800 underline">{tr("查看公示名单", "The published list")}</A> })}
        </div>
        <article class="report min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-6 print:p-0 print:shadow-none print:ring-0" data-testid="report">
            <h1 class="text-center text-xl font-bold">
                {both(format!("嘉兴市 {year} 年度工业企业绩效综合评价分析报告"), format!("Jiaxing industrial enterprise evaluation: annual analysis report {year}"))}
            </h1>
            <p class="mt-1 text-center text-sm text-slate-600">
                {edition}" · "{tr("依据第 ", "From published version ")}{r.version}{tr(" 版公示名单（", " (")}{state}{tr("），发布于 ", "), published ")}{r.published_at.clone()}{tr("（北京时间）", " (Beijing time)")}
            </p>
            <Section n=1 zh="概要" en="Summary">
                <div class="space-y-2 text-sm leading-relaxed" data-testid="report-summary">
                    {r.summary.iter().map(|w| view! { <p>{words(w)}</p> }).collect_view()}
                </div>
            </Section>
            <Section n=2 zh="全市等次分布" en="Classes city-wide">
                <p class="mb-2 text-sm text-slate-600">{both(format!("评定等次 {graded} 家；未评定等次（免评、合并计算、不参评）{} 家。", r.city.not_graded), format!("{graded} graded; {} not graded (exempt, merged or not evaluated).", r.city.not_graded))}</p>
                <div class="grid gap-3 md:grid-cols-2">
                    <ClassBars rows=bars(&scale_and_city) label="classes city-wide" />
                    <DistTable d=scale_and_city.clone() testid="dist-city" />
                </div>
            </Section>
            <Section n=3 zh="分县（市、区）等次分布" en="Classes by county">
                <div class="grid gap-3 md:grid-cols-2">
                    <ClassBars rows=bars(&r.by_county) label="classes by county" />
                    <DistTable d=r.by_county.clone() testid="dist-county" />
                </div>
            </Section>
            <Section n=4 zh="分行业等次分布（规上企业）" en="Classes by industry (above-size)">
                <ClassBars rows=bars(&graded_industries) label="classes by industry" />
                <div class="mt-3 grid gap-3 sm:grid-cols-2">
                    <Shares title=("A 类占比居前的行业", "Industries leading in class A") rows=r.leading.clone() testid="leading" />
                    <Shares title=("D 类占比居前的行业", "Industries lagging (class D)") rows=r.lagging.clone() testid="lagging" />
                </div>
                <p class="mt-1 text-xs text-slate-500">{both(format!("仅列评定等次企业不少于 {} 家的行业。", shared::reports::COHORT_MIN), format!("Industries with at least {} graded enterprises.", shared::reports::COHORT_MIN))}</p>
            </Section>
            <Section n=5 zh="等次变动" en="Classes year on year">
                {match r.transitions.clone() {
                    Some(t) => view! {
                        <p class="mb-2 text-sm">{both(
                            format!("两年均评定等次的企业中：上升 {} 家，下降 {} 家，持平 {} 家。", t.up, t.down, t.same),
                            format!("Of the enterprises graded both years: {} up, {} down, {} unchanged.", t.up, t.down, t.same),
                        )}</p>
                        <Matrix cells=t.cells corner=Words::new(format!("{} 年 ↓ · {year} 年 →", t.from_year), format!("{} ↓ · {year} →", t.from_year)) testid="transitions" />
                    }.into_any(),
                    None => view! { <p class="text-sm text-slate-500">{tr("上一年度未公示，无法比较。", "The year before was not published; nothing to compare.")}</p> }.into_any(),
                }}
            </Section>
            <Section n=6 zh="六项指标（规上企业，全市）" en="The six indicators (above-size, city-wide)">
                <Indicators rows=indicators />
            </Section>
            <Section n=7 zh="县（市、区）综合评价" en="The county evaluation">
                <Counties rows=counties indicators=indicators_too />
            </Section>
            <Section n=8 zh="改造提升对象" en="Enterprises to improve">
                <p class="text-sm">{both(
                    format!("亩均税收 {} 万元以下的规上工业企业 {} 家，{} 万元以下的规下企业 {} 家（嘉政办发〔2021〕3号）；D 类企业 {} 家。各县（市、区）数量见上表。", shared::reports::LOW_ABOVE, r.low_above, shared::reports::LOW_BELOW, r.low_below, r.city.classes[3]),
                    format!("{} above-size enterprises pay less than {} (10k yuan) of tax per mu and {} below-size ones less than {} (the city's 2021 improvement scheme); {} are in class D. Each county's numbers are in the table above.", r.low_above, shared::reports::LOW_ABOVE, r.low_below, shared::reports::LOW_BELOW, r.city.classes[3]),
                )}</p>
            </Section>
            {internal.then(|| view! {
                <Section n=9 zh="等次下降企业（内部）" en="Enterprises whose class fell (internal)">
                    <Fallen r=whole.clone() />
                </Section>
            })}
            <p class="mt-6 text-xs text-slate-500">{tr(
                "说明：等次分布与等次变动取自各年度最新公示版本；六项指标为规上评定等次企业的合计之比（如亩均税收 = 税收合计 ÷ 用地合计），县（市、区）综合评价按评价细则第八部分计算；7% 为嘉政办发〔2021〕3号提出的年均增长目标。演示数据仅供演示。",
                "Note: classes and their changes come from each year's latest published version; each indicator is a ratio of totals over graded above-size enterprises (tax per mu = total tax ÷ total land); the county evaluation follows section 8 of the rules; 7% is the yearly growth goal of the city's 2021 scheme. Demo data, for demonstration only.",
            )}</p>
        </article>
    }
}

#[component]
fn Section(n: u32, zh: &'static str, en: &'static str, children: Children) -> impl IntoView {
    const NUMS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let head = both(
        format!("{}、{zh}", NUMS[n as usize % 10]),
        format!("{n}. {en}"),
    );
    view! {
        <section class="mt-5 break-inside-avoid-page">
            <h2 class="mb-2 border-b border-slate-200 pb-1 font-semibold">{head}</h2>
            {children()}
        </section>
    }
}

const DIST_HEAD: &[(&str, &str)] = &[
    ("分组", "Group"),
    ("A", "A"),
    ("B", "B"),
    ("C", "C"),
    ("D", "D"),
    ("未评定", "Not graded"),
];

#[component]
fn DistTable(d: Vec<Distribution>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="overflow-x-auto print:overflow-visible">
            <table class="w-full text-xs" data-testid=testid>
                {crate::pages::table_head(DIST_HEAD)}
                <tbody>
                    {d.into_iter().map(|d| view! {
                        <tr class="border-t border-slate-200" data-key=d.key.clone()>
                            <td class="px-2 py-0.5">{words(&group_words(&d.key))}</td>
                            {d.classes.iter().map(|n| view! { <td class="px-2 py-0.5 text-right tabular-nums">{*n}</td> }).collect_view()}
                            <td class="px-2 py-0.5 text-right tabular-nums">{d.not_graded}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Shares(
    title: (&'static str, &'static str),
    rows: Vec<CohortShare>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div data-testid=testid>
            <h3 class="text-sm font-medium">{tr(title.0, title.1)}</h3>
            <ol class="ml-5 list-decimal text-sm">
                {rows.into_iter().map(|s| view! {
                    <li>{words(&s.name)}{format!(" {:.1}%", s.share)}<span class="text-slate-500">{both(format!("（{} 家）", s.graded), format!(" ({} graded)", s.graded))}</span></li>
                }).collect_view()}
            </ol>
        </div>
    }
}

/// A transition matrix (rows: before, columns: after; A–D, then not
/// graded), each cell shaded by its count: the diagonal kept its class,
/// blue moved up, red down.
#[component]
pub(crate) fn Matrix(cells: [[u32; 5]; 5], corner: Words, testid: &'static str) -> impl IntoView {
    const LABELS: [(&str, &str); 5] = [
        ("A", "A"),
        ("B", "B"),
        ("C", "C"),
        ("D", "D"),
        ("未评定/新列入", "Not graded / new"),
    ];
    let max = cells.iter().flatten().copied().max().unwrap_or(1).max(1);
    view! {
        <div class="overflow-x-auto print:overflow-visible">
            <table class="text-xs" data-testid=testid>
                <thead><tr>
                    <th class="px-2 py-1 text-left">{words(&corner)}</th>
                    {LABELS.iter().map(|(zh, en)| view! { <th class="px-2 py-1 text-right">{tr(zh, en)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {cells.iter().enumerate().map(|(p, row)| view! {
                        <tr class="border-t border-slate-200">
                            <th class="px-2 py-1 text-left font-normal">{tr(LABELS[p].0, LABELS[p].1)}</th>
                            {row.iter().enumerate().map(|(k, n)| {
                                let alpha = 0.08 + 0.6 * f64::from(*n) / f64::from(max);
                                let colour = if k == p { "5,150,105" } else if k < p { "2,132,199" } else { "220,38,38" };
                                view! { <td class="px-2 py-1 text-right tabular-nums" data-cell=format!("{p}{k}") style=format!("background:rgba({colour},{alpha:.2})")>{*n}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="mt-1 text-xs text-slate-500">{tr("行为之前的等次，列为之后的等次；蓝色为上升，红色为下降，绿色为持平。", "Rows: the class before; columns: the class after. Blue moved up, red down, green kept its class.")}</p>
    }
}

/// Each indicator's growth as a bar about zero, with the 7% goal marked
/// where the scheme names one.
#[component]
fn Indicators(rows: Vec<IndicatorLine>) -> impl IntoView {
    let span = rows
        .iter()
        .filter_map(|i| i.growth)
        .chain([shared::reports::GROWTH_GOAL])
        .fold(1.0f64, |m, g| m.max(g.abs()))
        * 1.1;
    let pos = move |g: f64| 50.0 + 50.0 * g / span;
    let bars = rows.iter().map(|i| {
        let bar = i.growth.map(|g| {
            let (a, b) = if g >= 0.0 { (50.0, pos(g)) } else { (pos(g), 50.0) };
            let colour = match i.goal {
                Some(goal) if g >= goal => "#059669",
                Some(_) => "#d97706",
                None => "#64748b",
            };
            view! { <span class="absolute inset-y-0" style=format!("left:{a:.2}%;width:{:.2}%;background:{colour}", b - a)></span> }
        });
        let goal = i.goal.map(|g| view! { <span class="absolute inset-y-[-2px] w-0.5 bg-slate-900" style=format!("left:{:.2}%", pos(g)) title="7%"></span> });
        view! {
            <div class="grid grid-cols-[minmax(0,9rem)_1fr_4rem] items-center gap-2 sm:grid-cols-[minmax(0,14rem)_1fr_4rem]">
                <span class="truncate text-right text-xs">{words(&i.name)}</span>
                <span class="relative h-4 min-w-0 rounded bg-slate-100">
                    <span class="absolute inset-y-0 left-1/2 w-px bg-slate-400"></span>
                    {bar}{goal}
                </span>
                <span class="text-right text-xs tabular-nums">{i.growth.map(|g| format!("{g:+.1}%")).unwrap_or_else(|| "—".into())}</span>
            </div>
        }
    }).collect_view();
    view! {
        <div class="min-w-0 rounded-lg bg-white p-3 ring-1 ring-slate-200" role="img" aria-label="growth of the six indicators" data-chart="">
            <div class="space-y-1">{bars}</div>
            <p class="mt-1 text-xs text-slate-500">{tr("比上年增长；竖线为年均增长 7% 的目标（亩均税收、亩均工业增加值）。", "Growth on the year before; the mark is the 7% yearly goal (tax and value added per mu).")}</p>
        </div>
        <div class="mt-3 overflow-x-auto print:overflow-visible">
            <table class="w-full text-xs" data-testid="indicators">
                {crate::pages::table_head(&[("指标", "Indicator"), ("单位", "Unit"), ("本年", "This year"), ("上年", "Year before"), ("增长", "Growth"), ("目标", "Goal")])}
                <tbody>
                    {rows.iter().map(|i| view! {
                        <tr class="border-t border-slate-200" data-key=i.key.clone()>
                            <td class="px-2 py-0.5">{words(&i.name)}</td>
                            <td class="px-2 py-0.5">{words(&i.unit)}</td>
                            <td class="px-2 py-0.5 text-right tabular-nums">{opt(i.value)}</td>
                            <td class="px-2 py-0.5 text-right tabular-nums">{opt(i.previous)}</td>
                            <td class="px-2 py-0.5 text-right tabular-nums">{i.growth.map(|g| format!("{g:+.1}%")).unwrap_or_else(|| "—".into())}</td>
                            <td class="px-2 py-0.5 text-right tabular-nums">{i.goal.map(|g| format!("{g:.0}%")).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Counties by composite (a bar each), then why: the points each
/// indicator earned for the level, the growth points, the figures.
#[component]
fn Counties(rows: Vec<CountyLine>, indicators: Vec<IndicatorLine>) -> impl IntoView {
    let max = rows.iter().map(|c| c.composite).fold(1e-9, f64::max);
    let bars = rows
        .iter()
        .map(|c| {
            let pct = 100.0 * c.composite / max;
            view! {
                <div class="grid grid-cols-[1.5rem_minmax(0,7rem)_1fr_3.5rem] items-center gap-2 sm:grid-cols-[1.5rem_minmax(0,10rem)_1fr_3.5rem]">
                    <span class="text-right text-xs tabular-nums">{c.rank}</span>
                    <span class="truncate text-xs">{county_name(&c.county)}</span>
                    <span class="flex h-4 min-w-0 overflow-hidden rounded bg-slate-100"><span class="block h-full" style=format!("width:{pct:.1}%;background:{}", CLASS_COLOURS[1])></span></span>
                    <span class="text-right text-xs tabular-nums">{num(c.composite)}</span>
                </div>
            }
        })
        .collect_view();
    let heads = indicators.clone();
    view! {
        <div class="min-w-0 rounded-lg bg-white p-3 ring-1 ring-slate-200" role="img" aria-label="county composite" data-chart="">
            <div class="space-y-1">{bars}</div>
            <p class="mt-1 text-xs text-slate-500">{tr("综合得分 = 发展水平得分 × 权重 + 增长得分 × 权重（评价细则第八部分）。", "Composite = level points × share + growth points × share (section 8 of the rules).")}</p>
        </div>
        <div class="mt-3 overflow-x-auto print:overflow-visible">
            <table class="w-full text-xs" data-testid="counties">
                <thead class="bg-slate-100 text-left"><tr>
                    <th class="px-1 py-1">{tr("排名", "Rank")}</th>
                    <th class="px-1 py-1">{tr("县（市、区）", "County")}</th>
                    <th class="px-1 py-1 text-right">{tr("综合", "Composite")}</th>
                    <th class="px-1 py-1 text-right">{tr("水平", "Level")}</th>
                    <th class="px-1 py-1 text-right">{tr("增长", "Growth")}</th>
                    {heads.iter().map(|i| view! { <th class="px-1 py-1 text-right">{words(&i.name)}<br/><span class="font-normal text-slate-500">{words(&i.unit)}</span></th> }).collect_view()}
                    <th class="px-1 py-1 text-right">{both(format!("规上＜{}万元/亩", shared::reports::LOW_ABOVE), format!("Above-size < {}", shared::reports::LOW_ABOVE))}</th>
                    <th class="px-1 py-1 text-right">{both(format!("规下＜{}万元/亩", shared::reports::LOW_BELOW), format!("Below-size < {}", shared::reports::LOW_BELOW))}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|c| view! {
                        <tr class="border-t border-slate-200 align-top" data-key=c.county.clone()>
                            <td class="px-1 py-0.5 tabular-nums">{c.rank}</td>
                            <td class="px-1 py-0.5 whitespace-nowrap">{county_name(&c.county)}</td>
                            <td class="px-1 py-0.5 text-right tabular-nums">{num(c.composite)}</td>
                            <td class="px-1 py-0.5 text-right tabular-nums">{num(c.level)}</td>
                            <td class="px-1 py-0.5 text-right tabular-nums">{opt(c.growth)}</td>
                            {c.values.iter().zip(c.level_points).map(|(v, p)| view! {
                                <td class="px-1 py-0.5 text-right tabular-nums">{opt(*v)}<br/><span class="text-slate-500">{both(format!("{p:.2} 分"), format!("{p:.2} pts"))}</span></td>
                            }).collect_view()}
                            <td class="px-1 py-0.5 text-right tabular-nums">{c.low_above}</td>
                            <td class="px-1 py-0.5 text-right tabular-nums">{c.low_below}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="mt-1 text-xs text-slate-500">{tr("每格上为该县（市、区）指标值，下为该指标所得发展水平分。", "Each cell: the county's figure, and below it the level points it earned.")}</p>
    }
}

#[component]
fn Fallen(r: AnnualReport) -> impl IntoView {
    let total = r.fallen_total;
    let shown = r.fallen.len();
    view! {
        <p class="mb-2 text-sm">{both(
            format!("比上年等次下降的企业共 {total} 家（先列 D 类），下表列出 {shown} 家；含企业数据，仅供内部使用。"),
            format!("{total} enterprises fell a class or more (class D first); {shown} are listed. Holds enterprises' figures: internal use only."),
        )}</p>
        <div class="overflow-x-auto print:overflow-visible">
            <table class="w-full text-xs" data-testid="fallen">
                {crate::pages::table_head(&[("企业", "Enterprise"), ("县（市、区）", "County"), ("行业", "Industry"), ("上年", "Before"), ("本年", "Now"), ("得分", "Score"), ("亩均税收", "Tax / mu"), ("亩均增加值", "VA / mu")])}
                <tbody>
                    {r.fallen.into_iter().map(|f| view! {
                        <tr class="border-t border-slate-200">
                            <td class="px-2 py-0.5"><A href=format!("/enterprises/{}/{}", f.uscc, r.year) attr:class="text-sky-800 underline" attr:lang="zh">{f.name.clone()}</A></td>
                            <td class="px-2 py-0.5 whitespace-nowrap">{tr(f.county.zh(), f.county.en())}</td>
                            <td class="px-2 py-0.5">{tr(f.industry.zh(), f.industry.en())}</td>
                            <td class="px-2 py-0.5">{crate::pages::class_badge(f.before)}</td>
                            <td class="px-2 py-0.5">{crate::pages::class_badge(f.after)}</td>
                            <td class="px-2 py-0.5 text-right tabular-nums">{opt(f.score)}</td>
                            <td class="px-2 py-0.5 text-right tabular-nums">{opt(f.tax_per_mu)}</td>
                            <td class="px-2 py-0.5 text-right tabular-nums">{opt(f.value_added_per_mu)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The browser's print dialog (the report prints without the header).
fn print_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}
