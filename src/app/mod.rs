//! The application: owns the state (`crate::state`) and the views (`crate::ui::pages`), draws
//! them and carries out the commands they return, once per frame.
//!
//! - `mod.rs`: [`App`], its creation, the selection, the frame ([`App::draw`]), refreshing the
//!   current view's results
//! - `commands`: the command queue and carrying out [`Command`]s
//! - `imports`: import jobs and their outcome
//! - `restore`: restoring the last session's imports after the first frame, with a crash marker
//! - `output`: the current view's table and chart exports

pub mod clock;
mod commands;
mod imports;
mod output;
mod restore;

pub use restore::marker_path;

pub use crate::state::{
    AppData, AppState, Cached, Command, DepartmentView, DrillMode, DrillState, ImportNotice, Route,
    ask, capture, jobs, toasts,
};

use std::collections::VecDeque;
use std::sync::Arc;

use crate::analysis::checks::Target;
use crate::analysis::overview::{self, Catalog, Selection};
use crate::dataset::Dataset;
use crate::model::{Code, Stage};
use crate::ui;
use crate::ui::pages::{self, DataContext, Pages};
use toasts::Level;

/// The running dashboard: persisted state, loaded data and the views' transient state.
pub struct App {
    pub state: AppState,
    pub data: AppData,
    /// Every view, with its transient state and cached results.
    pub pages: Pages,
    /// The 补充报告信息 form, while an import waits for facts its reports do not print.
    pub ask: Option<ask::AskForm>,
    /// Commands waiting to be carried out (in order; follow-ups go first).
    queue: VecDeque<Command>,
    /// The last session's imports still being restored.
    restore: Option<restore::Restore>,
    /// The file marking a restore in progress (`None`: not kept, as in tests).
    marker: Option<std::path::PathBuf>,
    /// Frame times (logged at debug level).
    pub clock: clock::FrameClock,
}

const STORAGE_KEY: &str = eframe::APP_KEY;

/// The app id eframe stores its state under (and the restore marker beside it).
pub const APP_ID: &str = "fiscal-lens";

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
        // the window never waits for an analysis longer than a frame's share
        app.data.analysis_wait = crate::state::FRAME_WAIT;
        // a finished worker wakes the window: no continuous redrawing while a result is computed
        let ctx = cc.egui_ctx.clone();
        crate::state::set_waker(move || ctx.request_repaint());
        // beside the state file, when the state is kept at all (not in tests)
        if cc.storage.is_some() {
            app.marker = eframe::storage_dir(APP_ID).map(|d| marker_path(&d));
        }
        // queued only: the first frame starts them on the worker
        app.restore_imports();
        app
    }

    /// Keep the restore marker at `path` (the app started by `new` keeps it beside its state
    /// file).
    pub fn set_restore_marker(&mut self, path: std::path::PathBuf) {
        self.marker = Some(path);
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
        let catalog = Arc::new(match overview::catalog(&dataset) {
            Ok(c) => c,
            Err(e) => {
                errors.push(format!("数据目录生成失败：{e}"));
                Catalog::default()
            }
        });
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
                catalogs: vec![catalog.clone()],
                catalog,
                analysis_wait: std::time::Duration::from_mins(1),
                busy: false,
                computations: 0,
                errors,
                stage_note: None,
                jump: None,
            },
            pages: Pages::default(),
            ask: None,
            queue: VecDeque::new(),
            restore: None,
            marker: None,
            clock: clock::FrameClock::default(),
        };
        if !app.pages.knows(&app.state.route) {
            app.state.route = app.pages.first_route();
        }
        app.repair_selection();
        app.refresh();
        app
    }

    /// The current selection (always valid for the loaded dataset, if it has any data).
    pub fn selection(&self) -> Option<Selection> {
        self.state.selection()
    }

    /// Recompute the current view's results where their inputs changed. Cheap (key
    /// comparisons) when nothing changed; runs once per frame, before drawing.
    pub fn refresh(&mut self) {
        let Some(selection) = self.state.selection() else {
            return;
        };
        let cx = DataContext {
            dataset: &self.data.dataset,
            catalog: &self.data.catalog,
            wait: self.data.analysis_wait,
            state: &self.state,
            selection,
        };
        if let Some(page) = self.pages.current_mut(&self.state.route) {
            self.data.computations += page.refresh(&cx);
            self.data.busy = page.busy();
        }
    }

    /// Repair the selection after the year or department changed, the stage following the year
    /// (see [`crate::analysis::overview::Catalog::follow_year`]); the note says why it moved.
    fn follow_selection(&mut self) {
        let followed = self
            .selection()
            .filter(|sel| self.data.catalog.entries.contains_key(&sel.department))
            .and_then(|sel| self.data.catalog.follow_year(&sel));
        match followed {
            Some((sel, note)) => {
                self.state.selection = Some(sel);
                self.data.stage_note = note;
                self.repair_selection();
            }
            None => {
                self.data.stage_note = None;
                self.repair_selection();
            }
        }
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
            self.state.selection = Some(sel);
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
            self.queue.push_back(Command::OpenFiles(dropped));
        }
        self.poll_jobs();
        self.start_next_restore();
        self.poll_capture(ui.ctx());
        if self.data.job.is_some() {
            // Keep polling while the worker runs.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        // Ctrl+O open; Ctrl+E export; Ctrl+F the view's filter box; Ctrl+Q quit.
        let (open, export, find, quit) = ui.ctx().input_mut(|i| {
            (
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
        if find && let Some(page) = self.pages.current_mut(&self.state.route) {
            page.focus_filter();
        }
        if open
            && let Some(c) =
                ui::widgets::dialog_command(ui::widgets::pick_files_dialog(), Command::OpenFiles)
        {
            self.queue.push_back(c);
        }
        if export
            && let Some(page) = self.pages.current(&self.state.route)
            && let Some(c) = ui::widgets::dialog_command(
                ui::widgets::save_table_dialog(page.label()),
                Command::ExportTable,
            )
        {
            self.queue.push_back(c);
        }
        self.refresh();
        if self.data.busy {
            // The worker wakes the window when its result is ready (`state::set_waker`); until
            // then the spinner turns at 4 frames a second, which leaves the CPU to the worker (a
            // software renderer takes 25-35 ms of both cores per frame at 1440×900).
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(250));
        }
        let commands = ui::shell::show(ui, &self.state, &self.data, &mut self.pages, &mut self.ask);
        self.queue.extend(commands);
        let ctx = ui.ctx().clone();
        if self.run_queue(&ctx) {
            // draw the outcome (the next frame refreshes the results)
            ctx.request_repaint();
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let started = std::time::Instant::now();
        self.draw(ui);
        let view = self
            .pages
            .current(&self.state.route)
            .map_or("", |p| p.label());
        self.clock
            .frame(started, started.elapsed(), self.data.busy, view);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.state.active_dataset = self.data.active;
        let mut state = self.state.clone();
        // imports not restored yet stay in the saved list, in their order
        if let Some(r) = &self.restore {
            state
                .imports
                .extend(r.current.iter().map(|(_, p)| p.clone()));
            state.imports.extend(r.queue.iter().map(|(_, p)| p.clone()));
            state.active_dataset = r.wanted;
        }
        eframe::set_value(storage, STORAGE_KEY, &state);
    }
}
