//! Drawing primitives on a tiny-skia pixmap: paints and strokes, polylines (stroked in
//! chunks), the arrow where a path leaves the picture, and the marks (disc, ring, diamond,
//! cross).

use tiny_skia::{FillRule, LineCap, LineJoin, Mask, Paint, PathBuilder, Pixmap, Stroke, Transform};

use crate::polyline::Exit;
use crate::spec::{SpecError, spec_err};
use crate::style::HALO;

/// Points per stroked polyline: tiny-skia's fill of one long self-crossing outline costs
/// about the square of its crossings per row, so long paths are stroked in chunks.
const STROKE_CHUNK: usize = 256;

pub(super) fn new_pixmap(width: u32, height: u32) -> Result<Pixmap, SpecError> {
    Pixmap::new(width, height).ok_or_else(|| spec_err!("cannot make a {width}x{height} picture"))
}

pub(super) fn rgba([r, g, b]: [u8; 3]) -> [u8; 4] {
    [r, g, b, 255]
}

pub(super) fn color(c: [u8; 3], a: u8) -> tiny_skia::Color {
    tiny_skia::Color::from_rgba8(c[0], c[1], c[2], a)
}

pub(super) fn paint_of(c: [u8; 4]) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color([c[0], c[1], c[2]], c[3]));
    paint.anti_alias = true;
    paint
}

pub(super) fn stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

pub(super) fn polyline(points: &[[f32; 2]]) -> Option<tiny_skia::Path> {
    let (first, rest) = points.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let mut pb = PathBuilder::new();
    pb.move_to(first[0], first[1]);
    for p in rest {
        pb.line_to(p[0], p[1]);
    }
    pb.finish()
}

/// Stroke polylines with a halo, as one shape: each layer's coverage (the halo, then the
/// line) is gathered in `mask` and painted once, so where pieces overlap the translucent
/// halo does not darken, as when one path is stroked. Polylines go in chunks of
/// [`STROKE_CHUNK`] points sharing their ends.
pub(super) fn stroke_path(
    pixmap: &mut Pixmap,
    mask: &mut Mask,
    pieces: &[Vec<[f32; 2]>],
    c: [u8; 4],
) {
    let mut lines = Vec::new();
    let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
    for piece in pieces {
        for p in piece {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
        let mut start = 0;
        while start + 1 < piece.len() {
            let end = (start + STROKE_CHUNK).min(piece.len());
            lines.extend(polyline(&piece[start..end]));
            start = end - 1;
        }
    }
    let pad = 4.0;
    let Some(bounds) = tiny_skia::Rect::from_ltrb(
        (lo[0] - pad).max(0.0),
        (lo[1] - pad).max(0.0),
        (hi[0] + pad).min(pixmap.width() as f32),
        (hi[1] + pad).min(pixmap.height() as f32),
    ) else {
        return;
    };
    for (color, width) in [(HALO, 5.5), (c, 3.0)] {
        mask.clear();
        for outline in lines
            .iter()
            .filter_map(|line| line.stroke(&stroke(width), 1.0))
        {
            mask.fill_path(&outline, FillRule::Winding, true, Transform::identity());
        }
        pixmap.fill_rect(bounds, &paint_of(color), Transform::identity(), Some(mask));
    }
}

/// An arrowhead in `c` with a halo, its tip on the picture's edge where a path left,
/// pointing the way it went.
pub(super) fn arrow(pixmap: &mut Pixmap, exit: &Exit, c: [u8; 3]) {
    let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
    let ([x, y], [ux, uy]) = (
        [exit.at[0].clamp(0.0, w), exit.at[1].clamp(0.0, h)],
        exit.direction,
    );
    let (length, half) = (18.0, 8.0);
    let (bx, by) = (x - ux * length, y - uy * length);
    let mut pb = PathBuilder::new();
    pb.move_to(x, y);
    pb.line_to(bx - uy * half, by + ux * half);
    pb.line_to(bx + uy * half, by - ux * half);
    pb.close();
    if let Some(path) = pb.finish() {
        let mut halo = stroke(3.0);
        halo.line_join = LineJoin::Miter;
        pixmap.stroke_path(&path, &paint_of(HALO), &halo, Transform::identity(), None);
        pixmap.fill_path(
            &path,
            &paint_of(rgba(c)),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

pub(super) fn disc(pixmap: &mut Pixmap, x: f32, y: f32, r: f32, c: [u8; 4]) {
    if let Some(path) = PathBuilder::from_circle(x, y, r) {
        pixmap.fill_path(
            &path,
            &paint_of(c),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

pub(super) fn ring(pixmap: &mut Pixmap, x: f32, y: f32, r: f32, width: f32, c: [u8; 4]) {
    if let Some(path) = PathBuilder::from_circle(x, y, r) {
        pixmap.stroke_path(
            &path,
            &paint_of(c),
            &stroke(width),
            Transform::identity(),
            None,
        );
    }
}

pub(super) fn diamond(pixmap: &mut Pixmap, x: f32, y: f32, r: f32, c: [u8; 4]) {
    let mut pb = PathBuilder::new();
    pb.move_to(x, y - r);
    pb.line_to(x + r, y);
    pb.line_to(x, y + r);
    pb.line_to(x - r, y);
    pb.close();
    if let Some(path) = pb.finish() {
        pixmap.fill_path(
            &path,
            &paint_of(c),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

pub(super) fn cross(pixmap: &mut Pixmap, x: f32, y: f32, r: f32, width: f32, c: [u8; 4]) {
    for (dx, dy) in [(r, r), (r, -r)] {
        if let Some(path) = polyline(&[[x - dx, y - dy], [x + dx, y + dy]]) {
            pixmap.stroke_path(
                &path,
                &paint_of(c),
                &stroke(width),
                Transform::identity(),
                None,
            );
        }
    }
}
