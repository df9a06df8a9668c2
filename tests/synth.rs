//! The synthetic city of `fiscal_lens::synth` (benchmark input) is consistent: every identity the
//! checks know holds on it, and its figures read back as written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::checks::check;
use fiscal_lens::analysis::overview::catalog;

#[test]
fn a_synthetic_city_passes_every_check() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = fiscal_lens::synth::write_city(tmp.path(), 3, 4, 7).unwrap();
    assert_eq!(rows, 3 * 4 * 792);
    let ds = Dataset::from_dir(tmp.path()).unwrap();
    assert_eq!(ds.tables.amounts.height(), rows);
    let findings = check(&ds).unwrap();
    assert!(
        findings.is_empty(),
        "{:#?}",
        &findings[..findings.len().min(5)]
    );
    let cat = catalog(&ds).unwrap();
    assert_eq!(cat.departments().count(), 3);
    assert_eq!(cat.years("合成市第002局"), (2015..2019).collect::<Vec<_>>());
    // the same seed gives the same files
    let again = tempfile::tempdir().unwrap();
    fiscal_lens::synth::write_city(again.path(), 3, 4, 7).unwrap();
    let read = |d: &std::path::Path| std::fs::read(d.join("amounts.csv")).unwrap();
    assert_eq!(read(tmp.path()), read(again.path()));
}

/// A wrong figure in a synthetic report is found: the checks are not silent on this input.
#[test]
fn a_changed_synthetic_figure_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    fiscal_lens::synth::write_city(tmp.path(), 1, 1, 7).unwrap();
    let path = tmp.path().join("amounts.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // the first 项 row of 201: one 万元 more
    let line = text
        .lines()
        .find(|l| l.contains(",functional,2010101,") && l.contains(",xiang,total,"))
        .unwrap()
        .to_owned();
    let fields: Vec<&str> = line.split(',').collect();
    let amount: rust_decimal::Decimal = fields[12].parse().unwrap();
    let changed = line.replacen(
        &format!(",{},", fields[12]),
        &format!(",{},", amount + rust_decimal::Decimal::ONE),
        1,
    );
    std::fs::write(&path, text.replacen(&line, &changed, 1)).unwrap();
    let ds = Dataset::from_dir(tmp.path()).unwrap();
    let findings = check(&ds).unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f.severity == fiscal_lens::analysis::checks::Severity::Error),
        "{findings:#?}"
    );
}
