//! A view's table as exported, and writing it: CSV (UTF-8 with BOM, so Excel shows Chinese) and
//! XLSX (numeric cells with number formats, a title row naming dataset, filters and unit, frozen
//! header). Files are written to a temporary file next to the target, then renamed. Each view
//! builds its own table from the rows it drew (`ui::pages::<view>::export`).

mod files;

pub use files::{csv_bytes, write, xlsx_bytes};

use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::{Error, Location, Result};
use crate::model::MoneyUnit;

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// An amount already converted to the display unit (exact).
    Money(Decimal),
    /// A ratio (0.1234 = 12.34%).
    Ratio(Decimal),
    Empty,
}

/// A table as shown by a view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportTable {
    /// `数据集 · 视图 · 选择` line.
    pub title: String,
    /// Filters and unit line.
    pub filters: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Export formats of a view table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// From a file name's extension (`.xlsx` → XLSX, anything else CSV).
    pub fn from_path(path: &Path) -> Self {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        {
            ExportFormat::Xlsx
        } else {
            ExportFormat::Csv
        }
    }
}

/// An amount in wan yuan as a cell in the display unit (empty when absent).
pub fn money(v: Option<Decimal>, unit: MoneyUnit) -> Cell {
    v.map_or(Cell::Empty, |d| match unit.from_wan(d) {
        Some(x) => Cell::Money(x),
        // never rounded: the cell says it instead of holding a wrong number
        None => Cell::Text(crate::model::OUT_OF_RANGE.to_owned()),
    })
}

/// A ratio as a cell (empty when absent).
pub fn ratio(v: Option<Decimal>) -> Cell {
    v.map_or(Cell::Empty, Cell::Ratio)
}
