//! A sparkline: a small line of yearly values, drawn with the painter (no plot, no interaction
//! beyond hover), for tables with one trend per row.

use egui::{Color32, Pos2, Sense, Stroke, vec2};

/// Draw `points` (year, value), oldest first, in a `size` box; the point of `mark` (the selected
/// year) gets a dot. Values are scaled between their own minimum and maximum, so the line shows
/// the shape of the trend, not its level. Returns the hover response.
pub fn sparkline(
    ui: &mut egui::Ui,
    points: &[(i32, f64)],
    mark: Option<i32>,
    size: egui::Vec2,
    color: Color32,
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    if !ui.is_rect_visible(rect) || points.is_empty() {
        return response;
    }
    let rect = rect.shrink2(vec2(3.0, 3.0));
    let (first, last) = match (points.first(), points.last()) {
        (Some(f), Some(l)) => (f.0, l.0),
        _ => return response,
    };
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, v)| {
            (lo.min(v), hi.max(v))
        });
    let span_x = f64::from((last - first).max(1));
    let span_y = if hi > lo { hi - lo } else { 1.0 };
    let at = |year: i32, v: f64| -> Pos2 {
        let fx = f64::from(year - first) / span_x;
        let fy = if hi > lo { (v - lo) / span_y } else { 0.5 };
        Pos2::new(
            rect.left() + rect.width() * fx as f32,
            rect.bottom() - rect.height() * fy as f32,
        )
    };
    let line: Vec<Pos2> = points.iter().map(|&(y, v)| at(y, v)).collect();
    let painter = ui.painter_at(rect.expand(3.0));
    if let [only] = line.as_slice() {
        painter.circle_filled(*only, 2.5, color);
    } else {
        painter.add(egui::Shape::line(line, Stroke::new(1.5, color)));
    }
    if let Some((y, v)) = mark.and_then(|m| points.iter().find(|p| p.0 == m)) {
        painter.circle_filled(at(*y, *v), 3.0, color);
    }
    response
}
