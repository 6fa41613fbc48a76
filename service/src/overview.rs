//! The public overview: classes per county in the latest publication. The
//! types, shared with the browser, are [`shared::overview`]'s, re-exported
//! here.

pub use shared::overview::*;

/// Counted from the latest published version of the latest published year
/// (公示): the public sees what was published, never the working state a
/// save moves. Anyone may ask.
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
        let Some(c) = out.iter_mut().find(|c| c.county == r.county.code()) else {
            continue;
        };
        use grading::Status;
        match (r.status, r.class) {
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
