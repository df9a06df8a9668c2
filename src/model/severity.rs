//! How serious something is: one vocabulary for audit findings, import issues, the import log
//! and notifications.

use serde::Serialize;

/// How serious a finding, an import issue or a log line is. Ordered most serious first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Wrong: an identity that does not hold, a figure that could not be read (not stored).
    Error,
    /// Legal but doubtful, or repaired/assumed (the figure was stored and flagged).
    Warning,
    /// For information: a rounding difference within the table's last digit, a note on what
    /// was read.
    Note,
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Note];

    /// The word shown for it (错误 / 警告 / 提示).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "提示",
        }
    }
}
