//! The 分局执行 view's state: the project execution of (department, year), the indicators of
//! the selected project, and the view's filters.

use crate::analysis::branches::{self, BranchReport, IndicatorRow, ProjectRow};
use crate::export::ExportTable;
use crate::state::{AppState, Command, Route, Slot, cache};
use crate::ui::pages::{DataContext, Page, ViewContext};

use super::BranchViewState;

/// The view's id.
pub const ROUTE: Route = Route::new("Branches");

/// Project execution of one (department, year) plus the years that have any.
#[derive(Debug)]
pub struct BranchData {
    pub years: Vec<i32>,
    pub report: BranchReport,
}

/// What the view computed.
#[derive(Debug, Default)]
pub struct BranchResults {
    /// Keyed on (department, year).
    pub report: Slot<(String, i32), BranchData>,
    /// The indicator rows of the selected project (keyed on its id).
    pub indicators: Slot<String, Vec<IndicatorRow>>,
}

/// 分局执行: execution by unit, compared units, the project table and its indicators.
#[derive(Default)]
pub struct BranchesPage {
    pub results: BranchResults,
    pub view: BranchViewState,
}

impl BranchesPage {
    /// The report of the selection, if computed.
    pub fn report(&self) -> Option<&BranchReport> {
        Some(&self.results.report.as_ref()?.value.as_ref().ok()?.report)
    }

    /// The table's filters in words, for the export's header.
    fn describe_filters(&self, shown: usize, total: usize, unit: &str) -> String {
        let f = self.view.filter();
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
        if let Some(q) = f.quadrant {
            parts.push(format!("{}（{}）", q.label(), q.rule()));
        }
        if !f.units.is_empty() {
            parts.push(format!("单位：{}", f.units.join("、")));
        }
        if parts.is_empty() {
            parts.push("全部项目".to_owned());
        }
        format!(
            "{} · 显示 {shown} / {total} 个项目 · 金额单位 {unit}",
            parts.join("，")
        )
    }
}

impl Page for BranchesPage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "分局执行"
    }

    fn per_unit(&self) -> bool {
        true
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        let sel = &cx.selection;
        let (ds, department, year) = (cx.dataset.clone(), sel.department.clone(), sel.year);
        let mut n = cache(
            &mut self.results.report,
            (sel.department.clone(), sel.year),
            cx.wait,
            move || {
                let ds = ds.department(&department)?;
                Ok(BranchData {
                    years: branches::project_years(&ds, &department)?,
                    report: branches::branch_report(&ds, &department, year)?,
                })
            },
        );
        match &self.view.selected_project {
            Some(id) => {
                let (ds, key) = (cx.dataset.clone(), id.clone());
                n += cache(
                    &mut self.results.indicators,
                    id.clone(),
                    cx.wait,
                    move || branches::indicators(&ds, &key),
                );
            }
            None => self.results.indicators.clear(),
        }
        n
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        super::show(
            ui,
            cx.state,
            cx.data,
            &self.results,
            &mut self.view,
            &mut commands,
        );
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let r = self.report()?;
        let unit = cx.state.unit;
        let rows: Vec<&ProjectRow> = self
            .view
            .visible_rows()
            .iter()
            .filter_map(|i| r.projects.get(*i))
            .collect();
        let filters = self.describe_filters(rows.len(), r.projects.len(), unit.label());
        let title = cx.export_title(self.label())?;
        Some(super::export::projects(&rows, unit, title, filters))
    }

    fn handle(&mut self, command: &Command, _state: &mut AppState) -> bool {
        match command {
            Command::SelectProject(id) => self.view.selected_project.clone_from(id),
            _ => return false,
        }
        true
    }

    fn focus_filter(&mut self) {
        self.view.focus_filter = true;
    }

    fn busy(&self) -> bool {
        self.results.report.is_pending() || self.results.indicators.is_pending()
    }

    fn clear_results(&mut self) {
        self.results = BranchResults::default();
    }
}
