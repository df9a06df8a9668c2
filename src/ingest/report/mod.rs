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

pub use facts::missing_message;
#[allow(clippy::wildcard_imports)]
use facts::*;
pub use from_pdf::{read_report_pdf, read_report_pdf_with};
#[allow(clippy::wildcard_imports)]
use regions::*;

pub mod catalog;
mod codes;
mod emit;
mod facts;
mod from_pdf;
pub mod layout;
mod meta;
mod misc;
pub mod numbers;
mod projects;
mod regions;
mod staff;
mod summary;
mod tables;

use std::fmt;

use crate::error::Location;
use crate::ingest::Tables;
use crate::ingest::log::{ImportLog, LogEntry};
pub use crate::model::Severity;
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

/// One located import issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location,
            self.severity.label(),
            self.message
        )
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
    /// The error saying so (located at the title), kept apart from [`Self::issues`] so a caller
    /// that asks for the facts can leave it out; [`Self::all_issues`] includes it.
    pub missing_issue: Option<Issue>,
}

impl ReportImport {
    /// Every issue, document-level first, then per table.
    pub fn all_issues(&self) -> impl Iterator<Item = &Issue> {
        self.missing_issue
            .iter()
            .chain(self.issues_but_missing_facts())
    }

    /// Every issue except the missing-facts error, document-level first, then per table.
    pub fn issues_but_missing_facts(&self) -> impl Iterator<Item = &Issue> {
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
            log.entries.push(LogEntry {
                level: i.severity,
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
    let mut missing_issue = None;
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
                Severity::Note,
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
            staff::read_staff(&lines, &who, &mut out);
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
                missing_issue = Some(doc_issue(
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
        missing_issue,
    }
}
