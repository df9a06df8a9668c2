//! The 收支结构 tables as exported: one selection, or two compared side by side.

use rust_decimal::Decimal;

use crate::analysis::structure::{Breakdown, BreakdownKind, Structure, StructureReport};
use crate::export::{Cell, ExportTable, money, ratio};
use crate::model::MoneyUnit;

/// The 收支结构 lists: every breakdown's parts, 未细分 and 合计, with the comparison columns.
pub fn structure(
    r: &StructureReport,
    unit: MoneyUnit,
    title: String,
    filters: String,
) -> ExportTable {
    let u = unit.label();
    let stage = r.main.selection.stage;
    let other = r
        .counterpart_stage
        .map_or_else(|| "另一阶段".to_owned(), |s| format!("同年{}", s.label()));
    let headers = vec![
        "分组".to_owned(),
        "编码".to_owned(),
        "项目".to_owned(),
        format!("金额（{u}）"),
        "比重".to_owned(),
        format!("{other}（{u}）"),
        if stage == crate::model::Stage::Final {
            "执行率".to_owned()
        } else {
            "决算/预算".to_owned()
        },
        r.previous_year
            .map_or_else(|| format!("上年（{u}）"), |y| format!("{y} 年（{u}）")),
        "变动".to_owned(),
        "来源".to_owned(),
    ];
    let mut rows = Vec::new();
    for b in &r.main.breakdowns {
        let group = b.kind.title();
        for p in &b.parts {
            let exec = p.execution(stage);
            let (code, name) = code_and_name(&p.key, &p.label);
            rows.push(vec![
                Cell::Text(group.to_owned()),
                Cell::Text(code),
                Cell::Text(name),
                money(Some(p.figure.amount), unit),
                ratio(p.share),
                money(p.counterpart, unit),
                ratio(exec),
                money(p.previous, unit),
                ratio(p.change()),
                Cell::Text(p.figure.describe_sources()),
            ]);
        }
        for line in closing_lines(b, unit) {
            let mut row = vec![
                Cell::Text(group.to_owned()),
                Cell::Empty,
                Cell::Text(line.name.to_owned()),
                line.amount,
            ];
            if let Some(sources) = line.total_sources {
                row.push(Cell::Ratio(Decimal::ONE));
                row.extend(std::iter::repeat_n(Cell::Empty, 4));
                row.push(Cell::Text(sources));
            }
            rows.push(row);
        }
    }
    ExportTable {
        title,
        filters,
        headers,
        rows,
    }
}

/// 收支结构 in compare mode, as the view draws it: per breakdown, the main selection's rows
/// then the compared one's, each row naming its side (`部门 · 年 阶段 · 口径`).
pub fn structure_compare(
    main: &Structure,
    other: &Structure,
    unit: MoneyUnit,
    title: String,
    filters: String,
) -> ExportTable {
    let u = unit.label();
    let headers = vec![
        "比较方".to_owned(),
        "分组".to_owned(),
        "编码".to_owned(),
        "项目".to_owned(),
        format!("金额（{u}）"),
        "比重".to_owned(),
        "来源".to_owned(),
    ];
    let mut rows = Vec::new();
    for kind in BreakdownKind::ALL {
        for s in [main, other] {
            let who = s.caption();
            let group = kind.title();
            let Some(b) = s.get(kind).filter(|b| !b.parts.is_empty()) else {
                rows.push(vec![
                    Cell::Text(who),
                    Cell::Text(group.to_owned()),
                    Cell::Empty,
                    Cell::Text("未公布".to_owned()),
                ]);
                continue;
            };
            for p in &b.parts {
                let (code, name) = code_and_name(&p.key, &p.label);
                rows.push(vec![
                    Cell::Text(who.clone()),
                    Cell::Text(group.to_owned()),
                    Cell::Text(code),
                    Cell::Text(name),
                    money(Some(p.figure.amount), unit),
                    ratio(p.share),
                    Cell::Text(p.figure.describe_sources()),
                ]);
            }
            for line in closing_lines(b, unit) {
                let mut row = vec![
                    Cell::Text(who.clone()),
                    Cell::Text(group.to_owned()),
                    Cell::Empty,
                    Cell::Text(line.name.to_owned()),
                    line.amount,
                ];
                if let Some(sources) = line.total_sources {
                    row.extend([Cell::Ratio(Decimal::ONE), Cell::Text(sources)]);
                }
                rows.push(row);
            }
        }
    }
    ExportTable {
        title,
        filters,
        headers,
        rows,
    }
}

/// Code and name of a structure part in their own columns ("208 社会保障和就业支出" → 208,
/// 社会保障和就业支出); parts keyed by a word (基本支出) have no code.
fn code_and_name(key: &str, label: &str) -> (String, String) {
    if !key.is_empty() && key.bytes().all(|c| c.is_ascii_digit()) {
        let name = label
            .strip_prefix(key)
            .map_or_else(|| label.to_owned(), |n| n.trim_start().to_owned());
        (key.to_owned(), name)
    } else {
        (String::new(), label.to_owned())
    }
}

/// A line closing a breakdown in an export: 未细分 (no sources) or its 合计.
struct ClosingLine {
    name: &'static str,
    amount: Cell,
    /// The 合计's sources (its share is 100 %); `None` for 未细分.
    total_sources: Option<String>,
}

/// The 未细分 and 合计 lines of a breakdown, in the order drawn.
fn closing_lines(b: &Breakdown, unit: MoneyUnit) -> Vec<ClosingLine> {
    let mut out = Vec::new();
    if let Some(un) = b.unallocated {
        out.push(ClosingLine {
            name: "未细分",
            amount: money(Some(un), unit),
            total_sources: None,
        });
    }
    if let Some(t) = &b.total {
        out.push(ClosingLine {
            name: if t.derived {
                "合计（各项之和）"
            } else {
                "合计"
            },
            amount: money(Some(t.amount), unit),
            total_sources: Some(t.describe_sources()),
        });
    }
    out
}
