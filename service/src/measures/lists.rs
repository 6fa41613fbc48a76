//! The entitlement lists, made from a published version of a year: its
//! public rows (class) and the figures it froze beside them
//! (`disclosure_facts`, written by [`freeze_facts`] when the version is
//! published), valued by the year's ruleset's measures. Who reads which
//! list is `authz::may_read_measure`; a measure the reader does not apply
//! is not found, as elsewhere.

use super::{
    ApiMeasureRow, Leader, Leaders, ListChange, ListRow, MeasureInfo, MeasureList, MeasuresIndex,
    VersionRef,
};
use crate::actor::Actor;
use crate::exports::Download;
use crate::{authz, dataio, store, Result, ServiceError, Services};
use entity::{disclosure_fact, disclosure_row, disclosure_version, record};
use grading::measures::Measure;
use grading::ruleset::Ruleset;
use grading::{Class, County};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The record fields every version freezes besides the measures' own: the
/// industry leader flag, which an override reads, and land and tax, which
/// the remediation ledger's tax per mu reads.
const LEADER: &str = "industry_leader";

/// The fields a version freezes for the lists of `rs`'s measures.
fn fact_keys(rs: &Ruleset) -> Vec<String> {
    let mut keys: Vec<String> = rs
        .measures
        .iter()
        .flat_map(|m| m.figures.iter().cloned())
        .chain([LEADER, "land_mu", "tax_wan"].map(str::to_string))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Freezes, beside version `version` of `year`, what its lists need of
/// each enterprise's record (called in the publishing transaction).
pub(crate) async fn freeze_facts(db: &impl ConnectionTrait, year: i32, version: i32) -> Result<()> {
    let keys = fact_keys(&store::ruleset_for(db, year).await?);
    let records: Vec<(String, String)> = record::Entity::find()
        .select_only()
        .column(record::Column::Uscc)
        .column(record::Column::Fields)
        .filter(record::Column::Year.eq(year))
        .into_tuple()
        .all(db)
        .await?;
    let models: Vec<disclosure_fact::ActiveModel> = records
        .into_iter()
        .map(|(uscc, fields)| {
            let all: BTreeMap<String, String> = serde_json::from_str(&fields).unwrap_or_default();
            let kept: BTreeMap<&str, &String> = keys
                .iter()
                .filter_map(|k| all.get(k).map(|v| (k.as_str(), v)))
                .collect();
            disclosure_fact::ActiveModel {
                year: Set(year),
                version: Set(version),
                uscc: Set(uscc),
                figures: Set(serde_json::to_string(&kept).unwrap_or_default()),
                ..Default::default()
            }
        })
        .collect();
    for chunk in store::batches(models) {
        disclosure_fact::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn info(m: &Measure) -> MeasureInfo {
    let by = |zh: bool| [Class::A, Class::B, Class::C, Class::D].map(|c| m.text(c, zh));
    MeasureInfo {
        key: m.key.clone(),
        topic_zh: m.topic_zh.clone(),
        topic_en: m.topic_en.clone(),
        units: m.units.clone(),
        by_class_zh: by(true),
        by_class_en: by(false),
        figures: m
            .figures
            .iter()
            .map(|k| {
                let name = grading::record::column_by_key(k).map_or(k.as_str(), |c| c.zh);
                (k.clone(), name.to_string())
            })
            .collect(),
    }
}

fn beijing(t: chrono::DateTime<chrono::Utc>) -> String {
    crate::clock::minute(t)
}

pub(crate) async fn versions(db: &impl ConnectionTrait, year: i32) -> Result<Vec<VersionRef>> {
    Ok(disclosure_version::Entity::find()
        .filter(disclosure_version::Column::Year.eq(year))
        .order_by_desc(disclosure_version::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|v| VersionRef {
            year: v.year,
            version: v.version,
            kind: v.kind,
            note: v.note,
            published_at: beijing(v.published_at),
        })
        .collect())
}

/// The years with a published version, newest first.
pub(crate) async fn published_years(db: &impl ConnectionTrait) -> Result<Vec<i32>> {
    let mut years: Vec<i32> = disclosure_version::Entity::find()
        .select_only()
        .column(disclosure_version::Column::Year)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    years.sort_unstable_by(|a, b| b.cmp(a));
    Ok(years)
}

/// The published years and the measures the actor may open.
pub async fn index(svc: &Services, actor: &Actor) -> Result<MeasuresIndex> {
    let years = published_years(&svc.db).await?;
    let rs = match years.first() {
        Some(y) => store::ruleset_for(&svc.db, *y).await?,
        None => Ruleset::builtin_2020(),
    };
    let keys: Vec<&str> = rs.measures.iter().map(|m| m.key.as_str()).collect();
    let readable = authz::readable_measures(actor, &keys);
    if readable.is_empty() {
        return Err(match actor {
            Actor::Public => ServiceError::Unauthorized,
            _ => ServiceError::Forbidden,
        });
    }
    Ok(MeasuresIndex {
        years,
        measures: rs
            .measures
            .iter()
            .filter(|m| readable.contains(&m.key.as_str()))
            .map(info)
            .collect(),
        county: bound_county(actor).map(|c| c.code().to_string()),
    })
}

/// The one county an account is bound to, for the lists.
fn bound_county(actor: &Actor) -> Option<County> {
    actor.user().and_then(|u| match u.role {
        crate::Role::CountyOfficial | crate::Role::Implementer => u.county,
        _ => None,
    })
}

/// What a list is made of: the version's rows and frozen figures.
pub(crate) struct Version {
    rows: Vec<disclosure_row::Model>,
    facts: HashMap<String, BTreeMap<String, String>>,
}

/// A published version's rows and figures, read from the database once per
/// process: a version never changes once published, and reading a whole
/// city's rows and figures (JSON per enterprise) took most of a list's
/// time, twice per view (the version and the one before it).
async fn load_version(svc: &Services, year: i32, version: i32) -> Result<Arc<Version>> {
    let cache = &svc.disclosures.frozen;
    if let Some(v) = cache.get((year, version)) {
        return Ok(v);
    }
    let v = Arc::new(read_version(&svc.db, year, version).await?);
    cache.put((year, version), v.clone());
    Ok(v)
}

async fn read_version(db: &impl ConnectionTrait, year: i32, version: i32) -> Result<Version> {
    let rows = disclosure_row::Entity::find()
        .filter(disclosure_row::Column::Year.eq(year))
        .filter(disclosure_row::Column::Version.eq(version))
        .order_by_asc(disclosure_row::Column::County)
        .order_by_asc(disclosure_row::Column::Uscc)
        .all(db)
        .await?;
    let facts = disclosure_fact::Entity::find()
        .filter(disclosure_fact::Column::Year.eq(year))
        .filter(disclosure_fact::Column::Version.eq(version))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.uscc, serde_json::from_str(&f.figures).unwrap_or_default()))
        .collect();
    Ok(Version { rows, facts })
}

fn truthy(v: Option<&String>) -> bool {
    v.is_some_and(|v| grading::record::parse_bool(v) == Ok(true))
}

/// The list rows of `m` from version `v`, for the counties `keep` admits.
fn rows_of(m: &Measure, v: &Version, keep: impl Fn(&str) -> bool) -> Result<Vec<ListRow>> {
    let empty = BTreeMap::new();
    let mut out = Vec::new();
    for r in v
        .rows
        .iter()
        .filter(|r| r.status == "graded" && keep(&r.county))
    {
        let Some(class) = store::stored_class(r.class.as_deref()) else {
            continue;
        };
        let facts = v.facts.get(&r.uscc).unwrap_or(&empty);
        let leader = truthy(facts.get(LEADER));
        // No record says which projects are strategic emerging ones:
        // the list gives the class's value and the rule says the rest.
        let e = m.entitlement(class, leader, false);
        out.push(ListRow {
            uscc: r.uscc.clone(),
            name: r.name.clone(),
            county: store::stored_county(&r.county)?,
            industry: store::stored_industry(&r.industry)?,
            scale: store::stored_scale(&r.scale)?,
            class,
            leader,
            value: e.value,
            text_zh: e.zh,
            text_en: e.en,
            figures: m
                .figures
                .iter()
                .map(|k| facts.get(k).cloned().unwrap_or_default())
                .collect(),
        });
    }
    Ok(out)
}

fn diff(before: &[ListRow], after: &[ListRow]) -> Vec<ListChange> {
    let old: HashMap<&str, &ListRow> = before.iter().map(|r| (r.uscc.as_str(), r)).collect();
    let new: HashMap<&str, &ListRow> = after.iter().map(|r| (r.uscc.as_str(), r)).collect();
    let mut out: Vec<ListChange> = Vec::new();
    for a in after {
        let b = old.get(a.uscc.as_str());
        if b.is_none_or(|b| (&b.class, &b.text_zh) != (&a.class, &a.text_zh)) {
            out.push(ListChange {
                uscc: a.uscc.clone(),
                name: a.name.clone(),
                county: a.county,
                before_class: b.map(|b| b.class),
                before: b.map(|b| b.text_zh.clone()),
                after_class: Some(a.class),
                after: Some(a.text_zh.clone()),
            });
        }
    }
    for b in before.iter().filter(|b| !new.contains_key(b.uscc.as_str())) {
        out.push(ListChange {
            uscc: b.uscc.clone(),
            name: b.name.clone(),
            county: b.county,
            before_class: Some(b.class),
            before: Some(b.text_zh.clone()),
            after_class: None,
            after: None,
        });
    }
    out
}

/// Measure `key`'s list of `year` from `version` (the latest when None),
/// for `county` or every county the actor covers: its first `shown` rows
/// and changes, with the counts of the whole list.
pub async fn list(
    svc: &Services,
    actor: &Actor,
    year: i32,
    key: &str,
    version: Option<i32>,
    county: Option<&str>,
    shown: usize,
) -> Result<MeasureList> {
    let rs = store::ruleset_for(&svc.db, year).await?;
    let m = rs
        .measure(key)
        .filter(|_| authz::readable_measures(actor, &[key]).len() == 1)
        .ok_or(ServiceError::NotFound)?;
    let county = county.filter(|c| !c.is_empty());
    if let Some(c) = county {
        if County::parse(c).is_none() || !authz::may_read_measure(actor, key, c) {
            return Err(ServiceError::NotFound);
        }
    }
    let all = versions(&svc.db, year).await?;
    let chosen = match version {
        Some(n) => all.iter().find(|v| v.version == n),
        None => all.first(),
    }
    .cloned()
    .ok_or(ServiceError::NotFound)?;
    let keep = |c: &str| county.is_none_or(|x| x == c) && authz::may_read_measure(actor, key, c);
    let now = load_version(svc, year, chosen.version).await?;
    let rows = rows_of(m, &now, keep)?;
    let changes = match all.iter().find(|v| v.version == chosen.version - 1) {
        Some(prev) => {
            let before = load_version(svc, year, prev.version).await?;
            diff(&rows_of(m, &before, keep)?, &rows)
        }
        None => vec![],
    };
    let mut by_class = [0u32; 4];
    for r in &rows {
        by_class[r.class as usize] += 1;
    }
    let (total, total_changes) = (rows.len(), changes.len());
    Ok(MeasureList {
        measure: info(m),
        version: chosen,
        versions: all,
        county: county.map(str::to_string),
        rows: rows.into_iter().take(shown).collect(),
        total,
        changes: changes.into_iter().take(shown).collect(),
        total_changes,
        by_class,
    })
}

/// A list as a file: CSV or .xlsx, Chinese headers, named after the
/// measure, year and version; the .xlsx has a second sheet of changes.
pub async fn download(
    svc: &Services,
    actor: &Actor,
    year: i32,
    key: &str,
    version: Option<i32>,
    county: Option<&str>,
    xlsx: bool,
) -> Result<Download> {
    let l = list(svc, actor, year, key, version, county, usize::MAX).await?;
    let mut headers: Vec<&str> = vec![
        "统一社会信用代码",
        "企业名称",
        "县（市、区）",
        "行业",
        "规模",
        "等次",
        "行业领跑者",
        "享受内容",
        "数值",
    ];
    let figure_names: Vec<String> = l.measure.figures.iter().map(|(_, n)| n.clone()).collect();
    headers.extend(figure_names.iter().map(String::as_str));
    headers.push("公示版本");
    let rows: Vec<Vec<String>> = l
        .rows
        .iter()
        .map(|r| {
            let mut v = vec![
                r.uscc.clone(),
                dataio::guard(&r.name).into_owned(),
                r.county.zh().to_string(),
                r.industry.zh().to_string(),
                r.scale.zh().to_string(),
                r.class.code().to_string(),
                if r.leader { "是" } else { "" }.to_string(),
                r.text_zh.clone(),
                r.value.map(grading::measures::number).unwrap_or_default(),
            ];
            v.extend(r.figures.iter().cloned());
            v.push(format!("第 {} 版", l.version.version));
            v
        })
        .collect();
    // Named as people file it: year, measure, version, county.
    let name = format!(
        "{year}年{}名单-第{}版{}",
        l.measure.topic_zh,
        l.version.version,
        l.county
            .as_deref()
            .and_then(County::parse)
            .map(|c| format!("-{}", c.zh()))
            .unwrap_or_default()
    );
    if !xlsx {
        return Ok(Download {
            name: format!("{name}.csv"),
            mime: "text/csv; charset=utf-8",
            bytes: dataio::csv_bytes(&headers, &rows)?,
        });
    }
    let change_headers = [
        "统一社会信用代码",
        "企业名称",
        "县（市、区）",
        "原等次",
        "原享受内容",
        "现等次",
        "现享受内容",
    ];
    let changes: Vec<Vec<String>> = l
        .changes
        .iter()
        .map(|c| {
            vec![
                c.uscc.clone(),
                dataio::guard(&c.name).into_owned(),
                c.county.zh().to_string(),
                c.before_class
                    .map_or_else(|| "（不在名单）".into(), |c| c.code().to_string()),
                c.before.clone().unwrap_or_default(),
                c.after_class
                    .map_or_else(|| "（移出名单）".into(), |c| c.code().to_string()),
                c.after.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Ok(Download {
        name: format!("{name}.xlsx"),
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes: dataio::xlsx_bytes(&[
            dataio::Sheet {
                name: "名单",
                headers: &headers,
                rows: &rows,
            },
            dataio::Sheet {
                name: "名单变更",
                headers: &change_headers,
                rows: &changes,
            },
        ])?,
    })
}

/// Every row of every list the actor may read, from the year's latest
/// version (`GET /api/v1/measures/{year}`).
pub async fn api_rows(svc: &Services, actor: &Actor, year: i32) -> Result<Vec<ApiMeasureRow>> {
    let rs = store::ruleset_for(&svc.db, year).await?;
    let keys: Vec<&str> = rs.measures.iter().map(|m| m.key.as_str()).collect();
    let readable = authz::readable_measures(actor, &keys);
    if readable.is_empty() {
        return Err(match actor {
            Actor::Public => ServiceError::Unauthorized,
            _ => ServiceError::Forbidden,
        });
    }
    let latest = versions(&svc.db, year)
        .await?
        .into_iter()
        .next()
        .ok_or(ServiceError::NotFound)?;
    let v = load_version(svc, year, latest.version).await?;
    let mut out = Vec::new();
    for m in rs
        .measures
        .iter()
        .filter(|m| readable.contains(&m.key.as_str()))
    {
        let keep = |c: &str| authz::may_read_measure(actor, &m.key, c);
        out.extend(rows_of(m, &v, keep)?.into_iter().map(|r| ApiMeasureRow {
            uscc: r.uscc,
            name: r.name,
            county: r.county.code().to_string(),
            class: r.class.code().to_string(),
            measure: m.key.clone(),
            value: r.value,
            text: r.text_zh,
            version: latest.version,
        }));
    }
    Ok(out)
}

/// The industry leaders (行业领跑者) of `year` as its latest published
/// version froze them, by industry: public, like the list they are on.
pub async fn leaders(svc: &Services, year: i32) -> Result<Leaders> {
    let latest = versions(&svc.db, year)
        .await?
        .into_iter()
        .next()
        .ok_or(ServiceError::NotFound)?;
    let v = load_version(svc, year, latest.version).await?;
    let mut out: Vec<Leader> = v
        .rows
        .iter()
        .filter(|r| truthy(v.facts.get(&r.uscc).and_then(|f| f.get(LEADER))))
        .map(|r| {
            Ok(Leader {
                uscc: r.uscc.clone(),
                name: r.name.clone(),
                county: store::stored_county(&r.county)?,
                industry: store::stored_industry(&r.industry)?,
                class: store::stored_class(r.class.as_deref()),
            })
        })
        .collect::<Result<_>>()?;
    // By the codes, as the list has always been ordered.
    out.sort_by(|a, b| {
        (a.industry.code(), a.county.code(), &a.name).cmp(&(
            b.industry.code(),
            b.county.code(),
            &b.name,
        ))
    });
    Ok(Leaders {
        version: latest,
        rows: out,
    })
}
