#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::format_collect
)]
//! Audit checks: the built-in data has no errors and reports its genuine 尾数; every rule fires
//! on a copy of the built-in tables with one published figure changed (or a table removed).

mod common;

use common::{bin, d};

use fiscal_lens::analysis::checks::{Finding, Rule, Severity, check};
use fiscal_lens::dataset::Dataset;
use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");

/// A copy of the built-in tables with `edits` applied: (file, marker, old, new) replaces `old`
/// by `new` on the one line containing `marker` (`new` = None deletes the line).
fn tampered(edits: &[(&str, &str, &str, Option<&str>)]) -> (tempfile::TempDir, Dataset) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(SAMPLE).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let mut text = std::fs::read_to_string(&path).unwrap();
        for (file, marker, old, new) in edits {
            if *file != name {
                continue;
            }
            let hits = text.lines().filter(|l| l.contains(marker)).count();
            assert_eq!(hits, 1, "{marker:?} must match exactly one line of {file}");
            text = text
                .lines()
                .filter_map(|l| {
                    if !l.contains(marker) {
                        return Some(l.to_owned());
                    }
                    new.map(|n| {
                        assert!(l.contains(old), "{old:?} not on the line {l:?}");
                        l.replacen(old, n, 1)
                    })
                })
                .collect::<Vec<_>>()
                .join("\n");
            text.push('\n');
        }
        std::fs::write(dir.path().join(&name), text).unwrap();
    }
    let ds = Dataset::from_dir(dir.path()).unwrap();
    (dir, ds)
}

fn of(findings: &[Finding], rule: Rule, severity: Severity) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.rule == rule && f.severity == severity)
        .collect()
}

#[test]
fn builtin_has_no_errors_and_reports_the_cent_differences() {
    let findings = check(&Dataset::builtin().unwrap()).unwrap();
    let errors = of(&findings, Rule::Hierarchy, Severity::Error);
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        findings.iter().all(|f| f.severity != Severity::Error),
        "{:#?}",
        findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect::<Vec<_>>()
    );
    // 公开06 公用经费: 302 4,120.55 + 310 4.86 = 4,125.41 vs stated 4,125.42.
    let public = of(&findings, Rule::EconomicComposition, Severity::Note);
    assert_eq!(public.len(), 1, "{public:#?}");
    assert_eq!(public[0].expected, Some(d("4125.41")));
    assert_eq!(public[0].actual, Some(d("4125.42")));
    assert_eq!(public[0].difference, Some(d("0.01")));
    assert_eq!(public[0].tables, vec!["公开06".to_owned()]);
    // 公开02 208: children 63,682.78 vs 63,682.77.
    let h208 = of(&findings, Rule::Hierarchy, Severity::Note)
        .into_iter()
        .find(|f| f.tables == vec!["公开02".to_owned()] && f.location.contains("208 社会保障"))
        .expect("公开02 208 note");
    assert_eq!(h208.expected, Some(d("63682.78")));
    assert_eq!(h208.actual, Some(d("63682.77")));
    assert!(h208.location.contains("第 101 行"), "{}", h208.location);
    // Whole-万元 budget tables: 预算表3 5,104 + 293,343 vs 298,448 is a 尾数 note, not an error.
    assert!(
        of(&findings, Rule::RowSum, Severity::Note)
            .iter()
            .any(|f| f.tables == vec!["预算表3".to_owned()] && f.difference == Some(d("1")))
    );
    // 预算表6: the 城乡社区支出 amount is blank in the source: a warning that says so.
    let blank = of(&findings, Rule::Hierarchy, Severity::Warning);
    assert_eq!(blank.len(), 1, "{blank:#?}");
    assert!(
        blank[0].message.contains("212 城乡社区支出"),
        "{}",
        blank[0].message
    );
    // Project (76): stated 51.5% vs 50.15% computed.
    assert!(
        of(&findings, Rule::ProjectRate, Severity::Warning)
            .iter()
            .any(|f| f.actual == Some(d("0.515")) && f.expected == Some(d("0.5015")))
    );
}

/// One changed figure → an error (or warning) of the expected rule; the untouched data has none.
#[test]
fn every_rule_fails_on_a_changed_figure() {
    let pristine = check(&Dataset::builtin().unwrap()).unwrap();
    type Case = (
        Rule,
        Severity,
        Vec<(
            &'static str,
            &'static str,
            &'static str,
            Option<&'static str>,
        )>,
    );
    let cases: Vec<Case> = vec![
        (
            Rule::RevenueTotal,
            Severity::Error,
            vec![("revenue.csv", ",公开01,53,", "3401.34", Some("3501.34"))],
        ),
        (
            Rule::RevenueGrandTotal,
            Severity::Error,
            vec![("revenue.csv", ",公开01,77,", "321567.07", Some("321667.07"))],
        ),
        (
            Rule::ExpenditureGrandTotal,
            Severity::Error,
            vec![("totals.csv", ",公开01,75,", "403.92", Some("503.92"))],
        ),
        (
            Rule::GrandTotalsEqual,
            Severity::Error,
            vec![("totals.csv", ",公开01,77,", "321567.07", Some("321567.17"))],
        ),
        (
            Rule::Hierarchy,
            Severity::Error,
            vec![(
                "amounts.csv",
                "kuan,total,49434.68,万元,000_04e09bc6c251173f.txt,公开03",
                "49434.68",
                Some("49934.68"),
            )],
        ),
        (
            Rule::RowSum,
            Severity::Error,
            vec![(
                "amounts.csv",
                "lei,basic,26917.25,万元,000_04e09bc6c251173f.txt,公开03",
                "26917.25",
                Some("26927.25"),
            )],
        ),
        (
            Rule::CrossTable,
            Severity::Error,
            vec![(
                "amounts.csv",
                "total,total,68683.81,万元,000_04e09bc6c251173f.txt,公开05,250",
                "68683.81",
                Some("68693.81"),
            )],
        ),
        (
            Rule::EconomicComposition,
            Severity::Error,
            vec![(
                "totals.csv",
                ",公开06,322,人员经费合计",
                "31027.14",
                Some("31127.14"),
            )],
        ),
        (
            Rule::Sangong,
            Severity::Error,
            vec![(
                "sangong.csv",
                "2020,final,vehicle,51.27",
                "51.27",
                Some("52.27"),
            )],
        ),
        (
            Rule::Sangong,
            Severity::Error,
            vec![(
                "sangong.csv",
                "2020,final,reception,1.43",
                "1.43",
                Some("-1.43"),
            )],
        ),
        (
            Rule::Procurement,
            Severity::Error,
            vec![(
                "totals.csv",
                "2020,final,all,procurement_goods,",
                "281.61",
                Some("381.61"),
            )],
        ),
        (
            Rule::RevenueSubtotal,
            Severity::Error,
            vec![("revenue.csv", ",gb_basic,", "5104", Some("5204"))],
        ),
        (
            Rule::ProjectOverBudget,
            Severity::Warning,
            vec![(
                "projects.csv",
                ",000#1,1,",
                "4460.35,4460.35,1,100",
                Some("4460.35,4560.35,1.0224,100"),
            )],
        ),
        (
            Rule::ProjectValues,
            Severity::Error,
            vec![(
                "projects.csv",
                ",000#1,1,",
                "4460.35,1,100,",
                Some("4460.35,1,120,"),
            )],
        ),
        (
            Rule::ProjectRate,
            Severity::Warning,
            vec![(
                "projects.csv",
                ",000#1,1,",
                "4460.35,1,100,",
                Some("4460.35,0.9,100,"),
            )],
        ),
        (
            Rule::NarrativeVsTable,
            Severity::Warning,
            // The 公开07 actual total re-labelled as a narrative figure of a different amount,
            // next to an unchanged table row: the narrative and the table disagree.
            vec![(
                "sangong.csv",
                "2020,final,abroad,0,万元",
                "2020,final,abroad,0,万元,000_04e09bc6c251173f.txt,公开07",
                Some("2020,final,total,60.00,万元,000_04e09bc6c251173f.txt,正文"),
            )],
        ),
    ];
    for (rule, severity, edits) in cases {
        assert!(
            of(&pristine, rule, severity).is_empty() || severity != Severity::Error,
            "{rule:?} already fails on the built-in data"
        );
        let before = of(&pristine, rule, severity).len();
        let (_dir, ds) = tampered(&edits);
        let findings = check(&ds).unwrap();
        let hits = of(&findings, rule, severity);
        assert!(
            hits.len() > before,
            "{rule:?}/{severity:?} did not fire for {edits:?}"
        );
        for f in hits {
            assert!(!f.message.is_empty() && !f.tables.is_empty());
        }
    }
}

#[test]
fn missing_expenditure_table_is_an_error_naming_it() {
    let (_dir, ds) = tampered(&[("tables.csv", ",公开03,支出决算表,", "", None)]);
    let findings = check(&ds).unwrap();
    let missing = of(&findings, Rule::MissingTable, Severity::Error);
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0].tables, vec!["公开03".to_owned()]);
    assert!(
        missing[0].message.contains("支出决算表"),
        "{}",
        missing[0].message
    );
}

#[test]
fn fund_table_without_numbers_where_04_has_an_amount() {
    // Drop every 公开08 number: 公开04 still shows 249,078.00 of 政府性基金 expenditure.
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(SAMPLE).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let kept: String = text
            .lines()
            .filter(|l| !(path.ends_with("amounts.csv") && l.contains(",公开08,")))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(dir.path().join(path.file_name().unwrap()), kept).unwrap();
    }
    let findings = check(&Dataset::from_dir(dir.path()).unwrap()).unwrap();
    let hits = of(&findings, Rule::FundTables, Severity::Error);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert!(hits[0].message.contains("公开08"), "{}", hits[0].message);
    assert!(
        of(
            &check(&Dataset::builtin().unwrap()).unwrap(),
            Rule::FundTables,
            Severity::Error
        )
        .is_empty()
    );
}

#[test]
fn cli_check_json_and_exit_codes() {
    let out = bin().args(["check", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "built-in data has no errors");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let public = findings
        .iter()
        .find(|f| f["rule"] == "economic_composition")
        .unwrap();
    assert_eq!(public["severity"], "note");
    assert_eq!(public["expected"], "4125.41");
    assert_eq!(public["actual"], "4125.42");
    assert_eq!(public["difference"], "0.01");
    assert_eq!(public["tables"][0], "公开06");
    for key in ["location", "message"] {
        assert!(public[key].as_str().is_some_and(|s| !s.is_empty()));
    }

    // Errors found → exit 1.
    let (dir, _) = tampered(&[("revenue.csv", ",公开01,53,", "3401.34", Some("3501.34"))]);
    let out = bin()
        .args(["check", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("revenue_total"), "{text}");

    // Cannot run → exit 2 with the reason.
    let out = bin()
        .args(["check", Path::new(SAMPLE).join("nope").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
