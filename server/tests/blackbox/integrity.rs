//! Black-box tests of the write path's integrity: stale saves refused with
//! what changed in between, imports confined to what the actor may write,
//! lessors within the county, finite numbers only, and stored JSON that
//! never silently becomes an empty record.

use crate::support::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

/// The stored 2020 record of `uscc`.
async fn record(s: &TestServer, uscc: &str) -> entity::record::Model {
    record_2020(s, uscc).await.expect("a record")
}

fn field(m: &entity::record::Model, key: &str) -> Option<String> {
    let f: std::collections::BTreeMap<String, String> = serde_json::from_str(&m.fields).unwrap();
    f.get(key).cloned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_save_is_refused_with_what_changed_and_can_be_applied_again() {
    let s = TestServer::demo().await;
    let (uscc, _) = graded_in(&s, "xiuzhou").await;
    let official = logged_in(&s, "xiuzhou").await;
    let clerk = logged_in(&s, "tax").await;
    // Both open the page at the same version.
    let read = stored_version(&s, &uscc).await.to_string();
    let detail = json(
        s.call(
            &official,
            "get_enterprise",
            &[("uscc", &uscc), ("year", "2020")],
        )
        .await,
    )
    .await;
    assert_eq!(detail["version"].to_string(), read);
    let old_tax = detail["fields"]["tax_wan"].as_str().unwrap().to_string();

    // The clerk saves the tax first.
    let r = save_at(&s, &clerk, &uscc, &read, &[("tax_wan", "777.77")]).await;
    assert_eq!(r.status(), 200);
    // The official's form still holds the old tax: saving it (with a
    // change of their own) must not put the old tax back.
    let r = save_at(
        &s,
        &official,
        &uscc,
        &read,
        &[("tax_wan", &old_tax), ("employees", "123")],
    )
    .await;
    assert_eq!(r.status(), 409);
    let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    let stale = &body["Conflict"];
    assert_eq!(
        stale["version"].as_i64().unwrap(),
        read.parse::<i64>().unwrap() + 1
    );
    let changes = stale["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["username"], "tax");
    assert_eq!(changes[0]["field"], "tax_wan");
    assert_eq!(changes[0]["new_value"], "777.77");
    let m = record(&s, &uscc).await;
    assert_eq!(
        field(&m, "tax_wan").as_deref(),
        Some("777.77"),
        "not reverted"
    );
    assert_ne!(field(&m, "employees").as_deref(), Some("123"));

    // Applied again on the newest version: both changes stand, and the
    // audit log blames each on who made it.
    let now = stored_version(&s, &uscc).await.to_string();
    let r = save_at(
        &s,
        &official,
        &uscc,
        &now,
        &[("tax_wan", "777.77"), ("employees", "123")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let out: Value = r.json().await.unwrap();
    assert_eq!(out["changed_fields"], serde_json::json!(["employees"]));
    let m = record(&s, &uscc).await;
    assert_eq!(field(&m, "tax_wan").as_deref(), Some("777.77"));
    assert_eq!(field(&m, "employees").as_deref(), Some("123"));
    let audit = audit_entries(&s.db().await).await;
    let who: Vec<(String, Option<String>)> = audit
        .iter()
        .map(|a| (a.username.clone(), a.field.clone()))
        .collect();
    assert_eq!(
        who,
        vec![
            ("tax".to_string(), Some("tax_wan".to_string())),
            ("xiuzhou".to_string(), Some("employees".to_string()))
        ]
    );
}

const HEADER: &str = "uscc,name,county,industry,scale,year,tax_wan";

fn errors(p: &Value) -> Vec<(u64, String, String)> {
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
                {
                    // Said in both languages; the Chinese is compared.
                    assert!(!e["reason"]["en"].as_str().unwrap().is_empty());
                    e["reason"]["zh"].as_str().unwrap().to_string()
                },
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_stay_within_what_the_actor_may_write() {
    let s = TestServer::demo().await;
    let own = record(&s, &graded_in(&s, "nanhu").await.0).await;
    let far = record(&s, &graded_in(&s, "haining").await.0).await;
    let row = |m: &entity::record::Model, name: &str, county: &str, tax: &str| {
        format!(
            "{},{name},{county},{},{},2020,{tax}",
            m.uscc, m.industry, m.scale
        )
    };
    let new_uscc = grading::synth::uscc_for(grading::County::Nanhu, 987_654);

    // The tax bureau: identity must match the register, and it creates nothing.
    let tax = logged_in(&s, "tax").await;
    let sheet = format!(
        "{HEADER}\n{}\n{}\n{new_uscc},新公司,nanhu,other,above,2020,5\n",
        row(&own, &own.name, "nanhu", "10"),
        row(&far, "改过的名字", "haining", "10"),
    );
    let p = upload(&s, &tax, "tax.csv", sheet).await;
    assert!(p["id"].is_null());
    let errs = errors(&p);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!((errs[0].0, errs[0].1.as_str()), (3, "name"));
    assert!(errs[0].2.contains(&far.name), "{errs:?}");
    assert_eq!((errs[1].0, errs[1].1.as_str()), (4, "uscc"));
    assert!(errs[1].2.contains("部门不能新建企业"), "{errs:?}");

    // A county official: neither another county's enterprise (whatever
    // the file says its county is, and without being told which county
    // holds it) nor a new one elsewhere.
    let nanhu = logged_in(&s, "nanhu").await;
    let ghost = grading::synth::uscc_for(grading::County::Haining, 999_001);
    let sheet = format!(
        "{HEADER}\n{}\n{}\n{ghost},别处新公司,haining,other,above,2020,5\n",
        row(&far, &far.name, "nanhu", "10"),
        row(&own, &own.name, "nanhu", "10"),
    );
    let p = upload(&s, &nanhu, "nanhu.csv", sheet).await;
    let errs = errors(&p);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].0, 2);
    assert!(!errs[0].2.contains("haining") && !errs[0].2.contains("海宁"));
    assert_eq!((errs[1].0, errs[1].1.as_str()), (4, "county"));
    assert!(
        audit_entries(&s.db().await).await.is_empty(),
        "nothing written"
    );

    // The preview lists class changes only inside the official's county,
    // though the same file moves classes elsewhere (the admin sees them).
    let sheet = format!("{HEADER}\n{}\n", row(&own, &own.name, "nanhu", "9999999"));
    let admin = logged_in(&s, "admin").await;
    let everywhere = upload(&s, &admin, "top.csv", sheet.clone()).await;
    let mine = upload(&s, &nanhu, "top.csv", sheet).await;
    let counties: std::collections::HashMap<String, String> = entity::record::Entity::find()
        .filter(entity::record::Column::Year.eq(2020))
        .all(&s.db().await)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.uscc, m.county))
        .collect();
    let county_of = |p: &Value| -> Vec<String> {
        p["moves"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| counties[m["uscc"].as_str().unwrap()].clone())
            .collect()
    };
    let nanhu_code = "nanhu".to_string();
    assert!(
        county_of(&everywhere).iter().any(|c| *c != nanhu_code),
        "the file moves classes in other counties"
    );
    let mine_moves = county_of(&mine);
    assert!(!mine_moves.is_empty());
    assert!(
        mine_moves.iter().all(|c| *c == nanhu_code),
        "{mine_moves:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_county_official_merges_only_into_a_lessor_of_the_county() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let below = |county: &'static str| {
        let db = db.clone();
        async move {
            entity::record::Entity::find()
                .filter(entity::record::Column::County.eq(county))
                .filter(entity::record::Column::Year.eq(2020))
                .filter(entity::record::Column::Scale.eq("below"))
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .filter(|m| field(m, "lessor_uscc").is_none())
                .take(2)
                .collect::<Vec<_>>()
        }
    };
    let ours = below("nanhu").await;
    let theirs = below("haining").await;
    let official = logged_in(&s, "nanhu").await;
    let ghost = grading::synth::uscc_for(grading::County::Haining, 999_002);
    let mut refusals = Vec::new();
    for lessor in [&theirs[0].uscc, &ghost] {
        let r = save(&s, &official, &ours[0].uscc, &[("lessor_uscc", lessor)]).await;
        assert_eq!(r.status(), 422, "{lessor}");
        refusals.push(r.text().await.unwrap());
    }
    assert_eq!(refusals[0], refusals[1], "the same words either way");
    assert!(refusals[0].contains("出租方须为本县"), "{}", refusals[0]);
    assert_eq!(field(&record(&s, &ours[0].uscc).await, "lessor_uscc"), None);
    // A lessor of the county is fine: the lessee is merged into it.
    let r = save(
        &s,
        &official,
        &ours[0].uscc,
        &[("lessor_uscc", &ours[1].uscc)],
    )
    .await;
    let out = json(r).await;
    assert_eq!(out["result"]["status"], "merged");
    // The city administrator may merge across counties.
    let admin = logged_in(&s, "admin").await;
    let r = save(
        &s,
        &admin,
        &theirs[1].uscc,
        &[("lessor_uscc", &ours[1].uscc)],
    )
    .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_must_be_finite_in_the_form_and_in_files() {
    let s = shared();
    let (uscc, name) = graded_in(s, "pinghu").await;
    let m = record(s, &uscc).await;
    let admin = logged_in(s, "admin").await;
    let huge = "9".repeat(400);
    for bad in [huge.as_str(), "inf", "NaN", "-inf", "1e400"] {
        let r = save(s, &admin, &uscc, &[("tax_wan", bad)]).await;
        assert_eq!(r.status(), 422, "{bad}");
        assert!(r.text().await.unwrap().contains("tax_wan"), "{bad}");
    }
    let sheet = format!(
        "{HEADER}\n{uscc},{name},pinghu,{},{},2020,{huge}\n{uscc},{name},pinghu,{},{},2019,NaN\n",
        m.industry, m.scale, m.industry, m.scale
    );
    let p = upload(s, &admin, "huge.csv", sheet).await;
    let errs = errors(&p);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!((errs[0].0, errs[0].1.as_str()), (2, "tax_wan"));
    assert!(errs[0].2.contains("超出"), "{errs:?}");
    assert_eq!((errs[1].0, errs[1].1.as_str()), (3, "tax_wan"));
    assert_eq!(record(s, &uscc).await.fields, m.fields, "nothing written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_json_that_does_not_decode_is_an_error_never_an_empty_record() {
    use sea_orm::{ActiveModelTrait, Set};
    let s = TestServer::demo().await;
    let db = s.db().await;
    let admin = logged_in(&s, "admin").await;
    for (column, broken) in [("fields", "{\"tax_wan\": 12"), ("sources", "[oops")] {
        let (uscc, _) = graded_in(
            &s,
            if column == "fields" {
                "haiyan"
            } else {
                "jiashan"
            },
        )
        .await;
        let m = record(&s, &uscc).await;
        let mut am: entity::record::ActiveModel = m.clone().into();
        match column {
            "fields" => am.fields = Set(broken.into()),
            _ => am.sources = Set(broken.into()),
        }
        am.update(&db).await.unwrap();
        let r = s
            .call(
                &admin,
                "get_enterprise",
                &[("uscc", &uscc), ("year", "2020")],
            )
            .await;
        assert_eq!(r.status(), 500, "{column}");
        let text = r.text().await.unwrap();
        assert!(
            !text.contains("oops") && !text.contains("tax_wan"),
            "{text}"
        );
        let r = save(&s, &admin, &uscc, &[("employees", "42")]).await;
        assert_eq!(r.status(), 500, "{column}");
        let after = record(&s, &uscc).await;
        assert_eq!(
            (after.fields.as_str(), after.sources.as_str()),
            match column {
                "fields" => (broken, m.sources.as_str()),
                _ => (m.fields.as_str(), broken),
            },
            "left as it was, not replaced"
        );
    }
}

/// A server that has not read the year yet (just started) takes a save:
/// it grades the year as it was before the save, then the save, and
/// stores the results that moved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_save_after_a_start_stores_its_grade() {
    let s = TestServer::demo().await;
    // The best of its cohort: when it falls, every member below moves up.
    let uscc = best_above(&s, &logged_in(&s, "admin").await).await[0].clone();
    let before = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Uscc.eq(uscc.clone()))
        .filter(entity::grade_result::Column::Year.eq(2020))
        .one(&s.db().await)
        .await
        .unwrap()
        .unwrap();
    let fresh = TestServer::attach(&s).await;
    let admin = logged_in(&fresh, "admin").await;
    let r = save(
        &fresh,
        &admin,
        &uscc,
        &[("tax_wan", "0"), ("value_added_wan", "0")],
    )
    .await;
    let out = json(r).await;
    let after = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Uscc.eq(uscc.clone()))
        .filter(entity::grade_result::Column::Year.eq(2020))
        .one(&s.db().await)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        after.score, before.score,
        "the stored grade follows the save"
    );
    assert_eq!(after.score, out["result"]["score"].as_f64());
    // And so do the grades it moved (the cohort re-ranked).
    assert_stored_results_equal_a_full_regrade(&s.db().await, 2020).await;
}
