//! Transient per-view state (not persisted): what the user is filtering, comparing, sorting.

use crate::ui::branches::BranchViewState;
use crate::ui::checks::ChecksViewState;
use crate::ui::drill::DrillViewState;

/// The transient state of the views that keep some (filters, sorting, comparisons).
#[derive(Default)]
pub struct ViewStates {
    pub branches: BranchViewState,
    pub drill: DrillViewState,
    pub checks: ChecksViewState,
    /// The 补充报告信息 form, while an import waits for facts its reports do not print.
    pub ask: Option<crate::state::ask::AskForm>,
}
