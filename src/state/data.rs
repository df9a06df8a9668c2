//! The app's data: the loaded datasets, cached analysis results, jobs and notifications, and the
//! commands views return.

use std::sync::Arc;

use super::{DrillMode, Route, ask, capture, jobs, toasts};
use crate::analysis::branches::{BranchReport, IndicatorRow};
use crate::analysis::checks::{Finding, Target};
use crate::analysis::drill::{CodeTrend, DrillQuery, DrillTable};
use crate::analysis::overview::{Catalog, Overview, Selection};
use crate::analysis::quarterly::QuarterRow;
use crate::analysis::sangong::SangongTrend;
use crate::analysis::structure::{Structure, StructureReport};
use crate::dataset::Dataset;
use crate::model::{Classification, Code, Fund, MoneyUnit, Nature, Stage};
use toasts::Level;

/// What a view asks the app to do. Views never change shared state directly.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    SelectDepartment(String),
    SelectYear(i32),
    SelectStage(Stage),
    SetUnit(MoneyUnit),
    Navigate(Route),
    SetDarkMode(bool),
    /// Show the indicator rows of a project (or hide them with `None`).
    SelectProject(Option<String>),
    /// 单位 filter (`None` = all units).
    SetOrgUnit(Option<String>),
    /// 资金来源 filter.
    SetFund(Fund),
    /// Show the children of a node (`None` = the 类 level); recorded in the back history.
    DrillTo(Option<Code>),
    DrillBack,
    DrillForward,
    SetClassification(Classification),
    SetNature(Nature),
    SetDrillMode(DrillMode),
    /// Show the multi-year trend of a code (`None` = of the node being shown).
    ShowTrend(Option<Code>),
    /// Go to the drill-down at a functional code (from the structure view).
    OpenDrill(Option<Code>),
    /// Compare the structure view with a second selection (or stop comparing).
    SetCompare(Option<Selection>),
    /// Go to the view and row an audit finding is about.
    OpenFinding(Target),
    /// Import files (report text, Excel, CSV, Parquet, dataset folders) as one new dataset.
    OpenFiles(Vec<std::path::PathBuf>),
    /// Make a loaded dataset the active one.
    SelectDataset(usize),
    /// Close the import report window.
    DismissImportReport,
    /// Export the current view's table (CSV or XLSX by the file's extension).
    ExportTable(std::path::PathBuf),
    /// Export the chart registered as `name` (drawn in the current view) as PNG.
    ExportChart {
        name: String,
        path: std::path::PathBuf,
    },
    /// Raise a notification.
    Notify(Level, String),
    /// Close a notification.
    DismissToast(u64),
    /// Keep a notification on screen (the pointer is over it).
    HoldToast(u64),
    /// Show the report of the last import again.
    ShowImportReport,
    /// Show or hide the import-log panel.
    SetShowLog(bool),
    /// Import again the inputs of the 补充报告信息 form with the user's answers.
    ImportWithFacts(Vec<ask::GivenFacts>),
    /// Close the 补充报告信息 form without importing.
    CancelAsk,
    /// Stop waiting for the running import (its result is discarded when it arrives).
    CancelJob,
    /// Unload an imported dataset (the built-in one stays).
    RemoveDataset(usize),
    /// Back to the default view, filters, units and theme (loaded datasets stay).
    ResetLayout,
}

/// The outcome of the last import, shown until dismissed.
#[derive(Clone, Debug)]
pub struct ImportNotice {
    /// Whether a dataset was added.
    pub ok: bool,
    pub summary: String,
    /// The full report: per input and table, rows, warnings and errors with locations.
    pub report: String,
    /// Whether the report window is open (a failed import opens it; a successful one raises a
    /// toast that can open it).
    pub open: bool,
}

/// A drill-down table with the query it was computed for (after fallbacks) and why it differs
/// from the requested one.
#[derive(Debug)]
pub struct DrillData {
    pub query: DrillQuery,
    pub notes: Vec<String>,
    pub table: DrillTable,
}

/// Back/forward history of the drill-down (transient).
#[derive(Debug, Default)]
pub struct DrillHistory {
    pub back: Vec<Option<Code>>,
    pub forward: Vec<Option<Code>>,
}

/// An analysis result cached for one key, recomputed only when the key changes.
#[derive(Debug)]
pub struct Cached<K, T> {
    pub key: K,
    pub value: Result<T, String>,
}

/// Project execution of one (department, year) plus the years that have any.
#[derive(Debug)]
pub struct BranchData {
    pub years: Vec<i32>,
    pub report: BranchReport,
}

/// Quarterly rows of one (department, year) plus the years that have any.
#[derive(Debug)]
pub struct QuarterData {
    pub years: Vec<i32>,
    pub rows: Vec<QuarterRow>,
}

/// The dataset and everything computed from it.
pub struct AppData {
    /// Every loaded dataset (the built-in one first).
    pub datasets: Vec<Arc<Dataset>>,
    /// Index of the active dataset in `datasets`.
    pub active: usize,
    /// The active dataset.
    pub dataset: Arc<Dataset>,
    pub import_notice: Option<ImportNotice>,
    /// The import running on the worker thread, if any.
    pub job: Option<jobs::ImportJob>,
    /// Notifications: results of exports and imports, refusals, failures.
    pub toasts: toasts::Toasts,
    /// A chart being exported as PNG (screenshot requested or awaited).
    pub capture: Option<capture::Capture>,
    /// The egui input clock at the start of the current frame (seconds), for toast timing.
    pub now: f64,
    pub catalog: Catalog,
    pub overview: Option<Cached<Selection, Overview>>,
    pub sangong: Option<Cached<String, SangongTrend>>,
    pub branches: Option<Cached<(String, i32), BranchData>>,
    pub quarterly: Option<Cached<(String, i32), QuarterData>>,
    pub indicators: Option<Cached<String, Vec<IndicatorRow>>>,
    pub structure: Option<Cached<(Selection, Fund), StructureReport>>,
    pub compare: Option<Cached<(Selection, Fund), Structure>>,
    /// Keyed on the requested query.
    pub drill: Option<Cached<DrillQuery, DrillData>>,
    /// Keyed on the resolved top-level query and the code.
    pub code_trend: Option<Cached<(DrillQuery, Option<Code>), CodeTrend>>,
    pub drill_history: DrillHistory,
    /// Audit findings of the loaded dataset (keyed on the dataset name).
    pub checks: Option<Cached<String, Vec<Finding>>>,
    /// How many analysis results were computed (cache misses) since start: lets tests check
    /// that frames without a selection change run no query.
    pub computations: u64,
    /// Problems to show the user (load failures, analysis failures).
    pub errors: Vec<String>,
}
