//! The code hierarchy a table is read against: levels, names from the shipped classification,
//! codes rebuilt from split or partial cells, and the parsed row.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The shipped classification list a code table's `classification` is read against.
pub(super) fn catalog_list(classification: &str) -> crate::model::catalog::List {
    use crate::model::catalog::List;
    if classification == "economic" {
        List::EconomicDept
    } else {
        List::Functional
    }
}

/// The 类 and 款 above the current row, for code columns that print only the digits of the
/// row's own level (`201` / `40` / `01` in 类 / 款 / 项 columns): the full code is rebuilt from
/// the column the digits are printed in and the rows above.
#[derive(Clone, Default)]
pub(super) struct Hier {
    pub(super) lei: String,
    pub(super) kuan: String,
    /// The table prints names only (no code column): codes come from the classification.
    pub(super) names_only: bool,
}

impl Hier {
    pub(super) fn saw(&mut self, code: &str) {
        match code.len() {
            3 => {
                self.lei = code.to_owned();
                self.kuan.clear();
            }
            5 => {
                self.lei = code.get(..3).unwrap_or("").to_owned();
                self.kuan = code.to_owned();
            }
            _ => {}
        }
    }

    /// The code of a row printed by name only: a 项 under the current 款, a 款 under the current
    /// 类, or a 类 — in that order (after a 类 row, its 款 first) — when exactly one code of the
    /// shipped classification has that name there.
    pub(super) fn code_for_name(&mut self, name: &str, classification: &str) -> Option<String> {
        use crate::model::catalog::codes_named;
        let list = catalog_list(classification);
        let one = |parent: Option<&str>, len: usize| -> Option<String> {
            let found: Vec<&str> = codes_named(list, name, parent)
                .into_iter()
                .filter(|c| c.len() == len)
                .collect();
            match found.as_slice() {
                [c] => Some((*c).to_owned()),
                _ => None,
            }
        };
        let xiang = (!self.kuan.is_empty())
            .then(|| one(Some(&self.kuan), 7))
            .flatten();
        let kuan = (!self.lei.is_empty())
            .then(|| one(Some(&self.lei), 5))
            .flatten();
        let code = if self.kuan.is_empty() {
            kuan.or(xiang).or_else(|| one(None, 3))
        } else {
            xiang.or(kuan).or_else(|| one(None, 3))
        }?;
        if code.len() == 7 {
            // a 项 keeps the 类 and 款 above
        } else {
            self.saw(&code);
        }
        Some(code)
    }

    /// A 款/项 part printed without its leading zero (`301 2` for 30102): the padded code, taken
    /// (and the rows above updated) only when the shipped classification gives it `name`.
    pub(super) fn code_with_leading_zeros(
        &mut self,
        parts: &[String],
        name: &str,
        classification: &str,
        year: i32,
    ) -> Option<String> {
        use crate::model::catalog::{name_of, same_name};
        if name.is_empty() || !parts.iter().skip(1).any(|x| x.len() == 1) {
            return None;
        }
        let padded: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, x)| {
                if i > 0 && x.len() == 1 {
                    format!("0{x}")
                } else {
                    x.clone()
                }
            })
            .collect();
        let mut trial = self.clone();
        let candidate = trial.code_from_parts(&padded);
        let confirmed = level_of(&candidate).is_some()
            && name_of(catalog_list(classification), &candidate, year)
                .is_some_and(|n| same_name(n, name));
        confirmed.then(|| {
            *self = trial;
            candidate
        })
    }

    /// The code of a row from its 类/款/项 cells (digits or empty, in column order).
    pub(super) fn code_from_parts(&mut self, parts: &[String]) -> String {
        let filled: Vec<usize> = (0..parts.len())
            .filter(|&i| parts.get(i).is_some_and(|p| !p.is_empty()))
            .collect();
        let Some(&first) = filled.first() else {
            return String::new();
        };
        let joined: String = parts.iter().skip(first).map(String::as_str).collect();
        let code = match first {
            0 => joined,
            1 if joined.len() == 2 || joined.len() == 4 => {
                if self.lei.is_empty() {
                    return joined; // no 类 above: reported as a code of the wrong length
                }
                format!("{}{joined}", self.lei)
            }
            2 if joined.len() == 2 => {
                if self.kuan.is_empty() {
                    return joined;
                }
                format!("{}{joined}", self.kuan)
            }
            _ => joined,
        };
        self.saw(&code);
        code
    }
}

impl Parsed {
    /// The row is keyed by `code` at `level` under `name`.
    pub(super) fn set_key(&mut self, level: &'static str, code: String, name: String) {
        self.level = level;
        self.code = code;
        self.label = name.clone();
        self.name = name;
        self.has_key = true;
    }
}

/// A parsed body row before emission.
pub(super) struct Parsed {
    pub(super) line: usize,
    pub(super) code: String,
    pub(super) name: String,
    pub(super) label: String,
    pub(super) level: &'static str,
    pub(super) has_key: bool,
    pub(super) cells: Vec<(usize, Col, String)>,
    pub(super) has_number: bool,
    pub(super) notes: Vec<String>,
    pub(super) wrapped: bool,
    /// The name was not printed and comes from the shipped classification.
    pub(super) name_from_code: bool,
    /// The code was not printed and comes from the shipped classification (by name and place).
    pub(super) code_from_name: bool,
    /// A unit's header row in a table listed unit by unit (`125001 | 西安市…局 | 2,080.32`): the
    /// unit's name; the rows below it are that unit's.
    pub(super) unit_block: Option<String>,
}

pub(super) fn level_of(code: &str) -> Option<&'static str> {
    match code.len() {
        3 => Some("lei"),
        5 => Some("kuan"),
        7 => Some("xiang"),
        _ => None,
    }
}

/// A grand-total row's label: `合计`, `总计` (also with a trailing colon, `总计：`).
pub(super) fn is_total_label(t: &str) -> bool {
    matches!(t.trim_end_matches([':', '：']), "合计" | "总计")
}

/// A unit's code in a table listed unit by unit: six digits (`125001`).
pub(super) fn is_unit_code(t: &str) -> bool {
    t.len() == 6 && t.chars().all(|c| c.is_ascii_digit())
}

/// Whether a name printed beside a unit code names an organisation.
pub(super) fn is_unit_name(name: &str, department: &str) -> bool {
    const SUFFIXES: [&str; 22] = [
        "局",
        "中心",
        "支队",
        "大队",
        "院",
        "站",
        "所",
        "处",
        "办",
        "办公室",
        "委员会",
        "会",
        "队",
        "馆",
        "校",
        "学校",
        "园",
        "部",
        "室",
        "社",
        "台",
        "厅",
    ];
    !name.is_empty()
        && (is_own_unit(name, department) || SUFFIXES.iter().any(|s| name.ends_with(s)))
}

/// Split a code cell into (code, trailing text printed in the same cell).
pub(super) fn split_code_cell(cell: &str) -> Option<(String, String)> {
    let t = cell.trim();
    if is_code(t) {
        return Some((nospace(t), String::new()));
    }
    // `[2010501]行政运行` (Guangdong): the code in brackets
    let (t, bracketed) = match t.strip_prefix(['[', '【']) {
        Some(inner) => (inner, true),
        None => (t, false),
    };
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if matches!(digits.len(), 3 | 5 | 7) {
        let mut rest = t.get(digits.len()..).unwrap_or("");
        if bracketed {
            match rest.strip_prefix([']', '】']) {
                Some(r) => rest = r,
                None => return None,
            }
            return Some((digits, rest.trim().to_owned()));
        }
        // `2010801-行政运行` (Beijing): code and name joined by a hyphen
        if let Some(r) = rest.strip_prefix(['-', '－', '—']) {
            return Some((digits, r.trim().to_owned()));
        }
        if rest.starts_with(char::is_whitespace)
            || rest.chars().next().is_some_and(|c| !c.is_ascii())
        {
            return Some((digits, rest.trim().to_owned()));
        }
    }
    None
}
