//! Light pages: sent as complete HTML with the stylesheet and no WASM.
//!
//! The public disclosure (`/disclosure…`, `/reports/…`) is what citizens,
//! journalists and banks open, often on a phone; the home page and the
//! sign-in form are where everyone starts; the enterprise's own evaluation
//! (`/portal`, `/portal/<year>`) is read on a phone by people who should not
//! download the officials' workspace; the policy targets' dashboard and a
//! target's page are read by the city's leadership, often on a phone, and
//! written to through forms; the list of accounts is a table; an appeal is
//! read by its enterprise and decided by its reviewers. None of them
//! needs script: their links, filters, sign-in, confirmation, what-if,
//! monthly report, sheet upload and appeal decisions are plain HTML forms
//! the server answers (the what-if is graded by the same engine, on the
//! server; a form's outcome comes back in the address, `context::back_with`,
//! its error as server_fn's `__err`). The app's WASM (~0.5 MB compressed
//! with the areas' chunks) loads where the browser computes or updates
//! live: the workspace (live grades), the rules' simulator, the appeal form
//! (which keeps what was typed when refused), imports, notices, the
//! printable bulletin. Opened from a page that is already running the app,
//! a light page renders in it as usual.

/// Whether the page being served is light.
pub fn is_light() -> bool {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|p| is_light_path(p.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The public disclosure: the same for every anonymous visitor, so the
/// server may keep a rendered copy for a few seconds.
pub fn is_public_path(path: &str) -> bool {
    path == "/disclosure" || path.starts_with("/disclosure/") || path.starts_with("/reports/")
}

pub fn is_light_path(path: &str) -> bool {
    is_public_path(path)
        || path == "/"
        || path == "/login"
        || path == "/portal"
        || path
            .strip_prefix("/portal/")
            .is_some_and(|y| !y.is_empty() && y.bytes().all(|b| b.is_ascii_digit()))
        // The targets' dashboard and each target's page (not the bulletin,
        // whose print button is script).
        || path == "/targets"
        || path
            .strip_prefix("/targets/")
            .is_some_and(|id| !id.is_empty() && id != "bulletin" && !id.contains('/'))
        || path == "/admin/users"
        // Appeals: the queue and an appeal, read and decided with forms.
        || path == "/appeals"
        || path
            .strip_prefix("/appeals/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_year_is_light_its_appeal_form_is_not() {
        assert!(is_light_path("/portal"));
        assert!(is_light_path("/portal/2020"));
        assert!(!is_light_path("/portal/2020/appeal"));
        assert!(!is_light_path("/portal/"));
        assert!(is_light_path("/login"));
        assert!(!is_light_path("/enterprises"));
        assert!(!is_public_path("/portal/2020"));
        assert!(!is_public_path("/login"));
        assert!(is_public_path("/disclosure/2020"));
        assert!(is_light_path("/targets"));
        assert!(is_light_path("/targets/jzbf-2021-5.g1"));
        assert!(!is_light_path("/targets/bulletin"));
        assert!(is_light_path("/admin/users"));
        assert!(!is_light_path("/admin/rules"));
        assert!(is_light_path("/appeals"));
        assert!(is_light_path("/appeals/12"));
        assert!(!is_light_path("/notices"));
    }
}
