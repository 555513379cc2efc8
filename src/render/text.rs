//! Text on a pixmap: the bundled font, widths, and glyphs blended over the picture.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use tiny_skia::{Pixmap, PremultipliedColorU8};

/// The bundled font (DejaVu Sans).
pub(super) static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The smallest size text is drawn at (see `Renderer::text_px`).
pub(super) const MIN_TEXT_PX: f32 = 11.0;

/// The shortest prefix of `text` whose glyphs at the smallest text size advance past
/// `limit` pixels: at any size drawn it reaches the edge.
pub(super) fn fitting_prefix<'t>(font: &FontRef<'_>, text: &'t str, limit: f32) -> &'t str {
    let scaled = font.as_scaled(PxScale::from(MIN_TEXT_PX));
    let mut advance = 0.0;
    for (i, c) in text.char_indices() {
        if advance > limit {
            return &text[..i];
        }
        advance += scaled.h_advance(font.glyph_id(c));
    }
    text
}

pub(super) fn text_width(font: &FontRef<'_>, text: &str, px: f32) -> f32 {
    let scaled = font.as_scaled(PxScale::from(px));
    text.chars()
        .map(|c| scaled.h_advance(font.glyph_id(c)))
        .sum()
}

/// Draw `text` with its baseline at `y`, blending glyph coverage over the picture.
pub(super) fn draw_text(
    pixmap: &mut Pixmap,
    font: &FontRef<'_>,
    text: &str,
    x: f32,
    y: f32,
    px: f32,
    rgb: [u8; 3],
) {
    let scaled = font.as_scaled(PxScale::from(px));
    let (width, height) = (pixmap.width() as i32, pixmap.height() as i32);
    let pixels = pixmap.pixels_mut();
    let mut caret = x;
    for c in text.chars() {
        if caret > width as f32 {
            break;
        }
        let id = font.glyph_id(c);
        let glyph = id.with_scale_and_position(PxScale::from(px), point(caret, y));
        caret += scaled.h_advance(id);
        let Some(outlined) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let (px_x, px_y) = (
                bounds.min.x as i32 + gx as i32,
                bounds.min.y as i32 + gy as i32,
            );
            if px_x < 0 || px_y < 0 || px_x >= width || px_y >= height {
                return;
            }
            let k = (px_y * width + px_x) as usize;
            pixels[k] = over(pixels[k], rgb, coverage.clamp(0.0, 1.0));
        });
    }
}

/// `rgb` at opacity `a` over an opaque premultiplied pixel.
pub(super) fn over(dst: PremultipliedColorU8, rgb: [u8; 3], a: f32) -> PremultipliedColorU8 {
    let mix = |s: u8, d: u8| (f32::from(s) * a + f32::from(d) * (1.0 - a)).round() as u8;
    PremultipliedColorU8::from_rgba(
        mix(rgb[0], dst.red()),
        mix(rgb[1], dst.green()),
        mix(rgb[2], dst.blue()),
        255,
    )
    .unwrap_or(dst)
}
