//! Clickable, labelled regions over the elements of a plot (bars, dots): each is a button in the
//! accessibility tree with the element's own text, shows its tooltip and outline on hover, and
//! reports a click — so charts link to the rest of the app and can be used without a mouse.

/// One element of a plot, in plot coordinates.
pub struct Target {
    /// Lower-left and upper-right corners (plot coordinates).
    pub min: [f64; 2],
    pub max: [f64; 2],
    /// Accessible name: what a screen reader says and what tests click.
    pub label: String,
    /// Tooltip (amount with unit, scope, source …).
    pub hover: String,
    /// Drawn with a selection outline.
    pub selected: bool,
}

/// The smallest target edge in points (a thin bar or a dot stays easy to hit).
const MIN_EDGE: f32 = 8.0;

/// Lay the targets over a plot drawn with `transform`; returns the index of the clicked one.
pub fn plot_targets(
    ui: &mut egui::Ui,
    salt: &str,
    transform: &egui_plot::PlotTransform,
    targets: &[Target],
    outline: egui::Color32,
) -> Option<usize> {
    let frame = *transform.frame();
    let mut clicked = None;
    for (i, t) in targets.iter().enumerate() {
        let a = transform.position_from_point(&egui_plot::PlotPoint::new(t.min[0], t.min[1]));
        let b = transform.position_from_point(&egui_plot::PlotPoint::new(t.max[0], t.max[1]));
        let mut rect = egui::Rect::from_two_pos(a, b);
        if rect.width() < MIN_EDGE {
            rect = rect.expand2(egui::vec2((MIN_EDGE - rect.width()) / 2.0, 0.0));
        }
        if rect.height() < MIN_EDGE {
            rect = rect.expand2(egui::vec2(0.0, (MIN_EDGE - rect.height()) / 2.0));
        }
        let rect = rect.intersect(frame);
        if !rect.is_positive() {
            continue;
        }
        let id = ui.scope_id().with((salt, i));
        let resp = ui.interact(rect, id, egui::Sense::click());
        resp.widget_info(|| {
            let mut info = egui::WidgetInfo::labeled(egui::Role::Button, true, t.label.as_str());
            info.selected = Some(t.selected);
            info
        });
        if t.selected || resp.hovered() {
            ui.painter().rect_stroke(
                rect.expand(1.0),
                2.0,
                egui::Stroke::new(if t.selected { 2.5 } else { 1.5 }, outline),
                egui::StrokeKind::Outside,
            );
        }
        if resp.clicked() {
            clicked = Some(i);
        }
        resp.on_hover_text(t.hover.as_str());
    }
    clicked
}
