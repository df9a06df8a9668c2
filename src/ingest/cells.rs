//! Frames ↔ cells: the typed cells of a canonical frame (for the writers) and any polars column
//! as canonical text (for re-validating Parquet input with the same rules as CSV).

use polars::prelude::*;
use rust_decimal::Decimal;

use crate::error::{Error, Location, Result};
use crate::ingest::canonical::{ColumnSpec, DECIMAL_PRECISION, DECIMAL_SCALE, Kind, TableSpec};

/// One cell of a canonical table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Dec(Decimal),
    Bool(bool),
    /// An empty optional cell.
    Null,
}

impl Cell {
    /// The cell as canonical CSV writes it (decimals without trailing zeros, never an exponent).
    pub fn to_text(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self {
            Cell::Text(t) => Cow::Borrowed(t),
            Cell::Int(i) => Cow::Owned(i.to_string()),
            Cell::Dec(d) => Cow::Owned(d.normalize().to_string()),
            Cell::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Cell::Null => Cow::Borrowed(""),
        }
    }
}

/// The canonical columns of `df` (in `spec` order) as typed cells, column by column. Columns of
/// another dtype are cast to the canonical one first; a missing column is an error naming the
/// table.
pub fn frame_cells(spec: &TableSpec, df: &DataFrame) -> Result<Vec<Vec<Cell>>> {
    spec.columns
        .iter()
        .map(|col| column_cells(col, spec_column(spec, df, col)?))
        .collect()
}

/// The column `col` of `spec` in `df`; missing, an error naming the table (nothing is written).
pub fn spec_column<'a>(
    spec: &TableSpec,
    df: &'a DataFrame,
    col: &ColumnSpec,
) -> Result<&'a Column> {
    df.column(col.name).map_err(|_| Error::Malformed {
        location: Location::file(spec.name),
        message: format!("数据表缺少列 `{}`，无法写出", col.name),
    })
}

/// One canonical column of a frame as typed cells (cast to the canonical dtype first).
pub fn column_cells(col: &ColumnSpec, column: &Column) -> Result<Vec<Cell>> {
    let series = column.as_materialized_series();
    Ok(match col.kind {
        Kind::Text | Kind::OptText | Kind::Key(_) => series
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|v| v.map_or(Cell::Null, |t| Cell::Text(t.to_owned())))
            .collect(),
        Kind::Int | Kind::OptInt => series
            .cast(&DataType::Int64)?
            .i64()?
            .iter()
            .map(|v| v.map_or(Cell::Null, Cell::Int))
            .collect(),
        Kind::Bool => series
            .cast(&DataType::Boolean)?
            .bool()?
            .iter()
            .map(|v| v.map_or(Cell::Null, Cell::Bool))
            .collect(),
        Kind::Dec | Kind::OptDec => {
            let series = match series.dtype() {
                DataType::Decimal(_, _) => series.clone(),
                _ => series.cast(&DataType::Decimal(
                    DECIMAL_PRECISION,
                    DECIMAL_SCALE as usize,
                ))?,
            };
            decimals(&series, 0)?
                .into_iter()
                .map(|v| v.map_or(Cell::Null, Cell::Dec))
                .collect()
        }
    })
}

/// The exact values of a Decimal series.
fn decimals(series: &Series, first_row: usize) -> Result<Vec<Option<Decimal>>> {
    let ca = series.decimal()?;
    let scale = u32::try_from(ca.scale()).unwrap_or(u32::MAX);
    ca.physical()
        .iter()
        .enumerate()
        .map(|(row, v)| {
            v.map(|m| {
                crate::frame::decimal_of(m, scale).ok_or_else(|| Error::Malformed {
                    location: Location::file(series.name().as_str()),
                    message: format!(
                        "第 {} 行：十进制数超出可精确表示的范围（{m}，{scale} 位小数）",
                        first_row + row + 1
                    ),
                })
            })
            .transpose()
        })
        .collect()
}

/// Any column as text cells, the way canonical CSV would print them (null → empty). Decimals
/// are printed exactly; floats with the shortest representation that reads back as the same
/// float (so `63682.77` stays `63682.77`).
pub fn column_text(column: &Column) -> Result<Vec<String>> {
    column_text_from(column, 0)
}

/// [`column_text`] of a slice whose first row is row `first_row` (0-based) of its table, so
/// that an error names the table's row.
pub fn column_text_from(column: &Column, first_row: usize) -> Result<Vec<String>> {
    let series = column.as_materialized_series();
    Ok(match series.dtype() {
        DataType::Decimal(_, _) => decimals(series, first_row)?
            .into_iter()
            .map(|v| v.map(|d| d.normalize().to_string()).unwrap_or_default())
            .collect(),
        DataType::Float32 | DataType::Float64 => series
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .map(|v| v.map(float_text).unwrap_or_default())
            .collect(),
        _ => series
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or_default().to_owned())
            .collect(),
    })
}

/// The shortest decimal text that reads back as `f` (Rust's `Display`, which never uses an
/// exponent); integral floats print without a fraction.
pub fn float_text(f: f64) -> String {
    format!("{f}")
}
