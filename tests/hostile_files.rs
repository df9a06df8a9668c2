//! Crafted workbooks and PDFs: shared strings that would not fit in memory, rows out of order,
//! cells outside the table, too many pages or characters, a time budget. Each is a located
//! refusal, decided before anything the size of the declared data is allocated (calamine
//! reserves room for as many shared strings as a workbook declares, so a 2 KB file could abort
//! the process).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::pdf::{PdfPage, write_pdf};
use fiscal_lens::ingest::pdf::{Limits, read_pdf};

use std::io::{Read, Write};

use fiscal_lens::ingest::canonical;
use fiscal_lens::ingest::xlsx::{cell_ref, read_workbook, sheets_as_text};

/// A small workbook (one sheet `amounts`, one text cell) with its part `part` replaced by `xml`.
fn with_part(part: &str, xml: &[u8]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("amounts").unwrap();
    sheet.write_string(0, 0, "department").unwrap();
    let small = book.save_to_buffer().unwrap();
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(small)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        out.start_file(name.as_str(), options).unwrap();
        if name == part {
            out.write_all(xml).unwrap();
        } else {
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            out.write_all(&data).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

fn first_table_error(bytes: &[u8]) -> String {
    match read_workbook("书.xlsx", bytes) {
        Err(e) => e.to_string(),
        Ok(book) => book
            .tables
            .into_iter()
            .next()
            .unwrap()
            .1
            .unwrap_err()
            .to_string(),
    }
}

const SST_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;

#[test]
fn shared_strings_beyond_the_caps_are_refused_before_calamine_reserves_them() {
    // a declared count of four billion: calamine would reserve 96 GB at once
    let declared = with_part(
        "xl/sharedStrings.xml",
        format!(
            r#"{SST_HEAD} count="1" uniqueCount="4000000000"><si><t>department</t></si></sst>"#
        )
        .as_bytes(),
    );
    assert!(declared.len() < 10_000);
    let e = first_table_error(&declared);
    assert!(
        e.contains("书.xlsx!xl/sharedStrings.xml") && e.contains("声明 4,000,000,000 个"),
        "{e}"
    );
    // an honest declaration, but eleven million entries (55 MB of XML, a few hundred KB zipped)
    let mut xml = format!(r#"{SST_HEAD} count="1">"#).into_bytes();
    xml.extend(b"<si/>".repeat(11_000_000));
    xml.extend(b"</sst>");
    let counted = with_part("xl/sharedStrings.xml", &xml);
    let e = first_table_error(&counted);
    assert!(e.contains("已数到") && e.contains("上限"), "{e}");
    assert!(sheets_as_text("书.xlsx", &counted).is_err());
    // a workbook within the caps still reads
    let fine = with_part(
        "xl/sharedStrings.xml",
        format!(r#"{SST_HEAD} count="1" uniqueCount="1"><si><t>department</t></si></sst>"#)
            .as_bytes(),
    );
    let e = first_table_error(&fine);
    assert!(
        e.contains("表头包含列"),
        "read, then refused for its columns: {e}"
    );
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;

fn cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

#[test]
fn rows_out_of_order_and_cells_left_of_the_header_are_located() {
    let sheet = format!(
        r#"{SHEET_HEAD}<row r="3">{}</row><row r="2">{}</row></sheetData></worksheet>"#,
        cell("A3", "x"),
        cell("A2", "y")
    );
    let book = with_part("xl/worksheets/sheet1.xml", sheet.as_bytes());
    let e = first_table_error(&book);
    assert!(
        e.contains("书.xlsx!amounts!A2") && e.contains("行顺序"),
        "{e}"
    );
    let e = sheets_as_text("书.xlsx", &book).unwrap_err().to_string();
    assert!(e.contains("行顺序"), "{e}");

    // the whole header, from B1
    let header: String = canonical::AMOUNTS
        .columns
        .iter()
        .zip(1u32..)
        .map(|(c, i)| cell(&cell_ref(0, i), c.name))
        .collect();
    let sheet = format!(
        r#"{SHEET_HEAD}<row r="1">{header}</row><row r="2">{}</row></sheetData></worksheet>"#,
        cell("A2", "深圳")
    );
    let book = with_part("xl/worksheets/sheet1.xml", sheet.as_bytes());
    let e = first_table_error(&book);
    assert!(
        e.contains("书.xlsx!amounts!A2") && e.contains("表头左侧") && e.contains("B1"),
        "{e}"
    );
}

/// A report workbook read as text keeps line *n* = row *n* and cells in their columns, streamed.
#[test]
fn report_sheets_become_text_row_by_row() {
    let sheet = format!(
        r#"{SHEET_HEAD}<row r="2">{}</row><row r="4">{}{}</row></sheetData></worksheet>"#,
        cell("A2", "一般公共预算财政拨款收入支出决算表"),
        cell("B4", "201"),
        cell("D4", "1.38")
    );
    let book = with_part("xl/worksheets/sheet1.xml", sheet.as_bytes());
    let sheets = sheets_as_text("书.xlsx", &book).unwrap();
    assert_eq!(
        sheets[0].1,
        "\n一般公共预算财政拨款收入支出决算表\n\n|  | 201 |  | 1.38 |\n"
    );
}

/// The PDF reader's bounds, each with a located message: pages (the file), characters per page
/// (that page skipped, the rest read) and the time budget (the file refused, not half read).
#[test]
fn pdf_limits_are_located() {
    let mut pages = Vec::new();
    for n in 0..3 {
        let mut page = PdfPage::new(595.0, 842.0);
        page.text(72.0, 100.0, 12.0, &format!("第{n}页 一般公共预算支出"));
        if n == 1 {
            for i in 0..40 {
                page.text(72.0, 120.0 + 12.0 * i as f32, 10.0, "项目支出明细");
            }
        }
        pages.push(page);
    }
    let bytes = write_pdf(&pages);
    let all = read_pdf("限.pdf", &bytes, Limits::default()).unwrap();
    assert_eq!((all.document.pages.len(), all.problems.len()), (3, 0));

    let e = read_pdf(
        "限.pdf",
        &bytes,
        Limits {
            max_pages: 2,
            ..Limits::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("限.pdf") && e.contains("3 页") && e.contains("上限 2 页"),
        "{e}"
    );

    let few = read_pdf(
        "限.pdf",
        &bytes,
        Limits {
            max_glyphs: 100,
            ..Limits::default()
        },
    )
    .unwrap();
    assert_eq!(few.document.pages.len(), 3, "the page stays, empty");
    assert_eq!(few.problems.len(), 1, "{:?}", few.problems);
    assert_eq!(few.problems[0].page, 2);
    assert!(
        few.problems[0].message.contains("超过上限 100"),
        "{:?}",
        few.problems
    );

    let e = read_pdf(
        "限.pdf",
        &bytes,
        Limits {
            max_seconds: 0,
            ..Limits::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("限.pdf") && e.contains("0 秒的上限") && e.contains("第 1 页起未读取"),
        "{e}"
    );
}

/// An Open Document workbook with one sheet `amounts` whose rows are `rows_xml`.
fn ods(rows_xml: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="amounts">{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_str()),
        ("META-INF/manifest.xml", manifest),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn ods_cell(text: &str, repeat: u32) -> String {
    format!(
        r#"<table:table-cell office:value-type="string" table:number-columns-repeated="{repeat}"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// 1 KB of Open Document XML declaring a hundred million cells aborted the process (calamine
/// expands repeats); it is refused before calamine sees it. A LibreOffice-style sheet with a
/// million trailing empty rows still reads.
#[test]
fn repeated_opendocument_cells_are_counted_before_calamine_expands_them() {
    let bomb = ods(&format!(
        r#"<table:table-row table:number-rows-repeated="10000">{}</table:table-row>"#,
        ods_cell("x", 10_000)
    ));
    assert!(bomb.len() < 3_000);
    let e = sheets_as_text("表.ods", &bomb).unwrap_err().to_string();
    assert!(
        e.contains("表.ods!amounts") && e.contains("20,000,000 个单元格的上限"),
        "{e}"
    );
    assert!(first_table_error(&bomb).contains("上限"));

    let libreoffice = ods(&format!(
        r#"<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        ods_cell("部门", 1),
        ods_cell("2020", 2)
    ));
    let sheets = sheets_as_text("表.ods", &libreoffice).unwrap();
    assert_eq!(sheets[0].1, "| 部门 | 2020 | 2020 |\n");
}

/// `book` with the uncompressed size that the local header and the central directory declare
/// for `part` set to `size`.
fn declare_size(mut book: Vec<u8>, part: &str, size: u32) -> Vec<u8> {
    let name = part.as_bytes();
    let mut patched = 0;
    for at in 0..book.len() - 46 {
        let (size_at, name_at) = match &book[at..at + 4] {
            [0x50, 0x4b, 0x03, 0x04] => (at + 22, at + 30),
            [0x50, 0x4b, 0x01, 0x02] => (at + 24, at + 46),
            _ => continue,
        };
        if book.get(name_at..name_at + name.len()) == Some(name) {
            book[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local header and central directory");
    book
}

/// A zip bomb either declares its expanded size (refused before anything is expanded) or lies
/// about it (the zip reader stops at the declared size; the sheet is refused in words).
#[test]
fn workbook_parts_are_bounded_by_their_declared_size() {
    let rows = format!(
        "{SHEET_HEAD}{}</sheetData></worksheet>",
        format!("<row>{}</row>", cell("A1", "x")).repeat(20_000)
    );
    let book = with_part("xl/worksheets/sheet1.xml", rows.as_bytes());
    let part = "xl/worksheets/sheet1.xml";
    let lying = declare_size(book.clone(), part, 1024);
    let e = first_table_error(&lying);
    assert!(
        e.contains("书.xlsx!amounts") && e.contains("比工作簿中声明的大小更大"),
        "{e}"
    );
    let declared = declare_size(book, part, 1_500_000_000);
    let e = first_table_error(&declared);
    assert!(
        e.contains("书.xlsx!xl/worksheets/sheet1.xml")
            && e.contains("解压后过大")
            && e.contains("上限每部分 1 GB"),
        "{e}"
    );
}

/// A one-page PDF whose page object's header holds a stray CJK character: `pdf_oxide` panics on
/// it (a string sliced inside a character). The CLI reports the page as unreadable — a located
/// warning, no crash report on stderr, exit 2 (nothing importable).
#[test]
fn a_parser_panic_is_a_quiet_located_problem() {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_owned(),
        "<< /Length 0 >>\nstream\n\nendstream".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        let n = if i == 2 {
            "3 合".to_owned()
        } else {
            format!("{} ", i + 1)
        };
        pdf.extend(format!("{n}0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(b"xref\n0 5\n0000000000 65535 f \n");
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("异常.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = common::bin()
        .arg("import")
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("异常.pdf#page=1") && stdout.contains("解析器异常"),
        "{stdout}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // the page was skipped for the parser's problem; it is not called a scan
    assert!(!stdout.contains("没有文字层"), "{stdout}");
}

/// A PDF refused before any page is read says why as the input's error (it said "no table in
/// 0 pages").
#[test]
fn a_refused_pdf_says_why() {
    let pages = vec![PdfPage::new(595.0, 842.0); 2_001];
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("厚.pdf");
    std::fs::write(&path, write_pdf(&pages)).unwrap();
    let (ds, report) = fiscal_lens::Dataset::import(&[path]);
    assert!(ds.is_none());
    let errors: Vec<String> = report.errors().map(ToString::to_string).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("厚.pdf") && e.contains("2,001 页，超过上限 2,000 页")),
        "{errors:?}"
    );
    assert!(
        !errors.iter().any(|e| e.contains("0 页中没有")),
        "{errors:?}"
    );
}
