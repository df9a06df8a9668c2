//! Project self-evaluation rules: execution rates, scores, stated rates.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Project self-evaluation figures.
pub(super) fn projects(ds: &Dataset, e: &mut Engine) -> Result<()> {
    let df = &ds.tables.projects;
    let deps = strings(df, "department")?;
    let years = ints(df, "year")?;
    let ids = strings(df, "project_id")?;
    let names = strings(df, "name")?;
    let units = strings(df, "unit")?;
    let budgets = decimals(df, "budget_full_year")?;
    let executed = decimals(df, "executed")?;
    let stated = decimals(df, "stated_rate")?;
    let scores = decimals(df, "score")?;
    let docs = strings(df, "source_doc")?;
    let tables = strings(df, "source_table")?;
    let lines = ints(df, "source_line")?;
    let labels = strings(df, "source_label")?;
    for i in 0..df.height() {
        let get = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
        let Some(Some(year)) = years.get(i).copied() else {
            continue;
        };
        let rec = Rec {
            department: get(&deps),
            unit: get(&units),
            scope: String::new(),
            year,
            stage: Stage::Final,
            measure: None,
            fund: None,
            classification: None,
            code: String::new(),
            name: format!("{} {}", get(&units), get(&names)),
            nature: None,
            key: get(&ids),
            is_subtotal: false,
            amount: Decimal::ZERO,
            source_unit: String::new(),
            src: SourceRef {
                doc: get(&docs),
                table: get(&tables),
                line: lines.get(i).copied().flatten(),
                label: format!("{} {}", get(&labels), get(&names)),
                flags: String::new(),
                note: String::new(),
            },
        };
        let target = Some(Target::Project {
            selection: selection(&rec),
            project_id: rec.key.clone(),
        });
        let budget = budgets.get(i).copied().flatten();
        let exec = executed.get(i).copied().flatten();
        for (what, v) in [("全年预算数", budget), ("执行数", exec)] {
            if let Some(v) = v.filter(|v| v.is_sign_negative() && !v.is_zero()) {
                e.flag(
                    Rule::ProjectValues,
                    Severity::Error,
                    &rec,
                    format!("项目{what}为负数 {} 万元", money(v)),
                    target.clone(),
                );
            }
        }
        if let Some(s) = scores.get(i).copied().flatten()
            && (s.is_sign_negative() || s > Decimal::from(100))
        {
            e.flag(
                Rule::ProjectValues,
                Severity::Error,
                &rec,
                format!("自评得分 {s} 超出 0–100"),
                target.clone(),
            );
        }
        if let (Some(b), Some(x)) = (budget, exec) {
            if x > b {
                e.findings.push(Finding {
                    rule: Rule::ProjectOverBudget,
                    severity: Severity::Warning,
                    tables: vec![rec.src.table.clone()],
                    department: rec.department.clone(),
                    year,
                    stage: Stage::Final,
                    location: Engine::location(&rec),
                    expected: Some(b),
                    actual: Some(x),
                    difference: Some(x - b),
                    message: format!("执行数 {} 万元超过全年预算数 {} 万元", money(x), money(b)),
                    target: target.clone(),
                    culprit: None,
                });
            }
            if let Some(rate) = stated.get(i).copied().flatten()
                && let Some(computed) = crate::model::ratio(x, b)
            {
                // The stated rate is printed to some precision (100%, 51.5%): equal after
                // rounding the computed rate to it is consistent; within one printed digit is
                // truncation (a note); beyond that the two disagree (a warning).
                let scale = rate.normalize().scale();
                let rounded = crate::analysis::frame::round(computed, scale);
                let diff = rate - computed;
                let digit = Decimal::new(1, scale);
                let severity = if rounded == rate.normalize() {
                    None
                } else if diff.abs() < digit {
                    Some(Severity::Note)
                } else {
                    Some(Severity::Warning)
                };
                if let Some(severity) = severity {
                    e.findings.push(Finding {
                        rule: Rule::ProjectRate,
                        severity,
                        tables: vec![rec.src.table.clone()],
                        department: rec.department.clone(),
                        year,
                        stage: Stage::Final,
                        location: Engine::location(&rec),
                        expected: Some(computed.round_dp(4)),
                        actual: Some(rate),
                        difference: Some(diff.round_dp(4)),
                        message: format!(
                            "所述执行率 {} 与执行数/全年预算数 {} 不符{}",
                            crate::model::format_percent(rate, 1),
                            crate::model::format_percent(computed, 2),
                            if severity == Severity::Note {
                                "（末位截尾差异）"
                            } else {
                                ""
                            }
                        ),
                        target: target.clone(),
                        culprit: None,
                    });
                }
            }
        }
    }
    Ok(())
}
