//! The annual analysis report, made on request from what is stored: a
//! published version never changes, and the year's data is in the live
//! cache, so it takes a pass over each (well under a second for the demo
//! city, docs/performance.md) and keeps nothing of its own.

use super::*;
use crate::actor::Actor;
use crate::disclosure::read::{self, Snapshot};
use crate::disclosure::Distribution;
use crate::disclosure::PublicRow;
use crate::{authz, Result, ServiceError, Services};
use grading::Words;
use grading::{evaluate_aggregates, Aggregates, Class, County, Indicator, Industry, Scale, Status};
use std::collections::HashMap;

/// The years with a publication, newest first: the years a report exists for.
pub async fn years(svc: &Services) -> Result<Vec<i32>> {
    Ok(read::publications(svc)
        .await?
        .into_iter()
        .map(|p| p.year)
        .collect())
}

/// Index 0–3 for a published class A–D, 4 for anything not graded.
fn class_index(r: &PublicRow) -> usize {
    match (r.status, r.class) {
        (Status::Graded, Some(c)) => c as usize,
        _ => 4,
    }
}

fn tally<'a>(key: &str, rows: impl Iterator<Item = &'a PublicRow>) -> Distribution {
    let mut d = Distribution {
        key: key.into(),
        ..Default::default()
    };
    for r in rows {
        match class_index(r) {
            4 => d.not_graded += 1,
            k => d.classes[k] += 1,
        }
    }
    d
}

fn transitions(now: &Snapshot, before: &Snapshot, from_year: i32) -> Transitions {
    let mut t = Transitions {
        from_year,
        ..Default::default()
    };
    for r in &now.rows {
        let k = class_index(r);
        let p = before.get(&r.uscc).map_or(4, class_index);
        t.cells[p][k] += 1;
        if k < 4 && p < 4 {
            match k.cmp(&p) {
                std::cmp::Ordering::Less => t.up += 1,
                std::cmp::Ordering::Greater => t.down += 1,
                std::cmp::Ordering::Equal => t.same += 1,
            }
        }
    }
    t
}

fn share(n: u32, of: u32) -> f64 {
    if of == 0 {
        0.0
    } else {
        f64::from(n) * 100.0 / f64::from(of)
    }
}

fn ratio(n: Option<f64>, d: Option<f64>) -> Option<f64> {
    match (n, d) {
        (Some(n), Some(d)) if d > 0.0 => Some(n / d),
        _ => None,
    }
}

/// What the year's data gives: aggregates, the county evaluation, the
/// improvement counts and (internal) the fallen enterprises' figures.
struct FromData {
    now: Aggregates,
    counties: Vec<CountyLine>,
    low: HashMap<String, (u32, u32)>,
    fallen: Vec<Fallen>,
    fallen_total: u32,
}

async fn from_data(
    svc: &Services,
    year: i32,
    snap: &Snapshot,
    before: Option<&Snapshot>,
    internal: bool,
) -> Result<(FromData, Option<Aggregates>)> {
    let graded = crate::workspace::views::graded_years(&svc.db).await?;
    if !graded.contains(&year) {
        return Err(ServiceError::NotFound);
    }
    let previous = svc.live.previous_aggregates(&svc.db, year, &graded).await?;
    let data = svc
        .live
        .with_year(&svc.db, year, async |g| {
            let now = Aggregates::of(g.rows(), g.results());
            let mut low: HashMap<String, (u32, u32)> = HashMap::new();
            for (e, r) in g.rows().iter().zip(g.results()) {
                if r.status != Status::Graded {
                    continue;
                }
                let Some(t) = r.tax_per_mu else { continue };
                let entry = low.entry(e.county.code().to_string()).or_default();
                match e.scale {
                    Scale::Above if t < LOW_ABOVE => entry.0 += 1,
                    Scale::Below if t < LOW_BELOW => entry.1 += 1,
                    _ => {}
                }
            }
            let counties = evaluate_aggregates(g.ruleset(), &now, previous.as_ref())
                .into_iter()
                .map(|c| {
                    let (low_above, low_below) =
                        low.get(c.county.code()).copied().unwrap_or_default();
                    CountyLine {
                        county: c.county.code().into(),
                        rank: c.rank,
                        composite: c.composite,
                        level: c.level,
                        growth: c.growth,
                        values: c.values,
                        level_points: c.level_points,
                        low_above,
                        low_below,
                    }
                })
                .collect();
            let mut fallen = Vec::new();
            let mut fallen_total = 0;
            if let (true, Some(before)) = (internal, before) {
                let at: HashMap<&str, usize> = g
                    .rows()
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.uscc.as_str(), i))
                    .collect();
                for r in &snap.rows {
                    let (k, p) = (class_index(r), before.get(&r.uscc).map_or(4, class_index));
                    if k == 4 || p == 4 || k <= p {
                        continue;
                    }
                    fallen_total += 1;
                    let i = at.get(r.uscc.as_str()).copied();
                    let e = i.map(|i| &g.rows()[i]);
                    fallen.push(Fallen {
                        uscc: r.uscc.clone(),
                        name: r.name.clone(),
                        county: r.county,
                        industry: r.industry,
                        before: Class::ALL[p],
                        after: Class::ALL[k],
                        score: i.and_then(|i| g.results()[i].score),
                        tax_per_mu: i.and_then(|i| g.results()[i].tax_per_mu),
                        value_added_per_mu: e.and_then(|e| ratio(e.value_added_wan, e.land_mu)),
                    });
                }
                fallen.sort_by(|a, b| {
                    b.after
                        .cmp(&a.after)
                        .then_with(|| a.county.code().cmp(b.county.code()))
                        .then_with(|| a.name.cmp(&b.name))
                });
                fallen.truncate(FALLEN_SHOWN);
            }
            Ok(FromData {
                now,
                counties,
                low,
                fallen,
                fallen_total,
            })
        })
        .await?;
    Ok((data, previous))
}

fn industry_words(code: &str) -> Words {
    Industry::parse(code).map_or_else(|| Words::new(code, code), |i| Words::new(i.zh(), i.en()))
}

fn county_words(code: &str) -> Words {
    County::parse(code).map_or_else(|| Words::new(code, code), |c| Words::new(c.zh(), c.en()))
}

fn ranked(by: &[Distribution], class: usize) -> Vec<CohortShare> {
    let mut out: Vec<CohortShare> = by
        .iter()
        .filter_map(|d| {
            let graded: u32 = d.classes.iter().sum();
            (graded >= COHORT_MIN).then(|| CohortShare {
                industry: d.key.clone(),
                name: industry_words(&d.key),
                graded,
                share: share(d.classes[class], graded),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then(a.industry.cmp(&b.industry))
    });
    out.truncate(3);
    out
}

/// The report of a published year. The public edition is for anyone; the
/// internal one for the city administrator.
pub async fn annual(
    svc: &Services,
    actor: &Actor,
    year: i32,
    edition: Edition,
) -> Result<AnnualReport> {
    let internal = edition == Edition::Internal;
    if internal {
        authz::city_admin(actor)?;
    }
    let notice = read::notice(svc, year).await?;
    let snap = read::snapshot(svc, year, None).await?;
    let published_years = years(svc).await?;
    if !published_years.contains(&year) {
        return Err(ServiceError::NotFound);
    }
    let before = if published_years.contains(&(year - 1)) {
        Some(read::snapshot(svc, year - 1, None).await?)
    } else {
        None
    };
    let (data, previous) = from_data(svc, year, &snap, before.as_deref(), internal).await?;

    let city = tally("city", snap.rows.iter());
    let by_county: Vec<Distribution> = County::ALL
        .iter()
        .map(|c| tally(c.code(), snap.rows.iter().filter(|r| r.county == *c)))
        .collect();
    let by_industry: Vec<Distribution> = Industry::ALL
        .iter()
        .map(|i| {
            tally(
                i.code(),
                snap.rows
                    .iter()
                    .filter(|r| r.scale == Scale::Above && r.industry == *i),
            )
        })
        .filter(|d| d.classes.iter().sum::<u32>() + d.not_graded > 0)
        .collect();
    let by_scale: Vec<Distribution> = Scale::ALL
        .iter()
        .map(|s| tally(s.code(), snap.rows.iter().filter(|r| r.scale == *s)))
        .collect();
    let transitions = before.as_deref().map(|b| transitions(&snap, b, year - 1));
    let indicators: Vec<IndicatorLine> = Indicator::ALL
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let value = data.now.city[k];
            let previous = previous.as_ref().and_then(|p| p.city[k]);
            IndicatorLine {
                key: i.code().into(),
                name: Words::new(i.zh(), i.en()),
                unit: grading::rule_form::indicator_unit(i),
                value,
                previous,
                growth: ratio(value, previous).map(|r| (r - 1.0) * 100.0),
                goal: matches!(i, Indicator::TaxPerMu | Indicator::ValueAddedPerMu)
                    .then_some(GROWTH_GOAL),
            }
        })
        .collect();
    let (low_above, low_below) = data
        .low
        .values()
        .fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
    let leading = ranked(&by_industry, 0);
    let lagging = ranked(&by_industry, 3);
    let mut report = AnnualReport {
        year,
        years: published_years,
        edition,
        version: snap.version,
        status: notice.status,
        published_at: notice
            .versions
            .iter()
            .find(|v| v.version == snap.version)
            .map(|v| v.published_at.clone())
            .unwrap_or_default(),
        city,
        by_county,
        by_industry,
        by_scale,
        transitions,
        indicators,
        counties: data.counties,
        low_above,
        low_below,
        leading,
        lagging,
        summary: Vec::new(),
        fallen: data.fallen,
        fallen_total: data.fallen_total,
    };
    report.summary = summary(&report);
    Ok(report)
}

fn num(v: f64) -> String {
    format!("{v:.2}")
}

/// The report's text: a paragraph per finding, each from the figures.
fn summary(r: &AnnualReport) -> Vec<Words> {
    let mut out = Vec::new();
    let c = &r.city;
    let graded: u32 = c.classes.iter().sum();
    let parts_zh: Vec<String> = ["A", "B", "C", "D"]
        .iter()
        .enumerate()
        .map(|(k, n)| {
            format!(
                "{n} 类 {} 家（{:.1}%）",
                c.classes[k],
                share(c.classes[k], graded)
            )
        })
        .collect();
    let parts_en: Vec<String> = ["A", "B", "C", "D"]
        .iter()
        .enumerate()
        .map(|(k, n)| {
            format!(
                "{} in class {n} ({:.1}%)",
                c.classes[k],
                share(c.classes[k], graded)
            )
        })
        .collect();
    out.push(Words::new(
        format!(
            "{} 年度全市共 {} 家工业企业列入评价名单，评定等次 {} 家，其中 {}；另有免评、合并计算或不参评企业 {} 家。",
            r.year,
            graded + c.not_graded,
            graded,
            parts_zh.join("、"),
            c.not_graded
        ),
        format!(
            "In {}, {} industrial enterprises were on the city's list and {} were graded: {}; {} more were exempt, merged or not evaluated.",
            r.year,
            graded + c.not_graded,
            graded,
            parts_en.join(", "),
            c.not_graded
        ),
    ));
    if let Some(t) = &r.transitions {
        out.push(Words::new(
            format!(
                "与 {} 年度相比，两年均评定等次的企业中，等次上升 {} 家、下降 {} 家、持平 {} 家。",
                t.from_year, t.up, t.down, t.same
            ),
            format!(
                "Of the enterprises graded in both {} and {}, {} moved up a class or more, {} moved down and {} kept their class.",
                t.from_year, r.year, t.up, t.down, t.same
            ),
        ));
    }
    for i in r.indicators.iter().filter(|i| i.goal.is_some()) {
        let (Some(v), Some(g), Some(goal)) = (i.value, i.growth, i.goal) else {
            if let Some(v) = i.value {
                out.push(Words::new(
                    format!("规上工业企业{}为 {} {}。", i.name.zh, num(v), i.unit.zh),
                    format!(
                        "{} of above-size enterprises was {} {}.",
                        i.name.en,
                        num(v),
                        i.unit.en
                    ),
                ));
            }
            continue;
        };
        let (zh, en) = if g >= goal {
            ("达到", "meeting")
        } else {
            ("未达到", "short of")
        };
        out.push(Words::new(
            format!(
                "规上工业企业{}为 {} {}，比上年增长 {:.1}%，{}年均增长 {goal:.0}% 的目标。",
                i.name.zh,
                num(v),
                i.unit.zh,
                g,
                zh
            ),
            format!(
                "{} of above-size enterprises was {} {}, {:+.1}% on the year before, {en} the goal of {goal:.0}% a year.",
                i.name.en,
                num(v),
                i.unit.en,
                g
            ),
        ));
    }
    if let (Some(first), Some(last)) = (r.counties.first(), r.counties.last()) {
        let (f, l) = (county_words(&first.county), county_words(&last.county));
        out.push(Words::new(
            format!(
                "县（市、区）综合评价中，{}列第一（{:.2} 分），{}列末位（{:.2} 分）。",
                f.zh, first.composite, l.zh, last.composite
            ),
            format!(
                "In the county evaluation {} ranks first ({:.2} points) and {} last ({:.2} points).",
                f.en, first.composite, l.en, last.composite
            ),
        ));
    }
    if let (Some(a), Some(d)) = (r.leading.first(), r.lagging.first()) {
        out.push(Words::new(
            format!(
                "规上企业中，A 类占比最高的行业是{}（{:.1}%），D 类占比最高的行业是{}（{:.1}%）。",
                a.name.zh, a.share, d.name.zh, d.share
            ),
            format!(
                "Among above-size enterprises, {} has the largest share of class A ({:.1}%) and {} the largest share of class D ({:.1}%).",
                a.name.en, a.share, d.name.en, d.share
            ),
        ));
    }
    out.push(Words::new(
        format!(
            "亩均税收 {LOW_ABOVE:.0} 万元以下的规上工业企业 {} 家、{LOW_BELOW:.0} 万元以下的规下企业 {} 家，是改造提升的对象；D 类企业 {} 家。",
            r.low_above, r.low_below, c.classes[3]
        ),
        format!(
            "{} above-size enterprises pay less than {LOW_ABOVE:.0} (10k yuan) of tax per mu and {} below-size ones less than {LOW_BELOW:.0}: the enterprises to improve; {} are in class D.",
            r.low_above, r.low_below, c.classes[3]
        ),
    ));
    out
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// The report's tables as a workbook (Chinese headers, like the other
/// files officials pass on).
pub fn report_xlsx(r: &AnnualReport) -> Result<Vec<u8>> {
    use crate::dataio::{guard, xlsx_bytes, Sheet};
    let dist_headers = [
        "分组类型",
        "分组",
        "A类",
        "B类",
        "C类",
        "D类",
        "未评定等次",
        "合计",
    ];
    let dist = |kind: &str, name: String, d: &Distribution| {
        let mut row = vec![kind.to_string(), name];
        row.extend(d.classes.iter().map(u32::to_string));
        row.push(d.not_graded.to_string());
        row.push((d.classes.iter().sum::<u32>() + d.not_graded).to_string());
        row
    };
    let mut dists = vec![dist("全市", "全市".into(), &r.city)];
    dists.extend(
        r.by_county
            .iter()
            .map(|d| dist("县（市、区）", county_words(&d.key).zh, d)),
    );
    dists.extend(r.by_scale.iter().map(|d| {
        dist(
            "规模",
            if d.key == "above" { "规上" } else { "规下" }.into(),
            d,
        )
    }));
    dists.extend(
        r.by_industry
            .iter()
            .map(|d| dist("行业（规上）", industry_words(&d.key).zh, d)),
    );
    const CLASSES: [&str; 5] = ["A类", "B类", "C类", "D类", "未评定等次"];
    let moves: Vec<Vec<String>> = r
        .transitions
        .iter()
        .flat_map(|t| {
            t.cells.iter().enumerate().map(|(p, row)| {
                let mut out = vec![format!("{}年{}", t.from_year, CLASSES[p])];
                out.extend(row.iter().map(u32::to_string));
                out
            })
        })
        .collect();
    let move_headers = [
        "上年等次 \\ 本年等次",
        "A类",
        "B类",
        "C类",
        "D类",
        "未评定等次",
    ];
    let indicators: Vec<Vec<String>> = r
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.name.zh.clone(),
                i.unit.zh.clone(),
                opt(i.value),
                opt(i.previous),
                opt(i.growth),
                opt(i.goal),
            ]
        })
        .collect();
    let indicator_headers = ["指标", "单位", "本年", "上年", "增长（%）", "目标增长（%）"];
    let mut county_headers: Vec<&str> = vec![
        "排名",
        "县（市、区）",
        "综合得分",
        "发展水平得分",
        "增长得分",
    ];
    county_headers.extend(Indicator::ALL.iter().map(|i| i.zh()));
    county_headers.extend(["亩均税收10万元以下规上企业", "亩均税收3万元以下规下企业"]);
    let counties: Vec<Vec<String>> = r
        .counties
        .iter()
        .map(|c| {
            let mut row = vec![
                c.rank.to_string(),
                county_words(&c.county).zh,
                num(c.composite),
                num(c.level),
                opt(c.growth),
            ];
            row.extend(c.values.iter().map(|v| opt(*v)));
            row.push(c.low_above.to_string());
            row.push(c.low_below.to_string());
            row
        })
        .collect();
    let text: Vec<Vec<String>> = r
        .summary
        .iter()
        .map(|w| vec![w.zh.clone(), w.en.clone()])
        .collect();
    let fallen: Vec<Vec<String>> = r
        .fallen
        .iter()
        .map(|f| {
            vec![
                f.uscc.clone(),
                guard(&f.name).into_owned(),
                f.county.zh().to_string(),
                f.industry.zh().to_string(),
                f.before.code().to_string(),
                f.after.code().to_string(),
                opt(f.score),
                opt(f.tax_per_mu),
                opt(f.value_added_per_mu),
            ]
        })
        .collect();
    let fallen_headers = [
        "统一社会信用代码",
        "企业名称",
        "县（市、区）",
        "行业",
        "上年等次",
        "本年等次",
        "得分",
        "亩均税收（万元/亩）",
        "亩均工业增加值（万元/亩）",
    ];
    let mut sheets = vec![
        Sheet {
            name: "报告正文",
            headers: &["中文", "English"],
            rows: &text,
        },
        Sheet {
            name: "等次分布",
            headers: &dist_headers,
            rows: &dists,
        },
        Sheet {
            name: "等次变动",
            headers: &move_headers,
            rows: &moves,
        },
        Sheet {
            name: "六项指标",
            headers: &indicator_headers,
            rows: &indicators,
        },
        Sheet {
            name: "县域评价",
            headers: &county_headers,
            rows: &counties,
        },
    ];
    if r.edition == Edition::Internal {
        sheets.push(Sheet {
            name: "等次下降企业",
            headers: &fallen_headers,
            rows: &fallen,
        });
    }
    xlsx_bytes(&sheets)
}

/// The report as a file to save, named after what it holds.
pub async fn download(
    svc: &Services,
    actor: &Actor,
    year: i32,
    edition: Edition,
) -> Result<crate::exports::Download> {
    let r = annual(svc, actor, year, edition).await?;
    Ok(crate::exports::Download {
        name: format!(
            "嘉兴市{year}年度工业企业绩效综合评价分析报告（{}）.xlsx",
            if edition == Edition::Internal {
                "内部版"
            } else {
                "公开版"
            }
        ),
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes: report_xlsx(&r)?,
    })
}
