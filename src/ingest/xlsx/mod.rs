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

use calamine::{Data, Reader};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Location, Result};
use crate::ingest::Tables;
use crate::ingest::canonical::{self, Locator, TableRead, TableSpec};
use crate::ingest::cells::{Cell, float_text, frame_cells};

mod ods;
mod rows;

type Book<'a> = calamine::Sheets<Cursor<&'a [u8]>>;

/// A workbook's zip archive, opened once for the checks before calamine reads it.
type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

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
    /// Uncompressed size of the shared strings (all held in memory while the workbook is read).
    pub const MAX_SHARED_STRINGS_BYTES: u64 = 256 << 20;
    /// Entries of the shared strings, counted or declared (`uniqueCount`).
    pub const MAX_SHARED_STRINGS: u64 = 10_000_000;
    /// Cells an Open Document (.ods) sheet may expand to (calamine holds them all, then a dense range
    /// of 32 bytes per cell).
    pub const MAX_ODS_CELLS: u64 = 20_000_000;
}

/// Refuse a workbook zip (.xlsx, .xlsm, .ods) whose parts declare more than [`limits`] allow,
/// before any of it is expanded.
fn check_zip_parts(file: &str, zip: &mut Zip<'_>) -> Result<()> {
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

/// Refuse shared strings that would not fit the [`limits`] once read: calamine reads them all when
/// the workbook is opened, and reserves room for as many as `uniqueCount` declares. The part is
/// streamed (64 KB at a time) and its entries counted before calamine sees it.
fn check_shared_strings(file: &str, zip: &mut Zip<'_>) -> Result<()> {
    use std::io::Read as _;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(std::result::Result::ok)
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .map(std::borrow::Cow::into_owned)
        .collect();
    for name in names {
        let refuse = |message: String| Error::Malformed {
            location: Location::file(format!("{file}!{name}")),
            message,
        };
        let Ok(part) = zip.by_name(&name) else {
            continue;
        };
        if part.size() > limits::MAX_SHARED_STRINGS_BYTES {
            return Err(refuse(format!(
                "共享字符串解压后 {}，超过 {} 的上限，未读取",
                crate::ingest::input::size_text(part.size()),
                crate::ingest::input::size_text(limits::MAX_SHARED_STRINGS_BYTES)
            )));
        }
        let mut reader = part.take(limits::MAX_SHARED_STRINGS_BYTES);
        let mut buf = vec![0u8; 1 << 16];
        // the last bytes of the previous chunk, so that a tag split between chunks is seen
        let mut carry: Vec<u8> = Vec::new();
        let (mut entries, mut declared) = (0u64, None::<u64>);
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| refuse(format!("无法读取共享字符串: {e}")))?;
            if n == 0 {
                break;
            }
            carry.extend_from_slice(buf.get(..n).unwrap_or_default());
            if declared.is_none()
                && let Some(count) = unique_count(&carry)
            {
                declared = Some(count);
            }
            entries += count_entries(&carry);
            let keep = carry.len().min(3);
            carry.drain(..carry.len() - keep);
            if declared.unwrap_or(0).max(entries) > limits::MAX_SHARED_STRINGS {
                return Err(refuse(format!(
                    "共享字符串超过 {} 个的上限（{}），未读取",
                    crate::model::format_count(limits::MAX_SHARED_STRINGS),
                    if entries > limits::MAX_SHARED_STRINGS {
                        format!("已数到 {} 个", crate::model::format_count(entries))
                    } else {
                        format!(
                            "声明 {} 个",
                            crate::model::format_count(declared.unwrap_or(0))
                        )
                    }
                )));
            }
        }
    }
    Ok(())
}

/// The `uniqueCount` of the `<sst …>` start tag, when `xml` holds the whole tag.
fn unique_count(xml: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(xml.get(..xml.len().min(4096))?);
    let tag_start = text.find("<sst").or_else(|| text.find(":sst"))?;
    let tag = text.get(tag_start..)?;
    let tag = tag.get(..tag.find('>')?)?;
    let at = tag.find("uniqueCount")?;
    let value = tag.get(at..)?.split(['"', '\'']).nth(1)?;
    // a count too large for u64 is as good as infinite
    Some(value.trim().parse::<u64>().unwrap_or(u64::MAX))
}

/// Start tags of shared-string entries (`<si>`, `<si …>`, `<x:si>`) in `xml`. A chunk keeps the
/// previous one's last 3 bytes in front, which hold no whole 4-byte match, so none is counted
/// twice.
fn count_entries(xml: &[u8]) -> u64 {
    let tag = |w: &&[u8]| {
        matches!(w.first(), Some(b'<' | b':'))
            && w.get(1..3) == Some(b"si")
            && matches!(w.get(3), Some(b'>' | b' ' | b'/' | b'\t' | b'\n' | b'\r'))
    };
    xml.windows(4).filter(tag).count() as u64
}

fn open<'a>(file: &str, bytes: &'a [u8]) -> Result<calamine::Sheets<Cursor<&'a [u8]>>> {
    // a zip (.xlsx, .xlsm, .ods) is checked before calamine expands any of it; anything else
    // (.xls, or not a workbook) is left to calamine, which says so
    if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) {
        check_zip_parts(file, &mut zip)?;
        check_shared_strings(file, &mut zip)?;
        ods::check(file, &mut zip)?;
    }
    guarded(file, || {
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| Error::Malformed {
            location: Location::file(file),
            message: format!("无法打开 Excel 工作簿: {e}"),
        })
    })
}

/// The worksheet names of a workbook.
pub fn sheet_names(file: &str, bytes: &[u8]) -> Result<Vec<String>> {
    Ok(open(file, bytes)?.sheet_names())
}

/// Run a calamine read, turning a panic inside it (a malformed cell reference overflows its
/// arithmetic) into a located error instead of taking the app down.
fn guarded<T>(file: &str, read: impl FnOnce() -> Result<T>) -> Result<T> {
    crate::ingest::contain::contained(read).unwrap_or_else(|| {
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
        let text = guarded(&format!("{file}!{name}"), || {
            sheet_text(&mut workbook, file, &name)
        })?;
        out.push((name, text));
    }
    Ok(out)
}

fn sheet_text(workbook: &mut Book<'_>, file: &str, name: &str) -> Result<String> {
    let mut rows = rows::Rows::open(workbook, file, name)?;
    let mut text = String::new();
    // rows written so far: a row's line is preceded by empty lines for the blank rows before it
    let mut lines = 0u32;
    while let Some((row, cells)) = rows.next_row()? {
        for _ in lines..row {
            text.push('\n');
        }
        lines = row.saturating_add(1);
        let width = cells
            .iter()
            .map(|(c, _)| *c)
            .max()
            .map_or(0, |c| c as usize + 1);
        let mut texts = vec![String::new(); width];
        for (c, value) in &cells {
            if let Some(slot) = texts.get_mut(*c as usize) {
                *slot = value.replace(['|', '\n', '\r'], " ").trim().to_owned();
            }
        }
        while texts.last().is_some_and(String::is_empty) {
            texts.pop();
        }
        match texts.as_slice() {
            [] => {}
            [only] => text.push_str(only),
            _ => {
                text.push_str("| ");
                text.push_str(&texts.join(" | "));
                text.push_str(" |");
            }
        }
        text.push('\n');
    }
    Ok(text)
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
            let mut rows = rows::Rows::open(&mut workbook, file, &name)?;
            let mut rows = std::iter::from_fn(|| rows.next_row().transpose());
            read_sheet(spec, file, &name, &mut rows)
        });
        out.tables.push((spec, result));
    }
    Ok(out)
}

/// A canonical table from a sheet's rows, streamed: the first row with a cell is the header, its
/// first cell's column the table's first column.
fn read_sheet(
    spec: &TableSpec,
    file: &str,
    sheet: &str,
    rows: &mut dyn Iterator<Item = Result<rows::Row<'_>>>,
) -> Result<TableRead> {
    let (top, header_cells) = rows.next().transpose()?.unwrap_or_default();
    let left = header_cells.iter().map(|(c, _)| *c).min().unwrap_or(0);
    let width = header_cells
        .iter()
        .map(|(c, _)| (c - left) as usize + 1)
        .max()
        .unwrap_or(0);
    let mut header = vec![String::new(); width];
    for (c, value) in &header_cells {
        if let Some(slot) = header.get_mut((c - left) as usize) {
            *slot = value.trim().to_owned();
        }
    }
    let loc = SheetLocator {
        file,
        sheet,
        start: (top, left),
    };
    let data = rows.filter_map(|row| {
        let (row, cells) = match row {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        let mut texts = vec![std::borrow::Cow::Borrowed(""); width];
        for (c, value) in cells {
            if c < left {
                return Some(Err(Error::Malformed {
                    location: Location::file(format!("{file}!{sheet}!{}", cell_ref(row, c))),
                    message: format!(
                        "单元格在表头左侧（表头从 {} 开始），不属于任何列",
                        cell_ref(top, left)
                    ),
                }));
            }
            if let Some(slot) = texts.get_mut((c - left) as usize) {
                *slot = value;
            }
        }
        if texts.iter().all(|t| t.trim().is_empty()) {
            return None;
        }
        Some(Ok((row as usize, texts)))
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
