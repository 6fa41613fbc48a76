//! Black-box tests of the running server: accounts, sessions, roles, pages.
//! Those that only read share one demo server.

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_chinese_and_public() {
    let s = shared();
    let body = s
        .client()
        .get(s.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("嘉兴市工业企业绩效综合评价"),
        "title in Chinese"
    );
    assert!(
        body.contains("data-testid=\"class-table\""),
        "class distribution rendered"
    );
    // Aggregates only: no enterprise names or USCCs on the public page.
    assert!(
        !body.contains("有限公司"),
        "no enterprise names on the home page"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_counts_match_the_published_version() {
    use entity::disclosure_row::{Column, Entity};
    use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
    let s = shared();
    let v: serde_json::Value = s
        .call(&s.client(), "public_overview", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["year"], 2020);
    let version = v["version"].as_i64().unwrap() as i32;
    let db = Database::connect(&s.database).await.unwrap();
    let published = || {
        Entity::find()
            .filter(Column::Year.eq(2020))
            .filter(Column::Version.eq(version))
    };
    for c in v["counties"].as_array().unwrap() {
        let county = c["county"].as_str().unwrap();
        for (k, class) in ["A", "B", "C", "D"].iter().enumerate() {
            let n = published()
                .filter(Column::County.eq(county))
                .filter(Column::Status.eq("graded"))
                .filter(Column::Class.eq(*class))
                .count(&db)
                .await
                .unwrap();
            assert_eq!(c["classes"][k].as_u64(), Some(n), "{county} {class}");
        }
        let exempt = published()
            .filter(Column::County.eq(county))
            .filter(Column::Status.eq("exempt"))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(c["exempt"].as_u64(), Some(exempt), "{county} exempt");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_logout_and_wrong_password() {
    let s = shared();
    let c = s.client();
    let r = s
        .call(
            &c,
            "login",
            &[("username", "nanhu"), ("password", "wrong-password")],
        )
        .await;
    assert_eq!(r.status(), 401);
    let r = s.call(&c, "whoami", &[]).await;
    assert_eq!(r.text().await.unwrap(), "null", "still anonymous");

    let r = s.login(&c, "nanhu").await;
    assert_eq!(r.status(), 200);
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let me: serde_json::Value = s.call(&c, "whoami", &[]).await.json().await.unwrap();
    assert_eq!(me["role"], "county_official");
    assert_eq!(me["county"], "nanhu");

    let page = c
        .get(s.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("南湖区经办人"),
        "account page shows the signed-in user"
    );

    let r = s.call(&c, "logout", &[]).await;
    assert!(r.status().is_success() || r.status().is_redirection());
    let r = s.call(&c, "whoami", &[]).await;
    assert_eq!(r.text().await.unwrap(), "null", "signed out");
}

/// The sign-in page is light (`app::light`): a browser's plain form post
/// that fails comes back to the page as a redirect (not an error status,
/// which the browser would show as it is), with the reason and the name
/// typed, never the password; one that succeeds goes on to the role's page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_without_script() {
    let s = shared();
    let c = s.client();
    let post = |user: &'static str, password: &'static str| {
        c.post(s.url("/api/login"))
            .header("Accept", "text/html")
            .header("Origin", s.url(""))
            .header("Referer", s.url("/login"))
            .form(&[("username", user), ("password", password)])
            .send()
    };
    let r = post("nobody-here", "a-secret-word").await.unwrap();
    assert_eq!(r.status(), 302);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.starts_with("/login?") && to.contains("username=nobody-here"),
        "{to}"
    );
    assert!(
        to.contains("__err=") && !to.contains("a-secret-word"),
        "{to}"
    );
    let (_, page) = page_of(s, &c, &to).await;
    assert!(page.contains("用户名或密码错误"), "the reason on the page");
    assert!(page.contains("value=\"nobody-here\""), "the name typed");
    let r = post("qiye1", PASSWORD).await.unwrap();
    assert!(r.status().is_redirection());
    assert_eq!(r.headers()["location"], "/portal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_rate_limited_per_user() {
    let s = TestServer::demo().await;
    let c = s.client();
    for _ in 0..5 {
        let r = s
            .call(
                &c,
                "login",
                &[("username", "admin"), ("password", "nope-nope")],
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = s
        .call(
            &c,
            "login",
            &[("username", "admin"), ("password", "nope-nope")],
        )
        .await;
    assert_eq!(r.status(), 429, "sixth failure is refused");
    // Even the right password waits out the window.
    let r = s.login(&c, "admin").await;
    assert_eq!(r.status(), 429);
    // Another user is not affected.
    assert_eq!(s.login(&c, "tax").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let s = shared();
    let c = s.client();
    let r = c
        .post(s.url("/api/login"))
        .header("Origin", "http://evil.example")
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("set-cookie").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_list_is_for_the_city_admin_only() {
    let s = shared();
    let anon = s.client();
    assert_eq!(s.call(&anon, "list_users", &[]).await.status(), 401);
    for user in ["nanhu", "tax", "qiye1"] {
        let c = s.client();
        assert_eq!(s.login(&c, user).await.status(), 200);
        assert_eq!(
            s.call(&c, "list_users", &[]).await.status(),
            403,
            "{user} must not list accounts"
        );
        let page = c
            .get(s.url("/admin/users"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains("qiye2"), "{user} sees no account list");
    }
    let admin = s.client();
    assert_eq!(s.login(&admin, "admin").await.status(), 200);
    let users: serde_json::Value = s
        .call(&admin, "list_users", &[])
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"nanhu") && names.contains(&"qiye1"),
        "{names:?}"
    );
    assert!(
        !users.to_string().contains("argon2"),
        "no password hashes leave the server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_page_is_404() {
    let s = shared();
    let r = s.client().get(s.url("/no-such-page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_are_compressed_and_carry_protective_headers() {
    let s = shared();
    for path in ["/", "/disclosure/2020", "/api/v1/disclosures/2020"] {
        let r = s
            .client()
            .get(s.url(path))
            .header("Accept-Encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        assert_eq!(h["content-encoding"], "gzip", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "same-origin");
    }
}

/// The built files go out as scripts/front.sh compressed them: brotli to a
/// browser that takes it, else gzip, else plain; each with the header that
/// tells caches so, and a year's keep for a name with a content hash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_files_are_sent_precompressed_as_the_browser_accepts() {
    let s = shared();
    let pkg = s.site_root().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let name = "precompressed.0123abcd.js";
    std::fs::write(pkg.join(name), "plain").unwrap();
    std::fs::write(pkg.join(format!("{name}.br")), "brotli bytes").unwrap();
    std::fs::write(pkg.join(format!("{name}.gz")), "gzip bytes").unwrap();
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "plain"),
    ] {
        let res = s
            .client()
            .get(s.url(&format!("/pkg/{name}")))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{accept}");
        let h = |k: &str| {
            res.headers()
                .get(k)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(h("content-encoding").as_deref(), encoding, "{accept}");
        assert_eq!(h("vary").as_deref(), Some("accept-encoding"), "{accept}");
        assert!(
            h("content-type").unwrap_or_default().contains("javascript"),
            "{accept}"
        );
        assert!(
            h("cache-control").unwrap_or_default().contains("immutable"),
            "{accept}"
        );
        // Not a document: none of a page's headers (a phone fetches ~60).
        assert_eq!(h("x-content-type-options").as_deref(), Some("nosniff"));
        for k in [
            "x-frame-options",
            "referrer-policy",
            "content-security-policy",
            "last-modified",
        ] {
            assert_eq!(h(k), None, "{k}");
        }
        assert_eq!(res.text().await.unwrap(), body, "{accept}");
    }
}
