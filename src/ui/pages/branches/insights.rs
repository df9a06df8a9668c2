//! The auditor's questions of 分局执行: units ranked by execution rate and by 未执行金额 (side by
//! side when the window is wide enough), the projects behind the shortfall with their cumulative
//! share, and each project's execution rate against its self-evaluation score with the
//! 高分低执行 / 低分高执行 flags.

#[allow(clippy::wildcard_imports)]
use super::*;

use crate::analysis::branches::{Shortfall, shortfall};

/// At most this many projects are listed in the shortfall ranking.
const SHORTFALL_ROWS: usize = 10;

pub(super) fn charts_row(
    ui: &mut egui::Ui,
    r: &BranchReport,
    view: &mut BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
    capturing: bool,
    commands: &mut Vec<Command>,
) {
    let wide = ui.available_width() >= 900.0;
    let shown = &*view;
    let rate = |ui: &mut egui::Ui, commands: &mut Vec<Command>| {
        crate::ui::widgets::chart_section(
            ui,
            capturing,
            "执行率排名",
            RichText::new("执行率排名（虚线为本级及分局整体执行率）").strong(),
            commands,
            |ui| ranked_chart(ui, r, shown, unit, palette),
        )
    };
    let unspent = |ui: &mut egui::Ui, commands: &mut Vec<Command>| {
        crate::ui::widgets::chart_section(
            ui,
            capturing,
            "未执行金额排名",
            RichText::new(format!(
                "未执行金额排名（全年预算 − 执行数，{}）",
                unit.label()
            ))
            .strong(),
            commands,
            |ui| unspent_chart(ui, r, shown, unit, palette),
        )
    };
    let clicked = if wide {
        let w = (ui.available_width() - 16.0) / 2.0;
        ui.horizontal_top(|ui| {
            let a = ui
                .vertical(|ui| {
                    ui.set_width(w);
                    rate(ui, commands)
                })
                .inner;
            let b = ui
                .vertical(|ui| {
                    ui.set_width(w);
                    unspent(ui, commands)
                })
                .inner;
            a.or(b)
        })
        .inner
    } else {
        let a = rate(ui, commands);
        ui.add_space(8.0);
        a.or(unspent(ui, commands))
    };
    // a unit chosen from a ranking: its projects, the largest shortfall first
    if let Some(u) = clicked {
        commands.push(focus_unit(view, &u));
        if view.top_unit.as_deref() != Some(u.as_str()) {
            view.sort = SortKey::Unspent;
            view.descending = true;
        }
    }
}

fn unspent_chart(
    ui: &mut egui::Ui,
    r: &BranchReport,
    view: &BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
) -> Option<String> {
    // smallest at the bottom, so the largest shortfall is at the top
    let mut ranked: Vec<&UnitStats> = r.units.iter().collect();
    ranked.retain(|s| !s.unspent.is_zero() || s.projects > 0);
    ranked.sort_by(|a, b| a.unspent.cmp(&b.unspent).then(b.unit.cmp(&a.unit)));
    let names: Vec<String> = ranked.iter().map(|s| s.unit.clone()).collect();
    let bars: Vec<Bar> = ranked
        .iter()
        .enumerate()
        .map(|(i, s)| Bar::new(i as f64, unit.to_f64(s.unspent)).width(0.7))
        .collect();
    let max = ranked
        .iter()
        .map(|s| unit.to_f64(s.unspent))
        .fold(0.0_f64, f64::max);
    let targets: Vec<Target> = ranked
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let v = unit.to_f64(s.unspent);
            unit_target(
                s,
                view,
                unit,
                [v.min(0.0), i as f64 - 0.35],
                [v.max(0.0), i as f64 + 0.35],
                format!("{}：未执行 {}", s.unit, format_money(s.unspent, unit)),
            )
        })
        .collect();
    let labels: Vec<(f64, f64, String)> = ranked
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                unit.to_f64(s.unspent).max(0.0),
                i as f64,
                format_decimal_grouped(
                    unit.from_wan(s.unspent).unwrap_or_default(),
                    unit.display_decimals(),
                ),
            )
        })
        .collect();
    let text_bg = ui.visuals().extreme_bg_color;
    let resp = crate::ui::widgets::ranked_plot("ranked_unspent", names, max * 1.25 + 1.0, 90.0)
        .x_axis_formatter(|mark, _| {
            format_decimal_grouped(Decimal::from_f64_retain(mark.value).unwrap_or_default(), 0)
        })
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(
                BarChart::new("未执行金额", bars)
                    .horizontal()
                    .color(palette.warn)
                    .allow_hover(false),
            );
            for (x, y, text) in labels {
                crate::ui::widgets::bar_label(plot_ui, [x, y], &text, text_bg, false);
            }
        });
    clicked_unit(
        ui,
        "ranked_unspent",
        &resp.transform,
        &targets,
        &ranked,
        palette,
    )
}

pub(super) fn insights(
    ui: &mut egui::Ui,
    r: &BranchReport,
    view: &mut BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
    capturing: bool,
    commands: &mut Vec<Command>,
) {
    let focus = view.top_unit.clone();
    let keep = |p: &ProjectRow| focus.as_ref().is_none_or(|u| &p.unit == u);
    let wide = ui.available_width() >= 1250.0;
    let mut scatter_part = |ui: &mut egui::Ui, view: &mut BranchViewState| {
        let mut local = Vec::new();
        crate::ui::widgets::chart_section(
            ui,
            capturing,
            "执行率与自评得分",
            RichText::new("执行率 × 自评得分（每点一个项目）").strong(),
            &mut local,
            |ui| scatter(ui, r, view, palette),
        );
        commands.extend(local);
    };
    let list = |ui: &mut egui::Ui, view: &mut BranchViewState| match shortfall(&r.projects, keep) {
        Some(s) => shortfall_list(ui, r, &s, focus.as_deref(), view, unit, palette),
        None => {
            ui.colored_label(palette.warn, "未执行金额之和超出可精确表示的范围");
        }
    };
    if wide {
        let w = (ui.available_width() - 16.0) / 2.0;
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(w);
                list(ui, view);
            });
            ui.vertical(|ui| {
                ui.set_width(w);
                scatter_part(ui, view);
            });
        });
    } else {
        list(ui, view);
        ui.add_space(8.0);
        scatter_part(ui, view);
    }
}

fn shortfall_list(
    ui: &mut egui::Ui,
    r: &BranchReport,
    s: &Shortfall,
    focus: Option<&str>,
    view: &mut BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
) {
    let whose = focus.map_or_else(|| "全部单位".to_owned(), |u| format!("「{u}」"));
    ui.label(RichText::new(format!("未执行金额最大的项目（{whose}）")).strong());
    if s.rows.is_empty() {
        ui.label("没有未执行的金额。");
        return;
    }
    let most = s.count_for(Decimal::new(8, 1));
    ui.label(format!(
        "共 {} 个项目有未执行金额，合计 {}；前 {most} 个占 80% 以上。",
        s.rows.len(),
        format_money(s.total, unit)
    ));
    egui::Grid::new("shortfall_table")
        .striped(true)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            header_row(
                ui,
                &[
                    "项目",
                    "单位",
                    &format!("未执行（{}）", unit.label()),
                    "累计占比",
                    "执行率",
                    "得分",
                    "原因",
                ],
            );
            for row in s.rows.iter().take(SHORTFALL_ROWS) {
                let Some(p) = r.projects.get(row.project) else {
                    continue;
                };
                let selected = view.selected_project.as_deref() == Some(p.project_id.as_str());
                let name = egui::Label::new(RichText::new(p.display_name()))
                    .truncate()
                    .sense(Sense::click());
                let resp = ui.add_sized([170.0, 18.0], name).on_hover_text(format!(
                    "{}\n点击：在项目明细中查看并打开绩效指标",
                    p.display_name()
                ));
                if selected {
                    ui.painter().rect_stroke(
                        resp.rect.expand(1.0),
                        2.0,
                        egui::Stroke::new(1.5, palette.accent),
                        egui::StrokeKind::Outside,
                    );
                }
                if resp.clicked() {
                    view.selected_project = Some(p.project_id.clone());
                    view.scroll_to = Some(p.project_id.clone());
                }
                ui.label(&p.unit);
                ui.label(crate::ui::widgets::amount_text(row.unspent, unit));
                ui.label(
                    row.cumulative_share
                        .map_or_else(|| "—".to_owned(), |c| format_percent(c, 1)),
                );
                ui.label(pct(p.rate()));
                ui.label(
                    p.score
                        .map_or("—".to_owned(), |v| v.normalize().to_string()),
                );
                ui.add_sized(
                    [110.0, 18.0],
                    egui::Label::new(RichText::new(p.reason_tags.join("、")).color(palette.muted))
                        .truncate(),
                );
                ui.end_row();
            }
        });
    if s.rows.len() > SHORTFALL_ROWS {
        ui.label(
            RichText::new(format!(
                "另有 {} 个项目见下方项目明细（按未执行金额排序）。",
                s.rows.len() - SHORTFALL_ROWS
            ))
            .color(palette.muted),
        );
    }
}

fn scatter(ui: &mut egui::Ui, r: &BranchReport, view: &mut BranchViewState, palette: &Palette) {
    let focus = view.top_unit.clone();
    let points: Vec<(usize, f64, f64)> = r
        .projects
        .iter()
        .enumerate()
        .filter(|(_, p)| focus.as_ref().is_none_or(|u| &p.unit == u))
        .filter_map(|(i, p)| Some((i, to_f64(p.rate()?) * 100.0, to_f64(p.score?))))
        .collect();
    let max_rate = points.iter().map(|p| p.1).fold(100.0_f64, f64::max);
    let min_score = points.iter().map(|p| p.2).fold(60.0_f64, f64::min);
    let count = |q: Quadrant| {
        r.projects
            .iter()
            .filter(|p| focus.as_ref().is_none_or(|u| &p.unit == u))
            .filter(|p| p.quadrant() == Some(q))
            .count()
    };
    ui.horizontal_wrapped(|ui| {
        for q in Quadrant::ALL {
            let n = count(q);
            let on = view.quadrant == Some(q);
            let text = RichText::new(format!("{}：{n} 个（{}）", q.label(), q.rule()))
                .color(if n > 0 { palette.warn } else { palette.muted });
            if ui
                .selectable_label(on, text)
                .on_hover_text("点击：项目明细只显示这些项目（再次点击取消）")
                .clicked()
            {
                view.quadrant = if on { None } else { Some(q) };
            }
        }
    });
    let mut flagged = Vec::new();
    let mut plain = Vec::new();
    let mut targets = Vec::new();
    for (i, x, y) in &points {
        let Some(p) = r.projects.get(*i) else {
            continue;
        };
        let q = p.quadrant();
        if q.is_some() {
            flagged.push([*x, *y]);
        } else {
            plain.push([*x, *y]);
        }
        let label = format!(
            "{}（{}）：执行率 {}，得分 {}{}",
            p.display_name(),
            p.unit,
            pct(p.rate()),
            p.score
                .map_or("—".to_owned(), |v| v.normalize().to_string()),
            q.map_or_else(String::new, |q| format!("，{}", q.label()))
        );
        let reasons = if p.reasons.is_empty() {
            p.reason_tags.join("、")
        } else {
            p.reasons.clone()
        };
        targets.push(Target {
            min: [*x, *y],
            max: [*x, *y],
            hover: format!(
                "{label}\n全年预算 {}，执行数 {}\n原因：{}\n来源：{}\n点击：查看项目与绩效指标",
                p.budget
                    .map_or("—".to_owned(), |b| format_money(b, MoneyUnit::Wan)),
                p.executed
                    .map_or("—".to_owned(), |b| format_money(b, MoneyUnit::Wan)),
                if reasons.is_empty() {
                    "未说明".to_owned()
                } else {
                    reasons
                },
                p.source
            ),
            label,
            selected: view.selected_project.as_deref() == Some(p.project_id.as_str()),
        });
    }
    let resp = crate::ui::widgets::fixed_plot("score_vs_rate")
        .height(260.0)
        .width(ui.available_width().max(240.0))
        .legend(Legend::default().position(egui_plot::Corner::LeftBottom))
        .include_x(0.0)
        .include_x(max_rate + 5.0)
        .include_y(min_score - 2.0)
        .include_y(101.0)
        .label_formatter(|_| None)
        .x_grid_spacer(crate::ui::widgets::nice_spacer(5.0))
        .y_grid_spacer(crate::ui::widgets::nice_spacer(5.0))
        .x_axis_formatter(|m, _| format!("{:.0}%", m.value))
        .y_axis_formatter(|m, _| format!("{:.0} 分", m.value))
        .show(ui, |plot_ui| {
            // the two flagged zones, shaded
            let zone = |x0: f64, x1: f64, y0: f64, y1: f64| {
                egui_plot::Polygon::new(
                    "标记区",
                    PlotPoints::from(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]),
                )
                .fill_color(palette.warn.gamma_multiply(0.12))
                .stroke(egui::Stroke::NONE)
                .allow_hover(false)
            };
            plot_ui.polygon(zone(0.0, 80.0, 90.0, 101.0));
            plot_ui.polygon(zone(90.0, max_rate + 5.0, min_score - 2.0, 80.0));
            plot_ui.points(
                Points::new("项目", PlotPoints::from(plain))
                    .radius(3.5)
                    .color(palette.accent),
            );
            plot_ui.points(
                Points::new("高分低执行 / 低分高执行", PlotPoints::from(flagged))
                    .radius(4.5)
                    .color(palette.warn),
            );
        });
    let clicked = plot_targets(
        ui,
        "score_vs_rate",
        &resp.transform,
        &targets,
        palette.accent,
    );
    if let Some(p) = clicked
        .and_then(|k| points.get(k))
        .and_then(|(i, _, _)| r.projects.get(*i))
    {
        view.selected_project = Some(p.project_id.clone());
        view.scroll_to = Some(p.project_id.clone());
    }
}
