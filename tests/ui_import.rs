//! Importing files into the running app: a report becomes an additional dataset; a failed
//! import shows its located report and leaves the loaded dataset active and untouched.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{SEED_004, assert_shows, harness, import_files, toast};
use egui_kittest::kittest::Queryable;
use fiscal_lens::app::Command;
use fiscal_lens::ui::pages;

#[test]
fn failed_import_keeps_the_dataset_and_shows_the_report() {
    let mut h = harness();
    let builtin = h.state().data.dataset.name.clone();
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("坏表.csv");
    std::fs::write(&bad, "department,year\n测试局,二〇二〇\n").unwrap();
    import_files(&mut h, vec![bad]);
    let data = &h.state().data;
    assert_eq!(data.datasets.len(), 1);
    assert_eq!(data.dataset.name, builtin);
    let notice = data.import_notice.as_ref().unwrap();
    assert!(!notice.ok);
    assert!(notice.report.contains("坏表.csv"), "{}", notice.report);
    assert_eq!(
        h.query_all_by_label(&notice.summary).count(),
        2,
        "the report window and a notification say so"
    );
    // An error notification says so too, and stays until closed.
    let (ok, msg) = toast(&h);
    assert!(!ok && msg.starts_with("导入失败"), "{msg}");
    h.get_by_label("关闭").click();
    h.run();
    assert!(h.state().data.import_notice.is_none());
    h.get_by_label("关闭通知").click();
    h.run();
    assert!(h.state().data.toasts.items.is_empty());
    // The previous data is still shown.
    assert_shows(&h, "321,163.15 万元");
}

#[test]
#[ignore = "needs ../shared"]
fn imported_report_becomes_an_additional_dataset() {
    let mut h = harness();
    import_files(&mut h, vec![SEED_004.into()]);
    let data = &h.state().data;
    assert_eq!(data.datasets.len(), 2);
    assert_eq!(data.active, 1);
    assert_eq!(data.dataset.name, "004_da9b153982af61e6");
    assert!(data.import_notice.as_ref().unwrap().ok);
    // The selection moved to what the imported report holds.
    assert_eq!(h.state().state.year(), Some(2023));
    // A notification (not a window) says so; its button opens the report.
    let (ok, msg) = toast(&h);
    assert!(
        ok && msg.starts_with("已导入「004_da9b153982af61e6」"),
        "{msg}"
    );
    assert!(h.query_by_label("导入报告").is_none());
    h.get_by_label("查看导入报告").click();
    h.run();
    assert!(h.query_by_label("导入报告").is_some());
    assert!(
        h.state().data.toasts.items.is_empty(),
        "the toast closed with its action"
    );
    h.get_by_label("关闭").click();
    h.run();
    h.get_by_label("收支结构").click();
    h.run();
    assert_eq!(h.state().state.route, pages::structure::ROUTE);
    assert_shows(&h, "298,448.00");

    // Switch back to the built-in dataset with the 数据集 selector.
    h.get_by_label("数据集").click();
    h.run();
    h.get_by_label("内置数据集（深圳、佛山社保基金管理局公开报告）")
        .click();
    h.run();
    assert_eq!(h.state().data.active, 0);
    assert_eq!(h.state().state.year(), Some(2023));
}

#[test]
#[ignore = "needs ../shared"]
fn a_cancelled_import_is_discarded() {
    let mut h = harness();
    h.state_mut().execute(
        &egui::Context::default(),
        Command::OpenFiles(vec![SEED_004.into()]),
    );
    assert!(
        h.state().data.job.is_some(),
        "the import runs in the background"
    );
    h.state_mut()
        .execute(&egui::Context::default(), Command::CancelJob);
    h.state_mut().wait_for_jobs();
    h.run();
    let data = &h.state().data;
    assert!(data.job.is_none());
    assert_eq!(data.datasets.len(), 1, "nothing added");
    let (ok, msg) = toast(&h);
    assert!(ok && msg.contains("已取消导入"), "{msg}");
}

#[test]
#[ignore = "needs ../shared"]
fn recent_files_and_the_import_log_panel() {
    let mut h = harness();
    import_files(&mut h, vec![SEED_004.into()]);
    assert_eq!(
        h.state().state.recent,
        vec![vec![std::path::PathBuf::from(SEED_004)]]
    );
    h.get_by_label("导入日志").click();
    h.run();
    assert!(h.state().state.show_log);
    let log = &h.state().data.dataset.log;
    let warnings = log.warnings().count();
    assert!(warnings > 0, "seed 004 has OCR repairs");
    assert!(
        h.query_by_label(&format!(
            "导入日志 · 004_da9b153982af61e6（{} 条，警告 {warnings} 条）",
            log.entries.len()
        ))
        .is_some()
    );
    // Each warning names the file and line it is about.
    let first = log.warnings().next().unwrap().message.clone();
    assert!(first.contains("004_da9b153982af61e6.txt:"), "{first}");
    assert!(h.query_by_label(&format!("警告  {first}")).is_some());

    // 最近打开 re-imports the same file as another dataset.
    h.get_by_label("最近打开").click();
    h.run();
    h.get_by_label(SEED_004).click();
    // one frame starts the import; its spinner repaints until it is done, so wait for the job
    // rather than for the UI to settle
    h.step();
    h.state_mut().wait_for_jobs();
    h.run();
    assert_eq!(h.state().data.datasets.len(), 3);
    assert_eq!(h.state().state.recent.len(), 1, "no duplicate entry");
}

/// A report whose 支出决算表 has an unreadable cell and whose 财政拨款支出决算表 does not add up
/// (`tests/fixtures/doubts.txt`, also read by `report_layouts`):
/// the import opens its report at once, and the dataset selector and the overview say which tables
/// are 存疑 (the figures' ※ marks are unit-tested in `analysis::figure`).
#[test]
fn a_doubtful_import_is_said_everywhere() {
    let text = include_str!("fixtures/doubts.txt");
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("存疑决算.txt");
    std::fs::write(&path, text).unwrap();
    let mut h = harness();
    import_files(&mut h, vec![path]);
    let data = &h.state().data;
    assert_eq!(data.datasets.len(), 2, "imported");
    // both tables: the second's 合计 row, and the first's 20101 (the withheld cell's row is
    // missing from its sum)
    assert_eq!(data.dataset.doubtful_tables, 2);
    // the report window opened by itself
    assert!(h.query_by_label("导入报告").is_some());
    let notice = data.import_notice.as_ref().unwrap();
    assert!(notice.summary.contains("2 张表存疑"), "{}", notice.summary);
    assert!(notice.report.contains("存疑（"), "{}", notice.report);
    h.get_by_label("关闭").click();
    h.run();
    // the overview lists the 存疑 tables; the dataset selector names the count
    assert!(
        h.query_all_by_label_contains("本年有 2 张表存疑")
            .next()
            .is_some(),
        "overview"
    );
    h.get_by_label("数据集").click();
    h.run();
    assert!(
        h.query_all_by_label_contains("（※ 2 张表存疑）")
            .next()
            .is_some(),
        "dataset selector"
    );
}

/// A report that prints neither its year nor its department is not stored under guessed
/// values: the 补充报告信息 form opens, prefilled with the year printed alone on a line, and the
/// report imports once the user confirms; the answer is remembered for that file.
#[test]
fn missing_year_and_department_are_asked() {
    let text = include_str!("fixtures/doubts.txt").replacen(
        "某市某某局2024年度部门决算",
        "部门决算报表\n2024",
        1,
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("报表.txt");
    std::fs::write(&path, text).unwrap();
    let mut h = harness();
    let builtin = h.state().data.dataset.name.clone();
    import_files(&mut h, vec![path.clone()]);
    assert_eq!(h.state().data.datasets.len(), 1, "nothing imported yet");
    assert_eq!(h.state().data.dataset.name, builtin);
    assert!(h.state().ask.is_some());
    assert!(h.query_by_label("补充报告信息").is_some());
    // the year is prefilled from the text; 导入 waits for the department
    let year = h.get_by_label("报告年度");
    assert_eq!(year.value().as_deref(), Some("2024"));
    assert!(
        h.query_all_by_label_contains("请填写部门").next().is_some(),
        "the form says what is missing"
    );
    let field = h.get_by_label("报告所属部门");
    field.focus();
    field.type_text("某市某某局");
    h.run();
    h.get_by_label("导入").click();
    // one frame: the click starts the import on the worker (a spinner repaints while it runs)
    h.step();
    h.state_mut().wait_for_jobs();
    h.run();
    let app = h.state();
    assert!(app.ask.is_none());
    assert_eq!(app.data.datasets.len(), 2, "imported with the answers");
    assert_eq!(app.state.year(), Some(2024));
    assert_eq!(
        app.state.department().map(String::as_str),
        Some("某市某某局")
    );
    assert_eq!(app.state.given.len(), 1);
    assert_eq!(app.state.given[0].path, path);
    assert_eq!(app.state.given[0].year, Some(2024));

    // Esc closes the form without importing
    let mut h = harness();
    import_files(&mut h, vec![tmp.path().join("报表.txt")]);
    assert!(h.state().ask.is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().ask.is_none());
    assert_eq!(h.state().data.datasets.len(), 1);
}

/// Figures of a 存疑 table carry ※ where they are shown, and hovering says why: the drill-down
/// cells of the 支出决算表 (its 20101 row does not add up once the unreadable cell is withheld) and
/// the 三公 totals of a 三公 table whose 合计 is not the sum of its parts (99.24 ≠ 87.50 + 7.74).
#[test]
fn doubtful_figures_are_marked_where_shown() {
    let text = format!(
        "{}\n{}",
        include_str!("fixtures/doubts.txt"),
        "一般公共预算财政拨款“三公”经费支出决算表
单位：万元
预算数\t\t\t\t\t\t决算数\t\t\t\t\t
合计\t因公出国(境)费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国(境)费\t公务用车购置及运行费\t\t\t公务接待费
\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t
1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12
99.24\t\t87.50\t\t87.50\t7.74\t52.70\t\t51.27\t\t51.27\t1.43
"
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("存疑三公.txt");
    std::fs::write(&path, text).unwrap();
    let mut h = harness();
    import_files(&mut h, vec![path]);
    assert_eq!(h.state().data.datasets.len(), 2, "imported");
    h.get_by_label("关闭").click();
    h.run();

    h.get_by_label("分类钻取").click();
    h.run();
    assert!(
        h.query_all_by_label_contains("所在表存疑").next().is_none(),
        "the reason is shown on hover only"
    );
    let marked = h
        .query_all_by_label_contains(" ※")
        .next()
        .expect("a drill-down figure marked ※");
    marked.hover();
    h.run();
    assert!(
        h.query_all_by_label_contains("所在表存疑").next().is_some(),
        "the hover says why"
    );

    h.get_by_label("三公经费").click();
    h.run();
    assert!(
        h.query_all_by_label_contains("所在表存疑").next().is_none(),
        "the reason is shown on hover only"
    );
    let total = h.get_by_label("预算合计 99.24 万元 ※");
    total.hover();
    h.run();
    assert!(
        h.query_all_by_label_contains("合计：※ 存疑")
            .next()
            .is_some()
            || h.query_all_by_label_contains("所在表存疑").next().is_some(),
        "the hover says why"
    );
    // the actual figures of the same table are marked too
    assert!(h.query_by_label("决算合计 52.70 万元 ※").is_some());
}
