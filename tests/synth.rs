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

/// One 万元 more on the first 项 row of 201 in the city written to `dir`.
fn add_one_to_the_first_item(dir: &std::path::Path) {
    let path = dir.join("amounts.csv");
    let text = std::fs::read_to_string(&path).unwrap();
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
}

/// A city of `departments` × `years` (seed 7) with one figure changed
/// ([`add_one_to_the_first_item`]), loaded; the folder lives as long as the guard.
fn city_with_a_changed_figure(departments: usize, years: i32) -> (tempfile::TempDir, Dataset) {
    let tmp = tempfile::tempdir().unwrap();
    fiscal_lens::synth::write_city(tmp.path(), departments, years, 7).unwrap();
    add_one_to_the_first_item(tmp.path());
    let ds = Dataset::from_dir(tmp.path()).unwrap();
    (tmp, ds)
}

/// A wrong figure in a synthetic report is found: the checks are not silent on this input.
#[test]
fn a_changed_synthetic_figure_is_found() {
    let (_tmp, ds) = city_with_a_changed_figure(1, 1);
    let findings = check(&ds).unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f.severity == fiscal_lens::analysis::checks::Severity::Error),
        "{findings:#?}"
    );
}

/// The identity plans read a large `amounts` table in batches of whole documents, the summary in
/// batches of whole departments: the findings of `check`, the identities counted per table and
/// the summary are the same for every batch size, on a city with wrong figures in several
/// departments and years, whether each report's rows are together or not.
#[test]
fn batched_identities_equal_one_plan() {
    use fiscal_lens::frame::with_batch_rows;
    use fiscal_lens::ingest::verify::count_by_table;
    let tmp = tempfile::tempdir().unwrap();
    fiscal_lens::synth::write_city(tmp.path(), 3, 2, 11).unwrap();
    let path = tmp.path().join("amounts.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // every 40th 项 total row of the functional tables: one 万元 more
    let mut changed = 0;
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let fields: Vec<&str> = l.split(',').collect();
            if i % 40 == 0 && l.contains(",functional,") && l.contains(",xiang,total,") {
                let amount: rust_decimal::Decimal = fields[12].parse().unwrap();
                changed += 1;
                l.replacen(
                    &format!(",{},", fields[12]),
                    &format!(",{},", amount + rust_decimal::Decimal::ONE),
                    1,
                )
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert!(changed >= 6, "{changed}");
    // as written (each report's rows together: the batches are slices), and with the rows of
    // every report split in two (even rows first, then odd: the batches are filtered out)
    let (header, body) = lines.split_first().unwrap();
    let split: Vec<&String> = std::iter::once(header)
        .chain(body.iter().step_by(2))
        .chain(body.iter().skip(1).step_by(2))
        .collect();
    for (order, text) in [
        ("together", lines.join("\n") + "\n"),
        (
            "split",
            split
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join("\n")
                + "\n",
        ),
    ] {
        std::fs::write(&path, text).unwrap();
        let ds = Dataset::from_dir(tmp.path()).unwrap();
        let rows = ds.tables.amounts.height();
        assert!(rows > 4_000, "{rows}");
        let run = || {
            (
                check(&ds).unwrap(),
                count_by_table(&ds.tables).unwrap(),
                fiscal_lens::analysis::summary::summary(&ds).unwrap(),
            )
        };
        let whole = with_batch_rows(usize::MAX, run);
        let errors = whole
            .0
            .iter()
            .filter(|f| f.severity == fiscal_lens::analysis::checks::Severity::Error)
            .count();
        assert!(errors >= 6, "{order}: {:#?}", whole.0);
        let misses: usize = whole.1.values().map(|i| i.checked - i.held).sum();
        assert!(misses >= 6, "{order}: {misses}");
        // three departments × two years of functional rows
        assert!(whole.2.functional.len() > 600, "{order}");
        // one document per batch, several per batch, and a batch smaller than any document
        for size in [2_000, 800, 1] {
            let batched = with_batch_rows(size, run);
            assert_eq!(
                batched.0, whole.0,
                "{order}: findings, batches of {size} rows"
            );
            assert_eq!(batched.1, whole.1, "{order}: identities, batches of {size}");
            assert_eq!(
                batched.2, whole.2,
                "{order}: summary, batches of {size} rows"
            );
        }
    }
}

/// `summary` marks every figure it gives from a 存疑 table (`doubtful`), and no other: a wrong
/// 项 figure makes its expenditure table 存疑, a wrong 三公 figure its 三公 table; a project row
/// read with the flag is counted in its unit's row.
#[test]
fn summary_marks_the_figures_of_doubtful_tables() {
    use fiscal_lens::analysis::summary;
    let tmp = tempfile::tempdir().unwrap();
    fiscal_lens::synth::write_city(tmp.path(), 1, 2, 7).unwrap();
    let edit = |file: &str, pick: &dyn Fn(&str) -> bool, change: &dyn Fn(&[&str]) -> String| {
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let line = text.lines().find(|l| pick(l)).unwrap().to_owned();
        let fields: Vec<&str> = line.split(',').collect();
        let changed = change(&fields);
        std::fs::write(&path, text.replacen(&line, &changed, 1)).unwrap();
        line.split(',').map(str::to_owned).collect::<Vec<String>>()
    };
    let plus_one = |at: usize| {
        move |f: &[&str]| {
            let mut f: Vec<String> = f.iter().map(|s| (*s).to_owned()).collect();
            let a: rust_decimal::Decimal = f[at].parse().unwrap();
            f[at] = (a + rust_decimal::Decimal::ONE).to_string();
            f.join(",")
        }
    };
    // amounts: department … nature (11), amount (12), source_unit, source_doc, source_table (15)
    let item = edit(
        "amounts.csv",
        &|l| l.contains(",functional,2010101,") && l.contains(",xiang,total,"),
        &plus_one(12),
    );
    // sangong: … category (5), amount (6), source_unit, source_doc, source_table (9)
    let abroad = edit("sangong.csv", &|l| l.contains(",abroad,"), &plus_one(6));
    // projects: the flags column is the 21st (index 20)
    edit("projects.csv", &|l| l.contains("#1,1,"), &|f| {
        let mut f: Vec<String> = f.iter().map(|s| (*s).to_owned()).collect();
        f[20] = "doubtful".to_owned();
        f.join(",")
    });
    let ds = Dataset::from_dir(tmp.path()).unwrap();
    let s = summary::summary(&ds).unwrap();
    let of_item = |r: &summary::FunctionalRow| {
        r.table == item[15] && r.stage == item[4] && r.year.to_string() == item[3]
    };
    assert!(s.functional.iter().any(of_item));
    assert!(s.functional.iter().any(|r| !of_item(r)));
    for r in &s.functional {
        assert_eq!(r.doubtful, of_item(r), "{r:?}");
    }
    // every 三公 row of the changed report's table (both stages are in one table), no other
    let of_abroad =
        |r: &summary::SangongRow| r.table == abroad[9] && r.year.to_string() == abroad[3];
    assert!(s.sangong.iter().any(of_abroad));
    assert!(s.sangong.iter().any(|r| !of_abroad(r)));
    for r in &s.sangong {
        assert_eq!(r.doubtful, of_abroad(r), "{r:?}");
    }
    assert!(s.revenue.iter().all(|r| !r.doubtful));
    let flagged: u32 = s.branches.iter().map(|b| b.doubtful_projects).sum();
    assert_eq!(flagged, 1);
    // written only when true
    let json = serde_json::to_value(&s).unwrap();
    let functional = json["functional"].as_array().unwrap();
    assert!(functional.iter().any(|r| r["doubtful"] == true));
    assert!(functional.iter().any(|r| r.get("doubtful").is_none()));
}

/// `summary --json` formats its functional rows in pieces on two threads: the text is still the
/// summary serialized by `serde_json`'s pretty printer, byte for byte (a city of three pieces, so
/// two rounds of two threads, one figure changed so some rows carry `doubtful`; the built-in data; no rows at all).
#[test]
fn write_json_is_the_summary_serialized() {
    use fiscal_lens::analysis::summary;
    let (_tmp, city) = city_with_a_changed_figure(14, 10);
    let empty = Dataset::empty();
    for (k, ds) in [&city, &Dataset::builtin().unwrap(), &empty]
        .into_iter()
        .enumerate()
    {
        let s = summary::summary(ds).unwrap();
        if k == 0 {
            assert!(s.functional.len() > 2 * 16_384, "{}", s.functional.len());
            assert!(s.functional.iter().any(|r| r.doubtful));
        }
        let mut written = Vec::new();
        summary::write_json(ds, &mut written).unwrap();
        let expected = serde_json::to_string_pretty(&s).unwrap();
        assert!(
            String::from_utf8(written).unwrap() == expected,
            "{} differs",
            ds.name
        );
    }
}
