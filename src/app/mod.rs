//! The application: persisted state, the loaded dataset, cached analysis results, transient view
//! state, and the one place where commands from views are carried out.

mod state;

pub use state::{AppState, Route};

use std::sync::Arc;

use crate::analysis::branches::{self, BranchReport, IndicatorRow};
use crate::analysis::overview::{self, Catalog, Overview, Selection};
use crate::analysis::quarterly::{self, QuarterRow};
use crate::analysis::sangong::{self, SangongTrend};
use crate::dataset::Dataset;
use crate::model::{MoneyUnit, Stage};
use crate::ui;
use crate::ui::views::ViewStates;

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
    pub dataset: Arc<Dataset>,
    pub catalog: Catalog,
    pub overview: Option<Cached<Selection, Overview>>,
    pub sangong: Option<Cached<String, SangongTrend>>,
    pub branches: Option<Cached<(String, i32), BranchData>>,
    pub quarterly: Option<Cached<(String, i32), QuarterData>>,
    pub indicators: Option<Cached<String, Vec<IndicatorRow>>>,
    /// Problems to show the user (load failures, analysis failures).
    pub errors: Vec<String>,
}

pub struct App {
    pub state: AppState,
    pub data: AppData,
    pub views: ViewStates,
}

const STORAGE_KEY: &str = eframe::APP_KEY;

fn cache<K: PartialEq + Clone, T>(
    slot: &mut Option<Cached<K, T>>,
    key: K,
    compute: impl FnOnce() -> crate::Result<T>,
) {
    if slot.as_ref().is_some_and(|c| c.key == key) {
        return;
    }
    *slot = Some(Cached {
        key,
        value: compute().map_err(|e| e.to_string()),
    });
}

impl App {
    /// Create the app from eframe's creation context: fonts, persisted state, built-in data.
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let state: AppState = cc
            .storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default();
        let (dataset, errors) = match Dataset::builtin() {
            Ok(ds) => (ds, Vec::new()),
            Err(e) => (Dataset::empty(), vec![format!("内置数据集加载失败：{e}")]),
        };
        Self::with_dataset(&cc.egui_ctx, state, dataset, errors)
    }

    /// Create the app on a given dataset (used by tests and by `fiscal-lens PATH`).
    pub fn with_dataset(
        ctx: &egui::Context,
        state: AppState,
        dataset: Dataset,
        mut errors: Vec<String>,
    ) -> Self {
        ui::fonts::install(ctx);
        ui::theme::apply(ctx, state.dark_mode);
        let catalog = match overview::catalog(&dataset) {
            Ok(c) => c,
            Err(e) => {
                errors.push(format!("数据目录生成失败：{e}"));
                Catalog::default()
            }
        };
        let mut app = Self {
            state,
            data: AppData {
                dataset: Arc::new(dataset),
                catalog,
                overview: None,
                sangong: None,
                branches: None,
                quarterly: None,
                indicators: None,
                errors,
            },
            views: ViewStates::default(),
        };
        app.repair_selection();
        app.refresh();
        app
    }

    /// The current selection (always valid for the loaded dataset, if it has any data).
    pub fn selection(&self) -> Option<Selection> {
        Some(Selection {
            department: self.state.department.clone()?,
            year: self.state.year?,
            stage: self.state.stage?,
        })
    }

    fn repair_selection(&mut self) {
        let cat = &self.data.catalog;
        let repaired = match self.selection() {
            Some(sel) if cat.entries.contains_key(&sel.department) => cat.repair(&sel),
            _ => cat.default_selection(),
        };
        if let Some(sel) = repaired {
            self.state.department = Some(sel.department);
            self.state.year = Some(sel.year);
            self.state.stage = Some(sel.stage);
        }
    }

    /// Recompute the cached results the current view needs, where their inputs changed. Cheap
    /// (a key comparison) when nothing changed, so it may run every frame.
    pub fn refresh(&mut self) {
        let Some(sel) = self.selection() else {
            return;
        };
        let data = &mut self.data;
        let ds = Arc::clone(&data.dataset);
        match self.state.route {
            Route::Overview => {
                let cat = &data.catalog;
                cache(&mut data.overview, sel.clone(), || {
                    overview::overview(&ds, cat, &sel)
                });
            }
            Route::Sangong => {
                cache(&mut data.sangong, sel.department.clone(), || {
                    sangong::sangong_trend(&ds, &sel.department)
                });
            }
            Route::Branches => {
                cache(
                    &mut data.branches,
                    (sel.department.clone(), sel.year),
                    || {
                        Ok(BranchData {
                            years: branches::project_years(&ds, &sel.department)?,
                            report: branches::branch_report(&ds, &sel.department, sel.year)?,
                        })
                    },
                );
            }
            Route::Progress => {
                cache(
                    &mut data.quarterly,
                    (sel.department.clone(), sel.year),
                    || {
                        Ok(QuarterData {
                            years: quarterly::quarterly_years(&ds, &sel.department)?,
                            rows: quarterly::quarterly(&ds, &sel.department, sel.year)?,
                        })
                    },
                );
            }
        }
    }

    /// Carry out one command.
    pub fn execute(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::SelectDepartment(d) => {
                self.state.department = Some(d);
                self.repair_selection();
            }
            Command::SelectYear(y) => {
                self.state.year = Some(y);
                self.repair_selection();
            }
            Command::SelectStage(s) => {
                self.state.stage = Some(s);
                self.repair_selection();
            }
            Command::SetUnit(u) => self.state.unit = u,
            Command::Navigate(r) => self.state.route = r,
            Command::SetDarkMode(dark) => {
                self.state.dark_mode = dark;
                ui::theme::apply(ctx, dark);
            }
            Command::SelectProject(id) => {
                self.views.branches.selected_project = id.clone();
                match id {
                    Some(id) => {
                        let ds = Arc::clone(&self.data.dataset);
                        cache(&mut self.data.indicators, id.clone(), || {
                            branches::indicators(&ds, &id)
                        });
                    }
                    None => self.data.indicators = None,
                }
            }
        }
        self.refresh();
    }

    /// Draw one frame, then execute the commands the views returned.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        self.refresh();
        let commands = ui::shell::show(ui, &self.state, &self.data, &mut self.views);
        let ctx = ui.ctx().clone();
        for c in commands {
            self.execute(&ctx, c);
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.state);
    }
}
