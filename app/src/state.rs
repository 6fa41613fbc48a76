//! Server-side state shared by routes and server functions: the Leptos
//! options and the services handle.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use service::Services;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
}
