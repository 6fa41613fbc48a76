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
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Extension;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use service::accounts::Transport;
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
        // Browsers ask for this name whatever the page's <link> says.
        .route(
            "/favicon.ico",
            get(|| async { axum::response::Redirect::permanent("/favicon.svg") }),
        )
        .route("/api/events", get(events))
        .route("/export/{file}", get(export))
        .route("/files/appeal/{token}", get(evidence))
        .route("/targets/bulletin.xlsx", get(bulletin_xlsx))
        .route("/measures/{year}/{file}", get(measure_file))
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
        .layer(from_fn(public_fn_limit))
        .layer(from_fn(server_fn_status))
        .layer(from_fn(public_cache))
        .layer(from_fn(hashed_assets))
        .layer(from_fn(signed_in_not_stored))
        .layer(from_fn(same_origin))
        .layer(from_fn(crate::limits::body_limit))
        .layer(from_fn_with_state(state.clone(), transport))
        // Compressed for people on slow links (not the live event stream,
        // which tower-http leaves alone).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(header_default(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_default(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_default(header::REFERRER_POLICY, "same-origin"))
        // Pages set their own policy with the nonce of their scripts
        // (`app::shell`); anything else may run nothing.
        .layer(header_default(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ))
        .layer(from_fn(crate::faults::error_ids))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            crate::faults::panic_response,
        ))
        .with_state(state)
}

/// Works out once how the request reached us (client address, HTTPS;
/// believing forwarded headers only from a configured proxy) for the
/// login limit and the cookie's name and flags.
async fn transport(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let t = {
        let h = |k: &str| req.headers().get(k).and_then(|v| v.to_str().ok());
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let cfg = &state.services.config;
        Transport::of(
            peer,
            h("x-forwarded-for"),
            h("x-forwarded-proto"),
            &cfg.trusted_proxies,
            cfg.cookie_secure,
        )
    };
    req.extensions_mut().insert(t);
    next.run(req).await
}

/// Whatever is served to a signed-in user (pages, fragments, files) stays
/// out of shared and back/forward caches: a shared computer, a proxy.
async fn signed_in_not_stored(req: Request, next: Next) -> Response {
    // The site's own files (WASM, CSS, icons) are the same for everyone
    // and keep their own caching.
    let path = req.uri().path();
    let asset = path.starts_with("/pkg/") || path == "/favicon.svg";
    let signed_in = !asset && has_session_cookie(req.headers());
    let mut res = next.run(req).await;
    if signed_in {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            http::HeaderValue::from_static("private, no-store"),
        );
    }
    res
}

/// Whether the request carries a session cookie of either name (whether
/// it is still valid does not matter to caching).
fn has_session_cookie(headers: &HeaderMap) -> bool {
    token_from_headers(headers, false).is_some() || token_from_headers(headers, true).is_some()
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

/// The server functions behind the public pages (the disclosure, the
/// overview): anonymous, so limited like the open API.
const PUBLIC_FNS: &[&str] = &[
    "/api/publications",
    "/api/publication_page",
    "/api/public_corrections",
    "/api/public_card",
    "/api/public_lookup",
    "/api/public_overview",
    "/api/public_leaders",
    "/api/public_electricity",
];

async fn public_fn_limit(req: Request, next: Next) -> Response {
    if PUBLIC_FNS.contains(&req.uri().path()) {
        return crate::api::rate_limit(req, next).await;
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
        if let AppError::Internal(id) = &e {
            if let Ok(v) = http::HeaderValue::from_str(id) {
                parts.headers.insert(app::error::ERROR_ID_HEADER, v);
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The actor a plain route's request comes from (its session cookie).
pub(crate) async fn actor(
    state: &AppState,
    headers: &HeaderMap,
    t: Transport,
) -> Result<service::Actor, AppError> {
    actor_of(
        &state.services,
        token_from_headers(headers, t.https).as_deref(),
    )
    .await
}

/// Downloads of a year's records and results, scoped like the workspace.
async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    Extension(t): Extension<Transport>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers, t).await?;
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
    Extension(t): Extension<Transport>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers, t).await?;
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
    Extension(t): Extension<Transport>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers, t).await?;
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
    Extension(t): Extension<Transport>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers, t).await?;
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
struct ListQuery {
    version: Option<i32>,
    county: Option<String>,
}

/// `/measures/{year}/{key}.xlsx|.csv`: an entitlement list (分类施策) for
/// the units that apply the measure; not found for anyone else.
async fn measure_file(
    State(state): State<AppState>,
    Path((year, file)): Path<(i32, String)>,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
    Extension(t): Extension<Transport>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &headers, t).await?;
    let (key, xlsx) = match (file.strip_suffix(".xlsx"), file.strip_suffix(".csv")) {
        (Some(k), _) => (k, true),
        (_, Some(k)) => (k, false),
        _ => return Err(AppError::NotFound),
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
    Ok((
        [
            (header::CONTENT_TYPE, d.mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", d.name),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        d.bytes,
    )
        .into_response())
}

/// `?watch=USCC,USCC,…`: the rows a screen shows.
#[derive(serde::Deserialize)]
struct Watch {
    watch: Option<String>,
}

/// How often an open stream checks that its session still holds (it is
/// also told at once when its user signs out or changes the password).
const RECHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// The session an open event stream runs under.
struct Session {
    svc: service::Services,
    token: String,
    user: Option<i32>,
    ended: tokio::sync::broadcast::Receiver<i32>,
    tick: tokio::time::Interval,
}

impl Session {
    /// Resolves when the session has ended (signed out, expired, idle).
    async fn ends(&mut self) {
        loop {
            tokio::select! {
                r = self.ended.recv() => match r {
                    Ok(id) if Some(id) != self.user => continue,
                    Err(RecvError::Closed) => std::future::pending::<()>().await,
                    _ => {}
                },
                _ = self.tick.tick() => {}
            }
            // A database hiccup keeps the stream open until the next check.
            if let Ok(false) = service::accounts::session_alive(&self.svc, &self.token).await {
                return;
            }
        }
    }
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
    Extension(t): Extension<Transport>,
    Query(w): Query<Watch>,
) -> Result<Sse<impl futures::Stream<Item = Result<Event, Infallible>>>, AppError> {
    let actor = actor(&state, &headers, t).await?;
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
    let session = Session {
        svc: state.services.clone(),
        token: token_from_headers(&headers, t.https).unwrap_or_default(),
        user: actor.user_id(),
        ended: state.services.sessions_ended.subscribe(),
        tick: tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK),
    };
    let actor = std::sync::Arc::new(actor);
    let stream = futures::stream::unfold((rx, session), move |(mut rx, mut session)| {
        let actor = actor.clone();
        let watched = watched.clone();
        async move {
            loop {
                let received = tokio::select! {
                    r = rx.recv() => r,
                    () = session.ends() => return None,
                };
                let ev = match received {
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
                return Some((
                    Ok(Event::default().event("grades").data(data)),
                    (rx, session),
                ));
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
        let signed_in = has_session_cookie(req.headers());
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
