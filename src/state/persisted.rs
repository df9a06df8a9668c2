//! State persisted between runs.

use serde::{Deserialize, Serialize};

use crate::analysis::overview::Selection;
use crate::model::{Classification, Code, Fund, MoneyUnit, Nature, Stage};

/// The views that exist. The navigation lists exactly these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Route {
    #[default]
    Overview,
    Structure,
    Drill,
    Sangong,
    Branches,
    Progress,
    Checks,
}

impl Route {
    pub const ALL: [Route; 7] = [
        Route::Overview,
        Route::Structure,
        Route::Drill,
        Route::Sangong,
        Route::Branches,
        Route::Progress,
        Route::Checks,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Route::Overview => "总览",
            Route::Structure => "收支结构",
            Route::Drill => "分类钻取",
            Route::Sangong => "三公经费",
            Route::Branches => "分局执行",
            Route::Progress => "预算执行进度",
            Route::Checks => "审计检查",
        }
    }

    /// Whether the top bar's fund filter (资金来源) applies to this view.
    pub fn uses_fund(self) -> bool {
        matches!(self, Route::Structure | Route::Drill)
    }
}

/// How the drill-down shows the children of the current node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DrillMode {
    #[default]
    Treemap,
    Table,
}

impl DrillMode {
    pub fn label(self) -> &'static str {
        match self {
            DrillMode::Treemap => "矩形树图",
            DrillMode::Table => "表格",
        }
    }
}

/// Where the drill-down is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DrillState {
    pub classification: Classification,
    pub nature: Nature,
    /// The node whose children are shown (`None` = the 类 under the total).
    pub parent: Option<Code>,
    pub mode: DrillMode,
    /// The code whose multi-year trend is shown (`None` = the node being shown).
    pub trend_code: Option<Code>,
}

/// Everything the user chose that should survive a restart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppState {
    pub route: Route,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub stage: Option<Stage>,
    pub unit: MoneyUnit,
    /// 单位 filter (`None` = all units): narrows the project views to one unit; views whose
    /// figures are not published per unit say so.
    pub org_unit: Option<String>,
    /// 资金来源 filter of the structure and drill-down views.
    pub fund: Fund,
    pub dark_mode: bool,
    pub drill: DrillState,
    /// The second selection the structure view is compared with.
    pub compare: Option<Selection>,
    /// The inputs of every imported dataset, in load order (re-imported at start).
    pub imports: Vec<Vec<std::path::PathBuf>>,
    /// Index of the active dataset (0 = built-in, then `imports` in order).
    pub active_dataset: usize,
    /// The last imports (newest first, at most 8), for 最近打开.
    pub recent: Vec<Vec<std::path::PathBuf>>,
    /// Whether the import-log panel of the active dataset is shown.
    pub show_log: bool,
    /// Department, year or kind the user gave for files that do not print them (used again
    /// whenever such a file is imported: restore, 最近打开).
    pub given: Vec<super::ask::GivenFacts>,
}
