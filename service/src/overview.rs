//! Public, aggregate figures: how many enterprises of each county fell into
//! each class in the latest publication. Counts only, never an enterprise's
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
    /// The publication version counted, and its state.
    pub version: Option<i32>,
    pub status: Option<crate::disclosure::PublicationStatus>,
    pub counties: Vec<CountyClasses>,
}

/// Counted from the latest published version of the latest published year
/// (公示): the public sees what was published, never the working state a
/// save moves. Anyone may ask.
#[cfg(feature = "server")]
pub async fn public_overview(svc: &crate::Services) -> crate::Result<Overview> {
    use crate::disclosure::read;
    let Some(latest) = read::publications(svc).await?.into_iter().next() else {
        return Ok(Overview::default());
    };
    let snap = read::snapshot(svc, latest.year, None).await?;
    let mut out: Vec<CountyClasses> = grading::County::ALL
        .iter()
        .map(|c| CountyClasses {
            county: c.code().into(),
            ..Default::default()
        })
        .collect();
    for r in &snap.rows {
        let Some(c) = out.iter_mut().find(|c| c.county == r.county) else {
            continue;
        };
        use grading::Status;
        match (r.status, r.class.as_deref().and_then(grading::Class::parse)) {
            (Status::Graded, Some(k)) => c.classes[k as usize] += 1,
            (Status::Graded, None) => {}
            (Status::Exempt, _) => c.exempt += 1,
            (Status::Merged, _) => c.merged += 1,
            (Status::Excluded, _) => c.excluded += 1,
        }
    }
    Ok(Overview {
        year: Some(latest.year),
        version: Some(snap.version),
        status: Some(latest.status),
        counties: out,
    })
}
