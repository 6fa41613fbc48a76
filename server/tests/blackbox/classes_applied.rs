//! 分类施策 applied: the remediation ledger (entry and exit over the
//! published years, plans, scoping) and the differentiated-electricity
//! procedure (surcharge, review, window, filing, scoping, the public side).

use crate::support::{json, logged_in, shared, TestServer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

async fn latest_version(db: &sea_orm::DatabaseConnection, year: i32) -> i32 {
    entity::disclosure_version::Entity::find()
        .filter(entity::disclosure_version::Column::Year.eq(year))
        .order_by_desc(entity::disclosure_version::Column::Version)
        .one(db)
        .await
        .unwrap()
        .map_or(0, |v| v.version)
}

/// Tax per mu of each enterprise in `year`'s latest published version, as
/// the test reads the frozen figures itself.
async fn tax_per_mu(db: &sea_orm::DatabaseConnection, year: i32) -> HashMap<String, f64> {
    let v = latest_version(db, year).await;
    entity::disclosure_fact::Entity::find()
        .filter(entity::disclosure_fact::Column::Year.eq(year))
        .filter(entity::disclosure_fact::Column::Version.eq(v))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|f| {
            let m: BTreeMap<String, String> = serde_json::from_str(&f.figures).unwrap();
            let land: f64 = m.get("land_mu")?.parse().ok().filter(|l: &f64| *l > 0.0)?;
            let tax: f64 = m.get("tax_wan").and_then(|t| t.parse().ok()).unwrap_or(0.0);
            Some((f.uscc, tax / land))
        })
        .collect()
}

/// Who the ledger rule puts on `year`'s ledger, from the published rows.
async fn expected_ledger(db: &sea_orm::DatabaseConnection, year: i32) -> BTreeSet<String> {
    let v = latest_version(db, year).await;
    let mut years = Vec::new();
    for y in year - 2..=year {
        years.push(tax_per_mu(db, y).await);
    }
    entity::disclosure_row::Entity::find()
        .filter(entity::disclosure_row::Column::Year.eq(year))
        .filter(entity::disclosure_row::Column::Version.eq(v))
        .filter(entity::disclosure_row::Column::Status.eq("graded"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| {
            let seen: Vec<f64> = years
                .iter()
                .filter_map(|m| m.get(&r.uscc).copied())
                .collect();
            let low = !seen.is_empty() && {
                let avg = seen.iter().sum::<f64>() / seen.len() as f64;
                avg < if r.scale == "below" { 3.0 } else { 10.0 }
            };
            r.class.as_deref() == Some("D") || low
        })
        .map(|r| r.uscc)
        .collect()
}

async fn ledger(
    db: &sea_orm::DatabaseConnection,
    year: i32,
) -> Vec<entity::remediation_entry::Model> {
    entity::remediation_entry::Entity::find()
        .filter(entity::remediation_entry::Column::Year.eq(year))
        .all(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_ledger_follows_the_published_years_in_and_out() {
    let s = shared();
    let db = s.db().await;
    let (l2019, l2020) = (ledger(&db, 2019).await, ledger(&db, 2020).await);
    let on = |l: &[entity::remediation_entry::Model]| -> BTreeSet<String> {
        l.iter()
            .filter(|e| e.active)
            .map(|e| e.uscc.clone())
            .collect()
    };
    // Entry: exactly the rule over the published figures, both years.
    assert_eq!(on(&l2019), expected_ledger(&db, 2019).await);
    let now = on(&l2020);
    assert_eq!(now, expected_ledger(&db, 2020).await);
    assert!(now.len() > 100, "a real ledger: {}", now.len());
    // Both reasons occur, and below-size enterprises are held to 3万.
    assert!(l2020.iter().any(|e| e.reasons == "d_class"));
    assert!(l2020
        .iter()
        .any(|e| e.reasons.contains("low_tax") && e.scale == "below"));
    for e in l2020.iter().filter(|e| e.reasons == "low_tax") {
        let limit = if e.scale == "below" { 3.0 } else { 10.0 };
        assert!(e.avg_tax_per_mu.unwrap() < limit, "{e:?}");
    }
    // Exit: whoever 2020 no longer puts on left in 2020; nobody else did.
    let mut exits = 0;
    for e in l2019.iter().filter(|e| e.active) {
        let expected = (!now.contains(&e.uscc)).then_some(2020);
        assert_eq!(e.exited_in, expected, "{}", e.uscc);
        exits += usize::from(expected.is_some());
    }
    assert!(exits > 0, "the demo has exits");
    // A plan carries over while the enterprise stays on.
    let planned: HashMap<&str, &entity::remediation_entry::Model> = l2019
        .iter()
        .filter(|e| e.plan.is_some() && e.exited_in.is_none())
        .map(|e| (e.uscc.as_str(), e))
        .collect();
    assert!(!planned.is_empty());
    for e in l2020
        .iter()
        .filter(|e| planned.contains_key(e.uscc.as_str()))
    {
        assert_eq!(e.plan, planned[e.uscc.as_str()].plan);
    }
    // The targets dashboard counts the exits for the scheme's 改造提升 goal.
    let admin = logged_in(s, "admin").await;
    let t = json(
        s.call(&admin, "get_target", &[("id", "jzbf-2021-5.g1")])
            .await,
    )
    .await;
    assert_eq!(t["target"]["computed"], "ledger_exits");
    let acts = t["actuals"].as_array().unwrap();
    assert_eq!(acts.len(), 1, "one year with a year before it: {acts:?}");
    assert_eq!(acts[0]["month"], "2020-12");
    assert_eq!(acts[0]["value"].as_f64(), Some(exits as f64), "{acts:?}");
}

#[tokio::test]
async fn the_ledger_is_the_countys_and_the_enterprise_sees_its_own() {
    let s = shared();
    let get = |user: &'static str, args: Vec<(&'static str, &'static str)>| async move {
        let c = logged_in(s, user).await;
        let r = s.call(&c, "ledger", &args).await;
        let code = r.status().as_u16();
        (code, r.json::<Value>().await.unwrap_or(Value::Null))
    };
    let (code, nanhu) = get("nanhu", vec![]).await;
    assert_eq!(code, 200);
    assert_eq!(nanhu["year"], 2020);
    assert_eq!(
        nanhu["counts"].as_array().unwrap().len(),
        1,
        "its county only"
    );
    assert!(nanhu["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["county"] == "nanhu"));
    // The demo has a plan in every state (2020 in 南湖区, with 2019's exits).
    let by: Vec<u64> = nanhu["counts"][0]["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert!(
        by[..4].iter().all(|n| *n > 0),
        "unplanned, in progress, overdue, completed: {by:?}"
    );
    // 2019's ledger: some lifted out by 2020, with the plans they had.
    let (_, y2019) = get("admin", vec![("year", "2019"), ("status", "exited")]).await;
    let exited = y2019["entries"].as_array().unwrap();
    assert!(exited.iter().all(|e| e["exited_in"] == 2020));
    assert!(exited.iter().any(|e| !e["plan"].is_null()), "{exited:?}");
    // Another county's filter is not found; the city sees every county.
    assert_eq!(get("nanhu", vec![("county", "haining")]).await.0, 404);
    let (_, city) = get("admin", vec![]).await;
    assert_eq!(
        city["counts"].as_array().unwrap().len(),
        grading::County::ALL.len()
    );
    for user in ["shuiwu", "tax", "qiye1", "pbc"] {
        assert_eq!(get(user, vec![]).await.0, 403, "{user}");
    }
    let anon = s.client();
    assert_eq!(s.call(&anon, "ledger", &[]).await.status(), 401);
    // An enterprise reads its own entries only.
    let qiye = logged_in(s, "qiye1").await;
    let mine = json(s.call(&qiye, "my_ledger", &[]).await).await;
    let own: String = entity::user::Entity::find()
        .filter(entity::user::Column::Username.eq("qiye1"))
        .one(&s.db().await)
        .await
        .unwrap()
        .unwrap()
        .uscc
        .unwrap();
    assert!(mine
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["uscc"] == own.as_str()));
    // qiye4 is on 南湖区's ledger with a plan under way, and sees it.
    let qiye4 = logged_in(s, "qiye4").await;
    let mine = json(s.call(&qiye4, "my_ledger", &[]).await).await;
    let e = &mine[0];
    assert_eq!(
        (e["year"].as_i64(), e["county"].as_str()),
        (Some(2020), Some("nanhu"))
    );
    assert!(
        !e["plan"].is_null() && !e["milestones"].as_array().unwrap().is_empty(),
        "{e}"
    );
    assert!(
        !e["updated_by"].as_str().unwrap().is_ascii(),
        "a unit, not an account: {e}"
    );
}

#[tokio::test]
async fn plans_are_validated_scoped_and_audited() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let nanhu = logged_in(&s, "nanhu").await;
    let open = ledger(&db, 2020)
        .await
        .into_iter()
        .find(|e| e.active && e.county == "nanhu" && e.plan.is_none())
        .unwrap();
    let other = ledger(&db, 2020)
        .await
        .into_iter()
        .find(|e| e.active && e.county == "haining")
        .unwrap();
    let refused = |r: reqwest::Response| async move {
        let code = r.status().as_u16();
        (code, r.text().await.unwrap())
    };
    let plan = |uscc: String, plan: &'static str| {
        let c = nanhu.clone();
        let s = &s;
        async move {
            s.call(
                &c,
                "ledger_plan",
                &[
                    ("year", "2020"),
                    ("uscc", &uscc),
                    ("plan", plan),
                    ("person", "张三"),
                ],
            )
            .await
        }
    };
    let (code, text) = refused(plan(other.uscc.clone(), "upgrade").await).await;
    assert_eq!(code, 422);
    assert!(text.contains("不在本县"), "{text}");
    let (code, text) = refused(plan("91330422000000000X".into(), "upgrade").await).await;
    assert_eq!(code, 422, "{text}");
    let (code, text) = refused(plan(open.uscc.clone(), "demolish").await).await;
    assert_eq!(code, 422);
    assert!(text.contains("兼并重组"), "{text}");
    let milestone = |due: &'static str| {
        let c = nanhu.clone();
        let (s, uscc) = (&s, open.uscc.clone());
        async move {
            s.call(
                &c,
                "ledger_milestone",
                &[
                    ("year", "2020"),
                    ("uscc", &uscc),
                    ("title", "技改投产"),
                    ("due", due),
                ],
            )
            .await
        }
    };
    let (code, text) = refused(milestone("2021-06-30").await).await;
    assert_eq!(code, 422);
    assert!(text.contains("请先确定"), "{text}");
    assert_eq!(plan(open.uscc.clone(), "merger").await.status(), 200);
    assert_eq!(refused(milestone("30/06/2021").await).await.0, 422);
    assert_eq!(milestone("2021-06-30").await.status(), 200);
    let done = |on: &'static str, evidence: &'static str| {
        let c = nanhu.clone();
        let (s, uscc) = (&s, open.uscc.clone());
        async move {
            s.call(
                &c,
                "ledger_milestone_done",
                &[
                    ("year", "2020"),
                    ("uscc", &uscc),
                    ("index", "0"),
                    ("done_on", on),
                    ("evidence", evidence),
                ],
            )
            .await
        }
    };
    assert_eq!(refused(done("2099-01-01", "验收报告").await).await.0, 422);
    assert_eq!(refused(done("2021-01-05", " ").await).await.0, 422);
    assert_eq!(done("2021-01-05", "验收报告 001 号").await.status(), 200);
    let e = entity::remediation_entry::Entity::find_by_id(open.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.plan.as_deref(), Some("merger"));
    assert_eq!(e.person, "张三");
    assert!(e.milestones.contains("验收报告 001 号"), "{}", e.milestones);
    let audit: Vec<entity::audit_log::Model> = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("remediation_plan"))
        .filter(entity::audit_log::Column::Uscc.eq(open.uscc.clone()))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 3, "plan, milestone, done");
    assert!(audit.iter().all(|a| a.username == "nanhu"));
    // The city administrator may plan any county's; a department may not.
    let admin = logged_in(&s, "admin").await;
    let r = s
        .call(
            &admin,
            "ledger_plan",
            &[
                ("year", "2020"),
                ("uscc", &other.uscc),
                ("plan", "close"),
                ("person", "李四"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let tax = logged_in(&s, "tax").await;
    let r = s
        .call(
            &tax,
            "ledger_plan",
            &[
                ("year", "2020"),
                ("uscc", &other.uscc),
                ("plan", "close"),
                ("person", "李四"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "not on any ledger the clerk covers");
}

#[tokio::test]
async fn the_demo_procedures_are_in_every_state_and_scoped() {
    let s = shared();
    let overview = |user: &'static str, year: &'static str| async move {
        let c = logged_in(s, user).await;
        let r = s.call(&c, "electricity_overview", &[("year", year)]).await;
        let code = r.status().as_u16();
        (code, r.json::<Value>().await.unwrap_or(Value::Null))
    };
    let state = |o: &Value, county: &str| {
        o["counties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["county"] == county)
            .map(|c| c["state"].as_str().unwrap().to_string())
    };
    let (code, y2019) = overview("admin", "2019").await;
    assert_eq!(code, 200);
    assert_eq!(state(&y2019, "nanhu").as_deref(), Some("filed"));
    assert_eq!(state(&y2019, "jiashan").as_deref(), Some("overdue"));
    assert_eq!(state(&y2019, "haining").as_deref(), Some("not_started"));
    let (_, y2020) = overview("dianli", "2020").await;
    assert_eq!(
        y2020["counties"].as_array().unwrap().len(),
        grading::County::ALL.len(),
        "the power company sees the city"
    );
    assert_eq!(state(&y2020, "xiuzhou").as_deref(), Some("in_window"));
    assert_eq!(state(&y2020, "nanhu").as_deref(), Some("draft"));
    let (_, own) = overview("xiuzhou", "2020").await;
    assert_eq!(own["counties"].as_array().unwrap().len(), 1);
    for user in ["shuiwu", "tax", "qiye1"] {
        assert_eq!(overview(user, "2020").await.0, 403, "{user}");
    }
    let xiuzhou = logged_in(s, "xiuzhou").await;
    let r = s
        .call(
            &xiuzhou,
            "electricity_procedure",
            &[("year", "2020"), ("county", "nanhu")],
        )
        .await;
    assert_eq!(r.status(), 404, "another county's procedure");
    // The list is the published version's D class of the county.
    let db = s.db().await;
    let v = latest_version(&db, 2020).await;
    let d: BTreeSet<String> = entity::disclosure_row::Entity::find()
        .filter(entity::disclosure_row::Column::Year.eq(2020))
        .filter(entity::disclosure_row::Column::Version.eq(v))
        .filter(entity::disclosure_row::Column::County.eq("xiuzhou"))
        .filter(entity::disclosure_row::Column::Class.eq("D"))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.uscc)
        .collect();
    let p = json(
        s.call(
            &xiuzhou,
            "electricity_procedure",
            &[("year", "2020"), ("county", "xiuzhou")],
        )
        .await,
    )
    .await;
    let listed: BTreeSet<String> = p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uscc"].as_str().unwrap().to_string())
        .collect();
    assert!(!d.is_empty());
    assert_eq!(listed, d);
    // The public page shows the published lists and never an exemption's
    // reason; a draft is not public.
    let page = s
        .client()
        .get(s.url("/disclosure/electricity/2019"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("南政发〔2020〕18号"), "nanhu's approval");
    assert!(
        !page.contains("重点民生保障"),
        "an exemption's reason is internal"
    );
    let public = s
        .call(&s.client(), "public_electricity", &[("year", "2020")])
        .await;
    let public = json(public).await;
    let counties: Vec<&str> = public
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["county"].as_str().unwrap())
        .collect();
    assert_eq!(counties, ["xiuzhou"], "nanhu's 2020 is a draft");
}

#[tokio::test]
async fn a_procedure_is_validated_published_and_then_fixed() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let nanhu = logged_in(&s, "nanhu").await;
    let call = |name: &'static str, args: Vec<(&'static str, String)>| {
        let (s, c) = (&s, nanhu.clone());
        async move {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = s.call(&c, name, &args).await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let base = || {
        vec![
            ("year", "2020".to_string()),
            ("county", "nanhu".to_string()),
        ]
    };
    let with = |extra: &[(&'static str, &str)]| {
        let mut v = base();
        v.extend(extra.iter().map(|(k, x)| (*k, x.to_string())));
        v
    };
    let (code, text) = call("electricity_surcharge", with(&[("surcharge", "0.6")])).await;
    assert_eq!(code, 422);
    assert!(text.contains("0.50"), "{text}");
    assert_eq!(
        call("electricity_surcharge", with(&[("surcharge", "abc")]))
            .await
            .0,
        422
    );
    assert_eq!(
        call("electricity_surcharge", with(&[("surcharge", "0.45")]))
            .await
            .0,
        200
    );
    // A unit that applies the measure reads but does not run it.
    let dianli = logged_in(&s, "dianli").await;
    let r = s
        .call(
            &dianli,
            "electricity_surcharge",
            &[("year", "2020"), ("county", "nanhu"), ("surcharge", "0.1")],
        )
        .await;
    assert_eq!(r.status(), 403);
    // Exemptions: D-class enterprises of the county only, with a reason.
    let (_, p) = call("electricity_procedure", base()).await;
    let p: Value = serde_json::from_str(&p).unwrap();
    let first = p["rows"][0]["uscc"].as_str().unwrap().to_string();
    let (code, text) = call(
        "electricity_exempt",
        with(&[("uscc", "91330422000000000L"), ("reason", "x")]),
    )
    .await;
    assert_eq!(code, 422);
    assert!(text.contains("不是"), "{text}");
    // A mistyped code is refused where it enters, saying what is wrong.
    let (code, text) = call(
        "electricity_exempt",
        with(&[("uscc", "91330422000000000X"), ("reason", "x")]),
    )
    .await;
    assert_eq!(code, 422);
    assert!(text.contains("校验位"), "{text}");
    assert_eq!(
        call(
            "electricity_exempt",
            with(&[("uscc", &first), ("reason", "重点应急保障生产企业")])
        )
        .await
        .0,
        200
    );
    // The window: not in the past, not backwards, with an approval.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let day = |d: i64| (today + chrono::Duration::days(d)).to_string();
    let publish = |start: String, end: String, approval: &'static str| {
        with(&[("start", &start), ("end", &end), ("approval", approval)])
    };
    assert_eq!(
        call(
            "electricity_publish",
            publish(day(-1), day(5), "南政发〔2021〕1号")
        )
        .await
        .0,
        422
    );
    assert_eq!(
        call(
            "electricity_publish",
            publish(day(3), day(1), "南政发〔2021〕1号")
        )
        .await
        .0,
        422
    );
    assert_eq!(
        call("electricity_publish", publish(day(0), day(7), " "))
            .await
            .0,
        422
    );
    assert_eq!(
        call(
            "electricity_publish",
            publish(day(0), day(7), "南政发〔2021〕1号")
        )
        .await
        .0,
        200
    );
    // Published: fixed; filing waits for the window's end.
    let (code, text) = call("electricity_surcharge", with(&[("surcharge", "0.2")])).await;
    assert_eq!(code, 422);
    assert!(text.contains("已公示"), "{text}");
    let (code, text) = call("electricity_file", with(&[("filing_no", "备 1 号")])).await;
    assert_eq!(code, 422);
    assert!(text.contains("结束后"), "{text}");
    let public = json(
        s.call(&s.client(), "public_electricity", &[("year", "2020")])
            .await,
    )
    .await;
    let ours = public
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["county"] == "nanhu")
        .expect("published");
    assert_eq!(ours["surcharge"], "0.45");
    assert!(ours["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["uscc"] != first.as_str()));
    // Filed (2019, 南湖区): nothing changes any more.
    let (code, text) = call(
        "electricity_surcharge",
        vec![
            ("year", "2019".into()),
            ("county", "nanhu".into()),
            ("surcharge", "0.1".into()),
        ],
    )
    .await;
    assert_eq!(code, 422);
    assert!(text.contains("已向市里备案"), "{text}");
    // Every step audited, by the official.
    let steps: Vec<String> = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("electricity_procedure"))
        .filter(entity::audit_log::Column::Year.eq(2020))
        .filter(entity::audit_log::Column::Username.eq("nanhu"))
        .order_by_asc(entity::audit_log::Column::Id)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.field)
        .collect();
    assert_eq!(
        steps,
        ["surcharge", "surcharge", "exemption", "publicity"],
        "the demo's draft, then ours"
    );
}
