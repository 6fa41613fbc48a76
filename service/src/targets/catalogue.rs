//! The targets as shipped: one TOML file per document in
//! `service/targets/` (reviewable in a diff), compiled into the binary and
//! written to the database at start-up — documents and targets that are not
//! there yet are added; what the administrator has edited since is kept.

use super::status::{Comparator, Kind};
use crate::{Result, ServiceError};
use chrono::NaiveDate;
use entity::{target, target_doc};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect, Set};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// The data files, in the order the dashboard lists them.
pub const FILES: &[(&str, &str)] = &[
    (
        "jzbf-2021-1.toml",
        include_str!("../../targets/jzbf-2021-1.toml"),
    ),
    (
        "jzbf-2021-5.toml",
        include_str!("../../targets/jzbf-2021-5.toml"),
    ),
    (
        "jzbf-2021-6.toml",
        include_str!("../../targets/jzbf-2021-6.toml"),
    ),
    (
        "jzf-2016-5.toml",
        include_str!("../../targets/jzf-2016-5.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    doc: DocDef,
    #[serde(default)]
    target: Vec<TargetDef>,
    #[serde(default)]
    county_target: Vec<CountyDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocDef {
    id: String,
    number: String,
    title: String,
    date: NaiveDate,
    seed: String,
    start: NaiveDate,
    deadline: NaiveDate,
    rhythm: Option<String>,
    #[serde(default)]
    lead: Vec<String>,
    lead_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetDef {
    key: String,
    section: String,
    group: String,
    action: Option<String>,
    indicator: String,
    kind: String,
    comparator: String,
    value: Option<f64>,
    unit: String,
    words: Option<String>,
    versus: Option<String>,
    start: Option<NaiveDate>,
    deadline: Option<NaiveDate>,
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    support: Vec<String>,
    lead_note: Option<String>,
    #[serde(default)]
    aspirational: bool,
    quote: String,
}

/// A target set for each county: `values` per county code, the quote the
/// same for all or per county (`quotes`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountyDef {
    key: String,
    section: String,
    group: String,
    action: Option<String>,
    indicator: String,
    kind: String,
    comparator: String,
    unit: String,
    words: Option<String>,
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    aspirational: bool,
    quote: Option<String>,
    #[serde(default)]
    quotes: BTreeMap<String, String>,
    values: BTreeMap<String, f64>,
}

/// A document as shipped.
#[derive(Clone, Debug)]
pub struct Doc {
    pub id: String,
    pub number: String,
    pub title: String,
    pub date: NaiveDate,
    pub seed: String,
    pub rhythm: Option<String>,
}

/// A target as shipped (county tables expanded).
#[derive(Clone, Debug)]
pub struct Target {
    pub id: String,
    pub doc: String,
    pub section: String,
    pub group: String,
    pub action: Option<String>,
    pub indicator: String,
    pub kind: Kind,
    pub comparator: Comparator,
    pub value: Option<f64>,
    pub unit: String,
    pub words: Option<String>,
    pub versus: Option<String>,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub lead: Vec<String>,
    pub support: Vec<String>,
    pub lead_note: Option<String>,
    pub scope: String,
    pub aspirational: bool,
    pub quote: String,
}

pub struct Catalogue {
    pub docs: Vec<Doc>,
    pub targets: Vec<Target>,
}

fn bad(file: &str, what: String) -> ServiceError {
    ServiceError::Internal(format!("targets/{file}: {what}"))
}

/// Parses every shipped file, checking what a reviewer might miss: known
/// kinds, comparators and counties, a lead unit, a value where one is
/// needed, unique ids.
pub fn load() -> Result<Catalogue> {
    let mut docs = Vec::new();
    let mut targets = Vec::new();
    let mut ids = HashSet::new();
    for (name, text) in FILES {
        let f: File = toml::from_str(text).map_err(|e| bad(name, e.to_string()))?;
        let d = &f.doc;
        let kind = |k: &str, key: &str| {
            Kind::parse(k).ok_or_else(|| bad(name, format!("{key}: kind {k}")))
        };
        let cmp = |c: &str, key: &str| {
            Comparator::parse(c).ok_or_else(|| bad(name, format!("{key}: comparator {c}")))
        };
        let lead_of = |own: &[String], key: &str| -> Result<Vec<String>> {
            let l = if own.is_empty() {
                d.lead.clone()
            } else {
                own.to_vec()
            };
            if l.is_empty() {
                return Err(bad(name, format!("{key}: no lead unit")));
            }
            Ok(l)
        };
        let mut push = |t: Target| -> Result<()> {
            let needs_value = !matches!(t.kind, Kind::Relative | Kind::Milestone);
            if needs_value && t.value.is_none() {
                return Err(bad(name, format!("{}: no value", t.id)));
            }
            if t.kind == Kind::Relative && t.versus.is_none() {
                return Err(bad(name, format!("{}: relative without `versus`", t.id)));
            }
            if !ids.insert(t.id.clone()) {
                return Err(bad(name, format!("{}: id used twice", t.id)));
            }
            targets.push(t);
            Ok(())
        };
        for t in &f.target {
            push(Target {
                id: format!("{}.{}", d.id, t.key),
                doc: d.id.clone(),
                section: t.section.clone(),
                group: t.group.clone(),
                action: t.action.clone(),
                indicator: t.indicator.clone(),
                kind: kind(&t.kind, &t.key)?,
                comparator: cmp(&t.comparator, &t.key)?,
                value: t.value,
                unit: t.unit.clone(),
                words: t.words.clone(),
                versus: t.versus.clone(),
                start: t.start.unwrap_or(d.start),
                deadline: t.deadline.unwrap_or(d.deadline),
                lead: lead_of(&t.lead, &t.key)?,
                support: t.support.clone(),
                lead_note: t.lead_note.clone().or_else(|| d.lead_note.clone()),
                scope: "city".into(),
                aspirational: t.aspirational,
                quote: t.quote.clone(),
            })?;
        }
        for c in &f.county_target {
            for (county, value) in &c.values {
                if grading::County::parse(county).is_none() {
                    return Err(bad(name, format!("{}: county {county}", c.key)));
                }
                let quote = c
                    .quotes
                    .get(county)
                    .or(c.quote.as_ref())
                    .ok_or_else(|| bad(name, format!("{}: no quote for {county}", c.key)))?;
                push(Target {
                    id: format!("{}.{}.{county}", d.id, c.key),
                    doc: d.id.clone(),
                    section: c.section.clone(),
                    group: c.group.clone(),
                    action: c.action.clone(),
                    indicator: c.indicator.clone(),
                    kind: kind(&c.kind, &c.key)?,
                    comparator: cmp(&c.comparator, &c.key)?,
                    value: Some(*value),
                    unit: c.unit.clone(),
                    words: c.words.clone(),
                    versus: None,
                    start: d.start,
                    deadline: d.deadline,
                    lead: lead_of(&c.lead, &c.key)?,
                    support: vec![],
                    lead_note: d.lead_note.clone(),
                    scope: county.clone(),
                    aspirational: c.aspirational,
                    quote: quote.clone(),
                })?;
            }
        }
        docs.push(Doc {
            id: d.id.clone(),
            number: d.number.clone(),
            title: d.title.clone(),
            date: d.date,
            seed: d.seed.clone(),
            rhythm: d.rhythm.clone(),
        });
    }
    Ok(Catalogue { docs, targets })
}

pub(crate) fn json_list(l: &[String]) -> String {
    serde_json::to_string(l).unwrap_or_else(|_| "[]".into())
}

/// Adds the shipped documents and targets the database does not hold yet.
pub async fn sync(db: &impl ConnectionTrait) -> Result<usize> {
    let cat = load()?;
    let have_docs: HashSet<String> = target_doc::Entity::find()
        .select_only()
        .column(target_doc::Column::Id)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let have: HashSet<String> = target::Entity::find()
        .select_only()
        .column(target::Column::Id)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let docs: Vec<target_doc::ActiveModel> = cat
        .docs
        .iter()
        .filter(|d| !have_docs.contains(&d.id))
        .map(|d| target_doc::ActiveModel {
            id: Set(d.id.clone()),
            number: Set(d.number.clone()),
            title: Set(d.title.clone()),
            date: Set(d.date),
            seed: Set(d.seed.clone()),
            rhythm: Set(d.rhythm.clone()),
            public: Set(false),
        })
        .collect();
    if !docs.is_empty() {
        target_doc::Entity::insert_many(docs).exec(db).await?;
    }
    let new: Vec<target::ActiveModel> = cat
        .targets
        .iter()
        .enumerate()
        .filter(|(_, t)| !have.contains(&t.id))
        .map(|(i, t)| target::ActiveModel {
            id: Set(t.id.clone()),
            doc_id: Set(t.doc.clone()),
            section: Set(t.section.clone()),
            group_name: Set(t.group.clone()),
            action: Set(t.action.clone()),
            indicator: Set(t.indicator.clone()),
            kind: Set(t.kind.code().into()),
            comparator: Set(t.comparator.code().into()),
            value: Set(t.value),
            unit: Set(t.unit.clone()),
            words: Set(t.words.clone()),
            versus: Set(t.versus.clone()),
            start: Set(t.start),
            deadline: Set(t.deadline),
            lead: Set(json_list(&t.lead)),
            support: Set(json_list(&t.support)),
            lead_note: Set(t.lead_note.clone()),
            scope: Set(t.scope.clone()),
            aspirational: Set(t.aspirational),
            quote: Set(t.quote.clone()),
            position: Set(i as i32),
        })
        .collect();
    let n = new.len();
    for chunk in new.chunks(200) {
        target::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(n)
}
