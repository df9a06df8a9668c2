//! 分局执行 view (for auditors): execution by unit, a ranked chart against the department average,
//! a side-by-side comparison of 2–4 units on the same scales, and a filterable project table with
//! indicator rows.

mod charts;
mod export;
mod insights;
mod page;
mod projects;

pub use page::{BranchData, BranchResults, BranchesPage, ROUTE};

#[allow(clippy::wildcard_imports)]
use charts::*;
#[allow(clippy::wildcard_imports)]
use insights::*;
#[allow(clippy::wildcard_imports)]
use projects::*;

use egui::{RichText, Sense};
use egui_plot::{Bar, BarChart, Legend, PlotPoints, Points, VLine};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::analysis::branches::{
    BranchReport, IndicatorRow, ProjectFilter, ProjectRow, Quadrant, UnitStats,
};
use crate::model::{MoneyUnit, format_decimal_grouped, format_money, format_percent};
use crate::state::{AppData, AppState, Cached, Command};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::targets::{Target, plot_targets};
use crate::ui::widgets::{cached_value, category_marks, header_row, offer_years};

/// At most this many units are compared side by side.
pub const MAX_COMPARE: usize = 4;

/// The column the project table is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Seq,
    Unit,
    Name,
    Budget,
    Executed,
    Unspent,
    Rate,
    Score,
}

impl SortKey {
    fn label(self) -> &'static str {
        match self {
            SortKey::Seq => "序号",
            SortKey::Unit => "单位",
            SortKey::Name => "项目名称",
            SortKey::Budget => "全年预算",
            SortKey::Executed => "执行数",
            SortKey::Unspent => "未执行金额",
            SortKey::Rate => "执行率",
            SortKey::Score => "得分",
        }
    }
}

/// What the user is comparing and filtering in this view.
pub struct BranchViewState {
    /// Units selected for side-by-side comparison (in selection order).
    pub compare: Vec<String>,
    pub name_contains: String,
    pub rate_filter: bool,
    /// Percent, e.g. 80 for 80%.
    pub rate_below_pct: f64,
    pub score_filter: bool,
    pub score_below: f64,
    /// Keep only the projects with this flag (高分低执行 …).
    pub quadrant: Option<Quadrant>,
    /// Scroll the project table to this project on the next frame (a dot or a list row was
    /// clicked).
    pub scroll_to: Option<String>,
    /// Restrict the project table to the compared units.
    pub only_compared: bool,
    /// Set by Ctrl+F: focus the name filter on the next frame.
    pub focus_filter: bool,
    /// The top bar's 单位, when it is a unit of this report (overrides `only_compared`).
    pub top_unit: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    pub selected_project: Option<String>,
    /// Filtered and sorted row indices, recomputed only when their inputs change.
    visible_cache: Option<(VisibleKey, Vec<usize>)>,
}

/// Everything the visible rows depend on.
#[derive(Clone, Debug, PartialEq)]
struct VisibleKey {
    department: String,
    year: i32,
    projects: usize,
    filter: ProjectFilter,
    sort: SortKey,
    descending: bool,
}

impl Default for BranchViewState {
    fn default() -> Self {
        Self {
            compare: Vec::new(),
            name_contains: String::new(),
            rate_filter: false,
            rate_below_pct: 80.0,
            score_filter: false,
            score_below: 80.0,
            quadrant: None,
            scroll_to: None,
            only_compared: false,
            focus_filter: false,
            top_unit: None,
            sort: SortKey::Seq,
            descending: false,
            selected_project: None,
            visible_cache: None,
        }
    }
}

impl BranchViewState {
    pub fn filter(&self) -> ProjectFilter {
        let dec = |v: f64| Decimal::from_f64_retain(v).map(|d| d.round_dp(4));
        ProjectFilter {
            name_contains: self.name_contains.clone(),
            rate_below: if self.rate_filter {
                dec(self.rate_below_pct / 100.0)
            } else {
                None
            },
            score_below: if self.score_filter {
                dec(self.score_below)
            } else {
                None
            },
            units: if let Some(u) = &self.top_unit {
                vec![u.clone()]
            } else if self.only_compared {
                self.compare.clone()
            } else {
                Vec::new()
            },
            quadrant: self.quadrant,
        }
    }

    /// Recompute the visible rows if the filter, sort or report changed.
    pub fn refresh_visible(&mut self, r: &BranchReport) {
        let key = VisibleKey {
            department: r.department.clone(),
            year: r.year,
            projects: r.projects.len(),
            filter: self.filter(),
            sort: self.sort,
            descending: self.descending,
        };
        if self.visible_cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let rows = self.visible(&r.projects);
            self.visible_cache = Some((key, rows));
        }
    }

    /// The rows computed by the last [`Self::refresh_visible`].
    pub fn visible_rows(&self) -> &[usize] {
        self.visible_cache
            .as_ref()
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// Indices of the projects to show, filtered and sorted.
    pub fn visible(&self, projects: &[ProjectRow]) -> Vec<usize> {
        let filter = self.filter();
        let mut idx: Vec<usize> = projects
            .iter()
            .enumerate()
            .filter(|(_, p)| filter.matches(p))
            .map(|(i, _)| i)
            .collect();
        let key = |p: &ProjectRow| -> (Option<Decimal>, String) {
            match self.sort {
                SortKey::Seq => (Some(Decimal::from(p.seq)), String::new()),
                SortKey::Unit => (
                    Some(Decimal::from(crate::analysis::branches::unit_rank(&p.unit))),
                    p.unit.clone(),
                ),
                SortKey::Name => (None, p.name.clone()),
                SortKey::Budget => (p.budget, String::new()),
                SortKey::Executed => (p.executed, String::new()),
                SortKey::Unspent => (p.unspent(), String::new()),
                SortKey::Rate => (p.rate(), String::new()),
                SortKey::Score => (p.score, String::new()),
            }
        };
        idx.sort_by(|a, b| {
            let (ka, kb) = match (projects.get(*a), projects.get(*b)) {
                (Some(pa), Some(pb)) => (key(pa), key(pb)),
                _ => return std::cmp::Ordering::Equal,
            };
            let ord = ka.cmp(&kb);
            if self.descending { ord.reverse() } else { ord }
        });
        idx
    }
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn pct(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".to_owned(), |r| format_percent(r, 1))
}

pub(super) fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    res: &BranchResults,
    view: &mut BranchViewState,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let Some((_, bd)) = cached_value(
        ui,
        &palette,
        res.report.as_ref(),
        "没有项目执行数据。",
        "分局执行",
    ) else {
        return;
    };
    let r = &bd.report;
    let unit = state.unit;
    ui.heading(format!(
        "{} · {} 年项目预算执行（按单位）",
        r.department, r.year
    ));
    if r.projects.is_empty() {
        if bd.years.is_empty() {
            ui.label("本部门没有公布项目执行数据。");
        } else {
            let message = format!("{} 年没有项目执行数据。查看：", r.year);
            offer_years(ui, &message, bd.years.iter().copied(), commands);
        }
        return;
    }
    // Drop compared units that do not exist in this year.
    view.compare.retain(|u| r.unit(u).is_some());
    view.top_unit = state.org_unit.clone().filter(|u| r.unit(u).is_some());

    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        if view.top_unit.is_some() {
            commands.push(Command::SetOrgUnit(None));
        }
        view.quadrant = None;
    }
    ui.label(format!(
        "{} 个单位、{} 个项目；全部项目执行率 {}，本级及分局执行率 {}（Σ执行数 / Σ全年预算；后者不含未注明单位的项目）。点击排名中的单位只看其项目（Esc 取消）；勾选 2–{MAX_COMPARE} 个单位进行并排比较。",
        r.units.len(),
        r.projects.len(),
        pct(r.department_rate),
        pct(r.units_rate)
    ));
    // two regions, each with its own scroll: the units and charts above, the projects below
    // taking the rest of the height
    let full = ui.available_height();
    egui::Panel::bottom("branch_projects_region")
        .resizable(true)
        .default_size((full * 0.5).max(220.0))
        .min_size(160.0)
        .max_size((full - 120.0).max(160.0))
        .show(ui, |ui| {
            if let Some(id) = view.selected_project.clone() {
                egui::Panel::bottom("branch_indicator_region")
                    .resizable(true)
                    .default_size(200.0)
                    .min_size(90.0)
                    .show(ui, |ui| {
                        egui::ScrollArea::both()
                            .id_salt("indicator_scroll")
                            .show(ui, |ui| {
                                indicator_panel(
                                    ui,
                                    r,
                                    res.indicators.as_ref(),
                                    &id,
                                    &palette,
                                    commands,
                                );
                            });
                    });
            }
            project_table(ui, r, view, unit, &palette, commands);
        });
    egui::ScrollArea::vertical()
        .id_salt("branches_scroll")
        .show(ui, |ui| {
            // the rankings first: which unit, then which projects, then the full unit table
            let capturing = data.capture.is_some();
            charts_row(ui, r, view, unit, &palette, capturing, commands);
            ui.add_space(8.0);
            insights(ui, r, view, unit, &palette, capturing, commands);
            ui.add_space(10.0);
            unit_table(ui, r, view, unit, &palette);
            ui.add_space(10.0);
            comparison(ui, r, view, unit, &palette, capturing, commands);
        });
}

fn unit_table(
    ui: &mut egui::Ui,
    r: &BranchReport,
    view: &mut BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
) {
    egui::Grid::new("unit_table")
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            header_row(
                ui,
                &[
                    "单位（勾选比较）",
                    "项目数",
                    "全年预算",
                    "执行数",
                    "未执行金额",
                    "执行率",
                    "平均得分",
                    "执行率<60%",
                    "执行率<80%",
                    "得分<80",
                ],
            );
            for s in &r.units {
                let mut on = view.compare.contains(&s.unit);
                let full = !on && view.compare.len() >= MAX_COMPARE;
                let resp = ui
                    .add_enabled(!full, egui::Checkbox::new(&mut on, s.unit.as_str()))
                    .on_disabled_hover_text(format!("最多比较 {MAX_COMPARE} 个单位"));
                if resp.changed() {
                    if on {
                        view.compare.push(s.unit.clone());
                    } else {
                        view.compare.retain(|u| u != &s.unit);
                    }
                }
                ui.label(s.projects.to_string());
                for v in [s.budget, s.executed, s.unspent] {
                    if s.doubtful > 0 {
                        ui.label(
                            RichText::new(format!("{} ※", format_money(v, unit)))
                                .color(palette.warn),
                        )
                        .on_hover_text(format!(
                            "※ 其中 {} 个项目所在表存疑（表内勾稽关系不成立），见下方项目表",
                            s.doubtful
                        ));
                    } else {
                        ui.label(format_money(v, unit));
                    }
                }
                ui.label(pct(s.rate));
                ui.label(
                    s.mean_score
                        .map_or_else(|| "—".to_owned(), |m| format!("{m:.2}")),
                );
                warn_count(ui, s.below_60, palette);
                warn_count(ui, s.below_80, palette);
                warn_count(ui, s.score_below_80, palette);
                ui.end_row();
            }
        });
}

fn warn_count(ui: &mut egui::Ui, n: usize, palette: &Palette) {
    if n > 0 {
        ui.label(RichText::new(n.to_string()).color(palette.warn));
    } else {
        ui.label("0");
    }
}
