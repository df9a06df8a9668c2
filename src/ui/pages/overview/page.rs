//! The 总览 view's state: the overview of the selection, recomputed when it changes.

use crate::analysis::overview::{self, Overview, Selection};
use crate::export::ExportTable;
use crate::state::{Command, Route, Slot, cache};
use crate::ui::pages::{DataContext, Page, ViewContext};

/// The view's id.
pub const ROUTE: Route = Route::new("Overview");

/// 总览: KPI cards and the multi-year chart.
#[derive(Default)]
pub struct OverviewPage {
    pub result: Slot<Selection, Overview>,
}

impl Page for OverviewPage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "总览"
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        let sel = &cx.selection;
        let (ds, catalog, key) = (cx.dataset.clone(), cx.catalog.clone(), sel.clone());
        cache(&mut self.result, sel.clone(), cx.wait, move || {
            overview::overview(&ds.department(&key.department)?, &catalog, &key)
        })
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        super::show(ui, cx.state, cx.data, self.result.as_ref(), &mut commands);
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let ov = self.result.as_ref()?.value.as_ref().ok()?;
        let unit = cx.state.unit;
        let filters = format!(
            "口径 {} · 各指标与历年支出合计 · 金额单位 {}",
            ov.scope.as_deref().unwrap_or("—"),
            unit.label()
        );
        let title = cx.export_title(self.label())?;
        Some(super::export::overview(ov, unit, title, filters))
    }

    fn busy(&self) -> bool {
        self.result.is_pending()
    }

    fn clear_results(&mut self) {
        self.result.clear();
    }
}
