//! Black-box tests of the policy targets dashboard: the demo shows every
//! status; a lead unit reports only its own targets (a county only its
//! county's); a report moves the status and is audited; imports are all
//! or nothing with errors by row and column; the open API and the bulletin.

use crate::support::*;
use sea_orm::EntityTrait;
use serde_json::Value;

async fn dashboard(s: &TestServer, c: &reqwest::Client, form: &[(&str, &str)]) -> Value {
    json(s.call(c, "targets_dashboard", form).await).await
}

fn target<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("{id}"))
}

async fn report(s: &TestServer, c: &reqwest::Client, form: &[(&str, &str)]) -> reqwest::Response {
    s.call(c, "report_actual", form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_dashboard_shows_every_status_and_the_county_races() {
    let s = shared();
    let admin = logged_in(s, "admin").await;
    let d = dashboard(s, &admin, &[("filter[doc]", "jzbf-2021-1")]).await;
    assert_eq!(d["month"], "2021-11", "the latest month reported");
    let statuses: std::collections::BTreeSet<&str> = d["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    for st in ["done", "ahead", "on_track", "behind", "missed", "no_data"] {
        assert!(statuses.contains(st), "{st} in {statuses:?}");
    }
    assert!(d["targets"].as_array().unwrap().len() >= 50);
    // Laggards first.
    let lag = dashboard(
        s,
        &admin,
        &[("filter[doc]", "jzbf-2021-1"), ("filter[laggards]", "true")],
    )
    .await;
    assert_eq!(lag["targets"][0]["status"], "missed");
    // Per-county targets make 赛马 tables ranking the counties.
    let all = dashboard(s, &admin, &[("filter[scope]", "county")]).await;
    let races = all["races"].as_array().unwrap();
    assert!(races.len() > 20);
    assert_eq!(races[0]["rows"].as_array().unwrap().len(), 9);
    // A target's page: series over the period, its quote.
    let t = json(
        s.call(&admin, "get_target", &[("id", "jzbf-2021-1.g1-2")])
            .await,
    )
    .await;
    assert_eq!(t["series"].as_array().unwrap().len(), 12);
    assert!(t["target"]["quote"].as_str().unwrap().contains("2000"));
    assert_eq!(t["series"][5]["expected"].as_f64(), Some(1000.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lead_units_report_only_their_own_targets_and_a_report_moves_the_status() {
    let s = TestServer::demo().await;
    let pbc = logged_in(&s, "pbc").await;
    // 新增贷款超 2000 亿元 (人行) — by November, 2000 × 11/12 expected.
    let id = "jzbf-2021-1.g1-2";
    let behind = [
        ("target", id),
        ("month", "2021-11"),
        ("value", "1500"),
        ("evidence", "人行统计"),
    ];
    assert!(report(&s, &pbc, &behind).await.status().is_success());
    let d = dashboard(&s, &pbc, &[("filter[month]", "2021-11")]).await;
    assert_eq!(target(&d, id)["status"], "behind");
    assert_eq!(target(&d, id)["mine"], true);
    let ahead = [("target", id), ("month", "2021-11"), ("value", "1950")];
    assert!(report(&s, &pbc, &ahead).await.status().is_success());
    let d = dashboard(&s, &pbc, &[("filter[month]", "2021-11")]).await;
    assert_eq!(target(&d, id)["status"], "ahead");
    let t = json(s.call(&pbc, "get_target", &[("id", id)]).await).await;
    let h = &t["history"][0];
    assert_eq!(
        (
            h["field"].as_str(),
            h["old_value"].as_str(),
            h["new_value"].as_str(),
            h["by"].as_str()
        ),
        (
            Some("actual:2021-11:value"),
            Some("1500"),
            Some("1950"),
            Some("pbc")
        )
    );
    // Not its target: 市金融办 leads this one.
    let r = report(
        &s,
        &pbc,
        &[
            ("target", "jzbf-2021-1.g2-1"),
            ("month", "2021-11"),
            ("value", "5"),
        ],
    )
    .await;
    assert_eq!(r.status(), 403);
    let jrb = logged_in(&s, "jrb").await;
    assert!(report(
        &s,
        &jrb,
        &[
            ("target", "jzbf-2021-1.g2-1"),
            ("month", "2021-11"),
            ("value", "5")
        ]
    )
    .await
    .status()
    .is_success());
    // Bad input by field.
    let r = report(
        &s,
        &jrb,
        &[
            ("target", "jzbf-2021-1.g2-1"),
            ("month", "2022-01"),
            ("value", "5"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("月份"));
    let r = report(
        &s,
        &jrb,
        &[
            ("target", "jzbf-2021-1.g2-1"),
            ("month", "2021-10"),
            ("value", "五"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    // Counties report their own county's targets; departments none.
    let nanhu = logged_in(&s, "nanhu").await;
    assert!(report(
        &s,
        &nanhu,
        &[
            ("target", "jzf-2016-5.t1-3.nanhu"),
            ("month", "2016-06"),
            ("value", "21")
        ]
    )
    .await
    .status()
    .is_success());
    assert_eq!(
        report(
            &s,
            &nanhu,
            &[
                ("target", "jzf-2016-5.t1-3.haining"),
                ("month", "2016-06"),
                ("value", "21")
            ]
        )
        .await
        .status(),
        403
    );
    let tax = logged_in(&s, "tax").await;
    assert_eq!(
        report(
            &s,
            &tax,
            &[("target", id), ("month", "2021-11"), ("value", "1")]
        )
        .await
        .status(),
        403
    );
    // An enterprise does not read the dashboard; the public neither, until a
    // document is made public.
    let q1 = logged_in(&s, "qiye1").await;
    assert_eq!(s.call(&q1, "targets_dashboard", &[]).await.status(), 403);
    let anon = s.client();
    assert_eq!(
        anon.get(s.url("/api/v1/targets"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let admin = logged_in(&s, "admin").await;
    assert!(s
        .call(
            &admin,
            "set_doc_public",
            &[("doc", "jzbf-2021-1"), ("public", "true")]
        )
        .await
        .status()
        .is_success());
    let list: Value = anon
        .get(s.url("/api/v1/targets"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 50 && list.iter().all(|t| t["doc"] == "嘉政办发〔2021〕1号"));
    let loan = list.iter().find(|t| t["id"] == id).unwrap();
    for k in [
        "doc",
        "indicator",
        "value",
        "unit",
        "comparator",
        "deadline",
        "lead_unit",
        "scope",
        "aspirational",
        "quote",
        "status",
        "latest_value",
    ] {
        assert!(loan.get(k).is_some(), "{k}");
    }
    // The public reads which unit reported, never a staff account; the
    // lead unit itself still reads its account (shown above: "pbc").
    let t = json(s.call(&anon, "get_target", &[("id", id)]).await).await;
    let bys: Vec<&str> = t["history"]
        .as_array()
        .unwrap()
        .iter()
        .chain(t["actuals"].as_array().unwrap())
        .map(|e| e["by"].as_str().unwrap())
        .collect();
    assert!(bys.contains(&"人行嘉兴市中心支行"), "{bys:?}");
    let accounts: Vec<String> = entity::user::Entity::find()
        .all(&s.db().await)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert!(
        bys.iter().all(|b| !accounts.iter().any(|a| a == b)),
        "{bys:?}"
    );
    assert_eq!(loan["lead_unit"][0], "人行嘉兴市中心支行");
    assert_eq!(loan["status"], "ahead");
    let openapi = anon
        .get(s.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(openapi.contains("/api/v1/targets") && openapi.contains("ApiTarget"));
    // The administrator edits a target; each field is audited.
    assert_eq!(
        s.call(
            &pbc,
            "edit_target",
            &[("id", id), ("fields[value]", "2100")]
        )
        .await
        .status(),
        403
    );
    let r = s
        .call(
            &admin,
            "edit_target",
            &[
                ("id", id),
                ("fields[value]", "2100"),
                ("fields[deadline]", "2021-12-31"),
            ],
        )
        .await;
    assert!(r.status().is_success(), "{:?}", r.text().await);
    let t = json(s.call(&admin, "get_target", &[("id", id)]).await).await;
    assert_eq!(t["target"]["value"].as_f64(), Some(2100.0));
    let h = t["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["field"] == "value")
        .unwrap();
    assert_eq!(
        (
            h["old_value"].as_str(),
            h["new_value"].as_str(),
            h["by"].as_str()
        ),
        (Some("2000"), Some("2100"), Some("admin"))
    );
    let r = s
        .call(
            &admin,
            "edit_target",
            &[("id", id), ("fields[deadline]", "2019-01-01")],
        )
        .await;
    assert_eq!(r.status(), 422, "a deadline before the period start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_are_all_or_nothing_with_errors_by_row_and_column() {
    let s = TestServer::demo().await;
    let pbc = logged_in(&s, "pbc").await;
    let upload = |body: &str| {
        let part =
            reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name("actuals.csv");
        reqwest::multipart::Form::new().part("file", part)
    };
    let post = |form| {
        pbc.post(s.url("/api/import_actuals"))
            .header("Accept", "application/json")
            .multipart(form)
            .send()
    };
    let bad = "目标编号,月份,实际值,佐证\njzbf-2021-1.g1-2,2021-12,2100,人行\njzbf-2021-1.g2-1,2021-12,9,\nnope,2021-12,1,\njzbf-2021-1.a6-2,2021-13,1,\njzbf-2021-1.a8-2,2021-12,多,\n";
    let r = post(upload(bad)).await.unwrap();
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    for want in [
        "第 3 行，列 目标编号",
        "第 4 行，列 目标编号",
        "第 5 行，列 月份",
        "第 6 行，列 实际值",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    let t = json(
        s.call(&pbc, "get_target", &[("id", "jzbf-2021-1.g1-2")])
            .await,
    )
    .await;
    assert!(t["series"][11]["actual"].is_null(), "nothing written");
    let good = "目标编号,月份,实际值,佐证\njzbf-2021-1.g1-2,2021-12,2100,人行\njzbf-2021-1.a8-2,2021-12,420,人行\n";
    let r = json(post(upload(good)).await.unwrap()).await;
    assert_eq!(r["rows"], 2);
    let t = json(
        s.call(&pbc, "get_target", &[("id", "jzbf-2021-1.g1-2")])
            .await,
    )
    .await;
    assert_eq!(t["series"][11]["actual"].as_f64(), Some(2100.0));
    assert_eq!(t["target"]["status"], "done");
    assert!(t["history"][0]["source"]
        .as_str()
        .unwrap()
        .starts_with("upload:"));
    // The bulletin of that month, as a workbook.
    let x = pbc
        .get(s.url("/targets/bulletin.xlsx?doc=jzbf-2021-1&month=2021-12"))
        .send()
        .await
        .unwrap();
    assert_eq!(x.status(), 200);
    assert!(x.bytes().await.unwrap().starts_with(b"PK"));
    let b = json(
        s.call(&pbc, "targets_bulletin", &[("month", "2021-12")])
            .await,
    )
    .await;
    assert_eq!(b["month"], "2021-12");
    assert!(!b["laggards"].as_array().unwrap().is_empty());
}

/// The catalogue is the folder's (#20): the API serves every shipped target
/// of the ten documents with its units, further quotes and whether the
/// platform measures it; the scheme's growth targets come from the graded
/// years and refuse a lead unit's report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_target_is_served_and_the_platform_measures_its_own() {
    let s = shared();
    let admin = logged_in(s, "admin").await;
    let list: Value = admin
        .get(s.url("/api/v1/targets"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    let cat = service::targets::catalogue::load().unwrap();
    assert_eq!(list.len(), cat.targets.len(), "every shipped target");
    assert_eq!(cat.docs.len(), 10);
    for d in &cat.docs {
        let n = list
            .iter()
            .filter(|t| t["doc"] == d.number.as_str())
            .count();
        let shipped = cat.targets.iter().filter(|t| t.doc == d.id).count();
        assert_eq!(n, shipped, "{}", d.number);
    }
    for k in ["support_units", "lead_note", "also_quotes", "computed"] {
        assert!(list[0].get(k).is_some(), "{k}");
    }
    // A 2024 target led by the unit its paragraph names first, the others
    // in support: （十四）… 靶向引进领军人才（团队）80个以上（责任单位：市委组织部〔市委人才办〕、…）.
    let talent = list.iter().find(|t| t["id"] == "jzf-2024-10.n1").unwrap();
    assert_eq!(talent["lead_unit"][0], "市委组织部（市委人才办）");
    assert_eq!(talent["support_units"].as_array().unwrap().len(), 5);
    assert!(talent["lead_note"].is_null());
    let dash = dashboard(s, &admin, &[("filter[scope]", "all")]).await;
    assert_eq!(
        dash["docs"].as_array().unwrap().len(),
        10,
        "all ten documents"
    );

    // 亩均税收 growth: the demo grades 2019 and 2020, so one figure, 2020's.
    let t = json(
        s.call(&admin, "get_target", &[("id", "jzbf-2021-5.g2")])
            .await,
    )
    .await;
    assert_eq!(t["target"]["computed"], "tax_per_mu_growth");
    let acts = t["actuals"].as_array().unwrap();
    assert_eq!(acts.len(), 1, "{acts:?}");
    assert_eq!(acts[0]["month"], "2020-12");
    assert_eq!(acts[0]["by"], service::targets::measured::BY);
    // The figure is the growth of the two years' aggregates in its note.
    let note = acts[0]["note"].as_str().unwrap();
    let nums: Vec<f64> = note
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|x| x.parse().ok())
        .collect();
    let (now, before) = (nums[1], nums[3]);
    let v = acts[0]["value"].as_f64().unwrap();
    assert!(
        (v - (now / before - 1.0) * 100.0).abs() < 0.05,
        "{v} from {note}"
    );
    // No lead unit reports (or overwrites) it.
    let jxj = logged_in(s, "jxj").await;
    let r = report(
        s,
        &jxj,
        &[
            ("target", "jzbf-2021-5.g2"),
            ("month", "2021-12"),
            ("value", "50"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("平台"));
}

/// A correction shipped with the catalogue reaches a database that holds
/// the old entry (audited as the catalogue's), except a field the
/// administrator edited; a target no longer shipped goes unless reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shipped_correction_reaches_a_stored_target_but_not_an_edited_field() {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let s = TestServer::demo().await;
    let db = s.db().await;
    let id = "jzf-2024-10.n1";
    let stored = entity::target::Entity::find_by_id(id.to_string())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    // As an older catalogue stored it: the area's lead, a wrong value.
    let mut old: entity::target::ActiveModel = stored.clone().into();
    old.lead = Set(r#"["市人力社保局"]"#.into());
    old.support = Set("[]".into());
    old.value = Set(Some(70.0));
    old.update(&db).await.unwrap();
    // The administrator set the value on purpose: that stays.
    let admin = logged_in(&s, "admin").await;
    let r = s
        .call(
            &admin,
            "edit_target",
            &[("id", id), ("fields[value]", "75")],
        )
        .await;
    assert!(r.status().is_success());
    // A merged-away entry nobody reported.
    let mut gone: entity::target::ActiveModel = stored.clone().into();
    gone.id = Set("jzf-2024-10.x29".into());
    gone.insert(&db).await.unwrap();

    service::targets::catalogue::sync(&db).await.unwrap();
    let now = entity::target::Entity::find_by_id(id.to_string())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.lead, stored.lead, "the lead the text names");
    assert_eq!(now.support, stored.support);
    assert_eq!(now.value, Some(75.0), "the administrator's value stays");
    assert!(
        entity::target::Entity::find_by_id("jzf-2024-10.x29".to_string())
            .one(&db)
            .await
            .unwrap()
            .is_none()
    );
    let t = json(s.call(&admin, "get_target", &[("id", id)]).await).await;
    assert!(t["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["field"] == "catalogue:lead" && h["by"] == "catalogue"));
}

/// The dashboard and a target's page are light (`app::light`): a lead
/// unit's monthly report and sheet upload are plain HTML forms, answered
/// with the page again and the outcome (or the reasons) in its address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_unit_reports_and_uploads_with_plain_forms() {
    let s = TestServer::demo().await;
    let pbc = logged_in(&s, "pbc").await;
    let id = "jzbf-2021-1.g1-2";
    let page = |path: String| {
        let (pbc, s) = (pbc.clone(), &s);
        async move { page_of(s, &pbc, &path).await.1 }
    };
    let html = page(format!("/targets/{id}?month=2021-11")).await;
    assert!(!html.contains("/pkg/muyi.js") && !html.contains(".wasm"));
    assert!(html.contains("data-testid=\"report-form\""));
    // Back to where it came from, the page addressed with the outcome.
    let from = |path: &str| s.url(path);
    let location = |r: &reqwest::Response| {
        assert!(r.status().is_redirection(), "{}", r.status());
        let to = r.headers()["location"].to_str().unwrap().to_string();
        to.strip_prefix(&s.url("")).unwrap_or(&to).to_string()
    };
    let referer = from(&format!("/targets/{id}?month=2021-11"));
    let r = pbc
        .post(s.url("/api/report_actual"))
        .header("Accept", "text/html")
        .header("Origin", s.url(""))
        .header("Referer", &referer)
        .form(&[("target", id), ("month", "2021-11"), ("value", "1500")])
        .send()
        .await
        .unwrap();
    let to = location(&r);
    assert_eq!(to, format!("/targets/{id}?month=2021-11&saved=2021-11"));
    let html = page(to).await;
    assert!(html.contains("已保存"));
    assert!(html.contains("1500"));

    let upload = |body: &str| {
        let part =
            reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name("actuals.csv");
        pbc.post(s.url("/api/import_actuals"))
            .header("Accept", "text/html")
            .header("Origin", s.url(""))
            .header("Referer", from("/targets"))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let bad = "目标编号,月份,实际值,佐证\nnope,2021-12,1,\n";
    let to = location(&upload(bad).await.unwrap());
    assert!(to.contains("__err="), "{to}");
    let html = page(to).await;
    assert!(
        html.contains("第 2 行，列 目标编号"),
        "the reasons on the page"
    );
    let good = "目标编号,月份,实际值,佐证\njzbf-2021-1.g1-2,2021-12,2100,人行\n";
    let to = location(&upload(good).await.unwrap());
    assert_eq!(to, "/targets?imported=1%2C1");
    let html = page(to).await;
    assert!(html.contains("已导入 1 行，其中 1 行有变化"));
}
