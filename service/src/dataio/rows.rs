//! Reading an interchange file straight into the engine's rows.
//!
//! A 200,000-row file has 8.8 million cells: none becomes a string of its
//! own. CSV is split by the `csv` crate into one reused `ByteRecord` and
//! each cell is read from its bytes; a workbook's cells go through one
//! reused row of buffers. Only the text that is kept (USCC, name, lessor,
//! and numbers typed otherwise than their shortest form, e.g. `12.50`)
//! is copied. A CSV without quotes (what departments export) is cut at
//! line ends into pieces that both cores read at once, joined in order;
//! every error is still reported by row and column, all of them.

use super::{column_letters, RowError};
use crate::{Result, ServiceError};
use grading::record::{column, column_by_key, map_headers, Column, Kind, RowParser};
use grading::{County, Enterprise, Words};
use rustc_hash::FxHashMap;
use std::fmt::Write;

/// One valid data row.
#[derive(Clone, Debug)]
pub struct Row {
    /// The row's number in the file (1-based; the header is row 1).
    pub line: usize,
    pub enterprise: Enterprise,
    /// Numbers typed otherwise than the shortest form of their value
    /// (`12.50`, `007`), by column position, when asked for: the stored
    /// text is what the official typed.
    pub verbatim: Vec<(usize, Box<str>)>,
}

/// A file read: its columns, the rows that parsed, and every error.
#[derive(Debug, Default)]
pub struct FileRows {
    pub columns: Vec<&'static Column>,
    pub rows: Vec<Row>,
    /// Every problem, in row order (a row's cells in column order); the
    /// header's own problems are on row 1 with no column.
    pub errors: Vec<RowError>,
    /// The county cell of each row that did not parse, where it names a
    /// county: a confined official also hears which rows are another
    /// county's.
    pub unparsed_counties: Vec<(usize, County)>,
    /// Data rows in the file (blank rows aside).
    pub data_rows: usize,
}

impl FileRows {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The rows the file names, with their county, valid or not.
    pub fn counties(&self) -> impl Iterator<Item = (usize, County)> + '_ {
        self.rows
            .iter()
            .map(|r| (r.line, r.enterprise.county))
            .chain(self.unparsed_counties.iter().copied())
    }

    /// The text stored for column `k` of `row` (see [`Row::verbatim`]).
    pub fn stored_text(&self, row: &Row, k: usize) -> String {
        match row.verbatim.iter().find(|(c, _)| *c == k) {
            Some((_, t)) => t.to_string(),
            None => grading::record::field_text(&row.enterprise, self.columns[k]),
        }
    }
}

/// Reads a CSV or .xlsx file into typed rows. `verbatim` keeps numbers'
/// typed text (an import stores it; grading does not need it). An error
/// is returned only for a file that cannot be read at all; bad cells are
/// in [`FileRows::errors`].
pub fn read_rows(bytes: &[u8], xlsx: bool, verbatim: bool) -> Result<FileRows> {
    if xlsx {
        read_xlsx_rows(bytes, verbatim)
    } else {
        read_csv_rows(bytes, verbatim)
    }
}

/// Reads a file from disk (see [`read_rows`]).
pub fn read_file_rows(path: &std::path::Path, verbatim: bool) -> Result<FileRows> {
    let bytes = std::fs::read(path)?;
    read_rows(&bytes, super::is_xlsx(path), verbatim)
}

/// What every row of a file is read against.
struct Header {
    /// None when the header itself is wrong: rows are then only looked
    /// at for their county.
    parser: Option<RowParser>,
    columns: Vec<&'static Column>,
    county: Option<usize>,
    verbatim: bool,
}

impl Header {
    fn new(headers: &[String], verbatim: bool) -> (Header, Vec<RowError>) {
        let county = headers
            .iter()
            .position(|h| column_by_key("county").is_some_and(|c| column(h) == Some(c)));
        match map_headers(headers) {
            Ok(columns) => (
                Header {
                    parser: Some(RowParser::new(&columns)),
                    columns,
                    county,
                    verbatim,
                },
                vec![],
            ),
            Err(errs) => (
                Header {
                    parser: None,
                    columns: vec![],
                    county,
                    verbatim,
                },
                errs.into_iter()
                    .map(|reason| RowError {
                        row: 1,
                        column: String::new(),
                        reason,
                    })
                    .collect(),
            ),
        }
    }

    /// One data row; None for a blank one.
    fn row<S: AsRef<str>>(&self, line: usize, cells: &[S], scratch: &mut String) -> Option<Item> {
        if cells.iter().all(|c| c.as_ref().trim().is_empty()) {
            return None;
        }
        let county = || {
            self.county
                .and_then(|k| cells.get(k))
                .and_then(|c| County::parse(c.as_ref()))
        };
        let Some(parser) = &self.parser else {
            return Some(Item::Bad {
                line,
                errors: vec![],
                county: county(),
            });
        };
        Some(match parser.parse(cells) {
            Ok(enterprise) => {
                let verbatim = if self.verbatim {
                    self.verbatim_numbers(cells, &enterprise, scratch)
                } else {
                    vec![]
                };
                Item::Ok(Row {
                    line,
                    enterprise,
                    verbatim,
                })
            }
            Err(errs) => Item::Bad {
                line,
                errors: errs
                    .into_iter()
                    .map(|fe| RowError {
                        row: line,
                        // A cell beyond the header's columns: named as the
                        // spreadsheet names it.
                        column: if fe.column.is_empty() {
                            surplus_column(cells, self.columns.len())
                        } else {
                            fe.column.to_string()
                        },
                        reason: fe.reason,
                    })
                    .collect(),
                county: county(),
            },
        })
    }

    fn verbatim_numbers<S: AsRef<str>>(
        &self,
        cells: &[S],
        e: &Enterprise,
        scratch: &mut String,
    ) -> Vec<(usize, Box<str>)> {
        let mut out = Vec::new();
        for (k, col) in self.columns.iter().enumerate() {
            if !matches!(col.kind, Kind::Number(_)) {
                continue;
            }
            let typed = cells.get(k).map_or("", |c| c.as_ref().trim());
            if typed.is_empty() {
                continue;
            }
            scratch.clear();
            if let Some(v) = grading::record::number_value(e, col.key) {
                let _ = write!(scratch, "{v}");
            }
            if typed != scratch {
                out.push((k, typed.into()));
            }
        }
        out
    }
}

/// A data row as read: valid, or its errors. Handed straight to a
/// [`Piece`], never stored, so its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Item {
    Ok(Row),
    Bad {
        line: usize,
        errors: Vec<RowError>,
        county: Option<County>,
    },
}

/// The first non-empty cell past the header's `n` columns, as a letter.
fn surplus_column<S: AsRef<str>>(cells: &[S], n: usize) -> String {
    let k = (n..cells.len())
        .find(|&k| !cells[k].as_ref().trim().is_empty())
        .unwrap_or(n);
    column_letters(k as u32)
}

/// The rows of one piece of a file, as read.
#[derive(Default)]
struct Piece {
    rows: Vec<Row>,
    errors: Vec<RowError>,
    counties: Vec<(usize, County)>,
    data_rows: usize,
}

impl Piece {
    fn add(&mut self, item: Item) {
        self.data_rows += 1;
        match item {
            Item::Ok(row) => self.rows.push(row),
            Item::Bad {
                line,
                errors,
                county,
            } => {
                self.errors.extend(errors);
                if let Some(c) = county {
                    self.counties.push((line, c));
                }
            }
        }
    }
}

/// Joins the pieces of a file in order: duplicates found, errors in row
/// order. Each piece is freed as soon as its rows have moved.
fn join(header: Header, header_errors: Vec<RowError>, pieces: Vec<Piece>) -> FileRows {
    let total: usize = pieces.iter().map(|p| p.rows.len()).sum();
    let mut out = FileRows {
        errors: header_errors,
        ..FileRows::default()
    };
    for mut piece in pieces {
        if out.rows.is_empty() {
            // The first piece's rows are the base (growing a large block
            // moves no memory: the allocator remaps it).
            std::mem::swap(&mut out.rows, &mut piece.rows);
            out.rows.reserve_exact(total - out.rows.len());
        } else {
            out.rows.append(&mut piece.rows);
        }
        out.errors.append(&mut piece.errors);
        out.unparsed_counties.append(&mut piece.counties);
        out.data_rows += piece.data_rows;
    }
    let mut seen: FxHashMap<(&str, i32), usize> =
        FxHashMap::with_capacity_and_hasher(out.rows.len(), Default::default());
    let mut duplicates = Vec::new();
    for r in &out.rows {
        let e = &r.enterprise;
        if let Some(first) = seen.insert((e.uscc.as_str(), e.year), r.line) {
            duplicates.push(RowError {
                row: r.line,
                column: "uscc".into(),
                reason: duplicate(&e.uscc, e.year, first),
            });
        }
    }
    drop(seen);
    if !duplicates.is_empty() {
        out.errors.extend(duplicates);
        out.errors.sort_by_key(|e| e.row);
    }
    out.columns = header.columns;
    out
}

/// A record that could not be read (only text that is not UTF-8 stops
/// the `csv` crate, which reads any other bytes as some record).
fn unreadable(e: csv::Error) -> ServiceError {
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, err } => not_utf8(
            pos.as_ref().map_or(0, |p| p.line()) as usize,
            err.field() + 1,
        ),
        _ => ServiceError::invalid(
            format!("CSV 文件无法读取：{e}"),
            format!("The CSV file cannot be read: {e}"),
        ),
    }
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

/// Pieces worth a thread of their own.
const PIECE: usize = 1 << 20;

fn read_csv_rows(bytes: &[u8], verbatim: bool) -> Result<FileRows> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    read_csv_threads(bytes, verbatim, threads)
}

fn read_csv_threads(bytes: &[u8], verbatim: bool, threads: usize) -> Result<FileRows> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv_reader(bytes);
    let mut rec = csv::StringRecord::new();
    if !rdr.read_record(&mut rec).map_err(unreadable)? {
        let (header, errs) = Header::new(&[], verbatim);
        return Ok(join(header, errs, vec![]));
    }
    let headers: Vec<String> = rec.iter().map(|c| super::unguard(c).to_string()).collect();
    let (header, header_errors) = Header::new(&headers, verbatim);
    let start = rdr.position().byte() as usize;
    let first_line = rdr.position().line() as usize;
    let data = &bytes[start..];
    // Without a quote character every record is one line, so a piece may
    // start after any line end; with quotes (a name with a comma, a cell
    // over several lines) the file is read in one piece.
    let pieces = if threads > 1 && data.len() >= 2 * PIECE && memchr::memchr(b'"', data).is_none() {
        split_lines(data, first_line, threads * 4)
    } else {
        vec![(data, first_line)]
    };
    // The `csv` crate drops a byte-order mark at the start of its input: a
    // piece that starts with one (a line copied from the top of a file)
    // starts one byte earlier, at the line end before it, so the mark
    // stays in its cell as it does when the file is read in one go.
    let pieces: Vec<(&[u8], usize, bool)> = pieces
        .into_iter()
        .map(|(piece, line)| {
            let at = piece.as_ptr() as usize - bytes.as_ptr() as usize;
            if piece.starts_with(b"\xEF\xBB\xBF") && at > 0 {
                // The piece's numbering starts at that line end's line.
                (&bytes[at - 1..at + piece.len()], line - 1, true)
            } else {
                (piece, line, false)
            }
        })
        .collect();
    let parsed: Vec<Result<Piece>> = if pieces.len() == 1 {
        vec![csv_piece(&header, pieces[0])]
    } else {
        // Pieces taken in turn by as many threads as there are cores.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let slots: Vec<std::sync::Mutex<Option<Result<Piece>>>> =
            pieces.iter().map(|_| Default::default()).collect();
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(piece) = pieces.get(i) else {
                        break;
                    };
                    let r = csv_piece(&header, *piece);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(r);
                    }
                });
            }
        });
        slots
            .into_iter()
            .map(|m| {
                m.into_inner()
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| Err(ServiceError::internal("a piece was not read")))
            })
            .collect()
    };
    let pieces = parsed.into_iter().collect::<Result<Vec<_>>>()?;
    let j = join(header, header_errors, pieces);
    Ok(j)
}

/// Cuts `data` (lines numbered from `first_line`) into about `n` pieces at
/// line ends, each with the number of its first line.
fn split_lines(data: &[u8], first_line: usize, n: usize) -> Vec<(&[u8], usize)> {
    let size = data.len().div_ceil(n).max(PIECE / 4);
    let mut out = Vec::new();
    let (mut from, mut line) = (0, first_line);
    while from < data.len() {
        let to = match data.get(from + size..) {
            Some(rest) => memchr::memchr(b'\n', rest).map_or(data.len(), |i| from + size + i + 1),
            None => data.len(),
        };
        out.push((&data[from..to], line));
        line += memchr::memchr_iter(b'\n', &data[from..to]).count();
        from = to;
    }
    out
}

/// Reads one piece of CSV whose first line is `first_line`: one record
/// and one list of cells reused for every row (UTF-8 is checked once per
/// record, by the `csv` crate).
/// A piece that starts one byte early (see above) begins with an empty
/// line, and the `csv` crate gives its first record the position where
/// reading began, not the line after: that record is on line 2 at least.
fn csv_piece(header: &Header, (piece, first_line, early): (&[u8], usize, bool)) -> Result<Piece> {
    let mut rdr = csv_reader(piece);
    let mut rec = csv::StringRecord::new();
    let mut items = Piece::default();
    items.rows.reserve(piece.len() / 250 + 1);
    let mut scratch = String::new();
    // An emptied vector of borrowed cells is collected back into a
    // `'static` one, which reuses its allocation.
    let mut spare: Vec<&'static str> = Vec::new();
    let relative = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Utf8 { pos: Some(p), err } => {
            not_utf8(first_line + p.line() as usize - 1, err.field() + 1)
        }
        _ => unreadable(e),
    };
    while rdr.read_record(&mut rec).map_err(relative)? {
        let at = rec.position().map_or(1, |p| p.line() as usize);
        let line = first_line + if early { at.max(2) } else { at } - 1;
        let mut cells: Vec<&str> = spare;
        cells.extend(rec.iter().map(super::unguard));
        if let Some(item) = header.row(line, &cells, &mut scratch) {
            items.add(item);
        }
        cells.clear();
        spare = cells.into_iter().map(|_| "").collect();
    }
    Ok(items)
}

/// Excel keeps numbers as doubles; the shortest text that reads back to the
/// same double is what the official typed (Excel shows the same).
pub(super) fn cell_text_into(d: &calamine::DataRef<'_>, out: &mut String) {
    use calamine::DataRef;
    out.clear();
    let _ = match d {
        DataRef::Empty => Ok(()),
        DataRef::String(s) => {
            out.push_str(s);
            Ok(())
        }
        DataRef::SharedString(s) => {
            out.push_str(s);
            Ok(())
        }
        DataRef::Float(f) => write!(out, "{f}"),
        DataRef::Int(i) => write!(out, "{i}"),
        DataRef::Bool(b) => write!(out, "{b}"),
        DataRef::DateTime(dt) => write!(out, "{dt}"),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            out.push_str(s);
            Ok(())
        }
        DataRef::Error(e) => write!(out, "#ERROR {e:?}"),
    };
}

/// One row of a sheet being read, by absolute column: buffers reused
/// from row to row (a sheet has at most [`super::MAX_COLUMNS`] columns).
#[derive(Default)]
struct RowBuffer {
    cells: Vec<String>,
    used: usize,
    /// The first column with a cell.
    first: u32,
    /// 0-based sheet row, when a row is being filled.
    row: Option<u32>,
}

impl RowBuffer {
    fn start(&mut self, r: u32) {
        for c in &mut self.cells[..self.used] {
            c.clear();
        }
        self.used = 0;
        self.first = u32::MAX;
        self.row = Some(r);
    }

    fn set(&mut self, c: u32, text: &str) {
        let k = c as usize;
        while self.cells.len() <= k {
            self.cells.push(String::new());
        }
        self.cells[k].clear();
        self.cells[k].push_str(text);
        self.used = self.used.max(k + 1);
        self.first = self.first.min(c);
    }
}

/// The first sheet, read cell by cell as it streams out of the zip (see
/// [`super::read_xlsx`] for the limits). The header row's first cell is
/// where the table starts; a cell left of it is an error of its row.
fn read_xlsx_rows(bytes: &[u8], verbatim: bool) -> Result<FileRows> {
    use super::{cell_name, within_limits};
    let (mut wb, sheet) = super::open_workbook(bytes)?;
    let unreadable = super::sheet_unreadable;
    let mut cells = wb.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let mut head: Option<(Header, Vec<RowError>, u32)> = None;
    let mut items = Piece::default();
    let mut buffer = RowBuffer::default();
    let (mut text, mut scratch) = (String::new(), String::new());
    let mut count = 0usize;
    // Reads the row in the buffer, now complete.
    let mut finish = |b: &RowBuffer, head: &mut Option<(Header, Vec<RowError>, u32)>| {
        let Some(r) = b.row else { return };
        let line = r as usize + 1;
        match head {
            None => {
                let (h, errs) = Header::new(&b.cells[b.first as usize..b.used], verbatim);
                *head = Some((h, errs, b.first));
            }
            Some((_, _, first)) if b.first < *first => items.add(Item::Bad {
                line,
                errors: vec![RowError {
                    row: line,
                    column: column_letters(b.first),
                    reason: {
                        let (cell, from) = (cell_name(r, b.first), column_letters(*first));
                        Words::new(
                            format!("单元格 {cell} 在表头左侧（表头从 {from} 列开始）"),
                            format!(
                                "Cell {cell} is left of the header (which starts at column {from})"
                            ),
                        )
                    },
                }],
                county: None,
            }),
            Some((h, _, first)) => {
                if let Some(item) = h.row(line, &b.cells[*first as usize..b.used], &mut scratch) {
                    items.add(item);
                }
            }
        }
    };
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        within_limits(r, c, &mut count)?;
        cell_text_into(cell.get_value(), &mut text);
        if text.is_empty() {
            continue;
        }
        if buffer.row != Some(r) {
            if buffer.row.is_some_and(|lr| lr > r) {
                return Err(super::rows_out_of_order(r, c));
            }
            finish(&buffer, &mut head);
            buffer.start(r);
        }
        buffer.set(c, &text);
    }
    finish(&buffer, &mut head);
    let (header, header_errors) = match head {
        Some((h, errs, _)) => (h, errs),
        None => Header::new(&[], verbatim),
    };
    Ok(join(header, header_errors, vec![items]))
}

/// A second row of one enterprise and year in a file.
pub fn duplicate(uscc: &str, year: i32, first: usize) -> Words {
    Words::new(
        format!("统一社会信用代码 {uscc} 在 {year} 年度与第 {first} 行重复"),
        format!("{uscc} appears twice in {year}: also on row {first}"),
    )
}

/// A CSV line that is not UTF-8 (a file saved as GBK, usually).
fn not_utf8(line: usize, column: usize) -> ServiceError {
    ServiceError::invalid(
        format!("第 {line} 行无法读取（CSV 格式错误）：第 {column} 列不是有效的 UTF-8 文本；请以 UTF-8 编码保存文件"),
        format!("Row {line} cannot be read (malformed CSV): column {column} is not UTF-8 text; save the file as UTF-8"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use grading::record::{field_text, COLUMNS};

    /// A file of `n` rows (a quarter above-size) as an export writes it.
    fn city_csv(n: usize) -> Vec<String> {
        let city = grading::synth::city(9, 2020, n / 4, n - n / 4);
        let mut lines = vec![COLUMNS.iter().map(|c| c.key).collect::<Vec<_>>().join(",")];
        lines.extend(city.iter().map(|e| {
            COLUMNS
                .iter()
                .map(|c| field_text(e, c))
                .collect::<Vec<_>>()
                .join(",")
        }));
        lines
    }

    /// Pieces read on several threads give what one reading gives: the same
    /// rows at the same line numbers, the same errors in the same order,
    /// with blank lines, bad cells and a duplicate spread over the pieces.
    #[test]
    fn pieces_read_in_parallel_join_as_one_reading() {
        let mut lines = city_csv(12_000);
        let dup = lines[5].clone();
        lines[3_000] = lines[3_000].replacen(",above,", ",sideways,", 1);
        lines[9_000] = lines[9_000].replacen(",below,", ",sideways,", 1);
        lines.insert(7_000, String::new());
        lines.insert(7_000, ",,,".into());
        lines.push(dup);
        lines[11_500].push_str(",surplus");
        // A line copied from the top of a file, mark and all, at the start
        // of a piece and inside one.
        let marked = format!("\u{feff}{}", lines[20]);
        lines[5_000] = marked.clone();
        lines.insert(1, marked);
        let bytes = (lines.join("\n") + "\n").into_bytes();
        assert!(bytes.len() > 2 * PIECE, "several pieces");
        let one = read_csv_threads(&bytes, true, 1).unwrap();
        let many = read_csv_threads(&bytes, true, 4).unwrap();
        assert_eq!(one.errors, many.errors);
        assert_eq!(one.data_rows, many.data_rows);
        assert_eq!(one.rows.len(), many.rows.len());
        for (a, b) in one.rows.iter().zip(&many.rows) {
            assert_eq!((a.line, &a.enterprise), (b.line, &b.enterprise));
        }
        let rows: Vec<usize> = many.errors.iter().map(|e| e.row).collect();
        assert_eq!(many.errors.len(), 6, "{:?}", many.errors);
        assert!(
            many.errors
                .iter()
                .any(|e| e.row == 2 && e.reason.zh.contains("19 位")),
            "{:?}",
            &many.errors[..2]
        );
        assert!(
            many.errors[5].reason.zh.contains("重复"),
            "{:?}",
            many.errors[5]
        );
        assert_eq!(
            *rows.last().unwrap(),
            lines.len(),
            "the duplicate, last line"
        );
        assert!(
            many.errors.iter().any(|e| e.column == "AS"),
            "the surplus cell"
        );
        // A row's number is its line in the file (the header is line 1).
        let at = |line: usize| lines[line - 1].split(',').next().unwrap().to_string();
        for r in many.rows.iter().step_by(997) {
            assert_eq!(r.enterprise.uscc, at(r.line));
        }
    }

    /// Numbers keep the text they were typed with when it is not the
    /// value's shortest form; the rest is rebuilt from the value.
    #[test]
    fn typed_numbers_are_kept_verbatim() {
        let mut lines = city_csv(4);
        let k = COLUMNS.iter().position(|c| c.key == "land_mu").unwrap();
        let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
        cells[k] = "12.50".into();
        lines[1] = cells.join(",");
        let file = read_csv_rows(lines.join("\n").as_bytes(), true).unwrap();
        assert!(file.is_valid(), "{:?}", file.errors);
        let row = &file.rows[0];
        assert_eq!(row.verbatim, vec![(k, "12.50".into())]);
        assert_eq!(file.stored_text(row, k), "12.50");
        assert!(file.rows[1].verbatim.is_empty());
    }
}
