//! 三公经费 view: budget vs actual by category for the selected year, the multi-year trend of
//! totals with markers, and a table with control rate and year-on-year change.

mod export;
mod page;

pub use page::{ROUTE, SangongPage};

use egui::RichText;
use egui_plot::{Bar, BarChart, Legend, Text};
use rust_decimal::Decimal;

use crate::analysis::sangong::{SangongTrend, SangongYear};
use crate::analysis::staff::{Staff, staff_for};
use crate::model::{MoneyUnit, SangongCategory, format_money, format_percent};
use crate::state::{AppData, AppState, Cached, Command};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::{cached_value, header_row, offer_years};

const CATEGORIES: [SangongCategory; 4] = [
    SangongCategory::Abroad,
    SangongCategory::VehiclePurchase,
    SangongCategory::VehicleOperation,
    SangongCategory::Reception,
];

pub(super) fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    slot: Option<&Cached<String, SangongTrend>>,
    staff: &[Staff],
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let Some((_, trend)) = cached_value(ui, &palette, slot, "没有三公经费数据。", "三公经费")
    else {
        return;
    };
    let unit = state.unit;
    let year = state.year().unwrap_or_default();
    egui::ScrollArea::vertical()
        .id_salt("sangong_scroll")
        .show(ui, |ui| {
            ui.heading(format!(
                "{} · 三公经费（{}）",
                trend.department,
                unit.label()
            ));
            if trend.years.is_empty() {
                ui.label("本部门没有公布三公经费。");
                return;
            }
            ui.add_space(4.0);
            if let Some(y) = trend.year(year) {
                year_section(
                    ui,
                    trend,
                    y,
                    staff,
                    unit,
                    &palette,
                    data.capture.is_some(),
                    commands,
                );
            } else {
                let message = format!("{year} 年没有三公经费数据。查看：");
                offer_years(ui, &message, trend.years.iter().map(|y| y.year), commands);
            }
            ui.add_space(12.0);
            crate::ui::widgets::chart_section(
                ui,
                data.capture.is_some(),
                "历年三公经费合计",
                RichText::new(format!("历年三公经费合计：预算与决算（{}）", unit.label())).strong(),
                commands,
                |ui| trend_chart(ui, trend, unit, &palette),
            );
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                ui.label(RichText::new("历年三公经费表").strong());
                crate::ui::widgets::export_button(ui, "三公经费", commands);
            });
            table(ui, trend, unit, &palette, commands);
        });
}

#[allow(clippy::too_many_arguments)] // the section's inputs, each used
fn year_section(
    ui: &mut egui::Ui,
    trend: &SangongTrend,
    y: &SangongYear,
    staff: &[Staff],
    unit: MoneyUnit,
    palette: &Palette,
    capturing: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} 年", y.year)).strong().size(16.0));
        ui.label(RichText::new(format!("口径：{}", y.scope)).color(palette.accent));
        let budget_label = match y.budget_stage {
            Some(crate::model::Stage::BudgetAdjusted) => "预算数为调整后全年预算",
            Some(crate::model::Stage::BudgetInitial) => "预算数为年初预算",
            _ => "",
        };
        if !budget_label.is_empty() {
            ui.label(RichText::new(budget_label).color(palette.muted));
        }
        for m in trend.markers(y.year) {
            ui.label(RichText::new(m.label()).color(palette.warn));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let fmt =
            |d: Option<Decimal>| d.map_or_else(|| "未公布".to_owned(), |v| format_money(v, unit));
        doubt_label(
            ui,
            format!("预算合计 {}", fmt(y.budget_total())),
            y.doubt(false),
            palette,
        );
        ui.separator();
        doubt_label(
            ui,
            format!("决算合计 {}", fmt(y.actual_total())),
            y.doubt(true),
            palette,
        );
        if let Some(r) = y.control_rate() {
            ui.separator();
            ui.label(format!("控制率（决算/预算）{}", format_percent(r, 1)));
        }
        if let Some((py, p, change, on_budget)) = trend.yoy(y.year) {
            ui.separator();
            let text = format!(
                "{}较 {py} 年 {}{}（上年 {}）",
                if on_budget { "预算" } else { "决算" },
                if change > Decimal::ZERO { "+" } else { "" },
                format_percent(change, 1),
                format_money(p, unit)
            );
            let color = if change > Decimal::ZERO {
                palette.up
            } else {
                palette.down
            };
            ui.label(RichText::new(text).color(color));
        }
    });
    // per person, where the report states the staff number of this year and scope
    if let Some(s) = staff_for(staff, y.year, &y.scope) {
        // two more decimals than amounts: 三公 per person is a small number
        let per = |d: Option<Decimal>| {
            d.and_then(|v| s.per_person(v))
                .and_then(|v| unit.from_wan(v))
                .map_or_else(
                    || "未公布".to_owned(),
                    |v| {
                        format!(
                            "{} {}/人",
                            crate::model::format_decimal_grouped(v, unit.display_decimals() + 2),
                            unit.label()
                        )
                    },
                )
        };
        ui.label(format!(
            "人均：预算 {}，决算 {}（按{}）",
            per(y.budget_total()),
            per(y.actual_total()),
            s.describe()
        ));
    }
    if !y.has_breakdown() {
        ui.label(
            RichText::new("本年度只公布了三公经费合计，未分项目公布，无法按类别比较。")
                .color(palette.warn),
        );
        return;
    }
    // Grouped bars: each category, budget left, actual right.
    let bars =
        |map: &std::collections::BTreeMap<SangongCategory, crate::analysis::figure::Figure>,
         offset: f64,
         what: &str| {
            CATEGORIES
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let f = map.get(c)?;
                    Some(
                        Bar::new(i as f64 + offset, unit.to_f64(f.amount))
                            .width(0.35)
                            .name(format!(
                                "{}{} {what}：{}\n来源：{}",
                                if f.doubtful() { "※ " } else { "" },
                                c.label(),
                                format_money(f.amount, unit),
                                f.describe_sources()
                            )),
                    )
                })
                .collect::<Vec<_>>()
        };
    let budget = BarChart::new("预算数", bars(&y.budget, -0.19, "预算"))
        .color(theme::stage_color(crate::model::Stage::BudgetAdjusted))
        .element_formatter(Box::new(|b, _| b.name.clone()));
    let actual = BarChart::new("决算数", bars(&y.actual, 0.19, "决算"))
        .color(theme::stage_color(crate::model::Stage::Final))
        .element_formatter(Box::new(|b, _| b.name.clone()));
    let title = RichText::new(format!(
        "{} 年三公经费分项：预算与决算（{}）",
        y.year,
        unit.label()
    ))
    .strong();
    crate::ui::widgets::chart_section(ui, capturing, "三公经费分项", title, commands, |ui| {
        crate::ui::widgets::fixed_plot("sangong_year")
            .height(260.0)
            .legend(Legend::default())
            .include_y(0.0)
            .y_grid_spacer(crate::ui::widgets::nice_spacer(5.0))
            .include_x(-0.6)
            .include_x(CATEGORIES.len() as f64 - 0.4)
            .x_grid_spacer(crate::ui::widgets::category_marks(CATEGORIES.len()))
            .x_axis_formatter(|mark, _| {
                let v = mark.value;
                if (v - v.round()).abs() < 1e-6 {
                    CATEGORIES
                        .get(v.round() as usize)
                        .map_or(String::new(), |c| c.label().to_owned())
                } else {
                    String::new()
                }
            })
            .show(ui, |plot_ui| {
                plot_ui.bar_chart(budget);
                plot_ui.bar_chart(actual);
            });
    });
}

fn trend_chart(ui: &mut egui::Ui, trend: &SangongTrend, unit: MoneyUnit, palette: &Palette) {
    let years: Vec<i32> = trend.years.iter().map(|y| y.year).collect();
    let max = trend
        .years
        .iter()
        .flat_map(|y| [y.budget_total(), y.actual_total()])
        .flatten()
        .map(|d| unit.to_f64(d))
        .fold(0.0_f64, f64::max);
    let mk = |get: &dyn Fn(&SangongYear) -> Option<Decimal>, offset: f64, actual: bool| {
        let what = if actual { "决算" } else { "预算" };
        trend
            .years
            .iter()
            .filter_map(|y| {
                let v = get(y)?;
                let doubt = y
                    .doubt(actual)
                    .map_or_else(String::new, |d| format!("\n{d}"));
                Some(
                    Bar::new(f64::from(y.year) + offset, unit.to_f64(v))
                        .width(0.35)
                        .name(format!(
                            "{}{} 年{what}：{}（口径：{}）{doubt}",
                            if doubt.is_empty() { "" } else { "※ " },
                            y.year,
                            format_money(v, unit),
                            y.scope
                        )),
                )
            })
            .collect::<Vec<_>>()
    };
    let budget = BarChart::new("预算合计", mk(&|y| y.budget_total(), -0.19, false))
        .color(theme::stage_color(crate::model::Stage::BudgetAdjusted))
        .element_formatter(Box::new(|b, _| b.name.clone()));
    let actual = BarChart::new("决算合计", mk(&|y| y.actual_total(), 0.19, true))
        .color(theme::stage_color(crate::model::Stage::Final))
        .element_formatter(Box::new(|b, _| b.name.clone()));
    let first = years.first().copied().unwrap_or_default();
    let last = years.last().copied().unwrap_or_default();
    let markers: Vec<(i32, String)> = trend
        .years
        .iter()
        .map(|y| {
            let mut parts: Vec<String> = trend
                .markers(y.year)
                .iter()
                .map(crate::analysis::sangong::Marker::label)
                .collect();
            parts.insert(0, y.scope.clone());
            (y.year, parts.join("\n"))
        })
        .collect();
    let muted = palette.muted;
    let text_bg = ui.visuals().extreme_bg_color;
    crate::ui::widgets::fixed_plot("sangong_trend")
        .height(260.0)
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(max * 1.3)
        .y_grid_spacer(crate::ui::widgets::nice_spacer(5.0))
        .include_x(f64::from(first) - 0.6)
        .include_x(f64::from(last) + 0.6)
        .x_axis_formatter(crate::ui::widgets::year_axis(years))
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(budget);
            plot_ui.bar_chart(actual);
            for (year, text) in &markers {
                plot_ui.text(Text::new(
                    "",
                    egui_plot::PlotPoint::new(f64::from(*year), max * 1.18),
                    RichText::new(text).color(muted).background_color(text_bg),
                ));
            }
        });
}

fn table(
    ui: &mut egui::Ui,
    trend: &SangongTrend,
    unit: MoneyUnit,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    egui::Grid::new("sangong_table")
        .striped(true)
        .spacing([18.0, 6.0])
        .show(ui, |ui| {
            header_row(
                ui,
                &[
                    "年度",
                    "口径",
                    "预算合计",
                    "决算合计",
                    "控制率",
                    "同比",
                    "说明",
                ],
            );
            for y in &trend.years {
                if ui
                    .link(format!("{} 年", y.year))
                    .on_hover_text("在上方查看该年分项")
                    .clicked()
                {
                    commands.push(Command::SelectYear(y.year));
                }
                ui.label(&y.scope);
                let fmt = |d: Option<Decimal>| {
                    d.map_or_else(|| "—".to_owned(), |v| format_money(v, unit))
                };
                doubt_label(ui, fmt(y.budget_total()), y.doubt(false), palette);
                doubt_label(ui, fmt(y.actual_total()), y.doubt(true), palette);
                ui.label(
                    y.control_rate()
                        .map_or_else(|| "—".to_owned(), |r| format_percent(r, 1)),
                );
                match trend.yoy(y.year) {
                    Some((_, _, c, on_budget)) => {
                        let color = if c > Decimal::ZERO {
                            palette.up
                        } else {
                            palette.down
                        };
                        let sign = if c > Decimal::ZERO { "+" } else { "" };
                        let basis = if on_budget { "（预算）" } else { "" };
                        ui.label(
                            RichText::new(format!("{sign}{}{basis}", format_percent(c, 1)))
                                .color(color),
                        )
                    }
                    None => ui.label("—"),
                };
                let notes: Vec<String> = trend
                    .markers(y.year)
                    .iter()
                    .map(crate::analysis::sangong::Marker::label)
                    .collect();
                ui.label(RichText::new(notes.join("；")).color(palette.warn));
                ui.end_row();
            }
        });
}

/// `text`, marked `※` in the warning colour with the reason on hover when `doubt` is given (the
/// figures come from a 存疑 table).
fn doubt_label(ui: &mut egui::Ui, text: String, doubt: Option<String>, palette: &Palette) {
    match doubt {
        Some(why) => {
            ui.label(RichText::new(format!("{text} ※")).color(palette.warn))
                .on_hover_text(why);
        }
        None => {
            ui.label(text);
        }
    }
}
