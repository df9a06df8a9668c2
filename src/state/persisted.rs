//! State persisted between runs.

use serde::{Deserialize, Serialize};

use crate::analysis::overview::Selection;
use crate::model::{Classification, Code, Fund, MoneyUnit, Nature};

/// The id of a view, as persisted and as navigation names it. The views themselves, their
/// labels and order are listed by the registry in `ui::pages`; an id the registry does not know
/// (an old state file) falls back to its first view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Route(pub std::borrow::Cow<'static, str>);

impl Route {
    /// A view id known at compile time (each view declares its own).
    pub const fn new(id: &'static str) -> Self {
        Route(std::borrow::Cow::Borrowed(id))
    }

    /// The id as text.
    pub fn id(&self) -> &str {
        &self.0
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
    /// The department, year and stage chosen in the top bar (`None` until the dataset has
    /// data; kept valid for the active dataset by the app).
    pub selection: Option<Selection>,
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

impl AppState {
    /// The top bar's selection (a copy; see [`AppState::selection`] the field).
    pub fn selection(&self) -> Option<Selection> {
        self.selection.clone()
    }

    /// The selected department, if any.
    pub fn department(&self) -> Option<&String> {
        self.selection.as_ref().map(|s| &s.department)
    }

    /// The selected year, if any.
    pub fn year(&self) -> Option<i32> {
        self.selection.as_ref().map(|s| s.year)
    }
}
