//! Importing inputs of any known kind into one set of canonical tables, with a report.
//!
//! [`read_input`] dispatches on [`InputKind`]; [`import`] reads several inputs and merges them:
//! the frames of each table are concatenated in input order. A row whose **key** (see
//! [`key_columns`]) equals that of a row from an *earlier input* is an error located at the later
//! row and naming the earlier one: importing the same report twice would double count it.
//! Nothing is merged (and nothing written) while any input has an error, unless
//! [`ImportOptions::keep_going`] is set: then the inputs with errors are skipped (and reported).
//! Inputs are read in parallel; the merge keeps input order.

mod keys;
mod merge;
use merge::{merge, only_department};
mod report;

pub use report::{ImportReport, InputReport, TableReport};

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;

use crate::error::{Error, Location, Result};
use crate::ingest::Tables;
use crate::ingest::canonical::{self, ALL_TABLES, TableRead, TableSpec};
use crate::ingest::detect::{self, InputKind, csv_path, parquet_path};
use crate::ingest::{parquet, xlsx};

/// The frames of a reader that produces whole [`Tables`] (the report readers) as table reads;
/// rows are referred to as `file[amounts 第 n 行]`.
pub fn tables_to_reads(file: &str, tables: &Tables) -> Vec<TableRead> {
    tables
        .iter()
        .filter(|(_, df)| df.height() > 0)
        .map(|(spec, df)| TableRead {
            spec: *spec,
            source: format!("{file}[{}]", spec.name),
            frame: df.clone(),
            rows: {
                let (file, table) = (file.to_owned(), spec.name);
                canonical::RowRefs::numbered(
                    df.height(),
                    std::sync::Arc::new(move |n| {
                        Location::file(format!("{file}[{table} 第 {n} 行]"))
                    }),
                )
            },
            warnings: Vec::new(),
            notes: Vec::new(),
        })
        .collect()
}

/// Record a report reader's issues and table summaries in the input's report.
fn report_issues(imported: &crate::ingest::report::ReportImport, report: &mut InputReport) {
    use crate::ingest::report::Severity;
    // facts the report does not print: the input's error (said once, by the caller), not an
    // unread cell
    if imported.missing.any() {
        report.missing = Some(imported.missing.clone());
    }
    // A table that cannot be parsed is skipped and reported; the rest imports.
    for issue in imported.issues_but_missing_facts() {
        match issue.severity {
            Severity::Note => report.notes.push(issue.to_string()),
            Severity::Warning => report.warnings.push(issue.to_string()),
            Severity::Error => {
                report.unread += 1;
                report.warnings.push(format!("（未导入）{issue}"));
            }
        }
    }
    for t in &imported.reports {
        let at = match t.page {
            Some(p) => format!("第 {p} 页第 {} 行", t.line),
            None => format!("第 {} 行", t.line),
        };
        let verdict = t
            .verdict
            .map(|v| format!("；{}（{}）", v.label(), t.verdict_note))
            .unwrap_or_default();
        let line = format!(
            "{}「{}」{at}：{} 行，单位 {}{verdict}",
            t.source_table, t.title, t.rows_read, t.unit_label
        );
        if t.verdict == Some(crate::ingest::verify::Verdict::Doubtful) {
            report.warnings.push(line);
        } else {
            report.notes.push(line);
        }
        if let Some(v) = t.verdict
            && !report.verdicts.iter().any(|x| x.0 == t.source_table)
        {
            report
                .verdicts
                .push((t.source_table.clone(), v, t.verdict_note.clone()));
        }
    }
}

/// Records one table read (or its error) in an input's report.
type AddTable<'a> = dyn FnMut(&mut InputReport, &TableSpec, String, Result<TableRead>) + 'a;

/// A report reader's result into the input's report: its issues and tables, and an error when
/// it yielded no row (`nothing` says what was looked for).
fn add_report(
    imported: &crate::ingest::report::ReportImport,
    shown: &str,
    nothing: String,
    report: &mut InputReport,
    add: &mut AddTable<'_>,
) {
    report_issues(imported, report);
    if imported.missing.any() {
        let at = imported.meta.title_line.map_or_else(
            || Location::file(shown),
            |line| Location {
                file: shown.to_owned(),
                line: Some(line),
                column: None,
            },
        );
        report.errors.push(Error::Malformed {
            location: at,
            message: crate::ingest::report::missing_message(&imported.missing),
        });
    } else if imported.tables.row_count() == 0 {
        report.errors.push(Error::Malformed {
            location: Location::file(shown),
            message: nothing,
        });
    }
    for read in tables_to_reads(shown, &imported.tables) {
        add(report, &read.spec.clone(), read.source.clone(), Ok(read));
    }
}

/// An Excel report: each sheet is read as report text (`book.xlsx!sheet`, line = row), with the
/// department, year and kind taken from the title found anywhere in the workbook.
fn read_report_sheets(
    file: &str,
    sheets: &[(String, String)],
    given: &crate::ingest::report::Hints,
    report: &mut InputReport,
    add: &mut dyn FnMut(&mut InputReport, TableRead),
) {
    use crate::ingest::report::{self, Hints, ReportKind};
    let all: String = sheets
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let whole = report::read_report_text_with(file, all.as_bytes(), given);
    if whole.missing.any() {
        // asked once for the workbook, not per sheet
        report_issues(&whole, report);
        report.errors.push(Error::Malformed {
            location: Location::file(file),
            message: report::missing_message(&whole.missing),
        });
        return;
    }
    let meta = whole.meta;
    let hints = Hints {
        department: meta.department.clone(),
        year: meta.year,
        stage: (meta.kind != ReportKind::Unknown).then_some(meta.stage),
        unit: given.unit.clone(),
        scope: given.scope.clone(),
    };
    for (name, text) in sheets {
        let sheet = format!("{file}!{name}");
        let imported = report::read_report_text_with(&sheet, text.as_bytes(), &hints);
        report_issues(&imported, report);
        for read in tables_to_reads(&sheet, &imported.tables) {
            add(report, read);
        }
    }
}

/// Read one input of any kind. Tables read without error are returned; every problem is in
/// the report.
pub fn read_input(path: &Path) -> (InputReport, Vec<TableRead>) {
    read_input_with(
        path,
        &crate::ingest::report::Hints::default(),
        &ImportOptions::default(),
    )
}

/// [`read_input`] with facts a published report may not print (department, year), used by the
/// report readers (a hint overrides what the report says).
pub fn read_input_with(
    path: &Path,
    hints: &crate::ingest::report::Hints,
    options: &ImportOptions,
) -> (InputReport, Vec<TableRead>) {
    let max_bytes = options
        .max_file_bytes
        .unwrap_or(crate::ingest::input::DEFAULT_MAX_FILE_BYTES);
    let mut report = InputReport::new(path);
    let mut reads = Vec::new();
    // every file read below: a regular file of at most `max_bytes`
    let read = |p: &Path| crate::ingest::input::read_file(p, max_bytes);
    let kind = match detect::detect_within(path, max_bytes) {
        Ok(kind) => kind,
        Err(e) => {
            report.errors.push(e);
            return (report, reads);
        }
    };
    report.kind = Some(kind);
    let shown = path.display().to_string();
    let mut add = |report: &mut InputReport,
                   spec: &TableSpec,
                   source: String,
                   r: Result<TableRead>| {
        match r {
            Ok(read) => {
                report.tables.push(TableReport {
                    table: spec.name,
                    source: read.source.clone(),
                    rows: read.frame.height(),
                    notes: read.notes.clone(),
                    warnings: read.warnings.clone(),
                    errors: Vec::new(),
                });
                reads.push(read);
            }
            Err(e) => report.tables.push(TableReport {
                table: spec.name,
                source,
                rows: 0,
                notes: Vec::new(),
                warnings: Vec::new(),
                errors: vec![e],
            }),
        }
    };
    match kind {
        InputKind::CanonicalCsvDir | InputKind::CanonicalParquetDir => {
            for spec in &ALL_TABLES {
                let parquet = kind == InputKind::CanonicalParquetDir;
                let file = if parquet {
                    parquet_path(path, spec)
                } else {
                    csv_path(path, spec)
                };
                if parquet && crate::ingest::partitioned::is_partitioned(path, spec) {
                    let dir = crate::ingest::partitioned::table_dir(path, spec);
                    let source = dir.display().to_string();
                    let result = if file.is_file() {
                        Err(Error::Malformed {
                            location: Location::file(&source),
                            message: format!(
                                "{} 表既有 {} 文件又有分区文件夹，无法确定以哪一份为准",
                                spec.name,
                                file.display()
                            ),
                        })
                    } else {
                        crate::ingest::partitioned::read_partitioned(
                            spec,
                            &dir,
                            max_bytes,
                            options.department.as_deref(),
                        )
                    };
                    add(&mut report, spec, source, result);
                    continue;
                }
                if !file.is_file() {
                    continue;
                }
                let source = file.display().to_string();
                let result = if parquet {
                    read(&file).and_then(|bytes| parquet::read_parquet(spec, &source, &bytes))
                } else {
                    canonical::read_csv_file(spec, &source, &file, max_bytes)
                };
                add(&mut report, spec, source, result);
            }
        }
        InputKind::CanonicalCsv { table } | InputKind::CanonicalParquet { table } => {
            if let Some(spec) = canonical::spec_by_name(table) {
                let result = match kind {
                    InputKind::CanonicalParquet { .. } => {
                        read(path).and_then(|bytes| parquet::read_parquet(spec, &shown, &bytes))
                    }
                    _ => canonical::read_csv_file(spec, &shown, path, max_bytes),
                };
                add(&mut report, spec, shown.clone(), result);
            }
        }
        InputKind::CanonicalXlsx => {
            match read(path).and_then(|bytes| xlsx::read_workbook(&shown, &bytes)) {
                Ok(book) => {
                    report.warnings.extend(book.warnings);
                    for (spec, result) in book.tables {
                        add(&mut report, spec, format!("{shown}!{}", spec.name), result);
                    }
                }
                Err(e) => report.errors.push(e),
            }
        }
        InputKind::ReportText => match read(path) {
            Ok(bytes) => {
                let imported = crate::ingest::report::read_report_text_with(&shown, &bytes, hints);
                let nothing = "没有找到可导入的标准表或项目自评段落".to_owned();
                add_report(&imported, &shown, nothing, &mut report, &mut add);
            }
            Err(e) => report.errors.push(e),
        },
        InputKind::ReportXlsx => {
            match read(path).and_then(|bytes| xlsx::sheets_as_text(&shown, &bytes)) {
                Ok(sheets) => {
                    let mut tables_read = 0usize;
                    read_report_sheets(&shown, &sheets, hints, &mut report, &mut |r, read| {
                        tables_read += 1;
                        add(r, &read.spec.clone(), read.source.clone(), Ok(read));
                    });
                    if tables_read == 0 && report.missing.is_none() {
                        report.errors.push(Error::Malformed {
                            location: Location::file(&shown),
                            message: "工作簿中没有找到可导入的标准表（也不是规范工作簿：没有名为 amounts、revenue 等的工作表）".to_owned(),
                        });
                    }
                }
                Err(e) => report.errors.push(e),
            }
        }
        InputKind::ReportPdf => match read(path) {
            Ok(bytes) => {
                let limits = crate::ingest::pdf::Limits {
                    max_seconds: options
                        .max_seconds_per_file
                        .unwrap_or(crate::ingest::pdf::DEFAULT_MAX_SECONDS),
                    ..crate::ingest::pdf::Limits::default()
                };
                let imported =
                    crate::ingest::report::read_report_pdf_with(&shown, &bytes, hints, limits);
                // a file refused before any page was read (too many pages, too slow, not a PDF)
                // says why, not "no table found in 0 pages"
                let refused = imported
                    .issues
                    .iter()
                    .find(|i| i.severity == crate::ingest::report::Severity::Error);
                let nothing = match refused {
                    Some(issue) if imported.pages == 0 => issue
                        .message
                        .strip_prefix(&format!("{shown}: "))
                        .unwrap_or(&issue.message)
                        .to_owned(),
                    _ => format!("{} 页中没有找到可导入的标准表或项目自评表", imported.pages),
                };
                add_report(&imported, &shown, nothing, &mut report, &mut add);
            }
            Err(e) => report.errors.push(e),
        },
    }
    (report, reads)
}

/// The key of a table's rows for duplicate detection across inputs: every column except the
/// values, `flags` and `note` (so the provenance columns are part of the key); for `projects` the
/// dataset-wide `project_id`.
pub fn key_columns(spec: &TableSpec) -> Vec<&'static str> {
    if spec.name == canonical::PROJECTS.name {
        return vec!["project_id"];
    }
    let values: &[&str] = match spec.name {
        "amounts" | "sangong" => &["amount", "source_unit"],
        "revenue" => &["amount", "source_unit", "is_subtotal"],
        "totals" => &["amount", "source_unit", "label"],
        "indicators" => &[
            "level1",
            "level2",
            "target",
            "actual",
            "weight",
            "score",
            "has_deviation_note",
        ],
        "quarterly" => &[
            "cumulative_actual",
            "budget",
            "progress",
            "benchmark",
            "quarter_rate",
        ],
        "evaluations" => &["value", "value_unit"],
        "tables" => &["title", "unit_label", "present"],
        _ => &[],
    };
    spec.columns
        .iter()
        .map(|c| c.name)
        .filter(|n| !values.contains(n) && *n != "flags" && *n != "note")
        .collect()
}

/// Report the rows of `read` that repeat an earlier input's rows: each of the first
/// [`MAX_DUPLICATES_REPORTED`] at its row, naming the earlier one; the rest counted.
fn report_duplicates(input: &mut InputReport, read: &TableRead, found: &keys::Duplicates) {
    let Some(t) = input.table_mut(read.spec.name) else {
        return;
    };
    for (row, first, key) in &found.shown {
        t.errors.push(Error::Malformed {
            location: read
                .rows
                .get(*row)
                .unwrap_or_else(|| Location::file(read.source.clone())),
            message: format!(
                "与先前输入的记录 {first} 重复（键 {}）；同一数据不能导入两次",
                keys::key_shown(key)
            ),
        });
    }
    if found.count > found.shown.len() {
        t.errors.push(Error::Malformed {
            location: Location::file(read.source.clone()),
            message: format!(
                "另有 {} 行与先前输入重复，未逐一列出",
                found.count - found.shown.len()
            ),
        });
    }
}

/// At most this many duplicate rows are reported per table and input.
const MAX_DUPLICATES_REPORTED: usize = 20;

/// How several inputs are merged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Merge the inputs that have no error and skip the others (reported), instead of merging
    /// nothing when any input has an error.
    pub keep_going: bool,
    /// Facts for published reports that do not print them (department, year), given by the
    /// user; they override what a report says.
    pub hints: crate::ingest::report::Hints,
    /// Facts for one input (the GUI asks per file); they override `hints` for that input.
    pub per_input: std::collections::BTreeMap<PathBuf, crate::ingest::report::Hints>,
    /// The cap on one input file in bytes (`None`: [`crate::ingest::input::DEFAULT_MAX_FILE_BYTES`]).
    pub max_file_bytes: Option<u64>,
    /// The time a PDF may take to read, in seconds (`None`: [`crate::ingest::pdf::DEFAULT_MAX_SECONDS`]).
    pub max_seconds_per_file: Option<u64>,
    /// Only this department's rows are kept; a partitioned Parquet table reads only its files
    /// (see [`crate::ingest::partitioned`]).
    pub department: Option<String>,
}

impl ImportOptions {
    /// The hints for `path`: its own, then the common ones.
    pub fn hints_for(&self, path: &Path) -> crate::ingest::report::Hints {
        match self.per_input.get(path) {
            Some(own) => own.clone().or(&self.hints),
            None => self.hints.clone(),
        }
    }
}

/// Read and merge `inputs`. Returns the merged tables when no input had an error.
pub fn import(inputs: &[PathBuf]) -> (Option<Tables>, ImportReport) {
    import_with(inputs, &ImportOptions::default(), &|_| {})
}

/// [`import`] with options and a callback called as each input has been read (from the worker
/// threads, in completion order). Inputs are read in parallel (rayon), then merged in input order.
pub fn import_with(
    inputs: &[PathBuf],
    options: &ImportOptions,
    on_read: &(dyn Fn(&InputReport) + Sync),
) -> (Option<Tables>, ImportReport) {
    use rayon::prelude::*;
    let read: Vec<(InputReport, Vec<TableRead>)> = inputs
        .par_iter()
        .map(|path| {
            let start = std::time::Instant::now();
            let (mut input, reads) = read_input_with(path, &options.hints_for(path), options);
            input.elapsed = start.elapsed();
            on_read(&input);
            (input, reads)
        })
        .collect();
    let mut report = ImportReport::default();
    let mut per_table: HashMap<&'static str, Vec<(DataFrame, canonical::RowRefs)>> = HashMap::new();
    // the rows of the inputs merged so far, by key hash, per table
    let mut seen: HashMap<&'static str, keys::Seen> = HashMap::new();
    let count = read.len();
    for (n, (mut input, reads)) in read.into_iter().enumerate() {
        if options.keep_going && input.has_errors() {
            input.skipped = true;
            report.inputs.push(input);
            continue;
        }
        // the last input's keys are needed only to compare with earlier inputs'
        let last = n + 1 == count;
        let mut fresh: Vec<(TableRead, Vec<u64>)> = Vec::new();
        for read in reads {
            let name = read.spec.name;
            let earlier = per_table.get(name).map_or(&[][..], Vec::as_slice);
            let checked = match seen.get(name) {
                Some(seen) => seen.duplicates(&read, earlier),
                None if last => Ok((Vec::new(), keys::Duplicates::default())),
                None => keys::row_hashes(&read.spec, &read.frame)
                    .map(|h| (h, keys::Duplicates::default())),
            };
            match checked {
                Ok((hashes, duplicates)) => {
                    report_duplicates(&mut input, &read, &duplicates);
                    fresh.push((read, hashes));
                }
                Err(e) => {
                    if let Some(t) = input.table_mut(name) {
                        t.errors.push(e);
                    }
                    fresh.push((read, Vec::new()));
                }
            }
        }
        if options.keep_going && input.has_errors() {
            input.skipped = true; // e.g. rows already imported from an earlier input
            report.inputs.push(input);
            continue;
        }
        for (read, hashes) in fresh {
            let name = read.spec.name;
            let frames = per_table.entry(name).or_default();
            frames.push((read.frame, read.rows));
            if last {
                continue;
            }
            if let Err(e) = seen
                .entry(name)
                .or_insert_with(|| keys::Seen::new(&read.spec))
                .add(frames, &hashes)
                && let Some(t) = input.table_mut(name)
            {
                t.errors.push(e);
            }
        }
        report.inputs.push(input);
    }
    drop(seen);
    let merged_any = report.inputs.iter().any(|i| !i.skipped);
    if if options.keep_going {
        !merged_any
    } else {
        report.has_errors()
    } {
        return (None, report);
    }
    let merged = merge(per_table).and_then(|tables| match &options.department {
        Some(d) => only_department(&tables, d),
        None => Ok(tables),
    });
    match merged {
        Ok(tables) => (Some(tables), report),
        Err(e) => {
            if let Some(last) = report.inputs.last_mut() {
                last.errors.push(e);
            }
            (None, report)
        }
    }
}
