//! 结构变化 view driven through the accessibility tree: the like-for-like notes, the waterfall of
//! 2020 决算 → 2023 年初预算, and the links from its bars.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{assert_shows, harness};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use fiscal_lens::analysis::structure::Dimension;
use fiscal_lens::model::{Classification, Code, Stage};
use fiscal_lens::ui::pages::{self, evolution::EvolutionPage};

fn page<'a>(h: &'a egui_kittest::Harness<'_, fiscal_lens::app::App>) -> &'a EvolutionPage {
    h.state().pages.get::<EvolutionPage>().unwrap()
}

#[test]
fn waterfall_names_the_two_largest_contributors_with_basis_and_scope() {
    let mut h = harness();
    // one click from anywhere
    h.get_by_role_and_label(Role::Button, "结构变化").click();
    h.run();
    assert_eq!(h.state().state.route, pages::evolution::ROUTE);
    assert_shows(
        &h,
        "※ 各年按决算列示；2023 年为年初预算（该年未公布可比的决算），预算为计划数、决算为实际支出，跨阶段的变动含预算与执行之差",
    );
    assert_shows(
        &h,
        "※ 口径不一：2020 年「全部门」、2023 年「本级」；本级不含下属单位，变动含口径差异",
    );
    assert_shows(
        &h,
        "合计 321,163.15 → 298,448.00 万元（-22,715.15）；最大贡献：208 社会保障和就业支出 -47,468.77、212 城乡社区支出 +31,407.00",
    );
    assert_shows(
        &h,
        "基础不同：2020 年为决算，2023 年为年初预算；预算为计划数、决算为实际支出，变动含预算与执行之差",
    );
    assert_shows(
        &h,
        "口径不同：2020 年「全部门」，2023 年「本级」；本级不含下属单位，变动含口径差异",
    );
    // the table's change column
    assert_shows(&h, "-47,468.77");
    assert_shows(&h, "+31,407.00");

    // a waterfall bar selects its part (and again clears it)
    h.get_by_label("208 社会保障和就业支出：-47,468.77")
        .scroll_to_me();
    h.run();
    h.get_by_label("208 社会保障和就业支出：-47,468.77").click();
    h.run();
    assert_eq!(page(&h).view.selected.as_deref(), Some("208"));
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(page(&h).view.selected, None);

    // the driver at 款 level is one more click: 21208 国有土地使用权出让收入安排的支出
    h.get_by_label("功能分类（款）").scroll_to_me();
    h.run();
    h.get_by_label("功能分类（款）").click();
    h.run();
    let w = page(&h).view.waterfall().unwrap();
    let top: Vec<(&str, rust_decimal::Decimal)> = w
        .steps
        .iter()
        .take(2)
        .map(|s| (s.key.as_str(), s.delta))
        .collect();
    assert_eq!(
        top,
        vec![
            ("20801", common::d("-42477.68")),
            ("21208", common::d("31407"))
        ]
    );
    // 2020's 208 and 210 款 each add up to 0.01 more than their 类 (尾数): said, and the
    // difference left as 未细分 instead of spread over the 款
    assert_eq!(w.residual, Some(common::d("0.02")));
    let t = page(&h).result.as_ref().unwrap().value.as_ref().unwrap();
    let p2020 = t
        .points
        .iter()
        .find(|p| p.year == 2020 && p.stage == Stage::Final)
        .unwrap();
    assert!(
        p2020.kuan.notes.contains(
            &"208 社会保障和就业支出 的各款之和与类相差 -0.01 万元（原表尾数），计为未细分"
                .to_owned()
        ),
        "{:?}",
        p2020.kuan.notes
    );

    // the 基本 / 项目 grouping reaches back to 2019
    h.get_by_label("基本 / 项目").scroll_to_me();
    h.run();
    h.get_by_label("基本 / 项目").click();
    h.run();
    assert_eq!(page(&h).view.dimension, Dimension::Nature);
    assert_shows(
        &h,
        "2019 决算 · 全部门 · 项目支出：194,120.05 万元，占 81.73%",
    );
}

#[test]
fn a_segment_opens_the_drill_down_at_its_code_and_year() {
    let mut h = harness();
    // start on another year and stage: the click brings its own
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::SelectYear(2023),
    );
    h.run();
    h.get_by_role_and_label(Role::Button, "结构变化").click();
    h.run();
    h.get_by_label("2020 决算 · 全部门 · 212 城乡社区支出：249,078.00 万元，占 77.55%")
        .click();
    h.run();
    let s = &h.state().state;
    assert_eq!(s.route, pages::drill::ROUTE);
    assert_eq!(s.year(), Some(2020));
    assert_eq!(s.selection().unwrap().stage, Stage::Final);
    assert_eq!(s.drill.classification, Classification::Functional);
    assert_eq!(
        s.drill.parent,
        Some(Code::parse("212", Classification::Functional).unwrap())
    );
}

/// The export holds every point's amount and share, the change columns and the notes.
#[test]
fn evolution_export_has_every_year_the_change_and_the_notes() {
    let mut h = harness();
    h.get_by_role_and_label(Role::Button, "结构变化").click();
    h.run();
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("evolution.csv");
    h.state_mut().execute(
        &egui::Context::default(),
        fiscal_lens::app::Command::ExportTable(csv.clone()),
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].contains("结构变化") && lines[0].contains("功能分类（类）"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("基础不同：2020 年为决算，2023 年为年初预算"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(
            "编码,项目,2020 决算 · 全部门（万元）,2020 决算 · 全部门 占比,2023 年初预算 · 本级（万元）,2023 年初预算 · 本级 占比,2020 决算 · 全部门 至 2023 年初预算 · 本级 变动（万元）,占比变动（百分点）,来源"
        ),
        "{}",
        lines[2]
    );
    let l208 = lines.iter().find(|l| l.starts_with("208,")).unwrap();
    assert!(
        l208.starts_with(
            "208,社会保障和就业支出,63682.77,0.198288,16214,0.054328,-47468.77,-14.396"
        ),
        "{l208}"
    );
    let total = lines.iter().find(|l| l.starts_with(",合计,")).unwrap();
    assert!(
        total.starts_with(",合计,321163.15,1,298448,1,-22715.15,"),
        "{total}"
    );
}

/// 人均: amounts divided by the staff number the report states for that year and scope (2021:
/// 年末在编 755 人), with the source said; years without one are named and left out.
#[test]
fn per_person_figures_name_their_staff_number() {
    let mut h = harness();
    h.get_by_role_and_label(Role::Button, "结构变化").click();
    h.run();
    h.get_by_label("人员 / 公用").click();
    h.run();
    h.get_by_label("人均").click();
    h.run();
    assert_eq!(
        page(&h).view.display,
        fiscal_lens::ui::pages::evolution::Display::PerPerson
    );
    assert_shows(
        &h,
        "※ 人均 = 金额 ÷ 同年同口径公布的人数：2021 年按年末在编（实有）人数 755 人（正文「年末在编数（含工勤人员）」 第 206 行（001_4b23af6837b78012.txt））；2020、2023 年未公布人数，不列",
    );
    // 2021 年初预算: 人员经费 34,205.07 ÷ 755 = 45.30, 公用经费 5,023.18 ÷ 755 = 6.65 万元/人
    assert_shows(&h, "45.30");
    assert_shows(&h, "6.65");
    assert_shows(&h, "2021 年初预算 · 全部门（万元/人）");
}
