//! Report-text import (issue 3): the seed reports reproduce the built-in dataset, and small
//! synthetic texts exercise each layout, unit, OCR repair and error path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::seeds_dir;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::frame::{bools, decimals, ints, strings};
use fiscal_lens::dataset::Tables;
use fiscal_lens::ingest::canonical::{ALL_TABLES, Kind, TableSpec};
use fiscal_lens::ingest::report::{
    Hints, ReportImport, Severity, read_report_text, read_report_text_with,
};
use polars::prelude::DataFrame;

/// (file name, bytes) of the seed whose name starts with `prefix`.
fn seed(prefix: &str) -> (String, Vec<u8>) {
    let dir = seeds_dir();
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seed reports expected at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{prefix}_"))
        })
        .unwrap_or_else(|| panic!("no seed {prefix}_*.txt"));
    let name = entry.file_name().unwrap().to_string_lossy().into_owned();
    (name, std::fs::read(&entry).unwrap())
}

fn frame<'a>(t: &'a Tables, spec: &TableSpec) -> &'a DataFrame {
    match spec.name {
        "amounts" => &t.amounts,
        "revenue" => &t.revenue,
        "totals" => &t.totals,
        "sangong" => &t.sangong,
        "projects" => &t.projects,
        "indicators" => &t.indicators,
        "quarterly" => &t.quarterly,
        "evaluations" => &t.evaluations,
        "tables" => &t.tables,
        other => panic!("unknown table {other}"),
    }
}

/// Every row of a canonical frame as text (decimals normalised, nulls empty).
fn rows(df: &DataFrame, spec: &TableSpec) -> Vec<Vec<String>> {
    let cols: Vec<Vec<String>> = spec
        .columns
        .iter()
        .map(|c| match c.kind {
            Kind::Text | Kind::OptText | Kind::Key(_) => strings(df, c.name).unwrap(),
            Kind::Int | Kind::OptInt => ints(df, c.name)
                .unwrap()
                .into_iter()
                .map(|v| v.map(|x| x.to_string()).unwrap_or_default())
                .collect(),
            Kind::Dec | Kind::OptDec => decimals(df, c.name)
                .unwrap()
                .into_iter()
                .map(|v| v.map(|x| x.normalize().to_string()).unwrap_or_default())
                .collect(),
            Kind::Bool => bools(df, c.name)
                .unwrap()
                .into_iter()
                .map(|b| b.to_string())
                .collect(),
        })
        .collect();
    (0..df.height())
        .map(|i| cols.iter().map(|c| c[i].clone()).collect())
        .collect()
}

fn col_index(spec: &TableSpec, name: &str) -> usize {
    spec.columns.iter().position(|c| c.name == name).unwrap()
}

/// Columns left out of the comparison, per table, with the reason (see the test docs).
fn excluded(spec: &TableSpec) -> &'static [&'static str] {
    match spec.name {
        // The manifest note is our own prose, written by hand per table in the Python script and
        // not consistent: it says "printed in 3 page chunks with repeated headers" for 预算表1 but
        // nothing for 预算表3/4/6/7/8, which are chunked the same way. The reader writes the chunk
        // note for every chunked table, so 5 of the 21 manifest rows of 000+004 differ in `note`
        // only (all other manifest columns, and every other table, compare in full).
        "tables" => &["note"],
        _ => &[],
    }
}

struct Comparison {
    expected: usize,
    matched: usize,
    report: Vec<String>,
}

/// Compare the imported rows with the built-in rows of `doc` that come from tables and project
/// paragraphs (`source_table` ≠ `正文`), in order.
fn compare(import: &ReportImport, doc: &str) -> Comparison {
    let builtin = Dataset::builtin().unwrap();
    let mut c = Comparison {
        expected: 0,
        matched: 0,
        report: Vec::new(),
    };
    for spec in &ALL_TABLES {
        let doc_i = col_index(spec, "source_doc");
        let table_i = col_index(spec, "source_table");
        let skip: Vec<usize> = excluded(spec).iter().map(|n| col_index(spec, n)).collect();
        let strip = |r: &Vec<String>| -> Vec<String> {
            r.iter()
                .enumerate()
                .map(|(i, v)| {
                    if skip.contains(&i) {
                        String::new()
                    } else {
                        v.clone()
                    }
                })
                .collect()
        };
        let want: Vec<Vec<String>> = rows(frame(&builtin.tables, spec), spec)
            .into_iter()
            .filter(|r| r[doc_i] == doc && r[table_i] != "正文")
            .map(|r| strip(&r))
            .collect();
        let got: Vec<Vec<String>> = rows(frame(&import.tables, spec), spec)
            .iter()
            .map(strip)
            .collect();
        c.expected += want.len();
        let mut unmatched_got: Vec<&Vec<String>> = got.iter().collect();
        for w in &want {
            if let Some(k) = unmatched_got.iter().position(|g| *g == w) {
                unmatched_got.remove(k);
                c.matched += 1;
            } else {
                c.report
                    .push(format!("{}: missing {}", spec.name, w.join(",")));
            }
        }
        for g in unmatched_got {
            c.report
                .push(format!("{}: extra   {}", spec.name, g.join(",")));
        }
        if want.len() == got.len() && want != got && c.report.is_empty() {
            c.report
                .push(format!("{}: same rows, different order", spec.name));
        }
    }
    c
}

fn assert_reproduces(prefix: &str) {
    let (name, bytes) = seed(prefix);
    let import = read_report_text(&name, &bytes);
    let c = compare(&import, &name);
    println!(
        "seed {prefix}: {}/{} built-in table rows reproduced exactly",
        c.matched, c.expected
    );
    for e in import.errors() {
        println!("  {e}");
    }
    assert!(
        c.report.is_empty(),
        "seed {prefix}: {} of {} rows matched; differences:\n{}",
        c.matched,
        c.expected,
        c.report.join("\n")
    );
    assert!(c.expected > 0);
}

/// Seed 000 (2020 决算): all nine 公开 tables and the 200 project paragraphs reproduce the
/// built-in rows exactly (every column, provenance included). Rows whose `source_table` is `正文`
/// (narrative figures) are not produced by the reader and are excluded; in `tables.csv` the
/// hand-written `note` column is excluded.
#[test]
#[ignore = "needs ../shared"]
fn seed_000_reproduces_builtin_rows() {
    assert_reproduces("000");
}

/// Seed 004 (2023 预算, markdown tables): 预算表1–12 reproduce the built-in rows exactly.
#[test]
#[ignore = "needs ../shared"]
fn seed_004_reproduces_builtin_rows() {
    assert_reproduces("004");
}

/// Value of `col` in the single row of `table` where every (column, value) pair matches.
fn one(df: &DataFrame, spec: &TableSpec, filter: &[(&str, &str)], col: &str) -> String {
    let all = rows(df, spec);
    let hits: Vec<&Vec<String>> = all
        .iter()
        .filter(|r| filter.iter().all(|(c, v)| r[col_index(spec, c)] == *v))
        .collect();
    assert_eq!(hits.len(), 1, "{filter:?}: {} rows", hits.len());
    hits[0][col_index(spec, col)].clone()
}

#[test]
#[ignore = "needs ../shared"]
fn seed_001_quarterly_table() {
    use fiscal_lens::ingest::canonical::{QUARTERLY, TABLES};
    let (name, bytes) = seed("001");
    let import = read_report_text(&name, &bytes);
    let q = &import.tables.quarterly;
    assert_eq!(q.height(), 4);
    assert_eq!(
        one(q, &QUARTERLY, &[("quarter", "1")], "cumulative_actual"),
        "228317.64"
    );
    assert_eq!(
        one(q, &QUARTERLY, &[("quarter", "4")], "budget"),
        "584600.79"
    );
    assert_eq!(
        one(q, &QUARTERLY, &[("quarter", "2")], "progress"),
        "0.8698"
    );
    assert_eq!(
        one(q, &QUARTERLY, &[("quarter", "3")], "quarter_rate"),
        "1.1879"
    );
    assert_eq!(
        one(q, &QUARTERLY, &[("quarter", "3")], "source_line"),
        "261"
    );
    assert_eq!(one(q, &QUARTERLY, &[("quarter", "1")], "year"), "2021");
    assert_eq!(
        one(&import.tables.tables, &TABLES, &[], "source_table"),
        "表2-1"
    );
}

#[test]
#[ignore = "needs ../shared"]
fn seed_002_project_tables_in_yuan() {
    use fiscal_lens::ingest::canonical::{INDICATORS, PROJECTS};
    let (name, bytes) = seed("002");
    // the file prints no title: without a year nothing is imported, and that is an error
    let bare = read_report_text(&name, &bytes);
    assert_eq!(bare.tables.projects.height(), 0);
    assert!(bare.errors().any(|e| e.message.contains("年度")));

    let hints = Hints {
        year: Some(2021),
        department: Some("深圳市社会保险基金管理局".into()),
        unit: Some("未注明分局".into()),
        scope: Some("分局".into()),
        ..Hints::default()
    };
    let import = read_report_text_with(&name, &bytes, &hints);
    let p = &import.tables.projects;
    assert_eq!(p.height(), 8);
    // 334,532.75 元 → 33.453275 万元, exactly
    assert_eq!(one(p, &PROJECTS, &[("seq", "1")], "executed"), "33.453275");
    assert_eq!(one(p, &PROJECTS, &[("seq", "1")], "budget_full_year"), "38");
    assert_eq!(one(p, &PROJECTS, &[("seq", "1")], "source_unit"), "元");
    assert_eq!(one(p, &PROJECTS, &[("seq", "1")], "score"), "97.3");
    assert_eq!(one(p, &PROJECTS, &[("seq", "1")], "source_line"), "4");
    assert_eq!(one(p, &PROJECTS, &[("seq", "3")], "executed"), "231.388536");
    assert_eq!(one(p, &PROJECTS, &[("seq", "2")], "name_status"), "missing");
    assert_eq!(one(p, &PROJECTS, &[("seq", "8")], "stated_rate"), "0.95");
    let ind = &import.tables.indicators;
    assert_eq!(
        one(
            ind,
            &INDICATORS,
            &[("project_id", "002#8"), ("source_line", "155")],
            "score"
        ),
        "16"
    );
    assert_eq!(
        one(
            ind,
            &INDICATORS,
            &[("project_id", "002#2"), ("source_line", "31")],
            "level2"
        ),
        "数量指标"
    );
    // indicator rows equal the built-in ones in number
    let builtin = Dataset::builtin().unwrap();
    let want = rows(&builtin.tables.indicators, &INDICATORS)
        .into_iter()
        .filter(|r| r[col_index(&INDICATORS, "source_doc")] == name)
        .count();
    assert_eq!(ind.height(), want);
}

#[test]
#[ignore = "needs ../shared"]
fn seed_003_expenditure_detail() {
    use fiscal_lens::ingest::canonical::TOTALS;
    let (name, bytes) = seed("003");
    let import = read_report_text(&name, &bytes);
    let t = &import.tables.totals;
    assert_eq!(
        one(
            t,
            &TOTALS,
            &[("item", "expenditure_total"), ("stage", "final")],
            "amount"
        ),
        "46665.43"
    );
    assert_eq!(
        one(
            t,
            &TOTALS,
            &[("item", "project"), ("stage", "budget_adjusted")],
            "amount"
        ),
        "49356.67"
    );
    assert_eq!(
        one(
            t,
            &TOTALS,
            &[("item", "personnel"), ("stage", "budget_initial")],
            "department"
        ),
        "佛山市社会保险基金管理局"
    );
    assert_eq!(t.height(), 15);
}

// ------------------------------------------------------------------------------------------
// Synthetic texts (our own)
// ------------------------------------------------------------------------------------------

const DEPT: &str = "某市测试管理局";

fn title(kind: &str) -> String {
    format!("{DEPT} 2024 年度部门{kind}\n\n")
}

fn import(text: &str) -> ReportImport {
    read_report_text("synthetic.txt", text.as_bytes())
}

fn amounts(imp: &ReportImport) -> Vec<Vec<String>> {
    rows(
        &imp.tables.amounts,
        &fiscal_lens::ingest::canonical::AMOUNTS,
    )
}

fn amount_of(imp: &ReportImport, code: &str, nature: &str) -> (String, String, String) {
    use fiscal_lens::ingest::canonical::AMOUNTS as A;
    let r = amounts(imp)
        .into_iter()
        .find(|r| r[col_index(&A, "code")] == code && r[col_index(&A, "nature")] == nature)
        .unwrap_or_else(|| panic!("no row {code}/{nature}"));
    (
        r[col_index(&A, "amount")].clone(),
        r[col_index(&A, "source_line")].clone(),
        r[col_index(&A, "flags")].clone(),
    )
}

#[test]
fn tab_layout_code_table() {
    let text = format!(
        "{}支出决算表\n单位：万元\n\
         项目\t\t本年支出合计\t基本支出\t项目支出\n\
         科目编码\t科目名称\t\t\t\n\
         合计\t\t10.50\t4.00\t6.50\n\
         205\t教育支出\t10.50\t4.00\t6.50\n\
         2050803\t培训支出\t4.00\t4.00\t\n\
         2050899\t其他教育支出\t6.50\t\t6.50\n\
         注：测试。\n",
        title("决算")
    );
    let imp = import(&text);
    assert_eq!(imp.meta.year, Some(2024));
    assert_eq!(imp.meta.department.as_deref(), Some(DEPT));
    assert_eq!(amount_of(&imp, "205", "basic").0, "4");
    // a blank cell of a column the table has, on a row with numbers: 0 flagged `blank`
    let (v, line, flags) = amount_of(&imp, "2050803", "project");
    assert_eq!(
        (v.as_str(), line.as_str(), flags.as_str()),
        ("0", "9", "blank")
    );
    assert_eq!(amount_of(&imp, "", "total").0, "10.5");
    assert_eq!(imp.reports[0].source_table, "公开03");
    assert_eq!(imp.reports[0].layout, "制表符分隔");
    assert_eq!(imp.errors().count(), 0);
    // its own identities hold (类 = Σ项 where no 款 is printed; row 合计 = 基本 + 项目)
    assert_eq!(
        imp.reports[0].verdict,
        Some(fiscal_lens::ingest::verify::Verdict::Verified),
        "{}",
        imp.reports[0].verdict_note
    );
}

#[test]
fn pipe_layout_with_repeated_header_and_one_cell_code() {
    let text = format!(
        "{}支出总表\n\n单位：万元\n\n\
         | 科目编码 | 科目名称 | 支出总计 | 基本支出 | 项目支出 |\n\
         |---|---|---|---|---|\n\
         | 208 | 社会保障和就业支出 | 1, 200 | 200 | 1,000 |\n\
         \n支出总表\n\n\
         | 科目编码 | 科目名称 | 支出总计 | 基本支出 | 项目支出 |\n\
         |---|---|---|---|---|\n\
         | 20801 人力资源事务 | | 1,200 | 200 | 1,000 |\n",
        title("预算")
    );
    let imp = import(&text);
    let (v, line, flags) = amount_of(&imp, "208", "total");
    assert_eq!(
        (v.as_str(), line.as_str(), flags.as_str()),
        ("1200", "9", "ocr_repaired")
    );
    assert_eq!(amount_of(&imp, "20801", "project").0, "1000");
    assert_eq!(imp.reports.len(), 1);
    assert_eq!(imp.reports[0].chunks, 2);
    assert_eq!(imp.reports[0].source_table, "预算表3");
    let w: Vec<String> = imp.warnings().map(ToString::to_string).collect();
    assert!(
        w.iter()
            .any(|w| w.starts_with("synthetic.txt:9 列 支出总计")),
        "{w:?}"
    );
}

#[test]
fn space_aligned_split_codes_and_wrapped_names() {
    // 类/款/项 printed as separate columns; a name continued on the line below its row, and a
    // name printed on the line above a numbers row that prints no name.
    let table = r"一般公共预算财政拨款支出决算表

单位：元

类    款   项    科目名称                合计          基本支出      项目支出
合计                                     12,000.00     2,000.00      10,000.00
208              社会保障和就业支出      12,000.00     2,000.00      10,000.00
208   01         人力资源和社会保障管    12,000.00     2,000.00      10,000.00
                 理事务
                 社会保险经办
208   01   09                            12,000.00     2,000.00      10,000.00

注：测试用表。
";
    let text = format!("{}{table}", title("决算"));
    let imp = import(&text);
    use fiscal_lens::ingest::canonical::AMOUNTS as A;
    let all = amounts(&imp);
    let name_of = |code: &str| {
        all.iter()
            .find(|r| r[col_index(&A, "code")] == code)
            .map(|r| {
                (
                    r[col_index(&A, "name")].clone(),
                    r[col_index(&A, "flags")].clone(),
                    r[col_index(&A, "note")].clone(),
                    r[col_index(&A, "source_unit")].clone(),
                )
            })
            .unwrap()
    };
    assert_eq!(all.len(), 12, "{all:?}");
    let (name, flags, note, unit) = name_of("20801");
    assert_eq!(name, "人力资源和社会保障管理事务");
    assert_eq!(flags, "wrapped");
    assert_eq!(note, "name continues on line 11");
    assert_eq!(unit, "元");
    let (name, flags, note, _) = name_of("2080109");
    assert_eq!(name, "社会保险经办");
    assert_eq!(flags, "wrapped");
    assert_eq!(note, "name printed on line 12");
    // 元 → 万元 exactly
    assert_eq!(amount_of(&imp, "2080109", "basic").0, "0.2");
    assert_eq!(amount_of(&imp, "208", "total").0, "1.2");
    assert_eq!(amount_of(&imp, "", "project").0, "1");
    assert_eq!(imp.reports[0].layout, "空格对齐");
    assert_eq!(
        imp.errors().count(),
        0,
        "{:?}",
        imp.errors().collect::<Vec<_>>()
    );
}

#[test]
fn yuan_and_wan_tables_side_by_side() {
    let text = format!(
        "{}一般公共预算支出表（按经济分类）\n单位：元\n\
         科目编码\t科目名称\t合计\t基本支出\t项目支出\n\
         301\t工资福利支出\t123,456.78\t123,456.78\t0\n\n\
         一般公共预算支出表（按功能分类）\n单位：万元\n\
         科目编码\t科目名称\t合计\t基本支出\t项目支出\n\
         205\t教育支出\t12.34\t12.34\t0\n",
        title("预算")
    );
    let imp = import(&text);
    let (v, _, _) = amount_of(&imp, "301", "total");
    assert_eq!(v, "12.345678");
    assert_eq!(amount_of(&imp, "205", "total").0, "12.34");
    let units: Vec<&str> = imp.reports.iter().map(|r| r.unit_label.as_str()).collect();
    assert_eq!(units, vec!["元", "万元"]);
}

#[test]
fn each_ocr_repair_is_a_located_warning() {
    let text = format!(
        "{}支出决算表\n单位：万元\n\
         科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出\n\
         201\t一般公共服务支出\t52,37.28\t5,237.28\t0\n\
         205\t教育支出\t1,0 00.00\t1,000.00\t0\n",
        title("决算")
    );
    let imp = import(&text);
    let w: Vec<String> = imp.warnings().map(ToString::to_string).collect();
    assert!(
        w.iter()
            .any(|m| m.starts_with("synthetic.txt:6 列 本年支出合计")
                && m.contains("misplaced thousands comma")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|m| m.starts_with("synthetic.txt:7 列 本年支出合计")
                && m.contains("digits split by spaces")),
        "{w:?}"
    );
    let (v, _, flags) = amount_of(&imp, "201", "total");
    assert_eq!((v.as_str(), flags.as_str()), ("5237.28", "ocr_repaired"));
    assert_eq!(amount_of(&imp, "205", "total").0, "1000");
    assert_eq!(amount_of(&imp, "205", "basic").2, "");
}

#[test]
fn percent_repair_in_a_project_paragraph() {
    let text = format!(
        "{}\n## 项目自评\n\n\
         （7）市测试管理局（第一分局）设备维护\n\n\
         绩效自评综述：根据目标，项目自评得分 91 分。项目全年预算数 20 万元，执行数 3.8 万元，预算执行率 19.%。\
         发现的主要问题及原因：受疫情影响推迟。下一步改进措施：加快进度。\n\n\
         (8) 网站运维绩效自评综述：项目自评得分 100 分。项目全年预算数 1,2 00 万元，\n\n\
         执行数 12 万元，预算执行率 1%。发现的主要问题：无。\n",
        title("决算").trim_end()
    );
    let imp = import(&text);
    use fiscal_lens::ingest::canonical::PROJECTS as P;
    let all = rows(&imp.tables.projects, &P);
    assert_eq!(all.len(), 2);
    let p7 = &all[0];
    assert_eq!(p7[col_index(&P, "unit")], "第一分局");
    assert_eq!(p7[col_index(&P, "name")], "设备维护");
    assert_eq!(p7[col_index(&P, "stated_rate")], "0.19");
    assert_eq!(p7[col_index(&P, "flags")], "ocr_repaired;wrapped");
    assert_eq!(p7[col_index(&P, "source_line")], "6");
    assert_eq!(p7[col_index(&P, "reason_tags")], "疫情影响");
    assert_eq!(p7[col_index(&P, "project_id")], "synthetic#7");
    let p8 = &all[1];
    assert_eq!(p8[col_index(&P, "unit")], "未注明单位");
    assert_eq!(p8[col_index(&P, "budget_full_year")], "1200");
    assert!(p8[col_index(&P, "note")].contains("执行数 printed on line 10"));
    assert_eq!(p8[col_index(&P, "reason_tags")], "无");
    let w: Vec<String> = imp.warnings().map(ToString::to_string).collect();
    assert!(
        w.iter()
            .any(|m| m.starts_with("synthetic.txt:6 列 预算执行率") && m.contains("19.%")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|m| m.starts_with("synthetic.txt:8 列 项目全年预算数")),
        "{w:?}"
    );
}

#[test]
fn unreadable_value_is_a_located_error_and_not_stored() {
    let text = format!(
        "{}支出决算表\n单位：万元\n\
         科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出\n\
         201\t一般公共服务支出\t1O.5\t10.5\t0\n",
        title("决算")
    );
    let imp = import(&text);
    let e: Vec<String> = imp.errors().map(ToString::to_string).collect();
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("synthetic.txt:6 列 本年支出合计"), "{e:?}");
    assert!(e[0].contains("1O.5"));
    // the readable cells of the row are kept, the bad one is not guessed
    assert_eq!(amount_of(&imp, "201", "basic").0, "10.5");
    assert!(
        amounts(&imp)
            .iter()
            .all(|r| !(r[8] == "201" && r[11] == "total"))
    );
}

#[test]
fn damaged_table_is_skipped_and_the_rest_imports() {
    let text = format!(
        "{}支出决算表\n单位：万元\n\
         甲\t乙\t丙\n\
         201\t一般公共服务支出\t3.00\n\n\
         一般公共预算财政拨款“三公”经费支出决算表\n单位：万元\n\
         预算数\t\t\t\t\t\t决算数\t\t\t\t\t\n\
         合计\t因公出国(境)费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国(境)费\t公务用车购置及运行费\t\t\t公务接待费\n\
         \t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t\n\
         10.00\t\t8.00\t\t8.00\t2.00\t9.00\t\t7.50\t\t7.50\t1.50\n",
        title("决算")
    );
    let imp = import(&text);
    let damaged = &imp.reports[0];
    assert_eq!(damaged.source_table, "公开03");
    assert_eq!(damaged.rows_read, 0);
    let e: Vec<String> = damaged.errors().map(ToString::to_string).collect();
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("synthetic.txt:5"), "{e:?}");
    assert_eq!(imp.tables.sangong.height(), 12);
    use fiscal_lens::ingest::canonical::SANGONG as S;
    assert_eq!(
        one(
            &imp.tables.sangong,
            &S,
            &[("stage", "final"), ("category", "vehicle")],
            "source_label"
        ),
        "决算数 公务用车购置及运行费 小计"
    );
    assert_eq!(
        one(
            &imp.tables.sangong,
            &S,
            &[("stage", "budget_adjusted"), ("category", "abroad")],
            "flags"
        ),
        "blank"
    );
}

#[test]
fn title_facts_and_missing_year() {
    let imp =
        import("某局报告\n\n支出决算表\n科目编码\t科目名称\t合计\n201\t一般公共服务支出\t1.00\n");
    assert_eq!(imp.tables.amounts.height(), 0);
    assert!(
        imp.errors()
            .any(|e| e.severity == Severity::Error && e.message.contains("年度"))
    );
    let imp = import("随便写的文字，没有表格。\n");
    assert_eq!(imp.errors().count(), 0);
    assert_eq!(imp.warnings().count(), 1);
}

#[test]
#[ignore = "needs ../shared"]
fn import_log_lists_tables() {
    let (name, bytes) = seed("004");
    let import = read_report_text(&name, &bytes);
    let log = import.log();
    assert!(
        log.entries
            .iter()
            .any(|e| e.message.contains("预算表1") && e.message.contains("收支总表"))
    );
    assert_eq!(
        import
            .reports
            .iter()
            .filter(|r| r.source_table.starts_with("预算表"))
            .count(),
        12
    );
}

/// Print the import log of every seed (run with `--nocapture --ignored` to inspect).
#[test]
#[ignore = "diagnostic output only"]
fn print_seed_logs() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let (name, bytes) = seed(prefix);
        let import = read_report_text(&name, &bytes);
        println!("=== {name}: {:?}", import.meta);
        for e in import.log().entries {
            println!("{:?} {}", e.level, e.message);
        }
    }
}

/// One unreadable 三公 cell (`abc` in the seed's 公开07 line 338): that figure alone is withheld
/// with a located error naming line and column; the other 11 import; the table is 部分核对.
#[test]
#[ignore = "needs ../shared"]
fn seed_sangong_cell_unreadable_withholds_only_that_figure() {
    let (name, bytes) = seed("000");
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut cells: Vec<String> = lines[337].split('\t').map(str::to_owned).collect();
    assert_eq!(
        cells[2], "87.50",
        "the seed's 公开07 figures are on line 338"
    );
    cells[2] = "abc".to_owned();
    lines[337] = cells.join("\t");
    let imp = read_report_text(&name, lines.join("\n").as_bytes());
    assert_eq!(imp.tables.sangong.height(), 11);
    let errors: Vec<String> = imp.errors().map(ToString::to_string).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains(":338 列") && e.contains("\"abc\"")),
        "{errors:?}"
    );
    let t = imp
        .reports
        .iter()
        .find(|r| r.source_table == "公开07")
        .unwrap();
    assert_eq!(
        t.verdict,
        Some(fiscal_lens::ingest::verify::Verdict::Partial)
    );
}
