//! Carrying out the commands views return.

#[allow(clippy::wildcard_imports)]
use super::*;

impl App {
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

    /// Raise a notification now.
    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.data.toasts.push(level, text);
    }

    pub(super) fn select(&mut self, sel: &Selection) {
        self.state.department = Some(sel.department.clone());
        self.state.year = Some(sel.year);
        self.state.stage = Some(sel.stage);
        self.repair_selection();
    }

    /// Navigate to what a finding is about: the drill-down at its row (the row's parent shown,
    /// the row's trend selected), the 三公 view, a project, or the overview.
    pub(super) fn open_finding(&mut self, ctx: &egui::Context, target: Target) {
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
}
