//! Drill-down on seed figures: children + 未细分 always equal the parent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::d;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::drill::{DrillQuery, drill};
use fiscal_lens::model::{Classification, Code, Fund, Nature, Stage};

fn q(fund: Fund, class: Classification, nature: Nature, parent: Option<&str>) -> DrillQuery {
    DrillQuery {
        department: "深圳市社会保险基金管理局".to_owned(),
        scope: "全部门".to_owned(),
        year: 2020,
        stage: Stage::Final,
        fund,
        classification: class,
        nature,
        parent: parent.map(|p| Code::parse(p, class).unwrap()),
    }
}

#[test]
fn functional_top_level_2020() {
    let ds = Dataset::builtin().unwrap();
    let r = drill(
        &ds,
        &q(Fund::All, Classification::Functional, Nature::Total, None),
    )
    .unwrap();
    assert_eq!(r.table.as_deref(), Some("公开03"));
    assert_eq!(r.parent.as_ref().unwrap().amount, d("321163.15"));
    let codes: Vec<&str> = r.rows.iter().map(|r| r.code.as_str()).collect();
    // Largest first: 212 城乡社区 249,078.00, 208 63,682.77, 221, 210, 229, 205, 201
    assert_eq!(codes, vec!["212", "208", "221", "210", "229", "205", "201"]);
    assert!(r.rows.iter().all(|r| r.has_children));
    // The 类 rows add up exactly to the published 合计: nothing unallocated.
    assert_eq!(r.children_sum().unwrap(), d("321163.15"));
    assert_eq!(r.unallocated, None);

    // 项目支出 column: the 类 add up to 286,010.60 against the published 286,010.59.
    let r = drill(
        &ds,
        &q(Fund::All, Classification::Functional, Nature::Project, None),
    )
    .unwrap();
    assert_eq!(r.parent.as_ref().unwrap().amount, d("286010.59"));
    assert_eq!(r.children_sum().unwrap(), d("286010.60"));
    assert_eq!(r.unallocated, Some(d("-0.01")));
    assert_eq!(
        r.children_sum().unwrap() + r.unallocated.unwrap(),
        r.parent.as_ref().unwrap().amount
    );
}

#[test]
fn drill_208_to_kuan_and_xiang() {
    let ds = Dataset::builtin().unwrap();
    let r = drill(
        &ds,
        &q(
            Fund::All,
            Classification::Functional,
            Nature::Total,
            Some("208"),
        ),
    )
    .unwrap();
    assert_eq!(r.parent_name, "社会保障和就业支出");
    assert_eq!(r.parent.as_ref().unwrap().amount, d("63682.77"));
    let first = &r.rows[0];
    assert_eq!(first.code.as_str(), "20801");
    assert_eq!(first.figure.amount, d("49434.68"));
    assert_eq!(
        first.share_of_parent.unwrap().round_dp(4),
        (d("49434.68") / d("63682.77")).round_dp(4)
    );
    // Children sum 63,682.78: the published one-cent 尾数 shows as 未细分 −0.01.
    assert_eq!(
        r.children_sum().unwrap() + r.unallocated.unwrap_or_default(),
        d("63682.77")
    );
    assert_eq!(r.unallocated, Some(d("-0.01")));

    let r = drill(
        &ds,
        &q(
            Fund::All,
            Classification::Functional,
            Nature::Total,
            Some("20801"),
        ),
    )
    .unwrap();
    let codes: Vec<&str> = r.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, vec!["2080109", "2080199", "2080103", "2080108"]);
    assert!(r.rows.iter().all(|r| !r.has_children));
}

#[test]
fn economic_basic_2020() {
    let ds = Dataset::builtin().unwrap();
    let r = drill(
        &ds,
        &q(
            Fund::GeneralBudget,
            Classification::Economic,
            Nature::Basic,
            None,
        ),
    )
    .unwrap();
    assert_eq!(r.table.as_deref(), Some("公开06"));
    let wages = r.rows.iter().find(|r| r.code.as_str() == "301").unwrap();
    assert_eq!(wages.name, "工资福利支出");
    assert_eq!(wages.figure.amount, d("29706.00"));
    // 公开06 has no 合计 row of its own: the total (and the top-level parent) is derived from
    // the classes, so shares are still shown and nothing is unallocated by construction.
    let parent = r.parent.as_ref().unwrap();
    assert!(parent.derived);
    assert_eq!(parent.amount, d("35152.55"));
    assert!(r.total.as_ref().unwrap().derived);
    assert_eq!(r.unallocated, None);
    let r = drill(
        &ds,
        &q(
            Fund::GeneralBudget,
            Classification::Economic,
            Nature::Basic,
            Some("302"),
        ),
    )
    .unwrap();
    // 302 items sum to 4,120.56 against the published 4,120.55.
    assert_eq!(r.parent.as_ref().unwrap().amount, d("4120.55"));
    assert_eq!(r.unallocated, Some(d("-0.01")));
}

/// A 政府性基金 code asked for under 一般公共预算 (the fund the 2020 年初预算 falls back to) is
/// shown from the fund that published it, with a note — not "历年均未公布此科目".
#[test]
fn a_code_trend_finds_the_fund_that_published_it() {
    use fiscal_lens::analysis::drill::code_trend_any_fund;
    use fiscal_lens::analysis::overview::catalog;
    let ds = Dataset::builtin().unwrap();
    let cat = catalog(&ds).unwrap();
    let mut query = q(
        Fund::GeneralBudget,
        Classification::Functional,
        Nature::Total,
        None,
    );
    query.stage = Stage::BudgetInitial;
    let scopes = cat.year_scopes(&query.department);
    let code = Code::parse("21208", Classification::Functional).unwrap();
    let t = code_trend_any_fund(&ds, &query, Some(&code), &scopes).unwrap();
    assert_eq!(
        t.fund_note.as_deref(),
        Some("「一般公共预算」历年均未公布此科目；以下为「全部资金」的数字")
    );
    let p2020 = t
        .points
        .iter()
        .find(|p| p.year == 2020 && p.stage == Stage::Final)
        .unwrap();
    assert_eq!(p2020.figure.amount, d("249078.00"));
    // a code the fund did publish keeps its fund, without a note
    let code = Code::parse("208", Classification::Functional).unwrap();
    let t = code_trend_any_fund(&ds, &query, Some(&code), &scopes).unwrap();
    assert_eq!(t.fund_note, None);
    assert!(!t.points.is_empty());
}
