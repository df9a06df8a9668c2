//! Restoring the last session's imports and keyboard navigation of the drill-down.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{
    SEED_004, assert_shows, branch_report, branch_view, filter_projects, harness, import_files,
    toast,
};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use fiscal_lens::Dataset;
use fiscal_lens::app::{App, AppState, Command};
use fiscal_lens::ui::pages;

fn restored(state: AppState) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            let mut app =
                App::with_dataset(&cc.egui_ctx, state, Dataset::builtin().unwrap(), Vec::new());
            app.restore_imports();
            // restores run on the worker after the first frame; wait for them here
            app.wait_for_jobs();
            app
        });
    h.run();
    h
}

#[test]
#[ignore = "needs ../shared"]
fn imports_persist_and_missing_files_are_reported_not_fatal() {
    // A session that imported seed 004 and then a file that has since disappeared.
    let mut h = harness();
    import_files(&mut h, vec![SEED_004.into()]);
    let mut state = h.state().state.clone();
    assert_eq!(
        state.imports,
        vec![vec![std::path::PathBuf::from(SEED_004)]]
    );
    assert_eq!(state.active_dataset, 1);
    state.imports.push(vec!["/nonexistent/2021决算.txt".into()]);
    // What eframe stores is the serialized state: it round-trips.
    let text = serde_json::to_string(&state).unwrap();
    let back: AppState = serde_json::from_str(&text).unwrap();
    assert_eq!(back, state);

    let h = restored(back);
    let app = h.state();
    assert_eq!(app.data.datasets.len(), 2, "built-in + seed 004");
    assert_eq!(app.data.active, 1);
    assert_eq!(app.data.dataset.name, "004_da9b153982af61e6");
    assert_eq!(app.state.year(), Some(2023));
    // Reported as an error notification that stays until closed.
    let (ok, msg) = toast(&h);
    assert!(
        !ok && msg.contains("无法重新打开") && msg.contains("2021决算.txt"),
        "{msg}"
    );
    assert!(h.query_by_label(&msg).is_some(), "shown");
    // The missing file is dropped from the list; the good one stays.
    assert_eq!(app.state.imports.len(), 1);
}

#[test]
fn alt_arrows_walk_the_drill_history() {
    let mut h = harness();
    h.get_by_label("分类钻取").click();
    h.run();
    assert_eq!(h.state().state.route, pages::drill::ROUTE);
    h.get_by_role_and_label(Role::Button, "208 社会保障和就业支出")
        .click();
    h.run();
    assert!(h.state().state.drill.parent.is_some());
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().state.drill.parent, None);
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state()
            .state
            .drill
            .parent
            .as_ref()
            .map(fiscal_lens::model::Code::as_str),
        Some("208")
    );
}

#[test]
#[ignore = "needs ../shared"]
fn remove_dataset_and_reset_layout() {
    let mut h = harness();
    import_files(&mut h, vec![SEED_004.into()]);
    assert_eq!(h.state().data.active, 1);
    h.get_by_label("移除此数据集").click();
    h.run();
    let app = h.state();
    assert_eq!(app.data.datasets.len(), 1);
    assert_eq!(app.data.active, 0);
    assert!(app.state.imports.is_empty());
    assert!(
        h.query_by_label("移除此数据集").is_none(),
        "the built-in one stays"
    );

    // Change view, unit and theme, then reset.
    h.get_by_label("分类钻取").click();
    h.run();
    h.state_mut().execute(
        &egui::Context::default(),
        Command::SetUnit(fiscal_lens::model::MoneyUnit::Yi),
    );
    h.get_by_label("深色主题").click();
    h.run();
    assert!(h.state().state.dark_mode);
    h.get_by_label("恢复默认布局").click();
    h.run();
    let s = &h.state().state;
    assert_eq!(s.route, pages::overview::ROUTE);
    assert_eq!(s.unit, fiscal_lens::model::MoneyUnit::Wan);
    assert!(!s.dark_mode);
    assert_eq!(s.year(), Some(2020), "the default selection again");
}

#[test]
fn ctrl_f_focuses_the_project_name_filter() {
    let mut h = harness();
    filter_projects(&mut h, "政府采购");
    assert_eq!(branch_view(&h).name_contains, "政府采购");
    let n = branch_report(&h)
        .projects
        .iter()
        .filter(|p| p.name.contains("政府采购"))
        .count();
    assert!(n > 0);
    assert!(
        h.query_by_label(&format!("显示 {n} / 200 个项目"))
            .is_some(),
        "the project table shows the filtered count"
    );
}

#[test]
fn the_registry_lists_every_view_once_and_old_state_files_still_open_their_view() {
    let pages = pages::Pages::default();
    let ids: Vec<String> = pages
        .pages
        .iter()
        .map(|p| p.route().id().to_owned())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "view ids are unique: {ids:?}");
    // the navigation lists the registry, in its order
    let h = harness();
    for p in &pages.pages {
        assert_shows(&h, p.label());
    }
    // a state file written before the registry names its view by the same id
    let old: AppState = serde_json::from_str(r#"{"route":"Drill"}"#).unwrap();
    assert_eq!(old.route, pages::drill::ROUTE);
    let h = restored(old);
    assert_eq!(h.state().state.route, pages::drill::ROUTE);
    h.get_by_role_and_label(Role::Button, "后退"); // the drill-down is drawn
    // a state file from before the selection was one struct still loads (its separate
    // department/year/stage are ignored; the app picks the default selection)
    let legacy: AppState =
        serde_json::from_str(r#"{"route":"Sangong","department":"x","year":2020}"#).unwrap();
    assert_eq!(legacy.selection, None);
    let h = restored(legacy);
    assert_eq!(h.state().state.year(), Some(2020), "the default selection");
    // an id no view has falls back to the first view
    let gone: AppState = serde_json::from_str(r#"{"route":"NoSuchView"}"#).unwrap();
    let h = restored(gone);
    assert_eq!(h.state().state.route, pages::overview::ROUTE);
}

/// A report file the restore tests open (the synthetic 存疑 report of `tests/fixtures`).
fn fixture_report(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("存疑决算.txt");
    std::fs::write(&path, include_str!("fixtures/doubts.txt")).unwrap();
    path
}

#[test]
fn restores_run_after_the_first_frame_and_a_marker_keeps_a_crashing_file_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let good = vec![fixture_report(tmp.path())];
    let bad = vec![tmp.path().join("上次让程序退出的.xlsx")];
    let marker = fiscal_lens::app::marker_path(tmp.path());
    // the last start died while restoring `bad`: its marker is still there
    std::fs::write(&marker, serde_json::to_string(&bad).unwrap()).unwrap();
    let state = AppState {
        imports: vec![bad.clone(), good.clone()],
        active_dataset: 2,
        ..AppState::default()
    };
    let mut app = App::with_dataset(
        &egui::Context::default(),
        state,
        Dataset::builtin().unwrap(),
        Vec::new(),
    );
    app.set_restore_marker(marker.clone());
    app.restore_imports();
    // nothing is imported yet (the first frame starts the restores)
    assert_eq!(app.data.datasets.len(), 1);
    assert!(app.data.job.is_none());
    // the marked file is not opened again, and the user is told
    let t = app.data.toasts.latest().unwrap();
    assert!(
        t.text.contains("上次让程序退出的.xlsx") && t.text.contains("不再自动打开"),
        "{}",
        t.text
    );
    assert!(!marker.exists(), "the old marker is cleared");
    // what a frame does: start the good one on the worker, with a marker naming it
    app.start_next_restore();
    assert!(app.data.job.is_some(), "restoring on the worker");
    let named: Vec<std::path::PathBuf> =
        serde_json::from_str(&std::fs::read_to_string(&marker).unwrap()).unwrap();
    assert_eq!(named, good);
    app.wait_for_jobs();
    assert_eq!(app.data.datasets.len(), 2, "built-in + the good one");
    assert_eq!(
        app.data.active, 1,
        "it was the active one (2nd of the saved list)"
    );
    assert_eq!(
        app.state.imports,
        vec![good],
        "the crashing file left the list"
    );
    assert!(!marker.exists(), "cleared once the restore finished");
}

/// Started with files on the command line: those are imported first and stay the dataset shown;
/// the last session's imports are restored after them without taking the view away, and a
/// restored dataset made active is the one that was active (not the one at its old index).
#[test]
fn files_named_at_start_stay_shown_while_the_session_is_restored() {
    let tmp = tempfile::tempdir().unwrap();
    let report = vec![fixture_report(tmp.path())];
    let city = tmp.path().join("合成市");
    fiscal_lens::synth::write_city(&city, 1, 1, 7).unwrap();
    let cities = vec![city.clone()];
    let other = tmp.path().join("另一合成市");
    fiscal_lens::synth::write_city(&other, 2, 1, 7).unwrap();
    let saved = |active_dataset| AppState {
        imports: vec![report.clone(), vec![other.clone()]],
        active_dataset,
        ..AppState::default()
    };
    let ctx = egui::Context::default();
    // the session's second import was active; the user now opens 合成市
    let mut app = App::with_dataset(&ctx, saved(2), Dataset::builtin().unwrap(), Vec::new());
    app.restore_imports();
    app.open_on_start(&ctx, cities.clone());
    app.wait_for_jobs();
    assert_eq!(
        app.data.datasets.len(),
        4,
        "built-in, 合成市, the two restored"
    );
    assert_eq!(app.data.active, 1);
    assert_eq!(app.data.dataset.name, "合成市");
    assert_eq!(
        app.state.imports,
        vec![cities.clone(), report.clone(), vec![other.clone()]]
    );
    // without files named at start, the restored active dataset comes back, at its index
    let mut app = App::with_dataset(&ctx, saved(2), Dataset::builtin().unwrap(), Vec::new());
    app.restore_imports();
    app.wait_for_jobs();
    assert_eq!(app.data.active, 2);
    assert_eq!(app.data.dataset.name, "另一合成市");
    // a file opened while the session is still being restored: the one that was active is
    // made active where it was pushed (after the file), not at its old index
    let mut app = App::with_dataset(&ctx, saved(2), Dataset::builtin().unwrap(), Vec::new());
    app.restore_imports();
    app.execute(&ctx, Command::OpenFiles(cities.clone()));
    app.wait_for_jobs();
    assert_eq!(app.data.datasets.len(), 4);
    assert_eq!(app.data.dataset.name, "另一合成市");
    assert_eq!(app.data.active, 3);
}
