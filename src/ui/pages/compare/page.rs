//! The 部门对比 view's state: the ranking of (year, stage), recomputed on a worker when either
//! changes, and how the table is ordered and filtered.

use crate::analysis::compare::{self, DepartmentRow, Metric, Ranking};
use crate::export::ExportTable;
use crate::model::Stage;
use crate::state::{Command, Route, Slot, cache};
use crate::ui::pages::{DataContext, Page, ViewContext};
use rust_decimal::prelude::ToPrimitive;

/// The view's id.
pub const ROUTE: Route = Route::new("Compare");

/// How the table is ordered and filtered.
#[derive(Clone, Debug, Default)]
pub struct CompareView {
    pub sort: Metric,
    /// Smallest first (the default is largest first).
    pub ascending: bool,
    /// Only departments whose name contains this text.
    pub name_contains: String,
    /// Ctrl+F was pressed: focus the filter box on the next frame.
    pub focus_filter: bool,
    /// The year ranked, when chosen here (any year of the dataset); `None` follows the top bar.
    pub year: Option<i32>,
    /// The stage ranked, when chosen here; `None` follows the top bar.
    pub stage: Option<Stage>,
    /// The rows as drawn, kept from frame to frame (see [`CompareView::refresh_shown`]).
    pub shown: Shown,
}

/// What the table draws, derived from the ranking once per change of the ranking, the order or
/// the filter, not every frame.
#[derive(Clone, Debug, Default)]
pub struct Shown {
    /// (ranking year, stage, metric, ascending, filter) it was derived for.
    key: Option<(i32, Stage, Metric, bool, String)>,
    /// (rank in the whole ordering, index into the ranking's rows), in drawing order.
    pub rows: Vec<(usize, usize)>,
    /// How many departments have each metric, in [`Metric::ALL`] order.
    pub counts: Vec<usize>,
    /// The largest 支出合计 shown (万元, for the bars).
    pub max: f64,
}

impl CompareView {
    /// The rows as shown: ordered by the metric, filtered by name; with each row's rank in the
    /// whole ordering (a filter does not renumber).
    pub fn visible<'a>(&self, r: &'a Ranking) -> Vec<(usize, &'a DepartmentRow)> {
        self.visible_indices(r)
            .into_iter()
            .filter_map(|(rank, i)| Some((rank, r.rows.get(i)?)))
            .collect()
    }

    fn visible_indices(&self, r: &Ranking) -> Vec<(usize, usize)> {
        let needle = self.name_contains.trim();
        r.order(self.sort, self.ascending)
            .into_iter()
            .enumerate()
            .filter(|&(_, i)| {
                // a part of the name or pinyin initials (`sjj` 审计局)
                needle.is_empty()
                    || r.rows.get(i).is_some_and(|row| {
                        crate::ui::widgets::picker::matches(&row.department, needle)
                    })
            })
            .map(|(k, i)| (k + 1, i))
            .collect()
    }

    /// Bring [`Self::shown`] up to date with the ranking, order and filter; nothing to do when
    /// none changed (the case in almost every frame).
    pub fn refresh_shown(&mut self, r: &Ranking) {
        let key = (
            r.year,
            r.stage,
            self.sort,
            self.ascending,
            self.name_contains.trim().to_owned(),
        );
        if self.shown.key.as_ref() == Some(&key) {
            return;
        }
        let rows = self.visible_indices(r);
        let max = rows
            .iter()
            .filter_map(|&(_, i)| r.rows.get(i)?.expenditure.as_ref()?.amount.to_f64())
            .fold(0.0_f64, f64::max);
        self.shown = Shown {
            key: Some(key),
            counts: Metric::ALL.iter().map(|&m| r.count(m)).collect(),
            rows,
            max,
        };
    }

    /// Click on a column header: order by it, or turn the order round if it already is.
    pub fn sort_by(&mut self, metric: Metric) {
        if self.sort == metric {
            self.ascending = !self.ascending;
        } else {
            self.sort = metric;
            self.ascending = false;
        }
    }
}

/// 部门对比: the dataset's departments ranked side by side.
#[derive(Default)]
pub struct ComparePage {
    /// Keyed on (year, stage).
    pub result: Slot<(i32, Stage), Ranking>,
    pub view: CompareView,
}

impl Page for ComparePage {
    fn route(&self) -> Route {
        ROUTE
    }

    fn label(&self) -> &'static str {
        "部门对比"
    }

    fn refresh(&mut self, cx: &DataContext<'_>) -> u64 {
        let sel = &cx.selection;
        // the view's own year and stage if chosen, else the top bar's
        let year = self.view.year.unwrap_or(sel.year);
        let stage = self.view.stage.unwrap_or(sel.stage);
        let (ds, cat) = (cx.dataset.clone(), cx.catalog.clone());
        cache(&mut self.result, (year, stage), cx.wait, move || {
            compare::ranking(&ds, &cat, year, stage)
        })
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        super::show(
            ui,
            cx.state,
            &cx.data.catalog,
            self.result.as_ref(),
            &mut self.view,
            &mut commands,
        );
        commands
    }

    fn export(&self, cx: &ViewContext<'_>) -> Option<ExportTable> {
        let r = self.result.as_ref()?.value.as_ref().ok()?;
        let unit = cx.state.unit;
        let rows = self.view.visible(r);
        let mut filters = format!(
            "{} 年{} · 按{}{}排列 · 金额单位 {}",
            r.year,
            r.stage.label(),
            self.view.sort.label(),
            if self.view.ascending {
                "从小到大"
            } else {
                "从大到小"
            },
            unit.label()
        );
        if !self.view.name_contains.trim().is_empty() {
            filters.push_str(&format!(
                " · 部门名称或拼音首字母含「{}」（{} / {} 个部门）",
                self.view.name_contains.trim(),
                rows.len(),
                r.rows.len()
            ));
        }
        let title = format!(
            "{} · {} · {} 年{}",
            cx.data.dataset.name,
            self.label(),
            r.year,
            r.stage.label()
        );
        Some(super::export::ranking(&rows, r.stage, unit, title, filters))
    }

    fn busy(&self) -> bool {
        self.result.is_pending()
    }

    fn focus_filter(&mut self) {
        self.view.focus_filter = true;
    }

    fn clear_results(&mut self) {
        self.result.clear();
        // another dataset: its years may differ
        self.view.year = None;
        self.view.stage = None;
        self.view.shown = Shown::default();
    }
}
