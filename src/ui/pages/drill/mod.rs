//! 分类钻取 view: functional 类 → 款 → 项 or economic 类 → 款, as a treemap or a sortable table,
//! with breadcrumb, back/forward, an explicit 未细分 remainder and the multi-year trend of the
//! node (or of a chosen code).

mod export;
mod page;
mod table;
mod trend;

pub use page::{DrillData, DrillHistory, DrillPage, DrillResults, ROUTE};

pub use table::sorted;
#[allow(clippy::wildcard_imports)]
use table::*;
#[allow(clippy::wildcard_imports)]
use trend::*;

use std::cmp::Ordering;

use egui::RichText;
use egui_plot::{Legend, Line, PlotPoints, Points, VLine};
use rust_decimal::Decimal;

use crate::analysis::drill::{CodeTrend, DrillLine};
use crate::model::{Classification, Level, MoneyUnit, Nature, Stage, format_money, format_percent};
use crate::state::{AppData, AppState, Command, DrillMode};
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

pub(super) fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    res: &DrillResults,
    view: &mut DrillViewState,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let unit = state.unit;
    egui::ScrollArea::vertical()
        .id_salt("drill_scroll")
        .show(ui, |ui| {
            let Some(crate::analysis::overview::Selection {
                department: dep,
                year,
                stage,
            }) = &state.selection
            else {
                ui.label("没有可显示的数据。");
                return;
            };
            ui.heading(format!(
                "{dep} · {year} 年{} · 分类钻取（{}）",
                stage.label(),
                unit.label()
            ));
            toolbar(ui, state, res, commands);
            let Some((_, d)) = cached_value(
                ui,
                &palette,
                res.table.as_ref(),
                "没有可显示的数据。",
                "钻取",
            ) else {
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
            trend(ui, state, data.capture.is_some(), res, view, commands);
        });
}

fn toolbar(ui: &mut egui::Ui, state: &AppState, res: &DrillResults, commands: &mut Vec<Command>) {
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
        let h = &res.history;
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
            drill.children_sum().map_or_else(
                || "超出可精确表示的范围".to_owned(),
                |s| format_money(s, unit)
            )
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
    if let Some(u) = d
        .table
        .drill
        .unallocated
        .filter(rust_decimal::Decimal::is_sign_positive)
    {
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
