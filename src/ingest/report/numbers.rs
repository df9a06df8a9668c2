//! Numbers as printed in report text, with explicit OCR repair.
//!
//! A cell is either blank (empty or a placeholder such as `-`, `_`, `---`), a plain number, a
//! number that was repaired (digits split by spaces, misplaced thousands commas, a stray point
//! before `%`), or unreadable. Repairs are never silent: the caller turns [`Num::repair`] into a
//! warning and the `ocr_repaired` flag; unreadable cells become located errors.

use std::str::FromStr;

use rust_decimal::Decimal;

/// A number read from the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Num {
    /// The value as printed (in the printed unit; percentages are *not* divided by 100).
    pub value: Decimal,
    /// The cell text as printed (trimmed).
    pub raw: String,
    /// `Some(note)` when the printed text had to be repaired, e.g.
    /// `OCR '321,163.1 5' → 321163.15 (digits split by spaces)`.
    pub repair: Option<String>,
    /// Whether the number carried a `%` sign.
    pub percent: bool,
}

/// What a cell holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Blank,
    Number(Num),
    /// Non-blank text that is not a number.
    Text,
}

/// Placeholders that mean "nothing printed here".
const PLACEHOLDERS: [&str; 6] = ["", "_", "-", "--", "---", "—"];

/// Remove simple HTML-like tags (`<b>`, `</b>`, `<u>`) left by the extraction.
pub fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('<') {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        // a tag is `<`, optional `/`, ASCII letters, `>`
        let tail = after.get(1..).unwrap_or("");
        let tail2 = tail.strip_prefix('/').unwrap_or(tail);
        let letters = tail2.chars().take_while(char::is_ascii_alphabetic).count();
        if letters > 0 && tail2.get(letters..letters + 1) == Some(">") {
            let consumed = 1 + (tail.len() - tail2.len()) + letters + 1;
            rest = after.get(consumed..).unwrap_or("");
        } else {
            out.push('<');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Read one cell.
pub fn read_cell(raw: &str) -> Cell {
    let s = strip_tags(raw);
    let s = s.trim();
    if PLACEHOLDERS.contains(&s) {
        return Cell::Blank;
    }
    match parse_number(s) {
        Some(n) => Cell::Number(n),
        None => Cell::Text,
    }
}

/// Whether the cell reads as a number (repaired or not).
pub fn is_num(raw: &str) -> bool {
    matches!(read_cell(raw), Cell::Number(_))
}

/// Parse a printed number (already trimmed, tags removed). `None` when it is not a number.
pub fn parse_number(s: &str) -> Option<Num> {
    let mut what: Vec<&str> = Vec::new();
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let spaced = compact != s;
    let (body, percent) = match compact
        .strip_suffix('%')
        .or_else(|| compact.strip_suffix('％'))
    {
        Some(b) => (b, true),
        None => (compact.as_str(), false),
    };
    // `19.%`: a point with no decimals before the percent sign.
    let mut body = body.to_owned();
    if percent && body.ends_with('.') {
        body.pop();
        what.push("stray decimal point");
    }
    let digits = body.strip_prefix(['+', '-']).unwrap_or(&body);
    if digits.is_empty() || !digits.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let (int_part, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if !int_part.chars().all(|c| c.is_ascii_digit() || c == ',')
        || frac.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    let well_grouped = groups.len() == 1
        || (groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups.iter().skip(1).all(|g| g.len() == 3));
    if groups.iter().any(|g| g.is_empty()) {
        return None;
    }
    // a comma before a single digit (`5,0.2`) is no thousands separator moved by OCR but digits
    // lost or scrambled: unreadable, never guessed
    if !well_grouped && groups.iter().skip(1).any(|g| g.len() < 2) {
        return None;
    }
    // A complete amount after other digits (`29 1,154.62`: a row number and the amount of the next
    // column) is never joined to them: OCR splits digits inside one number, not before a whole one.
    if spaced {
        let parts: Vec<&str> = s.split_whitespace().collect();
        let whole = |p: &str| {
            let (int, frac) = p.split_once('.').unwrap_or((p, ""));
            let groups: Vec<&str> = int.split(',').collect();
            (p.contains(',') || !frac.is_empty())
                && int.chars().next().is_some_and(|c| c != '0' || int == "0")
                && groups
                    .first()
                    .is_some_and(|g| (1..=3).contains(&g.len()) || groups.len() == 1)
                && groups.iter().skip(1).all(|g| g.len() == 3)
                && frac.chars().all(|c| c.is_ascii_digit())
                && int.chars().all(|c| c.is_ascii_digit() || c == ',')
        };
        if parts.len() > 1 && parts.last().is_some_and(|p| whole(p)) {
            return None;
        }
    }
    // Two complete amounts printed side by side (`17,499,901 3,362,962`: adjacent cells) are never
    // joined into one: a space is repaired away only where the joined number is well formed.
    if spaced && !well_grouped {
        let complete = |p: &str| {
            let g: Vec<&str> = p.split('.').next().unwrap_or("").split(',').collect();
            (p.contains(',') || p.contains('.'))
                && g.first()
                    .is_some_and(|x| (1..=3).contains(&x.len()) || g.len() == 1)
                && g.iter().skip(1).all(|x| x.len() == 3)
        };
        if s.split_whitespace().filter(|p| !p.is_empty()).count() > 1
            && s.split_whitespace().all(complete)
        {
            return None;
        }
    }
    let plain = body.replace(',', "");
    let value = Decimal::from_str(&plain).ok()?;
    if spaced {
        what.insert(0, "digits split by spaces");
    }
    if !well_grouped {
        what.push("misplaced thousands comma");
    }
    let repair = (!what.is_empty()).then(|| {
        let shown = if percent {
            format!("{plain}%")
        } else {
            plain.clone()
        };
        format!("OCR '{s}' → {shown} ({})", what.join(", "))
    });
    Some(Num {
        value,
        raw: s.to_owned(),
        repair,
        percent,
    })
}

/// A percentage (`39.06%` or `39.06`) as a fraction (`0.3906`).
pub fn percent_to_fraction(d: Decimal) -> Decimal {
    let mut v = d;
    v.set_scale(d.scale() + 2).ok();
    v.normalize()
}

/// 元 → 万元, exact (the decimal point moves four places).
pub fn yuan_to_wan(d: Decimal) -> Decimal {
    let mut v = d;
    if v.set_scale(d.scale() + 4).is_err() {
        return d / Decimal::from(10_000);
    }
    v.normalize()
}

/// Canonical text of a decimal (plain, no exponent).
pub fn dec_text(d: Decimal) -> String {
    d.to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn n(s: &str) -> Num {
        match read_cell(s) {
            Cell::Number(n) => n,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn plain_numbers() {
        let x = n("63,682.77");
        assert_eq!(x.value, Decimal::from_str("63682.77").unwrap());
        assert_eq!(x.repair, None);
        assert_eq!(n("249078.00").value.to_string(), "249078.00");
        assert_eq!(n("-20").value, Decimal::from(-20));
        assert_eq!(read_cell("  "), Cell::Blank);
        assert_eq!(read_cell("---"), Cell::Blank);
        assert_eq!(read_cell("_"), Cell::Blank);
        assert_eq!(read_cell("<b></b>"), Cell::Blank);
        assert_eq!(read_cell("合计"), Cell::Text);
        assert_eq!(read_cell("2023 年"), Cell::Text);
        assert_eq!(read_cell("1.2.3"), Cell::Text);
    }

    #[test]
    fn two_amounts_are_not_joined() {
        assert_eq!(read_cell("17,499,901 3,362,962"), Cell::Text);
        assert_eq!(
            read_cell("29 1,154.62"),
            Cell::Text,
            "row number and amount"
        );
        assert_eq!(read_cell("29 154.62"), Cell::Text);
        assert_eq!(read_cell("1,234.56 7,890.12"), Cell::Text);
        // one amount split by OCR is still repaired
        assert!(matches!(read_cell("321,163.1 5"), Cell::Number(_)));
        assert!(matches!(read_cell("1,0 00.00"), Cell::Number(_)));
    }

    #[test]
    fn repairs_are_described() {
        let x = n("321,163.1 5");
        assert_eq!(x.value, Decimal::from_str("321163.15").unwrap());
        assert_eq!(
            x.repair.as_deref(),
            Some("OCR '321,163.1 5' → 321163.15 (digits split by spaces)")
        );
        let x = n("52,37.28");
        assert_eq!(x.value, Decimal::from_str("5237.28").unwrap());
        assert!(x.repair.unwrap().contains("misplaced thousands comma"));
        assert_eq!(
            read_cell("5,0.2"),
            Cell::Text,
            "digits lost, not a moved comma"
        );
        let x = n("26,2749.79");
        assert_eq!(x.value, Decimal::from_str("262749.79").unwrap());
        let x = n("19.%");
        assert!(x.percent);
        assert_eq!(x.value, Decimal::from(19));
        assert_eq!(
            x.repair.as_deref(),
            Some("OCR '19.%' → 19% (stray decimal point)")
        );
        assert_eq!(n("3 3").value, Decimal::from(33));
        assert_eq!(n("298, 448").value, Decimal::from(298_448));
    }

    #[test]
    fn conversions() {
        let d = Decimal::from_str("334532.75").unwrap();
        assert_eq!(yuan_to_wan(d).to_string(), "33.453275");
        assert_eq!(
            percent_to_fraction(Decimal::from_str("39.06").unwrap()).to_string(),
            "0.3906"
        );
        assert_eq!(strip_tags("<b>总计</b>"), "总计");
        assert_eq!(strip_tags("a<b"), "a<b");
    }
}
