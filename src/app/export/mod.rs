//! Export of the current view's table: CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX
//! (numeric cells with number formats, a title row naming dataset, filters and unit, frozen
//! header). Files are written to a temporary file next to the target, then renamed.

mod files;
mod views;

pub use files::{csv_bytes, write, xlsx_bytes};
pub use views::{overview, quarterly, structure, structure_compare};

use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::analysis::branches::ProjectRow;
use crate::analysis::checks::{Finding, Rule};
use crate::analysis::drill::DrillTable;
use crate::analysis::overview::{KpiKey, Overview};
use crate::analysis::quarterly::QuarterRow;
use crate::analysis::sangong::SangongTrend;
use crate::analysis::structure::StructureReport;
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

fn money(v: Option<Decimal>, unit: MoneyUnit) -> Cell {
    v.map_or(Cell::Empty, |d| Cell::Money(unit.from_wan(d)))
}

fn ratio(v: Option<Decimal>) -> Cell {
    v.map_or(Cell::Empty, Cell::Ratio)
}

/// The drill-down table as shown: children, 未细分 and 合计.
/// The drill-down table with its `lines` in the order shown (the table's sort).
pub fn drill_table(
    t: &DrillTable,
    lines: &[&crate::analysis::drill::DrillLine],
    unit: MoneyUnit,
    title: String,
    filters: String,
) -> ExportTable {
    let u = unit.label();
    let headers = vec![
        "编码".to_owned(),
        "名称".to_owned(),
        format!("金额（{u}）"),
        "占上级".to_owned(),
        "占合计".to_owned(),
        format!(
            "{}（{u}）",
            t.budget_stage.map_or("预算", crate::model::Stage::label)
        ),
        format!("决算（{u}）"),
        "执行率".to_owned(),
        t.previous_year
            .map_or_else(|| "同比".to_owned(), |y| format!("较 {y} 年")),
    ];
    let mut rows: Vec<Vec<Cell>> = lines
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.row.code.to_string()),
                Cell::Text(l.row.name.clone()),
                money(Some(l.row.figure.amount), unit),
                ratio(l.row.share_of_parent),
                ratio(l.row.share_of_total),
                money(l.budget, unit),
                money(l.final_amount, unit),
                ratio(l.execution()),
                ratio(l.yoy()),
            ]
        })
        .collect();
    if let Some(u) = t.drill.unallocated {
        rows.push(vec![
            Cell::Empty,
            Cell::Text("未细分".to_owned()),
            money(Some(u), unit),
        ]);
    }
    if let Some(p) = &t.drill.parent {
        rows.push(vec![
            Cell::Empty,
            Cell::Text(format!("合计：{}", t.drill.parent_name)),
            money(Some(p.amount), unit),
        ]);
    }
    ExportTable {
        title,
        filters,
        headers,
        rows,
    }
}

/// The audit findings as listed.
pub fn findings(fs: &[Finding], unit: MoneyUnit, title: String, filters: String) -> ExportTable {
    let u = unit.label();
    let headers = vec![
        "规则".to_owned(),
        "级别".to_owned(),
        "部门".to_owned(),
        "年度".to_owned(),
        "阶段".to_owned(),
        "表".to_owned(),
        "位置".to_owned(),
        format!("应为（{u}）"),
        format!("公布（{u}）"),
        format!("差额（{u}）"),
        "说明".to_owned(),
    ];
    let rows = fs
        .iter()
        .map(|f| {
            let value = |d: Option<Decimal>| {
                if f.rule == Rule::ProjectRate {
                    ratio(d)
                } else {
                    money(d, unit)
                }
            };
            vec![
                Cell::Text(f.rule.label().to_owned()),
                Cell::Text(f.severity.label().to_owned()),
                Cell::Text(f.department.clone()),
                Cell::Text(f.year.to_string()),
                Cell::Text(f.stage.label().to_owned()),
                Cell::Text(f.tables.join("、")),
                Cell::Text(f.location.clone()),
                value(f.expected),
                value(f.actual),
                value(f.difference),
                Cell::Text(f.message.clone()),
            ]
        })
        .collect();
    ExportTable {
        title,
        filters,
        headers,
        rows,
    }
}

/// The 分局执行 project table: the rows shown (filtered and sorted), in the displayed order.
pub fn projects(
    rows: &[&ProjectRow],
    unit: MoneyUnit,
    title: String,
    filters: String,
) -> ExportTable {
    let u = unit.label();
    let headers = vec![
        "单位".to_owned(),
        "序号".to_owned(),
        "项目".to_owned(),
        format!("全年预算（{u}）"),
        format!("执行数（{u}）"),
        "执行率".to_owned(),
        "所述执行率".to_owned(),
        "自评得分".to_owned(),
        "偏差原因（标签）".to_owned(),
        "来源".to_owned(),
    ];
    let rows = rows
        .iter()
        .map(|p| {
            vec![
                Cell::Text(p.unit.clone()),
                Cell::Text(p.seq.to_string()),
                Cell::Text(p.display_name()),
                money(p.budget, unit),
                money(p.executed, unit),
                ratio(p.rate()),
                ratio(p.stated_rate),
                p.score.map_or(Cell::Empty, Cell::Money),
                Cell::Text(p.reason_tags.join("、")),
                Cell::Text(p.source.clone()),
            ]
        })
        .collect();
    ExportTable {
        title,
        filters,
        headers,
        rows,
    }
}

/// The 三公 table: per year the budget and actual totals, control rate and scope.
pub fn sangong(t: &SangongTrend, unit: MoneyUnit, title: String, filters: String) -> ExportTable {
    let u = unit.label();
    let headers = vec![
        "年度".to_owned(),
        "口径".to_owned(),
        "预算阶段".to_owned(),
        format!("预算合计（{u}）"),
        format!("决算合计（{u}）"),
        "控制率（决算/预算）".to_owned(),
    ];
    let rows = t
        .years
        .iter()
        .map(|y| {
            vec![
                Cell::Text(y.year.to_string()),
                Cell::Text(y.scope.clone()),
                Cell::Text(
                    y.budget_stage
                        .map_or("", crate::model::Stage::label)
                        .to_owned(),
                ),
                money(y.budget_total(), unit),
                money(y.actual_total(), unit),
                ratio(y.control_rate()),
            ]
        })
        .collect();
    ExportTable {
        title,
        filters,
        headers,
        rows,
    }
}
