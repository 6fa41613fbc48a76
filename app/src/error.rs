//! The web layer's wrapper of the one error, [`ServiceError`] (in
//! `shared`): its words, its HTTP status and its wire form are the error's
//! own; this type only adds the plumbing the orphan rule keeps here — a
//! server function's error encoding (the status set where the error
//! becomes the response) and a plain route's axum response. A fault's
//! detail never crosses: the conversion from a workflow's error logs it
//! and keeps the id (`service::error::for_client`).

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};
use shared::ServiceError;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error(transparent)]
#[serde(transparent)]
pub struct AppError(pub ServiceError);

impl std::ops::Deref for AppError {
    type Target = ServiceError;

    fn deref(&self) -> &ServiceError {
        &self.0
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError(ServiceError::Unreachable(value.to_string()))
    }

    /// A failed server function's body, and its HTTP status set here, where
    /// the error becomes the response (server functions answer 500
    /// otherwise): leptos_axum applies the request's `ResponseOptions`
    /// after the function has run.
    ///
    /// Not for a plain HTML form (a light page, `crate::light`): server_fn
    /// answers it with a redirect back to the form, the error in the
    /// address, and an error status would keep the browser from following.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        let plain_form = crate::context::plain_form();
        #[cfg(feature = "ssr")]
        if let Some(r) =
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>().filter(|_| !plain_form)
        {
            r.set_status(
                http::StatusCode::from_u16(self.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let ServiceError::Fault(id) = &self.0 {
                if let Ok(v) = http::HeaderValue::from_str(id) {
                    r.insert_header(http::HeaderName::from_static(ERROR_ID_HEADER), v);
                }
            }
        }
        use leptos::server_fn::Encodes;
        JsonEncoding::encode(self).unwrap_or_else(|e| {
            let fallback =
                AppError::from_server_fn_error(ServerFnErrorErr::Serialization(e.to_string()));
            JsonEncoding::encode(&fallback).unwrap_or_default()
        })
    }
}

/// A short random id for one fault, logged with its details.
pub fn error_id() -> String {
    #[cfg(feature = "ssr")]
    {
        service::error::fault_id()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::from("-")
    }
}

impl From<ServiceError> for AppError {
    /// On the server, as a client may read it (a fault's detail logged,
    /// only its id kept; messages bounded).
    fn from(e: ServiceError) -> Self {
        #[cfg(feature = "ssr")]
        {
            AppError(service::error::for_client(e))
        }
        #[cfg(not(feature = "ssr"))]
        {
            AppError(e)
        }
    }
}

/// The response header that carries a fault's id.
pub const ERROR_ID_HEADER: &str = "x-error-id";

#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, self.to_string()).into_response();
        if let ServiceError::Fault(id) = &self.0 {
            if let Ok(v) = http::HeaderValue::from_str(id) {
                res.headers_mut().insert(ERROR_ID_HEADER, v);
            }
        }
        res
    }
}
