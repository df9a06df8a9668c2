//! The 三公 table as exported.

use crate::analysis::sangong::SangongTrend;
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::MoneyUnit;

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
