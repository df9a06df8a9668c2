//! 部门对比 view: every department of the dataset for the selected year and stage, ranked by
//! 支出合计, its change, 三公经费 and control rate, project execution or the 人员经费 share, with
//! a sparkline of each department's 支出合计 and one click to the department's own views.

mod export;
mod page;

pub use page::{ComparePage, CompareView, ROUTE};

use egui::{Align, Layout, RichText, Sense};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::analysis::compare::{DepartmentRow, Metric, Ranking};
use crate::analysis::figure::Figure;
use crate::analysis::overview::Catalog;
use crate::model::{Fund, MoneyUnit, Stage, format_percent};
use crate::state::{AppState, Cached, Command, DepartmentView};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::{amount_text, cached_value, change_text, share_bar, sparkline};

const ROW_H: f32 = 24.0;

/// A column of the table.
struct Column {
    name: &'static str,
    /// The header in a narrow window (the full name is in its hover text).
    short: &'static str,
    wide: f32,
    narrow: f32,
    /// What a click on the header sorts by.
    metric: Option<Metric>,
}

const fn column(
    name: &'static str,
    short: &'static str,
    wide: f32,
    narrow: f32,
    metric: Option<Metric>,
) -> Column {
    Column {
        name,
        short,
        wide,
        narrow,
        metric,
    }
}

const COLUMNS: [Column; 10] = [
    column("排名", "排名", 44.0, 40.0, None),
    column("部门", "部门", 210.0, 130.0, None),
    column("口径", "口径", 64.0, 52.0, None),
    column(
        "支出合计",
        "支出合计",
        190.0,
        110.0,
        Some(Metric::Expenditure),
    ),
    column("历年支出", "历年", 96.0, 72.0, None),
    column("同比", "同比", 84.0, 70.0, Some(Metric::Change)),
    column("三公经费", "三公经费", 134.0, 100.0, Some(Metric::Sangong)),
    column("控制率", "控制率", 76.0, 68.0, Some(Metric::ControlRate)),
    column("项目执行率", "执行率", 92.0, 68.0, Some(Metric::Execution)),
    column(
        "人员经费占比",
        "人员占比",
        118.0,
        80.0,
        Some(Metric::PersonnelShare),
    ),
];

/// How the rows are drawn: the unit, colours, the largest 支出合计 shown (for the bars) and
/// whether the window is too narrow for the full columns (then no bars, shorter headers).
struct Style<'a> {
    unit: MoneyUnit,
    palette: &'a Palette,
    max: f64,
    narrow: bool,
}

impl Style<'_> {
    fn width(&self, i: usize) -> f32 {
        COLUMNS
            .get(i)
            .map_or(80.0, |c| if self.narrow { c.narrow } else { c.wide })
    }
}

/// A cell of fixed width; numbers right-aligned. Returns the label's response.
fn cell(ui: &mut egui::Ui, w: f32, text: RichText, right: bool, sense: Sense) -> egui::Response {
    let layout = if right {
        Layout::right_to_left(Align::Center)
    } else {
        Layout::left_to_right(Align::Center)
    };
    ui.allocate_ui_with_layout(egui::vec2(w, ROW_H), layout, |ui| {
        ui.set_min_size(egui::vec2(w, ROW_H));
        if right {
            // clear of the row's frame
            ui.add_space(4.0);
        }
        ui.add(egui::Label::new(text).truncate().sense(sense))
    })
    .inner
}

fn pct(v: Option<Decimal>) -> String {
    v.map_or_else(|| "—".to_owned(), |r| format_percent(r, 1))
}

/// An amount in the unit, `※` and the warning colour when its table is 存疑.
fn figure_text(f: Option<&Figure>, unit: MoneyUnit, palette: &Palette) -> RichText {
    match f {
        None => RichText::new("—").color(palette.muted),
        Some(f) if f.doubtful() => {
            RichText::new(format!("{} ※", amount_text(f.amount, unit))).color(palette.warn)
        }
        Some(f) => RichText::new(amount_text(f.amount, unit)),
    }
}

fn header(ui: &mut egui::Ui, view: &mut CompareView, style: &Style<'_>) {
    ui.horizontal(|ui| {
        for (i, c) in COLUMNS.iter().enumerate() {
            let w = style.width(i);
            let name = match (c.name, style.narrow) {
                ("支出合计" | "三公经费", false) => {
                    format!("{}（{}）", c.name, style.unit.label())
                }
                (_, true) => c.short.to_owned(),
                _ => c.name.to_owned(),
            };
            let Some(m) = c.metric else {
                cell(ui, w, RichText::new(name).strong(), false, Sense::hover())
                    .on_hover_text(c.name);
                continue;
            };
            let arrow = if view.sort == m {
                if view.ascending { " ▲" } else { " ▼" }
            } else {
                ""
            };
            let resp = cell(
                ui,
                w,
                RichText::new(format!("{name}{arrow}")).strong(),
                true,
                Sense::click(),
            );
            if resp
                .on_hover_text(format!(
                    "{}（{}）：{}\n点击按此列排序，再点击反向",
                    c.name,
                    style.unit.label(),
                    m.explain()
                ))
                .clicked()
            {
                view.sort_by(m);
            }
        }
    });
}

#[allow(clippy::too_many_lines)] // one table row: ten cells side by side
fn row(
    ui: &mut egui::Ui,
    (rank, r): (usize, &DepartmentRow),
    ranking: &Ranking,
    style: &Style<'_>,
    commands: &mut Vec<Command>,
) {
    let (unit, palette, max) = (style.unit, style.palette, style.max);
    let stage = ranking.stage;
    let open = |commands: &mut Vec<Command>, view| {
        commands.push(Command::OpenDepartment(r.department.clone(), view));
    };
    let w = |i: usize| style.width(i);
    cell(
        ui,
        w(0),
        RichText::new(rank.to_string()).color(palette.muted),
        true,
        Sense::hover(),
    );
    let name = cell(
        ui,
        w(1),
        RichText::new(&r.department).color(palette.accent),
        false,
        Sense::click(),
    );
    if name
        .on_hover_text(format!("打开「{}」的总览", r.department))
        .clicked()
    {
        open(commands, DepartmentView::Overview);
    }
    cell(
        ui,
        w(2),
        RichText::new(r.scope.as_deref().unwrap_or("—")).color(palette.muted),
        false,
        Sense::hover(),
    );
    // 支出合计: a bar against the largest shown, and the amount
    ui.allocate_ui_with_layout(
        egui::vec2(w(3), ROW_H),
        Layout::right_to_left(Align::Center),
        |ui| {
            ui.set_min_size(egui::vec2(w(3), ROW_H));
            let resp = ui.add(
                egui::Label::new(figure_text(r.expenditure.as_ref(), unit, palette)).truncate(),
            );
            if let Some(f) = &r.expenditure {
                resp.on_hover_text(f.describe_sources());
                if !style.narrow {
                    let v = f.amount.to_f64().unwrap_or(0.0);
                    let frac = if max > 0.0 { (v / max) as f32 } else { 0.0 };
                    share_bar(ui, frac, 56.0, theme::stage_color(stage));
                }
            } else {
                resp.on_hover_text(format!(
                    "{} 年{}未公布本年支出合计",
                    ranking.year,
                    stage.label()
                ));
            }
        },
    );
    let points: Vec<(i32, f64)> = r
        .trend
        .iter()
        .map(|&(y, a)| (y, a.to_f64().unwrap_or(0.0)))
        .collect();
    let spark = sparkline::sparkline(
        ui,
        &points,
        Some(ranking.year),
        egui::vec2(w(4), ROW_H),
        theme::stage_color(stage),
    );
    if !r.trend.is_empty() {
        let lines: Vec<String> = r
            .trend
            .iter()
            .map(|(y, a)| format!("{y} 年 {} {}", amount_text(*a, unit), unit.label()))
            .collect();
        spark.on_hover_text(format!(
            "历年{}支出合计\n{}",
            stage.label(),
            lines.join("\n")
        ));
    }
    // 同比: red up, green down (as everywhere); † when the previous year's 口径 differs
    let change = r.change();
    let differs = r.previous.as_ref().is_some_and(|p| p.2);
    let text = change.map_or_else(
        || RichText::new("—").color(palette.muted),
        |c| {
            let mut s = change_text(c);
            if differs {
                s.push_str(" †");
            }
            if r.doubtful_metric(Metric::Change) {
                s.push_str(" ※");
                return RichText::new(s).color(palette.warn);
            }
            let color = match c.cmp(&Decimal::ZERO) {
                std::cmp::Ordering::Greater => palette.up,
                std::cmp::Ordering::Less => palette.down,
                std::cmp::Ordering::Equal => palette.muted,
            };
            RichText::new(s).color(color)
        },
    );
    let resp = cell(ui, w(5), text, true, Sense::hover());
    if let Some((y, prev, _)) = &r.previous {
        let mut hover = format!("{y} 年 {} {}", amount_text(prev.amount, unit), unit.label());
        if differs {
            hover.push_str("\n† 上年口径不同，比较须谨慎");
        }
        resp.on_hover_text(hover);
    }
    // 三公 and its control rate: a click opens the department's 三公 view
    let sg = cell(
        ui,
        w(6),
        figure_text(r.sangong.as_ref(), unit, palette),
        true,
        Sense::click(),
    );
    let sg_hover = r.sangong.as_ref().map_or_else(
        || format!("{} 年未公布三公经费{}", ranking.year, stage.label()),
        Figure::describe_sources,
    );
    if sg
        .on_hover_text(format!("{sg_hover}\n点击打开三公经费"))
        .clicked()
    {
        open(commands, DepartmentView::Sangong);
    }
    let rate = r.control_rate(stage);
    let over = rate.is_some_and(|x| x > Decimal::ONE);
    let doubt = rate.is_some() && r.doubtful_metric(Metric::ControlRate);
    let text = RichText::new(format!("{}{}", pct(rate), if doubt { " ※" } else { "" }));
    let text = if over || doubt {
        text.color(palette.warn)
    } else {
        text
    };
    let resp = cell(ui, w(7), text, true, Sense::hover());
    if let Some(b) = &r.sangong_budget {
        let mut hover = format!("预算数 {} {}", amount_text(b.amount, unit), unit.label());
        if over {
            hover.push_str("（决算超过预算）");
        }
        if doubt {
            // which figure is doubtful, and why
            for f in [r.sangong.as_ref(), Some(b)].into_iter().flatten() {
                if f.doubtful() {
                    hover.push('\n');
                    hover.push_str(&f.describe_sources());
                }
            }
        }
        resp.on_hover_text(hover);
    }
    // project execution: amber below 80 %, bold below 60 % (as in 分局执行)
    let e = r.execution.as_ref();
    let rate = e.and_then(|e| e.rate);
    let text = RichText::new(pct(rate));
    let text = if rate.is_some_and(|x| x < Decimal::new(6, 1)) {
        text.color(palette.warn).strong()
    } else if rate.is_some_and(|x| x < Decimal::new(8, 1)) {
        text.color(palette.warn)
    } else {
        text
    };
    let ex = cell(ui, w(8), text, true, Sense::click());
    if let Some(e) = e {
        let hover = format!(
            "{} 个项目：执行数 {} / 全年预算 {} {}\n点击打开分局执行",
            e.projects,
            amount_text(e.executed, unit),
            amount_text(e.budget, unit),
            unit.label()
        );
        if ex.on_hover_text(hover).clicked() {
            open(commands, DepartmentView::Branches);
        }
    }
    let p = r.personnel.as_ref();
    let share = p.and_then(|p| p.share);
    let mut text = pct(share);
    if p.is_some_and(|p| p.fund != Fund::All) {
        text.push_str(" ‡");
    }
    let doubt = share.is_some() && r.doubtful_metric(Metric::PersonnelShare);
    if doubt {
        text.push_str(" ※");
    }
    let text = RichText::new(text);
    let text = if doubt {
        text.color(palette.warn)
    } else {
        text
    };
    let resp = cell(ui, w(9), text, true, Sense::hover());
    if let Some(p) = p {
        let fund = if p.fund == Fund::All {
            "全部资金"
        } else {
            "‡ 一般公共预算口径"
        };
        resp.on_hover_text(format!(
            "人员经费 {} {}（{fund}）\n{}",
            amount_text(p.figure.amount, unit),
            unit.label(),
            p.figure.describe_sources()
        ));
    }
}

/// The year and stage pickers: any year of the dataset, or the top bar's.
fn period(ui: &mut egui::Ui, state: &AppState, catalog: &Catalog, view: &mut CompareView) {
    let before = (view.year, view.stage);
    let top = state.selection();
    let label = ui.label("对比年度");
    let year_text = match (view.year, top.as_ref()) {
        (Some(y), _) => format!("{y} 年"),
        (None, Some(s)) => format!("跟随顶栏（{} 年）", s.year),
        (None, None) => "跟随顶栏".to_owned(),
    };
    egui::ComboBox::from_id_salt("compare_year")
        .selected_text(year_text)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut view.year, None, "跟随顶栏");
            // every year of the dataset (read only while the list is open)
            let years: std::collections::BTreeSet<i32> = catalog
                .departments()
                .flat_map(|d| catalog.years(d))
                .collect();
            for y in years.into_iter().rev() {
                ui.selectable_value(&mut view.year, Some(y), format!("{y} 年"));
            }
        })
        .response
        .labelled_by(label.id);
    let label = ui.label("对比阶段");
    let stage_text = match (view.stage, top.as_ref()) {
        (Some(s), _) => s.label().to_owned(),
        (None, Some(s)) => format!("跟随顶栏（{}）", s.stage.label()),
        (None, None) => "跟随顶栏".to_owned(),
    };
    egui::ComboBox::from_id_salt("compare_stage")
        .selected_text(stage_text)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut view.stage, None, "跟随顶栏");
            for s in Stage::ALL {
                ui.selectable_value(&mut view.stage, Some(s), s.label());
            }
        })
        .response
        .labelled_by(label.id);
    if (view.year, view.stage) != before {
        // the ranking of the new year is asked for at the start of the next frame
        ui.ctx().request_repaint();
    }
}

pub(super) fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    catalog: &Catalog,
    slot: Option<&Cached<(i32, Stage), Ranking>>,
    view: &mut CompareView,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let Some((_, ranking)) = cached_value(ui, &palette, slot, "没有部门数据。", "部门对比")
    else {
        return;
    };
    let unit = state.unit;
    let n = ranking.rows.len();
    ui.heading(format!(
        "部门对比 · {} 年{} · {n} 个部门",
        ranking.year,
        ranking.stage.label()
    ));
    ui.label(
        RichText::new(
            "同一年度、同一阶段各部门的数字并列，取数与总览相同。年度与阶段可在此另选（默认跟随顶栏）。点击部门名称打开其总览，点击三公经费或项目执行率打开对应视图；点击列标题排序。",
        )
        .color(palette.muted),
    );
    ui.horizontal_wrapped(|ui| {
        period(ui, state, catalog, view);
        ui.separator();
        crate::ui::widgets::filter_box(
            ui,
            "部门名称",
            &mut view.name_contains,
            160.0,
            &mut view.focus_filter,
        )
        .on_hover_text("名称的一部分或拼音首字母（如 xfj：信访局）");
        ui.separator();
        let label = ui.label("排序");
        egui::ComboBox::from_id_salt("compare_sort")
            .selected_text(view.sort.label())
            .show_ui(ui, |ui| {
                for m in Metric::ALL {
                    ui.selectable_value(&mut view.sort, m, m.label())
                        .on_hover_text(m.explain());
                }
            })
            .response
            .labelled_by(label.id);
        let dir = if view.ascending {
            "从小到大"
        } else {
            "从大到小"
        };
        if ui.button(dir).on_hover_text("点击反向排序").clicked() {
            view.ascending = !view.ascending;
        }
        crate::ui::widgets::export_button(ui, "部门对比", commands);
    });
    view.refresh_shown(ranking);
    let with = |m: Metric| {
        let i = Metric::ALL.iter().position(|&x| x == m);
        i.and_then(|i| view.shown.counts.get(i))
            .copied()
            .unwrap_or(0)
    };
    ui.label(
        RichText::new(format!(
            "金额单位：{}。有支出合计 {} / {n} 个部门，三公经费 {}，项目执行 {}，人员经费 {}。缺数的部门排在最后。※ 所在表存疑；† 上年口径不同；‡ 只公布一般公共预算人员经费，按该口径计算。",
            unit.label(),
            with(Metric::Expenditure),
            with(Metric::Sangong),
            with(Metric::Execution),
            with(Metric::PersonnelShare)
        ))
        .color(palette.muted),
    );
    if view.shown.rows.is_empty() {
        ui.label(format!(
            "没有名称或拼音首字母含「{}」的部门。",
            view.name_contains.trim()
        ));
        return;
    }
    ui.add_space(4.0);
    let max = view.shown.max;
    let current = state.selection().map(|s| s.department.clone());
    let spacing = ui.spacing().item_spacing.x;
    let full: f32 = COLUMNS.iter().map(|c| c.wide + spacing).sum();
    let style = Style {
        unit,
        palette: &palette,
        max,
        narrow: ui.available_width() < full,
    };
    // header and rows scroll sideways together; the rows scroll down on their own
    egui::ScrollArea::horizontal()
        .id_salt("compare_table_h")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            header(ui, view, &style);
            ui.separator();
            // a header click may have changed the order
            view.refresh_shown(ranking);
            let rows = &view.shown.rows;
            egui::ScrollArea::vertical()
                .id_salt("compare_rows")
                .auto_shrink([false, false])
                .show_rows(ui, ROW_H, rows.len(), |ui, range| {
                    for k in range {
                        let Some((rank, r)) = rows
                            .get(k)
                            .and_then(|&(rank, i)| Some((rank, ranking.rows.get(i)?)))
                        else {
                            continue;
                        };
                        let line = ui.horizontal(|ui| {
                            row(ui, (rank, r), ranking, &style, commands);
                        });
                        if current.as_deref() == Some(r.department.as_str()) {
                            ui.painter().rect_stroke(
                                line.response.rect,
                                2.0,
                                egui::Stroke::new(1.5, palette.accent),
                                egui::StrokeKind::Inside,
                            );
                        }
                    }
                });
        });
}
