//! Pages and the layout around them.

pub mod account;
pub mod home;
pub mod layout;
pub mod login;

use crate::i18n::*;
use leptos::prelude::*;

/// Picks the Chinese or English text of a domain term for the current locale.
pub fn tr(zh: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || if i18n.get_locale() == Locale::zh { zh } else { en }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! { <p class="p-6 text-slate-600">{t!(i18n, not_found)}</p> }
}
