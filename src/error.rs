//! The one error type of the data layers.

use std::fmt;
use std::path::PathBuf;

/// Where in an input a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// File name (or `内置数据集/<file>` for compiled-in data).
    pub file: String,
    /// 1-based line (text/CSV); `None` when the problem concerns the whole file.
    pub line: Option<usize>,
    /// Column name or sheet cell.
    pub column: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<String>, line: usize, column: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: Some(column.into()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, " 列 {column}")?;
        }
        Ok(())
    }
}

/// What went wrong, located (file, line or page, column) wherever the input allows.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad content at a known place: what was expected and what was found.
    #[error("{location}: 期望 {expected}，实际为 {found:?}")]
    Invalid {
        location: Location,
        expected: String,
        found: String,
    },

    #[error("{location}: {message}")]
    Malformed { location: Location, message: String },

    #[error("无法读取 {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Writing an output (export, import result, state) failed.
    #[error("无法写入 {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("数据处理失败: {0}")]
    Polars(#[from] polars::error::PolarsError),
}

impl Error {
    /// Reading `path` failed.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// Writing `path` failed.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Write {
            path: path.into(),
            source,
        }
    }

    /// The location of the problem, where known.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Invalid { location, .. } | Error::Malformed { location, .. } => Some(location),
            Error::Io { .. } | Error::Write { .. } | Error::Polars(_) => None,
        }
    }
}

/// A result whose error is the located [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
