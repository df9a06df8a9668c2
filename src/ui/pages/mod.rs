//! The views. Each one owns itself in its folder: its transient state (filters, sorting), its
//! cached analysis results and when to recompute them ([`Page::refresh`]), how it draws
//! ([`Page::ui`], returning [`Command`]s) and the table it exports ([`Page::export`], built from
//! the rows it drew). [`registry`] lists them in navigation order: adding a view is one folder
//! plus one line there.

pub mod branches;
pub mod checks;
pub mod compare;
pub mod drill;
pub mod evolution;
pub mod overview;
pub mod progress;
pub mod sangong;
pub mod structure;

use std::any::Any;
use std::sync::Arc;

use crate::analysis::overview::{Catalog, Selection};
use crate::dataset::Dataset;
use crate::export::ExportTable;
use crate::state::{AppData, AppState, Command, Route};

/// What a view may read to recompute its results.
pub struct DataContext<'a> {
    pub dataset: &'a Arc<Dataset>,
    pub catalog: &'a Arc<Catalog>,
    /// How long a frame waits for an analysis result (see [`crate::state::cache`]).
    pub wait: std::time::Duration,
    pub state: &'a AppState,
    /// The top bar's selection (valid for the dataset).
    pub selection: Selection,
}

/// What a view may read while drawing or exporting.
pub struct ViewContext<'a> {
    pub state: &'a AppState,
    pub data: &'a AppData,
}

impl ViewContext<'_> {
    /// `数据集 · 视图 · 部门 · 年 阶段`: the first line of every export.
    pub fn export_title(&self, view: &str) -> Option<String> {
        let sel = self.state.selection()?;
        Some(format!(
            "{} · {view} · {} · {} 年{}",
            self.data.dataset.name,
            sel.department,
            sel.year,
            sel.stage.label()
        ))
    }
}

/// Access to the concrete view behind a `dyn Page` (for the app and tests); every `'static` type
/// has it.
pub trait AsAny: Any {
    /// The concrete view.
    fn as_any(&self) -> &dyn Any;
    /// The concrete view, mutably.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A view of the dashboard.
pub trait Page: AsAny {
    /// Its id (persisted, named by [`Command::Navigate`]).
    fn route(&self) -> Route;
    /// Its name in the navigation and in export titles.
    fn label(&self) -> &'static str;
    /// Whether the top bar's 资金来源 filter applies to it.
    fn uses_fund(&self) -> bool {
        false
    }
    /// Whether it shows figures per 单位 itself (otherwise a chosen 单位 without figures of its
    /// own is noted above it).
    fn per_unit(&self) -> bool {
        false
    }
    /// Recompute the cached results whose inputs changed; cheap (key comparisons) when nothing
    /// did, so it runs every frame. Returns how many results were computed.
    fn refresh(&mut self, cx: &DataContext<'_>) -> u64;
    /// Whether a result is being computed on a worker (the previous one is shown meanwhile).
    fn busy(&self) -> bool;
    /// Draw the view; returns what the user asked for.
    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command>;
    /// The table as drawn (sorted, filtered, both sides of a comparison), if it shows one.
    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable>;
    /// Carry out a command that concerns this view's own state (and the persisted state it
    /// owns); returns whether it did.
    fn handle(&mut self, _command: &Command, _state: &mut AppState) -> bool {
        false
    }
    /// Ctrl+F: focus the view's filter box, if it has one.
    fn focus_filter(&mut self) {}
    /// Drop every cached result (the active dataset changed).
    fn clear_results(&mut self);
}

/// Every view, in navigation order.
pub fn registry() -> Vec<Box<dyn Page>> {
    vec![
        Box::new(overview::OverviewPage::default()),
        Box::new(compare::ComparePage::default()),
        Box::new(structure::StructurePage::default()),
        Box::new(evolution::EvolutionPage::default()),
        Box::new(drill::DrillPage::default()),
        Box::new(sangong::SangongPage::default()),
        Box::new(branches::BranchesPage::default()),
        Box::new(progress::ProgressPage::default()),
        Box::new(checks::ChecksPage::default()),
    ]
}

/// The views of a running app, with typed access for the app and tests.
pub struct Pages {
    pub pages: Vec<Box<dyn Page>>,
}

impl Default for Pages {
    fn default() -> Self {
        Self { pages: registry() }
    }
}

impl Pages {
    /// The view with this id, or the first one (an unknown or empty id); `None` only if the
    /// registry is empty.
    pub fn current(&self, route: &Route) -> Option<&dyn Page> {
        let i = self.index(route);
        self.pages.get(i).map(AsRef::as_ref)
    }

    /// The view with this id (or the first), mutably.
    pub fn current_mut(&mut self, route: &Route) -> Option<&mut dyn Page> {
        let i = self.index(route);
        self.pages.get_mut(i).map(AsMut::as_mut)
    }

    /// The id of the first view (the default).
    pub fn first_route(&self) -> Route {
        self.pages.first().map(|p| p.route()).unwrap_or_default()
    }

    /// Whether a view has this id.
    pub fn knows(&self, route: &Route) -> bool {
        self.pages.iter().any(|p| p.route() == *route)
    }

    fn index(&self, route: &Route) -> usize {
        self.pages
            .iter()
            .position(|p| p.route() == *route)
            .unwrap_or(0)
    }

    /// The view of type `P`.
    pub fn get<P: Page>(&self) -> Option<&P> {
        // through the trait object (a Box is itself `Any`, and would downcast to nothing)
        self.pages
            .iter()
            .find_map(|p| AsAny::as_any(p.as_ref()).downcast_ref())
    }

    /// The view of type `P`, mutably.
    pub fn get_mut<P: Page>(&mut self) -> Option<&mut P> {
        self.pages
            .iter_mut()
            .find_map(|p| AsAny::as_any_mut(p.as_mut()).downcast_mut())
    }

    /// Offer a command to every view; returns whether one carried it out.
    pub fn handle(&mut self, command: &Command, state: &mut AppState) -> bool {
        self.pages.iter_mut().any(|p| p.handle(command, state))
    }

    /// Drop every view's cached results.
    pub fn clear_results(&mut self) {
        for p in &mut self.pages {
            p.clear_results();
        }
    }
}
