//! Readers that turn files into the canonical tables.

pub mod canonical;
pub mod report;
