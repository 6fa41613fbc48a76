//! Targets the platform measures itself (`computed` in the catalogue): the
//! evaluation scheme's growth of 亩均税收 and 亩均工业增加值 (嘉政办发〔2021〕5号
//! “年均增长 7%以上”) come from the graded years, and its 改造提升 task from
//! the remediation ledger's exits, so nobody reports them and nobody can
//! overwrite them. Each graded year whose previous year is
//! graded too gives one figure, the city's growth over that previous year,
//! placed in the year's December; the figures are made when read, from the
//! same aggregates as the county evaluation (spec §8: Σ numerator / Σ
//! denominator over graded above-size enterprises).

use super::Computed;
use crate::{Result, Services};
use entity::target_actual;

/// Who the dashboard names as the source of a measured figure.
pub const SOURCE: &str = "platform";
pub const BY: &str = super::MEASURED_BY;

/// The city's aggregate of the computed indicator for each graded year.
async fn city_values(svc: &Services, indicator: usize) -> Result<Vec<(i32, f64)>> {
    let mut years = crate::workspace::views::graded_years(&svc.db).await?;
    years.sort_unstable();
    let mut out = Vec::new();
    for y in years {
        let v = svc
            .live
            .with_year(&svc.db, y, async |g| {
                Ok(grading::Aggregates::of(g.rows(), g.results()).city[indicator])
            })
            .await?;
        if let Some(v) = v {
            out.push((y, v));
        }
    }
    Ok(out)
}

/// Year-on-year growth in percent from consecutive years' values.
pub fn growth(values: &[(i32, f64)]) -> Vec<(i32, f64, f64, f64)> {
    values
        .windows(2)
        .filter(|w| w[1].0 == w[0].0 + 1 && w[0].1 > 0.0)
        .map(|w| (w[1].0, (w[1].1 / w[0].1 - 1.0) * 100.0, w[1].1, w[0].1))
        .collect()
}

/// The figures of a computed target as actuals (one per graded year with a
/// graded year before it), for the dashboard's series and status.
pub async fn actuals(
    svc: &Services,
    target_id: &str,
    c: Computed,
) -> Result<Vec<target_actual::Model>> {
    let at = chrono::Utc::now();
    let (what, indicator) = match (c, c.indicator()) {
        (Computed::TaxPerMuGrowth, Some(i)) => ("亩均税收", i),
        (Computed::ValueAddedPerMuGrowth, Some(i)) => ("亩均工业增加值", i),
        _ => return ledger_exits(svc, target_id, at).await,
    };
    Ok(growth(&city_values(svc, indicator).await?)
        .into_iter()
        .map(|(year, pct, now, before)| target_actual::Model {
            id: 0,
            target_id: target_id.to_string(),
            month: format!("{year}-12"),
            value: Some((pct * 100.0).round() / 100.0),
            versus: None,
            milestone: None,
            evidence: String::new(),
            source: SOURCE.into(),
            note: format!(
                "{year} 年全市规上工业企业{what} {now:.2} 万元/亩，{} 年 {before:.2} 万元/亩（已评价企业合计，按当前评价数据计算）",
                year - 1
            ),
            entered_by: BY.into(),
            entered_at: at,
        })
        .collect())
}

/// The 改造提升 task: each published year's count of enterprises lifted
/// out of the ledger, summed over the years, as a milestone in progress
/// until a year's ledger is empty.
async fn ledger_exits(
    svc: &Services,
    target_id: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<target_actual::Model>> {
    let mut total = 0;
    Ok(crate::measures::ledger::exits(&svc.db)
        .await?
        .into_iter()
        .map(|(year, out, on)| {
            total += out;
            target_actual::Model {
                id: 0,
                target_id: target_id.to_string(),
                month: format!("{year}-12"),
                value: Some(f64::from(total)),
                versus: None,
                milestone: Some(if on == 0 { "done" } else { "in_progress" }.into()),
                evidence: String::new(),
                source: SOURCE.into(),
                note: format!(
                    "截至 {year} 年评价，累计 {total} 家企业退出整治提升台账（{year} 年退出 {out} 家）；{year} 年台账在册 {on} 家（按公示结果计算）"
                ),
                entered_by: BY.into(),
                entered_at: at,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::growth;

    #[test]
    fn growth_needs_consecutive_years() {
        let g = growth(&[(2019, 10.0), (2020, 10.7), (2022, 12.0)]);
        assert_eq!(g.len(), 1, "2022 has no 2021 before it");
        assert_eq!(g[0].0, 2020);
        assert!((g[0].1 - 7.0).abs() < 1e-9);
        assert!(growth(&[(2019, 0.0), (2020, 5.0)]).is_empty());
    }
}
