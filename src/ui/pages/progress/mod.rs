//! 预算执行进度 view: quarterly cumulative execution against the time-elapsed benchmark.

mod export;
mod page;

pub use page::{ProgressPage, QuarterData, ROUTE};

use egui::RichText;
use egui_plot::{Legend, Line, PlotPoints, Points};
use rust_decimal::Decimal;

use crate::model::{format_money, format_percent};
use crate::state::{AppData, AppState, Cached, Command};
use crate::ui::theme;
use crate::ui::widgets::{cached_value, header_row, offer_years};

pub(super) fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    slot: Option<&Cached<(String, i32), QuarterData>>,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let Some(((department, year), qd)) =
        cached_value(ui, &palette, slot, "没有季度执行数据。", "季度执行进度")
    else {
        return;
    };
    let unit = state.unit;
    ui.heading(format!("{department} · {year} 年预算执行进度"));
    if qd.rows.is_empty() {
        if qd.years.is_empty() {
            ui.label("本部门没有公布分季度的预算执行数据。");
        } else {
            let message = format!("{year} 年没有分季度执行数据。查看：");
            offer_years(ui, &message, qd.years.iter().copied(), commands);
        }
        return;
    }
    ui.label(
        RichText::new(
            "累计执行进度 = 截至本季度累计支出数 / 预算数；序时进度为 25% / 50% / 75% / 100%。",
        )
        .color(palette.muted),
    );
    ui.add_space(6.0);

    let pct = |d: Decimal| rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0) * 100.0;
    let progress: Vec<[f64; 2]> = qd
        .rows
        .iter()
        .filter_map(|r| Some([f64::from(r.quarter), pct(r.progress?)]))
        .collect();
    let bench: Vec<[f64; 2]> = std::iter::once([0.0, 0.0])
        .chain(
            qd.rows
                .iter()
                .map(|r| [f64::from(r.quarter), pct(r.benchmark)]),
        )
        .collect();
    let actual_line = Line::new("累计执行进度", PlotPoints::from(progress.clone()))
        .color(theme::stage_color(crate::model::Stage::Final))
        .width(2.5);
    let actual_points = Points::new("累计执行进度", PlotPoints::from(progress))
        .color(theme::stage_color(crate::model::Stage::Final))
        .radius(5.0);
    let bench_line = Line::new("序时进度", PlotPoints::from(bench))
        .color(palette.muted)
        .style(egui_plot::LineStyle::dashed_loose())
        .width(2.0);
    let title = RichText::new(format!("{year} 年累计执行进度与序时进度")).strong();
    crate::ui::widgets::chart_section(
        ui,
        data.capture.is_some(),
        "累计执行进度",
        title,
        commands,
        |ui| {
            crate::ui::widgets::fixed_plot("quarterly_progress")
                .height(300.0)
                .legend(Legend::default())
                .include_x(0.0)
                .include_x(4.3)
                .include_y(0.0)
                // headroom so the top label (110%) and the legend are not clipped
                .include_y(118.0)
                .y_grid_spacer(crate::ui::widgets::nice_spacer(6.0))
                .x_axis_formatter(|mark, _| {
                    let v = mark.value;
                    match v.round() as i32 {
                        q @ 1..=4 if (v - v.round()).abs() < 1e-6 => ["一", "二", "三", "四"]
                            .get((q - 1) as usize)
                            .map_or(String::new(), |n| format!("第{n}季度")),
                        _ => String::new(),
                    }
                })
                .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value))
                .label_formatter(|pos| match pos {
                    egui_plot::HoverPosition::NearDataPoint {
                        plot_name,
                        position,
                        ..
                    } => Some(format!("{plot_name}：{:.2}%", position.y)),
                    _ => None,
                })
                .show(ui, |plot_ui| {
                    plot_ui.line(bench_line);
                    plot_ui.line(actual_line);
                    plot_ui.points(actual_points);
                });
        },
    );
    ui.horizontal(|ui| {
        ui.label(RichText::new("分季度明细").strong());
        crate::ui::widgets::export_button(ui, "预算执行进度", commands);
    });

    ui.add_space(8.0);
    egui::Grid::new("quarterly_table")
        .striped(true)
        .spacing([18.0, 6.0])
        .show(ui, |ui| {
            header_row(
                ui,
                &[
                    "季度",
                    "累计支出数",
                    "预算数",
                    "累计执行进度",
                    "序时进度",
                    "偏差",
                    "公布的支出进度",
                    "公布的季度执行率",
                ],
            );
            for r in &qd.rows {
                ui.label(format!("第 {} 季度", r.quarter))
                    .on_hover_text(format!("来源：{}", r.source.describe()));
                ui.label(format_money(r.cumulative, unit));
                ui.label(format_money(r.budget, unit));
                ui.label(
                    r.progress
                        .map_or_else(|| "—".to_owned(), |p| format_percent(p, 2)),
                );
                ui.label(format_percent(r.benchmark, 0));
                match r.deviation {
                    Some(d) => {
                        let sign = if d > Decimal::ZERO { "+" } else { "" };
                        let text = format!(
                            "{sign}{} 个百分点",
                            crate::model::format_decimal_grouped(d * Decimal::from(100), 2)
                        );
                        // behind schedule needs attention (amber, as everywhere); red and
                        // green mean increase and decrease only
                        if d < Decimal::ZERO {
                            ui.label(RichText::new(format!("{text}（落后）")).color(palette.warn))
                        } else {
                            ui.label(text)
                        }
                    }
                    None => ui.label("—"),
                };
                ui.label(
                    r.published_progress
                        .map_or_else(|| "—".to_owned(), |p| format_percent(p, 2)),
                );
                ui.label(
                    r.published_rate
                        .map_or_else(|| "—".to_owned(), |p| format_percent(p, 2)),
                );
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.label(
        RichText::new(
            "偏差为正表示快于序时进度。公布的季度执行率 = 支出进度 / 序时进度，按原表列示；报告正文另有一组不同的季度执行率，以表为准。",
        )
        .color(palette.muted),
    );
}
