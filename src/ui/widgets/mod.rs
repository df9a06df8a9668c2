//! Reusable widgets.

pub mod donut;
pub mod kpi_card;
pub mod picker;
pub mod sparkline;
pub mod targets;
pub mod treemap;

/// Grid marks at 0, 1, …, n−1 so a categorical axis labels every category.
pub fn category_marks(n: usize) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    move |_| {
        (0..n)
            .map(|i| egui_plot::GridMark {
                value: i as f64,
                step_size: 1.0,
            })
            .collect()
    }
}

/// A plot that shows data at a fixed scale: no zoom, drag or scroll (views compare figures, so
/// every chart keeps the scale it was drawn with).
pub fn fixed_plot<'a>(id: &str) -> egui_plot::Plot<'a> {
    egui_plot::Plot::new(id)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
}

/// Axis labels `2020 年` at the given years only.
pub fn year_axis(
    years: Vec<i32>,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let v = mark.value;
        if (v - v.round()).abs() < 1e-6 && years.contains(&(v.round() as i32)) {
            format!("{} 年", v.round() as i32)
        } else {
            String::new()
        }
    }
}

/// The value of a cached analysis result, or a visible message (`none_text` when nothing was
/// computed, `<what>计算失败：…` when the computation failed).
pub fn cached_value<'a, K, T>(
    ui: &mut egui::Ui,
    palette: &crate::ui::theme::Palette,
    slot: Option<&'a crate::state::Cached<K, T>>,
    none_text: &str,
    what: &str,
) -> Option<(&'a K, &'a T)> {
    let Some(cached) = slot else {
        ui.label(none_text);
        return None;
    };
    match &cached.value {
        Ok(v) => Some((&cached.key, v)),
        Err(e) => {
            ui.colored_label(palette.up, format!("{what}计算失败：{e}"));
            None
        }
    }
}

/// "`<year> 年没有…数据。查看：` [2020 年] [2021 年]" — buttons that select a year that has data.
pub fn offer_years(
    ui: &mut egui::Ui,
    message: &str,
    years: impl IntoIterator<Item = i32>,
    commands: &mut Vec<crate::state::Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(message);
        for y in years {
            if ui.button(format!("{y} 年")).clicked() {
                commands.push(crate::state::Command::SelectYear(y));
            }
        }
    });
}

/// A bold header row of a `Grid`.
pub fn header_row(ui: &mut egui::Ui, headers: &[&str]) {
    for h in headers {
        ui.label(egui::RichText::new(*h).strong());
    }
    ui.end_row();
}

/// An amount in the display unit without the unit label (for tables whose header names it).
pub fn amount_text(wan: rust_decimal::Decimal, unit: crate::model::MoneyUnit) -> String {
    unit.from_wan(wan).map_or_else(
        || crate::model::OUT_OF_RANGE.to_owned(),
        |d| crate::model::format_decimal_grouped(d, unit.display_decimals()),
    )
}

/// A figure's amount in a table cell: marked `※` in the warning colour when its table is 存疑 (the
/// hover text, its sources, says why); `strong` for total rows.
pub fn figure_label(
    ui: &mut egui::Ui,
    fig: &crate::analysis::figure::Figure,
    unit: crate::model::MoneyUnit,
    strong: bool,
    palette: &crate::ui::theme::Palette,
) -> egui::Response {
    let mut text = amount_text(fig.amount, unit);
    if fig.doubtful() {
        text.push_str(" ※");
    }
    let mut rich = egui::RichText::new(text);
    if strong {
        rich = rich.strong();
    }
    if fig.doubtful() {
        rich = rich.color(palette.warn);
    }
    ui.label(rich).on_hover_text(fig.describe_sources())
}

/// A change ratio as `+12.3%` / `-4.5%`.
pub fn change_text(ratio: rust_decimal::Decimal) -> String {
    let text = crate::model::format_percent(ratio.abs(), 1);
    if ratio.is_sign_negative() && !ratio.is_zero() {
        format!("-{text}")
    } else {
        format!("+{text}")
    }
}

/// A spinner that turns with the frames the app draws anyway, without asking for more (egui's
/// own asks for a new frame every time it is drawn, which keeps a software renderer busy while a
/// worker computes).
pub fn quiet_spinner(ui: &mut egui::Ui) -> egui::Response {
    let size = ui.spacing().interact_size.y;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    if ui.is_rect_visible(rect) {
        let time = ui.input(|i| i.time);
        let color = ui.visuals().strong_text_color();
        let radius = rect.height() / 2.0 - 2.0;
        let start = time * std::f64::consts::TAU;
        let points: Vec<egui::Pos2> = (0..=24)
            .map(|i| {
                let angle = start + f64::from(i) / 24.0 * std::f64::consts::PI * 1.5;
                let (sin, cos) = angle.sin_cos();
                rect.center() + radius * egui::vec2(cos as f32, sin as f32)
            })
            .collect();
        ui.painter()
            .add(egui::Shape::line(points, egui::Stroke::new(2.0, color)));
    }
    response
}

/// A view's text filter: a label, the box (Ctrl+F focuses it: `focus` is taken), labelled for
/// screen readers.
pub fn filter_box(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    width: f32,
    focus: &mut bool,
) -> egui::Response {
    let label = ui.label(label);
    let edit = ui
        .add(egui::TextEdit::singleline(text).desired_width(width))
        .labelled_by(label.id)
        .on_hover_text("Ctrl+F");
    if std::mem::take(focus) {
        edit.request_focus();
    }
    edit
}

/// A chart's legend as a wrapping row above it (so it never covers a bar): a swatch and a
/// label per entry `(key, label, colour)`; the `selected` entry is framed. Returns the key of
/// the entry clicked.
pub fn legend_row(
    ui: &mut egui::Ui,
    entries: &[(String, String, egui::Color32)],
    selected: Option<&str>,
) -> Option<String> {
    let mut clicked = None;
    ui.horizontal_wrapped(|ui| {
        for (key, label, color) in entries {
            let on = selected == Some(key.as_str());
            // the swatch and its label are one widget, so they wrap together
            let font = egui::TextStyle::Body.resolve(ui.style());
            let mut job = egui::text::LayoutJob::default();
            let format = |color| egui::TextFormat {
                font_id: font.clone(),
                color,
                ..Default::default()
            };
            job.append("■ ", 0.0, format(*color));
            job.append(label, 0.0, format(ui.visuals().text_color()));
            let resp = ui
                .selectable_label(on, job)
                .on_hover_text(format!("{label}：点击在本页突出显示，再点击取消"));
            if resp.clicked() {
                clicked = Some(key.clone());
            }
            ui.add_space(6.0);
        }
    });
    clicked
}

/// A horizontal share bar of `width` × 12 px, filled to `fraction` (0‥1).
pub fn share_bar(ui: &mut egui::Ui, fraction: f32, width: f32, color: egui::Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 12.0), egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
    let w = width * fraction.clamp(0.0, 1.0);
    if w > 0.0 {
        painter.rect_filled(
            egui::Rect::from_min_size(rect.min, egui::vec2(w.max(1.0), rect.height())),
            2.0,
            color,
        );
    }
}

/// The native "open" dialog for report and data files (multi-select).
/// Why the native file dialog cannot open on this system, if it cannot. On Linux, rfd uses the
/// xdg-desktop-portal over the D-Bus session bus and falls back to `zenity`; with neither, the
/// dialog would silently return nothing.
pub fn dialog_unavailable() -> Option<String> {
    if cfg!(target_os = "linux") {
        let dbus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
        let zenity = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("zenity").is_file()));
        if !dbus && !zenity {
            return Some(
                "无法打开系统文件对话框：本机既没有桌面门户（xdg-desktop-portal，经 D-Bus）也没有 zenity。\
                 可把文件拖到窗口上，或用命令行 fiscal-lens 文件… 打开；导出请安装 zenity。"
                    .to_owned(),
            );
        }
    }
    None
}

/// What a file dialog gave: the choice (`None` = cancelled) or why it could not open.
pub type DialogResult<T> = Result<Option<T>, String>;

/// Run a dialog unless it cannot open here.
fn dialog<T>(run: impl FnOnce() -> Option<T>) -> DialogResult<T> {
    match dialog_unavailable() {
        Some(why) => Err(why),
        None => Ok(run()),
    }
}

/// Turn a dialog's result into commands: `make` for a choice, a notification for a failure.
pub fn dialog_command<T>(
    result: DialogResult<T>,
    make: impl FnOnce(T) -> crate::state::Command,
) -> Option<crate::state::Command> {
    match result {
        Ok(Some(v)) => Some(make(v)),
        Ok(None) => None,
        Err(why) => Some(crate::state::Command::Notify(
            crate::state::toasts::Level::ERROR,
            why,
        )),
    }
}

pub fn pick_files_dialog() -> DialogResult<Vec<std::path::PathBuf>> {
    dialog(|| {
        rfd::FileDialog::new()
            .set_title("打开报告或数据文件")
            .add_filter(
                "全部支持的文件",
                &["pdf", "txt", "md", "xlsx", "xls", "csv", "parquet"],
            )
            .add_filter("PDF 报告", &["pdf"])
            .add_filter("报告文本", &["txt", "md"])
            .add_filter("Excel", &["xlsx", "xls"])
            .add_filter("CSV / Parquet", &["csv", "parquet"])
            .pick_files()
    })
}

/// The native "save" dialog for a table export (CSV or Excel by the chosen name).
pub fn save_table_dialog(name: &str) -> DialogResult<std::path::PathBuf> {
    dialog(|| {
        rfd::FileDialog::new()
            .set_title("导出表格")
            .add_filter("Excel 工作簿", &["xlsx"])
            .add_filter("CSV", &["csv"])
            .set_file_name(format!("{name}.xlsx"))
            .save_file()
    })
}

/// "导出表格…": asks where to save (CSV or Excel) and returns the export command.
pub fn export_button(
    ui: &mut egui::Ui,
    name: &str,
    commands: &mut Vec<crate::state::Command>,
) -> egui::Response {
    let response = ui.button("导出表格…").on_hover_text(
        "把当前表格导出为 CSV（UTF-8 带 BOM，Excel 可直接打开）或 Excel 工作簿（Ctrl+E）",
    );
    if response.clicked() {
        commands.extend(dialog_command(
            save_table_dialog(name),
            crate::state::Command::ExportTable,
        ));
    }
    response
}

/// The native "save" dialog for a chart image.
pub fn save_png_dialog(name: &str) -> DialogResult<std::path::PathBuf> {
    dialog(|| {
        rfd::FileDialog::new()
            .set_title("导出图表图片")
            .add_filter("PNG 图片", &["png"])
            .set_file_name(format!("{name}.png"))
            .save_file()
    })
}

fn caption_id() -> egui::Id {
    egui::Id::unique("fiscal_lens_chart_caption")
}

/// What an exported chart says it shows (dataset, department, year, stage); set by the shell
/// while a chart is being captured.
pub fn set_capture_caption(ctx: &egui::Context, caption: String) {
    ctx.data_mut(|d| d.insert_temp(caption_id(), caption));
}

fn chart_id(name: &str) -> egui::Id {
    egui::Id::unique(("fiscal_lens_chart", name))
}

/// Where the chart `name` was drawn in the last frame (points, clipped to what is visible) and
/// its full rectangle.
pub fn chart_rect(ctx: &egui::Context, name: &str) -> Option<(egui::Rect, egui::Rect)> {
    ctx.data(|d| d.get_temp::<(egui::Rect, egui::Rect)>(chart_id(name)))
}

/// A chart with its title row and an "导出图片…" button: draws `body` under the title and
/// records the section's rectangle so the chart can be exported as PNG. While an export is being
/// captured (`capturing`), the button is replaced by a caption saying what the chart shows, so
/// the picture carries its context and no button.
pub fn chart_section<R>(
    ui: &mut egui::Ui,
    capturing: bool,
    name: &str,
    title: egui::RichText,
    commands: &mut Vec<crate::state::Command>,
    body: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let section = ui.scope(|ui| {
        ui.horizontal(|ui| {
            // The row keeps the button's height when the caption replaces it, so the chart does
            // not move between the frame the export was asked in and the captured one.
            ui.set_min_height(
                ui.text_style_height(&egui::TextStyle::Button)
                    + 2.0 * ui.spacing().button_padding.y,
            );
            ui.label(title);
            if capturing {
                let caption: String = ui
                    .ctx()
                    .data(|d| d.get_temp(caption_id()))
                    .unwrap_or_default();
                ui.label(egui::RichText::new(caption).weak());
                return;
            }
            let button = ui
                .button("导出图片…")
                .on_hover_text(format!("把图表「{name}」导出为 PNG 图片"));
            if button.clicked() {
                commands.extend(dialog_command(save_png_dialog(name), |path| {
                    crate::state::Command::ExportChart {
                        name: name.to_owned(),
                        path,
                    }
                }));
            }
        });
        body(ui)
    });
    let full = section.response.rect.expand(4.0);
    let visible = full.intersect(ui.clip_rect());
    ui.ctx()
        .data_mut(|d| d.insert_temp(chart_id(name), (visible, full)));
    section.inner
}

/// Grid marks at "nice" steps (1, 2 or 5 × 10ⁿ) chosen so the axis shows about `labels` labelled
/// marks whatever the plot's height or range, with a finer unlabelled line halfway between them.
pub fn nice_spacer(labels: f64) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    egui_plot::uniform_grid_spacer(move |input| {
        let span = (input.bounds.1 - input.bounds.0).abs();
        let raw = if span > 0.0 && span.is_finite() {
            span / labels.max(1.0)
        } else {
            1.0
        };
        let magnitude = 10f64.powf(raw.log10().floor());
        let nice = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        [nice / 2.0, nice, nice * 10.0]
    })
}

/// The axis formatter naming categories at 0, 1, …, n−1 (empty elsewhere).
pub fn category_names(
    names: Vec<String>,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let v = mark.value;
        if (v - v.round()).abs() < 1e-6 && v >= 0.0 {
            names.get(v.round() as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

/// A horizontal bar chart's plot: one row per name (the first at the bottom), values from 0 to
/// `x_max` with labelled steps, no hover label of its own (its bars carry [`targets`]).
pub fn ranked_plot<'a>(
    id: &str,
    names: Vec<String>,
    x_max: f64,
    name_width: f32,
) -> egui_plot::Plot<'a> {
    let n = names.len();
    fixed_plot(id)
        .height((n as f32 * 20.0 + 40.0).max(160.0))
        .include_x(0.0)
        .include_x(x_max)
        .show_grid([true, false])
        .label_formatter(|_| None)
        .x_grid_spacer(nice_spacer(5.0))
        .y_grid_spacer(category_marks(n))
        .custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .label_spacing(14.0..=18.0)
                .min_thickness(name_width)
                .formatter(category_names(names)),
        ])
}

/// A value written just right of `x` at row `y`, on a background so grid lines do not run
/// through it.
pub fn bar_label(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    at: [f64; 2],
    text: &str,
    background: egui::Color32,
    strong: bool,
) {
    let mut rich = egui::RichText::new(format!(" {text} ")).background_color(background);
    if strong {
        rich = rich.strong();
    }
    plot_ui.text(
        egui_plot::Text::new("标注", egui_plot::PlotPoint::new(at[0], at[1]), rich)
            .anchor(egui::Align2::LEFT_CENTER),
    );
}
