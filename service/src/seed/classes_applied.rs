//! The demo's 分类施策 at work: remediation plans in every state (some of
//! 2019's lifted out by 2020's evaluation, some carried over), and the
//! differentiated-electricity procedures of three counties (南湖区 2019
//! filed, 嘉善县 2019 overdue, 秀洲区 2020 in its window, 南湖区 2020 being
//! prepared). All through the same workflows a county official uses.

use super::demo_actor;
use crate::measures::{electricity, ledger, LedgerStatus};
use crate::{store, Result, Services};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// The plans of `year`'s ledger the demo gives before the next year is
/// published, each with two milestones, one done: for a few enterprises
/// the next year's evaluation lifts out (whatever their county, by its
/// official), and for the first of 南湖区's who stay on.
pub(super) async fn before(svc: &Services, year: i32) -> Result<()> {
    let admin = demo_actor(svc, "admin").await?;
    let l = ledger::list(svc, &admin, Some(year), None, None, None).await?;
    let next = ledger::from_working_state(svc, year + 1).await?;
    let leave = l.entries.iter().filter(|e| !next.contains(&e.uscc)).take(4);
    let stay = l
        .entries
        .iter()
        .filter(|e| e.county == grading::County::Nanhu && next.contains(&e.uscc))
        .take(8);
    let plans = ["upgrade", "merger", "vacate", "close"];
    for (i, e) in leave.chain(stay).enumerate() {
        let official = demo_actor(svc, e.county.code()).await?;
        let uscc = store::stored_uscc(&e.uscc)?;
        let person = format!("{}经信局 王科长（演示）", e.county.zh());
        let plan = plans[i % plans.len()];
        ledger::save_plan(svc, &official, year, &uscc, plan, &person).await?;
        let steps = [
            ("完成企业诊断，制定整治提升方案", day(year + 1, 3, 31)),
            ("实施改造或处置，申请验收", day(year + 1, 12, 31)),
        ];
        for (title, due) in steps {
            ledger::add_milestone(svc, &official, year, &uscc, title, &due.to_string()).await?;
        }
        ledger::complete_milestone(
            svc,
            &official,
            year,
            &uscc,
            0,
            &day(year + 1, 3, 20).to_string(),
            "诊断报告及整治方案（演示）",
        )
        .await?;
    }
    electricity_history(svc, year).await
}

/// 2019's procedures: 南湖区 filed on time, 嘉善县 published and never filed.
async fn electricity_history(svc: &Services, year: i32) -> Result<()> {
    let nanhu = demo_actor(svc, "nanhu").await?;
    electricity::set_surcharge(svc, &nanhu, year, "nanhu", "0.30").await?;
    let p = electricity::procedure(svc, &nanhu, year, "nanhu").await?;
    if let Some(first) = p.rows.first() {
        electricity::exempt(
            svc,
            &nanhu,
            year,
            "nanhu",
            &store::stored_uscc(&first.uscc)?,
            "重点民生保障生产企业，经区政府认定暂不执行（演示）",
        )
        .await?;
    }
    let window =
        |county: &str, start: NaiveDate, end: NaiveDate, approval: &str| electricity::PublishForm {
            year,
            county: county.into(),
            start: start.to_string(),
            end: end.to_string(),
            approval: approval.into(),
        };
    let y = year + 1;
    electricity::publish_at(
        svc,
        &nanhu,
        &window(
            "nanhu",
            day(y, 6, 25),
            day(y, 7, 4),
            "南政发〔2020〕18号（演示）",
        ),
        at(y, 6, 20),
    )
    .await?;
    electricity::file_at(
        svc,
        &nanhu,
        year,
        "nanhu",
        "嘉南经信备〔2020〕3号（演示）",
        at(y, 7, 20),
    )
    .await?;
    let jiashan = demo_actor(svc, "jiashan").await?;
    electricity::set_surcharge(svc, &jiashan, year, "jiashan", "0.20").await?;
    electricity::publish_at(
        svc,
        &jiashan,
        &window(
            "jiashan",
            day(y, 6, 28),
            day(y, 7, 7),
            "善政发〔2020〕22号（演示）",
        ),
        at(y, 6, 22),
    )
    .await?;
    Ok(())
}

/// `year`'s plans in every state, and its procedures (秀洲区 in its window,
/// 南湖区 being prepared); the account (`qiye4`) of an enterprise whose plan
/// is under way, to see it from the portal.
pub(super) async fn after(svc: &Services, year: i32) -> Result<Option<super::DemoAccount>> {
    let today = crate::clock::today();
    let mut planned = None;
    for county in ["nanhu", "xiuzhou"] {
        let official = demo_actor(svc, county).await?;
        let l = ledger::list(
            svc,
            &official,
            Some(year),
            None,
            Some(LedgerStatus::Unplanned.code()),
            None,
        )
        .await?;
        let person = format!(
            "{}经信局 李科长（演示）",
            grading::County::parse(county).map_or("", |c| c.zh())
        );
        // In progress, overdue, completed; the rest stay without a plan.
        let states: &[(&str, i64, bool)] = if county == "nanhu" {
            &[
                ("upgrade", 60, false),
                ("upgrade", 90, false),
                ("merger", 120, false),
                ("vacate", -20, false),
                ("close", -5, false),
                ("upgrade", -30, true),
                ("merger", -40, true),
            ]
        } else {
            &[("upgrade", 45, false), ("vacate", 75, false)]
        };
        for (e, (plan, days, done)) in l.entries.iter().zip(states) {
            if planned.is_none() && *days > 0 {
                planned = Some(e.clone());
            }
            let uscc = store::stored_uscc(&e.uscc)?;
            ledger::save_plan(svc, &official, year, &uscc, plan, &person).await?;
            let due = today + Duration::days(*days);
            ledger::add_milestone(
                svc,
                &official,
                year,
                &uscc,
                "签订整治提升承诺书，明确目标",
                &due.to_string(),
            )
            .await?;
            if *done {
                ledger::complete_milestone(
                    svc,
                    &official,
                    year,
                    &uscc,
                    0,
                    &(due - Duration::days(3)).to_string(),
                    "承诺书及现场核查记录（演示）",
                )
                .await?;
            }
        }
    }
    let xiuzhou = demo_actor(svc, "xiuzhou").await?;
    electricity::set_surcharge(svc, &xiuzhou, year, "xiuzhou", "0.25").await?;
    electricity::publish(
        svc,
        &xiuzhou,
        &electricity::PublishForm {
            year,
            county: "xiuzhou".into(),
            start: today.to_string(),
            end: (today + Duration::days(9)).to_string(),
            approval: "秀政发〔2021〕5号（演示）".into(),
        },
    )
    .await?;
    let nanhu = demo_actor(svc, "nanhu").await?;
    electricity::set_surcharge(svc, &nanhu, year, "nanhu", "0.30").await?;
    let Some(e) = planned else {
        return Ok(None);
    };
    let username = "qiye4";
    crate::accounts::add_user(
        &svc.db,
        &crate::Actor::System(crate::seed::SEED_ACTOR.into()),
        crate::accounts::NewUser {
            county: Some(e.county.code()),
            uscc: Some(&e.uscc),
            ..super::demo_user(username, &e.name, crate::Role::Enterprise)
        },
    )
    .await?;
    Ok(Some(super::DemoAccount {
        username: username.into(),
        role: "enterprise",
        binding: format!("{} {}", e.uscc, e.name),
    }))
}
