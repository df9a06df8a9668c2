//! The 存疑 table of the `tests/fixtures/doubts.txt` report (text) and of its PDF form: the
//! 一般公共预算财政拨款支出决算表 whose 合计 row says 250.00 = 100.00 + 140.00.

use fiscal_lens::ingest::report::ReportImport;
use fiscal_lens::ingest::verify::Verdict;

/// The second table is 存疑 for 合计 = 基本 + 项目, every figure of it carries `doubtful`, and
/// the manifest records the verdict. Returns the table's id.
pub fn assert_second_table_doubtful(import: &ReportImport) -> String {
    let report = import
        .reports
        .iter()
        .find(|r| r.title.contains("财政拨款支出决算表"))
        .expect("second table read");
    assert_eq!(
        report.verdict,
        Some(Verdict::Doubtful),
        "{}",
        report.verdict_note
    );
    assert!(
        report.verdict_note.contains("合计 = 基本 + 项目"),
        "{}",
        report.verdict_note
    );
    let id = report.source_table.clone();
    let text = |df: &polars::prelude::DataFrame, name: &str| -> Vec<String> {
        let c = df
            .column(name)
            .expect(name)
            .str()
            .expect("text column")
            .clone();
        c.iter().map(|v| v.unwrap_or_default().to_owned()).collect()
    };
    let a = &import.tables.amounts;
    let (tables, flags) = (text(a, "source_table"), text(a, "flags"));
    let of_table: Vec<&String> = tables
        .iter()
        .zip(&flags)
        .filter(|(t, _)| **t == id)
        .map(|(_, f)| f)
        .collect();
    assert!(!of_table.is_empty());
    assert!(of_table.iter().all(|f| f.contains("doubtful")));
    let m = &import.tables.tables;
    let (ids, verdicts) = (text(m, "source_table"), text(m, "verdict"));
    let k = ids.iter().position(|t| *t == id).expect("in the manifest");
    assert_eq!(verdicts.get(k).map(String::as_str), Some("doubtful"));
    id
}
