//! Classification codes: functional 类(3)/款(5)/项(7) and economic 类(3)/款(5).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which classification axis a code belongs to.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Classification {
    /// 支出功能分类
    #[default]
    Functional,
    /// 支出经济分类
    Economic,
}

impl Classification {
    pub fn key(self) -> &'static str {
        match self {
            Classification::Functional => "functional",
            Classification::Economic => "economic",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "functional" => Some(Classification::Functional),
            "economic" => Some(Classification::Economic),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Classification::Functional => "功能分类",
            Classification::Economic => "经济分类",
        }
    }
}

/// Hierarchy level of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// 合计 row
    Total,
    /// 类
    Lei,
    /// 款
    Kuan,
    /// 项
    Xiang,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Total, Level::Lei, Level::Kuan, Level::Xiang];

    pub fn key(self) -> &'static str {
        match self {
            Level::Total => "total",
            Level::Lei => "lei",
            Level::Kuan => "kuan",
            Level::Xiang => "xiang",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Total => "合计",
            Level::Lei => "类",
            Level::Kuan => "款",
            Level::Xiang => "项",
        }
    }

    /// Number of digits a code of this level has (0 for totals).
    pub fn digits(self) -> usize {
        match self {
            Level::Total => 0,
            Level::Lei => 3,
            Level::Kuan => 5,
            Level::Xiang => 7,
        }
    }

    pub fn from_digits(n: usize) -> Option<Self> {
        match n {
            0 => Some(Level::Total),
            3 => Some(Level::Lei),
            5 => Some(Level::Kuan),
            7 => Some(Level::Xiang),
            _ => None,
        }
    }
}

/// A validated classification code (all ASCII digits, 3/5/7 long). Economic codes are 3 or 5
/// digits nationally; a 7-digit economic code is a regional sub-item of its 款 (3010201 under
/// 30102, printed by some provinces) and is kept as printed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Code(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("科目编码只能包含数字，实际为 {0:?}")]
    NotDigits(String),
    #[error("科目编码长度应为 3、5 或 7 位，实际为 {0:?}")]
    BadLength(String),
}

impl Code {
    /// Parse a code, accepting the split form `208 05 01` as well as `2080501`.
    /// The same lengths hold in every classification (see the type's documentation).
    pub fn parse(text: &str, _classification: Classification) -> Result<Self, CodeError> {
        let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if joined.is_empty() || !joined.chars().all(|c| c.is_ascii_digit()) {
            return Err(CodeError::NotDigits(text.to_owned()));
        }
        if !matches!(joined.len(), 3 | 5 | 7) {
            return Err(CodeError::BadLength(text.to_owned()));
        }
        Ok(Self(joined))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> Level {
        Level::from_digits(self.0.len()).unwrap_or(Level::Xiang)
    }

    /// The enclosing code: 2080109 → 20801 → 208 → None.
    pub fn parent(&self) -> Option<Code> {
        let n = match self.0.len() {
            7 => 5,
            5 => 3,
            _ => return None,
        };
        self.0.get(..n).map(|p| Code(p.to_owned()))
    }

    /// Whether `self` is `other` or lies below it.
    pub fn is_within(&self, other: &Code) -> bool {
        self.0.starts_with(other.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_chain() {
        let c = Code::parse("2080109", Classification::Functional).unwrap();
        assert_eq!(c.level(), Level::Xiang);
        let p = c.parent().unwrap();
        assert_eq!(p.as_str(), "20801");
        assert_eq!(p.level(), Level::Kuan);
        let g = p.parent().unwrap();
        assert_eq!(g.as_str(), "208");
        assert_eq!(g.level(), Level::Lei);
        assert_eq!(g.parent(), None);
        assert!(c.is_within(&g));
        assert!(!g.is_within(&c));
    }

    #[test]
    fn split_form_and_errors() {
        let c = Code::parse("208 05 01", Classification::Functional).unwrap();
        assert_eq!(c.as_str(), "2080501");
        assert!(matches!(
            Code::parse("20a", Classification::Functional),
            Err(CodeError::NotDigits(_))
        ));
        assert!(matches!(
            Code::parse("2080", Classification::Functional),
            Err(CodeError::BadLength(_))
        ));
        // a regional sub-item of an economic 款
        assert_eq!(
            Code::parse("3010201", Classification::Economic)
                .unwrap()
                .parent()
                .unwrap()
                .as_str(),
            "30102"
        );
        assert_eq!(
            Code::parse("30101", Classification::Economic)
                .unwrap()
                .parent()
                .unwrap()
                .as_str(),
            "301"
        );
    }
}
