//! Layout detection: how a table line is cut into cells.
//!
//! Three layouts are recognised:
//! * **tab-separated** — any line of the chunk holds a tab; cells are split on tabs;
//! * **markdown pipe tables** — lines start with `|`; separator rows (`|---|`) are dropped;
//! * **space-aligned** (layout-preserving PDF text) — cells are runs of text separated by two or
//!   more spaces (a single space stays inside a cell, which is how OCR-split digits such as
//!   `321,163.1 5` survive). A cell's horizontal position is measured in **display columns**:
//!   East Asian wide and fullwidth characters (CJK ideographs, fullwidth punctuation, U+3000) count
//!   two columns, every other character one (`unicode-width`). Data cells are assigned to the
//!   header column they overlap most; a cell overlapping no header column goes to the nearest one.
//!   Several cells falling into one column are joined with a space (so a code printed as
//!   `208  05  01` under one `科目编码` header reads `208 05 01`).

use unicode_width::UnicodeWidthChar;

use crate::model::convert::to_i64;

/// The layout of a table chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Tab,
    Pipe,
    Spaced,
}

impl Layout {
    pub fn label(self) -> &'static str {
        match self {
            Layout::Tab => "制表符分隔",
            Layout::Pipe => "Markdown 表格",
            Layout::Spaced => "空格对齐",
        }
    }
}

/// A cell with its horizontal extent in display columns (`start..end`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Display width of one character (see the module documentation).
pub fn char_width(c: char) -> usize {
    if c == '\t' {
        return 1;
    }
    c.width().unwrap_or(0)
}

/// Remove every whitespace character (PDF extraction puts spaces inside CJK words).
pub fn nospace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether a line belongs to a table in the given layout.
pub fn is_table_line(line: &str, layout: Layout) -> bool {
    match layout {
        Layout::Tab => line.contains('\t'),
        Layout::Pipe => line.trim_start().starts_with('|'),
        Layout::Spaced => {
            if line.trim().is_empty() || is_page_number(line) {
                return false;
            }
            let spans = spaced_spans(line);
            // an indented single cell continues a table row (a wrapped name), unless it reads
            // like a sentence (an indented paragraph after the table)
            let indented = (line.starts_with("  ") || line.starts_with('\u{3000}'))
                && !line.contains('。')
                && line.trim().chars().map(char_width).sum::<usize>() < 40;
            indented || spans.len() >= 2
        }
    }
}

/// A page number printed alone on a line (`- 8 -`, `—9—`, `第 3 页`, `3/12`).
pub fn is_page_number(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() <= 12
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || matches!(c, '-' | '—' | '–' | '－' | '第' | '页' | '/' | '共' | '，' | ',')
        })
        && !t.contains('.')
        // `第10页，共45页`; a comma without 页 is a thousands separator
        && (!t.contains(['，', ',']) || t.contains('页'))
}

/// Decide the layout of a chunk from its lines.
pub fn detect(lines: &[&str]) -> Layout {
    if lines.iter().any(|l| l.contains('\t')) {
        Layout::Tab
    } else if lines
        .iter()
        .filter(|l| l.trim_start().starts_with('|'))
        .count()
        >= 2
    {
        Layout::Pipe
    } else {
        Layout::Spaced
    }
}

/// Cells of a tab-separated line.
pub fn tab_cells(line: &str) -> Vec<String> {
    line.split('\t').map(|c| c.trim().to_owned()).collect()
}

/// Cells of a pipe-table line; `None` for separator rows and rows with no content.
pub fn pipe_cells(line: &str) -> Option<Vec<String>> {
    let s = line.trim();
    let s = s.strip_prefix('|').unwrap_or(s);
    let s = s.strip_suffix('|').unwrap_or(s);
    let cells: Vec<String> = s.split('|').map(|c| c.trim().to_owned()).collect();
    let separator = cells.iter().all(|c| {
        let t = c.trim_start_matches(':').trim_end_matches(':');
        t.chars().all(|ch| ch == '-')
    });
    (!separator).then_some(cells)
}

/// Spans of a space-aligned line: runs separated by two or more spaces (or an ideographic space).
pub fn spaced_spans(line: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut col = 0usize;
    let mut cur = String::new();
    let mut cur_start = 0usize;
    let mut pending_spaces = 0usize; // spaces seen after the current text
    let mut pending_width = 0usize;
    for c in line.chars() {
        let w = char_width(c);
        let is_space = c == ' ';
        let hard_gap = c == '\u{3000}' || c == '\t';
        if is_space || hard_gap {
            pending_spaces += if hard_gap { 2 } else { 1 };
            pending_width += w.max(1);
            col += w.max(1);
            continue;
        }
        if !cur.is_empty() && pending_spaces >= 2 {
            let end = col - pending_width;
            spans.push(Span {
                text: std::mem::take(&mut cur),
                start: cur_start,
                end,
            });
        } else if !cur.is_empty() && pending_spaces == 1 {
            cur.push(' ');
        }
        if cur.is_empty() {
            cur_start = col;
        }
        pending_spaces = 0;
        pending_width = 0;
        cur.push(c);
        col += w;
    }
    if !cur.is_empty() {
        spans.push(Span {
            text: cur,
            start: cur_start,
            end: col - pending_width,
        });
    }
    spans
}

/// Assign spans to header columns (see the module documentation). Returns one cell per column.
pub fn align(spans: &[Span], columns: &[(usize, usize)]) -> Vec<String> {
    align_with(spans, columns, &[])
}

/// The columns of the body rows of a space-aligned table: the spans of all rows, intervals that
/// overlap joined.
pub fn body_clusters<'a>(rows: impl Iterator<Item = &'a [Span]>) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = rows.flatten().map(|s| (s.start, s.end)).collect();
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Header columns refined by the body's columns of amounts (`clusters` holding a figure printed
/// with a decimal point or thousands separator): a header column over several such clusters (a
/// group header such as 基本支出 over 人员经费 | 公用经费, its sub-headers printed on other header
/// lines) is split into them, and such a cluster under no header column becomes a column of its
/// own when a header line other than the defining one prints a label over it (`heads`: every
/// header span) that lies more over it than over any header column; so does a cluster of codes
/// only under no header column (a `科目代` / `码` header wrapped around the defining line). Other clusters (codes printed as `208  05  01` under one 科目编码) are left to
/// [`align_with`].
pub fn amount_columns<'a>(
    cols: &[(usize, usize)],
    heads: &[Span],
    clusters: &[(usize, usize)],
    rows: impl Iterator<Item = &'a [Span]>,
) -> Vec<(usize, usize)> {
    let overlap = |a: (usize, usize), b: (usize, usize)| a.1.min(b.1) > a.0.max(b.0);
    let is_amount = |t: &str| {
        let t = t.trim();
        !t.is_empty()
            && t.contains(['.', ','])
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'))
    };
    let rows: Vec<&[Span]> = rows.collect();
    let amounts: Vec<(usize, usize)> = clusters
        .iter()
        .copied()
        .filter(|&c| {
            rows.iter()
                .flat_map(|r| r.iter())
                .any(|s| overlap(c, (s.start, s.end)) && is_amount(&s.text))
        })
        .collect();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &col in cols {
        let under: Vec<(usize, usize)> = amounts
            .iter()
            .copied()
            .filter(|&c| overlap(c, col))
            .collect();
        let own = under
            .iter()
            .all(|&c| cols.iter().filter(|&&o| overlap(c, o)).count() == 1);
        if under.len() >= 2 && own {
            out.extend(under);
        } else {
            out.push(col);
        }
    }
    // clusters of codes only (`301`, `30101`), for code columns whose header is wrapped over
    // lines above and below the defining one (`科目代` / `码`)
    let is_code = |t: &str| (3..=7).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit());
    // (the codes' own extents: a footer label may run across the code and name columns)
    let mut codes: Vec<(usize, usize)> = Vec::new();
    let mut code_spans: Vec<(usize, usize)> = rows
        .iter()
        .flat_map(|r| r.iter())
        .filter(|s| is_code(s.text.trim()))
        .map(|s| (s.start, s.end))
        .collect();
    code_spans.sort_unstable();
    for (a, b) in code_spans {
        match codes.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => codes.push((a, b)),
        }
    }
    // a code interval shared with other text of the body rows is not a code column
    codes.retain(|&c| {
        rows.iter()
            .flat_map(|r| r.iter())
            .filter(|s| overlap(c, (s.start, s.end)))
            .filter(|s| !is_code(s.text.trim()))
            .count()
            <= 3
    });
    // an orphan is a column of its own only where a header line other than the defining one
    // prints a label over it (合计 | 项目支出 under a group header)
    for &c in amounts.iter().chain(&codes) {
        let orphan = !cols.iter().any(|&o| overlap(c, o));
        let width =
            |a: (usize, usize), b: (usize, usize)| a.1.min(b.1).saturating_sub(a.0.max(b.0));
        let labelled = heads
            .iter()
            .map(|h| (h.start, h.end))
            .any(|h| width(c, h) > 0 && cols.iter().all(|&o| width(h, o) < width(c, h)));
        if orphan && labelled {
            out.push(c);
        }
    }
    // likewise a column of text (科目名称 printed on a header line below the defining one, over
    // names no defining label covers): without it the names would go to the nearest column and
    // be read together with its figures
    let width = |a: (usize, usize), b: (usize, usize)| a.1.min(b.1).saturating_sub(a.0.max(b.0));
    for &c in clusters {
        if amounts.contains(&c) || out.iter().any(|&o| overlap(c, o)) {
            continue;
        }
        let labelled = heads
            .iter()
            .map(|h| (h.start, h.end))
            .any(|h| width(c, h) > 0 && out.iter().all(|&o| width(h, o) < width(c, h)));
        if labelled {
            out.push(c);
        }
    }
    // a carry-over label over no column and no body figure (年末结转和结余 over a column left
    // blank in every row) is a column of its own, so its words do not join the nearest column's
    // header and give that column's figures its meaning (group labels such as 收入 | 支出 over a
    // two-sided table still join theirs)
    for h in heads {
        let free = |o: &(usize, usize)| !overlap((h.start, h.end), *o);
        let carry = h.text.contains("结转") || h.text.contains("结余");
        if carry && out.iter().all(free) && clusters.iter().all(free) {
            out.push((h.start, h.end));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// [`align`], with the body rows' columns (`clusters`, see [`body_clusters`]) deciding where a
/// span that overlaps no header column goes: to the header column its cluster overlaps most, or
/// whose centre is nearest the cluster's — so a label left-aligned in a wide column whose header
/// is printed centred (公开01's right-hand 项目) is not taken for the column to its left.
pub fn align_with(
    spans: &[Span],
    columns: &[(usize, usize)],
    clusters: &[(usize, usize)],
) -> Vec<String> {
    let overlap =
        |a: (usize, usize), b: (usize, usize)| to_i64(a.1.min(b.1)) - to_i64(a.0.max(b.0));
    let via_cluster = |s: &Span| -> Option<usize> {
        let c = *clusters
            .iter()
            .find(|c| overlap(**c, (s.start, s.end)) > 0)?;
        let by_overlap = columns
            .iter()
            .enumerate()
            .map(|(i, col)| (i, overlap(*col, c)))
            .filter(|(_, o)| *o > 0)
            .max_by_key(|(_, o)| *o)
            .map(|(i, _)| i);
        by_overlap.or_else(|| {
            let centre = to_i64(c.0 + c.1);
            columns
                .iter()
                .enumerate()
                .min_by_key(|(_, col)| (to_i64(col.0 + col.1) - centre).abs())
                .map(|(i, _)| i)
        })
    };
    let mut cells = vec![String::new(); columns.len()];
    for s in spans {
        let overlaps_header = columns.iter().any(|c| overlap(*c, (s.start, s.end)) > 0);
        if !overlaps_header
            && !clusters.is_empty()
            && let Some(i) = via_cluster(s)
            && let Some(cell) = cells.get_mut(i)
        {
            if !cell.is_empty() {
                cell.push(' ');
            }
            cell.push_str(&s.text);
            continue;
        }
        let mut best: Option<(usize, i64)> = None; // (column, score): overlap > 0, else -distance
        for (i, &(a, b)) in columns.iter().enumerate() {
            let overlap = to_i64(s.end.min(b)) - to_i64(s.start.max(a));
            let score = if overlap > 0 {
                overlap
            } else {
                // distance between the intervals (negative score; closer is better)
                let gap = if s.end <= a {
                    a - s.end
                } else {
                    s.start.saturating_sub(b)
                };
                -to_i64(gap) - 1
            };
            if best.is_none_or(|(_, bs)| score > bs) {
                best = Some((i, score));
            }
        }
        if let Some((i, _)) = best
            && let Some(cell) = cells.get_mut(i)
        {
            if !cell.is_empty() {
                cell.push(' ');
            }
            cell.push_str(&s.text);
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn spans_measure_cjk_double() {
        let s = spaced_spans("科目  12.5 0   x");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].text, "科目");
        assert_eq!((s[0].start, s[0].end), (0, 4));
        assert_eq!(s[1].text, "12.5 0");
        assert_eq!((s[1].start, s[1].end), (6, 12));
        assert_eq!(s[2].start, 15);
    }

    #[test]
    fn align_by_overlap_and_distance() {
        let cols = [(0, 8), (10, 20), (24, 30)];
        let spans = spaced_spans("208  05   社会保险     12.00");
        let cells = align(&spans, &cols);
        assert_eq!(cells, vec!["208 05", "社会保险", "12.00"]);
    }

    #[test]
    fn page_numbers() {
        for t in [
            "- 8 -",
            "—9—",
            "第 3 页",
            "3/12",
            "第10页，共45页",
            "第3页，共45页",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["1,234", "12.50", "2026年", "合计 12"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    #[test]
    fn pipes() {
        assert_eq!(pipe_cells("|---|:--:|"), None);
        assert_eq!(
            pipe_cells("| a | 1, 2 |").unwrap(),
            vec!["a".to_owned(), "1, 2".to_owned()]
        );
    }
}
