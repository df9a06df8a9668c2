//! 总览 view: KPI cards of the selected year and stage, and the multi-year chart of totals.

mod export;
mod page;

pub use page::{OverviewPage, ROUTE};

use egui::RichText;
use egui_plot::{Bar, BarChart, Legend, Text, VLine};
use rust_decimal::Decimal;

use crate::analysis::overview::Selection;
use crate::analysis::overview::{Basis, Kpi, KpiKey, Overview, TrendPoint};
use crate::model::{MoneyUnit, Stage, format_money, format_percent};
use crate::state::{AppData, AppState, Cached, Command};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::cached_value;
use crate::ui::widgets::kpi_card::{KpiCard, Line};

pub(super) fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    slot: Option<&Cached<Selection, Overview>>,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let Some((_, ov)) = cached_value(ui, &palette, slot, "数据集中没有可显示的年度数据。", "总览")
    else {
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("overview_scroll")
        .show(ui, |ui| {
            header(ui, ov, &palette, commands);
            ui.add_space(8.0);
            cards(ui, ov, state.unit, &palette);
            ui.add_space(12.0);
            let mut chart_commands = Vec::new();
            crate::ui::widgets::chart_section(
                ui,
                data.capture.is_some(),
                "历年支出合计",
                RichText::new(format!("历年支出合计（{}）", state.unit.label())).strong(),
                commands,
                |ui| trend_chart(ui, ov, state.unit, &palette, &mut chart_commands),
            );
            commands.extend(chart_commands);
        });
}

fn header(ui: &mut egui::Ui, ov: &Overview, palette: &Palette, commands: &mut Vec<Command>) {
    let sel = &ov.selection;
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!(
            "{} · {} 年{}",
            sel.department,
            sel.year,
            sel.stage.label()
        ));
        if let Some(scope) = &ov.scope {
            ui.label(
                RichText::new(format!("口径：{}", scope_text(scope)))
                    .color(palette.accent)
                    .strong(),
            );
        }
        crate::ui::widgets::export_button(ui, "总览", commands);
    });
    if !ov.doubtful.is_empty() {
        let names: Vec<&str> = ov.doubtful.iter().map(|(t, _)| t.as_str()).collect();
        let why: Vec<String> = ov
            .doubtful
            .iter()
            .map(|(t, n)| format!("{t}：{n}"))
            .collect();
        ui.label(
            RichText::new(format!(
                "※ 本年有 {} 张表存疑（{}）：表内勾稽关系在读入的数字上不成立，这些表的数字标有 ※，请对照原表；详见审计检查。",
                ov.doubtful.len(),
                names.join("、")
            ))
            .color(palette.warn),
        )
        .on_hover_text(why.join("\n"));
    }
    let mut scopes: Vec<(i32, &str)> = ov
        .trend
        .iter()
        .map(|p| (p.year, p.scope.as_str()))
        .collect();
    scopes.dedup();
    let distinct: std::collections::BTreeSet<&str> = scopes.iter().map(|(_, s)| *s).collect();
    if distinct.len() > 1 {
        let list = scopes
            .iter()
            .map(|(y, s)| format!("{y} {s}"))
            .collect::<Vec<_>>()
            .join("，");
        ui.label(
            RichText::new(format!(
                "注意：各年度口径不同（{list}），跨年比较请注意口径差异。"
            ))
            .color(palette.warn),
        );
    }
}

fn scope_text(scope: &str) -> String {
    match scope {
        "全部门" => "全部门（本级及所属单位）".to_owned(),
        "本级" => "本级（不含所属单位）".to_owned(),
        other => other.to_owned(),
    }
}

fn yoy_line(kpi: &Kpi, unit: MoneyUnit) -> Option<Line> {
    let y = kpi.yoy.as_ref()?;
    let mut text = match y.change_ratio {
        Some(r) => {
            let sign = if r.is_sign_positive() && !r.is_zero() {
                "+"
            } else {
                ""
            };
            format!(
                "较 {} 年 {sign}{}（上年 {}）",
                y.previous_year,
                format_percent(r, 1),
                format_money(y.previous.amount, unit)
            )
        }
        None => format!("上年 {}", format_money(y.previous.amount, unit)),
    };
    if y.basis != Basis::CurrentYear {
        text.push_str(&format!("，按{}口径比较", y.basis.label()));
    }
    if y.scope_differs {
        return Some(Line::Warn(format!(
            "{text}；口径不同（上年为{}）",
            y.previous_scope
        )));
    }
    if y.source_kind_differs {
        return Some(Line::Warn(format!(
            "{text}；两年数据分别出自报表和报告正文，统计范围可能不一致"
        )));
    }
    Some(match y.change_ratio {
        Some(r) if r > Decimal::ZERO => Line::Up(text),
        Some(r) if r < Decimal::ZERO => Line::Down(text),
        _ => Line::Muted(text),
    })
}

fn card_for(kpi: &Kpi, unit: MoneyUnit, stage: Stage) -> KpiCard<'static> {
    let mut lines = Vec::new();
    let value = match kpi.key {
        KpiKey::FiscalShare => kpi
            .ratio
            .map_or_else(|| "—".to_owned(), |r| format_percent(r, 2)),
        _ => kpi
            .value
            .as_ref()
            .map_or_else(|| "未公布".to_owned(), |f| format_money(f.amount, unit)),
    };
    match kpi.key {
        KpiKey::Basic | KpiKey::Project => {
            if let Some(r) = kpi.ratio {
                lines.push(Line::Plain(format!("占支出合计 {}", format_percent(r, 1))));
            }
        }
        KpiKey::FiscalShare => {
            if let (Some(f), Some(r)) = (&kpi.value, &kpi.reference) {
                lines.push(Line::Plain(format!(
                    "财政拨款 {} / 收入 {}",
                    format_money(f.amount, unit),
                    format_money(r.amount, unit)
                )));
            }
        }
        KpiKey::Sangong => {
            if stage.is_budget() {
                lines.push(Line::Muted("预算数".to_owned()));
            } else if let Some(b) = &kpi.reference {
                lines.push(Line::Plain(format!(
                    "预算 {}",
                    format_money(b.amount, unit)
                )));
                if let Some(r) = kpi.ratio {
                    lines.push(Line::Plain(format!(
                        "控制率（决算/预算）{}",
                        format_percent(r, 1)
                    )));
                }
            }
        }
        KpiKey::Revenue | KpiKey::Expenditure => {}
    }
    if let Some(l) = yoy_line(kpi, unit) {
        lines.push(l);
    } else if kpi.key != KpiKey::FiscalShare {
        lines.push(Line::Muted("无可比的上年数据".to_owned()));
    }
    if let Some(note) = &kpi.note {
        lines.push(Line::Warn(note.clone()));
    }
    // a figure from a 存疑 table is marked on the card, not only in its tooltip
    let doubtful = [&kpi.value, &kpi.reference]
        .into_iter()
        .flatten()
        .any(crate::analysis::figure::Figure::doubtful);
    if doubtful {
        lines.push(Line::Warn(
            "※ 存疑：所在表勾稽不平，可能读错，请对照原表".to_owned(),
        ));
    }
    let value = if doubtful {
        format!("{value} ※")
    } else {
        value
    };
    let mut tooltip = String::new();
    if let Some(f) = &kpi.value {
        tooltip.push_str(&format!(
            "精确值：{}（{}）\n来源：{}",
            format_money(f.amount, MoneyUnit::Wan),
            format_money(f.amount, MoneyUnit::Yuan),
            f.describe_sources()
        ));
    }
    if let Some(r) = &kpi.reference {
        tooltip.push_str(&format!(
            "\n对比数：{}，来源：{}",
            format_money(r.amount, MoneyUnit::Wan),
            r.describe_sources()
        ));
    }
    if let Some(y) = &kpi.yoy {
        tooltip.push_str(&format!(
            "\n上年（{} 年）：{}，来源：{}",
            y.previous_year,
            format_money(y.previous.amount, MoneyUnit::Wan),
            y.previous.describe_sources()
        ));
    }
    if tooltip.is_empty() {
        tooltip.push_str("本年度未公布此项数据");
    }
    KpiCard {
        title: kpi.key.label(),
        value,
        lines,
        tooltip,
    }
}

fn cards(ui: &mut egui::Ui, ov: &Overview, unit: MoneyUnit, palette: &Palette) {
    let columns = if ui.available_width() > 900.0 { 3 } else { 2 };
    let spacing = ui.spacing().item_spacing.x;
    let width = (ui.available_width() - spacing * (columns as f32 - 1.0)) / columns as f32;
    for row in ov.kpis.chunks(columns) {
        ui.horizontal_top(|ui| {
            for kpi in row {
                card_for(kpi, unit, ov.selection.stage).show(ui, palette, width);
            }
        });
        ui.add_space(4.0);
    }
}

fn stage_offset(stage: Stage) -> f64 {
    match stage {
        Stage::BudgetInitial => -0.27,
        Stage::BudgetAdjusted => 0.0,
        Stage::Final => 0.27,
    }
}

fn trend_chart(
    ui: &mut egui::Ui,
    ov: &Overview,
    unit: MoneyUnit,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    if ov.trend.is_empty() {
        ui.label("没有可绘制的历年数据。");
        return;
    }
    let years: Vec<i32> = {
        let mut y: Vec<i32> = ov.trend.iter().map(|p| p.year).collect();
        y.dedup();
        y
    };
    let first_year = years.first().copied().unwrap_or_default();
    let last_year = years.last().copied().unwrap_or_default();
    let max = ov
        .trend
        .iter()
        .map(|p| unit.to_f64(p.expenditure.amount))
        .fold(0.0_f64, f64::max);
    let charts: Vec<BarChart> = Stage::ALL
        .iter()
        .filter_map(|&stage| {
            let bars: Vec<Bar> = ov
                .trend
                .iter()
                .filter(|p| p.stage == stage)
                .map(|p| bar(p, unit))
                .collect();
            (!bars.is_empty()).then(|| {
                BarChart::new(format!("{}数", stage.label()), bars)
                    .color(theme::stage_color(stage))
                    .element_formatter(Box::new(|b, _| b.name.clone()))
            })
        })
        .collect();
    // Scope labels under each year, and a marker where the scope changes.
    let mut scope_by_year: Vec<(i32, String)> = Vec::new();
    for p in &ov.trend {
        if scope_by_year.last().map(|(y, _)| *y) != Some(p.year) {
            scope_by_year.push((p.year, p.scope.clone()));
        }
    }
    let changes: Vec<f64> = scope_by_year
        .windows(2)
        .filter_map(|w| match w {
            [(y0, s0), (y1, s1)] if s0 != s1 => Some(f64::midpoint(f64::from(*y0), f64::from(*y1))),
            _ => None,
        })
        .collect();
    let warn = palette.warn;
    let muted = palette.muted;
    // annotations sit on a background so grid lines do not run through them
    let text_bg = ui.visuals().extreme_bg_color;
    // every bar is a button: it selects its year and stage (the cards above follow)
    let targets: Vec<crate::ui::widgets::targets::Target> = ov
        .trend
        .iter()
        .map(|p| {
            let x = f64::from(p.year) + stage_offset(p.stage);
            let v = unit.to_f64(p.expenditure.amount);
            let label = format!(
                "{} 年{}支出：{}",
                p.year,
                p.stage.label(),
                format_money(p.expenditure.amount, unit)
            );
            crate::ui::widgets::targets::Target {
                min: [x - 0.125, 0.0],
                max: [x + 0.125, v],
                hover: format!(
                    "{label}\n口径：{}\n来源：{}\n点击：查看该年度、阶段",
                    p.scope,
                    p.expenditure.describe_sources()
                ),
                label,
                selected: ov.selection.year == p.year && ov.selection.stage == p.stage,
            }
        })
        .collect();
    let resp = crate::ui::widgets::fixed_plot("overview_trend")
        .height(320.0)
        .label_formatter(|_| None)
        .y_grid_spacer(crate::ui::widgets::nice_spacer(5.0))
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(max * 1.15)
        .include_x(f64::from(first_year) - 0.6)
        .include_x(f64::from(last_year) + 0.6)
        .x_axis_formatter(crate::ui::widgets::year_axis(years))
        .y_axis_formatter(|mark, _| {
            crate::model::format_decimal_grouped(
                Decimal::from_f64_retain(mark.value).unwrap_or_default(),
                0,
            )
        })
        .show(ui, |plot_ui| {
            for c in charts {
                plot_ui.bar_chart(c);
            }
            for (year, scope) in &scope_by_year {
                plot_ui.text(Text::new(
                    "",
                    egui_plot::PlotPoint::new(f64::from(*year), max * 1.08),
                    RichText::new(format!(" 口径：{scope} "))
                        .color(muted)
                        .background_color(text_bg),
                ));
            }
            for p in ov.trend.iter().filter(|p| p.basis == Basis::GrandTotal) {
                plot_ui.text(Text::new(
                    "",
                    egui_plot::PlotPoint::new(
                        f64::from(p.year) + stage_offset(p.stage),
                        unit.to_f64(p.expenditure.amount) + max * 0.04,
                    ),
                    RichText::new(" 总计（含结转） ")
                        .color(muted)
                        .background_color(text_bg),
                ));
            }
            for x in changes {
                plot_ui.vline(
                    VLine::new("", x)
                        .color(warn)
                        .style(egui_plot::LineStyle::dashed_loose()),
                );
            }
        });
    let clicked = crate::ui::widgets::targets::plot_targets(
        ui,
        "overview_trend",
        &resp.transform,
        &targets,
        palette.accent,
    );
    if let Some(p) = clicked.and_then(|i| ov.trend.get(i)) {
        commands.push(Command::SelectYear(p.year));
        commands.push(Command::SelectStage(p.stage));
    }
    ui.label(
        RichText::new(
            "注：柱为本年支出合计；标“总计（含结转）”的柱，该年只公布了含结转结余的支出总计。虚线表示口径变化。悬停查看精确金额与来源，点击柱查看该年度、阶段。",
        )
        .color(palette.muted),
    );
}

fn bar(p: &TrendPoint, unit: MoneyUnit) -> Bar {
    let basis = match p.basis {
        Basis::CurrentYear => String::new(),
        Basis::GrandTotal => "（总计，含结转结余）".to_owned(),
    };
    Bar::new(
        f64::from(p.year) + stage_offset(p.stage),
        unit.to_f64(p.expenditure.amount),
    )
    .width(0.25)
    .name(format!(
        "{} 年{}{}：{}\n口径：{}\n来源：{}",
        p.year,
        p.stage.label(),
        basis,
        format_money(p.expenditure.amount, unit),
        p.scope,
        p.expenditure.describe_sources()
    ))
}
