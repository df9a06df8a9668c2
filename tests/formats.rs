//! Canonical file formats: GBK / BOM CSV, Parquet and XLSX round trips, located errors,
//! all-or-nothing writes, merging inputs, and the `import` CLI.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::bin;

use std::path::{Path, PathBuf};

use fiscal_lens::Dataset;
use fiscal_lens::analysis::summary;
use fiscal_lens::dataset::Origin;
use fiscal_lens::ingest::canonical::{self, ALL_TABLES};
use fiscal_lens::ingest::{Format, InputKind, Tables, detect, write_dataset};
use fiscal_lens::model::Severity;
use serde_json::Value;

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

fn builtin() -> Dataset {
    Dataset::builtin().unwrap()
}

/// Every table of `a` equals the one of `b`: same columns, dtypes (Decimal(38,6) included),
/// values, nulls and empty strings.
fn assert_tables_equal(a: &Tables, b: &Tables, what: &str) {
    for ((spec, x), (_, y)) in a.iter().zip(b.iter()) {
        assert_eq!(x.schema(), y.schema(), "{what}: schema of {}", spec.name);
        assert_eq!(x.height(), y.height(), "{what}: rows of {}", spec.name);
        assert!(
            x.equals_missing(y),
            "{what}: {} differs\n{x}\n{y}",
            spec.name
        );
    }
}

/// The 2020 final 社会保障和就业支出 (208) of the whole department in the summary.
fn figure_208(ds: &Dataset) -> Option<String> {
    let s = summary::summary(ds).unwrap();
    s.functional
        .iter()
        .find(|r| {
            r.year == 2020
                && r.stage == "final"
                && r.fund == "all"
                && r.code == "208"
                && r.scope == "全部门"
        })
        .and_then(|r| r.total.clone())
}

#[test]
fn gbk_csv_is_decoded_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    for spec in &ALL_TABLES {
        let text = std::fs::read_to_string(sample_dir().join(spec.file_name())).unwrap();
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable, "{} has characters outside GBK", spec.name);
        assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
        std::fs::write(dir.path().join(spec.file_name()), &gbk).unwrap();
    }
    let ds = Dataset::from_path(dir.path()).unwrap();
    assert_tables_equal(&ds.tables, &builtin().tables, "GBK");
    assert_eq!(figure_208(&ds).as_deref(), Some("63682.77"));
    let gbk_notes = ds
        .log
        .entries
        .iter()
        .filter(|e| e.level == Severity::Note && e.message.contains("GBK"))
        .count();
    assert_eq!(gbk_notes, ALL_TABLES.len(), "{:?}", ds.log);
    assert!(ds.log.warnings().next().is_none());
}

#[test]
fn bom_csv_and_single_file_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read(sample_dir().join("amounts.csv")).unwrap();
    // A BOM file under a name that is not a table stem: known by its header.
    let file = dir.path().join("2020决算-功能分类.csv");
    std::fs::write(&file, [b"\xEF\xBB\xBF".as_slice(), &text].concat()).unwrap();
    assert_eq!(
        detect::detect(&file).unwrap(),
        InputKind::CanonicalCsv { table: "amounts" }
    );
    let ds = Dataset::from_path(&file).unwrap();
    assert_eq!(ds.origin, Origin::File(file.clone()));
    assert!(ds.tables.amounts.equals_missing(&builtin().tables.amounts));
    assert_eq!(ds.tables.sangong.height(), 0);
    assert_eq!(
        ds.tables.sangong.schema(),
        builtin().tables.sangong.schema()
    );
    assert_eq!(figure_208(&ds).as_deref(), Some("63682.77"));
}

#[test]
fn csv_parquet_xlsx_round_trips_are_lossless() {
    let original = builtin();
    let tmp = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let out = match format {
            Format::Xlsx => tmp.path().join("book.xlsx"),
            _ => tmp.path().join(format.name()),
        };
        let written = write_dataset(&original.tables, &out, format).unwrap();
        assert_eq!(written, out);
        let back = Dataset::from_path(&out).unwrap();
        assert_tables_equal(&back.tables, &original.tables, format.name());
        assert!(back.log.warnings().next().is_none(), "{:?}", back.log);
        // And once more from what was read back: the second generation equals the first.
        let again = tmp.path().join(format!("again-{}", format.name()));
        let again = match format {
            Format::Xlsx => again.with_extension("xlsx"),
            _ => again,
        };
        write_dataset(&back.tables, &again, format).unwrap();
        let back2 = Dataset::from_path(&again).unwrap();
        assert_tables_equal(&back2.tables, &original.tables, "second generation");
    }
    // CSV → Parquet → CSV gives the same CSV bytes.
    let csv1 = tmp.path().join("csv");
    let pq = Dataset::from_path(&tmp.path().join("parquet")).unwrap();
    let csv2 = tmp.path().join("csv-from-parquet");
    write_dataset(&pq.tables, &csv2, Format::Csv).unwrap();
    for spec in &ALL_TABLES {
        assert_eq!(
            std::fs::read(csv1.join(spec.file_name())).unwrap(),
            std::fs::read(csv2.join(spec.file_name())).unwrap(),
            "{}",
            spec.name
        );
    }
}

const SANGONG_HEADER: &str = "department,unit,scope,year,stage,category,amount,source_unit,source_doc,source_table,source_line,source_label,flags,note";
const PROJECTS_HEADER: &str = "department,unit,scope,year,project_id,seq,name,name_status,budget_initial,budget_full_year,executed,stated_rate,score,reason_tags,reasons,source_unit,source_doc,source_table,source_line,source_label,flags,note";

/// Edge values: six decimals, more significant digits than a double holds, negatives, zero,
/// nulls, empty strings, text that looks like a number, quotes, commas and a line break.
fn edge_tables() -> Tables {
    let sangong = format!(
        "{SANGONG_HEADER}\n\
         测试局,全部门,全部门,2024,final,total,0.000001,元,t.txt,公开07,1,,,\n\
         测试局,全部门,全部门,2024,final,abroad,123456789.123456,万元,t.txt,公开07,2,,,\n\
         测试局,全部门,全部门,2024,final,vehicle,98765432109876543.654321,万元,t.txt,公开07,,\"a,b\",blank,\"he said \"\"0.10\"\"\"\n\
         测试局,全部门,全部门,2024,final,reception,-0.5,万元,t.txt,公开07,4,007,,\"line one\nline two\"\n\
         测试局,全部门,全部门,2024,budget_adjusted,total,0,万元,t.txt,公开07,5,  ,,\n"
    );
    let projects = format!(
        "{PROJECTS_HEADER}\n\
         测试局,本级,本级,2024,t#1,1,,missing,,0.123456,,,,,,元,t.txt,项目自评表,9,,,\n\
         测试局,本级,本级,2024,t#2,2,项目二,ok,10,12.5,12.499999,0.999999,99.5,无,原因,万元,t.txt,项目自评表,10,（2）,,\n"
    );
    let base = builtin().tables.as_ref().clone();
    Tables {
        sangong: canonical::read_table(&canonical::SANGONG, "s.csv", sangong.as_bytes())
            .unwrap()
            .0,
        projects: canonical::read_table(&canonical::PROJECTS, "p.csv", projects.as_bytes())
            .unwrap()
            .0,
        ..base
    }
}

#[test]
fn edge_values_round_trip_exactly() {
    let tables = edge_tables();
    let p = tables.projects.column("budget_initial").unwrap();
    assert_eq!(p.null_count(), 1, "an empty decimal is null");
    let tmp = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let out = match format {
            Format::Xlsx => tmp.path().join("edge.xlsx"),
            _ => tmp.path().join(format.name()),
        };
        write_dataset(&tables, &out, format).unwrap();
        let back = Dataset::from_path(&out).unwrap();
        assert_tables_equal(&back.tables, &tables, format.name());
    }
    // The big figure has more digits than a double: the workbook holds it as exact text.
    let amount = tables.sangong.column("amount").unwrap().decimal().unwrap();
    assert_eq!(
        amount.physical().get(2),
        Some(98_765_432_109_876_543_654_321)
    );
}

#[test]
fn bad_xlsx_cell_is_located_as_sheet_cell() {
    use rust_xlsxwriter::Workbook;
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.xlsx");
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet().set_name("sangong").unwrap();
    for (c, h) in (0u16..).zip(SANGONG_HEADER.split(',')) {
        sheet.write_string(0, c, h).unwrap();
    }
    let good = [
        "测试局",
        "全部门",
        "全部门",
        "2024",
        "final",
        "total",
        "",
        "万元",
        "t.txt",
        "公开07",
    ];
    for r in 1..=3u32 {
        for (c, v) in (0u16..).zip(good) {
            if c == 3 {
                sheet.write_number(r, c, 2024.0).unwrap();
            } else if !v.is_empty() {
                sheet.write_string(r, c, v).unwrap();
            }
        }
    }
    sheet.write_number(1, 6, 12.34).unwrap();
    sheet.write_string(2, 6, "12.3x").unwrap();
    sheet.write_number(3, 6, 1.0 / 3.0).unwrap();
    wb.save(&file).unwrap();

    let err = Dataset::from_path(&file).unwrap_err().to_string();
    assert!(err.contains("bad.xlsx!sangong!G3"), "{err}");
    assert!(err.contains("amount"), "{err}");
    assert!(err.contains("12.3x"), "{err}");

    // All problems of an input are in the report, each located.
    let (ds, report) = Dataset::import(std::slice::from_ref(&file));
    assert!(ds.is_none());
    let text = report.render();
    assert!(text.contains("bad.xlsx!sangong!G3"), "{text}");

    // A number with more than six decimals is an error too, never rounded.
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet().set_name("sangong").unwrap();
    for (c, h) in (0u16..).zip(SANGONG_HEADER.split(',')) {
        sheet.write_string(0, c, h).unwrap();
    }
    for (c, v) in (0u16..).zip(good) {
        if c == 3 {
            sheet.write_number(4, c, 2024.0).unwrap();
        } else if !v.is_empty() {
            sheet.write_string(4, c, v).unwrap();
        }
    }
    sheet.write_number(4, 6, 1.0 / 3.0).unwrap();
    let file2 = tmp.path().join("third.xlsx");
    wb.save(&file2).unwrap();
    let err = Dataset::from_path(&file2).unwrap_err().to_string();
    assert!(err.contains("third.xlsx!sangong!G5"), "{err}");
    assert!(err.contains("0.3333333333333333"), "{err}");
}

#[test]
fn failed_write_leaves_no_partial_output() {
    let mut tables = builtin().tables.as_ref().clone();
    // The last table cannot be written (a column is missing): the eight before it were written
    // into the temporary location already.
    tables.tables = tables.tables.drop("title").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let out = match format {
            Format::Xlsx => tmp.path().join("out.xlsx"),
            _ => tmp.path().join(format.name()),
        };
        let err = write_dataset(&tables, &out, format)
            .unwrap_err()
            .to_string();
        assert!(err.contains("title"), "{err}");
        assert!(!out.exists(), "{format}: {} exists", out.display());
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "leftovers: {left:?}");
}

#[test]
fn existing_output_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let sangong = std::fs::read(sample_dir().join("sangong.csv")).unwrap();
    std::fs::write(src.join("sangong.csv"), &sangong).unwrap();
    let ds = Dataset::from_path(&src).unwrap();
    for format in [Format::Csv, Format::Parquet] {
        let err = write_dataset(&ds.tables, &src, format).unwrap_err();
        assert!(err.to_string().contains("已存在"), "{err}");
    }
    assert_eq!(std::fs::read(src.join("sangong.csv")).unwrap(), sangong);
    assert_eq!(std::fs::read_dir(&src).unwrap().count(), 1);
    // An empty folder may be the destination.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    write_dataset(&ds.tables, &empty, Format::Csv).unwrap();
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), ALL_TABLES.len());
    // XLSX into an existing folder → dataset.xlsx; a second time is refused.
    write_dataset(&ds.tables, &empty, Format::Xlsx).unwrap();
    assert!(empty.join("dataset.xlsx").is_file());
    assert!(write_dataset(&ds.tables, &empty, Format::Xlsx).is_err());
}

#[test]
fn merging_inputs_refuses_duplicates_with_locations() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b.xlsx");
    write_dataset(&builtin().tables, &a, Format::Csv).unwrap();
    write_dataset(&builtin().tables, &b, Format::Xlsx).unwrap();
    let (ds, report) = Dataset::import(&[a.clone(), b.clone()]);
    assert!(ds.is_none());
    let text = report.render();
    // sangong.csv line 2 is the first row; in the workbook it is row 2 of sheet sangong.
    assert!(text.contains("b.xlsx!sangong!A2"), "{text}");
    assert!(text.contains("a/sangong.csv:2"), "{text}");
    assert!(text.contains("重复"), "{text}");

    // Disjoint inputs merge: sangong from one file, the rest from a Parquet folder without it.
    let mut rest = builtin().tables.as_ref().clone();
    rest.sangong = canonical::empty_frame(&canonical::SANGONG).unwrap();
    let pq = tmp.path().join("rest");
    write_dataset(&rest, &pq, Format::Parquet).unwrap();
    let one = tmp.path().join("三公.csv");
    std::fs::copy(a.join("sangong.csv"), &one).unwrap();
    let (ds, report) = Dataset::import(&[pq.clone(), one.clone()]);
    assert!(!report.has_errors(), "{}", report.render());
    let ds = ds.unwrap();
    assert_eq!(ds.origin, Origin::Inputs(vec![pq, one]));
    assert_tables_equal(&ds.tables, &builtin().tables, "merged");
}

#[test]
fn report_text_without_tables_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("2020决算.txt");
    std::fs::write(&file, "深圳市社会保险基金管理局2020年度部门决算\n").unwrap();
    assert_eq!(detect::detect(&file).unwrap(), InputKind::ReportText);
    let err = Dataset::from_path(&file).unwrap_err().to_string();
    assert!(err.contains("2020决算.txt"), "{err}");
    assert!(err.contains("没有找到可导入"), "{err}");

    // A workbook without canonical sheets is an Excel report: one with no readable table is a
    // located error too.
    let book = tmp.path().join("决算表.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("公开01")
        .unwrap()
        .write_string(0, 0, "收入支出决算总表")
        .unwrap();
    wb.save(&book).unwrap();
    assert_eq!(detect::detect(&book).unwrap(), InputKind::ReportXlsx);
    let err = Dataset::from_path(&book).unwrap_err().to_string();
    assert!(err.contains("决算表.xlsx"), "{err}");
    assert!(err.contains("没有找到可导入的标准表"), "{err}");
}

// ---- CLI ----

fn summary_json(path: Option<&Path>) -> Value {
    let mut cmd = bin();
    cmd.arg("summary");
    if let Some(p) = path {
        cmd.arg(p);
    }
    let out = cmd.arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The dataset name differs; everything else must be equal.
    v.as_object_mut().unwrap().remove("dataset");
    v
}

#[test]
fn cli_import_to_each_format_then_summary_equals_builtin() {
    let expected = summary_json(None);
    assert!(!expected["functional"].as_array().unwrap().is_empty());
    let amounts_rows = format!("{} 行", builtin().tables.amounts.height());
    let tmp = tempfile::tempdir().unwrap();
    for (format, out) in [
        ("csv", tmp.path().join("csv")),
        ("parquet", tmp.path().join("parquet")),
        ("xlsx", tmp.path().join("book.xlsx")),
    ] {
        let run = bin()
            .arg("import")
            .arg(sample_dir())
            .arg("--out")
            .arg(&out)
            .args(["--format", format])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(
            run.status.success(),
            "{format}: {stdout}\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(stdout.contains("amounts"), "{stdout}");
        assert!(stdout.contains(&amounts_rows), "{stdout}");
        assert!(stdout.contains("错误 0 个"), "{stdout}");
        assert_eq!(summary_json(Some(&out)), expected, "{format}");
    }
    // Re-import the workbook and the Parquet folder together: the same rows twice → exit 2.
    let out = tmp.path().join("twice");
    let run = bin()
        .arg("import")
        .arg(tmp.path().join("book.xlsx"))
        .arg(tmp.path().join("parquet"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("amounts.parquet[第 1 行]"), "{stdout}");
    assert!(stdout.contains("book.xlsx!amounts!A2"), "{stdout}");
    assert!(String::from_utf8_lossy(&run.stderr).contains("未写出"));
    assert!(!out.exists());
}

#[test]
fn cli_import_errors_exit_2_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(
        src.join("sangong.csv"),
        format!(
            "{SANGONG_HEADER}\n测试局,全部门,全部门,2024,final,total,12.34,万元,t.txt,公开07,9,,,\n\
             测试局,全部门,全部门,2024,final,total,1.2.3,万元,t.txt,公开07,10,,,\n"
        ),
    )
    .unwrap();
    let report = tmp.path().join("report.md");
    std::fs::write(&report, "# 报告\n").unwrap();
    let out = tmp.path().join("out");
    let run = bin()
        .arg("import")
        .arg(&src)
        .arg(&report)
        .arg("--out")
        .arg(&out)
        .args(["--format", "parquet"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("sangong.csv:3 列 amount"), "{stdout}");
    assert!(stdout.contains("report.md"), "{stdout}");
    assert!(stdout.contains("没有找到可导入"), "{stdout}");
    assert!(!out.exists());

    // The xlsx format is inferred from the extension.
    std::fs::write(
        src.join("sangong.csv"),
        format!(
            "{SANGONG_HEADER}\n测试局,全部门,全部门,2024,final,total,12.34,万元,t.txt,公开07,9,,,\n"
        ),
    )
    .unwrap();
    let book = tmp.path().join("x.xlsx");
    let run = bin()
        .arg("import")
        .arg(&src)
        .arg("--out")
        .arg(&book)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(detect::detect(&book).unwrap(), InputKind::CanonicalXlsx);
    let v = summary_json(Some(&book));
    assert_eq!(v["sangong"][0]["amount"], "12.34");
}

#[test]
fn parquet_stores_decimals_as_decimal_38_6() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pq");
    write_dataset(&builtin().tables, &out, Format::Parquet).unwrap();
    let bytes = std::fs::read(out.join("projects.parquet")).unwrap();
    let raw = fiscal_lens::ingest::parquet::read_frame("projects.parquet", &bytes).unwrap();
    for name in ["budget_initial", "executed", "score"] {
        assert_eq!(
            raw.column(name).unwrap().dtype(),
            &polars::prelude::DataType::Decimal(38, 6),
            "{name}"
        );
    }
    assert_eq!(
        raw.column("year").unwrap().dtype(),
        &polars::prelude::DataType::Int32
    );
}

#[test]
fn writer_refuses_what_would_not_read_back() {
    use polars::prelude::{Column, PlSmallStr};
    let base = builtin().tables.as_ref().clone();
    let h = base.sangong.height();
    let tmp = tempfile::tempdir().unwrap();

    // An invalid key value: refused with the location the reader gives, nothing written.
    let mut bad = base.clone();
    bad.sangong
        .with_column(Column::new(PlSmallStr::from("category"), vec!["taxi"; h]))
        .unwrap();
    for format in Format::ALL {
        let out = tmp.path().join(format!("bad.{}", format.name()));
        let err = write_dataset(&bad, &out, format).unwrap_err().to_string();
        assert!(err.contains("category"), "{format}: {err}");
        assert!(err.contains("taxi"), "{format}: {err}");
        assert!(!out.exists());
    }

    // Text that the reader would trim: the round trip would not be exact, so it is refused.
    let mut padded = base.clone();
    padded
        .sangong
        .with_column(Column::new(PlSmallStr::from("note"), vec![" x "; h]))
        .unwrap();
    let out = tmp.path().join("padded");
    let err = write_dataset(&padded, &out, Format::Csv)
        .unwrap_err()
        .to_string();
    assert!(err.contains("列 note"), "{err}");
    assert!(err.contains("不一致"), "{err}");
    assert!(!out.exists());

    // A null in a text column is the empty text.
    let mut nulls = base;
    nulls
        .sangong
        .with_column(Column::new(PlSmallStr::from("note"), vec![None::<&str>; h]))
        .unwrap();
    let out = tmp.path().join("nulls.xlsx");
    write_dataset(&nulls, &out, Format::Xlsx).unwrap();
    let back = Dataset::from_path(&out).unwrap();
    let notes = back.tables.sangong.column("note").unwrap();
    assert_eq!(notes.null_count(), 0);
    assert_eq!(notes.str().unwrap().get(0), Some(""));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn gbk_errors_stay_located() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{SANGONG_HEADER}\n测试局,全部门,全部门,2024,final,total,12.34,万元,t.txt,公开07,9,,,\n\
         测试局,全部门,全部门,2024,final,公务接待,1,万元,t.txt,公开07,10,,,\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let file = tmp.path().join("sangong.csv");
    std::fs::write(&file, &gbk).unwrap();
    let err = Dataset::from_path(&file).unwrap_err().to_string();
    assert!(err.contains("sangong.csv:3 列 category"), "{err}");
    assert!(err.contains("公务接待"), "{err}");
}
