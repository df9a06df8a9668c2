//! Export of the current view's table: CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX
//! (numeric cells with number formats, a title row naming dataset, filters and unit, frozen
//! header). Files are written to a temporary file next to the target, then renamed.

use std::io::Write as _;
use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::analysis::branches::ProjectRow;
use crate::analysis::checks::{Finding, Rule};
use crate::analysis::drill::DrillTable;
use crate::analysis::sangong::SangongTrend;
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
pub fn drill_table(t: &DrillTable, unit: MoneyUnit, title: String, filters: String) -> ExportTable {
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
    let mut rows: Vec<Vec<Cell>> = t
        .lines
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

fn csv_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Money(d) | Cell::Ratio(d) => d.normalize().to_string(),
        Cell::Empty => String::new(),
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Malformed {
        location: Location::file(path.display().to_string()),
        message: format!("无法写出文件：{e}"),
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
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| write_error(path, e))?;
    tmp.write_all(&bytes).map_err(|e| write_error(path, e))?;
    tmp.persist(path).map_err(|e| write_error(path, e.error))?;
    Ok(())
}
