//! What leaves the app: the current view's table as exported, and chart screenshots.

#[allow(clippy::wildcard_imports)]
use super::*;

impl App {
    /// The table of the current view, as shown (drill-down or audit findings).
    pub fn current_table(&self) -> Option<export::ExportTable> {
        let unit = self.state.unit;
        let sel = self.selection()?;
        let title = format!(
            "{} · {} · {} · {} 年{}",
            self.data.dataset.name,
            self.state.route.label(),
            sel.department,
            sel.year,
            sel.stage.label()
        );
        match self.state.route {
            Route::Drill => {
                let d = self.data.drill.as_ref()?.value.as_ref().ok()?;
                let node = d
                    .table
                    .drill
                    .ancestors
                    .last()
                    .map_or_else(|| "全部（类）".to_owned(), |(c, n)| format!("{c} {n}"));
                let filters = format!(
                    "{} · 资金来源 {} · 支出性质 {} · 层级 {} · 金额单位 {}",
                    d.query.classification.label(),
                    d.query.fund.label(),
                    d.query.nature.label(),
                    node,
                    unit.label()
                );
                let view = &self.views.drill;
                let lines = ui::drill::sorted(&d.table.lines, view);
                let filters = format!(
                    "{filters} · 按{}{}排列",
                    view.sort.label(),
                    if view.descending { "降序" } else { "升序" }
                );
                Some(export::drill_table(&d.table, &lines, unit, title, filters))
            }
            Route::Checks => {
                let fs = self.data.checks.as_ref()?.value.as_ref().ok()?;
                let v = &self.views.checks;
                let (department, year) = (self.state.department.as_ref(), self.state.year);
                let shown: Vec<Finding> = v
                    .visible(fs, department, year)
                    .into_iter()
                    .flat_map(|(_, fs)| fs.into_iter().cloned())
                    .collect();
                let filters = format!(
                    "{} · 金额单位 {}",
                    v.describe(department, year),
                    unit.label()
                );
                Some(export::findings(&shown, unit, title, filters))
            }
            Route::Branches => {
                let bd = self.data.branches.as_ref()?.value.as_ref().ok()?;
                let v = &self.views.branches;
                let rows: Vec<&crate::analysis::branches::ProjectRow> = v
                    .visible_rows()
                    .iter()
                    .filter_map(|i| bd.report.projects.get(*i))
                    .collect();
                let f = v.filter();
                let mut parts = Vec::new();
                if !f.name_contains.trim().is_empty() {
                    parts.push(format!("名称包含「{}」", f.name_contains.trim()));
                }
                if let Some(r) = f.rate_below {
                    parts.push(format!("执行率低于 {}", crate::model::format_percent(r, 1)));
                }
                if let Some(sc) = f.score_below {
                    parts.push(format!("得分低于 {sc}"));
                }
                if !f.units.is_empty() {
                    parts.push(format!("单位：{}", f.units.join("、")));
                }
                if parts.is_empty() {
                    parts.push("全部项目".to_owned());
                }
                let filters = format!(
                    "{} · 显示 {} / {} 个项目 · 金额单位 {}",
                    parts.join("，"),
                    rows.len(),
                    bd.report.projects.len(),
                    unit.label()
                );
                Some(export::projects(&rows, unit, title, filters))
            }
            Route::Sangong => {
                let t = self.data.sangong.as_ref()?.value.as_ref().ok()?;
                let filters = format!("历年三公经费合计 · 金额单位 {}", unit.label());
                Some(export::sangong(t, unit, title, filters))
            }
            Route::Overview => {
                let ov = self.data.overview.as_ref()?.value.as_ref().ok()?;
                let filters = format!(
                    "口径 {} · 各指标与历年支出合计 · 金额单位 {}",
                    ov.scope.as_deref().unwrap_or("—"),
                    unit.label()
                );
                Some(export::overview(ov, unit, title, filters))
            }
            Route::Structure => {
                let r = self.data.structure.as_ref()?.value.as_ref().ok()?;
                let filters = format!(
                    "口径 {} · 资金来源 {} · 金额单位 {}",
                    r.main.scope.as_deref().unwrap_or("—"),
                    r.main.fund.label(),
                    unit.label()
                );
                // compare mode: both sides, as drawn side by side
                let compared = self
                    .state
                    .compare
                    .as_ref()
                    .and_then(|_| self.data.compare.as_ref()?.value.as_ref().ok());
                Some(match compared {
                    Some(other) => export::structure_compare(
                        &r.main,
                        other,
                        unit,
                        title,
                        format!("{filters} · 对比两组并列"),
                    ),
                    None => export::structure(r, unit, title, filters),
                })
            }
            Route::Progress => {
                let q = self.data.quarterly.as_ref()?.value.as_ref().ok()?;
                let filters = format!("累计执行进度与序时进度 · 金额单位 {}", unit.label());
                Some(export::quarterly(&q.rows, unit, title, filters))
            }
        }
    }

    pub(super) fn export_table(&self, path: &std::path::Path) -> Result<usize, String> {
        let table = self
            .current_table()
            .ok_or_else(|| "当前视图没有可导出的表格".to_owned())?;
        export::write(&table, path).map_err(|e| e.to_string())?;
        Ok(table.rows.len())
    }

    /// Drive a chart export: request the screenshot (in a frame, where the chart's rectangle is
    /// known), then crop and write it when it arrives, or give up after [`capture::TIMEOUT`].
    pub(super) fn poll_capture(&mut self, ctx: &egui::Context) {
        let Some(cap) = self.data.capture.take() else {
            return;
        };
        let now = self.data.now;
        match cap.step {
            capture::Step::Requested => {
                let Some((visible, full)) = ui::widgets::chart_rect(ctx, &cap.name) else {
                    self.notify(
                        Level::Error,
                        format!("导出失败：当前视图没有图表「{}」", cap.name),
                    );
                    return;
                };
                if visible.area() + 1.0 < full.area() {
                    self.notify(
                        Level::Warning,
                        format!("图表「{}」只有一部分在窗口内，导出的是可见部分", cap.name),
                    );
                }
                let (sender, receiver) = std::sync::mpsc::channel();
                let repaint = ctx.clone();
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
                    egui::ScreenshotCallback::new(move |image| {
                        // The app may be gone (closed); nothing to do then.
                        let _ = sender.send(image);
                        repaint.request_repaint();
                    }),
                ));
                ctx.request_repaint();
                self.data.capture = Some(capture::Capture {
                    step: capture::Step::Waiting {
                        rect: visible,
                        pixels_per_point: ctx.pixels_per_point(),
                        since: now,
                        receiver,
                    },
                    ..cap
                });
            }
            capture::Step::Waiting {
                rect,
                pixels_per_point,
                since,
                ref receiver,
            } => match receiver.try_recv() {
                Ok(image) => {
                    match capture::write_chart(&image, rect, pixels_per_point, &cap.path) {
                        Ok([w, h]) => self.notify(
                            Level::Success,
                            format!(
                                "已导出图表「{}」（{w}×{h} 像素）到 {}",
                                cap.name,
                                cap.path.display()
                            ),
                        ),
                        Err(e) => self.notify(Level::Error, format!("导出失败：{e}")),
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) if now - since < capture::TIMEOUT => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(50));
                    self.data.capture = Some(cap);
                }
                Err(_) => self.notify(
                    Level::Error,
                    format!("导出失败：渲染器没有返回图表「{}」的截图", cap.name),
                ),
            },
        }
    }
}
