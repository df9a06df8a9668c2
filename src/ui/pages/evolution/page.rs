//! The 结构变化 view's state: the department's timeline (cached per department and fund), the
//! dimension and display chosen, the two points of the waterfall and the selected part.

use crate::analysis::staff::{self, Staff};
use crate::analysis::structure::{self, Dimension, Timeline, Waterfall};
use crate::export::ExportTable;
use crate::model::{Fund, Stage};
use crate::state::{Cached, Command, Route, Slot, cache, cache_now};
use crate::ui::pages::{DataContext, Page, ViewContext};

/// The view's id.
pub const ROUTE: Route = Route::new("Evolution");

/// Amounts or shares in the stacked chart and the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Display {
    #[default]
    Share,
    Amount,
    /// Amounts per person (the year's stated staff number, same scope).
    PerPerson,
}

/// What the user chose in this view.
#[derive(Default)]
pub struct EvolutionView {
    pub dimension: Dimension,
    pub display: Display,
    /// The waterfall's two points (year, stage); `None` = the default pair of the dimension.
    pub from: Option<(i32, Stage)>,
    pub to: Option<(i32, Stage)>,
    /// The part selected by a click (highlighted in the chart, the table and the waterfall).
    pub selected: Option<String>,
    /// The waterfall of the last (department, fund, dimension, from, to) drawn.
    pub(super) waterfall: Option<Cached<WaterfallKey, Option<Waterfall>>>,
}

/// What a waterfall depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaterfallKey {
    pub department: String,
    pub fund: Fund,
    pub dimension: Dimension,
    pub from: usize,
    pub to: usize,
}

/// 结构变化: a department's structure across its years, and what changed it.
#[derive(Default)]
pub struct EvolutionPage {
    pub result: Slot<(String, Fund), Timeline>,
    /// The department's stated staff numbers.
    pub staff: Slot<String, Vec<Staff>>,
    pub view: EvolutionView,
}

impl EvolutionPage {
    /// The staff numbers computed (empty when none or not yet).
    pub fn staff_list(&self) -> &[Staff] {
        self.staff
            .as_ref()
            .and_then(|c| c.value.as_ref().ok())
            .map_or(&[], Vec::as_slice)
    }
}

impl EvolutionView {
    /// The waterfall's two points as indices into the timeline: the user's choice when the
    /// timeline has it for this dimension, else the dimension's default pair.
    pub fn pair(&self, t: &Timeline) -> Option<(usize, usize)> {
        let find = |p: Option<(i32, Stage)>| {
            let (y, s) = p?;
            t.points
                .iter()
                .position(|q| q.year == y && q.stage == s && q.breakdown(self.dimension).is_some())
        };
        let default = t.default_pair(self.dimension);
        let from = find(self.from).or(default.map(|d| d.0))?;
        let to = find(self.to).or(default.map(|d| d.1))?;
        Some((from, to))
    }

    /// The waterfall of the current choice, computed when the choice changed.
    pub fn refresh_waterfall(&mut self, t: &Timeline) {
        let Some((from, to)) = self.pair(t) else {
            self.waterfall = None;
            return;
        };
        let key = WaterfallKey {
            department: t.department.clone(),
            fund: t.fund,
            dimension: self.dimension,
            from,
            to,
        };
        cache_now(&mut self.waterfall, key, || {
            match (t.points.get(from), t.points.get(to)) {
                (Some(a), Some(b)) => structure::waterfall(a, b, self.dimension),
                _ => Ok(None),
            }
        });
    }

    /// The waterfall computed by the last [`Self::refresh_waterfall`].
    pub fn waterfall(&self) -> Option<&Waterfall> {
        self.waterfall.as_ref()?.value.as_ref().ok()?.as_ref()
    }
}

impl Page for EvolutionPage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "结构变化"
    }

    fn uses_fund(&self) -> bool {
        true
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        let key = (cx.selection.department.clone(), cx.state.fund);
        let (ds, d) = (cx.dataset.clone(), cx.selection.department.clone());
        let mut n = cache(&mut self.staff, d.clone(), cx.wait, move || {
            staff::staff(&ds.department(&d)?, &d)
        });
        let (ds, catalog, (d, fund)) = (cx.dataset.clone(), cx.catalog.clone(), key.clone());
        n += cache(&mut self.result, key, cx.wait, move || {
            structure::timeline(&ds.department(&d)?, &catalog, &d, fund)
        });
        if let Some(Ok(t)) = self.result.as_ref().map(|c| &c.value) {
            self.view.refresh_waterfall(t);
        }
        n
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        super::show(ui, cx, self, &mut commands);
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let t = self.result.as_ref()?.value.as_ref().ok()?;
        let unit = cx.state.unit;
        let title = format!(
            "{} · {} · {} · {}",
            cx.data.dataset.name,
            self.label(),
            t.department,
            self.view.dimension.label()
        );
        Some(super::export::table(
            t,
            &self.view,
            self.view.waterfall(),
            self.staff_list(),
            unit,
            title,
        ))
    }

    fn busy(&self) -> bool {
        self.result.is_pending() || self.staff.is_pending()
    }

    fn clear_results(&mut self) {
        self.result.clear();
        self.staff.clear();
        self.view.waterfall = None;
    }
}
