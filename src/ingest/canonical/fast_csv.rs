//! A plain canonical CSV read by polars' multithreaded reader instead of cell by cell.
//!
//! "Plain" is decided over the bytes of each piece of the file before polars reads that piece:
//! the header line is exactly the canonical column names in order; every line has exactly as many
//! separators as the header (no ragged, empty or short line, which polars would pad with
//! nulls); quotes only in the standard form (a whole field quoted, `""` inside, never across a
//! line break) and no carriage return — so a record is one line, and a row's line number is its
//! index + 2. The columns polars returns are then checked by
//! the same predicates as [`read_cells`] and converted the same way: text column by column over
//! its distinct values (see [`super::fast`]), numbers value by value with the cell reader's own
//! parsers. Anything else — a value with surrounding spaces, a byte-order mark, a bad number, a
//! code that does not fit its level, a file that is not UTF-8 — answers `None`, and the caller
//! reads the file cell by cell, which gives the same frame or the located error.

#[allow(clippy::wildcard_imports)]
use super::*;

use std::io::Read as _;

use rayon::prelude::*;

use fast::{codes_ok, distinct_ok, int_ok};

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

/// The number of lines of `data` (whole lines; the last may lack its line feed), if every one
/// is plain (see the module documentation) with `expected` separators; else `None`.
fn plain_lines(data: &[u8], expected: usize) -> Option<usize> {
    if memchr::memchr(b'\r', data).is_some() {
        return None;
    }
    let (mut lines, mut start) = (0usize, 0usize);
    for end in memchr::memchr_iter(b'\n', data) {
        (separators(data.get(start..end)?)? == expected).then_some(())?;
        lines += 1;
        start = end + 1;
    }
    if start < data.len() {
        (separators(data.get(start..)?)? == expected).then_some(())?;
        lines += 1;
    }
    Some(lines)
}

/// [`plain_lines`] of a piece, its two halves (split at a line feed) on two threads.
fn plain_piece(piece: &[u8], expected: usize) -> Option<usize> {
    let middle = piece.len() / 2;
    let split = piece
        .get(middle..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
        .map(|i| middle + i + 1);
    match split {
        Some(at) if piece.len() >= PARALLEL_SCAN => {
            let (first, second) = piece.split_at(at);
            let (a, b) = rayon::join(
                || plain_lines(first, expected),
                || plain_lines(second, expected),
            );
            Some(a? + b?)
        }
        _ => plain_lines(piece, expected),
    }
}

/// Below this many bytes a piece is checked on one thread.
const PARALLEL_SCAN: usize = 1 << 20;

/// A text column as polars read it, as a categorical of its own (see [`piece_schema`]): empty
/// cells are nulls there and become empty strings, as the cell reader keeps them. Every
/// distinct value is checked once, and the column is the distinct values gathered by the
/// categories: a value longer than a view holds (12 bytes) is stored once per piece of the
/// file. Read as text, polars' reader stored such a value again in each row (a department, a
/// name, a document in every row of a million: the 1 M-row city held 105 MB more than from
/// Parquet), and finding the distinct values hashed every row twice more; as a categorical
/// each row is hashed once, while it is read.
fn text(kind: Kind, column: &Column) -> Option<Column> {
    let cats = column.cat32().ok()?;
    let mapping = cats.get_mapping();
    // the ids of a mapping of its own are 0, 1, … in the order first read
    let n = mapping.num_cats_upper_bound();
    let mut values: Vec<&str> = (0..n)
        .map(|i| mapping.cat_to_str(u32::try_from(i).ok()?))
        .collect::<Option<_>>()?;
    let empty = u32::try_from(values.len()).ok()?;
    let physical = cats.physical();
    if physical.null_count() > 0 {
        values.push("");
    }
    let distinct = Column::new(column.name().clone(), values);
    if !distinct_ok(kind, &distinct) {
        return None;
    }
    // one chunk (the reader's threads make several): one array sharing the values' buffer
    let index = physical.fill_null_with_values(empty).ok()?;
    distinct.take(&index.rechunk()).ok()
}

/// The schema a piece is read with: the text columns as categoricals, each with categories
/// of its own (ids from 0, only its values), the others as text.
fn piece_schema(spec: &TableSpec) -> Schema {
    spec.columns
        .iter()
        .map(|c| {
            let dtype = match c.kind {
                Kind::Text | Kind::OptText | Kind::Key(_) => DataType::from_categories(
                    Categories::random("fiscal-lens-csv".into(), CategoricalPhysical::U32),
                ),
                _ => DataType::String,
            };
            Field::new(PlSmallStr::from_static(c.name), dtype)
        })
        .collect()
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

/// Bytes of a file parsed at a time by [`read_plain_csv`] (whole lines: a piece runs on to the
/// end of its last line).
const PIECE: usize = 32 << 20;

/// The typed columns of one piece of whole lines of a plain file (no header line), or `None`;
/// each column converted, then its text dropped.
fn typed_piece(
    spec: &TableSpec,
    piece: Vec<u8>,
    laps: &mut crate::diag::Laps,
) -> Option<DataFrame> {
    let df = CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(piece_schema(spec))))
        .map_parse_options(|o| o.with_missing_is_null(false))
        .into_reader_with_file_handle(std::io::Cursor::new(piece))
        .finish()
        .ok()?;
    laps.lap("parse");
    let height = df.height();
    // the reader's columns are the schema's, in its order; converted on two threads (the
    // conversion is mostly one thread's work per column)
    let columns: Option<Vec<Column>> = spec
        .columns
        .par_iter()
        .zip(df.into_columns())
        .map(|(col, column)| {
            // nulls: only the empty cells of a categorical (see `text`)
            let text_kind = matches!(col.kind, Kind::Text | Kind::OptText | Kind::Key(_));
            if column.name().as_str() != col.name || (!text_kind && column.null_count() > 0) {
                return None;
            }
            match col.kind {
                Kind::Text | Kind::OptText | Kind::Key(_) => text(col.kind, &column),
                Kind::Int | Kind::OptInt => ints(col.kind, col.name, column.str().ok()?),
                Kind::Dec | Kind::OptDec => decimals(col.kind, col.name, column.str().ok()?),
                Kind::Bool => bools(col.name, column.str().ok()?),
            }
        })
        .collect();
    laps.lap("convert");
    let columns = columns?;
    DataFrame::new(height, columns).ok()
}

/// The table of a plain canonical CSV file of at most `max` bytes, or `None` (read it cell by
/// cell).
pub fn read_plain_csv(
    spec: &TableSpec,
    file: &str,
    path: &std::path::Path,
    max: u64,
) -> Option<TableRead> {
    read_in_pieces(spec, file, path, max, PIECE)
}

/// [`read_plain_csv`], parsing `piece` bytes at a time.
fn read_in_pieces(
    spec: &TableSpec,
    file: &str,
    path: &std::path::Path,
    max: u64,
    piece_bytes: usize,
) -> Option<TableRead> {
    let size = std::fs::metadata(path).ok()?.len();
    if size > max || spec.columns.is_empty() {
        return None;
    }
    // a small file is read in one piece of its own size
    let piece_bytes = piece_bytes
        .clamp(1, usize::try_from(size).unwrap_or(usize::MAX))
        .saturating_add(1);
    let mut laps = crate::diag::Laps::new("csv");
    let expected = spec.columns.len() - 1;
    let header: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    let header = header.join(",");
    // the file is parsed one piece of whole lines at a time: a thread reads each piece and
    // checks it plain (see `plain_piece`) while the piece before it is parsed, and each piece's
    // text is converted before the next is parsed. A piece's bytes and text are held, and the
    // next piece's bytes, not the file's (polars mapped the whole file: 221 MB of the 706 MB
    // peak of reading the 1 M-row city)
    let file_bytes = std::fs::File::open(path).ok()?;
    let (send, receive) = std::sync::mpsc::sync_channel::<Option<(Vec<u8>, usize)>>(0);
    let produce = move || {
        let mut bytes = file_bytes;
        let mut carry: Vec<u8> = Vec::new();
        let mut in_header = true;
        loop {
            let mut piece = std::mem::take(&mut carry);
            piece.reserve(piece_bytes);
            let Ok(n) = (&mut bytes)
                .take(u64::try_from(piece_bytes).unwrap_or(u64::MAX))
                .read_to_end(&mut piece)
            else {
                let _ = send.send(None);
                return;
            };
            if n > 0 {
                // the piece ends after its last line feed; the rest starts the next piece
                let end = memchr::memrchr(b'\n', &piece).map_or(0, |i| i + 1);
                carry = piece.split_off(end);
            }
            if in_header && !piece.is_empty() {
                // the header line: exactly the canonical names in order
                let end = memchr::memchr(b'\n', &piece).unwrap_or(piece.len());
                if piece.get(..end) != Some(header.as_bytes()) {
                    let _ = send.send(None);
                    return;
                }
                piece.drain(..(end + 1).min(piece.len()));
                in_header = false;
            }
            if !piece.is_empty() {
                let lines = plain_piece(&piece, expected);
                // a closed channel: the reader stopped (a piece it could not use)
                if send.send(lines.map(|l| (piece, l))).is_err() || lines.is_none() {
                    return;
                }
            }
            if n == 0 {
                break;
            }
        }
        // an empty file has no header
        if in_header {
            let _ = send.send(None);
        }
    };
    let (frame, records) = std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("csv-read".into())
            .spawn_scoped(s, produce)
            .ok()?;
        // dropped when this closure returns, early or not: a reading thread waiting to hand
        // over its next piece then stops, and the scope can end
        let receive = receive;
        let mut frame: Option<DataFrame> = None;
        let mut records = 0usize;
        for message in &receive {
            let (piece, lines) = message?;
            records += lines;
            laps.lap("read");
            let part = typed_piece(spec, piece, &mut laps)?;
            match frame.as_mut() {
                Some(f) => {
                    f.vstack_mut_owned(part).ok()?;
                }
                None => frame = Some(part),
            }
        }
        Some((frame, records))
    })?;
    let frame = match frame {
        Some(f) => f,
        None => empty_frame(spec).ok()?,
    };
    if frame.height() != records {
        return None;
    }
    if spec.name == AMOUNTS.name && !codes_ok(&frame) {
        return None;
    }
    laps.lap("codes");
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in amounts read whole and in pieces of 1 byte, 100 bytes (less than a line)
    /// and 4 KiB: the same frame.
    #[test]
    fn pieces_read_the_same_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("amounts.csv");
        std::fs::write(&path, include_str!("../../../sample-data/amounts.csv")).unwrap();
        let whole = read_in_pieces(&AMOUNTS, "amounts.csv", &path, u64::MAX, usize::MAX)
            .unwrap()
            .frame;
        assert_eq!(whole.height(), 742);
        for piece in [0, 1, 100, 4096] {
            let read = read_in_pieces(&AMOUNTS, "amounts.csv", &path, u64::MAX, piece).unwrap();
            assert!(read.frame.equals_missing(&whole), "pieces of {piece} bytes");
        }
        // a long text value is stored once per piece, not once per row
        let departments = whole.column("department").unwrap().str().unwrap();
        let mut stored = 0;
        for array in departments.downcast_iter() {
            stored += array.total_buffer_len();
        }
        let distinct: usize = departments
            .unique()
            .unwrap()
            .iter()
            .map(|v| v.unwrap_or("").len())
            .filter(|&n| n > 12)
            .sum();
        assert!(
            distinct > 12 && stored <= distinct,
            "{stored} bytes for {distinct}"
        );
        // the last line without its line feed
        let text = include_str!("../../../sample-data/amounts.csv");
        std::fs::write(&path, text.trim_end_matches('\n')).unwrap();
        let read = read_in_pieces(&AMOUNTS, "amounts.csv", &path, u64::MAX, 100).unwrap();
        assert!(read.frame.equals_missing(&whole));
    }
}
