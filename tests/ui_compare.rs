//! 部门对比: the departments side by side, sorted by a header click, filtered by name, exported
//! as shown, and one click away from each department's own views.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{assert_shows, harness, toast};

use egui_kittest::kittest::Queryable;
use fiscal_lens::app::Command;
use fiscal_lens::ui::pages::{self, compare::ComparePage};

const SZ: &str = "深圳市社会保险基金管理局";
const FS: &str = "佛山市社会保险基金管理局";

fn open(h: &mut egui_kittest::Harness<'_, fiscal_lens::app::App>) {
    h.get_by_label("部门对比").click();
    h.run();
    assert_eq!(h.state().state.route, pages::compare::ROUTE);
}

#[test]
fn the_ranking_shows_every_department_and_opens_one() {
    let mut h = harness();
    open(&mut h);
    assert_shows(&h, "部门对比 · 2020 年决算 · 2 个部门");
    // 深圳 2020 决算: the figures the Overview shows
    assert_shows(&h, "321,163.15");
    assert_shows(&h, "52.70");
    assert_shows(&h, FS);
    // 佛山 has no 2020 决算: listed last, without figures
    let page = h.state().pages.get::<ComparePage>().unwrap();
    let r = page.result.as_ref().unwrap().value.as_ref().unwrap();
    let order: Vec<_> = page
        .view
        .visible(r)
        .iter()
        .map(|(_, r)| r.department.clone())
        .collect();
    assert_eq!(order, [SZ, FS]);

    // a header click sorts by that column; a second click turns the order round
    h.get_by_label("三公经费（万元）").click();
    h.run();
    let page = h.state().pages.get::<ComparePage>().unwrap();
    assert_eq!(
        page.view.sort,
        fiscal_lens::analysis::compare::Metric::Sangong
    );
    assert!(!page.view.ascending);
    h.get_by_label("三公经费（万元） ▼").click();
    h.run();
    assert!(h.state().pages.get::<ComparePage>().unwrap().view.ascending);
    // a department without the figure stays last either way
    let page = h.state().pages.get::<ComparePage>().unwrap();
    let r = page.result.as_ref().unwrap().value.as_ref().unwrap();
    assert_eq!(page.view.visible(r)[1].1.department, FS);

    // the name opens the department's 总览
    h.get_by_label(FS).click();
    h.run();
    let s = &h.state().state;
    assert_eq!(s.route, pages::overview::ROUTE);
    assert_eq!(s.selection().unwrap().department, FS);
}

#[test]
fn the_ranking_exports_as_shown() {
    let mut h = harness();
    open(&mut h);
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("compare.csv");
    h.state_mut()
        .execute(&egui::Context::default(), Command::ExportTable(csv.clone()));
    let (ok, msg) = toast(&h);
    assert!(ok, "{msg}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].contains("部门对比 · 2020 年决算"), "{}", lines[0]);
    assert!(lines[1].contains("按支出合计从大到小排列"), "{}", lines[1]);
    assert!(
        lines[2].starts_with("排名,部门,口径,支出合计（万元）"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with(&format!("1,{SZ},全部门,321163.15,")),
        "{}",
        lines[3]
    );
    assert!(
        lines[3].contains("52.70") || lines[3].contains("52.7"),
        "{}",
        lines[3]
    );
    assert!(lines[4].starts_with(&format!("2,{FS},")), "{}", lines[4]);

    // filtered by name (here by pinyin initials: 佛山 fs): only the matching department, with
    // its rank in the whole ordering
    h.state_mut()
        .pages
        .get_mut::<ComparePage>()
        .unwrap()
        .view
        .name_contains = "fs".to_owned();
    h.run();
    h.state_mut()
        .execute(&egui::Context::default(), Command::ExportTable(csv.clone()));
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[1].contains("部门名称或拼音首字母含「fs」（1 / 2 个部门）"),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[3].starts_with(&format!("2,{FS},")), "{}", lines[3]);
}

#[test]
fn any_year_of_the_dataset_can_be_ranked_here() {
    let mut h = harness();
    open(&mut h);
    // 2022 is a year of 佛山 only: the top bar (深圳) cannot select it, this view can
    h.get_by_label("对比年度").click();
    h.run();
    h.get_by_label("2022 年").click();
    h.run();
    let page = h.state().pages.get::<ComparePage>().unwrap();
    assert_eq!(page.view.year, Some(2022));
    assert_shows(&h, "部门对比 · 2022 年决算 · 2 个部门");
    let r = page.result.as_ref().unwrap().value.as_ref().unwrap();
    let first = page.view.visible(r)[0].1;
    assert_eq!(first.department, FS);
    assert!(first.expenditure.is_some());
    // the top bar's selection is untouched
    assert_eq!(h.state().state.selection().unwrap().department, SZ);
    assert_eq!(h.state().state.selection().unwrap().year, 2020);
    // back to the top bar's year
    h.get_by_label("对比年度").click();
    h.run();
    h.get_by_label("跟随顶栏").click();
    h.run();
    assert_shows(&h, "部门对比 · 2020 年决算 · 2 个部门");
}
