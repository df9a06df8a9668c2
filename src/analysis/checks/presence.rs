//! Which standard tables a report publishes (missing, empty, or present).

#[allow(clippy::wildcard_imports)]
use super::*;

/// One row of the table manifest.
#[derive(Clone, Debug)]
pub(super) struct ManifestRow {
    pub(super) department: String,
    pub(super) year: i32,
    pub(super) stage: Stage,
    pub(super) doc: String,
    pub(super) table: String,
    pub(super) present: bool,
    pub(super) line: Option<i32>,
}

pub(super) fn manifest(ds: &Dataset) -> Result<Vec<ManifestRow>> {
    let df = &ds.tables.tables;
    let deps = strings(df, "department")?;
    let years = ints(df, "year")?;
    let stages = strings(df, "stage")?;
    let tables = strings(df, "source_table")?;
    let present = bools(df, "present")?;
    let docs = strings(df, "source_doc")?;
    let lines = ints(df, "source_line")?;
    let mut out = Vec::new();
    for i in 0..df.height() {
        let (Some(Some(year)), Some(stage)) = (
            years.get(i).copied(),
            stages.get(i).and_then(|s| Stage::from_key(s)),
        ) else {
            continue;
        };
        out.push(ManifestRow {
            department: deps.get(i).cloned().unwrap_or_default(),
            year,
            stage,
            doc: docs.get(i).cloned().unwrap_or_default(),
            table: tables.get(i).cloned().unwrap_or_default(),
            present: present.get(i).copied().unwrap_or(false),
            line: lines.get(i).copied().flatten(),
        });
    }
    Ok(out)
}

/// The nine standard tables of a 部门决算 and their titles.
pub const FINAL_TABLES: [(&str, &str); 9] = [
    ("公开01", "收入支出决算总表"),
    ("公开02", "收入决算表"),
    ("公开03", "支出决算表"),
    ("公开04", "财政拨款收入支出决算总表"),
    ("公开05", "一般公共预算财政拨款支出决算表"),
    ("公开06", "一般公共预算财政拨款基本支出决算表"),
    ("公开07", "一般公共预算财政拨款“三公”经费支出决算表"),
    ("公开08", "政府性基金预算财政拨款收入支出决算表"),
    ("公开09", "国有资本经营预算财政拨款支出决算表"),
];

/// Budget tables every 部门预算 must publish.
pub const BUDGET_TABLES: [(&str, &str); 3] = [
    ("预算表1", "收支总表"),
    ("预算表2", "收入总表"),
    ("预算表3", "支出总表"),
];

/// Required tables present; 政府性基金 / 国有资本经营 tables consistent with 公开04.
pub(super) fn table_presence(e: &mut Engine, manifest: &[ManifestRow]) {
    // each report's amount rows (indices), so a report never scans the whole table
    let mut by_report: std::collections::HashMap<ReportKey, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, r) in e.amounts.iter().enumerate() {
        by_report.entry(report_key(r)).or_default().push(i);
    }
    let mut reports: BTreeMap<(String, i32, Stage, String), Vec<&ManifestRow>> = BTreeMap::new();
    for m in manifest {
        reports
            .entry((
                m.department.clone(),
                m.year,
                m.stage,
                document(&m.doc).to_owned(),
            ))
            .or_default()
            .push(m);
    }
    for ((department, year, stage, doc), rows) in reports {
        let has = |t: &str| rows.iter().any(|r| r.table == t);
        let required: &[(&str, &str)] = if rows.iter().any(|r| r.table.starts_with("公开0")) {
            &FINAL_TABLES
        } else if rows.iter().any(|r| r.table.starts_with("预算表")) {
            &BUDGET_TABLES
        } else {
            &[]
        };
        for (id, title) in required {
            if !has(id) {
                e.findings.push(Finding {
                    rule: Rule::MissingTable,
                    severity: Severity::Error,
                    tables: vec![(*id).to_owned()],
                    department: department.clone(),
                    year,
                    stage,
                    location: doc.clone(),
                    expected: None,
                    actual: None,
                    difference: None,
                    message: format!("报告缺少 {id}「{title}」"),
                    target: None,
                    culprit: None,
                });
            }
        }
        // 08 / 09 against the 04 columns.
        for (fund, table, title) in [
            (
                Fund::GovFund,
                "公开08",
                "政府性基金预算财政拨款收入支出决算表",
            ),
            (
                Fund::StateCapital,
                "公开09",
                "国有资本经营预算财政拨款支出决算表",
            ),
        ] {
            let key: ReportKey = (department.clone(), year, stage, doc.clone());
            let rows_of = || {
                by_report
                    .get(&key)
                    .into_iter()
                    .flatten()
                    .filter_map(|&i| e.amounts.get(i))
            };
            let in_04 = rows_of().find(|r| {
                r.src.table == "公开04"
                    && r.measure == Some(Measure::Expenditure)
                    && r.fund == Some(fund)
                    && r.code.is_empty()
            });
            let Some(in_04) = in_04.cloned() else {
                continue;
            };
            let numbers: Vec<Rec> = rows_of()
                .filter(|r| r.src.table == table && !r.amount.is_zero())
                .cloned()
                .collect();
            let listed = rows.iter().find(|r| r.table == table);
            if in_04.amount.is_zero() && !numbers.is_empty() {
                let first = numbers.first().cloned();
                if let Some(f) = first {
                    e.flag(
                        Rule::FundTables,
                        Severity::Error,
                        &f,
                        format!("公开04 的该资金支出为 0，但 {table}「{title}」有数字"),
                        drill_target(&f),
                    );
                }
            } else if !in_04.amount.is_zero()
                && numbers.is_empty()
                && listed.is_some_and(|l| l.present || l.line.is_some())
            {
                e.flag(
                    Rule::FundTables,
                    Severity::Error,
                    &in_04,
                    format!(
                        "公开04 的该资金支出为 {} 万元，但 {table}「{title}」没有数字",
                        money(in_04.amount)
                    ),
                    drill_target(&in_04),
                );
            }
        }
    }
}
