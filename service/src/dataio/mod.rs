//! Reading and writing the interchange format (CSV and .xlsx) with the
//! crates made for it: `csv`, `calamine`, `rust_xlsxwriter`.

mod rows;

pub use rows::{duplicate, read_file_rows, read_rows, FileRows, Row};

use crate::{Result, ServiceError};
use calamine::{DataRef, Reader};
use grading::Words;
use std::path::Path;

/// A sheet of text cells (a small file of another format, such as the
/// targets' sheet; enterprise files are read by [`read_rows`]); `rows` carry their 1-based row number in the file.
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

pub(crate) fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
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
            ServiceError::invalid(
                format!("第 {} 行无法读取（CSV 格式错误）：{e}", i + 1),
                format!("Row {} cannot be read (malformed CSV): {e}", i + 1),
            )
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

/// A cell's text (see [`rows::cell_text_into`]).
fn cell_text(d: &DataRef<'_>) -> String {
    let mut s = String::new();
    rows::cell_text_into(d, &mut s);
    s
}

/// What a workbook may unzip to in all (a 200,000-row sheet of the
/// interchange format is ~300 MB of XML); a zip bomb is stopped here.
pub const MAX_UNZIPPED: u64 = 512 << 20;
/// Columns a sheet may use (the format has 44).
pub const MAX_COLUMNS: u32 = 256;
/// Cells a sheet may hold.
pub const MAX_CELLS: usize = 20_000_000;

/// Unzips every member of the workbook into nothing, counting, before
/// anything is expanded in memory: the sizes a zip declares can lie.
fn check_unzipped_size(bytes: &[u8]) -> Result<()> {
    let bad = |e: &dyn std::fmt::Display| {
        ServiceError::invalid(
            format!("无法打开工作簿：{e}"),
            format!("The workbook cannot be opened: {e}"),
        )
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index(i).map_err(|e| bad(&e))?;
        let left = MAX_UNZIPPED - total;
        total += std::io::copy(&mut std::io::Read::take(f, left + 1), &mut std::io::sink())
            .map_err(|e| bad(&e))?;
        if total > MAX_UNZIPPED {
            let mb = MAX_UNZIPPED >> 20;
            return Err(ServiceError::invalid(
                format!("工作簿解压后超过 {mb} MB，拒绝读取（可能是压缩炸弹）；请另存为 CSV 或拆分文件"),
                format!("The workbook unpacks to more than {mb} MB and is refused (possibly a zip bomb); save it as CSV or split it"),
            ));
        }
    }
    Ok(())
}

/// A spreadsheet's name of a 0-based column (`A`, `AS`, `XFD`).
pub fn column_letters(col: u32) -> String {
    let mut c = col + 1;
    let mut letters = Vec::new();
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

/// Counts a sheet's cell at row `r`, column `c` against [`MAX_COLUMNS`]
/// and [`MAX_CELLS`].
pub(crate) fn within_limits(r: u32, c: u32, count: &mut usize) -> Result<()> {
    if c >= MAX_COLUMNS {
        let cell = cell_name(r, c);
        return Err(ServiceError::invalid(
            format!("单元格 {cell} 超出范围：工作表最多使用 {MAX_COLUMNS} 列"),
            format!("Cell {cell} is out of range: a sheet may use at most {MAX_COLUMNS} columns"),
        ));
    }
    *count += 1;
    if *count > MAX_CELLS {
        return Err(ServiceError::invalid(
            format!("工作表超过 {MAX_CELLS} 个单元格，拒绝读取；请拆分文件"),
            format!("The sheet has more than {MAX_CELLS} cells and is refused; split the file"),
        ));
    }
    Ok(())
}

/// Excel's name of a cell (`XFD1048576`), for messages.
pub(crate) fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

type Workbook<'a> = calamine::Xlsx<std::io::Cursor<&'a [u8]>>;

/// A workbook checked against [`MAX_UNZIPPED`], and the name of its first
/// sheet.
pub(crate) fn open_workbook(bytes: &[u8]) -> Result<(Workbook<'_>, String)> {
    check_unzipped_size(bytes)?;
    let wb: Workbook<'_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            ServiceError::invalid(
                format!("无法打开工作簿：{e}"),
                format!("The workbook cannot be opened: {e}"),
            )
        })?;
    let first =
        wb.sheet_names().first().cloned().ok_or_else(|| {
            ServiceError::invalid("工作簿没有工作表", "The workbook has no sheet")
        })?;
    Ok((wb, first))
}

/// The first sheet, read cell by cell as it streams out of the zip: no
/// rectangle is allocated from the sheet's claimed or actual extent, so a
/// sheet with two cells at A1 and XFD1048576 costs two cells (and is
/// refused at the second, past the last column the format can use).
pub fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    let (mut wb, first) = open_workbook(bytes)?;
    let unreadable = sheet_unreadable;
    let mut cells = wb.worksheet_cells_reader(&first).map_err(unreadable)?;
    // Rows as they come (sheets list them in order), with absolute
    // positions; the first column used is found at the end.
    let mut rows: Vec<(u32, Vec<String>)> = Vec::new();
    let (mut count, mut min_col) = (0usize, u32::MAX);
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        within_limits(r, c, &mut count)?;
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        min_col = min_col.min(c);
        if rows.last().is_none_or(|(lr, _)| *lr != r) {
            if rows.last().is_some_and(|(lr, _)| *lr > r) {
                return Err(rows_out_of_order(r, c));
            }
            rows.push((r, Vec::new()));
        }
        let row = &mut rows.last_mut().expect("pushed").1;
        if row.len() <= c as usize {
            row.resize(c as usize + 1, String::new());
        }
        row[c as usize] = text;
    }
    let mut table = Table::default();
    let skip = if min_col == u32::MAX {
        0
    } else {
        min_col as usize
    };
    for (i, (r, mut cells)) in rows.into_iter().enumerate() {
        cells.drain(..skip.min(cells.len()));
        if i == 0 {
            table.headers = cells;
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            table.rows.push((r as usize + 1, cells));
        }
    }
    Ok(table)
}

/// One bad cell or row, for the message the official reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub reason: Words,
}

impl RowError {
    pub fn new(row: usize, column: impl Into<String>, reason: Words) -> RowError {
        RowError {
            row,
            column: column.into(),
            reason,
        }
    }

    /// The message in English, as [`Display`](std::fmt::Display) gives it
    /// in Chinese.
    pub fn en(&self) -> String {
        let (row, reason) = (self.row, &self.reason.en);
        match grading::record::column_by_key(&self.column) {
            Some(c) => format!("Row {row}, column {} ({}): {reason}", c.key, c.en),
            None if self.column.is_empty() => format!("Row {row}: {reason}"),
            None => format!("Row {row}, column {}: {reason}", self.column),
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (row, reason) = (self.row, &self.reason.zh);
        match grading::record::column_by_key(&self.column) {
            Some(c) => write!(f, "第 {row} 行，列 {}（{}）：{reason}", c.key, c.zh),
            None if self.column.is_empty() => write!(f, "第 {row} 行：{reason}"),
            None => write!(f, "第 {row} 行，列 {}：{reason}", self.column),
        }
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
pub fn report(errors: &[RowError], (conclusion, conclusion_en): (&str, &str)) -> Words {
    let (mut zh, mut en) = (String::new(), String::new());
    for e in errors.iter().take(200) {
        zh.push_str(&format!("{e}\n"));
        en.push_str(&format!("{}\n", e.en()));
    }
    let n = errors.len();
    if n > 200 {
        zh.push_str(&format!("……另有 {} 处错误\n", n - 200));
        en.push_str(&format!("… and {} more\n", n - 200));
    }
    zh.push_str(&format!("共 {n} 处错误，{conclusion}\n"));
    en.push_str(&format!("{n} errors in all. {conclusion_en}\n"));
    Words::new(zh, en)
}

fn sheet_unreadable(e: calamine::XlsxError) -> ServiceError {
    ServiceError::invalid(
        format!("无法读取第一个工作表：{e}"),
        format!("The first sheet cannot be read: {e}"),
    )
}

/// A sheet whose rows come out of order (some writers do this): Excel
/// puts them in order when it saves the file again.
fn rows_out_of_order(r: u32, c: u32) -> ServiceError {
    let cell = cell_name(r, c);
    ServiceError::invalid(
        format!("单元格 {cell}：工作表的行次序错乱，请在 Excel 中另存后重试"),
        format!("Cell {cell}: the sheet's rows are out of order; save it again in Excel and retry"),
    )
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
