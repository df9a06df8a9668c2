//! Reusable widgets.

pub mod kpi_card;

/// Grid marks at 0, 1, …, n−1 so a categorical axis labels every category.
pub fn category_marks(n: usize) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    move |_| {
        (0..n)
            .map(|i| egui_plot::GridMark {
                value: i as f64,
                step_size: 1.0,
            })
            .collect()
    }
}

/// A plot that shows data at a fixed scale: no zoom, drag or scroll (views compare figures, so
/// every chart keeps the scale it was drawn with).
pub fn fixed_plot<'a>(id: &str) -> egui_plot::Plot<'a> {
    egui_plot::Plot::new(id)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
}

/// Axis labels `2020 年` at the given years only.
pub fn year_axis(
    years: Vec<i32>,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let v = mark.value;
        if (v - v.round()).abs() < 1e-6 && years.contains(&(v.round() as i32)) {
            format!("{} 年", v.round() as i32)
        } else {
            String::new()
        }
    }
}
