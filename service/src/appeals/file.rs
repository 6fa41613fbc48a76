//! The enterprise's side: filing an appeal (with evidence), confirming a
//! year, withdrawing; and the administrator's reopening of the window for
//! one enterprise.

use super::{
    add_working_days, AppealStatus, ItemStatus, MAX_EXPLANATION, MAX_FILES, MAX_FILE_BYTES,
    MAX_ITEMS,
};
use crate::actor::Actor;
use crate::disclosure::publish::today;
use crate::disclosure::PublicationStatus;
use crate::{authz, store, Result, ServiceError, Services};
use chrono::Utc;
use entity::{
    appeal, appeal_event, appeal_file, appeal_item, appeal_reopening, confirmation, disclosure,
    notice,
};
use grading::record::{column_by_key, field_text, set_field, Kind};
use grading::Words;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Fields an appeal may not contest: who the enterprise is.
const NOT_CONTESTABLE: &[&str] = &["uscc", "year", "name", "county"];

/// An evidence file as uploaded.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

pub struct NewAppeal {
    pub year: i32,
    /// (field key, claimed value as typed).
    pub items: Vec<(String, String)>,
    pub explanation: String,
    pub files: Vec<Upload>,
}

/// The type of an evidence file, from its first bytes (never from its name
/// or the browser's word): PDF, JPEG or PNG.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// The name a file is kept and served under: its own, ending in the
/// extension of what it holds (a PDF uploaded as `合同.docx` is
/// `合同.pdf`), so that whoever downloads it opens it with the right
/// program, whatever the upload said.
pub fn name_for_content(name: &str, mime: &str) -> String {
    let (fits, ext): (&[&str], &str) = match mime {
        "application/pdf" => (&["pdf"], "pdf"),
        "image/jpeg" => (&["jpg", "jpeg"], "jpg"),
        "image/png" => (&["png"], "png"),
        _ => return name.to_string(),
    };
    let stem = match name.rsplit_once('.') {
        Some((stem, e))
            if !stem.is_empty() && e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            if fits.contains(&e.to_ascii_lowercase().as_str()) {
                return name.to_string();
            }
            stem
        }
        _ => name,
    };
    format!("{stem}.{ext}")
}

/// A file name safe to show and to send back in a header.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let kept: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ';'))
        .take(100)
        .collect();
    if kept.trim().is_empty() {
        "evidence".into()
    } else {
        kept
    }
}

/// Why an enterprise may not file an appeal for a year now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilingBlocked {
    NotPublished(i32),
    /// An appeal of the year is still open (its receipt number).
    OpenAppeal(String),
    Confirmed,
    /// Outside the publicity window (its first and last day).
    OutsideWindow(chrono::NaiveDate, chrono::NaiveDate),
}

impl FilingBlocked {
    /// The reason in the words the enterprise reads.
    pub fn words(&self) -> grading::Words {
        use grading::Words;
        match self {
            FilingBlocked::NotPublished(year) => crate::disclosure::not_published(*year),
            FilingBlocked::OpenAppeal(receipt) => Words::new(
                format!("已有未办结的申诉（回执号 {receipt}），办结后方可再次申诉"),
                format!("Appeal {receipt} is still open; a new one can be filed once it is closed"),
            ),
            FilingBlocked::Confirmed => Words::new(
                "已确认本年度评价结果；如仍有异议，请联系市经信局重新开放申诉",
                "You confirmed this year's result; to appeal still, ask the city's Economy & IT Bureau to reopen it",
            ),
            FilingBlocked::OutsideWindow(from, to) => Words::new(
                format!("公示期（{from} 至 {to}）之外不能申诉；如有正当理由，请联系市经信局为本企业重新开放"),
                format!("Appeals are open from {from} to {to} only; with good reason, ask the city's Economy & IT Bureau to reopen them for you"),
            ),
        }
    }
}

/// Whether the enterprise may file for `year` now, or why not.
pub async fn filing_allowed(
    db: &impl ConnectionTrait,
    uscc: &grading::Uscc,
    year: i32,
) -> Result<std::result::Result<(), FilingBlocked>> {
    let Some(d) = disclosure::Entity::find_by_id(year).one(db).await? else {
        return Ok(Err(FilingBlocked::NotPublished(year)));
    };
    if let Some(open) = appeal::Entity::find()
        .filter(appeal::Column::Uscc.eq(uscc.as_str()))
        .filter(appeal::Column::Year.eq(year))
        .filter(
            appeal::Column::Status.is_in(
                AppealStatus::ALL
                    .into_iter()
                    .filter(|s| s.is_open())
                    .map(AppealStatus::code),
            ),
        )
        .one(db)
        .await?
    {
        return Ok(Err(FilingBlocked::OpenAppeal(open.receipt)));
    }
    let reopened = appeal_reopening::Entity::find()
        .filter(appeal_reopening::Column::Uscc.eq(uscc.as_str()))
        .filter(appeal_reopening::Column::Year.eq(year))
        .filter(appeal_reopening::Column::Used.eq(false))
        .one(db)
        .await?
        .is_some();
    if reopened {
        return Ok(Ok(()));
    }
    let confirmed = confirmation::Entity::find()
        .filter(confirmation::Column::Uscc.eq(uscc.as_str()))
        .filter(confirmation::Column::Year.eq(year))
        .one(db)
        .await?
        .is_some();
    if confirmed {
        return Ok(Err(FilingBlocked::Confirmed));
    }
    let t = today();
    if PublicationStatus::stored(&d.status) != PublicationStatus::Window
        || t < d.window_start
        || t > d.window_end
    {
        return Ok(Err(FilingBlocked::OutsideWindow(
            d.window_start,
            d.window_end,
        )));
    }
    Ok(Ok(()))
}

/// A notice to the enterprise, in Chinese and English.
pub(crate) async fn add_notice(
    db: &impl ConnectionTrait,
    uscc: &grading::Uscc,
    appeal_id: Option<i32>,
    (text, text_en): (String, String),
) -> Result<()> {
    notice::ActiveModel {
        uscc: Set(uscc.to_string()),
        appeal_id: Set(appeal_id),
        at: Set(Utc::now()),
        text: Set(text),
        text_en: Set(Some(text_en)),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub(crate) async fn add_event(
    db: &impl ConnectionTrait,
    appeal_id: i32,
    actor: &Actor,
    kind: &str,
    (note, note_en): (String, String),
) -> Result<()> {
    appeal_event::ActiveModel {
        appeal_id: Set(appeal_id),
        at: Set(Utc::now()),
        by: Set(actor.name().into()),
        kind: Set(kind.into()),
        note: Set(note),
        note_en: Set(Some(note_en)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Checks an appeal as filed: every problem at once, each naming the item
/// or file at fault.
fn check(
    new: &NewAppeal,
    stored: &store::Fields,
) -> Result<Vec<(&'static grading::record::Column, Option<String>, String)>> {
    let mut errors = Vec::new();
    let mut items = Vec::new();
    let filled: Vec<&(String, String)> = new
        .items
        .iter()
        .filter(|(k, _)| !k.trim().is_empty())
        .collect();
    if filled.is_empty() {
        errors.push(Words::new(
            "请至少列出一项有异议的数据或认定",
            "Please list at least one figure or finding you dispute",
        ));
    }
    if filled.len() > MAX_ITEMS {
        errors.push(Words::new(
            format!("一次申诉最多 {MAX_ITEMS} 项"),
            format!("At most {MAX_ITEMS} items per appeal"),
        ));
    }
    let mut probe = grading::Enterprise::default();
    for (n, (key, claimed)) in filled.iter().enumerate() {
        let n = n + 1;
        let Some(col) = column_by_key(key.trim()).filter(|c| !NOT_CONTESTABLE.contains(&c.key))
        else {
            errors.push(Words::new(
                format!("第 {n} 项：不能申诉的字段“{key}”"),
                format!("Item {n}: “{key}” cannot be appealed"),
            ));
            continue;
        };
        if items
            .iter()
            .any(|(c, _, _): &(&grading::record::Column, _, _)| c.key == col.key)
        {
            errors.push(Words::new(
                format!("第 {n} 项（{}）：同一字段只能列一次", col.zh),
                format!("Item {n} ({}): each field may be listed once", col.en),
            ));
            continue;
        }
        let text = claimed.trim();
        if let Err(reason) = set_field(&mut probe, col, text) {
            errors.push(Words::new(
                format!("第 {n} 项（{}）：{}", col.zh, reason.zh),
                format!("Item {n} ({}): {}", col.en, reason.en),
            ));
            continue;
        }
        let normal = match col.kind {
            Kind::Number(_) => text.to_string(),
            _ => field_text(&probe, col),
        };
        let current = stored.get(col.key).cloned();
        let same = match col.kind {
            Kind::Number(_) | Kind::Count => {
                let a = current.as_deref().and_then(|s| s.parse::<f64>().ok());
                let b = text.parse::<f64>().ok();
                a == b
            }
            _ => {
                current.clone().unwrap_or_default() == normal
                    || (current.is_none() && store::is_default(col.key, &normal))
            }
        };
        if same {
            errors.push(Words::new(
                format!("第 {n} 项（{}）：主张的值与在档数据相同", col.zh),
                format!(
                    "Item {n} ({}): the value claimed is the one on file",
                    col.en
                ),
            ));
            continue;
        }
        items.push((col, current, normal));
    }
    let explanation = new.explanation.trim();
    if explanation.is_empty() {
        errors.push(Words::new("请填写申诉理由", "Please explain the appeal"));
    }
    if explanation.chars().count() > MAX_EXPLANATION {
        errors.push(Words::new(
            format!("申诉理由不超过 {MAX_EXPLANATION} 字"),
            format!("The explanation has at most {MAX_EXPLANATION} characters"),
        ));
    }
    if new.files.len() > MAX_FILES {
        errors.push(Words::new(
            format!(
                "证明材料最多 {MAX_FILES} 个文件（收到 {} 个）",
                new.files.len()
            ),
            format!(
                "At most {MAX_FILES} evidence files ({} received)",
                new.files.len()
            ),
        ));
    }
    for (n, f) in new.files.iter().enumerate() {
        let name = clean_name(&f.name);
        if f.bytes.len() > MAX_FILE_BYTES {
            let mb = f.bytes.len() as f64 / 1048576.0;
            errors.push(Words::new(
                format!("文件 {}（{name}）：超过 10 MB（{mb:.1} MB）", n + 1),
                format!("File {} ({name}): over 10 MB ({mb:.1} MB)", n + 1),
            ));
        } else if f.bytes.is_empty() {
            errors.push(Words::new(
                format!("文件 {}（{name}）：是空文件", n + 1),
                format!("File {} ({name}): is empty", n + 1),
            ));
        } else if sniff(&f.bytes).is_none() {
            errors.push(Words::new(
                format!("文件 {}（{name}）：只接受 PDF、JPEG、PNG（按文件内容判断，而非扩展名）", n + 1),
                format!("File {} ({name}): only PDF, JPEG and PNG are accepted (judged by content, not by name)", n + 1),
            ));
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(ServiceError::Invalid(Words::join(&errors)))
    }
}

/// Files an appeal; returns its id and receipt number.
pub async fn file(svc: &Services, actor: &Actor, new: NewAppeal) -> Result<(i32, String)> {
    let uscc = authz::enterprise(actor)?.clone();
    let m = store::load_record(&svc.db, uscc.as_str(), new.year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let stored = store::fields_of_model(&m)?;
    let items = check(&new, &stored)?;
    let class_before = svc
        .live
        .result_of(&svc.db, new.year, uscc.as_str())
        .await?
        .and_then(|r| r.class)
        .map(|c| c.code().to_string());
    let txn = crate::writes::begin(&svc.db).await?;
    // Two filings at once would both pass the check: the year's row is
    // held for the few milliseconds the filing takes.
    store::hold_year(&txn, new.year).await?;
    if let Err(why) = filing_allowed(&txn, &uscc, new.year).await? {
        return Err(ServiceError::Invalid(why.words()));
    }
    let now = Utc::now();
    let token = random_token();
    let a = appeal::ActiveModel {
        receipt: Set(format!("pending-{token}")),
        uscc: Set(uscc.to_string()),
        year: Set(new.year),
        county: Set(m.county.clone()),
        status: Set(AppealStatus::Filed.code().into()),
        explanation: Set(new.explanation.trim().into()),
        filed_by: Set(actor.name().into()),
        filed_at: Set(now),
        deadline: Set(add_working_days(today(), svc.config.appeal_days)),
        closed_at: Set(None),
        outcome: Set(None),
        class_before: Set(class_before),
        class_after: Set(None),
        correction_version: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let receipt = format!("SS{}-{:06}", new.year, a.id);
    let mut am: appeal::ActiveModel = a.clone().into();
    am.receipt = Set(receipt.clone());
    am.update(&txn).await?;
    for (col, current, claimed) in &items {
        appeal_item::ActiveModel {
            appeal_id: Set(a.id),
            field: Set(col.key.into()),
            current_value: Set(current.clone()),
            claimed_value: Set(claimed.clone()),
            reviewer: Set(authz::reviewer_of(col).into()),
            status: Set(ItemStatus::Pending.code().into()),
            decided_value: Set(None),
            reason: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    for f in new.files {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(&f.bytes);
        appeal_file::ActiveModel {
            appeal_id: Set(a.id),
            token: Set(random_token()),
            name: Set(name_for_content(
                &clean_name(&f.name),
                sniff(&f.bytes).unwrap_or("application/octet-stream"),
            )),
            mime: Set(sniff(&f.bytes).unwrap_or("application/octet-stream").into()),
            size: Set(f.bytes.len() as i64),
            sha256: Set(digest.iter().map(|b| format!("{b:02x}")).collect()),
            data: Set(f.bytes),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    appeal_reopening::Entity::update_many()
        .col_expr(
            appeal_reopening::Column::Used,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(appeal_reopening::Column::Uscc.eq(uscc.as_str()))
        .filter(appeal_reopening::Column::Year.eq(new.year))
        .exec(&txn)
        .await?;
    let fields: Vec<&str> = items.iter().map(|(c, _, _)| c.zh).collect();
    let fields_en: Vec<&str> = items.iter().map(|(c, _, _)| c.en).collect();
    add_event(
        &txn,
        a.id,
        actor,
        "filed",
        (
            format!("提出申诉：{}", fields.join("、")),
            format!("Appeal filed: {}", fields_en.join(", ")),
        ),
    )
    .await?;
    add_notice(
        &txn,
        &uscc,
        Some(a.id),
        (
            format!(
                "已收到您对 {} 年度评价的申诉，回执号 {receipt}；各项将由提供数据的部门核实。",
                new.year
            ),
            format!(
                "Your appeal against the {} grading was received, receipt {receipt}; each item will be checked by the department that provided it.",
                new.year
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok((a.id, receipt))
}

pub(crate) fn random_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Confirms the year's data and class (一企一单确认), in the window only.
pub async fn confirm(svc: &Services, actor: &Actor, year: i32) -> Result<()> {
    let uscc = authz::enterprise(actor)?.clone();
    store::load_record(&svc.db, uscc.as_str(), year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let d = disclosure::Entity::find_by_id(year)
        .one(&svc.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let t = today();
    if PublicationStatus::stored(&d.status) != PublicationStatus::Window
        || t < d.window_start
        || t > d.window_end
    {
        return Err(ServiceError::invalid(
            "只能在公示期内确认",
            "A class can be confirmed only during the publicity window",
        ));
    }
    let txn = crate::writes::begin(&svc.db).await?;
    let exists = confirmation::Entity::find()
        .filter(confirmation::Column::Uscc.eq(uscc.as_str()))
        .filter(confirmation::Column::Year.eq(year))
        .one(&txn)
        .await?
        .is_some();
    if exists {
        return Err(ServiceError::invalid("已经确认过", "Already confirmed"));
    }
    // Confirming ends the right to appeal, so not while an appeal is open.
    if let Err(why @ FilingBlocked::OpenAppeal(_)) = filing_allowed(&txn, &uscc, year).await? {
        return Err(ServiceError::Invalid(why.words()));
    }
    confirmation::ActiveModel {
        uscc: Set(uscc.to_string()),
        year: Set(year),
        by: Set(actor.name().into()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    add_notice(
        &txn,
        &uscc,
        None,
        (
            format!("您已确认 {year} 年度评价数据和分类。"),
            format!("You confirmed your {year} data and class."),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Withdraws the enterprise's own open appeal.
pub async fn withdraw(svc: &Services, actor: &Actor, id: i32) -> Result<()> {
    let uscc = authz::enterprise(actor)?.clone();
    let txn = crate::writes::begin(&svc.db).await?;
    let a = appeal::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|a| a.uscc == uscc.as_str())
        .ok_or(ServiceError::NotFound)?;
    if !AppealStatus::stored(&a.status).is_open() {
        return Err(ServiceError::invalid(
            "该申诉已办结，不能撤回",
            "This appeal is closed and cannot be withdrawn",
        ));
    }
    let receipt = a.receipt.clone();
    let mut am: appeal::ActiveModel = a.into();
    am.status = Set(AppealStatus::Withdrawn.code().into());
    am.closed_at = Set(Some(Utc::now()));
    am.outcome = Set(Some("企业撤回申诉".into()));
    am.outcome_en = Set(Some("Withdrawn by the enterprise".into()));
    am.update(&txn).await?;
    let said = || {
        (
            "企业撤回申诉".to_string(),
            "Withdrawn by the enterprise".to_string(),
        )
    };
    add_event(&txn, id, actor, "withdrawn", said()).await?;
    add_notice(
        &txn,
        &uscc,
        Some(id),
        (
            format!("申诉 {receipt} 已撤回。"),
            format!("Appeal {receipt} withdrawn."),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The administrator lets one enterprise appeal `year` once more, outside
/// the window (or after it confirmed).
pub async fn reopen(svc: &Services, actor: &Actor, uscc: &grading::Uscc, year: i32) -> Result<()> {
    authz::city_admin(actor)?;
    store::load_record(&svc.db, uscc.as_str(), year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    disclosure::Entity::find_by_id(year)
        .one(&svc.db)
        .await?
        .ok_or_else(|| FilingBlocked::NotPublished(year).words())
        .map_err(ServiceError::Invalid)?;
    let txn = crate::writes::begin(&svc.db).await?;
    appeal_reopening::ActiveModel {
        uscc: Set(uscc.to_string()),
        year: Set(year),
        by: Set(actor.name().into()),
        at: Set(Utc::now()),
        used: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    add_notice(
        &txn,
        uscc,
        None,
        (
            format!("市经信局已为您重新开放 {year} 年度评价申诉（可提出一次）。"),
            format!("The city's Economy & IT Bureau reopened appeals against your {year} grading (one appeal)."),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod named_tests {
    use super::name_for_content as n;

    #[test]
    fn the_extension_follows_the_content() {
        assert_eq!(n("合同.docx", "application/pdf"), "合同.pdf");
        assert_eq!(n("合同.PDF", "application/pdf"), "合同.PDF");
        assert_eq!(n("营业执照", "image/jpeg"), "营业执照.jpg");
        assert_eq!(n("scan.jpeg", "image/jpeg"), "scan.jpeg");
        assert_eq!(n("scan.jpg", "image/png"), "scan.png");
        assert_eq!(n("v1.2 报告.exe", "application/pdf"), "v1.2 报告.pdf");
        assert_eq!(n(".pdf", "image/png"), ".pdf.png");
        assert_eq!(n("a.b c", "image/png"), "a.b c.png");
    }
}
