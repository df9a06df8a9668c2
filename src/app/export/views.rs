//! The tables of the overview, 收支结构 (single and compared) and 执行进度 views, as exported.

#[allow(clippy::wildcard_imports)]
use super::*;

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

/// The 收支结构 lists: every breakdown's parts, 未细分 and 合计, with the comparison columns.
/// 收支结构 in compare mode, as the view draws it: per breakdown, the main selection's rows
/// then the compared one's, each row naming its side (`部门 · 年 阶段 · 口径`).
pub fn structure_compare(
    main: &crate::analysis::structure::Structure,
    other: &crate::analysis::structure::Structure,
    unit: MoneyUnit,
    title: String,
    filters: String,
) -> ExportTable {
    use crate::analysis::structure::BreakdownKind;
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
pub(super) fn code_and_name(key: &str, label: &str) -> (String, String) {
    if !key.is_empty() && key.bytes().all(|c| c.is_ascii_digit()) {
        let name = label
            .strip_prefix(key)
            .map_or_else(|| label.to_owned(), |n| n.trim_start().to_owned());
        (key.to_owned(), name)
    } else {
        (String::new(), label.to_owned())
    }
}

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

/// A line closing a breakdown in an export: 未细分 (no sources) or its 合计.
struct ClosingLine {
    name: &'static str,
    amount: Cell,
    /// The 合计's sources (its share is 100 %); `None` for 未细分.
    total_sources: Option<String>,
}

/// The 未细分 and 合计 lines of a breakdown, in the order drawn.
fn closing_lines(b: &crate::analysis::structure::Breakdown, unit: MoneyUnit) -> Vec<ClosingLine> {
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
