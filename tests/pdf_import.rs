//! PDF import on synthetic PDFs built in the test from the built-in dataset's figures
//! (`sample-data/amounts.csv`, 2020 公开03 of 深圳市社会保险基金管理局): the table is drawn with
//! ruling lines, split over two pages, read back through the page model and compared figure by
//! figure with the canonical rows it was drawn from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::pdf::{PdfPage, RuledTable, text_width, write_pdf};
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
        let pos = if let Some(p) = rows.iter().position(|r| (r.0.clone(), r.1.clone()) == key) {
            p
        } else {
            rows.push((key.0, key.1, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO));
            rows.len() - 1
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
    let s = format!("{d:.2}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
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

/// 1234567 → `1,234,567`.
fn grouped(v: i64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A Shanghai-style 单位预算 支出预算总表: amounts in 元 (integers), codes split into 类 | 款 | 项
/// columns under one merged 科目编码 header, 基本支出 printed as 人员经费 | 公用经费 under one
/// merged header, the title and unit above the frame, and the table continued on a second page
/// with neither title nor header. The figures are the 2020 公开03 rows in 元, 基本支出 split as
/// 人员 = all but 100 元, 公用 = 100 元 (where 基本支出 > 0).
#[test]
fn split_codes_yuan_and_split_basic_over_two_pages() {
    let rows: Vec<SeedRow> = seed_rows()
        .into_iter()
        .filter(|r| !r.0.is_empty())
        .collect();
    let yuan = |d: Decimal| -> i64 {
        let v = d * Decimal::from(10_000);
        assert!(v.fract().is_zero());
        i64::try_from(v.mantissa() / 10i128.pow(v.scale())).expect("fits")
    };
    let xs = [30.0, 52.0, 70.0, 88.0, 280.0, 352.0, 420.0, 488.0, 565.0];
    let (size, h) = (7.0, 16.0);
    let mut pages = Vec::new();
    let split = 18.min(rows.len());
    for (k, part) in [&rows[..split], &rows[split..]].iter().enumerate() {
        let mut page = PdfPage::new(595.0, 842.0);
        let mut y = 60.0;
        if k == 0 {
            page.text(150.0, y, 16.0, "某市某区某某管理局2026年部门预算");
            y += 40.0;
            page.text(200.0, y, 14.0, "2026年预算单位支出预算总表");
            y += 20.0;
            page.text(40.0, y, 9.0, "编制单位：某市某区某某管理局");
            page.text(500.0, y, 9.0, "单位：元");
            y += 8.0;
            // two header rows with merged cells
            let (y0, y1, y2) = (y, y + h, y + 2.0 * h);
            page.line(xs[0], y0, xs[8], y0);
            page.line(xs[0], y1, xs[3], y1); // under 科目编码 only
            page.line(xs[5], y1, xs[7], y1); // under 基本支出 only
            page.line(xs[0], y2, xs[8], y2);
            for (j, &x) in xs.iter().enumerate() {
                let from = if matches!(j, 1 | 2 | 6) { y1 } else { y0 };
                page.line(x, from, x, y2);
            }
            let mid = |a: f32, b: f32| f32::midpoint(a, b) + size * 0.35;
            page.text(xs[0] + 2.0, mid(y0, y1), size, "科目编码");
            page.text(xs[3] + 2.0, mid(y0, y2), size, "科目名称");
            page.text(xs[4] + 2.0, mid(y0, y2), size, "合计");
            page.text(xs[5] + 2.0, mid(y0, y1), size, "基本支出");
            page.text(xs[7] + 2.0, mid(y0, y2), size, "项目支出");
            for (j, t) in [
                (0, "类"),
                (1, "款"),
                (2, "项"),
                (5, "人员经费"),
                (6, "公用经费"),
            ] {
                page.text(xs[j] + 2.0, mid(y1, y2), size, t);
            }
            y = y2;
        } else {
            y = 50.0;
        }
        let body: Vec<Vec<String>> = part
            .iter()
            .map(|(code, name, t, b, p)| {
                let (b, p, t) = (yuan(*b), yuan(*p), yuan(*t));
                let (personnel, public) = if b > 0 { (b - 100, 100) } else { (0, 0) };
                let cell = |v: i64| if v == 0 { String::new() } else { grouped(v) };
                vec![
                    code.get(..3).unwrap_or("").to_owned(),
                    code.get(3..5).unwrap_or("").to_owned(),
                    code.get(5..7).unwrap_or("").to_owned(),
                    name.clone(),
                    cell(t),
                    cell(personnel),
                    cell(public),
                    cell(p),
                ]
            })
            .collect();
        RuledTable {
            xs: &xs,
            top: y,
            row_height: h,
            size,
            rows: &body,
        }
        .draw(&mut page);
        page.text(280.0, 820.0, 9.0, &format!("- {} -", k + 1));
        pages.push(page);
    }
    let bytes = write_pdf(&pages);
    let imported = read_report_pdf("split.pdf", &bytes, &Hints::default());
    let errors: Vec<String> = imported.errors().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(imported.meta.year, Some(2026));
    assert_eq!(
        imported.meta.department.as_deref(),
        Some("某市某区某某管理局")
    );
    let report = imported
        .reports
        .iter()
        .find(|r| r.source_table == "预算表3")
        .expect("支出总表 found");
    assert_eq!(report.chunks, 2, "continued on page 2 without a title");
    assert_eq!(report.unit_label, "元");

    let a = &imported.tables.amounts;
    let s = |c: &str| a.column(c).expect(c).str().expect("str").clone();
    let (codes, natures, flags, docs) = (s("code"), s("nature"), s("flags"), s("source_doc"));
    for (code, _, t, b, p) in &rows {
        for (nature, want) in [("total", t), ("basic", b), ("project", p)] {
            let i = (0..a.height())
                .find(|&i| codes.get(i) == Some(code.as_str()) && natures.get(i) == Some(nature))
                .unwrap_or_else(|| panic!("{code} {nature} not read"));
            assert_eq!(dec(a, "amount", i), *want, "{code} {nature} (元 → 万元)");
            if nature == "basic" && !b.is_zero() {
                assert!(flags.get(i).unwrap_or("").contains("derived"), "{code}");
            }
        }
    }
    let last = rows.last().expect("rows");
    let j = (0..a.height())
        .find(|&i| codes.get(i) == Some(last.0.as_str()))
        .expect("last row");
    assert_eq!(docs.get(j), Some("split.pdf#page=2"));
}

/// A Shanghai-style 财务收支预算总表 (two-sided, in 元): the 支出 side prints 合计 | 基本支出
/// (人员经费 | 公用经费) | 项目支出 per 类. Each 类 gives one figure per nature — 基本支出 the
/// sum of its two printed columns — never the sub-columns as further totals. The figures are the
/// 2020 公开03 类 rows in 元, 基本支出 split as 人员 = all but 100 元, 公用 = 100 元.
#[test]
fn two_sided_summary_stores_each_nature_once() {
    let rows: Vec<SeedRow> = seed_rows().into_iter().filter(|r| r.0.len() == 3).collect();
    assert!(rows.len() >= 3, "类 rows");
    let yuan = |d: Decimal| -> i64 {
        let v = d * Decimal::from(10_000);
        i64::try_from(v.mantissa() / 10i128.pow(v.scale())).expect("fits")
    };
    let total: i64 = rows.iter().map(|r| yuan(r.2)).sum();
    let xs = [30.0, 120.0, 185.0, 290.0, 355.0, 420.0, 485.0, 565.0];
    let (size, h) = (7.0, 16.0);
    let mut page = PdfPage::new(595.0, 842.0);
    page.text(170.0, 60.0, 14.0, "2026年预算单位财务收支预算总表");
    page.text(40.0, 80.0, 9.0, "编制单位：某市某区某某管理局");
    page.text(500.0, 80.0, 9.0, "单位：元");
    let (y0, y1, y2) = (88.0, 88.0 + h, 88.0 + 2.0 * h);
    page.line(xs[0], y0, xs[7], y0);
    page.line(xs[4], y1, xs[6], y1); // under 基本支出 only
    page.line(xs[0], y2, xs[7], y2);
    for (j, &x) in xs.iter().enumerate() {
        let from = if j == 5 { y1 } else { y0 };
        page.line(x, from, x, y2);
    }
    let mid = |a: f32, b: f32| f32::midpoint(a, b) + size * 0.35;
    for (j, t) in [
        (0, "项目"),
        (1, "预算数"),
        (2, "项目"),
        (3, "合计"),
        (6, "项目支出"),
    ] {
        page.text(xs[j] + 2.0, mid(y0, y2), size, t);
    }
    page.text(xs[4] + 2.0, mid(y0, y1), size, "基本支出");
    page.text(xs[4] + 2.0, mid(y1, y2), size, "人员经费");
    page.text(xs[5] + 2.0, mid(y1, y2), size, "公用经费");
    let ordinals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let cell = |v: i64| if v == 0 { String::new() } else { grouped(v) };
    let mut body: Vec<Vec<String>> = Vec::new();
    let mut sums = (0i64, 0i64, 0i64, 0i64);
    for (k, (_, name, t, b, p)) in rows.iter().enumerate() {
        let (t, b, p) = (yuan(*t), yuan(*b), yuan(*p));
        let (personnel, public) = if b > 0 { (b - 100, 100) } else { (0, 0) };
        sums = (sums.0 + t, sums.1 + personnel, sums.2 + public, sums.3 + p);
        let left = if k == 0 {
            vec!["一、财政拨款收入".to_owned(), grouped(total)]
        } else {
            vec![String::new(), String::new()]
        };
        let mut row = left;
        row.extend([
            format!("{}、{name}", ordinals[k % ordinals.len()]),
            cell(t),
            cell(personnel),
            cell(public),
            cell(p),
        ]);
        body.push(row);
    }
    body.push(vec![
        "收入总计".to_owned(),
        grouped(total),
        "支出总计".to_owned(),
        grouped(sums.0),
        grouped(sums.1),
        grouped(sums.2),
        grouped(sums.3),
    ]);
    RuledTable {
        xs: &xs,
        top: y2,
        row_height: h,
        size,
        rows: &body,
    }
    .draw(&mut page);
    let bytes = write_pdf(&[page]);
    let imported = read_report_pdf("summary.pdf", &bytes, &Hints::default());
    let errors: Vec<String> = imported.errors().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let a = &imported.tables.amounts;
    let s = |c: &str| a.column(c).expect(c).str().expect("str").clone();
    let (codes, natures, tables, flags) = (s("code"), s("nature"), s("source_table"), s("flags"));
    for (code, _, t, b, p) in &rows {
        for (nature, want) in [("total", t), ("basic", b), ("project", p)] {
            let hits: Vec<usize> = (0..a.height())
                .filter(|&i| {
                    tables.get(i) == Some("预算表1")
                        && codes.get(i) == Some(code.as_str())
                        && natures.get(i) == Some(nature)
                })
                .collect();
            assert_eq!(hits.len(), 1, "{code} {nature}: one figure");
            assert_eq!(dec(a, "amount", hits[0]), *want, "{code} {nature}");
            if nature == "basic" && !b.is_zero() {
                assert!(flags.get(hits[0]).unwrap_or("").contains("derived"));
            }
        }
    }
    let t = &imported.tables.totals;
    let kinds = t.column("item").expect("item").str().expect("str").clone();
    let grand: Vec<usize> = (0..t.height())
        .filter(|&i| kinds.get(i) == Some("grand_total"))
        .collect();
    assert_eq!(grand.len(), 1, "one 支出总计");
    assert_eq!(
        dec(t, "amount", grand[0]) * Decimal::from(10_000),
        Decimal::from(sums.0)
    );
}

/// The PDF form of `tests/fixtures/doubts.txt` (see `report_layouts`): ruled tables with a 行次
/// column; a row whose 行次 `29` is set against the ruling line right before its amount
/// `1,154.62` (two fragments on one baseline, 2 pt apart, on either side of a column boundary);
/// one unreadable cell (`abc`); and a second table whose 合计 ≠ 基本 + 项目. Asserts that no 行次
/// value is stored or joined, the bad cell is a located error naming page and column while the
/// rest of its row and table imports, and the second table is 存疑 with its figures flagged.
#[test]
fn row_numbers_split_digits_bad_cell_and_doubtful_table_in_a_pdf() {
    let xs = [40.0, 100.0, 230.0, 262.0, 352.0, 442.0, 532.0];
    let (size, h) = (8.0, 18.0);
    let header: Vec<String> = [
        "科目编码",
        "科目名称",
        "行次",
        "本年支出合计",
        "基本支出",
        "项目支出",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let row = |cells: [&str; 6]| cells.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let first = vec![
        header.clone(),
        row(["合计", "", "1", "1,254.62", "1,214.62", "40.00"]),
        row([
            "201",
            "一般公共服务支出",
            "2",
            "1,254.62",
            "1,214.62",
            "40.00",
        ]),
        row(["20101", "人大事务", "3", "1,254.62", "1,214.62", "40.00"]),
        row(["2010101", "行政运行", "4", "60.00", "60.00", ""]),
        row(["2010102", "一般行政管理事务", "5", "abc", "", "40.00"]),
        // 行次 and 本年支出合计 drawn by hand below, against the boundary between them
        row(["2010150", "事业运行", "", "", "1,154.62", ""]),
    ];
    let second = vec![
        header,
        row(["", "合计", "1", "250.00", "100.00", "140.00"]),
        row([
            "208",
            "社会保障和就业支出",
            "2",
            "250.00",
            "100.00",
            "150.00",
        ]),
        row([
            "20805",
            "行政事业单位养老支出",
            "3",
            "250.00",
            "100.00",
            "150.00",
        ]),
    ];
    let mut page = PdfPage::new(595.0, 842.0);
    page.text(170.0, 60.0, 16.0, "某市某某局2024年度部门决算");
    page.text(240.0, 100.0, 13.0, "支出决算表");
    page.text(480.0, 118.0, 9.0, "单位：万元");
    let top = 124.0;
    let bottom = RuledTable {
        xs: &xs,
        top,
        row_height: h,
        size,
        rows: &first,
    }
    .draw(&mut page);
    let baseline = top + h * 6.5 + size * 0.35;
    page.text(xs[3] - 1.0 - text_width("29", size), baseline, size, "29");
    page.text(xs[3] + 1.0, baseline, size, "1,154.62");
    page.text(200.0, bottom + 50.0, 13.0, "一般公共预算财政拨款支出决算表");
    page.text(480.0, bottom + 68.0, 9.0, "单位：万元");
    RuledTable {
        xs: &xs,
        top: bottom + 74.0,
        row_height: h,
        size,
        rows: &second,
    }
    .draw(&mut page);
    let bytes = write_pdf(&[page]);
    let imported = read_report_pdf("doubts.pdf", &bytes, &Hints::default());
    assert_eq!(imported.meta.year, Some(2024));

    let a = &imported.tables.amounts;
    let s = |c: &str| a.column(c).expect(c).str().expect("str").clone();
    let (codes, natures) = (s("code"), s("nature"));
    let find = |code: &str, nature: &str| -> Vec<Decimal> {
        (0..a.height())
            .filter(|&i| codes.get(i) == Some(code) && natures.get(i) == Some(nature))
            .map(|i| dec(a, "amount", i))
            .collect()
    };
    // every stored amount is one printed in an amount column: no 行次, no join
    let printed: Vec<Decimal> = [
        "1254.62", "1214.62", "40", "60", "1154.62", "250", "100", "140", "150", "0",
    ]
    .iter()
    .map(|v| v.parse().expect("decimal"))
    .collect();
    for i in 0..a.height() {
        let v = dec(a, "amount", i);
        assert!(
            printed.contains(&v),
            "row {i}: {v} was never printed as an amount"
        );
    }
    assert_eq!(
        find("2010150", "total"),
        vec!["1154.62".parse::<Decimal>().expect("d")]
    );
    assert_eq!(
        find("2010150", "basic"),
        vec!["1154.62".parse::<Decimal>().expect("d")]
    );
    assert_eq!(find("2010101", "total"), vec![Decimal::from(60)]);
    // the unreadable cell: a located error (page and column); its row's other cell and the rest
    // of the table import
    let errors: Vec<String> = imported.errors().map(ToString::to_string).collect();
    assert!(
        errors.iter().any(|e| e.starts_with("doubts.pdf#page=1:")
            && e.contains("列 本年支出合计")
            && e.contains("\"abc\"")),
        "{errors:#?}"
    );
    assert!(find("2010102", "total").is_empty());
    assert_eq!(find("2010102", "project"), vec![Decimal::from(40)]);
    // the second table: 合计 250.00 ≠ 100.00 + 140.00 → 存疑, every figure flagged
    common::doubts::assert_second_table_doubtful(&imported);
}
