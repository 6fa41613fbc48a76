//! The language of the light pages (`app::light`), which run no script:
//! a link to `/lang/<zh|en>?to=<this page>` sets the cookie the app's
//! language switch sets in the browser (leptos_i18n's `i18n_pref_locale`)
//! and sends the reader back.

use super::*;

#[derive(serde::Deserialize)]
pub(super) struct Back {
    to: Option<String>,
}

pub(super) async fn switch(
    Path(lang): Path<String>,
    Query(back): Query<Back>,
    req: Request,
) -> Response {
    if lang != "zh" && lang != "en" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let https = req.extensions().get::<Transport>().is_some_and(|t| t.https);
    // Readable by the app's script, which keeps it in step when the
    // reader later switches language in a page that runs it.
    let cookie = format!(
        "i18n_pref_locale={lang}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        if https { "; Secure" } else { "" }
    );
    let to = back
        .to
        .filter(|t| is_local(t))
        .unwrap_or_else(|| "/".into());
    let mut res = axum::response::Redirect::to(&to).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// A path on this site: not another site's address (`//host`, `/\host`,
/// `https://…`), which would make the link an open redirect.
fn is_local(to: &str) -> bool {
    to.starts_with('/')
        && !to.starts_with("//")
        && !to.starts_with("/\\")
        && !to.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_this_site_is_a_way_back() {
        assert!(super::is_local("/portal/2020?tax_wan=12"));
        assert!(!super::is_local("//evil.example/"));
        assert!(!super::is_local("/\\evil.example/"));
        assert!(!super::is_local("https://evil.example/"));
        assert!(!super::is_local("/a\r\nSet-Cookie: x=1"));
    }
}
