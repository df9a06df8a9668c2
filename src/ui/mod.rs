//! The egui side: the window's chrome ([`shell`]), the views ([`pages`], each owning its state,
//! results and export), widgets and theme. Views read [`crate::state`] and return
//! [`crate::state::Command`]s.

// Drawing converts between pixel sizes, counts and chart coordinates (f32/f64/usize); these
// values are small and bounded by the window, and nothing drawn is stored or summed.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

pub mod ask;
pub mod fonts;
pub mod pages;
pub mod shell;
pub mod theme;
pub mod toasts;
pub mod widgets;
