//! Non-blocking notifications ("toasts"): results of exports and imports, refusals, failures.
//!
//! Successes and information expire on their own, warnings stay longer, errors stay until the
//! user closes them. Time is the egui input clock (seconds), so expiry is deterministic in tests.

use super::Command;
use crate::model::Severity;

/// What a notification reports: something done, or something of a [`Severity`] (the one
/// vocabulary of findings, import issues and the log). Decides its colour and how long it stays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// An export or import that completed.
    Success,
    Notice(Severity),
}

impl Level {
    /// A failure.
    pub const ERROR: Level = Level::Notice(Severity::Error);
    /// A refusal or a partial result.
    pub const WARNING: Level = Level::Notice(Severity::Warning);
    /// For information.
    pub const INFO: Level = Level::Notice(Severity::Note);

    /// Seconds a toast of this level stays on screen (`None` = until closed).
    pub fn lifetime(self) -> Option<f64> {
        match self {
            Level::Success | Level::INFO => Some(6.0),
            Level::WARNING => Some(12.0),
            Level::ERROR => None,
        }
    }

    /// The word shown for it (完成, or the severity's).
    pub fn label(self) -> &'static str {
        match self {
            Level::Success => "完成",
            Level::Notice(s) => s.label(),
        }
    }
}

impl From<Severity> for Level {
    fn from(s: Severity) -> Self {
        Level::Notice(s)
    }
}

/// One notification.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub id: u64,
    pub level: Level,
    pub text: String,
    /// When it was first shown (or last hovered), on the egui input clock; `None` until the
    /// first frame after it was raised, so time spent in a blocking dialog does not count.
    pub since: Option<f64>,
    /// An optional button: its label and the command it runs (the toast closes with it).
    pub action: Option<(String, Command)>,
}

impl Toast {
    /// When it disappears on its own (`None` = never).
    pub fn expires_at(&self) -> Option<f64> {
        Some(self.since? + self.level.lifetime()?)
    }
}

/// The notifications on screen, oldest first.
#[derive(Debug, Default)]
pub struct Toasts {
    next_id: u64,
    pub items: Vec<Toast>,
}

/// At most this many toasts are kept; the oldest go first.
const MAX_TOASTS: usize = 5;

impl Toasts {
    /// Raise a notification; returns its id. Its time starts when it is first shown.
    pub fn push(&mut self, level: Level, text: impl Into<String>) -> u64 {
        self.push_with(level, text, None)
    }

    /// Raise a notification with an action button.
    pub fn push_with(
        &mut self,
        level: Level,
        text: impl Into<String>,
        action: Option<(String, Command)>,
    ) -> u64 {
        let text = text.into();
        // The same message again (e.g. a repeated refusal) replaces the old one.
        self.items.retain(|t| t.text != text);
        self.next_id += 1;
        self.items.push(Toast {
            id: self.next_id,
            level,
            text,
            since: None,
            action,
        });
        if self.items.len() > MAX_TOASTS {
            let extra = self.items.len() - MAX_TOASTS;
            self.items.drain(..extra);
        }
        self.next_id
    }

    pub fn dismiss(&mut self, id: u64) {
        self.items.retain(|t| t.id != id);
    }

    /// Keep a toast on screen while the pointer is over it.
    pub fn hold(&mut self, id: u64, now: f64) {
        if let Some(t) = self.items.iter_mut().find(|t| t.id == id) {
            t.since = Some(t.since.map_or(now, |s| s.max(now)));
        }
    }

    /// Start the clock of the toasts raised since the last frame.
    pub fn start(&mut self, now: f64) {
        for t in &mut self.items {
            t.since.get_or_insert(now);
        }
    }

    /// Drop the toasts whose time is up.
    pub fn expire(&mut self, now: f64) {
        self.items
            .retain(|t| t.expires_at().is_none_or(|end| now < end));
    }

    /// Seconds until the next toast expires (to schedule a repaint), if any will.
    pub fn next_expiry(&self, now: f64) -> Option<f64> {
        self.items
            .iter()
            .filter_map(Toast::expires_at)
            .map(|end| (end - now).max(0.0))
            .min_by(f64::total_cmp)
    }

    /// The newest toast.
    pub fn latest(&self) -> Option<&Toast> {
        self.items.last()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successes_expire_errors_stay_until_closed() {
        let mut t = Toasts::default();
        t.push(Level::Success, "已导出");
        let err = t.push(Level::ERROR, "导出失败");
        t.push(Level::WARNING, "注意");
        t.expire(100.0);
        assert_eq!(t.items.len(), 3, "not shown yet, so not expired");
        t.start(0.0);
        assert_eq!(t.next_expiry(1.0), Some(5.0));
        t.expire(5.9);
        assert_eq!(t.items.len(), 3);
        t.expire(6.0);
        assert_eq!(t.items.len(), 2, "the success is gone after 6 s");
        t.expire(1000.0);
        assert_eq!(t.items.len(), 1, "the warning is gone, the error stays");
        t.dismiss(err);
        assert!(t.items.is_empty());
    }

    #[test]
    fn hovering_holds_and_repeats_replace() {
        let mut t = Toasts::default();
        let id = t.push(Level::INFO, "a");
        t.start(0.0);
        t.hold(id, 5.0);
        t.expire(10.0);
        assert_eq!(t.items.len(), 1, "held at 5 s, so it lasts until 11 s");
        t.push(Level::INFO, "a");
        assert_eq!(t.items.len(), 1);
        for i in 0..10 {
            t.push(Level::ERROR, format!("e{i}"));
        }
        assert_eq!(t.items.len(), MAX_TOASTS);
        assert_eq!(t.latest().map(|t| t.text.as_str()), Some("e9"));
    }
}
