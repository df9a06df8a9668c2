//! A plain canonical CSV read by polars' multithreaded reader instead of cell by cell.
//!
//! "Plain" is decided by one streaming pass over the bytes before polars reads anything: the
//! header line is exactly the canonical column names in order; every line has exactly as many
//! separators as the header (no ragged, empty or short line, which polars would pad with
//! nulls); quotes only in the standard form (a whole field quoted, `""` inside, never across a
//! line break) and no carriage return — so a record is one line, and a row's line number is its
//! index + 2. The columns polars returns as text are then checked by
//! the same predicates as [`read_cells`] and converted the same way: text column by column over
//! its distinct values (see [`super::fast`]), numbers value by value with the cell reader's own
//! parsers. Anything else — a value with surrounding spaces, a byte-order mark, a bad number, a
//! code that does not fit its level, a file that is not UTF-8 — answers `None`, and the caller
//! reads the file cell by cell, which gives the same frame or the located error.

#[allow(clippy::wildcard_imports)]
use super::*;

use std::io::Read as _;

use fast::{codes_ok, int_ok, text_ok};

/// Bytes read at a time by the pre-scan.
const CHUNK: usize = 1 << 20;

/// The separators of a line outside quotes, if the line is plain: a quote only opens a field
/// and closes it before a separator or the line's end (`""` inside), and no quoted field runs
/// on to the next line.
fn separators(line: &[u8]) -> Option<usize> {
    if memchr::memchr(b'"', line).is_none() {
        return Some(memchr::memchr_iter(b',', line).count());
    }
    let (mut count, mut at_start, mut quoted) = (0, true, false);
    let mut bytes = line.iter().peekable();
    while let Some(&b) = bytes.next() {
        match (quoted, b) {
            (false, b'"') if at_start => quoted = true,
            (false, b'"') => return None,
            (false, b',') => {
                count += 1;
                at_start = true;
                continue;
            }
            (true, b'"') => match bytes.peek() {
                Some(b'"') => {
                    bytes.next();
                }
                Some(b',') | None => quoted = false,
                Some(_) => return None,
            },
            _ => {}
        }
        at_start = false;
    }
    (!quoted).then_some(count)
}

/// The number of records of a plain file (see the module documentation), or `None`.
fn scan(spec: &TableSpec, path: &std::path::Path) -> Option<usize> {
    let mut file = std::fs::File::open(path).ok()?;
    let expected = spec.columns.len() - 1;
    let header: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    let header = header.join(",");
    let mut buf = vec![0u8; CHUNK];
    let mut carry: Vec<u8> = Vec::new();
    let mut lines = 0usize;
    let mut line = |l: &[u8]| -> Option<()> {
        if memchr::memchr(b'\r', l).is_some() {
            return None;
        }
        if lines == 0 {
            (l == header.as_bytes()).then_some(())?;
        } else if separators(l)? != expected {
            return None;
        }
        lines += 1;
        Some(())
    };
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        let chunk = buf.get(..n)?;
        let joined;
        let data: &[u8] = if carry.is_empty() {
            chunk
        } else {
            joined = [carry.as_slice(), chunk].concat();
            &joined
        };
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', data) {
            line(data.get(start..end)?)?;
            start = end + 1;
        }
        carry = data.get(start..)?.to_vec();
    }
    if !carry.is_empty() {
        line(&carry)?;
    }
    lines.checked_sub(1)
}

/// A text column as polars read it (empty cells are empty strings, as the cell reader keeps them).
fn text(kind: Kind, values: &StringChunked) -> Option<Column> {
    let column = values.clone().into_series().into_column();
    text_ok(kind, &column).then_some(column)
}

fn ints(kind: Kind, name: &'static str, values: &StringChunked) -> Option<Column> {
    let parsed: Option<Vec<Option<i32>>> = values
        .iter()
        .map(|v| match v? {
            "" if matches!(kind, Kind::OptInt) => Some(None),
            v => v.parse::<i32>().ok().map(Some),
        })
        .collect();
    let column = Column::new(PlSmallStr::from_static(name), parsed?);
    int_ok(kind, name, &column).then_some(column)
}

fn decimals(kind: Kind, name: &'static str, values: &StringChunked) -> Option<Column> {
    let parsed: Option<Vec<Option<i128>>> = values
        .iter()
        .map(|v| match v? {
            "" if matches!(kind, Kind::OptDec) => Some(None),
            v => parse_decimal(v).and_then(decimal_to_i128).map(Some),
        })
        .collect();
    let column =
        Int128Chunked::from_iter_options(PlSmallStr::from_static(name), parsed?.into_iter())
            .into_decimal(DECIMAL_PRECISION, DECIMAL_SCALE as usize)
            .ok()?
            .into_series()
            .into_column();
    Some(column)
}

fn bools(name: &'static str, values: &StringChunked) -> Option<Column> {
    let parsed: Option<Vec<bool>> = values
        .iter()
        .map(|v| match v? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
        .collect();
    Some(Column::new(PlSmallStr::from_static(name), parsed?))
}

/// The table of a plain canonical CSV file of at most `max` bytes, or `None` (read it cell by
/// cell).
pub fn read_plain_csv(
    spec: &TableSpec,
    file: &str,
    path: &std::path::Path,
    max: u64,
) -> Option<TableRead> {
    if std::fs::metadata(path).ok()?.len() > max || spec.columns.is_empty() {
        return None;
    }
    let records = scan(spec, path)?;
    let schema: Schema = spec
        .columns
        .iter()
        .map(|c| Field::new(PlSmallStr::from_static(c.name), DataType::String))
        .collect();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema(Some(std::sync::Arc::new(schema)))
        .map_parse_options(|o| o.with_missing_is_null(false))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .ok()?
        .finish()
        .ok()?;
    if df.height() != records {
        return None;
    }
    let mut columns = Vec::with_capacity(spec.columns.len());
    for col in spec.columns {
        let values = df.column(col.name).ok()?.str().ok()?;
        if values.null_count() > 0 {
            return None;
        }
        columns.push(match col.kind {
            Kind::Text | Kind::OptText | Kind::Key(_) => text(col.kind, values)?,
            Kind::Int | Kind::OptInt => ints(col.kind, col.name, values)?,
            Kind::Dec | Kind::OptDec => decimals(col.kind, col.name, values)?,
            Kind::Bool => bools(col.name, values)?,
        });
    }
    let frame = DataFrame::new(records, columns).ok()?;
    if spec.name == AMOUNTS.name && !codes_ok(&frame) {
        return None;
    }
    // a record per line after the header: line numbers 2, 3, …
    let keys = (2..records.saturating_add(2))
        .map(|k| u32::try_from(k).unwrap_or(u32::MAX))
        .collect();
    Some(TableRead {
        spec: *spec,
        source: file.to_owned(),
        rows: RowRefs::new(keys, CsvLocator(file).row_locate()),
        frame,
        warnings: Vec::new(),
        notes: Vec::new(),
    })
}
