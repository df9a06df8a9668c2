//! Display units and exact formatting of money.
//!
//! All amounts are stored in 万元 as [`Decimal`]; conversion to 元 or 亿元 happens here, at display.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// The unit in which money is displayed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MoneyUnit {
    /// 元
    Yuan,
    /// 万元 (the storage unit)
    #[default]
    Wan,
    /// 亿元
    Yi,
}

impl MoneyUnit {
    pub const ALL: [MoneyUnit; 3] = [MoneyUnit::Yuan, MoneyUnit::Wan, MoneyUnit::Yi];

    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yi => "亿元",
        }
    }

    /// Convert an amount stored in 万元 into this unit, exactly (`None` when the result cannot
    /// be held: 元 of an amount beyond about 7.9 × 10²⁴ 万元).
    pub fn from_wan(self, wan: Decimal) -> Option<Decimal> {
        match self {
            MoneyUnit::Yuan => wan.checked_mul(Decimal::from(10_000)),
            MoneyUnit::Wan => Some(wan),
            MoneyUnit::Yi => wan.checked_div(Decimal::from(10_000)),
        }
    }

    /// Decimals shown by default in this unit.
    pub fn display_decimals(self) -> u32 {
        match self {
            MoneyUnit::Yuan | MoneyUnit::Wan => 2,
            MoneyUnit::Yi => 4,
        }
    }

    /// For drawing only: the amount in this unit as f64.
    pub fn to_f64(self, wan: Decimal) -> f64 {
        // in f64, which holds any amount's magnitude (drawing only)
        let w = wan.to_f64().unwrap_or(0.0);
        match self {
            MoneyUnit::Yuan => w * 10_000.0,
            MoneyUnit::Wan => w,
            MoneyUnit::Yi => w / 10_000.0,
        }
    }
}

/// Format a decimal with thousands separators and exactly `decimals` decimals
/// (rounded half away from zero, as published tables do).
pub fn format_decimal_grouped(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (text.clone(), None),
    };
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3 + 4);
    let digits: Vec<char> = int_part.chars().collect();
    for (i, ch) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*ch);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(f) = frac_part {
        out.push('.');
        out.push_str(&f);
    }
    out
}

/// A count with thousands separators (`20,000,000`), for messages.
pub fn format_count(n: u64) -> String {
    format_decimal_grouped(Decimal::from(n), 0)
}

/// Shown for an amount that cannot be converted to the display unit exactly.
pub const OUT_OF_RANGE: &str = "超出可表示范围";

/// `63,682.77 万元` style text for an amount stored in 万元.
pub fn format_money(wan: Decimal, unit: MoneyUnit) -> String {
    format!(
        "{} {}",
        unit.from_wan(wan).map_or_else(
            || OUT_OF_RANGE.to_owned(),
            |d| format_decimal_grouped(d, unit.display_decimals())
        ),
        unit.label()
    )
}

/// A ratio (0.3906) as `39.06%`.
pub fn format_percent(ratio: Decimal, decimals: u32) -> String {
    format!(
        "{}%",
        format_decimal_grouped(ratio * Decimal::from(100), decimals)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn grouping() {
        assert_eq!(format_decimal_grouped(d("63682.77"), 2), "63,682.77");
        assert_eq!(format_decimal_grouped(d("321163.15"), 2), "321,163.15");
        assert_eq!(format_decimal_grouped(d("298448"), 0), "298,448");
        assert_eq!(format_decimal_grouped(d("999.995"), 2), "1,000.00");
        assert_eq!(format_decimal_grouped(d("-1234.5"), 1), "-1,234.5");
        assert_eq!(format_decimal_grouped(d("12"), 2), "12.00");
        assert_eq!(format_decimal_grouped(d("-0.001"), 2), "0.00");
    }

    #[test]
    fn units_are_exact() {
        assert_eq!(
            MoneyUnit::Yuan.from_wan(d("33.453275")),
            Some(d("334532.75"))
        );
        assert_eq!(MoneyUnit::Yuan.from_wan(Decimal::MAX), None);
        assert_eq!(
            format_money(d("63682.77"), MoneyUnit::Yuan),
            "636,827,700.00 元"
        );
        assert_eq!(format_money(d("321163.15"), MoneyUnit::Yi), "32.1163 亿元");
        assert_eq!(format_money(d("52.70"), MoneyUnit::Wan), "52.70 万元");
        assert_eq!(format_percent(d("0.3906"), 2), "39.06%");
    }
}

/// Σ `values` exactly, or `None` when the sum cannot be held (beyond about ±7.9 × 10²⁸): never a
/// panic, never a rounded sum.
pub fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, Decimal::checked_add)
}

/// `num / den`, or `None` when `den` is zero or the quotient cannot be held.
pub fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den.is_zero() {
        None
    } else {
        num.checked_div(den)
    }
}

/// `current / previous − 1` (a change as a fraction), or `None` when `previous` is zero or the
/// result cannot be held.
pub fn change_ratio(current: Decimal, previous: Decimal) -> Option<Decimal> {
    ratio(current.checked_sub(previous)?, previous)
}

#[cfg(test)]
mod checked_tests {
    use super::*;

    #[test]
    fn overflow_is_none_not_a_panic() {
        let big = Decimal::MAX;
        assert_eq!(checked_sum([big, big]), None);
        assert_eq!(checked_sum([big, -big]), Some(Decimal::ZERO));
        assert_eq!(ratio(big, Decimal::new(1, 6)), None);
        assert_eq!(ratio(Decimal::ONE, Decimal::ZERO), None);
        assert_eq!(change_ratio(big, -big), None);
        assert_eq!(
            change_ratio(Decimal::from(3), Decimal::from(2)),
            Some(Decimal::new(5, 1))
        );
    }
}
