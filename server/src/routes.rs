//! The HTTP surface: Leptos pages and server functions, static files, and
//! two layers every request passes through.

use app::context::{actor_of, token_from_headers};
use app::error::AppError;
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::Request;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::{header, Method, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let s = state.clone();
        move || provide_context(s.clone())
    };
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/events", get(events))
        .route("/export/{file}", get(export))
        .route("/files/appeal/{token}", get(evidence))
        .route("/targets/bulletin.xlsx", get(bulletin_xlsx))
        .route(
            "/accounts/enterprises.xlsx",
            axum::routing::post(enterprise_accounts_sheet),
        )
        .merge(crate::api::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(from_fn(server_fn_status))
        .layer(from_fn(public_cache))
        .layer(from_fn(hashed_assets))
        .layer(from_fn(same_origin))
        // Compressed for people on slow links (not the live event stream,
        // which tower-http leaves alone).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(header_default(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_default(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_default(header::REFERRER_POLICY, "same-origin"))
        .with_state(state)
}

/// A response header set wherever a handler did not set it.
fn header_default(
    name: header::HeaderName,
    value: &'static str,
) -> tower_http::set_header::SetResponseHeaderLayer<http::HeaderValue> {
    tower_http::set_header::SetResponseHeaderLayer::if_not_present(
        name,
        http::HeaderValue::from_static(value),
    )
}

/// CSRF defence beside SameSite cookies: a state-changing request must come
/// from our own pages (same Origin, or at least not a cross-site fetch).
async fn same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let h = req.headers();
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let cross = match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => origin.split_once("://").map(|(_, rest)| rest) != host,
            None => h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site"),
        };
        if cross {
            return (
                StatusCode::FORBIDDEN,
                "跨站请求被拒绝 (cross-site request refused)",
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Failed server functions come back as 500 with the encoded `AppError`;
/// this is the one place that turns the error into its HTTP status.
async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if !res
        .headers()
        .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The actor a plain route's request comes from (its session cookie).
async fn actor(state: &AppState, headers: &HeaderMap) -> Result<service::Actor, AppError> {
    actor_of(&state.services, token_from_headers(headers).as_deref()).await
}

/// Downloads of a year's records and results, scoped like the workspace.
async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers).await?;
    let d = service::exports::export(&state.services, &actor, &file).await?;
    Ok((
        [
            (header::CONTENT_TYPE, d.mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", d.name),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        d.bytes,
    )
        .into_response())
}

/// An appeal's evidence file: only for the enterprise and the appeal's
/// reviewers (the service decides), by its random token, never cached by
/// anyone but the browser, and shown inline only as the type its content
/// was checked to be.
async fn evidence(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers).await?;
    let (name, mime, bytes) =
        service::appeals::read::evidence(&state.services, &actor, &token).await?;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
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

fn urlencode(s: &str) -> String {
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
struct BulletinQuery {
    doc: Option<String>,
    month: Option<String>,
}

/// The monthly bulletin (按月通报) as a workbook.
async fn bulletin_xlsx(
    State(state): State<AppState>,
    Query(q): Query<BulletinQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers).await?;
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
async fn enterprise_accounts_sheet(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers).await?;
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

/// `?watch=USCC,USCC,…`: the rows a screen shows.
#[derive(serde::Deserialize)]
struct Watch {
    watch: Option<String>,
}

/// Rows one screen may name (a list page shows 50).
const MAX_WATCHED: usize = 500;

/// Server-sent grade changes for the officials' screens, filtered to what
/// the user may see (a county official: their county only) and, when the
/// screen names the rows it shows, to those: one save at the top of a large
/// cohort re-ranks thousands of rows, of which a list page shows 50.
async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(w): Query<Watch>,
) -> Result<Sse<impl futures::Stream<Item = Result<Event, Infallible>>>, AppError> {
    let actor = actor(&state, &headers).await?;
    service::authz::workspace(&actor)?;
    let watched: Option<std::sync::Arc<std::collections::HashSet<String>>> = w.watch.map(|list| {
        std::sync::Arc::new(
            list.split(',')
                .filter(|u| !u.is_empty())
                .take(MAX_WATCHED)
                .map(str::to_string)
                .collect(),
        )
    });
    let rx = state.services.live.events.subscribe();
    let actor = std::sync::Arc::new(actor);
    let stream = futures::stream::unfold(rx, move |mut rx| {
        let actor = actor.clone();
        let watched = watched.clone();
        async move {
            loop {
                let ev = match rx.recv().await {
                    Ok(mut ev) => {
                        ev.changes
                            .retain(|x| service::authz::may_see(&actor, &x.row.county));
                        ev.ranks.retain(|x| service::authz::may_see(&actor, &x.1));
                        if let Some(w) = &watched {
                            ev.changes.retain(|x| w.contains(&x.row.uscc));
                            ev.ranks.retain(|x| w.contains(&x.0));
                        }
                        if ev.changes.is_empty() && ev.ranks.is_empty() && !ev.reload {
                            continue;
                        }
                        ev
                    }
                    // Too slow to keep up: the screen fetches its page again.
                    Err(RecvError::Lagged(_)) => service::workspace::GradeEvent {
                        year: 0,
                        changes: vec![],
                        ranks: vec![],
                        reload: true,
                    },
                    Err(RecvError::Closed) => return None,
                };
                let data = serde_json::to_string(&ev).unwrap_or_default();
                return Some((Ok(Event::default().event("grades").data(data)), rx));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// How long a rendered public page is reused: the time within which a
/// newly published version shows (the disclosure index is kept as long).
const PUBLIC_TTL: std::time::Duration = std::time::Duration::from_secs(5);
const PUBLIC_ENTRIES: usize = 2000;

type Rendered = (std::time::Instant, HeaderMap, axum::body::Bytes);

static PUBLIC: std::sync::Mutex<Option<std::collections::HashMap<String, Rendered>>> =
    std::sync::Mutex::new(None);

/// The public disclosure pages are the same for every anonymous visitor
/// (of a language): rendered once, then served from memory for a few
/// seconds, so a crowd of citizens costs little more than the bytes.
async fn public_cache(req: Request, next: Next) -> Response {
    // Worked out in a block: no borrow of the request outlives it.
    let key = {
        let signed_in = token_from_headers(req.headers()).is_some();
        let cacheable = req.method() == Method::GET
            && !signed_in
            && app::light::is_light_path(req.uri().path());
        let h = |k: header::HeaderName| {
            req.headers()
                .get(k)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        // The host too: several apps may share a process (the tests do).
        cacheable.then(|| {
            format!(
                "{}|{}|{}|{}",
                h(header::HOST),
                req.uri(),
                h(header::COOKIE),
                h(header::ACCEPT_LANGUAGE)
            )
        })
    };
    let Some(key) = key else {
        return next.run(req).await;
    };
    let hit = PUBLIC
        .lock()
        .ok()
        .and_then(|m| m.as_ref()?.get(&key).cloned())
        .filter(|(at, _, _)| at.elapsed() < PUBLIC_TTL);
    if let Some((_, headers, body)) = hit {
        let mut r = Response::new(Body::from(body));
        *r.headers_mut() = headers;
        return r;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(mut m) = PUBLIC.lock() {
        let m = m.get_or_insert_with(Default::default);
        if m.len() >= PUBLIC_ENTRIES {
            m.retain(|_, (at, _, _)| at.elapsed() < PUBLIC_TTL);
            if m.len() >= PUBLIC_ENTRIES {
                m.clear();
            }
        }
        m.insert(
            key,
            (
                std::time::Instant::now(),
                parts.headers.clone(),
                bytes.clone(),
            ),
        );
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `pkg/name.HASH.ext` never changes under its name: kept a year.
async fn hashed_assets(req: Request, next: Next) -> Response {
    let hashed = req
        .uri()
        .path()
        .strip_prefix("/pkg/")
        .is_some_and(|f| f.split('.').count() >= 3);
    let mut res = next.run(req).await;
    if hashed && res.status() == StatusCode::OK {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            http::HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    res
}
