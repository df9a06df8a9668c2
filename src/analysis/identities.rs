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

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::analysis::frame::{decimals, strings};
use crate::error::Result;
use crate::ingest::Tables;

/// One identity that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    /// `source_doc:source_line` of the row on the left-hand side.
    pub at: String,
    pub rule: &'static str,
    pub expected: Decimal,
    pub actual: Decimal,
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
        if (expected - actual).abs() <= tolerance {
            self.rounding += 1;
        }
        self.misses.push(Miss {
            at: at.to_owned(),
            rule,
            expected,
            actual,
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
    let df = &tables.amounts;
    let mut out = Identities::default();
    if df.height() == 0 {
        return Ok(out);
    }
    let s = |name: &str| strings(df, name);
    let (dept, unit, year, stage, measure, fund, class, code, name, nature, table, doc) = (
        s("department")?,
        s("unit")?,
        df.column("year")?
            .cast(&polars::prelude::DataType::String)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_owned())
            .collect::<Vec<_>>(),
        s("stage")?,
        s("measure")?,
        s("fund")?,
        s("classification")?,
        s("code")?,
        s("name")?,
        s("nature")?,
        s("source_table")?,
        s("source_doc")?,
    );
    let lines: Vec<String> = df
        .column("source_line")?
        .cast(&polars::prelude::DataType::String)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or("").to_owned())
        .collect();
    let amounts = decimals(df, "amount")?;
    let get = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    // group → entries (code, amount, location, half a unit of the last printed digit); 合计 rows
    // under the empty code
    type Entry = (String, Decimal, String, Decimal);
    let mut groups: BTreeMap<Vec<String>, Vec<Entry>> = BTreeMap::new();
    // row key (group without nature, code, name, line) → nature → (amount, half unit)
    let mut by_row: BTreeMap<Vec<String>, BTreeMap<String, (Decimal, Decimal)>> = BTreeMap::new();
    let units = s("source_unit")?;
    for i in 0..df.height() {
        let Some(Some(amount)) = amounts.get(i).copied() else {
            continue;
        };
        let c = get(&code, i);
        let n = get(&name, i);
        let at = format!("{}:{}", get(&doc, i), get(&lines, i));
        // 元 tables print whole 元 (0.0001 万元); 万元 tables at least two decimals
        let half = if get(&units, i) == "元" {
            Decimal::new(5, 5)
        } else {
            Decimal::new(5, amount.scale().max(2) + 1)
        };
        let base = vec![
            get(&dept, i),
            get(&unit, i),
            get(&year, i),
            get(&stage, i),
            get(&measure, i),
            get(&fund, i),
            get(&class, i),
            get(&table, i),
        ];
        let mut key = base.clone();
        key.push(get(&nature, i));
        let slot = if c.is_empty() {
            if n.contains("合计") && !n.contains("本年") {
                String::new()
            } else {
                continue;
            }
        } else {
            c.clone()
        };
        groups
            .entry(key)
            .or_default()
            .push((slot, amount, at.clone(), half));
        let mut row = base;
        row.extend([c, n, at]);
        by_row
            .entry(row)
            .or_default()
            .insert(get(&nature, i), (amount, half));
    }
    for group in groups.values() {
        let codes: Vec<&str> = group.iter().map(|e| e.0.as_str()).collect();
        for (index, (parent, amount, at, half)) in group.iter().enumerate() {
            let children: Vec<&Entry> = children_of(&codes, index)
                .into_iter()
                .filter_map(|k| group.get(k))
                .collect();
            if children.is_empty() {
                continue;
            }
            let rule = match parent.len() {
                0 => "合计 = Σ类",
                3 => "类 = Σ款",
                _ => "款 = Σ项",
            };
            let sum: Decimal = children.iter().map(|e| e.1).sum();
            let tolerance: Decimal = *half + children.iter().map(|e| e.3).sum::<Decimal>();
            out.check(rule, at, (*amount, sum), tolerance);
        }
    }
    for (row, natures) in &by_row {
        if let (Some(t), Some(b), Some(p)) = (
            natures.get("total"),
            natures.get("basic"),
            natures.get("project"),
        ) {
            let at = row.last().cloned().unwrap_or_default();
            out.check("合计 = 基本 + 项目", &at, (t.0, b.0 + p.0), t.1 + b.1 + p.1);
        }
    }
    Ok(out)
}
