//! The perimeter, tried as an attacker and a careless client would: sizes,
//! headers, cookies behind a proxy, login throttling, sessions, faults.
//! Black-box: each test sends requests and checks statuses and outcomes.

use crate::support::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::io::Write;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends a raw request head (and optional body) and returns the response's
/// status line and headers as text.
async fn raw(s: &TestServer, head: &str, body: &[u8]) -> String {
    let addr = s.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(head.as_bytes()).await.unwrap();
    // The server may answer (and close) before it has read the body.
    let _ = tcp.write_all(body).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), tcp.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).to_string()
}

fn post_head(path: &str, host: &str, length: usize, extra: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\nConnection: close\r\n{extra}\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_bounded_on_every_route() {
    let s = shared();
    let host = s.base.trim_start_matches("http://");
    // Declared too large: refused before a byte of the body is read.
    for path in [
        "/api/login",
        "/api/save_record",
        "/api/v1/targets",
        "/export/2020-records.csv",
        "/api/events",
        "/accounts/enterprises.xlsx",
    ] {
        let r = raw(s, &post_head(path, host, 3 << 20, ""), b"").await;
        assert!(r.starts_with("HTTP/1.1 413"), "{path}: {r}");
    }
    // The uploads have their own, larger limit, and refuse past it.
    let r = raw(
        s,
        &post_head("/api/preview_import", host, 80 << 20, ""),
        b"",
    )
    .await;
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    let r = raw(s, &post_head("/api/file_appeal", host, 60 << 20, ""), b"").await;
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");

    // No length declared: counted while it streams, refused past the limit.
    let c = s.client();
    let chunks =
        futures::stream::iter((0..40).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 100 * 1024])));
    let r = c
        .post(s.url("/api/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await;
    match r {
        Ok(r) => assert_eq!(r.status(), 413),
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    // And the server is still there for everyone else (on a new
    // connection: the refused one was closed).
    let ok = s.client().get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_upload_past_its_limit_is_refused_whole() {
    let s = TestServer::demo().await;
    let official = logged_in(&s, "haining").await;
    // 65 MB sent chunked (no length to refuse up front).
    let chunks = futures::stream::iter((0..65).map(|i| {
        let mut v = vec![b'x'; 1 << 20];
        if i == 0 {
            v[..10].copy_from_slice(b"uscc,name\n");
        }
        Ok::<_, std::io::Error>(v)
    }));
    let part =
        reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(chunks)).file_name("big.csv");
    let form = reqwest::multipart::Form::new().part("file", part);
    let r = official
        .post(s.url("/api/preview_import"))
        .multipart(form)
        .send()
        .await;
    if let Ok(r) = r {
        let status = r.status();
        let text = r.text().await.unwrap_or_default();
        assert!(status == 413 || status == 422, "{status}: {text}");
        assert!(text.contains("上限"), "{text}");
    }
    // Nothing was written.
    assert!(audit_entries(&s.db().await).await.is_empty());
}

/// A workbook whose one sheet unzips to `size` bytes of padding.
fn zip_bomb(size: usize) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("[Content_Types].xml", opts).unwrap();
    z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#).unwrap();
    z.start_file("xl/workbook.xml", opts).unwrap();
    z.write_all(br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#).unwrap();
    z.start_file("xl/_rels/workbook.xml.rels", opts).unwrap();
    z.write_all(br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#).unwrap();
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    z.write_all(br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).unwrap();
    let pad = vec![b' '; 1 << 20];
    for _ in 0..size >> 20 {
        z.write_all(&pad).unwrap();
    }
    z.write_all(b"</sheetData></worksheet>").unwrap();
    z.finish().unwrap();
    out.into_inner()
}

/// A real workbook with a value in A1 and one in XFD1048576: two cells
/// whose rectangle is 17 billion.
fn two_far_cells() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "统一社会信用代码").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save_to_buffer().unwrap()
}

async fn upload_bytes(
    s: &TestServer,
    c: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let r = c
        .post(s.url("/api/preview_import"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workbooks_are_bounded_before_they_are_expanded() {
    let s = shared();
    let official = logged_in(s, "nanhu").await;
    let bomb = zip_bomb(600 << 20);
    assert!(bomb.len() < 4 << 20, "the bomb is small: {}", bomb.len());
    let (status, text) = upload_bytes(s, &official, "bomb.xlsx", bomb).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("解压后超过"), "{text}");

    let (status, text) = upload_bytes(s, &official, "far.xlsx", two_far_cells()).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("XFD1048576"), "names the cell: {text}");

    // Not a workbook at all.
    let (status, text) = upload_bytes(s, &official, "junk.xlsx", b"PK\x03\x04junk".to_vec()).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("无法打开工作簿"), "{text}");
    // The server is up and answers.
    let r = official.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_are_limited_per_user() {
    let s = shared();
    let official = logged_in(s, "jiashan").await;
    let (uscc, name) = graded_in(s, "jiashan").await;
    let rec = record_2020(s, &uscc).await.unwrap();
    let csv = format!(
        "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n{uscc},{name},jiashan,{},above,2020,7\n",
        rec.industry
    );
    let mut ids = Vec::new();
    for _ in 0..4 {
        let p = upload(s, &official, "one.csv", csv.clone()).await;
        ids.push(p["id"].as_str().expect("valid").to_string());
    }
    // The fourth pushed out the first; the others are still there.
    let status = |id: String| {
        let official = official.clone();
        async move {
            s.call(&official, "import_status", &[("id", &id)])
                .await
                .status()
        }
    };
    assert_eq!(
        status(ids[0].clone()).await,
        404,
        "the oldest preview was dropped"
    );
    for id in &ids[1..] {
        assert_eq!(status(id.clone()).await, 200);
    }
    // Another user cannot see them.
    let other = logged_in(s, "nanhu").await;
    let r = s.call(&other, "import_status", &[("id", &ids[3])]).await;
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_nonce_policy_and_signed_in_pages_are_not_stored() {
    let s = shared();
    let c = s.client();
    let r = c.get(s.url("/")).send().await.unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .expect("script-src");
    assert!(!script_src.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in script-src")
        .to_string();
    let html = r.text().await.unwrap();
    // Every inline script carries the nonce; nothing inline runs without it.
    for (i, tag) in html.match_indices("<script").map(|(i, _)| (i, &html[i..])) {
        let end = tag.find('>').unwrap();
        let open = &tag[..end];
        assert!(
            open.contains(&format!("nonce=\"{nonce}\""))
                || open.contains(" src=")
                || tag.starts_with("<script></script>"),
            "script at {i} without the nonce: {}",
            &html[i..(i + 300).min(html.len())]
        );
    }
    assert!(!html.contains(" onclick="), "no inline handlers");
    // Another response, another nonce.
    let again = c.get(s.url("/")).send().await.unwrap();
    assert_ne!(
        again.headers()["content-security-policy"].to_str().unwrap(),
        csp
    );
    // The public pages load no script file: only their own inline ones run.
    let r = c.get(s.url("/disclosure")).send().await.unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(
        script_src.contains("'nonce-") && !script_src.contains("'self'"),
        "{csp}"
    );

    // Signed in: pages, server functions and files are not stored.
    let admin = logged_in(s, "admin").await;
    for path in [
        "/",
        "/enterprises",
        "/api/whoami",
        "/export/2020-records.csv",
    ] {
        let r = if path.starts_with("/api/") {
            admin.post(s.url(path)).send().await.unwrap()
        } else {
            admin.get(s.url(path)).send().await.unwrap()
        };
        assert_eq!(
            r.headers()["cache-control"].to_str().unwrap(),
            "private, no-store",
            "{path}"
        );
    }
    // The site's own files keep their caching for a signed-in user too.
    let r = admin.get(s.url("/favicon.svg")).send().await.unwrap();
    assert_ne!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_string()),
        Some("private, no-store".to_string())
    );
    // A public visitor's home page may be cached by nobody else either,
    // but it is not marked no-store (nothing personal in it).
    let r = c.get(s.url("/")).send().await.unwrap();
    assert_ne!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_string()),
        Some("private, no-store".to_string())
    );
}

fn proxied() -> service::Config {
    service::Config {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        login_delay: Duration::from_secs(1),
        ..service::Config::default()
    }
}

fn set_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_and_host_prefixed_behind_an_https_proxy() {
    let s = TestServer::start_with(true, proxied()).await;
    let login = |proto: Option<&'static str>| {
        let c = s.client();
        let mut req = c
            .post(s.url("/api/login"))
            .header("Accept", "application/json")
            .form(&[("username", "admin"), ("password", PASSWORD)]);
        if let Some(p) = proto {
            req = req.header("X-Forwarded-Proto", p);
        }
        req.send()
    };
    let r = login(Some("https")).await.unwrap();
    let cookie = set_cookie(&r);
    assert!(cookie.starts_with("__Host-muyi_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("__Host-muyi_session=")
        .to_string();
    // The prefixed cookie is the one honoured over HTTPS…
    let who = |cookie: String, proto: &'static str| {
        let c = s.client();
        let url = s.url("/api/whoami");
        async move {
            let r = c
                .post(url)
                .header("Accept", "application/json")
                .header("Cookie", cookie)
                .header("X-Forwarded-Proto", proto)
                .send()
                .await
                .unwrap();
            r.text().await.unwrap()
        }
    };
    assert!(who(format!("__Host-muyi_session={token}"), "https")
        .await
        .contains("admin"));
    // …and an unprefixed one (which a neighbouring host could plant) is not.
    assert_eq!(who(format!("muyi_session={token}"), "https").await, "null");

    // Plain HTTP: the plain cookie, not Secure.
    let r = login(None).await.unwrap();
    let cookie = set_cookie(&r);
    assert!(
        cookie.starts_with("muyi_session=") && !cookie.contains("Secure"),
        "{cookie}"
    );

    // A client that is not the proxy cannot claim HTTPS: the default
    // server trusts nobody.
    let plain = shared();
    let r = plain
        .client()
        .post(plain.url("/api/login"))
        .header("X-Forwarded-Proto", "https")
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&r).starts_with("muyi_session="));
}

/// A login from `from` (forwarded by the trusted proxy): status and body.
async fn attempt_from(s: &TestServer, user: &str, password: &str, from: &str) -> (u16, String) {
    let r = s
        .client()
        .post(s.url("/api/login"))
        .header("Accept", "application/json")
        .header("X-Forwarded-For", from)
        .form(&[("username", user), ("password", password)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_throttling_never_locks_the_owner_out_and_grows() {
    let s = TestServer::start_with(true, proxied()).await;
    let at = |user, password, from| attempt_from(&s, user, password, from);
    // A stranger guesses `tax` from one address: five failures, then that
    // address waits, even with the right password…
    for _ in 0..service::accounts::throttle::FREE_USER_AT {
        assert_eq!(at("tax", "wrong-password", "198.51.100.1").await.0, 401);
    }
    assert_eq!(at("tax", PASSWORD, "198.51.100.1").await.0, 429);
    // …while the owner, from their own address, signs in at once.
    assert_eq!(at("tax", PASSWORD, "198.51.100.2").await.0, 200);
    // After the delay the stranger's address may try again; the next
    // failure doubles the wait (1 s, then 2 s), and the message says so.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(at("tax", "wrong-again", "198.51.100.1").await.0, 401);
    let (code, text) = at("tax", "wrong-again", "198.51.100.1").await;
    assert_eq!(code, 429);
    assert!(text.contains("\"RateLimited\":2"), "two seconds: {text}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        at("tax", PASSWORD, "198.51.100.1").await.0,
        429,
        "still within 2 s"
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(at("tax", PASSWORD, "198.51.100.1").await.0, 200);

    // One address guessing many names is stopped at the address limit,
    // while another address (behind the same proxy) signs in.
    for i in 0..service::accounts::throttle::FREE_ADDRESS {
        let name = format!("nobody{i}-{}", "x".repeat(300));
        assert_eq!(
            attempt_from(&s, &name, "guess-guess", "203.0.113.66")
                .await
                .0,
            401
        );
    }
    assert_eq!(at("admin", PASSWORD, "203.0.113.66").await.0, 429);
    assert_eq!(at("admin", PASSWORD, "203.0.113.67").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_changes_are_throttled_and_a_flood_waits_behind_itself() {
    let s = TestServer::demo().await;
    let firm = logged_in(&s, "qiye1").await;
    // 32 wrong guesses of the current password at once, from one session.
    let guesses = (0..32).map(|i| {
        let (c, url) = (firm.clone(), s.url("/api/change_password"));
        async move {
            let new = format!("a-new-password-{i}");
            c.post(url)
                .header("Accept", "application/json")
                .form(&[("old", "not-my-password"), ("new", &new), ("repeat", &new)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let flood = tokio::spawn(futures::future::join_all(guesses));
    // Meanwhile others sign in.
    for user in ["tax", "nanhu", "admin"] {
        let c = s.client();
        assert_eq!(s.login(&c, user).await.status(), 200, "{user} signs in");
    }
    let codes = flood.await.unwrap();
    let wrong = codes.iter().filter(|c| **c == 422).count();
    let waited = codes.iter().filter(|c| **c == 429).count();
    assert_eq!(wrong + waited, 32, "{codes:?}");
    assert!(
        wrong <= service::accounts::throttle::FREE_SESSION as usize,
        "at most the free guesses are checked: {codes:?}"
    );
    // The session waits now, even with the right password.
    let r = s
        .call(
            &firm,
            "change_password",
            &[
                ("old", PASSWORD),
                ("new", "river-lamp-42-tea"),
                ("repeat", "river-lamp-42-tea"),
            ],
        )
        .await;
    assert_eq!(r.status(), 429);
    // Another enterprise's change is not held up.
    let other = logged_in(&s, "qiye2").await;
    let r = s
        .call(
            &other,
            "change_password",
            &[
                ("old", PASSWORD),
                ("new", "river-lamp-42-tea"),
                ("repeat", "river-lamp-42-tea"),
            ],
        )
        .await;
    assert!(r.status().is_success(), "{:?}", r.text().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_follow_the_rules_and_one_time_ones_expire() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let change = |c: reqwest::Client, new: &'static str| {
        let s = &s;
        async move {
            let r = s
                .call(
                    &c,
                    "change_password",
                    &[("old", PASSWORD), ("new", new), ("repeat", new)],
                )
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let haiyan = logged_in(&s, "haiyan").await;
    for (new, why) in [
        ("short-1", "10 个字符"),
        ("1234567890", "常见"),
        ("Password123", "常见"),
        ("my-haiyan-password", "用户名"),
    ] {
        let (code, text) = change(haiyan.clone(), new).await;
        assert_eq!(code, 422, "{new}");
        assert!(text.contains(why), "{new}: {text}");
    }

    // A one-time password shows its expiry, stops working after it, and
    // the county reissues it (the old one dies, the new one works).
    let list = json(s.call(&haiyan, "enterprise_candidates", &[]).await).await;
    let uscc = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["username"].is_null())
        .unwrap()["uscc"]
        .as_str()
        .unwrap()
        .to_string();
    let issued = json(
        s.call(&haiyan, "create_enterprise_account", &[("uscc", &uscc)])
            .await,
    )
    .await;
    let (user, otp) = (
        issued["username"].as_str().unwrap().to_string(),
        issued["password"].as_str().unwrap().to_string(),
    );
    let expires = issued["expires"].as_str().unwrap();
    let m = entity::user::Entity::find()
        .filter(entity::user::Column::Username.eq(user.as_str()))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let at = m.password_expires_at.expect("an expiry");
    let days = (at - chrono::Utc::now()).num_hours();
    assert!((167..=168).contains(&days), "7 days: {days} h");
    assert_eq!(expires, service::clock::minute(at), "shown in Beijing time");
    let mut am: entity::user::ActiveModel = m.into();
    am.password_expires_at = Set(Some(chrono::Utc::now() - chrono::Duration::minutes(1)));
    am.update(&db).await.unwrap();
    let firm = s.client();
    let r = s
        .call(&firm, "login", &[("username", &user), ("password", &otp)])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("重新发放"));
    // Another county cannot reissue it; its own county can.
    let nanhu = logged_in(&s, "nanhu").await;
    let r = s
        .call(&nanhu, "reissue_enterprise_password", &[("uscc", &uscc)])
        .await;
    assert_eq!(r.status(), 422, "out of reach");
    let again = json(
        s.call(&haiyan, "reissue_enterprise_password", &[("uscc", &uscc)])
            .await,
    )
    .await;
    let fresh = again["password"].as_str().unwrap();
    assert_ne!(fresh, otp);
    let r = s
        .call(&firm, "login", &[("username", &user), ("password", &otp)])
        .await;
    assert_eq!(r.status(), 401, "the old one is dead");
    let r = s
        .call(&firm, "login", &[("username", &user), ("password", fresh)])
        .await;
    assert!(r.status().is_success(), "{:?}", r.text().await);
    // A reissue for an enterprise without an account is refused by name.
    let other = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["username"].is_null() && c["uscc"] != uscc.as_str())
        .unwrap()["uscc"]
        .as_str()
        .unwrap();
    let r = s
        .call(&haiyan, "reissue_enterprise_password", &[("uscc", other)])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("尚无账户"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_field_is_a_bad_request_naming_a_few() {
    let s = shared();
    let c = logged_in(s, "nanhu").await;
    let (uscc, _) = graded_in(s, "nanhu").await;
    let version = stored_version(s, &uscc).await.to_string();
    let mut form = vec![
        ("uscc".to_string(), uscc.clone()),
        ("year".to_string(), "2020".to_string()),
        ("version".to_string(), version),
    ];
    for i in 0..50_000 {
        form.push((format!("fields[no_such_{i:05}]"), "1".into()));
    }
    let r = c
        .post(s.url("/api/save_record"))
        .header("Accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let text = r.text().await.unwrap();
    assert!(text.len() < 2000, "bounded: {} bytes", text.len());
    assert!(
        text.contains("no_such_00000") && text.contains("50000"),
        "{text}"
    );
    // Nothing was written.
    assert_eq!(stored_version(s, &uscc).await.to_string(), form[2].1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_list_function_is_rate_limited_like_the_api() {
    let s = TestServer::start_with(true, proxied()).await;
    let call = |from: &'static str| {
        let c = s.client();
        let url = s.url("/api/publication_page");
        async move {
            c.post(url)
                .header("Accept", "application/json")
                .header("X-Forwarded-For", from)
                .form(&[("year", "2020")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let mut codes = Vec::new();
    for _ in 0..601 {
        codes.push(call("192.0.2.77").await);
    }
    assert!(codes[..600].iter().all(|c| *c != 429), "within the limit");
    assert_eq!(codes[600], 429, "the 601st in a minute");
    assert_ne!(call("192.0.2.78").await, 429, "another client is served");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_everywhere_at_once_and_close_their_streams() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let whoami = |c: reqwest::Client| {
        let url = s.url("/api/whoami");
        async move {
            c.post(url)
                .header("Accept", "application/json")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    // Idle past the timeout: signed out, though not expired.
    let idle = logged_in(&s, "tax").await;
    assert!(whoami(idle.clone()).await.contains("tax"));
    db.execute_unprepared(&format!(
        "UPDATE sessions SET last_seen_at = '{}'",
        (chrono::Utc::now() - chrono::Duration::minutes(61)).format("%Y-%m-%d %H:%M:%S%.f+00:00")
    ))
    .await
    .unwrap();
    assert_eq!(whoami(idle.clone()).await, "null");

    // Two devices and an open live stream; sign out everywhere from one.
    let phone = logged_in(&s, "nanhu").await;
    let desk = logged_in(&s, "nanhu").await;
    let mut stream = desk
        .get(s.url("/api/events"))
        .send()
        .await
        .unwrap()
        .bytes_stream();
    let r = s.call(&phone, "sign_out_everywhere", &[]).await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    use futures::StreamExt;
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(
        ended.is_ok(),
        "the open stream closed when the session ended"
    );
    assert_eq!(whoami(desk.clone()).await, "null");
    assert_eq!(whoami(phone).await, "null");
    let r = desk.get(s.url("/api/events")).send().await.unwrap();
    assert_eq!(r.status(), 401, "a new stream is refused");

    // Ended sessions are purged from the table.
    let _still = logged_in(&s, "admin").await;
    db.execute_unprepared(&format!(
        "UPDATE sessions SET expires_at = '{}'",
        (chrono::Utc::now() - chrono::Duration::minutes(1)).format("%Y-%m-%d %H:%M:%S%.f+00:00")
    ))
    .await
    .unwrap();
    let svc = service::Services::new(db.clone(), service::Config::default());
    assert!(service::accounts::purge(&svc).await.unwrap() >= 1);
    assert!(entity::session::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_show_an_id_and_no_internal_text() {
    let s = TestServer::demo().await;
    let enterprise = logged_in(&s, "qiye1").await;
    let official = logged_in(&s, "haining").await;
    let (uscc, name) = graded_in(&s, "haining").await;
    let industry = record_2020(&s, &uscc).await.unwrap().industry;
    let db = s.db().await;
    db.execute_unprepared("DROP TABLE notices").await.unwrap();
    let r = s.call(&enterprise, "notices", &[]).await;
    assert_eq!(r.status(), 500);
    let id = r.headers()["x-error-id"].to_str().unwrap().to_string();
    let text = r.text().await.unwrap();
    // The server function's encoded error: the id, which the page shows.
    assert_eq!(text, format!("{{\"Internal\":\"{id}\"}}"));
    for leak in ["notices", "no such", "relation", "SQL", "数据库错误"] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
    // An import preview that meets a fault says so with an id, not the text.
    db.execute_unprepared("DROP TABLE grade_results")
        .await
        .unwrap();
    let csv = format!(
        "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n{uscc},{name},haining,{industry},above,2020,7\n"
    );
    let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("a.csv");
    let r = official
        .post(s.url("/api/preview_import"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    assert!(text.contains("错误编号"), "{text}");
    for leak in ["grade_result", "no such", "relation", "数据库错误"] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
}
