//! Numeric conversions with their edge cases decided once: float positions to indices
//! (saturating, NaN and negatives to 0) and integer widenings that cannot fail on the targets we
//! build for but are written without `as` so an overflow cannot wrap silently.

/// A non-negative float rounded to the nearest index: negatives and NaN give 0, values beyond
/// `usize::MAX` give `usize::MAX` (Rust's float-to-int conversion saturates).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn round_to_usize(v: f32) -> usize {
    if v.is_nan() || v <= 0.0 {
        0
    } else {
        v.round() as usize
    }
}

/// [`round_to_usize`] into a `u32`.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn round_to_u32(v: f32) -> u32 {
    if v.is_nan() || v <= 0.0 {
        0
    } else {
        v.round() as u32
    }
}

/// A count or position as a signed number (saturating at `i64::MAX`).
pub fn to_i64(v: usize) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A 64-bit count as a `usize` (saturating on 32-bit targets).
pub fn to_usize(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges() {
        assert_eq!(round_to_usize(f32::NAN), 0);
        assert_eq!(round_to_usize(-3.7), 0);
        assert_eq!(round_to_usize(2.5), 3);
        assert_eq!(round_to_usize(f32::INFINITY), usize::MAX);
        assert_eq!(round_to_u32(1e20), u32::MAX);
        assert_eq!(to_i64(usize::MAX), i64::MAX);
        assert_eq!(to_usize(7), 7);
    }
}
