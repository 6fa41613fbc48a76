//! Black-box tests of public disclosure (公示): the lifecycle and who may
//! run it, what the public can and cannot see, published versions that
//! never change, corrections that list every class they move, and the open
//! data API.

use crate::support::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

async fn get(s: &TestServer, path: &str) -> reqwest::Response {
    s.client().get(s.url(path)).send().await.unwrap()
}

async fn text(s: &TestServer, path: &str) -> String {
    let r = get(s, path).await;
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

async fn api(s: &TestServer, path: &str) -> Value {
    serde_json::from_str(&text(s, path).await).unwrap()
}

/// USCC → (status, class) of a list served by the API.
fn classes(list: &Value) -> std::collections::BTreeMap<String, (String, Option<String>)> {
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["uscc"].as_str().unwrap().to_string(),
                (
                    r["status"].as_str().unwrap().to_string(),
                    r["class"].as_str().map(str::to_string),
                ),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_every_state_of_a_publication() {
    let s = shared();
    let pubs = api(s, "/api/v1/disclosures").await;
    let pubs = pubs.as_array().unwrap();
    assert_eq!(pubs.len(), 2);
    assert_eq!(
        (pubs[0]["year"].as_i64(), pubs[0]["status"].as_str()),
        (Some(2020), Some("window"))
    );
    assert!(pubs[0]["corrections"].as_u64().unwrap() >= 1);
    assert_eq!(
        (pubs[1]["year"].as_i64(), pubs[1]["status"].as_str()),
        (Some(2019), Some("final"))
    );
    let page = text(s, "/disclosure").await;
    assert!(page.contains("公示中") && page.contains("已定档") && page.contains("有更正"));
    // The correction notice names the enterprise whose data was corrected.
    let c = json(
        s.call(&s.client(), "public_corrections", &[("year", "2020")])
            .await,
    )
    .await;
    let changes = c[0]["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|ch| ch["cause"] == "data"),
        "{changes:?}"
    );
    let notice = text(s, "/disclosure/2020/corrections").await;
    assert!(notice.contains("更正公告") && notice.contains("本企业数据更正"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_city_administrator_runs_the_lifecycle_and_its_rules_hold() {
    let s = shared();
    let form = [
        ("form[year]", "2020"),
        ("form[start]", "2021-01-01"),
        ("form[end]", "2021-01-10"),
        ("form[phone]", "1"),
        ("form[address]", "x"),
        ("form[notice]", "x"),
        ("form[objection]", "x"),
    ];
    let anon = s.client();
    assert_eq!(s.call(&anon, "open_disclosure", &form).await.status(), 401);
    assert_eq!(s.call(&anon, "admin_disclosures", &[]).await.status(), 401);
    for user in ["nanhu", "tax", "qiye1"] {
        let c = logged_in(s, user).await;
        assert_eq!(
            s.call(&c, "open_disclosure", &form).await.status(),
            403,
            "{user}"
        );
        assert_eq!(
            s.call(&c, "publish_correction", &[("year", "2020"), ("note", "x")])
                .await
                .status(),
            403,
            "{user}"
        );
        assert_eq!(
            s.call(&c, "finalize_disclosure", &[("year", "2020")])
                .await
                .status(),
            403
        );
    }
    let admin = logged_in(s, "admin").await;
    // Opened already; its window has not closed; nothing to correct.
    let r = s.call(&admin, "open_disclosure", &form).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("已经公示"));
    let r = s
        .call(&admin, "finalize_disclosure", &[("year", "2020")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("结束后方可定档"));
    let r = s
        .call(
            &admin,
            "publish_correction",
            &[("year", "2020"), ("note", "无变化")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("无需发布更正"));
    let years = json(s.call(&admin, "admin_disclosures", &[]).await).await;
    assert_eq!(years[0]["pending_changes"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_reaches_the_public_only_through_a_correction_that_lists_every_move() {
    let s = TestServer::demo().await;
    let admin = logged_in(&s, "admin").await;
    let before = api(&s, "/api/v1/disclosures/2020").await;
    let v = before["version"].as_i64().unwrap();
    let etag = get(&s, "/api/v1/disclosures/2020").await.headers()["etag"].clone();
    let shuiwu = logged_in(&s, "shuiwu").await;
    let measures = |c: reqwest::Client| {
        let url = s.url("/api/v1/measures/2020");
        async move {
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()
        }
    };
    let lists_before = measures(shuiwu.clone()).await;
    // The best of a cohort falls to the bottom: its class moves, and the
    // cohort re-ranks around it.
    let top = best_above(&s, &admin).await[0].clone();
    let r = save(
        &s,
        &admin,
        &top,
        &[("tax_wan", "0"), ("value_added_wan", "0")],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        json(r).await["classes_moved"].as_u64().map(|n| n > 0),
        Some(true)
    );

    // The public still sees the published version, to the byte.
    let still = get(&s, "/api/v1/disclosures/2020").await;
    assert_eq!(still.headers()["etag"], etag);
    assert_eq!(still.json::<Value>().await.unwrap(), before);
    let home = json(s.call(&s.client(), "public_overview", &[]).await).await;
    assert_eq!(home["version"].as_i64(), Some(v));
    // Nor does an entitlement list move with the working state.
    assert_eq!(measures(shuiwu.clone()).await, lists_before);
    let years = json(s.call(&admin, "admin_disclosures", &[]).await).await;
    let pending = years[0]["pending_changes"].as_u64().unwrap();
    assert!(pending > 0);

    // A correction publishes a new version; the old one stays readable.
    let r = s
        .call(
            &admin,
            "publish_correction",
            &[("year", "2020"), ("note", "更正测试")],
        )
        .await;
    assert_eq!(json(r).await.as_i64(), Some(v + 1));
    let after = api(&s, "/api/v1/disclosures/2020").await;
    assert_eq!(after["version"].as_i64(), Some(v + 1));
    assert_eq!(
        api(&s, &format!("/api/v1/disclosures/2020?version={v}")).await,
        before
    );
    let (old, new) = (classes(&before), classes(&after));
    assert_ne!(old[&top], new[&top]);
    let moved: std::collections::BTreeSet<String> = old
        .iter()
        .filter(|(u, c)| new.get(*u) != Some(c))
        .map(|(u, _)| u.clone())
        .collect();
    assert_eq!(moved.len() as u64, pending);
    // The notice lists every class that moved, and only those; the edited
    // enterprise for its data, the others for the re-ranking.
    let c = json(
        s.call(&s.client(), "public_corrections", &[("year", "2020")])
            .await,
    )
    .await;
    let latest = &c[0];
    assert_eq!(latest["info"]["version"].as_i64(), Some(v + 1));
    let listed: std::collections::BTreeSet<String> = latest["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ch| {
            let u = ch["uscc"].as_str().unwrap();
            let cause = if u == top { "data" } else { "rerank" };
            assert_eq!(ch["cause"], cause, "{ch}");
            assert_eq!(ch["before_class"].as_str().map(str::to_string), old[u].1);
            assert_eq!(ch["after_class"].as_str().map(str::to_string), new[u].1);
            u.to_string()
        })
        .collect();
    assert_eq!(listed, moved);
    assert!(moved.len() > 1, "a re-ranked enterprise is listed too");
    // The lists follow the correction: the fallen enterprise's land-use tax
    // reduction is now its new class's, and the list names what changed.
    let lists_after = measures(shuiwu.clone()).await;
    let land = |l: &Value, u: &str| {
        l.as_array()
            .unwrap()
            .iter()
            .find(|r| r["uscc"] == u && r["measure"] == "land_use_tax")
            .cloned()
    };
    let was = land(&lists_before, &top).expect("on the list before");
    assert_eq!(was["class"], "A");
    assert_eq!(was["value"].as_f64(), Some(100.0));
    let now = land(&lists_after, &top);
    assert_eq!(
        now.as_ref().and_then(|r| r["class"].as_str()),
        new[&top].1.as_deref()
    );
    if let Some(now) = &now {
        assert_eq!(now["version"].as_i64(), Some(v + 1));
        assert_ne!(now["value"], was["value"]);
    }
    let l = json(
        s.call(
            &shuiwu,
            "measure_list",
            &[("year", "2020"), ("key", "land_use_tax")],
        )
        .await,
    )
    .await;
    assert_eq!(l["version"]["version"].as_i64(), Some(v + 1));
    // The page's call carries the rows it shows; the count is the whole list's
    // (the API's rows of the measure, the same version).
    let listed = lists_after
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["measure"] == "land_use_tax")
        .count();
    assert!(listed > 200, "the demo's list is longer than a page");
    assert_eq!(l["total"].as_u64(), Some(listed as u64));
    assert_eq!(l["rows"].as_array().unwrap().len(), 200);
    assert_eq!(
        l["total_changes"].as_u64(),
        Some(l["changes"].as_array().unwrap().len() as u64)
    );
    assert!(
        l["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["uscc"] == top.as_str() && c["before_class"] == "A"),
        "名单变更 lists the fallen enterprise"
    );
    // Rows keep the version they were published in.
    let row = |list: &Value, u: &str| {
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["uscc"] == u)
            .unwrap()
            .clone()
    };
    assert_eq!(row(&after, &top)["version"].as_i64(), Some(v + 1));
    let unmoved = new.keys().find(|u| !moved.contains(*u)).unwrap();
    assert_eq!(
        row(&after, unmoved)["version"],
        row(&before, unmoved)["version"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_confidential_figure_reaches_any_public_page_or_response() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let admin = logged_in(&s, "admin").await;
    // A sample of enterprises gets figures no page could show by accident.
    let sample: Vec<entity::grade_result::Model> = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Year.eq(2020))
        .filter(entity::grade_result::Column::Status.eq("graded"))
        .order_by_asc(entity::grade_result::Column::Uscc)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .step_by(37)
        .take(6)
        .collect();
    let mut secrets = Vec::new();
    for (k, m) in sample.iter().enumerate() {
        let figures = [
            ("tax_wan", format!("{}.{:02}", 91_357 + k * 11, 17 + k)),
            ("revenue_wan", format!("{}.{:02}", 813_579 + k * 7, 31 + k)),
            ("land_mu", format!("{}.{:02}", 7_351 + k, 43 + k)),
            ("employees", format!("{}", 61_379 + k)),
        ];
        let fields: Vec<(&str, &str)> = figures.iter().map(|(f, v)| (*f, v.as_str())).collect();
        let fields: Vec<(&str, &str)> = if m.scale == "above" {
            fields
        } else {
            fields
                .into_iter()
                .filter(|(f, _)| *f != "employees")
                .collect()
        };
        assert_eq!(save(&s, &admin, &m.uscc, &fields).await.status(), 200);
        secrets.extend(fields.iter().map(|(_, v)| v.to_string()));
    }
    // Published with those figures in force.
    let r = s
        .call(
            &admin,
            "publish_correction",
            &[("year", "2020"), ("note", "测试")],
        )
        .await;
    assert!(r.status() == 200 || r.status() == 422);
    let stored: Vec<entity::grade_result::Model> = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Year.eq(2020))
        .filter(entity::grade_result::Column::Uscc.is_in(sample.iter().map(|m| m.uscc.clone())))
        .all(&db)
        .await
        .unwrap();
    for m in &stored {
        // Scores are not published by default, nor reasons.
        if let Some(score) = m.score {
            secrets.push(format!("{score:.4}"));
        }
        secrets.extend(
            m.reasons
                .split(';')
                .filter(|r| !r.is_empty())
                .map(str::to_string),
        );
    }
    let mut bodies: Vec<(String, String)> = Vec::new();
    let mut paths: Vec<String> = vec![
        "/".into(),
        "/disclosure".into(),
        "/disclosure/2020".into(),
        "/disclosure/2019".into(),
        "/disclosure/2020?version=1".into(),
        "/disclosure/2020/corrections".into(),
        "/api/v1/disclosures".into(),
        "/api/v1/disclosures/2020".into(),
        "/api/v1/disclosures/2020.csv".into(),
        "/disclosure/2020/download/list.csv".into(),
        "/disclosure/2020/download/list.csv?lang=en".into(),
        "/api/v1/disclosures/2019".into(),
        "/api/v1/openapi.json".into(),
        "/api/v1/docs".into(),
    ];
    for m in &sample {
        paths.push(format!("/disclosure/enterprise/{}", m.uscc));
        paths.push(format!("/disclosure/2020?q={}", m.uscc));
    }
    for p in &paths {
        bodies.push((p.clone(), text(&s, p).await));
    }
    let anon = s.client();
    for (f, args) in [
        ("public_overview", vec![]),
        ("publications", vec![]),
        ("publication_page", vec![("year", "2020".to_string())]),
        ("public_corrections", vec![("year", "2020".to_string())]),
    ] {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        bodies.push((
            f.into(),
            json(s.call(&anon, f, &args).await).await.to_string(),
        ));
    }
    for m in &sample {
        bodies.push((
            "public_card".into(),
            json(s.call(&anon, "public_card", &[("uscc", &m.uscc)]).await)
                .await
                .to_string(),
        ));
    }
    // The sample is really on the pages that were searched for it.
    assert!(bodies.iter().any(|(_, b)| b.contains(&sample[0].name)));
    for (path, body) in &bodies {
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{secret} on {path}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_serves_the_published_snapshot_with_its_document() {
    let s = shared();
    let db = s.db().await;
    let list = api(s, "/api/v1/disclosures/2020").await;
    let version = list["version"].as_i64().unwrap() as i32;
    let rows: Vec<entity::disclosure_row::Model> = entity::disclosure_row::Entity::find()
        .filter(entity::disclosure_row::Column::Year.eq(2020))
        .filter(entity::disclosure_row::Column::Version.eq(version))
        .order_by_asc(entity::disclosure_row::Column::Uscc)
        .all(&db)
        .await
        .unwrap();
    let served = list["rows"].as_array().unwrap();
    assert_eq!(served.len(), rows.len());
    for (a, b) in served.iter().zip(&rows) {
        let keys: Vec<&String> = a.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["class", "county", "industry", "name", "scale", "status", "uscc", "version"],
            "exactly the public fields"
        );
        assert_eq!(
            (
                a["uscc"].as_str(),
                a["name"].as_str(),
                a["class"].as_str(),
                a["version"].as_i64()
            ),
            (
                Some(b.uscc.as_str()),
                Some(b.name.as_str()),
                b.class.as_deref(),
                Some(b.since as i64)
            )
        );
    }
    let csv = text(s, "/api/v1/disclosures/2020.csv").await;
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("uscc,name,county,industry,scale,status,class,version")
    );
    assert_eq!(lines.count(), rows.len());
    // Cacheable: the ETag answers 304.
    let r = get(s, "/api/v1/disclosures/2020").await;
    let etag = r.headers()["etag"].clone();
    let r = s
        .client()
        .get(s.url("/api/v1/disclosures/2020"))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(get(s, "/api/v1/disclosures/2031").await.status(), 404);
    assert_eq!(
        get(s, "/api/v1/disclosures/2020?version=99").await.status(),
        404
    );
    let doc = api(s, "/api/v1/openapi.json").await;
    for p in [
        "/api/v1/disclosures",
        "/api/v1/disclosures/{year}",
        "/api/v1/disclosures/{year}.csv",
    ] {
        assert!(doc["paths"][p]["get"].is_object(), "{p}");
    }
    assert!(doc["components"]["schemas"]["PublicRow"]["properties"]["class"].is_object());
    let page = text(s, "/api/v1/docs").await;
    assert!(page.contains("GET /api/v1/disclosures/{year}.csv"));
}

/// The list a citizen downloads from the page: what the page's filters
/// keep, in words and the reader's language, named after what it holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_download_follows_the_filters_in_words() {
    let s = shared();
    let list = api(s, "/api/v1/disclosures/2020").await;
    let version = list["version"].as_i64().unwrap();
    let kept: Vec<&Value> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["county"] == "nanhu" && r["class"] == "A" && r["status"] == "graded")
        .collect();
    assert!(!kept.is_empty());
    let path = format!("/disclosure/2020/download/list.csv?version={version}&county=nanhu&class=A");
    let r = get(s, &path).await;
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    let body = r.text().await.unwrap();
    let mut lines = body.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("统一社会信用代码,企业名称,县（市、区）,行业,规模,评价状态,等次,公示版本")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), kept.len(), "exactly the rows the filters keep");
    for (line, r) in rows.iter().zip(&kept) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], r["uscc"].as_str().unwrap());
        assert_eq!(
            &cells[2..=3],
            [
                "南湖区",
                grading::Industry::parse(r["industry"].as_str().unwrap())
                    .unwrap()
                    .zh()
            ]
        );
        assert_eq!(&cells[5..=6], ["参评", "A"]);
    }
    // Named in Chinese (with an ASCII stand-in), after the year, version and filters.
    let wanted = format!("2020年度工业企业绩效综合评价结果公示-第{version}版-南湖区-A类.csv");
    assert!(
        disposition.contains(&format!("filename*=UTF-8''{}", urlencoding(&wanted))),
        "{disposition}"
    );
    // In English when the page is; no code anywhere.
    let part: String = kept[0]["name"].as_str().unwrap().chars().take(2).collect();
    let en = text(s, &format!("{path}&lang=en&q={}", urlencoding(&part))).await;
    let mut lines = en.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("USCC,Name,County,Industry,Size,Status,Class,Version")
    );
    let first = lines.next().unwrap();
    assert!(
        first.contains(",Nanhu District,") && first.contains(",Graded,A,v"),
        "{first}"
    );
    assert!(!en.contains("nanhu") && !en.contains(",above,") && !en.contains(",below,"));
    // Unfiltered: the whole version, the same bytes each time.
    let whole = format!("/disclosure/2020/download/list.csv?version={version}");
    let first = text(s, &whole).await;
    assert_eq!(
        first.trim().lines().count(),
        list["rows"].as_array().unwrap().len() + 1
    );
    assert_eq!(text(s, &whole).await, first);
    assert_eq!(
        get(s, "/disclosure/2020/download/list.pdf").await.status(),
        404
    );
    assert_eq!(
        get(s, "/disclosure/2031/download/list.csv").await.status(),
        404
    );
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_finds_an_enterprise_without_signing_in() {
    let s = shared();
    let list = api(s, "/api/v1/disclosures/2020").await;
    let graded = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "graded")
        .unwrap()
        .clone();
    let name = graded["name"].as_str().unwrap();
    let page = text(s, &format!("/disclosure/2020?q={name}")).await;
    assert!(page.contains(name));
    let card = text(
        s,
        &format!(
            "/disclosure/enterprise/{}",
            graded["uscc"].as_str().unwrap()
        ),
    )
    .await;
    assert!(card.contains(name) && card.contains("2020") && card.contains("2019"));
    // The same box takes a name: the matches of the latest publication.
    let found = text(s, &format!("/disclosure/enterprise?uscc={name}")).await;
    assert!(
        found.contains("data-testid=\"matches\""),
        "a list of matches"
    );
    assert!(found.contains(&format!(
        "/disclosure/enterprise/{}",
        graded["uscc"].as_str().unwrap()
    )));
    let home = text(s, "/").await;
    assert!(
        home.contains("/disclosure/2020"),
        "the home page leads there"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_are_plain_html_without_the_app_bundle() {
    let s = shared();
    for path in [
        "/disclosure",
        "/disclosure/2020",
        "/disclosure/2020/corrections",
    ] {
        let page = text(s, path).await;
        assert!(
            !page.contains("/pkg/muyi.js") && !page.contains(".wasm"),
            "{path}"
        );
        assert!(page.contains("/pkg/muyi.css"), "{path} is styled");
    }
    // The whole list is in the first response (no streamed parts).
    let page = text(s, "/disclosure/2020").await;
    assert!(page.contains("data-testid=\"public-list\""));
    // So are the home page and the sign-in form; the officials' pages keep
    // the app.
    for path in ["/", "/login"] {
        let page = text(s, path).await;
        assert!(
            !page.contains("/pkg/muyi.js") && !page.contains(".wasm"),
            "{path}"
        );
    }
    assert!(text(s, "/enterprises").await.contains("/pkg/muyi.js"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entitlement_lists_follow_the_published_classes_and_their_readers() {
    let s = shared();
    let db = s.db().await;
    let latest = entity::disclosure_version::Entity::find()
        .filter(entity::disclosure_version::Column::Year.eq(2020))
        .order_by_desc(entity::disclosure_version::Column::Version)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .version;
    let published: std::collections::BTreeMap<String, (String, String)> =
        entity::disclosure_row::Entity::find()
            .filter(entity::disclosure_row::Column::Year.eq(2020))
            .filter(entity::disclosure_row::Column::Version.eq(latest))
            .filter(entity::disclosure_row::Column::Status.eq("graded"))
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|r| Some((r.uscc, (r.county, r.class?))))
            .collect();
    let rows = |user: &'static str| async move {
        let c = logged_in(s, user).await;
        let r = c.get(s.url("/api/v1/measures/2020")).send().await.unwrap();
        (
            r.status().as_u16(),
            r.json::<Value>().await.unwrap_or(Value::Null),
        )
    };
    // The city's tax unit: the land-use tax list only, every graded
    // enterprise with its published class and the ruleset's value.
    let (code, tax) = rows("shuiwu").await;
    assert_eq!(code, 200);
    let tax = tax.as_array().unwrap();
    assert_eq!(tax.len(), published.len());
    let pct = |c: &str| match c {
        "A" => 100.0,
        "B" => 80.0,
        _ => 0.0,
    };
    for r in tax {
        assert_eq!(r["measure"], "land_use_tax");
        let (county, class) = &published[r["uscc"].as_str().unwrap()];
        assert_eq!(
            (r["county"].as_str().unwrap(), r["class"].as_str().unwrap()),
            (county.as_str(), class.as_str())
        );
        assert_eq!(r["value"].as_f64(), Some(pct(class)));
        assert_eq!(r["version"].as_i64(), Some(latest as i64));
    }
    // A county-bound unit: its county only.
    let (_, nanhu) = rows("shuiwu-nanhu").await;
    let nanhu = nanhu.as_array().unwrap();
    assert!(!nanhu.is_empty() && nanhu.iter().all(|r| r["county"] == "nanhu"));
    assert_eq!(
        nanhu.len(),
        published.values().filter(|(c, _)| c == "nanhu").count()
    );
    // The subsidy list: an industry leader gets 1.5 whatever its class.
    let (_, funds) = rows("chanyezijin").await;
    let leaders: Vec<String> = entity::record::Entity::find()
        .filter(entity::record::Column::Year.eq(2020))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.fields.contains("\"industry_leader\":\"true\""))
        .map(|m| m.uscc)
        .filter(|u| published.contains_key(u))
        .collect();
    assert!(!leaders.is_empty(), "the demo has industry leaders");
    for r in funds
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["measure"] == "subsidy_coefficient")
    {
        let leader = leaders.iter().any(|l| r["uscc"] == l.as_str());
        let expected = if leader {
            1.5
        } else {
            match r["class"].as_str().unwrap() {
                "A" => 1.2,
                "B" => 1.0,
                "C" => 0.8,
                _ => 0.0,
            }
        };
        assert_eq!(r["value"].as_f64(), Some(expected), "{r}");
    }
    // Nobody else reads a list; a unit asking for another unit's measure
    // finds nothing.
    for user in ["tax", "qiye1", "pbc"] {
        assert_eq!(rows(user).await.0, 403, "{user}");
    }
    assert_eq!(
        s.client()
            .get(s.url("/api/v1/measures/2020"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let shuiwu = logged_in(s, "shuiwu").await;
    for path in [
        "/measures/2020/land.xlsx",
        "/measures/2020/land_use_tax.xlsx?county=nope",
    ] {
        assert_eq!(
            shuiwu.get(s.url(path)).send().await.unwrap().status(),
            404,
            "{path}"
        );
    }
    let nanhu_unit = logged_in(s, "shuiwu-nanhu").await;
    let r = nanhu_unit
        .get(s.url("/measures/2020/land_use_tax.csv?county=haining"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "another county's list");
    // The downloads: Chinese headers, every row, the version named.
    let csv = shuiwu
        .get(s.url("/measures/2020/land_use_tax.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    let head = lines.next().unwrap();
    assert!(
        head.contains("统一社会信用代码") && head.contains("享受内容") && head.contains("用地面积"),
        "{head}"
    );
    assert_eq!(lines.count(), published.len());
    let x = shuiwu
        .get(s.url("/measures/2020/land_use_tax.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(x.status(), 200);
    assert!(x.bytes().await.unwrap().starts_with(b"PK"));
    // The public page of industry leaders lists them by name.
    let page = s
        .client()
        .get(s.url("/disclosure/leaders/2020"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let names: Vec<String> = entity::disclosure_row::Entity::find()
        .filter(entity::disclosure_row::Column::Year.eq(2020))
        .filter(entity::disclosure_row::Column::Version.eq(latest))
        .filter(entity::disclosure_row::Column::Uscc.is_in(leaders.clone()))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert!(!names.is_empty());
    for n in &names {
        assert!(page.contains(n.as_str()), "{n} on the leaders page");
    }
}

/// A correction published through one server process reaches the other's
/// cached index and public pages at once (PostgreSQL NOTIFY), not after
/// their few seconds of caching.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_postgres_a_correction_reaches_the_other_processes_cached_pages() {
    if !postgres() {
        eprintln!("skipped: needs MUYI_TEST_PG (scripts/test.sh sets it)");
        return;
    }
    let a = TestServer::demo().await;
    let b = TestServer::process(&a);
    let admin = logged_in(&a, "admin").await;
    let v = api(&b, "/api/v1/disclosures/2020").await["version"]
        .as_i64()
        .unwrap();
    let top = best_above(&a, &admin).await[0].clone();
    let r = save(
        &a,
        &admin,
        &top,
        &[("tax_wan", "0"), ("value_added_wan", "0")],
    )
    .await;
    assert_eq!(r.status(), 200);
    // B's page, served from its cache.
    let page = text(&b, "/disclosure/2020").await;
    assert_eq!(text(&b, "/disclosure/2020").await, page, "cached");
    let r = a
        .call(
            &admin,
            "publish_correction",
            &[("year", "2020"), ("note", "多进程")],
        )
        .await;
    assert_eq!(json(r).await.as_i64(), Some(v + 1));
    let published = std::time::Instant::now();
    loop {
        let now = api(&b, "/api/v1/disclosures/2020").await["version"].as_i64();
        if now == Some(v + 1) && text(&b, "/disclosure/2020").await != page {
            break;
        }
        assert!(
            published.elapsed() < std::time::Duration::from_secs(1),
            "B still serves version {now:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
