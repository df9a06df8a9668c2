//! The egui views. Views read the app's cached analysis results and return [`crate::state::Command`]s.

pub mod ask;
pub mod branches;
pub mod checks;
pub mod drill;
pub mod fonts;
pub mod overview;
pub mod progress;
pub mod sangong;
pub mod shell;
pub mod structure;
pub mod theme;
pub mod toasts;
pub mod views;
pub mod widgets;
