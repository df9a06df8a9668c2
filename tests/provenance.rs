//! Traceability: every stored figure of the built-in dataset is printed on the line its provenance
//! names, in the seed report it names (`../shared/seeds/`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::seeds_dir;

use std::collections::HashMap;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::frame::{decimals, ints, strings};
use polars::prelude::DataFrame;
use rust_decimal::Decimal;

struct Seeds(HashMap<String, Vec<String>>);

impl Seeds {
    fn load() -> Self {
        let dir = seeds_dir();
        let mut map = HashMap::new();
        for entry in std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("seed reports expected at {}: {e}", dir.display()))
        {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            map.insert(name, text.lines().map(str::to_owned).collect());
        }
        Self(map)
    }

    /// The line with spaces and thousands commas removed (so `321,163.1 5` reads `321163.15`).
    fn digits(&self, doc: &str, line: i32) -> String {
        let lines = self
            .0
            .get(doc)
            .unwrap_or_else(|| panic!("unknown source_doc {doc}"));
        let text = lines
            .get(usize::try_from(line - 1).unwrap())
            .unwrap_or_else(|| panic!("{doc} has no line {line}"));
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect()
    }
}

/// Check one amount column of a table; returns how many rows were checked.
fn check(seeds: &Seeds, df: &DataFrame, table: &str, col: &str, scale_yuan: bool) -> usize {
    let amounts = decimals(df, col).unwrap();
    let docs = strings(df, "source_doc").unwrap();
    let lines = ints(df, "source_line").unwrap();
    let flags = strings(df, "flags").unwrap();
    let units = strings(df, "source_unit").ok();
    let mut checked = 0;
    let mut failures = Vec::new();
    for i in 0..df.height() {
        let (Some(amount), Some(line)) = (amounts[i], lines[i]) else {
            continue;
        };
        // A blank cell (or a missing amount) stored as 0 has no digits to find.
        if flags[i]
            .split(';')
            .any(|f| f == "blank" || f == "amount_missing" || f == "derived")
        {
            continue;
        }
        let printed = if scale_yuan && units.as_ref().is_some_and(|u| u[i] == "元") {
            amount * Decimal::from(10_000)
        } else {
            amount
        };
        let wanted = printed.normalize().to_string();
        let text = seeds.digits(&docs[i], line);
        if text.contains(&wanted) {
            checked += 1;
        } else {
            failures.push(format!(
                "{table} row {}: {wanted} not on {}:{line}",
                i + 2,
                docs[i]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    checked
}

#[test]
#[ignore = "needs ../shared"]
fn every_figure_is_printed_on_its_source_line() {
    let seeds = Seeds::load();
    let ds = Dataset::builtin().unwrap();
    let t = &ds.tables;
    let mut n = 0;
    n += check(&seeds, &t.amounts, "amounts", "amount", true);
    n += check(&seeds, &t.revenue, "revenue", "amount", true);
    n += check(&seeds, &t.totals, "totals", "amount", true);
    n += check(&seeds, &t.sangong, "sangong", "amount", true);
    n += check(&seeds, &t.projects, "projects", "budget_full_year", true);
    n += check(
        &seeds,
        &t.quarterly,
        "quarterly",
        "cumulative_actual",
        false,
    );
    eprintln!("figures checked on their source line: {n}");
    // Nearly every stored figure is checked (blank cells excepted).
    assert!(n > 900, "only {n} figures checked");
}

#[test]
#[ignore = "needs ../shared"]
fn every_row_names_an_existing_source() {
    let seeds = Seeds::load();
    let ds = Dataset::builtin().unwrap();
    let t = &ds.tables;
    for (name, df) in [
        ("amounts", &t.amounts),
        ("revenue", &t.revenue),
        ("totals", &t.totals),
        ("sangong", &t.sangong),
        ("projects", &t.projects),
        ("indicators", &t.indicators),
        ("quarterly", &t.quarterly),
        ("evaluations", &t.evaluations),
        ("tables", &t.tables),
    ] {
        let docs = strings(df, "source_doc").unwrap();
        let lines = ints(df, "source_line").unwrap();
        assert!(!docs.is_empty(), "{name}: the built-in data has rows");
        // every row names a seed report that exists, and a line that report has (a line that
        // is not blank: the row was read from it)
        let bad: Vec<String> = docs
            .iter()
            .zip(&lines)
            .enumerate()
            .filter(|(_, (doc, line))| {
                let Some(text) = seeds.0.get(doc.as_str()) else {
                    return true;
                };
                line.and_then(|l| usize::try_from(l - 1).ok())
                    .and_then(|k| text.get(k))
                    .is_none_or(|t| t.trim().is_empty())
            })
            .map(|(i, (doc, line))| format!("{name} row {}: {doc} line {line:?}", i + 2))
            .collect();
        assert!(bad.is_empty(), "rows naming no printed line: {bad:#?}");
    }
}
