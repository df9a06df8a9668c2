//! The app opened on the built-in data, driven through its accessibility tree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{assert_shows, harness};

use egui_kittest::kittest::{NodeT, Queryable};
use fiscal_lens::app::AppState;
use fiscal_lens::model::{MoneyUnit, Stage};

/// At least one widget shows exactly `text`.

#[test]
fn overview_shows_kpis_of_builtin_data() {
    let mut h = harness();
    h.run();
    // Default selection: the department with most years, its latest year with 决算 tables.
    let sel = h.state().selection().unwrap();
    assert_eq!(sel.department, "深圳市社会保险基金管理局");
    assert_eq!(sel.year, 2020);
    assert_eq!(sel.stage, Stage::Final);
    assert_shows(&h, "321,163.15 万元");
    for label in [
        "收入合计",
        "支出合计",
        "基本支出",
        "项目支出",
        "财政拨款占比",
        "三公经费",
    ] {
        assert_shows(&h, label);
    }
    // The 三公 KPI card carries its figure in its accessible label.
    h.get_by_label("三公经费 52.70 万元");
    h.get_by_label("部门");
    h.get_by_label("年度");
    h.get_by_label("阶段");
    h.get_by_label("金额单位");
    h.get_by_label("总览");
}

#[test]
fn selecting_2020_shows_exact_figures_and_unit_switch() {
    let mut h = harness();
    h.run();
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectDepartment("深圳市社会保险基金管理局".to_owned()),
    );
    h.run();
    // Open the year combo and pick 2020 by its label.
    h.get_by_label("年度").click();
    h.run();
    h.get_by_label("2020 年（全部门）").click();
    h.run();
    h.get_by_label("阶段").click();
    h.run();
    h.get_by_label("决算").click();
    h.run();
    let sel = h.state().selection().unwrap();
    assert_eq!(sel.year, 2020);
    assert_eq!(sel.stage, Stage::Final);
    assert_shows(&h, "321,163.15 万元");
    assert_shows(&h, "52.70 万元");
    h.get_by_label_contains("口径：全部门");

    // Switch the display unit to 亿元: the same figure, converted at display only.
    h.get_by_label("金额单位").click();
    h.run();
    h.get_by_label("亿元").click();
    h.run();
    assert_eq!(h.state().state.unit, MoneyUnit::Yi);
    assert_shows(&h, "32.1163 亿元");
}

#[test]
fn stages_follow_the_data_and_state_round_trips() {
    let mut h = harness();
    h.run();
    let json = serde_json::to_string(&h.state().state).unwrap();
    let back: AppState = serde_json::from_str(&json).unwrap();
    assert_eq!(back, h.state().state);
    // Foshan 2022 has all three stages; pick 调整预算.
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectDepartment("佛山市社会保险基金管理局".to_owned()),
    );
    h.run();
    h.get_by_label("阶段").click();
    h.run();
    h.get_by_label("调整预算").click();
    h.run();
    assert_eq!(h.state().selection().unwrap().stage, Stage::BudgetAdjusted);
    assert_shows(&h, "52,362.14 万元");

    // Shenzhen 2022 has only a budget figure (三公, 本级): 决算 is offered but disabled.
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectDepartment("深圳市社会保险基金管理局".to_owned()),
    );
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectYear(2022),
    );
    h.run();
    assert_eq!(h.state().selection().unwrap().stage, Stage::BudgetInitial);
    h.get_by_label("阶段").click();
    h.run();
    assert!(h.get_by_label("决算").accesskit_node().is_disabled());
    assert!(!h.get_by_label("年初预算").accesskit_node().is_disabled());
}

/// The stage follows the year: 2023 has only a 年初预算, 2020's 年初预算 only a few narrative
/// numbers; going back to 2020 shows its 决算 (with a note) instead of cards that say 未公布.
#[test]
fn the_stage_follows_the_year_with_a_note() {
    let mut h = harness();
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectYear(2023),
    );
    h.run();
    assert_eq!(
        h.state().state.selection().unwrap().stage,
        fiscal_lens::model::Stage::BudgetInitial
    );
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectYear(2020),
    );
    h.run();
    assert_eq!(
        h.state().state.selection().unwrap().stage,
        fiscal_lens::model::Stage::Final
    );
    assert_eq!(
        h.state().data.stage_note.as_deref(),
        Some("2020 年年初预算只有正文中的少量数字、没有分类报表，已切换到有报表的决算")
    );
    assert_shows(&h, "※ 阶段已随年度切换");
    assert_shows(&h, "321,163.15 万元");
    // a stage chosen by hand stays, and the note goes
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectStage(fiscal_lens::model::Stage::BudgetInitial),
    );
    h.run();
    assert_eq!(
        h.state().state.selection().unwrap().stage,
        fiscal_lens::model::Stage::BudgetInitial
    );
    assert_eq!(h.state().data.stage_note, None);
}

/// A bar of the 历年支出合计 chart selects its year and stage (the cards follow).
#[test]
fn a_trend_bar_selects_its_year_and_stage() {
    let mut h = harness();
    h.get_by_label("2021 年决算支出：579,667.51 万元").click();
    h.run();
    let sel = h.state().state.selection().unwrap();
    assert_eq!(
        (sel.year, sel.stage),
        (2021, fiscal_lens::model::Stage::Final)
    );
    assert_eq!(
        h.get_by_label("2021 年决算支出：579,667.51 万元")
            .accesskit_node()
            .toggled(),
        Some(egui::accesskit::Toggled::True)
    );
}

/// The 部门 list filters as you type (the filter box has the focus when it opens); Enter takes
/// the first match.
#[test]
fn the_department_picker_filters_as_you_type() {
    let mut h = harness();
    h.get_by_label("部门").click();
    h.run();
    assert_shows(&h, "2 / 2 个");
    h.event(egui::Event::Text("佛山".to_owned()));
    h.run();
    assert_shows(&h, "1 / 2 个");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        h.state().state.selection().unwrap().department,
        "佛山市社会保险基金管理局"
    );
}

/// The 部门 list takes pinyin initials too (佛山 fs; 深圳市社会 does not match: 市 counts as shi).
#[test]
fn the_department_picker_takes_pinyin_initials() {
    let mut h = harness();
    // open the list, type, check how many match, Enter takes the first
    let pick = |h: &mut egui_kittest::Harness<'_, fiscal_lens::app::App>, typed: &str, shown| {
        h.get_by_label("部门").click();
        h.run();
        assert_shows(h, "2 / 2 个");
        h.event(egui::Event::Text(typed.to_owned()));
        h.run();
        assert_shows(h, shown);
        h.key_press(egui::Key::Enter);
        h.run();
        h.state().state.selection().unwrap().department
    };
    assert_eq!(pick(&mut h, "fs", "1 / 2 个"), "佛山市社会保险基金管理局");
    // reopened after a choice: an empty filter
    assert_eq!(pick(&mut h, "szs", "1 / 2 个"), "深圳市社会保险基金管理局");
    // the filter box is labelled for screen readers
    h.get_by_label("部门").click();
    h.run();
    let field = h.get_by_label("筛选部门");
    field.focus();
    field.type_text("zzz");
    h.run();
    assert_shows(&h, "0 / 2 个");
    // closed with Escape: the next opening starts with an empty filter again
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("筛选部门").is_none(), "closed");
    h.get_by_label("部门").click();
    h.run();
    assert_shows(&h, "2 / 2 个");
}
