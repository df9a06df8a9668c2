//! Open Document sheets declare repeated rows and cells (`table:number-rows-repeated`,
//! `table:number-columns-repeated`); calamine expands them into cells and then a dense range,
//! so 1 KB of XML can ask for a hundred million cells (it aborted the process). The sheet XML is
//! streamed here first and the cells calamine would make are counted: the cells of rows that
//! hold a value, and the rectangle from the first to the last such row and column. Trailing
//! empty rows and cells (Libre Office writes a million of them) cost nothing and are not counted.

use std::io::{BufReader, Read};

use quick_xml::events::{BytesStart, Event};

use super::{cell_ref, limits};
use crate::error::{Error, Location, Result};
use crate::model::format_count;

fn repeat(e: &BytesStart<'_>, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.0 == name)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn has_value(e: &BytesStart<'_>) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.0 == "office:value-type")
}

/// One sheet being counted.
#[derive(Default)]
struct Sheet {
    name: String,
    rows: u64,
    cells: u64,
    first_row: Option<u64>,
    last_row: u64,
    width: u64,
}

/// The row being read.
#[derive(Default)]
struct Row {
    repeat: u64,
    col: u64,
    /// End column of the last cell with a value.
    last: u64,
    cell_repeat: u64,
    cell_has_value: bool,
    in_cell: bool,
}

/// Refuse an Open Document workbook (a zip holding `content.xml`) whose sheets would expand to
/// more cells than the limits allow; other zips pass.
pub fn check(file: &str, zip: &mut super::Zip<'_>) -> Result<()> {
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader =
        quick_xml::Reader::from_reader(BufReader::new(content.take(limits::MAX_PART_BYTES)));
    let mut buf = Vec::new();
    let mut sheet = Sheet::default();
    let mut row = Row::default();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Error::Malformed {
                location: Location::file(format!("{file}!content.xml")),
                message: format!("无法读取表格内容: {e}"),
            })?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => return Ok(()),
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                sheet = Sheet {
                    name: e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.0 == "table:name")
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default(),
                    ..Sheet::default()
                };
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row = Row {
                    repeat: repeat(&e, "table:number-rows-repeated"),
                    ..Row::default()
                };
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                sheet.rows = sheet
                    .rows
                    .saturating_add(repeat(&e, "table:number-rows-repeated"));
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                row.cell_repeat = repeat(&e, "table:number-columns-repeated");
                row.cell_has_value = has_value(&e);
                row.in_cell = true;
                if empty {
                    end_cell(&mut row);
                }
            }
            Event::Start(e) if row.in_cell && e.name().as_ref() == "text:p" => {
                row.cell_has_value = true;
            }
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                end_cell(&mut row);
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                end_row(&mut sheet, &row);
                let area = sheet.first_row.map_or(0, |first| {
                    (sheet.last_row - first + 1).saturating_mul(sheet.width)
                });
                if sheet.cells > limits::MAX_ODS_CELLS || area > limits::MAX_ODS_CELLS {
                    return Err(Error::Malformed {
                        location: Location::file(format!("{file}!{}", sheet.name)),
                        message: format!(
                            "工作表经重复行列展开后超过 {} 个单元格的上限（到 {} 为止已有 {} 个，范围 {} 个），未读取",
                            format_count(limits::MAX_ODS_CELLS),
                            cell_ref(
                                u32::try_from(sheet.last_row).unwrap_or(u32::MAX),
                                u32::try_from(sheet.width.saturating_sub(1)).unwrap_or(u32::MAX)
                            ),
                            format_count(sheet.cells),
                            format_count(area)
                        ),
                    });
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

fn end_cell(row: &mut Row) {
    row.col = row.col.saturating_add(row.cell_repeat);
    if row.cell_has_value {
        row.last = row.col;
    }
    row.in_cell = false;
}

fn end_row(sheet: &mut Sheet, row: &Row) {
    if row.last > 0 {
        sheet.first_row.get_or_insert(sheet.rows);
        sheet.last_row = sheet.rows.saturating_add(row.repeat.saturating_sub(1));
        sheet.width = sheet.width.max(row.last);
        sheet.cells = sheet
            .cells
            .saturating_add(row.repeat.saturating_mul(row.last));
    }
    sheet.rows = sheet.rows.saturating_add(row.repeat);
}
