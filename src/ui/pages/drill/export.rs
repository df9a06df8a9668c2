//! The drill-down table as exported.

use crate::analysis::drill::{DrillLine, DrillTable};
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::{MoneyUnit, Stage};

/// The drill-down table with its `lines` in the order shown (the table's sort).
pub fn drill_table(
    t: &DrillTable,
    lines: &[&DrillLine],
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
        format!("{}（{u}）", t.budget_stage.map_or("预算", Stage::label)),
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
