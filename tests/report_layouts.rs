//! Report layouts met in real reports, on small synthetic reports (tab-separated text, the same
//! grammar the PDF page model feeds): code tables listed unit by unit (Xi'an 2019: a six-digit
//! unit code row, then that unit's 类 / 款 / 项, the 款 printed as its last two digits), and
//! regional 7-digit economic sub-items (3010201 under 30102, the 款 itself not printed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use fiscal_lens::analysis::identities;
use fiscal_lens::ingest::report::{Hints, read_report_text_with};
use polars::prelude::*;
use rust_decimal::Decimal;

const REPORT: &str = "某市某某局2019年部门综合预算公开报表
表5
2019年部门综合预算一般公共预算支出明细表（按支出功能分类科目）
单位：万元
功能科目编码\t功能科目名称\t合计\t人员经费支出\t公用经费支出\t专项业务经费支出
**\t**\t1\t2\t3\t4
\t合计\t300.00\t150.00\t50.00\t100.00
125001\t某市某某局\t200.00\t150.00\t50.00\t
208\t社会保障和就业支出\t120.00\t90.00\t30.00\t
05\t行政事业单位养老支出\t120.00\t90.00\t30.00\t
2080505\t机关事业单位基本养老保险缴费支出\t120.00\t90.00\t30.00\t
224\t灾害防治及应急管理支出\t80.00\t60.00\t20.00\t
01\t应急管理事务\t80.00\t60.00\t20.00\t
2240101\t行政运行\t80.00\t60.00\t20.00\t
125002\t某市某某宣传教育中心\t100.00\t\t\t100.00
224\t灾害防治及应急管理支出\t100.00\t\t\t100.00
01\t应急管理事务\t100.00\t\t\t100.00
2240106\t安全监管\t100.00\t\t\t100.00

表6
2019年部门综合预算一般公共预算支出明细表（按支出经济分类科目）
单位：万元
部门经济科目编码\t部门经济科目名称\t合计\t人员经费支出\t公用经费支出\t专项业务经费支出
**\t**\t1\t2\t3\t4
\t合计\t150.00\t150.00\t\t
301\t工资福利支出\t150.00\t150.00\t\t
30101\t基本工资\t60.00\t60.00\t\t
3010201\t津贴补贴\t70.00\t70.00\t\t
3010202\t改革性补贴\t20.00\t20.00\t\t
";

fn col(df: &DataFrame, name: &str) -> Vec<String> {
    fiscal_lens::frame::texts(df, name).unwrap()
}

#[test]
fn code_tables_listed_unit_by_unit() {
    let import = read_report_text_with("units.txt", REPORT.as_bytes(), &Hints::default());
    let errors: Vec<String> = import.errors().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(import.meta.department.as_deref(), Some("某市某某局"));
    let a = &import.tables.amounts;
    let (units, codes, natures, amounts, tables, levels) = (
        col(a, "unit"),
        col(a, "code"),
        col(a, "nature"),
        col(a, "amount"),
        col(a, "source_table"),
        col(a, "level"),
    );
    let find = |table: &str, unit: &str, code: &str, nature: &str| -> Vec<Decimal> {
        (0..a.height())
            .filter(|&i| {
                tables[i] == table && units[i] == unit && codes[i] == code && natures[i] == nature
            })
            .map(|i| amounts[i].parse().unwrap())
            .collect()
    };
    let d = |s: &str| vec![s.parse::<Decimal>().unwrap()];
    // the own unit's rows are 本级, the other unit's under its name; the 款 printed as `05`
    // completed from the 类 above
    assert_eq!(find("预算表7", "本级", "208", "total"), d("120"));
    assert_eq!(find("预算表7", "本级", "20805", "total"), d("120"));
    assert_eq!(find("预算表7", "本级", "2080505", "basic"), d("120"));
    assert_eq!(
        find("预算表7", "某市某某宣传教育中心", "224", "project"),
        d("100")
    );
    assert_eq!(
        find("预算表7", "某市某某宣传教育中心", "22401", "total"),
        d("100")
    );
    assert!(find("预算表7", "本级", "22401", "total") == d("80"));
    // each unit's own total row; the table's 合计 stays the whole department's
    assert_eq!(find("预算表7", "本级", "", "total"), d("200"));
    assert_eq!(
        find("预算表7", "某市某某宣传教育中心", "", "total"),
        d("100")
    );
    let whole: Vec<usize> = (0..a.height())
        .filter(|&i| tables[i] == "预算表7" && codes[i].is_empty() && units[i] != "本级")
        .filter(|&i| units[i] != "某市某某宣传教育中心" && natures[i] == "total")
        .collect();
    assert_eq!(whole.len(), 1);
    assert_eq!(
        amounts[whole[0]].parse::<Decimal>().unwrap(),
        Decimal::from(300)
    );
    // regional 7-digit economic sub-items: kept as printed, level 项
    let i = (0..a.height())
        .find(|&i| codes[i] == "3010201" && natures[i] == "total")
        .expect("3010201 stored");
    assert_eq!(levels[i], "xiang");
    // every identity holds: per unit 合计 = Σ类, 类 = Σ款, 款 = Σ项, and 301 = 30101 + the
    // sub-items of the unprinted 30102
    let ids = identities::count(&import.tables).unwrap();
    assert!(ids.checked >= 12, "{ids:?}");
    assert!(ids.misses.is_empty(), "{:#?}", ids.misses);
}

/// A 决算 with a 行次 column in both tables, one unreadable cell, row numbers printed right before
/// the amounts in a space-aligned table, and a table whose 合计 disagrees with its rows.
const DOUBTS: &str = include_str!("fixtures/doubts.txt");

#[test]
fn row_numbers_unreadable_cells_and_doubtful_tables() {
    let import = read_report_text_with("doubts.txt", DOUBTS.as_bytes(), &Hints::default());
    let a = &import.tables.amounts;
    let (codes, natures, amounts, flags) = (
        col(a, "code"),
        col(a, "nature"),
        col(a, "amount"),
        col(a, "flags"),
    );
    // no 行次 value is stored as an amount, nor joined to one
    for (v, f) in amounts.iter().zip(&flags) {
        let d: Decimal = v.parse().unwrap();
        assert!(
            d >= Decimal::from(40) || d.is_zero() && f.contains("blank"),
            "a row number read as an amount: {v}"
        );
    }
    let find = |code: &str, nature: &str| -> Vec<Decimal> {
        (0..a.height())
            .filter(|&i| codes[i] == code && natures[i] == nature)
            .map(|i| amounts[i].parse().unwrap())
            .collect()
    };
    assert_eq!(find("2010101", "total"), vec![Decimal::from(60)]);
    // the unreadable cell: a located error; the rest of its row and table imports
    let errors: Vec<String> = import.errors().map(ToString::to_string).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("doubts.txt:9 列 本年支出合计") && e.contains("\"abc\"")),
        "{errors:?}"
    );
    assert!(find("2010102", "total").is_empty());
    assert_eq!(find("2010102", "project"), vec![Decimal::from(40)]);
    // the second table's 合计 row: 250.00 ≠ 100.00 + 140.00 → 存疑, its figures flagged, and
    // the manifest records the verdict
    common::doubts::assert_second_table_doubtful(&import);
}

/// A report that does not print its year, department or kind stores nothing and names the
/// missing facts with candidates; given them (as the import dialog or `--year` would), it reads.
#[test]
fn missing_facts_are_asked_not_guessed() {
    use fiscal_lens::model::Stage;
    // no year in the title; the year alone on the next line, the file name another
    let no_year = DOUBTS.replacen("某市某某局2024年度部门决算", "某市某某局部门决算\n2024", 1);
    let import = read_report_text_with("某局_2023.txt", no_year.as_bytes(), &Hints::default());
    assert_eq!(import.tables.amounts.height(), 0, "nothing stored");
    assert_eq!(import.missing.year, Some(vec![2024, 2023]));
    assert_eq!(import.missing.department, None);
    assert_eq!(import.missing.stage, None);
    assert!(
        import
            .errors()
            .any(|e| e.message.contains("找不到年度") && e.message.contains("--year")),
        "{:?}",
        import.errors().collect::<Vec<_>>()
    );
    let hints = Hints {
        year: Some(2024),
        ..Hints::default()
    };
    let given = read_report_text_with("某局_2023.txt", no_year.as_bytes(), &hints);
    assert!(!given.missing.any());
    assert!(given.tables.amounts.height() > 0);
    assert!(
        col(&given.tables.amounts, "year")
            .iter()
            .all(|y| y == "2024")
    );

    // no department, no kind in the title: the table titles say 决算; the department is asked
    let untitled = DOUBTS.replacen("某市某某局2024年度部门决算", "2024年度报表", 1);
    let import = read_report_text_with("tables.txt", untitled.as_bytes(), &Hints::default());
    assert_eq!(import.missing.department, Some(vec![]));
    assert_eq!(
        import.missing.stage, None,
        "决算 table titles give the kind"
    );
    assert_eq!(import.meta.stage, Stage::Final);
    assert_eq!(import.tables.amounts.height(), 0);

    // table titles that do not say 预算 or 决算: the kind is asked too
    let no_kind = untitled
        .replace("支出决算表", "支出表")
        .replace("一般公共预算财政拨款支出表", "财政拨款支出表");
    let import = read_report_text_with("tables.txt", no_kind.as_bytes(), &Hints::default());
    assert_eq!(import.missing.stage, Some(vec![]), "{:?}", import.meta);
    let hints = Hints {
        department: Some("某市某某局".into()),
        stage: Some(Stage::BudgetInitial),
        ..Hints::default()
    };
    let given = read_report_text_with("tables.txt", no_kind.as_bytes(), &hints);
    assert!(!given.missing.any());
    assert!(
        col(&given.tables.amounts, "stage")
            .iter()
            .all(|s| s == "budget_initial")
    );
}

/// A code whose 类 is not in the classification (a misprinted `7 11 02` for 210 11 02) and a
/// name with a figure glued to its end are located errors; those rows are withheld, never
/// stored under an invented code or with a figure lost in the name.
#[test]
fn impossible_codes_and_figures_in_names_are_errors() {
    let text = "某市某某局2024年度部门决算
支出决算表
单位：万元
科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出
210\t卫生健康支出\t30.00\t30.00\t
21011\t行政事业单位医疗\t30.00\t30.00\t
71102\t事业单位医疗\t20.00\t20.00\t
2101101\t行政单位医疗12.00\t10.00\t10.00\t
";
    let import = read_report_text_with("codes.txt", text.as_bytes(), &Hints::default());
    let errors: Vec<String> = import.errors().map(ToString::to_string).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("codes.txt:7 列 科目编码") && e.contains("类 711 不存在")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("codes.txt:8 列 科目名称") && e.contains("末尾混有数字 12.00")),
        "{errors:?}"
    );
    let codes = col(&import.tables.amounts, "code");
    assert!(
        codes.iter().all(|c| c != "71102" && c != "2101101"),
        "{codes:?}"
    );
    assert!(codes.iter().any(|c| c == "21011"));
}

/// A 项目支出预算表 printed unit | project (Huzhou): the project's name is read from the 项目名称
/// column (not the unit's), the 合计 row is no project, and a project whose figures stand on a
/// line without its name is a located error, not a nameless project.
#[test]
fn project_list_reads_the_project_name_column() {
    let text = "某市某某局2026年部门预算
2026年市级部门项目支出预算表
单位：万元
单位名称\t项目名称\t总计\t一般公共预算\t单位资金
\t合计\t4651.90\t4368.60\t283.30
某市某某局\t移交安置与思想政治权益维护\t1010.47\t1010.47\t
某市某某休养所\t军休服务管理\t2596.40\t2343.10\t253.30
\t\t35.00\t35.00\t
";
    let import = read_report_text_with("projects.txt", text.as_bytes(), &Hints::default());
    let p = &import.tables.projects;
    assert_eq!(
        col(p, "name"),
        vec!["移交安置与思想政治权益维护", "军休服务管理"]
    );
    assert_eq!(col(p, "budget_initial"), vec!["1010.470000", "2596.400000"]);
    assert!(
        col(p, "note")
            .iter()
            .any(|n| n.contains("单位：某市某某休养所"))
    );
    let errors: Vec<String> = import.errors().map(ToString::to_string).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("projects.txt:8 列 项目名称") && e.contains("35.00")),
        "{errors:?}"
    );
}

/// Beijing's 支出总表 prints three classifications as `code-name` cells side by side: each row is
/// named from its own 功能 cell (not from the 政府经济 cell beside it); its 三公 table heads the
/// total `“三公”经费财政拨款预算总额`.
#[test]
fn cross_tabulated_names_and_a_sangong_total_named_zong_e() {
    let text = "北京市某某局2026年度部门预算
预算03表 支出总表
金额单位：万元
\t支出功能分类科目\t政府支出经济分类科目\t部门支出经济分类科目\t合计\t基本支出\t项目支出
\t2010801-行政运行\t50101-工资奖金津补贴\t30101-基本工资\t3,138.093600\t3,138.093600\t
\t2010806-信息化建设\t50201-办公经费\t30214-租赁费\t2,180.712320\t\t2,180.712320

预算09表 财政拨款“三公”经费支出表
金额单位：万元
\t“三公”经费财政拨款预算总额\t因公出国（境）费用\t公务接待费\t公务用车购置及运行维护费\t\t
\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费
\t244.848000\t173.520000\t6.000000\t65.328000\t37.380000\t27.948000
";
    let import = read_report_text_with("bj.txt", text.as_bytes(), &Hints::default());
    let a = &import.tables.amounts;
    let (codes, names) = (col(a, "code"), col(a, "name"));
    let named = |code: &str| -> Vec<String> {
        codes
            .iter()
            .zip(&names)
            .filter(|(c, _)| *c == code)
            .map(|(_, n)| n.clone())
            .collect()
    };
    assert!(
        named("2010806").iter().all(|n| n == "信息化建设"),
        "{:?}",
        named("2010806")
    );
    assert!(named("2010801").iter().all(|n| n == "行政运行"));
    assert!(!named("2010801").is_empty());
    let s = &import.tables.sangong;
    let (cats, amounts) = (col(s, "category"), col(s, "amount"));
    let total = cats
        .iter()
        .position(|c| c == "total")
        .expect("三公 total read");
    assert_eq!(amounts[total], "244.848000");
}

/// The same figure printed in two tables of one report must agree: a 基本支出明细表 (its 合计 is
/// the basic expenditure) against the 支出明细表's 基本支出 column. Where they differ, both
/// tables are 存疑 and say where the other figure is.
#[test]
fn a_figure_printed_twice_is_checked_across_tables() {
    use fiscal_lens::ingest::verify::Verdict;
    let report = |basic_302: &str| {
        format!(
            "某市某某局2019年部门综合预算公开报表
一般公共预算支出明细表（按支出经济分类科目）
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t130.00\t80.00\t50.00
301\t工资福利支出\t60.00\t60.00\t
302\t商品和服务支出\t70.00\t20.00\t50.00

一般公共预算基本支出明细表（按支出经济分类科目）
单位：万元
科目编码\t科目名称\t合计
\t合计\t{total}
301\t工资福利支出\t60.00
302\t商品和服务支出\t{basic_302}
",
            total = if basic_302 == "20.00" {
                "80.00"
            } else {
                "62.00"
            }
        )
    };
    let agree = read_report_text_with("x.txt", report("20.00").as_bytes(), &Hints::default());
    assert!(
        agree
            .reports
            .iter()
            .all(|r| r.verdict == Some(Verdict::Verified)),
        "{:?}",
        agree
            .reports
            .iter()
            .map(|r| (&r.source_table, r.verdict, &r.verdict_note))
            .collect::<Vec<_>>()
    );
    // the basic-only table's 合计 column is stored as 基本支出
    let a = &agree.tables.amounts;
    let (tables, natures) = (col(a, "source_table"), col(a, "nature"));
    let second = tables
        .iter()
        .rev()
        .find(|t| t.contains('-'))
        .expect("a second table id")
        .clone();
    assert!(
        tables
            .iter()
            .zip(&natures)
            .filter(|(t, _)| **t == second)
            .all(|(_, n)| n == "basic")
    );
    let differ = read_report_text_with("x.txt", report("2.00").as_bytes(), &Hints::default());
    assert!(
        differ
            .reports
            .iter()
            .all(|r| r.verdict == Some(Verdict::Doubtful)),
        "{:?}",
        differ
            .reports
            .iter()
            .map(|r| (&r.source_table, r.verdict, &r.verdict_note))
            .collect::<Vec<_>>()
    );
    assert!(
        differ
            .reports
            .iter()
            .all(|r| r.verdict_note.contains("表间一致"))
    );
}
