//! A loaded dataset: the canonical polars frames, where they came from, and the import log.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::DataFrame;

use crate::error::{Error, Location, Result};
use crate::ingest::canonical::{self, ALL_TABLES, TableSpec};

/// Severity of an import-log entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub level: LogLevel,
    pub message: String,
}

/// What happened while a dataset was read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportLog {
    pub entries: Vec<LogEntry>,
}

impl ImportLog {
    pub fn info(&mut self, message: impl Into<String>) {
        self.entries.push(LogEntry {
            level: LogLevel::Info,
            message: message.into(),
        });
    }

    pub fn warn(&mut self, message: impl Into<String>) {
        self.entries.push(LogEntry {
            level: LogLevel::Warning,
            message: message.into(),
        });
    }

    pub fn warnings(&self) -> impl Iterator<Item = &LogEntry> {
        self.entries.iter().filter(|e| e.level == LogLevel::Warning)
    }
}

/// Where a dataset was loaded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The dataset compiled into the binary (built from `sample-data/`).
    BuiltIn,
    /// A folder of canonical CSV files.
    Folder(PathBuf),
}

/// The canonical tables of one dataset (see `docs/DATA_FORMAT.md`).
#[derive(Clone, Debug)]
pub struct Tables {
    pub amounts: DataFrame,
    pub revenue: DataFrame,
    pub totals: DataFrame,
    pub sangong: DataFrame,
    pub projects: DataFrame,
    pub indicators: DataFrame,
    pub quarterly: DataFrame,
    pub evaluations: DataFrame,
    pub tables: DataFrame,
}

/// A dataset. Immutable once loaded; shared behind `Arc` between the UI and background jobs.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub name: String,
    pub origin: Origin,
    pub tables: Arc<Tables>,
    pub log: ImportLog,
}

/// The built-in dataset, compiled in from `sample-data/`.
const BUILTIN_FILES: [(&str, &str); 9] = [
    ("amounts", include_str!("../sample-data/amounts.csv")),
    ("revenue", include_str!("../sample-data/revenue.csv")),
    ("totals", include_str!("../sample-data/totals.csv")),
    ("sangong", include_str!("../sample-data/sangong.csv")),
    ("projects", include_str!("../sample-data/projects.csv")),
    ("indicators", include_str!("../sample-data/indicators.csv")),
    ("quarterly", include_str!("../sample-data/quarterly.csv")),
    (
        "evaluations",
        include_str!("../sample-data/evaluations.csv"),
    ),
    ("tables", include_str!("../sample-data/tables.csv")),
];

/// Name shown for the built-in dataset.
pub const BUILTIN_NAME: &str = "内置数据集（深圳、佛山社保基金管理局公开报告）";

impl Dataset {
    /// The dataset compiled into the binary.
    pub fn builtin() -> Result<Self> {
        let mut log = ImportLog::default();
        let tables = build_tables(&mut log, |spec| {
            let text = BUILTIN_FILES
                .iter()
                .find(|(name, _)| *name == spec.name)
                .map(|(_, text)| *text);
            Ok(text.map(|t| {
                (
                    format!("内置数据集/{}", spec.file_name()),
                    t.as_bytes().to_vec(),
                )
            }))
        })?;
        Ok(Self {
            name: BUILTIN_NAME.to_owned(),
            origin: Origin::BuiltIn,
            tables: Arc::new(tables),
            log,
        })
    }

    /// A dataset with no rows (what the app shows when nothing could be loaded).
    pub fn empty() -> Self {
        let mut log = ImportLog::default();
        let tables = build_tables(&mut log, |_| Ok(None)).unwrap_or_else(|_| Tables {
            amounts: DataFrame::default(),
            revenue: DataFrame::default(),
            totals: DataFrame::default(),
            sangong: DataFrame::default(),
            projects: DataFrame::default(),
            indicators: DataFrame::default(),
            quarterly: DataFrame::default(),
            evaluations: DataFrame::default(),
            tables: DataFrame::default(),
        });
        Self {
            name: "（无数据）".to_owned(),
            origin: Origin::BuiltIn,
            tables: Arc::new(tables),
            log,
        }
    }

    /// Load a dataset folder holding canonical CSV files (missing files mean no rows).
    pub fn from_dir(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(Error::Malformed {
                location: Location::file(dir.display().to_string()),
                message: "不是数据集文件夹".to_owned(),
            });
        }
        let mut log = ImportLog::default();
        let mut found = 0usize;
        let tables = build_tables(&mut log, |spec| {
            let path = dir.join(spec.file_name());
            if !path.exists() {
                return Ok(None);
            }
            found += 1;
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            Ok(Some((path.display().to_string(), bytes)))
        })?;
        if found == 0 {
            return Err(Error::Malformed {
                location: Location::file(dir.display().to_string()),
                message: format!(
                    "文件夹中没有规范数据表（期望 {} 等文件）",
                    ALL_TABLES
                        .iter()
                        .map(TableSpec::file_name)
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            });
        }
        let name = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(Self {
            name,
            origin: Origin::Folder(dir.to_path_buf()),
            tables: Arc::new(tables),
            log,
        })
    }

    /// Load from a path given on the command line: a dataset folder.
    pub fn from_path(path: &Path) -> Result<Self> {
        if path.is_dir() {
            Self::from_dir(path)
        } else if path.exists() {
            Err(Error::Malformed {
                location: Location::file(path.display().to_string()),
                message: "目前只支持规范数据集文件夹（含 amounts.csv 等）".to_owned(),
            })
        } else {
            Err(Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "文件或文件夹不存在"),
            ))
        }
    }
}

fn build_tables(
    log: &mut ImportLog,
    mut source: impl FnMut(&TableSpec) -> Result<Option<(String, Vec<u8>)>>,
) -> Result<Tables> {
    let mut frames = Vec::with_capacity(ALL_TABLES.len());
    for spec in &ALL_TABLES {
        let df = match source(spec)? {
            Some((file, bytes)) => {
                let (df, warnings) = canonical::read_table(spec, &file, &bytes)?;
                for w in warnings {
                    log.warn(w);
                }
                log.info(format!("{file}: 读取 {} 行", df.height()));
                df
            }
            None => {
                let empty = canonical::read_table(spec, spec.name, header_only(spec).as_bytes())?;
                empty.0
            }
        };
        frames.push(df);
    }
    let mut it = frames.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Ok(Tables {
        amounts: next(),
        revenue: next(),
        totals: next(),
        sangong: next(),
        projects: next(),
        indicators: next(),
        quarterly: next(),
        evaluations: next(),
        tables: next(),
    })
}

fn header_only(spec: &TableSpec) -> String {
    let mut s = spec
        .columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(",");
    s.push('\n');
    s
}
