//! The targets as shipped: one TOML file per document in
//! `service/targets/` (reviewable in a diff), compiled into the binary and
//! written to the database at start-up — documents and targets that are not
//! there yet are added; what the administrator has edited since is kept.

use super::status::{Comparator, Kind};
pub use super::Computed;
use super::TargetSpec;
use crate::{Result, ServiceError};
use chrono::NaiveDate;
use entity::{target, target_doc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QuerySelect, Set};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// The data files (`service/targets/*.toml`, in file-name order), as the
/// build script found them.
mod files {
    include!(concat!(env!("OUT_DIR"), "/target_files.rs"));
}
pub use files::FILES;

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
    /// The same target stated again elsewhere in the document (e.g. in its
    /// attached list): one target, every sentence that states it.
    #[serde(default)]
    also: Vec<String>,
    /// The platform measures it from its own data (see [`Computed`]).
    computed: Option<String>,
    /// For a table row: the value's cell (1 = the first after the row's name).
    column: Option<usize>,
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
    lead_note: Option<String>,
    #[serde(default)]
    aspirational: bool,
    quote: Option<String>,
    #[serde(default)]
    quotes: BTreeMap<String, String>,
    /// For a table: the value's cell in its county's row (1 = the first
    /// cell after the county's name); the catalogue test reads that cell.
    column: Option<usize>,
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

/// A target as shipped (county tables expanded): its statement, and where
/// its value stands in a per-county table of the document.
#[derive(Clone, Debug)]
pub struct Target {
    pub spec: TargetSpec,
    /// The table cell the value stands in (per-county tables).
    pub column: Option<usize>,
}

impl std::ops::Deref for Target {
    type Target = TargetSpec;

    fn deref(&self) -> &TargetSpec {
        &self.spec
    }
}

impl std::ops::DerefMut for Target {
    fn deref_mut(&mut self) -> &mut TargetSpec {
        &mut self.spec
    }
}

pub struct Catalogue {
    pub docs: Vec<Doc>,
    pub targets: Vec<Target>,
}

/// How a `lead_note` starts: it is written only where the text names no
/// unit for the target and the platform had to infer one.
pub const INFERRED: &str = "推定";

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
        // A target's own units are the ones its sentence names; the
        // document's lead (and its note) stand in only where none is named.
        let lead_of = |own: &[String],
                       note: &Option<String>,
                       key: &str|
         -> Result<(Vec<String>, Option<String>)> {
            let (l, n) = if own.is_empty() {
                (d.lead.clone(), note.clone().or_else(|| d.lead_note.clone()))
            } else {
                (own.to_vec(), note.clone())
            };
            if l.is_empty() {
                return Err(bad(name, format!("{key}: no lead unit")));
            }
            if let Some(n) = &n {
                if !n.starts_with(INFERRED) {
                    return Err(bad(
                        name,
                        format!("{key}: lead_note is for inferred units and starts “{INFERRED}”"),
                    ));
                }
            }
            Ok((l, n))
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
            let (lead, lead_note) = lead_of(&t.lead, &t.lead_note, &t.key)?;
            push(Target {
                column: t.column,
                spec: TargetSpec {
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
                    lead,
                    support: t.support.clone(),
                    lead_note,
                    scope: "city".into(),
                    aspirational: t.aspirational,
                    quote: t.quote.clone(),
                    also: t.also.clone(),
                    computed: match &t.computed {
                        None => None,
                        Some(c) => Some(
                            Computed::parse(c)
                                .ok_or_else(|| bad(name, format!("{}: computed {c}", t.key)))?,
                        ),
                    },
                },
            })?;
        }
        for c in &f.county_target {
            let (lead, lead_note) = lead_of(&c.lead, &c.lead_note, &c.key)?;
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
                    column: c.column,
                    spec: TargetSpec {
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
                        lead: lead.clone(),
                        support: vec![],
                        lead_note: lead_note.clone(),
                        scope: county.clone(),
                        aspirational: c.aspirational,
                        quote: quote.clone(),
                        also: vec![],
                        computed: None,
                    },
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

/// The shipped catalogue, parsed once (what the database does not hold:
/// further quotes, table columns, computed targets).
pub fn catalogue() -> &'static Catalogue {
    static CAT: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    CAT.get_or_init(|| load().expect("the shipped targets parse (tested)"))
}

/// A shipped target by id (None: not shipped, e.g. removed since).
pub fn shipped(id: &str) -> Option<&'static Target> {
    static BY_ID: std::sync::OnceLock<std::collections::HashMap<&'static str, usize>> =
        std::sync::OnceLock::new();
    let cat = catalogue();
    let by = BY_ID.get_or_init(|| {
        cat.targets
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect()
    });
    by.get(id).map(|&i| &cat.targets[i])
}

pub(crate) fn json_list(l: &[String]) -> String {
    serde_json::to_string(l).unwrap_or_else(|_| "[]".into())
}

/// The shipped fields of a target as the database stores them, by the
/// name the audit trail uses.
fn stored_fields(t: &Target, position: usize) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("section", Some(t.section.clone())),
        ("group", Some(t.group.clone())),
        ("action", t.action.clone()),
        ("indicator", Some(t.indicator.clone())),
        ("kind", Some(t.kind.code().into())),
        ("comparator", Some(t.comparator.code().into())),
        ("value", t.value.map(|v| v.to_string())),
        ("unit", Some(t.unit.clone())),
        ("words", t.words.clone()),
        ("versus", t.versus.clone()),
        ("start", Some(t.start.to_string())),
        ("deadline", Some(t.deadline.to_string())),
        ("lead", Some(json_list(&t.lead))),
        ("support", Some(json_list(&t.support))),
        ("lead_note", t.lead_note.clone()),
        ("scope", Some(t.scope.clone())),
        ("aspirational", Some(t.aspirational.to_string())),
        ("quote", Some(t.quote.clone())),
        ("position", Some(position.to_string())),
    ]
}

fn model_fields(m: &target::Model) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("section", Some(m.section.clone())),
        ("group", Some(m.group_name.clone())),
        ("action", m.action.clone()),
        ("indicator", Some(m.indicator.clone())),
        ("kind", Some(m.kind.clone())),
        ("comparator", Some(m.comparator.clone())),
        ("value", m.value.map(|v| v.to_string())),
        ("unit", Some(m.unit.clone())),
        ("words", m.words.clone()),
        ("versus", m.versus.clone()),
        ("start", Some(m.start.to_string())),
        ("deadline", Some(m.deadline.to_string())),
        ("lead", Some(m.lead.clone())),
        ("support", Some(m.support.clone())),
        ("lead_note", m.lead_note.clone()),
        ("scope", Some(m.scope.clone())),
        ("aspirational", Some(m.aspirational.to_string())),
        ("quote", Some(m.quote.clone())),
        ("position", Some(m.position.to_string())),
    ]
}

/// Brings the database to the shipped catalogue: documents and targets not
/// there yet are added; a shipped correction reaches a target already
/// stored, field by field, except the fields the administrator has edited
/// (their audit entries say so), each change audited as the catalogue's;
/// a target no longer shipped (merged into another, say) is removed unless
/// someone reported or edited it. Returns how many targets were added.
pub async fn sync(db: &impl ConnectionTrait) -> Result<usize> {
    let added = add_missing(db).await?;
    update_stored(db).await?;
    Ok(added)
}

async fn update_stored(db: &impl ConnectionTrait) -> Result<()> {
    use entity::{target_actual, target_audit};
    let cat = catalogue();
    let shipped_docs: HashSet<&str> = cat.docs.iter().map(|d| d.id.as_str()).collect();
    let edited: HashSet<(String, String)> = target_audit::Entity::find()
        .select_only()
        .column(target_audit::Column::TargetId)
        .column(target_audit::Column::Field)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let reported: HashSet<String> = target_actual::Entity::find()
        .select_only()
        .column(target_actual::Column::TargetId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let position: std::collections::HashMap<&str, usize> = cat
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let now = chrono::Utc::now();
    for m in target::Entity::find().all(db).await? {
        let Some(&i) = position.get(m.id.as_str()) else {
            let touched = reported.contains(&m.id) || edited.iter().any(|(t, _)| t == &m.id);
            if shipped_docs.contains(m.doc_id.as_str()) && !touched {
                target::Entity::delete_by_id(m.id.clone()).exec(db).await?;
            }
            continue;
        };
        let t = &cat.targets[i];
        let mut am: target::ActiveModel = m.clone().into();
        let mut audits = Vec::new();
        for ((field, new), (_, old)) in stored_fields(t, i).into_iter().zip(model_fields(&m)) {
            if new == old || edited.contains(&(m.id.clone(), field.to_string())) {
                continue;
            }
            match field {
                "section" => am.section = Set(t.section.clone()),
                "group" => am.group_name = Set(t.group.clone()),
                "action" => am.action = Set(t.action.clone()),
                "indicator" => am.indicator = Set(t.indicator.clone()),
                "kind" => am.kind = Set(t.kind.code().into()),
                "comparator" => am.comparator = Set(t.comparator.code().into()),
                "value" => am.value = Set(t.value),
                "unit" => am.unit = Set(t.unit.clone()),
                "words" => am.words = Set(t.words.clone()),
                "versus" => am.versus = Set(t.versus.clone()),
                "start" => am.start = Set(t.start),
                "deadline" => am.deadline = Set(t.deadline),
                "lead" => am.lead = Set(json_list(&t.lead)),
                "support" => am.support = Set(json_list(&t.support)),
                "lead_note" => am.lead_note = Set(t.lead_note.clone()),
                "scope" => am.scope = Set(t.scope.clone()),
                "aspirational" => am.aspirational = Set(t.aspirational),
                "quote" => am.quote = Set(t.quote.clone()),
                _ => am.position = Set(i as i32),
            }
            if field != "position" {
                audits.push(target_audit::ActiveModel {
                    target_id: Set(m.id.clone()),
                    at: Set(now),
                    by: Set(CATALOGUE.into()),
                    field: Set(format!("catalogue:{field}")),
                    old_value: Set(old),
                    new_value: Set(new),
                    source: Set(CATALOGUE.into()),
                    ..Default::default()
                });
            }
        }
        if am.is_changed() {
            am.update(db).await?;
        }
        if !audits.is_empty() {
            target_audit::Entity::insert_many(audits).exec(db).await?;
        }
    }
    Ok(())
}

/// Who a correction shipped with the catalogue is audited as.
pub const CATALOGUE: &str = "catalogue";

async fn add_missing(db: &impl ConnectionTrait) -> Result<usize> {
    let cat = catalogue();
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

#[cfg(test)]
mod english_units {
    /// Every unit the shipped targets use reads in English on English pages
    /// (a new policy file with a new unit fails here until it is named).
    #[test]
    fn every_catalogue_unit_has_english() {
        let cat = super::load().unwrap();
        let mut missing: Vec<&str> = cat
            .targets
            .iter()
            .map(|t| t.unit.as_str())
            .filter(|u| !super::super::status::unit_en(u).is_ascii())
            .collect();
        missing.dedup();
        assert!(missing.is_empty(), "no English for {missing:?}");
    }
}
