//! Transient per-view state (not persisted): what the user is filtering, comparing, sorting.

use crate::ui::branches::BranchViewState;

#[derive(Default)]
pub struct ViewStates {
    pub branches: BranchViewState,
}
