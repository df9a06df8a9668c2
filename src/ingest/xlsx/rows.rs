//! A worksheet's non-empty cells row by row, in sheet order, within [`super::limits`]: for
//! .xlsx the cells are streamed from the sheet's XML (nothing the size of the sheet is held);
//! for .xls/.ods calamine's range is walked.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, DataType, Reader};

use super::{cell_ref, limits};
use crate::error::{Error, Location, Result};
use crate::model::format_count;

type Book<'a> = calamine::Sheets<Cursor<&'a [u8]>>;

enum Source<'b, 'a> {
    Stream(Box<calamine::XlsxCellReader<'b, Cursor<&'a [u8]>>>),
    Range {
        range: calamine::Range<Data>,
        next: usize,
    },
}

/// One row: its 0-based sheet row and its non-empty cells as (0-based column, value). A shared
/// string is borrowed from the workbook, not copied.
pub type Row<'b> = (u32, Vec<(u32, Cow<'b, str>)>);

/// The rows of one worksheet; see the module doc.
pub struct Rows<'b, 'a> {
    source: Source<'b, 'a>,
    /// `file!sheet`, for messages.
    shown: String,
    pending: Option<(u32, u32, Cow<'b, str>)>,
    /// The source has no more cells (calamine's stream must not be read past its end).
    done: bool,
    cells: usize,
    /// Top, left, bottom, right of the cells read so far.
    span: Option<(u32, u32, u32, u32)>,
}

impl<'b, 'a> Rows<'b, 'a> {
    /// The rows of sheet `name` of `book` (opened from `file`).
    pub fn open(book: &'b mut Book<'a>, file: &str, name: &str) -> Result<Self> {
        let shown = format!("{file}!{name}");
        let unreadable = |e: &dyn std::fmt::Display| Error::Malformed {
            location: Location::file(&shown),
            message: unreadable_sheet(e),
        };
        let source = match book {
            calamine::Sheets::Xlsx(xlsx) => Source::Stream(Box::new(
                xlsx.worksheet_cells_reader(name)
                    .map_err(|e| unreadable(&e))?,
            )),
            other => Source::Range {
                range: other.worksheet_range(name).map_err(|e| unreadable(&e))?,
                next: 0,
            },
        };
        Ok(Self {
            source,
            shown,
            pending: None,
            done: false,
            cells: 0,
            span: None,
        })
    }

    fn refuse(&self, message: String) -> Error {
        Error::Malformed {
            location: Location::file(&self.shown),
            message,
        }
    }

    /// The next non-empty cell in sheet order, counted and checked against the limits.
    fn next_cell(&mut self) -> Result<Option<(u32, u32, Cow<'b, str>)>> {
        if self.done {
            return Ok(None);
        }
        loop {
            let (r, c, value) = match &mut self.source {
                Source::Stream(reader) => {
                    let next = reader.next_cell().map_err(|e| Error::Malformed {
                        location: Location::file(&self.shown),
                        message: unreadable_sheet(&e),
                    })?;
                    let Some(cell) = next else {
                        self.done = true;
                        return Ok(None);
                    };
                    let (r, c) = cell.get_position();
                    let value = cell.get_value();
                    if value.is_empty() {
                        continue;
                    }
                    let text = match value {
                        calamine::DataRef::SharedString(s) => Cow::Borrowed(*s),
                        calamine::DataRef::String(s) => Cow::Owned(s.clone()),
                        other => Cow::Owned(super::cell_text(&Data::from(other.clone()))),
                    };
                    (r, c, text)
                }
                Source::Range { range, next } => {
                    let (top, left) = range.start().unwrap_or((0, 0));
                    let width = range.width().max(1);
                    let at = *next;
                    let Some(value) = range.get((at / width, at % width)).cloned() else {
                        self.done = true;
                        return Ok(None);
                    };
                    *next += 1;
                    if value.is_empty() {
                        continue;
                    }
                    let r = top.saturating_add(u32::try_from(at / width).unwrap_or(u32::MAX));
                    let c = left.saturating_add(u32::try_from(at % width).unwrap_or(u32::MAX));
                    (r, c, Cow::Owned(super::cell_text(&value)))
                }
            };
            self.cells += 1;
            if self.cells > limits::MAX_CELLS {
                return Err(self.refuse(format!(
                    "工作表的非空单元格超过 {} 个的上限，未读取",
                    format_count(limits::MAX_CELLS as u64)
                )));
            }
            let (top, left, bottom, right) = self.span.unwrap_or((r, c, r, c));
            let span = (top.min(r), left.min(c), bottom.max(r), right.max(c));
            self.span = Some(span);
            let area =
                u64::from(span.2 - span.0 + 1).saturating_mul(u64::from(span.3 - span.1 + 1));
            if area > limits::MAX_AREA {
                return Err(self.refuse(format!(
                    "工作表的单元格分布在 {}:{} 范围内（{} 个单元格），超过 {} 个的上限，未读取；请删除远处的零散单元格",
                    cell_ref(span.0, span.1),
                    cell_ref(span.2, span.3),
                    format_count(area),
                    format_count(limits::MAX_AREA)
                )));
            }
            return Ok(Some((r, c, value)));
        }
    }

    /// The next row that has a non-empty cell. Rows must come in ascending order (as Excel
    /// writes them); a row out of order is a located error.
    pub fn next_row(&mut self) -> Result<Option<Row<'b>>> {
        let first = match self.pending.take() {
            Some(cell) => cell,
            None => match self.next_cell()? {
                Some(cell) => cell,
                None => return Ok(None),
            },
        };
        let row = first.0;
        let mut cells = vec![(first.1, first.2)];
        while let Some((r, c, value)) = self.next_cell()? {
            if r == row {
                cells.push((c, value));
                continue;
            }
            if r < row {
                return Err(Error::Malformed {
                    location: Location::file(format!("{}!{}", self.shown, cell_ref(r, c))),
                    message: format!(
                        "工作表的行顺序错乱（第 {} 行之后出现第 {} 行），未读取",
                        row + 1,
                        r + 1
                    ),
                });
            }
            self.pending = Some((r, c, value));
            break;
        }
        Ok(Some((row, cells)))
    }
}

/// The message for a sheet calamine cannot read; a part larger than its zip entry declares (a
/// crafted file: the zip reader stops at the declared size) is said in words.
fn unreadable_sheet(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string();
    if text.contains("larger than its declared uncompressed size") {
        "工作表解压后比工作簿中声明的大小更大（文件损坏或被篡改），未读取".to_owned()
    } else {
        format!("无法读取工作表: {text}")
    }
}
