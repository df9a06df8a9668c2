//! A KPI card: title, big exact figure, secondary lines, and a tooltip with the sources.

use egui::{RichText, Sense};

use crate::ui::theme::Palette;

/// A secondary line of a card, coloured by meaning.
pub enum Line {
    Plain(String),
    Muted(String),
    Up(String),
    Down(String),
    Warn(String),
}

/// A KPI card of the overview: title, value and explanatory lines.
pub struct KpiCard<'a> {
    pub title: &'a str,
    pub value: String,
    pub lines: Vec<Line>,
    pub tooltip: String,
}

impl KpiCard<'_> {
    /// Draw the card at `width`; the whole card carries the title as its accessible label.
    pub fn show(self, ui: &mut egui::Ui, palette: &Palette, width: f32) -> egui::Response {
        let KpiCard {
            title,
            value,
            lines,
            tooltip,
        } = self;
        let frame = egui::Frame::new()
            .fill(palette.card_fill)
            .stroke(egui::Stroke::new(1.0, palette.card_stroke))
            .corner_radius(6.0)
            .inner_margin(egui::Margin::same(12));
        let inner = frame.show(ui, |ui| {
            ui.set_width(width - 26.0);
            ui.set_min_height(112.0);
            ui.vertical(|ui| {
                ui.label(RichText::new(title).color(palette.muted).size(14.0));
                ui.label(RichText::new(&value).size(24.0).strong());
                for line in &lines {
                    match line {
                        Line::Plain(t) => ui.label(t),
                        Line::Muted(t) => ui.label(RichText::new(t).color(palette.muted)),
                        Line::Up(t) => ui.label(RichText::new(t).color(palette.up)),
                        Line::Down(t) => ui.label(RichText::new(t).color(palette.down)),
                        Line::Warn(t) => ui.label(RichText::new(t).color(palette.warn)),
                    };
                }
            });
        });
        let response = ui.interact(
            inner.response.rect,
            ui.scope_id().with(("kpi", title)),
            Sense::hover(),
        );
        let label = format!("{title} {value}");
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, &label));
        response.on_hover_text(tooltip)
    }
}
