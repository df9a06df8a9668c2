//! State persisted between runs.

use serde::{Deserialize, Serialize};

use crate::model::{MoneyUnit, Stage};

/// The views that exist. The navigation lists exactly these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Route {
    #[default]
    Overview,
    Sangong,
    Branches,
    Progress,
}

impl Route {
    pub const ALL: [Route; 4] = [
        Route::Overview,
        Route::Sangong,
        Route::Branches,
        Route::Progress,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Route::Overview => "总览",
            Route::Sangong => "三公经费",
            Route::Branches => "分局执行",
            Route::Progress => "预算执行进度",
        }
    }
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
    pub dark_mode: bool,
}
