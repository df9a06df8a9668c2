//! The trend of one code over the years, with scope changes marked.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn trend(
    ui: &mut egui::Ui,
    state: &AppState,
    capturing: bool,
    res: &DrillResults,
    view: &mut DrillViewState,
    commands: &mut Vec<Command>,
) {
    let unit = state.unit;
    let palette = &theme::palette(state.dark_mode);
    let Some((_, t)) = cached_value(ui, palette, res.trend.as_ref(), "", "趋势") else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("查看任一科目的趋势：");
        let edit = ui.add(
            egui::TextEdit::singleline(&mut view.code_input)
                .hint_text("如 2080505 或 208 05 05")
                .desired_width(150.0),
        );
        let edit = edit.labelled_by(label.id).on_hover_text("Ctrl+F");
        if std::mem::take(&mut view.focus_filter) {
            edit.request_focus();
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("查看趋势").clicked() || enter {
            match crate::model::Code::parse(view.code_input.trim(), state.drill.classification) {
                Ok(code) => {
                    view.code_error = None;
                    commands.push(Command::ShowTrend(Some(code)));
                }
                Err(e) => view.code_error = Some(format!("编码无效：{e}")),
            }
        }
        if let Some(e) = &view.code_error {
            ui.colored_label(palette.up, e);
        }
    });
    ui.horizontal_wrapped(|ui| {
        let what = match &t.code {
            Some(c) => format!("{c} {}", t.name),
            None => t.name.clone(),
        };
        ui.label(RichText::new(format!("历年趋势：{what}")).strong());
        if state.drill.trend_code.is_some() && ui.small_button("改为当前层级").clicked() {
            commands.push(Command::ShowTrend(None));
        }
    });
    if let Some(note) = &t.fund_note {
        ui.colored_label(palette.warn, format!("※ {note}"));
    }
    if t.points.is_empty() {
        ui.label(format!(
            "「{}」历年均未公布此科目。",
            res.table
                .as_ref()
                .and_then(|c| c.value.as_ref().ok())
                .map_or_else(
                    || "所选资金来源".to_owned(),
                    |d| d.query.fund.label().to_owned()
                )
        ));
        return;
    }
    crate::ui::widgets::chart_section(
        ui,
        capturing,
        "历年趋势",
        RichText::new(format!("各年预算数与决算数（{}）", unit.label())).color(palette.muted),
        commands,
        |ui| trend_chart(ui, t, unit, palette),
    );
}

pub(super) fn trend_chart(ui: &mut egui::Ui, t: &CodeTrend, unit: MoneyUnit, palette: &Palette) {
    let years: Vec<i32> = {
        let mut y: Vec<i32> = t.points.iter().map(|p| p.year).collect();
        y.dedup();
        y
    };
    let (min_y, max_y) = (
        years.first().copied().unwrap_or(0),
        years.last().copied().unwrap_or(0),
    );
    let tips: Vec<(String, i32, String)> = t
        .points
        .iter()
        .map(|p| {
            (
                p.stage.label().to_owned(),
                p.year,
                format!(
                    "{} {} 年{}：{}\n口径：{}\n来源：{}",
                    t.name,
                    p.year,
                    p.stage.label(),
                    crate::model::format_money(p.figure.amount, unit),
                    p.scope,
                    p.figure.describe_sources()
                ),
            )
        })
        .collect();
    fixed_plot("code_trend")
        .height(230.0)
        // the legend sits where no hover text is drawn (hover labels go top right)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .x_axis_formatter(year_axis(years.clone()))
        .x_grid_spacer(move |_| {
            (min_y..=max_y)
                .map(|y| egui_plot::GridMark {
                    value: f64::from(y),
                    step_size: 1.0,
                })
                .collect()
        })
        .include_x(f64::from(min_y) - 0.5)
        .include_x(f64::from(max_y) + 0.5)
        .include_y(0.0)
        .y_grid_spacer(crate::ui::widgets::nice_spacer(4.0))
        .y_axis_formatter(|m, _| {
            crate::model::format_decimal_grouped(
                Decimal::from_f64_retain(m.value)
                    .unwrap_or_default()
                    .round(),
                0,
            )
        })
        .label_formatter(move |pos| match pos {
            // the exact published figure of the point, with its scope and source
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => tips
                .iter()
                .find(|(stage, year, _)| {
                    stage.as_str() == *plot_name && (f64::from(*year) - position.x).abs() < 0.5
                })
                .map(|(_, _, text)| text.clone()),
            _ => None,
        })
        .show(ui, |plot| {
            for stage in Stage::ALL {
                let pts: Vec<[f64; 2]> = t
                    .points
                    .iter()
                    .filter(|p| p.stage == stage)
                    .map(|p| [f64::from(p.year), unit.to_f64(p.figure.amount)])
                    .collect();
                if pts.is_empty() {
                    continue;
                }
                let color = theme::stage_color(stage);
                plot.line(
                    Line::new(stage.label(), PlotPoints::from(pts.clone()))
                        .color(color)
                        .width(2.0),
                );
                plot.points(
                    Points::new(stage.label(), PlotPoints::from(pts))
                        .color(color)
                        .radius(4.0),
                );
            }
            for y in &t.scope_changes {
                plot.vline(
                    VLine::new("口径变化", f64::from(*y) - 0.5)
                        .color(palette.warn)
                        .style(egui_plot::LineStyle::dashed_loose()),
                );
            }
        });
    // The exact figures, with scope, under the chart.
    ui.horizontal_wrapped(|ui| {
        for p in &t.points {
            ui.label(format!(
                "{} 年{}（{}）{}",
                p.year,
                p.stage.label(),
                p.scope,
                format_money(p.figure.amount, unit)
            ))
            .on_hover_text(p.figure.describe_sources());
            ui.separator();
        }
    });
    if !t.scope_changes.is_empty() {
        ui.colored_label(
            palette.warn,
            format!(
                "虚线：口径变化（{} 年起），前后金额不可直接比较。",
                t.scope_changes
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        );
    }
}
