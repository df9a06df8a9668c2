//! Shared helpers of the `egui_kittest` UI tests.
#![allow(dead_code)] // each test crate uses a subset

pub mod corpus;
pub mod doubts;
pub mod pdf;
pub mod values;

#[allow(unused_imports)] // each test crate uses a subset
pub use values::{bin, d, seeds_dir};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use fiscal_lens::analysis::branches::BranchReport;
use fiscal_lens::app::{App, Command};
use fiscal_lens::ui::pages::branches::{BranchViewState, BranchesPage};
use fiscal_lens::ui::pages::drill::{DrillData, DrillPage};

/// The app on the built-in data in a 1440×900 window, first frame run.
pub fn harness() -> Harness<'static, App> {
    harness_sized(1440.0, 900.0)
}

/// The app on the built-in data in a window of this size, first frame run.
pub fn harness_sized(width: f32, height: f32) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        // Long grids settle their column widths over a few frames.
        .with_max_steps(16)
        .build_eframe(|cc| App::new(cc));
    // each frame waits for its own results (the app waits 25 ms, then shows a spinner; see
    // `ui_async` for that path)
    h.state_mut().data.analysis_wait = std::time::Duration::from_mins(1);
    h.run();
    h
}

/// Some widget carries exactly this label.
pub fn assert_shows(h: &Harness<'_, App>, text: &str) {
    assert!(
        h.get_all_by_label(text).next().is_some(),
        "no widget labelled {text:?}"
    );
}

/// The drill-down table the app computed for the current node.
pub fn drill_data<'a>(h: &'a Harness<'_, App>) -> &'a DrillData {
    let page = h.state().pages.get::<DrillPage>().expect("a drill view");
    page.results
        .table
        .as_ref()
        .expect("drill computed")
        .value
        .as_ref()
        .expect("drill succeeded")
}

/// The 分局执行 report the app computed for the current selection.
pub fn branch_report<'a>(h: &'a Harness<'_, App>) -> &'a BranchReport {
    &branches_page(h)
        .results
        .report
        .as_ref()
        .expect("branches computed")
        .value
        .as_ref()
        .expect("branches succeeded")
        .report
}

/// The 分局执行 view.
pub fn branches_page<'a>(h: &'a Harness<'_, App>) -> &'a BranchesPage {
    h.state()
        .pages
        .get::<BranchesPage>()
        .expect("a 分局执行 view")
}

/// The 分局执行 view's filters and comparison.
pub fn branch_view<'a>(h: &'a Harness<'_, App>) -> &'a BranchViewState {
    &branches_page(h).view
}

/// Open 分局执行 and type `text` into its project-name filter (focused with Ctrl+F).
pub fn filter_projects(h: &mut Harness<'_, App>, text: &str) {
    h.get_by_label("分局执行").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    h.event(egui::Event::Text(text.to_owned()));
    h.run();
}

/// Seed 004 (2023 budget tables), the report the import tests open.
pub const SEED_004: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/seeds/004_da9b153982af61e6.txt"
);

/// Import `paths` as the 打开文件 dialog would, wait for the worker, then draw a frame.
pub fn import_files(h: &mut Harness<'_, App>, paths: Vec<std::path::PathBuf>) {
    h.state_mut()
        .execute(&egui::Context::default(), Command::OpenFiles(paths));
    h.state_mut().wait_for_jobs();
    h.run();
}

/// The newest notification: (not an error, its text).
pub fn toast(h: &Harness<'_, App>) -> (bool, String) {
    let t = h
        .state()
        .data
        .toasts
        .latest()
        .expect("a notification was raised");
    (
        t.level != fiscal_lens::app::toasts::Level::ERROR,
        t.text.clone(),
    )
}
