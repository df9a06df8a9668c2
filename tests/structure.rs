#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! 收支结构, drill comparison columns and per-code trends on the built-in (seed) figures.

mod common;

use common::d;

use fiscal_lens::analysis::drill::{DrillQuery, code_trend, drill_table};
use fiscal_lens::analysis::overview::{Catalog, Selection, catalog};
use fiscal_lens::analysis::structure::{BreakdownKind, structure, structure_report};
use fiscal_lens::dataset::Dataset;
use fiscal_lens::model::{Classification, Code, Fund, Nature, Stage};
use rust_decimal::Decimal;

const SZ: &str = "深圳市社会保险基金管理局";
const FS: &str = "佛山市社会保险基金管理局";

fn setup() -> (Dataset, Catalog) {
    let ds = Dataset::builtin().unwrap();
    let cat = catalog(&ds).unwrap();
    (ds, cat)
}

fn sel(department: &str, year: i32, stage: Stage) -> Selection {
    Selection {
        department: department.to_owned(),
        year,
        stage,
    }
}

#[test]
fn structure_2020_final_all_funds() {
    let (ds, cat) = setup();
    let s = structure(&ds, &cat, &sel(SZ, 2020, Stage::Final), Fund::All).unwrap();
    assert_eq!(s.scope.as_deref(), Some("全部门"));

    let rev = s.get(BreakdownKind::Revenue).unwrap();
    assert_eq!(rev.total.as_ref().unwrap().amount, d("321163.15"));
    assert_eq!(rev.tables, vec!["公开01".to_owned()]);
    assert_eq!(rev.part("gov_fund").unwrap().figure.amount, d("249078.00"));
    assert_eq!(
        rev.part("general_budget").unwrap().figure.amount,
        d("68683.81")
    );
    assert_eq!(rev.part("other").unwrap().figure.amount, d("3401.34"));
    assert_eq!(rev.unallocated, None, "三个来源之和等于本年收入合计");
    assert!(
        rev.notes.iter().any(|n| n.contains("403.92")),
        "{:?}",
        rev.notes
    );
    // Sorted by amount, shares of the published total.
    assert_eq!(rev.parts[0].key, "gov_fund");
    assert_eq!(
        (rev.parts[0].share.unwrap() * d("10000")).round(),
        d("7755")
    );

    let func = s.get(BreakdownKind::Functional).unwrap();
    assert_eq!(func.tables, vec!["公开03".to_owned()]);
    assert_eq!(func.total.as_ref().unwrap().amount, d("321163.15"));
    assert_eq!(func.part("208").unwrap().figure.amount, d("63682.77"));

    let nature = s.get(BreakdownKind::Nature).unwrap();
    assert_eq!(nature.part("basic").unwrap().figure.amount, d("35152.56"));
    assert_eq!(
        nature.part("project").unwrap().figure.amount,
        d("286010.59")
    );
    assert_eq!(nature.unallocated, None);

    // 人员/公用 and the economic classes are published for 一般公共预算 only: shown with a note.
    let groups = s.get(BreakdownKind::EconomicGroup).unwrap();
    assert_eq!(groups.fund, Fund::GeneralBudget);
    assert_eq!(
        groups.part("personnel").unwrap().figure.amount,
        d("31027.14")
    );
    assert_eq!(groups.part("public").unwrap().figure.amount, d("4125.42"));
    assert_eq!(groups.total.as_ref().unwrap().amount, d("35152.56"));
    assert_eq!(groups.unallocated, None);
    assert!(groups.notes.iter().any(|n| n.contains("一般公共预算")));

    let econ = s.get(BreakdownKind::EconomicClass).unwrap();
    assert_eq!(econ.fund, Fund::GeneralBudget);
    assert_eq!(econ.nature, Nature::Basic);
    assert_eq!(econ.part("301").unwrap().figure.amount, d("29706.00"));
}

#[test]
fn structure_report_links_budget_and_previous_year_like_for_like() {
    let (ds, cat) = setup();
    // 一般公共预算 2020 final vs the 2020 initial budget (narrative 类 figures).
    let r = structure_report(&ds, &cat, &sel(SZ, 2020, Stage::Final), Fund::GeneralBudget).unwrap();
    assert_eq!(r.counterpart_stage, Some(Stage::BudgetInitial));
    let func = r.main.get(BreakdownKind::Functional).unwrap();
    let p208 = func.part("208").unwrap();
    assert_eq!(p208.figure.amount, d("60412.26"));
    assert_eq!(p208.counterpart, Some(d("53278")));
    // 决算 / 预算, as the view and the export show it: 113.39 %.
    assert_eq!(
        p208.execution(Stage::Final).unwrap().round_dp(4),
        d("1.1339")
    );
    // 2019 is the same scope; its 基本/项目 split is published for 一般公共预算.
    assert_eq!(r.previous_year, Some(2019));
    let nature = r.main.get(BreakdownKind::Nature).unwrap();
    let basic = nature.part("basic").unwrap();
    assert_eq!(basic.previous, Some(d("43401.15")));
    assert_eq!(basic.figure.amount, d("35152.56"));

    // 全部资金: the 2020 budget has no all-fund breakdown, so nothing is linked across funds.
    let r = structure_report(&ds, &cat, &sel(SZ, 2020, Stage::Final), Fund::All).unwrap();
    let func = r.main.get(BreakdownKind::Functional).unwrap();
    assert!(func.parts.iter().all(|p| p.counterpart.is_none()));
}

#[test]
fn structure_2023_budget_scope_note_and_unallocated() {
    let (ds, cat) = setup();
    let r = structure_report(&ds, &cat, &sel(SZ, 2023, Stage::BudgetInitial), Fund::All).unwrap();
    assert_eq!(r.main.scope.as_deref(), Some("本级"));
    assert_eq!(r.previous_year, None);
    let notes = r.previous_notes.join("；");
    assert!(
        notes.contains("2021") && notes.contains("全部门"),
        "{notes}"
    );
    let rev = r.main.get(BreakdownKind::Revenue).unwrap();
    assert_eq!(rev.total.as_ref().unwrap().amount, d("298448"));
    assert_eq!(rev.parts.len(), 2, "zero sources are listed in a note");
    assert!(rev.notes.iter().any(|n| n.contains("金额为 0")));
    // 预算表3: 5,104 + 293,343 = 298,447 against a published 298,448.
    let nature = r.main.get(BreakdownKind::Nature).unwrap();
    assert_eq!(nature.unallocated, Some(d("1")));
    let groups = r.main.get(BreakdownKind::EconomicGroup).unwrap();
    assert_eq!(groups.parts_sum().unwrap(), d("5104"));
    assert_eq!(groups.unallocated, None);
}

#[test]
fn structure_foshan_from_totals_with_counterpart() {
    let (ds, cat) = setup();
    let r = structure_report(&ds, &cat, &sel(FS, 2022, Stage::Final), Fund::All).unwrap();
    let nature = r.main.get(BreakdownKind::Nature).unwrap();
    assert_eq!(nature.total.as_ref().unwrap().amount, d("46665.43"));
    assert_eq!(nature.part("basic").unwrap().figure.amount, d("2908.01"));
    assert_eq!(
        nature.part("basic").unwrap().counterpart,
        Some(d("3005.47"))
    );
    let groups = r.main.get(BreakdownKind::EconomicGroup).unwrap();
    // 2,561.68 + 346.32 = 2,908.00 against 2,908.01: the cent is shown, not lost.
    assert_eq!(groups.unallocated, Some(d("0.01")));
    assert_eq!(r.counterpart_stage, Some(Stage::BudgetAdjusted));
}

fn query(year: i32, stage: Stage, fund: Fund, parent: Option<&str>) -> DrillQuery {
    DrillQuery {
        department: SZ.to_owned(),
        scope: "全部门".to_owned(),
        year,
        stage,
        fund,
        classification: Classification::Functional,
        nature: Nature::Total,
        parent: parent.map(|p| Code::parse(p, Classification::Functional).unwrap()),
    }
}

#[test]
fn drill_table_budget_final_execution() {
    let (ds, cat) = setup();
    let scopes = cat.year_scopes(SZ);
    let t = drill_table(
        &ds,
        &query(2020, Stage::Final, Fund::GeneralBudget, None),
        &scopes,
    )
    .unwrap();
    assert_eq!(t.budget_stage, Some(Stage::BudgetInitial));
    let l208 = t
        .lines
        .iter()
        .find(|l| l.row.code.as_str() == "208")
        .unwrap();
    assert_eq!(l208.budget, Some(d("53278")));
    assert_eq!(l208.final_amount, Some(d("60412.26")));
    assert_eq!(
        fiscal_lens::analysis::frame::round(l208.execution().unwrap(), 4),
        d("1.1339")
    );
    // 2019 publishes no 类 rows: no YoY, and the table says why.
    assert_eq!(t.previous_year, None);
    assert!(t.notes.iter().any(|n| n.contains("2019")), "{:?}", t.notes);

    // Breadcrumb path of a 款.
    let t = drill_table(
        &ds,
        &query(2020, Stage::Final, Fund::All, Some("20801")),
        &scopes,
    )
    .unwrap();
    let names: Vec<String> = t
        .drill
        .ancestors
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    assert_eq!(
        names,
        vec!["208 社会保障和就业支出", "20801 人力资源和社会保障管理事务"]
    );
}

#[test]
fn code_trend_marks_scope_change() {
    let (ds, cat) = setup();
    let scopes = cat.year_scopes(SZ);
    let code = Code::parse("208", Classification::Functional).unwrap();
    let t = code_trend(
        &ds,
        &query(2020, Stage::Final, Fund::GeneralBudget, None),
        Some(&code),
        &scopes,
    )
    .unwrap();
    assert_eq!(t.name, "社会保障和就业支出");
    let pts: Vec<(i32, Stage, Decimal)> = t
        .points
        .iter()
        .map(|p| (p.year, p.stage, p.figure.amount))
        .collect();
    assert!(pts.contains(&(2020, Stage::BudgetInitial, d("53278"))));
    assert!(pts.contains(&(2020, Stage::Final, d("60412.26"))));
    assert!(pts.iter().any(|(y, _, _)| *y == 2023));
    assert_eq!(t.scope_changes, vec![2023], "全部门 → 本级");
}

/// 结构变化: the series chooses 2020 决算 (全部门) and 2023 年初预算 (本级) — both with every fund —
/// and the waterfall between them names 208 and 212 as the largest contributors, with notes.
#[test]
fn structure_over_time_and_waterfall_2020_final_to_2023_budget() {
    use fiscal_lens::analysis::structure::{Dimension, timeline, waterfall};
    let (ds, cat) = setup();
    let t = timeline(&ds, &cat, SZ, Fund::All).unwrap();
    let labels = |dim| {
        t.shown(dim)
            .map(fiscal_lens::analysis::structure::TimePoint::label)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        labels(Dimension::Functional),
        vec!["2020 决算 · 全部门", "2023 年初预算 · 本级"]
    );
    let series = t.series(Dimension::Functional).unwrap();
    assert_eq!(series.basis, Some(Stage::Final));
    let notes = &series.notes;
    assert!(
        notes.iter().any(|n| n.contains("2023 年为年初预算")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.starts_with("口径不一")), "{notes:?}");
    // 基本 / 项目 over more years: 2019 (正文, 一般公共预算 only) to 2023
    let nature = labels(Dimension::Nature);
    assert_eq!(
        nature.first().map(String::as_str),
        Some("2019 决算 · 全部门"),
        "{nature:?}"
    );
    assert_eq!(
        nature.last().map(String::as_str),
        Some("2023 年初预算 · 本级")
    );

    let (a, b) = t.default_pair(Dimension::Functional).unwrap();
    let w = waterfall(&t.points[a], &t.points[b], Dimension::Functional)
        .unwrap()
        .unwrap();
    assert_eq!(w.start, d("321163.15"));
    assert_eq!(w.end, d("298448"));
    assert_eq!(w.steps[0].key, "208");
    assert_eq!(w.steps[0].delta, d("-47468.77"));
    assert_eq!(w.steps[1].key, "212");
    assert_eq!(w.steps[1].delta, d("31407.00"));
    assert_eq!(w.residual, None);
    let explained: Decimal = w.steps.iter().map(|s| s.delta).sum();
    assert_eq!(explained, d("-22715.15"));
    assert!(
        w.notes
            .iter()
            .any(|n| n.starts_with("基础不同：2020 年为决算，2023 年为年初预算"))
    );
    assert!(
        w.notes
            .iter()
            .any(|n| n.starts_with("口径不同：2020 年「全部门」，2023 年「本级」"))
    );
    assert!(
        w.notes.contains(&"资金来源：全部资金".to_owned()),
        "{:?}",
        w.notes
    );
    // shares: 212 from 77.55 % to 93.98 %
    let s212 = &w.steps[1];
    assert_eq!(s212.share_from.unwrap().round_dp(4), d("0.7755"));
    assert_eq!(s212.share_to.unwrap().round_dp(4), d("0.9398"));

    // 款 level: the parts still add up, and the largest 款 change sits under 212 or 208
    let k = waterfall(&t.points[a], &t.points[b], Dimension::FunctionalKuan)
        .unwrap()
        .unwrap();
    let explained: Decimal = k.steps.iter().map(|s| s.delta).sum();
    assert_eq!(explained + k.residual.unwrap_or_default(), d("-22715.15"));
    assert!(k.steps[0].key.starts_with("212") || k.steps[0].key.starts_with("208"));
}

/// 人员经费 means 301 + 303 in every year: 2020 公开06 prints it so (29,706.00 + 1,321.14 =
/// 31,027.14), 2023 prints 人员支出 (301) and 对个人和家庭的补助 (303) apart, which are added.
#[test]
fn personnel_has_one_definition_across_years() {
    let (ds, cat) = setup();
    let s2020 = structure(&ds, &cat, &sel(SZ, 2020, Stage::Final), Fund::All).unwrap();
    let g = s2020.get(BreakdownKind::EconomicGroup).unwrap();
    let p = g.part("personnel").unwrap();
    assert_eq!(p.figure.amount, d("31027.14"));
    assert!(!p.figure.derived);
    assert!(
        g.notes.iter().any(|n| n.starts_with("人员经费按原表所列")),
        "{:?}",
        g.notes
    );

    let s2023 = structure(&ds, &cat, &sel(SZ, 2023, Stage::BudgetInitial), Fund::All).unwrap();
    let g = s2023.get(BreakdownKind::EconomicGroup).unwrap();
    let p = g.part("personnel").unwrap();
    assert_eq!(p.figure.amount, d("4708"));
    assert!(p.figure.derived);
    assert!(g.part("household_subsidy").is_none());
    assert!(
        g.notes.contains(
            &"人员经费按 301 工资福利支出 + 303 对个人和家庭的补助计：本年两者分列公布（4,072.00 + 636.00 万元），已相加"
                .to_owned()
        ),
        "{:?}",
        g.notes
    );
}
