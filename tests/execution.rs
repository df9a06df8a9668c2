//! 三公 trend, branch execution and quarterly progress on seed figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::d;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::branches::{self, ProjectFilter};
use fiscal_lens::analysis::quarterly;
use fiscal_lens::analysis::sangong::{self, Marker};
use fiscal_lens::model::{SangongCategory, Stage};
use rust_decimal::Decimal;

const SZ: &str = "深圳市社会保险基金管理局";
const FS: &str = "佛山市社会保险基金管理局";

#[test]
fn sangong_trend_shenzhen() {
    let ds = Dataset::builtin().unwrap();
    let t = sangong::sangong_trend(&ds, SZ).unwrap();
    let years: Vec<i32> = t.years.iter().map(|y| y.year).collect();
    assert_eq!(years, vec![2019, 2020, 2021, 2022, 2023]);

    let y2020 = t.year(2020).unwrap();
    assert_eq!(y2020.actual_total(), Some(d("52.70")));
    assert_eq!(y2020.budget_total(), Some(d("95.24")));
    assert_eq!(y2020.budget_stage, Some(Stage::BudgetAdjusted));
    assert_eq!(y2020.control_rate().unwrap().round_dp(4), d("0.5533"));
    assert_eq!(
        y2020.actual[&SangongCategory::VehicleOperation].amount,
        d("51.27")
    );
    assert_eq!(y2020.actual[&SangongCategory::Reception].amount, d("1.43"));
    assert_eq!(y2020.budget[&SangongCategory::Reception].amount, d("7.74"));
    // 2019 → 2020: 104.9 → 52.70 (−49.8%)
    let (py, p, change, on_budget) = t.yoy(2020).unwrap();
    assert!(!on_budget);
    assert_eq!((py, p), (2019, d("104.9")));
    assert_eq!(change.round_dp(3), d("-0.498"));

    let y2021 = t.year(2021).unwrap();
    assert_eq!(y2021.actual_total(), Some(d("45.92")));
    assert_eq!(y2021.budget_total(), Some(d("90.07")));
    assert!(t.markers(2021).contains(&Marker::TotalOnly));

    // 2019: only the actual; 2022: only the budget, and the scope changes to 本级.
    assert!(t.markers(2019).contains(&Marker::OnlyActual));
    let m2022 = t.markers(2022);
    assert!(m2022.contains(&Marker::OnlyBudget));
    assert!(m2022.contains(&Marker::ScopeChange {
        from: "全部门".to_owned(),
        to: "本级".to_owned()
    }));
    // Never compared across scopes: 2022 (本级 budget) vs 2021 (全部门).
    assert_eq!(t.yoy(2022), None);
    assert_eq!(t.year(2023).unwrap().budget_total(), Some(d("10")));
    // 2023 vs 2022 on budget (both budget-only): 10 vs 30
    let (_, p, _, on_budget) = t.yoy(2023).unwrap();
    assert_eq!(p, d("30"));
    assert!(on_budget);

    let fs = sangong::sangong_trend(&ds, FS).unwrap();
    let y = fs.year(2022).unwrap();
    assert_eq!(y.actual_total(), Some(d("1.88")));
    assert_eq!(y.budget_total(), Some(d("13.5")));
}

#[test]
fn branch_report_2020() {
    let ds = Dataset::builtin().unwrap();
    assert_eq!(branches::project_years(&ds, SZ).unwrap(), vec![2020, 2021]);
    let r = branches::branch_report(&ds, SZ, 2020).unwrap();
    assert_eq!(r.projects.len(), 200);
    let ft = r.unit("福田分局").unwrap();
    assert_eq!(ft.projects, 16);
    assert_eq!(ft.budget, d("941.73"));
    assert_eq!(ft.executed, d("878.32"));
    assert_eq!(ft.rate.unwrap().round_dp(4), d("0.9327"));
    assert_eq!(r.unit("直属分局").unwrap().projects, 11);
    // 本级 comes first, branches in the usual order.
    assert_eq!(r.units[0].unit, "本级");
    assert_eq!(r.units[1].unit, "直属分局");
    // 直属分局: (49) and (50) executed 0 of 37.89 and 37.5; (47) 32.4%, (48) 49.1%
    let zs = r.unit("直属分局").unwrap();
    assert_eq!(zs.below_60, 4);
    // Scores below 80: (49) 0 and (50) 0
    assert_eq!(zs.score_below_80, 2);
    // Department rate = Σ executed / Σ budget over all 200 projects.
    let budget: Decimal = r.projects.iter().filter_map(|p| p.budget).sum();
    let executed: Decimal = r.projects.iter().filter_map(|p| p.executed).sum();
    assert_eq!(r.department_rate, Some(executed / budget));
    // Without the four department-level transfers (未注明单位, 258,556.99 万元):
    let named: Vec<_> = r
        .projects
        .iter()
        .filter(|p| p.unit != "未注明单位")
        .collect();
    let nb: Decimal = named.iter().filter_map(|p| p.budget).sum();
    let ne: Decimal = named.iter().filter_map(|p| p.executed).sum();
    assert_eq!(r.units_rate, Some(ne / nb));
    assert!(r.units_rate < r.department_rate);
}

#[test]
fn project_filter_and_indicators() {
    let ds = Dataset::builtin().unwrap();
    let r = branches::branch_report(&ds, SZ, 2020).unwrap();
    let f = ProjectFilter {
        units: vec!["福田分局".to_owned()],
        rate_below: Some(d("0.8")),
        ..Default::default()
    };
    let hits: Vec<_> = r.projects.iter().filter(|p| f.matches(p)).collect();
    // 福田分局 below 80%: (53) 9.5%, (60) 79.1%, (64) 23.9%
    let seqs: Vec<i32> = hits.iter().map(|p| p.seq).collect();
    assert_eq!(seqs, vec![53, 60, 64]);
    let f = ProjectFilter {
        name_contains: "员额经费".to_owned(),
        score_below: Some(d("95")),
        ..Default::default()
    };
    assert!(
        r.projects
            .iter()
            .filter(|p| f.matches(p))
            .all(|p| p.name.contains("员额经费") && p.score.unwrap() < d("95"))
    );

    // 2021 project tables (元): indicators of the first table.
    let r21 = branches::branch_report(&ds, SZ, 2021).unwrap();
    assert_eq!(r21.projects.len(), 8);
    let first = &r21.projects[0];
    assert_eq!(first.budget, Some(d("38")));
    assert_eq!(first.executed, Some(d("33.453275")));
    assert_eq!(first.source_unit, "元");
    let ind = branches::indicators(&ds, &first.project_id).unwrap();
    assert!(!ind.is_empty());
    let weights: Decimal = ind.iter().filter_map(|i| i.weight).sum();
    assert_eq!(weights, d("90"));
}

#[test]
fn quarterly_2021() {
    let ds = Dataset::builtin().unwrap();
    assert_eq!(quarterly::quarterly_years(&ds, SZ).unwrap(), vec![2021]);
    let q = quarterly::quarterly(&ds, SZ, 2021).unwrap();
    assert_eq!(q.len(), 4);
    let q1 = &q[0];
    assert_eq!(q1.quarter, 1);
    assert_eq!(q1.cumulative, d("228317.64"));
    assert_eq!(q1.budget, d("584600.79"));
    assert_eq!(q1.published_progress, Some(d("0.3906")));
    assert_eq!(q1.progress.unwrap().round_dp(4), d("0.3906"));
    assert_eq!(q1.benchmark, d("0.25"));
    assert_eq!(q1.deviation.unwrap().round_dp(4), d("0.1406"));
    assert_eq!(q[3].benchmark, d("1"));
    assert_eq!(q[3].progress.unwrap().round_dp(4), d("0.9854"));
}

/// 未执行金额 and the shortfall ranking: 直属分局 left 167.68 万元 unspent in 2020, and four
/// projects account for 141.06 of it; 37 of the 200 projects are 高分低执行.
#[test]
fn unspent_ranking_and_score_execution_quadrants_2020() {
    use branches::Quadrant;
    let ds = Dataset::builtin().unwrap();
    let r = branches::branch_report(&ds, SZ, 2020).unwrap();
    assert_eq!(r.projects.len(), 200);
    let zs = r.unit("直属分局").unwrap();
    assert_eq!(zs.unspent, d("167.68"));
    assert_eq!(r.unit("宝安分局").unwrap().unspent, d("233.26"));
    assert_eq!(r.unit("未注明单位").unwrap().unspent, d("0.00"));

    let s = branches::shortfall(&r.projects, |p| p.unit == "直属分局").unwrap();
    assert_eq!(s.total, d("167.68"));
    let top: Vec<(&str, Decimal)> = s.rows[..4]
        .iter()
        .map(|row| (r.projects[row.project].name.as_str(), row.unspent))
        .collect();
    assert_eq!(
        top,
        vec![
            ("社保业务公众服务经费", d("50.11")),
            ("预算准备金", d("37.89")),
            ("档案配送费", d("37.50")),
            ("案件调查取证费", d("15.56")),
        ]
    );
    assert_eq!(s.rows[3].cumulative, d("141.06"));
    assert_eq!(s.rows[3].cumulative_share.unwrap().round_dp(4), d("0.8412"));
    assert_eq!(s.count_for(d("0.8")), 4);

    let flagged = |q| {
        r.projects
            .iter()
            .filter(|p| p.quadrant() == Some(q))
            .count()
    };
    assert_eq!(flagged(Quadrant::HighScoreLowExecution), 37);
    assert_eq!(flagged(Quadrant::LowScoreHighExecution), 1);
    // the rule's edges: exactly 90 points and exactly 80 % are on the flagged / unflagged side
    let mut p = r.projects[0].clone();
    p.score = Some(d("90"));
    p.budget = Some(d("100"));
    p.executed = Some(d("79.99"));
    assert_eq!(p.quadrant(), Some(Quadrant::HighScoreLowExecution));
    p.executed = Some(d("80"));
    assert_eq!(p.quadrant(), None);
    p.score = Some(d("79.5"));
    p.executed = Some(d("90"));
    assert_eq!(p.quadrant(), Some(Quadrant::LowScoreHighExecution));
}

/// Staff numbers stated in the 2021 report (核定编制数 793, 年末在编数 755): the actual number is
/// the denominator, only for its own year and scope.
#[test]
fn staff_numbers_and_per_person_figures() {
    use fiscal_lens::analysis::staff::{StaffKind, staff, staff_for};
    let ds = Dataset::builtin().unwrap();
    let list = staff(&ds, SZ).unwrap();
    let counts: Vec<(i32, StaffKind, Decimal)> =
        list.iter().map(|s| (s.year, s.kind, s.count)).collect();
    assert_eq!(
        counts,
        vec![
            (2021, StaffKind::Actual, d("755")),
            (2021, StaffKind::Authorized, d("793"))
        ]
    );
    let s = staff_for(&list, 2021, "全部门").unwrap();
    assert_eq!(s.kind, StaffKind::Actual);
    assert_eq!(s.source.line, Some(206));
    assert_eq!(s.per_person(d("34205.07")).unwrap().round_dp(2), d("45.30"));
    assert!(staff_for(&list, 2021, "本级").is_none());
    assert!(staff_for(&list, 2020, "全部门").is_none());
    assert!(staff(&ds, FS).unwrap().is_empty());
}
