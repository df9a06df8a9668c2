//! The report corpus in `../shared/corpus` (real PDFs of other publishers; not part of the
//! project): every file is imported and compared with the hand-read totals (`totals.tsv`), the
//! committed list of tables found per file (`tests/corpus_expected.tsv`), and the share of the
//! tables' own identities that hold. Run by `.ci/run` with `--include-ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::corpus;
use fiscal_lens::analysis::identities::Identities;
use fiscal_lens::ingest::report::Severity;
use rust_decimal::Decimal;

fn expected_tables() -> Vec<(String, Vec<String>)> {
    include_str!("corpus_expected.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (file, tables) = l.split_once('\t')?;
            let ids = if tables == "-" {
                Vec::new()
            } else {
                tables.split(',').map(str::to_owned).collect()
            };
            Some((file.to_owned(), ids))
        })
        .collect()
}

/// The 项目支出绩效自评表 of the Xi'an 汇总 决算: 88 tables, read as projects with indicators;
/// one project's printed figures (p. 60: 采供血人员经费项目, 全年预算数 5166.99, 全年执行数 5166.99,
/// 总分 99).
fn check_projects(r: &corpus::FileResult, failures: &mut Vec<String>) {
    use polars::prelude::*;
    let p = &r.import.tables.projects;
    let i = &r.import.tables.indicators;
    if p.height() < 85 || i.height() < 500 {
        failures.push(format!(
            "{}: {} projects, {} indicators",
            r.file,
            p.height(),
            i.height()
        ));
        return;
    }
    let hit = p
        .clone()
        .lazy()
        .filter(col("name").eq(lit("采供血人员经费项目")))
        .collect()
        .expect("filter");
    let text = |c: &str| {
        hit.column(c)
            .and_then(|x| x.cast(&DataType::String))
            .ok()
            .and_then(|x| x.str().ok().and_then(|s| s.get(0).map(str::to_owned)))
            .unwrap_or_default()
    };
    let got = (
        text("budget_full_year"),
        text("executed"),
        text("score"),
        text("source_doc"),
    );
    let want = (
        "5166.99".to_owned(),
        "5166.99".to_owned(),
        "99".to_owned(),
        "xa_wjw_2022_js.pdf#page=60".to_owned(),
    );
    let same = |a: &str, b: &str| {
        a == b
            || a.parse::<Decimal>()
                .ok()
                .zip(b.parse::<Decimal>().ok())
                .is_some_and(|(x, y)| x == y)
    };
    if hit.height() != 1
        || !same(&got.0, &want.0)
        || !same(&got.1, &want.1)
        || !same(&got.2, &want.2)
        || got.3 != want.3
    {
        failures.push(format!(
            "{}: 采供血人员经费项目 read {got:?} ({} rows), printed {want:?}",
            r.file,
            hit.height()
        ));
    }
}

/// A printed row gives at most one figure per key: the same (stage, measure, fund,
/// classification, code, level, nature) read twice from one line is a column read as another
/// (人员经费 stored as a second 合计).
fn check_one_figure_per_key(r: &corpus::FileResult, failures: &mut Vec<String>) {
    use polars::prelude::*;
    // (frame, key columns, what a repeat means)
    let checks: [(&DataFrame, &[&str], &str); 2] = [
        (
            &r.import.tables.amounts,
            &[
                "unit",
                "stage",
                "measure",
                "fund",
                "classification",
                "code",
                "level",
                "nature",
                "source_doc",
                "source_line",
            ],
            "printed rows give one key twice",
        ),
        // 三公: one category per row and stage
        (
            &r.import.tables.sangong,
            &["unit", "stage", "category", "source_doc", "source_line"],
            "printed 三公 rows give one category twice",
        ),
    ];
    for (df, keys, what) in checks {
        let dup = df
            .clone()
            .lazy()
            .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
            .agg([len().alias("n")])
            .filter(col("n").gt(lit(1)))
            .collect()
            .unwrap();
        if dup.height() > 0 {
            failures.push(format!(
                "{}: {} {what}, e.g. {:?}",
                r.file,
                dup.height(),
                dup.head(Some(1))
            ));
        }
    }
}

/// The 收支总表 of the Shanghai 单位预算 layout prints 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出
/// per 类: each is stored with its nature, 基本支出 as the sum of its two printed columns.
fn check_natures(r: &corpus::FileResult, failures: &mut Vec<String>) {
    use polars::prelude::*;
    let want: &[(&str, &str, &str)] = match r.file.as_str() {
        "sh_jtzy_2026_ys.pdf" => &[
            ("205", "total", "32665.871"),
            ("205", "basic", "25427.324"),
            ("205", "project", "7238.547"),
        ],
        "sh_fcfx_2026_ys.pdf" => &[
            ("229", "total", "21680.157"),
            ("229", "basic", "2086.2863"),
            ("229", "project", "19593.8707"),
        ],
        _ => return,
    };
    for (code, nature, amount) in want {
        let hit = r
            .import
            .tables
            .amounts
            .clone()
            .lazy()
            .filter(
                col("source_table")
                    .eq(lit("预算表1"))
                    .and(col("code").eq(lit(*code)))
                    .and(col("nature").eq(lit(*nature))),
            )
            .select([col("amount").cast(DataType::String)])
            .collect()
            .unwrap();
        let got: Vec<Decimal> = hit
            .column("amount")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .filter_map(|v| v.parse().ok())
            .collect();
        if got != vec![amount.parse::<Decimal>().unwrap()] {
            failures.push(format!(
                "{}: 预算表1 {code} {nature} read {got:?}, printed {amount}",
                r.file
            ));
        }
    }
}

/// The 收入总表 (预算表2) and the 收支总表 (预算表1) give every revenue source they both print
/// the same figure.
fn check_revenue_tables_agree(r: &corpus::FileResult, failures: &mut Vec<String>) {
    use std::collections::BTreeMap;
    let df = &r.import.tables.revenue;
    let col = |name: &str| fiscal_lens::frame::texts(df, name).unwrap();
    let (tables, keys, amounts, stages) = (
        col("source_table"),
        col("source_key"),
        col("amount"),
        col("stage"),
    );
    let mut by: BTreeMap<(String, String, String), Decimal> = BTreeMap::new();
    for i in 0..df.height() {
        by.insert(
            (tables[i].clone(), stages[i].clone(), keys[i].clone()),
            amounts[i].parse().unwrap(),
        );
    }
    for ((table, stage, key), v) in &by {
        if table != "预算表2" {
            continue;
        }
        if let Some(w) = by.get(&("预算表1".to_owned(), stage.clone(), key.clone()))
            && w != v
        {
            failures.push(format!("{}: 收入总表 {key} {v} ≠ 收支总表 {w}", r.file));
        }
    }
}

#[test]
#[ignore = "needs ../shared"]
fn corpus_imports_with_the_hand_read_totals() {
    let dir = corpus::corpus_dir().expect("../shared/corpus with totals.tsv");
    let expected = corpus::expected(&dir);
    let tables = expected_tables();
    let files = corpus::files(&dir);
    let manifest = corpus::manifest(&dir);
    assert_eq!(files.len(), 27, "corpus files");
    let mut all = Identities::default();
    let mut totals_checked = 0;
    let mut failures: Vec<String> = Vec::new();
    let mut doubtful: Vec<String> = Vec::new();
    for path in &files {
        let r = corpus::read_file(path);
        // tables found, as committed
        let want = tables.iter().find(|(f, _)| *f == r.file).map_or_else(
            || panic!("{} missing from corpus_expected.tsv", r.file),
            |(_, t)| t.clone(),
        );
        let got: Vec<String> = r.tables().into_iter().map(|(t, _)| t).collect();
        if got != want {
            failures.push(format!("{}: tables {got:?}, expected {want:?}", r.file));
        }
        // the department and year read from the report are the publisher's
        if !got.is_empty() {
            let entry = manifest.iter().find(|m| m.file == r.file);
            let publisher = entry.map(|m| m.publisher.as_str());
            if r.import.meta.department.as_deref() != publisher {
                failures.push(format!(
                    "{}: department {:?}, publisher {publisher:?}",
                    r.file, r.import.meta.department
                ));
            }
            if r.import.meta.year != entry.and_then(|m| m.year) {
                failures.push(format!("{}: year {:?}", r.file, r.import.meta.year));
            }
        }
        // a file that yields nothing says so with a located error
        if got.is_empty() {
            let says = r.import.all_issues().any(|i| {
                i.severity != Severity::Note
                    && (i.message.contains("没有文字层")
                        || i.message.contains("没有找到可识别")
                        || i.message.contains("没有读到任何数字")
                        || i.message.contains("报告中找不到"))
            });
            if !says {
                failures.push(format!("{}: nothing read and no reason given", r.file));
            }
        }
        // the hand-read totals
        if let Some(e) = expected.iter().find(|e| e.file == r.file) {
            let got = corpus::read_totals(&r);
            for (k, (w, g)) in e.wan().iter().zip(got.iter()).enumerate() {
                if let Some(w) = w {
                    totals_checked += 1;
                    if g != &Some(*w) {
                        failures.push(format!("{}: total {k} read {g:?}, printed {w}", r.file));
                    }
                }
            }
        }
        if r.file == "xa_wjw_2022_js.pdf" {
            check_projects(&r, &mut failures);
        }
        check_one_figure_per_key(&r, &mut failures);
        check_natures(&r, &mut failures);
        check_revenue_tables_agree(&r, &mut failures);
        for t in &r.import.reports {
            if t.verdict == Some(fiscal_lens::ingest::verify::Verdict::Doubtful) {
                doubtful.push(format!("{} {}", r.file, t.source_table));
            }
        }
        all.add(r.identities);
    }
    // 存疑 tables, each explained: cc_xfj's 部门经济分类 table prints 301 = 911.21 over items
    // summing to 920.96 (and 302 = 211.00 over 221.37). (xa_ajj's 收支总表 was 存疑 until its
    // 上年实户资金余额 40.93 was read as a balance brought in: 3,643.37 + 11.61 + 40.93 = 3,695.91.)
    assert_eq!(
        doubtful,
        vec!["cc_xfj_2026_ys.pdf 预算表8".to_owned()],
        "存疑 tables"
    );
    let unexpected = &failures;
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    assert_eq!(totals_checked, 64, "totals checked");
    assert!(all.checked > 2000, "{} identities checked", all.checked);
    assert!(
        all.share_within_rounding() >= 0.99,
        "identities within 尾数 {}/{}",
        all.held + all.rounding,
        all.checked
    );
}
