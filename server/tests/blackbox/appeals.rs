//! Black-box tests of the enterprise portal and appeals: what the demo
//! holds; who may read an appeal, its evidence and the queues; the window
//! and the one-open-appeal rules; bad evidence; one-time passwords; and an
//! acceptance that corrects the data through the write path, regrades,
//! publishes a correction version and tells the enterprise.

use crate::support::*;
use grading::whatif::{levers, one_step_short, reaches_with, Lever};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

async fn portal(s: &TestServer, c: &reqwest::Client) -> Value {
    json(s.call(c, "get_portal", &[]).await).await
}

async fn appeal_of(s: &TestServer, uscc: &str) -> entity::appeal::Model {
    entity::appeal::Entity::find()
        .filter(entity::appeal::Column::Uscc.eq(uscc))
        .order_by_desc(entity::appeal::Column::Id)
        .one(&s.db().await)
        .await
        .unwrap()
        .expect("an appeal")
}

fn pdf() -> Vec<u8> {
    service::seed::DEMO_PDF.to_vec()
}

/// Files an appeal as the portal's form sends it.
async fn file(
    s: &TestServer,
    c: &reqwest::Client,
    year: &str,
    items: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("year", year.to_string());
    for (f, v) in items {
        form = form
            .text("field", f.to_string())
            .text("claimed", v.to_string());
    }
    form = form.text("explanation", "税款漏计（测试）");
    for (name, bytes) in files {
        form = form.part(
            "files",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    c.post(s.url("/api/file_appeal"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn error_text(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_an_open_an_accepted_and_a_confirmed_appeal() {
    let s = shared();
    let q1 = logged_in(s, "qiye1").await;
    let p1 = portal(s, &q1).await;
    assert_eq!(p1["year"], 2020);
    assert_eq!(p1["appeals"][0]["status"], "filed");
    assert_eq!(p1["may_appeal"], false, "one open appeal at a time");
    assert!(p1["result"]["class"].is_string());
    assert!(p1["consequences"].as_array().unwrap().len() > 5);
    assert!(p1["figures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["key"] == "tax_wan" && f["provider"] == "tax"));

    let q2 = logged_in(s, "qiye2").await;
    let p2 = portal(s, &q2).await;
    let a2 = &p2["appeals"][0];
    assert_eq!(a2["status"], "corrected");
    let d2 = json(
        s.call(&q2, "get_appeal", &[("id", &a2["id"].to_string())])
            .await,
    )
    .await;
    let (before, after) = (
        d2["class_before"].as_str().unwrap(),
        d2["class_after"].as_str().unwrap(),
    );
    assert!(
        after < before,
        "the accepted appeal moved the class up: {before} → {after}"
    );
    assert_eq!(
        p2["result"]["class"].as_str().unwrap().to_uppercase(),
        after
    );
    assert!(d2["correction_version"].as_i64().unwrap() >= 2);
    let notices = json(s.call(&q2, "notices", &[]).await).await;
    assert!(
        notices.as_array().unwrap().len() >= 3,
        "filed, taken, item decided, closed"
    );

    let q3 = logged_in(s, "qiye3").await;
    let p3 = portal(s, &q3).await;
    assert!(p3["confirmed"].is_string());
    assert_eq!(p3["may_confirm"], false);
    assert_eq!(p3["may_appeal"], false);
    assert!(p3["appeal_blocked"].as_str().unwrap().contains("已确认"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_enterprise_and_its_reviewers_read_an_appeal_and_its_evidence() {
    let s = shared();
    let db = s.db().await;
    let open = entity::appeal::Entity::find()
        .filter(entity::appeal::Column::Status.eq("filed"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let token = entity::appeal_file::Entity::find()
        .filter(entity::appeal_file::Column::AppealId.eq(open.id))
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .token;
    let other_county = grading::County::ALL
        .iter()
        .find(|c| c.code() != open.county)
        .unwrap()
        .code();
    let id = open.id.to_string();
    let file_url = s.url(&format!("/files/appeal/{token}"));
    for (user, sees) in [
        ("qiye1", true),
        ("qiye2", false),
        (open.county.as_str(), true),
        (other_county, false),
        ("tax", true),
        ("ecology", false),
        ("admin", true),
    ] {
        let c = logged_in(s, user).await;
        let r = s.call(&c, "get_appeal", &[("id", &id)]).await;
        assert_eq!(r.status().is_success(), sees, "{user} reads the appeal");
        if !sees {
            assert_eq!(r.status(), 404, "{user}: out of reach is not found");
        }
        let f = c.get(&file_url).send().await.unwrap();
        assert_eq!(f.status().is_success(), sees, "{user} reads the evidence");
        if sees {
            assert_eq!(f.headers()["content-type"], "application/pdf");
            assert!(f.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("no-store"));
            assert!(f.bytes().await.unwrap().starts_with(b"%PDF-"));
        }
        let queue = json(s.call(&c, "appeal_queue", &[]).await).await;
        let listed = queue.as_array().unwrap().iter().any(|a| a["id"] == open.id);
        assert_eq!(listed, sees, "{user}'s queue");
    }
    let public = s.client().get(&file_url).send().await.unwrap();
    assert_eq!(public.status(), 401);
    let guess = logged_in(s, "admin")
        .await
        .get(s.url("/files/appeal/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(guess.status(), 404, "no file by a guessable id");
    // An enterprise never reaches the workspace.
    let q1 = logged_in(s, "qiye1").await;
    let w = s.call(&q1, "list_enterprises", &[]).await;
    assert_eq!(w.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_window_rules_and_bad_evidence() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let county = logged_in(&s, "nanhu").await;
    let (uscc, _) = graded_in(&s, "nanhu").await;
    // Another county's official cannot give it an account.
    let haining = logged_in(&s, "haining").await;
    let r = s
        .call(&haining, "create_enterprise_account", &[("uscc", &uscc)])
        .await;
    assert_eq!(r.status(), 422);
    let issued = json(
        s.call(&county, "create_enterprise_account", &[("uscc", &uscc)])
            .await,
    )
    .await;
    let (user, otp) = (
        issued["username"].as_str().unwrap(),
        issued["password"].as_str().unwrap(),
    );
    assert_eq!(user, uscc.to_lowercase());
    let again = s
        .call(&county, "create_enterprise_account", &[("uscc", &uscc)])
        .await;
    assert_eq!(again.status(), 422, "one account per enterprise");

    // The one-time password opens nothing but the password change.
    let firm = s.client();
    let r = s
        .call(&firm, "login", &[("username", user), ("password", otp)])
        .await;
    assert!(r.status().is_success() || r.status().is_redirection());
    assert_eq!(s.call(&firm, "get_portal", &[]).await.status(), 403);
    let r = s
        .call(
            &firm,
            "change_password",
            &[
                ("old", otp),
                ("new", "new-secret-1"),
                ("repeat", "new-secret-1"),
            ],
        )
        .await;
    assert!(r.status().is_success(), "{:?}", r.text().await);
    let p = portal(&s, &firm).await;
    assert_eq!(p["uscc"], uscc.as_str());
    assert_eq!(p["may_appeal"], true);

    // Bad evidence: each refused by name, nothing written.
    let item = [("tax_wan", "99999")];
    let (code, text) = error_text(
        file(
            &s,
            &firm,
            "2020",
            &item,
            vec![("a.pdf", b"hello, not a pdf".to_vec())],
        )
        .await,
    )
    .await;
    assert_eq!(code, 422);
    assert!(text.contains("文件 1") && text.contains("PDF"), "{text}");
    let big = {
        let mut b = pdf();
        b.resize(10 * 1024 * 1024 + 1, b' ');
        b
    };
    let (code, text) =
        error_text(file(&s, &firm, "2020", &item, vec![("big.pdf", big)]).await).await;
    assert_eq!(code, 422);
    assert!(text.contains("10 MB"), "{text}");
    let six = (0..6).map(|_| ("p.pdf", pdf())).collect();
    let (code, text) = error_text(file(&s, &firm, "2020", &item, six).await).await;
    assert_eq!(code, 422);
    assert!(text.contains('5'), "{text}");
    let (code, text) =
        error_text(file(&s, &firm, "2020", &[("county", "haining")], vec![]).await).await;
    assert_eq!(code, 422);
    assert!(text.contains("第 1 项"), "{text}");
    let (code, _) = error_text(file(&s, &firm, "2019", &item, vec![]).await).await;
    assert_eq!(code, 422, "2019's window closed long ago");
    let none = entity::appeal::Entity::find()
        .filter(entity::appeal::Column::Uscc.eq(uscc.as_str()))
        .all(&db)
        .await
        .unwrap();
    assert!(none.is_empty());

    // A good one; a second while it is open is refused.
    let png = [0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0].to_vec();
    let ok = json(
        file(
            &s,
            &firm,
            "2020",
            &item,
            vec![("scan.png", png), ("合同.docx", pdf())],
        )
        .await,
    )
    .await;
    assert!(ok[1].as_str().unwrap().starts_with("SS2020-"));
    // A file keeps a name that matches what it holds: the PDF uploaded as
    // .docx is listed and served as .pdf.
    let d = json(
        s.call(&firm, "get_appeal", &[("id", &ok[0].to_string())])
            .await,
    )
    .await;
    let names: Vec<&str> = d["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["scan.png", "合同.pdf"]);
    let token = d["files"][1]["token"].as_str().unwrap();
    let f = firm
        .get(s.url(&format!("/files/appeal/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(f.headers()["content-type"], "application/pdf");
    let disposition = f.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("filename=\"__.pdf\"")
            && disposition.ends_with(".pdf")
            && !disposition.contains("docx"),
        "{disposition}"
    );
    let (code, text) = error_text(file(&s, &firm, "2020", &[("rnd_wan", "1")], vec![]).await).await;
    assert_eq!(code, 422);
    assert!(text.contains("未办结"), "{text}");
    // Withdrawn, then the window closes: refused until the administrator reopens.
    let id = ok[0].to_string();
    assert!(s
        .call(&firm, "withdraw_appeal", &[("id", &id)])
        .await
        .status()
        .is_success());
    let d = entity::disclosure::Entity::find_by_id(2020)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let mut am: entity::disclosure::ActiveModel = d.into();
    am.window_end = Set(service::disclosure::publish::today() - chrono::Duration::days(1));
    am.update(&db).await.unwrap();
    let (code, text) = error_text(file(&s, &firm, "2020", &item, vec![]).await).await;
    assert_eq!(code, 422);
    assert!(text.contains("公示期"), "{text}");
    assert_eq!(
        s.call(
            &county,
            "reopen_appeal",
            &[("uscc", &uscc), ("year", "2020")]
        )
        .await
        .status(),
        403
    );
    let admin = logged_in(&s, "admin").await;
    assert!(s
        .call(
            &admin,
            "reopen_appeal",
            &[("uscc", &uscc), ("year", "2020")]
        )
        .await
        .status()
        .is_success());
    json(file(&s, &firm, "2020", &item, vec![]).await).await;
    let notices = json(s.call(&firm, "notices", &[]).await).await;
    assert!(notices
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["text"].as_str().unwrap().contains("重新开放")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_appeal_corrects_regrades_and_publishes_a_correction() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    // qiye3 confirmed in the demo: the administrator reopens so it may appeal.
    let q3 = logged_in(&s, "qiye3").await;
    let p = portal(&s, &q3).await;
    let uscc = p["uscc"].as_str().unwrap().to_string();
    let admin = logged_in(&s, "admin").await;
    assert!(s
        .call(
            &admin,
            "reopen_appeal",
            &[("uscc", &uscc), ("year", "2020")]
        )
        .await
        .status()
        .is_success());
    let p = portal(&s, &q3).await;
    let class: String = p["result"]["class"].as_str().unwrap().to_uppercase();
    // The what-if lever for tax, by the engine on the portal's own context.
    let ctx: grading::preview::Context = serde_json::from_value(p["preview"].clone()).unwrap();
    let fields: std::collections::BTreeMap<String, String> =
        serde_json::from_value(p["fields"].clone()).unwrap();
    let e = service::store::enterprise_from(&fields).unwrap();
    let claim = match levers(&ctx, &e) {
        Some(l) => {
            let tax = l.answers.iter().find(|a| a.lever == Lever::Tax).unwrap();
            let needed = tax.needed.expect("tax reaches the next class");
            assert!(reaches_with(&ctx, &e, Lever::Tax, needed, l.target));
            assert!(!reaches_with(
                &ctx,
                &e,
                Lever::Tax,
                one_step_short(Lever::Tax, needed),
                l.target
            ));
            format!("{needed:.2}")
        }
        None => format!("{:.2}", e.tax_wan.unwrap_or(0.0) * 2.0 + 1.0),
    };
    let filed = json(
        file(
            &s,
            &q3,
            "2020",
            &[("tax_wan", &claim), ("high_tech_valid", "是")],
            vec![("c.pdf", pdf())],
        )
        .await,
    )
    .await;
    let id = filed[0].as_i64().unwrap() as i32;
    let a = appeal_of(&s, &uscc).await;
    assert_eq!(a.status, "filed");
    let items = entity::appeal_item::Entity::find()
        .filter(entity::appeal_item::Column::AppealId.eq(id))
        .order_by_asc(entity::appeal_item::Column::Id)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| i.reviewer.as_str())
            .collect::<Vec<_>>(),
        ["tax", "county"]
    );
    let (tax_item, flag_item) = (items[0].id.to_string(), items[1].id.to_string());

    // The reviewer sees the engine's projection of the claimed values.
    let county = logged_in(&s, &a.county).await;
    let d = json(
        s.call(&county, "get_appeal", &[("id", &id.to_string())])
            .await,
    )
    .await;
    assert_eq!(d["may_take"], true);
    assert_eq!(d["projection"]["current_class"], class.as_str());
    assert!(d["projection"]["claimed_class"].is_string());
    assert!(s
        .call(&county, "take_appeal", &[("id", &id.to_string())])
        .await
        .status()
        .is_success());

    assert_eq!(
        d["items"].as_array().unwrap().len(),
        2,
        "the county sees the whole appeal"
    );
    let tax = logged_in(&s, "tax").await;
    let dt = json(s.call(&tax, "get_appeal", &[("id", &id.to_string())]).await).await;
    let fields: Vec<&str> = dt["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["tax_wan"],
        "a department reads only the items sent to it"
    );
    assert_eq!(dt["items"][0]["mine"], true);
    // Whoever did not provide the figure cannot decide it.
    let eco = logged_in(&s, "ecology").await;
    assert_eq!(
        s.call(
            &eco,
            "decide_item",
            &[("item", &tax_item), ("decision", "accept")]
        )
        .await
        .status(),
        404
    );
    let r = s
        .call(
            &county,
            "decide_item",
            &[("item", &tax_item), ("decision", "accept")],
        )
        .await;
    assert_eq!(r.status(), 403);
    // A rejection needs a reason.
    let r = s
        .call(
            &county,
            "decide_item",
            &[("item", &flag_item), ("decision", "reject")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let versions_before = entity::disclosure_version::Entity::find()
        .filter(entity::disclosure_version::Column::Year.eq(2020))
        .all(&db)
        .await
        .unwrap()
        .len();
    let r = s
        .call(
            &county,
            "decide_item",
            &[
                ("item", &flag_item),
                ("decision", "reject"),
                ("reason", "证书已于 2019 年到期"),
            ],
        )
        .await;
    assert!(r.status().is_success());
    assert_eq!(appeal_of(&s, &uscc).await.status, "reviewing");
    let tax = logged_in(&s, "tax").await;
    let r = s
        .call(
            &tax,
            "decide_item",
            &[
                ("item", &tax_item),
                ("decision", "accept"),
                ("reason", "与金税系统一致"),
            ],
        )
        .await;
    assert!(r.status().is_success(), "{:?}", r.text().await);

    // Closed as partly corrected; the data, the audit, the grade, the publication.
    let a = appeal_of(&s, &uscc).await;
    assert_eq!(a.status, "partly");
    let rec = record_2020(&s, &uscc).await.unwrap();
    let fields: Value = serde_json::from_str(&rec.fields).unwrap();
    assert_eq!(fields["tax_wan"], claim.as_str());
    assert!(fields.get("high_tech_valid").is_none_or(|v| v != "true"));
    let audit = audit_entries(&db).await;
    let entry = audit
        .iter()
        .find(|e| e.uscc.as_deref() == Some(uscc.as_str()) && e.field.as_deref() == Some("tax_wan"))
        .unwrap();
    assert_eq!(
        (entry.source.as_str(), entry.username.as_str()),
        (format!("appeal:{id}").as_str(), "tax")
    );
    let new_class = a.class_after.clone().unwrap();
    assert!(new_class < class, "{class} → {new_class}");
    let versions = entity::disclosure_version::Entity::find()
        .filter(entity::disclosure_version::Column::Year.eq(2020))
        .order_by_desc(entity::disclosure_version::Column::Version)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(versions.len(), versions_before + 1);
    assert_eq!(versions[0].kind, "correction");
    assert_eq!(a.correction_version, Some(versions[0].version));
    assert!(versions[0].note.contains(&a.receipt));
    let change = entity::disclosure_change::Entity::find()
        .filter(entity::disclosure_change::Column::Year.eq(2020))
        .filter(entity::disclosure_change::Column::Version.eq(versions[0].version))
        .filter(entity::disclosure_change::Column::Uscc.eq(uscc.as_str()))
        .one(&db)
        .await
        .unwrap()
        .expect("the correction lists the enterprise");
    assert_eq!(change.after_class.as_deref(), Some(new_class.as_str()));
    assert_stored_results_equal_a_full_regrade(&db, 2020).await;
    // The enterprise sees the outcome, its new grade and a notice of each step.
    let p = portal(&s, &q3).await;
    assert_eq!(
        p["result"]["class"].as_str().unwrap().to_uppercase(),
        new_class
    );
    let d = json(s.call(&q3, "get_appeal", &[("id", &id.to_string())]).await).await;
    assert_eq!(d["summary"]["status"], "partly");
    assert!(
        d["projection"].is_null(),
        "the projection is the reviewers'"
    );
    assert!(d["timeline"].as_array().unwrap().len() >= 4);
    // The enterprise reads which unit acted, never a staff account's name.
    let staff: Vec<String> = entity::user::Entity::find()
        .filter(entity::user::Column::Role.ne("enterprise"))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    let shown: Vec<&str> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["by"].as_str().unwrap())
        .chain(
            d["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| i["decided_by"].as_str()),
        )
        .collect();
    assert!(
        shown.iter().all(|by| !staff.iter().any(|u| u == by)),
        "{shown:?}"
    );
    let county_name =
        grading::County::parse(d["summary"]["county"].as_str().unwrap_or_default()).map(|c| c.zh());
    assert!(
        shown.contains(&grading::Department::Tax.zh())
            && county_name.is_some_and(|c| shown.contains(&c)),
        "the units that acted: {shown:?}"
    );
    // The reviewers still read the accounts (an internal audit trail).
    let dc = json(
        s.call(&county, "get_appeal", &[("id", &id.to_string())])
            .await,
    )
    .await;
    assert!(dc["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["decided_by"] == "tax"));
    let notices = json(s.call(&q3, "notices", &[]).await).await;
    let texts: Vec<&str> = notices
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    for word in ["已收到", "已受理", "不予更正", "已办结"] {
        assert!(
            texts.iter().any(|t| t.contains(word)),
            "notice {word}: {texts:?}"
        );
    }
    // Decided items stay decided.
    let r = s
        .call(
            &tax,
            "decide_item",
            &[("item", &tax_item), ("decision", "reject"), ("reason", "x")],
        )
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_accounts_adjusted_values_and_overdue_appeals() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    // Bulk: the sheet downloads; the accounts exist, each with a one-time password.
    let county = logged_in(&s, "haiyan").await;
    let list = json(s.call(&county, "enterprise_candidates", &[]).await).await;
    let free: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["username"].is_null())
        .take(3)
        .map(|c| c["uscc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(free.len(), 3);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["county"] == "haiyan"));
    let form: Vec<(&str, &str)> = free.iter().map(|u| ("uscc", u.as_str())).collect();
    let r = county
        .post(s.url("/accounts/enterprises.xlsx"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an .xlsx");
    for u in &free {
        let m = entity::user::Entity::find()
            .filter(entity::user::Column::Username.eq(u.to_lowercase()))
            .one(&db)
            .await
            .unwrap()
            .expect("account created");
        assert!(
            m.must_change_password
                && m.role == "enterprise"
                && m.uscc.as_deref() == Some(u.as_str())
        );
    }
    // A department creates no accounts.
    let tax = logged_in(&s, "tax").await;
    let r = tax
        .post(s.url("/accounts/enterprises.xlsx"))
        .form(&[("uscc", free[0].as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // qiye1's open appeal: accepted at a value the reviewer adjusted.
    let open = entity::appeal::Entity::find()
        .filter(entity::appeal::Column::Status.eq("filed"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    // Past its deadline: flagged overdue in the queue.
    let mut am: entity::appeal::ActiveModel = open.clone().into();
    am.deadline = Set(service::disclosure::publish::today() - chrono::Duration::days(1));
    am.update(&db).await.unwrap();
    let queue = json(s.call(&tax, "appeal_queue", &[("status", "filed")]).await).await;
    let row = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == open.id)
        .unwrap();
    assert_eq!(row["overdue"], true);
    assert_eq!(row["waiting_for_me"], 1);
    let item = entity::appeal_item::Entity::find()
        .filter(entity::appeal_item::Column::AppealId.eq(open.id))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let r = s
        .call(
            &tax,
            "decide_item",
            &[
                ("item", &item.id.to_string()),
                ("decision", "accept"),
                ("value", "abc"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        422,
        "an adjusted value is validated like any other"
    );
    let r = s
        .call(
            &tax,
            "decide_item",
            &[
                ("item", &item.id.to_string()),
                ("decision", "accept"),
                ("value", "1234.56"),
                ("reason", "按核定数"),
            ],
        )
        .await;
    assert!(r.status().is_success());
    let rec = record_2020(&s, &open.uscc).await.unwrap();
    let fields: Value = serde_json::from_str(&rec.fields).unwrap();
    assert_eq!(fields["tax_wan"], "1234.56");
    let a = appeal_of(&s, &open.uscc).await;
    assert_eq!(a.status, "corrected");
    let queue = json(s.call(&tax, "appeal_queue", &[]).await).await;
    let row = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == open.id)
        .unwrap();
    assert_eq!(row["overdue"], false, "a closed appeal is not overdue");
}

/// The portal is a light page (`app::light`): an enterprise on a phone
/// reads its class, tries figures in the sandbox, confirms and switches
/// language with plain HTML, the server answering each form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_works_without_script() {
    let s = TestServer::demo().await;
    // An enterprise of the demo that may still confirm and has a sandbox.
    let mut found = None;
    for user in ["qiye1", "qiye2", "qiye3", "qiye4"] {
        let c = logged_in(&s, user).await;
        let p = portal(&s, &c).await;
        if p["may_confirm"] == true && p["preview"].is_object() {
            found = Some((c, p));
            break;
        }
    }
    let (firm, p) = found.expect("a demo enterprise that may confirm");
    let year = p["year"].as_i64().unwrap();
    let page = |path: String| {
        let (firm, s) = (firm.clone(), &s);
        async move { page_of(s, &firm, &path).await }
    };
    let (csp, html) = page(format!("/portal/{year}")).await;
    assert!(!html.contains("/pkg/muyi.js") && !html.contains(".wasm"));
    assert!(!csp.contains("wasm-unsafe-eval"), "{csp}");
    assert!(html.contains("data-testid=\"my-class\""));
    assert!(html.contains("data-testid=\"sandbox-form\""));
    // The appeal form keeps the app (its files are sent by script); the
    // enterprise's appeals are light.
    let (_, form) = page(format!("/portal/{year}/appeal")).await;
    assert!(form.contains("/pkg/muyi.js"));
    let (_, list) = page("/appeals".to_string()).await;
    assert!(!list.contains("/pkg/muyi.js") && list.contains("data-testid=\"queue\""));

    // The sandbox's figures in the address, graded by the server.
    let sandbox = |html: &str| {
        let at = html
            .find("data-testid=\"sandbox-result\"")
            .expect("sandbox");
        html[at..at + 2000.min(html.len() - at)].to_string()
    };
    let ctx: grading::preview::Context = serde_json::from_value(p["preview"].clone()).unwrap();
    let fields: std::collections::BTreeMap<String, String> =
        serde_json::from_value(p["fields"].clone()).unwrap();
    let e = service::store::enterprise_from(&fields).unwrap();
    if let Some(l) = levers(&ctx, &e) {
        let needed = l
            .answers
            .iter()
            .find(|a| a.lever == Lever::Tax)
            .and_then(|a| a.needed)
            .expect("tax reaches the next class");
        let (_, html) = page(format!("/portal/{year}?tax_wan={needed:.2}")).await;
        let got = sandbox(&html);
        let target = l.target.code();
        assert!(got.contains(&format!(">{target}<")), "{target}: {got}");
        assert!(html.contains(&format!("value=\"{needed:.2}\"")));
        // The "try it" links carry the figure too.
        assert!(html.contains("data-try=\"tax_wan\""));
    }
    let (_, html) = page(format!("/portal/{year}?tax_wan=abc")).await;
    assert!(sandbox(&html).contains("不是数字"), "{}", sandbox(&html));

    // Confirming with a plain form: back to the page, confirmed.
    let referer = s.url(&format!("/portal/{year}"));
    let post = || {
        firm.post(s.url("/api/confirm_year"))
            .header("Accept", "text/html")
            .header("Origin", s.url(""))
            .header("Referer", &referer)
            .form(&[("year", year.to_string())])
            .send()
    };
    let r = post().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    // (server_fn strips the error parameters, leaving a bare "?")
    assert_eq!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .trim_end_matches('?'),
        referer
    );
    assert!(portal(&s, &firm).await["confirmed"].is_string());
    // A second time is refused: the reason comes back in the address and
    // the page shows it.
    let r = post().await.unwrap();
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("__err="), "{to}");
    let path = to.strip_prefix(&s.url("")).unwrap_or(&to).to_string();
    let (_, html) = page(path).await;
    assert!(html.contains("已经确认过"));

    // The language is a link that sets the app's cookie and comes back.
    let r = firm
        .get(s.url(&format!("/lang/en?to=/portal/{year}")))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection());
    assert_eq!(r.headers()["location"], format!("/portal/{year}").as_str());
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("i18n_pref_locale=en;"));
    let (_, html) = page(format!("/portal/{year}")).await;
    assert!(html.contains("What would change my class"));
    // Not a way to another site; only the two languages.
    let r = firm
        .get(s.url("/lang/zh?to=//evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/");
    let r = firm.get(s.url("/lang/fr?to=/")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}
