//! Signing in and out, and who is signed in.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::{Role, UserInfo};

/// Signs in and sets the session cookie; then sends the browser home (so the
/// form works without WASM too).
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
    use crate::context::{client_address, services, set_cookie};
    use service::authz::{may_open, Area};
    let svc = services()?;
    let s = match service::accounts::login(&svc, &username, &password, client_address()).await {
        Ok(s) => s,
        Err(e) => {
            // Without script the sign-in page comes back with the name typed.
            let e = AppError::from(e);
            crate::context::back_with_error(
                <Login as leptos::server_fn::ServerFn>::PATH,
                &e,
                &[("username", &username)],
            );
            return Err(e);
        }
    };
    set_cookie(&s.token, s.max_age_secs);
    // A one-time password is changed first; an enterprise goes to its
    // own evaluation.
    let to = match s.actor.user() {
        Some(u) if u.must_change_password => "/account",
        Some(u) if may_open(u, Area::Portal) => "/portal",
        // A unit that applies the classes has no workspace: its lists.
        Some(u) if may_open(u, Area::Measures) && !may_open(u, Area::Workspace) => "/measures",
        _ => "/",
    };
    leptos_axum::redirect(to);
    Ok(())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::context::logout().await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends every session of the signed-in user, on every device (this one
/// too), and closes their open live screens; then to the sign-in page.
#[server(prefix = "/api", endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    service::accounts::end_all(&svc, &actor).await?;
    crate::context::set_cookie("", 0);
    leptos_axum::redirect("/login");
    Ok(())
}

/// The current user, or None when nobody is signed in.
#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<UserInfo>, AppError> {
    let (_, actor) = crate::context::request().await?;
    Ok(actor.user().cloned())
}
