//! The page model every report input is reduced to: a report is pages of lines, and a line is
//! either **text** (spans with horizontal positions — prose, titles, or the rows of a table
//! printed without ruling lines) or a **row of a ruled table** (one cell per grid column).
//!
//! PDF pages are built here from positioned glyphs and ruling lines ([`geometry`]); text inputs
//! are already lines. The table grammar of [`crate::ingest::report`] reads the page model through
//! its line form ([`Document::render`]): a ruled row becomes one tab-separated line (one field per
//! grid column, a merged cell's text in its first column), a text line a space-aligned line whose
//! display columns follow the spans' x positions (so column alignment survives for tables
//! without ruling lines). Every rendered line keeps its page and its line number on that page.

pub mod geometry;

use crate::model::convert::{round_to_u32, round_to_usize};

/// A run of text on a line, with its horizontal extent in points from the page's left edge.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
}

/// One line of a page.
#[derive(Clone, Debug, PartialEq)]
pub enum Line {
    /// Text outside ruled tables; `size` is the median glyph size (points).
    Text { spans: Vec<Span>, size: f32 },
    /// A row of a ruled table: `table` numbers the grids of the page, `cells` has one entry per
    /// grid column (a merged cell's text in its first column, the others empty).
    Row { table: usize, cells: Vec<String> },
}

/// One page: its 1-based number and its lines from top to bottom.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub number: usize,
    pub lines: Vec<Line>,
    /// Whether the page has any text at all (a scanned page has none).
    pub has_text: bool,
}

/// A report as pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub pages: Vec<Page>,
}

/// The line form of a document: the text the grammar reads, and for each of its lines (0-based)
/// the page and the 1-based line number on that page.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub text: String,
    pub origin: Vec<(usize, usize)>,
}

impl Rendered {
    /// Page and line on the page of a 1-based rendered line.
    pub fn locate(&self, line: usize) -> Option<(usize, usize)> {
        line.checked_sub(1)
            .and_then(|i| self.origin.get(i))
            .copied()
    }
}

/// Width in points of one display column when text lines are laid out (half an em).
fn column_width(size: f32) -> f32 {
    (size / 2.0).max(1.0)
}

impl Document {
    /// Pages without any text (scanned pages).
    pub fn pages_without_text(&self) -> Vec<usize> {
        self.pages
            .iter()
            .filter(|p| !p.has_text)
            .map(|p| p.number)
            .collect()
    }

    /// The line form read by the table grammar (see the module documentation).
    pub fn render(&self) -> Rendered {
        let mut out = Rendered::default();
        for page in &self.pages {
            // one column width per page (its most common text size), so that lines set in
            // different sizes (a header in 9 pt over figures in 10 pt) keep their x positions
            // in the same columns
            let size = common_size(&page.lines);
            for (k, line) in page.lines.iter().enumerate() {
                let text = match line {
                    Line::Row { cells, .. } => cells
                        .iter()
                        .map(|c| c.replace(['\t', '\n'], " "))
                        .collect::<Vec<_>>()
                        .join("\t"),
                    Line::Text { spans, .. } => layout_spans(spans, size),
                };
                out.text.push_str(&text);
                out.text.push('\n');
                out.origin.push((page.number, k + 1));
            }
            // a blank line between pages, located on the page it ends
            out.text.push('\n');
            out.origin.push((page.number, page.lines.len() + 1));
        }
        out
    }
}

/// The most common size of a page's text lines, rounded to half a point (10 pt when none).
fn common_size(lines: &[Line]) -> f32 {
    let mut counts: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
    for line in lines {
        if let Line::Text { size, .. } = line
            && size.is_finite()
            && *size > 0.0
        {
            // sizes are bounded by the page, so this stays small
            *counts.entry(round_to_u32(size * 2.0)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
        .map_or(10.0, |(s, _)| s as f32 / 2.0)
}

/// A text line laid out in display columns: each span starts at the column of its x position
/// (half-em columns), with at least two spaces between spans so they stay separate cells.
/// The widest a laid-out line may be, in half-em columns (an A0 page at 4 pt text is ~1,700).
const MAX_COLUMN: usize = 4_000;

fn layout_spans(spans: &[Span], size: f32) -> String {
    let w = column_width(size);
    let mut s = String::new();
    let mut col = 0usize;
    for (i, span) in spans.iter().enumerate() {
        // a position comes from the file: a malformed one (1e30) must not ask for a line of
        // that many spaces (found by the fuzzer), so columns stop at MAX_COLUMN
        let want = if span.x0 > 0.0 {
            round_to_usize(span.x0 / w).min(MAX_COLUMN)
        } else {
            0
        };
        let min_gap = if i == 0 { 0 } else { 2 };
        let pad = want.saturating_sub(col).max(min_gap);
        s.extend(std::iter::repeat_n(' ', pad));
        col += pad;
        s.push_str(&span.text);
        col += span
            .text
            .chars()
            .map(crate::ingest::report::layout::char_width)
            .sum::<usize>();
    }
    s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn a_position_from_a_malformed_file_gives_a_bounded_line() {
        let span = |x0: f32| Span {
            text: "合计".to_owned(),
            x0,
            x1: x0,
        };
        for x0 in [1e30, f32::INFINITY, f32::NAN, -1e30] {
            let line = layout_spans(&[span(0.0), span(x0)], 10.0);
            assert!(line.len() <= MAX_COLUMN + 20, "{x0}: {} bytes", line.len());
        }
    }

    #[test]
    fn render_keeps_pages_and_columns() {
        let doc = Document {
            pages: vec![
                Page {
                    number: 1,
                    has_text: true,
                    lines: vec![
                        Line::Text {
                            spans: vec![
                                Span {
                                    text: "项目".into(),
                                    x0: 10.0,
                                    x1: 30.0,
                                },
                                Span {
                                    text: "12.00".into(),
                                    x0: 100.0,
                                    x1: 125.0,
                                },
                            ],
                            size: 10.0,
                        },
                        Line::Row {
                            table: 0,
                            cells: vec!["合计".into(), String::new(), "3.00".into()],
                        },
                    ],
                },
                Page {
                    number: 2,
                    has_text: false,
                    lines: vec![],
                },
            ],
        };
        let r = doc.render();
        let lines: Vec<&str> = r.text.split('\n').collect();
        assert_eq!(
            lines[0],
            format!("{}项目{}12.00", " ".repeat(2), " ".repeat(14))
        );
        assert_eq!(lines[1], "合计\t\t3.00");
        assert_eq!(r.locate(2), Some((1, 2)));
        assert_eq!(r.locate(4), Some((2, 1)));
        assert_eq!(doc.pages_without_text(), vec![2]);
    }
}
