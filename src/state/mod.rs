//! The app's state as the views read it: what is persisted ([`AppState`]), the loaded data and
//! cached results ([`AppData`]), background jobs, notifications, the 补充报告信息 form, and the
//! [`Command`]s views return. Imports neither `app` nor `ui`, so the views depend on this module
//! and the app on both, without a cycle.

pub mod ask;
pub mod capture;
mod data;
pub mod jobs;
mod persisted;
pub mod toasts;

pub use data::*;
pub use persisted::{AppState, DrillMode, DrillState, Route};
