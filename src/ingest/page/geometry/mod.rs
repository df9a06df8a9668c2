//! Page geometry → page model: ruling lines clustered into grids, glyphs placed into the grid's
//! cells by their centres, the rest grouped into text lines by baseline.
//!
//! Coordinates are points with y growing **downwards** from the page's top edge.
//!
//! * Segments closer than [`SNAP`] are one line; collinear pieces with gaps up to [`JOIN_GAP`]
//!   are joined.
//! * A **grid** is a connected set of horizontal and vertical lines with at least two of each.
//!   Its rows are the bands between consecutive horizontal line positions; within a band the
//!   column boundaries are only the vertical lines that cross the band (merged header cells), and
//!   a horizontal line that does not cross a column means the cell above continues (row-spanning
//!   cells). A merged cell's text goes to its first row and column.
//! * A glyph belongs to the cell holding its centre (horizontal middle of its advance, and a third
//!   of its size above the baseline — font ascent/descent are not used: some files declare bogus
//!   metrics). A cell's lines are joined without separator, so wrapped names and numbers wrapped
//!   inside narrow cells come back whole; within a line a gap wider than a third of the glyph
//!   size is a space.
//! * Text wider than its cell that runs on over a ruling line (spreadsheet exports clip it only
//!   visually) stays whole: a run of glyphs set edge to edge on one baseline goes to the cell
//!   holding most of it.
//! * Glyphs outside every grid form text lines: glyphs whose baselines are within 0.4 × size of
//!   each other are one line; within a line, a gap wider than 1.2 × size starts a new span.

mod ruling;

#[allow(clippy::wildcard_imports)]
use ruling::*;

use super::{Line, Page, Span};

/// One positioned character.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    pub c: char,
    /// Left edge (origin) and right edge (origin + advance), points.
    pub x0: f32,
    pub x1: f32,
    /// Baseline, points from the top.
    pub baseline: f32,
    /// Font size, points.
    pub size: f32,
}

impl Glyph {
    fn cx(&self) -> f32 {
        f32::midpoint(self.x0, self.x1)
    }
    fn cy(&self) -> f32 {
        self.baseline - self.size / 3.0
    }
}

/// A horizontal ruling line at `y` from `x0` to `x1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HSeg {
    pub y: f32,
    pub x0: f32,
    pub x1: f32,
}

/// A vertical ruling line at `x` from `y0` to `y1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VSeg {
    pub x: f32,
    pub y0: f32,
    pub y1: f32,
}

/// Lines closer than this (points) are the same line.
pub const SNAP: f32 = 1.5;
/// Collinear pieces with gaps up to this (points) are one line.
pub const JOIN_GAP: f32 = 2.5;
/// Text of a set of glyphs: lines by baseline, top to bottom, joined without separator; within a
/// line a gap wider than a third of the size is a space.
fn cell_text(glyphs: &mut [&Glyph]) -> String {
    let lines = text_lines(glyphs);
    let mut s = String::new();
    for line in lines {
        s.push_str(
            &join_line(&line, f32::INFINITY)
                .into_iter()
                .map(|sp| sp.text)
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    s
}

/// Group glyphs into lines by baseline (each sorted by x), top to bottom.
fn text_lines<'a>(glyphs: &mut [&'a Glyph]) -> Vec<Vec<&'a Glyph>> {
    glyphs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut lines: Vec<(f32, f32, Vec<&Glyph>)> = Vec::new(); // (baseline, size, glyphs)
    for g in glyphs.iter() {
        let tol = 0.4 * g.size.max(1.0);
        match lines.last_mut() {
            Some((b, size, l)) if (g.baseline - *b).abs() <= tol.max(0.4 * *size) => l.push(g),
            _ => lines.push((g.baseline, g.size, vec![g])),
        }
    }
    lines
        .into_iter()
        .map(|(_, _, mut l)| {
            l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            l
        })
        .collect()
}

/// Whether glyph `g` starts a new cell of an unruled table although it is close to the span
/// `text` (ending with glyph `p`): a visible gap (a third of the size) next to a digit — two
/// numbers, or a number and a label, printed in adjacent columns — or an amount (with a decimal
/// point or thousands separator) glued to the label of the next column (`215,020,000一、其他支出`).
fn starts_new_cell(text: &str, p: &Glyph, g: &Glyph) -> bool {
    let gap = g.x0 - p.x1;
    let size = g.size.max(1.0);
    let digit = |c: char| c.is_ascii_digit();
    if gap > size / 3.0 && (digit(p.c) || digit(g.c)) {
        return true;
    }
    // two words of Chinese a good half em apart are two labels (`一般公共预算  政府性基金预算`
    // over adjacent columns); inside a word the glyphs touch
    if gap > 0.6 * size && !p.c.is_ascii() && !g.c.is_ascii() {
        return true;
    }
    let amount = text
        .chars()
        .all(|c| digit(c) || matches!(c, ',' | '.' | '-'))
        && text.contains(['.', ','])
        && text.chars().last().is_some_and(digit);
    amount
        && !g.c.is_ascii()
        && !matches!(g.c, '年' | '月' | '日' | '万' | '元' | '%' | '％' | '亿')
}

/// Spans of one line (sorted by x): a gap wider than `split` × size starts a new span, a gap wider
/// than a third of the size is a space.
fn join_line(line: &[&Glyph], split: f32) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut prev: Option<&Glyph> = None;
    for g in line {
        let size = g.size.max(1.0);
        match (prev, spans.last_mut()) {
            (Some(p), Some(cur)) => {
                let gap = g.x0 - p.x1;
                if gap > split * size || split.is_finite() && starts_new_cell(&cur.text, p, g) {
                    spans.push(Span {
                        text: g.c.to_string(),
                        x0: g.x0,
                        x1: g.x1,
                    });
                } else {
                    // overlapping duplicates (fake bold: the same glyph printed twice) are dropped
                    if p.c == g.c && (g.x0 - p.x0).abs() < 0.2 * size {
                        continue;
                    }
                    if gap > size / 3.0 {
                        cur.text.push(' ');
                    }
                    cur.text.push(g.c);
                    cur.x1 = cur.x1.max(g.x1);
                }
            }
            _ => spans.push(Span {
                text: g.c.to_string(),
                x0: g.x0,
                x1: g.x1,
            }),
        }
        prev = Some(g);
    }
    spans
}

/// Text wider than its cell runs on over the ruling line into the next cell (spreadsheet exports
/// print it whole and clip it visually): a run of glyphs set edge to edge on one baseline that
/// crosses a column boundary belongs as a whole to the cell holding most of its glyphs (ties: its
/// first glyph's cell). Amount characters and other characters never form one run. `placed` holds (glyph index, row, column); `cell` names a slot's cell.
fn keep_overflowing_runs(
    glyphs: &[Glyph],
    placed: &mut [(usize, usize, usize)],
    mut cell: impl FnMut(usize, usize) -> usize,
) {
    // (position in `placed`, glyph) in row band and x order
    let mut order: Vec<(usize, &Glyph)> = placed
        .iter()
        .enumerate()
        .filter_map(|(p, &(k, ..))| glyphs.get(k).map(|g| (p, g)))
        .collect();
    let band = |p: usize, placed: &[(usize, usize, usize)]| placed.get(p).map_or(0, |s| s.1);
    order.sort_by(|a, b| {
        band(a.0, placed)
            .cmp(&band(b.0, placed))
            .then(a.1.x0.total_cmp(&b.1.x0))
    });
    // runs: a glyph joins the open run whose last glyph ends where it starts (overlapping
    // strings interleave their glyphs); runs are open within one row band
    let mut runs: Vec<Vec<(usize, &Glyph)>> = Vec::new();
    let mut open: Vec<usize> = Vec::new(); // runs that may still grow (indices into `runs`)
    let mut current = usize::MAX;
    for (p, g) in order {
        let b = band(p, placed);
        if b != current {
            current = b;
            open.clear();
        }
        let size = g.size.max(1.0);
        // glyphs come in x order: a run ending well before this glyph can grow no more
        open.retain(|&r| {
            runs.get(r)
                .and_then(|run| run.last())
                .is_some_and(|(_, last)| last.x1 >= g.x0 - 0.2 * size)
        });
        let fits = open.iter().copied().find(|&r| {
            runs.get(r)
                .and_then(|run| run.last())
                .is_some_and(|(_, last)| {
                    (last.baseline - g.baseline).abs() <= 0.2 * size
                        && (g.x0 - last.x1).abs() <= 0.2 * size
                        && amount_char(last.c) == amount_char(g.c)
                })
        });
        if let Some(run) = fits.and_then(|r| runs.get_mut(r)) {
            run.push((p, g));
        } else {
            open.push(runs.len());
            runs.push(vec![(p, g)]);
        }
    }
    for run in runs {
        let slots: Vec<(usize, usize)> = run
            .iter()
            .filter_map(|(p, _)| placed.get(*p).map(|s| (s.1, s.2)))
            .collect();
        let cells: Vec<usize> = slots.iter().map(|&(i, j)| cell(i, j)).collect();
        if cells.windows(2).all(|w| w.first() == w.last()) {
            continue;
        }
        // the cell holding most of the run (ties: the first such glyph's)
        let mut best: Option<(usize, (usize, usize))> = None;
        for (c, slot) in cells.iter().zip(&slots) {
            let count = cells.iter().filter(|&d| d == c).count();
            if best.is_none_or(|(n, _)| count > n) {
                best = Some((count, *slot));
            }
        }
        let Some((_, (i, j))) = best else { continue };
        for (p, _) in &run {
            if let Some(s) = placed.get_mut(*p) {
                s.1 = i;
                s.2 = j;
            }
        }
    }
}

/// Characters of a printed amount: an amount and a label set edge to edge are two cells' texts,
/// never one run.
fn amount_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ',' | '.' | '-')
}

/// Rows of one grid as page lines, each with its top y, and the indices of the glyphs used.
fn grid_rows(grid: &Grid, table: usize, glyphs: &[Glyph], used: &mut [bool]) -> Vec<(f32, Line)> {
    let nr = grid.ys.len() - 1;
    let nc = grid.xs.len() - 1;
    // merge grid slots into cells
    let mut dsu = Dsu::new(nr * nc);
    let band = |i: usize| {
        (
            grid.ys.get(i).copied().unwrap_or(0.0),
            grid.ys.get(i + 1).copied().unwrap_or(0.0),
        )
    };
    let col = |j: usize| {
        (
            grid.xs.get(j).copied().unwrap_or(0.0),
            grid.xs.get(j + 1).copied().unwrap_or(0.0),
        )
    };
    for i in 0..nr {
        let (y0, y1) = band(i);
        for j in 0..nc {
            let (x0, x1) = col(j);
            if j + 1 < nc && !grid.v_crosses(x1, y0, y1) {
                dsu.union(i * nc + j, i * nc + j + 1);
            }
            if i + 1 < nr && !grid.h_crosses(y1, x0, x1) {
                dsu.union(i * nc + j, (i + 1) * nc + j);
            }
        }
    }
    // each cell: anchor slot (first row, first column) and its bounds
    let mut bounds: std::collections::HashMap<usize, (usize, usize, usize, usize)> =
        std::collections::HashMap::new(); // root → (i0, j0, i1, j1)
    for i in 0..nr {
        for j in 0..nc {
            let r = dsu.find(i * nc + j);
            let e = bounds.entry(r).or_insert((i, j, i, j));
            e.0 = e.0.min(i);
            e.1 = e.1.min(j);
            e.2 = e.2.max(i);
            e.3 = e.3.max(j);
        }
    }
    // each glyph's slot (glyph index, row, column)
    let mut placed: Vec<(usize, usize, usize)> = Vec::new();
    for (k, g) in glyphs.iter().enumerate() {
        if used.get(k).copied().unwrap_or(true) || !grid.contains(g.cx(), g.cy()) {
            continue;
        }
        let i = grid.ys.partition_point(|&y| y < g.cy()).saturating_sub(1);
        let j = grid.xs.partition_point(|&x| x < g.cx()).saturating_sub(1);
        if i >= nr || j >= nc {
            continue;
        }
        placed.push((k, i, j));
    }
    keep_overflowing_runs(glyphs, &mut placed, |i, j| dsu.find(i * nc + j));
    // glyphs per cell
    let mut per_cell: std::collections::HashMap<usize, Vec<&Glyph>> =
        std::collections::HashMap::new();
    for &(k, i, j) in &placed {
        let Some(g) = glyphs.get(k) else { continue };
        per_cell.entry(dsu.find(i * nc + j)).or_default().push(g);
        if let Some(u) = used.get_mut(k) {
            *u = true;
        }
    }
    let mut rows: Vec<Vec<String>> = vec![vec![String::new(); nc]; nr];
    for (root, mut gs) in per_cell {
        let Some(&(i0, j0, _, _)) = bounds.get(&root) else {
            continue;
        };
        if let Some(slot) = rows.get_mut(i0).and_then(|r| r.get_mut(j0)) {
            *slot = cell_text(&mut gs);
        }
    }
    let mut out: Vec<(f32, Line)> = rows
        .into_iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .map(|(i, cells)| (band(i).0, Line::Row { table, cells }))
        .collect();
    // Rows holding a single cell before the first row of several cells are the table's title
    // and unit lines drawn inside the frame; so are single-cell notes (`注：…`) at its end.
    let single = |l: &Line| match l {
        Line::Row { cells, .. } => {
            let filled: Vec<(usize, &String)> = cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .collect();
            match filled.as_slice() {
                [(j, text)] => Some((*j, (*text).clone())),
                _ => None,
            }
        }
        Line::Text { .. } => None,
    };
    let as_text = |j: usize, text: String| Line::Text {
        spans: vec![Span {
            x0: col(j).0 + 1.0,
            x1: col(j).1,
            text,
        }],
        size: 10.0,
    };
    for item in &mut out {
        match single(&item.1) {
            Some((j, text)) => item.1 = as_text(j, text),
            None => break,
        }
    }
    for item in out.iter_mut().rev() {
        match single(&item.1) {
            Some((j, text)) if text.starts_with('注') || text.starts_with("备注") => {
                item.1 = as_text(j, text);
            }
            _ => break,
        }
    }
    out
}

/// Build a page of the page model from its glyphs and ruling lines.
pub fn build_page(number: usize, glyphs: Vec<Glyph>, h: Vec<HSeg>, v: Vec<VSeg>) -> Page {
    let glyphs: Vec<Glyph> = glyphs
        .into_iter()
        .filter(|g| !g.c.is_whitespace() && !g.c.is_control())
        .collect();
    let has_text = !glyphs.is_empty();
    let mut used = vec![false; glyphs.len()];
    let mut lines: Vec<(f32, Line)> = Vec::new();
    for (t, grid) in grids(h, v).iter().enumerate() {
        lines.extend(grid_rows(grid, t, &glyphs, &mut used));
    }
    let mut rest: Vec<&Glyph> = glyphs
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g)
        .collect();
    for line in text_lines(&mut rest) {
        let mut sizes: Vec<f32> = line.iter().map(|g| g.size).collect();
        sizes.sort_by(f32::total_cmp);
        let size = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0);
        let top = line
            .iter()
            .map(|g| g.baseline - g.size)
            .fold(f32::INFINITY, f32::min);
        lines.push((
            top,
            Line::Text {
                spans: join_line(&line, 1.2),
                size,
            },
        ));
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    Page {
        number,
        lines: lines.into_iter().map(|(_, l)| l).collect(),
        has_text,
    }
}

#[cfg(test)]
mod tests;
