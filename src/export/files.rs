//! Writing an export: CSV (UTF-8 with BOM, exact decimals) or XLSX, to a temporary file renamed
//! over the target.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn csv_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Money(d) => d.normalize().to_string(),
        // Ratios to 6 decimals (0.0001 %): exact enough for any share, readable in Excel.
        Cell::Ratio(d) => d.round_dp(6).normalize().to_string(),
        Cell::Empty => String::new(),
    }
}

/// CSV bytes: BOM, the title and filter lines, the header, the rows (exact decimals).
pub fn csv_bytes(t: &ExportTable) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        let err = |e: csv::Error| Error::Malformed {
            location: Location::file("CSV"),
            message: e.to_string(),
        };
        w.write_record([t.title.as_str()]).map_err(err)?;
        w.write_record([t.filters.as_str()]).map_err(err)?;
        w.write_record(&t.headers).map_err(err)?;
        for row in &t.rows {
            w.write_record(row.iter().map(csv_text)).map_err(err)?;
        }
        w.flush().map_err(|e| Error::write("CSV", e))?;
    }
    Ok(out)
}

/// XLSX bytes: title and filter rows, a bold frozen header, numbers with formats, widths.
pub fn xlsx_bytes(t: &ExportTable) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Malformed {
        location: Location::file("XLSX"),
        message: e.to_string(),
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("导出").map_err(err)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00####");
    let pct = Format::new().set_num_format("0.00%");
    ws.write_string_with_format(0, 0, &t.title, &bold)
        .map_err(err)?;
    ws.write_string(1, 0, &t.filters).map_err(err)?;
    for (c, h) in t.headers.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(3, col, h, &bold).map_err(err)?;
        let width = t
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(|cell| match cell {
                Cell::Text(s) => s.chars().count() * 2,
                Cell::Money(_) => 16,
                Cell::Ratio(_) => 9,
                Cell::Empty => 0,
            })
            .chain(std::iter::once(h.chars().count() * 2))
            .max()
            .unwrap_or(10)
            .clamp(6, 60);
        ws.set_column_width(col, width as f64).map_err(err)?;
    }
    ws.set_freeze_panes(4, 0).map_err(err)?;
    for (r, row) in t.rows.iter().enumerate() {
        let rr = u32::try_from(r + 4).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(s) => {
                    ws.write_string(rr, col, s).map_err(err)?;
                }
                Cell::Money(d) => {
                    ws.write_number_with_format(rr, col, d.to_f64().unwrap_or(0.0), &money)
                        .map_err(err)?;
                }
                Cell::Ratio(d) => {
                    ws.write_number_with_format(rr, col, d.to_f64().unwrap_or(0.0), &pct)
                        .map_err(err)?;
                }
                Cell::Empty => {}
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// Write `t` to `path` (format from the extension) via a temporary file and a rename.
pub fn write(t: &ExportTable, path: &Path) -> Result<()> {
    let bytes = match ExportFormat::from_path(path) {
        ExportFormat::Csv => csv_bytes(t)?,
        ExportFormat::Xlsx => xlsx_bytes(t)?,
    };
    crate::ingest::write::write_file_atomic(&bytes, path)
}
