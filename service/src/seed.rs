//! `server seed --demo`: a deterministic, plausible Jiaxing (two years, so
//! the county evaluation has growth), and demo accounts for every role.
//! The records go in through the one write path, like any import.

mod classes_applied;

use crate::accounts::{add_user, NewUser};
use crate::actor::{Actor, Role};
use crate::records::{self, Batch, Draft, Origin, Progress, Regrading};
use crate::{store, Result, Services};
use entity::record;
use grading::{synth, Enterprise, Scale};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

/// The console name the demo data is written under (the audit log's
/// "who"); screens call it "demo data".
pub const SEED_ACTOR: &str = "seed";

/// Who wrote something, as screens name them: an account by its name, the
/// demo data in words.
pub fn who(name: &str) -> grading::Words {
    if name == SEED_ACTOR {
        grading::Words::new("演示数据", "demo data")
    } else {
        grading::Words::new(name, name)
    }
}

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
    shifted(rows, seed ^ 0x2019, -1, (0.8, 0.3))
}

/// `rows` moved `by` years: money figures times a factor drawn from
/// `lo..lo + span` per enterprise, years in production and since the
/// upgrade moved with the calendar (never below zero).
fn shifted(rows: &[Enterprise], seed: u64, by: i32, (lo, span): (f64, f64)) -> Vec<Enterprise> {
    let mut rng = synth::Rng::new(seed);
    let years = f64::from(by);
    rows.iter()
        .map(|e| {
            let mut p = e.clone();
            p.year = e.year + by;
            let f = lo + span * rng.unit();
            let scale = |v: Option<f64>| v.map(|x| format!("{:.2}", x * f).parse().unwrap_or(x));
            p.tax_wan = scale(e.tax_wan);
            p.revenue_wan = scale(e.revenue_wan);
            p.value_added_wan = scale(e.value_added_wan);
            p.rnd_wan = scale(e.rnd_wan);
            p.years_in_production = e.years_in_production.map(|y| (y + years).max(0.0));
            p.years_since_upgrade = e.years_since_upgrade.map(|y| (y + years).max(0.0));
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
        password: crate::accounts::Password::demo(DEMO_PASSWORD),
        role,
        county: None,
        department: None,
        uscc: None,
        units: &[],
        measures: &[],
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
    let console = Actor::System(SEED_ACTOR.into());
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
    let firms = demo_firms(svc).await?;
    let txn = crate::writes::begin(db).await?;
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
    for (username, unit) in LEAD_UNITS {
        add_user(
            &txn,
            &console,
            NewUser {
                units: &[unit],
                ..demo_user(username, unit, Role::LeadUnit)
            },
        )
        .await?;
        accounts.push(DemoAccount {
            username: username.to_string(),
            role: "lead_unit",
            binding: unit.to_string(),
        });
    }
    for (username, unit, measures, county) in IMPLEMENTERS {
        add_user(
            &txn,
            &console,
            NewUser {
                measures,
                county,
                ..demo_user(username, unit, Role::Implementer)
            },
        )
        .await?;
        accounts.push(DemoAccount {
            username: username.to_string(),
            role: "implementer",
            binding: format!(
                "{unit}：{}{}",
                measures.join("、"),
                county
                    .and_then(grading::County::parse)
                    .map(|c| format!("（{}）", c.zh()))
                    .unwrap_or_default()
            ),
        });
    }
    // The targets themselves are in already: every start-up syncs the
    // shipped catalogue before anything is seeded.
    demo_actuals(&txn, &console).await?;
    txn.commit().await?;
    publish_demo(svc, &console).await?;
    demo_appeals(svc, &firms).await?;
    accounts.extend(classes_applied::after(svc, DEMO_YEAR).await?);
    Ok(accounts)
}

/// A demo account as the actor it signs in as.
async fn demo_actor(svc: &Services, username: &str) -> Result<Actor> {
    use entity::user;
    use sea_orm::{ColumnTrait, QueryFilter};
    let u = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&svc.db)
        .await?
        .and_then(|u| crate::accounts::user_info(&u))
        .ok_or_else(|| crate::ServiceError::internal(format!("demo user {username}")))?;
    Ok(Actor::User(u))
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
        override_reason: String::new(),
    }
    };
    // 核实上报: each county and department confirms the year (as its demo
    // account) before the window opens.
    let sign_all = async |year: i32| -> Result<()> {
        let mut who = Vec::new();
        for p in crate::signoff::Party::all() {
            who.push((demo_actor(svc, p.code()).await?, p));
        }
        let who: Vec<_> = who.iter().map(|(a, p)| (a, *p)).collect();
        let txn = crate::writes::begin(&svc.db).await?;
        crate::signoff::sign_each(&txn, year, &who).await?;
        txn.commit().await?;
        Ok(())
    };
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    sign_all(DEMO_YEAR - 1).await?;
    publish::open(
        svc,
        console,
        &form(DEMO_YEAR - 1, day(2020, 6, 1), day(2020, 6, 10)),
    )
    .await?;
    publish::finalize(svc, console, DEMO_YEAR - 1).await?;
    classes_applied::before(svc, DEMO_YEAR - 1).await?;
    let today = publish::today();
    let window = form(
        DEMO_YEAR,
        today - chrono::Duration::days(3),
        today + chrono::Duration::days(7),
    );
    sign_all(DEMO_YEAR).await?;
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

/// The demo enterprises: established above-size enterprises of their own
/// (no lessor), graded; the second one of class C or B whose tax alone can
/// lift it a class (its demo appeal is accepted and moves it).
async fn demo_firms(svc: &Services) -> Result<Vec<Enterprise>> {
    svc.live
        .with_year(&svc.db, DEMO_YEAR, async |g| {
            let ok = |i: usize| {
                let e = &g.rows()[i];
                let r = g.result(i);
                e.scale == Scale::Above
                    && e.lessor_uscc.is_none()
                    && r.status == grading::Status::Graded
                    && r.reasons.is_empty()
            };
            let movable = (0..g.rows().len()).find(|&i| {
                ok(i)
                    && matches!(
                        g.result(i).class,
                        Some(grading::Class::C) | Some(grading::Class::B)
                    )
                    && {
                        let ctx = g.preview_context(i);
                        grading::whatif::levers(&ctx, &g.rows()[i]).is_some_and(|l| {
                            l.answers.iter().any(|a| {
                                a.lever == grading::whatif::Lever::Tax && a.needed.is_some()
                            })
                        })
                    }
            });
            let others: Vec<usize> = (0..g.rows().len())
                .filter(|&i| ok(i) && Some(i) != movable)
                .take(2)
                .collect();
            let pick = [others.first().copied(), movable, others.get(1).copied()];
            Ok(pick
                .into_iter()
                .flatten()
                .map(|i| g.rows()[i].clone())
                .collect())
        })
        .await
}

/// A one-page PDF, as evidence in the demo appeals.
pub const DEMO_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// The demo's appeals in 2020's window: qiye1 has an open one, qiye2 an
/// accepted one that moved its class (and published a correction), qiye3
/// confirmed its result.
async fn demo_appeals(svc: &Services, firms: &[Enterprise]) -> Result<()> {
    use crate::appeals::{file, review};
    use sea_orm::{ColumnTrait, QueryFilter};
    let actor_of = async |username: &str| demo_actor(svc, username).await;
    let evidence = || file::Upload {
        name: "完税证明（演示）.pdf".into(),
        bytes: DEMO_PDF.to_vec(),
    };
    if let Some(e) = firms.first() {
        let tax = e.tax_wan.unwrap_or(0.0);
        file::file(
            svc,
            &actor_of("qiye1").await?,
            file::NewAppeal {
                year: DEMO_YEAR,
                items: vec![("tax_wan".into(), format!("{:.2}", tax * 1.1 + 1.0))],
                explanation: "2020 年度有一笔入库税款（演示）未计入实缴税金，附完税证明。".into(),
                files: vec![evidence()],
            },
        )
        .await?;
    }
    if let Some(e) = firms.get(1) {
        let needed = svc
            .live
            .with_year(&svc.db, DEMO_YEAR, async |g| {
                Ok(g.position(&e.uscc).and_then(|i| {
                    let ctx = g.preview_context(i);
                    grading::whatif::search(
                        &ctx,
                        &g.rows()[i],
                        grading::whatif::Lever::Tax,
                        g.result(i).class?.up(),
                    )
                }))
            })
            .await?;
        if let Some(needed) = needed {
            let (id, _) = file::file(
                svc,
                &actor_of("qiye2").await?,
                file::NewAppeal {
                    year: DEMO_YEAR,
                    items: vec![("tax_wan".into(), format!("{:.2}", needed + 1.0))],
                    explanation: "税务部门补录的年度汇算清缴税款（演示）未计入，附完税证明。"
                        .into(),
                    files: vec![evidence()],
                },
            )
            .await?;
            review::take(svc, &actor_of(e.county.code()).await?, id).await?;
            let item = entity::appeal_item::Entity::find()
                .filter(entity::appeal_item::Column::AppealId.eq(id))
                .one(&svc.db)
                .await?
                .ok_or_else(|| crate::ServiceError::internal("demo appeal item"))?;
            review::decide(
                svc,
                &actor_of("tax").await?,
                review::Decision {
                    item: item.id,
                    accept: true,
                    value: String::new(),
                    reason: "与金税系统核对一致（演示）".into(),
                },
            )
            .await?;
        }
    }
    if firms.get(2).is_some() {
        file::confirm(svc, &actor_of("qiye3").await?, DEMO_YEAR).await?;
    }
    Ok(())
}

/// The lead units of the financing action (嘉政办发〔2021〕1号) and of the
/// other documents' targets, each with a demo account.
/// The demo's implementing units (分类施策): user name, unit, the measures
/// it applies, and the county it is bound to (None: the whole city).
#[allow(clippy::type_complexity)]
pub const IMPLEMENTERS: [(&str, &str, &[&str], Option<&str>); 8] = [
    (
        "shuiwu",
        "国家税务总局嘉兴市税务局",
        &["land_use_tax"],
        None,
    ),
    (
        "shuiwu-nanhu",
        "国家税务总局嘉兴市南湖区税务局",
        &["land_use_tax"],
        Some("nanhu"),
    ),
    (
        "shengtai",
        "嘉兴市生态环境局",
        &["emission_task", "emission_rights", "emission_leasing"],
        None,
    ),
    ("dianli", "国网嘉兴供电公司", &["electricity"], None),
    (
        "fagai",
        "市发展改革委（用能、用气）",
        &["electricity", "gas"],
        None,
    ),
    (
        "chanyezijin",
        "市财政局、市经信局（产业资金）",
        &["subsidy_coefficient", "smart_upgrade_2024"],
        None,
    ),
    ("ziran", "市自然资源和规划局", &["land"], None),
    (
        "jinrong",
        "人行嘉兴市中心支行、市金融办（金融）",
        &["finance"],
        None,
    ),
];

pub const LEAD_UNITS: [(&str, &str); 6] = [
    ("pbc", "人行嘉兴市中心支行"),
    ("jrb", "市金融办"),
    ("cbirc", "嘉兴银保监分局"),
    ("fgw", "市发展改革委"),
    ("czj", "市财政局"),
    ("jxj", "市经信局"),
];

/// Plausible monthly actuals, January to November 2021, of the financing
/// action (marked as demo data): deterministic, so that every status
/// appears — ahead, on track, behind, done early, a missed zero-event
/// target, and targets nobody has reported yet.
async fn demo_actuals(db: &impl sea_orm::ConnectionTrait, console: &Actor) -> Result<()> {
    use crate::targets::status::Kind;
    use crate::targets::write::{report_all, Report};
    use entity::target;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let targets = target::Entity::find()
        .filter(target::Column::DocId.eq("jzbf-2021-1"))
        .order_by_asc(target::Column::Position)
        .all(db)
        .await?;
    let mut reports = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        if i % 9 == 4 {
            continue; // not reported yet: 无数据
        }
        let kind = Kind::parse(&t.kind).unwrap_or(Kind::Level);
        let v = t.value.unwrap_or(0.0);
        // Pace relative to time progress: ahead, on track, behind, early.
        let pace = [1.07, 1.0, 0.8, 1.4][i % 4];
        for month in 1..=11u32 {
            let p = month as f64 / 12.0;
            let (value, versus, milestone) = match kind {
                Kind::Cumulative => (Some(v * p * pace), None, None),
                Kind::Level => {
                    let good = if t.comparator == "le" || t.comparator == "lt" {
                        0.9
                    } else {
                        1.05
                    };
                    let bad = if t.comparator == "le" || t.comparator == "lt" {
                        1.1
                    } else {
                        0.93
                    };
                    (Some(v * if i % 3 == 2 { bad } else { good }), None, None)
                }
                Kind::Relative => {
                    let base = 8.0 + (month as f64) * 0.1;
                    let own = if t.comparator == "lt" {
                        base - 0.3
                    } else {
                        base + 0.8
                    };
                    (Some(own), Some(base), None)
                }
                Kind::Rank => (Some(if i % 2 == 0 { v } else { v + 1.0 }), None, None),
                // One event in the financing action's zero targets, from May.
                Kind::Zero => (
                    Some(if i % 2 == 1 && month >= 5 { 1.0 } else { 0.0 }),
                    None,
                    None,
                ),
                Kind::Milestone => (
                    None,
                    None,
                    Some(
                        if month >= 9 && i % 2 == 0 {
                            "done"
                        } else if i % 3 == 0 {
                            "delayed"
                        } else {
                            "on_track"
                        }
                        .to_string(),
                    ),
                ),
            };
            let r2 = |x: f64| format!("{:.2}", x);
            reports.push(Report {
                target: t.id.clone(),
                month: format!("2021-{month:02}"),
                value: value.map(r2).unwrap_or_default(),
                versus: versus.map(r2).unwrap_or_default(),
                milestone: milestone.unwrap_or_default(),
                evidence: "（演示数据）".into(),
                note: "演示数据，非真实统计".into(),
            });
        }
    }
    report_all(db, console, &reports, "seed").await?;
    Ok(())
}

/// The year in data collection the demo city shows a newcomer (`server
/// serve --demo-if-empty`, `server seed --demo --collecting`): 2021's
/// records, graded under the rules in force (2020's); a draft ruleset
/// whose benchmarks are re-based to the scheme's suggestion (twice the
/// three-year city average), to simulate before adopting; and the first
/// counties and the tax bureau having confirmed their data (核实上报).
pub async fn collecting(svc: &Services) -> Result<()> {
    const SEED: u64 = 2020;
    let year = DEMO_YEAR + 1;
    let now: Vec<Enterprise> = store::load_year(&svc.db, DEMO_YEAR)
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    // The year after: every enterprise again, its figures -10 % to +25 %.
    let rows = shifted(&now, SEED ^ 0x2021, 1, (0.9, 0.35));
    let console = Actor::System(SEED_ACTOR.into());
    records::write(
        svc,
        &console,
        &Origin::Seed,
        vec![Batch {
            year,
            drafts: drafts(&rows),
            regrading: Regrading::Full,
        }],
        &Progress::default(),
    )
    .await?;
    let admin = demo_actor(svc, "admin").await?;
    let page = crate::rulesets::page(svc, &admin, Some(year)).await?;
    let edits: std::collections::BTreeMap<String, String> = page
        .suggestions
        .iter()
        .filter_map(|s| Some((s.key.clone(), format!("{:.1}", s.value?))))
        .collect();
    let saved = crate::rulesets::save_draft(svc, &admin, year, &edits).await?;
    if !saved.problems.is_empty() {
        return Err(crate::ServiceError::internal(format!(
            "demo draft refused: {:?}",
            saved.problems
        )));
    }
    for who in ["nanhu", "xiuzhou", "jiashan", "tax"] {
        let actor = demo_actor(svc, who).await?;
        crate::signoff::sign(svc, &actor, year).await?;
    }
    Ok(())
}
