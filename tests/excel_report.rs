#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! An Excel report (the standard tables laid out on worksheets, as finance systems export them)
//! is read by the report reader sheet by sheet: built here from seed 000's text, one worksheet
//! holding the title and several tables, numbers as number cells.

use std::collections::BTreeMap;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::frame::{decimals, strings};
use fiscal_lens::ingest::{InputKind, detect};
use polars::prelude::DataFrame;
use rust_decimal::Decimal;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/seeds/000_04e09bc6c251173f.txt"
);

/// The seed's lines up to the end of the nine tables, written into worksheets: pipe-table and
/// tab-separated rows become cells (numbers as numeric cells where they are clean numbers), other lines go to
/// column A. `split` puts 公开01–05 and 公开06–09 on two sheets.
fn workbook_from_seed(path: &std::path::Path) {
    let text = std::fs::read_to_string(SEED).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .position(|l| l.contains("第三部分") || l.contains("项目自评综述"))
        .unwrap_or(lines.len())
        .max(360);
    let split_at = lines
        .iter()
        .position(|l| l.contains("一般公共预算财政拨款基本支出决算表"))
        .unwrap();
    let mut sheet = wb.add_worksheet();
    sheet.set_name("决算表1").unwrap();
    let mut row = 0u32;
    for (i, line) in lines.iter().enumerate().take(end) {
        if i == split_at {
            sheet = wb.add_worksheet();
            sheet.set_name("决算表2").unwrap();
            // The title again at the top of the second sheet, as exports repeat it.
            sheet
                .write_string(0, 0, "深圳市社会保险基金管理局2020年度部门决算")
                .unwrap();
            row = 2;
        }
        let t = line.trim();
        let cells: Option<Vec<&str>> = if t.starts_with('|') {
            if t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            Some(t.trim_matches('|').split('|').map(str::trim).collect())
        } else if line.contains('\t') {
            Some(line.split('\t').map(str::trim).collect())
        } else {
            None
        };
        if let Some(cells) = cells {
            for (c, cell) in cells.iter().enumerate() {
                let col = u16::try_from(c).unwrap();
                let clean = cell.replace(',', "");
                match clean.parse::<f64>() {
                    Ok(v) if !cell.contains(' ') && !clean.is_empty() => {
                        sheet.write_number(row, col, v).unwrap();
                    }
                    _ => {
                        sheet.write_string(row, col, *cell).unwrap();
                    }
                }
            }
        } else if !t.is_empty() {
            sheet.write_string(row, 0, t).unwrap();
        }
        row += 1;
    }
    wb.save(path).unwrap();
}

/// (table, stage, measure, fund, classification, code, nature) → amount, from the 公开 tables.
fn amounts_of(df: &DataFrame) -> BTreeMap<Vec<String>, Decimal> {
    let cols = [
        "source_table",
        "stage",
        "measure",
        "fund",
        "classification",
        "code",
        "nature",
    ];
    let text: Vec<Vec<String>> = cols.iter().map(|c| strings(df, c).unwrap()).collect();
    let amounts = decimals(df, "amount").unwrap();
    let mut out = BTreeMap::new();
    for i in 0..df.height() {
        let key: Vec<String> = text.iter().map(|c| c[i].clone()).collect();
        if !key[0].starts_with("公开") {
            continue;
        }
        out.insert(key, amounts[i].unwrap());
    }
    out
}

#[test]
#[ignore = "needs ../shared"]
fn excel_report_reproduces_the_tables_of_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("2020年度部门决算.xlsx");
    workbook_from_seed(&book);
    assert_eq!(detect::detect(&book).unwrap(), InputKind::ReportXlsx);

    let ds = Dataset::from_path(&book).unwrap();
    let builtin = Dataset::builtin().unwrap();
    let got = amounts_of(&ds.tables.amounts);
    let want = amounts_of(&builtin.tables.amounts);
    assert_eq!(got.len(), want.len(), "rows of the nine tables");
    assert_eq!(got, want);

    // Provenance names the workbook and sheet; line = the sheet's row.
    let docs = strings(&ds.tables.amounts, "source_doc").unwrap();
    assert!(
        docs.iter()
            .all(|d| d.ends_with("!决算表1") || d.ends_with("!决算表2"))
    );
    assert!(docs.iter().any(|d| d.ends_with("!决算表2")));

    // 三公 and the 总计 rows come through as well.
    let sangong = decimals(&ds.tables.sangong, "amount").unwrap();
    assert!(sangong.contains(&Some(Decimal::new(5270, 2))));
}
