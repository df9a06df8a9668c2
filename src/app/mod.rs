//! The application: persisted state, the loaded dataset, cached analysis results, and the one
//! place where commands from views are carried out.

mod state;

pub use state::{AppState, Route};

use std::sync::Arc;

use crate::analysis::overview::{self, Catalog, Overview, Selection};
use crate::dataset::Dataset;
use crate::model::{MoneyUnit, Stage};
use crate::ui;

/// What a view asks the app to do. Views never change state directly.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    SelectDepartment(String),
    SelectYear(i32),
    SelectStage(Stage),
    SetUnit(MoneyUnit),
    Navigate(Route),
    SetDarkMode(bool),
}

/// An analysis result cached for one selection, recomputed only when the selection changes.
#[derive(Debug)]
pub struct Cached<T> {
    pub key: Selection,
    pub value: Result<T, String>,
}

pub struct App {
    pub state: AppState,
    pub dataset: Arc<Dataset>,
    pub catalog: Catalog,
    pub overview: Option<Cached<Overview>>,
    /// Problems to show the user (load failures, analysis failures).
    pub errors: Vec<String>,
}

const STORAGE_KEY: &str = eframe::APP_KEY;

impl App {
    /// Create the app from eframe's creation context: fonts, persisted state, built-in data.
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let state: AppState = cc
            .storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default();
        let (dataset, errors) = match Dataset::builtin() {
            Ok(ds) => (ds, Vec::new()),
            Err(e) => (empty_dataset(), vec![format!("内置数据集加载失败：{e}")]),
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
            dataset: Arc::new(dataset),
            catalog,
            overview: None,
            errors,
        };
        app.repair_selection();
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
        let repaired = match self.selection() {
            Some(sel) if self.catalog.entries.contains_key(&sel.department) => {
                self.catalog.repair(&sel)
            }
            _ => self.catalog.default_selection(),
        };
        if let Some(sel) = repaired {
            self.state.department = Some(sel.department);
            self.state.year = Some(sel.year);
            self.state.stage = Some(sel.stage);
        }
    }

    /// Recompute cached analysis results whose inputs changed. Cheap when nothing changed.
    pub fn refresh(&mut self) {
        let Some(sel) = self.selection() else {
            self.overview = None;
            return;
        };
        if self.overview.as_ref().is_some_and(|c| c.key == sel) {
            return;
        }
        let value =
            overview::overview(&self.dataset, &self.catalog, &sel).map_err(|e| e.to_string());
        self.overview = Some(Cached { key: sel, value });
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
        }
        self.refresh();
    }

    /// Draw one frame; returns nothing, commands are executed after drawing.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        self.refresh();
        let commands = ui::shell::show(ui, self);
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

fn empty_dataset() -> Dataset {
    Dataset {
        name: "（无数据）".to_owned(),
        origin: crate::dataset::Origin::BuiltIn,
        tables: Arc::new(crate::dataset::Tables {
            amounts: Default::default(),
            revenue: Default::default(),
            totals: Default::default(),
            sangong: Default::default(),
            projects: Default::default(),
            indicators: Default::default(),
            quarterly: Default::default(),
            evaluations: Default::default(),
            tables: Default::default(),
        }),
        log: Default::default(),
    }
}
