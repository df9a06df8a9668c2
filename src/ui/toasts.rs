//! Draws the notifications in the bottom-right corner, newest at the bottom.

use crate::state::Command;
use crate::state::toasts::{Level, Toasts};
use crate::ui::theme;

pub fn show(ctx: &egui::Context, toasts: &Toasts, dark: bool, commands: &mut Vec<Command>) {
    if toasts.items.is_empty() {
        return;
    }
    let palette = theme::palette(dark);
    egui::Area::new(egui::Id::unique("toasts"))
        .anchor(egui::Align2::RIGHT_BOTTOM, [-16.0, -16.0])
        .order(egui::Order::Foreground)
        .interactable(true)
        .show(ctx, |ui| {
            ui.set_max_width(460.0);
            for t in &toasts.items {
                let accent = match t.level {
                    Level::Success => palette.down,
                    Level::Notice(s) => palette.severity(s),
                };
                let frame = egui::Frame::popup(ui.style())
                    .stroke(egui::Stroke::new(1.5, accent))
                    .inner_margin(egui::Margin::symmetric(12, 8));
                let resp = frame
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.colored_label(accent, egui::RichText::new(t.level.label()).strong());
                            ui.add(egui::Label::new(&t.text).wrap());
                        });
                        ui.horizontal(|ui| {
                            if let Some((label, command)) = &t.action
                                && ui.small_button(label).clicked()
                            {
                                commands.push(command.clone());
                                commands.push(Command::DismissToast(t.id));
                            }
                            let close = ui.small_button("×").on_hover_text(
                                if t.level.lifetime().is_some() {
                                    "关闭通知（也会自动消失）"
                                } else {
                                    "关闭通知"
                                },
                            );
                            close.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, "关闭通知")
                            });
                            if close.clicked() {
                                commands.push(Command::DismissToast(t.id));
                            }
                        });
                    })
                    .response;
                if resp.contains_pointer() && t.level.lifetime().is_some() {
                    commands.push(Command::HoldToast(t.id));
                }
                ui.add_space(6.0);
            }
        });
}
