//! The application: owns the state (`crate::state`) and the views' transient state, draws the
//! views (`crate::ui`) and carries out the commands they return, once per frame.
//!
//! - `mod.rs`: [`App`], its creation, the selection, the frame ([`App::draw`])
//! - `refresh`: the cached analysis results the current view needs
//! - `commands`: carrying out [`Command`]s
//! - `imports`: import jobs, their outcome, restoring the last session
//! - `output` / [`export`]: the current view's table and chart exports

mod commands;
pub mod export;
mod imports;
mod output;
mod refresh;

use refresh::cache;

pub use crate::state::{
    AppData, AppState, BranchData, Cached, Command, DrillData, DrillHistory, DrillMode, DrillState,
    ImportNotice, QuarterData, Route, ask, capture, jobs, toasts,
};

use std::sync::Arc;

use crate::analysis::branches;
use crate::analysis::checks::{self, Finding, Target};
use crate::analysis::drill::{self, DrillQuery};
use crate::analysis::overview::{self, Catalog, Selection};
use crate::analysis::quarterly;
use crate::analysis::sangong;
use crate::analysis::structure;
use crate::dataset::Dataset;
use crate::model::{Classification, Code};
use crate::ui;
use crate::ui::views::ViewStates;
use toasts::Level;

/// The running dashboard: persisted state, loaded data and the views' transient state.
pub struct App {
    pub state: AppState,
    pub data: AppData,
    pub views: ViewStates,
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
            Err(e) => (Dataset::empty(), vec![format!("内置数据集加载失败：{e}")]),
        };
        let mut app = Self::with_dataset(&cc.egui_ctx, state, dataset, errors);
        app.restore_imports();
        app
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
        let dataset = Arc::new(dataset);
        let mut app = Self {
            state,
            data: AppData {
                datasets: vec![Arc::clone(&dataset)],
                active: 0,
                import_notice: None,
                job: None,
                toasts: toasts::Toasts::default(),
                capture: None,
                now: 0.0,
                dataset,
                catalog,
                overview: None,
                sangong: None,
                branches: None,
                quarterly: None,
                indicators: None,
                structure: None,
                compare: None,
                drill: None,
                code_trend: None,
                drill_history: DrillHistory::default(),
                checks: None,
                computations: 0,
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

    /// The drill-down query the top bar and the drill state ask for.
    pub fn drill_query(&self) -> Option<DrillQuery> {
        let sel = self.selection()?;
        Some(DrillQuery {
            scope: self
                .data
                .catalog
                .scope(&sel.department, sel.year)
                .unwrap_or_default(),
            department: sel.department,
            year: sel.year,
            stage: sel.stage,
            fund: self.state.fund,
            classification: self.state.drill.classification,
            nature: self.state.drill.nature,
            parent: self.state.drill.parent.clone(),
        })
    }

    fn repair_selection(&mut self) {
        let cat = &self.data.catalog;
        let repaired = match self.selection() {
            Some(sel) if cat.entries.contains_key(&sel.department) => cat.repair(&sel),
            _ => cat.default_selection(),
        };
        if let Some(sel) = repaired {
            if let Some(u) = &self.state.org_unit
                && !cat.units(&sel.department, sel.year).contains(u)
            {
                self.state.org_unit = None;
            }
            self.state.department = Some(sel.department);
            self.state.year = Some(sel.year);
            self.state.stage = Some(sel.stage);
        }
    }

    /// Draw one frame, then execute the commands the views returned.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        self.data.now = ui.ctx().input(|i| i.time);
        self.data.toasts.start(self.data.now);
        self.data.toasts.expire(self.data.now);
        if let Some(secs) = self.data.toasts.next_expiry(self.data.now) {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(secs + 0.05));
        }
        // Files dropped on the window are imported like opened ones.
        let dropped: Vec<std::path::PathBuf> = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.open_files(&dropped);
        }
        self.poll_jobs();
        self.poll_capture(ui.ctx());
        if self.data.job.is_some() {
            // Keep polling while the worker runs.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        // Alt+← / Alt+→: back / forward in the drill-down; Ctrl+O open; Ctrl+E export;
        // Ctrl+F the view's filter box.
        let (back, forward, open, export, find, quit) = ui.ctx().input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowLeft),
                i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowRight),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::O),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::E),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::F),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Q),
            )
        });
        if quit {
            // eframe saves the state (AppState) on the way out.
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if find {
            match self.state.route {
                Route::Branches => self.views.branches.focus_filter = true,
                Route::Drill => self.views.drill.focus_filter = true,
                _ => {}
            }
        }
        let ctx = ui.ctx().clone();
        if open
            && let Some(c) =
                ui::widgets::dialog_command(ui::widgets::pick_files_dialog(), Command::OpenFiles)
        {
            self.execute(&ctx, c);
        }
        if export
            && let Some(c) = ui::widgets::dialog_command(
                ui::widgets::save_table_dialog(self.state.route.label()),
                Command::ExportTable,
            )
        {
            self.execute(&ctx, c);
        }
        let ctx = ui.ctx().clone();
        if back && self.state.route == Route::Drill {
            self.execute(&ctx, Command::DrillBack);
        }
        if forward && self.state.route == Route::Drill {
            self.execute(&ctx, Command::DrillForward);
        }
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
