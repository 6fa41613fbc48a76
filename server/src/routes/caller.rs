//! Who a plain route's request comes from: its session cookie, read once
//! by an extractor rather than by every handler.

use super::*;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use service::ServiceError;

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

/// The caller of a plain route (the public when signed out); handlers take
/// it as an argument.
pub struct Caller(pub service::Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let t = parts
            .extensions
            .get::<Transport>()
            .cloned()
            .ok_or_else(|| AppError::from(ServiceError::internal("no transport on the request")))?;
        Ok(Caller(actor(state, &parts.headers, t).await?))
    }
}
