//! 结构变化 view: a department's expenditure structure across all its years as 100 % (or amount)
//! stacked bars, labelled with stage and scope; a table of amounts, shares and the change in
//! percentage points; and the change waterfall between two chosen points. Clicking a segment of a
//! classified part opens the drill-down at that code for that year; clicking a row, a waterfall
//! bar or a legend entry selects the part here (Esc clears).

mod export;
mod page;
mod waterfall;

pub use page::{Display, EvolutionPage, EvolutionView, ROUTE, WaterfallKey};

use egui::RichText;
use egui_plot::{Bar, BarChart};
use rust_decimal::Decimal;

use crate::analysis::staff::{Staff, staff_for};
use crate::analysis::structure::{Breakdown, Dimension, TimePoint, Timeline};
use crate::model::{Classification, Code, MoneyUnit, format_money, format_percent};
use crate::state::Command;
use crate::ui::pages::ViewContext;
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::targets::{Target, plot_targets};
use crate::ui::widgets::{amount_text, cached_value, category_marks, header_row};

/// The key of the 未细分 segment (total − Σ parts).
pub const UNALLOCATED: &str = "未细分";

pub(super) fn show(
    ui: &mut egui::Ui,
    cx: &ViewContext<'_>,
    page: &mut EvolutionPage,
    commands: &mut Vec<Command>,
) {
    let state = cx.state;
    let palette = theme::palette(state.dark_mode);
    let unit = state.unit;
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        page.view.selected = None;
    }
    let Some((_, t)) = cached_value(
        ui,
        &palette,
        page.result.as_ref(),
        "没有可显示的数据。",
        "结构变化",
    ) else {
        return;
    };
    let staff: Vec<Staff> = page.staff_list().to_vec();
    let view = &mut page.view;
    if staff.is_empty() && view.display == Display::PerPerson {
        view.display = Display::Amount;
    }
    egui::ScrollArea::vertical()
        .id_salt("evolution_scroll")
        .show(ui, |ui| {
            ui.heading(format!(
                "{} · 结构变化（{}，{}）",
                t.department,
                view.dimension.label(),
                unit.label()
            ));
            controls(ui, view, !staff.is_empty(), commands);
            view.refresh_waterfall(t);
            let mut shown: Vec<&TimePoint> = t.shown(view.dimension).collect();
            let per_person = view.display == Display::PerPerson;
            if per_person {
                shown.retain(|p| point_staff(&staff, p).is_some());
                per_person_note(ui, t, view.dimension, &staff, &palette);
            }
            if shown.is_empty() {
                ui.label(format!(
                    "本部门各年均未公布{}的支出构成。",
                    view.dimension.label()
                ));
                return;
            }
            if let Some(s) = t.series(view.dimension) {
                for n in &s.notes {
                    ui.colored_label(palette.warn, format!("※ {n}"));
                }
            }
            ui.add_space(4.0);
            let capturing = cx.data.capture.is_some();
            let mut chart_commands = Vec::new();
            crate::ui::widgets::chart_section(
                ui,
                capturing,
                "结构变化",
                RichText::new(format!(
                    "各年{}（每根柱的年度、阶段与口径均标在图上）",
                    match view.display {
                        Display::Share => "占比",
                        Display::Amount => "金额",
                        Display::PerPerson => "人均金额",
                    }
                ))
                .strong(),
                commands,
                |ui| {
                    stacked_chart(
                        ui,
                        t,
                        &shown,
                        &staff,
                        view,
                        unit,
                        &palette,
                        &mut chart_commands,
                    );
                },
            );
            commands.extend(chart_commands);
            ui.add_space(6.0);
            parts_table(ui, t, &shown, &staff, view, unit, &palette);
            // what each year's figures are (definitions, fallbacks, 尾数), under the table
            for p in &shown {
                let Some(b) = p.breakdown(view.dimension) else {
                    continue;
                };
                for n in &b.notes {
                    ui.colored_label(palette.muted, format!("{}：{n}", p.label()));
                }
            }
            ui.add_space(12.0);
            waterfall::section(ui, t, view, unit, &palette, capturing, commands);
        });
}

/// The staff number a point's amounts are divided by (same year and scope).
fn point_staff<'a>(staff: &'a [Staff], p: &TimePoint) -> Option<&'a Staff> {
    staff_for(staff, p.year, p.structure.scope.as_deref()?)
}

/// Which years have a staff number and which do not (per-person display).
fn per_person_note(
    ui: &mut egui::Ui,
    t: &Timeline,
    dim: Dimension,
    staff: &[Staff],
    palette: &Palette,
) {
    let mut with = Vec::new();
    let mut without = Vec::new();
    for p in t.shown(dim) {
        match point_staff(staff, p) {
            Some(s) => with.push(format!("{} 年按{}", p.year, s.describe())),
            None => without.push(p.year.to_string()),
        }
    }
    ui.colored_label(
        palette.warn,
        format!(
            "※ 人均 = 金额 ÷ 同年同口径公布的人数：{}{}",
            if with.is_empty() {
                "所示年度均未公布人数".to_owned()
            } else {
                with.join("；")
            },
            if without.is_empty() {
                String::new()
            } else {
                format!("；{} 年未公布人数，不列", without.join("、"))
            }
        ),
    );
}

/// What a segment shows in the current display: its share (as a percentage), its amount, or its
/// amount per person — in the display unit, for drawing; `None` when it cannot be shown.
fn shown_value(
    display: Display,
    unit: MoneyUnit,
    staff: Option<&Staff>,
    amount: Decimal,
    share: Option<Decimal>,
) -> Option<f64> {
    match display {
        Display::Share => share.map(|s| to_f64(s) * 100.0),
        Display::Amount => Some(unit.to_f64(amount)),
        Display::PerPerson => staff?.per_person(amount).map(|v| unit.to_f64(v)),
    }
}

fn controls(
    ui: &mut egui::Ui,
    view: &mut EvolutionView,
    has_staff: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label("分组：");
        for d in Dimension::ALL {
            if ui
                .selectable_label(view.dimension == d, d.label())
                .on_hover_text(format!("按{}显示各年结构", d.label()))
                .clicked()
                && view.dimension != d
            {
                view.dimension = d;
                view.selected = None;
            }
        }
        ui.separator();
        ui.label("显示：");
        for (d, label) in [(Display::Share, "占比"), (Display::Amount, "金额")] {
            if ui.selectable_label(view.display == d, label).clicked() {
                view.display = d;
            }
        }
        let per_person = ui
            .add_enabled(
                has_staff,
                egui::Button::selectable(view.display == Display::PerPerson, "人均"),
            )
            .on_hover_text("金额 ÷ 同年同口径公布的人数（年末在编/实有人数，未公布时用核定编制数）")
            .on_disabled_hover_text("本部门的报告未公布人数，无法计算人均");
        if per_person.clicked() {
            view.display = Display::PerPerson;
        }
        ui.separator();
        crate::ui::widgets::export_button(ui, "结构变化", commands)
            .on_hover_text("导出各年金额、占比与两年间的变动（含口径与基础说明）");
    });
}

/// The segments of one point: each part, then 未细分 when the parts do not reach the total.
fn segments(b: &Breakdown) -> Vec<(String, String, Decimal, Option<Decimal>)> {
    let mut out: Vec<_> = b
        .parts
        .iter()
        .map(|p| (p.key.clone(), p.label.clone(), p.figure.amount, p.share))
        .collect();
    if let Some(u) = b.unallocated.filter(Decimal::is_sign_positive) {
        let share = b
            .total
            .as_ref()
            .and_then(|t| crate::model::ratio(u, t.amount));
        out.push((UNALLOCATED.to_owned(), UNALLOCATED.to_owned(), u, share));
    }
    out
}

fn seg_color(key: &str) -> egui::Color32 {
    if key == UNALLOCATED {
        egui::Color32::GRAY
    } else {
        theme::key_color(key)
    }
}

fn to_f64(d: Decimal) -> f64 {
    rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0)
}

/// The code a part stands for, when the dimension is a classification.
fn part_code(dim: Dimension, key: &str) -> Option<(Classification, Code)> {
    let class = match dim {
        Dimension::Functional | Dimension::FunctionalKuan => Classification::Functional,
        Dimension::EconomicClass => Classification::Economic,
        Dimension::Nature | Dimension::EconomicGroup => return None,
    };
    Code::parse(key, class).ok().map(|c| (class, c))
}

#[allow(clippy::too_many_arguments)] // the chart's inputs, each used
fn stacked_chart(
    ui: &mut egui::Ui,
    t: &Timeline,
    shown: &[&TimePoint],
    staff: &[Staff],
    view: &mut EvolutionView,
    unit: MoneyUnit,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let dim = view.dimension;
    let share = view.display == Display::Share;
    let mut keys: Vec<(String, String)> = t.keys(dim);
    if shown
        .iter()
        .any(|p| p.breakdown(dim).is_some_and(|b| b.unallocated.is_some()))
    {
        keys.push((UNALLOCATED.to_owned(), UNALLOCATED.to_owned()));
    }
    // one chart per part (its legend entry), each bar stacked on the parts before it
    let mut charts: Vec<(String, Vec<Bar>)> = keys
        .iter()
        .map(|(_, label)| (label.clone(), Vec::new()))
        .collect();
    let mut targets = Vec::new();
    let mut hits = Vec::new();
    for (x, p) in shown.iter().enumerate() {
        let Some(b) = p.breakdown(dim) else { continue };
        let mut base = 0.0;
        for (key, label, amount, part_share) in segments(b) {
            let Some(ki) = keys.iter().position(|(k, _)| *k == key) else {
                continue;
            };
            let person = point_staff(staff, p);
            let v = shown_value(view.display, unit, person, amount, part_share).unwrap_or(0.0);
            let per = person
                .and_then(|s| s.per_person(amount))
                .filter(|_| view.display == Display::PerPerson)
                .map_or_else(String::new, |v| {
                    format!("，人均 {}/人", format_money(v, unit))
                });
            let text = format!(
                "{} · {label}：{}，占 {}{per}",
                p.label(),
                format_money(amount, unit),
                part_share.map_or_else(|| "—".to_owned(), |s| format_percent(s, 2))
            );
            let source = b.part(&key).map_or_else(
                || "合计减各项之和".to_owned(),
                |q| q.figure.describe_sources(),
            );
            if let Some((_, bars)) = charts.get_mut(ki) {
                bars.push(
                    Bar::new(x as f64, v)
                        .base_offset(base)
                        .width(0.6)
                        .fill(seg_color(&key)),
                );
            }
            targets.push(Target {
                min: [x as f64 - 0.3, base],
                max: [x as f64 + 0.3, base + v],
                label: text.clone(),
                hover: format!("{text}\n来源：{source}"),
                selected: view.selected.as_deref() == Some(key.as_str()),
            });
            hits.push((key.clone(), p.year, p.stage));
            base += v;
        }
    }
    // the year alone under each bar when all bars share a stage and 口径 (said once above the
    // chart): ten long labels do not fit a narrow window, and egui_plot then drops them all
    let common = shown
        .first()
        .map(|p| (p.stage, p.structure.scope.as_deref()))
        .filter(|c| {
            shown
                .iter()
                .all(|p| (p.stage, p.structure.scope.as_deref()) == *c)
        });
    let names: Vec<String> = match &common {
        Some(_) => shown.iter().map(|p| format!("{} 年", p.year)).collect(),
        None => shown.iter().map(|p| p.label()).collect(),
    };
    if let Some((stage, scope)) = &common {
        ui.label(
            egui::RichText::new(format!(
                "各柱均为{} · 口径：{}",
                stage.label(),
                scope.unwrap_or("口径未知")
            ))
            .weak(),
        );
    }
    let n = names.len();
    let height = (ui.available_height() * 0.45).clamp(220.0, 360.0);
    // the legend above the chart, never over a bar; an entry clicked selects its part
    let entries: Vec<(String, String, egui::Color32)> = keys
        .iter()
        .map(|(k, label)| (k.clone(), label.clone(), seg_color(k)))
        .collect();
    if let Some(key) = crate::ui::widgets::legend_row(ui, &entries, view.selected.as_deref()) {
        view.selected = (view.selected.as_deref() != Some(key.as_str())).then_some(key);
    }
    let plot = crate::ui::widgets::fixed_plot("evolution_stacked")
        .height(height)
        .include_x(-0.6)
        .include_x(n as f64 - 0.5)
        .include_y(0.0)
        .include_y(if share { 100.0 } else { 0.0 })
        .show_grid([false, true])
        .x_grid_spacer(category_marks(n))
        .y_grid_spacer(crate::ui::widgets::nice_spacer(5.0))
        .x_axis_formatter(crate::ui::widgets::category_names(names))
        .y_axis_formatter(move |mark, _| {
            if share {
                format!("{:.0}%", mark.value)
            } else {
                grouped(mark.value)
            }
        })
        .y_axis_min_width(64.0)
        .label_formatter(|_| None);
    let resp = plot.show(ui, |plot_ui| {
        for (i, (name, bars)) in charts.into_iter().enumerate() {
            let key = keys.get(i).map(|(k, _)| k.clone()).unwrap_or_default();
            plot_ui.bar_chart(
                BarChart::new(name, bars)
                    .id(("evolution_part", key.as_str()))
                    .color(seg_color(&key))
                    .allow_hover(false),
            );
        }
    });
    let clicked = plot_targets(
        ui,
        "evolution_segments",
        &resp.transform,
        &targets,
        palette.accent,
    );
    if let Some((key, year, stage)) = clicked.and_then(|i| hits.get(i)) {
        view.selected = Some(key.clone());
        if let Some((class, code)) = part_code(dim, key) {
            commands.extend([
                Command::SelectYear(*year),
                Command::SelectStage(*stage),
                Command::OpenDrill(class, Some(code)),
            ]);
        }
    }
    let hint = if part_code(dim, "201").is_some() {
        "点击色块：在分类下钻中打开该科目（该年度、阶段）；点击图例或下表行：在本页突出显示；Esc 取消"
    } else {
        "点击色块、图例或下表行：在本页突出显示；Esc 取消"
    };
    ui.label(RichText::new(hint).color(palette.muted).small());
}

/// `12,345` for an axis value (drawing only).
fn grouped(v: f64) -> String {
    Decimal::from_f64_retain(v.round())
        .map_or_else(String::new, |d| crate::model::format_decimal_grouped(d, 0))
}

fn parts_table(
    ui: &mut egui::Ui,
    t: &Timeline,
    shown: &[&TimePoint],
    staff: &[Staff],
    view: &mut EvolutionView,
    unit: MoneyUnit,
    palette: &Palette,
) {
    let dim = view.dimension;
    let keys = t.keys(dim);
    let per_person = view.display == Display::PerPerson;
    // the change columns compare amounts: not shown beside per-person figures
    let pair = view
        .pair(t)
        .and_then(|(a, b)| Some((t.points.get(a)?, t.points.get(b)?)))
        .filter(|_| !per_person);
    let money_unit = if per_person {
        format!("{}/人", unit.label())
    } else {
        unit.label().to_owned()
    };
    egui::ScrollArea::horizontal()
        .id_salt("evolution_table_scroll")
        .show(ui, |ui| {
            egui::Grid::new("evolution_table")
                .striped(true)
                .spacing([14.0, 4.0])
                .show(ui, |ui| {
                    let mut headers = vec!["项目".to_owned()];
                    for p in shown {
                        headers.push(format!("{}（{money_unit}）", p.label()));
                        headers.push("占比".to_owned());
                    }
                    if let Some((a, b)) = pair {
                        headers.push(format!("变动 {}→{}（{}）", a.year, b.year, unit.label()));
                        headers.push("占比变动（百分点）".to_owned());
                    }
                    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
                    header_row(ui, &refs);
                    for (key, label) in &keys {
                        let selected = view.selected.as_deref() == Some(key.as_str());
                        let text = RichText::new(label.as_str()).color(seg_color(key));
                        if ui
                            .selectable_label(selected, text)
                            .on_hover_text("点击：在图中突出显示此项")
                            .clicked()
                        {
                            view.selected = if selected { None } else { Some(key.clone()) };
                        }
                        for p in shown {
                            let part = p.breakdown(dim).and_then(|b| b.part(key));
                            match part {
                                Some(q) if per_person => {
                                    let person = point_staff(staff, p);
                                    let v = person.and_then(|s| s.per_person(q.figure.amount));
                                    ui.label(v.map_or_else(|| "—".to_owned(), |v| amount(v, unit)))
                                        .on_hover_text(format!(
                                            "{} ÷ {}",
                                            format_money(q.figure.amount, unit),
                                            person.map_or_else(String::new, Staff::describe)
                                        ));
                                    ui.label(
                                        q.share.map_or_else(
                                            || "—".to_owned(),
                                            |s| format_percent(s, 2),
                                        ),
                                    );
                                }
                                Some(q) => {
                                    crate::ui::widgets::figure_label(
                                        ui, &q.figure, unit, false, palette,
                                    );
                                    ui.label(
                                        q.share.map_or_else(
                                            || "—".to_owned(),
                                            |s| format_percent(s, 2),
                                        ),
                                    );
                                }
                                None => {
                                    ui.label("—").on_hover_text("该年未公布此项（或为 0）");
                                    ui.label("—");
                                }
                            }
                        }
                        if let Some((a, b)) = pair {
                            change_cells(ui, a, b, dim, key, unit, palette);
                        }
                        ui.end_row();
                    }
                    ui.label(RichText::new("合计").strong());
                    for p in shown {
                        let total = p.breakdown(dim).and_then(|b| b.total.as_ref());
                        match total {
                            Some(f) if per_person => {
                                let v = point_staff(staff, p).and_then(|s| s.per_person(f.amount));
                                ui.label(
                                    RichText::new(
                                        v.map_or_else(|| "—".to_owned(), |v| amount(v, unit)),
                                    )
                                    .strong(),
                                );
                            }
                            Some(f) => {
                                crate::ui::widgets::figure_label(ui, f, unit, true, palette);
                            }
                            None => {
                                ui.label("—");
                            }
                        }
                        ui.label("100%");
                    }
                    ui.end_row();
                });
        });
}

fn part_of<'a>(
    p: &'a TimePoint,
    dim: Dimension,
    key: &str,
) -> Option<&'a crate::analysis::structure::Part> {
    p.breakdown(dim).and_then(|b| b.part(key))
}

fn change_cells(
    ui: &mut egui::Ui,
    a: &TimePoint,
    b: &TimePoint,
    dim: Dimension,
    key: &str,
    unit: MoneyUnit,
    palette: &Palette,
) {
    let (pa, pb) = (part_of(a, dim, key), part_of(b, dim, key));
    let amount =
        |p: Option<&crate::analysis::structure::Part>| p.map_or(Decimal::ZERO, |q| q.figure.amount);
    match amount(pb).checked_sub(amount(pa)) {
        Some(delta) if pa.is_some() || pb.is_some() => {
            let text = unit.from_wan(delta).map_or_else(
                || crate::model::OUT_OF_RANGE.to_owned(),
                |v| crate::analysis::structure::signed(v, unit.display_decimals()),
            );
            ui.label(RichText::new(text).color(theme::change_color(palette, delta)));
        }
        _ => {
            ui.label("—");
        }
    }
    let share = |p: Option<&crate::analysis::structure::Part>| p.and_then(|q| q.share);
    match (share(pa), share(pb)) {
        (None, None) => {
            ui.label("—");
        }
        (sa, sb) => {
            let pp = (sb.unwrap_or_default() - sa.unwrap_or_default()) * Decimal::from(100);
            ui.label(crate::analysis::structure::signed(pp, 2));
        }
    }
}

/// An amount in the display unit, for the waterfall labels.
pub(super) fn amount(wan: Decimal, unit: MoneyUnit) -> String {
    amount_text(wan, unit)
}
