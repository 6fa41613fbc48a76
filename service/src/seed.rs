//! `server seed --demo`: a deterministic, plausible Jiaxing (two years, so
//! the county evaluation has growth), and demo accounts for every role.
//! The records go in through the one write path, like any import.

use crate::accounts::{add_user, NewUser};
use crate::actor::{Actor, Role};
use crate::records::{self, Batch, Draft, Origin, Progress, Regrading};
use crate::{store, Result, Services};
use entity::record;
use grading::{synth, Enterprise, Scale};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait};

pub const DEMO_PASSWORD: &str = "muyi2020";
pub const DEMO_YEAR: i32 = 2020;

pub struct DemoAccount {
    pub username: String,
    pub role: &'static str,
    pub binding: String,
}

/// The year before, with the same enterprises and amounts moved a little, so
/// growth rates are plausible.
fn previous_year(rows: &[Enterprise], seed: u64) -> Vec<Enterprise> {
    let mut rng = synth::Rng::new(seed ^ 0x2019);
    rows.iter()
        .map(|e| {
            let mut p = e.clone();
            p.year = e.year - 1;
            let f = 0.8 + 0.3 * rng.unit();
            let scale = |v: Option<f64>| v.map(|x| format!("{:.2}", x * f).parse().unwrap_or(x));
            p.tax_wan = scale(e.tax_wan);
            p.revenue_wan = scale(e.revenue_wan);
            p.value_added_wan = scale(e.value_added_wan);
            p.rnd_wan = scale(e.rnd_wan);
            p.years_in_production = e.years_in_production.map(|y| (y - 1.0).max(0.0));
            p.years_since_upgrade = e.years_since_upgrade.map(|y| (y - 1.0).max(0.0));
            p
        })
        .collect()
}

/// A year's records as drafts of new records.
fn drafts(rows: &[Enterprise]) -> Vec<Draft> {
    rows.iter()
        .map(|e| Draft {
            fields: store::fields_of(e),
            enterprise: e.clone(),
            base: None,
        })
        .collect()
}

fn demo_user<'a>(username: &'a str, display: &'a str, role: Role) -> NewUser<'a> {
    NewUser {
        username,
        display,
        password: DEMO_PASSWORD,
        role,
        county: None,
        department: None,
        uscc: None,
    }
}

/// Whether the database already holds enterprise data.
pub async fn has_data(db: &DatabaseConnection) -> Result<bool> {
    Ok(record::Entity::find().count(db).await? > 0)
}

pub async fn demo(
    svc: &Services,
    seed: u64,
    above: usize,
    below: usize,
) -> Result<Vec<DemoAccount>> {
    let db = &svc.db;
    store::ensure_counties(db).await?;
    store::ensure_builtin_ruleset(db).await?;
    let now_rows = synth::city(seed, DEMO_YEAR, above, below);
    let before = previous_year(&now_rows, seed);
    let console = Actor::System("seed".into());
    let batch = |rows: &[Enterprise]| Batch {
        year: rows.first().map_or(DEMO_YEAR, |e| e.year),
        drafts: drafts(rows),
        regrading: Regrading::Full,
    };
    records::write(
        svc,
        &console,
        &Origin::Seed,
        vec![batch(&before), batch(&now_rows)],
        &Progress::default(),
    )
    .await?;
    let txn = db.begin().await?;
    let mut accounts = vec![DemoAccount {
        username: "admin".into(),
        role: "city_admin",
        binding: "全市".into(),
    }];
    add_user(
        &txn,
        &console,
        demo_user("admin", "市经信局管理员", Role::CityAdmin),
    )
    .await?;
    for c in grading::County::ALL {
        let name = format!("{}经办人", c.zh());
        add_user(
            &txn,
            &console,
            NewUser {
                county: Some(c.code()),
                ..demo_user(c.code(), &name, Role::CountyOfficial)
            },
        )
        .await?;
        accounts.push(DemoAccount {
            username: c.code().into(),
            role: "county_official",
            binding: c.zh().into(),
        });
    }
    for d in [
        grading::Department::Tax,
        grading::Department::Statistics,
        grading::Department::NaturalResources,
        grading::Department::Ecology,
    ] {
        let name = format!("{}部门数据员", d.zh());
        add_user(
            &txn,
            &console,
            NewUser {
                department: Some(d.code()),
                ..demo_user(d.code(), &name, Role::Department)
            },
        )
        .await?;
        accounts.push(DemoAccount {
            username: d.code().into(),
            role: "department",
            binding: d.zh().into(),
        });
    }
    let firms: Vec<&Enterprise> = now_rows
        .iter()
        .filter(|e| e.scale == Scale::Above && e.lessor_uscc.is_none() && !e.is_new(2.0))
        .take(3)
        .collect();
    for (i, e) in firms.iter().enumerate() {
        let username = format!("qiye{}", i + 1);
        let account = NewUser {
            county: Some(e.county.code()),
            uscc: Some(&e.uscc),
            ..demo_user(&username, &e.name, Role::Enterprise)
        };
        add_user(&txn, &console, account).await?;
        accounts.push(DemoAccount {
            username,
            role: "enterprise",
            binding: format!("{} {}", e.uscc, e.name),
        });
    }
    txn.commit().await?;
    publish_demo(svc, &console).await?;
    Ok(accounts)
}

/// The demo's publications, so a newcomer sees every state: 2019 published
/// a year ago and finalized; 2020 in its publicity window, with one
/// correction notice (a tax figure found wrong during the window).
async fn publish_demo(svc: &Services, console: &Actor) -> Result<()> {
    use crate::disclosure::{publish, WindowForm};
    let form = |year: i32, start: chrono::NaiveDate, end: chrono::NaiveDate| {
        WindowForm {
        year,
        start: start.to_string(),
        end: end.to_string(),
        phone: "0573-82000000（演示）".into(),
        address: "嘉兴市经济和信息化局（演示地址）".into(),
        notice: format!(
            "根据《嘉兴市人民政府办公室关于深化工业企业绩效综合评价的实施意见》（嘉政办发〔2021〕5号），现将全市规模以上和规模以下工业企业 {year} 年度绩效综合评价结果予以公示，接受社会监督。（演示数据）"
        ),
        objection: "企业对评价数据和分类有异议的，请在公示期内登录平台提出申诉，或持书面材料向所在县（市、区）经信部门反映；经核实确有误差的，予以更正。".into(),
        show_scores: false,
    }
    };
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    publish::open(
        svc,
        console,
        &form(DEMO_YEAR - 1, day(2020, 6, 1), day(2020, 6, 10)),
    )
    .await?;
    publish::finalize(svc, console, DEMO_YEAR - 1).await?;
    let today = publish::today();
    let window = form(
        DEMO_YEAR,
        today - chrono::Duration::days(3),
        today + chrono::Duration::days(7),
    );
    publish::open(svc, console, &window).await?;
    // The best of class B in its cohort, with its tax found to have been
    // recorded at a quarter of the true amount: it moves up, and the cohort
    // re-ranks around it.
    let candidates: Vec<Enterprise> = svc
        .live
        .with_year(&svc.db, DEMO_YEAR, async |g| {
            let mut b: Vec<usize> = (0..g.rows().len())
                .filter(|&i| {
                    let r = &g.results()[i];
                    r.class == Some(grading::Class::B) && g.rows()[i].scale == Scale::Above
                })
                .collect();
            b.sort_by(|&x, &y| {
                let s = |i: usize| g.results()[i].score.unwrap_or(0.0);
                s(y).total_cmp(&s(x))
            });
            Ok(b.into_iter().take(5).map(|i| g.rows()[i].clone()).collect())
        })
        .await?;
    for mut e in candidates {
        let Some(m) = store::load_record(&svc.db, &e.uscc, DEMO_YEAR).await? else {
            continue;
        };
        e.tax_wan = e.tax_wan.map(|t| (t * 400.0).round() / 100.0);
        let written = records::write(
            svc,
            console,
            &Origin::Seed,
            vec![Batch {
                year: DEMO_YEAR,
                drafts: vec![Draft {
                    fields: store::fields_of(&e),
                    enterprise: e,
                    base: Some(m),
                }],
                regrading: Regrading::Incremental,
            }],
            &Progress::default(),
        )
        .await?;
        if written.classes_moved > 0 {
            publish::correct(
                svc,
                console,
                DEMO_YEAR,
                "经核实，一家企业的实缴税金数据录入有误，已按税务部门核实的数据更正并重新评价；同组企业的等次随之调整。（演示）",
            )
            .await?;
            break;
        }
    }
    Ok(())
}
