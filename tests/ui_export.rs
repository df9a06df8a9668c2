//! Exporting the current view's table: the written CSV/XLSX cells equal the view's figures.
// tests may panic; pixel sizes are small
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{branch_view, drill_data, filter_projects, harness, toast};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use fiscal_lens::app::Command;
use fiscal_lens::ui::pages;

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
        msg.starts_with("导出失败") && msg.contains("no-such-dir") && msg.contains("无法写入"),
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
        .pages
        .get::<pages::checks::ChecksPage>()
        .unwrap()
        .result
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

/// The 分类钻取 export follows the table's sort: sorted by 编码 ascending, the exported rows are
/// in code order, and the header says the order.
#[test]
fn drill_export_follows_the_table_sort() {
    let mut h = harness();
    h.get_by_label("分类钻取").click();
    h.run();
    h.get_by_label("表格").click();
    h.run();
    let tmp = tempfile::tempdir().unwrap();
    // default: by amount, largest first
    let lines = export_csv(&mut h, tmp.path(), "by_amount.csv");
    assert!(lines[1].contains("按金额降序排列"), "{}", lines[1]);
    let by_amount: Vec<String> = lines
        .iter()
        .skip(3)
        .filter_map(|l| l.split(',').next().map(str::to_owned))
        .filter(|c| c.len() == 3)
        .collect();
    // sorted by 编码 (ascending on first click)
    h.get_by_role_and_label(Role::Button, "编码").click();
    h.run();
    let lines = export_csv(&mut h, tmp.path(), "by_code.csv");
    assert!(lines[1].contains("按编码升序排列"), "{}", lines[1]);
    let by_code: Vec<String> = lines
        .iter()
        .skip(3)
        .filter_map(|l| l.split(',').next().map(str::to_owned))
        .filter(|c| c.len() == 3)
        .collect();
    let mut ascending = by_code.clone();
    ascending.sort();
    assert_eq!(by_code, ascending);
    assert_ne!(by_code, by_amount, "the order follows the sort");
    // the same rows as the table shows, in its order
    let shown: Vec<String> = fiscal_lens::ui::pages::drill::sorted(
        &drill_data(&h).table.lines,
        &h.state()
            .pages
            .get::<pages::drill::DrillPage>()
            .unwrap()
            .view,
    )
    .iter()
    .map(|l| l.row.code.to_string())
    .collect();
    assert_eq!(by_code, shown);
}

/// In compare mode the 收支结构 export holds both sides drawn, each row naming its side.
#[test]
fn structure_export_in_compare_mode_has_both_sides() {
    let mut h = harness();
    h.get_by_label("收支结构").click();
    h.run();
    h.get_by_label("与另一部门/年度对比").click();
    h.run();
    let app = h.state();
    let main = app.selection().expect("a selection");
    let other = app.state.compare.clone().expect("compare mode on");
    assert_ne!(main, other);
    let side = |department: &str, year: i32| format!("{department} · {year} 年");
    let (left, right) = (
        side(&main.department, main.year),
        side(&other.department, other.year),
    );
    let tmp = tempfile::tempdir().unwrap();
    let lines = export_csv(&mut h, tmp.path(), "compare.csv");
    assert!(lines[1].contains("对比两组并列"), "{}", lines[1]);
    let rows = &lines[3..];
    let of = |who: &str| rows.iter().filter(|l| l.starts_with(who)).count();
    assert!(of(&left) > 0, "{lines:#?}");
    assert!(of(&right) > 0, "{lines:#?}");
    assert_eq!(
        of(&left) + of(&right),
        rows.len(),
        "every row names its side"
    );
}

/// The 审计检查 export is what the view shows: with 只看顶部所选部门与年度 and 尾数/提示 hidden,
/// exactly the remaining findings, in the order drawn, and the header says the filters.
#[test]
fn audit_export_follows_the_filters_shown() {
    let mut h = harness();
    h.get_by_label("审计检查").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "只看顶部所选部门与年度")
        .click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "尾数/提示").click();
    h.run();
    let app = h.state();
    let page = app.pages.get::<pages::checks::ChecksPage>().unwrap();
    let all = page.result.as_ref().unwrap().value.as_ref().unwrap();
    let (department, year) = (app.state.department().cloned(), app.state.year());
    let shown: Vec<String> = page
        .view
        .visible(all, department.as_ref(), year)
        .into_iter()
        .flat_map(|(_, fs)| fs.into_iter().map(|f| f.location.clone()))
        .collect();
    assert!(!shown.is_empty());
    assert!(shown.len() < all.len(), "the filters hide findings");
    // every finding shown is of the selected department and year, and not a note
    let wanted = all
        .iter()
        .filter(|f| {
            Some(&f.department) == department.as_ref()
                && Some(f.year) == year
                && f.severity != fiscal_lens::analysis::checks::Severity::Note
        })
        .count();
    assert_eq!(shown.len(), wanted);
    let tmp = tempfile::tempdir().unwrap();
    let lines = export_csv(&mut h, tmp.path(), "findings.csv");
    assert!(
        lines[1].contains("只看") && !lines[1].contains("尾数/提示"),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 3 + shown.len(), "{lines:#?}");
    for (line, location) in lines.iter().skip(3).zip(&shown) {
        assert!(line.contains(location.as_str()), "{line} / {location}");
    }
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
    let shown = branch_view(&h).visible_rows().len();
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

/// Export the current view's table to `name` in `dir` and return the CSV lines after the BOM.
fn export_csv(
    h: &mut egui_kittest::Harness<'_, fiscal_lens::app::App>,
    dir: &std::path::Path,
    name: &str,
) -> Vec<String> {
    let csv = dir.join(name);
    h.state_mut()
        .execute(&egui::Context::default(), Command::ExportTable(csv.clone()));
    let (ok, msg) = toast(h);
    assert!(ok, "{msg}");
    let text = std::fs::read_to_string(&csv).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn overview_structure_and_progress_tables_export_their_figures() {
    let mut h = harness();
    let tmp = tempfile::tempdir().unwrap();

    // 总览: the KPI cards, then 支出合计 per year and stage.
    let lines = export_csv(&mut h, tmp.path(), "overview.csv");
    assert!(
        lines[0].contains("总览") && lines[0].contains("2020 年决算"),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].starts_with("项目,年度,阶段,口径,金额（万元）"),
        "{}",
        lines[2]
    );
    let revenue = lines.iter().find(|l| l.starts_with("收入合计,")).unwrap();
    assert!(
        revenue.starts_with("收入合计,2020,决算,全部门,321163.15,"),
        "{revenue}"
    );
    let yearly: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("历年支出合计,"))
        .collect();
    let trend = &h
        .state()
        .pages
        .get::<pages::overview::OverviewPage>()
        .unwrap()
        .result
        .as_ref()
        .unwrap()
        .value
        .as_ref()
        .unwrap()
        .trend;
    assert_eq!(yearly.len(), trend.len(), "one row per bar of the chart");
    assert!(
        yearly
            .iter()
            .any(|l| l.starts_with("历年支出合计,2020,决算,全部门,321163.15,"))
    );

    // 收支结构: every list with its 未细分 and 合计 rows.
    h.get_by_label("收支结构").click();
    h.run();
    let lines = export_csv(&mut h, tmp.path(), "structure.csv");
    let l208 = lines
        .iter()
        .find(|l| l.starts_with("支出功能分类（类）,208,社会保障和就业支出,"))
        .unwrap();
    assert!(l208.contains(",63682.77,0.198288,"), "{l208}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("收入来源,,政府性基金预算财政拨款收入,249078")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("支出性质（基本 / 项目）,,合计,321163.15,1,"))
    );

    // 预算执行进度 (2021): the quarter rows as in the view's table.
    h.state_mut()
        .execute(&egui::Context::default(), Command::SelectYear(2021));
    h.get_by_label("预算执行进度").click();
    h.run();
    let lines = export_csv(&mut h, tmp.path(), "progress.csv");
    let q1 = lines.iter().find(|l| l.starts_with("第 1 季度,")).unwrap();
    // As the view's table: 39.06 %, 25 %, +14.06 points, published 39.06 % and 156.22 %.
    assert!(
        q1.starts_with("第 1 季度,228317.64,584600.79,0.390553,0.25,0.140553,0.3906,1.5622,"),
        "{q1}"
    );
    assert_eq!(lines.iter().filter(|l| l.starts_with('第')).count(), 4);
}

#[test]
fn a_chart_exports_as_png_cropped_to_its_rectangle() {
    let mut h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let png_path = tmp.path().join("历年支出合计.png");
    let (before, _) = fiscal_lens::ui::widgets::chart_rect(&h.ctx, "历年支出合计").unwrap();
    h.state_mut().execute(
        &egui::Context::default(),
        Command::ExportChart {
            name: "历年支出合计".into(),
            path: png_path.clone(),
        },
    );
    // One frame: the app finds the chart and asks the renderer for a screenshot.
    h.step();
    let (rect, _) = fiscal_lens::ui::widgets::chart_rect(&h.ctx, "历年支出合计").unwrap();
    let callback = h
        .output()
        .viewport_output
        .values()
        .flat_map(|v| v.commands.iter())
        .find_map(|c| match c {
            egui::ViewportCommand::Screenshot(cb) => Some(cb.clone()),
            _ => None,
        })
        .expect("a screenshot was requested");
    assert!(h.state().data.capture.is_some());
    h.step();
    // The captured frame: no button in the picture but what the chart shows, and the chart did
    // not move.
    assert!(h.query_by_label("导出图片…").is_none());
    assert!(
        h.query_by_label("深圳市社会保险基金管理局 · 2020 年决算 · 内置数据集（深圳、佛山社保基金管理局公开报告）")
            .is_some()
    );
    assert_eq!(
        fiscal_lens::ui::widgets::chart_rect(&h.ctx, "历年支出合计")
            .unwrap()
            .0,
        before
    );
    assert_eq!(rect, before);
    // Stand in for the renderer: pixel (x, y) is rgb(x mod 256, y mod 256, 99).
    let ppp = h.ctx.pixels_per_point();
    let (w, hgt) = ((1440.0 * ppp) as usize, (900.0 * ppp) as usize);
    let mut pixels = Vec::with_capacity(w * hgt);
    for y in 0..hgt {
        for x in 0..w {
            pixels.push(egui::Color32::from_rgb(
                (x % 256) as u8,
                (y % 256) as u8,
                99,
            ));
        }
    }
    callback.complete(std::sync::Arc::new(egui::ColorImage::new([w, hgt], pixels)));
    h.run();
    assert!(h.state().data.capture.is_none());
    let (ok, msg) = toast(&h);
    assert!(ok && msg.contains("已导出图表「历年支出合计」"), "{msg}");

    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let x0 = (rect.min.x * ppp).round() as usize;
    let y0 = (rect.min.y * ppp).round() as usize;
    assert_eq!(
        info.width as usize,
        (rect.max.x * ppp).round() as usize - x0
    );
    assert_eq!(
        info.height as usize,
        (rect.max.y * ppp).round() as usize - y0
    );
    assert!(
        info.width > 600 && info.height > 300,
        "the whole chart: {}×{}",
        info.width,
        info.height
    );
    // The first pixel is the screenshot's pixel at the chart's corner.
    assert_eq!(&buf[..4], &[(x0 % 256) as u8, (y0 % 256) as u8, 99, 255]);

    // A chart the view does not show is an error, not a crash.
    h.state_mut().execute(
        &egui::Context::default(),
        Command::ExportChart {
            name: "不存在的图表".into(),
            path: tmp.path().join("x.png"),
        },
    );
    h.run();
    let (ok, msg) = toast(&h);
    assert!(!ok && msg.contains("不存在的图表"), "{msg}");
    assert!(!tmp.path().join("x.png").exists());
}
