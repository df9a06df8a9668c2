//! The 收支结构 view's state: the structure of the selection (with its counterpart stage and
//! previous year) and, in compare mode, of the compared selection.

use crate::analysis::overview::Selection;
use crate::analysis::structure::{self, Structure, StructureReport};
use crate::export::ExportTable;
use crate::model::Fund;
use crate::state::{Command, Route, Slot, cache};
use crate::ui::pages::{DataContext, Page, ViewContext};

/// The view's id.
pub const ROUTE: Route = Route::new("Structure");

/// 收支结构: revenue and expenditure breakdowns, alone or compared.
#[derive(Default)]
pub struct StructurePage {
    pub result: Slot<(Selection, Fund), StructureReport>,
    /// The compared selection's structure (compare mode only).
    pub compared: Slot<(Selection, Fund), Structure>,
}

impl Page for StructurePage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "收支结构"
    }

    fn uses_fund(&self) -> bool {
        true
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        let (sel, fund) = (&cx.selection, cx.state.fund);
        let (ds, catalog, key) = (cx.dataset.clone(), cx.catalog.clone(), sel.clone());
        let mut n = cache(&mut self.result, (sel.clone(), fund), cx.wait, move || {
            let ds = ds.department(&key.department)?;
            structure::structure_report(&ds, &catalog, &key, fund)
        });
        match &cx.state.compare {
            Some(other) => {
                let (ds, catalog, key) = (cx.dataset.clone(), cx.catalog.clone(), other.clone());
                n += cache(
                    &mut self.compared,
                    (other.clone(), fund),
                    cx.wait,
                    move || {
                        structure::structure(&ds.department(&key.department)?, &catalog, &key, fund)
                    },
                );
            }
            None => self.compared.clear(),
        }
        n
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        super::show(ui, cx, self, &mut commands);
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let r = self.result.as_ref()?.value.as_ref().ok()?;
        let unit = cx.state.unit;
        let filters = format!(
            "口径 {} · 资金来源 {} · 金额单位 {}",
            r.main.scope.as_deref().unwrap_or("—"),
            r.main.fund.label(),
            unit.label()
        );
        let title = cx.export_title(self.label())?;
        // compare mode: both sides, as drawn side by side
        let compared = cx
            .state
            .compare
            .as_ref()
            .and_then(|_| self.compared.as_ref()?.value.as_ref().ok());
        Some(match compared {
            Some(other) => super::export::structure_compare(
                &r.main,
                other,
                unit,
                title,
                format!("{filters} · 对比两组并列"),
            ),
            None => super::export::structure(r, unit, title, filters),
        })
    }

    fn busy(&self) -> bool {
        self.result.is_pending() || self.compared.is_pending()
    }

    fn clear_results(&mut self) {
        self.result.clear();
        self.compared.clear();
    }
}
