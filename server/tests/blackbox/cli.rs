//! Black-box tests of the command line: `grade` on CSV and .xlsx (English
//! and Chinese headers), bad input, and `import` into the database.

use crate::support::*;
use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};

const HEADER: &str = "uscc,name,county,industry,scale,year,land_mu,tax_wan,revenue_wan,value_added_wan,rnd_wan,energy_tce,emission_t,no_emission,employees,talent,high_tech_recent,quality_exposure";

fn uscc(n: u64) -> String {
    grading::synth::uscc_for(grading::County::Nanhu, n)
}

/// The spec's worked examples E1–E3, plus one low-tax enterprise per scale
/// so each example's tax per mu is above its city average.
fn examples_csv() -> String {
    let rows = [
        format!("{},E1,nanhu,other,above,2020,50,1500,30000,6000,900,2000,10,false,150,provincial,true,false", uscc(1)),
        format!("{},E2,nanhu,dyeing,above,2020,20,2000,20000,3000,0,5000,,true,60,none,false,true", uscc(2)),
        format!("{},E3,nanhu,other,below,2020,8,60,600,,,,,false,,,,", uscc(3)),
        format!("{},F1,nanhu,other,above,2020,100,10,1000,100,1,100,1,false,10,,,", uscc(4)),
        format!("{},F2,nanhu,other,below,2020,10,5,50,,,,,,,,,", uscc(5)),
    ];
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

fn grade(
    input: &std::path::Path,
    output: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "grade",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    std::process::Command::new(BIN)
        .args(&args)
        .output()
        .unwrap()
}

fn result_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        vec![
            "uscc",
            "status",
            "cohort",
            "score",
            "rank",
            "cohort_size",
            "base_class",
            "class",
            "reasons"
        ]
    );
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn grade_csv_reproduces_the_worked_examples() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, examples_csv()).unwrap();
    let out = dir.path().join("out.csv");
    let o = grade(&input, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = result_rows(&out);
    assert_eq!(rows.len(), 5, "one result row per input row, same order");
    assert_eq!(rows[0][0], uscc(1));
    assert_eq!(rows[0][3], "77.5230");
    assert_eq!(rows[1][3], "85.8955");
    assert_eq!(rows[2][3], "8.5000");
    assert_eq!(rows[0][2], "above:other");
    assert_eq!(rows[1][2], "above:dyeing");
    assert_eq!(rows[2][2], "below");
    // E2 alone in its cohort: n = 1, rank 1 → 100 > 95 → base D; tax per mu 100 > 50 → up to C.
    assert_eq!(
        (
            rows[1][6].as_str(),
            rows[1][7].as_str(),
            rows[1][8].as_str()
        ),
        ("D", "C", "upgrade_tax_per_mu")
    );
    // Per-county scope renames the cohorts.
    let out2 = dir.path().join("out2.csv");
    assert!(grade(&input, &out2, &["--scope", "county"])
        .status
        .success());
    assert_eq!(result_rows(&out2)[0][2], "nanhu/above:other");
}

#[test]
fn chinese_headers_and_xlsx_give_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let csv_in = dir.path().join("in.csv");
    std::fs::write(&csv_in, examples_csv()).unwrap();
    let reference = dir.path().join("ref.csv");
    assert!(grade(&csv_in, &reference, &[]).status.success());

    // Same data with the Chinese header names, as an .xlsx with numbers as numbers.
    let data = examples_csv();
    let mut lines = data.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|h| grading::record::column_by_key(h).unwrap().zh.to_string())
        .collect();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, line) in lines.enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(v) if c > 0 => ws.write_number(r as u32 + 1, c as u16, v).unwrap(),
                _ => ws.write_string(r as u32 + 1, c as u16, cell).unwrap(),
            };
        }
    }
    let xlsx_in = dir.path().join("中文表头.xlsx");
    wb.save(&xlsx_in).unwrap();
    let out = dir.path().join("out.csv");
    let o = grade(&xlsx_in, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(result_rows(&out), result_rows(&reference));

    // And the result can be written as .xlsx.
    let out_x = dir.path().join("out.xlsx");
    assert!(grade(&csv_in, &out_x, &[]).status.success());
    assert!(std::fs::metadata(&out_x).unwrap().len() > 1000);
}

#[test]
fn bad_input_names_row_column_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad_check = uscc(7);
    let last = bad_check.pop().unwrap();
    bad_check.push(if last == '0' { '1' } else { '0' });
    let text = format!(
        "{HEADER}\n{bad_check},A,nanhu,other,above,2020,1,1,1,1,1,1,1,false,1,,,\n{},B,mars,other,above,2020,1,1,1,1,1,1,1,false,1,,,\n{},C,nanhu,other,above,2020,-5,1,1,1,1,1,1,false,1,,,\n{},D,nanhu,other,above,2020,1,\"1,000\",1,1,1,1,1,false,1,,,\n{},E,nanhu,other,above,2020,1,1,1,1,1,1,1,false,1,,,\n{},F,nanhu,other,above,2020,1,1,1,1,1,1,1,false,1,,,\n",
        uscc(8),
        uscc(9),
        uscc(10),
        uscc(11),
        uscc(11)
    );
    let input = dir.path().join("bad.csv");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out.csv");
    let o = grade(&input, &out, &[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("第 2 行，列 uscc") && err.contains("校验位错误"),
        "{err}"
    );
    assert!(
        err.contains("第 3 行，列 county") && err.contains("mars"),
        "{err}"
    );
    assert!(
        err.contains("第 4 行，列 land_mu") && err.contains("不能为负数"),
        "{err}"
    );
    assert!(
        err.contains("第 5 行，列 tax_wan") && err.contains("不是数字"),
        "{err}"
    );
    assert!(
        err.contains("第 7 行，列 uscc") && err.contains("与第 6 行重复"),
        "{err}"
    );
    assert!(!out.exists(), "no result file on bad input");

    let unknown = dir.path().join("unknown.csv");
    std::fs::write(&unknown, format!("{HEADER},colour\n")).unwrap();
    let o = grade(&unknown, &out, &[]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("未知列“colour”"));
}

/// A stored above-size record of 2020.
async fn an_above_size_record(db: &sea_orm::DatabaseConnection) -> entity::record::Model {
    entity::record::Entity::find()
        .filter(entity::record::Column::Year.eq(2020))
        .filter(entity::record::Column::Scale.eq("above"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_is_all_or_nothing_and_audited() {
    let s = TestServer::demo().await;
    let db = Database::connect(&s.database).await.unwrap();
    let records_before = entity::record::Entity::find().count(&db).await.unwrap();
    let target = an_above_size_record(&db).await;
    let dir = tempfile::tempdir().unwrap();

    // A tax bureau's sheet: one good update, one bad row → nothing written.
    let bad = format!(
        "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n{},{},{},{},above,2020,1234.50\n{},新企业,nanhu,other,above,2020,abc\n",
        target.uscc, target.name, target.county, target.industry, uscc(99)
    );
    let f = dir.path().join("tax.csv");
    std::fs::write(&f, bad).unwrap();
    let o = run(
        &s.database,
        &["import", f.to_str().unwrap(), "--as-system", "tax-clerk"],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("第 3 行，列 tax_wan"));
    assert_eq!(
        entity::record::Entity::find().count(&db).await.unwrap(),
        records_before
    );
    assert!(audit_entries(&db).await.is_empty());

    // Fixed: the update lands, exactly as typed, and only the tax changes.
    let good = format!(
        "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n{},{},{},{},above,2020,1234.50\n",
        target.uscc, target.name, target.county, target.industry
    );
    std::fs::write(&f, good).unwrap();
    let o = run(
        &s.database,
        &["import", f.to_str().unwrap(), "--as-system", "tax-clerk"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = entity::record::Entity::find_by_id(target.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let before_fields: serde_json::Value = serde_json::from_str(&target.fields).unwrap();
    let after_fields: serde_json::Value = serde_json::from_str(&after.fields).unwrap();
    assert_eq!(after_fields["tax_wan"], "1234.50", "amount kept as typed");
    assert_eq!(
        after_fields["land_mu"], before_fields["land_mu"],
        "other fields untouched"
    );
    let audit = audit_entries(&db).await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].field.as_deref(), Some("tax_wan"));
    assert_eq!(audit[0].new_value.as_deref(), Some("1234.50"));
    assert_eq!(
        audit[0].old_value.as_ref(),
        before_fields["tax_wan"]
            .as_str()
            .map(str::to_string)
            .as_ref()
    );
    assert_eq!(audit[0].department.as_deref(), Some("tax"));
    assert_eq!(audit[0].username, "tax-clerk");
    let sources: serde_json::Value = serde_json::from_str(&after.sources).unwrap();
    assert_eq!(sources["tax_wan"]["department"], "tax");
    // The year was regraded with the new figure.
    let result = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::Uscc.eq(target.uscc.clone()))
        .filter(entity::grade_result::Column::Year.eq(2020))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&result.detail).unwrap();
    let land: f64 = before_fields["land_mu"].as_str().unwrap().parse().unwrap();
    if result.status == "graded" {
        assert_eq!(detail["tax_per_mu"].as_f64().unwrap(), 1234.5 / land);
    }
}

/// `--as USER` acts as that account, held to its role and scope like the
/// upload page: the tax bureau's console import may not rename an
/// enterprise or touch another department's column; an unknown account is
/// refused rather than given the whole city.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_as_an_account_is_held_to_its_role() {
    let s = TestServer::demo().await;
    let db = Database::connect(&s.database).await.unwrap();
    let target = an_above_size_record(&db).await;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("tax.csv");
    let sheet = |name: &str, extra: (&str, &str)| {
        format!(
            "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）{}\n{},{name},{},{},above,2020,2222.25{}\n",
            extra.0, target.uscc, target.county, target.industry, extra.1
        )
    };
    let import = |who: &[&str]| {
        let mut args = vec!["import", f.to_str().unwrap()];
        args.extend_from_slice(who);
        run(&s.database, &args)
    };
    // Renaming the enterprise: refused for the tax bureau, nothing written.
    std::fs::write(&f, sheet("改名后的公司", ("", ""))).unwrap();
    let o = import(&["--as", "tax"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(err.contains("第 2 行") && err.contains("name"), "{err}");
    assert!(audit_entries(&db).await.is_empty());
    // Another department's column: refused, naming it.
    std::fs::write(&f, sheet(&target.name, (",用地面积（亩）", ",99"))).unwrap();
    let o = import(&["--as", "tax"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("land_mu") && err.contains("本部门不能导入"),
        "{err}"
    );
    // No such account: refused, pointing at --as-system.
    std::fs::write(&f, sheet(&target.name, ("", ""))).unwrap();
    let o = import(&["--as", "nobody"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--as-system"));
    // Who acts must be said.
    assert!(!import(&[]).status.success());
    assert!(audit_entries(&db).await.is_empty());
    // Its own column with the identity as stored: lands, audited as the account.
    let o = import(&["--as", "tax"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let audit = audit_entries(&db).await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(
        (audit[0].username.as_str(), audit[0].field.as_deref()),
        ("tax", Some("tax_wan"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_finds_a_demo_consistent_and_names_what_disagrees() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
    let s = TestServer::demo().await;
    let o = run(&s.database, &["check"]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let db = Database::connect(&s.database).await.unwrap();
    let (uscc, _) = graded_in(&s, "nanhu").await;
    // A result that is not the engine's, and a record whose value is not
    // the one its audit trail wrote.
    db.execute_unprepared(&format!(
        "UPDATE grade_results SET score = score + 1 WHERE uscc = '{uscc}' AND year = 2020"
    ))
    .await
    .unwrap();
    let (other, _) = graded_in(&s, "haining").await;
    let version = entity::record::Entity::find()
        .filter(entity::record::Column::Uscc.eq(other.clone()))
        .filter(entity::record::Column::Year.eq(2020))
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .version;
    entity::audit_log::ActiveModel {
        at: Set(chrono::Utc::now()),
        username: Set("tax".into()),
        action: Set("update".into()),
        uscc: Set(Some(other.clone())),
        year: Set(Some(2020)),
        field: Set(Some("tax_wan".into())),
        new_value: Set(Some("98765".into())),
        source: Set("web".into()),
        version: Set(Some(version)),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let o = run(&s.database, &["check"]);
    assert!(!o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(&uscc) && out.contains("full regrade"), "{out}");
    assert!(
        out.contains(&format!("{other} 2020 tax_wan")) && out.contains("98765"),
        "{out}"
    );
}
