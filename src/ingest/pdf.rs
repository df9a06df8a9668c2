//! PDF input: the text layer with positions and the ruling lines, read with `pdf_oxide`
//! (characters with their baseline origin, advance and size; path segments), turned into the
//! page model ([`crate::ingest::page`]). Its own table extraction and the fonts' ascent/descent
//! are not used (see `docs/IMPORT_PDF.md`).
//!
//! Bounds: at most [`Limits::max_pages`] pages, [`Limits::max_glyphs`] characters and
//! [`Limits::max_segments`] ruling-line pieces per page, and [`Limits::max_seconds`] for the
//! file (checked between pages: a file that takes longer is refused, not half read); a page that
//! cannot be parsed (or makes the parser panic) is reported with its number and skipped, the rest
//! of the file is read. `pdf_oxide` itself caps one decompressed stream at 256 MB and object
//! nesting at 100 levels, and keeps at most 64 MB of parsed objects cached.

use pdf_oxide::document::PdfDocument;
use pdf_oxide::elements::PathOperation;

use crate::error::{Error, Location};
use crate::ingest::contain::contained;
use crate::ingest::page::geometry::{Glyph, HSeg, VSeg, build_page};
use crate::ingest::page::{Document, Page};
use crate::model::format_count;

/// Resource bounds of the PDF reader.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_pages: usize,
    pub max_glyphs: usize,
    pub max_segments: usize,
    /// Reading time of one file, in seconds (`import --max-seconds-per-file`).
    pub max_seconds: u64,
}

/// The default of [`Limits::max_seconds`]: the 27 corpus PDFs take 0.01–0.5 s each.
pub const DEFAULT_MAX_SECONDS: u64 = 120;

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pages: 2_000,
            max_glyphs: 200_000,
            max_segments: 100_000,
            max_seconds: DEFAULT_MAX_SECONDS,
        }
    }
}

/// A problem with one page (the page is skipped, the rest is read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageProblem {
    pub page: usize,
    pub message: String,
}

/// The page model of a PDF and the pages that could not be read.
#[derive(Clone, Debug, Default)]
pub struct PdfPages {
    pub document: Document,
    pub problems: Vec<PageProblem>,
}

/// Thinner than this (points), a filled rectangle is a ruling line.
const THIN: f32 = 2.5;
/// Shorter than this (points), a segment is not a ruling line (tick marks, glyph strokes).
const MIN_LEN: f32 = 3.0;

/// Page transform from user space (y up) to page space (y down, from the top-left corner of the
/// page as displayed), honouring `/Rotate`.
#[derive(Clone, Copy, Debug)]
struct Frame {
    x0: f32,
    y0: f32,
    w: f32,
    h: f32,
    rotate: i32,
}

impl Frame {
    fn map(&self, x: f32, y: f32) -> (f32, f32) {
        let (x, y) = (x - self.x0, y - self.y0);
        match self.rotate {
            90 => (y, x),
            180 => (self.w - x, y),
            270 => (self.h - y, self.w - x),
            _ => (x, self.h - y),
        }
    }
}

/// Read every page of a PDF into the page model.
pub fn read_pdf(file: &str, bytes: &[u8], limits: Limits) -> Result<PdfPages, Error> {
    let malformed = |message: String| Error::Malformed {
        location: Location::file(file),
        message,
    };
    let doc = contained(|| PdfDocument::from_bytes(bytes.to_vec()))
        .ok_or_else(|| malformed("PDF 结构无法解析（解析器异常）".to_owned()))?
        .map_err(|e| malformed(format!("PDF 结构无法解析：{e}")))?;
    let count = contained(|| doc.page_count())
        .ok_or_else(|| malformed("PDF 页数无法读取（解析器异常）".to_owned()))?
        .map_err(|e| malformed(format!("PDF 页数无法读取：{e}")))?;
    if count > limits.max_pages {
        return Err(malformed(format!(
            "PDF 有 {} 页，超过上限 {} 页；未读取",
            format_count(count as u64),
            format_count(limits.max_pages as u64)
        )));
    }
    let mut out = PdfPages::default();
    let start = std::time::Instant::now();
    for index in 0..count {
        let number = index + 1;
        if start.elapsed().as_secs() >= limits.max_seconds {
            return Err(malformed(format!(
                "读取超过每个文件 {} 秒的上限，已停止（共 {count} 页，第 {number} 页起未读取）；未导入（命令行可用 --max-seconds-per-file 调整）",
                limits.max_seconds
            )));
        }
        match contained(|| read_page(&doc, index, limits)) {
            Some(Ok(page)) => out.document.pages.push(page),
            Some(Err(message)) => {
                out.problems.push(PageProblem {
                    page: number,
                    message,
                });
                out.document.pages.push(Page {
                    number,
                    ..Page::default()
                });
            }
            None => {
                out.problems.push(PageProblem {
                    page: number,
                    message: "此页无法解析（解析器异常），已跳过".to_owned(),
                });
                out.document.pages.push(Page {
                    number,
                    ..Page::default()
                });
            }
        }
    }
    Ok(out)
}

fn read_page(doc: &PdfDocument, index: usize, limits: Limits) -> Result<Page, String> {
    let number = index + 1;
    let (ax, ay, bx, by) = doc
        .get_page_media_box(index)
        .map_err(|e| format!("无法读取页面尺寸：{e}"))?;
    let rotate = doc.get_page_rotation(index).unwrap_or(0);
    let frame = Frame {
        x0: ax.min(bx),
        y0: ay.min(by),
        w: (bx - ax).abs(),
        h: (by - ay).abs(),
        rotate,
    };
    let chars = doc
        .extract_chars(index)
        .map_err(|e| format!("无法读取文字：{e}"))?;
    if chars.len() > limits.max_glyphs {
        return Err(format!(
            "此页有 {} 个字符，超过上限 {}；已跳过",
            format_count(chars.len() as u64),
            format_count(limits.max_glyphs as u64)
        ));
    }
    let glyphs: Vec<Glyph> = chars
        .iter()
        .filter(|c| c.font_size.is_finite() && c.origin_x.is_finite() && c.origin_y.is_finite())
        .map(|c| {
            let (x, y) = frame.map(c.origin_x, c.origin_y);
            let size = c.font_size.abs().clamp(1.0, 200.0);
            let advance = if c.advance_width.is_finite() && c.advance_width > 0.0 {
                c.advance_width.min(4.0 * size)
            } else if c.bbox.width.is_finite() && c.bbox.width > 0.0 {
                c.bbox.width.min(4.0 * size)
            } else if c.char.is_ascii() {
                size / 2.0
            } else {
                size
            };
            Glyph {
                c: c.char,
                x0: x,
                x1: x + advance,
                baseline: y,
                size,
            }
        })
        .collect();
    let paths = doc
        .extract_paths(index)
        .map_err(|e| format!("无法读取表格线：{e}"))?;
    let mut h = Vec::new();
    let mut v = Vec::new();
    let mut pieces = 0usize;
    for p in &paths {
        let stroked = p.stroke_color.is_some();
        let mut cur: Option<(f32, f32)> = None;
        let mut start: Option<(f32, f32)> = None;
        for op in &p.operations {
            pieces += 1;
            if pieces > limits.max_segments {
                return Err(format!(
                    "此页的图形路径超过 {} 段；已跳过",
                    format_count(limits.max_segments as u64)
                ));
            }
            match *op {
                PathOperation::MoveTo(x, y) => {
                    cur = Some((x, y));
                    start = cur;
                }
                PathOperation::LineTo(x, y) => {
                    if let Some(a) = cur
                        && stroked
                    {
                        push_segment(&frame, a, (x, y), &mut h, &mut v);
                    }
                    cur = Some((x, y));
                }
                PathOperation::CurveTo(_, _, _, _, x, y) => cur = Some((x, y)),
                PathOperation::ClosePath => {
                    if let (Some(a), Some(b)) = (cur, start)
                        && stroked
                    {
                        push_segment(&frame, a, b, &mut h, &mut v);
                    }
                    cur = start;
                }
                PathOperation::Rectangle(x, y, w, hh) => {
                    push_rectangle(
                        &frame,
                        (x, y, w, hh),
                        stroked,
                        p.fill_color.is_some(),
                        &mut h,
                        &mut v,
                    );
                    cur = Some((x, y));
                    start = cur;
                }
            }
        }
    }
    Ok(build_page(number, glyphs, h, v))
}

/// A straight segment in user space → a horizontal or vertical ruling line in page space.
fn push_segment(frame: &Frame, a: (f32, f32), b: (f32, f32), h: &mut Vec<HSeg>, v: &mut Vec<VSeg>) {
    let (ax, ay) = frame.map(a.0, a.1);
    let (bx, by) = frame.map(b.0, b.1);
    if ![ax, ay, bx, by].iter().all(|c| c.is_finite()) {
        return;
    }
    if (ay - by).abs() <= 0.5 && (ax - bx).abs() >= MIN_LEN {
        h.push(HSeg {
            y: f32::midpoint(ay, by),
            x0: ax.min(bx),
            x1: ax.max(bx),
        });
    } else if (ax - bx).abs() <= 0.5 && (ay - by).abs() >= MIN_LEN {
        v.push(VSeg {
            x: f32::midpoint(ax, bx),
            y0: ay.min(by),
            y1: ay.max(by),
        });
    }
}

/// A rectangle: a thin filled one is a ruling line; a stroked one gives its four edges.
fn push_rectangle(
    frame: &Frame,
    (x, y, w, hh): (f32, f32, f32, f32),
    stroked: bool,
    filled: bool,
    h: &mut Vec<HSeg>,
    v: &mut Vec<VSeg>,
) {
    let (ax, ay) = frame.map(x, y);
    let (bx, by) = frame.map(x + w, y + hh);
    if ![ax, ay, bx, by].iter().all(|c| c.is_finite()) {
        return;
    }
    let (x0, x1, y0, y1) = (ax.min(bx), ax.max(bx), ay.min(by), ay.max(by));
    let (pw, ph) = (x1 - x0, y1 - y0);
    if (filled || stroked) && ph <= THIN && pw >= MIN_LEN {
        h.push(HSeg {
            y: f32::midpoint(y0, y1),
            x0,
            x1,
        });
    } else if (filled || stroked) && pw <= THIN && ph >= MIN_LEN {
        v.push(VSeg {
            x: f32::midpoint(x0, x1),
            y0,
            y1,
        });
    } else if stroked {
        h.push(HSeg { y: y0, x0, x1 });
        h.push(HSeg { y: y1, x0, x1 });
        v.push(VSeg { x: x0, y0, y1 });
        v.push(VSeg { x: x1, y0, y1 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_maps_rotations() {
        let f = Frame {
            x0: 0.0,
            y0: 0.0,
            w: 600.0,
            h: 800.0,
            rotate: 0,
        };
        assert_eq!(f.map(10.0, 790.0), (10.0, 10.0));
        let r = Frame { rotate: 90, ..f };
        assert_eq!(r.map(10.0, 20.0), (20.0, 10.0));
    }

    #[test]
    fn garbage_is_a_located_error() {
        let e = read_pdf("x.pdf", b"%PDF-1.4\nnot really", Limits::default());
        assert!(e.is_err());
        let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.starts_with("x.pdf"), "{msg}");
    }
}
