//! The command queue: commands the views returned, carried out in order after the frame is
//! drawn. A command that implies others (open a finding → select, navigate, drill) queues them
//! as follow-ups instead of calling itself.

#[allow(clippy::wildcard_imports)]
use super::*;

impl App {
    /// Carry out one command (and its follow-ups), then bring the current view's results up to
    /// date. For callers outside a frame (tests, the CLI); views return commands instead.
    pub fn execute(&mut self, ctx: &egui::Context, command: Command) {
        self.queue.push_back(command);
        self.run_queue(ctx);
        self.refresh();
    }

    /// Carry out every queued command in order; follow-ups run before later commands. Returns
    /// whether any ran.
    pub(super) fn run_queue(&mut self, ctx: &egui::Context) -> bool {
        let mut any = false;
        while let Some(command) = self.queue.pop_front() {
            any = true;
            let follow_ups = self.apply(ctx, command);
            for c in follow_ups.into_iter().rev() {
                self.queue.push_front(c);
            }
        }
        any
    }

    /// Carry out one command; returns the commands it implies.
    fn apply(&mut self, ctx: &egui::Context, command: Command) -> Vec<Command> {
        match command {
            Command::SelectDepartment(d) => {
                let sel = self.state.selection.get_or_insert_with(|| Selection {
                    department: String::new(),
                    year: 0,
                    stage: Stage::Final,
                });
                sel.department = d;
                self.follow_selection();
            }
            Command::SelectYear(y) => {
                if let Some(sel) = &mut self.state.selection {
                    sel.year = y;
                }
                self.follow_selection();
            }
            Command::SelectStage(s) => {
                if let Some(sel) = &mut self.state.selection {
                    sel.stage = s;
                }
                self.data.stage_note = None;
                self.repair_selection();
            }
            Command::SetUnit(u) => self.state.unit = u,
            Command::Navigate(r) => {
                // leaving the view an audit jump went to restores the filters it set
                if let Some(j) = self.data.jump.take_if(|j| j.to != r) {
                    self.state.fund = j.fund;
                    if r == j.from
                        && self.state.selection == j.landed
                        && let Some(sel) = j.selection
                    {
                        self.select(&sel);
                    }
                }
                self.state.route = r;
            }
            Command::SetDarkMode(dark) => {
                self.state.dark_mode = dark;
                ui::theme::apply(ctx, dark);
            }
            Command::SetOrgUnit(u) => self.state.org_unit = u,
            Command::SetFund(f) => {
                // a fund chosen by hand is the user's own: nothing to restore any more
                if let Some(j) = &mut self.data.jump {
                    j.fund = f;
                }
                self.state.fund = f;
            }
            Command::OpenDrill(classification, code) => {
                return vec![
                    Command::Navigate(pages::drill::ROUTE),
                    Command::SetClassification(classification),
                    Command::DrillTo(code),
                ];
            }
            Command::OpenDepartment(department, view) => {
                let route = match view {
                    DepartmentView::Overview => pages::overview::ROUTE,
                    DepartmentView::Sangong => pages::sangong::ROUTE,
                    DepartmentView::Branches => pages::branches::ROUTE,
                };
                return vec![
                    Command::SelectDepartment(department),
                    Command::Navigate(route),
                ];
            }
            Command::OpenFinding(target) => return self.open_finding(target),
            Command::OpenFiles(paths) => self.open_files(&paths),
            Command::ImportWithFacts(facts) => {
                if let Some(form) = self.ask.take() {
                    ask::remember(&mut self.state.given, &facts);
                    self.open_files(&form.paths);
                }
            }
            Command::CancelAsk => {
                if self.ask.take().is_some() {
                    self.notify(Level::INFO, "已取消：报告未导入，当前数据集未改变");
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
                    if i < self.data.catalogs.len() {
                        self.data.catalogs.remove(i);
                    }
                    if i - 1 < self.state.imports.len() {
                        self.state.imports.remove(i - 1);
                    }
                    let active = self.data.active;
                    let next = match active.cmp(&i) {
                        std::cmp::Ordering::Equal => 0,
                        std::cmp::Ordering::Greater => active - 1,
                        std::cmp::Ordering::Less => active,
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
                self.pages = Pages::default();
                self.state.route = self.pages.first_route();
                ui::theme::apply(ctx, self.state.dark_mode);
                self.repair_selection();
            }
            Command::ExportTable(path) => match self.export_table(&path) {
                Ok(rows) => self.notify(
                    Level::Success,
                    format!("已导出 {rows} 行到 {}", path.display()),
                ),
                Err(e) => self.notify(Level::ERROR, format!("导出失败：{e}")),
            },
            Command::ExportChart { name, path } => {
                if let Some(c) = &self.data.capture {
                    let text = format!("正在导出图表「{}」，请稍候", c.name);
                    self.notify(Level::WARNING, text);
                } else {
                    self.data.capture = Some(capture::Capture {
                        name,
                        path,
                        step: capture::Step::Requested,
                    });
                }
            }
            Command::SetCompare(other) => self.state.compare = other,
            other => {
                // the views' own commands (drill-down moves, the selected project)
                self.pages.handle(&other, &mut self.state);
            }
        }
        Vec::new()
    }

    /// Raise a notification now.
    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.data.toasts.push(level, text);
    }

    pub(super) fn select(&mut self, sel: &Selection) {
        self.state.selection = Some(sel.clone());
        self.repair_selection();
    }

    /// Navigate to what a finding is about: the drill-down at its row (the row's parent shown,
    /// the row's trend selected), the 三公 view, a project, or the overview.
    pub(super) fn open_finding(&mut self, target: Target) -> Vec<Command> {
        let before = crate::state::Jump {
            from: self.state.route.clone(),
            to: self.state.route.clone(),
            fund: self.state.fund,
            selection: self.state.selection.clone(),
            landed: None,
            changed: Vec::new(),
        };
        let commands = self.open_finding_target(target);
        let to = commands.iter().find_map(|c| match c {
            Command::Navigate(r) => Some(r.clone()),
            _ => None,
        });
        if let Some(to) = to {
            let mut changed = Vec::new();
            if self.state.selection != before.selection
                && let Some(sel) = &self.state.selection
            {
                changed.push(format!("年度与阶段 {} 年{}", sel.year, sel.stage.label()));
            }
            if self.state.fund != before.fund {
                changed.push(format!("资金来源「{}」", self.state.fund.label()));
            }
            self.data.jump = Some(crate::state::Jump {
                to,
                changed,
                landed: self.state.selection.clone(),
                ..before
            });
        }
        commands
    }

    fn open_finding_target(&mut self, target: Target) -> Vec<Command> {
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
                let parent = code.as_ref().and_then(Code::parent);
                vec![
                    Command::SetClassification(classification),
                    Command::SetNature(nature),
                    Command::Navigate(pages::drill::ROUTE),
                    Command::DrillTo(parent),
                    Command::ShowTrend(code),
                ]
            }
            Target::Sangong(sel) => {
                self.select(&sel);
                vec![Command::Navigate(pages::sangong::ROUTE)]
            }
            Target::Project {
                selection,
                project_id,
            } => {
                self.select(&selection);
                vec![
                    Command::Navigate(pages::branches::ROUTE),
                    Command::SelectProject(Some(project_id)),
                ]
            }
            Target::Overview(sel) => {
                self.select(&sel);
                vec![Command::Navigate(pages::overview::ROUTE)]
            }
        }
    }
}
