//! Report layouts met in real reports, on small synthetic reports (tab-separated text, the same
//! grammar the PDF page model feeds): code tables listed unit by unit (Xi'an 2019: a six-digit
//! unit code row, then that unit's 类 / 款 / 项, the 款 printed as its last two digits), and
//! regional 7-digit economic sub-items (3010201 under 30102, the 款 itself not printed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

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
    df.column(name)
        .unwrap()
        .cast(&DataType::String)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("").to_owned())
        .collect()
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
