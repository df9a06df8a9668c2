//! The 结构变化 table as exported: every part's amount and share at each point shown, the change
//! between the waterfall's two points, and the notes on basis, scope and fund.

use rust_decimal::Decimal;

use super::page::EvolutionView;
use crate::analysis::frame::round;
use crate::analysis::staff::{Staff, staff_for};
use crate::analysis::structure::{Timeline, Waterfall};
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::MoneyUnit;

pub fn table(
    t: &Timeline,
    view: &EvolutionView,
    w: Option<&Waterfall>,
    staff: &[Staff],
    unit: MoneyUnit,
    title: String,
) -> ExportTable {
    let dim = view.dimension;
    let u = unit.label();
    let shown: Vec<_> = t.shown(dim).collect();
    let mut headers = vec!["编码".to_owned(), "项目".to_owned()];
    // the staff number of each point shown (per-person columns where there is one)
    let persons: Vec<Option<&Staff>> = shown
        .iter()
        .map(|p| {
            staff_for(
                staff,
                p.year,
                p.structure.scope.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    for (p, s) in shown.iter().zip(&persons) {
        headers.push(format!("{}（{u}）", p.label()));
        headers.push(format!("{} 占比", p.label()));
        if s.is_some() {
            headers.push(format!("{} 人均（{u}/人，四位小数）", p.label()));
        }
    }
    if let Some(w) = w {
        headers.push(format!("{} 至 {} 变动（{u}）", w.from_label, w.to_label));
        headers.push("占比变动（百分点）".to_owned());
    }
    headers.push("来源".to_owned());
    let mut rows = Vec::new();
    for (key, label) in t.keys(dim) {
        let code = if key.bytes().all(|b| b.is_ascii_digit()) {
            key.clone()
        } else {
            String::new()
        };
        let name = label
            .strip_prefix(&format!("{code} "))
            .unwrap_or(&label)
            .to_owned();
        let mut row = vec![Cell::Text(code), Cell::Text(name)];
        let mut sources = Vec::new();
        for (p, s) in shown.iter().zip(&persons) {
            let part = p.breakdown(dim).and_then(|b| b.part(&key));
            row.push(money(part.map(|q| q.figure.amount), unit));
            row.push(ratio(part.and_then(|q| q.share)));
            if let Some(s) = s {
                row.push(money(
                    part.and_then(|q| s.per_person(q.figure.amount))
                        .map(|v| round(v, 4)),
                    unit,
                ));
            }
            if let Some(q) = part {
                sources.push(format!("{}：{}", p.year, q.figure.describe_sources()));
            }
        }
        if let Some(w) = w {
            let step = w.steps.iter().find(|s| s.key == key);
            row.push(money(step.map(|s| s.delta), unit));
            row.push(
                step.and_then(crate::analysis::structure::Step::share_change)
                    .map_or(Cell::Empty, |c| Cell::Money(c * Decimal::from(100))),
            );
        }
        row.push(Cell::Text(sources.join("；")));
        rows.push(row);
    }
    let mut total = vec![Cell::Empty, Cell::Text("合计".to_owned())];
    for (p, s) in shown.iter().zip(&persons) {
        let amount = p
            .breakdown(dim)
            .and_then(|b| b.total.as_ref())
            .map(|f| f.amount);
        total.push(money(amount, unit));
        total.push(Cell::Ratio(Decimal::ONE));
        if let Some(s) = s {
            total.push(money(
                amount.and_then(|a| s.per_person(a)).map(|v| round(v, 4)),
                unit,
            ));
        }
    }
    if let Some(w) = w {
        total.push(money(w.end.checked_sub(w.start), unit));
        total.push(Cell::Empty);
    }
    total.push(Cell::Empty);
    rows.push(total);
    if let Some(r) = w.and_then(|w| w.residual) {
        let mut row = vec![Cell::Empty, Cell::Text("未细分变动".to_owned())];
        for s in &persons {
            row.extend([Cell::Empty, Cell::Empty]);
            if s.is_some() {
                row.push(Cell::Empty);
            }
        }
        row.extend([money(Some(r), unit), Cell::Empty, Cell::Empty]);
        rows.push(row);
    }
    let mut notes: Vec<String> = t.series(dim).map(|s| s.notes.clone()).unwrap_or_default();
    if let Some(w) = w {
        notes.extend(w.notes.iter().cloned());
    }
    for (p, s) in shown.iter().zip(&persons) {
        if let Some(s) = s {
            notes.push(format!("{} 年人均按{}", p.year, s.describe()));
        }
    }
    ExportTable {
        title,
        filters: format!(
            "分组 {} · 资金来源 {} · 金额单位 {u}{}",
            dim.label(),
            t.fund.label(),
            if notes.is_empty() {
                String::new()
            } else {
                format!(" · {}", notes.join("；"))
            }
        ),
        headers,
        rows,
    }
}
