//! The 分局执行 project table (sortable, filtered, virtualised) and the indicators of the project
//! selected.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn project_table(
    ui: &mut egui::Ui,
    r: &BranchReport,
    view: &mut BranchViewState,
    unit: MoneyUnit,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("项目明细").strong().size(15.0));
        crate::ui::widgets::export_button(ui, "分局执行项目", commands);
    });
    ui.horizontal_wrapped(|ui| {
        crate::ui::widgets::filter_box(
            ui,
            "项目名称包含",
            &mut view.name_contains,
            140.0,
            &mut view.focus_filter,
        );
        ui.separator();
        let rate_box = ui.checkbox(&mut view.rate_filter, "执行率低于");
        ui.add_enabled(
            view.rate_filter,
            egui::DragValue::new(&mut view.rate_below_pct)
                .range(0.0..=200.0)
                .suffix("%")
                .speed(1.0),
        )
        .labelled_by(rate_box.id);
        ui.separator();
        let score_box = ui.checkbox(&mut view.score_filter, "得分低于");
        ui.add_enabled(
            view.score_filter,
            egui::DragValue::new(&mut view.score_below)
                .range(0.0..=100.0)
                .speed(1.0),
        )
        .labelled_by(score_box.id);
        ui.separator();
        ui.add_enabled(
            !view.compare.is_empty(),
            egui::Checkbox::new(&mut view.only_compared, "只看所选单位"),
        );
    });
    view.refresh_visible(r);
    let shown = view.visible_rows().len();
    ui.label(
        RichText::new(format!("显示 {shown} / {} 个项目", r.projects.len())).color(palette.muted),
    );
    ui.horizontal_wrapped(|ui| {
        if let Some(u) = &view.top_unit {
            ui.colored_label(palette.warn, format!("只显示「{u}」的项目（顶部「单位」）"));
            if ui
                .small_button("显示全部单位")
                .on_hover_text("Esc")
                .clicked()
            {
                commands.push(Command::SetOrgUnit(None));
            }
        }
        if let Some(q) = view.quadrant {
            ui.colored_label(
                palette.warn,
                format!("只显示{}项目（{}）", q.label(), q.rule()),
            );
            if ui.small_button("取消").on_hover_text("Esc").clicked() {
                view.quadrant = None;
            }
        }
    });

    let widths = [
        70.0, 48.0, 300.0, 110.0, 110.0, 100.0, 70.0, 50.0, 80.0, 200.0,
    ];
    let headers = [
        SortKey::Unit,
        SortKey::Seq,
        SortKey::Name,
        SortKey::Budget,
        SortKey::Executed,
        SortKey::Unspent,
        SortKey::Rate,
        SortKey::Score,
    ];
    // header and rows scroll sideways together; the rows scroll down on their own
    egui::ScrollArea::horizontal()
        .id_salt("project_table_h")
        .auto_shrink([false, false])
        .show(ui, |ui| {
        ui.horizontal(|ui| {
            for (key, w) in headers.iter().zip(widths) {
                let arrow = if view.sort == *key {
                    if view.descending { " ▼" } else { " ▲" }
                } else {
                    ""
                };
                let resp = ui.add_sized(
                    [w, 22.0],
                    egui::Button::new(RichText::new(format!("{}{arrow}", key.label())).strong())
                        .frame(false),
                );
                if resp.on_hover_text("点击排序").clicked() {
                    if view.sort == *key {
                        view.descending = !view.descending;
                    } else {
                        view.sort = *key;
                        view.descending =
                            matches!(key, SortKey::Budget | SortKey::Executed | SortKey::Unspent);
                    }
                }
            }
            ui.add_sized(
                [widths[8], 22.0],
                egui::Label::new(RichText::new("标记").strong()),
            );
            ui.add_sized(
                [widths[9], 22.0],
                egui::Label::new(RichText::new("问题标签").strong()),
            );
        });
        ui.separator();
        // A click on a header changed the sort: refresh before drawing the rows (cheap otherwise).
        view.refresh_visible(r);
        let wanted = view.scroll_to.take();
        let visible = view.visible_rows();
        let row_h = 22.0;
        // a dot or a list row asked for a project: scroll it into view once
        let scroll_to = wanted.and_then(|id| {
            visible
                .iter()
                .position(|&k| r.projects.get(k).is_some_and(|p| p.project_id == id))
        });
        let spacing = ui.spacing().item_spacing.y;
        let mut area = egui::ScrollArea::both()
            .id_salt("project_rows")
            .auto_shrink([false, false]);
        if let Some(i) = scroll_to {
            area = area.vertical_scroll_offset(i as f32 * (row_h + spacing));
        }
        area.show_rows(ui, row_h, visible.len(), |ui, range| {
                for i in range {
                    let Some(p) = visible.get(i).and_then(|&k| r.projects.get(k)) else {
                        continue;
                    };
                    let selected = view.selected_project.as_deref() == Some(p.project_id.as_str());
                    let row = ui.horizontal(|ui| {
                        let cell = |ui: &mut egui::Ui, w: f32, text: RichText| {
                            ui.add_sized([w, row_h], egui::Label::new(text).truncate());
                        };
                        cell(ui, widths[0], RichText::new(&p.unit));
                        cell(ui, widths[1], RichText::new(p.seq.to_string()));
                        cell(ui, widths[2], RichText::new(p.display_name()));
                        for (w, v) in [
                            (widths[3], p.budget),
                            (widths[4], p.executed),
                            (widths[5], p.unspent()),
                        ] {
                            let text = v.map_or("—".to_owned(), |b| format_money(b, unit));
                            // ※ in the warning colour; the row's hover says why
                            if p.doubt.is_some() {
                                cell(ui, w, RichText::new(format!("{text} ※")).color(palette.warn));
                            } else {
                                cell(ui, w, RichText::new(text));
                            }
                        }
                        let rate = p.rate();
                        let rate_text = RichText::new(pct(rate));
                        // below a threshold needs attention: amber, bold below 60 %
                        let rate_text = if rate.is_some_and(|x| x < Decimal::new(6, 1)) {
                            rate_text.color(palette.warn).strong()
                        } else if rate.is_some_and(|x| x < Decimal::new(8, 1)) {
                            rate_text.color(palette.warn)
                        } else {
                            rate_text
                        };
                        cell(ui, widths[6], rate_text);
                        cell(
                            ui,
                            widths[7],
                            RichText::new(
                                p.score
                                    .map_or("—".to_owned(), |s| s.normalize().to_string()),
                            ),
                        );
                        cell(
                            ui,
                            widths[8],
                            RichText::new(p.quadrant().map_or("", Quadrant::label)).color(palette.warn),
                        );
                        cell(
                            ui,
                            widths[9],
                            RichText::new(p.reason_tags.join("、")).color(palette.muted),
                        );
                    });
                    let resp = ui.interact(
                        row.response.rect,
                        ui.make_persistent_id(("project_row", &p.project_id)),
                        Sense::click(),
                    );
                    if selected {
                        ui.painter().rect_stroke(
                            row.response.rect,
                            2.0,
                            egui::Stroke::new(1.5, palette.accent),
                            egui::StrokeKind::Inside,
                        );
                    }
                    // the row's hover covers its cells: it carries the ※ reason too
                    let doubt = p
                        .doubt
                        .as_ref()
                        .map_or_else(String::new, |why| format!("※ {why}\n"));
                    let hover = format!(
                        "{doubt}{}\n全年预算 {}，执行数 {}，未执行 {}，执行率 {}（公布 {}）\n来源：{}\n点击查看绩效指标",
                        p.display_name(),
                        p.budget
                            .map_or("—".to_owned(), |b| format_money(b, unit)),
                        p.executed
                            .map_or("—".to_owned(), |b| format_money(b, unit)),
                        p.unspent()
                            .map_or("—".to_owned(), |b| format_money(b, unit)),
                        pct(p.rate()),
                        pct(p.stated_rate),
                        p.source
                    );
                    if resp.on_hover_text(hover).clicked() {
                        commands.push(Command::SelectProject(if selected {
                            None
                        } else {
                            Some(p.project_id.clone())
                        }));
                    }
                }
            });
        });
}

pub(super) fn indicator_panel(
    ui: &mut egui::Ui,
    r: &BranchReport,
    indicators: Option<&Cached<String, Vec<IndicatorRow>>>,
    id: &str,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let Some(p) = r.projects.iter().find(|p| p.project_id == id) else {
        return;
    };
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("绩效指标：{}（{}）", p.display_name(), p.unit))
                .strong()
                .size(15.0),
        );
        if ui.button("关闭").clicked() {
            commands.push(Command::SelectProject(None));
        }
    });
    let rows = match indicators.filter(|c| c.key == id).map(|c| &c.value) {
        Some(Ok(rows)) => rows,
        Some(Err(e)) => {
            ui.colored_label(palette.up, e);
            return;
        }
        None => return,
    };
    if rows.is_empty() {
        ui.label(
            RichText::new(
                "该项目只公布了自评综述，没有逐项绩效指标（2021 年项目自评表有指标明细）。",
            )
            .color(palette.muted),
        );
        return;
    }
    egui::Grid::new("indicator_table")
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            header_row(
                ui,
                &[
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    "偏差说明",
                ],
            );
            for i in rows {
                ui.label(&i.level1);
                ui.label(&i.level2);
                ui.label(&i.indicator);
                ui.label(&i.target);
                ui.label(&i.actual);
                ui.label(
                    i.weight
                        .map_or("—".to_owned(), |w| w.normalize().to_string()),
                );
                let lost = matches!((i.weight, i.score), (Some(w), Some(s)) if s < w);
                let score = i
                    .score
                    .map_or("—".to_owned(), |s| s.normalize().to_string());
                if lost {
                    ui.label(RichText::new(score).color(palette.warn));
                } else {
                    ui.label(score);
                }
                ui.label(if i.has_deviation_note { "有" } else { "" });
                ui.end_row();
            }
        });
}
