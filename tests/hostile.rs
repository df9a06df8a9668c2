//! Hostile figures: amounts whose sums or quotients cannot be held exactly are errors or
//! findings, never a panic (the GUI would crash, the CLI exit 101).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::bin;
use fiscal_lens::Dataset;
use fiscal_lens::analysis::checks::{self, Severity};
use fiscal_lens::app::Command;
use fiscal_lens::model::MoneyUnit;

/// 50,000,000,000,000,000,000,000,000,000 万元: one fits a decimal, two added do not.
const HUGE: &str = "50000000000000000000000000000";

/// `sample-data` copied, with `edit` applied to one of its files.
fn sample_with(
    file: &str,
    edit: impl Fn(Vec<Vec<String>>) -> Vec<Vec<String>>,
) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
    }
    let path = tmp.path().join(file);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&header).unwrap();
    for r in edit(rows) {
        w.write_record(&r).unwrap();
    }
    w.flush().unwrap();
    tmp
}

fn column(file: &str, name: &str) -> usize {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut reader = csv::Reader::from_path(sample.join(file)).unwrap();
    reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == name)
        .unwrap()
}

#[test]
fn project_sums_beyond_a_decimal_are_located_errors() {
    let (b, x) = (
        column("projects.csv", "budget_full_year"),
        column("projects.csv", "executed"),
    );
    let dir = sample_with("projects.csv", |mut rows| {
        for r in rows.iter_mut().filter(|r| !r[b].is_empty()).take(3) {
            r[b] = HUGE.to_owned();
            r[x] = HUGE.to_owned();
        }
        rows
    });
    let (ds, report) = Dataset::import(&[dir.path().to_path_buf()]);
    let ds = ds.unwrap_or_else(|| panic!("{}", report.render()));
    let e = fiscal_lens::analysis::branches::branch_report(&ds, "深圳市社会保险基金管理局", 2020)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("超出可精确表示的范围") && e.contains("projects"),
        "{e}"
    );
    // the CLI says so and exits 2 (not a panic's 101)
    let out = bin().arg("summary").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("超出可精确表示的范围"));
}

#[test]
fn a_hierarchy_whose_children_cannot_be_added_is_a_finding() {
    let (code, level, amount, stage, table) = (
        column("amounts.csv", "code"),
        column("amounts.csv", "level"),
        column("amounts.csv", "amount"),
        column("amounts.csv", "stage"),
        column("amounts.csv", "source_table"),
    );
    // every 款 of 208 in the 决算's 公开03 set to HUGE: the sum of any two overflows
    let dir = sample_with("amounts.csv", |mut rows| {
        for r in rows.iter_mut().filter(|r| {
            r[code].starts_with("208")
                && r[level] == "kuan"
                && r[stage] == "final"
                && r[table] == "公开03"
        }) {
            r[amount] = HUGE.to_owned();
        }
        rows
    });
    let (ds, report) = Dataset::import(&[dir.path().to_path_buf()]);
    let ds = ds.unwrap_or_else(|| panic!("{}", report.render()));
    let findings = checks::check(&ds).unwrap();
    let f = findings
        .iter()
        .find(|f| f.message.contains("超出可精确表示的范围"))
        .expect("a finding says the sum cannot be held");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.location.contains("公开03"), "{}", f.location);
}

/// The app opens the hostile datasets and draws every view without crashing (the views say the
/// figures cannot be computed instead).
#[test]
fn every_view_draws_hostile_figures() {
    use egui_kittest::kittest::Queryable;
    let (b, x) = (
        column("projects.csv", "budget_full_year"),
        column("projects.csv", "executed"),
    );
    let projects = sample_with("projects.csv", |mut rows| {
        for r in rows.iter_mut().filter(|r| !r[b].is_empty()) {
            r[b] = HUGE.to_owned();
            r[x] = HUGE.to_owned();
        }
        rows
    });
    let a = column("amounts.csv", "amount");
    let amounts = sample_with("amounts.csv", |mut rows| {
        for r in &mut rows {
            r[a] = HUGE.to_owned();
        }
        rows
    });
    for dir in [projects, amounts] {
        let mut h = common::harness();
        common::import_files(&mut h, vec![dir.path().to_path_buf()]);
        assert_eq!(h.state().data.datasets.len(), 2, "imported");
        let labels: Vec<&str> = h.state().pages.pages.iter().map(|p| p.label()).collect();
        for unit in [MoneyUnit::Wan, MoneyUnit::Yuan, MoneyUnit::Yi] {
            h.state_mut()
                .execute(&egui::Context::default(), Command::SetUnit(unit));
            for label in &labels {
                h.get_by_label(label).click();
                h.run();
            }
        }
    }
}

/// Strict canonical validation: a column named twice, a year outside 1990–2100, a source line
/// below 1 and a control character are located errors; a byte-order mark inside a cell is
/// dropped with a warning.
#[test]
fn canonical_cells_are_validated_strictly() {
    use fiscal_lens::ingest::canonical::{SANGONG, read_csv};
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let text = std::fs::read_to_string(sample.join("sangong.csv")).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let with = |line: usize, column: usize, value: &str| -> String {
        let mut l = lines.clone();
        let mut cells: Vec<String> = l[line].split(',').map(str::to_owned).collect();
        cells[column] = value.to_owned();
        l[line] = cells.join(",");
        l.join("\n")
    };
    let err = |csv: String| {
        read_csv(&SANGONG, "sangong.csv", csv.as_bytes())
            .unwrap_err()
            .to_string()
    };
    // the year column twice
    let dup = {
        let mut l = lines.clone();
        l[0] = format!("{},year", l[0]);
        for row in l.iter_mut().skip(1) {
            row.push_str(",1999");
        }
        l.join("\n")
    };
    let e = err(dup);
    assert!(e.contains("sangong.csv") && e.contains("列名不重复"), "{e}");
    for bad_year in ["0", "-1", "99999", "1989", "2101"] {
        let e = err(with(1, col("year"), bad_year));
        assert!(
            e.contains("sangong.csv:2") && e.contains("year") && e.contains("1990 至 2100"),
            "{bad_year}: {e}"
        );
    }
    for bad_line in ["0", "-5"] {
        let e = err(with(1, col("source_line"), bad_line));
        assert!(e.contains("source_line") && e.contains("正整数行号"), "{e}");
    }
    let e = err(with(2, col("source_label"), "合计\u{7}"));
    assert!(e.contains("sangong.csv:3") && e.contains("控制字符"), "{e}");
    // a BOM inside a cell: dropped, with a located warning
    let read = read_csv(
        &SANGONG,
        "sangong.csv",
        with(1, col("source_label"), "\u{feff}合计").as_bytes(),
    )
    .unwrap();
    assert!(
        read.warnings
            .iter()
            .any(|w| w.contains("sangong.csv:2") && w.contains("BOM")),
        "{:?}",
        read.warnings
    );
    let labels = read
        .frame
        .column("source_label")
        .unwrap()
        .str()
        .unwrap()
        .clone();
    assert_eq!(labels.get(0), Some("合计"));
}

/// A 2 KB workbook with a cell at XFD1048576 used to abort the process (calamine allocated the
/// 17-billion-cell rectangle); now the rectangle is checked before anything is allocated.
#[test]
fn a_workbook_spanning_the_whole_sheet_is_refused_not_an_abort() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("amounts").unwrap();
    sheet.write_string(0, 0, "department").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000, "{} bytes", bytes.len());
    let e = fiscal_lens::ingest::xlsx::read_workbook("炸弹.xlsx", &bytes)
        .unwrap()
        .tables
        .pop()
        .unwrap()
        .1
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("炸弹.xlsx!amounts") && e.contains("A1:XFD1048576") && e.contains("上限"),
        "{e}"
    );
    // read as a report workbook too
    let e = fiscal_lens::ingest::xlsx::sheets_as_text("炸弹.xlsx", &bytes)
        .unwrap_err()
        .to_string();
    assert!(e.contains("A1:XFD1048576"), "{e}");
    // and through the importer, as a file
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("炸弹.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let (ds, report) = Dataset::import(&[path]);
    assert!(ds.is_none());
    assert!(
        report.render().contains("A1:XFD1048576"),
        "{}",
        report.render()
    );
}

/// A cell reference too long for calamine's arithmetic (found by the fuzzer: it overflowed and
/// panicked) is a located error.
#[test]
fn a_corrupt_cell_reference_is_an_error_not_a_panic() {
    use std::io::{Read, Write};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("sangong").unwrap();
    sheet.write_string(0, 0, "department").unwrap();
    let good = book.save_to_buffer().unwrap();
    // rewrite the zip with the sheet's A1 renamed to a 16-letter column
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name.ends_with("sheet1.xml") {
            let text = String::from_utf8(bytes).unwrap();
            bytes = text
                .replace("r=\"A1\"", "r=\"AAAAAAAAAAAAAAAA1\"")
                .into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    let bad = out.finish().unwrap().into_inner();
    let read = fiscal_lens::ingest::xlsx::read_workbook("坏.xlsx", &bad);
    let errors: Vec<String> = match read {
        Ok(r) => r
            .tables
            .into_iter()
            .filter_map(|(_, t)| t.err())
            .map(|e| e.to_string())
            .collect(),
        Err(e) => vec![e.to_string()],
    };
    assert!(
        errors.iter().any(|e| e.contains("坏.xlsx")),
        "a located error: {errors:?}"
    );
}

/// A Parquet column that cannot be read as text (binary here) is an error naming the file and
/// the column (it named neither).
#[test]
fn a_binary_parquet_column_is_located() {
    use polars::prelude::*;
    // every column of the table as text, but `amount` binary
    let columns: Vec<Column> = fiscal_lens::ingest::canonical::SANGONG
        .columns
        .iter()
        .map(|c| {
            if c.name == "amount" {
                Column::new(c.name.into(), [Some(&b"\xff\xfe"[..])])
            } else {
                Column::new(c.name.into(), ["1"])
            }
        })
        .collect();
    let mut df = DataFrame::new(1, columns).unwrap();
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf).finish(&mut df).unwrap();
    let e = fiscal_lens::ingest::parquet::read_parquet(
        &fiscal_lens::ingest::canonical::SANGONG,
        "三公.parquet",
        &buf,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("三公.parquet") && e.contains("列 amount") && e.contains("无法读取此列"),
        "{e}"
    );
}
