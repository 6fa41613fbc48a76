//! Enterprise accounts, created by the county's officials (or the city
//! administrator) for the county's enterprises, one or many at a time,
//! each with a one-time password to be changed at first login; and every
//! user's own password change.

use super::password::Password;
use super::sessions::{hash_password, hashing_as, verify_password, verifying_as};
use super::throttle::Key;
use crate::actor::{Actor, Role};
pub use crate::enrollment::{Candidate, Issued};
use crate::{authz, Result, ServiceError, Services};
use chrono::Utc;
use entity::{record, session, user};
use grading::Words;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashSet};

/// The enterprises the actor may give accounts (its county's, newest year's
/// name), matching `q` (name or USCC), with their accounts.
pub async fn candidates(svc: &Services, actor: &Actor, q: &str) -> Result<Vec<Candidate>> {
    authz::workspace(actor)?;
    if authz::department(actor).is_some() {
        return Err(ServiceError::Forbidden);
    }
    let mut find = record::Entity::find()
        .select_only()
        .column(record::Column::Uscc)
        .column(record::Column::Name)
        .column(record::Column::County)
        .order_by_desc(record::Column::Year);
    if let Some(c) = authz::county_scope(actor) {
        find = find.filter(record::Column::County.eq(c));
    }
    let q = q.trim();
    if !q.is_empty() {
        find = find.filter(
            record::Column::Name
                .contains(q)
                .or(record::Column::Uscc.contains(q.to_uppercase())),
        );
    }
    let rows: Vec<(String, String, String)> = find.limit(5000).into_tuple().all(&svc.db).await?;
    let accounts: BTreeMap<String, String> = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Enterprise.code()))
        .all(&svc.db)
        .await?
        .into_iter()
        .filter_map(|u| Some((u.uscc?, u.username)))
        .collect();
    let mut seen = HashSet::new();
    rows.into_iter()
        .filter(|(u, _, _)| seen.insert(u.clone()))
        .take(500)
        .map(|(uscc, name, county)| {
            Ok(Candidate {
                username: accounts.get(&uscc).cloned(),
                uscc,
                name,
                county: crate::store::stored_county(&county)?,
            })
        })
        .collect()
}

/// A one-time password: 12 characters without look-alikes.
fn one_time_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..12)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Creates accounts (user name: the USCC, lower-cased) for the given
/// enterprises of the actor's county; one that already has an account is
/// refused by name, and nothing is created then.
pub async fn create(svc: &Services, actor: &Actor, usccs: &[String]) -> Result<Vec<Issued>> {
    let plan = plan(svc, actor, usccs, false).await?;
    issue(svc, actor, plan).await
}

/// Issues a new one-time password for enterprises of the actor's county
/// that have an account (the password forgotten, or the one-time one run
/// out): the old password stops working and the account's sessions end.
/// One without an account is refused by name, and nothing changes then.
pub async fn reissue(svc: &Services, actor: &Actor, usccs: &[String]) -> Result<Vec<Issued>> {
    let plan = plan(svc, actor, usccs, true).await?;
    issue(svc, actor, plan).await
}

/// The enterprises to issue passwords for, each with its account when
/// `existing` (a reissue); every refusal named.
async fn plan(
    svc: &Services,
    actor: &Actor,
    usccs: &[String],
    existing: bool,
) -> Result<Vec<(record::Model, Option<user::Model>)>> {
    authz::workspace(actor)?;
    if authz::department(actor).is_some() {
        return Err(ServiceError::Forbidden);
    }
    if usccs.is_empty() {
        return Err(ServiceError::invalid(
            "请选择企业",
            "Please choose enterprises",
        ));
    }
    if usccs.len() > 2000 {
        return Err(ServiceError::invalid(
            "一次最多 2000 家",
            "At most 2,000 at a time",
        ));
    }
    let mut errors = Vec::new();
    let mut plan = Vec::new();
    for raw in usccs {
        let uscc = match grading::Uscc::parse(raw.trim()) {
            Ok(u) => u.to_string(),
            Err(e) => {
                errors.push(Words::new(
                    format!("{raw}：{e}"),
                    format!("{raw}: {}", e.en()),
                ));
                continue;
            }
        };
        let rec = record::Entity::find()
            .filter(record::Column::Uscc.eq(uscc.clone()))
            .order_by_desc(record::Column::Year)
            .one(&svc.db)
            .await?
            .filter(|r| authz::county_officer(actor, &r.county));
        let Some(rec) = rec else {
            errors.push(Words::new(
                format!("{uscc}：{}", authz::NOT_IN_REACH),
                format!("{uscc}: {}", authz::NOT_IN_REACH_EN),
            ));
            continue;
        };
        let account = user::Entity::find()
            .filter(user::Column::Uscc.eq(uscc.clone()))
            .one(&svc.db)
            .await?;
        match (&account, existing) {
            (Some(_), false) => errors.push(Words::new(
                format!("{uscc}（{}）：已有账户", rec.name),
                format!("{uscc} ({}): already has an account", rec.name),
            )),
            (None, true) => errors.push(Words::new(
                format!("{uscc}（{}）：尚无账户，请先开设", rec.name),
                format!("{uscc} ({}): no account yet; open one first", rec.name),
            )),
            _ => plan.push((rec, account)),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(Words::join(&errors)));
    }
    Ok(plan)
}

/// Gives each planned enterprise a fresh one-time password, valid for
/// `one_time_password_days`: a new account, or the existing one reset
/// (its sessions ended), all in one transaction.
async fn issue(
    svc: &Services,
    actor: &Actor,
    plan: Vec<(record::Model, Option<user::Model>)>,
) -> Result<Vec<Issued>> {
    // Hashing is slow by design: off the async workers.
    let passwords: Vec<String> = plan.iter().map(|_| one_time_password()).collect();
    let to_hash = passwords.clone();
    let hashes = super::sessions::hashing(svc, move || {
        to_hash
            .iter()
            .map(|p| hash_password(p))
            .collect::<Result<Vec<_>>>()
    })
    .await??;
    let now = Utc::now();
    let expires = now + chrono::Duration::days(Ord::max(svc.config.one_time_password_days, 1));
    let txn = crate::writes::begin(&svc.db).await?;
    let mut issued = Vec::new();
    let mut reset = Vec::new();
    for (((rec, account), password), hash) in plan.into_iter().zip(passwords).zip(hashes) {
        let username = match account {
            None => {
                let username = rec.uscc.to_lowercase();
                user::ActiveModel {
                    username: Set(username.clone()),
                    display_name: Set(rec.name.clone()),
                    password_hash: Set(hash),
                    role: Set(Role::Enterprise.code().into()),
                    county: Set(Some(rec.county.clone())),
                    department: Set(None),
                    uscc: Set(Some(rec.uscc.clone())),
                    created_at: Set(now),
                    must_change_password: Set(true),
                    password_expires_at: Set(Some(expires)),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                username
            }
            Some(u) => {
                let (id, username) = (u.id, u.username.clone());
                let mut am: user::ActiveModel = u.into();
                am.password_hash = Set(hash);
                am.must_change_password = Set(true);
                am.password_expires_at = Set(Some(expires));
                am.update(&txn).await?;
                session::Entity::delete_many()
                    .filter(session::Column::UserId.eq(id))
                    .exec(&txn)
                    .await?;
                reset.push(id);
                username
            }
        };
        issued.push(Issued {
            uscc: rec.uscc,
            name: rec.name,
            username,
            password,
            expires: crate::clock::minute(expires),
        });
    }
    txn.commit().await?;
    for id in reset {
        crate::signals::sessions_ended(svc, id).await?;
    }
    tracing::info!(
        by = actor.name(),
        count = issued.len(),
        "one-time passwords issued"
    );
    Ok(issued)
}

/// The sheet handed to the enterprises: user names and one-time passwords.
pub fn sheet(issued: &[Issued]) -> Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let err = |e: rust_xlsxwriter::XlsxError| ServiceError::internal(e);
    for (c, h) in [
        "统一社会信用代码",
        "企业名称",
        "用户名",
        "初始密码（首次登录须修改）",
        "初始密码有效期至（北京时间）",
    ]
    .iter()
    .enumerate()
    {
        ws.write_with_format(0, c as u16, *h, &bold).map_err(err)?;
    }
    for (r, i) in issued.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write(r, 0, &i.uscc).map_err(err)?;
        ws.write(r, 1, crate::dataio::guard(&i.name).as_ref())
            .map_err(err)?;
        ws.write(r, 2, &i.username).map_err(err)?;
        ws.write(r, 3, &i.password).map_err(err)?;
        ws.write(r, 4, &i.expires).map_err(err)?;
    }
    ws.set_column_width(0, 22).map_err(err)?;
    ws.set_column_width(1, 36).map_err(err)?;
    ws.set_column_width(2, 22).map_err(err)?;
    ws.set_column_width(3, 28).map_err(err)?;
    ws.set_column_width(4, 26).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// Changes the signed-in user's password (the old one proves it is them);
/// ends their other sessions. Guesses of the old password are counted per
/// user and per session like failed logins, and hashed in the user's turn.
pub async fn change_password(
    svc: &Services,
    actor: &Actor,
    old: &str,
    new: &str,
    keep_token_hash: Option<&str>,
) -> Result<()> {
    let id = actor.user_id().ok_or(ServiceError::Unauthorized)?;
    let account = Key::Account(id);
    let session = keep_token_hash.map(Key::Session);
    let keys: Vec<Key> = std::iter::once(account).chain(session).collect();
    super::sessions::throttled(svc, &keys).await?;
    let new = Password::parse(new, actor.name())?;
    if new.as_str() == old {
        return Err(ServiceError::invalid(
            "新密码不能与原密码相同",
            "The new password must differ from the current one",
        ));
    }
    if old.chars().count() > super::password::MAX_CHARS {
        return Err(ServiceError::invalid(
            "原密码不正确",
            "The current password is wrong",
        ));
    }
    let u = user::Entity::find_by_id(id)
        .one(&svc.db)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    let (old_s, hash) = (old.to_string(), u.password_hash.clone());
    let ok = verifying_as(svc, account, &keys, move || verify_password(&old_s, &hash)).await?;
    if !ok {
        tracing::warn!(user_id = id, "password change: wrong current password");
        return Err(ServiceError::invalid(
            "原密码不正确",
            "The current password is wrong",
        ));
    }
    for key in &keys {
        svc.limiter.clear(&svc.db, *key).await?;
    }
    let hash = hashing_as(svc, account, &[], move || hash_password(new.as_str())).await??;
    let txn = crate::writes::begin(&svc.db).await?;
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(false);
    am.password_expires_at = Set(None);
    am.update(&txn).await?;
    let mut del = session::Entity::delete_many().filter(session::Column::UserId.eq(id));
    if let Some(keep) = keep_token_hash {
        del = del.filter(session::Column::TokenHash.ne(keep));
    }
    del.exec(&txn).await?;
    txn.commit().await?;
    crate::signals::sessions_ended(svc, id).await?;
    Ok(())
}
