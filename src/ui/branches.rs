//! 分局执行 view (for auditors): execution by unit, a ranked chart against the department average,
//! a side-by-side comparison of 2–4 units on the same scales, and a filterable project table with
//! indicator rows.

use egui::{RichText, Sense};
use egui_plot::{Bar, BarChart, Legend, PlotPoints, Points, VLine};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::analysis::branches::{BranchReport, ProjectFilter, ProjectRow, UnitStats};
use crate::model::{MoneyUnit, format_decimal_grouped, format_money, format_percent};
use crate::state::{AppData, AppState, Command};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::{cached_value, category_marks, header_row, offer_years};

/// At most this many units are compared side by side.
pub const MAX_COMPARE: usize = 4;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Seq,
    Unit,
    Name,
    Budget,
    Executed,
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

pub fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    view: &mut BranchViewState,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let Some((_, bd)) = cached_value(
        ui,
        &palette,
        &data.branches,
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

    egui::ScrollArea::vertical()
        .id_salt("branches_scroll")
        .show(ui, |ui| {
        ui.label(format!(
            "{} 个单位、{} 个项目；全部项目执行率 {}，本级及分局执行率 {}（Σ执行数 / Σ全年预算；后者不含未注明单位的项目）。勾选 2–{MAX_COMPARE} 个单位进行并排比较。",
            r.units.len(),
            r.projects.len(),
            pct(r.department_rate),
            pct(r.units_rate)
        ));
        ui.add_space(4.0);
        unit_table(ui, r, view, unit, &palette);
        ui.add_space(8.0);
        crate::ui::widgets::chart_section(
            ui,
            data.capture.is_some(),
            "执行率排名",
            RichText::new("执行率排名（虚线为本级及分局整体执行率）").strong(),
            commands,
            |ui| ranked_chart(ui, r, view, &palette),
        );
        ui.add_space(10.0);
        comparison(ui, r, view, unit, &palette, data.capture.is_some(), commands);
        ui.add_space(10.0);
        project_table(ui, r, view, unit, &palette, commands);
        if let Some(id) = &view.selected_project {
            indicator_panel(ui, r, data, id, &palette, commands);
        }
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
                for v in [s.budget, s.executed] {
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

fn ranked_chart(ui: &mut egui::Ui, r: &BranchReport, view: &BranchViewState, palette: &Palette) {
    let mut ranked: Vec<&UnitStats> = r.units.iter().filter(|s| s.rate.is_some()).collect();
    ranked.sort_by_key(|s| s.rate);
    let names: Vec<String> = ranked.iter().map(|s| s.unit.clone()).collect();
    let bars = |compared: bool| -> Vec<Bar> {
        ranked
            .iter()
            .enumerate()
            .filter(|(_, s)| view.compare.contains(&s.unit) == compared)
            .map(|(i, s)| {
                let rate = s.rate.unwrap_or_default();
                Bar::new(i as f64, to_f64(rate) * 100.0)
                    .width(0.7)
                    .name(format!(
                        "{}{}：执行率 {}{}",
                        if s.doubtful > 0 { "※ " } else { "" },
                        s.unit,
                        format_percent(rate, 2),
                        if s.doubtful > 0 {
                            format!("\n其中 {} 个项目所在表存疑", s.doubtful)
                        } else {
                            String::new()
                        }
                    ))
            })
            .collect()
    };
    let others = BarChart::new("执行率", bars(false))
        .horizontal()
        .color(palette.accent)
        .element_formatter(Box::new(|b, _| b.name.clone()));
    let compared = BarChart::new("所选单位", bars(true))
        .horizontal()
        .color(theme::stage_color(crate::model::Stage::Final))
        .element_formatter(Box::new(|b, _| b.name.clone()));
    let n = ranked.len();
    let avg = r.units_rate.map(|d| to_f64(d) * 100.0);
    crate::ui::widgets::fixed_plot("ranked_rates")
        .height((ranked.len() as f32 * 24.0 + 40.0).max(160.0))
        .include_x(0.0)
        .include_x(105.0)
        .show_grid([true, false])
        .y_grid_spacer(category_marks(n))
        .custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .label_spacing(14.0..=18.0)
                .min_thickness(90.0)
                .formatter(move |mark, _| {
                    let v = mark.value;
                    if (v - v.round()).abs() < 1e-6 && v >= 0.0 {
                        names.get(v.round() as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                }),
        ])
        .x_axis_formatter(|mark, _| format!("{:.0}%", mark.value))
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(others);
            plot_ui.bar_chart(compared);
            if let Some(a) = avg {
                plot_ui.vline(
                    VLine::new("本级及分局整体执行率", a)
                        .color(palette.warn)
                        .style(egui_plot::LineStyle::dashed_loose()),
                );
            }
        });
}

fn comparison(
    ui: &mut egui::Ui,
    r: &BranchReport,
    view: &BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
    capturing: bool,
    commands: &mut Vec<Command>,
) {
    if view.compare.len() < 2 {
        ui.label(
            RichText::new(format!(
                "并排比较：在上表勾选 2–{MAX_COMPARE} 个单位（已选 {} 个）。",
                view.compare.len()
            ))
            .color(palette.muted),
        );
        return;
    }
    let units: Vec<&UnitStats> = view.compare.iter().filter_map(|u| r.unit(u)).collect();
    let title = RichText::new(format!("并排比较：{}", view.compare.join("、")))
        .strong()
        .size(15.0);
    let names: Vec<String> = units.iter().map(|s| s.unit.clone()).collect();
    let names2 = names.clone();
    let names3 = names.clone();
    let axis = move |names: Vec<String>| {
        move |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
            let v = mark.value;
            if (v - v.round()).abs() < 1e-6 && v >= 0.0 {
                names.get(v.round() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        }
    };
    let width = (ui.available_width() - 24.0) / 3.0;
    crate::ui::widgets::chart_section(ui, capturing, "单位并排比较", title, commands, |ui| {
        ui.horizontal_top(|ui| {
            // 1. Budget vs executed, same money scale.
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.label(format!("全年预算与执行数（{}）", unit.label()));
                let mk = |get: &dyn Fn(&UnitStats) -> Decimal, off: f64, what: &str| {
                    units
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            Bar::new(i as f64 + off, unit.to_f64(get(s)))
                                .width(0.35)
                                .name(format!(
                                    "{}{} {what}：{}",
                                    if s.doubtful > 0 { "※ " } else { "" },
                                    s.unit,
                                    format_money(get(s), unit)
                                ))
                        })
                        .collect::<Vec<_>>()
                };
                let budget = BarChart::new("全年预算", mk(&|s| s.budget, -0.19, "全年预算"))
                    .color(theme::stage_color(crate::model::Stage::BudgetAdjusted))
                    .element_formatter(Box::new(|b, _| b.name.clone()));
                let exec = BarChart::new("执行数", mk(&|s| s.executed, 0.19, "执行数"))
                    .color(theme::stage_color(crate::model::Stage::Final))
                    .element_formatter(Box::new(|b, _| b.name.clone()));
                crate::ui::widgets::fixed_plot("cmp_money")
                    .height(240.0)
                    .legend(Legend::default())
                    .include_y(0.0)
                    .include_x(-0.6)
                    .include_x(units.len() as f64 - 0.4)
                    .x_grid_spacer(category_marks(units.len()))
                    .x_axis_formatter(axis(names.clone()))
                    .y_axis_formatter(|m, _| {
                        format_decimal_grouped(
                            Decimal::from_f64_retain(m.value).unwrap_or_default(),
                            0,
                        )
                    })
                    .show(ui, |p| {
                        p.bar_chart(budget);
                        p.bar_chart(exec);
                    });
            });
            // 2. Distribution of project execution rates (strip plot), same 0–max% scale.
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.label("项目执行率分布（每点一个项目）");
                let max_rate = r
                    .projects
                    .iter()
                    .filter_map(ProjectRow::rate)
                    .map(to_f64)
                    .fold(1.0_f64, f64::max)
                    * 100.0;
                crate::ui::widgets::fixed_plot("cmp_rates")
                    .height(240.0)
                    .include_y(0.0)
                    .include_y(max_rate + 5.0)
                    .include_x(-0.6)
                    .include_x(units.len() as f64 - 0.4)
                    .x_grid_spacer(category_marks(units.len()))
                    .x_axis_formatter(axis(names2))
                    .y_axis_formatter(|m, _| format!("{:.0}%", m.value))
                    .show(ui, |p| {
                        for (i, s) in units.iter().enumerate() {
                            let pts: Vec<[f64; 2]> = r
                                .projects
                                .iter()
                                .filter(|pr| pr.unit == s.unit)
                                .enumerate()
                                .filter_map(|(k, pr)| {
                                    Some([i as f64 + jitter(k), to_f64(pr.rate()?) * 100.0])
                                })
                                .collect();
                            p.points(
                                Points::new(s.unit.clone(), PlotPoints::from(pts))
                                    .radius(3.5)
                                    .color(palette.accent),
                            );
                        }
                        p.hline(
                            egui_plot::HLine::new("80%", 80.0)
                                .color(palette.warn)
                                .style(egui_plot::LineStyle::dashed_loose()),
                        );
                    });
            });
            // 3. Score distribution, 0–100.
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.label("项目自评得分分布");
                crate::ui::widgets::fixed_plot("cmp_scores")
                    .height(240.0)
                    .include_y(0.0)
                    .include_y(105.0)
                    .include_x(-0.6)
                    .include_x(units.len() as f64 - 0.4)
                    .x_grid_spacer(category_marks(units.len()))
                    .x_axis_formatter(axis(names3))
                    .show(ui, |p| {
                        for (i, s) in units.iter().enumerate() {
                            let pts: Vec<[f64; 2]> = r
                                .projects
                                .iter()
                                .filter(|pr| pr.unit == s.unit)
                                .enumerate()
                                .filter_map(|(k, pr)| {
                                    Some([i as f64 + jitter(k), to_f64(pr.score?)])
                                })
                                .collect();
                            p.points(
                                Points::new(s.unit.clone(), PlotPoints::from(pts))
                                    .radius(3.5)
                                    .color(theme::stage_color(crate::model::Stage::Final)),
                            );
                        }
                        p.hline(
                            egui_plot::HLine::new("80 分", 80.0)
                                .color(palette.warn)
                                .style(egui_plot::LineStyle::dashed_loose()),
                        );
                    });
            });
        });
    });
}

/// Deterministic horizontal spread of the k-th point of a strip, within ±0.25.
fn jitter(k: usize) -> f64 {
    const STEPS: [f64; 7] = [0.0, -0.12, 0.12, -0.24, 0.24, -0.06, 0.06];
    STEPS.get(k % STEPS.len()).copied().unwrap_or(0.0)
}

fn project_table(
    ui: &mut egui::Ui,
    r: &BranchReport,
    view: &mut BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("项目明细").strong().size(15.0));
        crate::ui::widgets::export_button(ui, "分局执行项目", commands);
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("项目名称包含");
        let edit = ui
            .add(egui::TextEdit::singleline(&mut view.name_contains).desired_width(140.0))
            .labelled_by(label.id)
            .on_hover_text("Ctrl+F");
        if std::mem::take(&mut view.focus_filter) {
            edit.request_focus();
        }
        ui.separator();
        let rate_box = ui.checkbox(&mut view.rate_filter, "执行率低于");
        ui.add_enabled(
            view.rate_filter,
            egui::DragValue::new(&mut view.rate_below_pct)
                .range(0.0..=200.0)
                .suffix("%")
                .speed(1.0),
        )
        .labelled_by(rate_box.id);
        ui.separator();
        let score_box = ui.checkbox(&mut view.score_filter, "得分低于");
        ui.add_enabled(
            view.score_filter,
            egui::DragValue::new(&mut view.score_below)
                .range(0.0..=100.0)
                .speed(1.0),
        )
        .labelled_by(score_box.id);
        ui.separator();
        ui.add_enabled(
            !view.compare.is_empty(),
            egui::Checkbox::new(&mut view.only_compared, "只看所选单位"),
        );
    });
    view.refresh_visible(r);
    let shown = view.visible_rows().len();
    ui.label(
        RichText::new(format!("显示 {shown} / {} 个项目", r.projects.len())).color(palette.muted),
    );
    if let Some(u) = &view.top_unit {
        ui.colored_label(
            palette.warn,
            format!("按顶部「单位」筛选：只显示「{u}」的项目（在顶部选择「全部单位」取消）。"),
        );
    }

    let widths = [70.0, 48.0, 330.0, 120.0, 120.0, 80.0, 60.0, 220.0];
    let headers = [
        SortKey::Unit,
        SortKey::Seq,
        SortKey::Name,
        SortKey::Budget,
        SortKey::Executed,
        SortKey::Rate,
        SortKey::Score,
    ];
    ui.horizontal(|ui| {
        for (key, w) in headers.iter().zip(widths) {
            let arrow = if view.sort == *key {
                if view.descending { " ▼" } else { " ▲" }
            } else {
                ""
            };
            let resp = ui.add_sized(
                [w, 22.0],
                egui::Button::new(RichText::new(format!("{}{arrow}", key.label())).strong())
                    .frame(false),
            );
            if resp.on_hover_text("点击排序").clicked() {
                if view.sort == *key {
                    view.descending = !view.descending;
                } else {
                    view.sort = *key;
                    view.descending = matches!(key, SortKey::Budget | SortKey::Executed);
                }
            }
        }
        ui.add_sized(
            [widths[7], 22.0],
            egui::Label::new(RichText::new("问题标签").strong()),
        );
    });
    ui.separator();
    // A click on a header changed the sort: refresh before drawing the rows (cheap otherwise).
    view.refresh_visible(r);
    let visible = view.visible_rows();
    let row_h = 22.0;
    egui::ScrollArea::vertical()
        .id_salt("project_rows")
        .max_height(360.0)
        .show_rows(ui, row_h, visible.len(), |ui, range| {
            for i in range {
                let Some(p) = visible.get(i).and_then(|&k| r.projects.get(k)) else {
                    continue;
                };
                let selected = view.selected_project.as_deref() == Some(p.project_id.as_str());
                let row = ui.horizontal(|ui| {
                    let cell = |ui: &mut egui::Ui, w: f32, text: RichText| {
                        ui.add_sized([w, row_h], egui::Label::new(text).truncate());
                    };
                    cell(ui, widths[0], RichText::new(&p.unit));
                    cell(ui, widths[1], RichText::new(p.seq.to_string()));
                    cell(ui, widths[2], RichText::new(p.display_name()));
                    for (w, v) in [(widths[3], p.budget), (widths[4], p.executed)] {
                        let text = v.map_or("—".to_owned(), |b| format_money(b, unit));
                        match &p.doubt {
                            Some(why) => {
                                ui.add_sized(
                                    [w, row_h],
                                    egui::Label::new(
                                        RichText::new(format!("{text} ※")).color(palette.warn),
                                    )
                                    .truncate(),
                                )
                                .on_hover_text(format!("※ {why}\n来源：{}", p.source));
                            }
                            None => cell(ui, w, RichText::new(text)),
                        }
                    }
                    let rate = p.rate();
                    let rate_text = RichText::new(pct(rate));
                    let rate_text = if rate.is_some_and(|x| x < Decimal::new(6, 1)) {
                        rate_text.color(palette.up)
                    } else if rate.is_some_and(|x| x < Decimal::new(8, 1)) {
                        rate_text.color(palette.warn)
                    } else {
                        rate_text
                    };
                    cell(ui, widths[5], rate_text);
                    cell(
                        ui,
                        widths[6],
                        RichText::new(
                            p.score
                                .map_or("—".to_owned(), |s| s.normalize().to_string()),
                        ),
                    );
                    cell(
                        ui,
                        widths[7],
                        RichText::new(p.reason_tags.join("、")).color(palette.muted),
                    );
                });
                let resp = ui.interact(
                    row.response.rect,
                    ui.make_persistent_id(("project_row", &p.project_id)),
                    Sense::click(),
                );
                if selected {
                    ui.painter().rect_stroke(
                        row.response.rect,
                        2.0,
                        egui::Stroke::new(1.5, palette.accent),
                        egui::StrokeKind::Inside,
                    );
                }
                let hover = format!(
                    "{}\n全年预算 {}，执行数 {}，执行率 {}（公布 {}）\n来源：{}\n点击查看绩效指标",
                    p.display_name(),
                    p.budget
                        .map_or("—".to_owned(), |b| format_money(b, MoneyUnit::Wan)),
                    p.executed
                        .map_or("—".to_owned(), |b| format_money(b, MoneyUnit::Wan)),
                    pct(p.rate()),
                    pct(p.stated_rate),
                    p.source
                );
                if resp.on_hover_text(hover).clicked() {
                    commands.push(Command::SelectProject(if selected {
                        None
                    } else {
                        Some(p.project_id.clone())
                    }));
                }
            }
        });
}

fn indicator_panel(
    ui: &mut egui::Ui,
    r: &BranchReport,
    data: &AppData,
    id: &str,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let Some(p) = r.projects.iter().find(|p| p.project_id == id) else {
        return;
    };
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("绩效指标：{}（{}）", p.display_name(), p.unit))
                .strong()
                .size(15.0),
        );
        if ui.button("关闭").clicked() {
            commands.push(Command::SelectProject(None));
        }
    });
    let rows = match data
        .indicators
        .as_ref()
        .filter(|c| c.key == id)
        .map(|c| &c.value)
    {
        Some(Ok(rows)) => rows,
        Some(Err(e)) => {
            ui.colored_label(palette.up, e);
            return;
        }
        None => return,
    };
    if rows.is_empty() {
        ui.label(
            RichText::new(
                "该项目只公布了自评综述，没有逐项绩效指标（2021 年项目自评表有指标明细）。",
            )
            .color(palette.muted),
        );
        return;
    }
    egui::Grid::new("indicator_table")
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            header_row(
                ui,
                &[
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    "偏差说明",
                ],
            );
            for i in rows {
                ui.label(&i.level1);
                ui.label(&i.level2);
                ui.label(&i.indicator);
                ui.label(&i.target);
                ui.label(&i.actual);
                ui.label(
                    i.weight
                        .map_or("—".to_owned(), |w| w.normalize().to_string()),
                );
                let lost = matches!((i.weight, i.score), (Some(w), Some(s)) if s < w);
                let score = i
                    .score
                    .map_or("—".to_owned(), |s| s.normalize().to_string());
                if lost {
                    ui.label(RichText::new(score).color(palette.warn));
                } else {
                    ui.label(score);
                }
                ui.label(if i.has_deviation_note { "有" } else { "" });
                ui.end_row();
            }
        });
}
