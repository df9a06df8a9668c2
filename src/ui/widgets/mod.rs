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
