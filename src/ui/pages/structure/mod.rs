//! 收支结构 view: revenue by source (donut + list), expenditure by functional 类, by nature, by
//! 人员/公用 and by economic 类; the other stage of the year and the previous year of the same
//! scope alongside; optionally a second selection side by side.

mod export;
mod page;

pub use page::{ROUTE, StructurePage};

use egui::RichText;
use rust_decimal::Decimal;

use crate::analysis::overview::Selection;
use crate::analysis::structure::{Breakdown, BreakdownKind, Structure, StructureReport};
use crate::model::{Code, MoneyUnit, Stage, format_money, format_percent};
use crate::state::{AppData, AppState, Command};
use crate::ui::pages::ViewContext;
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::{amount_text, cached_value, change_text, donut, figure_label, share_bar};

pub(super) fn show(
    ui: &mut egui::Ui,
    cx: &ViewContext<'_>,
    page: &StructurePage,
    commands: &mut Vec<Command>,
) {
    let (state, data) = (cx.state, cx.data);
    let palette = theme::palette(state.dark_mode);
    let unit = state.unit;
    egui::ScrollArea::vertical()
        .id_salt("structure_scroll")
        .show(ui, |ui| {
            let Some((_, report)) = cached_value(
                ui,
                &palette,
                page.result.as_ref(),
                "没有可显示的数据。",
                "收支结构",
            ) else {
                return;
            };
            let main = &report.main;
            ui.heading(format!(
                "{} · {} 年{} · 收支结构（{}）",
                main.selection.department,
                main.selection.year,
                main.selection.stage.label(),
                unit.label()
            ));
            header_line(ui, report, &palette);
            compare_controls(ui, state, data, commands);
            ui.add_space(6.0);
            let compare = state
                .compare
                .as_ref()
                .and_then(|_| page.compared.as_ref().and_then(|c| c.value.as_ref().ok()));
            match compare {
                Some(other) => side_by_side(ui, main, other, unit, &palette),
                None => single(ui, report, unit, &palette, data.capture.is_some(), commands),
            }
        });
}

fn header_line(ui: &mut egui::Ui, report: &StructureReport, palette: &Palette) {
    let main = &report.main;
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "口径：{}",
            main.scope.clone().unwrap_or_else(|| "未知".to_owned())
        ));
        ui.separator();
        ui.label(format!("资金来源：{}", main.fund.label()));
        ui.separator();
        match report.counterpart_stage {
            Some(s) => ui.label(format!("对照：同年{}", s.label())),
            None => ui.label("对照：本年无另一阶段的数据"),
        };
        ui.separator();
        match report.previous_year {
            Some(y) => ui.label(format!("变动：与 {y} 年（同口径）比较")),
            None => ui.label("变动：无同口径的上年数据"),
        };
    });
    for n in &report.previous_notes {
        ui.colored_label(palette.warn, n);
    }
}

fn compare_controls(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        crate::ui::widgets::export_button(ui, "收支结构", commands)
            .on_hover_text("导出本页全部列表（对比时两组并列，每行注明属于哪一组）");
        ui.separator();
        let mut on = state.compare.is_some();
        if ui
            .checkbox(&mut on, "与另一部门/年度对比")
            .on_hover_text("并排显示两组结构，占比可直接比较")
            .changed()
        {
            let other = if on {
                data.catalog
                    .entries
                    .iter()
                    .find(|(d, _)| Some(*d) != state.department())
                    .and_then(|(d, _)| {
                        data.catalog.repair(&Selection {
                            department: d.clone(),
                            year: 0,
                            stage: Stage::Final,
                        })
                    })
                    .or_else(|| data.catalog.default_selection())
            } else {
                None
            };
            commands.push(Command::SetCompare(other));
        }
        let Some(other) = &state.compare else { return };
        let label = ui.label("对比部门");
        egui::ComboBox::from_id_salt("对比部门")
            .selected_text(other.department.as_str())
            .width(220.0)
            .show_ui(ui, |ui| {
                for d in data.catalog.departments() {
                    if ui
                        .selectable_label(*d == other.department, d.as_str())
                        .clicked()
                        && let Some(sel) = data.catalog.repair(&Selection {
                            department: d.clone(),
                            ..other.clone()
                        })
                    {
                        commands.push(Command::SetCompare(Some(sel)));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("对比年度");
        egui::ComboBox::from_id_salt("对比年度")
            .selected_text(format!("{} 年", other.year))
            .width(80.0)
            .show_ui(ui, |ui| {
                for y in data.catalog.years(&other.department) {
                    if ui
                        .selectable_label(y == other.year, format!("{y} 年"))
                        .clicked()
                        && let Some(sel) = data.catalog.repair(&Selection {
                            year: y,
                            ..other.clone()
                        })
                    {
                        commands.push(Command::SetCompare(Some(sel)));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("对比阶段");
        egui::ComboBox::from_id_salt("对比阶段")
            .selected_text(other.stage.label())
            .width(80.0)
            .show_ui(ui, |ui| {
                for s in data.catalog.stages(&other.department, other.year) {
                    if ui.selectable_label(s == other.stage, s.label()).clicked() {
                        commands.push(Command::SetCompare(Some(Selection {
                            stage: s,
                            ..other.clone()
                        })));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
}

fn card(ui: &mut egui::Ui, palette: &Palette, add: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::new()
        .fill(palette.card_fill)
        .stroke(egui::Stroke::new(1.0, palette.card_stroke))
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, add);
}

fn single(
    ui: &mut egui::Ui,
    report: &StructureReport,
    unit: MoneyUnit,
    palette: &Palette,
    capturing: bool,
    commands: &mut Vec<Command>,
) {
    let main = &report.main;
    let columns = Columns {
        counterpart: report.counterpart_stage,
        stage: main.selection.stage,
        previous_year: report.previous_year,
    };
    if main.is_empty() {
        ui.label("本年度本阶段没有结构数据（收入来源、分类支出、基本/项目支出均未公布）。");
        return;
    }
    let full = ui.available_width();
    let revenue = |ui: &mut egui::Ui, width: f32, commands: &mut Vec<Command>| {
        card(ui, palette, |ui| {
            ui.set_width(width - 22.0);
            if let Some(b) = main.get(BreakdownKind::Revenue) {
                crate::ui::widgets::chart_section(
                    ui,
                    capturing,
                    "收入来源构成",
                    RichText::new(b.kind.title()).strong(),
                    commands,
                    |ui| revenue_block(ui, b, unit, palette, &columns),
                );
            }
        });
    };
    let natures = |ui: &mut egui::Ui, width: f32| {
        card(ui, palette, |ui| {
            ui.set_width(width - 22.0);
            for kind in [BreakdownKind::Nature, BreakdownKind::EconomicGroup] {
                if let Some(b) = main.get(kind) {
                    breakdown_block(ui, b, unit, palette, &columns, None);
                    ui.add_space(10.0);
                }
            }
        });
    };
    // side by side only where both fit; a narrow window stacks them, nothing cut off
    if full >= SIDE_BY_SIDE_WIDTH {
        ui.horizontal_top(|ui| {
            let left = (full - 12.0) * 0.56;
            let right = full - 12.0 - left;
            let top_down = egui::Layout::top_down(egui::Align::Min);
            ui.allocate_ui_with_layout(egui::vec2(left, 0.0), top_down, |ui| {
                revenue(ui, left, commands);
            });
            ui.allocate_ui_with_layout(egui::vec2(right, 0.0), top_down, |ui| {
                natures(ui, right);
            });
        });
    } else {
        revenue(ui, full, commands);
        ui.add_space(10.0);
        natures(ui, full);
    }
    ui.add_space(10.0);
    for kind in [BreakdownKind::Functional, BreakdownKind::EconomicClass] {
        if let Some(b) = main.get(kind) {
            card(ui, palette, |ui| {
                ui.set_width(ui.available_width());
                let drill = (kind == BreakdownKind::Functional).then_some(&mut *commands);
                breakdown_block(ui, b, unit, palette, &columns, drill);
            });
            ui.add_space(10.0);
        }
    }
}

/// The width from which the revenue card and the 基本/项目 card sit side by side.
const SIDE_BY_SIDE_WIDTH: f32 = 1180.0;

/// Which comparison columns a list shows.
struct Columns {
    counterpart: Option<Stage>,
    stage: Stage,
    previous_year: Option<i32>,
}

fn revenue_block(
    ui: &mut egui::Ui,
    b: &Breakdown,
    unit: MoneyUnit,
    palette: &Palette,
    columns: &Columns,
) {
    if b.parts.is_empty() {
        ui.label("本年度本阶段未公布收入来源。");
        return;
    }
    let slices: Vec<donut::Slice> = b
        .parts
        .iter()
        .map(|p| donut::Slice {
            label: p.label.clone(),
            value: unit.to_f64(p.figure.amount),
            color: theme::key_color(&p.key),
            hover: format!(
                "{}\n{}",
                format_money(p.figure.amount, unit),
                p.figure.describe_sources()
            ),
        })
        .collect();
    let center = b
        .total
        .as_ref()
        .map(|t| format!("合计\n{}", format_money(t.amount, unit)))
        .unwrap_or_default();
    ui.horizontal_top(|ui| {
        donut::show(ui, &slices, egui::vec2(250.0, 230.0), &center);
        ui.vertical(|ui| {
            parts_grid(ui, b, unit, palette, columns, None, "收入来源表");
            notes(ui, b, palette);
            missing_columns_note(ui, b, columns, palette);
        });
    });
}

fn notes(ui: &mut egui::Ui, b: &Breakdown, palette: &Palette) {
    if !b.tables.is_empty() {
        ui.colored_label(palette.muted, format!("来源：{}", b.tables.join("、")));
    }
    for n in &b.notes {
        ui.colored_label(palette.muted, n);
    }
}

fn breakdown_block(
    ui: &mut egui::Ui,
    b: &Breakdown,
    unit: MoneyUnit,
    palette: &Palette,
    columns: &Columns,
    drill: Option<&mut Vec<Command>>,
) {
    ui.label(RichText::new(b.kind.title()).strong());
    if b.parts.is_empty() {
        ui.label("本年度本阶段未公布。");
        return;
    }
    parts_grid(ui, b, unit, palette, columns, drill, b.kind.title());
    notes(ui, b, palette);
    missing_columns_note(ui, b, columns, palette);
}

/// The list of parts: name, share bar, amount, share, counterpart stage, change.
fn parts_grid(
    ui: &mut egui::Ui,
    b: &Breakdown,
    unit: MoneyUnit,
    palette: &Palette,
    columns: &Columns,
    mut drill: Option<&mut Vec<Command>>,
    id: &str,
) {
    let max_share = b
        .parts
        .iter()
        .filter_map(|p| p.share)
        .max()
        .unwrap_or(Decimal::ONE);
    let max_share = crate::model::MoneyUnit::Wan.to_f64(max_share).max(1e-9);
    let show_counterpart = b.parts.iter().any(|p| p.counterpart.is_some());
    let show_previous = b.parts.iter().any(|p| p.previous.is_some());
    let counterpart_header = columns
        .counterpart
        .filter(|_| show_counterpart)
        .map(|s| format!("同年{}", s.label()));
    egui::Grid::new(id)
        .striped(true)
        .num_columns(6)
        .min_col_width(40.0)
        .spacing(egui::vec2(12.0, 4.0))
        .show(ui, |ui| {
            let mut headers = vec![
                "项目".to_owned(),
                "占比".to_owned(),
                format!("金额（{}）", unit.label()),
                "比重".to_owned(),
            ];
            if let Some(h) = &counterpart_header {
                headers.push(h.clone());
                headers.push(if columns.stage == Stage::Final {
                    "执行率".to_owned()
                } else {
                    "决算/预算".to_owned()
                });
            }
            if let Some(y) = columns.previous_year.filter(|_| show_previous) {
                headers.push(format!("较 {y} 年"));
            }
            for h in &headers {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for p in &b.parts {
                let color = theme::key_color(&p.key);
                let code = (b.kind == BreakdownKind::Functional)
                    .then(|| Code::parse(&p.key, crate::model::Classification::Functional).ok())
                    .flatten();
                match (&mut drill, code) {
                    (Some(cmds), Some(code)) => {
                        if ui
                            .link(&p.label)
                            .on_hover_text("在分类钻取中查看其下级科目")
                            .clicked()
                        {
                            cmds.push(Command::OpenDrill(
                                crate::model::Classification::Functional,
                                Some(code),
                            ));
                        }
                    }
                    _ => {
                        ui.label(&p.label);
                    }
                }
                let share = p
                    .share
                    .map_or(0.0, |s| crate::model::MoneyUnit::Wan.to_f64(s) / max_share);
                share_bar(ui, share as f32, 110.0, color);
                figure_label(ui, &p.figure, unit, false, palette);
                ui.label(p.share.map_or_else(|| "—".to_owned(), share_text));
                if counterpart_header.is_some() {
                    ui.label(
                        p.counterpart
                            .map_or_else(|| "—".to_owned(), |c| amount_text(c, unit)),
                    );
                    let exec = p.execution(columns.stage);
                    ui.label(exec.map_or_else(|| "—".to_owned(), |e| format_percent(e, 1)));
                }
                if show_previous && columns.previous_year.is_some() {
                    let text = p.change().map_or_else(|| "—".to_owned(), change_text);
                    let color = match p.change() {
                        Some(c) if c.is_sign_positive() && !c.is_zero() => palette.up,
                        Some(c) if c.is_sign_negative() => palette.down,
                        _ => ui.visuals().text_color(),
                    };
                    ui.colored_label(color, text)
                        .on_hover_text(p.previous.map_or_else(
                            || "上年无此项".to_owned(),
                            |v| format!("上年 {}", format_money(v, unit)),
                        ));
                }
                ui.end_row();
            }
            if let Some(u) = b.unallocated {
                ui.colored_label(palette.warn, "未细分")
                    .on_hover_text("公布的合计与各项之和的差额（尾数或未列明部分），如实列出");
                ui.label("");
                ui.colored_label(palette.warn, amount_text(u, unit));
                ui.label("");
                ui.end_row();
            }
            if let Some(t) = &b.total {
                ui.label(
                    RichText::new(if t.derived {
                        "合计（各项之和）"
                    } else {
                        "合计"
                    })
                    .strong(),
                );
                ui.label("");
                figure_label(ui, t, unit, true, palette);
                ui.label("100.0%");
                ui.end_row();
            }
        });
}

/// A share as `19.8%`, small ones as `0.04%`, tiny ones as `<0.01%`.
fn share_text(s: Decimal) -> String {
    if s.is_zero() {
        "0%".to_owned()
    } else if s < Decimal::new(1, 4) {
        "<0.01%".to_owned()
    } else if s < Decimal::new(1, 2) {
        format_percent(s, 2)
    } else {
        format_percent(s, 1)
    }
}

/// Why the comparison columns of a breakdown are missing.
fn missing_columns_note(ui: &mut egui::Ui, b: &Breakdown, columns: &Columns, palette: &Palette) {
    if let Some(stage) = columns.counterpart
        && !b.parts.iter().any(|p| p.counterpart.is_some())
    {
        ui.colored_label(
            palette.muted,
            format!(
                "同年{}未公布同一资金来源的此项分类，不列对照。",
                stage.label()
            ),
        );
    }
    if let Some(y) = columns.previous_year
        && !b.parts.iter().any(|p| p.previous.is_some())
    {
        ui.colored_label(
            palette.muted,
            format!("{y} 年未公布同一资金来源的此项分类，不列变动。"),
        );
    }
}

fn side_by_side(
    ui: &mut egui::Ui,
    main: &Structure,
    other: &Structure,
    unit: MoneyUnit,
    palette: &Palette,
) {
    if main.scope != other.scope {
        ui.colored_label(
            palette.warn,
            "两组数据口径不同：比较占比（比重）比比较金额更有意义。",
        );
    }
    let none = Columns {
        counterpart: None,
        stage: main.selection.stage,
        previous_year: None,
    };
    for kind in BreakdownKind::ALL {
        ui.add_space(6.0);
        ui.label(RichText::new(kind.title()).strong().size(15.0));
        ui.columns(2, |cols| {
            for (col, s, id) in [(0usize, main, "左"), (1usize, other, "右")] {
                let Some(ui) = cols.get_mut(col) else {
                    continue;
                };
                card(ui, palette, |ui| {
                    ui.set_width(ui.available_width());
                    ui.colored_label(palette.muted, s.caption());
                    match s.get(kind) {
                        Some(b) if !b.parts.is_empty() => {
                            parts_grid(
                                ui,
                                b,
                                unit,
                                palette,
                                &none,
                                None,
                                &format!("{}{id}", kind.title()),
                            );
                            notes(ui, b, palette);
                        }
                        _ => {
                            ui.label("未公布。");
                        }
                    }
                });
            }
        });
    }
}
