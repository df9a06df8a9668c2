//! Pure functions from a [`crate::dataset::Dataset`] to small typed results.
//!
//! Nothing here knows about the UI; views read these results from a cache.

pub mod branches;
pub mod checks;
pub mod compare;
pub mod drill;
pub mod figure;
pub mod frame;
pub mod identities;
pub mod overview;
pub mod quarterly;
pub mod sangong;
pub mod staff;
pub mod structure;
pub mod summary;
