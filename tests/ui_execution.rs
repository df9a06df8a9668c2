//! 三公, 分局执行 and 预算执行进度 views driven through the accessibility tree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{assert_shows, branch_report, branch_view, harness};
use egui::accesskit::Role;

use egui_kittest::kittest::{NodeT, Queryable};
use fiscal_lens::app::Command;
use fiscal_lens::ui::pages;

#[test]
fn branch_comparison_and_rate_filter() {
    // tall enough for the unit table and the comparison below the rankings
    let mut h = common::harness_sized(1440.0, 2400.0);
    h.get_by_label("分局执行").click();
    h.run();
    assert_eq!(h.state().state.route, pages::branches::ROUTE);
    assert_shows(&h, "显示 200 / 200 个项目");

    // Select two branches: both appear in the side-by-side comparison.
    h.get_by_role_and_label(Role::CheckBox, "福田分局").click();
    h.run();
    assert_shows(&h, "并排比较：在上表勾选 2–4 个单位（已选 1 个）。");
    h.get_by_role_and_label(Role::CheckBox, "直属分局").click();
    h.run();
    assert_eq!(
        branch_view(&h).compare,
        vec!["福田分局".to_owned(), "直属分局".to_owned()]
    );
    assert_shows(&h, "并排比较：福田分局、直属分局");

    // The rate filter (default: below 80%) narrows the project table.
    let expected = branch_report(&h)
        .projects
        .iter()
        .filter(|p| {
            p.rate()
                .is_some_and(|r| r < rust_decimal::Decimal::new(8, 1))
        })
        .count();
    assert!(expected > 0 && expected < 200);
    h.get_by_role_and_label(Role::CheckBox, "执行率低于")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "执行率低于")
        .click();
    h.run();
    assert!(branch_view(&h).rate_filter);
    assert_shows(&h, &format!("显示 {expected} / 200 个项目"));

    // … and restricted to the compared units: 福田 (53, 60, 64) + 直属 (44, 45, 47, 48, 49, 50).
    h.get_by_role_and_label(Role::CheckBox, "只看所选单位")
        .click();
    h.run();
    assert_shows(&h, "显示 9 / 200 个项目");
}

#[test]
fn project_indicators_open_for_2021_tables() {
    let mut h = harness();
    h.get_by_label("分局执行").click();
    h.run();
    h.state_mut()
        .execute(&egui::Context::default(), Command::SelectYear(2021));
    h.run();
    let first = branch_report(&h).projects[0].project_id.clone();
    h.state_mut().execute(
        &egui::Context::default(),
        Command::SelectProject(Some(first)),
    );
    h.run();
    assert_shows(&h, "采购耗材数量");
    assert_shows(&h, "100 件");
    h.get_by_label("关闭").click();
    h.run();
    assert_eq!(branch_view(&h).selected_project, None);
}

#[test]
fn sangong_and_progress_views() {
    let mut h = harness();
    h.get_by_role_and_label(Role::Button, "三公经费").click();
    h.run();
    assert_eq!(h.state().state.route, pages::sangong::ROUTE);
    assert_shows(&h, "决算合计 52.70 万元");
    assert_shows(&h, "预算合计 95.24 万元");
    assert_shows(&h, "控制率（决算/预算）55.3%");
    assert_shows(&h, "仅有预算数；口径变化：全部门 → 本级");

    h.get_by_label("预算执行进度").click();
    h.run();
    // 2020 has no quarterly table: the view offers the year that has one.
    h.get_by_label("2021 年").click();
    h.run();
    assert_eq!(h.state().state.year(), Some(2021));
    assert_shows(&h, "39.06%");
    assert_shows(&h, "25%");
    assert_shows(&h, "+14.06 个百分点");
}

/// A project whose table is 存疑 (flag `doubtful`, its reason in `note`) is marked ※ in the 分局
/// 执行 project table, with the reason in the row's hover, and its unit counts it.
#[test]
fn doubtful_projects_are_marked_in_the_branch_view() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    // 000#52 社保志愿服务 (福田分局): its table said to be 存疑
    let projects = std::fs::read_to_string(dir.join("projects.csv")).unwrap();
    let line = projects
        .lines()
        .find(|l| l.contains(",000#52,"))
        .unwrap()
        .to_owned();
    let marked = format!(
        "{}doubtful,所在表存疑：测试用的存疑说明",
        line.strip_suffix(",").unwrap()
    );
    std::fs::write(dir.join("projects.csv"), projects.replace(&line, &marked)).unwrap();

    let mut h = harness();
    common::import_files(&mut h, vec![dir]);
    assert_eq!(h.state().data.datasets.len(), 2, "imported");
    h.state_mut()
        .execute(&egui::Context::default(), Command::DismissImportReport);
    h.run();
    common::filter_projects(&mut h, "社保志愿服务");
    let doubt = common::branch_report(&h)
        .projects
        .iter()
        .find(|p| p.project_id == "000#52")
        .and_then(|p| p.doubt.clone());
    assert_eq!(doubt.as_deref(), Some("所在表存疑：测试用的存疑说明"));
    h.get_by_label("34.56 万元 ※").hover();
    // the tooltip shows after egui's hover delay (the harness steps 0.25 s a frame)
    for _ in 0..4 {
        h.step();
    }
    assert!(
        h.query_all_by_label_contains("测试用的存疑说明")
            .next()
            .is_some(),
        "the hover says why"
    );
    // 福田分局's unit row counts it (its totals are marked ※)
    let report = common::branch_report(&h);
    let futian = report.units.iter().find(|u| u.unit == "福田分局").unwrap();
    assert_eq!(futian.doubtful, 1);
}

/// The auditor's question "which branch executes worst, and which projects cause it?" in two
/// clicks: the view, then the worst unit's bar. The bar sets the top bar's 单位, so the project
/// table, the shortfall list and the scatter all follow; Esc shows every unit again.
#[test]
fn a_ranking_bar_filters_the_projects_to_its_unit() {
    let mut h = harness();
    h.get_by_label("分局执行").click();
    h.run();
    h.get_by_label("直属分局：执行率 77.65%").click();
    h.run();
    assert_eq!(h.state().state.org_unit.as_deref(), Some("直属分局"));
    assert_shows(&h, "显示 11 / 200 个项目");
    assert_shows(&h, "只显示「直属分局」的项目（顶部「单位」）");
    assert_shows(&h, "未执行金额最大的项目（「直属分局」）");
    // … and the table lists its projects by unspent amount, the largest first
    let view = branch_view(&h);
    assert_eq!(
        view.sort,
        fiscal_lens::ui::pages::branches::SortKey::Unspent
    );
    let first: Vec<&str> = view
        .visible_rows()
        .iter()
        .take(4)
        .map(|&i| branch_report(&h).projects[i].name.as_str())
        .collect();
    assert_eq!(
        first,
        vec![
            "社保业务公众服务经费",
            "预算准备金",
            "档案配送费",
            "案件调查取证费"
        ]
    );
    assert_shows(
        &h,
        "共 9 个项目有未执行金额，合计 167.68 万元；前 4 个占 80% 以上。",
    );
    // the projects behind most of it, largest first
    assert_shows(&h, "社保业务公众服务经费");
    assert_shows(&h, "84.1%");
    // the same unit from the 未执行金额 ranking is selected there too
    assert_eq!(
        h.get_by_label("直属分局：未执行 167.68 万元")
            .accesskit_node()
            .toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().state.org_unit, None);
    assert_shows(&h, "显示 200 / 200 个项目");
}

/// The score × execution scatter flags the 高分低执行 projects (37 of 200 in 2020); its chip
/// filters the table to them, and a dot opens its project's row and indicators.
#[test]
fn the_scatter_flags_high_score_low_execution_projects() {
    let mut h = harness();
    h.get_by_label("分局执行").click();
    h.run();
    let chip = "高分低执行：37 个（自评得分 ≥ 90 且执行率 < 80%）";
    h.get_by_label(chip).scroll_to_me();
    h.run();
    h.get_by_label(chip).click();
    h.run();
    assert_shows(&h, "显示 37 / 200 个项目");
    assert_shows(&h, "低分高执行：1 个（自评得分 < 80 且执行率 ≥ 90%）");
    let dot = "社保业务公众服务经费（直属分局）：执行率 49.1%，得分 94.2，高分低执行";
    // dots may overlap: the accessibility action reaches this one whatever lies above it
    h.get_by_label(dot).click_accesskit();
    h.run();
    assert_eq!(branch_view(&h).selected_project.as_deref(), Some("000#48"));
    assert_shows(&h, "绩效指标：社保业务公众服务经费（直属分局）");
    h.key_press(egui::Key::Escape);
    h.run();
    assert_shows(&h, "显示 200 / 200 个项目");
}

/// 三公 per person in a year whose report states its staff number (2021: 年末在编 755 人).
#[test]
fn sangong_per_person_names_the_staff_number() {
    let mut h = harness();
    h.get_by_role_and_label(Role::Button, "三公经费").click();
    h.run();
    h.state_mut()
        .execute(&egui::Context::default(), Command::SelectYear(2021));
    h.run();
    // 90.07 ÷ 755 = 0.1193, 45.92 ÷ 755 = 0.0608 万元/人
    assert_shows(
        &h,
        "人均：预算 0.1193 万元/人，决算 0.0608 万元/人（按年末在编（实有）人数 755 人（正文「年末在编数（含工勤人员）」 第 206 行（001_4b23af6837b78012.txt）））",
    );
}
