//! Reading the report corpus in `../shared/corpus` (not part of the project): its totals list and
//! what the importer makes of each file. Shared by the corpus test and `examples/corpus.rs`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fiscal_lens::analysis::identities::{self, Identities};
use fiscal_lens::ingest::report::{Hints, ReportImport, Severity, read_report_pdf};
use fiscal_lens::model::Stage;
use polars::prelude::*;
use rust_decimal::Decimal;

pub const CORPUS: &str = "../shared/corpus";

/// One line of `totals.tsv`.
#[derive(Clone, Debug)]
pub struct Expected {
    pub file: String,
    pub unit: String,
    pub revenue_total: Option<Decimal>,
    pub expenditure_total: Option<Decimal>,
    pub revenue_grand: Option<Decimal>,
    pub expenditure_grand: Option<Decimal>,
}

impl Expected {
    /// The four totals in 万元 (元 tables divided exactly): 本年收入合计, 本年支出合计, 收入总计,
    /// 支出总计 — `None` where the file prints no such figure.
    pub fn wan(&self) -> [Option<Decimal>; 4] {
        let scale = if self.unit.starts_with('元') {
            Decimal::from(10_000)
        } else {
            Decimal::ONE
        };
        [
            self.revenue_total,
            self.expenditure_total,
            self.revenue_grand,
            self.expenditure_grand,
        ]
        .map(|v| v.map(|v| v / scale))
    }
}

/// `1,234.50` → 1234.50; empty → None.
fn amount(s: &str) -> Option<Decimal> {
    let t: String = s
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    t.parse().ok()
}

pub fn corpus_dir() -> Option<PathBuf> {
    let p = Path::new(CORPUS);
    p.join("totals.tsv").is_file().then(|| p.to_path_buf())
}

/// The hand-read totals per file.
pub fn expected(dir: &Path) -> Vec<Expected> {
    let text = std::fs::read_to_string(dir.join("totals.tsv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (f, u, rt, et, rg, eg) = (
        col("file"),
        col("unit"),
        col("本年收入合计"),
        col("本年支出合计"),
        col("收入总计"),
        col("支出总计"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            let get = |i: Option<usize>| i.and_then(|i| cells.get(i)).copied().unwrap_or("");
            Expected {
                file: get(f).to_owned(),
                unit: get(u).to_owned(),
                revenue_total: amount(get(rt)),
                expenditure_total: amount(get(et)),
                revenue_grand: amount(get(rg)),
                expenditure_grand: amount(get(eg)),
            }
        })
        .collect()
}

/// What the importer made of one file.
pub struct FileResult {
    pub file: String,
    pub pages: usize,
    pub time: Duration,
    pub import: ReportImport,
    pub identities: Identities,
    /// The facts given as hints because the file prints none (what and which).
    pub hinted: Option<String>,
}

impl FileResult {
    /// Source tables that produced rows, in document order, with their row counts.
    pub fn tables(&self) -> Vec<(String, usize)> {
        self.import
            .reports
            .iter()
            .filter(|r| r.rows_read > 0)
            .map(|r| (r.source_table.clone(), r.rows_read))
            .collect()
    }

    pub fn errors(&self) -> usize {
        self.import
            .all_issues()
            .filter(|i| i.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.import
            .all_issues()
            .filter(|i| i.severity == Severity::Warning)
            .count()
    }
}

/// One file's line of `MANIFEST.tsv`.
pub struct ManifestEntry {
    pub file: String,
    pub publisher: String,
    pub year: Option<i32>,
    /// `budget` → 年初预算, `final` → 决算; other kinds none.
    pub stage: Option<Stage>,
}

/// The manifest's facts per file, given as hints to files that do not print them.
pub fn manifest(dir: &Path) -> Vec<ManifestEntry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Some(ManifestEntry {
                file: (*c.first()?).to_owned(),
                publisher: (*c.get(1)?).to_owned(),
                year: c.get(3).and_then(|y| y.parse().ok()),
                stage: match c.get(4).copied() {
                    Some("budget") => Some(Stage::BudgetInitial),
                    Some("final") => Some(Stage::Final),
                    _ => None,
                },
            })
        })
        .collect()
}

pub fn read_file(path: &Path) -> FileResult {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).unwrap_or_default();
    let start = Instant::now();
    let mut import = read_report_pdf(&file, &bytes, &Hints::default());
    let mut hinted = None;
    // a file that does not print its department, year or kind gets them from the manifest, as a
    // user would type them at import (only the missing ones)
    if import.missing.any()
        && let Some(dir) = path.parent()
        && let Some(m) = manifest(dir).into_iter().find(|m| m.file == file)
    {
        let missing = import.missing.clone();
        let hints = Hints {
            department: missing.department.is_some().then(|| m.publisher.clone()),
            year: missing.year.is_some().then_some(m.year).flatten(),
            stage: missing.stage.is_some().then_some(m.stage).flatten(),
            ..Hints::default()
        };
        import = read_report_pdf(&file, &bytes, &hints);
        let mut given = Vec::new();
        if let Some(d) = &hints.department {
            given.push(d.clone());
        }
        if let Some(y) = hints.year {
            given.push(format!("{y} 年"));
        }
        if let Some(s) = hints.stage {
            given.push(s.label().to_owned());
        }
        hinted = Some(format!(
            "{}未印，按清单提示 {}",
            missing.names(),
            given.join(" ")
        ));
    }
    let time = start.elapsed();
    let identities = identities::count(&import.tables).unwrap_or_default();
    FileResult {
        pages: import.pages,
        hinted,
        file,
        time,
        import,
        identities,
    }
}

/// Every PDF of the corpus, sorted by name.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn column_strings(df: &DataFrame, name: &str) -> Vec<String> {
    fiscal_lens::frame::texts(df, name).unwrap_or_default()
}

/// The first summary table's totals as read (万元): 本年收入合计, 本年支出合计, 收入总计, 支出总计.
pub fn read_totals(r: &FileResult) -> [Option<Decimal>; 4] {
    let t = &r.import.tables;
    let first = r
        .import
        .reports
        .iter()
        .find(|x| x.rows_read > 0 && matches!(x.source_table.as_str(), "公开01" | "预算表1"))
        .map(|x| x.source_table.clone())
        .unwrap_or_default();
    let pick = |df: &DataFrame, key_col: &str, key: &str, extra: Option<(&str, &str)>| {
        let keys = column_strings(df, key_col);
        let tables = column_strings(df, "source_table");
        let amounts = column_strings(df, "amount");
        let extra_vals = extra.map(|(c, _)| column_strings(df, c));
        (0..df.height()).find_map(|i| {
            let ok = keys.get(i).map(String::as_str) == Some(key)
                && tables.get(i) == Some(&first)
                && extra.is_none_or(|(_, v)| {
                    extra_vals
                        .as_ref()
                        .and_then(|e| e.get(i))
                        .is_some_and(|x| x == v)
                });
            ok.then(|| amounts.get(i).and_then(|a| a.parse::<Decimal>().ok()))
                .flatten()
        })
    };
    [
        pick(&t.revenue, "source_key", "revenue_total", None),
        pick(
            &t.amounts,
            "name",
            "本年支出合计",
            Some(("nature", "total")),
        ),
        pick(&t.revenue, "source_key", "grand_total", None),
        pick(&t.totals, "item", "grand_total", Some(("fund", "all"))),
    ]
}
