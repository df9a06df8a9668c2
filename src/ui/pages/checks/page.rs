//! The 审计检查 view's state: the findings of the active dataset and the view's filters.

use crate::analysis::checks::{self, Finding};
use crate::export::ExportTable;
use crate::state::{Command, Route, Slot, cache};
use crate::ui::pages::{DataContext, Page, ViewContext};

use super::ChecksViewState;

/// The view's id.
pub const ROUTE: Route = Route::new("Checks");

/// 审计检查: every rule's findings over the whole dataset.
#[derive(Default)]
pub struct ChecksPage {
    /// Keyed on the dataset's generation (a new dataset is checked again).
    pub result: Slot<u64, Vec<Finding>>,
    pub view: ChecksViewState,
}

impl Page for ChecksPage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "审计检查"
    }

    fn per_unit(&self) -> bool {
        true
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        // results are dropped when the dataset changes (clear_results), so one key suffices
        let ds = cx.dataset.clone();
        cache(&mut self.result, 0, cx.wait, move || checks::check(&ds))
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        super::show(
            ui,
            cx.state,
            cx.data,
            self.result.as_ref(),
            &mut self.view,
            &mut commands,
        );
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let fs = self.result.as_ref()?.value.as_ref().ok()?;
        let unit = cx.state.unit;
        let (department, year) = (cx.state.department(), cx.state.year());
        let shown: Vec<Finding> = self
            .view
            .visible(fs, department, year)
            .into_iter()
            .flat_map(|(_, fs)| fs.into_iter().cloned())
            .collect();
        let filters = format!(
            "{} · 金额单位 {}",
            self.view.describe(department, year),
            unit.label()
        );
        let title = cx.export_title(self.label())?;
        Some(super::export::findings(&shown, unit, title, filters))
    }

    fn busy(&self) -> bool {
        self.result.is_pending()
    }

    fn clear_results(&mut self) {
        self.result.clear();
    }
}
