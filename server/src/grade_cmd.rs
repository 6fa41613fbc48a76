//! `server grade`: grade a file without any database.

use crate::error::{Result, ServerError};
use grading::ruleset::Scope;
use grading::CohortKey;
use grading::{format_score, Enterprise, Graded, Grader, Ruleset};
use service::dataio::{guard, read_file_rows, report, write_table, RowError};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

pub const RESULT_HEADERS: [&str; 9] = [
    "uscc",
    "status",
    "cohort",
    "score",
    "rank",
    "cohort_size",
    "base_class",
    "class",
    "reasons",
];

pub fn load_ruleset(path: Option<&Path>) -> Result<Ruleset> {
    let Some(p) = path else {
        return Ok(Ruleset::builtin_2020());
    };
    let text = std::fs::read_to_string(p)?;
    let is_json = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    Ok(if is_json {
        Ruleset::from_json(&text)?
    } else {
        Ruleset::from_toml(&text)?
    })
}

/// Grades a file: read into typed rows (both cores), each year graded on
/// its own from memory, the results written out as they are formatted.
pub fn run(
    input: &Path,
    output: &Path,
    scope: Option<Scope>,
    ruleset: Option<&Path>,
) -> Result<usize> {
    let mut rs = load_ruleset(ruleset)?;
    if let Some(s) = scope {
        rs.cohort.scope = s;
    }
    let file = read_file_rows(input, false)?;
    if !file.is_valid() {
        return Err(ServerError::Input(
            report(&file.errors, ("未生成结果。", "No results were written.")).zh,
        ));
    }
    let n = file.rows.len();
    let lines: Vec<usize> = file.rows.iter().map(|r| r.line).collect();
    let at_line = |i: usize| lines.get(i).copied().unwrap_or(0);
    let refused = |row: usize, e: grading::InputError| {
        ServerError::Input(
            report(
                &[RowError {
                    row,
                    column: e.field.into(),
                    reason: e.reason,
                }],
                ("未生成结果。", "No results were written."),
            )
            .zh,
        )
    };
    // Each row's year and place in it. One year (the usual file): the rows
    // become the engine's in place; several: each year's move into its own.
    let first_year = file.rows.first().map(|r| r.enterprise.year);
    let mut graders = BTreeMap::new();
    let mut place: Vec<(i32, usize)> = Vec::new();
    if file
        .rows
        .iter()
        .all(|r| Some(r.enterprise.year) == first_year)
    {
        let rows: Vec<Enterprise> = file.rows.into_iter().map(|r| r.enterprise).collect();
        if let Some(year) = first_year {
            let g = Grader::new(rs.clone(), rows).map_err(|e| refused(at_line(e.index), e))?;
            graders.insert(year, g);
            place = (0..n).map(|i| (year, i)).collect();
        }
    } else {
        let mut years: BTreeMap<i32, Vec<Enterprise>> = BTreeMap::new();
        for row in file.rows {
            let year = years.entry(row.enterprise.year).or_default();
            place.push((row.enterprise.year, year.len()));
            year.push(row.enterprise);
        }
        for (year, rows) in years {
            let g = Grader::new(rs.clone(), rows).map_err(|e| {
                let i = place.iter().position(|p| *p == (year, e.index));
                refused(i.map_or(0, at_line), e)
            })?;
            graders.insert(year, g);
        }
    }
    let rows = place.iter().map(|(year, i)| {
        let g = &graders[year];
        (&g.rows()[*i], &g.results()[*i])
    });
    let mut cells = ResultCells::new(&rs);
    if service::dataio::is_xlsx_name(&output.to_string_lossy()) {
        let rows: Vec<Vec<String>> = rows
            .map(|(e, r)| {
                let mut row = Vec::with_capacity(RESULT_HEADERS.len());
                cells.each(e, r, |c| row.push(c.to_string()));
                row
            })
            .collect();
        write_table(output, &RESULT_HEADERS, &rows)?;
    } else {
        write_csv(output, rows, &mut cells)?;
    }
    Ok(n)
}

/// Formats result rows, cell by cell, into reused buffers (a file of
/// 200,000 rows would otherwise make 1.8 million strings).
struct ResultCells<'r> {
    rs: &'r Ruleset,
    cohorts: HashMap<CohortKey, String>,
    buf: String,
}

impl<'r> ResultCells<'r> {
    fn new(rs: &'r Ruleset) -> Self {
        ResultCells {
            rs,
            cohorts: HashMap::new(),
            buf: String::new(),
        }
    }

    /// Hands each cell of `e`'s result row to `cell`, in [`RESULT_HEADERS`] order.
    fn each(&mut self, e: &Enterprise, r: &Graded, mut cell: impl FnMut(&str)) {
        let rs = self.rs;
        cell(&e.uscc);
        cell(r.status.code());
        cell(r.cohort.map_or("", |c| {
            self.cohorts.entry(c).or_insert_with(|| c.name(rs)).as_str()
        }));
        cell(&r.score.map(format_score).unwrap_or_default());
        let mut number = |v: Option<u32>, cell: &mut dyn FnMut(&str)| {
            self.buf.clear();
            if let Some(v) = v {
                let _ = write!(self.buf, "{v}");
            }
            cell(&self.buf);
        };
        number(r.rank, &mut cell);
        number(r.cohort_size, &mut cell);
        cell(r.base_class.map_or("", |c| c.code()));
        cell(r.class.map_or("", |c| c.code()));
        self.buf.clear();
        for (k, x) in r.reasons.iter().enumerate() {
            if k > 0 {
                self.buf.push(';');
            }
            self.buf.push_str(x.code());
        }
        cell(&self.buf);
    }
}

/// The result file as CSV (UTF-8 with a BOM, formula-safe like every CSV
/// the platform writes), written row by row.
fn write_csv<'a>(
    output: &Path,
    rows: impl Iterator<Item = (&'a Enterprise, &'a Graded)>,
    cells: &mut ResultCells,
) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(output)?);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::Writer::from_writer(out);
    let cerr = |e: csv::Error| ServerError::Input(format!("写入结果文件失败：{e}"));
    w.write_record(RESULT_HEADERS).map_err(cerr)?;
    for (e, r) in rows {
        let mut failed = None;
        cells.each(e, r, |c| {
            if let Err(e) = w.write_field(guard(c).as_bytes()) {
                failed.get_or_insert(e);
            }
        });
        if let Some(e) = failed {
            return Err(cerr(e));
        }
        w.write_record(std::iter::empty::<&[u8]>()).map_err(cerr)?;
    }
    w.flush()?;
    Ok(())
}
