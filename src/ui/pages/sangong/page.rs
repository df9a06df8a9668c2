//! The 三公经费 view's state: the department's 三公 trend, recomputed when the department changes.

use crate::analysis::sangong::{self, SangongTrend};
use crate::analysis::staff::{self, Staff};
use crate::export::ExportTable;
use crate::state::{Command, Route, Slot, cache};
use crate::ui::pages::{DataContext, Page, ViewContext};

/// The view's id.
pub const ROUTE: Route = Route::new("Sangong");

/// 三公经费: budget against actual per category and year.
#[derive(Default)]
pub struct SangongPage {
    /// Keyed on the department.
    pub result: Slot<String, SangongTrend>,
    /// The department's stated staff numbers (for 三公 per person).
    pub staff: Slot<String, Vec<Staff>>,
}

impl Page for SangongPage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "三公经费"
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        let department = &cx.selection.department;
        let (ds, d) = (cx.dataset.clone(), department.clone());
        let n = cache(&mut self.staff, department.clone(), cx.wait, move || {
            staff::staff(&ds.department(&d)?, &d)
        });
        let (ds, d) = (cx.dataset.clone(), department.clone());
        n + cache(&mut self.result, department.clone(), cx.wait, move || {
            sangong::sangong_trend(&ds.department(&d)?, &d)
        })
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let staff = self
            .staff
            .as_ref()
            .and_then(|c| c.value.as_ref().ok())
            .map_or(&[][..], Vec::as_slice);
        super::show(
            ui,
            cx.state,
            cx.data,
            self.result.as_ref(),
            staff,
            &mut commands,
        );
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let t = self.result.as_ref()?.value.as_ref().ok()?;
        let unit = cx.state.unit;
        let filters = format!("历年三公经费合计 · 金额单位 {}", unit.label());
        let title = cx.export_title(self.label())?;
        Some(super::export::sangong(t, unit, title, filters))
    }

    fn busy(&self) -> bool {
        self.result.is_pending() || self.staff.is_pending()
    }

    fn clear_results(&mut self) {
        self.result.clear();
        self.staff.clear();
    }
}
