//! The 部门对比 table as exported: the rows as shown, every figure with its parts and source.

use crate::analysis::compare::DepartmentRow;
use crate::analysis::figure::Figure;
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::{Fund, MoneyUnit, Stage};

fn amount(f: Option<&Figure>, unit: MoneyUnit) -> Cell {
    money(f.map(|f| f.amount), unit)
}

fn sources(f: Option<&Figure>) -> Cell {
    f.map_or(Cell::Empty, |f| Cell::Text(f.describe_sources()))
}

/// The ranking: rank, department, 口径, then each metric with the figures it is computed from.
pub fn ranking(
    rows: &[(usize, &DepartmentRow)],
    stage: Stage,
    unit: MoneyUnit,
    title: String,
    filters: String,
) -> ExportTable {
    let u = unit.label();
    let headers = vec![
        "排名".to_owned(),
        "部门".to_owned(),
        "口径".to_owned(),
        format!("支出合计（{u}）"),
        format!("上年支出合计（{u}）"),
        "支出同比".to_owned(),
        "上年口径不同".to_owned(),
        format!("三公经费（{u}）"),
        format!("三公经费预算数（{u}）"),
        "三公控制率".to_owned(),
        "项目数".to_owned(),
        format!("项目全年预算数（{u}）"),
        format!("项目执行数（{u}）"),
        "项目执行率".to_owned(),
        format!("人员经费（{u}）"),
        "人员经费资金口径".to_owned(),
        "人员经费占比".to_owned(),
        "含存疑表的数".to_owned(),
        "支出合计来源".to_owned(),
        "三公经费来源".to_owned(),
        "人员经费来源".to_owned(),
    ];
    let rows = rows
        .iter()
        .map(|&(rank, r)| {
            let e = r.execution.as_ref();
            let p = r.personnel.as_ref();
            vec![
                Cell::Text(rank.to_string()),
                Cell::Text(r.department.clone()),
                Cell::Text(r.scope.clone().unwrap_or_default()),
                amount(r.expenditure.as_ref(), unit),
                amount(r.previous.as_ref().map(|p| &p.1), unit),
                ratio(r.change()),
                Cell::Text(
                    if r.previous.as_ref().is_some_and(|p| p.2) {
                        "是"
                    } else {
                        ""
                    }
                    .to_owned(),
                ),
                amount(r.sangong.as_ref(), unit),
                amount(r.sangong_budget.as_ref(), unit),
                ratio(r.control_rate(stage)),
                e.map_or(Cell::Empty, |e| Cell::Text(e.projects.to_string())),
                money(e.map(|e| e.budget), unit),
                money(e.map(|e| e.executed), unit),
                ratio(e.and_then(|e| e.rate)),
                amount(p.map(|p| &p.figure), unit),
                p.map_or(Cell::Empty, |p| {
                    Cell::Text(
                        if p.fund == Fund::All {
                            "全部资金"
                        } else {
                            "一般公共预算"
                        }
                        .to_owned(),
                    )
                }),
                ratio(p.and_then(|p| p.share)),
                Cell::Text(if r.doubtful() { "是" } else { "" }.to_owned()),
                sources(r.expenditure.as_ref()),
                sources(r.sangong.as_ref()),
                sources(p.map(|p| &p.figure)),
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
