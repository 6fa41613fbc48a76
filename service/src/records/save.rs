//! Saving the workspace form: the changed fields of one record, checked
//! against the version the form was read at, through the one write path.

use super::write::{write, Batch, Draft, Origin, Progress, Regrading};
use crate::actor::Actor;
use crate::store::{self, Fields};
use crate::workspace::views::load_scoped;
use crate::workspace::SaveOutcome;
use crate::{authz, Result, ServiceError, Services};
use grading::record::{column_by_key, field_text, set_field, Kind};
use grading::Uscc;
use std::collections::BTreeMap;

/// Saves `submitted` (field → text as typed) over the record `uscc` of
/// `year`, read by the form at `version`.
pub async fn save(
    svc: &Services,
    actor: &Actor,
    uscc: &Uscc,
    year: i32,
    version: i32,
    submitted: &BTreeMap<String, String>,
) -> Result<SaveOutcome> {
    save_from(
        svc,
        actor,
        &Origin::Web,
        uscc,
        year,
        Some(version),
        submitted,
    )
    .await
}

/// [`save`] for any origin (an accepted appeal names itself); `version`
/// None: the record as it stands now.
pub async fn save_from(
    svc: &Services,
    actor: &Actor,
    origin: &Origin,
    uscc: &Uscc,
    year: i32,
    version: Option<i32>,
    submitted: &BTreeMap<String, String>,
) -> Result<SaveOutcome> {
    authz::workspace(actor)?;
    let mut m = load_scoped(svc, actor, uscc, year).await?;
    let old = store::fields_of_model(&m)?;
    let (new, changed) = apply_fields(&old, submitted)?;
    if changed.is_empty() {
        return Ok(SaveOutcome {
            changed_fields: vec![],
            result: svc.live.result_of(&svc.db, year, uscc.as_str()).await?,
            classes_moved: 0,
            version: m.version,
        });
    }
    let enterprise = store::enterprise_from(&new).map_err(ServiceError::Invalid)?;
    // The form's version: the write path refuses it if the record moved.
    let version = version.unwrap_or(m.version);
    m.version = version;
    let written = write(
        svc,
        actor,
        origin,
        vec![Batch {
            year,
            drafts: vec![Draft {
                fields: new,
                enterprise,
                base: Some(m),
            }],
            regrading: Regrading::Incremental,
        }],
        &Progress::default(),
    )
    .await?;
    Ok(SaveOutcome {
        changed_fields: changed,
        result: svc.live.result_of(&svc.db, year, uscc.as_str()).await?,
        classes_moved: written.classes_moved,
        version: version + 1,
    })
}

/// Parses the submitted fields (every bad value at once, each named) and
/// works out the record after the save and which fields change. Numbers
/// are stored as typed, the rest normalised, as the importer does.
fn apply_fields(
    old: &Fields,
    submitted: &BTreeMap<String, String>,
) -> Result<(Fields, Vec<String>)> {
    let mut new = old.clone();
    let mut changed = Vec::new();
    let mut errors = Vec::new();
    let mut probe = grading::Enterprise::default();
    // A name no form sends: the request is refused as a whole, naming a
    // few of them (each cut short), however many there are.
    let unknown: Vec<&String> = submitted
        .keys()
        .filter(|k| column_by_key(k).is_none())
        .collect();
    if !unknown.is_empty() {
        let shown: Vec<String> = unknown
            .iter()
            .take(5)
            .map(|k| k.chars().take(40).collect())
            .collect();
        return Err(ServiceError::Malformed(format!(
            "未知字段 {}{}",
            shown.join("、"),
            if unknown.len() > 5 {
                format!(" 等 {} 个", unknown.len())
            } else {
                String::new()
            }
        )));
    }
    for (key, raw) in submitted {
        let Some(col) = column_by_key(key) else {
            continue;
        };
        let text = raw.trim().to_string();
        if let Err(reason) = set_field(&mut probe, col, &text) {
            errors.push(grading::Words::new(
                format!("{}（{}）：{}", col.zh, col.key, reason.zh),
                format!("{} ({}): {}", col.en, col.key, reason.en),
            ));
            continue;
        }
        let stored = match col.kind {
            Kind::Number(_) => text.clone(),
            _ => field_text(&probe, col),
        };
        let stored = if text.is_empty() || store::is_default(key, &stored) {
            String::new()
        } else {
            stored
        };
        if stored == old.get(key).cloned().unwrap_or_default() {
            continue;
        }
        if stored.is_empty() {
            new.remove(key);
        } else {
            new.insert(key.clone(), stored);
        }
        changed.push(key.clone());
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(grading::Words::join(&errors)));
    }
    Ok((new, changed))
}
