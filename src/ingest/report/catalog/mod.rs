//! Finding the standard tables by their titles, and cutting each into chunks of cell rows.
//!
//! A **title** is a line that, once markdown `#`, spaces, quotes and a leading ordinal / table
//! number (`（一）`, `表 1`, `公开 01 表`, `2023 年`) are removed, equals one of the known title
//! variants. A table's body starts after its title and ends at the first prose line (a line that is
//! neither blank nor a table line, e.g. `注：…`), a markdown heading or the next title. A title
//! repeated right after its own table (a table continued on the next page) opens another
//! **chunk** of the same table; each chunk has its own header rows. Titles with no table line
//! before the next title (table-of-contents entries) are ignored.

mod grid;
mod titles;

pub use grid::{build_grid, build_grids};
#[allow(clippy::wildcard_imports)]
use titles::*;
pub use titles::{Kind, classify_title, normalize_title, title_kind};

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{self, Layout, nospace};
use super::numbers::{Cell, read_cell, strip_tags};

/// A table row: its 1-based line and its cells (aligned to the header columns).
#[derive(Clone, Debug)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn get(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }

    /// Whether the row prints no text at all.
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| strip_tags(c).trim().is_empty())
    }
}

/// One chunk of a table (one page): header rows and body rows.
#[derive(Clone, Debug)]
pub struct Grid {
    pub layout: Layout,
    pub title_line: usize,
    pub header: Vec<Row>,
    pub rows: Vec<Row>,
}

impl Grid {
    /// Header text of column `i`: every header row's cell, spaces and tags removed, joined
    /// (column-number rows such as `栏次 1 2 3` are left out).
    pub fn head(&self, i: usize) -> String {
        self.header
            .iter()
            .filter(|r| !is_column_numbers(r))
            .map(|r| nospace(&strip_tags(r.get(i))))
            .collect()
    }

    /// The lowest non-empty header cell of column `i` and the non-empty cell above it.
    pub fn head_bottom(&self, i: usize) -> (String, Option<String>) {
        let cells: Vec<String> = self
            .header
            .iter()
            .filter(|r| !is_column_numbers(r))
            .map(|r| nospace(&strip_tags(r.get(i))))
            .filter(|c| !c.is_empty())
            .collect();
        let mut it = cells.into_iter().rev();
        let bottom = it.next().unwrap_or_default();
        (bottom, it.next())
    }

    pub fn width(&self) -> usize {
        self.header
            .iter()
            .chain(&self.rows)
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0)
    }
}

/// A table found in the text.
#[derive(Clone, Debug)]
pub struct Region {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    pub title_line: usize,
    /// Printed unit (`万元` / `元`), if the table prints one.
    pub unit_label: Option<String>,
    pub chunks: Vec<Grid>,
    /// Whether the text near the table says nothing occurred (`无发生额`).
    pub says_nothing_occurred: bool,
}

/// Whether a row is the column-number row (`栏次 1 2 3 …` or just `1 2 3 …`).
pub fn is_column_numbers(r: &Row) -> bool {
    let first = nospace(r.get(0));
    if first == "栏次" {
        return true;
    }
    // `**` / `*` mark the label columns of a column-number row (`** ** ** ** 1 2 3`)
    let nums: Vec<&String> = r
        .cells
        .iter()
        .filter(|c| !c.trim().is_empty() && !c.trim().chars().all(|ch| ch == '*'))
        .collect();
    let starred = r
        .cells
        .iter()
        .any(|c| !c.trim().is_empty() && c.trim().chars().all(|ch| ch == '*'));
    if nums.is_empty() || nums.len() < 3 && !starred {
        return false;
    }
    let mut expect = 1u32;
    for c in nums {
        if nospace(c) == "栏次" {
            continue;
        }
        match c.trim().parse::<u32>() {
            Ok(v) if v == expect => expect += 1,
            _ => return false,
        }
    }
    true
}

/// Whether a cell holds a classification code (3/5/7 digits, or split `208 05 01`).
pub fn is_code(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split_whitespace().collect();
    if parts.is_empty() || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let joined: usize = parts.iter().map(|p| p.len()).sum();
    matches!(joined, 3 | 5 | 7)
        && parts.first().is_some_and(|p| p.len() >= 3)
        && (parts.len() == 1 || parts.iter().skip(1).all(|p| p.len() == 2))
}

fn is_data_row(r: &Row) -> bool {
    if is_column_numbers(r) {
        return false;
    }
    if r.cells.iter().take(3).any(|c| is_code(c.trim())) {
        return true;
    }
    r.cells
        .iter()
        .any(|c| matches!(read_cell(c), Cell::Number(_)))
}

fn is_meta_line(line: &str) -> bool {
    META_LINE.as_ref().is_some_and(|rx| rx.is_match(line))
}

/// Prose lines allowed between a title and its table (e.g. `公开 01 表`, a note on the unit).
const MAX_PROSE_BEFORE_TABLE: usize = 3;

/// Layout of the table that follows a title, if a table follows it closely.
fn first_layout(lines: &[&str]) -> Option<Layout> {
    let mut prose = 0usize;
    for l in lines {
        if l.trim_start().starts_with('#') {
            return None;
        }
        if l.trim().is_empty() || is_meta_line(l) {
            continue;
        }
        if l.contains('\t') {
            return Some(Layout::Tab);
        }
        if l.trim_start().starts_with('|') {
            return Some(Layout::Pipe);
        }
        if layout::spaced_spans(l).len() >= 2 {
            return Some(Layout::Spaced);
        }
        prose += 1;
        if prose > MAX_PROSE_BEFORE_TABLE {
            return None;
        }
    }
    None
}

/// Find every standard table of the document.
/// Lines that look like a table's title, with a table printed right under them, but name no
/// table this reader knows (and are no title of a table it read): (0-based line, title). Listed
/// in the import report so a user knows what was not imported.
pub fn unrecognised_titles(lines: &[&str], regions: &[Region]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = nospace(l.trim().trim_start_matches('#'));
        let n = t.chars().count();
        if !t.ends_with('表')
            || !(4..=40).contains(&n)
            || t.contains(['，', '。', '；', '：', ':', '\t'])
            || l.contains('\t')
            || t.contains("说明")
            || t.contains("目录")
            || t.contains("自评")
            || t.contains("绩效")
            || title_kind(l, None).is_some()
            // a table number alone (`公开01表`, the marker of the title beside it) or a part
            // heading (`第二部分 2026年部门预算表`)
            || t.trim_end_matches('表')
                .trim_start_matches(['公', '开', '预', '算', '表'])
                .chars()
                .all(|c| c.is_ascii_digit())
            || t.starts_with('第') && t.contains("部分")
            // next to the title of a table that was read (its marker or subtitle)
            || regions
                .iter()
                .any(|r| (i + 1).abs_diff(r.title_line) <= 2)
        {
            continue;
        }
        // a table right under it (its header rows within the next few lines)
        let table_follows = lines.iter().skip(i + 1).take(4).any(|x| x.contains('\t'));
        if table_follows {
            out.push((i, t));
        }
    }
    out
}

pub fn find_tables(lines: &[&str], department: Option<&str>) -> Vec<Region> {
    let titles: Vec<(usize, Kind)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| title_kind(l, department).map(|k| (i, k)))
        .collect();
    let mut regions: Vec<Region> = Vec::new();
    let running = running_headers(lines);
    for (t, &(idx, kind)) in titles.iter().enumerate() {
        let next = titles.get(t + 1).map_or(lines.len(), |(n, _)| *n);
        let window = lines.get(idx + 1..next).unwrap_or(&[]);
        let Some(lay) = first_layout(window) else {
            continue; // a 目录 entry or a heading that happens to read like a title
        };
        let mut body: Vec<(usize, &str)> = Vec::new();
        let mut started = false;
        let mut end = idx + 1 + window.len();
        let mut unit_label = None;
        for (k, l) in window.iter().enumerate() {
            let n = idx + 1 + k; // 0-based index
            if let Some(u) = UNIT.as_ref().and_then(|rx| rx.captures(l))
                && let Some(m) = u.get(1)
            {
                unit_label.get_or_insert_with(|| m.as_str().to_owned());
                continue;
            }
            if l.trim().is_empty() || is_meta_line(l) {
                continue;
            }
            if l.trim_start().starts_with('#') {
                end = n;
                break;
            }
            if layout::is_table_line(l, lay) {
                started = true;
                body.push((n + 1, l));
            } else if started {
                end = n;
                break;
            }
        }
        let tail_end = (end + 6).min(next);
        let nothing = lines
            .get(end..tail_end)
            .unwrap_or(&[])
            .iter()
            .take_while(|l| !l.trim_start().starts_with('#'))
            .any(|l| l.contains("无发生额"));
        let mut parts = build_grids(lay, idx + 1, &body).into_iter();
        let Some(grid) = parts.next() else { continue };
        let mut continued: Vec<Grid> = parts.collect();
        continued.extend(continuation_chunks(
            lines,
            (end, next),
            lay,
            &grid,
            &running,
        ));
        let title_text = display_title(lines.get(idx).copied().unwrap_or(""));
        // continuation of the previous table (same title repeated on the next page)?
        let same_title = |prev: &str| {
            let strip = |x: &str| {
                nospace(x)
                    .replace(['(', ')', '（', '）'], "")
                    .replace("续表", "")
                    .replace('续', "")
            };
            strip(prev) == strip(&title_text)
        };
        if let Some(prev) = regions.last_mut()
            && prev.kind == kind
            && titles.get(t.wrapping_sub(1)).is_some_and(|p| p.1 == kind)
            && same_title(&prev.title)
        {
            prev.chunks.push(grid);
            prev.chunks.extend(continued);
            prev.says_nothing_occurred |= nothing;
            if prev.unit_label.is_none() {
                prev.unit_label = unit_label;
            }
            continue;
        }
        let marker = lines
            .get(idx + 1..(idx + 5).min(next))
            .unwrap_or(&[])
            .iter()
            .find_map(|l| {
                let c = MARKER.as_ref()?.captures(l)?;
                let n: u32 = c.get(1)?.as_str().parse().ok()?;
                Some(format!("公开{n:02}"))
            });
        let id = match (marker, kind) {
            (Some(m), k) if k.is_final() => m,
            (_, Kind::Quarterly) => {
                let norm: String = nospace(&title_text);
                let raw_title = nospace(lines.get(idx).copied().unwrap_or(""));
                TABLE_NO
                    .as_ref()
                    .and_then(|rx| rx.captures(&raw_title))
                    .and_then(|c| c.get(1).map(|m| format!("表{}", m.as_str())))
                    .unwrap_or(norm)
            }
            (_, k) => k.default_id().to_owned(),
        };
        // a second table of the same kind (two economic tables, Xi'an 表6 and 表8) gets an id of
        // its own (a title without rows before it, such as a contents line, does not count)
        let taken = |id: &str| {
            regions
                .iter()
                .any(|r| r.id == id && r.chunks.iter().any(|c| !c.rows.is_empty()))
        };
        let id = if taken(&id) {
            // at most regions.len() ids are taken, so one of these is free
            (2..=regions.len() + 2)
                .map(|n| format!("{id}-{n}"))
                .find(|c| !taken(c))
                .unwrap_or(id)
        } else {
            id
        };
        regions.push(Region {
            kind,
            id,
            title: title_text,
            title_line: idx + 1,
            unit_label,
            chunks: std::iter::once(grid).chain(continued).collect(),
            says_nothing_occurred: nothing,
        });
    }
    regions
}

/// Running headers: short non-table lines printed three times or more in the document.
fn running_headers(lines: &[&str]) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for l in lines {
        let t = nospace(l.trim());
        if !t.is_empty() && t.chars().count() <= 40 && !l.contains('\t') {
            *counts.entry(t).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(t, _)| t)
        .collect()
}

static PAGE_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*(?:/|页\s*[，,])\s*共?\s*\d+\s*页?)?[-—–－\s]*$").ok()
});

/// Lines between a table and its continuation on the next page: blank lines, page numbers,
/// notes, unit lines, and short lines printed at the top of several pages (running headers).
fn is_furniture(line: &str, running: &std::collections::HashSet<String>) -> bool {
    let t = line.trim();
    t.is_empty()
        || PAGE_NUMBER.as_ref().is_some_and(|rx| rx.is_match(t))
        || t.starts_with('注')
        || is_meta_line(line)
        || running.contains(&nospace(t))
}

/// Body chunks that continue a table on the following pages without a repeated title: after the
/// table ends, only page furniture (see [`is_furniture`]) and then rows of the same layout and,
/// for separated layouts, the same number of cells.
fn continuation_chunks(
    lines: &[&str],
    (end, next): (usize, usize),
    lay: Layout,
    first: &Grid,
    running: &std::collections::HashSet<String>,
) -> Vec<Grid> {
    let width = first.width();
    let mut out = Vec::new();
    let mut i = end;
    while i < next {
        let Some(l) = lines.get(i) else { break };
        if l.trim_start().starts_with('#') {
            break;
        }
        if is_furniture(l, running) && !layout::is_table_line(l, lay) {
            i += 1;
            continue;
        }
        if !layout::is_table_line(l, lay) {
            break;
        }
        let mut body: Vec<(usize, &str)> = Vec::new();
        while let Some(l) = lines.get(i).filter(|_| i < next) {
            if !layout::is_table_line(l, lay) {
                break;
            }
            body.push((i + 1, l));
            i += 1;
        }
        let grids = build_grids(lay, body.first().map_or(i, |b| b.0), &body);
        // the same table: as many columns, or its header printed again (in other columns)
        let head_key = |g: &Grid| {
            nospace(
                &g.header
                    .iter()
                    .map(|r| r.cells.join(""))
                    .collect::<String>(),
            )
        };
        let same_shape = |g: &Grid| {
            lay == Layout::Spaced
                || g.width() == width
                || !g.header.is_empty() && head_key(g) == head_key(first)
        };
        if grids.iter().any(|g| !same_shape(g) || g.rows.is_empty()) {
            break;
        }
        out.extend(grids);
    }
    out
}

/// The title as stored in the manifest: `#`, spaces and a leading table number removed.
fn display_title(line: &str) -> String {
    let t = nospace(line.trim().trim_start_matches('#'));
    TABLE_NO
        .as_ref()
        .and_then(|rx| rx.find(&t))
        .filter(|m| m.end() < t.len())
        .map_or(t.clone(), |m| t.get(m.end()..).unwrap_or("").to_owned())
}

#[cfg(test)]
mod tests;
