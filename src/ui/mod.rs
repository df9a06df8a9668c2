//! The egui side: the window's chrome ([`shell`]), the views ([`pages`], each owning its state,
//! results and export), widgets and theme. Views read [`crate::state`] and return
//! [`crate::state::Command`]s.

pub mod ask;
pub mod fonts;
pub mod pages;
pub mod shell;
pub mod theme;
pub mod toasts;
pub mod widgets;
