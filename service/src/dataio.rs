//! Reading and writing the interchange format (CSV and .xlsx) with the
//! crates made for it: `csv`, `calamine`, `rust_xlsxwriter`.

use crate::{Result, ServiceError};
use calamine::{Data, Reader};
use grading::record::{map_headers, parse_row, Column};
use grading::Enterprise;
use std::path::Path;

/// A sheet of text cells; `rows` carry their 1-based row number in the file.
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

pub fn read_table(path: &Path) -> Result<Table> {
    let bytes = std::fs::read(path)?;
    read_bytes(&bytes, is_xlsx(path))
}

/// A CSV or .xlsx file's content (an upload, say).
pub fn read_bytes(bytes: &[u8], xlsx: bool) -> Result<Table> {
    if xlsx {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

pub fn is_xlsx_name(name: &str) -> bool {
    is_xlsx(Path::new(name))
}

pub fn read_csv(bytes: &[u8]) -> Result<Table> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut table = Table::default();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            ServiceError::Invalid(format!("第 {} 行无法读取（CSV 格式错误）：{e}", i + 1))
        })?;
        let line = rec.position().map_or(i + 1, |p| p.line() as usize);
        let cells: Vec<String> = rec.iter().map(|c| unguard(c).to_string()).collect();
        if i == 0 {
            table.headers = cells;
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            table.rows.push((line, cells));
        }
    }
    Ok(table)
}

/// Excel keeps numbers as doubles; the shortest text that reads back to the
/// same double is what the official typed (Excel shows the same).
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#ERROR {e:?}"),
    }
}

pub fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .map_err(|e| ServiceError::Invalid(format!("无法打开工作簿：{e}")))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| ServiceError::Invalid("工作簿没有工作表".into()))?
        .map_err(|e| ServiceError::Invalid(format!("无法读取第一个工作表：{e}")))?;
    let mut table = Table::default();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if i == 0 {
            table.headers = cells;
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            table.rows.push((i + 1, cells));
        }
    }
    Ok(table)
}

/// One bad cell or row, for the message the official reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match grading::record::column_by_key(&self.column) {
            Some(c) => write!(
                f,
                "第 {} 行，列 {}（{}）：{}",
                self.row, c.key, c.zh, self.reason
            ),
            None if self.column.is_empty() => write!(f, "第 {} 行：{}", self.row, self.reason),
            None => write!(f, "第 {} 行，列 {}：{}", self.row, self.column, self.reason),
        }
    }
}

/// Parsed rows with their file row numbers and raw cells (borrowed from
/// the table: 40,000 rows × 44 cells are not worth copying).
pub struct Parsed<'t> {
    pub columns: Vec<&'static Column>,
    pub rows: Vec<(usize, &'t [String], Enterprise)>,
}

/// Validates headers and every row; all errors at once, or the rows.
pub fn parse_table(table: &Table) -> std::result::Result<Parsed<'_>, Vec<RowError>> {
    let columns = map_headers(&table.headers).map_err(|errs| {
        errs.into_iter()
            .map(|reason| RowError {
                row: 1,
                column: String::new(),
                reason,
            })
            .collect::<Vec<_>>()
    })?;
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut seen = std::collections::HashMap::new();
    for (line, cells) in &table.rows {
        match parse_row(&columns, cells) {
            Ok(e) => {
                if let Some(first) = seen.insert((e.uscc.clone(), e.year), *line) {
                    errors.push(RowError {
                        row: *line,
                        column: "uscc".into(),
                        reason: format!(
                            "统一社会信用代码 {} 在 {} 年度与第 {first} 行重复",
                            e.uscc, e.year
                        ),
                    });
                }
                rows.push((*line, cells.as_slice(), e));
            }
            Err(errs) => errors.extend(errs.into_iter().map(|fe| RowError {
                row: *line,
                column: fe.column.to_string(),
                reason: fe.reason,
            })),
        }
    }
    if errors.is_empty() {
        Ok(Parsed { columns, rows })
    } else {
        Err(errors)
    }
}

/// Characters with which a spreadsheet starts a formula (CSV injection).
const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as written to CSV: one that a spreadsheet would run as a
/// formula gets a leading `'` (plain numbers, negative ones too, stay as
/// they are), which [`unguard`] takes off again on import.
pub fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Starts like a formula once any leading `'` are set aside (so a cell that
/// already began with `'=` survives the round trip too), and is no number.
fn formula_like(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA)
        && grading::record::parse_decimal(cell).is_err()
}

/// The cell [`guard`] was given.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// CSV as UTF-8 with a BOM, so Excel opens Chinese text right; cells that
/// a spreadsheet would take for a formula are neutralised ([`guard`]).
pub fn csv_bytes(headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let cerr = |e: csv::Error| ServiceError::Internal(format!("写入 CSV 失败：{e}"));
        w.write_record(headers).map_err(cerr)?;
        for row in rows {
            w.write_record(row.iter().map(|c| guard(c).into_owned()))
                .map_err(cerr)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// One sheet of text cells.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub headers: &'a [&'a str],
    pub rows: &'a [Vec<String>],
}

/// A workbook of text cells, one sheet each.
pub fn xlsx_bytes(sheets: &[Sheet]) -> Result<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let xerr =
        |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(format!("写入 xlsx 失败：{e}"));
    for Sheet {
        name,
        headers,
        rows,
    } in sheets
    {
        let ws = wb.add_worksheet();
        ws.set_name(*name).map_err(xerr)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h).map_err(xerr)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, v).map_err(xerr)?;
                }
            }
        }
    }
    wb.save_to_buffer().map_err(xerr)
}

/// Writes a result table as CSV or .xlsx (by the file's extension).
pub fn write_table(path: &Path, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let bytes = if is_xlsx(path) {
        xlsx_bytes(&[Sheet {
            name: "results",
            headers,
            rows,
        }])?
    } else {
        csv_bytes(headers, rows)?
    };
    std::fs::write(path, bytes)?;
    Ok(())
}

/// Formats row errors for a person: every one up to a limit, then a count
/// and what was (not) done.
pub fn report(errors: &[RowError], conclusion: &str) -> String {
    let mut s = String::new();
    for e in errors.iter().take(200) {
        s.push_str(&e.to_string());
        s.push('\n');
    }
    if errors.len() > 200 {
        s.push_str(&format!("……另有 {} 处错误\n", errors.len() - 200));
    }
    s.push_str(&format!("共 {} 处错误，{conclusion}\n", errors.len()));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_in_csv_and_read_back_unchanged() {
        let cells = [
            "=HYPERLINK(\"http://x\")",
            "+1+2",
            "-A1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-12.50",
            "12",
            "嘉兴=南湖",
            "'=already",
        ];
        let rows = vec![cells.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
        let headers: Vec<String> = (0..cells.len()).map(|i| format!("c{i}")).collect();
        let h: Vec<&str> = headers.iter().map(String::as_str).collect();
        let bytes = csv_bytes(&h, &rows).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        for bad in ["=HYPERLINK", "+1+2", "-A1", "@SUM"] {
            assert!(text.contains(&format!("'{bad}")), "{bad} neutralised");
        }
        assert!(text.contains(",-12.50,12,"), "numbers untouched");
        let back = read_csv(&bytes).unwrap();
        assert_eq!(back.rows[0].1, rows[0], "read back unchanged");
    }
}
