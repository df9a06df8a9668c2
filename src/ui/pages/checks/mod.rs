//! 审计检查 view: the findings of the audit rules, grouped by rule with counts per severity,
//! filterable by severity and by the top bar's selection; each finding opens its row.

mod export;
mod page;

pub use page::{ChecksPage, ROUTE};

use std::collections::BTreeMap;

use egui::RichText;

use crate::analysis::checks::{Finding, Rule, Severity};
use crate::model::MoneyUnit;
use crate::state::{AppData, AppState, Cached, Command};
use crate::ui::theme::{self, Palette};
use crate::ui::widgets::{amount_text, cached_value};

/// Transient state of the view.
#[derive(Debug)]
pub struct ChecksViewState {
    pub show_errors: bool,
    pub show_warnings: bool,
    pub show_notes: bool,
    /// Only findings of the top bar's department and year.
    pub current_only: bool,
}

impl Default for ChecksViewState {
    fn default() -> Self {
        Self {
            show_errors: true,
            show_warnings: true,
            show_notes: true,
            current_only: false,
        }
    }
}

impl ChecksViewState {
    pub fn shows(&self, s: Severity) -> bool {
        match s {
            Severity::Error => self.show_errors,
            Severity::Warning => self.show_warnings,
            Severity::Note => self.show_notes,
        }
    }

    /// The findings the view shows, grouped by rule in the order drawn (rules with errors first,
    /// then warnings, then notes only): the severity boxes and 只看顶部所选部门与年度 applied.
    /// The export writes exactly these, in this order.
    pub fn visible<'a>(
        &self,
        findings: &'a [Finding],
        department: Option<&String>,
        year: Option<i32>,
    ) -> Vec<(Rule, Vec<&'a Finding>)> {
        let mut by_rule: BTreeMap<Rule, Vec<&Finding>> = BTreeMap::new();
        for f in findings
            .iter()
            .filter(|f| self.shows(f.severity))
            .filter(|f| {
                !self.current_only || (department == Some(&f.department) && year == Some(f.year))
            })
        {
            by_rule.entry(f.rule).or_default().push(f);
        }
        let mut rules: Vec<(Rule, Vec<&Finding>)> = by_rule.into_iter().collect();
        rules.sort_by_key(|(rule, fs)| {
            (
                fs.iter()
                    .map(|f| f.severity)
                    .min()
                    .unwrap_or(Severity::Note),
                *rule,
            )
        });
        rules
    }

    /// What the filters are, in words (for the export's header).
    pub fn describe(&self, department: Option<&String>, year: Option<i32>) -> String {
        let levels: Vec<&str> = Severity::ALL
            .into_iter()
            .filter(|s| self.shows(*s))
            .map(Severity::label)
            .collect();
        let mut text = format!("级别 {}", levels.join("、"));
        if self.current_only {
            text.push_str(&format!(
                " · 只看 {} {} 年",
                department.map_or("—", String::as_str),
                year.map_or_else(|| "—".to_owned(), |y| y.to_string())
            ));
        }
        text
    }
}

pub(super) fn show(
    ui: &mut egui::Ui,
    state: &AppState,
    data: &AppData,
    slot: Option<&Cached<u64, Vec<Finding>>>,
    view: &mut ChecksViewState,
    commands: &mut Vec<Command>,
) {
    let palette = theme::palette(state.dark_mode);
    let unit = state.unit;
    // the intro wraps inside the viewport (less the vertical scroll bar)
    let width = ui.available_width() - 18.0;
    // both ways: on a narrow window the last columns scroll into view instead of being cut off
    egui::ScrollArea::both()
        .id_salt("checks_scroll")
        .show(ui, |ui| {
            ui.heading(format!("审计检查 · {}", data.dataset.name));
            let Some((_, findings)) =
                cached_value(ui, &palette, slot, "尚未检查。", "审计检查")
            else {
                return;
            };
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            ui.allocate_ui_with_layout(
                egui::vec2(width, 0.0),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_max_width(width);
                    ui.add(egui::Label::new(
                        "核对各表的勾稽关系：差额不超过原表末位（万元两位小数的表为 0.01 万元，整数万元的表为 1 万元）记为尾数，超过则为错误；合法但可疑的情况为警告。",
                    ).wrap());
                },
            );
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("错误 {} 条", count(Severity::Error)))
                        .color(palette.up)
                        .strong(),
                );
                ui.label(
                    RichText::new(format!("警告 {} 条", count(Severity::Warning)))
                        .color(palette.warn)
                        .strong(),
                );
                ui.label(
                    RichText::new(format!("尾数/提示 {} 条", count(Severity::Note)))
                        .color(palette.muted)
                        .strong(),
                );
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("显示：");
                ui.checkbox(&mut view.show_errors, "错误");
                ui.checkbox(&mut view.show_warnings, "警告");
                ui.checkbox(&mut view.show_notes, "尾数/提示");
                ui.separator();
                ui.checkbox(&mut view.current_only, "只看顶部所选部门与年度");
                ui.separator();
                crate::ui::widgets::export_button(ui, "审计检查", commands);
            });
            ui.add_space(6.0);
            let rules = view.visible(findings, state.department(), state.year());
            if rules.is_empty() {
                ui.label(if findings.is_empty() {
                    "没有发现任何问题。"
                } else {
                    "当前筛选下没有结果。"
                });
                return;
            }
            for (rule, fs) in rules {
                rule_section(ui, rule, &fs, unit, &palette, commands);
            }
        });
}

/// The width the 说明 column wraps at.
const MESSAGE_WIDTH: f32 = 420.0;

fn rule_section(
    ui: &mut egui::Ui,
    rule: Rule,
    fs: &[&Finding],
    unit: MoneyUnit,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let n = |s: Severity| fs.iter().filter(|f| f.severity == s).count();
    let mut parts = Vec::new();
    for s in Severity::ALL {
        let c = n(s);
        if c > 0 {
            parts.push(format!("{} {c}", s.label()));
        }
    }
    let title = format!("{}（{}）", rule.label(), parts.join("，"));
    let worst = fs
        .iter()
        .map(|f| f.severity)
        .min()
        .unwrap_or(Severity::Note);
    egui::CollapsingHeader::new(
        RichText::new(title)
            .strong()
            .color(palette.severity(worst)),
    )
    .id_salt(rule.id())
    .default_open(worst != Severity::Note || fs.len() <= 12)
    .show(ui, |ui| {
        egui::Grid::new(("findings", rule.id()))
            .striped(true)
            .num_columns(7)
            .spacing(egui::vec2(12.0, 4.0))
            .show(ui, |ui| {
                for h in [
                    "级别".to_owned(),
                    "年度".to_owned(),
                    "位置（点击查看）".to_owned(),
                    format!("应为（{}）", unit.label()),
                    format!("公布（{}）", unit.label()),
                    "差额".to_owned(),
                    "说明".to_owned(),
                ] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for f in fs {
                    let severity = match f.culprit {
                        Some(c) => format!("{}·{}", f.severity.label(), c.label()),
                        None => f.severity.label().to_owned(),
                    };
                    let shown = ui.colored_label(palette.severity(f.severity), severity);
                    if let Some(c) = f.culprit {
                        shown.on_hover_text(match c {
                            crate::analysis::checks::Culprit::Reading => {
                                "所涉表格存疑：表内勾稽关系在读入的数字上不成立，可能是读取有误，请对照原表"
                            }
                            crate::analysis::checks::Culprit::Report => {
                                "所涉表格读取一致（表内勾稽关系成立），差异来自原报告本身"
                            }
                        });
                    }
                    ui.label(format!("{} {}", f.year, f.stage.label()));
                    let link = ui
                        .add(egui::Link::new(&f.location))
                        .on_hover_text(format!("表：{}", f.tables.join("、")));
                    match &f.target {
                        Some(t) => {
                            if link.clicked() {
                                commands.push(Command::OpenFinding(t.clone()));
                            }
                        }
                        None => {
                            link.on_hover_text("此问题没有可定位的行（例如缺少整张表）");
                        }
                    }
                    // Project rates are fractions, not money.
                    let money = |d: Option<rust_decimal::Decimal>| match (d, f.rule) {
                        (Some(v), Rule::ProjectRate) => crate::model::format_percent(v, 2),
                        (Some(v), _) => amount_text(v, unit),
                        (None, _) => "—".to_owned(),
                    };
                    ui.label(money(f.expected));
                    ui.label(money(f.actual));
                    ui.colored_label(palette.severity(f.severity), money(f.difference));
                    // the explanation wraps at a readable width (the area scrolls sideways)
                    ui.allocate_ui_with_layout(
                        egui::vec2(MESSAGE_WIDTH, 0.0),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            ui.set_max_width(MESSAGE_WIDTH);
                            ui.add(egui::Label::new(&f.message).wrap());
                        },
                    );
                    ui.end_row();
                }
            });
    });
}
