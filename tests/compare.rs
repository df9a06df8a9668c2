//! 部门对比: every department's figures for a year and stage, found by polars plans for all
//! departments at once, equal to what the Overview shows for each department.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::d;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::compare::{self, Metric};
use fiscal_lens::analysis::overview::{self, KpiKey, Selection};
use fiscal_lens::analysis::summary;
use fiscal_lens::model::{Fund, Stage};
use rust_decimal::Decimal;

const SZ: &str = "深圳市社会保险基金管理局";
const FS: &str = "佛山市社会保险基金管理局";

#[test]
fn every_figure_is_the_one_the_overview_shows() {
    let ds = Dataset::builtin().unwrap();
    let cat = overview::catalog(&ds).unwrap();
    let mut compared = 0;
    let mut years = std::collections::BTreeSet::new();
    for dep in cat.departments() {
        for year in cat.years(dep) {
            years.insert(year);
        }
    }
    for &year in &years {
        for stage in Stage::ALL {
            let ranking = compare::ranking(&ds, &cat, year, stage).unwrap();
            assert_eq!(ranking.rows.len(), cat.departments().count());
            for row in &ranking.rows {
                let sel = Selection {
                    department: row.department.clone(),
                    year,
                    stage,
                };
                let o = overview::overview(&ds, &cat, &sel).unwrap();
                let exp = o.kpi(KpiKey::Expenditure).unwrap();
                assert_eq!(row.expenditure, exp.value, "{sel:?}");
                assert_eq!(row.scope, o.scope, "{sel:?}");
                let sg = o.kpi(KpiKey::Sangong).unwrap();
                assert_eq!(row.sangong, sg.value, "{sel:?}");
                assert_eq!(row.control_rate(stage), sg.ratio, "{sel:?}");
                // the year-on-year change on the 本年合计 basis, as the Overview's card
                if let Some(yoy) = exp
                    .yoy
                    .as_ref()
                    .filter(|y| y.basis == overview::Basis::CurrentYear)
                {
                    assert_eq!(row.change(), yoy.change_ratio, "{sel:?}");
                    let (py, pf, differs) = row.previous.clone().unwrap();
                    assert_eq!(
                        (py, pf, differs),
                        (yoy.previous_year, yoy.previous.clone(), yoy.scope_differs)
                    );
                }
                if row.expenditure.is_some() {
                    compared += 1;
                }
            }
        }
    }
    assert!(
        compared >= 6,
        "only {compared} department-year-stages had a 支出合计"
    );
}

#[test]
fn seed_figures_in_the_ranking() {
    let ds = Dataset::builtin().unwrap();
    let cat = overview::catalog(&ds).unwrap();
    let r = compare::ranking(&ds, &cat, 2020, Stage::Final).unwrap();
    let sz = r.rows.iter().find(|r| r.department == SZ).unwrap();
    assert_eq!(sz.expenditure.as_ref().unwrap().amount, d("321163.15"));
    assert_eq!(sz.expenditure.as_ref().unwrap().sources[0].table, "公开03");
    // 人员经费 is stated for 一般公共预算 only: its share is of that fund's 支出合计
    let p = sz.personnel.as_ref().unwrap();
    assert_eq!(p.figure.amount, d("31027.14"));
    assert_eq!(p.fund, Fund::GeneralBudget, "{p:?}");
    let base = p.base.as_ref().unwrap().amount;
    assert_eq!(p.share, Some(d("31027.14") / base));
    // the trend: 支出合计 of every 决算 year
    assert!(
        sz.trend
            .iter()
            .any(|&(y, a)| y == 2020 && a == d("321163.15"))
    );
    assert!(sz.trend.windows(2).all(|w| w[0].0 < w[1].0));

    // 佛山 2022: 人员经费 of 全部资金 against the 支出合计
    let r = compare::ranking(&ds, &cat, 2022, Stage::Final).unwrap();
    let fs = r.rows.iter().find(|r| r.department == FS).unwrap();
    let p = fs.personnel.as_ref().unwrap();
    assert_eq!((p.figure.amount, p.fund), (d("2561.68"), Fund::All));
    assert_eq!(p.base, fs.expenditure);
    let exp = fs.expenditure.as_ref().unwrap().amount;
    assert_eq!(p.share, Some(d("2561.68") / exp));
}

#[test]
fn project_execution_is_the_sum_over_units() {
    let ds = Dataset::builtin().unwrap();
    let cat = overview::catalog(&ds).unwrap();
    let branches = summary::branches(&ds).unwrap();
    let mut checked = 0;
    for year in [2020, 2021, 2022, 2023, 2024] {
        let r = compare::ranking(&ds, &cat, year, Stage::Final).unwrap();
        for row in &r.rows {
            let units: Vec<_> = branches
                .iter()
                .filter(|b| b.department == row.department && b.year == year)
                .collect();
            let Some(e) = &row.execution else {
                assert!(units.is_empty());
                continue;
            };
            let sum = |f: fn(&summary::BranchRow) -> &String| -> Decimal {
                units.iter().map(|b| d(f(b))).sum()
            };
            assert_eq!(e.budget, sum(|b| &b.budget));
            assert_eq!(e.executed, sum(|b| &b.actual));
            assert_eq!(e.projects, units.iter().map(|b| b.projects).sum::<u32>());
            assert_eq!(e.rate, Some(e.executed / e.budget));
            checked += 1;
        }
    }
    assert!(checked >= 1);
}

#[test]
fn a_synthetic_city_ranks_every_department() {
    let dir = tempfile::tempdir().unwrap();
    fiscal_lens::synth::write_city(dir.path(), 6, 3, 7).unwrap();
    let ds = Dataset::from_dir(dir.path()).unwrap();
    let cat = overview::catalog(&ds).unwrap();
    let year = *cat.years(cat.departments().next().unwrap()).last().unwrap();
    let r = compare::ranking(&ds, &cat, year, Stage::Final).unwrap();
    assert_eq!(r.rows.len(), 6);
    for row in &r.rows {
        assert_eq!(row.trend.len(), 3, "{}", row.department);
        assert!(row.expenditure.is_some() && row.sangong_budget.is_some());
        assert!(row.control_rate(Stage::Final).is_some());
        assert!(row.execution.as_ref().unwrap().projects == 20);
        assert!(row.personnel.as_ref().unwrap().share.is_some());
        assert!(row.change().is_some());
        assert!(!row.doubtful());
    }
    for metric in Metric::ALL {
        assert_eq!(r.count(metric), 6, "{metric:?}");
        let down: Vec<Decimal> = r
            .sorted(metric, false)
            .iter()
            .map(|x| x.value(metric, r.stage).unwrap())
            .collect();
        assert!(down.windows(2).all(|w| w[0] >= w[1]), "{metric:?}");
        let up: Vec<_> = r
            .sorted(metric, true)
            .iter()
            .map(|x| x.department.clone())
            .collect();
        assert_eq!(up.len(), 6);
    }
    // a budget stage the city never published: every department listed, none with a figure
    let r = compare::ranking(&ds, &cat, year, Stage::BudgetInitial).unwrap();
    assert_eq!(r.rows.len(), 6);
    assert_eq!(r.count(Metric::Expenditure), 0);
    // departments without the figure come last, in name order
    let names: Vec<_> = r
        .sorted(Metric::Expenditure, false)
        .iter()
        .map(|x| x.department.clone())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn a_ratio_is_as_doubtful_as_the_figures_it_is_computed_from() {
    use fiscal_lens::analysis::figure::{Figure, SourceRef};
    let source = |flags: &str| SourceRef {
        doc: "a.pdf".to_owned(),
        table: "公开07".to_owned(),
        line: Some(3),
        label: "合计".to_owned(),
        flags: flags.to_owned(),
        note: String::new(),
    };
    let ds = Dataset::builtin().unwrap();
    let cat = overview::catalog(&ds).unwrap();
    let r = compare::ranking(&ds, &cat, 2020, Stage::Final).unwrap();
    let mut row = r.rows.iter().find(|r| r.department == SZ).unwrap().clone();
    for m in Metric::ALL {
        assert!(!row.doubtful_metric(m), "{m:?}");
    }
    // the 三公 budget from a 存疑 table: the control rate is doubtful, the 决算 figure is not
    row.sangong_budget = Some(Figure::published(d("95.3"), source("doubtful")));
    assert!(row.doubtful_metric(Metric::ControlRate));
    assert!(!row.doubtful_metric(Metric::Sangong));
    assert!(!row.doubtful_metric(Metric::Expenditure));
    assert!(row.doubtful());
}
