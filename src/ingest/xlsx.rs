//! The canonical workbook: one worksheet per canonical table, named by the table's file stem
//! (`amounts`, `revenue`, …), first row = header, one row per record.
//!
//! Writing: text columns are written as text cells (so `208` stays text), integers as numbers,
//! flags as Excel booleans, and decimals as **numbers when the number reads back as exactly the
//! same decimal** (every figure up to 15 significant digits, i.e. any 万元 amount below 10⁹ with
//! six decimals), otherwise as text holding the exact decimal. Reading accepts either cell type:
//! a number cell is turned into the shortest decimal text that reads back as the same double
//! (`63682.77`, never `63682.769999…`) and then validated like a CSV cell, so more than six
//! decimals (e.g. a formula result) is a located error, never a silent rounding.
//!
//! Problems are located as `book.xlsx!sheet!M12 列 amount`.

use std::io::Cursor;

use calamine::{Data, DataType, Reader};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Location, Result};
use crate::ingest::Tables;
use crate::ingest::canonical::{self, Locator, TableRead, TableSpec};
use crate::ingest::cells::{Cell, float_text, frame_cells};

/// Excel's name of the cell at 0-based `row`, `col` (`A1`, `M12`, `AA3`).
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

struct SheetLocator<'a> {
    file: &'a str,
    sheet: &'a str,
    /// Absolute position of the header's first cell.
    start: (u32, u32),
}

impl SheetLocator<'_> {
    fn at(&self, row: u32, col: usize) -> String {
        let col = self
            .start
            .1
            .saturating_add(u32::try_from(col).unwrap_or(u32::MAX));
        format!("{}!{}!{}", self.file, self.sheet, cell_ref(row, col))
    }
}

impl Locator for SheetLocator<'_> {
    fn source(&self) -> String {
        format!("{}!{}", self.file, self.sheet)
    }
    fn header(&self, col: Option<usize>) -> Location {
        Location::file(self.at(self.start.0, col.unwrap_or(0)))
    }
    fn cell(&self, row: usize, col: usize, name: &str) -> Location {
        Location {
            file: self.at(u32::try_from(row).unwrap_or(u32::MAX), col),
            line: None,
            column: Some(name.to_owned()),
        }
    }
    fn row(&self, row: usize) -> Location {
        Location::file(self.at(u32::try_from(row).unwrap_or(u32::MAX), 0))
    }
    fn row_locate(&self) -> canonical::RowLocate {
        let (file, sheet, start) = (self.file.to_owned(), self.sheet.to_owned(), self.start);
        std::sync::Arc::new(move |row| {
            SheetLocator {
                file: &file,
                sheet: &sheet,
                start,
            }
            .row(row)
        })
    }
}

/// A cell as the text a CSV would hold.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => format!("日期 {}", float_text(d.as_f64())),
        Data::Error(e) => e.to_string(),
    }
}

/// What a workbook holds: one result per canonical sheet, and warnings about other sheets.
#[derive(Debug)]
pub struct WorkbookRead {
    pub tables: Vec<(&'static TableSpec, Result<TableRead>)>,
    pub warnings: Vec<String>,
}

/// Caps on a workbook, checked before and while reading it (a few KB of XML can declare a
/// sheet of 17 billion cells or expand to gigabytes).
pub mod limits {
    /// Uncompressed size of one part of the workbook (a sheet, the shared strings).
    pub const MAX_PART_BYTES: u64 = 1 << 30;
    /// Uncompressed size of all parts together.
    pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
    /// Non-empty cells read from one sheet.
    pub const MAX_CELLS: usize = 20_000_000;
    /// Cells of the rectangle a sheet's cells span (what a dense table of them would hold).
    pub const MAX_AREA: u64 = 50_000_000;
}

/// Refuse a .xlsx/.xlsm (a zip) whose parts declare more than [`limits`] allow, before any of
/// it is expanded. Other formats (.xls, .ods) are left to their reader.
fn check_zip_parts(file: &str, bytes: &[u8]) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a zip: .xls, or not a workbook (calamine says so)
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        let size = entry.size();
        total = total.saturating_add(size);
        if size > limits::MAX_PART_BYTES || total > limits::MAX_TOTAL_BYTES {
            return Err(Error::Malformed {
                location: Location::file(format!(
                    "{file}!{}",
                    entry
                        .name()
                        .map(std::borrow::Cow::into_owned)
                        .unwrap_or_default()
                )),
                message: format!(
                    "工作簿解压后过大（此部分 {}，累计 {}；上限每部分 {}、合计 {}），未读取",
                    crate::ingest::input::size_text(size),
                    crate::ingest::input::size_text(total),
                    crate::ingest::input::size_text(limits::MAX_PART_BYTES),
                    crate::ingest::input::size_text(limits::MAX_TOTAL_BYTES),
                ),
            });
        }
    }
    Ok(())
}

fn open<'a>(file: &str, bytes: &'a [u8]) -> Result<calamine::Sheets<Cursor<&'a [u8]>>> {
    check_zip_parts(file, bytes)?;
    guarded(file, || {
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| Error::Malformed {
            location: Location::file(file),
            message: format!("无法打开 Excel 工作簿: {e}"),
        })
    })
}

/// A worksheet's cells as a range, within [`limits`]: for .xlsx the cells are streamed and
/// counted, and the rectangle they span is checked before it is allocated.
fn bounded_range(
    workbook: &mut calamine::Sheets<Cursor<&[u8]>>,
    file: &str,
    name: &str,
) -> Result<calamine::Range<Data>> {
    let refuse = |message: String| Error::Malformed {
        location: Location::file(format!("{file}!{name}")),
        message,
    };
    let unreadable = |e: &dyn std::fmt::Display| refuse(format!("无法读取工作表: {e}"));
    let calamine::Sheets::Xlsx(xlsx) = workbook else {
        return workbook.worksheet_range(name).map_err(|e| unreadable(&e));
    };
    let mut reader = xlsx
        .worksheet_cells_reader(name)
        .map_err(|e| unreadable(&e))?;
    let mut cells: Vec<calamine::Cell<Data>> = Vec::new();
    let (mut top, mut left, mut bottom, mut right) = (u32::MAX, u32::MAX, 0u32, 0u32);
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
        if cell.get_value().is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        (top, left) = (top.min(r), left.min(c));
        (bottom, right) = (bottom.max(r), right.max(c));
        if cells.len() >= limits::MAX_CELLS {
            return Err(refuse(format!(
                "工作表的非空单元格超过 {} 个的上限，未读取",
                limits::MAX_CELLS
            )));
        }
        cells.push(calamine::Cell::new((r, c), cell.get_value().clone().into()));
    }
    if !cells.is_empty() {
        let area = u64::from(bottom - top + 1).saturating_mul(u64::from(right - left + 1));
        if area > limits::MAX_AREA {
            return Err(refuse(format!(
                "工作表的单元格分布在 {}:{} 范围内（{area} 个单元格），超过 {} 个的上限，未读取；请删除远处的零散单元格",
                cell_ref(top, left),
                cell_ref(bottom, right),
                limits::MAX_AREA
            )));
        }
    }
    Ok(calamine::Range::from_sparse(cells))
}

/// The worksheet names of a workbook.
pub fn sheet_names(file: &str, bytes: &[u8]) -> Result<Vec<String>> {
    Ok(open(file, bytes)?.sheet_names())
}

/// Run a calamine read, turning a panic inside it (a malformed cell reference overflows its
/// arithmetic) into a located error instead of taking the app down.
fn guarded<T>(file: &str, read: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(Error::Malformed {
            location: Location::file(file),
            message: "工作簿内容损坏，读取时出错，未读取".to_owned(),
        })
    })
}

/// Every worksheet of a workbook as text for the report-text reader, one line per row so that
/// line *n* is row *n* of the sheet: a row with several cells becomes a markdown pipe row
/// (`| a | b |`, empty cells kept in place), a row with only column A becomes a plain line.
pub fn sheets_as_text(file: &str, bytes: &[u8]) -> Result<Vec<(String, String)>> {
    let mut workbook = open(file, bytes)?;
    let mut out = Vec::new();
    for name in workbook.sheet_names() {
        let range = guarded(&format!("{file}!{name}"), || {
            bounded_range(&mut workbook, file, &name)
        })?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let mut text = "\n".repeat(usize::try_from(first_row).unwrap_or(0));
        let lead = usize::try_from(first_col).unwrap_or(0);
        for row in range.rows() {
            let mut cells: Vec<String> = std::iter::repeat_n(String::new(), lead)
                .chain(row.iter().map(|c| {
                    cell_text(c)
                        .replace(['|', '\n', '\r'], " ")
                        .trim()
                        .to_owned()
                }))
                .collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            match cells.as_slice() {
                [] => {}
                [only] => text.push_str(only),
                _ => {
                    text.push_str("| ");
                    text.push_str(&cells.join(" | "));
                    text.push_str(" |");
                }
            }
            text.push('\n');
        }
        out.push((name, text));
    }
    Ok(out)
}

/// Read every canonical sheet of a workbook (sheets named after a canonical table).
pub fn read_workbook(file: &str, bytes: &[u8]) -> Result<WorkbookRead> {
    let mut workbook = open(file, bytes)?;
    let mut out = WorkbookRead {
        tables: Vec::new(),
        warnings: Vec::new(),
    };
    for name in workbook.sheet_names() {
        let Some(spec) = canonical::spec_by_name(name.trim()) else {
            out.warnings
                .push(format!("{file}!{name}: 不是规范数据表的工作表，已忽略"));
            continue;
        };
        let result = guarded(&format!("{file}!{name}"), || {
            bounded_range(&mut workbook, file, &name)
        })
        .and_then(|range| read_sheet(spec, file, &name, &range));
        out.tables.push((spec, result));
    }
    Ok(out)
}

fn read_sheet(
    spec: &TableSpec,
    file: &str,
    sheet: &str,
    range: &calamine::Range<Data>,
) -> Result<TableRead> {
    let start = range.start().unwrap_or((0, 0));
    let loc = SheetLocator { file, sheet, start };
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| cell_text(c).trim().to_owned()).collect())
        .unwrap_or_default();
    let data = rows.enumerate().filter_map(|(i, cells)| {
        let texts: Vec<String> = cells.iter().map(cell_text).collect();
        if texts.iter().all(|t| t.trim().is_empty()) {
            return None;
        }
        let row = usize::try_from(start.0).unwrap_or(usize::MAX);
        Some(Ok((row.saturating_add(i).saturating_add(1), texts)))
    });
    canonical::read_cells(spec, &loc, &header, data)
}

/// The canonical workbook of `tables` as XLSX bytes (all nine sheets, in canonical order).
pub fn write_workbook(tables: &Tables) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for (spec, df) in tables.iter() {
        let columns = frame_cells(spec, df)?;
        let sheet = workbook.add_worksheet();
        write_sheet(sheet, spec, &columns, &bold).map_err(|e| xlsx_error(spec, &e))?;
    }
    workbook.save_to_buffer().map_err(|e| Error::Malformed {
        location: Location::file("workbook"),
        message: format!("无法生成 XLSX: {e}"),
    })
}

fn xlsx_error(spec: &TableSpec, e: &XlsxError) -> Error {
    Error::Malformed {
        location: Location::file(spec.name),
        message: format!("无法写入工作表：{e}"),
    }
}

fn write_sheet(
    sheet: &mut Worksheet,
    spec: &TableSpec,
    columns: &[Vec<Cell>],
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(spec.name)?;
    for (c, col) in (0u16..).zip(spec.columns) {
        sheet.write_string_with_format(0, c, col.name, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (c, cells) in (0u16..).zip(columns) {
        for (r, cell) in (1u32..).zip(cells) {
            match cell {
                Cell::Null => {}
                Cell::Text(t) => {
                    if !t.is_empty() {
                        sheet.write_string(r, c, t)?;
                    }
                }
                Cell::Int(i) => {
                    sheet.write_number(r, c, *i as f64)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(r, c, *b)?;
                }
                Cell::Dec(d) => match exact_f64(*d) {
                    Some(f) => {
                        sheet.write_number(r, c, f)?;
                    }
                    None => {
                        sheet.write_string(r, c, d.normalize().to_string())?;
                    }
                },
            }
        }
    }
    sheet.autofit();
    Ok(())
}

/// `d` as a double when the double's shortest text is exactly `d` again (so a number cell
/// loses nothing), else `None`.
pub fn exact_f64(d: Decimal) -> Option<f64> {
    let text = d.normalize().to_string();
    let f: f64 = text.parse().ok()?;
    let back: Decimal = float_text(f).parse().ok()?;
    (f.is_finite() && back == d).then_some(f)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::str::FromStr;

    use super::*;

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(11, 12), "M12");
        assert_eq!(cell_ref(2, 25), "Z3");
        assert_eq!(cell_ref(2, 26), "AA3");
        assert_eq!(cell_ref(0, 701), "ZZ1");
        assert_eq!(cell_ref(0, 702), "AAA1");
    }

    #[test]
    fn numbers_only_when_exact() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        for s in [
            "63682.77",
            "0.000001",
            "-0.5",
            "0",
            "123456789.123456",
            "298448",
        ] {
            let f = exact_f64(d(s)).unwrap();
            assert_eq!(d(&float_text(f)), d(s), "{s}");
        }
        assert_eq!(exact_f64(d("9007199254740993")), None);
        assert_eq!(exact_f64(d("98765432109876543.654321")), None);
    }
}
