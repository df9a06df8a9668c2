//! 分类钻取 and 收支结构 views driven through the accessibility tree, on the built-in data
//! (default selection: Shenzhen 2020 决算).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{assert_shows, d, drill_data, harness};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use fiscal_lens::app::{App, DrillMode};
use fiscal_lens::model::{Classification, Fund, Nature};
use fiscal_lens::ui::pages;
use rust_decimal::Decimal;

/// The code whose children the drill-down shows.
fn drill_parent(h: &Harness<'_, App>) -> Option<String> {
    h.state()
        .state
        .drill
        .parent
        .as_ref()
        .map(|c| c.as_str().to_owned())
}

#[test]
fn drill_208_to_kuan_breadcrumb_and_history() {
    let mut h = harness();
    h.get_by_label("分类钻取").click();
    h.run();
    assert_eq!(h.state().state.route, pages::drill::ROUTE);
    assert_eq!(h.state().state.year(), Some(2020));
    assert_eq!(h.state().state.drill.mode, DrillMode::Treemap);

    // Click the 208 tile of the treemap.
    h.get_by_role_and_label(Role::Button, "208 社会保障和就业支出")
        .click();
    h.run();
    assert_eq!(drill_parent(&h).as_deref(), Some("208"));
    assert_shows(&h, "208 社会保障和就业支出");
    assert_shows(&h, "63,682.77 万元");
    // Its 款 as tiles …
    assert!(
        h.query_by_label("20801 人力资源和社会保障管理事务")
            .is_some()
    );
    // … and in the table with the exact amount.
    h.get_by_label("表格").click();
    h.run();
    assert_shows(&h, "20801 人力资源和社会保障管理事务");
    assert_shows(&h, "49,434.68");

    // Children plus 未细分 equal the parent: no money vanishes (公开03 208: −0.01).
    let dd = drill_data(&h);
    let parent = dd.table.drill.parent.as_ref().unwrap().amount;
    let children: Decimal = dd.table.lines.iter().map(|l| l.row.figure.amount).sum();
    let unallocated = dd.table.drill.unallocated.unwrap_or_default();
    assert_eq!(parent, d("63682.77"));
    assert_eq!(children + unallocated, parent);
    assert_shows(&h, "未细分");

    // Drill once more (a 款 with 项), then the breadcrumb back to the 类 level.
    h.get_by_label("20805 行政事业单位养老支出").click();
    h.run();
    assert_eq!(drill_parent(&h).as_deref(), Some("20805"));
    h.get_by_label("全部（类）").click();
    h.run();
    assert_eq!(h.state().state.drill.parent, None);
    assert_shows(&h, "208 社会保障和就业支出");

    // Back and forward walk the history.
    h.get_by_label("后退").click();
    h.run();
    assert_eq!(drill_parent(&h).as_deref(), Some("20805"));
    h.get_by_label("后退").click();
    h.run();
    assert_eq!(drill_parent(&h).as_deref(), Some("208"));
    h.get_by_label("前进").click();
    h.run();
    assert_eq!(drill_parent(&h).as_deref(), Some("20805"));
}

#[test]
fn economic_classification_shows_301_for_basic_expenditure() {
    let mut h = harness();
    h.get_by_label("分类钻取").click();
    h.run();
    h.get_by_label("表格").click();
    h.run();
    h.get_by_label("经济分类").click();
    h.run();
    assert_eq!(
        h.state().state.drill.classification,
        Classification::Economic
    );
    h.get_by_label("支出性质").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "基本支出").click();
    h.run();
    assert_eq!(h.state().state.drill.nature, Nature::Basic);
    assert_shows(&h, "301 工资福利支出");
    assert_shows(&h, "29,706.00");
    // The economic classification is published for 一般公共预算 only: said on screen.
    let dd = drill_data(&h);
    assert_eq!(dd.query.fund, Fund::GeneralBudget);
    assert!(
        h.query_by_label_contains("显示「一般公共预算」").is_some(),
        "fallback note missing"
    );
    let l301 = dd
        .table
        .lines
        .iter()
        .find(|l| l.row.code.as_str() == "301")
        .unwrap();
    assert_eq!(l301.row.figure.amount, d("29706.00"));
}

#[test]
fn structure_view_links_to_drill_and_compares() {
    let mut h = harness();
    h.get_by_label("收支结构").click();
    h.run();
    assert_eq!(h.state().state.route, pages::structure::ROUTE);
    assert_shows(&h, "249,078.00");
    assert_shows(&h, "63,682.77");

    // 一般公共预算: the 2020 initial budget is shown beside the final account.
    h.get_by_label("资金来源").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "一般公共预算")
        .click();
    h.run();
    assert_eq!(h.state().state.fund, Fund::GeneralBudget);
    assert_shows(&h, "60,412.26");
    assert_shows(&h, "53,278.00");
    assert_shows(&h, "113.4%");

    // Compare with Foshan 2022 (the other department's latest final account).
    h.get_by_label("与另一部门/年度对比").click();
    h.run();
    let other = h.state().state.compare.clone().unwrap();
    assert_eq!(other.department, "佛山市社会保险基金管理局");
    assert_eq!(other.year, 2022);
    h.get_by_label("资金来源").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "全部资金").click();
    h.run();
    assert_shows(&h, "46,665.43");
    assert_shows(&h, "321,163.15");

    // A functional 类 opens the drill-down there.
    h.get_by_label("与另一部门/年度对比").click();
    h.run();
    assert!(h.state().state.compare.is_none());
    h.get_by_label("208 社会保障和就业支出").click();
    h.run();
    assert_eq!(h.state().state.route, pages::drill::ROUTE);
    assert_eq!(drill_parent(&h).as_deref(), Some("208"));
}

#[test]
fn trend_of_any_code_with_scope_change() {
    let mut h = harness();
    h.get_by_label("分类钻取").click();
    h.run();
    let field = h.get_by_label("查看任一科目的趋势：");
    field.focus();
    field.type_text("208 05 05");
    h.run();
    h.get_by_label("查看趋势").click();
    h.run();
    assert_eq!(
        h.state()
            .state
            .drill
            .trend_code
            .as_ref()
            .map(fiscal_lens::model::Code::as_str),
        Some("2080505")
    );
    let trend = h
        .state()
        .pages
        .get::<pages::drill::DrillPage>()
        .unwrap()
        .results
        .trend
        .as_ref()
        .unwrap()
        .value
        .as_ref()
        .unwrap();
    assert_eq!(trend.name, "机关事业单位基本养老保险缴费支出");
    let pts: Vec<(i32, Decimal)> = trend
        .points
        .iter()
        .map(|p| (p.year, p.figure.amount))
        .collect();
    assert_eq!(pts, vec![(2020, d("2035.78")), (2023, d("282"))]);
    assert_eq!(trend.scope_changes, vec![2023]);
    assert_shows(&h, "2020 年决算（全部门）2,035.78 万元");
    assert_shows(&h, "2023 年年初预算（本级）282.00 万元");

    // A malformed code is refused with a message, the trend is unchanged.
    let field = h.get_by_label("查看任一科目的趋势：");
    field.focus();
    field.type_text("20x");
    h.run();
    h.get_by_label("查看趋势").click();
    h.run();
    assert!(h.query_by_label_contains("编码无效").is_some());
    assert_eq!(
        h.state()
            .state
            .drill
            .trend_code
            .as_ref()
            .map(fiscal_lens::model::Code::as_str),
        Some("2080505")
    );
}

#[test]
fn top_bar_unit_and_display_unit_apply_across_views() {
    let mut h = harness();
    // Display unit 亿元: the structure and drill views both convert at display.
    h.get_by_label("金额单位").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "亿元").click();
    h.run();
    h.get_by_label("收支结构").click();
    h.run();
    assert_shows(&h, "金额（亿元）");
    assert_shows(&h, "32.1163");
    h.get_by_label("分类钻取").click();
    h.run();
    assert_shows(&h, "合计（功能分类）");
    assert_shows(&h, "32.1163 亿元");

    // 单位 = 福田分局: the project table narrows to its 16 projects …
    h.get_by_label("单位").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "福田分局").click();
    h.run();
    assert_eq!(h.state().state.org_unit.as_deref(), Some("福田分局"));
    h.get_by_label("分局执行").click();
    h.run();
    assert_shows(&h, "显示 16 / 200 个项目");
    // … and views without per-unit figures say whose figures they show.
    h.get_by_label("收支结构").click();
    h.run();
    assert!(
        h.query_by_label_contains("「福田分局」未单独公布本视图的数据")
            .is_some()
    );
    // A year without that unit drops the filter.
    h.get_by_label("年度").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "2023 年（本级）")
        .click();
    h.run();
    assert_eq!(h.state().state.org_unit, None);
}

#[test]
fn frames_without_a_change_run_no_query() {
    let mut h = harness();
    for route in ["收支结构", "分类钻取"] {
        h.get_by_label(route).click();
        h.run();
        let before = h.state().data.computations;
        for _ in 0..5 {
            h.run();
        }
        assert_eq!(
            h.state().data.computations,
            before,
            "{route}: a frame recomputed an analysis without any change"
        );
    }
    // A change (drilling into 208) computes exactly the drill table; the trend follows the node.
    let before = h.state().data.computations;
    h.get_by_role_and_label(Role::Button, "208 社会保障和就业支出")
        .click();
    h.run();
    assert_eq!(h.state().data.computations, before + 2);
}
