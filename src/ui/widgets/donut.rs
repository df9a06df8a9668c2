//! A donut chart with percentage labels and per-slice tooltips.

use std::f32::consts::TAU;

use egui::{Color32, Pos2, Sense, Shape, Stroke, Vec2, pos2, vec2};

/// One slice.
pub struct Slice {
    pub label: String,
    /// Drawing value (f64 for drawing only; the exact amount is in `hover`).
    pub value: f64,
    pub color: Color32,
    /// Tooltip: exact amount, share and source.
    pub hover: String,
}

fn point(center: Pos2, radius: f32, angle: f32) -> Pos2 {
    center + vec2(angle.cos(), angle.sin()) * radius
}

/// Draw a donut of outer diameter `size.y` (the width leaves room for the percentage labels),
/// with `center_text` in the hole.
pub fn show(ui: &mut egui::Ui, slices: &[Slice], size: Vec2, center_text: &str) {
    let (rect, resp) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(rect);
    let center = rect.center();
    let outer = (size.y / 2.0 - 22.0).max(10.0);
    let inner = outer * 0.58;
    let total: f64 = slices.iter().map(|s| s.value.max(0.0)).sum();
    let text_color = ui.visuals().text_color();
    if total <= 0.0 {
        painter.text(
            center,
            egui::Align2::CENTER_CENTER,
            "无数据",
            egui::FontId::proportional(14.0),
            text_color,
        );
        return;
    }
    let hover_pos = resp.hover_pos();
    let mut hovered: Option<&Slice> = None;
    let mut start = -TAU / 4.0;
    let bg = ui.visuals().panel_fill;
    for s in slices {
        if s.value <= 0.0 {
            continue;
        }
        let frac = (s.value / total) as f32;
        let sweep = frac * TAU;
        let end = start + sweep;
        let steps = ((sweep / TAU) * 96.0).ceil().max(2.0) as usize;
        let mut mesh = egui::Mesh::default();
        for k in 0..=steps {
            let a = start + sweep * (k as f32 / steps as f32);
            mesh.colored_vertex(point(center, outer, a), s.color);
            mesh.colored_vertex(point(center, inner, a), s.color);
        }
        for k in 0..steps {
            let i = u32::try_from(k * 2).unwrap_or(0);
            mesh.add_triangle(i, i + 1, i + 2);
            mesh.add_triangle(i + 1, i + 3, i + 2);
        }
        painter.add(Shape::mesh(mesh));
        painter.line_segment(
            [point(center, inner, start), point(center, outer, start)],
            Stroke::new(1.5, bg),
        );
        if let Some(p) = hover_pos {
            let d = p - center;
            let r = d.length();
            let mut a = d.y.atan2(d.x);
            while a < start {
                a += TAU;
            }
            if r >= inner && r <= outer && a < end {
                hovered = Some(s);
            }
        }
        if frac >= 0.03 {
            let mid = start + sweep / 2.0;
            let anchor = point(center, outer + 12.0, mid);
            let align = if mid.cos() >= 0.0 {
                egui::Align2::LEFT_CENTER
            } else {
                egui::Align2::RIGHT_CENTER
            };
            painter.text(
                anchor,
                align,
                format!("{:.1}%", frac * 100.0),
                egui::FontId::proportional(12.5),
                text_color,
            );
        }
        start = end;
    }
    painter.text(
        pos2(center.x, center.y),
        egui::Align2::CENTER_CENTER,
        center_text,
        egui::FontId::proportional(13.0),
        text_color,
    );
    if let Some(s) = hovered {
        resp.on_hover_text(format!("{}\n{}", s.label, s.hover));
    }
}
