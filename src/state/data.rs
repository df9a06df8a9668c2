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
    /// Select a department and show it in a view (click-through from 部门对比).
    OpenDepartment(String, DepartmentView),
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

/// The view a department is opened in from 部门对比.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepartmentView {
    /// 总览
    Overview,
    /// 三公经费
    Sangong,
    /// 分局执行
    Branches,
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

/// A computation running on an `analysis` worker thread, for `key`.
#[derive(Debug)]
struct Pending<K, T> {
    key: K,
    answer: std::sync::mpsc::Receiver<Result<T, String>>,
}

/// A view's result: the last one computed (shown, even while a newer one is computed) and the
/// computation running for the current key, if any. The previous result stays on screen with a
/// spinner until the new one swaps in; nothing is computed on the UI thread.
#[derive(Debug)]
pub struct Slot<K, T> {
    current: Option<Cached<K, T>>,
    pending: Option<Pending<K, T>>,
}

impl<K, T> Default for Slot<K, T> {
    fn default() -> Self {
        Self {
            current: None,
            pending: None,
        }
    }
}

impl<K, T> Slot<K, T> {
    /// The result shown: the last one computed (possibly for an older key, see
    /// [`Slot::is_pending`]).
    pub fn as_ref(&self) -> Option<&Cached<K, T>> {
        self.current.as_ref()
    }

    /// Mutable access to the result shown (views keep selection state in their results).
    pub fn as_mut(&mut self) -> Option<&mut Cached<K, T>> {
        self.current.as_mut()
    }

    /// Whether a newer result is being computed.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Forget the result and any computation running (its answer is dropped when it arrives).
    pub fn clear(&mut self) {
        self.current = None;
        self.pending = None;
    }
}

/// What a worker calls when its result is ready: the app sets it to repaint its window, so a
/// result is drawn as soon as it arrives without the window redrawing continuously meanwhile.
type Waker = std::sync::Arc<dyn Fn() + Send + Sync>;

static WAKER: std::sync::RwLock<Option<Waker>> = std::sync::RwLock::new(None);

/// Set what finished analysis workers call (the last app created wins).
pub fn set_waker(wake: impl Fn() + Send + Sync + 'static) {
    let mut w = WAKER
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *w = Some(std::sync::Arc::new(wake));
}

fn wake() {
    let waker = WAKER
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if let Some(wake) = waker {
        wake();
    }
}

/// How long a frame waits for an analysis result before drawing the previous one with a
/// spinner (the worker carries on; the result swaps in on a later frame).
pub const FRAME_WAIT: std::time::Duration = std::time::Duration::from_millis(25);

/// Bring `slot` to `key`: nothing when its result (or the computation running) is for `key`;
/// otherwise `compute` runs on a named `analysis` worker thread, and the frame waits at most
/// `wait` for it. Returns how many results were computed and swapped in (0 or 1), which the views
/// add up for [`AppData::computations`].
pub fn cache<K, T>(
    slot: &mut Slot<K, T>,
    key: K,
    wait: std::time::Duration,
    compute: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> u64
where
    K: PartialEq + Clone,
    T: Send + 'static,
{
    let current = slot.current.as_ref().is_some_and(|c| c.key == key);
    let running = slot.pending.as_ref().is_some_and(|p| p.key == key);
    if current {
        // a computation for an older key is no longer wanted
        slot.pending = None;
        return 0;
    }
    if !running {
        let (tx, answer) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("analysis".to_owned())
            .spawn(move || {
                let started = std::time::Instant::now();
                let value = compute().map_err(|e| e.to_string());
                log::debug!(
                    "analysis worker: {} ms ({})",
                    started.elapsed().as_millis(),
                    std::any::type_name::<T>()
                );
                // the receiver may be gone (a newer key): the answer is then dropped
                let _ = tx.send(value);
                wake();
            });
        match spawned {
            Ok(_) => slot.pending = Some(Pending { key, answer }),
            Err(e) => {
                slot.pending = None;
                slot.current = Some(Cached {
                    key,
                    value: Err(format!("无法启动分析线程：{e}")),
                });
                return 1;
            }
        }
    }
    poll(slot, wait)
}

/// Swap in the answer of the running computation if it arrives within `wait`.
fn poll<K, T>(slot: &mut Slot<K, T>, wait: std::time::Duration) -> u64 {
    let Some(pending) = slot.pending.as_ref() else {
        return 0;
    };
    let value = match pending.answer.recv_timeout(wait) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return 0,
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err("分析线程意外终止".to_owned()),
    };
    if let Some(pending) = slot.pending.take() {
        slot.current = Some(Cached {
            key: pending.key,
            value,
        });
    }
    1
}

/// [`cache`] on the UI thread, for results derived cheaply from another result (a waterfall from
/// a timeline of a few points), never for queries over the dataset.
pub fn cache_now<K: PartialEq, T>(
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
    pub catalog: Arc<Catalog>,
    /// The catalogue of each dataset of `datasets` (same order), built when it was loaded.
    pub catalogs: Vec<Arc<Catalog>>,
    /// How long a frame waits for an analysis result before showing the previous one with a
    /// spinner ([`FRAME_WAIT`] in the app; tests built with `App::with_dataset`
    /// wait up to a minute, so each frame shows the result of its own selection).
    pub analysis_wait: std::time::Duration,
    /// Whether the current view is waiting for a result computed on a worker.
    pub busy: bool,
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
