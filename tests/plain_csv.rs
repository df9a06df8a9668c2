//! A plain canonical CSV file is read by polars' reader (`read_csv_file`); the result must be
//! exactly what the cell-by-cell reader (`read_csv` on the bytes) gives: the same frame, the same
//! row locations. Files that are not plain — quoted, CRLF, ragged, padded, bad values — give the
//! cell reader's own result or located error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

use std::path::Path;

use fiscal_lens::ingest::canonical::{self, ALL_TABLES, TableSpec};

const MAX: u64 = 1 << 30;

/// Both readers on one file: equal frames and row locations, or equal errors.
fn same(spec: &TableSpec, path: &Path) -> Result<usize, String> {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let fast = canonical::read_csv_file(spec, &name, path, MAX);
    let cells = canonical::read_csv(spec, &name, &std::fs::read(path).unwrap());
    match (fast, cells) {
        (Ok(a), Ok(b)) => {
            assert!(
                a.frame.equals_missing(&b.frame),
                "{name}: frames differ\n{:?}\n{:?}",
                a.frame.head(Some(3)),
                b.frame.head(Some(3))
            );
            assert_eq!(a.frame.schema(), b.frame.schema(), "{name}");
            assert_eq!(a.rows.len(), b.rows.len());
            for i in [0, a.rows.len() / 2, a.rows.len().saturating_sub(1)] {
                assert_eq!(
                    a.rows.get(i).map(|l| l.to_string()),
                    b.rows.get(i).map(|l| l.to_string()),
                    "{name} row {i}"
                );
            }
            assert_eq!(a.warnings, b.warnings, "{name}");
            Ok(a.frame.height())
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "{name}");
            Err(a.to_string())
        }
        (a, b) => panic!(
            "{name}: one reader failed: {:?} / {:?}",
            a.map(|t| t.frame.height()),
            b.map(|t| t.frame.height())
        ),
    }
}

/// Whether polars' reader took the file (rather than the cell reader).
fn plain(spec: &TableSpec, path: &Path) -> bool {
    canonical::read_plain_csv(spec, "f.csv", path, MAX).is_some()
}

fn spec(name: &str) -> &'static TableSpec {
    ALL_TABLES.iter().find(|s| s.name == name).unwrap()
}

#[test]
fn sample_data_and_a_synthetic_city_read_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    for spec in &ALL_TABLES {
        let path = root.join(format!("{}.csv", spec.name));
        if path.exists() {
            same(spec, &path).unwrap();
            // a file with the canonical header is plain (tables.csv predates its verdict columns)
            let text = std::fs::read_to_string(&path).unwrap();
            let names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
            let canonical_header = text.lines().next() == Some(names.join(",").as_str());
            assert_eq!(plain(spec, &path), canonical_header, "{}", spec.name);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    fiscal_lens::synth::write_city(dir.path(), 3, 2, 11).unwrap();
    let amounts = dir.path().join("amounts.csv");
    let rows = same(spec("amounts"), &amounts).unwrap();
    assert!(rows > 4_000, "{rows}");
    assert!(plain(spec("amounts"), &amounts));
    for table in ["revenue", "totals", "sangong", "projects", "tables"] {
        same(spec(table), &dir.path().join(format!("{table}.csv"))).unwrap();
    }
}

#[test]
fn files_that_are_not_plain_give_the_cell_readers_result() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let text = std::fs::read_to_string(root.join("sangong.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let sangong = spec("sangong");
    // CRLF line ends, a quoted cell, no final line break: read, and the same
    let crlf = write("crlf.csv", lines.join("\r\n"));
    same(sangong, &crlf).unwrap();
    assert!(!plain(sangong, &crlf));
    let quoted = text.replacen(
        "深圳市社会保险基金管理局",
        "\"深圳市社会保险基金管理局\"",
        1,
    );
    same(sangong, &write("quoted.csv", quoted)).unwrap();
    let last = write("no_final_newline.csv", lines.join("\n"));
    same(sangong, &last).unwrap();
    assert!(plain(sangong, &last));
    // a BOM, a padded value: the cell reader's result (trimmed, BOM dropped)
    same(sangong, &write("bom.csv", format!("\u{feff}{text}"))).unwrap();
    let padded = text.replacen(",全部门,", ", 全部门 ,", 1);
    let padded = write("padded.csv", padded);
    same(sangong, &padded).unwrap();
    assert!(!plain(sangong, &padded));
    // errors, located as the cell reader locates them
    let short = format!("{}\n{}\n", lines[0], "深圳市社会保险基金管理局,全部门");
    let e = same(sangong, &write("short.csv", short)).unwrap_err();
    assert!(e.contains("short.csv"), "{e}");
    let mut bad = lines.clone();
    let broken = bad[3].replacen("2020", "20x0", 1);
    bad[3] = &broken;
    let e = same(sangong, &write("bad_year.csv", bad.join("\n") + "\n")).unwrap_err();
    assert!(e.contains("bad_year.csv") && e.contains('4'), "{e}");
    // a quoted field holding the separator is plain; one holding a line break is not
    let comma = text.replacen(",全部门,", ",\"全部门,本级\",", 1);
    let comma = write("comma.csv", comma);
    same(sangong, &comma).unwrap();
    assert!(plain(sangong, &comma));
    let newline = text.replacen(",全部门,", ",\"全部\n门\",", 1);
    let newline = write("newline.csv", newline);
    let _ = same(sangong, &newline);
    assert!(!plain(sangong, &newline));
    // an empty line in the middle
    let mut gap = lines.clone();
    gap.insert(2, "");
    let _ = same(sangong, &write("gap.csv", gap.join("\n") + "\n"));
}

/// Random cells of a small city's amounts changed — emptied, quoted, quoted empty, quoted
/// around the separator or a doubled quote, lengthened past a view's 12 bytes, padded — and
/// both readers read each file: the same frame and row locations, or the same located error.
/// Polars' reader reads text columns as categoricals of their own (empty cells as nulls), so
/// this is where it could differ from the cell reader.
#[test]
fn random_cells_read_the_same_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    fiscal_lens::synth::write_city(dir.path(), 1, 1, 5).unwrap();
    let text = std::fs::read_to_string(dir.path().join("amounts.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(!text.contains('"'), "the base file is unquoted");
    let amounts = spec("amounts");
    let mut rng = fastrand::Rng::with_seed(17);
    let (mut read, mut refused, mut by_polars) = (0, 0, 0);
    for round in 0..80 {
        let mut rows: Vec<Vec<String>> = lines[1..]
            .iter()
            .take(300)
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        for _ in 0..rng.usize(1..5) {
            let r = rng.usize(..rows.len());
            let c = rng.usize(..rows[r].len());
            let cell = rows[r][c].clone();
            rows[r][c] = match rng.usize(..8) {
                0 => String::new(),
                1 => format!("\"{cell}\""),
                2 => "\"\"".to_owned(),
                3 => format!("\"{cell},{cell}\""),
                4 => format!("\"{cell}\"\"x\""),
                5 => format!("{cell}{}", "直属单位".repeat(rng.usize(1..4))),
                6 => format!(" {cell}"),
                // the same long value in many rows of the column
                _ => {
                    for row in rows.iter_mut().step_by(7) {
                        row[c] = format!("{}长名称", row[c]);
                    }
                    rows[r][c].clone()
                }
            };
        }
        let body = std::iter::once(lines[0].to_owned())
            .chain(rows.iter().map(|r| r.join(",")))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        let path = dir.path().join(format!("amounts_{round}.csv"));
        std::fs::write(&path, body).unwrap();
        match same(amounts, &path) {
            Ok(n) => {
                assert_eq!(n, rows.len());
                read += 1;
            }
            Err(_) => refused += 1,
        }
        if plain(amounts, &path) {
            by_polars += 1;
        }
    }
    // both outcomes, and polars' reader, were exercised
    assert!(
        read >= 10 && refused >= 10 && by_polars >= 10,
        "{read} read, {refused} refused, {by_polars} by polars' reader"
    );
}
