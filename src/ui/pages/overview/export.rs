//! The 总览 table as exported.

use crate::analysis::overview::{KpiKey, Overview};
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::MoneyUnit;

/// The 总览 figures: one row per KPI card of the selection, then one per bar of the multi-year
/// chart (支出合计 per year and stage).
pub fn overview(ov: &Overview, unit: MoneyUnit, title: String, filters: String) -> ExportTable {
    let u = unit.label();
    let headers = vec![
        "项目".to_owned(),
        "年度".to_owned(),
        "阶段".to_owned(),
        "口径".to_owned(),
        format!("金额（{u}）"),
        "比率".to_owned(),
        format!("对照（{u}）"),
        "上年".to_owned(),
        format!("上年金额（{u}）"),
        "较上年".to_owned(),
        "来源".to_owned(),
        "说明".to_owned(),
    ];
    let sel = &ov.selection;
    let scope = ov.scope.clone().unwrap_or_default();
    let mut rows: Vec<Vec<Cell>> = ov
        .kpis
        .iter()
        .map(|k| {
            let label = match k.key {
                KpiKey::Sangong => "三公经费（决算；对照为预算，比率为控制率）".to_owned(),
                KpiKey::FiscalShare => "财政拨款占比（金额为财政拨款收入）".to_owned(),
                KpiKey::Basic | KpiKey::Project => {
                    format!("{}（比率为占支出合计，对照为支出合计）", k.key.label())
                }
                other => other.label().to_owned(),
            };
            let yoy = k.yoy.as_ref();
            vec![
                Cell::Text(label),
                Cell::Text(sel.year.to_string()),
                Cell::Text(sel.stage.label().to_owned()),
                Cell::Text(scope.clone()),
                money(k.value.as_ref().map(|f| f.amount), unit),
                ratio(k.ratio),
                money(k.reference.as_ref().map(|f| f.amount), unit),
                yoy.map_or(Cell::Empty, |y| {
                    Cell::Text(format!("{}（{}）", y.previous_year, y.previous_scope))
                }),
                money(yoy.map(|y| y.previous.amount), unit),
                ratio(yoy.and_then(|y| y.change_ratio)),
                Cell::Text(
                    k.value
                        .as_ref()
                        .map(crate::analysis::figure::Figure::describe_sources)
                        .unwrap_or_default(),
                ),
                Cell::Text(k.note.clone().unwrap_or_default()),
            ]
        })
        .collect();
    for p in &ov.trend {
        rows.push(vec![
            Cell::Text("历年支出合计".to_owned()),
            Cell::Text(p.year.to_string()),
            Cell::Text(p.stage.label().to_owned()),
            Cell::Text(p.scope.clone()),
            money(Some(p.expenditure.amount), unit),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Text(p.expenditure.describe_sources()),
            Cell::Text(format!("{}口径", p.basis.label())),
        ]);
    }
    ExportTable {
        title,
        filters,
        headers,
        rows,
    }
}
