//! The department, year and kind a report does not print: what is missing, with candidates, and
//! the error that says so.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The facts the report does not print and no hint gave, with candidates; also takes the stage
/// from the table titles when the document title does not state the kind (said in an issue by
/// the caller through `meta.kind` staying `Unknown`).
pub(super) fn missing_facts(
    meta: &mut DocumentMeta,
    lines: &[&str],
    regions: &[Region],
    file_name: &str,
    hints: &Hints,
) -> meta::Missing {
    let titles: Vec<&str> = regions.iter().map(|r| r.title.as_str()).collect();
    let mut missing = meta::Missing::default();
    if meta.department.is_none() {
        missing.department = Some(meta::from_file_name(file_name).0.into_iter().collect());
    }
    if meta.year.is_none() {
        missing.year = Some(meta::year_candidates(lines, &titles, file_name));
    }
    if meta.kind == ReportKind::Unknown && hints.stage.is_none() {
        if regions.is_empty() {
            // only project self-evaluation content: its figures are executed amounts
            meta.kind = ReportKind::PerformanceEvaluation;
            meta.stage = crate::model::Stage::Final;
            return missing;
        }
        match meta::stage_of_tables(&titles) {
            Some(stage) => {
                meta.stage = stage;
                meta.kind = if stage == crate::model::Stage::Final {
                    ReportKind::FinalAccounts
                } else {
                    ReportKind::Budget
                };
            }
            None => missing.stage = Some(Vec::new()),
        }
    }
    missing
}

/// The error for a report whose department, year or kind is not printed.
pub fn missing_message(missing: &meta::Missing) -> String {
    let mut m = format!(
        "报告中找不到{}；未导入任何数字（不按猜测的值存储），请在导入时指定",
        missing.names()
    );
    let mut flags = Vec::new();
    if let Some(c) = &missing.department {
        flags.push(match c.first() {
            Some(d) => format!("--department（文件名中有“{d}”）"),
            None => "--department".to_owned(),
        });
    }
    if let Some(c) = &missing.year {
        let years: Vec<String> = c.iter().map(ToString::to_string).collect();
        flags.push(if years.is_empty() {
            "--year".to_owned()
        } else {
            format!("--year（文中或文件名中出现 {}）", years.join("、"))
        });
    }
    if missing.stage.is_some() {
        flags.push("--stage budget|final".to_owned());
    }
    m.push_str(&format!("（命令行：{}）", flags.join(" ")));
    m
}
