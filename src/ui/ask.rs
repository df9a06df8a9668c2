//! 补充报告信息: the form shown when an import stopped because a report does not print its
//! department, year or kind. Prefilled with the candidates the reader found; nothing is
//! imported until the user confirms (Esc or 取消 leaves the loaded data as it was).

use crate::model::Stage;
use crate::state::Command;
use crate::state::ask::AskForm;
use crate::ui::theme;

/// Draw the form (a modal over the window) for `form`, editing its answers in place.
/// `report` is the stopped import's report, shown folded under the questions.
pub fn show(
    ctx: &egui::Context,
    dark: bool,
    form: &mut AskForm,
    report: Option<&str>,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(dark);
    egui::Modal::new(egui::Id::unique("ask_facts")).show(ctx, |ui| {
        ui.set_max_width(620.0);
        ui.heading("补充报告信息");
        ui.label(
            "以下文件没有印出部门、年度或报告类型。请核对并填写（已按文中或文件名中出现的值预填）；\
             填写前不会导入任何数字，也不会按猜测的值存储。",
        );
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                for (i, entry) in form.entries.iter_mut().enumerate() {
                    ui.push_id(i, |ui| {
                        ui.strong(entry.name());
                        egui::Grid::new("facts")
                            .num_columns(2)
                            .spacing([12.0, 6.0])
                            .show(ui, |ui| {
                                if let Some(candidates) = &entry.missing.department {
                                    let label = ui.label("报告所属部门");
                                    ui.horizontal(|ui| {
                                        ui.add(
                                            egui::TextEdit::singleline(&mut entry.department)
                                                .hint_text("如：某市某某局")
                                                .desired_width(260.0),
                                        )
                                        .labelled_by(label.id);
                                        for c in candidates.iter().take(3) {
                                            if ui
                                                .small_button(c)
                                                .on_hover_text("取自文件名")
                                                .clicked()
                                            {
                                                entry.department.clone_from(c);
                                            }
                                        }
                                    });
                                    ui.end_row();
                                }
                                if let Some(candidates) = &entry.missing.year {
                                    let label = ui.label("报告年度");
                                    ui.horizontal(|ui| {
                                        ui.add(
                                            egui::TextEdit::singleline(&mut entry.year)
                                                .hint_text("如：2026")
                                                .desired_width(80.0),
                                        )
                                        .labelled_by(label.id);
                                        for y in candidates.iter().take(4) {
                                            let text = y.to_string();
                                            if ui
                                                .small_button(&text)
                                                .on_hover_text("文中或文件名中出现的年份")
                                                .clicked()
                                            {
                                                entry.year = text;
                                            }
                                        }
                                    });
                                    ui.end_row();
                                }
                                if entry.missing.stage.is_some() {
                                    ui.label("报告类型");
                                    ui.horizontal(|ui| {
                                        for (stage, text) in [
                                            (Stage::BudgetInitial, "部门预算"),
                                            (Stage::Final, "部门决算"),
                                        ] {
                                            ui.radio_value(&mut entry.stage, Some(stage), text);
                                        }
                                    });
                                    ui.end_row();
                                }
                            });
                        ui.add_space(6.0);
                    });
                }
            });
        ui.separator();
        let answers = form.answers();
        if let Err(problem) = &answers {
            ui.colored_label(palette.up, problem);
        }
        ui.horizontal(|ui| {
            let import = ui.add_enabled(answers.is_ok(), egui::Button::new("导入"));
            if import.clicked()
                && let Ok(facts) = answers
            {
                commands.push(Command::ImportWithFacts(facts));
            }
            if ui.button("取消").clicked() {
                commands.push(Command::CancelAsk);
            }
        });
        if let Some(report) = report {
            egui::CollapsingHeader::new("导入报告").show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("report")
                    .max_height(200.0)
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(egui::RichText::new(report).monospace()).wrap());
                    });
            });
        }
    });
    // Esc cancels (a click beside the form does not: the answers typed would be lost)
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) && commands.is_empty() {
        commands.push(Command::CancelAsk);
    }
}
