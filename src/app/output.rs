//! What leaves the app: the current view's table as exported, and chart screenshots.

#[allow(clippy::wildcard_imports)]
use super::*;

impl App {
    /// The table of the current view, as shown (its rows sorted and filtered as drawn).
    pub fn current_table(&self) -> Option<crate::export::ExportTable> {
        let cx = pages::ViewContext {
            state: &self.state,
            data: &self.data,
        };
        self.pages.current(&self.state.route)?.export(&cx)
    }

    pub(super) fn export_table(&self, path: &std::path::Path) -> Result<usize, String> {
        let table = self
            .current_table()
            .ok_or_else(|| "当前视图没有可导出的表格".to_owned())?;
        crate::export::write(&table, path).map_err(|e| e.to_string())?;
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
                        Level::ERROR,
                        format!("导出失败：当前视图没有图表「{}」", cap.name),
                    );
                    return;
                };
                if visible.area() + 1.0 < full.area() {
                    self.notify(
                        Level::WARNING,
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
                        Err(e) => self.notify(Level::ERROR, format!("导出失败：{e}")),
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) if now - since < capture::TIMEOUT => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(50));
                    self.data.capture = Some(cap);
                }
                Err(_) => self.notify(
                    Level::ERROR,
                    format!("导出失败：渲染器没有返回图表「{}」的截图", cap.name),
                ),
            },
        }
    }
}
