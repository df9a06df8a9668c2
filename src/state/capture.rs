//! PNG export of a chart. The views register the screen rectangle of each chart they draw (see
//! `ui::widgets::chart_section`); exporting asks the renderer for a screenshot of the
//! next frame, crops it to the chart's rectangle and writes a PNG (temp file, then rename).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;

use crate::error::{Error, Location, Result};

/// A chart export in progress.
#[derive(Debug)]
pub struct Capture {
    /// The chart's name, as registered by its view.
    pub name: String,
    pub path: PathBuf,
    pub step: Step,
}

/// Where a chart export is.
#[derive(Debug)]
pub enum Step {
    /// The screenshot is to be requested in the next frame.
    Requested,
    /// The screenshot was requested at `since` (egui clock); the chart is at `rect` (points).
    Waiting {
        rect: egui::Rect,
        pixels_per_point: f32,
        since: f64,
        receiver: mpsc::Receiver<Arc<egui::ColorImage>>,
    },
}

/// Seconds to wait for the renderer before giving up.
pub const TIMEOUT: f64 = 10.0;

/// The part of a screenshot covered by `rect` (in points), clamped to the image.
pub fn crop(
    image: &egui::ColorImage,
    rect: egui::Rect,
    pixels_per_point: f32,
) -> Option<egui::ColorImage> {
    let [w, h] = image.size;
    let to_px = |v: f32, max: usize| -> usize {
        crate::model::convert::round_to_usize(v * pixels_per_point).min(max)
    };
    let (x0, x1) = (to_px(rect.min.x, w), to_px(rect.max.x, w));
    let (y0, y1) = (to_px(rect.min.y, h), to_px(rect.max.y, h));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        let row = image.pixels.get(y * w + x0..y * w + x1)?;
        pixels.extend_from_slice(row);
    }
    Some(egui::ColorImage::new([x1 - x0, y1 - y0], pixels))
}

/// PNG bytes (8-bit RGBA) of an image.
pub fn png_bytes(image: &egui::ColorImage) -> Result<Vec<u8>> {
    let err = |e: png::EncodingError| Error::Malformed {
        location: Location::file("PNG"),
        message: format!("PNG 编码失败：{e}"),
    };
    let [w, h] = image.size;
    let (Ok(w), Ok(h)) = (u32::try_from(w), u32::try_from(h)) else {
        return Err(Error::Malformed {
            location: Location::file("PNG"),
            message: "图像过大".to_owned(),
        });
    };
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(err)?;
        let data: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(egui::Color32::to_srgba_unmultiplied)
            .collect();
        writer.write_image_data(&data).map_err(err)?;
        writer.finish().map_err(err)?;
    }
    Ok(out)
}

/// Crop the screenshot to the chart and write it as PNG; returns the size in pixels.
pub fn write_chart(
    image: &egui::ColorImage,
    rect: egui::Rect,
    pixels_per_point: f32,
    path: &Path,
) -> Result<[usize; 2]> {
    let chart = crop(image, rect, pixels_per_point).ok_or_else(|| Error::Malformed {
        location: Location::file(path.display().to_string()),
        message: "图表不在窗口可见范围内".to_owned(),
    })?;
    let bytes = png_bytes(&chart)?;
    crate::ingest::write::write_file_atomic(&bytes, path)?;
    Ok(chart.size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, ColorImage, Rect, pos2};

    /// A 40×30 image whose pixel (x, y) is rgb(x, y, 7).
    fn gradient() -> ColorImage {
        let mut pixels = Vec::new();
        for y in 0..30u8 {
            for x in 0..40u8 {
                pixels.push(Color32::from_rgb(x, y, 7));
            }
        }
        ColorImage::new([40, 30], pixels)
    }

    #[test]
    fn crops_in_physical_pixels_and_clamps_to_the_image() {
        let img = gradient();
        // 2 pixels per point: points (5, 4)–(10, 9) are pixels (10, 8)–(20, 18).
        let c = crop(
            &img,
            Rect::from_min_max(pos2(5.0, 4.0), pos2(10.0, 9.0)),
            2.0,
        )
        .unwrap();
        assert_eq!(c.size, [10, 10]);
        assert_eq!(c.pixels[0], Color32::from_rgb(10, 8, 7));
        assert_eq!(c.pixels[10 * 10 - 1], Color32::from_rgb(19, 17, 7));
        // Partly outside: clamped; wholly outside: none.
        let c = crop(
            &img,
            Rect::from_min_max(pos2(30.0, -5.0), pos2(90.0, 5.0)),
            1.0,
        )
        .unwrap();
        assert_eq!(c.size, [10, 5]);
        assert!(
            crop(
                &img,
                Rect::from_min_max(pos2(50.0, 0.0), pos2(60.0, 5.0)),
                1.0
            )
            .is_none()
        );
    }

    #[test]
    fn writes_a_png_that_decodes_to_the_same_pixels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("图表.png");
        let size = write_chart(
            &gradient(),
            Rect::from_min_max(pos2(1.0, 2.0), pos2(4.0, 6.0)),
            1.0,
            &path,
        )
        .unwrap();
        assert_eq!(size, [3, 4]);
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (3, 4));
        assert_eq!(&buf[..4], &[1, 2, 7, 255]);
        // An unwritable target is an error and leaves nothing behind.
        let bad = dir.path().join("没有此目录").join("x.png");
        assert!(
            write_chart(
                &gradient(),
                Rect::from_min_max(pos2(0.0, 0.0), pos2(4.0, 4.0)),
                1.0,
                &bad
            )
            .is_err()
        );
        assert!(!bad.exists());
    }
}
