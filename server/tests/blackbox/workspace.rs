//! Black-box tests of the officials' workspace: scoping rules, department
//! fields, the save transaction with its audit trail, and the live push
//! (across two server processes on PostgreSQL).

use crate::support::*;
use futures::StreamExt;
use sea_orm::{
    ColumnTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officials_see_and_change_only_their_county() {
    let s = TestServer::demo().await;
    let (own, _) = graded_in(&s, "nanhu").await;
    let (other, _) = graded_in(&s, "haining").await;
    let c = logged_in(&s, "nanhu").await;

    let page = json(
        s.call(&c, "list_enterprises", &[("query[county]", "haining")])
            .await,
    )
    .await;
    assert_eq!(page["county_locked"], "nanhu");
    let rows = page["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r["county"] == "nanhu"),
        "the county filter cannot widen an official's scope"
    );

    assert_eq!(
        s.call(&c, "get_enterprise", &[("uscc", &own), ("year", "2020")])
            .await
            .status(),
        200
    );
    // Another county's enterprise is "not found", exactly like one that
    // does not exist: the answer tells nothing of what other counties hold.
    let missing = grading::synth::uscc_for(grading::County::Haining, 999_999);
    let mut bodies = Vec::new();
    for uscc in [&other, &missing] {
        let r = s
            .call(&c, "get_enterprise", &[("uscc", uscc), ("year", "2020")])
            .await;
        assert_eq!(r.status(), 404);
        bodies.push(r.text().await.unwrap());
        let r = save(&s, &c, uscc, &[("tax_wan", "1")]).await;
        assert_eq!(r.status(), 404);
        bodies.push(r.text().await.unwrap());
        assert_eq!(
            s.call(&c, "audit_trail", &[("uscc", uscc), ("year", "2020")])
                .await
                .status(),
            404
        );
    }
    assert_eq!(bodies[0], bodies[2]);
    assert_eq!(bodies[1], bodies[3]);
    // A code is parsed where it enters: typed in lower case it is the same
    // enterprise; with a wrong check character it is refused, saying so.
    let r = s
        .call(
            &c,
            "get_enterprise",
            &[("uscc", &own.to_lowercase()), ("year", "2020")],
        )
        .await;
    assert_eq!(json(r).await["uscc"], own.as_str());
    let last = own.chars().last().unwrap();
    let wrong = format!("{}{}", &own[..17], if last == '0' { '1' } else { '0' });
    let r = save(&s, &c, &wrong, &[("tax_wan", "1")]).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains(&wrong) && body.contains("校验位"), "{body}");
    // Nor move one of theirs out of the county.
    let r = save(&s, &c, &own, &[("county", "haining")]).await;
    assert_eq!(r.status(), 403);

    // The city administrator sees every county.
    let admin = logged_in(&s, "admin").await;
    let page = json(
        s.call(&admin, "list_enterprises", &[("query[county]", "haining")])
            .await,
    )
    .await;
    assert!(page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["county"] == "haining"));
    assert_eq!(
        s.call(
            &admin,
            "get_enterprise",
            &[("uscc", &other), ("year", "2020")]
        )
        .await
        .status(),
        200
    );
}

/// All pages of a list query, concatenated.
async fn all_pages(s: &TestServer, c: &reqwest::Client, q: &[(&str, &str)]) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = page.to_string();
        let mut args = q.to_vec();
        args.push(("query[page]", &p));
        let v = json(s.call(c, "list_enterprises", &args).await).await;
        out.extend(v["rows"].as_array().unwrap().iter().cloned());
        if page >= v["pages"].as_u64().unwrap() {
            assert_eq!(out.len() as u64, v["total"].as_u64().unwrap());
            return out;
        }
    }
    unreachable!()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_searches_filters_and_sorts_like_the_stored_results() {
    let s = shared();
    let admin = logged_in(s, "admin").await;
    let db = Database::connect(&s.database).await.unwrap();
    let stored = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Year.eq(2020))
        .all(&db)
        .await
        .unwrap();
    // A name fragment finds exactly the enterprises whose name holds it…
    let fragment: String = stored[7].name.chars().skip(2).take(2).collect();
    let rows = all_pages(s, &admin, &[("query[q]", &fragment)]).await;
    let want = stored.iter().filter(|m| m.name.contains(&fragment)).count();
    assert!(want > 0);
    assert_eq!(rows.len(), want, "search {fragment}");
    // …and a USCC fragment, typed in lower case, the USCCs holding it.
    let tail = stored[3].uscc[10..16].to_lowercase();
    let rows = all_pages(s, &admin, &[("query[q]", &tail)]).await;
    assert!(rows.iter().any(|r| r["uscc"] == stored[3].uscc.as_str()));
    assert!(rows.iter().all(
        |r| r["uscc"].as_str().unwrap().contains(&tail.to_uppercase())
            || r["name"].as_str().unwrap().to_lowercase().contains(&tail)
    ));
    // Filters combine; scores come sorted, the ungraded last either way.
    let q = [
        ("query[county]", "xiuzhou"),
        ("query[scale]", "above"),
        ("query[sort]", "score_asc"),
    ];
    let rows = all_pages(s, &admin, &q).await;
    let want = stored
        .iter()
        .filter(|m| m.county == "xiuzhou" && m.scale == "above")
        .count();
    assert_eq!(rows.len(), want);
    let scores: Vec<Option<f64>> = rows.iter().map(|r| r["score"].as_f64()).collect();
    let graded = scores.iter().take_while(|x| x.is_some()).count();
    assert!(
        scores[graded..].iter().all(Option::is_none),
        "ungraded last"
    );
    assert!(
        scores[..graded].windows(2).all(|w| w[0] <= w[1]),
        "ascending"
    );
    let class_d = all_pages(
        s,
        &admin,
        &[("query[class]", "D"), ("query[county]", "haiyan")],
    )
    .await;
    let want = stored
        .iter()
        .filter(|m| m.class.as_deref() == Some("D") && m.county == "haiyan")
        .count();
    assert_eq!(class_d.len(), want);
    for r in &class_d {
        let m = stored
            .iter()
            .find(|m| m.uscc == r["uscc"].as_str().unwrap())
            .unwrap();
        assert_eq!(r["rank"].as_i64().map(|x| x as i32), m.rank);
        assert_eq!(r["score"].as_f64(), m.score);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprises_and_strangers_cannot_reach_the_workspace() {
    let s = shared();
    let (uscc, _) = graded_in(s, "nanhu").await;
    let anon = s.client();
    assert_eq!(s.call(&anon, "list_enterprises", &[]).await.status(), 401);
    let ent = logged_in(s, "qiye1").await;
    assert_eq!(s.call(&ent, "list_enterprises", &[]).await.status(), 403);
    assert_eq!(
        s.call(&ent, "get_enterprise", &[("uscc", &uscc), ("year", "2020")])
            .await
            .status(),
        403
    );
    assert_eq!(
        save(s, &ent, &uscc, &[("tax_wan", "1")]).await.status(),
        403
    );
    let r = ent.get(s.url("/api/events")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = anon.get(s.url("/api/events")).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn departments_write_only_their_own_fields_and_every_save_is_audited() {
    let s = TestServer::demo().await;
    let (uscc, _) = graded_in(&s, "xiuzhou").await;
    let tax = logged_in(&s, "tax").await;
    let r = save(&s, &tax, &uscc, &[("land_mu", "12")]).await;
    assert_eq!(r.status(), 403, "the tax bureau cannot change land");
    let r = save(&s, &tax, &uscc, &[("tax_wan", "abc")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不是数字"));

    let out = json(save(&s, &tax, &uscc, &[("tax_wan", "4321.50")]).await).await;
    assert_eq!(out["changed_fields"], serde_json::json!(["tax_wan"]));
    let detail = json(
        s.call(&tax, "get_enterprise", &[("uscc", &uscc), ("year", "2020")])
            .await,
    )
    .await;
    assert_eq!(
        detail["fields"]["tax_wan"], "4321.50",
        "kept exactly as typed"
    );
    assert_eq!(detail["sources"]["tax_wan"]["department"], "tax");
    assert_eq!(detail["editable"], serde_json::json!(["tax_wan"]));
    let land: f64 = detail["fields"]["land_mu"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        detail["result"]["tax_per_mu"].as_f64().unwrap(),
        4321.5 / land,
        "regraded with the new figure"
    );

    let trail = json(
        s.call(&tax, "audit_trail", &[("uscc", &uscc), ("year", "2020")])
            .await,
    )
    .await;
    let a = &trail.as_array().unwrap()[0];
    assert_eq!(
        (
            a["username"].as_str(),
            a["field"].as_str(),
            a["new_value"].as_str()
        ),
        (Some("tax"), Some("tax_wan"), Some("4321.50"))
    );
    assert_eq!(a["department"], "tax");
    assert!(a["old_value"].is_string());

    // The stored grade matches a full regrade of the year (incremental = full).
    let db = Database::connect(&s.database).await.unwrap();
    let stored = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Uscc.eq(uscc.clone()))
        .filter(entity::grade_result::Column::Year.eq(2020))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.score, detail["result"]["score"].as_f64());
    assert_eq!(audit_entries(&db).await.len(), 1);
}

/// Reads SSE `grades` events until one names `uscc`, or gives up.
async fn wait_for_event(resp: reqwest::Response, uscc: &str) -> Value {
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("an event in time")
            .expect("stream open")
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) {
                let v: Value = serde_json::from_str(data.trim()).unwrap();
                if v["changes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["uscc"] == uscc)
                {
                    return v;
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_is_pushed_to_other_screens() {
    let s = TestServer::demo().await;
    let (uscc, _) = graded_in(&s, "jiashan").await;
    let watcher = logged_in(&s, "jiashan").await;
    let events = watcher.get(s.url("/api/events")).send().await.unwrap();
    assert_eq!(events.status(), 200);
    // A list page names the rows it shows and hears only of those.
    let narrow = watcher
        .get(s.url(&format!("/api/events?watch={uscc}")))
        .send()
        .await
        .unwrap();
    let editor = logged_in(&s, "admin").await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let out = json(save(&s, &editor, &uscc, &[("tax_wan", "99999")]).await).await;
    assert_eq!(out["changed_fields"], serde_json::json!(["tax_wan"]));
    let ev = wait_for_event(events, &uscc).await;
    assert_eq!(ev["year"], 2020);
    let change = ev["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["uscc"] == uscc)
        .unwrap();
    assert_eq!(change["score"], out["result"]["score"]);
    assert!(
        ev["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["county"] == "jiashan"),
        "a county official hears only of their county"
    );
    assert!(
        ev["saved"].is_null(),
        "who saved is told only to a screen open on that record"
    );
    let ev = wait_for_event(narrow, &uscc).await;
    assert_eq!(ev["changes"].as_array().unwrap().len(), 1);
    // The record's open page hears who saved it, when, and its new version.
    assert_eq!(ev["saved"]["uscc"], uscc.as_str());
    assert_eq!(ev["saved"]["version"], out["version"]);
    let by = ev["saved"]["by"].as_str().unwrap();
    assert!(
        !by.is_empty() && by != "admin",
        "the account's display name: {by}"
    );
    let at = ev["saved"]["at"].as_str().unwrap();
    let beijing = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    assert!(at.starts_with(&beijing) && at.len() == 16, "{at}");
    assert!(ev["ranks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r[0] == uscc.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_postgres_the_push_reaches_other_server_processes() {
    if std::env::var("MUYI_TEST_PG").map_or(true, |v| v.is_empty()) {
        eprintln!("skipped: needs MUYI_TEST_PG (scripts/test.sh sets it)");
        return;
    }
    let a = TestServer::demo().await;
    let b = TestServer::process(&a);
    let (uscc, _) = graded_in(&a, "pinghu").await;
    let watcher = logged_in(&b, "pinghu").await;
    // Build B's graded state first, as an open enterprise page would.
    assert_eq!(
        b.call(
            &watcher,
            "get_enterprise",
            &[("uscc", &uscc), ("year", "2020")]
        )
        .await
        .status(),
        200
    );
    let events = watcher
        .get(b.url(&format!("/api/events?watch={uscc}")))
        .send()
        .await
        .unwrap();
    let editor = logged_in(&a, "admin").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let out = json(save(&a, &editor, &uscc, &[("tax_wan", "88888")]).await).await;
    let ev = wait_for_event(events, &uscc).await;
    assert_eq!(
        ev["saved"]["version"], out["version"],
        "a page open on process B hears of the save on A"
    );
    let change = ev["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["uscc"] == uscc)
        .unwrap();
    assert_eq!(
        change["score"], out["result"]["score"],
        "process B regraded to the same score"
    );
}

/// Two server processes on one PostgreSQL database take saves of the same
/// cohort at once (each near the top, so each re-ranks the cohort): the
/// year's lock serialises them, no older rank rewrite lands over a newer
/// one, and afterwards the stored results equal a full regrade and both
/// processes show what is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_postgres_overlapping_saves_in_two_processes_end_as_a_full_regrade() {
    if !postgres() {
        eprintln!("skipped: needs MUYI_TEST_PG (scripts/test.sh sets it)");
        return;
    }
    let a = TestServer::demo().await;
    let b = TestServer::process(&a);
    let admin_a = logged_in(&a, "admin").await;
    let admin_b = logged_in(&b, "admin").await;
    let top: Vec<String> = best_above(&a, &admin_a).await[..10].to_vec();
    // Both processes hold the year in memory before the race.
    for (s, c) in [(&a, &admin_a), (&b, &admin_b)] {
        let r = s
            .call(c, "get_enterprise", &[("uscc", &top[0]), ("year", "2020")])
            .await;
        assert_eq!(r.status(), 200);
    }
    let mut tasks = Vec::new();
    for k in 0..30usize {
        let (s, c) = if k % 2 == 0 {
            (&a, &admin_a)
        } else {
            (&b, &admin_b)
        };
        let (base, client, database) = (s.base.clone(), c.clone(), a.database.clone());
        let uscc = top[k % top.len()].clone();
        tasks.push(tokio::spawn(async move {
            let s = TestServer::remote(base, database);
            let tax = if k % 3 == 0 {
                "0"
            } else {
                &format!("{}", 50_000 + k * 997)
            };
            for _ in 0..20 {
                let r = save(&s, &client, &uscc, &[("tax_wan", tax)]).await;
                match r.status().as_u16() {
                    200 => return,
                    // Someone else saved this record first: read it again.
                    409 => continue,
                    other => panic!("{other}: {}", r.text().await.unwrap()),
                }
            }
            panic!("{uscc} never saved");
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let db = Database::connect(&a.database).await.unwrap();
    let stored = assert_stored_results_equal_a_full_regrade(&db, 2020).await;
    let stale = entity::grade_year::Entity::find()
        .filter(entity::grade_year::Column::RanksStale.eq(true))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(stale, 0);
    for (s, c) in [(&a, &admin_a), (&b, &admin_b)] {
        for u in &top {
            let d = json(
                s.call(c, "get_enterprise", &[("uscc", u), ("year", "2020")])
                    .await,
            )
            .await;
            assert_eq!(
                d["result"]["score"].as_f64(),
                stored[u].score,
                "{} {u}",
                s.base
            );
            assert_eq!(
                d["result"]["rank"].as_i64().map(|x| x as i32),
                stored[u].rank,
                "{} {u}",
                s.base
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_re_import_unchanged_and_are_scoped() {
    let s = TestServer::demo().await;
    let anon = s.client();
    assert_eq!(
        anon.get(s.url("/export/2020-records.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let ent = logged_in(&s, "qiye1").await;
    assert_eq!(
        ent.get(s.url("/export/2020.xlsx"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    let official = logged_in(&s, "haiyan").await;
    let csv = official
        .get(s.url("/export/2020-records.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let county_col = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "county")
        .unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| &r[county_col] == "haiyan"),
        "an official exports only their county"
    );

    let admin = logged_in(&s, "admin").await;
    let dir = tempfile::tempdir().unwrap();
    for (file, name) in [("2020-records.csv", "all.csv"), ("2020.xlsx", "all.xlsx")] {
        let r = admin
            .get(s.url(&format!("/export/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{file}");
        let path = dir.path().join(name);
        std::fs::write(&path, r.bytes().await.unwrap()).unwrap();
        let out = run(
            &s.database,
            &["import", path.to_str().unwrap(), "--as-system", "test"],
        );
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains("新增 0 条，更新 0 条"),
            "{file} re-imports unchanged: {said}"
        );
    }
    let results = admin
        .get(s.url("/export/2020-results.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(results.contains("uscc,name,status,cohort,score"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn county_overview_counts_cutoffs_and_warnings_in_scope() {
    let s = TestServer::demo().await;
    let official = logged_in(&s, "tongxiang").await;
    let o = json(
        s.call(&official, "county_overview", &[("county", "nanhu")])
            .await,
    )
    .await;
    assert_eq!(o["county_locked"], "tongxiang");
    assert_eq!(
        o["county"], "tongxiang",
        "an official cannot look at another county"
    );
    let db = Database::connect(&s.database).await.unwrap();
    let in_county = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::County.eq("tongxiang"))
        .filter(entity::grade_result::Column::Year.eq(2020))
        .count(&db)
        .await
        .unwrap();
    let counted: u64 = ["graded", "exempt", "merged", "excluded"]
        .iter()
        .map(|k| o[*k].as_u64().unwrap())
        .sum();
    assert_eq!(counted, in_county);
    let per_class: u64 = o["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["classes"].as_array().unwrap().iter())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(
        per_class,
        o["graded"].as_u64().unwrap(),
        "every graded enterprise is in one cohort bar"
    );
    assert!(o["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["cutoffs"][0].is_f64()));
    assert_eq!(
        o["counties"].as_array().unwrap().len(),
        9,
        "the county evaluation ranks all nine"
    );

    // Clearing an enterprise's employees makes it a warning to chase.
    let before = o["warnings_total"].as_u64().unwrap();
    let (uscc, _) = graded_in(&s, "tongxiang").await;
    let out = save(&s, &official, &uscc, &[("employees", "")]).await;
    assert_eq!(out.status(), 200);
    let o = json(s.call(&official, "county_overview", &[]).await).await;
    assert_eq!(o["warnings_total"].as_u64().unwrap(), before + 1);
    let row = o["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["uscc"] == uscc.as_str())
        .expect("listed");
    assert!(
        row["warnings"].to_string().contains("缺少年平均职工人数"),
        "{row}"
    );
}

/// The 2020 record's fields as the workspace shows them.
async fn record_fields(s: &TestServer, c: &reqwest::Client, uscc: &str) -> Value {
    let url = [("uscc", uscc), ("year", "2020")];
    json(s.call(c, "get_enterprise", &url).await).await["fields"].clone()
}

/// Polls an import's progress until it has finished; returns the last status.
/// Commits a previewed import and follows it to the end: its last status.
async fn commit_and_follow(s: &TestServer, c: &reqwest::Client, id: &str) -> Value {
    assert_eq!(
        s.call(c, "commit_import", &[("id", id)]).await.status(),
        200
    );
    import_finished(s, c, id).await
}

/// The stored record of an enterprise in 2020.
async fn stored_record(db: &DatabaseConnection, uscc: &str) -> entity::record::Model {
    entity::record::Entity::find()
        .filter(entity::record::Column::Uscc.eq(uscc))
        .filter(entity::record::Column::Year.eq(2020))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn import_finished(s: &TestServer, c: &reqwest::Client, id: &str) -> Value {
    for _ in 0..100 {
        let status = json(s.call(c, "import_status", &[("id", id)]).await).await;
        if status["finished"] == true {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import {id} did not finish in 5 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_previews_errors_and_class_changes_then_commits_with_progress() {
    let s = TestServer::demo().await;
    let (uscc, name) = graded_in(&s, "haining").await;
    let (other, other_name) = graded_in(&s, "nanhu").await;
    let db = Database::connect(&s.database).await.unwrap();
    let rec = stored_record(&db, &uscc).await;
    let header = "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）";
    let official = logged_in(&s, "haining").await;

    // Another county's row and a bad number: every error listed, nothing stored.
    let bad = format!("{header}\n{uscc},{name},haining,{},above,2020,12abc\n{other},{other_name},nanhu,other,above,2020,5\n", rec.industry);
    let p = upload(&s, &official, "bad.csv", bad).await;
    assert!(p["id"].is_null());
    assert_eq!(p["error_count"], 2);
    let errs = p["errors"].to_string();
    assert!(
        errs.contains("tax_wan") && errs.contains("只能导入本县"),
        "{errs}"
    );

    // A department cannot bring another department's columns.
    let tax = logged_in(&s, "tax").await;
    let p = upload(
        &s,
        &tax,
        "land.csv",
        format!(
            "{header},用地面积（亩）\n{uscc},{name},haining,{},above,2020,5,1\n",
            rec.industry
        ),
    )
    .await;
    assert!(p["errors"].to_string().contains("land_mu"), "{p}");

    // Valid: a previewed class change, then the commit with progress.
    let good = format!(
        "{header}\n{uscc},{name},haining,{},above,2020,0\n",
        rec.industry
    );
    let p = upload(&s, &official, "tax.csv", good).await;
    let id = p["id"].as_str().expect("valid file gets an id").to_string();
    assert_eq!(p["rows"], 1);
    assert!(
        audit_entries(&db).await.is_empty(),
        "preview writes nothing"
    );
    // Someone else cannot commit it.
    let admin = logged_in(&s, "admin").await;
    assert_eq!(
        s.call(&admin, "commit_import", &[("id", &id)])
            .await
            .status(),
        404
    );
    let status = commit_and_follow(&s, &official, &id).await;
    assert!(status["error"].is_null(), "{status}");
    assert_eq!(
        (
            status["updated"].as_u64(),
            status["changed_fields"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let audit = audit_entries(&db).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].source, "upload:tax.csv");
    assert_eq!(audit[0].username, "haining");
    assert_eq!(
        s.call(&official, "commit_import", &[("id", &id)])
            .await
            .status(),
        422,
        "an import commits once"
    );
    // The workspace sees the new figure at once.
    let fields = record_fields(&s, &official, &uscc).await;
    assert_eq!(fields["tax_wan"], "0");
    // The commit wrote the grades worked out at the preview: they equal a
    // full regrade of the stored records.
    assert_stored_results_equal_a_full_regrade(&db, 2020).await;

    // A preview whose year moved (another record saved) still lands, and
    // the year is graded afresh.
    let (neighbour, _) = best_above(&s, &official)
        .await
        .into_iter()
        .find(|u| *u != uscc)
        .map(|u| (u, ()))
        .unwrap();
    let p = upload(
        &s,
        &official,
        "moved.csv",
        format!(
            "{header}\n{uscc},{name},haining,{},above,2020,1\n",
            rec.industry
        ),
    )
    .await;
    let id = p["id"].as_str().expect("valid file gets an id").to_string();
    assert_eq!(
        save(&s, &official, &neighbour, &[("employees", "77")])
            .await
            .status(),
        200
    );
    let status = commit_and_follow(&s, &official, &id).await;
    assert!(status["error"].is_null(), "{status}");
    assert_eq!(record_fields(&s, &official, &uscc).await["tax_wan"], "1");
    assert_stored_results_equal_a_full_regrade(&db, 2020).await;

    // A preview whose own record changes before the commit is refused
    // whole: its plan would write over the newer figures.
    let stale = format!(
        "{header}\n{uscc},{name},haining,{},above,2020,7\n",
        rec.industry
    );
    let p = upload(&s, &official, "stale.csv", stale).await;
    let id = p["id"].as_str().expect("valid file gets an id").to_string();
    let saved = save(&s, &official, &uscc, &[("employees", "321")]).await;
    assert_eq!(saved.status(), 200);
    let audits = audit_entries(&db).await.len();
    let status = commit_and_follow(&s, &official, &id).await;
    assert!(
        status["error"]["zh"]
            .as_str()
            .is_some_and(|e| e.contains("预览之后已被修改"))
            && status["error"]["en"]
                .as_str()
                .is_some_and(|e| e.contains("changed after the preview")),
        "{status}"
    );
    assert_eq!(
        audit_entries(&db).await.len(),
        audits,
        "nothing of the refused import is written"
    );
    let fields = record_fields(&s, &official, &uscc).await;
    assert_eq!(fields["tax_wan"], "1");
    assert_eq!(fields["employees"], "321");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_results_equal_a_full_regrade_after_saves_that_re_rank() {
    let s = TestServer::demo().await;
    let admin = logged_in(&s, "admin").await;
    let best = best_above(&s, &admin).await;
    let (top, other) = (best[0].clone(), best[1].clone());
    let events = admin.get(s.url("/api/events")).send().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // The best enterprise falls to the bottom (every member below it moves up)…
    let r = save(
        &s,
        &admin,
        &top,
        &[("tax_wan", "0"), ("value_added_wan", "0")],
    )
    .await;
    assert_eq!(r.status(), 200);
    // The members that only moved up come as compact rank moves.
    let ev = wait_for_event(events, &top).await;
    let moves = ev["ranks"].as_array().unwrap();
    assert!(moves.len() > 10, "the cohort below the top moved up");
    let moved = moves[0].as_array().unwrap();
    let moved_uscc = moved[0].as_str().unwrap().to_string();
    let moved_rank = moved[2].as_i64().unwrap();
    // …and another leaves its cohort (every member's cohort size changes).
    let r = save(&s, &admin, &other, &[("industry", "furniture")]).await;
    assert_eq!(r.status(), 200);

    // …and one whose labour productivity is capped loses half its staff: the
    // points stay at the cap (so does the score), but the indicator's value
    // moves, and the stored breakdown must follow it.
    let db = Database::connect(&s.database).await.unwrap();
    let capped = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Year.eq(2020))
        .filter(entity::grade_result::Column::Status.eq("graded"))
        .filter(entity::grade_result::Column::Scale.eq("above"))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| {
            let r: grading::GradeResult = serde_json::from_str(&m.detail).unwrap();
            r.indicators
                .iter()
                .any(|i| i.indicator == grading::Indicator::LabourProductivity && i.points == i.cap)
        })
        .expect("a capped labour productivity in the demo");
    let record = stored_record(&db, &capped.uscc).await;
    let fields: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&record.fields).unwrap();
    let staff: f64 = fields["employees"].parse().unwrap();
    let half = (staff / 2.0).max(1.0).to_string();
    let r = save(&s, &admin, &capped.uscc, &[("employees", &half)]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["result"]["score"].as_f64(), capped.score);

    let stored = assert_stored_results_equal_a_full_regrade(&db, 2020).await;
    let m = &stored[&moved_uscc];
    let same_cohort_as_other = m.cohort == stored[&other].cohort;
    if !same_cohort_as_other {
        assert_eq!(m.rank, Some(moved_rank as i32), "pushed rank = stored rank");
    }
    // Both transactions of each save landed: no year is marked stale.
    let stale = entity::grade_year::Entity::find()
        .filter(entity::grade_year::Column::RanksStale.eq(true))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(stale, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_finds_ranks_left_stale_rewrites_them() {
    use sea_orm::{sea_query::Expr, ActiveValue::Set};
    let s = TestServer::demo().await;
    let db = Database::connect(&s.database).await.unwrap();
    // A save that stopped between its two transactions: ranks wrong, year marked.
    entity::grade_result::Entity::update_many()
        .col_expr(entity::grade_result::Column::Rank, Expr::value(9999))
        .filter(entity::grade_result::Column::Year.eq(2020))
        .exec(&db)
        .await
        .unwrap();
    entity::grade_year::Entity::insert(entity::grade_year::ActiveModel {
        year: Set(2020),
        ranks_stale: Set(true),
        ..Default::default()
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(entity::grade_year::Column::Year)
            .update_column(entity::grade_year::Column::RanksStale)
            .to_owned(),
    )
    .exec(&db)
    .await
    .unwrap();
    let _restarted = TestServer::attach(&s).await;
    let wrong = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Year.eq(2020))
        .filter(entity::grade_result::Column::Rank.eq(9999))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(wrong, 0, "the start rewrote the year's results");
    let mark = entity::grade_year::Entity::find_by_id(2020)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(!mark.ranks_stale);
}

/// An import that commits while a save's rank rewrite is still pending
/// (another process's, in between its two transactions) rewrites only the
/// results it moved, and brings every stored rank to the year as graded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_landing_while_ranks_are_pending_brings_every_rank_to_the_year() {
    use sea_orm::sea_query::Expr;
    let s = TestServer::demo().await;
    let db = Database::connect(&s.database).await.unwrap();
    let official = logged_in(&s, "haining").await;
    // The year in this process's cache, as a list reads it.
    let listed = s
        .call(&official, "list_enterprises", &[("query[year]", "2020")])
        .await;
    assert_eq!(listed.status(), 200);
    let (uscc, name) = graded_in(&s, "haining").await;
    let rec = stored_record(&db, &uscc).await;
    let p = upload(
        &s,
        &official,
        "tax.csv",
        format!(
            "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n{uscc},{name},haining,{},above,2020,3\n",
            rec.industry
        ),
    )
    .await;
    let id = p["id"].as_str().expect("valid file gets an id").to_string();
    // Ranks a save has yet to rewrite: wrong in the store, the year marked.
    entity::grade_result::Entity::update_many()
        .col_expr(entity::grade_result::Column::Rank, Expr::value(9999))
        .filter(entity::grade_result::Column::Year.eq(2020))
        .filter(entity::grade_result::Column::County.eq("nanhu"))
        .exec(&db)
        .await
        .unwrap();
    entity::grade_year::Entity::update_many()
        .col_expr(entity::grade_year::Column::RanksStale, Expr::value(true))
        .filter(entity::grade_year::Column::Year.eq(2020))
        .exec(&db)
        .await
        .unwrap();
    let status = commit_and_follow(&s, &official, &id).await;
    assert!(status["error"].is_null(), "{status}");
    assert_eq!(record_fields(&s, &official, &uscc).await["tax_wan"], "3");
    assert_stored_results_equal_a_full_regrade(&db, 2020).await;
    let mark = entity::grade_year::Entity::find_by_id(2020)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !mark.ranks_stale,
        "every rank rewritten: the mark is cleared"
    );
}

/// Year on year (#22, item 5): the list keeps the enterprises whose class
/// moved since the year before (exactly those the stored results say),
/// showing the class of then; a record shows every year's class, score
/// and indicator figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn classes_that_moved_are_listed_and_a_record_shows_every_year() {
    let s = shared();
    let db = s.db().await;
    let classes = |year: i32| {
        let db = db.clone();
        async move {
            entity::grade_result::Entity::find()
                .filter(entity::grade_result::Column::Year.eq(year))
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .filter_map(|r| Some((r.uscc, r.class?)))
                .collect::<std::collections::HashMap<String, String>>()
        }
    };
    let (before, now) = (classes(2019).await, classes(2020).await);
    let expect = |pick: fn(&str, &str) -> bool| {
        now.iter()
            .filter(|(u, c)| before.get(*u).is_some_and(|b| pick(c, b)))
            .count() as u64
    };
    let c = logged_in(s, "admin").await;
    let mut totals = Vec::new();
    for (how, pick) in [
        ("up", (|c: &str, b: &str| c < b) as fn(&str, &str) -> bool),
        ("down", |c, b| c > b),
        ("any", |c, b| c != b),
    ] {
        let page = json(
            s.call(
                &c,
                "list_enterprises",
                &[("query[year]", "2020"), ("query[moved]", how)],
            )
            .await,
        )
        .await;
        assert_eq!(page["total"], expect(pick), "{how}");
        for r in page["rows"].as_array().unwrap() {
            let (c, b) = (
                r["class"].as_str().unwrap(),
                r["previous_class"].as_str().unwrap(),
            );
            assert!(pick(c, b), "{how}: {c} from {b}");
        }
        totals.push(expect(pick));
    }
    assert!(
        totals[0] > 0 && totals[1] > 0,
        "the demo moves classes both ways"
    );
    assert_eq!(totals[0] + totals[1], totals[2]);

    // A record's years: both graded years, with its figures.
    let (uscc, _) = graded_in(s, "nanhu").await;
    let d = json(
        s.call(
            &c,
            "get_enterprise",
            &[("uscc", uscc.as_str()), ("year", "2020")],
        )
        .await,
    )
    .await;
    let h = d["history"].as_array().unwrap();
    assert_eq!(
        h.iter()
            .map(|r| r["year"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![2019, 2020]
    );
    let m = record_2020(s, &uscc).await.unwrap();
    let e = service::store::enterprise_of(&m).unwrap();
    let tax_per_mu = e.tax_wan.unwrap() / e.land_mu.unwrap();
    assert!((h[1]["values"][0].as_f64().unwrap() - tax_per_mu).abs() < 1e-9);
    assert_eq!(h[1]["class"].as_str(), now.get(&uscc).map(String::as_str));

    // The enterprise's portal shows the same years with their figures.
    let qiye = logged_in(s, "qiye1").await;
    let p = json(s.call(&qiye, "get_portal", &[("year", "2020")]).await).await;
    let h = p["history"].as_array().unwrap();
    assert_eq!(h.len(), 2, "{h:?}");
    assert!(h
        .iter()
        .all(|r| r["values"][0].is_number() || r["tax_per_mu"].is_number()));
}

/// Behind a load balancer a user's requests reach any process: an import
/// previewed through one commits through another and is followed through
/// either; it commits once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_postgres_an_import_previewed_on_one_process_commits_on_another() {
    if !postgres() {
        eprintln!("skipped: needs MUYI_TEST_PG (scripts/test.sh sets it)");
        return;
    }
    let a = TestServer::demo().await;
    let b = TestServer::process(&a);
    let (uscc, name) = graded_in(&a, "haining").await;
    let rec = record_2020(&a, &uscc).await.unwrap();
    // One cookie jar: the session is the database's, valid on both.
    let official = logged_in(&a, "haining").await;
    let file = format!(
        "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n{uscc},{name},haining,{},above,2020,0.25\n",
        rec.industry
    );
    let p = upload(&a, &official, "tax.csv", file).await;
    let id = p["id"].as_str().expect("valid file gets an id").to_string();
    let r = b.call(&official, "commit_import", &[("id", &id)]).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let status = import_finished(&a, &official, &id).await;
    assert!(status["error"].is_null(), "{status}");
    assert_eq!(status["updated"], 1);
    assert_eq!(import_finished(&b, &official, &id).await, status);
    let again = a.call(&official, "commit_import", &[("id", &id)]).await;
    assert_ne!(again.status(), 200);
    assert!(again.text().await.unwrap().contains("已提交"));
    for s in [&a, &b] {
        assert_eq!(
            record_fields(s, &official, &uscc).await["tax_wan"],
            "0.25",
            "{}",
            s.base
        );
    }
    // Another user cannot follow it on either.
    let other = logged_in(&b, "nanhu").await;
    let r = b.call(&other, "import_status", &[("id", &id)]).await;
    assert_eq!(r.status(), 404);
}
