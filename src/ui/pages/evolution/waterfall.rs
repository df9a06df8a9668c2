//! The change waterfall of 结构变化: the total of one point, each part's change (largest first,
//! the smallest folded into one bar), the total of the other point; with the basis, scope and fund
//! of both ends said above it.

#[allow(clippy::wildcard_imports)]
use super::*;

use crate::analysis::structure::{Step, Waterfall, signed};
use crate::model::Stage;

/// At most this many parts get a bar of their own; the rest are one 其他 bar.
const MAX_STEPS: usize = 12;

pub(super) fn section(
    ui: &mut egui::Ui,
    t: &Timeline,
    view: &mut EvolutionView,
    unit: MoneyUnit,
    palette: &Palette,
    capturing: bool,
    commands: &mut Vec<Command>,
) {
    ui.label(RichText::new("变动分解（瀑布图）").strong().size(15.0));
    let choices: Vec<(i32, Stage, String)> = t
        .points
        .iter()
        .filter(|p| p.breakdown(view.dimension).is_some())
        .map(|p| (p.year, p.stage, p.label()))
        .collect();
    if choices.len() < 2 {
        ui.label("少于两个年度公布此分组，无法分解变动。");
        return;
    }
    let Some((from, to)) = view.pair(t) else {
        return;
    };
    let label_of = |i: usize| t.points.get(i).map(TimePoint::label).unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        for (which, current) in [("起点", from), ("终点", to)] {
            let label = ui.label(format!("{which}："));
            egui::ComboBox::from_id_salt(("evolution_pair", which))
                .selected_text(label_of(current))
                .width(190.0)
                .show_ui(ui, |ui| {
                    for (y, s, text) in &choices {
                        let on = t
                            .points
                            .get(current)
                            .is_some_and(|p| p.year == *y && p.stage == *s);
                        if ui.selectable_label(on, text.as_str()).clicked() {
                            if which == "起点" {
                                view.from = Some((*y, *s));
                            } else {
                                view.to = Some((*y, *s));
                            }
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        }
    });
    view.refresh_waterfall(t);
    let Some(w) = view.waterfall().cloned() else {
        ui.label("所选两端没有可比的分组数据。");
        return;
    };
    if from == to {
        ui.label("起点与终点相同：请选择两个不同的年度或阶段。");
        return;
    }
    for n in &w.notes {
        let color = if n.contains("不同") || n.contains("仅公布") {
            palette.warn
        } else {
            palette.muted
        };
        ui.colored_label(color, n);
    }
    ui.label(RichText::new(headline(&w, unit)).strong());
    crate::ui::widgets::chart_section(
        ui,
        capturing,
        "变动分解",
        RichText::new(format!(
            "{} → {}（{}）",
            w.from_label,
            w.to_label,
            unit.label()
        )),
        commands,
        |ui| chart(ui, &w, view, unit, palette),
    );
}

/// `合计 321,163.15 → 298,448.00 万元（-22,715.15）；最大贡献：208 … -47,468.77、212 … +31,407.00`
pub fn headline(w: &Waterfall, unit: MoneyUnit) -> String {
    let change = w.end.checked_sub(w.start);
    let top: Vec<String> = w
        .steps
        .iter()
        .filter(|s| !s.delta.is_zero())
        .take(2)
        .map(|s| format!("{} {}", s.label, signed_amount(s.delta, unit)))
        .collect();
    format!(
        "合计 {} → {}（{}）；最大贡献：{}",
        amount(w.start, unit),
        format_money(w.end, unit),
        change.map_or_else(
            || crate::model::OUT_OF_RANGE.to_owned(),
            |c| signed_amount(c, unit)
        ),
        if top.is_empty() {
            "无变动".to_owned()
        } else {
            top.join("、")
        }
    )
}

fn signed_amount(wan: Decimal, unit: MoneyUnit) -> String {
    unit.from_wan(wan).map_or_else(
        || crate::model::OUT_OF_RANGE.to_owned(),
        |v| signed(v, unit.display_decimals()),
    )
}

/// The bars: (label, base, delta, key, step) from top to bottom.
struct Row<'a> {
    label: String,
    base: Decimal,
    delta: Decimal,
    key: Option<String>,
    step: Option<&'a Step>,
    total: bool,
}

/// `None` when a running sum cannot be held exactly.
fn rows(w: &Waterfall) -> Option<Vec<Row<'_>>> {
    let mut out = vec![Row {
        label: format!("{} 合计", w.from_label),
        base: Decimal::ZERO,
        delta: w.start,
        key: None,
        step: None,
        total: true,
    }];
    let mut running = w.start;
    let (big, rest) = w.steps.split_at(w.steps.len().min(MAX_STEPS));
    for s in big.iter().filter(|s| !s.delta.is_zero()) {
        out.push(Row {
            label: s.label.clone(),
            base: running,
            delta: s.delta,
            key: Some(s.key.clone()),
            step: Some(s),
            total: false,
        });
        running = running.checked_add(s.delta)?;
    }
    let rest_sum = crate::model::checked_sum(rest.iter().map(|s| s.delta))?;
    let rest_n = rest.iter().filter(|s| !s.delta.is_zero()).count();
    if rest_n > 0 {
        out.push(Row {
            label: format!("其他 {rest_n} 项"),
            base: running,
            delta: rest_sum,
            key: None,
            step: None,
            total: false,
        });
        running = running.checked_add(rest_sum)?;
    }
    if let Some(r) = w.residual {
        out.push(Row {
            label: "未细分".to_owned(),
            base: running,
            delta: r,
            key: None,
            step: None,
            total: false,
        });
    }
    out.push(Row {
        label: format!("{} 合计", w.to_label),
        base: Decimal::ZERO,
        delta: w.end,
        key: None,
        step: None,
        total: true,
    });
    Some(out)
}

fn hover(row: &Row<'_>, unit: MoneyUnit) -> String {
    let Some(s) = row.step else {
        return format!("{}：{}", row.label, format_money(row.delta, unit));
    };
    let side = |p: &Option<crate::analysis::structure::Part>| {
        p.as_ref().map_or_else(
            || "未公布（按 0）".to_owned(),
            |q| {
                format!(
                    "{}，占 {}（{}）",
                    format_money(q.figure.amount, unit),
                    q.share
                        .map_or_else(|| "—".to_owned(), |r| format_percent(r, 2)),
                    q.figure.describe_sources()
                )
            },
        )
    };
    format!(
        "{}：{}\n起点 {}\n终点 {}\n占比变动 {} 个百分点",
        s.label,
        signed_amount(s.delta, unit),
        side(&s.from),
        side(&s.to),
        s.share_change()
            .map_or_else(|| "—".to_owned(), |c| signed(c * Decimal::from(100), 2))
    )
}

fn chart(
    ui: &mut egui::Ui,
    w: &Waterfall,
    view: &mut EvolutionView,
    unit: MoneyUnit,
    palette: &Palette,
) {
    let Some(rows) = rows(w) else {
        ui.colored_label(palette.warn, "变动之和超出可精确表示的范围，未绘制");
        return;
    };
    let n = rows.len();
    // top to bottom: y = n − 1 … 0
    let y_of = |i: usize| (n - 1 - i) as f64;
    let mut bars = Vec::new();
    let mut targets = Vec::new();
    let mut max_x: f64 = 0.0;
    for (i, r) in rows.iter().enumerate() {
        let end = r.base.checked_add(r.delta).unwrap_or(r.base);
        let (a, b) = (unit.to_f64(r.base), unit.to_f64(end));
        max_x = max_x.max(a).max(b);
        let color = if r.total {
            palette.accent
        } else {
            theme::change_color(palette, r.delta)
        };
        bars.push(
            Bar::new(y_of(i), b - a)
                .base_offset(a)
                .width(0.62)
                .fill(color)
                .horizontal(),
        );
        let text = if r.total {
            format!("{}：{}", r.label, format_money(r.delta, unit))
        } else {
            format!("{}：{}", r.label, signed_amount(r.delta, unit))
        };
        targets.push(Target {
            min: [a.min(b), y_of(i) - 0.31],
            max: [a.max(b), y_of(i) + 0.31],
            label: text,
            hover: hover(r, unit),
            selected: r.key.is_some() && r.key == view.selected,
        });
    }
    let names: Vec<String> = rows.iter().rev().map(|r| r.label.clone()).collect();
    let labels: Vec<(f64, f64, String, bool)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let end = r.base.checked_add(r.delta).unwrap_or(r.base);
            let end = unit.to_f64(r.base).max(unit.to_f64(end));
            let text = if r.total {
                amount(r.delta, unit)
            } else {
                signed_amount(r.delta, unit)
            };
            (end, y_of(i), text, r.total)
        })
        .collect();
    let text_bg = ui.visuals().extreme_bg_color;
    let resp = crate::ui::widgets::fixed_plot("evolution_waterfall")
        .height((n as f32 * 26.0 + 50.0).max(180.0))
        .include_x(0.0)
        .include_x(max_x * 1.22)
        .show_grid([true, false])
        .x_grid_spacer(crate::ui::widgets::nice_spacer(5.0))
        .y_grid_spacer(category_marks(n))
        .custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .min_thickness(150.0)
                .formatter(crate::ui::widgets::category_names(names)),
        ])
        .x_axis_formatter(|mark, _| grouped(mark.value))
        .label_formatter(|_| None)
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(BarChart::new("变动", bars).allow_hover(false));
            for (x, y, text, total) in labels {
                crate::ui::widgets::bar_label(plot_ui, [x, y], &text, text_bg, total);
            }
        });
    let clicked = plot_targets(
        ui,
        "evolution_steps",
        &resp.transform,
        &targets,
        palette.accent,
    );
    if let Some(i) = clicked
        && let Some(r) = rows.get(i)
        && r.key.is_some()
    {
        view.selected = if view.selected == r.key {
            None
        } else {
            r.key.clone()
        };
    }
    ui.label(
        RichText::new("红色为增加、绿色为减少，蓝色为两端合计；点击某项在上表与堆积图中突出显示。")
            .color(palette.muted)
            .small(),
    );
}
