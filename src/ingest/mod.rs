//! Readers that turn files into the canonical tables.

pub mod canonical;
