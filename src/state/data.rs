//! The app's data: the loaded datasets, cached analysis results, jobs and notifications, and the
//! commands views return.

use std::sync::Arc;

use super::{DrillMode, Route, ask, capture, jobs, toasts};
use crate::analysis::checks::Target;
use crate::analysis::overview::{Catalog, Selection};
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
    /// Go to the drill-down of a classification at a code (`None` = its 类 level), from the
    /// structure views.
    OpenDrill(Classification, Option<Code>),
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

/// An analysis result cached for one key, recomputed only when the key changes.
#[derive(Debug)]
pub struct Cached<K, T> {
    pub key: K,
    pub value: Result<T, String>,
}

/// Fill `slot` with `compute()` unless it already holds the result for `key`; returns how many
/// results were computed (0 or 1), which the views add up for [`AppData::computations`].
pub fn cache<K: PartialEq, T>(
    slot: &mut Option<Cached<K, T>>,
    key: K,
    compute: impl FnOnce() -> crate::Result<T>,
) -> u64 {
    if slot.as_ref().is_some_and(|c| c.key == key) {
        return 0;
    }
    *slot = Some(Cached {
        key,
        value: compute().map_err(|e| e.to_string()),
    });
    1
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
    /// How many analysis results were computed (cache misses) since start: lets tests check
    /// that frames without a selection change run no query.
    pub computations: u64,
    /// Problems to show the user (load failures, analysis failures).
    pub errors: Vec<String>,
    /// Why the stage changed by itself when the year or department did (shown beside it until
    /// the next selection change).
    pub stage_note: Option<String>,
    /// The jump from an audit finding being looked at: what to restore on leaving.
    pub jump: Option<Jump>,
}

/// A jump from an audit finding to its row. The filters it had to set (资金来源, the year and
/// stage of the finding) are temporary: leaving the target view restores the 资金来源, and going
/// back to the findings restores the selection too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jump {
    /// The view the jump came from (审计检查).
    pub from: Route,
    /// The view it went to.
    pub to: Route,
    /// The 资金来源 and selection before the jump.
    pub fund: Fund,
    pub selection: Option<Selection>,
    /// The selection the jump set: restored only if the user has not moved on from it.
    pub landed: Option<Selection>,
    /// What the jump changed, in words (shown in the banner).
    pub changed: Vec<String>,
}
