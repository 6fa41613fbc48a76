//! The ruleset of each year (#22, item 1): drafted field by field with
//! refusals that name the field, audited, adopted (the year regraded under
//! it, other years untouched), frozen once the year's publicity window has
//! opened; the scheme's suggestion beside each benchmark; the public API.

use crate::support;
use crate::support::{collect_2021, json, logged_in, TestServer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

/// The city average of tax per mu in `year`, as the test reads it from the
/// stored records and results: Σ tax / Σ land over graded above-size
/// enterprises with land.
async fn city_tax_per_mu(db: &sea_orm::DatabaseConnection, year: i32) -> f64 {
    let graded: std::collections::HashSet<String> = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Year.eq(year))
        .filter(entity::grade_result::Column::Status.eq("graded"))
        .filter(entity::grade_result::Column::Scale.eq("above"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.uscc)
        .collect();
    let (mut tax, mut land) = (0.0, 0.0);
    for (m, e) in service::store::load_year(db, year).await.unwrap() {
        if !graded.contains(&m.uscc) {
            continue;
        }
        if let (Some(t), Some(l)) = (e.tax_wan, e.land_mu) {
            if l > 0.0 {
                tax += t;
                land += l;
            }
        }
    }
    tax / land
}

async fn classes(db: &sea_orm::DatabaseConnection, year: i32) -> Vec<(String, Option<String>)> {
    let mut v: Vec<_> = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Year.eq(year))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.uscc, r.class))
        .collect();
    v.sort();
    v
}

fn field<'a>(page: &'a Value, key: &str) -> &'a Value {
    page["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("{key} on the form"))
}

async fn ruleset_actions(db: &sea_orm::DatabaseConnection) -> Vec<entity::audit_log::Model> {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.starts_with("ruleset"))
        .all(db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_years_ruleset_is_drafted_adopted_and_frozen() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let n = collect_2021(&s).await;

    // Only the city administrator.
    let anon = s.client();
    assert_eq!(s.call(&anon, "get_rules", &[]).await.status(), 401);
    for user in ["nanhu", "tax", "qiye1"] {
        let c = logged_in(&s, user).await;
        assert_eq!(s.call(&c, "get_rules", &[]).await.status(), 403, "{user}");
        let r = s
            .call(
                &c,
                "save_rules_draft",
                &[("year", "2021"), ("edits[benchmark.tax_per_mu]", "30")],
            )
            .await;
        assert_eq!(r.status(), 403, "{user}");
        assert_eq!(
            s.call(&c, "adopt_rules", &[("year", "2021")])
                .await
                .status(),
            403
        );
    }
    let admin = logged_in(&s, "admin").await;

    // 2020 is published: frozen, and a draft is refused.
    let p = json(s.call(&admin, "get_rules", &[("year", "2020")]).await).await;
    assert!(p["frozen"]["zh"].as_str().unwrap().contains("冻结"), "{p}");
    assert_eq!(field(&p, "benchmark.tax_per_mu")["value"], 46.0);
    let r = s
        .call(
            &admin,
            "save_rules_draft",
            &[("year", "2020"), ("edits[benchmark.tax_per_mu]", "30")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("冻结"));

    // 2021 uses 2020's rules until it has its own; the suggestion is twice
    // the average of the graded years before it (2019 and 2020).
    let p = json(s.call(&admin, "get_rules", &[("year", "2021")]).await).await;
    assert_eq!(p["inherited_from"], 2020);
    assert!(p["frozen"].is_null());
    assert_eq!(p["records"], n as u64);
    assert!(p["draft"].is_null());
    let sug = p["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "benchmark.tax_per_mu")
        .unwrap();
    let (a, b) = (
        city_tax_per_mu(&db, 2019).await,
        city_tax_per_mu(&db, 2020).await,
    );
    let expected = (2.0 * (a + b) / 2.0 * 100.0).round() / 100.0;
    assert_eq!(sug["value"].as_f64().unwrap(), expected, "{sug}");
    assert_eq!(sug["inputs"][0][0], 2019);
    assert!((sug["inputs"][1][1].as_f64().unwrap() - b).abs() < 1e-9);

    // A refusal names the field and its rule; nothing is stored.
    let before = classes(&db, 2021).await;
    for (key, text, says) in [
        ("benchmark.tax_per_mu", "0", "必须大于 0"),
        ("cutoff.above.a", "abc", "不是数字"),
        ("weight.G2.tax_per_mu", "31", "之和应为 100"),
    ] {
        let name = format!("edits[{key}]");
        let out = json(
            s.call(
                &admin,
                "save_rules_draft",
                &[("year", "2021"), (&name, text)],
            )
            .await,
        )
        .await;
        let problems = out["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1, "{out}");
        assert_eq!(problems[0]["key"], key);
        assert!(problems[0]["reason"]["zh"].as_str().unwrap().contains(says));
        assert!(!problems[0]["reason"]["en"].as_str().unwrap().is_empty());
    }
    assert!(entity::ruleset_draft::Entity::find_by_id(2021)
        .one(&db)
        .await
        .unwrap()
        .is_none());

    // A draft: saved and audited, grading nobody yet.
    let out = json(
        s.call(
            &admin,
            "save_rules_draft",
            &[
                ("year", "2021"),
                ("edits[benchmark.tax_per_mu]", "30"),
                ("edits[cutoff.above.a]", "25"),
                ("edits[benchmark.rnd_intensity]", "4"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(out["changed"], 2, "{out}");
    let audit = ruleset_actions(&db).await;
    let tax = audit
        .iter()
        .find(|a| a.field.as_deref() == Some("benchmark.tax_per_mu"))
        .expect("the benchmark's change is audited");
    assert_eq!(
        (tax.old_value.as_deref(), tax.new_value.as_deref()),
        (Some("46"), Some("30"))
    );
    assert_eq!(tax.username, "admin");
    assert_eq!(tax.year, Some(2021));
    let p = json(s.call(&admin, "get_rules", &[("year", "2021")]).await).await;
    assert_eq!(p["draft"]["changes"].as_array().unwrap().len(), 2);
    assert_eq!(field(&p, "benchmark.tax_per_mu")["value"], 30.0);
    assert_eq!(classes(&db, 2021).await, before, "a draft grades nobody");

    // Adopted: the year regraded under it, the stored results those of a
    // full regrade, more enterprises in class A; 2020 untouched.
    let graded_2020 = classes(&db, 2020).await;
    let adopted = json(s.call(&admin, "adopt_rules", &[("year", "2021")]).await).await;
    assert_eq!(adopted, n as u64);
    let rs = service::store::ruleset_for(&db, 2021).await.unwrap();
    assert_eq!((rs.benchmarks[0], rs.cutoffs.above[0]), (30.0, 25));
    assert_eq!(
        service::store::ruleset_for(&db, 2020)
            .await
            .unwrap()
            .benchmarks[0],
        46.0
    );
    support::assert_stored_results_equal_a_full_regrade(&db, 2021).await;
    let count_a = |v: &[(String, Option<String>)]| {
        v.iter().filter(|(_, c)| c.as_deref() == Some("A")).count()
    };
    let after = classes(&db, 2021).await;
    assert!(count_a(&after) > count_a(&before), "wider A cut-off");
    assert_eq!(classes(&db, 2020).await, graded_2020);
    assert!(entity::ruleset_draft::Entity::find_by_id(2021)
        .one(&db)
        .await
        .unwrap()
        .is_none());
    assert!(ruleset_actions(&db)
        .await
        .iter()
        .any(|a| a.action == "ruleset_adopted" && a.year == Some(2021)));

    // The public API: the rules in force, never a draft.
    let r = json(
        s.client()
            .get(s.url("/api/v1/rulesets/2021"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r["ruleset"]["benchmarks"][0], 30.0);
    assert!(r["inherited_from"].is_null());
    assert_eq!(r["frozen"], false);
    let r = json(
        s.client()
            .get(s.url("/api/v1/rulesets/2020"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r["frozen"], true);
    assert_eq!(r["ruleset"]["benchmarks"][0], 46.0);
    let missing = s
        .client()
        .get(s.url("/api/v1/rulesets/1990"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let doc = json(
        s.client()
            .get(s.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(doc["paths"]["/api/v1/rulesets/{year}"].is_object());

    // A new draft, discarded: the rules in force stay.
    json(
        s.call(
            &admin,
            "save_rules_draft",
            &[("year", "2021"), ("edits[benchmark.tax_per_mu]", "35")],
        )
        .await,
    )
    .await;
    let r = json(
        s.client()
            .get(s.url("/api/v1/rulesets/2021"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r["ruleset"]["benchmarks"][0], 30.0, "a draft never shows");
    assert_eq!(
        s.call(&admin, "discard_rules", &[("year", "2021")])
            .await
            .status(),
        200
    );
    let p = json(s.call(&admin, "get_rules", &[("year", "2021")]).await).await;
    assert!(p["draft"].is_null());
    assert_eq!(field(&p, "benchmark.tax_per_mu")["value"], 30.0);

    // The window opens: the year's rules are frozen.
    let start = service::clock::today().to_string();
    let end = (service::clock::today() + chrono::Duration::days(7)).to_string();
    let r = s
        .call(
            &admin,
            "open_disclosure",
            &[
                ("form[year]", "2021"),
                ("form[start]", &start),
                ("form[end]", &end),
                ("form[phone]", "0573-1"),
                ("form[address]", "x"),
                ("form[notice]", "x"),
                ("form[objection]", "x"),
                ("form[override_reason]", "测试：不等待核实上报"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = s
        .call(
            &admin,
            "save_rules_draft",
            &[("year", "2021"), ("edits[benchmark.tax_per_mu]", "35")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let p = json(s.call(&admin, "get_rules", &[("year", "2021")]).await).await;
    assert!(p["frozen"]["en"].as_str().unwrap().contains("frozen"));
}

/// (USCC, class code) of the stored results, as the simulator numbers
/// classes: 0–3 for A–D, 4 for a row not graded.
async fn class_codes(db: &sea_orm::DatabaseConnection, year: i32) -> Vec<(String, u8)> {
    let mut v: Vec<(String, u8)> = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Year.eq(year))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let code = match (r.status.as_str(), r.class.as_deref()) {
                ("graded", Some(c)) => "ABCD".find(c).unwrap() as u8,
                _ => 4,
            };
            (r.uscc, code)
        })
        .collect();
    v.sort();
    v
}

/// #22, item 2: the simulator's grade of the city under a draft (the
/// records as the browser receives them, graded by the engine the browser
/// runs) is what adopting the draft stores; before the year has data, the
/// latest graded year's data stand in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulated_grade_is_what_adoption_stores() {
    let s = TestServer::demo().await;
    let db = s.db().await;
    let admin = logged_in(&s, "admin").await;
    let nanhu = logged_in(&s, "nanhu").await;
    let draft = [
        ("year", "2021"),
        ("edits[benchmark.tax_per_mu]", "30"),
        ("edits[cutoff.above.a]", "25"),
        ("edits[cutoff.below.b]", "55"),
    ];
    json(s.call(&admin, "save_rules_draft", &draft).await).await;

    // 2021 has no records yet: the draft is tried on 2020's.
    let s = &s;
    let simulate = |c: reqwest::Client| async move {
        s.call(&c, "rules_simulation", &[("year", "2021")]).await
    };
    assert_eq!(simulate(nanhu.clone()).await.status(), 403);
    assert_eq!(simulate(s.client()).await.status(), 401);
    let d: service::rulesets::SimulationData =
        serde_json::from_value(json(simulate(admin.clone()).await).await).unwrap();
    assert_eq!((d.year, d.data_year, d.has_draft), (2021, 2020, true));
    assert_eq!(d.draft.benchmarks[0], 30.0);
    let stored_2020: Vec<u8> = {
        let mut by_uscc: std::collections::HashMap<String, u8> =
            class_codes(&db, 2020).await.into_iter().collect();
        d.table
            .enterprises()
            .unwrap()
            .iter()
            .map(|e| by_uscc.remove(&e.uscc).unwrap())
            .collect()
    };
    assert_eq!(d.current, stored_2020, "the classes in force, row by row");

    // With 2021's own records, the grade the simulator makes of them ...
    let n = collect_2021(s).await;
    json(s.call(&admin, "save_rules_draft", &draft).await).await;
    let d: service::rulesets::SimulationData =
        serde_json::from_value(json(simulate(admin.clone()).await).await).unwrap();
    assert_eq!((d.data_year, d.table.rows.len()), (2021, n));
    let rows = d.table.enterprises().unwrap();
    let usccs: Vec<String> = rows.iter().map(|e| e.uscc.clone()).collect();
    let sim = grading::simulate::run(d.draft.clone(), rows, d.previous.as_ref()).unwrap();
    let moved = d
        .current
        .iter()
        .zip(&sim.classes)
        .filter(|(a, b)| a != b)
        .count();
    assert!(moved > 0, "the draft moves someone");
    let m = grading::simulate::matrix(&d.current, &sim.classes, |_| true);
    assert_eq!(m.iter().flatten().sum::<u32>() as usize, n);

    // ... its movers' workbook lists each of them ...
    let r = admin
        .get(s.url("/admin/rules/2021/simulation.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: calamine::Xlsx<_> = calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut wb, "变动企业").unwrap();
    assert_eq!(sheet.rows().count(), moved + 1);
    assert_eq!(
        nanhu
            .get(s.url("/admin/rules/2021/simulation.xlsx"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // Ranked within each county instead (the simulator's other scope),
    // the draft moves others; the workbook follows the scope asked for.
    let mut per_county = d.draft.clone();
    per_county.cohort.scope = grading::ruleset::Scope::County;
    let by_county = grading::simulate::run(
        per_county,
        d.table.enterprises().unwrap(),
        d.previous.as_ref(),
    )
    .unwrap();
    assert_ne!(by_county.classes, sim.classes);
    let moved_in_counties = d
        .current
        .iter()
        .zip(&by_county.classes)
        .filter(|(a, b)| a != b)
        .count();
    let bytes = admin
        .get(s.url("/admin/rules/2021/simulation.xlsx?scope=county"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut wb: calamine::Xlsx<_> = calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut wb, "变动企业").unwrap();
    assert_eq!(sheet.rows().count(), moved_in_counties + 1);

    // ... and adopting the draft stores exactly that grade.
    json(s.call(&admin, "adopt_rules", &[("year", "2021")]).await).await;
    let mut simulated: Vec<(String, u8)> = usccs.into_iter().zip(sim.classes).collect();
    simulated.sort();
    assert_eq!(class_codes(&db, 2021).await, simulated);
}

/// The demo a newcomer starts (`serve --demo-if-empty`, `seed --demo
/// --collecting`) has its year in data collection: 2021's records graded
/// under the rules in force, a draft re-basing the benchmarks to the
/// scheme's suggestion, the first confirmations, nothing published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demos_year_in_collection_has_a_draft_to_simulate() {
    use sea_orm::PaginatorTrait;
    let dir = tempfile::tempdir().unwrap();
    let url = support::fresh_database(dir.path());
    let (above, below) = (support::DEMO.0.to_string(), support::DEMO.1.to_string());
    let out = support::run(
        &url,
        &[
            "seed",
            "--demo",
            "--above",
            &above,
            "--below",
            &below,
            "--collecting",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2021 年度数据采集中"));
    let db = sea_orm::Database::connect(&url).await.unwrap();
    let count = |year: i32| {
        entity::record::Entity::find()
            .filter(entity::record::Column::Year.eq(year))
            .count(&db)
    };
    assert_eq!(count(2021).await.unwrap(), count(2020).await.unwrap());
    assert!(classes(&db, 2021)
        .await
        .iter()
        .any(|(_, c)| c.as_deref() == Some("A")));
    let draft = entity::ruleset_draft::Entity::find_by_id(2021)
        .one(&db)
        .await
        .unwrap()
        .expect("a draft for 2021");
    let rs = grading::Ruleset::from_json(&draft.body).unwrap();
    assert_ne!(rs.benchmarks, grading::Ruleset::builtin_2020().benchmarks);
    let signed = entity::data_signoff::Entity::find()
        .filter(entity::data_signoff::Column::Year.eq(2021))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(signed.len(), 4);
    assert!(entity::disclosure::Entity::find_by_id(2021)
        .one(&db)
        .await
        .unwrap()
        .is_none());
}
