//! The 分局执行 charts: units ranked by execution rate, and the side-by-side comparison of the units
//! ticked in the table.

#[allow(clippy::wildcard_imports)]
use super::*;

/// A unit's bar: its own text, what its tooltip says, and a click that shows only its projects
/// (the top bar's 单位, so every view follows); a second click shows all again.
pub(super) fn unit_target(
    s: &UnitStats,
    view: &BranchViewState,
    unit: MoneyUnit,
    min: [f64; 2],
    max: [f64; 2],
    label: String,
) -> Target {
    Target {
        min,
        max,
        hover: format!(
            "{label}\n全年预算 {}，执行数 {}，未执行 {}\n{} 个项目，平均得分 {}{}\n点击：只看该单位的项目",
            format_money(s.budget, unit),
            format_money(s.executed, unit),
            format_money(s.unspent, unit),
            s.projects,
            s.mean_score
                .map_or_else(|| "—".to_owned(), |m| format!("{m:.2}")),
            if s.doubtful > 0 {
                format!("\n※ 其中 {} 个项目所在表存疑", s.doubtful)
            } else {
                String::new()
            }
        ),
        label,
        selected: view.top_unit.as_deref() == Some(s.unit.as_str()),
    }
}

/// The command a click on a unit's bar gives.
pub(super) fn focus_unit(view: &BranchViewState, unit: &str) -> Command {
    if view.top_unit.as_deref() == Some(unit) {
        Command::SetOrgUnit(None)
    } else {
        Command::SetOrgUnit(Some(unit.to_owned()))
    }
}

/// The unit whose bar was clicked: the bars are `targets`, in the order of `ranked`.
pub(super) fn clicked_unit(
    ui: &mut egui::Ui,
    salt: &str,
    transform: &egui_plot::PlotTransform,
    targets: &[Target],
    ranked: &[&UnitStats],
    palette: &Palette,
) -> Option<String> {
    plot_targets(ui, salt, transform, targets, palette.accent)
        .and_then(|i| ranked.get(i))
        .map(|s| s.unit.clone())
}

pub(super) fn ranked_chart(
    ui: &mut egui::Ui,
    r: &BranchReport,
    view: &BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
) -> Option<String> {
    // the best at the bottom, so the worst is at the top where the eye starts
    let mut ranked: Vec<&UnitStats> = r.units.iter().filter(|s| s.rate.is_some()).collect();
    ranked.sort_by(|a, b| b.rate.cmp(&a.rate).then(a.unit.cmp(&b.unit)));
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
    let avg = r.units_rate.map(|d| to_f64(d) * 100.0);
    let targets: Vec<Target> = ranked
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let rate = s.rate.unwrap_or_default();
            unit_target(
                s,
                view,
                unit,
                [0.0, i as f64 - 0.35],
                [to_f64(rate) * 100.0, i as f64 + 0.35],
                format!("{}：执行率 {}", s.unit, format_percent(rate, 2)),
            )
        })
        .collect();
    let value_labels: Vec<(f64, f64, String)> = ranked
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let rate = s.rate.unwrap_or_default();
            (to_f64(rate) * 100.0, i as f64, format_percent(rate, 2))
        })
        .collect();
    let text_bg = ui.visuals().extreme_bg_color;
    let resp = crate::ui::widgets::ranked_plot("ranked_rates", names, 118.0, 90.0)
        .x_axis_formatter(|mark, _| format!("{:.0}%", mark.value))
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(others);
            plot_ui.bar_chart(compared);
            for (x, y, text) in &value_labels {
                crate::ui::widgets::bar_label(plot_ui, [*x, *y], text, text_bg, false);
            }
            if let Some(a) = avg {
                plot_ui.vline(
                    VLine::new("本级及分局整体执行率", a)
                        .color(palette.warn)
                        .style(egui_plot::LineStyle::dashed_loose()),
                );
            }
        });
    clicked_unit(
        ui,
        "ranked_rates",
        &resp.transform,
        &targets,
        &ranked,
        palette,
    )
}

pub(super) fn comparison(
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
                        strips(p, r, &units, palette.accent, |pr| {
                            Some(to_f64(pr.rate()?) * 100.0)
                        });
                        threshold(p, "80%", palette);
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
                        let colour = theme::stage_color(crate::model::Stage::Final);
                        strips(p, r, &units, colour, |pr| Some(to_f64(pr.score?)));
                        threshold(p, "80 分", palette);
                    });
            });
        });
    });
}

/// One strip of dots per compared unit (x = the unit's slot, spread by [`jitter`]), at the
/// value `value` gives each of its projects (projects without one are left out).
fn strips(
    p: &mut egui_plot::PlotUi<'_>,
    r: &BranchReport,
    units: &[&UnitStats],
    colour: egui::Color32,
    value: impl Fn(&ProjectRow) -> Option<f64>,
) {
    for (i, s) in units.iter().enumerate() {
        let pts: Vec<[f64; 2]> = r
            .projects
            .iter()
            .filter(|pr| pr.unit == s.unit)
            .enumerate()
            .filter_map(|(k, pr)| Some([i as f64 + jitter(k), value(pr)?]))
            .collect();
        p.points(
            Points::new(s.unit.clone(), PlotPoints::from(pts))
                .radius(3.5)
                .color(colour),
        );
    }
}

/// The dashed 80 (% or 分) line of the comparison charts.
fn threshold(p: &mut egui_plot::PlotUi<'_>, name: &str, palette: &Palette) {
    p.hline(
        egui_plot::HLine::new(name, 80.0)
            .color(palette.warn)
            .style(egui_plot::LineStyle::dashed_loose()),
    );
}

/// Deterministic horizontal spread of the k-th point of a strip, within ±0.25.
pub(super) fn jitter(k: usize) -> f64 {
    const STEPS: [f64; 7] = [0.0, -0.12, 0.12, -0.24, 0.24, -0.06, 0.06];
    STEPS.get(k % STEPS.len()).copied().unwrap_or(0.0)
}
