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
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use service::accounts::Transport;

mod caller;
mod deadline;
mod downloads;
mod events;
mod language;
mod middleware;
mod public_cache;

pub(crate) use caller::Caller;
use deadline::render_deadline;
use downloads::*;
use events::events;
use middleware::*;
use public_cache::public_cache;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let s = state.clone();
        move || provide_context(s.clone())
    };
    let options = state.leptos_options.clone();
    // The site's built files, sent as scripts/front.sh compressed them
    // (brotli at quality 11 beats on-the-fly compression by a fifth);
    // CompressionLayer leaves a response already encoded alone.
    let pkg = tower_http::services::ServeDir::new(format!(
        "{}/{}",
        options.site_root, options.site_pkg_dir
    ))
    .precompressed_br()
    .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
        .route("/healthz", get(|| async { "ok" }))
        // Browsers ask for this name whatever the page's <link> says.
        .route(
            "/favicon.ico",
            get(|| async { axum::response::Redirect::permanent("/favicon.svg") }),
        )
        .route("/lang/{lang}", get(language::switch))
        .route("/api/events", get(events))
        .route("/export/{file}", get(export))
        .route("/files/appeal/{token}", get(evidence))
        .route("/targets/bulletin.xlsx", get(bulletin_xlsx))
        .route("/measures/{year}/{file}", get(measure_file))
        .route("/disclosure/{year}/download/{file}", get(people_list))
        .route("/reports/{year}/report.xlsx", get(public_report))
        .route("/admin/reports/{year}/report.xlsx", get(internal_report))
        .route(
            "/admin/rules/{year}/simulation.xlsx",
            get(simulation_movers),
        )
        .route(
            "/accounts/enterprises.xlsx",
            axum::routing::post(enterprise_accounts_sheet),
        )
        .merge(crate::api::routes(&state))
        .merge(
            Router::new()
                .leptos_routes_with_context(&state, routes, context.clone(), move || {
                    shell(options.clone())
                })
                .route_layer(from_fn(render_deadline)),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        // Inside the public cache, which keeps the headers with the page.
        .layer(from_fn(page_policy))
        .layer(from_fn_with_state(state.services.clone(), public_fn_limit))
        .layer(from_fn_with_state(
            public_cache::Pages::new(&state.services),
            public_cache,
        ))
        .layer(from_fn(hashed_assets))
        .layer(from_fn(signed_in_not_stored))
        .layer(from_fn(same_origin))
        .layer(from_fn(crate::limits::body_limit))
        .layer(from_fn_with_state(state.clone(), transport))
        // Compressed for people on slow links (not the live event stream,
        // which tower-http leaves alone).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(header_default(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Pages set their own policy with the nonce of their scripts
        // (`app::shell`); anything else may run nothing.
        .layer(from_fn(document_headers))
        .layer(from_fn(crate::faults::error_ids))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            crate::faults::panic_response,
        ))
        .with_state(state)
}
