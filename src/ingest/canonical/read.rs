//! Reading canonical CSV into validated frames: every cell checked against its column kind, every
//! error located by file, line and column.

#[allow(clippy::wildcard_imports)]
use super::*;
use crate::model::convert::to_usize;

/// Read one canonical table from CSV bytes (UTF-8 with or without BOM, or GBK). `file` names
/// the input in error messages.
pub fn read_table(spec: &TableSpec, file: &str, bytes: &[u8]) -> Result<(DataFrame, Vec<String>)> {
    read_csv(spec, file, bytes).map(|t| (t.frame, t.warnings))
}

/// [`read_table`] with the row references and notes (the detected encoding).
pub fn read_csv(spec: &TableSpec, file: &str, bytes: &[u8]) -> Result<TableRead> {
    let (text, encoding) = decode_text(file, bytes)?;
    let mut read = read_records(spec, file, &mut csv_reader(text.as_bytes()), &|e| {
        csv_error(file, e)
    })?;
    if encoding == TextEncoding::Gbk {
        read.notes.push(format!(
            "{file}: 检测到 GBK 编码（非 UTF-8），已按 GBK 解码"
        ));
    }
    Ok(read)
}

/// The canonical CSV reader: a header line, every record as wide as the header.
fn csv_reader<R: std::io::Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input)
}

/// The header and records of `reader` checked into a table; `error` locates a CSV error.
fn read_records<R: std::io::Read>(
    spec: &TableSpec,
    file: &str,
    reader: &mut csv::Reader<R>,
    error: &dyn Fn(&csv::Error) -> Error,
) -> Result<TableRead> {
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| error(&e))?
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader.records().map(|record| {
        let record = record.map_err(|e| error(&e))?;
        let line = record.position().map_or(0, |p| to_usize(p.line()));
        Ok((line, record))
    });
    read_cells(spec, &CsvLocator(file), &header, rows)
}

/// [`read_csv`] of the file at `path` (at most `max` bytes), parsed as it is read: a UTF-8 file
/// is never held whole in memory. A file that is not UTF-8 is read again whole and decoded as
/// [`read_csv`] does (GBK, or a located error).
pub fn read_csv_file(
    spec: &TableSpec,
    file: &str,
    path: &std::path::Path,
    max: u64,
) -> Result<TableRead> {
    use std::io::Read as _;
    // a plain file (the usual case for files this app writes) by polars' reader
    if let Some(read) = super::fast_csv::read_plain_csv(spec, file, path, max) {
        return Ok(read);
    }
    let (handle, _) = crate::ingest::input::open_file(path, max)?;
    let not_utf8 = std::cell::Cell::new(false);
    let error = |e: &csv::Error| {
        if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
            not_utf8.set(true);
        }
        csv_error(file, e)
    };
    let mut reader = csv_reader(std::io::BufReader::new(handle.take(max.saturating_add(1))));
    let streamed = read_records(spec, file, &mut reader, &error);
    if not_utf8.get() {
        let bytes = crate::ingest::input::read_file(path, max)?;
        return read_csv(spec, file, &bytes);
    }
    crate::ingest::input::check_read(path, reader.position().byte(), max)?;
    streamed
}

/// The header line of a CSV (decoded as [`read_csv`] does), for identifying its table.
pub fn csv_header(file: &str, bytes: &[u8]) -> Result<Vec<String>> {
    let (text, _) = decode_text(file, bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    Ok(reader
        .headers()
        .map_err(|e| csv_error(file, &e))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect())
}

/// An empty frame with the canonical columns and dtypes of `spec`.
pub fn empty_frame(spec: &TableSpec) -> Result<DataFrame> {
    let header: Vec<String> = spec.columns.iter().map(|c| c.name.to_owned()).collect();
    Ok(read_cells(
        spec,
        &CsvLocator(spec.name),
        &header,
        std::iter::empty::<Result<(usize, Vec<String>)>>(),
    )?
    .frame)
}

/// `df` reduced to the canonical columns of `spec`, in order, cast to the canonical dtypes; a
/// null text cell becomes the empty text (canonical text is never null).
pub fn conform(spec: &TableSpec, df: &DataFrame) -> Result<DataFrame> {
    let empty = empty_frame(spec)?;
    let columns = empty
        .columns()
        .iter()
        .map(|want| {
            let have = df.column(want.name()).map_err(|_| Error::Malformed {
                location: Location::file(spec.name),
                message: format!("数据表缺少列 `{}`，无法写出", want.name()),
            })?;
            let cast = have.cast(want.dtype())?;
            if cast.dtype() == &DataType::String && cast.null_count() > 0 {
                let filled: Vec<&str> = cast.str()?.iter().map(|v| v.unwrap_or("")).collect();
                return Ok(Column::new(want.name().clone(), filled));
            }
            Ok(cast)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(DataFrame::new(df.height(), columns)?)
}

/// The canonical table `name` (a file stem such as `amounts`).
pub fn spec_by_name(name: &str) -> Option<&'static TableSpec> {
    ALL_TABLES.iter().find(|s| s.name == name)
}

/// The canonical table whose columns are all in `header` (the one with most columns if several).
pub fn spec_by_header(header: &[String]) -> Option<&'static TableSpec> {
    ALL_TABLES
        .iter()
        .filter(|s| {
            s.columns
                .iter()
                .all(|c| c.added || header.iter().any(|h| h.trim() == c.name))
        })
        .max_by_key(|s| s.columns.len())
}

/// The years a canonical table may hold.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Validate a table given as text cells and build its frame: the core of every canonical reader
/// (CSV, Parquet, XLSX). `header` holds the input's column names; each row is the reader's row
/// key (see [`Locator`]) and the row's cells by input column.
/// The cells of one input row, by input column.
pub trait RowCells {
    /// The text of column `i` (empty when the row has no such column).
    fn cell(&self, i: usize) -> &str;
}

impl RowCells for Vec<String> {
    fn cell(&self, i: usize) -> &str {
        self.get(i).map_or("", String::as_str)
    }
}

impl RowCells for Vec<std::borrow::Cow<'_, str>> {
    fn cell(&self, i: usize) -> &str {
        self.get(i).map_or("", |c| c.as_ref())
    }
}

impl RowCells for csv::StringRecord {
    fn cell(&self, i: usize) -> &str {
        self.get(i).unwrap_or("")
    }
}

pub fn read_cells<L: Locator, R: RowCells>(
    spec: &TableSpec,
    loc: &L,
    header: &[String],
    rows: impl Iterator<Item = Result<(usize, R)>>,
) -> Result<TableRead> {
    let mut warnings = Vec::new();
    // Map each spec column to its index in the input.
    let mut index = Vec::with_capacity(spec.columns.len());
    for col in spec.columns {
        match header.iter().position(|h| h.trim() == col.name) {
            Some(i) => index.push(i),
            // a column added later, absent from an older file: every cell empty
            None if col.added => index.push(usize::MAX),
            None => {
                let mut location = loc.header(None);
                location.column = Some(col.name.to_owned());
                return Err(Error::Invalid {
                    location,
                    expected: format!("表头包含列 `{}`", col.name),
                    found: header.join(","),
                });
            }
        }
    }
    for (i, h) in header.iter().enumerate() {
        if !h.trim().is_empty() && !spec.columns.iter().any(|c| c.name == h.trim()) {
            warnings.push(format!("{} 未知列 `{h}` 已忽略", loc.header(Some(i))));
        }
    }
    // a column named twice is ambiguous: which one holds the figures?
    for (i, h) in header.iter().enumerate() {
        let name = h.trim();
        if let Some(first) = header.iter().position(|o| o.trim() == name)
            && first < i
            && !name.is_empty()
        {
            let mut location = loc.header(Some(i));
            location.column = Some(name.to_owned());
            return Err(Error::Invalid {
                location,
                expected: format!("列名不重复（`{name}` 已是第 {} 列）", first + 1),
                found: header.join(","),
            });
        }
    }

    let mut builders: Vec<Builder> =
        spec.columns
            .iter()
            .map(|col| match col.kind {
                Kind::Text | Kind::OptText | Kind::Key(_) => Builder::Text(
                    StringChunkedBuilder::new(PlSmallStr::from_static(col.name), 0),
                ),
                Kind::Int | Kind::OptInt => Builder::Int(Vec::new()),
                Kind::Dec | Kind::OptDec => Builder::Dec(Vec::new()),
                Kind::Bool => Builder::Bool(Vec::new()),
            })
            .collect();

    let mut row_refs = Vec::new();
    // the row's code, level and classification, for the amounts code check (reused buffers)
    let mut code_cells: [String; 3] = Default::default();
    // per column, decided once: its slot among those three, and the special integer checks
    let code_slot: Vec<Option<usize>> = spec
        .columns
        .iter()
        .map(|col| {
            ["code", "level", "classification"]
                .iter()
                .position(|n| *n == col.name)
        })
        .collect();
    let is_year: Vec<bool> = spec.columns.iter().map(|c| c.name == "year").collect();
    let is_line: Vec<bool> = spec
        .columns
        .iter()
        .map(|c| c.name == "source_line")
        .collect();
    let is_amounts = spec.name == AMOUNTS.name;
    for row in rows {
        let (key, record) = row?;
        for (((col, &i), builder), c) in spec
            .columns
            .iter()
            .zip(&index)
            .zip(builders.iter_mut())
            .zip(0usize..)
        {
            let raw = record.cell(i);
            let bad = |expected: &str| Error::Invalid {
                location: loc.cell(key, i, col.name),
                expected: expected.to_owned(),
                found: raw.to_owned(),
            };
            // a byte-order mark inside a cell (files pasted together) is dropped, with a
            // warning; any other control character (tab and line breaks aside) is an error
            let cleaned;
            let value = if raw.contains('\u{feff}') {
                warnings.push(format!(
                    "{} 单元格中的字节顺序标记（BOM）已删除",
                    loc.cell(key, i, col.name)
                ));
                cleaned = raw.replace('\u{feff}', "");
                cleaned.trim()
            } else {
                raw.trim()
            };
            if value
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            {
                return Err(bad("不含控制字符的文本"));
            }
            if let Some(slot) = code_slot
                .get(c)
                .copied()
                .flatten()
                .and_then(|k| code_cells.get_mut(k))
            {
                slot.clear();
                slot.push_str(value);
            }
            match (col.kind, builder) {
                (Kind::Text, Builder::Text(v)) => {
                    if value.is_empty() {
                        return Err(bad("非空文本"));
                    }
                    v.append_value(value);
                }
                (Kind::OptText, Builder::Text(v)) => v.append_value(value),
                (Kind::Key(keys), Builder::Text(v)) => {
                    if !keys.contains(&value) {
                        return Err(bad(&format!("以下取值之一: {}", keys.join(" / "))));
                    }
                    v.append_value(value);
                }
                (Kind::Int, Builder::Int(v)) => {
                    let n = value.parse::<i32>().map_err(|_| bad("整数"))?;
                    if is_year.get(c).copied().unwrap_or(false) && !(YEARS.contains(&n)) {
                        return Err(bad("1990 至 2100 之间的年度"));
                    }
                    v.push(Some(n));
                }
                (Kind::OptInt, Builder::Int(v)) => v.push(if value.is_empty() {
                    None
                } else {
                    let n = value.parse::<i32>().map_err(|_| bad("整数或空"))?;
                    if is_line.get(c).copied().unwrap_or(false) && n < 1 {
                        return Err(bad("正整数行号（从 1 起）或空"));
                    }
                    Some(n)
                }),
                (Kind::Dec, Builder::Dec(v)) => {
                    let d = parse_decimal(value)
                        .ok_or_else(|| bad("十进制数（无千分位、最多 6 位小数）"))?;
                    v.push(Some(decimal_to_i128(d).ok_or_else(|| {
                        bad("可精确存储的金额（至多 6 位小数、28 位有效数字）")
                    })?));
                }
                (Kind::OptDec, Builder::Dec(v)) => {
                    v.push(if value.is_empty() {
                        None
                    } else {
                        let d = parse_decimal(value)
                            .ok_or_else(|| bad("十进制数或空（无千分位、最多 6 位小数）"))?;
                        Some(decimal_to_i128(d).ok_or_else(|| {
                            bad("可精确存储的金额（至多 6 位小数、28 位有效数字）")
                        })?)
                    });
                }
                (Kind::Bool, Builder::Bool(v)) => v.push(match value {
                    "true" => true,
                    "false" => false,
                    _ => return Err(bad("true 或 false")),
                }),
                _ => {
                    return Err(Error::Malformed {
                        location: Location::file(loc.source()),
                        message: format!("内部错误：列 {} 的类型不一致", col.name),
                    });
                }
            }
        }
        if is_amounts {
            let code_col = AMOUNTS
                .columns
                .iter()
                .position(|c| c.name == "code")
                .and_then(|p| index.get(p))
                .copied()
                .unwrap_or_default();
            let [code, level, class] = &code_cells;
            validate_amount_code(|| loc.cell(key, code_col, "code"), code, level, class)?;
        }
        row_refs.push(u32::try_from(key).unwrap_or(u32::MAX));
    }

    let height = row_refs.len();
    let columns: Vec<Column> = spec
        .columns
        .iter()
        .zip(builders)
        .map(|(col, b)| -> Result<Column> {
            let name = PlSmallStr::from_static(col.name);
            Ok(match b {
                Builder::Text(v) => v.finish().into_series().into_column(),
                Builder::Int(v) => Column::new(name, v),
                Builder::Bool(v) => Column::new(name, v),
                Builder::Dec(v) => Int128Chunked::from_iter_options(name, v.into_iter())
                    .into_decimal(DECIMAL_PRECISION, DECIMAL_SCALE as usize)?
                    .into_series()
                    .into_column(),
            })
        })
        .collect::<Result<_>>()?;
    Ok(TableRead {
        spec: *spec,
        source: loc.source(),
        frame: DataFrame::new(height, columns)?,
        rows: RowRefs::new(row_refs, loc.row_locate()),
        warnings,
        notes: Vec::new(),
    })
}

/// `amounts.csv`: the code must be digits of the length its level says (empty for totals).
pub(super) fn validate_amount_code(
    location: impl Fn() -> Location,
    code: &str,
    level: &str,
    class: &str,
) -> Result<()> {
    let level = Level::from_key(level).unwrap_or(Level::Total);
    let class = Classification::from_key(class).unwrap_or(Classification::Functional);
    let bad = |expected: String| Error::Invalid {
        location: location(),
        expected,
        found: code.to_owned(),
    };
    if level == Level::Total {
        if !code.is_empty() {
            return Err(bad("合计行的科目编码为空".to_owned()));
        }
        return Ok(());
    }
    let parsed = Code::parse(code, class).map_err(|e| bad(e.to_string()))?;
    if parsed.level() != level {
        return Err(bad(format!(
            "{} 级科目编码（{} 位数字）",
            level.label(),
            level.digits()
        )));
    }
    Ok(())
}

/// A CSV reader's error, located at its line.
pub fn csv_error(file: &str, e: &csv::Error) -> Error {
    let line = e.position().map(|p| to_usize(p.line()));
    Error::Malformed {
        location: Location {
            file: file.to_owned(),
            line,
            column: None,
        },
        message: format!("CSV 格式错误: {e}"),
    }
}
