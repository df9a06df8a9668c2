//! The 预算执行进度 view's state: the quarterly rows of (department, year).

use crate::analysis::quarterly::{self, QuarterRow};
use crate::export::ExportTable;
use crate::state::{Command, Route, Slot, cache};
use crate::ui::pages::{DataContext, Page, ViewContext};

/// The view's id.
pub const ROUTE: Route = Route::new("Progress");

/// Quarterly rows of one (department, year) plus the years that have any.
#[derive(Debug)]
pub struct QuarterData {
    pub years: Vec<i32>,
    pub rows: Vec<QuarterRow>,
}

/// 预算执行进度: cumulative execution per quarter against the time-elapsed benchmark.
#[derive(Default)]
pub struct ProgressPage {
    /// Keyed on (department, year).
    pub result: Slot<(String, i32), QuarterData>,
}

impl Page for ProgressPage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "预算执行进度"
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        let sel = &cx.selection;
        let (ds, department, year) = (cx.dataset.clone(), sel.department.clone(), sel.year);
        cache(
            &mut self.result,
            (sel.department.clone(), sel.year),
            cx.wait,
            move || {
                let ds = ds.department(&department)?;
                Ok(QuarterData {
                    years: quarterly::quarterly_years(&ds, &department)?,
                    rows: quarterly::quarterly(&ds, &department, year)?,
                })
            },
        )
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        super::show(ui, cx.state, cx.data, self.result.as_ref(), &mut commands);
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let q = self.result.as_ref()?.value.as_ref().ok()?;
        let unit = cx.state.unit;
        let filters = format!("累计执行进度与序时进度 · 金额单位 {}", unit.label());
        let title = cx.export_title(self.label())?;
        Some(super::export::quarterly(&q.rows, unit, title, filters))
    }

    fn busy(&self) -> bool {
        self.result.is_pending()
    }

    fn clear_results(&mut self) {
        self.result.clear();
    }
}
