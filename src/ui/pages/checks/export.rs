//! The audit findings as exported.

use rust_decimal::Decimal;

use crate::analysis::checks::{Finding, Rule};
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::MoneyUnit;

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
