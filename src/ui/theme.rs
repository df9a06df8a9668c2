//! Design tokens: every colour the app draws with is defined here.

use egui::Color32;

use crate::model::Stage;

/// Light or dark visuals plus a few spacing tweaks.
pub fn apply(ctx: &egui::Context, dark: bool) {
    ctx.set_theme(if dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    });
    ctx.global_style_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
}

/// Colours that depend on light/dark mode. Their meanings are the same in every view:
/// - `up` (red): an increase, or an error-severity finding;
/// - `down` (green): a decrease;
/// - `warn` (amber): needs attention — 存疑 figures, basis/scope notes, warnings, execution behind
///   schedule or below a threshold, flagged projects;
/// - `accent` (blue): the selection, links and the figures of the current view's subject;
/// - `muted`: secondary text and notes.
///
/// Parts (classes, sources, 基本/项目 …) have fixed colours by key ([`key_color`]), and stages
/// have theirs ([`stage_color`]).
pub struct Palette {
    pub card_fill: Color32,
    pub card_stroke: Color32,
    pub muted: Color32,
    pub up: Color32,
    pub down: Color32,
    pub warn: Color32,
    pub accent: Color32,
}

impl Palette {
    /// The colour of a severity, the same in every view: errors red (`up`), warnings amber,
    /// notes muted.
    pub fn severity(&self, s: crate::model::Severity) -> Color32 {
        match s {
            crate::model::Severity::Error => self.up,
            crate::model::Severity::Warning => self.warn,
            crate::model::Severity::Note => self.muted,
        }
    }
}

/// The colour of a change: red for an increase, green for a decrease, muted for none.
pub fn change_color(palette: &Palette, delta: rust_decimal::Decimal) -> Color32 {
    if delta.is_zero() {
        palette.muted
    } else if delta.is_sign_negative() {
        palette.down
    } else {
        palette.up
    }
}

pub fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            card_fill: Color32::from_rgb(32, 36, 44),
            card_stroke: Color32::from_rgb(58, 64, 76),
            muted: Color32::from_rgb(150, 156, 168),
            up: Color32::from_rgb(236, 112, 99),
            down: Color32::from_rgb(88, 190, 140),
            warn: Color32::from_rgb(240, 180, 70),
            accent: Color32::from_rgb(110, 168, 254),
        }
    } else {
        Palette {
            card_fill: Color32::from_rgb(248, 249, 252),
            card_stroke: Color32::from_rgb(214, 219, 228),
            muted: Color32::from_rgb(96, 104, 118),
            up: Color32::from_rgb(192, 57, 43),
            down: Color32::from_rgb(30, 132, 73),
            warn: Color32::from_rgb(176, 110, 0),
            accent: Color32::from_rgb(26, 95, 180),
        }
    }
}

/// The same colour for the same stage in every chart.
pub fn stage_color(stage: Stage) -> Color32 {
    match stage {
        Stage::BudgetInitial => Color32::from_rgb(140, 170, 220),
        Stage::BudgetAdjusted => Color32::from_rgb(70, 120, 200),
        Stage::Final => Color32::from_rgb(230, 126, 34),
    }
}

/// Categorical colours for slices and tiles, in order (readable with white or dark text).
const SERIES: [Color32; 10] = [
    Color32::from_rgb(52, 101, 164),
    Color32::from_rgb(230, 126, 34),
    Color32::from_rgb(39, 174, 96),
    Color32::from_rgb(142, 68, 173),
    Color32::from_rgb(192, 57, 43),
    Color32::from_rgb(22, 160, 133),
    Color32::from_rgb(211, 84, 0),
    Color32::from_rgb(41, 128, 185),
    Color32::from_rgb(127, 140, 141),
    Color32::from_rgb(241, 196, 15),
];

/// Text drawn on a coloured fill (treemap tiles): dark on light fills, white on dark ones.
pub const TEXT_ON_LIGHT: Color32 = Color32::from_rgb(20, 24, 32);
/// See [`TEXT_ON_LIGHT`].
pub const TEXT_ON_DARK: Color32 = Color32::WHITE;

/// The i-th categorical colour (cycles).
pub fn series(i: usize) -> Color32 {
    SERIES
        .get(i % SERIES.len())
        .copied()
        .unwrap_or(Color32::GRAY)
}

/// The colour of a breakdown part, tile or slice by its stable key, the same in every chart:
/// revenue sources (`general_budget`, `business`, …), 基本/项目, 人员/公用 (the colours of 301/302/303,
/// which they are made of), and classification codes. A 类 has a fixed colour; its 款 and 项 are
/// shades of it, so a drill-down keeps the colour of the class it is in.
pub fn key_color(key: &str) -> Color32 {
    use crate::model::{Fund, Nature, RevenueSource as R, TotalsItem as T};
    let fixed = match (R::from_key(key), Nature::from_key(key), T::from_key(key)) {
        // Revenue sources (收入来源).
        (Some(R::GeneralBudget), ..) => Some((52, 101, 164)),
        (Some(R::GovFund), ..) => Some((230, 126, 34)),
        (Some(R::StateCapital), ..) => Some((142, 68, 173)),
        (Some(R::Fiscal), ..) => Some((41, 128, 185)),
        (Some(R::Business), ..) => Some((39, 174, 96)),
        (Some(R::Operating), ..) => Some((211, 84, 0)),
        (Some(R::SuperiorSubsidy), ..) => Some((22, 160, 133)),
        (Some(R::Affiliated), ..) => Some((160, 80, 60)),
        (Some(R::Other), ..) => Some((127, 140, 141)),
        _ if Fund::from_key(key) == Some(Fund::OtherIncome) => Some((127, 140, 141)),
        // 支出性质.
        (_, Some(Nature::Basic), _) => Some((52, 101, 164)),
        (_, Some(Nature::Project), _) => Some((230, 126, 34)),
        // 人员/公用 are the 301/302 (and 303) of 基本支出.
        (_, _, Some(T::Personnel)) => return key_color("301"),
        (_, _, Some(T::Public | T::DailyPublic)) => return key_color("302"),
        (_, _, Some(T::HouseholdSubsidy)) => return key_color("303"),
        _ => None,
    };
    if let Some((r, g, b)) = fixed {
        return Color32::from_rgb(r, g, b);
    }
    if key.len() >= 3 && key.bytes().all(|b| b.is_ascii_digit()) {
        let (class, rest) = key.split_at(3);
        let base = class_color(class);
        return match rest.parse::<u32>() {
            Ok(n) => shade(base, n),
            Err(_) => base,
        };
    }
    hashed(key)
}

/// The colour of the `sibling`-th child tile of a drill-down level: a 类 has its fixed colour; a
/// 款 or 项 is a shade of its 类's colour chosen by its position, so neighbouring tiles differ
/// while the whole level keeps the colour of its class.
pub fn code_color(code: &str, sibling: usize) -> Color32 {
    match code.get(..3) {
        Some(class) if code.len() > 3 => {
            shade(class_color(class), u32::try_from(sibling % 5).unwrap_or(0))
        }
        _ => key_color(code),
    }
}

/// The fixed colour of a 类 (three digits).
fn class_color(class: &str) -> Color32 {
    let (r, g, b) = match class {
        // Functional 类.
        "201" => (52, 101, 164),
        "205" => (230, 126, 34),
        "206" => (41, 128, 185),
        "207" => (155, 89, 182),
        "208" => (39, 174, 96),
        "210" => (192, 57, 43),
        "211" => (22, 160, 133),
        "212" => (142, 68, 173),
        "213" => (120, 150, 50),
        "214" => (211, 84, 0),
        "220" => (95, 120, 85),
        "221" => (196, 150, 20),
        "224" => (160, 80, 60),
        "229" => (127, 140, 141),
        // Economic 类.
        "301" => (52, 101, 164),
        "302" => (230, 126, 34),
        "303" => (39, 174, 96),
        "307" => (192, 57, 43),
        "309" => (142, 68, 173),
        "310" => (22, 160, 133),
        "312" => (211, 84, 0),
        "313" => (41, 128, 185),
        "399" => (127, 140, 141),
        other => return hashed(other),
    };
    Color32::from_rgb(r, g, b)
}

/// A shade of `base` for the `n`-th sub-code: alternately lighter and darker, never far off.
fn shade(base: Color32, n: u32) -> Color32 {
    let [r, g, b, _] = base.to_array();
    let t: f32 = match n % 5 {
        0 => 0.0,
        1 => 0.22,
        2 => -0.22,
        3 => 0.40,
        _ => -0.38,
    };
    let mix = |c: u8| {
        let c = f32::from(c);
        let v = if t >= 0.0 {
            c + (255.0 - c) * t
        } else {
            c * (1.0 + t)
        };
        // In 0..=255 by construction.
        v.round().clamp(0.0, 255.0) as u8
    };
    Color32::from_rgb(mix(r), mix(g), mix(b))
}

/// A stable colour for a key without a fixed one (FNV-1a hash into the series colours).
fn hashed(key: &str) -> Color32 {
    let h = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    series(usize::try_from(h % SERIES.len() as u64).unwrap_or(0))
}

/// Fill of 未细分 (unallocated) tiles and rows.
pub const UNALLOCATED: Color32 = Color32::from_rgb(170, 170, 170);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_key_has_the_same_colour_and_children_shade_their_class() {
        assert_eq!(key_color("208"), Color32::from_rgb(39, 174, 96));
        // Every 类 in the built-in data has its own colour within its classification.
        let functional = ["201", "205", "208", "210", "212", "221", "229"];
        let economic = ["301", "302", "303", "310", "313"];
        for set in [&functional[..], &economic[..]] {
            for (i, a) in set.iter().enumerate() {
                for b in set.iter().skip(i + 1) {
                    assert_ne!(key_color(a), key_color(b), "{a} vs {b}");
                }
            }
        }
        // 人员/公用 use the colours of the economic classes they consist of.
        assert_eq!(key_color("personnel"), key_color("301"));
        assert_eq!(key_color("daily_public"), key_color("302"));
        // 20801 and 20805 are different shades of 208; a 项 shades its 款's class.
        assert_ne!(key_color("20801"), key_color("20805"));
        let [r, g, b, _] = key_color("20801").to_array();
        assert!(g > r && g > b, "still green: {r},{g},{b}");
        let [r, g, b, _] = key_color("2080501").to_array();
        assert!(g > r && g > b, "a 项 keeps its class's green: {r},{g},{b}");
        // Neighbouring 款 tiles differ, all green.
        assert_ne!(code_color("20801", 0), code_color("20826", 1));
        assert_eq!(code_color("208", 3), key_color("208"));
        // Unknown keys take a categorical colour chosen by their text.
        assert!((0..SERIES.len()).any(|i| series(i) == key_color("某来源")));
        assert_ne!(key_color("某来源"), key_color("208"));
    }
}
