//! Export of the current view's table: CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX
//! (numeric cells with number formats, a title row naming dataset, filters and unit, frozen
//! header). Files are written to a temporary file next to the target, then renamed.

use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::analysis::branches::ProjectRow;
use crate::analysis::checks::{Finding, Rule};
use crate::analysis::drill::DrillTable;
use crate::analysis::overview::{KpiKey, Overview};
use crate::analysis::quarterly::QuarterRow;
use crate::analysis::sangong::SangongTrend;
use crate::analysis::structure::StructureReport;
use crate::error::{Error, Location, Result};
use crate::model::MoneyUnit;

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// An amount already converted to the display unit (exact).
    Money(Decimal),
    /// A ratio (0.1234 = 12.34%).
    Ratio(Decimal),
    Empty,
}

/// A table as shown by a view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportTable {
    /// `数据集 · 视图 · 选择` line.
    pub title: String,
    /// Filters and unit line.
    pub filters: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Export formats of a view table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// From a file name's extension (`.xlsx` → XLSX, anything else CSV).
    pub fn from_path(path: &Path) -> Self {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        {
            ExportFormat::Xlsx
        } else {
            ExportFormat::Csv
        }
    }
}

fn money(v: Option<Decimal>, unit: MoneyUnit) -> Cell {
    v.map_or(Cell::Empty, |d| Cell::Money(unit.from_wan(d)))
}

fn ratio(v: Option<Decimal>) -> Cell {
    v.map_or(Cell::Empty, Cell::Ratio)
}

/// The drill-down table as shown: children, 未细分 and 合计.
/// The drill-down table with its `lines` in the order shown (the table's sort).
pub fn drill_table(
    t: &DrillTable,
    lines: &[&crate::analysis::drill::DrillLine],
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
        format!(
            "{}（{u}）",
            t.budget_stage.map_or("预算", crate::model::Stage::label)
        ),
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
        "执行率".to_owned(),
        "所述执行率".to_owned(),
        "自评得分".to_owned(),
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
                ratio(p.rate()),
                ratio(p.stated_rate),
                p.score.map_or(Cell::Empty, Cell::Money),
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
    use crate::analysis::structure::{BreakdownKind, Structure};
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
    let side = |s: &Structure| {
        format!(
            "{} · {} 年{} · 口径 {}",
            s.selection.department,
            s.selection.year,
            s.selection.stage.label(),
            s.scope.as_deref().unwrap_or("未知")
        )
    };
    let mut rows = Vec::new();
    for kind in BreakdownKind::ALL {
        for s in [main, other] {
            let who = side(s);
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
            if let Some(un) = b.unallocated {
                rows.push(vec![
                    Cell::Text(who.clone()),
                    Cell::Text(group.to_owned()),
                    Cell::Empty,
                    Cell::Text("未细分".to_owned()),
                    money(Some(un), unit),
                ]);
            }
            if let Some(t) = &b.total {
                rows.push(vec![
                    Cell::Text(who.clone()),
                    Cell::Text(group.to_owned()),
                    Cell::Empty,
                    Cell::Text(
                        if t.derived {
                            "合计（各项之和）"
                        } else {
                            "合计"
                        }
                        .to_owned(),
                    ),
                    money(Some(t.amount), unit),
                    Cell::Ratio(Decimal::ONE),
                    Cell::Text(t.describe_sources()),
                ]);
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
        if let Some(un) = b.unallocated {
            rows.push(vec![
                Cell::Text(group.to_owned()),
                Cell::Empty,
                Cell::Text("未细分".to_owned()),
                money(Some(un), unit),
            ]);
        }
        if let Some(t) = &b.total {
            rows.push(vec![
                Cell::Text(group.to_owned()),
                Cell::Empty,
                Cell::Text(
                    if t.derived {
                        "合计（各项之和）"
                    } else {
                        "合计"
                    }
                    .to_owned(),
                ),
                money(Some(t.amount), unit),
                Cell::Ratio(Decimal::ONE),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Text(t.describe_sources()),
            ]);
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

fn csv_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Money(d) => d.normalize().to_string(),
        // Ratios to 6 decimals (0.0001 %): exact enough for any share, readable in Excel.
        Cell::Ratio(d) => d.round_dp(6).normalize().to_string(),
        Cell::Empty => String::new(),
    }
}

/// CSV bytes: BOM, the title and filter lines, the header, the rows (exact decimals).
pub fn csv_bytes(t: &ExportTable) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        let err = |e: csv::Error| Error::Malformed {
            location: Location::file("CSV"),
            message: e.to_string(),
        };
        w.write_record([t.title.as_str()]).map_err(err)?;
        w.write_record([t.filters.as_str()]).map_err(err)?;
        w.write_record(&t.headers).map_err(err)?;
        for row in &t.rows {
            w.write_record(row.iter().map(csv_text)).map_err(err)?;
        }
        w.flush().map_err(|e| Error::io("CSV", e))?;
    }
    Ok(out)
}

/// XLSX bytes: title and filter rows, a bold frozen header, numbers with formats, widths.
pub fn xlsx_bytes(t: &ExportTable) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Malformed {
        location: Location::file("XLSX"),
        message: e.to_string(),
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("导出").map_err(err)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00####");
    let pct = Format::new().set_num_format("0.00%");
    ws.write_string_with_format(0, 0, &t.title, &bold)
        .map_err(err)?;
    ws.write_string(1, 0, &t.filters).map_err(err)?;
    for (c, h) in t.headers.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(3, col, h, &bold).map_err(err)?;
        let width = t
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(|cell| match cell {
                Cell::Text(s) => s.chars().count() * 2,
                Cell::Money(_) => 16,
                Cell::Ratio(_) => 9,
                Cell::Empty => 0,
            })
            .chain(std::iter::once(h.chars().count() * 2))
            .max()
            .unwrap_or(10)
            .clamp(6, 60);
        ws.set_column_width(col, width as f64).map_err(err)?;
    }
    ws.set_freeze_panes(4, 0).map_err(err)?;
    for (r, row) in t.rows.iter().enumerate() {
        let rr = u32::try_from(r + 4).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(s) => {
                    ws.write_string(rr, col, s).map_err(err)?;
                }
                Cell::Money(d) => {
                    ws.write_number_with_format(rr, col, d.to_f64().unwrap_or(0.0), &money)
                        .map_err(err)?;
                }
                Cell::Ratio(d) => {
                    ws.write_number_with_format(rr, col, d.to_f64().unwrap_or(0.0), &pct)
                        .map_err(err)?;
                }
                Cell::Empty => {}
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// Write `t` to `path` (format from the extension) via a temporary file and a rename.
pub fn write(t: &ExportTable, path: &Path) -> Result<()> {
    let bytes = match ExportFormat::from_path(path) {
        ExportFormat::Csv => csv_bytes(t)?,
        ExportFormat::Xlsx => xlsx_bytes(t)?,
    };
    crate::ingest::write::write_file_atomic(&bytes, path)
}
