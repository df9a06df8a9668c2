//! A PDF report: its pages through the page model, read by the same grammar as report text,
//! locations and provenance naming the page.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Read a PDF report: its pages are built into the page model (ruled tables from the ruling
/// lines, other text by baseline), rendered to the line form and read by the same grammar as
/// report text. Locations and provenance name the page: `source_doc` is `<file>#page=<n>` and
/// `source_line` the line on that page. Pages without a text layer (scans) are listed in one
/// document-level issue; nothing is read from them.
pub fn read_report_pdf(file_name: &str, bytes: &[u8], hints: &Hints) -> ReportImport {
    read_report_pdf_with(
        file_name,
        bytes,
        hints,
        crate::ingest::pdf::Limits::default(),
    )
}

/// [`read_report_pdf`] within `limits`.
pub fn read_report_pdf_with(
    file_name: &str,
    bytes: &[u8],
    hints: &Hints,
    limits: crate::ingest::pdf::Limits,
) -> ReportImport {
    let pages = match crate::ingest::pdf::read_pdf(file_name, bytes, limits) {
        Ok(p) => p,
        Err(e) => {
            let mut r = read_report_text_with(file_name, b"", hints);
            r.issues.clear();
            r.issues.push(Issue {
                severity: Severity::Error,
                location: Location::file(file_name),
                message: e.to_string(),
            });
            return r;
        }
    };
    let rendered = pages.document.render();
    let mut imported = read_text(file_name, rendered.text.as_bytes(), hints);
    let locate = |loc: &mut Location| {
        if loc.file == file_name
            && let Some((page, line)) = loc.line.and_then(|l| rendered.locate(l))
        {
            loc.file = format!("{file_name}#page={page}");
            loc.line = Some(line);
        }
    };
    for issue in imported
        .missing_issue
        .iter_mut()
        .chain(imported.issues.iter_mut())
        .chain(
            imported
                .reports
                .iter_mut()
                .flat_map(|r| r.issues.iter_mut()),
        )
    {
        locate(&mut issue.location);
    }
    if let Some((page, _)) = imported.meta.title_line.and_then(|l| rendered.locate(l)) {
        imported.meta.title_page = Some(page);
    }
    for r in &mut imported.reports {
        if let Some((page, line)) = rendered.locate(r.line) {
            r.page = Some(page);
            r.line = line;
        }
    }
    imported.tables = match emit::relocate(&imported.tables, file_name, &|l| rendered.locate(l)) {
        Ok(t) => t,
        Err(e) => {
            imported.issues.push(Issue {
                severity: Severity::Error,
                location: Location::file(file_name),
                message: format!("内部错误：无法标注页码：{e}"),
            });
            imported.tables
        }
    };
    for p in &pages.problems {
        imported.issues.push(Issue {
            severity: Severity::Warning,
            location: Location::file(format!("{file_name}#page={}", p.page)),
            message: p.message.clone(),
        });
    }
    // pages skipped for a problem (reported above) are not "without a text layer"
    let blank: Vec<usize> = pages
        .document
        .pages_without_text()
        .into_iter()
        .filter(|n| !pages.problems.iter().any(|p| p.page == *n))
        .collect();
    if !blank.is_empty() {
        let all = blank.len() == pages.document.pages.len();
        imported.issues.push(Issue {
            severity: if all { Severity::Error } else { Severity::Note },
            location: Location::file(file_name),
            message: if all {
                format!(
                    "全部 {} 页都没有文字层（扫描件）；需要先做文字识别（OCR），未导入任何数字",
                    blank.len()
                )
            } else {
                format!(
                    "第 {} 页没有文字层（扫描页或图片），未读取",
                    page_list(&blank)
                )
            },
        });
    }
    imported.pages = pages.document.pages.len();
    judge(&mut imported);
    imported
}

/// `1, 2, 3, 5` → `1–3、5`.
pub(super) fn page_list(pages: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&a) = pages.get(i) {
        let mut b = a;
        while pages.get(i + 1) == Some(&(b + 1)) {
            b += 1;
            i += 1;
        }
        parts.push(if a == b {
            a.to_string()
        } else {
            format!("{a}–{b}")
        });
        i += 1;
    }
    parts.join("、")
}
