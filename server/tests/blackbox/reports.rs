//! 年度分析报告 (#22, item 4): the report's counts are the published
//! versions' own (counted here from the open-data lists), the public
//! edition names no enterprise, the internal one is the city
//! administrator's, and both download as workbooks.

use crate::support::{json, logged_in, shared};
use serde_json::Value;
use std::collections::HashMap;

async fn list(year: i32) -> Vec<Value> {
    let s = shared();
    let r = s
        .client()
        .get(s.url(&format!("/api/v1/disclosures/{year}")))
        .send()
        .await
        .unwrap();
    json(r).await["rows"].as_array().unwrap().clone()
}

/// 0–3 for A–D, 4 for not graded: as the report counts.
fn class_of(r: &Value) -> usize {
    match (r["status"].as_str(), r["class"].as_str()) {
        (Some("graded"), Some(c)) => "ABCD".find(c).unwrap(),
        _ => 4,
    }
}

async fn report(c: &reqwest::Client, year: &str, internal: &str) -> reqwest::Response {
    shared()
        .call(
            c,
            "annual_report",
            &[("year", year), ("internal", internal)],
        )
        .await
}

fn sheet(bytes: Vec<u8>, name: &str) -> Option<Vec<Vec<String>>> {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range(name).ok()?;
    Some(
        range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_counts_what_was_published() {
    let s = shared();
    let now = list(2020).await;
    let before = list(2019).await;
    let r = json(report(&s.client(), "2020", "false").await).await;
    assert_eq!(r["year"], 2020);
    assert_eq!(r["years"], serde_json::json!([2020, 2019]));

    // The city's and each county's classes, counted from the published list.
    let mut city = [0u64; 5];
    let mut county: HashMap<String, [u64; 5]> = HashMap::new();
    for row in &now {
        let k = class_of(row);
        city[k] += 1;
        county
            .entry(row["county"].as_str().unwrap().into())
            .or_default()[k] += 1;
    }
    let dist = |d: &Value| -> [u64; 5] {
        let c = d["classes"].as_array().unwrap();
        [
            c[0].as_u64().unwrap(),
            c[1].as_u64().unwrap(),
            c[2].as_u64().unwrap(),
            c[3].as_u64().unwrap(),
            d["not_graded"].as_u64().unwrap(),
        ]
    };
    assert_eq!(dist(&r["city"]), city);
    assert!(city[0] > 0 && city[3] > 0, "every class occurs: {city:?}");
    let by_county = r["by_county"].as_array().unwrap();
    assert_eq!(by_county.len(), 9);
    for d in by_county {
        let key = d["key"].as_str().unwrap();
        assert_eq!(
            dist(d),
            county.get(key).copied().unwrap_or_default(),
            "{key}"
        );
    }
    let scale_total: u64 = r["by_scale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| dist(d).iter().sum::<u64>())
        .sum();
    assert_eq!(scale_total, now.len() as u64);

    // Transitions against 2019's published classes, counted independently.
    let was: HashMap<&str, usize> = before
        .iter()
        .map(|b| (b["uscc"].as_str().unwrap(), class_of(b)))
        .collect();
    let (mut up, mut down, mut cells) = (0u64, 0u64, [[0u64; 5]; 5]);
    for row in &now {
        let (k, p) = (
            class_of(row),
            was.get(row["uscc"].as_str().unwrap()).copied().unwrap_or(4),
        );
        cells[p][k] += 1;
        if k < 4 && p < 4 {
            up += u64::from(k < p);
            down += u64::from(k > p);
        }
    }
    let t = &r["transitions"];
    assert_eq!(t["from_year"], 2019);
    assert_eq!(
        (t["up"].as_u64(), t["down"].as_u64()),
        (Some(up), Some(down))
    );
    assert!(up > 0 && down > 0);
    for (p, row) in cells.iter().enumerate() {
        for (k, n) in row.iter().enumerate() {
            assert_eq!(t["cells"][p][k].as_u64(), Some(*n), "{p} → {k}");
        }
    }

    // Growth is the change of the city figure; the goal only where named.
    let ind = r["indicators"].as_array().unwrap();
    assert_eq!(ind.len(), 6);
    let tax = &ind[0];
    assert_eq!(tax["key"], "tax_per_mu");
    let (v, p) = (
        tax["value"].as_f64().unwrap(),
        tax["previous"].as_f64().unwrap(),
    );
    assert!((tax["growth"].as_f64().unwrap() - (v / p - 1.0) * 100.0).abs() < 1e-9);
    assert_eq!(tax["goal"], 7.0);
    assert!(ind[2]["goal"].is_null());

    // The county evaluation is the one the officials' overview shows.
    let admin = logged_in(s, "admin").await;
    let o = json(s.call(&admin, "county_overview", &[("year", "2020")]).await).await;
    let ranks = |v: &Value| -> Vec<(String, u64)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["county"].as_str().unwrap().into(),
                    c["rank"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(ranks(&r["counties"]), ranks(&o["counties"]));
    // The overview's history: each graded year, the counties' ranks in
    // the order of the counties (the last year's are the ones above).
    let h = o["history"].as_array().unwrap();
    let years: Vec<i64> = h.iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(years, vec![2019, 2020]);
    let shown: HashMap<String, u64> = ranks(&o["counties"]).into_iter().collect();
    for (i, d) in by_county.iter().enumerate() {
        let key = d["key"].as_str().unwrap();
        assert_eq!(h[1]["ranks"][i].as_u64(), shown.get(key).copied(), "{key}");
    }
    assert!(h[0]["classes"][0].as_u64().unwrap() > 0);
    let low: u64 = r["counties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["low_above"].as_u64().unwrap())
        .sum();
    assert_eq!(r["low_above"].as_u64(), Some(low));

    // Its text says what the figures say, in both languages.
    let summary = r["summary"].as_array().unwrap();
    assert!(summary[0]["zh"]
        .as_str()
        .unwrap()
        .contains(&format!("A 类 {} 家", city[0])));
    assert!(summary[1]["en"]
        .as_str()
        .unwrap()
        .contains(&format!("{up} moved up")));

    // The public edition names no enterprise.
    assert_eq!(r["fallen"], serde_json::json!([]));
    let text = r.to_string();
    assert!(now
        .iter()
        .take(200)
        .all(|row| !text.contains(row["uscc"].as_str().unwrap())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_internal_edition_is_the_city_administrators() {
    let s = shared();
    assert_eq!(report(&s.client(), "2020", "true").await.status(), 401);
    let nanhu = logged_in(s, "nanhu").await;
    assert_eq!(report(&nanhu, "2020", "true").await.status(), 403);
    let admin = logged_in(s, "admin").await;
    let r = json(report(&admin, "2020", "true").await).await;
    let public = json(report(&s.client(), "2020", "false").await).await;
    assert_eq!(r["transitions"], public["transitions"]);
    let down = r["transitions"]["down"].as_u64().unwrap();
    assert_eq!(r["fallen_total"].as_u64(), Some(down));
    let fallen = r["fallen"].as_array().unwrap();
    assert_eq!(fallen.len() as u64, down.min(300));
    assert!(fallen
        .iter()
        .all(|f| f["after"].as_str().unwrap() > f["before"].as_str().unwrap()));
    assert_eq!(fallen[0]["after"], "D", "class D first");
    assert!(fallen.iter().any(|f| f["tax_per_mu"].is_number()));

    // A year without a publication has no report.
    assert_eq!(report(&s.client(), "2031", "false").await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_downloads_and_its_page_is_light() {
    let s = shared();
    let get = |c: reqwest::Client, path: &'static str| async move {
        c.get(s.url(path)).send().await.unwrap()
    };
    let r = get(s.client(), "/reports/2020/report.xlsx").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("filename*=UTF-8''"));
    let bytes = r.bytes().await.unwrap().to_vec();
    let dist = sheet(bytes.clone(), "等次分布").expect("sheet of classes");
    let public = json(report(&s.client(), "2020", "false").await).await;
    assert_eq!(dist[1][1], "全市");
    assert_eq!(dist[1][2], public["city"]["classes"][0].to_string());
    assert_eq!(
        dist.len(),
        1 + 1 + 9 + 2 + public["by_industry"].as_array().unwrap().len()
    );
    for name in ["报告正文", "等次变动", "六项指标", "县域评价"] {
        assert!(sheet(bytes.clone(), name).is_some(), "{name}");
    }
    assert!(
        sheet(bytes, "等次下降企业").is_none(),
        "no enterprise in public"
    );

    assert_eq!(
        get(s.client(), "/admin/reports/2020/report.xlsx")
            .await
            .status(),
        401
    );
    let admin = logged_in(s, "admin").await;
    let r = get(admin, "/admin/reports/2020/report.xlsx").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("no-store"));
    let fallen = sheet(r.bytes().await.unwrap().to_vec(), "等次下降企业").unwrap();
    assert!(fallen.len() > 1);

    let page = get(s.client(), "/reports/2020").await.text().await.unwrap();
    assert!(page.contains("嘉兴市 2020 年度工业企业绩效综合评价分析报告"));
    assert!(page.contains("data-testid=\"transitions\""));
    assert!(!page.contains("/pkg/muyi.js") && !page.contains(".wasm"));
    let notice = get(s.client(), "/disclosure/2020")
        .await
        .text()
        .await
        .unwrap();
    assert!(notice.contains("href=\"/reports/2020\""));
}
