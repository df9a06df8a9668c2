//! A loaded dataset: the canonical polars frames, where they came from, and the import log.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::ingest::ImportReport;
use crate::ingest::canonical::{self, TableSpec};

pub use crate::ingest::log::{ImportLog, LogEntry};

/// Where a dataset was loaded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The dataset compiled into the binary (built from `sample-data/`).
    BuiltIn,
    /// A folder of canonical CSV or Parquet files.
    Folder(PathBuf),
    /// One file: a canonical workbook, or a canonical CSV / Parquet file of one table.
    File(PathBuf),
    /// Several inputs merged (see [`Dataset::import`]).
    Inputs(Vec<PathBuf>),
}

pub use crate::ingest::Tables;

/// A dataset. Immutable once loaded; shared behind `Arc` between the UI and background jobs.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub name: String,
    pub origin: Origin,
    pub tables: Arc<Tables>,
    pub log: ImportLog,
    /// How many of its tables are 存疑 (`tables.verdict`), counted once when built.
    pub doubtful_tables: usize,
    /// The rows of the departments asked for lately (see [`Dataset::department`]).
    departments: Departments,
}

/// How many departments' rows [`Dataset::department`] keeps.
const KEPT_DEPARTMENTS: usize = 8;

/// The tables of the departments asked for lately, the most recent last (shared by the clones of
/// a dataset).
#[derive(Clone, Debug, Default)]
struct Departments(Arc<std::sync::Mutex<Vec<Kept>>>);

/// One department's tables (see [`Dataset::department`]).
type Kept = (String, Arc<Tables>);

/// The rows of every table whose text columns hold the given values (and whose `year` is `year`,
/// if given); a table without one of those columns is not filtered on it.
fn restrict(tables: &Tables, values: &[(&str, &str)], year: Option<i32>) -> Result<Tables> {
    use polars::prelude::{BooleanChunked, ChunkCompareEq, DataFrame};
    // eager masks: a handful of comparisons, no query plan to build for a slice read many times
    let pick = |df: &DataFrame| -> Result<DataFrame> {
        let mut mask: Option<BooleanChunked> = None;
        let mut and = |m: BooleanChunked| {
            mask = Some(match mask.take() {
                Some(prev) => &prev & &m,
                None => m,
            });
        };
        for (c, v) in values {
            if let Ok(column) = df.column(c) {
                and(column.str()?.equal(*v));
            }
        }
        if let Some(y) = year
            && let Ok(column) = df.column("year")
        {
            and(column.i32()?.equal(y));
        }
        match mask {
            None => Ok(df.clone()),
            Some(mask) => Ok(df.filter(&mask)?),
        }
    };
    Ok(Tables {
        amounts: pick(&tables.amounts)?,
        revenue: pick(&tables.revenue)?,
        totals: pick(&tables.totals)?,
        sangong: pick(&tables.sangong)?,
        projects: pick(&tables.projects)?,
        indicators: pick(&tables.indicators)?,
        quarterly: pick(&tables.quarterly)?,
        evaluations: pick(&tables.evaluations)?,
        tables: pick(&tables.tables)?,
    })
}

/// The number of 存疑 tables in a manifest.
fn count_doubtful(tables: &Tables) -> usize {
    let m = &tables.tables;
    m.column("verdict")
        .ok()
        .and_then(|c| {
            c.str()
                .ok()
                .map(|s| s.iter().filter(|v| *v == Some("doubtful")).count())
        })
        .unwrap_or(0)
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
    /// The same dataset restricted to one department's rows (tables without a `department`
    /// column whole): every view of one department reads this, so its queries scan that
    /// department's rows, not a city's. Filtered once and kept for the last
    /// [`KEPT_DEPARTMENTS`] departments asked for.
    pub fn department(&self, department: &str) -> Result<Dataset> {
        let kept = {
            let mut kept = self
                .departments
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            kept.iter().position(|(d, _)| d == department).map(|i| {
                // the most recent last
                let entry = kept.remove(i);
                let tables = Arc::clone(&entry.1);
                kept.push(entry);
                tables
            })
        };
        let tables = match kept {
            Some(tables) => tables,
            None => {
                let tables = Arc::new(restrict(&self.tables, &[("department", department)], None)?);
                let mut kept = self
                    .departments
                    .0
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if kept.len() >= KEPT_DEPARTMENTS {
                    kept.remove(0);
                }
                kept.push((department.to_owned(), Arc::clone(&tables)));
                tables
            }
        };
        Ok(self.with_tables(tables))
    }

    /// This dataset's name, origin and verdict count over other tables (a slice of its own).
    fn with_tables(&self, tables: Arc<Tables>) -> Dataset {
        Dataset {
            name: self.name.clone(),
            origin: self.origin.clone(),
            tables,
            log: ImportLog::default(),
            doubtful_tables: self.doubtful_tables,
            departments: Departments::default(),
        }
    }

    /// The same dataset restricted to the rows whose text columns hold these values (and of this
    /// year, if given), for analyses that read one slice many times. Not kept.
    pub fn restricted(&self, values: &[(&str, &str)], year: Option<i32>) -> Result<Dataset> {
        Ok(self.with_tables(Arc::new(restrict(&self.tables, values, year)?)))
    }

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
            doubtful_tables: count_doubtful(&tables),
            tables: Arc::new(tables),
            log,
            departments: Departments::default(),
        })
    }

    /// A dataset with no rows (what the app shows when nothing could be loaded).
    pub fn empty() -> Self {
        let mut log = ImportLog::default();
        let tables = build_tables(&mut log, |_| Ok(None)).unwrap_or_default();
        Self {
            name: "（无数据）".to_owned(),
            origin: Origin::BuiltIn,
            doubtful_tables: count_doubtful(&tables),
            tables: Arc::new(tables),
            log,
            departments: Departments::default(),
        }
    }

    /// Load a dataset folder holding canonical CSV (or Parquet) files (missing files mean no rows).
    pub fn from_dir(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(Error::Malformed {
                location: Location::file(dir.display().to_string()),
                message: "不是数据集文件夹".to_owned(),
            });
        }
        Self::from_path(dir)
    }

    /// Load from a path given on the command line: a folder of canonical CSV or Parquet files, a
    /// canonical `.xlsx` workbook, or one canonical CSV / Parquet file (its table is known by the
    /// file stem or the header; the other tables are empty). The first problem is the error.
    pub fn from_path(path: &Path) -> Result<Self> {
        Self::from_path_with(path, &crate::ingest::ImportOptions::default())
    }

    /// [`Dataset::from_path`] with import options (e.g. only one department).
    pub fn from_path_with(path: &Path, options: &crate::ingest::ImportOptions) -> Result<Self> {
        let (dataset, report) = Self::import_with(&[path.to_path_buf()], options, &|_| {});
        match dataset {
            Some(ds) => Ok(ds),
            None => Err(report
                .into_first_error()
                .unwrap_or_else(|| Error::Malformed {
                    location: Location::file(path.display().to_string()),
                    message: "无法读取".to_owned(),
                })),
        }
    }

    /// Read and merge several inputs (see [`crate::ingest::import`] for the kinds and the
    /// duplicate rule). The dataset is `None` when the report has errors.
    pub fn import(inputs: &[PathBuf]) -> (Option<Self>, ImportReport) {
        Self::import_with(inputs, &crate::ingest::ImportOptions::default(), &|_| {})
    }

    /// [`Dataset::import`] with options (`keep_going`) and a callback per input read (see
    /// [`crate::ingest::import_with`]).
    pub fn import_with(
        inputs: &[PathBuf],
        options: &crate::ingest::ImportOptions,
        on_read: &(dyn Fn(&crate::ingest::import::InputReport) + Sync),
    ) -> (Option<Self>, ImportReport) {
        let mut laps = crate::diag::Laps::new("import");
        let (tables, mut report) = crate::ingest::import_with(inputs, options, on_read);
        laps.lap("read-and-merge");
        crate::diag::log_memory("read");
        let Some(mut tables) = tables else {
            return (None, report);
        };
        // canonical inputs written before verdicts existed are judged now
        let judged = crate::ingest::verify::judge_unjudged(&mut tables);
        laps.lap("verdicts");
        if let Err(e) = judged
            && let Some(first) = report.inputs.first_mut()
        {
            first.warnings.push(format!("无法核对各表：{e}"));
        }
        let mut log = ImportLog::default();
        for input in &report.inputs {
            for line in &input.notes {
                log.info(line.clone());
            }
            for line in &input.warnings {
                log.warn(line.clone());
            }
            for t in &input.tables {
                for line in &t.notes {
                    log.info(line.clone());
                }
                for line in &t.warnings {
                    log.warn(line.clone());
                }
                log.info(format!("{}: 读取 {} 行", t.source, t.rows));
            }
        }
        let name_of = |p: &Path| {
            let name = if p.is_dir() {
                p.file_name()
            } else {
                p.file_stem()
            };
            name.map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        };
        let (name, origin) = match inputs {
            [one] if one.is_dir() => (name_of(one), Origin::Folder(one.clone())),
            [one] => (name_of(one), Origin::File(one.clone())),
            many => (
                many.iter()
                    .map(|p| name_of(p))
                    .collect::<Vec<_>>()
                    .join(" + "),
                Origin::Inputs(many.to_vec()),
            ),
        };
        let dataset = Self {
            name,
            origin,
            doubtful_tables: count_doubtful(&tables),
            tables: Arc::new(tables),
            log,
            departments: Departments::default(),
        };
        (Some(dataset), report)
    }
}

fn build_tables(
    log: &mut ImportLog,
    mut source: impl FnMut(&TableSpec) -> Result<Option<(String, Vec<u8>)>>,
) -> Result<Tables> {
    let mut tables = Tables::from_fn(|spec| match source(spec)? {
        Some((file, bytes)) => {
            let (df, warnings) = canonical::read_table(spec, &file, &bytes)?;
            for w in warnings {
                log.warn(w);
            }
            log.info(format!("{file}: 读取 {} 行", df.height()));
            Ok(df)
        }
        None => canonical::empty_frame(spec),
    })?;
    crate::ingest::verify::judge_unjudged(&mut tables)?;
    Ok(tables)
}
