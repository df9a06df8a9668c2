//! A squarified treemap (Bruls, Huizing & van Wijk): tiles whose areas are proportional to their
//! values and whose aspect ratios stay close to 1. The layout is a small pure function, tested
//! below; the widget paints tiles and makes each one a labelled, clickable widget.
//!
//! No maintained egui treemap crate exists; the `treemap` crate on crates.io takes boxed trait
//! objects and has seen no release for years, so the 60 lines of layout live here.

use egui::{Color32, Rect, Sense, Vec2, pos2};

/// Lay out `values` (any order; zero and negative values get no tile) in `bounds`. Returns one
/// rectangle per value, `None` for values without a tile. Items are placed in descending order.
pub fn squarify(values: &[f64], bounds: Rect) -> Vec<Option<Rect>> {
    let mut out = vec![None; values.len()];
    let total: f64 = values.iter().filter(|v| **v > 0.0).sum();
    let area = f64::from(bounds.width()) * f64::from(bounds.height());
    if total <= 0.0 || area <= 0.0 {
        return out;
    }
    let mut order: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0.0)
        .map(|(i, v)| (i, v / total * area))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

    let mut free = bounds;
    let mut row: Vec<(usize, f64)> = Vec::new();
    for item in order {
        let side = f64::from(free.width().min(free.height()));
        let mut with = row.clone();
        with.push(item);
        if row.is_empty() || worst(&with, side) <= worst(&row, side) {
            row = with;
        } else {
            free = place(&row, free, &mut out);
            row = vec![item];
        }
    }
    if !row.is_empty() {
        place(&row, free, &mut out);
    }
    out
}

/// The worst aspect ratio of a row of areas laid along a side of length `side`.
fn worst(row: &[(usize, f64)], side: f64) -> f64 {
    let s: f64 = row.iter().map(|(_, a)| a).sum();
    if s <= 0.0 || side <= 0.0 {
        return f64::INFINITY;
    }
    let max = row.iter().map(|(_, a)| *a).fold(f64::MIN, f64::max);
    let min = row.iter().map(|(_, a)| *a).fold(f64::MAX, f64::min);
    let w2 = side * side;
    (w2 * max / (s * s)).max(s * s / (w2 * min))
}

/// Place a row along the shorter side of `free`; returns what is left of `free`.
fn place(row: &[(usize, f64)], free: Rect, out: &mut [Option<Rect>]) -> Rect {
    let s: f64 = row.iter().map(|(_, a)| a).sum();
    if free.width() >= free.height() {
        // A column on the left, items stacked top to bottom.
        let h = f64::from(free.height());
        let w = if h > 0.0 { s / h } else { 0.0 };
        let mut y = f64::from(free.min.y);
        for (i, a) in row {
            let ih = if w > 0.0 { a / w } else { 0.0 };
            if let Some(slot) = out.get_mut(*i) {
                *slot = Some(Rect::from_min_max(
                    pos2(free.min.x, y as f32),
                    pos2(free.min.x + w as f32, (y + ih) as f32),
                ));
            }
            y += ih;
        }
        Rect::from_min_max(pos2(free.min.x + w as f32, free.min.y), free.max)
    } else {
        // A row on top, items left to right.
        let wd = f64::from(free.width());
        let h = if wd > 0.0 { s / wd } else { 0.0 };
        let mut x = f64::from(free.min.x);
        for (i, a) in row {
            let iw = if h > 0.0 { a / h } else { 0.0 };
            if let Some(slot) = out.get_mut(*i) {
                *slot = Some(Rect::from_min_max(
                    pos2(x as f32, free.min.y),
                    pos2((x + iw) as f32, free.min.y + h as f32),
                ));
            }
            x += iw;
        }
        Rect::from_min_max(pos2(free.min.x, free.min.y + h as f32), free.max)
    }
}

/// One tile of the widget.
pub struct Tile {
    /// Accessible label and first text line, e.g. `208 社会保障和就业支出`.
    pub label: String,
    /// Further text lines (amount, share).
    pub detail: Vec<String>,
    pub value: f64,
    pub fill: Color32,
    /// Tooltip text (exact amounts and sources).
    pub hover: String,
    /// Drawn hatched (e.g. 未细分).
    pub hatched: bool,
}

/// Text colour readable on `fill`.
fn text_on(fill: Color32) -> Color32 {
    let [r, g, b, _] = fill.to_array();
    let luma = 0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b);
    if luma > 150.0 {
        crate::ui::theme::TEXT_ON_LIGHT
    } else {
        crate::ui::theme::TEXT_ON_DARK
    }
}

/// Draw the treemap in a `size` area; returns the index of the tile clicked this frame.
pub fn show(ui: &mut egui::Ui, id_salt: &str, tiles: &[Tile], size: Vec2) -> Option<usize> {
    let (bounds, _) = ui.allocate_exact_size(size, Sense::hover());
    let values: Vec<f64> = tiles.iter().map(|t| t.value).collect();
    let rects = squarify(&values, bounds);
    let mut clicked = None;
    let stroke_color = ui.visuals().extreme_bg_color;
    for (i, (tile, rect)) in tiles.iter().zip(rects).enumerate() {
        let Some(rect) = rect else { continue };
        let rect = rect.shrink(1.0);
        let id = ui.scope_id().with(id_salt).with(i);
        let resp = ui.interact(rect, id, Sense::click());
        resp.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, tile.label.clone())
        });
        let painter = ui.painter_at(rect);
        let fill = if resp.hovered() {
            tile.fill.gamma_multiply(0.85)
        } else {
            tile.fill
        };
        painter.rect_filled(rect, 3.0, fill);
        if tile.hatched {
            let step = 8.0;
            let mut x = rect.min.x - rect.height();
            let hatch = egui::Stroke::new(1.0, text_on(fill).gamma_multiply(0.25));
            while x < rect.max.x {
                painter.line_segment(
                    [pos2(x, rect.max.y), pos2(x + rect.height(), rect.min.y)],
                    hatch,
                );
                x += step;
            }
        }
        painter.rect_stroke(
            rect,
            3.0,
            egui::Stroke::new(1.0, stroke_color),
            egui::StrokeKind::Inside,
        );
        // Text only where it fits: the label, then details while room remains.
        let color = text_on(fill);
        let pad = 6.0;
        let inner = rect.shrink(pad);
        if inner.width() > 28.0 && inner.height() > 16.0 {
            let mut y = inner.min.y;
            let lines =
                std::iter::once((&tile.label, 14.0)).chain(tile.detail.iter().map(|d| (d, 12.5)));
            for (text, size) in lines {
                let galley = ui.painter().layout(
                    text.clone(),
                    egui::FontId::proportional(size),
                    color,
                    inner.width(),
                );
                if y + galley.size().y > inner.max.y {
                    break;
                }
                painter.galley(pos2(inner.min.x, y), galley.clone(), color);
                y += galley.size().y + 2.0;
            }
        }
        let resp = resp.on_hover_text(&tile.hover);
        if resp.clicked() {
            clicked = Some(i);
        }
    }
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(r: &Rect) -> f64 {
        f64::from(r.width()) * f64::from(r.height())
    }

    #[test]
    fn areas_are_proportional_and_tiles_fill_the_bounds() {
        // The example of the paper: 6×4 split into 6, 6, 4, 3, 2, 2, 1.
        let bounds = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(6.0, 4.0));
        let values = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0];
        let rects = squarify(&values, bounds);
        let mut sum = 0.0;
        for (v, r) in values.iter().zip(&rects) {
            let r = r.unwrap();
            assert!((area(&r) - v).abs() < 1e-3, "{v} → {r:?}");
            assert!(bounds.expand(1e-3).contains_rect(r));
            sum += area(&r);
        }
        assert!((sum - 24.0).abs() < 1e-3);
        // Squarified: the first two tiles are 3×2-ish, not thin slivers.
        let r0 = rects[0].unwrap();
        let aspect = r0.width().max(r0.height()) / r0.width().min(r0.height());
        assert!(aspect < 1.6, "aspect {aspect}");
    }

    #[test]
    fn tiles_do_not_overlap_and_skip_non_positive() {
        let bounds = Rect::from_min_size(pos2(10.0, 20.0), egui::vec2(800.0, 400.0));
        let values = [
            63_682.77, 0.0, 1.38, 42.26, 761.55, -0.01, 7_466.37, 249_078.0,
        ];
        let rects = squarify(&values, bounds);
        assert!(rects[1].is_none());
        assert!(rects[5].is_none());
        let placed: Vec<Rect> = rects.iter().flatten().copied().collect();
        assert_eq!(placed.len(), 6);
        for (i, a) in placed.iter().enumerate() {
            for b in placed.iter().skip(i + 1) {
                let overlap = a.intersect(*b);
                assert!(
                    overlap.width() <= 1e-2 || overlap.height() <= 1e-2,
                    "{a:?} overlaps {b:?}"
                );
            }
        }
        let total: f64 = placed.iter().map(area).sum();
        assert!((total - 320_000.0).abs() < 1.0, "{total}");
    }

    #[test]
    fn empty_or_zero_input() {
        let bounds = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(100.0, 100.0));
        assert!(squarify(&[], bounds).is_empty());
        assert_eq!(squarify(&[0.0, 0.0], bounds), vec![None, None]);
    }
}
