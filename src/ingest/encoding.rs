//! Text decoding of input files: UTF-8 (with or without BOM) or GBK.
//!
//! Chinese Excel and WPS still save "CSV" in the ANSI code page (GBK / GB18030) by default, so a
//! file that is not valid UTF-8 is decoded as GBK. A file that is neither is an error located at
//! the line of its first undecodable byte.

use std::borrow::Cow;

use crate::error::{Error, Location, Result};

/// The encoding a text file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel writes for "CSV UTF-8").
    Utf8Bom,
    /// GBK (decoded with the GB18030 decoder, a superset).
    Gbk,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8（带 BOM）",
            TextEncoding::Gbk => "GBK",
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decode `bytes`: valid UTF-8 (a leading BOM is dropped) → UTF-8; otherwise GBK. `file` names
/// the input in the error.
pub fn decode_text<'a>(file: &str, bytes: &'a [u8]) -> Result<(Cow<'a, str>, TextEncoding)> {
    if let Some(rest) = bytes.strip_prefix(BOM) {
        return std::str::from_utf8(rest)
            .map(|t| (Cow::Borrowed(t), TextEncoding::Utf8Bom))
            .map_err(|e| {
                not_text(
                    file,
                    rest,
                    e.valid_up_to(),
                    "UTF-8（文件以 UTF-8 BOM 开头）",
                )
            });
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(t) => return Ok((Cow::Borrowed(t), TextEncoding::Utf8)),
        Err(e) => e,
    };
    match encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text, TextEncoding::Gbk)),
        None => Err(not_text(
            file,
            bytes,
            utf8_error.valid_up_to(),
            "UTF-8 或 GBK",
        )),
    }
}

fn not_text(file: &str, bytes: &[u8], at: usize, expected: &str) -> Error {
    let line = 1 + bytes
        .get(..at)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
    Error::Malformed {
        location: Location {
            file: file.to_owned(),
            line: Some(line),
            column: None,
        },
        message: format!(
            "不是 {expected} 编码的文本（第 {} 字节附近无法解码）",
            at + 1
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn utf8_bom_gbk() {
        let (t, e) = decode_text("a", "年度,金额".as_bytes()).unwrap();
        assert_eq!((t.as_ref(), e), ("年度,金额", TextEncoding::Utf8));
        let (t, e) = decode_text("a", "\u{feff}年度".as_bytes()).unwrap();
        assert_eq!((t.as_ref(), e), ("年度", TextEncoding::Utf8Bom));
        let (gbk, _, _) = encoding_rs::GBK.encode("社会保障和就业支出");
        let (t, e) = decode_text("a", &gbk).unwrap();
        assert_eq!((t.as_ref(), e), ("社会保障和就业支出", TextEncoding::Gbk));
    }

    #[test]
    fn undecodable_is_located() {
        let err = decode_text("x.csv", b"a,b\n1,2\n\xff\xff\xff\n").unwrap_err();
        assert!(err.to_string().starts_with("x.csv:3"), "{err}");
    }
}
