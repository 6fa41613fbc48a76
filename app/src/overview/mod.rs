//! Public, aggregate figures: how many enterprises of each county fell into
//! each class in the latest graded year. Counts only, never an enterprise's
//! figures, so anyone may see them.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountyClasses {
    pub county: String,
    /// Graded enterprises per final class A, B, C, D.
    pub classes: [u32; 4],
    pub exempt: u32,
    pub merged: u32,
    pub excluded: u32,
}

impl CountyClasses {
    pub fn graded(&self) -> u32 {
        self.classes.iter().sum()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub year: Option<i32>,
    pub counties: Vec<CountyClasses>,
}

#[server(prefix = "/api", endpoint = "public_overview")]
pub async fn public_overview() -> Result<Overview, AppError> {
    use entity::grade_result::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let db = crate::auth::session::state()?.db;
    let year: Option<i32> = Entity::find()
        .select_only()
        .column(Column::Year)
        .order_by_desc(Column::Year)
        .limit(1)
        .into_tuple()
        .one(&db)
        .await?;
    let Some(year) = year else {
        return Ok(Overview::default());
    };
    let rows: Vec<(String, String, Option<String>, i64)> = Entity::find()
        .select_only()
        .column(Column::County)
        .column(Column::Status)
        .column(Column::Class)
        .column_as(Column::Id.count(), "n")
        .filter(Column::Year.eq(year))
        .group_by(Column::County)
        .group_by(Column::Status)
        .group_by(Column::Class)
        .into_tuple()
        .all(&db)
        .await?;
    let counties = grading::County::ALL
        .iter()
        .map(|c| {
            let mut out = CountyClasses {
                county: c.code().into(),
                ..Default::default()
            };
            for (_, status, class, n) in rows.iter().filter(|r| r.0 == c.code()) {
                let n = *n as u32;
                match (
                    status.as_str(),
                    class.as_deref().and_then(grading::Class::parse),
                ) {
                    ("graded", Some(k)) => out.classes[k as usize] += n,
                    ("exempt", _) => out.exempt += n,
                    ("merged", _) => out.merged += n,
                    ("excluded", _) => out.excluded += n,
                    _ => {}
                }
            }
            out
        })
        .collect();
    Ok(Overview {
        year: Some(year),
        counties,
    })
}
