//! The open data API (`/api/v1`): the publications and their lists, as
//! JSON and CSV, anonymous, cacheable (ETag: a version never changes) and
//! rate-limited per client. The OpenAPI document is generated from the
//! code (utoipa); `/api/v1/docs` renders it for people.

use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use service::disclosure::{read, PublicRow, PublicationSummary, PublishedList};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "亩均 · 嘉兴市工业企业绩效综合评价 公示数据接口",
        description = "The published (公示) results of Jiaxing's industrial enterprise performance evaluation: every publication, and each version's list of enterprises with their class. Never a figure, rank or reason. Anonymous; at most 600 requests a minute per client.",
        version = "1"
    ),
    paths(publications, disclosure, disclosure_csv, targets, measures, ruleset),
    components(schemas(
        PublicationSummary,
        PublishedList,
        PublicRow,
        service::targets::ApiTarget,
        service::measures::ApiMeasureRow,
        service::rulesets::ApiRuleset
    ))
)]
pub struct ApiDoc;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v1/disclosures", get(publications))
        .route("/api/v1/disclosures/{file}", get(disclosure_file))
        .route("/api/v1/targets", get(targets))
        .route("/api/v1/measures/{year}", get(measures))
        .route("/api/v1/rulesets/{year}", get(ruleset))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/docs", get(docs))
        .layer(axum::middleware::from_fn_with_state(
            state.services.clone(),
            rate_limit,
        ))
}

/// Every quantified policy target the reader may see (anonymous: the
/// documents the administrator has made public; signed in: all), with its
/// latest actual and its status against time progress.
#[utoipa::path(
    get,
    path = "/api/v1/targets",
    responses(
        (status = 200, description = "Every target", body = [service::targets::ApiTarget]),
        (status = 401, description = "No document is public and nobody is signed in")
    ),
    tag = "targets"
)]
async fn targets(
    State(state): State<AppState>,
    crate::routes::Caller(actor): crate::routes::Caller,
) -> Result<Response, AppError> {
    let list = service::targets::read::api_list(&state.services, &actor).await?;
    let out: Vec<service::targets::ApiTarget> = list.iter().map(Into::into).collect();
    let mut r = Json(out).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=30"),
    );
    Ok(r)
}

/// 分类施策: every enterprise's entitlement under each measure the caller
/// applies (the city administrator: all; a county: its county's), from the
/// year's latest published version. Signed in (the session cookie).
#[utoipa::path(
    get,
    path = "/api/v1/measures/{year}",
    params(("year" = i32, Path, description = "The evaluation year")),
    responses(
        (status = 200, description = "One row per enterprise and measure", body = [service::measures::ApiMeasureRow]),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The account applies no measure"),
        (status = 404, description = "The year is not published")
    ),
    tag = "measures"
)]
async fn measures(
    State(state): State<AppState>,
    Path(year): Path<i32>,
    crate::routes::Caller(actor): crate::routes::Caller,
) -> Result<Response, AppError> {
    let rows = service::measures::lists::api_rows(&state.services, &actor, year).await?;
    let mut r = Json(rows).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(r)
}

/// The evaluation rules in force for a year (its own, or the latest
/// earlier year's until it has its own): benchmarks, weights, cut-offs,
/// special rules, county evaluation and measures by class. Anonymous: the
/// scheme is public; a draft under discussion never shows.
#[utoipa::path(
    get,
    path = "/api/v1/rulesets/{year}",
    params(("year" = i32, Path, description = "The evaluation year")),
    responses(
        (status = 200, description = "The ruleset in force", body = service::rulesets::ApiRuleset),
        (status = 404, description = "No records and no ruleset for the year")
    ),
    tag = "rulesets"
)]
async fn ruleset(
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> Result<Response, AppError> {
    let out = service::rulesets::api(&state.services, year).await?;
    let mut r = Json(out).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(r)
}

/// The publications, newest year first.
#[utoipa::path(
    get,
    path = "/api/v1/disclosures",
    responses((status = 200, description = "Every publication", body = [PublicationSummary])),
    tag = "disclosures"
)]
async fn publications(State(state): State<AppState>) -> Result<Response, AppError> {
    let list = read::publications(&state.services).await?;
    let mut r = Json(list).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=30"),
    );
    Ok(r)
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
struct VersionQuery {
    /// An earlier version (default: the latest).
    version: Option<i32>,
}

/// A year's list (the latest version, or `?version=N`).
#[utoipa::path(
    get,
    path = "/api/v1/disclosures/{year}",
    params(("year" = i32, Path, description = "Evaluation year"), VersionQuery),
    responses(
        (status = 200, description = "The list", body = PublishedList),
        (status = 304, description = "Unchanged (If-None-Match)"),
        (status = 404, description = "No such publication or version")
    ),
    tag = "disclosures"
)]
#[allow(dead_code)] // The OpenAPI entry of one form `disclosure_file` serves.
async fn disclosure() {}

/// The same list as CSV with the same column names (UTF-8 with a BOM).
#[utoipa::path(
    get,
    path = "/api/v1/disclosures/{year}.csv",
    params(("year" = i32, Path, description = "Evaluation year"), VersionQuery),
    responses(
        (status = 200, description = "uscc,name,county,industry,scale,status,class,version", content_type = "text/csv"),
        (status = 404, description = "No such publication or version")
    ),
    tag = "disclosures"
)]
#[allow(dead_code)] // The OpenAPI entry of one form `disclosure_file` serves.
async fn disclosure_csv() {}

/// `{year}`, `{year}.csv` or `{year}.xlsx`.
async fn disclosure_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<VersionQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (year, kind) = match file.split_once('.') {
        Some((y, "csv")) => (y, "csv"),
        Some((y, "xlsx")) => (y, "xlsx"),
        None => (file.as_str(), "json"),
        _ => return Err(AppError(service::ServiceError::NotFound)),
    };
    let year: i32 = year
        .parse()
        .map_err(|_| AppError(service::ServiceError::NotFound))?;
    let svc = &state.services;
    let (version, mime, body, name) = match kind {
        "json" => {
            let (snap, body) = read::list_json(svc, year, q.version).await?;
            (snap.version, "application/json", body.to_vec(), None)
        }
        _ => {
            let (snap, d) = read::download(svc, year, q.version, kind == "xlsx").await?;
            (snap.version, d.mime, d.bytes, Some(d.name))
        }
    };
    let etag = format!("\"d{year}v{version}{kind}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let mut r = (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::ETAG, etag),
            // The latest version can be superseded by a correction; an
            // explicit version never changes.
            (
                header::CACHE_CONTROL,
                if q.version.is_some() {
                    "public, max-age=86400, immutable".to_string()
                } else {
                    "public, max-age=60".to_string()
                },
            ),
        ],
        body,
    )
        .into_response();
    if let Some(n) = name {
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{n}\"")) {
            r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(r)
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The OpenAPI document for people: every operation, its parameters and
/// the fields it returns, rendered from the same document.
async fn docs() -> Html<String> {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>公示数据接口 · 亩均</title><style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:1rem auto;padding:0 1rem;color:#0f172a}code{background:#f1f5f9;padding:0 .25rem}section{border-top:1px solid #e2e8f0;padding:.5rem 0}td,th{text-align:left;padding:.1rem .5rem;vertical-align:top}</style></head><body>",
    );
    let info = &doc["info"];
    out.push_str(&format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"/api/v1/openapi.json\">OpenAPI JSON</a> · <a href=\"/disclosure\">公示页面</a></p>",
        esc(info["title"].as_str().unwrap_or("")),
        esc(info["description"].as_str().unwrap_or(""))
    ));
    if let Some(paths) = doc["paths"].as_object() {
        for (path, ops) in paths {
            for (method, op) in ops.as_object().into_iter().flatten() {
                out.push_str(&format!(
                    "<section><h2><code>{} {}</code></h2><p>{}</p>",
                    method.to_uppercase(),
                    esc(path),
                    esc(op["summary"]
                        .as_str()
                        .or(op["description"].as_str())
                        .unwrap_or(""))
                ));
                if let Some(params) = op["parameters"].as_array() {
                    out.push_str("<table><tr><th>参数</th><th>位置</th><th>说明</th></tr>");
                    for p in params {
                        out.push_str(&format!(
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                            esc(p["name"].as_str().unwrap_or("")),
                            esc(p["in"].as_str().unwrap_or("")),
                            esc(p["description"].as_str().unwrap_or(""))
                        ));
                    }
                    out.push_str("</table>");
                }
                if let Some(resp) = op["responses"].as_object() {
                    out.push_str("<ul>");
                    for (code, r) in resp {
                        out.push_str(&format!(
                            "<li><code>{code}</code> {}</li>",
                            esc(r["description"].as_str().unwrap_or(""))
                        ));
                    }
                    out.push_str("</ul>");
                }
                out.push_str("</section>");
            }
        }
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        out.push_str("<h2>数据结构</h2>");
        for (name, s) in schemas {
            out.push_str(&format!(
                "<section><h3><code>{}</code></h3><table>",
                esc(name)
            ));
            for (field, f) in s["properties"].as_object().into_iter().flatten() {
                let ty = f["type"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| f["type"].as_array().map(|a| format!("{a:?}")))
                    .or_else(|| f["$ref"].as_str().map(str::to_string))
                    .unwrap_or_else(|| "array".into());
                out.push_str(&format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    esc(field),
                    esc(&ty),
                    esc(f["description"].as_str().unwrap_or(""))
                ));
            }
            out.push_str("</table></section>");
        }
    }
    out.push_str("</body></html>");
    Html(out)
}

/// Requests per client address per minute.
const PER_MINUTE: u64 = 600;

/// The open API's limit, and the public pages' server functions' (one
/// budget per client address for both): a scraper pays the same whether
/// it reads `/api/v1` or the functions behind the public pages.
pub(crate) async fn rate_limit(
    State(svc): State<service::Services>,
    req: Request,
    next: Next,
) -> Response {
    // The client as the server's first layer worked it out (behind a
    // trusted proxy, the address it forwarded).
    let ip = req
        .extensions()
        .get::<service::accounts::Transport>()
        .map(|t| t.client);
    if ip.is_some_and(|ip| svc.rate.over(ip, PER_MINUTE)) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "60")],
            "请求过于频繁，请稍后再试 (too many requests)",
        )
            .into_response();
    }
    next.run(req).await
}
