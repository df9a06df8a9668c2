//! Facts a report does not print (department, year, kind), asked of the user instead of guessed:
//! the form shown after an import that stopped for them, and the answers kept per file so the
//! same file is not asked again (session restore, 最近打开).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::ingest::ImportReport;
use crate::ingest::report::{Hints, Missing};
use crate::model::Stage;

/// At most this many answers are remembered (the oldest are dropped).
pub const MAX_GIVEN: usize = 64;

/// What the user said about one file that does not print it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenFacts {
    pub path: PathBuf,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub stage: Option<Stage>,
}

impl GivenFacts {
    /// The answers as import hints for this file.
    pub fn hints(&self) -> Hints {
        Hints {
            department: self.department.clone(),
            year: self.year,
            stage: self.stage,
            ..Hints::default()
        }
    }
}

/// Import options with the remembered answers for `paths`.
pub fn options_for(paths: &[PathBuf], given: &[GivenFacts]) -> crate::ingest::ImportOptions {
    let mut options = crate::ingest::ImportOptions::default();
    for g in given {
        if paths.contains(&g.path) {
            options.per_input.insert(g.path.clone(), g.hints());
        }
    }
    options
}

/// Record `new` answers, replacing earlier ones for the same files; keeps the newest
/// [`MAX_GIVEN`].
pub fn remember(given: &mut Vec<GivenFacts>, new: &[GivenFacts]) {
    given.retain(|g| !new.iter().any(|n| n.path == g.path));
    given.extend(new.iter().cloned());
    let excess = given.len().saturating_sub(MAX_GIVEN);
    given.drain(..excess);
}

/// One file's questions and the answers being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskEntry {
    pub path: PathBuf,
    pub missing: Missing,
    /// Earlier answers for this file (kept when the form is sent).
    pub before: Option<GivenFacts>,
    pub department: String,
    pub year: String,
    pub stage: Option<Stage>,
}

impl AskEntry {
    /// The file name shown.
    pub fn name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// The answers, or what is still wrong with them (in Chinese, for the form).
    pub fn answers(&self) -> Result<GivenFacts, String> {
        let mut g = self.before.clone().unwrap_or(GivenFacts {
            path: self.path.clone(),
            department: None,
            year: None,
            stage: None,
        });
        if self.missing.department.is_some() {
            let d = self.department.trim();
            if d.is_empty() {
                return Err("请填写部门".to_owned());
            }
            g.department = Some(d.to_owned());
        }
        if self.missing.year.is_some() {
            match self.year.trim().parse::<i32>() {
                Ok(y) if (1990..=2100).contains(&y) => g.year = Some(y),
                _ => return Err("年度应为 1990–2100 之间的四位数字".to_owned()),
            }
        }
        if self.missing.stage.is_some() {
            match self.stage {
                Some(s) => g.stage = Some(s),
                None => return Err("请选择报告类型（预算或决算）".to_owned()),
            }
        }
        Ok(g)
    }
}

/// The form shown after an import that stopped because reports do not print their facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskForm {
    /// Every input of the import (re-imported together once answered).
    pub paths: Vec<PathBuf>,
    pub entries: Vec<AskEntry>,
}

impl AskForm {
    /// The questions of an import's report, prefilled with the best candidate of each fact;
    /// `None` when no input misses a fact.
    pub fn from_report(
        paths: &[PathBuf],
        report: &ImportReport,
        given: &[GivenFacts],
    ) -> Option<Self> {
        let entries: Vec<AskEntry> = report
            .inputs
            .iter()
            .filter_map(|input| {
                let missing = input.missing.clone()?;
                Some(AskEntry {
                    before: given.iter().find(|g| g.path == input.input).cloned(),
                    path: input.input.clone(),
                    department: missing
                        .department
                        .as_ref()
                        .and_then(|c| c.first().cloned())
                        .unwrap_or_default(),
                    year: missing
                        .year
                        .as_ref()
                        .and_then(|c| c.first())
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    stage: missing.stage.as_ref().and_then(|c| c.first().copied()),
                    missing,
                })
            })
            .collect();
        (!entries.is_empty()).then(|| Self {
            paths: paths.to_vec(),
            entries,
        })
    }

    /// Every file's answers, or the first problem (`文件名：问题`).
    pub fn answers(&self) -> Result<Vec<GivenFacts>, String> {
        self.entries
            .iter()
            .map(|e| e.answers().map_err(|m| format!("{}：{m}", e.name())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn missing_year() -> Missing {
        Missing {
            year: Some(vec![2024, 2023]),
            ..Missing::default()
        }
    }

    #[test]
    fn answers_are_checked_and_remembered_per_file() {
        let mut entry = AskEntry {
            path: "a.pdf".into(),
            missing: missing_year(),
            before: None,
            department: String::new(),
            year: "2024".into(),
            stage: None,
        };
        assert_eq!(entry.answers().map(|g| g.year), Ok(Some(2024)));
        entry.year = "24".into();
        assert!(entry.answers().is_err());
        entry.missing.stage = Some(Vec::new());
        entry.year = "2024".into();
        assert_eq!(
            entry.answers().map(|g| g.year),
            Err("请选择报告类型（预算或决算）".to_owned())
        );

        let mut given = Vec::new();
        let a = GivenFacts {
            path: "a.pdf".into(),
            department: None,
            year: Some(2024),
            stage: None,
        };
        remember(&mut given, std::slice::from_ref(&a));
        remember(
            &mut given,
            &[GivenFacts {
                year: Some(2025),
                ..a.clone()
            }],
        );
        assert_eq!(given.len(), 1);
        assert_eq!(given[0].year, Some(2025));
        let options = options_for(&["a.pdf".into(), "b.pdf".into()], &given);
        assert_eq!(options.per_input.len(), 1);
        assert_eq!(options.hints_for(Path::new("a.pdf")).year, Some(2025));
        assert_eq!(options.hints_for(Path::new("b.pdf")).year, None);
        for i in 0..100 {
            remember(
                &mut given,
                &[GivenFacts {
                    path: format!("{i}.pdf").into(),
                    ..a.clone()
                }],
            );
        }
        assert_eq!(given.len(), MAX_GIVEN);
    }
}
