//! Exporting the current view's table: the written CSV/XLSX cells equal the view's figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{drill_data, filter_projects, harness, toast};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use fiscal_lens::app::Command;

#[test]
fn drill_table_exports_to_xlsx_and_csv_with_the_shown_figures() {
    let mut h = harness();
    h.get_by_label("分类钻取").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "208 社会保障和就业支出")
        .click();
    h.run();
    let tmp = tempfile::tempdir().unwrap();

    let xlsx = tmp.path().join("208.xlsx");
    h.state_mut().execute(
        &egui::Context::default(),
        Command::ExportTable(xlsx.clone()),
    );
    h.run();
    let (ok, msg) = toast(&h);
    assert!(ok, "{msg}");
    assert!(h.query_by_label(&msg).is_some(), "status shown");
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("导出").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let title = rows[0][0].to_string();
    assert!(
        title.contains("内置数据集") && title.contains("2020"),
        "{title}"
    );
    assert!(rows[1][0].to_string().contains("万元"));
    assert_eq!(rows[3][2].to_string(), "金额（万元）");
    let r20801 = rows
        .iter()
        .find(|r| r[0] == Data::String("20801".into()))
        .unwrap();
    assert_eq!(r20801[1].to_string(), "人力资源和社会保障管理事务");
    // The view's figure: the cached drill table's amount for 20801.
    let shown = drill_data(&h)
        .table
        .lines
        .iter()
        .find(|l| l.row.code.as_str() == "20801")
        .unwrap()
        .row
        .figure
        .amount;
    assert_eq!(shown.to_string(), "49434.68");
    assert_eq!(r20801[2], Data::Float(49434.68));
    // 未细分 and 合计 rows are exported too.
    assert!(rows.iter().any(|r| r[1] == Data::String("未细分".into())));

    let csv = tmp.path().join("208.csv");
    h.state_mut()
        .execute(&egui::Context::default(), Command::ExportTable(csv.clone()));
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("20801,人力资源和社会保障管理事务,49434.68,"),
        "{text}"
    );
    assert!(text.contains("未细分,-0.01"), "{text}");

    // An unwritable target is a clear error, nothing half-written.
    let bad = tmp.path().join("no-such-dir").join("x.csv");
    h.state_mut()
        .execute(&egui::Context::default(), Command::ExportTable(bad.clone()));
    let (ok, msg) = toast(&h);
    assert!(!ok);
    assert!(
        msg.starts_with("导出失败") && msg.contains("no-such-dir"),
        "{msg}"
    );
    assert!(!bad.exists());
}

#[test]
fn audit_findings_export_to_csv() {
    let mut h = harness();
    h.get_by_label("审计检查").click();
    h.run();
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("findings.csv");
    h.state_mut()
        .execute(&egui::Context::default(), Command::ExportTable(csv.clone()));
    let (ok, msg) = toast(&h);
    assert!(ok, "{msg}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let n = h
        .state()
        .data
        .checks
        .as_ref()
        .unwrap()
        .value
        .as_ref()
        .unwrap()
        .len();
    // BOM + title + filters + header, then one line per finding.
    assert_eq!(text.lines().count(), 3 + n);
    let line = text
        .lines()
        .find(|l| l.contains("公开06 第 322 行"))
        .unwrap();
    assert!(line.contains(",4125.41,4125.42,0.01,"), "{line}");
}

#[test]
fn project_table_and_sangong_exports_follow_the_view() {
    let mut h = harness();
    filter_projects(&mut h, "政府采购");
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("projects.csv");
    h.state_mut()
        .execute(&egui::Context::default(), Command::ExportTable(csv.clone()));
    let (ok, msg) = toast(&h);
    assert!(ok, "{msg}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let shown = h.state().views.branches.visible_rows().len();
    assert!(shown > 0);
    assert_eq!(text.lines().count(), 3 + shown, "{text}");
    assert!(text.contains("名称包含「政府采购」"), "{text}");
    assert!(
        text.lines().skip(3).all(|l| l.contains("政府采购")),
        "{text}"
    );

    h.get_by_label("三公经费").click();
    h.run();
    let csv = tmp.path().join("sangong.csv");
    h.state_mut()
        .execute(&egui::Context::default(), Command::ExportTable(csv.clone()));
    let text = std::fs::read_to_string(&csv).unwrap();
    let y2020 = text.lines().find(|l| l.starts_with("2020,")).unwrap();
    assert!(
        y2020.starts_with("2020,全部门,调整预算,95.24,52.7,0.5533"),
        "{y2020}"
    );
}
