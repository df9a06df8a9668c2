//! Seed figures read through the library: the built-in dataset, the Overview and the summary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::d;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::overview::{self, Basis, KpiKey, Selection};
use fiscal_lens::analysis::summary;
use fiscal_lens::model::Stage;
use rust_decimal::Decimal;

const SZ: &str = "深圳市社会保险基金管理局";
const FS: &str = "佛山市社会保险基金管理局";

fn ds() -> Dataset {
    Dataset::builtin().expect("built-in dataset loads")
}

fn ov(ds: &Dataset, dep: &str, year: i32, stage: Stage) -> overview::Overview {
    let cat = overview::catalog(ds).unwrap();
    overview::overview(
        ds,
        &cat,
        &Selection {
            department: dep.to_owned(),
            year,
            stage,
        },
    )
    .unwrap()
}

fn kpi_value(o: &overview::Overview, key: KpiKey) -> Option<Decimal> {
    o.kpi(key).and_then(|k| k.value.as_ref()).map(|f| f.amount)
}

#[test]
fn builtin_dataset_has_every_table() {
    let ds = ds();
    let t = &ds.tables;
    assert!(t.amounts.height() > 300, "amounts: {}", t.amounts.height());
    assert!(t.revenue.height() > 20);
    assert!(t.totals.height() > 20);
    assert!(t.sangong.height() >= 20);
    // 200 project summaries (2020) + 8 project tables (2021) + 5 budget projects (2023)
    assert_eq!(t.projects.height(), 213);
    assert!(t.indicators.height() > 50);
    assert_eq!(t.quarterly.height(), 4);
    assert!(t.evaluations.height() >= 5);
    assert!(t.tables.height() >= 9 + 12);
    assert!(ds.log.warnings().next().is_none(), "{:?}", ds.log);
}

#[test]
fn overview_2020_final_shenzhen() {
    let ds = ds();
    let o = ov(&ds, SZ, 2020, Stage::Final);
    assert_eq!(o.scope.as_deref(), Some("全部门"));
    assert_eq!(kpi_value(&o, KpiKey::Revenue), Some(d("321163.15")));
    assert_eq!(kpi_value(&o, KpiKey::Expenditure), Some(d("321163.15")));
    assert_eq!(kpi_value(&o, KpiKey::Basic), Some(d("35152.56")));
    assert_eq!(kpi_value(&o, KpiKey::Project), Some(d("286010.59")));
    // 财政拨款 317,761.81 of 321,163.15
    let fiscal = o.kpi(KpiKey::FiscalShare).unwrap();
    assert_eq!(fiscal.value.as_ref().unwrap().amount, d("317761.81"));
    assert_eq!(
        fiscal.ratio.unwrap().round_dp(4),
        (d("317761.81") / d("321163.15")).round_dp(4)
    );
    // 三公: 决算 52.70 of 全年预算 95.24
    let sg = o.kpi(KpiKey::Sangong).unwrap();
    assert_eq!(sg.value.as_ref().unwrap().amount, d("52.70"));
    assert_eq!(sg.reference.as_ref().unwrap().amount, d("95.24"));
    // YoY against 2019: 三公 104.9 → 52.70
    let y = sg.yoy.as_ref().unwrap();
    assert_eq!(y.previous_year, 2019);
    assert_eq!(y.previous.amount, d("104.9"));
    // Revenue YoY can only be made on 总计 (2019 publishes only the grand total 238,032)
    let ry = o.kpi(KpiKey::Revenue).unwrap().yoy.as_ref().unwrap();
    assert_eq!(ry.basis, Basis::GrandTotal);
    assert_eq!(ry.previous.amount, d("238032"));
    assert_eq!(ry.current.amount, d("321567.07"));
    assert!(!ry.scope_differs);
    // Both figures are printed in the same 2020 report: no source warning.
    assert!(!ry.source_kind_differs);
    // Every published figure carries its source line.
    let rev = o.kpi(KpiKey::Revenue).unwrap().value.as_ref().unwrap();
    assert_eq!(rev.sources[0].table, "公开01");
    assert!(rev.sources[0].line.is_some());
}

#[test]
fn overview_2021_shenzhen_stages() {
    let ds = ds();
    let initial = ov(&ds, SZ, 2021, Stage::BudgetInitial);
    assert_eq!(kpi_value(&initial, KpiKey::Revenue), Some(d("372935.07")));
    assert_eq!(
        kpi_value(&initial, KpiKey::Expenditure),
        Some(d("372935.07"))
    );
    // 基本支出 derived from 人员经费 34,205.07 + 公用经费 5,023.18
    let basic = initial.kpi(KpiKey::Basic).unwrap();
    assert_eq!(basic.value.as_ref().unwrap().amount, d("39228.25"));
    assert!(basic.value.as_ref().unwrap().derived);
    assert_eq!(kpi_value(&initial, KpiKey::Project), Some(d("333706.82")));

    let adjusted = ov(&ds, SZ, 2021, Stage::BudgetAdjusted);
    assert_eq!(
        kpi_value(&adjusted, KpiKey::Expenditure),
        Some(d("588369.22"))
    );
    let fin = ov(&ds, SZ, 2021, Stage::Final);
    assert_eq!(kpi_value(&fin, KpiKey::Expenditure), Some(d("579667.51")));
    // 2021's 全年支出数 is narrative text of a performance report, 2020's is 公开03: flagged.
    let y = fin.kpi(KpiKey::Expenditure).unwrap().yoy.as_ref().unwrap();
    assert_eq!(y.previous.amount, d("321163.15"));
    assert!(y.source_kind_differs);
    let sg = fin.kpi(KpiKey::Sangong).unwrap();
    assert_eq!(sg.value.as_ref().unwrap().amount, d("45.92"));
    assert_eq!(sg.reference.as_ref().unwrap().amount, d("90.07"));
    // YoY 2021 vs 2020 三公 决算
    assert_eq!(sg.yoy.as_ref().unwrap().previous.amount, d("52.70"));
}

#[test]
fn overview_2023_budget_is_benji_scope() {
    let ds = ds();
    let o = ov(&ds, SZ, 2023, Stage::BudgetInitial);
    assert_eq!(o.scope.as_deref(), Some("本级"));
    assert_eq!(kpi_value(&o, KpiKey::Revenue), Some(d("298448")));
    assert_eq!(kpi_value(&o, KpiKey::Expenditure), Some(d("298448")));
    assert_eq!(kpi_value(&o, KpiKey::Basic), Some(d("5104")));
    assert_eq!(kpi_value(&o, KpiKey::Project), Some(d("293343")));
    let sg = o.kpi(KpiKey::Sangong).unwrap();
    assert_eq!(sg.value.as_ref().unwrap().amount, d("10"));
    assert_eq!(sg.yoy.as_ref().unwrap().previous.amount, d("30"));
    // The trend spans years of different scope; both are present and labelled.
    let scopes: std::collections::BTreeSet<_> = o.trend.iter().map(|p| p.scope.as_str()).collect();
    assert!(
        scopes.contains("全部门") && scopes.contains("本级"),
        "{scopes:?}"
    );
}

#[test]
fn overview_foshan_2022() {
    let ds = ds();
    let o = ov(&ds, FS, 2022, Stage::Final);
    assert_eq!(kpi_value(&o, KpiKey::Expenditure), Some(d("46665.43")));
    assert_eq!(kpi_value(&o, KpiKey::Basic), Some(d("2908.01")));
    assert_eq!(kpi_value(&o, KpiKey::Project), Some(d("43757.42")));
    let sg = o.kpi(KpiKey::Sangong).unwrap();
    assert_eq!(sg.value.as_ref().unwrap().amount, d("1.88"));
    assert_eq!(sg.reference.as_ref().unwrap().amount, d("13.5"));
    let adj = ov(&ds, FS, 2022, Stage::BudgetAdjusted);
    assert_eq!(kpi_value(&adj, KpiKey::Expenditure), Some(d("52362.14")));
}

#[test]
fn catalog_lists_departments_years_and_stages() {
    let ds = ds();
    let cat = overview::catalog(&ds).unwrap();
    let deps: Vec<_> = cat.departments().cloned().collect();
    assert_eq!(deps, vec![FS.to_owned(), SZ.to_owned()]);
    assert_eq!(cat.years(SZ), vec![2019, 2020, 2021, 2022, 2023]);
    assert_eq!(
        cat.stages(SZ, 2021),
        vec![Stage::BudgetInitial, Stage::BudgetAdjusted, Stage::Final]
    );
    assert_eq!(cat.scope(SZ, 2023).as_deref(), Some("本级"));
    assert_eq!(cat.scope(SZ, 2020).as_deref(), Some("全部门"));
    // 2020's 年初预算 has only figures from the report's text, its 决算 has tables
    assert!(cat.stages(SZ, 2020).contains(&Stage::BudgetInitial));
    assert!(!cat.is_tabled(SZ, 2020, Stage::BudgetInitial));
    assert!(cat.is_tabled(SZ, 2020, Stage::Final));
    // the units with figures of their own (money tables' scopes, projects' units)
    let sz: Vec<String> = cat.units(SZ, 2020);
    assert_eq!(sz.len(), 14, "{sz:?}");
    assert_eq!(sz[..3], ["全部门", "本级", "直属分局"]);
    assert!(sz.iter().any(|u| u == "福田分局") && sz.iter().any(|u| u == "大鹏分局"));
    assert_eq!(cat.units(FS, 2022), vec!["全部门".to_owned()]);
}

#[test]
fn summary_functional_rows() {
    let ds = ds();
    let rows = summary::functional(&ds).unwrap();
    let find = |year: i32, stage: &str, fund: &str, code: &str| {
        rows.iter()
            .find(|r| r.year == year && r.stage == stage && r.fund == fund && r.code == code)
            .unwrap_or_else(|| panic!("no row {year} {stage} {fund} {code}"))
    };
    let r = find(2020, "final", "all", "208");
    assert_eq!(r.name, "社会保障和就业支出");
    assert_eq!(r.total.as_deref(), Some("63682.77"));
    assert_eq!(r.basic.as_deref(), Some("26917.25"));
    assert_eq!(r.project.as_deref(), Some("36765.52"));
    assert_eq!(r.table, "公开03");
    assert_eq!(
        find(2020, "final", "all", "20801").total.as_deref(),
        Some("49434.68")
    );
    assert_eq!(
        find(2020, "final", "general_budget", "208")
            .total
            .as_deref(),
        Some("60412.26")
    );
    // The 2020 initial budget per 类 is only in the narrative: total published, natures not.
    let b = find(2020, "budget_initial", "general_budget", "208");
    assert_eq!(b.total.as_deref(), Some("53278.00"));
    assert_eq!(b.basic, None);
    // 2023 本级 budget
    let r = find(2023, "budget_initial", "all", "208");
    assert_eq!(r.total.as_deref(), Some("16214.00"));
    assert_eq!(r.basic.as_deref(), Some("3356.00"));
    // No (year, stage, fund, code) is listed twice.
    let mut keys: Vec<_> = rows
        .iter()
        .map(|r| (&r.department, &r.unit, r.year, &r.stage, &r.fund, &r.code))
        .collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n);
}

#[test]
fn summary_branches() {
    let ds = ds();
    let rows = summary::branches(&ds).unwrap();
    let find = |year: i32, unit: &str| {
        rows.iter()
            .find(|r| r.year == year && r.unit == unit)
            .unwrap_or_else(|| panic!("no branch {year} {unit}"))
    };
    let ft = find(2020, "福田分局");
    assert_eq!(ft.projects, 16);
    assert_eq!(ft.budget, "941.73");
    assert_eq!(ft.actual, "878.32");
    assert_eq!(ft.execution_rate.as_deref(), Some("0.9327"));
    assert_eq!(find(2020, "直属分局").projects, 11);
    let total: u32 = rows
        .iter()
        .filter(|r| r.year == 2020)
        .map(|r| r.projects)
        .sum();
    assert_eq!(total, 200);
    // 2021 project tables are in 元: Σ executed keeps 分 exactly (万元 with 6 decimals).
    let y21 = find(2021, "未注明分局");
    assert_eq!(y21.projects, 8);
    assert!(y21.actual.split('.').nth(1).is_some_and(|f| f.len() >= 2));
}

#[test]
fn summary_sangong_and_revenue() {
    let ds = ds();
    let sg = summary::sangong(&ds).unwrap();
    let find = |year: i32, stage: &str, cat: &str| {
        sg.iter()
            .find(|r| r.department == SZ && r.year == year && r.stage == stage && r.category == cat)
            .map(|r| r.amount.clone())
    };
    assert_eq!(find(2020, "final", "total").as_deref(), Some("52.70"));
    assert_eq!(find(2020, "budget", "total").as_deref(), Some("95.24"));
    assert_eq!(
        find(2020, "final", "vehicle_operation").as_deref(),
        Some("51.27")
    );
    assert_eq!(find(2020, "final", "reception").as_deref(), Some("1.43"));
    assert_eq!(find(2021, "final", "total").as_deref(), Some("45.92"));
    assert_eq!(find(2021, "budget", "total").as_deref(), Some("90.07"));
    assert_eq!(find(2023, "budget", "total").as_deref(), Some("10.00"));
    assert_eq!(
        find(2022, "budget", "vehicle_purchase").as_deref(),
        Some("18.00")
    );

    let rev = summary::revenue(&ds).unwrap();
    let r = rev
        .iter()
        .find(|r| r.year == 2020 && r.stage == "final" && r.source == "一般公共预算财政拨款收入")
        .unwrap();
    assert_eq!(r.amount, "68683.81");
    let total = rev
        .iter()
        .find(|r| r.year == 2020 && r.table == "公开01" && r.source_key == "revenue_total")
        .unwrap();
    assert_eq!(total.amount, "321163.15");
    assert!(total.is_subtotal);
}
