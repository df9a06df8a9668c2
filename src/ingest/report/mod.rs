//! Reader for report text (部门决算 / 部门预算 / 绩效自评 reports as plain text): finds the standard
//! tables by their titles, reads them whatever their layout, and produces the canonical tables of
//! `docs/DATA_FORMAT.md` with provenance, plus an import report of what was read, repaired or
//! rejected — every issue located `file:line` (and column where known).
//!
//! Modules:
//! * [`layout`] — tab / pipe / space-aligned lines → cells (display-column positions);
//! * [`catalog`] — titles → tables, chunks (pages), header rows;
//! * [`numbers`] — printed numbers and OCR repair;
//! * `summary`, `codes`, `misc` — the table grammars; `projects` — project paragraphs and
//!   self-evaluation tables; `emit` — canonical rows → validated polars frames.
//!
//! Conventions beyond `docs/DATA_FORMAT.md`:
//! * `project_id` is `<stem>#<seq>` where `<stem>` is the file name without extension, cut at the
//!   first `_` (`000_04e09….txt` → `000#41`).
//! * A wrapped name (a name printed on a line without the row's numbers) joins the row below when
//!   that row prints no name, else the row above; the row is flagged `wrapped` and the note names
//!   the other line.
//! * Optional columns (carry-overs, 上级补助/事业/经营/附属单位 revenue sources) are stored only when
//!   the table prints a figure in them; the 合计 / 基本 / 项目 columns are always stored (blank → 0,
//!   flag `blank`).

pub mod catalog;
mod codes;
mod emit;
pub mod layout;
mod meta;
mod misc;
pub mod numbers;
mod projects;
mod summary;
mod tables;

use std::fmt;

use crate::error::Location;
use crate::ingest::Tables;
use crate::ingest::log::{ImportLog, LogEntry, LogLevel};
use crate::model::Stage;

pub use catalog::Kind;
pub use meta::{DocumentMeta, Missing, ReportKind};

use catalog::Region;
use emit::{Out, Who};
use tables::Ctx;

/// Facts the caller knows that the text may not state (e.g. a file of project tables without a
/// title). A hint overrides what is read from the title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hints {
    pub department: Option<String>,
    pub year: Option<i32>,
    pub stage: Option<Stage>,
    /// Unit for every row (e.g. `未注明分局`).
    pub unit: Option<String>,
    pub scope: Option<String>,
}

impl Hints {
    /// These hints, each missing one taken from `other`.
    #[must_use]
    pub fn or(self, other: &Hints) -> Hints {
        Hints {
            department: self.department.or_else(|| other.department.clone()),
            year: self.year.or(other.year),
            stage: self.stage.or(other.stage),
            unit: self.unit.or_else(|| other.unit.clone()),
            scope: self.scope.or_else(|| other.scope.clone()),
        }
    }
}

/// Severity of an import issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Info,
    /// Something was repaired or assumed; the figure was stored (and flagged).
    Warning,
    /// Something could not be read; it was not stored.
    Error,
}

/// One located import issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Info => "信息",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        };
        write!(f, "{}: {level}: {}", self.location, self.message)
    }
}

/// What was read from one source table (or from the project paragraphs / tables).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableReport {
    /// `source_table` id (`公开01`, `预算表3`, `表2-1`, `项目自评综述`, …).
    pub source_table: String,
    pub title: String,
    /// 1-based line of the title (on its page, for PDF input).
    pub line: usize,
    /// Page of the title (PDF input).
    pub page: Option<usize>,
    /// Layout of the first chunk (`制表符分隔`, `Markdown 表格`, `空格对齐`), empty for paragraphs.
    pub layout: String,
    /// Number of chunks (pages) the table is printed in.
    pub chunks: usize,
    pub unit_label: String,
    /// Canonical rows produced.
    pub rows_read: usize,
    pub issues: Vec<Issue>,
    /// Whether the table's own identities hold on what was read (see [`crate::ingest::verify`]).
    pub verdict: Option<crate::ingest::verify::Verdict>,
    pub verdict_note: String,
}

impl TableReport {
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }
}

/// The result of reading one report text.
#[derive(Clone, Debug)]
pub struct ReportImport {
    pub file: String,
    pub meta: DocumentMeta,
    /// The canonical tables (same schemas and dtypes as [`crate::ingest::canonical::read_table`]).
    pub tables: Tables,
    /// One entry per table / paragraph block found, in document order.
    pub reports: Vec<TableReport>,
    /// Issues about the whole document (undecodable text, unknown year, …).
    pub issues: Vec<Issue>,
    /// Number of pages (PDF input; 0 for text).
    pub pages: usize,
    /// Department, year or kind the report does not print (nothing was stored then).
    pub missing: meta::Missing,
}

impl ReportImport {
    /// Every issue, document-level first, then per table.
    pub fn all_issues(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .chain(self.reports.iter().flat_map(|r| r.issues.iter()))
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.all_issues()
            .filter(|i| i.severity == Severity::Warning)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.all_issues().filter(|i| i.severity == Severity::Error)
    }

    /// The report as an [`ImportLog`] (one info line per table, then its issues).
    pub fn log(&self) -> ImportLog {
        let mut log = ImportLog::default();
        let push = |log: &mut ImportLog, i: &Issue| {
            let level = match i.severity {
                Severity::Info => LogLevel::Info,
                Severity::Warning => LogLevel::Warning,
                Severity::Error => LogLevel::Error,
            };
            log.entries.push(LogEntry {
                level,
                message: i.to_string(),
            });
        };
        for i in &self.issues {
            push(&mut log, i);
        }
        for r in &self.reports {
            log.info(format!(
                "{}:{} {} {}：读取 {} 行（{}，单位 {}）",
                self.file,
                r.line,
                r.source_table,
                r.title,
                r.rows_read,
                if r.layout.is_empty() {
                    "段落"
                } else {
                    &r.layout
                },
                if r.unit_label.is_empty() {
                    "未注明"
                } else {
                    &r.unit_label
                },
            ));
            for i in &r.issues {
                push(&mut log, i);
            }
        }
        log
    }
}

/// Read a report text. `file_name` is stored as `source_doc` and used in every location.
pub fn read_report_text(file_name: &str, bytes: &[u8]) -> ReportImport {
    read_report_text_with(file_name, bytes, &Hints::default())
}

/// [`read_report_text`] with facts the text may not state.
pub fn read_report_text_with(file_name: &str, bytes: &[u8], hints: &Hints) -> ReportImport {
    let mut imported = read_text(file_name, bytes, hints);
    judge(&mut imported);
    imported
}

/// Each table's verdict (see [`crate::ingest::verify`]), in the frames and the table reports: the
/// rows a table could not read (its located errors) make it 部分核对 at best.
fn judge(imported: &mut ReportImport) {
    use crate::ingest::verify;
    let doc = imported.file.clone();
    let withheld: std::collections::BTreeMap<verify::TableKey, usize> = imported
        .reports
        .iter()
        .map(|r| ((doc.clone(), r.source_table.clone()), r.errors().count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let verdicts = match verify::verdicts(&imported.tables, &withheld) {
        Ok(v) => v,
        Err(e) => {
            imported.issues.push(Issue {
                severity: Severity::Error,
                location: Location::file(&doc),
                message: format!("内部错误：无法核对各表：{e}"),
            });
            return;
        }
    };
    if let Err(e) = verify::apply(&mut imported.tables, &verdicts) {
        imported.issues.push(Issue {
            severity: Severity::Error,
            location: Location::file(&doc),
            message: format!("内部错误：无法记录核对结果：{e}"),
        });
    }
    for r in &mut imported.reports {
        if let Some(v) = verdicts.iter().find(|v| v.table == r.source_table) {
            r.verdict = Some(v.verdict);
            r.verdict_note = v.note.clone();
        }
    }
}

/// Read a report text without judging its tables.
fn read_text(file_name: &str, bytes: &[u8], hints: &Hints) -> ReportImport {
    let mut doc_issues = Vec::new();
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            let line = bytes
                .get(..e.valid_up_to())
                .map_or(1, |b| b.iter().filter(|&&c| c == b'\n').count() + 1);
            doc_issues.push(Issue {
                severity: Severity::Error,
                location: Location {
                    file: file_name.to_owned(),
                    line: Some(line),
                    column: None,
                },
                message: "不是有效的 UTF-8 文本；无效字节已替换为 �，其后内容可能读错".to_owned(),
            });
            String::from_utf8_lossy(bytes)
        }
    };
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut meta = meta::detect(&lines, hints);
    let mut out = Out::default();
    let mut reports = Vec::new();
    let doc_issue = |severity, line: Option<usize>, message: String| Issue {
        severity,
        location: Location {
            file: file_name.to_owned(),
            line,
            column: None,
        },
        message,
    };
    let department = meta.department.clone().unwrap_or_default();
    let regions = catalog::find_tables(&lines, meta.department.as_deref());
    for (i, title) in catalog::unrecognised_titles(&lines, &regions) {
        doc_issues.push(Issue {
            severity: Severity::Warning,
            location: Location {
                file: file_name.to_owned(),
                line: Some(i + 1),
                column: None,
            },
            message: format!("「{title}」看起来是一张表，但不是可识别的标准表，未导入"),
        });
    }
    let project_starts = projects::table_starts(&lines);
    let has_paragraphs = lines
        .iter()
        .any(|l| l.contains("自评") && l.contains("全年预算数"));
    let found_something = !regions.is_empty() || !project_starts.is_empty() || has_paragraphs;
    let missing = if found_something {
        let kind_before = meta.kind;
        let missing = missing_facts(&mut meta, &lines, &regions, file_name, hints);
        if kind_before != meta.kind {
            doc_issues.push(doc_issue(
                Severity::Info,
                None,
                if meta.kind == ReportKind::PerformanceEvaluation {
                    "标题未写明报告类型；文中只有项目绩效自评内容，按决算（执行数）读取".to_owned()
                } else {
                    format!(
                        "标题未写明报告类型；各表标题均为{}表，按{}读取",
                        meta.kind.label(),
                        meta.stage.label()
                    )
                },
            ));
        }
        missing
    } else {
        meta::Missing::default()
    };

    match (meta.year, meta.department.as_ref(), missing.any()) {
        (Some(year), Some(dept), false) => {
            let who = Who {
                department: dept.clone(),
                unit: meta.unit.clone(),
                scope: meta.scope.clone(),
                year,
                doc: file_name.to_owned(),
            };
            let stem = stem_of(file_name);
            read_regions(
                &regions,
                &meta,
                &who,
                &department,
                &stem,
                &mut out,
                &mut reports,
            );
            // project paragraphs
            let mut ctx = new_ctx(file_name, &who, &meta, "项目自评综述", "万元", &mut out);
            let (n, first) = projects::read_paragraphs(&mut ctx, &lines, &stem);
            if n > 0 {
                reports.push(finish(
                    ctx,
                    "项目自评综述",
                    "项目绩效自评综述",
                    first,
                    "",
                    0,
                    "万元",
                ));
            }
            if !project_starts.is_empty() {
                let mut ctx = new_ctx(file_name, &who, &meta, "项目自评表", "万元", &mut out);
                projects::read_project_tables(&mut ctx, &lines, &stem, &project_starts);
                let line = project_starts.first().map_or(0, |s| s + 1);
                reports.push(finish(
                    ctx,
                    "项目自评表",
                    "项目支出绩效自评表",
                    line,
                    "",
                    project_starts.len(),
                    "",
                ));
            }
        }
        _ => {
            if missing.any() {
                doc_issues.push(doc_issue(
                    Severity::Error,
                    meta.title_line,
                    missing_message(&missing),
                ));
            }
        }
    }
    if !found_something {
        doc_issues.push(doc_issue(
            Severity::Warning,
            None,
            "文中没有找到可识别的标准表格或项目自评内容".to_owned(),
        ));
    }
    // tables emit their manifest rows first in document order; keep reports in line order
    reports.sort_by_key(|r| r.line);
    let tables = match out.into_tables(file_name) {
        Ok(t) => t,
        Err(e) => {
            doc_issues.push(doc_issue(
                Severity::Error,
                None,
                format!("内部错误：生成的规范数据未通过校验：{e}"),
            ));
            emit::empty_tables(file_name)
                .or_else(|_| Tables::empty())
                .unwrap_or_default()
        }
    };
    if found_something
        && !missing.any()
        && tables.amounts.height() + tables.revenue.height() + tables.projects.height() == 0
    {
        let found: Vec<&str> = reports.iter().map(|r| r.source_table.as_str()).collect();
        doc_issues.push(doc_issue(
            Severity::Warning,
            None,
            if found.is_empty() {
                "识别到项目自评内容，但没有读到任何数字（版式未能识别）".to_owned()
            } else {
                format!(
                    "识别到 {} 张表（{}），但没有读到任何数字（表中没有数字，或版式未能识别）",
                    found.len(),
                    found.join("、")
                )
            },
        ));
    }
    ReportImport {
        file: file_name.to_owned(),
        meta,
        tables,
        reports,
        issues: doc_issues,
        pages: 0,
        missing,
    }
}

/// The facts the report does not print and no hint gave, with candidates; also takes the stage
/// from the table titles when the document title does not state the kind (said in an issue by
/// the caller through `meta.kind` staying `Unknown`).
fn missing_facts(
    meta: &mut DocumentMeta,
    lines: &[&str],
    regions: &[Region],
    file_name: &str,
    hints: &Hints,
) -> meta::Missing {
    let titles: Vec<&str> = regions.iter().map(|r| r.title.as_str()).collect();
    let mut missing = meta::Missing::default();
    if meta.department.is_none() {
        missing.department = Some(meta::from_file_name(file_name).0.into_iter().collect());
    }
    if meta.year.is_none() {
        missing.year = Some(meta::year_candidates(lines, &titles, file_name));
    }
    if meta.kind == ReportKind::Unknown && hints.stage.is_none() {
        if regions.is_empty() {
            // only project self-evaluation content: its figures are executed amounts
            meta.kind = ReportKind::PerformanceEvaluation;
            meta.stage = crate::model::Stage::Final;
            return missing;
        }
        match meta::stage_of_tables(&titles) {
            Some(stage) => {
                meta.stage = stage;
                meta.kind = if stage == crate::model::Stage::Final {
                    ReportKind::FinalAccounts
                } else {
                    ReportKind::Budget
                };
            }
            None => missing.stage = Some(Vec::new()),
        }
    }
    missing
}

/// The error for a report whose department, year or kind is not printed.
pub fn missing_message(missing: &meta::Missing) -> String {
    let mut m = format!(
        "报告中找不到{}；未导入任何数字（不按猜测的值存储），请在导入时指定",
        missing.names()
    );
    let mut flags = Vec::new();
    if let Some(c) = &missing.department {
        flags.push(match c.first() {
            Some(d) => format!("--department（文件名中有“{d}”）"),
            None => "--department".to_owned(),
        });
    }
    if let Some(c) = &missing.year {
        let years: Vec<String> = c.iter().map(ToString::to_string).collect();
        flags.push(if years.is_empty() {
            "--year".to_owned()
        } else {
            format!("--year（文中或文件名中出现 {}）", years.join("、"))
        });
    }
    if missing.stage.is_some() {
        flags.push("--stage budget|final".to_owned());
    }
    m.push_str(&format!("（命令行：{}）", flags.join(" ")));
    m
}

/// Read a PDF report: its pages are built into the page model (ruled tables from the ruling
/// lines, other text by baseline), rendered to the line form and read by the same grammar as
/// report text. Locations and provenance name the page: `source_doc` is `<file>#page=<n>` and
/// `source_line` the line on that page. Pages without a text layer (scans) are listed in one
/// document-level issue; nothing is read from them.
pub fn read_report_pdf(file_name: &str, bytes: &[u8], hints: &Hints) -> ReportImport {
    let pages =
        match crate::ingest::pdf::read_pdf(file_name, bytes, crate::ingest::pdf::Limits::default())
        {
            Ok(p) => p,
            Err(e) => {
                let mut r = read_report_text_with(file_name, b"", hints);
                r.issues.clear();
                r.issues.push(Issue {
                    severity: Severity::Error,
                    location: Location::file(file_name),
                    message: e.to_string(),
                });
                return r;
            }
        };
    let rendered = pages.document.render();
    let mut imported = read_text(file_name, rendered.text.as_bytes(), hints);
    let locate = |loc: &mut Location| {
        if loc.file == file_name
            && let Some((page, line)) = loc.line.and_then(|l| rendered.locate(l))
        {
            loc.file = format!("{file_name}#page={page}");
            loc.line = Some(line);
        }
    };
    for issue in imported.issues.iter_mut().chain(
        imported
            .reports
            .iter_mut()
            .flat_map(|r| r.issues.iter_mut()),
    ) {
        locate(&mut issue.location);
    }
    if let Some((page, _)) = imported.meta.title_line.and_then(|l| rendered.locate(l)) {
        imported.meta.title_page = Some(page);
    }
    for r in &mut imported.reports {
        if let Some((page, line)) = rendered.locate(r.line) {
            r.page = Some(page);
            r.line = line;
        }
    }
    imported.tables = match emit::relocate(&imported.tables, file_name, &|l| rendered.locate(l)) {
        Ok(t) => t,
        Err(e) => {
            imported.issues.push(Issue {
                severity: Severity::Error,
                location: Location::file(file_name),
                message: format!("内部错误：无法标注页码：{e}"),
            });
            imported.tables
        }
    };
    for p in &pages.problems {
        imported.issues.push(Issue {
            severity: Severity::Warning,
            location: Location::file(format!("{file_name}#page={}", p.page)),
            message: p.message.clone(),
        });
    }
    let blank = pages.document.pages_without_text();
    if !blank.is_empty() {
        let all = blank.len() == pages.document.pages.len();
        imported.issues.push(Issue {
            severity: if all { Severity::Error } else { Severity::Info },
            location: Location::file(file_name),
            message: if all {
                format!(
                    "全部 {} 页都没有文字层（扫描件）；需要先做文字识别（OCR），未导入任何数字",
                    blank.len()
                )
            } else {
                format!(
                    "第 {} 页没有文字层（扫描页或图片），未读取",
                    page_list(&blank)
                )
            },
        });
    }
    imported.pages = pages.document.pages.len();
    judge(&mut imported);
    imported
}

/// `1, 2, 3, 5` → `1–3、5`.
fn page_list(pages: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&a) = pages.get(i) {
        let mut b = a;
        while pages.get(i + 1) == Some(&(b + 1)) {
            b += 1;
            i += 1;
        }
        parts.push(if a == b {
            a.to_string()
        } else {
            format!("{a}–{b}")
        });
        i += 1;
    }
    parts.join("、")
}

/// `000_04e09bc6c251173f.txt` → `000`; `report.txt` → `report`.
fn stem_of(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    match stem.split_once('_') {
        Some((head, _)) if !head.is_empty() => head.to_owned(),
        _ => stem.to_owned(),
    }
}

fn new_ctx<'a>(
    file: &'a str,
    who: &Who,
    meta: &DocumentMeta,
    id: &str,
    unit: &'static str,
    out: &'a mut Out,
) -> Ctx<'a> {
    Ctx {
        file,
        who: who.clone(),
        stage: meta.stage.key(),
        id: id.to_owned(),
        unit,
        out,
        issues: Vec::new(),
        rows_read: 0,
    }
}

fn finish(
    ctx: Ctx<'_>,
    id: &str,
    title: &str,
    line: usize,
    layout: &str,
    chunks: usize,
    unit_label: &str,
) -> TableReport {
    TableReport {
        verdict: None,
        verdict_note: String::new(),
        source_table: id.to_owned(),
        title: title.to_owned(),
        line,
        page: None,
        layout: layout.to_owned(),
        chunks,
        unit_label: unit_label.to_owned(),
        rows_read: ctx.rows_read,
        issues: ctx.issues,
    }
}

fn read_regions(
    regions: &[Region],
    meta: &DocumentMeta,
    who: &Who,
    department: &str,
    stem: &str,
    out: &mut Out,
    reports: &mut Vec<TableReport>,
) {
    // economic names → codes, for 基本支出总表 rows printed by name only
    let econ_source = regions
        .iter()
        .find(|r| r.kind == Kind::BudgetGeneralEconomic)
        .or_else(|| regions.iter().find(|r| r.kind == Kind::FinalBasic));
    let econ_names = econ_source
        .map(|r| codes::economic_names(&r.chunks))
        .unwrap_or_default();
    let econ_from = econ_source.map_or("", |r| r.id.as_str());

    let mut inherited_unit: Option<String> = None;
    for region in regions {
        let mut issues = Vec::new();
        let unit_label = match &region.unit_label {
            Some(u) => {
                inherited_unit = Some(u.clone());
                u.clone()
            }
            None => match &inherited_unit {
                Some(u) => {
                    issues.push(Issue {
                        severity: Severity::Info,
                        location: Location {
                            file: who.doc.clone(),
                            line: Some(region.title_line),
                            column: None,
                        },
                        message: format!("{} 未印单位，沿用前表单位 {u}", region.id),
                    });
                    u.clone()
                }
                None => {
                    issues.push(Issue {
                        severity: Severity::Warning,
                        location: Location {
                            file: who.doc.clone(),
                            line: Some(region.title_line),
                            column: None,
                        },
                        message: format!("{} 未印单位，按万元读取", region.id),
                    });
                    String::new()
                }
            },
        };
        let unit: &'static str = if unit_label == "元" { "元" } else { "万元" };
        let stage = meta.stage.key();
        let mut ctx = new_ctx(&who.doc, who, meta, &region.id, unit, out);
        ctx.issues = issues;
        let chunks = &region.chunks;
        let mut note = String::new();
        match region.kind {
            Kind::FinalSummary => summary::read_two_sided(&mut ctx, chunks, "all", true),
            Kind::BudgetSummary => summary::read_two_sided(&mut ctx, chunks, "all", false),
            Kind::FinalFiscalSummary | Kind::BudgetFiscalSummary => {
                summary::read_two_sided(&mut ctx, chunks, "fiscal", false);
            }
            Kind::FinalRevenue
            | Kind::FinalExpenditure
            | Kind::BudgetExpenditure
            | Kind::FinalGeneralBudget
            | Kind::BudgetGeneralFunctional
            | Kind::BudgetGeneralEconomic
            | Kind::FinalGovFund
            | Kind::BudgetGovFund
            | Kind::FinalStateCapital
            | Kind::BudgetStateCapital => {
                if let Some(mut spec) = code_spec(region.kind) {
                    let title = layout::nospace(&region.title);
                    spec.basic_only = title.contains("基本支出") && !title.contains("项目");
                    codes::read_code_table(&mut ctx, chunks, spec, department);
                }
            }
            Kind::FinalBasic => codes::read_economic_groups(&mut ctx, chunks, "general_budget"),
            Kind::FinalSangong | Kind::BudgetSangong => misc::read_sangong(&mut ctx, chunks),
            Kind::BudgetRevenue => summary::read_revenue_by_unit(&mut ctx, chunks, department),
            Kind::BudgetBasic => {
                codes::read_basic_by_name(&mut ctx, chunks, department, &econ_names, econ_from);
            }
            Kind::BudgetProjects => codes::read_project_list(&mut ctx, chunks, stem),
            Kind::BudgetPerformance => note = "performance target table; not extracted".to_owned(),
            Kind::Quarterly => misc::read_quarterly(&mut ctx, chunks),
            Kind::ExpenditureDetail => misc::read_expenditure_detail(&mut ctx, chunks),
        }
        if note.is_empty() {
            note = manifest_note(region, ctx.rows_read);
        }
        let rows_read = ctx.rows_read;
        let issues = std::mem::take(&mut ctx.issues);
        drop(ctx);
        let manifest_stage = match region.kind {
            Kind::Quarterly | Kind::ExpenditureDetail => "final",
            _ => stage,
        };
        out.manifest(
            who,
            manifest_stage,
            &region.id,
            &region.title,
            &unit_label,
            &note,
            region.title_line,
        );
        reports.push(TableReport {
            verdict: None,
            verdict_note: String::new(),
            source_table: region.id.clone(),
            title: region.title.clone(),
            line: region.title_line,
            page: None,
            layout: region
                .chunks
                .first()
                .map_or("", |c| c.layout.label())
                .to_owned(),
            chunks: region.chunks.len(),
            unit_label,
            rows_read,
            issues,
        });
    }
}

/// Our own short note on a table for the manifest.
fn manifest_note(region: &Region, rows_read: usize) -> String {
    let mut notes = Vec::new();
    if rows_read == 0 && region.says_nothing_occurred {
        notes.push("table prints no amounts (source states nothing occurred this year)".to_owned());
    } else if region.says_nothing_occurred {
        notes.push("all amounts 0 (source: no amounts this year)".to_owned());
    }
    if region.chunks.len() > 1 {
        notes.push(format!(
            "printed in {} page chunks with repeated headers",
            region.chunks.len()
        ));
    }
    notes.join("; ")
}

/// Classification, measure and fund of the tables listed by code (类/款/项 rows).
fn code_spec(kind: Kind) -> Option<codes::CodeSpec> {
    let (classification, measure, fund) = match kind {
        Kind::FinalRevenue => ("functional", "revenue", "all"),
        Kind::FinalExpenditure | Kind::BudgetExpenditure => ("functional", "expenditure", "all"),
        Kind::FinalGeneralBudget | Kind::BudgetGeneralFunctional => {
            ("functional", "expenditure", "general_budget")
        }
        Kind::BudgetGeneralEconomic => ("economic", "expenditure", "general_budget"),
        Kind::FinalGovFund | Kind::BudgetGovFund => ("functional", "expenditure", "gov_fund"),
        Kind::FinalStateCapital | Kind::BudgetStateCapital => {
            ("functional", "expenditure", "state_capital")
        }
        _ => return None,
    };
    Some(codes::CodeSpec {
        classification,
        measure,
        fund,
        basic_only: false,
    })
}
