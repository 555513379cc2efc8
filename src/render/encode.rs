//! Pictures out: straight RGBA, PNG encoding, the frame differences a GIF stores, and the
//! picture size a command asks for.

use std::io::Write;

use tiny_skia::Pixmap;

use crate::spec::{SpecError, spec_err};

/// Smallest and largest picture side.
pub const SIZE_RANGE: std::ops::RangeInclusive<u32> = 64..=4096;

/// Straight RGBA of an opaque picture (tiny-skia stores premultiplied; alpha is 255 here).
pub fn rgba_of(pixmap: &Pixmap) -> Vec<u8> {
    pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect()
}

/// Encode straight RGBA as PNG.
pub fn write_png(
    rgba: &[u8],
    [width, height]: [u32; 2],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    writer
        .write_image_data(rgba)
        .map_err(std::io::Error::other)?;
    writer.finish().map_err(std::io::Error::other)
}

/// The smallest rectangle (left, top, right, bottom; exclusive) holding every pixel that
/// differs, if any does.
pub(super) fn changed_rect(
    a: &[u8],
    b: &[u8],
    width: usize,
) -> Option<(usize, usize, usize, usize)> {
    let mut rect: Option<(usize, usize, usize, usize)> = None;
    for (i, _) in a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y) {
        let (x, y) = (i % width, i / width);
        rect = Some(match rect {
            None => (x, y, x + 1, y + 1),
            Some((l, t, r, bt)) => (l.min(x), t.min(y), r.max(x + 1), bt.max(y + 1)),
        });
    }
    rect
}

/// `WxH` → [W, H].
pub fn parse_size(text: &str) -> Result<[u32; 2], SpecError> {
    let bad =
        || spec_err!("size '{text}' must be WxH with each side in 64 ..= 4096 (e.g. 800x600)");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if SIZE_RANGE.contains(&w) && SIZE_RANGE.contains(&h) {
        Ok([w, h])
    } else {
        Err(bad())
    }
}
