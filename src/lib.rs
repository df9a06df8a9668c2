//! Fiscal Lens (部门财务透视): exact, traceable analysis of Chinese departmental finance
//! disclosures.
//!
//! Layers (each only uses the ones above it):
//! - [`model`]: domain types (stages, funds, codes, money units)
//! - [`ingest`]: readers that turn files into canonical tables
//! - [`dataset`]: the loaded polars frames with provenance and import log
//! - [`analysis`]: pure functions from a dataset to small typed results
//! - [`export`]: a view's table as exported, written as CSV or XLSX
//! - [`state`]: the app's state and data as the views read them, and the commands they return
//! - [`ui`]: the views (read [`state`], return commands); [`app`]: owns the state, runs the
//!   commands, draws the views

#![forbid(unsafe_code)]

pub mod analysis;
pub mod app;
pub mod dataset;
pub mod diag;
pub mod error;
pub mod export;
pub mod frame;
pub mod ingest;
pub mod model;
pub mod state;
pub mod synth;
pub mod ui;

pub use dataset::Dataset;
pub use error::{Error, Result};
