//! Small helpers to read typed values out of polars frames.

use polars::prelude::*;
use rust_decimal::Decimal;

pub use crate::frame::{bools, decimals, first_decimal, ints, strings};

/// Build an equality filter on several string columns.
pub fn eq_all(pairs: &[(&str, &str)]) -> Expr {
    pairs
        .iter()
        .map(|(c, v)| col(*c).eq(lit(*v)))
        .reduce(polars::prelude::Expr::and)
        .unwrap_or_else(|| lit(true))
}

/// Round half away from zero to `dp` decimals (the convention of published tables).
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Exact decimal text for JSON: normalised, but with at least two decimals (money convention).
pub fn money_string(d: Decimal) -> String {
    // a Decimal's mantissa and scale always hold one (see `money_text`)
    money_text(d.mantissa(), d.scale()).unwrap_or_else(|| d.to_string())
}

/// [`money_string`] of `mantissa` × 10^-`scale` (a value of a polars Decimal column), written
/// from the integer without building a `Decimal`: `None` when no `Decimal` holds the value
/// exactly (more than 28 significant digits; see [`crate::frame::decimal_of`]). A city's
/// summary writes a million figures: `normalize` and `Display` took 0.1 s of them.
pub fn money_text(mantissa: i128, scale: u32) -> Option<String> {
    // trailing zeros cut (in 64 bits when the value fits: i128 division is slow)
    let (mut m, mut s) = (mantissa.unsigned_abs(), scale);
    if let Ok(mut small) = u64::try_from(m) {
        while s > 0 && small % 10 == 0 {
            small /= 10;
            s -= 1;
        }
        m = u128::from(small);
    } else {
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
    }
    if m >= 1 << 96 || s > 28 {
        return None;
    }
    // at least two decimals
    while s < 2 {
        m *= 10;
        s += 1;
    }
    // digits from the last; a point after `s` of them; at least one digit before it
    let mut text: Vec<u8> = Vec::with_capacity(44);
    let mut digits = 0;
    let digit = |d: u64, digits: &mut u32, text: &mut Vec<u8>| {
        if *digits == s && s > 0 {
            text.push(b'.');
        }
        // `d` is a digit
        text.push(b'0' + u8::try_from(d).unwrap_or(0));
        *digits += 1;
    };
    // the low digits in 128 bits while the value needs them, the rest in 64
    while u64::try_from(m).is_err() {
        digit(u64::try_from(m % 10).unwrap_or(0), &mut digits, &mut text);
        m /= 10;
    }
    let mut small = u64::try_from(m).unwrap_or(0);
    while small > 0 || digits <= s {
        digit(small % 10, &mut digits, &mut text);
        small /= 10;
    }
    if mantissa < 0 {
        text.push(b'-');
    }
    text.reverse();
    String::from_utf8(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `money_text` writes what `Decimal`'s own normalising and formatting wrote, for values
    /// near every boundary (zero, a unit, two decimals, 64 bits, 96 bits) and random ones.
    #[test]
    fn money_text_is_decimal_formatting() {
        let by_decimal = |d: Decimal| {
            let n = d.normalize();
            if n.scale() >= 2 {
                n.to_string()
            } else {
                format!("{n:.2}")
            }
        };
        let mut mantissas: Vec<i128> = vec![0, 1, 5, 9, 10, 11, 100, 105, 1_000_000];
        for p in [18, 19, 20, 27, 28] {
            let ten = 10i128.pow(p);
            mantissas.extend([ten - 1, ten, ten + 1]);
        }
        mantissas.extend([(1i128 << 64) - 1, 1i128 << 64, (1i128 << 96) - 1]);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let zeros = 10i128.pow(u32::try_from(x % 7).unwrap());
            mantissas.push(i128::from(x >> (x % 40)) * zeros);
        }
        for m in mantissas {
            for m in [m, -m] {
                for scale in [0, 1, 2, 3, 6, 12, 28] {
                    let d = Decimal::from_i128_with_scale(m, scale);
                    assert_eq!(
                        money_text(m, scale).as_deref(),
                        Some(by_decimal(d).as_str()),
                        "{m} at scale {scale}"
                    );
                    assert_eq!(money_string(d), by_decimal(d));
                }
            }
        }
        // a negative zero (parsed from "-0.00") is written as zero, as normalising did
        let negative_zero: Decimal = "-0.00".parse().unwrap();
        assert_eq!(money_string(negative_zero), by_decimal(negative_zero));
        assert_eq!(money_string(negative_zero), "0.00");
        // what no Decimal holds
        assert_eq!(money_text(1i128 << 96, 0), None);
        assert_eq!(money_text(-(1i128 << 100), 6), None);
        assert_eq!(money_text(1, 29), None);
        assert_eq!(
            money_text(10, 29).as_deref(),
            Some("0.0000000000000000000000000001")
        );
    }
}
