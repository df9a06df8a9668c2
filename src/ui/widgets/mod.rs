//! Reusable widgets.

pub mod kpi_card;
