//! The 预算执行进度 table as exported.

use crate::analysis::quarterly::QuarterRow;
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::MoneyUnit;

/// The 预算执行进度 table: per quarter the cumulative spending, budget, progress and benchmark.
pub fn quarterly(
    rows: &[QuarterRow],
    unit: MoneyUnit,
    title: String,
    filters: String,
) -> ExportTable {
    let u = unit.label();
    let headers = vec![
        "季度".to_owned(),
        format!("累计支出数（{u}）"),
        format!("预算数（{u}）"),
        "累计执行进度".to_owned(),
        "序时进度".to_owned(),
        "偏差".to_owned(),
        "公布的支出进度".to_owned(),
        "公布的季度执行率".to_owned(),
        "来源".to_owned(),
    ];
    let rows = rows
        .iter()
        .map(|q| {
            vec![
                Cell::Text(format!("第 {} 季度", q.quarter)),
                money(Some(q.cumulative), unit),
                money(Some(q.budget), unit),
                ratio(q.progress),
                Cell::Ratio(q.benchmark),
                ratio(q.deviation),
                ratio(q.published_progress),
                ratio(q.published_rate),
                Cell::Text(q.source.describe()),
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
