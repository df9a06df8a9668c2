//! PDF import on synthetic PDFs built in the test from the built-in dataset's figures
//! (`sample-data/amounts.csv`, 2020 公开03 of 深圳市社会保险基金管理局): the table is drawn with
//! ruling lines, split over two pages, read back through the page model and compared figure by
//! figure with the canonical rows it was drawn from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::pdf::{PdfPage, RuledTable, write_pdf};
use fiscal_lens::ingest::report::{Hints, read_report_pdf};
use polars::prelude::*;
use rust_decimal::Decimal;

/// (code, name, total, basic, project) of one printed row.
type SeedRow = (String, String, Decimal, Decimal, Decimal);

/// The rows of 2020 公开03, in printed order.
fn seed_rows() -> Vec<SeedRow> {
    let mut rdr = csv::Reader::from_path("sample-data/amounts.csv").expect("sample-data");
    let headers = rdr.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (dept, year, table, code, name, nature, amount) = (
        col("department"),
        col("year"),
        col("source_table"),
        col("code"),
        col("name"),
        col("nature"),
        col("amount"),
    );
    let mut rows: Vec<SeedRow> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        if &rec[dept] != "深圳市社会保险基金管理局"
            || &rec[year] != "2020"
            || &rec[table] != "公开03"
        {
            continue;
        }
        let key = (rec[code].to_owned(), rec[name].to_owned());
        let value: Decimal = rec[amount].parse().expect("decimal");
        let pos = match rows.iter().position(|r| (r.0.clone(), r.1.clone()) == key) {
            Some(p) => p,
            None => {
                rows.push((key.0, key.1, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO));
                rows.len() - 1
            }
        };
        let r = &mut rows[pos];
        match &rec[nature] {
            "total" => r.2 = value,
            "basic" => r.3 = value,
            "project" => r.4 = value,
            other => panic!("nature {other}"),
        }
    }
    rows
}

/// `1234.5` → `1,234.50`; zero → empty (as printed).
fn printed(d: Decimal) -> String {
    if d.is_zero() {
        return String::new();
    }
    let s = format!("{:.2}", d);
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{frac}")
}

fn header() -> Vec<Vec<String>> {
    let r = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        r(&["项目", "", "本年支出合计", "基本支出", "项目支出"]),
        r(&["功能分类科目编码", "科目名称", "", "", ""]),
        r(&["栏次", "", "1", "2", "3"]),
    ]
}

/// The report: title block (department on one line, the year on the next), then the table over
/// two pages, the title repeated on the second.
fn report_pdf() -> (Vec<u8>, Vec<SeedRow>) {
    let rows = seed_rows();
    assert!(rows.len() > 20, "{} rows", rows.len());
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|(code, name, t, b, p)| {
            vec![
                code.clone(),
                name.clone(),
                printed(*t),
                printed(*b),
                printed(*p),
            ]
        })
        .collect();
    let xs = [40.0, 110.0, 300.0, 390.0, 470.0, 555.0];
    let split = 20.min(body.len());
    let mut pages = Vec::new();
    for (k, part) in [&body[..split], &body[split..]].iter().enumerate() {
        let mut page = PdfPage::new(595.0, 842.0);
        let mut y = 60.0;
        if k == 0 {
            page.text(150.0, y, 16.0, "深圳市社会保险基金管理局");
            y += 26.0;
            page.text(200.0, y, 16.0, "2020年度部门决算");
            y += 40.0;
        }
        page.text(240.0, y, 14.0, "支出决算表");
        y += 20.0;
        page.text(480.0, y, 9.0, "公开03表");
        y += 14.0;
        page.text(40.0, y, 9.0, "部门：深圳市社会保险基金管理局");
        page.text(480.0, y, 9.0, "单位：万元");
        y += 8.0;
        let mut all = header();
        all.extend(part.iter().cloned());
        RuledTable {
            xs: &xs,
            top: y,
            row_height: 18.0,
            size: 8.0,
            rows: &all,
        }
        .draw(&mut page);
        page.text(280.0, 820.0, 9.0, &format!("第 {} 页", k + 1));
        pages.push(page);
    }
    (write_pdf(&pages), rows)
}

fn dec(df: &DataFrame, col: &str, i: usize) -> Decimal {
    let s = df
        .column(col)
        .expect(col)
        .cast(&DataType::String)
        .expect("cast");
    s.str()
        .expect("str")
        .get(i)
        .expect("value")
        .parse()
        .expect("decimal")
}

#[test]
fn ruled_table_over_two_pages_reads_back_exactly() {
    let (bytes, rows) = report_pdf();
    let imported = read_report_pdf("synthetic.pdf", &bytes, &Hints::default());
    let errors: Vec<String> = imported.errors().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        imported.meta.department.as_deref(),
        Some("深圳市社会保险基金管理局")
    );
    assert_eq!(imported.meta.year, Some(2020));
    assert_eq!(imported.pages, 2);
    let report = imported
        .reports
        .iter()
        .find(|r| r.source_table == "公开03")
        .expect("公开03 found");
    assert_eq!(report.chunks, 2);
    assert_eq!(report.page, Some(1));

    let a = &imported.tables.amounts;
    let codes = a.column("code").expect("code").str().expect("str").clone();
    let names = a.column("name").expect("name").str().expect("str").clone();
    let natures = a
        .column("nature")
        .expect("nature")
        .str()
        .expect("str")
        .clone();
    let docs = a
        .column("source_doc")
        .expect("doc")
        .str()
        .expect("str")
        .clone();
    let mut matched = 0;
    for (code, name, t, b, p) in &rows {
        for (nature, want) in [("total", t), ("basic", b), ("project", p)] {
            let hit = (0..a.height()).find(|&i| {
                codes.get(i).unwrap_or("") == code.as_str()
                    && names.get(i) == Some(name.as_str())
                    && natures.get(i) == Some(nature)
            });
            let i = hit.unwrap_or_else(|| panic!("{code} {name} {nature} not read"));
            assert_eq!(dec(a, "amount", i), *want, "{code} {name} {nature}");
            matched += 1;
        }
    }
    assert_eq!(matched, rows.len() * 3);
    // the real figure: 208 社会保障和就业支出 63,682.77 万元, located on page 1
    let i = (0..a.height())
        .find(|&i| codes.get(i) == Some("208") && natures.get(i) == Some("total"))
        .expect("208");
    assert_eq!(
        dec(a, "amount", i),
        "63682.77".parse::<Decimal>().expect("d")
    );
    assert_eq!(docs.get(i), Some("synthetic.pdf#page=1"));
    // rows of the second chunk are located on page 2
    let last = rows.last().expect("rows");
    let j = (0..a.height())
        .find(|&i| codes.get(i).unwrap_or("") == last.0 && natures.get(i) == Some("total"))
        .expect("last row");
    assert_eq!(docs.get(j), Some("synthetic.pdf#page=2"));
}

#[test]
fn scanned_or_broken_pdf_is_a_located_error() {
    let blank = write_pdf(&[PdfPage::new(595.0, 842.0)]);
    let blank_only = read_report_pdf("scan.pdf", &blank, &Hints::default());
    let msg: Vec<String> = blank_only.errors().map(ToString::to_string).collect();
    assert!(msg.iter().any(|m| m.contains("没有文字层")), "{msg:#?}");
    assert_eq!(blank_only.tables.row_count(), 0);
    let garbage = read_report_pdf("bad.pdf", b"%PDF-1.7\n1 0 obj <<", &Hints::default());
    let msg: Vec<String> = garbage.errors().map(ToString::to_string).collect();
    assert!(!msg.is_empty());
    assert!(msg.iter().all(|m| m.starts_with("bad.pdf")), "{msg:#?}");
}
