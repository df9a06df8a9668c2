//! Frame times, for measuring that no frame waits for an analysis (issue 17): at debug level
//! (`RUST_LOG=fiscal_lens=debug`) every frame over 50 ms is logged, and so is, when a view's
//! new result swaps in, how long after the change it came and the longest frame meanwhile.
//! The time is that of [`super::App::draw`] (the app's own work in the frame), not egui's
//! tessellation and painting after it.

use std::time::{Duration, Instant};

/// When the process started (see [`mark_start`]).
static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// Note the process start, so the first frame's delay can be logged.
pub fn mark_start() {
    START.get_or_init(Instant::now);
}

/// Frames longer than this are logged.
const SLOW: Duration = Duration::from_millis(50);

#[derive(Debug, Default)]
pub struct FrameClock {
    /// When the current view started waiting for a result, the longest frame since, and how
    /// many frames were drawn meanwhile.
    waiting: Option<(Instant, Duration, u32)>,
    /// The longest frame since the start.
    pub longest: Duration,
}

impl FrameClock {
    /// Record a frame that took `took`; `busy` says whether the view waits for a result after
    /// it.
    pub fn frame(&mut self, started: Instant, took: Duration, busy: bool, view: &str) {
        if self.longest.is_zero()
            && let Some(start) = START.get()
        {
            log::debug!(
                "frame: first frame drawn {:.0} ms after the start",
                start.elapsed().as_secs_f64() * 1e3
            );
        }
        self.longest = self.longest.max(took);
        if took > SLOW {
            log::debug!("frame: {view}: {:.1} ms", took.as_secs_f64() * 1e3);
        }
        match (&mut self.waiting, busy) {
            (None, true) => self.waiting = Some((started, took, 1)),
            (Some((_, longest, frames)), true) => {
                *longest = (*longest).max(took);
                *frames += 1;
            }
            (Some((since, longest, frames)), false) => {
                let longest = (*longest).max(took);
                log::debug!(
                    "frame: {view}: new result shown {:.0} ms after the change; longest frame meanwhile {:.1} ms ({} frames)",
                    since.elapsed().as_secs_f64() * 1e3,
                    longest.as_secs_f64() * 1e3,
                    *frames + 1
                );
                self.waiting = None;
            }
            (None, false) => {}
        }
    }
}
