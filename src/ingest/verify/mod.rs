//! The identities a table's own figures must satisfy, counted over what was read: how many could
//! be checked, how many hold **exactly**, and how many differ only by the printed figures'
//! rounding (the 尾数 of tables rounded line by line); every difference is listed. Used to measure
//! the importer on real reports (`docs/CORPUS.md`).
//!
//! Within one source table, stage, fund, classification and column (`nature`):
//! * **合计 = Σ类** — the row without code whose name holds 合计 against the sum of the 3-digit codes;
//! * **类 = Σ款, 款 = Σ项** — a code against the sum of its children (codes two digits longer
//!   that start with it), when it has any (see [`children_of`]);
//! * **合计 = 基本 + 项目** — per row of a table that prints both columns (rows printing neither
//!   are skipped).

mod keyed;
mod located;
pub(crate) mod plan;
mod rows;
mod verdict;

#[allow(clippy::wildcard_imports)]
use keyed::*;
pub use verdict::{TableVerdict, Verdict, apply, judge_unjudged, verdicts};

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::Result;
use crate::frame::{decimals, strings, texts};
use crate::ingest::Tables;

/// One identity that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    /// `source_doc:source_line` of the row on the left-hand side.
    pub at: String,
    pub rule: &'static str,
    pub expected: Decimal,
    pub actual: Decimal,
    /// The difference is within the printed figures' rounding (尾数).
    pub rounding: bool,
}

/// Counts of checked and holding identities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identities {
    pub checked: usize,
    /// Hold exactly.
    pub held: usize,
    /// Differ by no more than the printed figures' rounding: half a unit of the last printed
    /// digit for each figure involved (the 尾数 of tables rounded line by line).
    pub rounding: usize,
    /// Every identity that does not hold exactly (rounding differences included).
    pub misses: Vec<Miss>,
}

impl Identities {
    fn check(
        &mut self,
        rule: &'static str,
        at: &str,
        (expected, actual): (Decimal, Decimal),
        tolerance: Decimal,
    ) {
        self.checked += 1;
        if expected == actual {
            self.held += 1;
            return;
        }
        let rounding = (expected - actual).abs() <= tolerance;
        if rounding {
            self.rounding += 1;
        }
        self.misses.push(Miss {
            at: at.to_owned(),
            rule,
            expected,
            actual,
            rounding,
        });
    }

    /// Record an identity counted elsewhere (`checked`, `held`) that does not hold exactly.
    fn miss(
        &mut self,
        rule: &'static str,
        at: String,
        (expected, actual): (Decimal, Decimal),
        tolerance: Decimal,
    ) {
        let rounding = (expected - actual).abs() <= tolerance;
        if rounding {
            self.rounding += 1;
        }
        self.misses.push(Miss {
            at,
            rule,
            expected,
            actual,
            rounding,
        });
    }

    /// Share that hold within the printed rounding (1 when none could be checked).
    pub fn share_within_rounding(&self) -> f64 {
        if self.checked == 0 {
            1.0
        } else {
            (self.held + self.rounding) as f64 / self.checked as f64
        }
    }

    /// Share of checked identities that hold (1 when none could be checked).
    pub fn share(&self) -> f64 {
        if self.checked == 0 {
            1.0
        } else {
            self.held as f64 / self.checked as f64
        }
    }

    pub fn add(&mut self, other: Identities) {
        self.checked += other.checked;
        self.held += other.held;
        self.rounding += other.rounding;
        self.misses.extend(other.misses);
    }
}

/// The rows one row of a table sums, by their codes in printed order (`""` for the 合计 row):
/// * 合计 → the 3-digit codes (类);
/// * a 类 → its 5-digit codes (款), and the 7-digit codes of a 款 the table does not print (a
///   regional sub-item such as 3010201 printed instead of 30102);
/// * a 款 → its 7-digit codes (项).
///
/// A code printed more than once (a table crossed with a second classification, one block per
/// second code, or one block per unit) owns only the rows printed under it, up to the next row
/// that does not descend from it. Used by the importer's identity count and the audit checks.
pub fn children_of(codes: &[&str], index: usize) -> Vec<usize> {
    let Some(&parent) = codes.get(index) else {
        return Vec::new();
    };
    let descends = |c: &str| c.len() > parent.len() && c.starts_with(parent);
    let repeated = !parent.is_empty() && codes.iter().filter(|&&c| c == parent).count() > 1;
    let candidates: Vec<usize> = if repeated {
        (index + 1..codes.len())
            .take_while(|&k| codes.get(k).is_some_and(|c| descends(c)))
            .collect()
    } else {
        (0..codes.len()).collect()
    };
    let printed = |c: &str| candidates.iter().any(|&k| codes.get(k) == Some(&c));
    candidates
        .iter()
        .copied()
        .filter(|&k| {
            let Some(&c) = codes.get(k) else {
                return false;
            };
            match parent.len() {
                0 => c.len() == 3,
                3 => {
                    descends(c)
                        && (c.len() == 5
                            || c.len() == 7 && !printed(c.get(..5).unwrap_or_default()))
                }
                5 => descends(c) && c.len() == 7,
                _ => false,
            }
        })
        .collect()
}

/// Count the identities of the `amounts` table (see the module documentation).
pub fn count(tables: &Tables) -> Result<Identities> {
    let mut out = Identities::default();
    for (_, ids) in count_by_table(tables)? {
        out.add(ids);
    }
    Ok(out)
}

pub use crate::model::checked_sum;

/// A table of one document: (`source_doc` without its `#page=` fragment, `source_table`).
pub type TableKey = (String, String);

/// The document of a `source_doc`: a PDF's `#page=N` fragment removed (one report, many pages).
pub fn document(source_doc: &str) -> &str {
    source_doc
        .split_once("#page=")
        .map_or(source_doc, |(d, _)| d)
}

/// Row `i` of a string column (empty when out of range).
fn cell(column: &[String], i: usize) -> &str {
    column.get(i).map_or("", String::as_str)
}

/// [`count`], per table: the `amounts` identities as polars plans (see `plan`), then the keyed
/// tables (收支总表, 三公).
pub fn count_by_table(tables: &Tables) -> Result<BTreeMap<TableKey, Identities>> {
    let mut by_table: BTreeMap<TableKey, Identities> = BTreeMap::new();
    let mut laps = crate::diag::Laps::new("identities");
    plan::amounts(&tables.amounts, &mut by_table)?;
    laps.lap("amounts");
    revenue_totals(tables, &mut by_table)?;
    sangong_totals(tables, &mut by_table)?;
    laps.lap("keyed");
    Ok(by_table)
}
