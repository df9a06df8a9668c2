//! 审计检查 view driven through the accessibility tree on the built-in data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::harness;
use egui::accesskit::Role;

use egui_kittest::kittest::Queryable;
use fiscal_lens::analysis::checks::Severity;
use fiscal_lens::app::DrillMode;
use fiscal_lens::model::{Classification, Fund, Nature};
use fiscal_lens::ui::pages;

#[test]
fn findings_counts_filter_and_open_their_row() {
    let mut h = harness();
    h.get_by_label("审计检查").click();
    h.run();
    assert_eq!(h.state().state.route, pages::checks::ROUTE);
    let findings = h
        .state()
        .pages
        .get::<pages::checks::ChecksPage>()
        .unwrap()
        .result
        .as_ref()
        .unwrap()
        .value
        .as_ref()
        .unwrap()
        .clone();
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    assert_eq!(n(Severity::Error), 0);
    assert!(h.query_by_label("错误 0 条").is_some());
    assert!(
        h.query_by_label(&format!("警告 {} 条", n(Severity::Warning)))
            .is_some()
    );

    // The 公开06 公用经费 尾数 note is listed …
    let location = "000_04e09bc6c251173f.txt 公开06 第 322 行「公用经费合计」";
    assert!(h.query_by_label(location).is_some());
    // … hidden when 尾数/提示 are filtered out …
    h.get_by_role_and_label(Role::CheckBox, "尾数/提示").click();
    h.run();
    assert!(h.query_by_label(location).is_none());
    h.get_by_role_and_label(Role::CheckBox, "尾数/提示").click();
    h.run();

    // … and opens the economic drill-down of 2020 一般公共预算 基本支出.
    h.get_by_label(location).scroll_to_me();
    h.run();
    h.get_by_label(location).click();
    h.run();
    let s = &h.state().state;
    assert_eq!(s.route, pages::drill::ROUTE);
    assert_eq!(s.year(), Some(2020));
    assert_eq!(s.fund, Fund::GeneralBudget);
    assert_eq!(s.drill.classification, Classification::Economic);
    assert_eq!(s.drill.nature, Nature::Basic);
    assert!(h.query_by_label("301 工资福利支出").is_some());
    // The jump says what it set; leaving the view restores the 资金来源 (全部资金).
    assert!(
        h.query_by_label("来自审计检查：为定位该行临时设为资金来源「一般公共预算」；离开本页时恢复原来的资金来源。")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "收支结构").click();
    h.run();
    assert_eq!(h.state().state.fund, Fund::All);
    assert_eq!(h.state().data.jump, None);

    // A hierarchy note on a 款 opens its 类 with the row highlighted in the table.
    h.get_by_label("审计检查").click();
    h.run();
    // (Two findings sit on that row: the 合计 and the 项目支出 columns.)
    let location = "000_04e09bc6c251173f.txt 公开03 第 155 行「20801 人力资源和社会保障管理事务」";
    h.get_all_by_label(location).next().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label(location).next().unwrap().click();
    h.run();
    let s = &h.state().state;
    assert_eq!(s.route, pages::drill::ROUTE);
    assert_eq!(
        s.drill
            .parent
            .as_ref()
            .map(fiscal_lens::model::Code::as_str),
        Some("208")
    );
    assert_eq!(
        s.drill
            .trend_code
            .as_ref()
            .map(fiscal_lens::model::Code::as_str),
        Some("20801")
    );
    h.get_by_label("表格").click();
    h.run();
    assert_eq!(h.state().state.drill.mode, DrillMode::Table);
    assert!(h.query_by_label("▶ 20801").is_some());

    // The way back: the findings again, with the selection and fund from before the jump.
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectYear(2023),
    );
    h.get_by_label("审计检查").click();
    h.run();
    let location = "000_04e09bc6c251173f.txt 公开06 第 322 行「公用经费合计」";
    h.get_by_label(location).scroll_to_me();
    h.run();
    h.get_by_label(location).click();
    h.run();
    assert_eq!(h.state().state.fund, Fund::GeneralBudget);
    assert_eq!(h.state().state.year(), Some(2020));
    h.get_by_label("返回审计检查").click();
    h.run();
    let s = &h.state().state;
    assert_eq!(s.route, pages::checks::ROUTE);
    assert_eq!(s.fund, Fund::All);
    assert_eq!(s.year(), Some(2023));
}
