//! 分类钻取 view: functional 类 → 款 → 项 or economic 类 → 款, as a treemap or a sortable table,
//! with breadcrumb, back/forward, an explicit 未细分 remainder and the multi-year trend of the
//! node (or of a chosen code).

use std::cmp::Ordering;

use egui::RichText;
use egui_plot::{Legend, Line, PlotPoints, Points, VLine};
use rust_decimal::Decimal;

use crate::analysis::drill::{CodeTrend, DrillLine};
use crate::model::{Classification, Level, MoneyUnit, Nature, Stage, format_money, format_percent};
use crate::state::{AppData, AppState, Command, DrillData, DrillMode};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::{
    amount_text, cached_value, change_text, figure_label, fixed_plot, treemap, year_axis,
};

/// Sortable columns of the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    Code,
    Name,
    #[default]
    Amount,
    Budget,
    Final,
    Execution,
    Yoy,
}

impl SortBy {
    /// The column the table sorts by, in words.
    pub fn label(self) -> &'static str {
        match self {
            SortBy::Code => "编码",
            SortBy::Name => "名称",
            SortBy::Amount => "金额",
            SortBy::Budget => "预算",
            SortBy::Final => "决算",
            SortBy::Execution => "执行率",
            SortBy::Yoy => "同比",
        }
    }
}

/// Transient state of the view.
#[derive(Debug)]
pub struct DrillViewState {
    pub sort: SortBy,
    pub descending: bool,
    /// The code typed into the trend picker.
    pub code_input: String,
    pub code_error: Option<String>,
    /// Set by Ctrl+F: focus the code box on the next frame.
    pub focus_filter: bool,
}

impl Default for DrillViewState {
    fn default() -> Self {
        Self {
            sort: SortBy::Amount,
            descending: true,
            code_input: String::new(),
            code_error: None,
            focus_filter: false,
        }
    }
}

pub fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    view: &mut DrillViewState,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let unit = state.unit;
    egui::ScrollArea::vertical()
        .id_salt("drill_scroll")
        .show(ui, |ui| {
            let (Some(dep), Some(year), Some(stage)) = (&state.department, state.year, state.stage)
            else {
                ui.label("没有可显示的数据。");
                return;
            };
            ui.heading(format!(
                "{dep} · {year} 年{} · 分类钻取（{}）",
                stage.label(),
                unit.label()
            ));
            toolbar(ui, state, data, commands);
            let Some((_, d)) =
                cached_value(ui, &palette, &data.drill, "没有可显示的数据。", "钻取")
            else {
                return;
            };
            breadcrumb(ui, d, commands);
            summary(ui, d, unit, &palette);
            ui.add_space(4.0);
            if d.table.lines.is_empty() {
                ui.label(
                    if d.table.drill.parent.is_some() || d.query.parent.is_some() {
                        "此科目没有下级明细（或本年度未公布）。"
                    } else {
                        "本年度本阶段未公布此分类的支出明细。"
                    },
                );
            } else {
                match state.drill.mode {
                    DrillMode::Treemap => crate::ui::widgets::chart_section(
                        ui,
                        data.capture.is_some(),
                        "矩形树图",
                        RichText::new(format!("下级科目（面积 = 金额，{}）", unit.label()))
                            .strong(),
                        commands,
                        |ui| {
                            let mut clicked = Vec::new();
                            tree(ui, d, unit, &mut clicked);
                            clicked
                        },
                    )
                    .into_iter()
                    .for_each(|c| commands.push(c)),
                    DrillMode::Table => table(
                        ui,
                        d,
                        unit,
                        &palette,
                        view,
                        state.drill.trend_code.as_ref(),
                        commands,
                    ),
                }
            }
            ui.add_space(10.0);
            trend(ui, state, data, unit, &palette, view, commands);
        });
}

fn toolbar(ui: &mut egui::Ui, state: &AppState, data: &AppData, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("分类");
        for c in [Classification::Functional, Classification::Economic] {
            if ui
                .selectable_label(state.drill.classification == c, c.label())
                .clicked()
            {
                commands.push(Command::SetClassification(c));
            }
        }
        ui.separator();
        let label = ui.label("支出性质");
        egui::ComboBox::from_id_salt("支出性质")
            .selected_text(state.drill.nature.label())
            .width(90.0)
            .show_ui(ui, |ui| {
                for n in Nature::ALL {
                    if ui
                        .selectable_label(state.drill.nature == n, n.label())
                        .clicked()
                    {
                        commands.push(Command::SetNature(n));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        ui.separator();
        ui.label("显示");
        for m in [DrillMode::Treemap, DrillMode::Table] {
            if ui
                .selectable_label(state.drill.mode == m, m.label())
                .clicked()
            {
                commands.push(Command::SetDrillMode(m));
            }
        }
        ui.separator();
        let h = &data.drill_history;
        if ui
            .add_enabled(!h.back.is_empty(), egui::Button::new("后退"))
            .on_hover_text("回到上一个查看的层级（Alt+←）")
            .clicked()
        {
            commands.push(Command::DrillBack);
        }
        if ui
            .add_enabled(!h.forward.is_empty(), egui::Button::new("前进"))
            .on_hover_text("Alt+→")
            .clicked()
        {
            commands.push(Command::DrillForward);
        }
        ui.separator();
        crate::ui::widgets::export_button(ui, "分类钻取", commands);
    });
}

/// The label of the root crumb (the 类 level).
pub const ROOT_CRUMB: &str = "全部（类）";

fn breadcrumb(ui: &mut egui::Ui, d: &DrillData, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("位置：");
        let ancestors = &d.table.drill.ancestors;
        if ancestors.is_empty() {
            ui.label(RichText::new(ROOT_CRUMB).strong());
            return;
        }
        if ui.link(ROOT_CRUMB).clicked() {
            commands.push(Command::DrillTo(None));
        }
        let last = ancestors.len().saturating_sub(1);
        for (i, (code, name)) in ancestors.iter().enumerate() {
            ui.label("›");
            let text = format!("{code} {name}");
            if i == last {
                ui.label(RichText::new(text).strong());
            } else if ui.link(text).clicked() {
                commands.push(Command::DrillTo(Some(code.clone())));
            }
        }
    });
}

fn summary(ui: &mut egui::Ui, d: &DrillData, unit: MoneyUnit, palette: &Palette) {
    let drill = &d.table.drill;
    ui.horizontal_wrapped(|ui| {
        let name = if drill.ancestors.is_empty() {
            format!(
                "{}（{}）",
                drill.parent_name,
                d.query.classification.label()
            )
        } else {
            drill.parent_name.clone()
        };
        ui.label(RichText::new(name).strong().size(15.0));
        match &drill.parent {
            Some(p) => {
                let mut text = RichText::new(format_money(p.amount, unit))
                    .strong()
                    .size(15.0);
                if p.doubtful() {
                    text = RichText::new(format!("{} ※存疑", format_money(p.amount, unit)))
                        .strong()
                        .size(15.0)
                        .color(palette.warn);
                }
                ui.label(text).on_hover_text(p.describe_sources());
            }
            None => {
                ui.label("（未公布合计）");
            }
        }
        ui.separator();
        ui.label(format!(
            "资金来源：{} · 支出性质：{}",
            d.query.fund.label(),
            d.query.nature.label()
        ));
        if let Some(t) = &drill.table {
            ui.separator();
            ui.colored_label(palette.muted, format!("来源：{t}"));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "下级 {} 个，合计 {}",
            drill.rows.len(),
            format_money(drill.children_sum(), unit)
        ));
        if let Some(u) = drill.unallocated {
            ui.separator();
            let text = if u.is_sign_negative() {
                format!("下级合计超出上级 {}", format_money(-u, unit))
            } else {
                format!("未细分 {}", format_money(u, unit))
            };
            ui.colored_label(palette.warn, text)
                .on_hover_text("上级公布数与下级之和的差额，单列显示，不并入任何下级");
        }
    });
    for n in d.notes.iter().chain(&d.table.notes) {
        ui.colored_label(palette.muted, n);
    }
}

fn tile_hover(line: &DrillLine, unit: MoneyUnit) -> String {
    let r = &line.row;
    let mut s = format!(
        "{} {}\n金额 {}\n",
        r.code,
        r.name,
        format_money(r.figure.amount, unit)
    );
    if let Some(p) = r.share_of_parent {
        s.push_str(&format!("占上级 {}\n", format_percent(p, 2)));
    }
    if let Some(p) = r.share_of_total {
        s.push_str(&format!("占合计 {}\n", format_percent(p, 2)));
    }
    s.push_str(&format!("来源：{}\n", r.figure.describe_sources()));
    s.push_str(if r.has_children {
        "点击查看下级科目"
    } else {
        "点击查看历年趋势"
    });
    s
}

fn tree(ui: &mut egui::Ui, d: &DrillData, unit: MoneyUnit, commands: &mut Vec<Command>) {
    let mut tiles: Vec<treemap::Tile> = d
        .table
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| treemap::Tile {
            label: format!("{} {}", l.row.code, l.row.name),
            detail: vec![
                if l.row.figure.doubtful() {
                    format!("{} ※存疑", format_money(l.row.figure.amount, unit))
                } else {
                    format_money(l.row.figure.amount, unit)
                },
                l.row
                    .share_of_parent
                    .map(|s| format!("占上级 {}", format_percent(s, 1)))
                    .unwrap_or_default(),
            ],
            value: MoneyUnit::Wan.to_f64(l.row.figure.amount),
            fill: theme::code_color(l.row.code.as_str(), i),
            hover: tile_hover(l, unit),
            hatched: false,
        })
        .collect();
    if let Some(u) = d.table.drill.unallocated.filter(|u| u.is_sign_positive()) {
        tiles.push(treemap::Tile {
            label: "未细分".to_owned(),
            detail: vec![format_money(u, unit)],
            value: MoneyUnit::Wan.to_f64(u),
            fill: theme::UNALLOCATED,
            hover: format!(
                "未细分 {}\n上级公布数与下级之和的差额",
                format_money(u, unit)
            ),
            hatched: true,
        });
    }
    let size = egui::vec2(ui.available_width(), 380.0);
    if let Some(i) = treemap::show(ui, "drill_treemap", &tiles, size)
        && let Some(l) = d.table.lines.get(i)
    {
        commands.push(if l.row.has_children {
            Command::DrillTo(Some(l.row.code.clone()))
        } else {
            Command::ShowTrend(Some(l.row.code.clone()))
        });
    }
    ui.label(
        RichText::new("面积与金额成正比；很小的科目可能没有文字，悬停或切换到表格查看。").small(),
    );
}

fn cmp_opt(a: Option<Decimal>, b: Option<Decimal>) -> Ordering {
    // Missing values sort last in either direction (handled by the caller's reverse).
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}

/// The lines in the order the table shows them (its sort), also the export's order.
pub fn sorted<'a>(lines: &'a [DrillLine], view: &DrillViewState) -> Vec<&'a DrillLine> {
    let mut v: Vec<&DrillLine> = lines.iter().collect();
    v.sort_by(|a, b| {
        let o = match view.sort {
            SortBy::Code => a.row.code.cmp(&b.row.code),
            SortBy::Name => a.row.name.cmp(&b.row.name),
            SortBy::Amount => a.row.figure.amount.cmp(&b.row.figure.amount),
            SortBy::Budget => cmp_opt(a.budget, b.budget),
            SortBy::Final => cmp_opt(a.final_amount, b.final_amount),
            SortBy::Execution => cmp_opt(a.execution(), b.execution()),
            SortBy::Yoy => cmp_opt(a.yoy(), b.yoy()),
        };
        if view.descending { o.reverse() } else { o }
    });
    v
}

fn table(
    ui: &mut egui::Ui,
    d: &DrillData,
    unit: MoneyUnit,
    palette: &Palette,
    view: &mut DrillViewState,
    highlight: Option<&crate::model::Code>,
    commands: &mut Vec<Command>,
) {
    let t = &d.table;
    let budget_header = t
        .budget_stage
        .map_or_else(|| "预算".to_owned(), |s| s.label().to_owned());
    let yoy_header = t
        .previous_year
        .map_or_else(|| "同比".to_owned(), |y| format!("较 {y} 年"));
    let columns: [(SortBy, String); 9] = [
        (SortBy::Code, "编码".to_owned()),
        (SortBy::Name, "名称".to_owned()),
        (SortBy::Amount, format!("金额（{}）", unit.label())),
        (SortBy::Amount, "占上级".to_owned()),
        (SortBy::Amount, "占合计".to_owned()),
        (SortBy::Budget, budget_header),
        (SortBy::Final, "决算".to_owned()),
        (SortBy::Execution, "执行率".to_owned()),
        (SortBy::Yoy, yoy_header),
    ];
    egui::Grid::new("drill_table")
        .striped(true)
        .num_columns(10)
        .spacing(egui::vec2(14.0, 5.0))
        .show(ui, |ui| {
            for (i, (key, title)) in columns.iter().enumerate() {
                let active = view.sort == *key && !matches!(i, 3 | 4);
                let text = if active {
                    format!("{title} {}", if view.descending { "▼" } else { "▲" })
                } else {
                    title.clone()
                };
                if ui
                    .add(egui::Button::new(RichText::new(text).strong()).frame(false))
                    .on_hover_text("点击排序")
                    .clicked()
                {
                    if view.sort == *key {
                        view.descending = !view.descending;
                    } else {
                        view.sort = *key;
                        view.descending = !matches!(key, SortBy::Code | SortBy::Name);
                    }
                }
            }
            ui.label(RichText::new("趋势").strong());
            ui.end_row();
            let dash = || "—".to_owned();
            for l in sorted(&t.lines, view) {
                let r = &l.row;
                if highlight == Some(&r.code) {
                    ui.label(
                        RichText::new(format!("▶ {}", r.code))
                            .strong()
                            .color(palette.warn),
                    )
                    .on_hover_text("当前查看的科目（趋势见下方）");
                } else {
                    ui.label(r.code.as_str());
                }
                let name = format!("{} {}", r.code, r.name);
                if r.has_children {
                    if ui.link(&name).on_hover_text("点击查看下级科目").clicked() {
                        commands.push(Command::DrillTo(Some(r.code.clone())));
                    }
                } else {
                    ui.label(&name);
                }
                figure_label(ui, &r.figure, unit, false, palette);
                ui.label(
                    r.share_of_parent
                        .map_or_else(dash, |s| format_percent(s, 2)),
                );
                ui.label(r.share_of_total.map_or_else(dash, |s| format_percent(s, 2)));
                ui.label(l.budget.map_or_else(dash, |b| amount_text(b, unit)));
                ui.label(l.final_amount.map_or_else(dash, |b| amount_text(b, unit)));
                ui.label(l.execution().map_or_else(dash, |e| format_percent(e, 1)));
                let yoy = l.yoy();
                let color = match yoy {
                    Some(c) if c.is_sign_positive() && !c.is_zero() => palette.up,
                    Some(c) if c.is_sign_negative() => palette.down,
                    _ => ui.visuals().text_color(),
                };
                ui.colored_label(color, yoy.map_or_else(dash, change_text))
                    .on_hover_text(
                        l.previous
                            .map(|p| format!("上年 {}", format_money(p, unit)))
                            .unwrap_or_else(|| "上年无此科目或不可比".to_owned()),
                    );
                if ui
                    .small_button("趋势")
                    .on_hover_text(format!("查看 {name} 的历年预算与决算"))
                    .clicked()
                {
                    commands.push(Command::ShowTrend(Some(r.code.clone())));
                }
                ui.end_row();
            }
            if let Some(u) = t.drill.unallocated {
                ui.label("");
                ui.colored_label(palette.warn, "未细分")
                    .on_hover_text("上级公布数与下级之和的差额，如实列出");
                ui.colored_label(palette.warn, amount_text(u, unit));
                ui.end_row();
            }
            if let Some(p) = &t.drill.parent {
                ui.label("");
                ui.label(RichText::new(format!("合计：{}", t.drill.parent_name)).strong());
                figure_label(ui, p, unit, true, palette);
                ui.end_row();
            }
        });
    if d.query.classification == Classification::Functional
        && d.query
            .parent
            .as_ref()
            .is_some_and(|p| p.level() == Level::Kuan)
    {
        ui.add_space(4.0);
        ui.colored_label(
            palette.muted,
            "项目与科目：本数据集的项目自评未标注功能分类科目，无法按「项」列出项目；请在「分局执行」中按单位查看项目。",
        );
    }
}

fn trend(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    unit: MoneyUnit,
    palette: &Palette,
    view: &mut DrillViewState,
    commands: &mut Vec<Command>,
) {
    let Some((_, t)) = cached_value(ui, palette, &data.code_trend, "", "趋势") else {
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
    if t.points.is_empty() {
        ui.label("历年均未公布此科目。");
        return;
    }
    crate::ui::widgets::chart_section(
        ui,
        data.capture.is_some(),
        "历年趋势",
        RichText::new(format!("各年预算数与决算数（{}）", unit.label())).color(palette.muted),
        commands,
        |ui| trend_chart(ui, t, unit, palette),
    );
}

fn trend_chart(ui: &mut egui::Ui, t: &CodeTrend, unit: MoneyUnit, palette: &Palette) {
    let years: Vec<i32> = {
        let mut y: Vec<i32> = t.points.iter().map(|p| p.year).collect();
        y.dedup();
        y
    };
    let (min_y, max_y) = (
        years.first().copied().unwrap_or(0),
        years.last().copied().unwrap_or(0),
    );
    fixed_plot("code_trend")
        .height(230.0)
        .legend(Legend::default())
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
        .y_axis_formatter(|m, _| {
            crate::model::format_decimal_grouped(
                Decimal::from_f64_retain(m.value)
                    .unwrap_or_default()
                    .round(),
                0,
            )
        })
        .label_formatter(move |pos| match pos {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\n{} 年：{:.2} {}",
                position.x.round(),
                position.y,
                unit.label()
            )),
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
