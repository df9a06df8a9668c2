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

/// [`count`], per table.
pub fn count_by_table(tables: &Tables) -> Result<BTreeMap<TableKey, Identities>> {
    let df = &tables.amounts;
    let mut by_table: BTreeMap<TableKey, Identities> = BTreeMap::new();
    if df.height() == 0 {
        return Ok(by_table);
    }
    let s = |name: &str| strings(df, name);
    let (dept, unit, year, stage, measure, fund, class, code, name, nature, table, doc) = (
        s("department")?,
        s("unit")?,
        texts(df, "year")?,
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
    let lines = texts(df, "source_line")?;
    let amounts = decimals(df, "amount")?;
    // row i of a column, borrowed: keys are slices of the columns, not copies (a copy per cell
    // and key was most of the time on large datasets)
    // "doc:line" of every row, made once
    let ats: Vec<String> = (0..df.height())
        .map(|i| format!("{}:{}", cell(&doc, i), cell(&lines, i)))
        .collect();
    // group → entries (code, amount, location, half a unit of the last printed digit); 合计 rows
    // under the empty code
    type Entry<'a> = (&'a str, Decimal, &'a str, Decimal);
    let mut groups: BTreeMap<Vec<&str>, Vec<Entry<'_>>> = BTreeMap::new(); // key ends doc, table, nature
    // row key (group without nature, code, name, line) → nature → (amount, half unit)
    let mut by_row: BTreeMap<Vec<&str>, BTreeMap<&str, (Decimal, Decimal)>> = BTreeMap::new();
    // the printed precision of each table: the most decimals of any of its figures (in 万元; a
    // table printed in whole 万元 has none, one printed in 元 four)
    let mut precision: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for i in 0..df.height() {
        if let Some(Some(a)) = amounts.get(i) {
            let k = (document(cell(&doc, i)), cell(&table, i));
            let p = precision.entry(k).or_default();
            *p = (*p).max(a.normalize().scale());
        }
    }
    // the values of `columns` on row `i`, a grouping key
    fn key_of<'a>(i: usize, columns: &[&'a Vec<String>]) -> Vec<&'a str> {
        columns.iter().map(|c| cell(c, i)).collect()
    }
    // half a unit of the last digit row `i`'s table prints
    let half_unit = |i: usize| {
        let digits = precision
            .get(&(document(cell(&doc, i)), cell(&table, i)))
            .copied()
            .unwrap_or(2);
        Decimal::new(5, digits + 1)
    };
    for i in 0..df.height() {
        let Some(Some(amount)) = amounts.get(i).copied() else {
            continue;
        };
        let c = cell(&code, i);
        let n = cell(&name, i);
        let at = cell(&ats, i);
        // half a unit of the last printed digit
        let half = half_unit(i);
        let base = vec![
            cell(&dept, i),
            cell(&unit, i),
            cell(&year, i),
            cell(&stage, i),
            cell(&measure, i),
            cell(&fund, i),
            cell(&class, i),
            document(cell(&doc, i)),
            cell(&table, i),
        ];
        let mut key = base.clone();
        key.push(cell(&nature, i));
        let slot = if c.is_empty() {
            if n.contains("合计") && !n.contains("本年") {
                ""
            } else {
                continue;
            }
        } else {
            c
        };
        groups
            .entry(key)
            .or_default()
            .push((slot, amount, at, half));
        let mut row = base;
        row.extend([c, n, at]);
        by_row
            .entry(row)
            .or_default()
            .insert(cell(&nature, i), (amount, half));
    }
    // the document and table of a group or row key (positions 7 and 8 of `base`)
    let table_of = |key: &[&str]| -> TableKey {
        (
            key.get(7).map_or_else(String::new, |s| (*s).to_owned()),
            key.get(8).map_or_else(String::new, |s| (*s).to_owned()),
        )
    };
    for (key, group) in &groups {
        let out = by_table.entry(table_of(key)).or_default();
        let codes: Vec<&str> = group.iter().map(|e| e.0).collect();
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
            // sums of hostile figures may not fit a decimal: such an identity is not checked
            let Some(sum) = checked_sum(children.iter().map(|e| e.1)) else {
                continue;
            };
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
            let at = row.last().copied().unwrap_or_default();
            let Some(sum) = b.0.checked_add(p.0) else {
                continue;
            };
            by_table.entry(table_of(row)).or_default().check(
                "合计 = 基本 + 项目",
                at,
                (t.0, sum),
                t.1 + b.1 + p.1,
            );
        }
    }
    // revenue by source: 本年收入合计 = Σ sources (+ 上年结转 printed on the row)
    // (measure, fund, amount, half unit)
    type Source<'a> = (&'a str, &'a str, Decimal, Decimal);
    let mut sources: BTreeMap<Vec<&str>, Vec<Source<'_>>> = BTreeMap::new();
    for i in 0..df.height() {
        let Some(Some(amount)) = amounts.get(i).copied() else {
            continue;
        };
        let m = cell(&measure, i);
        if (m != "revenue" && m != "carry_in") || cell(&nature, i) != "total" {
            continue;
        }
        let mut key = key_of(i, &[&dept, &unit, &year, &stage, &class, &code, &name]);
        key.extend([document(cell(&doc, i)), cell(&table, i), cell(&ats, i)]);
        sources
            .entry(key)
            .or_default()
            .push((m, cell(&fund, i), amount, half_unit(i)));
    }
    for (key, cells) in &sources {
        let Some(all) = cells.iter().find(|c| c.0 == "revenue" && c.1 == "all") else {
            continue;
        };
        let parts: Vec<&Source> = cells
            .iter()
            .filter(|c| !(c.0 == "revenue" && c.1 == "all"))
            .collect();
        if !parts.iter().any(|c| c.0 == "revenue") {
            continue;
        }
        let Some(sum) = checked_sum(parts.iter().map(|c| c.2)) else {
            continue;
        };
        let tolerance = all.3 + parts.iter().map(|c| c.3).sum::<Decimal>();
        let t = table_of(key);
        let at = key.last().copied().unwrap_or_default();
        by_table
            .entry(t)
            .or_default()
            .check("收入合计 = Σ各项收入", at, (all.2, sum), tolerance);
    }
    // the same figure printed in two tables of one document (a 类 of the 支出总表 and of the
    // 收支总表): each table's reading is checked against the other's; a code printed more than
    // once in a table (blocks per unit or per second classification) is left out
    // figure key → table → (amount, half unit, location) of each row printing it
    type Printed<'a> = BTreeMap<&'a str, Vec<(Decimal, Decimal, &'a str)>>;
    let mut printed: BTreeMap<Vec<&str>, Printed<'_>> = BTreeMap::new();
    for i in 0..df.height() {
        let Some(Some(amount)) = amounts.get(i).copied() else {
            continue;
        };
        let c = cell(&code, i);
        if c.is_empty() {
            continue;
        }
        let mut key = key_of(
            i,
            &[
                &dept, &unit, &year, &stage, &measure, &fund, &class, &code, &nature,
            ],
        );
        key.push(document(cell(&doc, i)));
        printed
            .entry(key)
            .or_default()
            .entry(cell(&table, i))
            .or_default()
            .push((amount, half_unit(i), cell(&ats, i)));
    }
    for (key, per_table) in &printed {
        let once: Vec<(&&str, &(Decimal, Decimal, &str))> = per_table
            .iter()
            .filter_map(|(t, v)| match v.as_slice() {
                [one] => Some((t, one)),
                _ => None,
            })
            .collect();
        let Some((first_table, first)) = once.first() else {
            continue;
        };
        let doc_of = key.last().map_or_else(String::new, |s| (*s).to_owned());
        for (t, other) in once.iter().skip(1) {
            let tolerance = first.1 + other.1;
            for (at_table, mine, theirs) in [(*t, other, first), (*first_table, first, other)] {
                by_table
                    .entry((doc_of.clone(), (*at_table).to_owned()))
                    .or_default()
                    .check(
                        "表间一致（同一科目在两表所印数字相同）",
                        mine.2,
                        (mine.0, theirs.0),
                        tolerance,
                    );
            }
        }
    }
    revenue_totals(tables, &mut by_table)?;
    sangong_totals(tables, &mut by_table)?;
    Ok(by_table)
}
