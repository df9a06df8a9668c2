//! The drill-down as a sortable table (the export follows the same order).

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn cmp_opt(a: Option<Decimal>, b: Option<Decimal>) -> Ordering {
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

pub(super) fn table(
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
                    .on_hover_text(l.previous.map_or_else(
                        || "上年无此科目或不可比".to_owned(),
                        |p| format!("上年 {}", format_money(p, unit)),
                    ));
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
