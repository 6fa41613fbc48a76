//! Accounts and sessions: who is asking, and what they may reach.

#[cfg(feature = "ssr")]
pub mod session;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CityAdmin,
    CountyOfficial,
    Department,
    Enterprise,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::CityAdmin,
        Role::CountyOfficial,
        Role::Department,
        Role::Enterprise,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::CityAdmin => "city_admin",
            Role::CountyOfficial => "county_official",
            Role::Department => "department",
            Role::Enterprise => "enterprise",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s.trim())
    }
}

/// The signed-in user as pages see it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub county: Option<grading::County>,
    pub department: Option<grading::Department>,
    pub uscc: Option<String>,
}

/// Signs in and sets the session cookie; then sends the browser home (so the
/// form works without WASM too).
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
    session::login(&username, &password).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    session::logout().await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The current user, or None when nobody is signed in.
#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<UserInfo>, AppError> {
    session::current_user().await
}
