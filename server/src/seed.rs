//! `server seed --demo`: a deterministic, plausible Jiaxing (two years, so
//! the county evaluation has growth), and demo accounts for every role.

use crate::error::Result;
use app::auth::session::hash_password;
use app::store;
use chrono::Utc;
use entity::{record, user};
use grading::{synth, Enterprise, Scale};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, Set, TransactionTrait};

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

async fn insert_records(db: &impl sea_orm::ConnectionTrait, rows: &[Enterprise]) -> Result<()> {
    let now = Utc::now();
    let mut sources = store::SourcesWriter::new("seed", now);
    let models: Vec<record::ActiveModel> = rows
        .iter()
        .map(|e| {
            let fields = store::fields_of(e);
            record::ActiveModel {
                uscc: Set(e.uscc.clone()),
                year: Set(e.year),
                name: Set(e.name.clone()),
                county: Set(e.county.code().into()),
                industry: Set(e.industry.code().into()),
                scale: Set(e.scale.code().into()),
                fields: Set(serde_json::to_string(&fields).unwrap_or_default()),
                sources: Set(sources.json(fields.keys())),
                updated_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    for chunk in models.chunks(1000) {
        record::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(())
}

/// An account to create; the binding that goes with the role is set.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display: &'a str,
    pub password: &'a str,
    pub role: &'a str,
    pub county: Option<&'a str>,
    pub department: Option<&'a str>,
    pub uscc: Option<&'a str>,
}

impl<'a> NewUser<'a> {
    fn demo(username: &'a str, display: &'a str, role: &'a str) -> NewUser<'a> {
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
}

pub async fn add_user(db: &impl sea_orm::ConnectionTrait, u: NewUser<'_>) -> Result<()> {
    user::Entity::insert(user::ActiveModel {
        username: Set(u.username.to_lowercase()),
        display_name: Set(u.display.into()),
        password_hash: Set(hash_password(u.password)
            .map_err(|e| crate::error::ServerError::Other(e.to_string()))?),
        role: Set(u.role.into()),
        county: Set(u.county.map(str::to_string)),
        department: Set(u.department.map(str::to_string)),
        uscc: Set(u.uscc.map(str::to_string)),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Whether the database already holds enterprise data.
pub async fn has_data(db: &DatabaseConnection) -> Result<bool> {
    Ok(record::Entity::find().count(db).await? > 0)
}

pub async fn demo(
    db: &DatabaseConnection,
    seed: u64,
    above: usize,
    below: usize,
) -> Result<Vec<DemoAccount>> {
    store::ensure_counties(db).await?;
    store::ensure_builtin_ruleset(db).await?;
    let now_rows = synth::city(seed, DEMO_YEAR, above, below);
    let before = previous_year(&now_rows, seed);
    let txn = db.begin().await?;
    insert_records(&txn, &before).await?;
    insert_records(&txn, &now_rows).await?;
    let mut accounts = vec![DemoAccount {
        username: "admin".into(),
        role: "city_admin",
        binding: "全市".into(),
    }];
    add_user(&txn, NewUser::demo("admin", "市经信局管理员", "city_admin")).await?;
    for c in grading::County::ALL {
        let name = format!("{}经办人", c.zh());
        add_user(
            &txn,
            NewUser {
                county: Some(c.code()),
                ..NewUser::demo(c.code(), &name, "county_official")
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
            NewUser {
                department: Some(d.code()),
                ..NewUser::demo(d.code(), &name, "department")
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
            ..NewUser::demo(&username, &e.name, "enterprise")
        };
        add_user(&txn, account).await?;
        accounts.push(DemoAccount {
            username,
            role: "enterprise",
            binding: format!("{} {}", e.uscc, e.name),
        });
    }
    txn.commit().await?;
    store::regrade_year(db, DEMO_YEAR - 1).await?;
    store::regrade_year(db, DEMO_YEAR).await?;
    Ok(accounts)
}
