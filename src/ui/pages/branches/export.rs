//! The 分局执行 project table as exported.

use crate::analysis::branches::ProjectRow;
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::MoneyUnit;

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
        format!("未执行金额（{u}）"),
        "执行率".to_owned(),
        "所述执行率".to_owned(),
        "自评得分".to_owned(),
        "标记".to_owned(),
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
                money(p.unspent(), unit),
                ratio(p.rate()),
                ratio(p.stated_rate),
                p.score.map_or(Cell::Empty, Cell::Money),
                Cell::Text(
                    p.quadrant()
                        .map_or_else(String::new, |q| q.label().to_owned()),
                ),
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
