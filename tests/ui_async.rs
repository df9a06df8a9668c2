//! Results computed on the analysis worker: a frame that does not wait shows the previous
//! figures with a spinner, and the new figures swap in on a later frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use common::{assert_shows, harness};
use egui_kittest::kittest::Queryable;
use fiscal_lens::app::Command;

#[test]
fn a_year_change_keeps_the_last_figures_until_the_worker_answers() {
    let mut h = harness();
    h.state_mut().execute(
        &egui::Context::default(),
        Command::SelectDepartment("深圳市社会保险基金管理局".to_owned()),
    );
    h.run();
    h.state_mut()
        .execute(&egui::Context::default(), Command::SelectYear(2021));
    h.run();
    let before = h.state().data.computations;
    // from now on no frame waits for a result
    h.state_mut().data.analysis_wait = Duration::ZERO;
    h.state_mut()
        .execute(&egui::Context::default(), Command::SelectYear(2020));
    // the frame after the change: the worker may not have answered yet; if it has not, the view
    // is busy and the top bar says so
    h.step();
    if h.state().data.busy {
        h.get_by_label("正在计算…");
    }
    // the app keeps repainting while busy; the answer swaps in within a few seconds
    let started = Instant::now();
    while h.state().data.busy || h.state().data.computations == before {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the worker's result never arrived"
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.step();
    assert!(h.state().data.computations > before);
    // the 2020 决算 figures, computed on the worker
    assert_shows(&h, "321,163.15 万元");
    assert!(h.query_by_label("正在计算…").is_none());
}

#[test]
fn a_result_no_longer_wanted_is_dropped() {
    let mut h = harness();
    h.state_mut().data.analysis_wait = Duration::ZERO;
    // two changes in a row: the first result, if it arrives, is for a key no longer shown
    h.state_mut()
        .execute(&egui::Context::default(), Command::SelectYear(2021));
    h.state_mut()
        .execute(&egui::Context::default(), Command::SelectYear(2020));
    let started = Instant::now();
    while h.state().data.busy || h.state().selection().is_none() {
        assert!(started.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.step();
    let sel = h.state().selection().unwrap();
    assert_eq!(sel.year, 2020);
    // the overview's result is the one of the year selected last
    let page = h
        .state()
        .pages
        .get::<fiscal_lens::ui::pages::overview::OverviewPage>()
        .expect("the overview");
    let shown = page.result.as_ref().expect("a result");
    assert_eq!(shown.key.year, 2020);
    assert!(shown.value.is_ok());
}
