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

/// Colours that depend on light/dark mode.
pub struct Palette {
    pub card_fill: Color32,
    pub card_stroke: Color32,
    pub muted: Color32,
    pub up: Color32,
    pub down: Color32,
    pub warn: Color32,
    pub accent: Color32,
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

/// The i-th categorical colour (cycles).
pub fn series(i: usize) -> Color32 {
    SERIES
        .get(i % SERIES.len())
        .copied()
        .unwrap_or(Color32::GRAY)
}

/// Fill of 未细分 (unallocated) tiles and rows.
pub const UNALLOCATED: Color32 = Color32::from_rgb(170, 170, 170);
