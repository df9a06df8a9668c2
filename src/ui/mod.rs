//! The egui views. Views read the app's cached analysis results and return [`crate::app::Command`]s.

pub mod fonts;
pub mod overview;
pub mod shell;
pub mod theme;
pub mod widgets;
