//! A minimal PDF writer for synthetic report fixtures: pages with text (a non-embedded CJK
//! CID font, `Identity-H`, with a `ToUnicode` map so any extractor reads the characters back)
//! and stroked ruling lines. Coordinates are points from the page's top-left corner.
#![allow(clippy::format_collect)] // small fixture strings
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One page under construction.
#[derive(Default, Clone)]
pub struct PdfPage {
    pub width: f32,
    pub height: f32,
    items: Vec<Item>,
}

#[derive(Clone)]
enum Item {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
    },
    Line {
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
    },
}

/// Advance of a character in thousandths of the font size.
pub fn advance(c: char) -> u32 {
    if c.is_ascii() { 500 } else { 1000 }
}

/// Width in points of `text` at `size`.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| advance(c) as f32 * size / 1000.0)
        .sum()
}

impl PdfPage {
    pub fn new(width: f32, height: f32) -> Self {
        Self {
            width,
            height,
            items: Vec::new(),
        }
    }

    /// Text with its left edge at `x` and baseline at `baseline` (from the top).
    pub fn text(&mut self, x: f32, baseline: f32, size: f32, text: &str) {
        self.items.push(Item::Text {
            x,
            baseline,
            size,
            text: text.to_owned(),
        });
    }

    /// A stroked line.
    pub fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        self.items.push(Item::Line { x0, y0, x1, y1 });
    }
}

/// A ruled table: column edges `xs`, row height, header rows then body rows; each row a vector
/// of cells (one per column); a cell is right-aligned when it looks like a number.
pub struct RuledTable<'a> {
    pub xs: &'a [f32],
    pub top: f32,
    pub row_height: f32,
    pub size: f32,
    pub rows: &'a [Vec<String>],
}

impl RuledTable<'_> {
    /// Draw the table; returns the y of its bottom edge.
    pub fn draw(&self, page: &mut PdfPage) -> f32 {
        let (Some(&left), Some(&right)) = (self.xs.first(), self.xs.last()) else {
            return self.top;
        };
        let bottom = self.top + self.row_height * self.rows.len() as f32;
        for i in 0..=self.rows.len() {
            let y = self.top + self.row_height * i as f32;
            page.line(left, y, right, y);
        }
        for &x in self.xs {
            page.line(x, self.top, x, bottom);
        }
        for (i, row) in self.rows.iter().enumerate() {
            let baseline = self.top + self.row_height * (i as f32 + 0.5) + self.size * 0.35;
            for (j, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let (Some(&a), Some(&b)) = (self.xs.get(j), self.xs.get(j + 1)) else {
                    continue;
                };
                let numeric = cell
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'));
                let x = if numeric {
                    b - 2.0 - text_width(cell, self.size)
                } else {
                    a + 2.0
                };
                page.text(x, baseline, self.size, cell);
            }
        }
        bottom
    }
}

/// Serialise pages into a PDF file.
pub fn write_pdf(pages: &[PdfPage]) -> Vec<u8> {
    // character → CID (1-based), over the whole document
    let mut cids: BTreeMap<char, u16> = BTreeMap::new();
    for p in pages {
        for it in &p.items {
            if let Item::Text { text, .. } = it {
                for c in text.chars() {
                    let next = u16::try_from(cids.len() + 1).expect("fewer than 65535 characters");
                    cids.entry(c).or_insert(next);
                }
            }
        }
    }
    let mut objects: Vec<String> = Vec::new(); // object n is objects[n - 1]
    // 1 catalog, 2 pages, 3 font (Type0), 4 CIDFont, 5 ToUnicode, 6 descriptor, then per page:
    // page object, content stream
    let first_page = 7;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".to_owned());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H \
         /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"
            .to_owned(),
    );
    let mut widths = String::new();
    for (c, cid) in &cids {
        let _ = write!(widths, "{cid} [{}] ", advance(*c));
    }
    objects.push(format!(
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
         /FontDescriptor 6 0 R /DW 1000 /W [{widths}] >>"
    ));
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&char, &u16)> = cids.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (c, cid) in chunk {
            let mut utf16 = [0u16; 2];
            let units: String = c
                .encode_utf16(&mut utf16)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(cmap, "<{cid:04X}> <{units}>");
        }
        let _ = writeln!(cmap, "endbfchar");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    objects.push(format!(
        "<< /Length {} >>\nstream\n{cmap}endstream",
        cmap.len()
    ));
    objects.push(
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
         /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 \
         /CapHeight 880 /StemV 93 >>"
            .to_owned(),
    );
    for p in pages {
        let mut content = String::new();
        for it in &p.items {
            match it {
                Item::Line { x0, y0, x1, y1 } => {
                    let _ = writeln!(
                        content,
                        "0.5 w {x0:.2} {:.2} m {x1:.2} {:.2} l S",
                        p.height - y0,
                        p.height - y1
                    );
                }
                Item::Text {
                    x,
                    baseline,
                    size,
                    text,
                } => {
                    let hex: String = text
                        .chars()
                        .map(|c| format!("{:04X}", cids.get(&c).copied().unwrap_or(0)))
                        .collect();
                    let _ = writeln!(
                        content,
                        "BT /F1 {size:.1} Tf 1 0 0 1 {x:.2} {:.2} Tm <{hex}> Tj ET",
                        p.height - baseline
                    );
                }
            }
        }
        let n = objects.len() + 2; // this page's content object number
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {:.0} {:.0}] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {n} 0 R >>",
            p.width, p.height
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for off in offsets {
        let _ = writeln!(tail, "{off:010} 00000 n ");
    }
    let _ = write!(
        tail,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(tail.as_bytes());
    out
}
