//! Reading each table found (a region) with the grammar of its kind, and the per-table report.

#[allow(clippy::wildcard_imports)]
use super::*;

/// `000_04e09bc6c251173f.txt` → `000`; `report.txt` → `report`.
pub(super) fn stem_of(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    match stem.split_once('_') {
        Some((head, _)) if !head.is_empty() => head.to_owned(),
        _ => stem.to_owned(),
    }
}

pub(super) fn new_ctx<'a>(
    file: &'a str,
    who: &Who,
    meta: &DocumentMeta,
    id: &str,
    unit: &'static str,
    out: &'a mut Out,
) -> Ctx<'a> {
    Ctx {
        file,
        who: who.clone(),
        stage: meta.stage.key(),
        id: id.to_owned(),
        unit,
        out,
        issues: Vec::new(),
        rows_read: 0,
    }
}

pub(super) fn finish(
    ctx: Ctx<'_>,
    id: &str,
    title: &str,
    line: usize,
    layout: &str,
    chunks: usize,
    unit_label: &str,
) -> TableReport {
    TableReport {
        verdict: None,
        verdict_note: String::new(),
        source_table: id.to_owned(),
        title: title.to_owned(),
        line,
        page: None,
        layout: layout.to_owned(),
        chunks,
        unit_label: unit_label.to_owned(),
        rows_read: ctx.rows_read,
        issues: ctx.issues,
    }
}

pub(super) fn read_regions(
    regions: &[Region],
    meta: &DocumentMeta,
    who: &Who,
    department: &str,
    stem: &str,
    out: &mut Out,
    reports: &mut Vec<TableReport>,
) {
    // economic names → codes, for 基本支出总表 rows printed by name only
    let econ_source = regions
        .iter()
        .find(|r| r.kind == Kind::BudgetGeneralEconomic)
        .or_else(|| regions.iter().find(|r| r.kind == Kind::FinalBasic));
    let econ_names = econ_source
        .map(|r| codes::economic_names(&r.chunks))
        .unwrap_or_default();
    let econ_from = econ_source.map_or("", |r| r.id.as_str());

    let mut inherited_unit: Option<String> = None;
    for region in regions {
        let mut issues = Vec::new();
        let unit_label = match &region.unit_label {
            Some(u) => {
                inherited_unit = Some(u.clone());
                u.clone()
            }
            None => {
                if let Some(u) = &inherited_unit {
                    issues.push(Issue {
                        severity: Severity::Note,
                        location: Location {
                            file: who.doc.clone(),
                            line: Some(region.title_line),
                            column: None,
                        },
                        message: format!("{} 未印单位，沿用前表单位 {u}", region.id),
                    });
                    u.clone()
                } else {
                    issues.push(Issue {
                        severity: Severity::Warning,
                        location: Location {
                            file: who.doc.clone(),
                            line: Some(region.title_line),
                            column: None,
                        },
                        message: format!("{} 未印单位，按万元读取", region.id),
                    });
                    String::new()
                }
            }
        };
        let unit: &'static str = if unit_label == "元" { "元" } else { "万元" };
        let stage = meta.stage.key();
        let mut ctx = new_ctx(&who.doc, who, meta, &region.id, unit, out);
        ctx.issues = issues;
        let chunks = &region.chunks;
        let mut note = String::new();
        match region.kind {
            Kind::FinalSummary => summary::read_two_sided(&mut ctx, chunks, "all", true),
            Kind::BudgetSummary => summary::read_two_sided(&mut ctx, chunks, "all", false),
            Kind::FinalFiscalSummary | Kind::BudgetFiscalSummary => {
                summary::read_two_sided(&mut ctx, chunks, "fiscal", false);
            }
            Kind::FinalRevenue
            | Kind::FinalExpenditure
            | Kind::BudgetExpenditure
            | Kind::FinalGeneralBudget
            | Kind::BudgetGeneralFunctional
            | Kind::BudgetGeneralEconomic
            | Kind::FinalGovFund
            | Kind::BudgetGovFund
            | Kind::FinalStateCapital
            | Kind::BudgetStateCapital => {
                if let Some(mut spec) = code_spec(region.kind) {
                    let title = layout::nospace(&region.title);
                    spec.basic_only = title.contains("基本支出") && !title.contains("项目");
                    codes::read_code_table(&mut ctx, chunks, spec, department);
                }
            }
            Kind::FinalBasic => codes::read_economic_groups(&mut ctx, chunks, "general_budget"),
            Kind::FinalSangong | Kind::BudgetSangong => misc::read_sangong(&mut ctx, chunks),
            Kind::BudgetRevenue => summary::read_revenue_by_unit(&mut ctx, chunks, department),
            Kind::BudgetBasic => {
                codes::read_basic_by_name(&mut ctx, chunks, department, &econ_names, econ_from);
            }
            Kind::BudgetProjects => codes::read_project_list(&mut ctx, chunks, stem),
            Kind::BudgetPerformance => note = "performance target table; not extracted".to_owned(),
            Kind::Quarterly => misc::read_quarterly(&mut ctx, chunks),
            Kind::ExpenditureDetail => misc::read_expenditure_detail(&mut ctx, chunks),
        }
        if note.is_empty() {
            note = manifest_note(region, ctx.rows_read);
        }
        let rows_read = ctx.rows_read;
        let issues = std::mem::take(&mut ctx.issues);
        drop(ctx);
        let manifest_stage = match region.kind {
            Kind::Quarterly | Kind::ExpenditureDetail => "final",
            _ => stage,
        };
        out.manifest(
            who,
            manifest_stage,
            &region.id,
            &region.title,
            &unit_label,
            &note,
            region.title_line,
        );
        reports.push(TableReport {
            verdict: None,
            verdict_note: String::new(),
            source_table: region.id.clone(),
            title: region.title.clone(),
            line: region.title_line,
            page: None,
            layout: region
                .chunks
                .first()
                .map_or("", |c| c.layout.label())
                .to_owned(),
            chunks: region.chunks.len(),
            unit_label,
            rows_read,
            issues,
        });
    }
}

/// Our own short note on a table for the manifest.
pub(super) fn manifest_note(region: &Region, rows_read: usize) -> String {
    let mut notes = Vec::new();
    if rows_read == 0 && region.says_nothing_occurred {
        notes.push("table prints no amounts (source states nothing occurred this year)".to_owned());
    } else if region.says_nothing_occurred {
        notes.push("all amounts 0 (source: no amounts this year)".to_owned());
    }
    if region.chunks.len() > 1 {
        notes.push(format!(
            "printed in {} page chunks with repeated headers",
            region.chunks.len()
        ));
    }
    notes.join("; ")
}

/// Classification, measure and fund of the tables listed by code (类/款/项 rows).
pub(super) fn code_spec(kind: Kind) -> Option<codes::CodeSpec> {
    let (classification, measure, fund) = match kind {
        Kind::FinalRevenue => ("functional", "revenue", "all"),
        Kind::FinalExpenditure | Kind::BudgetExpenditure => ("functional", "expenditure", "all"),
        Kind::FinalGeneralBudget | Kind::BudgetGeneralFunctional => {
            ("functional", "expenditure", "general_budget")
        }
        Kind::BudgetGeneralEconomic => ("economic", "expenditure", "general_budget"),
        Kind::FinalGovFund | Kind::BudgetGovFund => ("functional", "expenditure", "gov_fund"),
        Kind::FinalStateCapital | Kind::BudgetStateCapital => {
            ("functional", "expenditure", "state_capital")
        }
        _ => return None,
    };
    Some(codes::CodeSpec {
        classification,
        measure,
        fund,
        basic_only: false,
    })
}
