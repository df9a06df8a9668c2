//! The import log of a dataset: what happened while it was read (info and warnings, located).

pub use crate::model::Severity;

/// One line of the import log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub level: Severity,
    pub message: String,
}

/// What happened while a dataset was read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportLog {
    pub entries: Vec<LogEntry>,
}

impl ImportLog {
    pub fn info(&mut self, message: impl Into<String>) {
        self.entries.push(LogEntry {
            level: Severity::Note,
            message: message.into(),
        });
    }

    pub fn warn(&mut self, message: impl Into<String>) {
        self.entries.push(LogEntry {
            level: Severity::Warning,
            message: message.into(),
        });
    }

    pub fn warnings(&self) -> impl Iterator<Item = &LogEntry> {
        self.entries.iter().filter(|e| e.level == Severity::Warning)
    }
}
