//! Reader for the canonical CSV tables described in `docs/DATA_FORMAT.md`.
//!
//! Every table is described by a [`TableSpec`]; the reader checks the header, validates every cell
//! against its column kind and builds a polars [`DataFrame`]. Money and other decimals become
//! `Decimal(38, 6)` columns (exact), integers `Int32`, flags `Boolean`, the rest `String`.
//! Any bad cell is reported with file, line and column.

mod fast;
mod fast_csv;
mod read;

pub use fast::validated;
pub use fast_csv::read_plain_csv;

pub use read::{
    RowCells, conform, csv_error, csv_header, empty_frame, read_cells, read_csv, read_csv_file,
    read_table, spec_by_header, spec_by_name,
};

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

/// One column of a canonical table: its name and what its cells may hold.
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
    /// Arrow string views built in place: no heap allocation per cell, no copy at the end.
    Text(StringChunkedBuilder),
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
    pub rows: RowRefs,
    /// Problems that did not stop the read (e.g. an unknown column).
    pub warnings: Vec<String>,
    /// Informational lines (e.g. the encoding that was detected).
    pub notes: Vec<String>,
}

/// Turns a reader's row key into the row's [`Location`].
pub type RowLocate = std::sync::Arc<dyn Fn(usize) -> Location + Send + Sync>;

/// Where each row of a [`TableRead`] is in its input, kept as one number per row (the reader's
/// row key: a CSV line, a sheet row, a Parquet row) and turned into a [`Location`] only when a
/// message needs one (a `Location` per row cost about 100 bytes a row on large inputs).
#[derive(Clone)]
pub struct RowRefs {
    keys: Vec<u32>,
    locate: RowLocate,
}

impl RowRefs {
    /// Rows with these keys, located by `locate`; a key beyond `u32` is kept as `u32::MAX`.
    pub fn new(keys: Vec<u32>, locate: RowLocate) -> Self {
        Self { keys, locate }
    }

    /// Rows `1..=n`, located by `locate`.
    pub fn numbered(n: usize, locate: RowLocate) -> Self {
        let keys = (1..=n)
            .map(|k| u32::try_from(k).unwrap_or(u32::MAX))
            .collect();
        Self { keys, locate }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The location of row `i` (0-based) of the frame.
    pub fn get(&self, i: usize) -> Option<Location> {
        self.keys
            .get(i)
            .map(|&k| (self.locate)(usize::try_from(k).unwrap_or(usize::MAX)))
    }
}

impl std::fmt::Debug for RowRefs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RowRefs({} rows", self.keys.len())?;
        if let Some(first) = self.get(0) {
            write!(f, ", first {first}")?;
        }
        write!(f, ")")
    }
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
    /// [`Locator::row`] as an owned function, for the read's [`RowRefs`].
    fn row_locate(&self) -> RowLocate;
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
    fn row_locate(&self) -> RowLocate {
        let file = self.0.to_owned();
        std::sync::Arc::new(move |row| CsvLocator(&file).row(row))
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
