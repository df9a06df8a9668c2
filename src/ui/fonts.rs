//! The embedded CJK font (`WenQuanYi` Micro Hei, Apache-2.0; see assets/fonts/).
//!
//! egui's default fonts have no Chinese glyphs, so the font is installed as a fallback of both
//! families: Latin text keeps egui's font, Chinese text uses `WenQuanYi`.

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
const CJK_FONT_NAME: &str = "wqy-microhei";

/// Install the CJK font into `ctx` (idempotent).
pub fn install(ctx: &egui::Context) {
    // Face 0 of the collection is WenQuanYi Micro Hei (face 1 is the monospace variant).
    let data = FontData::from_static(CJK_FONT);
    ctx.add_font(FontInsert::new(
        CJK_FONT_NAME,
        data,
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}
