//! Cutting a table's lines into header rows and body rows of cells, by layout (tab, pipe, space
//! aligned).

#[allow(clippy::wildcard_imports)]
use super::*;

/// [`build_grid`], split where the header is printed again with its cells in other columns (a
/// ruled table continued on a page whose ruling adds or drops an empty column): each part is read
/// against its own header, never against columns shifted by one.
pub fn build_grids(lay: Layout, title_line: usize, body: &[(usize, &str)]) -> Vec<Grid> {
    let cells = |l: &str| -> Option<Vec<String>> {
        match lay {
            Layout::Tab => Some(layout::tab_cells(l)),
            Layout::Pipe => layout::pipe_cells(l),
            Layout::Spaced => None,
        }
    };
    let mut splits: Vec<usize> = Vec::new();
    // the header row of the current part, compared with every repeat of it
    if let Some(mut head) = body.first().and_then(|(_, l)| cells(l)) {
        let key = nospace(&head.join(""));
        for (k, (n, l)) in body.iter().enumerate().skip(1) {
            let Some(c) = cells(l) else { continue };
            let row = Row {
                line: *n,
                cells: c.clone(),
            };
            if !key.is_empty() && !is_data_row(&row) && nospace(&c.join("")) == key && c != head {
                splits.push(k);
                head = c;
            }
        }
    }
    let mut out = Vec::new();
    let mut from = 0;
    for k in splits.into_iter().chain(std::iter::once(body.len())) {
        if let Some(part) = body.get(from..k).filter(|p| !p.is_empty()) {
            let line = if from == 0 {
                title_line
            } else {
                part.first().map_or(title_line, |p| p.0)
            };
            out.push(build_grid(lay, line, part));
        }
        from = k;
    }
    if out.is_empty() {
        out.push(build_grid(lay, title_line, body));
    }
    out
}

/// Cut a chunk's lines into header rows and body rows.
pub fn build_grid(lay: Layout, title_line: usize, body: &[(usize, &str)]) -> Grid {
    let raw: Vec<(usize, Vec<layout::Span>)> = body
        .iter()
        .filter_map(|&(n, l)| {
            // tab and pipe cells are their own columns; spaced text is laid out by position
            let cells = match lay {
                Layout::Tab => layout::tab_cells(l),
                Layout::Pipe => layout::pipe_cells(l)?,
                Layout::Spaced => return Some((n, layout::spaced_spans(l))),
            };
            let spans = cells
                .into_iter()
                .enumerate()
                .map(|(i, text)| layout::Span {
                    text,
                    start: i,
                    end: i + 1,
                })
                .collect();
            Some((n, spans))
        })
        .collect();
    let plain =
        |spans: &[layout::Span]| -> Vec<String> { spans.iter().map(|s| s.text.clone()).collect() };
    // header rows: before the first data row
    let first_data = raw
        .iter()
        .position(|(n, spans)| {
            is_data_row(&Row {
                line: *n,
                cells: plain(spans),
            })
        })
        .unwrap_or(raw.len());
    let (head_raw, body_raw) = raw.split_at(first_data);
    let rows_of = |part: &[(usize, Vec<layout::Span>)], cols: Option<&[(usize, usize)]>| {
        part.iter()
            .map(|(n, spans)| Row {
                line: *n,
                cells: match cols {
                    Some(c) => layout::align(spans, c),
                    None => plain(spans),
                },
            })
            .collect::<Vec<Row>>()
    };
    if lay != Layout::Spaced {
        let header = rows_of(head_raw, None);
        let mut rows = Vec::new();
        for r in rows_of(body_raw, None) {
            let key = nospace(&r.cells.join(""));
            let repeated = !key.is_empty()
                && !is_data_row(&r)
                && header.iter().any(|h| nospace(&h.cells.join("")) == key);
            if !repeated {
                rows.push(r);
            }
        }
        return Grid {
            layout: lay,
            title_line,
            header,
            rows,
        };
    }
    // space-aligned: the header row with the most cells defines the columns
    let defining = head_raw
        .iter()
        .filter(|(n, s)| {
            !is_column_numbers(&Row {
                line: *n,
                cells: plain(s),
            })
        })
        .max_by_key(|(_, s)| s.len())
        .or_else(|| body_raw.iter().max_by_key(|(_, s)| s.len()));
    let header_cols: Vec<(usize, usize)> = defining
        .map(|(_, s)| s.iter().map(|x| (x.start, x.end)).collect())
        .unwrap_or_default();
    // 类 | 款 | 项 printed on a header line of their own (under 科目编码): their own columns
    let mut cols = header_cols;
    for (_, spans) in head_raw {
        for sp in spans {
            let part = matches!(nospace(&sp.text).as_str(), "类" | "款" | "项");
            let free = cols.iter().all(|&(a, b)| sp.end <= a || sp.start >= b);
            if part && free {
                cols.push((sp.start, sp.end));
            }
        }
    }
    cols.sort_unstable();
    let clusters = layout::body_clusters(body_raw.iter().map(|(_, s)| s.as_slice()));
    let head_spans: Vec<layout::Span> = head_raw
        .iter()
        .filter(|(n, s)| {
            !is_column_numbers(&Row {
                line: *n,
                cells: plain(s),
            })
        })
        .flat_map(|(_, s)| s.iter().cloned())
        .collect();
    let cols = layout::amount_columns(
        &cols,
        &head_spans,
        &clusters,
        body_raw.iter().map(|(_, s)| s.as_slice()),
    );
    let header = rows_of(head_raw, Some(&cols));
    let rows = body_raw
        .iter()
        .map(|(n, spans)| Row {
            line: *n,
            cells: layout::align_with(spans, &cols, &clusters),
        })
        .filter(|r| {
            let key = nospace(&r.cells.join(""));
            is_data_row(r) || !header.iter().any(|h| nospace(&h.cells.join("")) == key)
        })
        .collect();
    Grid {
        layout: lay,
        title_line,
        header,
        rows,
    }
}
