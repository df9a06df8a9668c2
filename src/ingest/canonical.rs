//! Reader for the canonical CSV tables described in `docs/DATA_FORMAT.md`.
//!
//! Every table is described by a [`TableSpec`]; the reader checks the header, validates every cell
//! against its column kind and builds a polars [`DataFrame`]. Money and other decimals become
//! `Decimal(38, 6)` columns (exact), integers `Int32`, flags `Boolean`, the rest `String`.
//! Any bad cell is reported with file, line and column.

use std::str::FromStr;

use polars::prelude::*;
use rust_decimal::Decimal;

use crate::error::{Error, Location, Result};
use crate::ingest::encoding::{TextEncoding, decode_text};
use crate::model::{Classification, Code, Level};

/// Scale of every decimal column: 6 decimals of 万元 keep 元 figures with their 分 exactly.
pub const DECIMAL_SCALE: u32 = 6;
/// Precision of every decimal column.
pub const DECIMAL_PRECISION: usize = 38;

/// How a column is validated and stored.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Non-empty text.
    Text,
    /// Text that may be empty.
    OptText,
    /// Integer (e.g. a year), required.
    Int,
    /// Integer or empty.
    OptInt,
    /// Decimal, required.
    Dec,
    /// Decimal or empty.
    OptDec,
    /// `true` / `false`.
    Bool,
    /// One of a closed set of keys.
    Key(&'static [&'static str]),
}

#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub kind: Kind,
    /// A column added to the format later: files written before it may lack it (read as empty).
    pub added: bool,
}

const fn c(name: &'static str, kind: Kind) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        added: false,
    }
}

/// A column added later (see [`ColumnSpec::added`]); its kind must accept an empty cell.
const fn added(name: &'static str, kind: Kind) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        added: true,
    }
}

/// Keys of `tables.verdict` (empty: not judged, e.g. a file written before verdicts existed).
pub const VERDICTS: &[&str] = &["", "verified", "partial", "doubtful"];

/// One canonical table: its file stem and its columns in order.
#[derive(Clone, Copy, Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [ColumnSpec],
}

impl TableSpec {
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }
}

const STAGES: &[&str] = &["budget_initial", "budget_adjusted", "final"];
const UNITS: &[&str] = &["万元", "元"];
const FUNDS: &[&str] = &[
    "all",
    "fiscal",
    "general_budget",
    "gov_fund",
    "state_capital",
    "other_income",
    "superior_subsidy",
    "business",
    "operating",
    "affiliated",
];

macro_rules! provenance {
    () => {
        [
            c("source_doc", Kind::Text),
            c("source_table", Kind::Text),
            c("source_line", Kind::OptInt),
            c("source_label", Kind::OptText),
            c("flags", Kind::OptText),
            c("note", Kind::OptText),
        ]
    };
}

macro_rules! table {
    ($name:literal, [$($col:expr),* $(,)?]) => {{
        const PROV: [ColumnSpec; 6] = provenance!();
        const COLS: &[ColumnSpec] = &[
            $($col,)*
            PROV[0], PROV[1], PROV[2], PROV[3], PROV[4], PROV[5],
        ];
        TableSpec { name: $name, columns: COLS }
    }};
}

pub const AMOUNTS: TableSpec = table!(
    "amounts",
    [
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("scope", Kind::Text),
        c("year", Kind::Int),
        c("stage", Kind::Key(STAGES)),
        c(
            "measure",
            Kind::Key(&["expenditure", "revenue", "carry_in", "carry_out"])
        ),
        c("fund", Kind::Key(FUNDS)),
        c("classification", Kind::Key(&["functional", "economic"])),
        c("code", Kind::OptText),
        c("name", Kind::Text),
        c("level", Kind::Key(&["total", "lei", "kuan", "xiang"])),
        c("nature", Kind::Key(&["total", "basic", "project"])),
        c("amount", Kind::Dec),
        c("source_unit", Kind::Key(UNITS)),
    ]
);

pub const REVENUE: TableSpec = table!(
    "revenue",
    [
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("scope", Kind::Text),
        c("year", Kind::Int),
        c("stage", Kind::Key(STAGES)),
        c("source", Kind::Text),
        c("source_key", Kind::Text),
        c("is_subtotal", Kind::Bool),
        c("amount", Kind::Dec),
        c("source_unit", Kind::Key(UNITS)),
    ]
);

pub const TOTALS: TableSpec = table!(
    "totals",
    [
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("scope", Kind::Text),
        c("year", Kind::Int),
        c("stage", Kind::Key(STAGES)),
        c("fund", Kind::Key(FUNDS)),
        c("item", Kind::Text),
        c("label", Kind::OptText),
        c("amount", Kind::Dec),
        c("source_unit", Kind::Key(UNITS)),
    ]
);

pub const SANGONG: TableSpec = table!(
    "sangong",
    [
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("scope", Kind::Text),
        c("year", Kind::Int),
        c("stage", Kind::Key(STAGES)),
        c(
            "category",
            Kind::Key(&[
                "total",
                "abroad",
                "vehicle",
                "vehicle_purchase",
                "vehicle_operation",
                "reception"
            ])
        ),
        c("amount", Kind::Dec),
        c("source_unit", Kind::Key(UNITS)),
    ]
);

pub const PROJECTS: TableSpec = table!(
    "projects",
    [
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("scope", Kind::Text),
        c("year", Kind::Int),
        c("project_id", Kind::Text),
        c("seq", Kind::Int),
        c("name", Kind::OptText),
        c("name_status", Kind::Key(&["ok", "garbled", "missing"])),
        c("budget_initial", Kind::OptDec),
        c("budget_full_year", Kind::OptDec),
        c("executed", Kind::OptDec),
        c("stated_rate", Kind::OptDec),
        c("score", Kind::OptDec),
        c("reason_tags", Kind::OptText),
        c("reasons", Kind::OptText),
        c("source_unit", Kind::Key(UNITS)),
    ]
);

pub const INDICATORS: TableSpec = table!(
    "indicators",
    [
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("year", Kind::Int),
        c("project_id", Kind::Text),
        c("level1", Kind::OptText),
        c("level2", Kind::OptText),
        c("indicator", Kind::OptText),
        c("target", Kind::OptText),
        c("actual", Kind::OptText),
        c("weight", Kind::OptDec),
        c("score", Kind::OptDec),
        c("has_deviation_note", Kind::Bool),
    ]
);

pub const QUARTERLY: TableSpec = table!(
    "quarterly",
    [
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("scope", Kind::Text),
        c("year", Kind::Int),
        c("quarter", Kind::Int),
        c("cumulative_actual", Kind::Dec),
        c("budget", Kind::Dec),
        c("progress", Kind::OptDec),
        c("benchmark", Kind::OptDec),
        c("quarter_rate", Kind::OptDec),
    ]
);

pub const EVALUATIONS: TableSpec = table!(
    "evaluations",
    [
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("scope", Kind::Text),
        c("year", Kind::Int),
        c("item", Kind::Text),
        c("value", Kind::Dec),
        c("value_unit", Kind::OptText),
    ]
);

pub const TABLES: TableSpec = TableSpec {
    name: "tables",
    columns: &[
        c("department", Kind::Text),
        c("unit", Kind::Text),
        c("scope", Kind::Text),
        c("year", Kind::Int),
        c("stage", Kind::Key(STAGES)),
        c("source_table", Kind::Text),
        c("title", Kind::OptText),
        c("unit_label", Kind::OptText),
        c("present", Kind::Bool),
        c("note", Kind::OptText),
        c("source_doc", Kind::Text),
        c("source_line", Kind::OptInt),
        added("verdict", Kind::Key(VERDICTS)),
        added("verdict_note", Kind::OptText),
    ],
};

/// Every canonical table, in the order they are loaded and written.
pub const ALL_TABLES: [TableSpec; 9] = [
    AMOUNTS,
    REVENUE,
    TOTALS,
    SANGONG,
    PROJECTS,
    INDICATORS,
    QUARTERLY,
    EVALUATIONS,
    TABLES,
];

/// Parse a decimal as written in canonical files: plain digits, optional sign and point, at most
/// six decimals. Thousands separators and exponents are rejected so nothing is read ambiguously.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .chars()
            .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-' || ch == '+')
    {
        return None;
    }
    let d = Decimal::from_str(t).ok()?;
    (d.scale() <= DECIMAL_SCALE).then_some(d)
}

/// The i128 mantissa of `d` at scale [`DECIMAL_SCALE`].
/// The `Decimal(38, 6)` integer of a decimal, exactly: `None` when it has more than six
/// decimals or does not fit 38 digits (never rounded: `Decimal::rescale` would round a large
/// value silently).
pub fn decimal_to_i128(d: Decimal) -> Option<i128> {
    let scale = d.scale();
    if scale > DECIMAL_SCALE {
        let n = d.normalize();
        if n.scale() > DECIMAL_SCALE {
            return None;
        }
        return decimal_to_i128(n);
    }
    let factor = 10i128.checked_pow(DECIMAL_SCALE - scale)?;
    let v = d.mantissa().checked_mul(factor)?;
    (v.unsigned_abs() < 10u128.pow(38)).then_some(v)
}

enum Builder {
    Text(Vec<String>),
    Int(Vec<Option<i32>>),
    Dec(Vec<Option<i128>>),
    Bool(Vec<bool>),
}

/// One canonical table read from an input, with what the reader noticed.
#[derive(Clone, Debug)]
pub struct TableRead {
    pub spec: TableSpec,
    /// Where the table was read from (`dir/amounts.csv`, `book.xlsx!amounts`, …).
    pub source: String,
    pub frame: DataFrame,
    /// A short reference to each row of `frame` in the input (`amounts.csv:13`,
    /// `book.xlsx!amounts!A13`), for messages about rows found later (e.g. duplicates).
    pub rows: Vec<Location>,
    /// Problems that did not stop the read (e.g. an unknown column).
    pub warnings: Vec<String>,
    /// Informational lines (e.g. the encoding that was detected).
    pub notes: Vec<String>,
}

/// Where a table's cells come from, so that every problem can be located in the input.
pub trait Locator {
    /// Name of the table's source for the import report (`amounts.csv`, `book.xlsx!amounts`).
    fn source(&self) -> String;
    /// The header row (`col = None`) or one header cell.
    fn header(&self, col: Option<usize>) -> Location;
    /// The cell of data row `row` (the reader's own row key) in input column `col`.
    fn cell(&self, row: usize, col: usize, name: &str) -> Location;
    /// The location of data row `row` as a whole.
    fn row(&self, row: usize) -> Location;
}

/// Locations in a CSV file: `file:line 列 column`; the row key is the 1-based line.
pub struct CsvLocator<'a>(pub &'a str);

impl Locator for CsvLocator<'_> {
    fn source(&self) -> String {
        self.0.to_owned()
    }
    fn header(&self, _col: Option<usize>) -> Location {
        Location {
            file: self.0.to_owned(),
            line: Some(1),
            column: None,
        }
    }
    fn cell(&self, row: usize, _col: usize, name: &str) -> Location {
        Location::at(self.0, row, name)
    }
    fn row(&self, row: usize) -> Location {
        Location {
            file: self.0.to_owned(),
            line: Some(row),
            column: None,
        }
    }
}

/// Read one canonical table from CSV bytes (UTF-8 with or without BOM, or GBK). `file` names
/// the input in error messages.
pub fn read_table(spec: &TableSpec, file: &str, bytes: &[u8]) -> Result<(DataFrame, Vec<String>)> {
    read_csv(spec, file, bytes).map(|t| (t.frame, t.warnings))
}

/// [`read_table`] with the row references and notes (the detected encoding).
pub fn read_csv(spec: &TableSpec, file: &str, bytes: &[u8]) -> Result<TableRead> {
    let (text, encoding) = decode_text(file, bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(file, &e))?
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader.into_records().map(|record| {
        let record = record.map_err(|e| csv_error(file, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        Ok((line, record.iter().map(str::to_owned).collect()))
    });
    let mut read = read_cells(spec, &CsvLocator(file), &header, rows)?;
    if encoding == TextEncoding::Gbk {
        read.notes.push(format!(
            "{file}: 检测到 GBK 编码（非 UTF-8），已按 GBK 解码"
        ));
    }
    Ok(read)
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
    Ok(read_cells(spec, &CsvLocator(spec.name), &header, std::iter::empty())?.frame)
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

/// Validate a table given as text cells and build its frame: the core of every canonical reader
/// (CSV, Parquet, XLSX). `header` holds the input's column names; each row is the reader's row
/// key (see [`Locator`]) and the row's cells by input column.
pub fn read_cells<L: Locator>(
    spec: &TableSpec,
    loc: &L,
    header: &[String],
    rows: impl Iterator<Item = Result<(usize, Vec<String>)>>,
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

    let mut builders: Vec<Builder> = spec
        .columns
        .iter()
        .map(|col| match col.kind {
            Kind::Text | Kind::OptText | Kind::Key(_) => Builder::Text(Vec::new()),
            Kind::Int | Kind::OptInt => Builder::Int(Vec::new()),
            Kind::Dec | Kind::OptDec => Builder::Dec(Vec::new()),
            Kind::Bool => Builder::Bool(Vec::new()),
        })
        .collect();

    let mut row_refs = Vec::new();
    for row in rows {
        let (key, record) = row?;
        for ((col, &i), builder) in spec.columns.iter().zip(&index).zip(builders.iter_mut()) {
            let raw = record.get(i).map_or("", String::as_str);
            let value = raw.trim();
            let bad = |expected: &str| Error::Invalid {
                location: loc.cell(key, i, col.name),
                expected: expected.to_owned(),
                found: raw.to_owned(),
            };
            match (col.kind, builder) {
                (Kind::Text, Builder::Text(v)) => {
                    if value.is_empty() {
                        return Err(bad("非空文本"));
                    }
                    v.push(value.to_owned());
                }
                (Kind::OptText, Builder::Text(v)) => v.push(value.to_owned()),
                (Kind::Key(keys), Builder::Text(v)) => {
                    if !keys.contains(&value) {
                        return Err(bad(&format!("以下取值之一: {}", keys.join(" / "))));
                    }
                    v.push(value.to_owned());
                }
                (Kind::Int, Builder::Int(v)) => {
                    v.push(Some(value.parse::<i32>().map_err(|_| bad("整数"))?));
                }
                (Kind::OptInt, Builder::Int(v)) => v.push(if value.is_empty() {
                    None
                } else {
                    Some(value.parse::<i32>().map_err(|_| bad("整数或空"))?)
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
                    })
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
        if spec.name == AMOUNTS.name {
            let code_col = AMOUNTS
                .columns
                .iter()
                .position(|c| c.name == "code")
                .and_then(|p| index.get(p))
                .copied()
                .unwrap_or_default();
            validate_amount_code(|| loc.cell(key, code_col, "code"), &builders)?;
        }
        row_refs.push(loc.row(key));
    }

    let height = row_refs.len();
    let columns: Vec<Column> = spec
        .columns
        .iter()
        .zip(builders)
        .map(|(col, b)| -> Result<Column> {
            let name = PlSmallStr::from_static(col.name);
            Ok(match b {
                Builder::Text(v) => Column::new(name, v),
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
        rows: row_refs,
        warnings,
        notes: Vec::new(),
    })
}

/// `amounts.csv`: the code must be digits of the length its level says (empty for totals).
fn validate_amount_code(location: impl Fn() -> Location, builders: &[Builder]) -> Result<()> {
    let text_at = |name: &str| -> Option<&str> {
        let i = AMOUNTS.columns.iter().position(|c| c.name == name)?;
        match builders.get(i)? {
            Builder::Text(v) => v.last().map(String::as_str),
            _ => None,
        }
    };
    let (Some(code), Some(level), Some(class)) =
        (text_at("code"), text_at("level"), text_at("classification"))
    else {
        return Ok(());
    };
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

fn csv_error(file: &str, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line() as usize);
    Error::Malformed {
        location: Location {
            file: file.to_owned(),
            line,
            column: None,
        },
        message: format!("CSV 格式错误: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "department,unit,scope,year,stage,category,amount,source_unit,source_doc,source_table,source_line,source_label,flags,note";

    #[test]
    fn reads_decimals_exactly() {
        let csv = format!(
            "{HEADER}\n部门,全部门,全部门,2020,final,total,52.70,万元,x.txt,公开07,3,,,\n部门,全部门,全部门,2021,final,total,33.453275,元,x.txt,公开07,4,,,\n"
        );
        let (df, warnings) = read_table(&SANGONG, "sangong.csv", csv.as_bytes()).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(df.height(), 2);
        let amounts = df.column("amount").unwrap().decimal().unwrap();
        assert_eq!(amounts.physical().get(0), Some(52_700_000));
        assert_eq!(amounts.physical().get(1), Some(33_453_275));
        assert_eq!(amounts.scale(), 6);
    }

    #[test]
    fn bad_cell_is_located() {
        let csv = format!(
            "{HEADER}\n部门,全部门,全部门,2020,final,total,52.70,万元,x.txt,公开07,3,,,\n部门,全部门,全部门,2020,final,total,\"1,234.5\",万元,x.txt,公开07,3,,,\n"
        );
        let err = read_table(&SANGONG, "sangong.csv", csv.as_bytes()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("sangong.csv:3"), "{text}");
        assert!(text.contains("amount"), "{text}");
        assert!(text.contains("1,234.5"), "{text}");
    }

    #[test]
    fn bad_key_and_missing_column() {
        let csv =
            format!("{HEADER}\n部门,全部门,全部门,2020,final,taxi,1,万元,x.txt,公开07,3,,,\n");
        let err = read_table(&SANGONG, "s.csv", csv.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("s.csv:2 列 category"), "{err}");

        let csv = "department,unit\n部门,全部门\n";
        let err = read_table(&SANGONG, "s.csv", csv.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("s.csv:1 列 scope"), "{err}");
    }

    #[test]
    fn too_many_decimals_rejected() {
        assert!(parse_decimal("1.1234567").is_none());
        assert!(parse_decimal("1e5").is_none());
        assert_eq!(parse_decimal("-0.5"), Decimal::from_str("-0.5").ok());
    }
}
