//! Build the crafted inputs of the hostile-files review (issue 15) into a folder, for
//! `tools/hostile.sh` to run the CLI on each under a 2 GB address-space limit and a 20 s timeout.
//! Nothing here is committed: every case is generated from the in-repo sample data.
//!
//! `cargo run --release --example hostile -- OUT_DIR [--only NAME]`
//!
//! Cases (file or folder names in `OUT_DIR`):
//! - `xfd.xlsx`: a 2 KB workbook with one cell at XFD1048576;
//! - `zip-bomb.xlsx`: a sheet that expands to 1.5 GB, its sizes declared honestly;
//! - `zip-bomb-lying.xlsx`: the same with its declared sizes patched to 1 KB;
//! - `sst-bomb.xlsx`: shared strings of 60 million empty entries (960 MB of XML, ~1 MB zipped);
//! - `rows-1m.xlsx`: a valid `amounts` sheet of ~1 million rows (the sample rows, many departments);
//! - `csv-200mb/amounts.csv`: the same rows as ~200 MB of canonical CSV;
//! - `huge-sums/`: the sample with three project budgets of 5e28 (their sum passes a decimal);
//! - `zero.csv`: a link to /dev/zero; `fifo.csv`: a named pipe;
//! - `pdf-flate-bomb.pdf`: a page whose content stream expands to 600 MB (~600 KB zipped);
//! - `pdf-huge-size.pdf`: a trailer declaring two billion objects;
//! - `pdf-pages.pdf`: a page tree of 3,000 pages (one page object listed 3,000 times);
//! - `pdf-glyphs.pdf`: one page drawing 300,000 characters;
//! - `ods-repeat.ods`: an Open Document sheet of one text cell repeated over 10,000 columns and
//!   10,000 rows (100 million cells from 1 KB of XML).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a developer tool: any failure is fatal

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");
const DEPARTMENT: &str = "深圳市社会保险基金管理局";
/// 5e28: one fits a decimal, two added do not.
const HUGE: &str = "50000000000000000000000000000";

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(args.get(1).ok_or("usage: hostile OUT_DIR [--only NAME]")?);
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1));
    std::fs::create_dir_all(&out)?;
    let want = |name: &str| only.is_none_or(|o| o == name);
    if want("xfd.xlsx") {
        xfd(&out.join("xfd.xlsx"))?;
    }
    if want("zip-bomb.xlsx") || want("zip-bomb-lying.xlsx") {
        let honest = out.join("zip-bomb.xlsx");
        bomb(&honest, "xl/worksheets/sheet1.xml", sheet_bomb)?;
        let lying = out.join("zip-bomb-lying.xlsx");
        std::fs::copy(&honest, &lying)?;
        lie_about_size(&lying, "xl/worksheets/sheet1.xml", 1024)?;
    }
    if want("sst-bomb.xlsx") {
        bomb(&out.join("sst-bomb.xlsx"), "xl/sharedStrings.xml", sst_bomb)?;
    }
    if want("rows-1m.xlsx") {
        rows_xlsx(&out.join("rows-1m.xlsx"), 1350)?;
    }
    if want("csv-200mb") {
        let dir = out.join("csv-200mb");
        std::fs::create_dir_all(&dir)?;
        rows_csv(&dir.join("amounts.csv"), 1320)?;
    }
    if want("huge-sums") {
        huge_sums(&out.join("huge-sums"))?;
    }
    if want("pdf") {
        pdfs(&out)?;
    }
    if want("ods-repeat.ods") {
        ods(&out.join("ods-repeat.ods"))?;
    }
    #[cfg(unix)]
    if want("zero.csv") || want("fifo.csv") {
        let zero = out.join("zero.csv");
        let _ = std::fs::remove_file(&zero);
        std::os::unix::fs::symlink("/dev/zero", &zero)?;
        let fifo = out.join("fifo.csv");
        let _ = std::fs::remove_file(&fifo);
        let status = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        if !status.success() {
            return Err("mkfifo failed".into());
        }
    }
    Ok(())
}

/// The sample `amounts` rows: header and data lines.
fn sample_rows() -> Res<(String, Vec<String>)> {
    let text = std::fs::read_to_string(Path::new(SAMPLE).join("amounts.csv"))?;
    let mut lines = text.lines().map(str::to_owned);
    let header = lines.next().ok_or("empty sample")?;
    Ok((header, lines.collect()))
}

/// `copies` copies of the sample rows, the department renamed `部门N` in copy N.
fn rows_csv(path: &Path, copies: usize) -> Res<()> {
    let (header, rows) = sample_rows()?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "{header}")?;
    for n in 0..copies {
        let name = format!("部门{n:04}");
        for row in &rows {
            writeln!(w, "{}", row.replacen(DEPARTMENT, &name, 1))?;
        }
    }
    w.flush()?;
    Ok(())
}

fn rows_xlsx(path: &Path, copies: usize) -> Res<()> {
    let (header, rows) = sample_rows()?;
    let parse = |line: &str| -> Vec<String> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        r.records()
            .next()
            .and_then(Result::ok)
            .map(|rec| rec.iter().map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("amounts")?;
    for (c, name) in parse(&header).iter().enumerate() {
        sheet.write_string(0, u16::try_from(c)?, name)?;
    }
    let parsed: Vec<Vec<String>> = rows.iter().map(|r| parse(r)).collect();
    let mut row = 1u32;
    for n in 0..copies {
        let name = format!("部门{n:04}");
        for cells in &parsed {
            for (c, text) in cells.iter().enumerate() {
                if text.is_empty() {
                    continue;
                }
                let text = if c == 0 { &name } else { text };
                sheet.write_string(row, u16::try_from(c)?, text)?;
            }
            row += 1;
        }
    }
    book.save(path)?;
    Ok(())
}

fn xfd(path: &Path) -> Res<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("amounts")?;
    sheet.write_string(0, 0, "department")?;
    sheet.write_string(1_048_575, 16_383, "x")?;
    book.save(path)?;
    Ok(())
}

/// A small valid workbook (sheet `amounts`, one string cell) whose part `part` is replaced by
/// what `fill` streams into it.
fn bomb(path: &Path, part: &str, fill: fn(&mut dyn Write) -> std::io::Result<()>) -> Res<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("amounts")?;
    sheet.write_string(0, 0, "department")?;
    let small = book.save_to_buffer()?;
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(small))?;
    let mut dst = zip::ZipWriter::new(std::fs::File::create(path)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for i in 0..src.len() {
        let mut entry = src.by_index(i)?;
        let name = entry.name()?.into_owned();
        dst.start_file(name.as_str(), options)?;
        if name == part {
            fill(&mut dst)?;
        } else {
            let mut data = Vec::new();
            entry.read_to_end(&mut data)?;
            dst.write_all(&data)?;
        }
    }
    dst.finish()?;
    Ok(())
}

/// 1.5 GB of rows of one inline-string cell each.
fn sheet_bomb(w: &mut dyn Write) -> std::io::Result<()> {
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)?;
    let row = br#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#.repeat(20_000);
    let mut written = 0usize;
    while written < 1_500_000_000 {
        w.write_all(&row)?;
        written += row.len();
    }
    w.write_all(b"</sheetData></worksheet>")
}

/// Shared strings of 60 million empty entries.
fn sst_bomb(w: &mut dyn Write) -> std::io::Result<()> {
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="60000000" uniqueCount="60000000">"#)?;
    let si = b"<si><t></t></si>".repeat(100_000);
    for _ in 0..600 {
        w.write_all(&si)?;
    }
    w.write_all(b"</sst>")
}

/// Patch the uncompressed size that the local header and the central directory declare for
/// `part` (a zip without zip64 fields).
fn lie_about_size(path: &Path, part: &str, size: u32) -> Res<()> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.read_to_end(&mut bytes)?;
    let name = part.as_bytes();
    let mut patched = 0;
    for at in 0..bytes.len().saturating_sub(46) {
        let sig = &bytes[at..at + 4];
        let (size_at, name_at) = match sig {
            [0x50, 0x4b, 0x03, 0x04] => (at + 22, at + 30),
            [0x50, 0x4b, 0x01, 0x02] => (at + 24, at + 46),
            _ => continue,
        };
        if bytes.get(name_at..name_at + name.len()) == Some(name) {
            bytes[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    if patched != 2 {
        return Err(format!("patched {patched} headers, expected 2").into());
    }
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.seek(std::io::SeekFrom::Start(0))?;
    f.write_all(&bytes)?;
    Ok(())
}

/// A dataset whose project budgets sum past 7.9e28 (each fits a decimal; their sum does not).
fn huge_sums(dir: &Path) -> Res<()> {
    std::fs::create_dir_all(dir)?;
    for file in std::fs::read_dir(SAMPLE)? {
        let file = file?.path();
        std::fs::copy(&file, dir.join(file.file_name().ok_or("name")?))?;
    }
    let projects = std::fs::read_to_string(dir.join("projects.csv"))?;
    let mut lines = projects.lines();
    let header = lines.next().ok_or("empty projects")?;
    let columns: Vec<&str> = header.split(',').collect();
    let at = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .ok_or("no such column")
    };
    let (budget, executed) = (at("budget_full_year")?, at("executed")?);
    let mut out = format!("{header}\n");
    let mut changed = 0;
    for line in lines {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let rec = r.records().next().ok_or("row")??;
        let mut cells: Vec<String> = rec.iter().map(str::to_owned).collect();
        if changed < 3 && !cells[budget].is_empty() {
            cells[budget] = HUGE.to_owned();
            cells[executed] = HUGE.to_owned();
            changed += 1;
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&cells)?;
        out.push_str(std::str::from_utf8(&w.into_inner()?)?);
    }
    std::fs::write(dir.join("projects.csv"), out)?;
    Ok(())
}

/// A PDF of `objects` (object n is `objects[n - 1]`, object 1 the catalog), its trailer
/// declaring `size` objects (`None`: the true count).
fn raw_pdf(objects: &[Vec<u8>], size: Option<u64>) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    let size = size.unwrap_or(objects.len() as u64 + 1);
    out.extend(
        format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend(data);
    v.extend(b"\nendstream");
    v
}

/// Catalog, pages (`kids` times page 3), page 3 with content object 4 and font object 5.
fn one_page_pdf(content: Vec<u8>, kids: usize, size: Option<u64>) -> Vec<u8> {
    let kids_list = vec!["3 0 R"; kids].join(" ");
    raw_pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            format!("<< /Type /Pages /Kids [{kids_list}] /Count {kids} >>").into_bytes(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
            content,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ],
        size,
    )
}

fn pdfs(out: &Path) -> Res<()> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..600 {
        z.write_all(&spaces)?;
    }
    let bomb = stream("/Filter /FlateDecode", &z.finish()?);
    std::fs::write(out.join("pdf-flate-bomb.pdf"), one_page_pdf(bomb, 1, None))?;
    let text = stream("", b"BT /F1 12 Tf 72 720 Td (x) Tj ET");
    std::fs::write(
        out.join("pdf-huge-size.pdf"),
        one_page_pdf(text.clone(), 1, Some(2_000_000_000)),
    )?;
    std::fs::write(out.join("pdf-pages.pdf"), one_page_pdf(text, 3000, None))?;
    // 3,000 lines of 100 characters at 1 pt, all on the page: 300,000 glyphs
    let mut many = b"BT /F1 1 Tf 10 800 Td ".to_vec();
    for _ in 0..3000 {
        many.extend(b"(");
        many.extend([b'A'; 100]);
        many.extend(b") Tj 0 -0.25 Td ");
    }
    many.extend(b"ET");
    std::fs::write(
        out.join("pdf-glyphs.pdf"),
        one_page_pdf(stream("", &many), 1, None),
    )?;
    Ok(())
}

fn ods(path: &Path) -> Res<()> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="amounts"><table:table-row table:number-rows-repeated="10000"><table:table-cell office:value-type="string" table:number-columns-repeated="10000"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")?;
    zip.start_file("content.xml", stored)?;
    zip.write_all(content.as_bytes())?;
    zip.start_file("META-INF/manifest.xml", stored)?;
    zip.write_all(manifest.as_bytes())?;
    zip.finish()?;
    Ok(())
}
