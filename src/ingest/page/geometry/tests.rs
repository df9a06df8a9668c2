//! The page model on glyphs and segments placed by hand.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::float_cmp)]
use super::*;

/// Glyphs of `text` starting at `x`, 10 pt wide each, on baseline `y`.
fn word(text: &str, x: f32, y: f32) -> Vec<Glyph> {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            let w = if c.is_ascii() { 5.0 } else { 10.0 };
            let x0 = x + text
                .chars()
                .take(i)
                .map(|c| if c.is_ascii() { 5.0 } else { 10.0 })
                .sum::<f32>();
            Glyph {
                c,
                x0,
                x1: x0 + w,
                baseline: y,
                size: 10.0,
            }
        })
        .collect()
}

fn hline(y: f32, x0: f32, x1: f32) -> HSeg {
    HSeg { y, x0, x1 }
}
fn vline(x: f32, y0: f32, y1: f32) -> VSeg {
    VSeg { x, y0, y1 }
}

#[test]
fn grid_with_merged_header_and_wrapped_cell() {
    // columns at 0, 100, 200, 300; rows at 0, 20, 40, 80
    // header row 0: "项目" spans rows 0-1 in column 0; "金额" spans columns 1-2 in row 0
    let h = vec![
        hline(0.0, 0.0, 300.0),
        hline(20.0, 100.0, 300.0), // does not cross column 0: 项目 spans two rows
        hline(40.0, 0.0, 300.0),
        hline(80.0, 0.0, 150.0), // drawn in two pieces
        hline(80.5, 150.5, 300.0),
    ];
    let v = vec![
        vline(0.0, 0.0, 80.0),
        vline(100.0, 0.0, 80.0),
        vline(200.0, 20.0, 80.0), // does not cross row 0: 金额 spans two columns
        vline(300.0, 0.0, 80.0),
    ];
    let mut g = word("项目", 10.0, 27.0);
    g.extend(word("金额", 140.0, 15.0));
    g.extend(word("基本", 110.0, 35.0));
    g.extend(word("项目", 210.0, 35.0));
    g.extend(word("机关事业单位", 5.0, 55.0));
    g.extend(word("养老", 5.0, 70.0));
    g.extend(word("1682.7", 201.0, 55.0));
    g.extend(word("6", 201.0, 70.0));
    g.extend(word("12.00", 110.0, 55.0));
    g.extend(word("注：单位 万元", 0.0, 100.0));
    let page = build_page(3, g, h, v);
    assert_eq!(page.lines.len(), 4, "{:?}", page.lines);
    assert_eq!(
        page.lines[0],
        Line::Row {
            table: 0,
            cells: vec!["项目".into(), "金额".into(), String::new()]
        }
    );
    assert_eq!(
        page.lines[1],
        Line::Row {
            table: 0,
            cells: vec![String::new(), "基本".into(), "项目".into()]
        }
    );
    assert_eq!(
        page.lines[2],
        Line::Row {
            table: 0,
            cells: vec!["机关事业单位养老".into(), "12.00".into(), "1682.76".into()]
        }
    );
    match &page.lines[3] {
        Line::Text { spans, .. } => {
            assert_eq!(spans.len(), 1);
            assert_eq!(spans[0].text, "注：单位 万元");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_overflowing_its_cell_stays_whole() {
    // columns at 0, 100, 200; a label of 11 glyphs (110 pt) runs on over the line at 100 into
    // the amount cell, whose own figure is printed right-aligned apart from it; an amount set
    // edge to edge with the next cell's label stays in its own cell
    let h = vec![
        hline(0.0, 0.0, 300.0),
        hline(20.0, 0.0, 300.0),
        hline(40.0, 0.0, 300.0),
    ];
    let v = vec![
        vline(0.0, 0.0, 40.0),
        vline(100.0, 0.0, 40.0),
        vline(200.0, 0.0, 40.0),
        vline(300.0, 0.0, 40.0),
    ];
    let mut g = word("人员经费和公用经费支出", 2.0, 15.0);
    g.extend(word("2,022.39", 158.0, 15.0));
    g.extend(word("4,066.60", 160.0, 35.0));
    g.extend(word("二、教育支出", 200.0, 35.0));
    let page = build_page(1, g, h, v);
    assert_eq!(
        page.lines[0],
        Line::Row {
            table: 0,
            cells: vec![
                "人员经费和公用经费支出".into(),
                "2,022.39".into(),
                String::new()
            ]
        }
    );
    assert_eq!(
        page.lines[1],
        Line::Row {
            table: 0,
            cells: vec![String::new(), "4,066.60".into(), "二、教育支出".into()]
        }
    );
}

#[test]
fn unruled_lines_split_into_spans() {
    let mut g = word("合计", 10.0, 50.0);
    g.extend(word("1,234.50", 200.0, 50.4));
    g.extend(word("标题", 10.0, 20.0));
    let page = build_page(1, g, vec![], vec![]);
    assert_eq!(page.lines.len(), 2);
    let Line::Text { spans, .. } = &page.lines[1] else {
        panic!()
    };
    assert_eq!(
        spans.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(),
        ["合计", "1,234.50"]
    );
    assert!(page.has_text);
    assert!(!build_page(2, vec![], vec![], vec![]).has_text);
}

#[test]
fn clustering() {
    let c = cluster(vec![3.0, 1.0, 1.2, 10.0]);
    assert_eq!(c.len(), 3);
    assert!((c[0] - 1.1).abs() < 1e-5 && c[1] == 3.0 && c[2] == 10.0);
    let m = merge_h(vec![
        hline(5.0, 0.0, 10.0),
        hline(5.5, 11.0, 20.0),
        hline(30.0, 0.0, 5.0),
    ]);
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].x0, m[0].x1), (0.0, 20.0));
}
