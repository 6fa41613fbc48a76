//! The policy simulator: the whole city graded under a draft ruleset, in
//! the browser (WASM) before the draft is adopted, with the server's own
//! engine — so what the page shows is what adoption will store (the
//! server's test adopts a draft and compares).
//!
//! The year's records travel as a [`Table`] of the interchange format's
//! cell texts (they re-parse to the same values; `record::field_text`),
//! and the classes in force as one small number per row.

use crate::county::{evaluate_aggregates, Aggregates, CountyScore};
use crate::grade::{Grader, InputError};
use crate::input::Enterprise;
use crate::record::{column_by_key, field_text, RowParser, COLUMNS};
use crate::ruleset::Ruleset;
use crate::types::Status;
use crate::words::Words;
use serde::{Deserialize, Serialize};

/// The class of a row as a number: 0–3 for A–D, [`NOT_GRADED`] for a row
/// exempt, merged or excluded.
pub const NOT_GRADED: u8 = 4;

/// Rows of records as cell texts, one column per `columns` key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Every column of the interchange format; a `false` is left empty
    /// (what it parses back to), which halves the size.
    pub fn of(rows: &[Enterprise]) -> Table {
        Table {
            columns: COLUMNS.iter().map(|c| c.key.to_string()).collect(),
            rows: rows
                .iter()
                .map(|e| {
                    COLUMNS
                        .iter()
                        .map(|c| {
                            let t = field_text(e, c);
                            if t == "false" {
                                String::new()
                            } else {
                                t
                            }
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// The records again.
    pub fn enterprises(&self) -> Result<Vec<Enterprise>, Words> {
        let columns = self
            .columns
            .iter()
            .map(|k| {
                column_by_key(k).ok_or_else(|| {
                    Words::new(format!("未知的列：{k}"), format!("unknown column: {k}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let parser = RowParser::new(&columns);
        self.rows
            .iter()
            .enumerate()
            .map(|(i, cells)| {
                parser.parse(cells).map_err(|errs| {
                    let what: Vec<String> = errs
                        .iter()
                        .map(|e| format!("{}: {}", e.column, e.reason))
                        .collect();
                    Words::new(
                        format!("第 {} 行：{}", i + 1, what.join("；")),
                        format!("row {}: {}", i + 1, what.join("; ")),
                    )
                })
            })
            .collect()
    }
}

/// The class number of a graded result.
pub fn class_code(status: Status, class: Option<crate::types::Class>) -> u8 {
    match (status, class) {
        (Status::Graded, Some(c)) => c as u8,
        _ => NOT_GRADED,
    }
}

/// The city graded under a ruleset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simulated {
    /// Per row, in the table's order.
    pub classes: Vec<u8>,
    pub scores: Vec<Option<f64>>,
    /// The county evaluation under the ruleset (growth against the year
    /// before's aggregates, when given).
    pub counties: Vec<CountyScore>,
}

/// Grades `rows` under `rs`.
pub fn run(
    rs: Ruleset,
    rows: Vec<Enterprise>,
    previous: Option<&Aggregates>,
) -> Result<Simulated, InputError> {
    let g = Grader::new(rs, rows)?;
    let results = g.results();
    let now = Aggregates::of(g.rows(), results);
    Ok(Simulated {
        classes: results
            .iter()
            .map(|r| class_code(r.status, r.class))
            .collect(),
        scores: results.iter().map(|r| r.score).collect(),
        counties: evaluate_aggregates(g.ruleset(), &now, previous),
    })
}

/// The transition matrix of the rows `keep` admits: `[before][after]`,
/// A–D then not graded.
pub fn matrix(before: &[u8], after: &[u8], keep: impl Fn(usize) -> bool) -> [[u32; 5]; 5] {
    let mut m = [[0u32; 5]; 5];
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        if keep(i) {
            m[usize::from((*b).min(NOT_GRADED))][usize::from((*a).min(NOT_GRADED))] += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    #[test]
    fn a_table_round_trips_the_records_and_grades_alike() {
        let rows = synth::city(7, 2020, 300, 600);
        let t = Table::of(&rows);
        let back = t.enterprises().expect("parses");
        assert_eq!(back, rows);
        let rs = Ruleset::builtin_2020();
        let a = run(rs.clone(), rows, None).unwrap();
        let b = run(rs, back, None).unwrap();
        assert_eq!(a, b);
        assert!(a.classes.contains(&0) && a.classes.contains(&3));
    }

    #[test]
    fn the_matrix_counts_each_row_once() {
        let before = [0, 1, 2, 3, 4, 0];
        let after = [0, 2, 2, 3, 1, 1];
        let m = matrix(&before, &after, |_| true);
        assert_eq!(m.iter().flatten().sum::<u32>(), 6);
        assert_eq!((m[0][0], m[1][2], m[4][1], m[0][1]), (1, 1, 1, 1));
        assert_eq!(
            matrix(&before, &after, |i| i < 2)
                .iter()
                .flatten()
                .sum::<u32>(),
            2
        );
    }
}
