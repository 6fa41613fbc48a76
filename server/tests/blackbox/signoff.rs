//! 核实上报 (#22, item 3): each county and providing department confirms
//! the year's data with who, when and what counts; a change reopens what
//! it touches; the window opens only when the matrix is complete, or with
//! a reason kept in the audit trail.

use crate::support::{collect_2021, json, logged_in, TestServer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

fn row<'a>(m: &'a Value, party: &str) -> &'a Value {
    m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            let p = &r["party"];
            p["County"] == party || p["Department"] == party
        })
        .unwrap_or_else(|| panic!("{party} in the matrix: {m}"))
}

const WINDOW: [(&str, &str); 7] = [
    ("form[year]", "2021"),
    ("form[start]", "2030-01-01"),
    ("form[end]", "2030-01-10"),
    ("form[phone]", "0573-1"),
    ("form[address]", "x"),
    ("form[notice]", "x"),
    ("form[objection]", "x"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_year_opens_when_every_party_has_confirmed_its_data() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    collect_2021(&s).await;
    let in_nanhu = entity::record::Entity::find()
        .filter(entity::record::Column::Year.eq(2021))
        .filter(entity::record::Column::County.eq("nanhu"))
        .all(&db)
        .await
        .unwrap();

    let qiye = logged_in(&s, "qiye1").await;
    assert_eq!(s.call(&qiye, "get_signoffs", &[]).await.status(), 403);
    let admin = logged_in(&s, "admin").await;
    let m = json(s.call(&admin, "get_signoffs", &[]).await).await;
    assert_eq!(m["year"], 2021, "the year in collection by default");
    assert_eq!(m["rows"].as_array().unwrap().len(), 9 + 4);
    assert_eq!(m["complete"], false);
    assert_eq!(row(&m, "nanhu")["state"], "Open");
    assert_eq!(row(&m, "nanhu")["records"], in_nanhu.len() as u64);
    assert_eq!(row(&m, "nanhu")["mine"], false);
    // The administrator does not confirm for others.
    assert_eq!(
        s.call(&admin, "sign_off", &[("year", "2021")])
            .await
            .status(),
        403
    );

    // Each party confirms its own row.
    let nanhu = logged_in(&s, "nanhu").await;
    let m = json(s.call(&nanhu, "get_signoffs", &[]).await).await;
    assert_eq!(row(&m, "nanhu")["mine"], true);
    assert_eq!(row(&m, "tax")["mine"], false);
    json(s.call(&nanhu, "sign_off", &[("year", "2021")]).await).await;
    let tax = logged_in(&s, "tax").await;
    json(s.call(&tax, "sign_off", &[("year", "2021")]).await).await;
    let m = json(s.call(&admin, "get_signoffs", &[("year", "2021")]).await).await;
    let r = row(&m, "nanhu");
    assert_eq!(r["state"], "Signed");
    assert_eq!(r["signed_by"], "南湖区经办人");
    assert_eq!(r["signed_counts"][0], in_nanhu.len() as u64);
    assert!(r["signed_at"].as_str().unwrap().starts_with("20"));
    assert_eq!(row(&m, "tax")["state"], "Signed");
    assert_eq!(row(&m, "jiashan")["state"], "Open");
    let audit = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("signoff"))
        .filter(entity::audit_log::Column::Year.eq(2021))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);

    // Incomplete: the window does not open, and says who is missing.
    let r = s.call(&admin, "open_disclosure", &WINDOW).await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("核实上报尚未完成") && text.contains("嘉善县"),
        "{text}"
    );
    assert!(!text.contains("南湖区"), "{text}");

    // A tax clerk's change to a Nanhu enterprise's tax reopens Nanhu's
    // and the tax bureau's confirmation, naming the change; Jiashan's
    // row (not touched) and statistics' stay as they were.
    let e = &in_nanhu[0];
    let version = e.version.to_string();
    let r = s
        .call(
            &tax,
            "save_record",
            &[
                ("uscc", e.uscc.as_str()),
                ("year", "2021"),
                ("version", version.as_str()),
                ("fields[tax_wan]", "123.45"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let m = json(s.call(&admin, "get_signoffs", &[("year", "2021")]).await).await;
    for p in ["nanhu", "tax"] {
        let r = row(&m, p);
        assert_eq!(r["state"], "Reopened", "{p}");
        let why = &r["reopened"][2];
        let zh = why["zh"].as_str().unwrap();
        assert!(zh.contains(&e.uscc) && zh.contains("实缴税金"), "{why}");
        assert!(why["en"].as_str().unwrap().contains("Tax"), "{why}");
        assert_eq!(r["reopened"][1], "税务部门数据员");
    }
    assert_eq!(row(&m, "statistics")["state"], "Open");

    // Confirmed again, everyone: the window opens without a reason.
    let mut users = vec!["statistics", "natural_resources", "ecology"];
    users.extend(grading::County::ALL.iter().map(|c| c.code()));
    users.push("tax");
    for u in users {
        let c = logged_in(&s, u).await;
        json(s.call(&c, "sign_off", &[("year", "2021")]).await).await;
    }
    let m = json(s.call(&admin, "get_signoffs", &[("year", "2021")]).await).await;
    assert_eq!(m["complete"], true, "{m}");
    let years = json(s.call(&admin, "admin_disclosures", &[]).await).await;
    let y = years
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2021)
        .unwrap();
    assert_eq!(y["signed_off"], true);
    let r = s.call(&admin, "open_disclosure", &WINDOW).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // Over once the window has opened.
    let r = s.call(&nanhu, "sign_off", &[("year", "2021")]).await;
    assert_eq!(r.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_override_opens_the_window_with_its_reason_audited() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    collect_2021(&s).await;
    let admin = logged_in(&s, "admin").await;
    let years = json(s.call(&admin, "admin_disclosures", &[]).await).await;
    let y = years
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2021)
        .unwrap();
    assert_eq!(y["signed_off"], false);
    assert_eq!(y["unsigned"].as_array().unwrap().len(), 13);
    // The demo's published years were confirmed by every party.
    assert_eq!(
        years
            .as_array()
            .unwrap()
            .iter()
            .find(|y| y["year"] == 2019)
            .unwrap()["signed_off"],
        true
    );
    let mut form = WINDOW.to_vec();
    form.push(("form[override_reason]", "市政府要求按期公示"));
    let r = s.call(&admin, "open_disclosure", &form).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let o = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("signoff_override"))
        .one(&db)
        .await
        .unwrap()
        .expect("the override is audited");
    assert_eq!(o.new_value.as_deref(), Some("市政府要求按期公示"));
    assert!(o.field.unwrap().contains("嘉善县"));
    assert_eq!(o.username, "admin");
}
