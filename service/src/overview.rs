//! Public, aggregate figures: how many enterprises of each county fell into
//! each class in the latest graded year. Counts only, never an enterprise's
//! figures, so anyone may see them.

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

/// Counted from the year's graded state in memory (the stored results
/// mirror it), not by a scan of the results table. Anyone may ask.
#[cfg(feature = "server")]
pub async fn public_overview(svc: &crate::Services) -> crate::Result<Overview> {
    use grading::Status;
    let years = crate::workspace::views::graded_years(&svc.db).await?;
    let Some(&year) = years.first() else {
        return Ok(Overview::default());
    };
    let counties = svc
        .live
        .with_year(&svc.db, year, async |g| {
            let mut out: Vec<CountyClasses> = grading::County::ALL
                .iter()
                .map(|c| CountyClasses {
                    county: c.code().into(),
                    ..Default::default()
                })
                .collect();
            for (e, r) in g.rows().iter().zip(g.results()) {
                let Some(i) = grading::County::ALL.iter().position(|&c| c == e.county) else {
                    continue;
                };
                let c = &mut out[i];
                match (r.status, r.class) {
                    (Status::Graded, Some(k)) => c.classes[k as usize] += 1,
                    (Status::Graded, None) => {}
                    (Status::Exempt, _) => c.exempt += 1,
                    (Status::Merged, _) => c.merged += 1,
                    (Status::Excluded, _) => c.excluded += 1,
                }
            }
            Ok(out)
        })
        .await?;
    Ok(Overview {
        year: Some(year),
        counties,
    })
}
