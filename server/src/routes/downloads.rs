//! Files to save: exports, public lists, reports, bulletins, entitlement
//! lists, appeal evidence — each scoped by the service for its caller.

use super::*;

/// Downloads of a year's records and results, scoped like the workspace.
pub(super) async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Caller(actor): Caller,
) -> Result<Response, AppError> {
    let d = service::exports::export(&state.services, &actor, &file).await?;
    Ok(attachment(d, "no-store"))
}

/// A file to save, under its own name (Chinese names too: `filename*`,
/// with an ASCII stand-in for old clients).
pub(super) fn attachment(d: service::exports::Download, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, d.mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                    ascii_name(&d.name),
                    urlencode(&d.name)
                ),
            ),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        d.bytes,
    )
        .into_response()
}

/// `name` with anything but ASCII letters, digits and dots as `_`.
pub(super) fn ascii_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[derive(serde::Deserialize)]
pub(super) struct LangQuery {
    lang: Option<String>,
}

/// `/disclosure/{year}/download/list.csv|list.xlsx`: the public list as
/// the page shows it (its search and filters, words not codes, the
/// reader's language), for anyone.
pub(super) async fn people_list(
    State(state): State<AppState>,
    Path((year, file)): Path<(i32, String)>,
    Query(q): Query<service::disclosure::PublicQuery>,
    Query(lang): Query<LangQuery>,
) -> Result<Response, AppError> {
    let xlsx = match file.as_str() {
        "list.xlsx" => true,
        "list.csv" => false,
        _ => return Err(AppError(service::ServiceError::NotFound)),
    };
    let en = lang.lang.as_deref() == Some("en");
    let d = service::disclosure::read::people_download(&state.services, year, &q, en, xlsx).await?;
    Ok(attachment(d, "public, max-age=60"))
}

/// The annual analysis report's public edition as a workbook, for anyone
/// (aggregates only).
pub(super) async fn public_report(
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> Result<Response, AppError> {
    let d = service::reports::download(
        &state.services,
        &service::Actor::Public,
        year,
        service::reports::Edition::Public,
    )
    .await?;
    Ok(attachment(d, "public, max-age=60"))
}

/// The internal edition (the city administrator's): it names enterprises
/// with their figures.
pub(super) async fn internal_report(
    State(state): State<AppState>,
    Path(year): Path<i32>,
    Caller(actor): Caller,
) -> Result<Response, AppError> {
    use service::reports::{download, Edition};
    let d = download(&state.services, &actor, year, Edition::Internal).await?;
    Ok(attachment(d, "private, no-store"))
}

#[derive(serde::Deserialize)]
pub(super) struct ScopeQuery {
    /// `city` or `county`: rank that way, whatever the draft says.
    scope: Option<grading::ruleset::Scope>,
}

/// The enterprises a draft ruleset would move (the city administrator's).
pub(super) async fn simulation_movers(
    State(state): State<AppState>,
    Path(year): Path<i32>,
    Query(q): Query<ScopeQuery>,
    Caller(actor): Caller,
) -> Result<Response, AppError> {
    let d = service::rulesets::simulation_download(&state.services, &actor, year, q.scope).await?;
    Ok(attachment(d, "private, no-store"))
}

/// An appeal's evidence file: only for the enterprise and the appeal's
/// reviewers (the service decides), by its random token, never cached by
/// anyone but the browser, and shown inline only as the type its content
/// was checked to be.
pub(super) async fn evidence(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Caller(actor): Caller,
) -> Result<Response, AppError> {
    let (name, mime, bytes) =
        service::appeals::read::evidence(&state.services, &actor, &token).await?;
    let ascii = ascii_name(&name);
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "inline; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    urlencode(&name)
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub(super) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(serde::Deserialize)]
pub(super) struct BulletinQuery {
    doc: Option<String>,
    month: Option<String>,
}

/// The monthly bulletin (按月通报) as a workbook.
pub(super) async fn bulletin_xlsx(
    State(state): State<AppState>,
    Query(q): Query<BulletinQuery>,
    Caller(actor): Caller,
) -> Result<Response, AppError> {
    let doc = q.doc.filter(|d| !d.is_empty());
    let month = q.month.filter(|m| !m.is_empty());
    let b =
        service::targets::read::bulletin(&state.services, &actor, doc.as_deref(), month.as_deref())
            .await?;
    let bytes = service::targets::read::bulletin_xlsx(&b)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bulletin-{}.xlsx\"", b.month),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// Creates accounts for the ticked enterprises (`uscc`, repeated) and
/// returns the sheet of user names and one-time passwords.
pub(super) async fn enterprise_accounts_sheet(
    State(state): State<AppState>,
    Caller(actor): Caller,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let usccs: Vec<String> = form
        .into_iter()
        .filter(|(k, _)| k == "uscc")
        .map(|(_, v)| v)
        .collect();
    let issued = service::accounts::enterprises::create(&state.services, &actor, &usccs).await?;
    let bytes = service::accounts::enterprises::sheet(&issued)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"enterprise-accounts.xlsx\"".to_string(),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// `?version=&county=`: which version and county of a list to download.
#[derive(serde::Deserialize)]
pub(super) struct ListQuery {
    version: Option<i32>,
    county: Option<String>,
}

/// `/measures/{year}/{key}.xlsx|.csv`: an entitlement list (分类施策) for
/// the units that apply the measure; not found for anyone else.
pub(super) async fn measure_file(
    State(state): State<AppState>,
    Path((year, file)): Path<(i32, String)>,
    Query(q): Query<ListQuery>,
    Caller(actor): Caller,
) -> Result<Response, AppError> {
    let (key, xlsx) = match (file.strip_suffix(".xlsx"), file.strip_suffix(".csv")) {
        (Some(k), _) => (k, true),
        (_, Some(k)) => (k, false),
        _ => return Err(AppError(service::ServiceError::NotFound)),
    };
    let d = service::measures::lists::download(
        &state.services,
        &actor,
        year,
        key,
        q.version,
        q.county.as_deref(),
        xlsx,
    )
    .await?;
    Ok(attachment(d, "private, no-store"))
}
