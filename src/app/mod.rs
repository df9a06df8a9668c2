//! The application: persisted state, the loaded dataset, cached analysis results, transient view
//! state, and the one place where commands from views are carried out.

pub mod export;

pub use crate::state::{
    AppData, AppState, BranchData, Cached, Command, DrillData, DrillHistory, DrillMode, DrillState,
    ImportNotice, QuarterData, Route, ask, capture, jobs, toasts,
};

use std::sync::Arc;

use crate::analysis::branches::{self};
use crate::analysis::checks::{self, Finding, Target};
use crate::analysis::drill::{self, DrillQuery};
use crate::analysis::overview::{self, Catalog, Selection};
use crate::analysis::quarterly::{self};
use crate::analysis::sangong::{self};
use crate::analysis::structure::{self};
use crate::dataset::Dataset;
use crate::model::{Classification, Code};
use crate::ui;
use crate::ui::views::ViewStates;
use toasts::Level;

pub struct App {
    pub state: AppState,
    pub data: AppData,
    pub views: ViewStates,
}

const STORAGE_KEY: &str = eframe::APP_KEY;

fn cache<K: PartialEq + Clone, T>(
    computations: &mut u64,
    slot: &mut Option<Cached<K, T>>,
    key: K,
    compute: impl FnOnce() -> crate::Result<T>,
) {
    if slot.as_ref().is_some_and(|c| c.key == key) {
        return;
    }
    *computations += 1;
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
        let mut app = Self::with_dataset(&cc.egui_ctx, state, dataset, errors);
        app.restore_imports();
        app
    }

    /// Re-import the datasets of the last session. A file that is gone or no longer imports is
    /// reported (not fatal) and dropped from the list; the active dataset is restored if loaded.
    pub fn restore_imports(&mut self) {
        let saved = std::mem::take(&mut self.state.imports);
        let wanted = self.state.active_dataset;
        let selection = self.selection();
        let drill = self.state.drill.clone();
        let mut restored = 0usize;
        for (i, paths) in saved.into_iter().enumerate() {
            let options = ask::options_for(&paths, &self.state.given);
            let (dataset, report) = Dataset::import_with(&paths, options, &|_| {});
            match dataset {
                Some(ds) => {
                    self.data.datasets.push(Arc::new(ds));
                    self.state.imports.push(paths);
                    restored += 1;
                    if wanted == i + 1 {
                        self.activate(restored);
                        if let Some(sel) = &selection {
                            self.select(sel);
                        }
                        self.state.drill = drill.clone();
                    }
                }
                None => {
                    let names: Vec<String> =
                        paths.iter().map(|p| p.display().to_string()).collect();
                    let first = report
                        .errors()
                        .next()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let text = format!("无法重新打开 {}：{first}", names.join("、"));
                    self.notify(Level::Error, text);
                }
            }
        }
        self.state.active_dataset = self.data.active;
        self.refresh();
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
                cache(
                    &mut data.computations,
                    &mut data.overview,
                    sel.clone(),
                    || overview::overview(&ds, cat, &sel),
                );
            }
            Route::Sangong => {
                cache(
                    &mut data.computations,
                    &mut data.sangong,
                    sel.department.clone(),
                    || sangong::sangong_trend(&ds, &sel.department),
                );
            }
            Route::Branches => {
                cache(
                    &mut data.computations,
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
            Route::Structure => {
                let cat = &data.catalog;
                let fund = self.state.fund;
                cache(
                    &mut data.computations,
                    &mut data.structure,
                    (sel.clone(), fund),
                    || structure::structure_report(&ds, cat, &sel, fund),
                );
                if let Some(other) = &self.state.compare {
                    cache(
                        &mut data.computations,
                        &mut data.compare,
                        (other.clone(), fund),
                        || structure::structure(&ds, cat, other, fund),
                    );
                }
            }
            Route::Drill => {
                let Some(q) = self.drill_query() else { return };
                let data = &mut self.data;
                // The year → scope map is built only when a result must be recomputed.
                let cat = &data.catalog;
                cache(&mut data.computations, &mut data.drill, q.clone(), || {
                    let (query, notes) = drill::resolve(&ds, &q)?;
                    let scopes = cat.year_scopes(&q.department);
                    let table = drill::drill_table(&ds, &query, &scopes)?;
                    Ok(DrillData {
                        query,
                        notes,
                        table,
                    })
                });
                let resolved = match data.drill.as_ref().map(|c| &c.value) {
                    Some(Ok(d)) => d.query.clone(),
                    _ => q.clone(),
                };
                let code = self
                    .state
                    .drill
                    .trend_code
                    .clone()
                    .or_else(|| resolved.parent.clone());
                let top = DrillQuery {
                    parent: None,
                    ..resolved
                };
                cache(
                    &mut data.computations,
                    &mut data.code_trend,
                    (top.clone(), code.clone()),
                    || {
                        let scopes = cat.year_scopes(&top.department);
                        drill::code_trend(&ds, &top, code.as_ref(), &scopes)
                    },
                );
            }
            Route::Checks => {
                let name = ds.name.clone();
                cache(&mut data.computations, &mut data.checks, name, || {
                    checks::check(&ds)
                });
            }
            Route::Progress => {
                cache(
                    &mut data.computations,
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
                        cache(
                            &mut self.data.computations,
                            &mut self.data.indicators,
                            id.clone(),
                            || branches::indicators(&ds, &id),
                        );
                    }
                    None => self.data.indicators = None,
                }
            }
            Command::SetOrgUnit(u) => self.state.org_unit = u,
            Command::SetFund(f) => self.state.fund = f,
            Command::DrillTo(code) => {
                let current = std::mem::replace(&mut self.state.drill.parent, code);
                if current != self.state.drill.parent {
                    self.data.drill_history.back.push(current);
                    self.data.drill_history.forward.clear();
                }
                self.state.drill.trend_code = None;
            }
            Command::DrillBack => {
                if let Some(prev) = self.data.drill_history.back.pop() {
                    let current = std::mem::replace(&mut self.state.drill.parent, prev);
                    self.data.drill_history.forward.push(current);
                    self.state.drill.trend_code = None;
                }
            }
            Command::DrillForward => {
                if let Some(next) = self.data.drill_history.forward.pop() {
                    let current = std::mem::replace(&mut self.state.drill.parent, next);
                    self.data.drill_history.back.push(current);
                    self.state.drill.trend_code = None;
                }
            }
            Command::SetClassification(c) => {
                if self.state.drill.classification != c {
                    self.state.drill.classification = c;
                    self.state.drill.parent = None;
                    self.state.drill.trend_code = None;
                    self.data.drill_history = DrillHistory::default();
                }
            }
            Command::SetNature(n) => self.state.drill.nature = n,
            Command::SetDrillMode(m) => self.state.drill.mode = m,
            Command::ShowTrend(code) => self.state.drill.trend_code = code,
            Command::OpenDrill(code) => {
                self.state.route = Route::Drill;
                if self.state.drill.classification != Classification::Functional {
                    self.execute(ctx, Command::SetClassification(Classification::Functional));
                }
                self.execute(ctx, Command::DrillTo(code));
            }
            Command::OpenFinding(target) => self.open_finding(ctx, target),
            Command::OpenFiles(paths) => self.open_files(&paths),
            Command::ImportWithFacts(facts) => {
                if let Some(form) = self.views.ask.take() {
                    ask::remember(&mut self.state.given, &facts);
                    self.open_files(&form.paths);
                }
            }
            Command::CancelAsk => {
                if self.views.ask.take().is_some() {
                    self.notify(Level::Info, "已取消：报告未导入，当前数据集未改变");
                }
            }
            Command::SelectDataset(i) => {
                if i != self.data.active {
                    self.activate(i);
                }
            }
            Command::DismissImportReport => self.data.import_notice = None,
            Command::ShowImportReport => {
                if let Some(n) = &mut self.data.import_notice {
                    n.open = true;
                }
            }
            Command::Notify(level, text) => self.notify(level, text),
            Command::DismissToast(id) => self.data.toasts.dismiss(id),
            Command::HoldToast(id) => self.data.toasts.hold(id, self.data.now),
            Command::SetShowLog(show) => self.state.show_log = show,
            Command::CancelJob => {
                if let Some(job) = &self.data.job {
                    job.cancel();
                }
            }
            Command::RemoveDataset(i) => {
                if i > 0 && i < self.data.datasets.len() {
                    self.data.datasets.remove(i);
                    if i - 1 < self.state.imports.len() {
                        self.state.imports.remove(i - 1);
                    }
                    let active = self.data.active;
                    let next = if active == i {
                        0
                    } else if active > i {
                        active - 1
                    } else {
                        active
                    };
                    self.activate(next);
                }
            }
            Command::ResetLayout => {
                let imports = std::mem::take(&mut self.state.imports);
                self.state = AppState {
                    imports,
                    active_dataset: self.data.active,
                    ..AppState::default()
                };
                self.data.drill_history = DrillHistory::default();
                self.data.compare = None;
                self.views = ViewStates::default();
                ui::theme::apply(ctx, self.state.dark_mode);
                self.repair_selection();
            }
            Command::ExportTable(path) => match self.export_table(&path) {
                Ok(rows) => self.notify(
                    Level::Success,
                    format!("已导出 {rows} 行到 {}", path.display()),
                ),
                Err(e) => self.notify(Level::Error, format!("导出失败：{e}")),
            },
            Command::ExportChart { name, path } => {
                if let Some(c) = &self.data.capture {
                    let text = format!("正在导出图表「{}」，请稍候", c.name);
                    self.notify(Level::Warning, text);
                } else {
                    self.data.capture = Some(capture::Capture {
                        name,
                        path,
                        step: capture::Step::Requested,
                    });
                }
            }
            Command::SetCompare(other) => {
                self.state.compare = other;
                if self.state.compare.is_none() {
                    self.data.compare = None;
                }
            }
        }
        self.refresh();
    }

    /// Make dataset `index` active: new catalog, every cached result dropped, selection repaired.
    fn activate(&mut self, index: usize) {
        let Some(ds) = self.data.datasets.get(index).cloned() else {
            return;
        };
        self.data.active = index;
        self.state.active_dataset = index;
        self.data.catalog = match overview::catalog(&ds) {
            Ok(c) => c,
            Err(e) => {
                self.data.errors.push(format!("数据目录生成失败：{e}"));
                Catalog::default()
            }
        };
        self.data.dataset = ds;
        let d = &mut self.data;
        d.overview = None;
        d.sangong = None;
        d.branches = None;
        d.quarterly = None;
        d.indicators = None;
        d.structure = None;
        d.compare = None;
        d.drill = None;
        d.code_trend = None;
        d.checks = None;
        d.drill_history = DrillHistory::default();
        self.state.drill.parent = None;
        self.state.drill.trend_code = None;
        self.state.compare = None;
        self.repair_selection();
    }

    /// Import `paths` as one new dataset. A failed import changes nothing but the report shown.
    fn open_files(&mut self, paths: &[std::path::PathBuf]) {
        if paths.is_empty() {
            return;
        }
        if let Some(job) = &self.data.job {
            let text = format!("正在导入「{}」，请等它完成或取消后再打开", job.what);
            self.notify(Level::Warning, text);
            return;
        }
        let options = ask::options_for(paths, &self.state.given);
        self.data.job = Some(jobs::ImportJob::start(paths.to_vec(), options));
    }

    /// Take the finished import, if any: add its dataset or show why it failed. Cheap when
    /// nothing finished (a channel poll), so it runs every frame.
    pub fn poll_jobs(&mut self) {
        let Some(job) = &self.data.job else { return };
        let Some(outcome) = job.poll() else { return };
        let Some(job) = self.data.job.take() else {
            return;
        };
        if job.cancelled() {
            self.notify(Level::Info, format!("已取消导入「{}」", job.what));
            return;
        }
        match outcome {
            jobs::Outcome::Done(dataset, report) => {
                self.finish_import(&job.paths, dataset, &report)
            }
            jobs::Outcome::Failed(message) => {
                self.data.import_notice = Some(ImportNotice {
                    ok: false,
                    summary: "导入时发生内部错误，当前数据集未改变".to_owned(),
                    report: message,
                    open: true,
                });
                self.notify(Level::Error, "导入时发生内部错误，当前数据集未改变");
            }
        }
    }

    /// Drive a chart export: request the screenshot (in a frame, where the chart's rectangle is
    /// known), then crop and write it when it arrives, or give up after [`capture::TIMEOUT`].
    fn poll_capture(&mut self, ctx: &egui::Context) {
        let Some(cap) = self.data.capture.take() else {
            return;
        };
        let now = self.data.now;
        match cap.step {
            capture::Step::Requested => {
                let Some((visible, full)) = ui::widgets::chart_rect(ctx, &cap.name) else {
                    self.notify(
                        Level::Error,
                        format!("导出失败：当前视图没有图表「{}」", cap.name),
                    );
                    return;
                };
                if visible.area() + 1.0 < full.area() {
                    self.notify(
                        Level::Warning,
                        format!("图表「{}」只有一部分在窗口内，导出的是可见部分", cap.name),
                    );
                }
                let (sender, receiver) = std::sync::mpsc::channel();
                let repaint = ctx.clone();
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
                    egui::ScreenshotCallback::new(move |image| {
                        // The app may be gone (closed); nothing to do then.
                        let _ = sender.send(image);
                        repaint.request_repaint();
                    }),
                ));
                ctx.request_repaint();
                self.data.capture = Some(capture::Capture {
                    step: capture::Step::Waiting {
                        rect: visible,
                        pixels_per_point: ctx.pixels_per_point(),
                        since: now,
                        receiver,
                    },
                    ..cap
                });
            }
            capture::Step::Waiting {
                rect,
                pixels_per_point,
                since,
                ref receiver,
            } => match receiver.try_recv() {
                Ok(image) => {
                    match capture::write_chart(&image, rect, pixels_per_point, &cap.path) {
                        Ok([w, h]) => self.notify(
                            Level::Success,
                            format!(
                                "已导出图表「{}」（{w}×{h} 像素）到 {}",
                                cap.name,
                                cap.path.display()
                            ),
                        ),
                        Err(e) => self.notify(Level::Error, format!("导出失败：{e}")),
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) if now - since < capture::TIMEOUT => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(50));
                    self.data.capture = Some(cap);
                }
                Err(_) => self.notify(
                    Level::Error,
                    format!("导出失败：渲染器没有返回图表「{}」的截图", cap.name),
                ),
            },
        }
    }

    /// Block until the running import (if any) has finished and is taken (tests, startup).
    pub fn wait_for_jobs(&mut self) {
        if let Some(job) = &self.data.job {
            job.wait();
        }
        self.poll_jobs();
    }

    fn finish_import(
        &mut self,
        paths: &[std::path::PathBuf],
        dataset: Option<Dataset>,
        report: &crate::ingest::ImportReport,
    ) {
        let text = report.render();
        match dataset {
            Some(ds) => {
                let name = ds.name.clone();
                let warnings = report.warnings().count();
                self.data.datasets.push(Arc::new(ds));
                self.state.imports.push(paths.to_vec());
                self.state.recent.retain(|r| r.as_slice() != paths);
                self.state.recent.insert(0, paths.to_vec());
                self.state.recent.truncate(8);
                self.activate(self.data.datasets.len() - 1);
                let doubtful: usize = report
                    .inputs
                    .iter()
                    .map(|i| i.verdict_count(crate::ingest::verify::Verdict::Doubtful))
                    .sum();
                let unread: usize = report.inputs.iter().map(|i| i.unread).sum();
                let summary = if doubtful > 0 || unread > 0 {
                    format!(
                        "已导入「{name}」：{doubtful} 张表存疑、{unread} 处未能读取（警告 {warnings} 条）；已切换到该数据集，存疑的数字标有 ※，请先看导入报告"
                    )
                } else {
                    format!("已导入「{name}」（警告 {warnings} 条），已切换到该数据集")
                };
                self.data.toasts.push_with(
                    if warnings > 0 || doubtful > 0 {
                        Level::Warning
                    } else {
                        Level::Success
                    },
                    summary.clone(),
                    Some(("查看导入报告".to_owned(), Command::ShowImportReport)),
                );
                // a 存疑 or partly unread import is never taken silently: its report opens
                self.data.import_notice = Some(ImportNotice {
                    ok: true,
                    summary,
                    report: text,
                    open: doubtful > 0 || unread > 0,
                });
            }
            None => {
                if let Some(form) = ask::AskForm::from_report(paths, report, &self.state.given) {
                    // the reports do not print some facts: ask for them instead of guessing
                    let names: Vec<String> = form.entries.iter().map(ask::AskEntry::name).collect();
                    self.notify(
                        Level::Warning,
                        format!(
                            "「{}」没有印出部门、年度或报告类型，请补充后导入",
                            names.join("、")
                        ),
                    );
                    self.data.import_notice = Some(ImportNotice {
                        ok: false,
                        summary: "报告缺少部门、年度或报告类型，尚未导入".to_owned(),
                        report: text,
                        open: false,
                    });
                    self.views.ask = Some(form);
                    return;
                }
                let summary = format!(
                    "导入失败（错误 {} 条），当前数据集未改变",
                    report.errors().count()
                );
                self.data.toasts.push_with(
                    Level::Error,
                    summary.clone(),
                    Some(("查看导入报告".to_owned(), Command::ShowImportReport)),
                );
                self.data.import_notice = Some(ImportNotice {
                    ok: false,
                    summary,
                    report: text,
                    open: true,
                });
            }
        }
    }

    /// The table of the current view, as shown (drill-down or audit findings).
    pub fn current_table(&self) -> Option<export::ExportTable> {
        let unit = self.state.unit;
        let sel = self.selection()?;
        let title = format!(
            "{} · {} · {} · {} 年{}",
            self.data.dataset.name,
            self.state.route.label(),
            sel.department,
            sel.year,
            sel.stage.label()
        );
        match self.state.route {
            Route::Drill => {
                let d = self.data.drill.as_ref()?.value.as_ref().ok()?;
                let node = d
                    .table
                    .drill
                    .ancestors
                    .last()
                    .map_or_else(|| "全部（类）".to_owned(), |(c, n)| format!("{c} {n}"));
                let filters = format!(
                    "{} · 资金来源 {} · 支出性质 {} · 层级 {} · 金额单位 {}",
                    d.query.classification.label(),
                    d.query.fund.label(),
                    d.query.nature.label(),
                    node,
                    unit.label()
                );
                let view = &self.views.drill;
                let lines = ui::drill::sorted(&d.table.lines, view);
                let filters = format!(
                    "{filters} · 按{}{}排列",
                    view.sort.label(),
                    if view.descending { "降序" } else { "升序" }
                );
                Some(export::drill_table(&d.table, &lines, unit, title, filters))
            }
            Route::Checks => {
                let fs = self.data.checks.as_ref()?.value.as_ref().ok()?;
                let v = &self.views.checks;
                let (department, year) = (self.state.department.as_ref(), self.state.year);
                let shown: Vec<Finding> = v
                    .visible(fs, department, year)
                    .into_iter()
                    .flat_map(|(_, fs)| fs.into_iter().cloned())
                    .collect();
                let filters = format!(
                    "{} · 金额单位 {}",
                    v.describe(department, year),
                    unit.label()
                );
                Some(export::findings(&shown, unit, title, filters))
            }
            Route::Branches => {
                let bd = self.data.branches.as_ref()?.value.as_ref().ok()?;
                let v = &self.views.branches;
                let rows: Vec<&crate::analysis::branches::ProjectRow> = v
                    .visible_rows()
                    .iter()
                    .filter_map(|i| bd.report.projects.get(*i))
                    .collect();
                let f = v.filter();
                let mut parts = Vec::new();
                if !f.name_contains.trim().is_empty() {
                    parts.push(format!("名称包含「{}」", f.name_contains.trim()));
                }
                if let Some(r) = f.rate_below {
                    parts.push(format!("执行率低于 {}", crate::model::format_percent(r, 1)));
                }
                if let Some(sc) = f.score_below {
                    parts.push(format!("得分低于 {sc}"));
                }
                if !f.units.is_empty() {
                    parts.push(format!("单位：{}", f.units.join("、")));
                }
                if parts.is_empty() {
                    parts.push("全部项目".to_owned());
                }
                let filters = format!(
                    "{} · 显示 {} / {} 个项目 · 金额单位 {}",
                    parts.join("，"),
                    rows.len(),
                    bd.report.projects.len(),
                    unit.label()
                );
                Some(export::projects(&rows, unit, title, filters))
            }
            Route::Sangong => {
                let t = self.data.sangong.as_ref()?.value.as_ref().ok()?;
                let filters = format!("历年三公经费合计 · 金额单位 {}", unit.label());
                Some(export::sangong(t, unit, title, filters))
            }
            Route::Overview => {
                let ov = self.data.overview.as_ref()?.value.as_ref().ok()?;
                let filters = format!(
                    "口径 {} · 各指标与历年支出合计 · 金额单位 {}",
                    ov.scope.as_deref().unwrap_or("—"),
                    unit.label()
                );
                Some(export::overview(ov, unit, title, filters))
            }
            Route::Structure => {
                let r = self.data.structure.as_ref()?.value.as_ref().ok()?;
                let filters = format!(
                    "口径 {} · 资金来源 {} · 金额单位 {}",
                    r.main.scope.as_deref().unwrap_or("—"),
                    r.main.fund.label(),
                    unit.label()
                );
                // compare mode: both sides, as drawn side by side
                let compared = self
                    .state
                    .compare
                    .as_ref()
                    .and_then(|_| self.data.compare.as_ref()?.value.as_ref().ok());
                Some(match compared {
                    Some(other) => export::structure_compare(
                        &r.main,
                        other,
                        unit,
                        title,
                        format!("{filters} · 对比两组并列"),
                    ),
                    None => export::structure(r, unit, title, filters),
                })
            }
            Route::Progress => {
                let q = self.data.quarterly.as_ref()?.value.as_ref().ok()?;
                let filters = format!("累计执行进度与序时进度 · 金额单位 {}", unit.label());
                Some(export::quarterly(&q.rows, unit, title, filters))
            }
        }
    }

    fn export_table(&self, path: &std::path::Path) -> Result<usize, String> {
        let table = self
            .current_table()
            .ok_or_else(|| "当前视图没有可导出的表格".to_owned())?;
        export::write(&table, path).map_err(|e| e.to_string())?;
        Ok(table.rows.len())
    }

    /// Raise a notification now.
    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.data.toasts.push(level, text);
    }

    fn select(&mut self, sel: &Selection) {
        self.state.department = Some(sel.department.clone());
        self.state.year = Some(sel.year);
        self.state.stage = Some(sel.stage);
        self.repair_selection();
    }

    /// Navigate to what a finding is about: the drill-down at its row (the row's parent shown,
    /// the row's trend selected), the 三公 view, a project, or the overview.
    fn open_finding(&mut self, ctx: &egui::Context, target: Target) {
        match target {
            Target::Drill {
                selection,
                fund,
                classification,
                nature,
                code,
            } => {
                self.select(&selection);
                self.state.fund = fund;
                if self.state.drill.classification != classification {
                    self.execute(ctx, Command::SetClassification(classification));
                }
                self.state.drill.nature = nature;
                let parent = code.as_ref().and_then(Code::parent);
                self.state.route = Route::Drill;
                self.execute(ctx, Command::DrillTo(parent));
                self.state.drill.trend_code = code;
            }
            Target::Sangong(sel) => {
                self.select(&sel);
                self.state.route = Route::Sangong;
            }
            Target::Project {
                selection,
                project_id,
            } => {
                self.select(&selection);
                self.state.route = Route::Branches;
                self.execute(ctx, Command::SelectProject(Some(project_id)));
            }
            Target::Overview(sel) => {
                self.select(&sel);
                self.state.route = Route::Overview;
            }
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
