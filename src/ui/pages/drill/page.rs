//! The 分类钻取 view's state: the table of the node shown, the trend of a code, the back/forward
//! history, and the commands that move through the hierarchy.

use crate::analysis::drill::{self, CodeTrend, DrillQuery, DrillTable};
use crate::export::ExportTable;
use crate::model::Code;
use crate::state::{AppState, Command, Route, Slot, cache};
use crate::ui::pages::{DataContext, Page, ViewContext};

use super::{DrillViewState, ROOT_CRUMB};

/// The view's id.
pub const ROUTE: Route = Route::new("Drill");

/// A drill-down table with the query it was computed for (after fallbacks) and why it differs
/// from the requested one.
#[derive(Debug)]
pub struct DrillData {
    pub query: DrillQuery,
    pub notes: Vec<String>,
    pub table: DrillTable,
}

/// Back/forward history of the drill-down (transient).
#[derive(Debug, Default)]
pub struct DrillHistory {
    pub back: Vec<Option<Code>>,
    pub forward: Vec<Option<Code>>,
}

/// What the view computed and where it has been.
#[derive(Debug, Default)]
pub struct DrillResults {
    /// Keyed on the requested query.
    pub table: Slot<DrillQuery, DrillData>,
    /// Keyed on the resolved top-level query and the code.
    pub trend: Slot<(DrillQuery, Option<Code>), CodeTrend>,
    pub history: DrillHistory,
}

/// 分类钻取: functional 类 → 款 → 项 or economic 类 → 款.
#[derive(Default)]
pub struct DrillPage {
    pub results: DrillResults,
    pub view: DrillViewState,
}

/// The query the top bar and the persisted drill state ask for.
pub fn query(cx: &DataContext<'_>) -> DrillQuery {
    let sel = &cx.selection;
    DrillQuery {
        scope: cx
            .catalog
            .scope(&sel.department, sel.year)
            .unwrap_or_default(),
        department: sel.department.clone(),
        year: sel.year,
        stage: sel.stage,
        fund: cx.state.fund,
        classification: cx.state.drill.classification,
        nature: cx.state.drill.nature,
        parent: cx.state.drill.parent.clone(),
    }
}

impl DrillPage {
    /// The table of the node shown, if computed.
    pub fn data(&self) -> Option<&DrillData> {
        self.results.table.as_ref()?.value.as_ref().ok()
    }

    /// Show the children of `code`, recording the move in the back history.
    fn drill_to(&mut self, state: &mut AppState, code: Option<Code>) {
        let current = std::mem::replace(&mut state.drill.parent, code);
        if current != state.drill.parent {
            self.results.history.back.push(current);
            self.results.history.forward.clear();
        }
        state.drill.trend_code = None;
    }
}

impl Page for DrillPage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "分类钻取"
    }

    fn uses_fund(&self) -> bool {
        true
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        let q = query(cx);
        // The year → scope map is built only when a result must be recomputed.
        let (ds, catalog, key) = (cx.dataset.clone(), cx.catalog.clone(), q.clone());
        let mut n = cache(&mut self.results.table, q.clone(), cx.wait, move || {
            let ds = ds.department(&key.department)?;
            let (query, notes) = drill::resolve(&ds, &key)?;
            let scopes = catalog.year_scopes(&key.department);
            let table = drill::drill_table(&ds, &query, &scopes)?;
            Ok(DrillData {
                query,
                notes,
                table,
            })
        });
        let resolved = self.data().map_or(q, |d| d.query.clone());
        let code = cx
            .state
            .drill
            .trend_code
            .clone()
            .or_else(|| resolved.parent.clone());
        let top = DrillQuery {
            parent: None,
            ..resolved
        };
        let (ds, catalog) = (cx.dataset.clone(), cx.catalog.clone());
        let key = (top.clone(), code.clone());
        n += cache(&mut self.results.trend, key, cx.wait, move || {
            let scopes = catalog.year_scopes(&top.department);
            let ds = ds.department(&top.department)?;
            drill::code_trend_any_fund(&ds, &top, code.as_ref(), &scopes)
        });
        n
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        // Alt+← / Alt+→: back / forward
        let (back, forward) = ui.ctx().input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowLeft),
                i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowRight),
            )
        });
        if back {
            commands.push(Command::DrillBack);
        }
        if forward {
            commands.push(Command::DrillForward);
        }
        super::show(
            ui,
            cx.state,
            cx.data,
            &self.results,
            &mut self.view,
            &mut commands,
        );
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let d = self.data()?;
        let unit = cx.state.unit;
        let node = d
            .table
            .drill
            .ancestors
            .last()
            .map_or_else(|| ROOT_CRUMB.to_owned(), |(c, n)| format!("{c} {n}"));
        let view = &self.view;
        let filters = format!(
            "{} · 资金来源 {} · 支出性质 {} · 层级 {} · 金额单位 {} · 按{}{}排列",
            d.query.classification.label(),
            d.query.fund.label(),
            d.query.nature.label(),
            node,
            unit.label(),
            view.sort.label(),
            if view.descending { "降序" } else { "升序" }
        );
        let lines = super::sorted(&d.table.lines, view);
        let title = cx.export_title(self.label())?;
        Some(super::export::drill_table(
            &d.table, &lines, unit, title, filters,
        ))
    }

    fn handle(&mut self, command: &Command, state: &mut AppState) -> bool {
        let history = &mut self.results.history;
        match command {
            Command::DrillTo(code) => self.drill_to(state, code.clone()),
            Command::DrillBack => {
                if let Some(prev) = history.back.pop() {
                    let current = std::mem::replace(&mut state.drill.parent, prev);
                    history.forward.push(current);
                    state.drill.trend_code = None;
                }
            }
            Command::DrillForward => {
                if let Some(next) = history.forward.pop() {
                    let current = std::mem::replace(&mut state.drill.parent, next);
                    history.back.push(current);
                    state.drill.trend_code = None;
                }
            }
            Command::SetClassification(c) => {
                if state.drill.classification != *c {
                    state.drill.classification = *c;
                    state.drill.parent = None;
                    state.drill.trend_code = None;
                    *history = DrillHistory::default();
                }
            }
            Command::SetNature(n) => state.drill.nature = *n,
            Command::SetDrillMode(m) => state.drill.mode = *m,
            Command::ShowTrend(code) => state.drill.trend_code = code.clone(),
            _ => return false,
        }
        true
    }

    fn focus_filter(&mut self) {
        self.view.focus_filter = true;
    }

    fn busy(&self) -> bool {
        self.results.table.is_pending() || self.results.trend.is_pending()
    }

    fn clear_results(&mut self) {
        self.results = DrillResults::default();
    }
}
