//! The public disclosure pages (`/disclosure…`) are what citizens, journalists
//! and banks open, often on a phone: they are sent as complete HTML with
//! the stylesheet and no WASM (the app's bundle carries the grading engine
//! and the officials' pages, ~1 MB compressed). Their links, search forms
//! and downloads are plain HTML and work without script. Opened from a page
//! that is already running the app, they render in it as usual.

/// Whether the page being served is one of the light public pages.
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

pub fn is_light_path(path: &str) -> bool {
    path == "/disclosure" || path.starts_with("/disclosure/") || path.starts_with("/reports/")
}
