//! The window frame: top bar (dataset, department, year, stage, unit), left navigation, and the
//! current view in the centre.

use crate::model::{Fund, MoneyUnit, Stage};
use crate::state::ask::AskForm;
use crate::state::{AppData, AppState, Command, Route};
use crate::ui::pages::{Pages, ViewContext};
use crate::ui::theme;

/// Read-only access for drawing the chrome.
struct Chrome<'a> {
    state: &'a AppState,
    data: &'a AppData,
    /// The views in navigation order: (id, label).
    nav: Vec<(Route, &'static str)>,
    /// The current view's id, whether the 资金来源 filter applies to it, and whether it shows
    /// figures per 单位 itself.
    route: Route,
    uses_fund: bool,
    per_unit: bool,
}

impl Chrome<'_> {
    fn selection(&self) -> Option<crate::analysis::overview::Selection> {
        self.state.selection()
    }
}

/// Draw the whole window; returns the commands the user issued.
pub fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    pages: &mut Pages,
    ask: &mut Option<AskForm>,
) -> Vec<Command> {
    let page = pages.current(&state.route);
    let app = &Chrome {
        state,
        data,
        nav: pages.pages.iter().map(|p| (p.route(), p.label())).collect(),
        route: page.map(super::pages::Page::route).unwrap_or_default(),
        uses_fund: page.is_some_and(super::pages::Page::uses_fund),
        per_unit: page.is_some_and(super::pages::Page::per_unit),
    };
    let mut commands = Vec::new();
    if data.capture.is_some()
        && let Some(sel) = app.selection()
    {
        crate::ui::widgets::set_capture_caption(
            ui.ctx(),
            format!(
                "{} · {} 年{} · {}",
                sel.department,
                sel.year,
                sel.stage.label(),
                data.dataset.name
            ),
        );
    }
    egui::Panel::top("top_bar").show(ui, |ui| {
        top_bar(ui, app, &mut commands);
    });
    egui::Panel::left("nav")
        .resizable(false)
        .exact_size(132.0)
        .show(ui, |ui| {
            nav(ui, app, &mut commands);
        });
    import_window(ui, state, data, &mut commands);
    if let Some(form) = ask.as_mut() {
        let report = data.import_notice.as_ref().map(|n| n.report.as_str());
        crate::ui::ask::show(ui.ctx(), state.dark_mode, form, report, &mut commands);
    }
    // Not drawn while a chart is being captured, so no toast covers it.
    if data.capture.is_none() {
        crate::ui::toasts::show(ui.ctx(), &data.toasts, state.dark_mode, &mut commands);
    }
    if state.show_log {
        log_panel(ui, state, data);
    }
    egui::CentralPanel::default().show(ui, |ui| {
        for e in &data.errors {
            ui.colored_label(theme::palette(state.dark_mode).up, e);
        }
        unit_note(ui, app);
        jump_banner(ui, app, &mut commands);
        if let Some(page) = pages.current_mut(&state.route) {
            commands.extend(page.ui(ui, &ViewContext { state, data }));
        }
    });
    commands
}

fn top_bar(ui: &mut egui::Ui, app: &Chrome<'_>, commands: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.heading("部门财务透视");
        ui.separator();
        let label = ui.label("数据集");
        // a dataset holding 存疑 tables says how many wherever it is named
        let shown = |ds: &crate::dataset::Dataset| {
            if ds.doubtful_tables > 0 {
                format!("{}（※ {} 张表存疑）", ds.name, ds.doubtful_tables)
            } else {
                ds.name.clone()
            }
        };
        egui::ComboBox::from_id_salt("数据集")
            .selected_text(shown(&app.data.dataset))
            .width(360.0)
            .show_ui(ui, |ui| {
                for (i, ds) in app.data.datasets.iter().enumerate() {
                    if ui
                        .selectable_label(i == app.data.active, shown(ds))
                        .clicked()
                    {
                        commands.push(Command::SelectDataset(i));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if ui
            .button("打开文件…")
            .on_hover_text(
                "导入报告文本（.txt/.md）、Excel 报表或规范工作簿（.xlsx/.xls）、CSV、Parquet；可多选，也可把文件拖到窗口上（Ctrl+O）",
            )
            .clicked()
        {
            commands.extend(crate::ui::widgets::dialog_command(
                crate::ui::widgets::pick_files_dialog(),
                Command::OpenFiles,
            ));
        }
        if !app.state.recent.is_empty() {
            ui.menu_button("最近打开", |ui| {
                for paths in &app.state.recent {
                    let text = paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join("、");
                    if ui.button(text).clicked() {
                        commands.push(Command::OpenFiles(paths.clone()));
                        ui.close();
                    }
                }
            });
        }
        let mut show_log = app.state.show_log;
        if ui
            .toggle_value(&mut show_log, "导入日志")
            .on_hover_text("当前数据集读取时的信息、警告（含文件与行号）")
            .changed()
        {
            commands.push(Command::SetShowLog(show_log));
        }
        if app.data.busy && app.data.job.is_none() {
            crate::ui::widgets::quiet_spinner(ui)
                .on_hover_text("正在计算本视图的新结果；计算完成前显示上一次的结果");
            ui.label("正在计算…");
        }
        if let Some(job) = &app.data.job {
            crate::ui::widgets::quiet_spinner(ui);
            let (read, total) = job.progress();
            let files = if total > 1 {
                format!("已读 {read}/{total} 个文件，")
            } else {
                String::new()
            };
            ui.label(format!(
                "正在导入 {}…（{files}{} 秒）",
                job.what,
                job.started.elapsed().as_secs()
            ));
            if ui
                .button("取消导入")
                .on_hover_text("不再等待这次导入，其结果到达后将被丢弃")
                .clicked()
            {
                commands.push(Command::CancelJob);
            }
        }
        if app.data.active > 0
            && ui
                .button("移除此数据集")
                .on_hover_text("从本次会话中移除当前导入的数据集（不会删除或修改文件）")
                .clicked()
        {
            commands.push(Command::RemoveDataset(app.data.active));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let sel = app.selection();
        let department = sel
            .as_ref()
            .map(|s| s.department.clone())
            .unwrap_or_default();
        let label = ui.label("部门");
        egui::ComboBox::from_id_salt("部门")
            .selected_text(if department.is_empty() {
                "（无）"
            } else {
                department.as_str()
            })
            .width(240.0)
            // a click into the filter box keeps the list open
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
            .show_ui(ui, |ui| {
                // searchable: a city's dataset holds a hundred departments
                let all: Vec<String> = app.data.catalog.departments().cloned().collect();
                let id = egui::Id::unique("部门筛选");
                if let Some(d) =
                    crate::ui::widgets::picker::filtered_list(ui, id, &all, &department)
                {
                    ui.close();
                    commands.push(Command::SelectDepartment(d));
                }
            })
            .response
            .labelled_by(label.id);

        let year = sel.as_ref().map(|s| s.year);
        let label = ui.label("年度");
        egui::ComboBox::from_id_salt("年度")
            .selected_text(year.map_or_else(|| "（无）".to_owned(), |y| format!("{y} 年")))
            .width(90.0)
            .show_ui(ui, |ui| {
                for y in app.data.catalog.years(&department) {
                    let scope = app.data.catalog.scope(&department, y).unwrap_or_default();
                    if ui
                        .selectable_label(Some(y) == year, format!("{y} 年（{scope}）"))
                        .clicked()
                    {
                        commands.push(Command::SelectYear(y));
                    }
                }
            })
            .response
            .labelled_by(label.id);

        let stage = sel.as_ref().map(|s| s.stage);
        let available = year
            .map(|y| app.data.catalog.stages(&department, y))
            .unwrap_or_default();
        let label = ui.label("阶段");
        egui::ComboBox::from_id_salt("阶段")
            .selected_text(stage.map_or("（无）", Stage::label))
            .width(90.0)
            .show_ui(ui, |ui| {
                for s in Stage::ALL {
                    let enabled = available.contains(&s);
                    let tabled =
                        year.is_some_and(|y| app.data.catalog.is_tabled(&department, y, s));
                    let mut resp = ui
                        .add_enabled(
                            enabled,
                            egui::Button::selectable(Some(s) == stage, s.label()),
                        )
                        .on_disabled_hover_text("本年度无此阶段的数据");
                    if enabled && !tabled {
                        resp = resp.on_hover_text("本年度此阶段没有分类报表，只有正文或合计数字");
                    }
                    if resp.clicked() {
                        commands.push(Command::SelectStage(s));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(note) = &app.data.stage_note {
            let palette = crate::ui::theme::palette(app.state.dark_mode);
            ui.colored_label(palette.warn, "※ 阶段已随年度切换")
                .on_hover_text(note.as_str());
        }

        let units = year
            .map(|y| app.data.catalog.units(&department, y))
            .unwrap_or_default();
        let label = ui.label("单位");
        egui::ComboBox::from_id_salt("单位")
            .selected_text(app.state.org_unit.as_deref().unwrap_or("全部单位"))
            .width(110.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(app.state.org_unit.is_none(), "全部单位")
                    .clicked()
                {
                    commands.push(Command::SetOrgUnit(None));
                }
                for u in &units {
                    if ui
                        .selectable_label(app.state.org_unit.as_ref() == Some(u), u.as_str())
                        .clicked()
                    {
                        commands.push(Command::SetOrgUnit(Some(u.clone())));
                    }
                }
            })
            .response
            .labelled_by(label.id);

        let label = ui.label("资金来源");
        let applies = app.uses_fund;
        ui.add_enabled_ui(applies, |ui| {
            egui::ComboBox::from_id_salt("资金来源")
                .selected_text(app.state.fund.label())
                .width(110.0)
                .show_ui(ui, |ui| {
                    for f in Fund::FILTERS {
                        if ui
                            .selectable_label(app.state.fund == f, f.label())
                            .clicked()
                        {
                            commands.push(Command::SetFund(f));
                        }
                    }
                })
                .response
                .labelled_by(label.id)
                .on_disabled_hover_text(
                    "本视图的数据不分资金来源（三公经费与项目均为财政拨款口径）",
                );
        });

        let label = ui.label("金额单位");
        egui::ComboBox::from_id_salt("金额单位")
            .selected_text(app.state.unit.label())
            .width(70.0)
            .show_ui(ui, |ui| {
                for u in MoneyUnit::ALL {
                    if ui
                        .selectable_label(app.state.unit == u, u.label())
                        .clicked()
                    {
                        commands.push(Command::SetUnit(u));
                    }
                }
            })
            .response
            .labelled_by(label.id);

        ui.separator();
        let dark = app.state.dark_mode;
        if ui
            .button(if dark { "浅色主题" } else { "深色主题" })
            .on_hover_text("切换浅色 / 深色主题")
            .clicked()
        {
            commands.push(Command::SetDarkMode(!dark));
        }
        if ui
            .button("恢复默认布局")
            .on_hover_text("回到默认的视图、筛选、金额单位与主题（已导入的数据集保留）")
            .clicked()
        {
            commands.push(Command::ResetLayout);
        }
    });
    ui.add_space(4.0);
}

fn nav(ui: &mut egui::Ui, app: &Chrome<'_>, commands: &mut Vec<Command>) {
    ui.add_space(8.0);
    ui.label(egui::RichText::new("视图").strong());
    ui.add_space(4.0);
    for (route, label) in &app.nav {
        let selected = app.route == *route;
        if ui
            .add_sized(
                [ui.available_width(), 28.0],
                egui::Button::selectable(selected, *label),
            )
            .clicked()
        {
            commands.push(Command::Navigate(route.clone()));
        }
    }
}

/// After a jump from an audit finding: what the jump set for it, that leaving restores it, and
/// the way back.
fn jump_banner(ui: &mut egui::Ui, app: &Chrome<'_>, commands: &mut Vec<Command>) {
    let Some(j) = app.data.jump.as_ref().filter(|j| j.to == app.state.route) else {
        return;
    };
    let palette = theme::palette(app.state.dark_mode);
    ui.horizontal_wrapped(|ui| {
        let what = if j.changed.is_empty() {
            String::new()
        } else {
            format!("为定位该行临时设为{}；", j.changed.join("、"))
        };
        ui.colored_label(
            palette.accent,
            format!("来自审计检查：{what}离开本页时恢复原来的资金来源。"),
        );
        if ui
            .small_button("返回审计检查")
            .on_hover_text("回到审计检查，恢复跳转前的资金来源；年度与阶段未改动时也恢复")
            .clicked()
        {
            commands.push(Command::Navigate(j.from.clone()));
        }
    });
}

/// When a 单位 is selected that the current view has no figures of its own for, say which
/// unit's figures are shown instead.
fn unit_note(ui: &mut egui::Ui, app: &Chrome<'_>) {
    let (Some(unit), Some(sel)) = (&app.state.org_unit, app.selection()) else {
        return;
    };
    if app.per_unit {
        return;
    }
    let scope = app
        .data
        .catalog
        .scope(&sel.department, sel.year)
        .unwrap_or_default();
    if *unit != scope {
        ui.colored_label(
            theme::palette(app.state.dark_mode).warn,
            format!("「{unit}」未单独公布本视图的数据，以下为「{scope}」口径；按单位的项目执行见「分局执行」。"),
        );
    }
}

/// The report of the last import (kept until closed): what was read, and every warning and
/// error with its location.
fn import_window(ui: &mut egui::Ui, state: &AppState, data: &AppData, commands: &mut Vec<Command>) {
    let Some(notice) = data.import_notice.as_ref().filter(|n| n.open) else {
        return;
    };
    let palette = theme::palette(state.dark_mode);
    egui::Window::new("导入报告")
        .collapsible(false)
        // Below the top bar, so the dataset selector stays usable while the report is open.
        .anchor(egui::Align2::CENTER_TOP, [0.0, 96.0])
        .default_size([760.0, 420.0])
        .show(ui.ctx(), |ui| {
            ui.colored_label(
                if notice.ok { palette.down } else { palette.up },
                &notice.summary,
            );
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    ui.add(
                        egui::Label::new(egui::RichText::new(&notice.report).monospace()).wrap(),
                    );
                });
            ui.separator();
            if ui.button("关闭").clicked() {
                commands.push(Command::DismissImportReport);
            }
        });
}

/// The import log of the active dataset: every info and warning line with its location.
fn log_panel(ui: &mut egui::Ui, state: &AppState, data: &AppData) {
    let palette = theme::palette(state.dark_mode);
    egui::Panel::bottom("import_log")
        .resizable(true)
        .default_size(180.0)
        .show(ui, |ui| {
            let log = &data.dataset.log;
            let warnings = log.warnings().count();
            ui.label(
                egui::RichText::new(format!(
                    "导入日志 · {}（{} 条，警告 {warnings} 条）",
                    data.dataset.name,
                    log.entries.len()
                ))
                .strong(),
            );
            egui::ScrollArea::vertical()
                .id_salt("import_log_scroll")
                .show(ui, |ui| {
                    if log.entries.is_empty() {
                        ui.label("（没有记录）");
                    }
                    for e in &log.entries {
                        ui.colored_label(
                            palette.severity(e.level),
                            format!("{}  {}", e.level.label(), e.message),
                        );
                    }
                });
        });
}
