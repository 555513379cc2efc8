//! Maps over many runs in pictures (`descent map … --out FILE.png`): a basin map or a noise
//! cloud laid under a scene's paths with a colour key, and a phase diagram on its own axes.

use tiny_skia::{FilterQuality, Pixmap, PixmapPaint, Transform};

use super::Renderer;
use super::shapes::{cross, diamond, disc, new_pixmap, paint_of, polyline, rgba, ring, stroke};
use super::text::{FONT, draw_text, text_width};
use crate::P2;
use crate::engine::phase::PhaseDiagram;
use crate::spec::{SpecError, spec_err};
use crate::style::{HALO, PANEL, TEXT, basin_hue, phase_rgba};
use crate::surface::{Bounds, Critical};

impl Renderer {
    /// The view the picture shows (the scene's, widened to the picture's aspect).
    pub fn view(&self) -> Bounds {
        self.view
    }

    /// Lay `nx × ny` cells (RGBA, top row first) over `bounds` on the background, unblended
    /// with their neighbours (each cell a sharp square) at `opacity`, under the paths.
    pub fn underlay(
        &mut self,
        cells: Vec<u8>,
        [nx, ny]: [usize; 2],
        bounds: Bounds,
        opacity: f32,
    ) -> Result<(), SpecError> {
        let size = tiny_skia::IntSize::from_wh(nx as u32, ny as u32)
            .ok_or_else(|| spec_err!("empty map"))?;
        let layer = Pixmap::from_vec(cells, size).ok_or_else(|| spec_err!("map size mismatch"))?;
        let [x0, y1] = self.pixel(bounds.x[0], bounds.y[1]);
        let [x1, y0] = self.pixel(bounds.x[1], bounds.y[0]);
        let transform = Transform::from_row(
            ((x1 - x0) / nx as f64) as f32,
            0.0,
            0.0,
            ((y0 - y1) / ny as f64) as f32,
            x0 as f32,
            y1 as f32,
        );
        let paint = PixmapPaint {
            opacity,
            quality: FilterQuality::Nearest,
            ..PixmapPaint::default()
        };
        self.background
            .draw_pixmap(0, 0, layer.as_ref(), &paint, transform, None);
        Ok(())
    }

    /// Redraw the known critical points in their basin hues (◆ minima, × others), over an
    /// underlay that covered the plain markers.
    pub fn hue_markers(&mut self, critical: &[Critical]) {
        for (i, c) in critical.iter().enumerate() {
            let (x, y) = self.screen(c.x, c.y);
            let [r, g, b] = basin_hue(i);
            if c.is_minimum() {
                diamond(&mut self.background, x, y, 10.0, HALO);
                diamond(&mut self.background, x, y, 7.5, [255, 255, 255, 255]);
                diamond(&mut self.background, x, y, 5.0, [r, g, b, 255]);
            } else {
                cross(&mut self.background, x, y, 8.0, 6.0, HALO);
                cross(&mut self.background, x, y, 7.0, 3.0, [r, g, b, 255]);
            }
        }
    }

    /// Dots at `points` (a cloud of runs' current points) in `color`, each with a halo.
    pub fn dots(&mut self, points: &[P2], color: [u8; 3], radius: f32) {
        for p in points.iter().filter(|p| p.iter().all(|v| v.is_finite())) {
            let (x, y) = self.screen(p.x, p.y);
            disc(&mut self.background, x, y, radius + 1.5, HALO);
            disc(&mut self.background, x, y, radius, rgba(color));
        }
    }

    /// Colour-key lines the legend lists under the racers: (text, swatch colour).
    pub fn set_key(&mut self, key: Vec<(String, [u8; 3])>) {
        self.key = key;
    }
}

/// A phase diagram as a picture of `width × height` pixels: the cells (colours of
/// [`crate::style::phase_color`]), the theory's stability limit as a solid white curve on a
/// dark halo, the racer's own setting as a ring, axes with their names and ends, and a
/// colour key.
pub fn phase_picture(
    d: &PhaseDiagram,
    title: &str,
    [width, height]: [u32; 2],
) -> Result<Pixmap, SpecError> {
    let font =
        ab_glyph::FontRef::try_from_slice(FONT).map_err(|e| spec_err!("bundled font: {e}"))?;
    let mut pixmap = new_pixmap(width, height)?;
    pixmap.fill(tiny_skia::Color::from_rgba8(30, 30, 30, 255));
    let px = (height.min(width) as f32 / 36.0).clamp(11.0, 28.0);
    // The plot area: room for the title above, the x axis below, the y axis left, the key right.
    let key_w = px * 13.0;
    let (left, top) = (px * 5.0, px * 2.6);
    let (right, bottom) = (width as f32 - key_w, height as f32 - px * 3.2);
    if right - left < 16.0 || bottom - top < 16.0 {
        return Err(spec_err!(
            "picture size {width}x{height} is too small for a phase diagram"
        ));
    }
    let n = d.n as u32;
    let size = tiny_skia::IntSize::from_wh(n, n).ok_or_else(|| spec_err!("empty diagram"))?;
    let cells = Pixmap::from_vec(phase_rgba(d), size).ok_or_else(|| spec_err!("size mismatch"))?;
    let transform = Transform::from_row(
        (right - left) / n as f32,
        0.0,
        0.0,
        (bottom - top) / n as f32,
        left,
        top,
    );
    let paint = PixmapPaint {
        quality: FilterQuality::Nearest,
        ..PixmapPaint::default()
    };
    pixmap.draw_pixmap(0, 0, cells.as_ref(), &paint, transform, None);
    let at = |v: [f64; 2]| {
        let (fx, fy) = (d.x.position(v[0]) as f32, d.y.position(v[1]) as f32);
        [left + fx * (right - left), bottom - fy * (bottom - top)]
    };
    let curve: Vec<[f32; 2]> = d.boundary.iter().map(|&v| at(v)).collect();
    if let Some(path) = polyline(&curve) {
        let t = Transform::identity();
        pixmap.stroke_path(&path, &paint_of(HALO), &stroke(5.0), t, None);
        pixmap.stroke_path(
            &path,
            &paint_of([255, 255, 255, 255]),
            &stroke(2.5),
            t,
            None,
        );
    }
    let [cx, cy] = at(d.current);
    if (left..=right).contains(&cx) && (top..=bottom).contains(&cy) {
        ring(&mut pixmap, cx, cy, 9.0, 5.0, HALO);
        ring(&mut pixmap, cx, cy, 9.0, 2.5, [255, 255, 255, 255]);
    }
    let white = [255, 255, 255];
    draw_text(&mut pixmap, &font, title, left, px * 1.6, px * 1.1, white);
    let area = [left, top, right, bottom];
    draw_phase_axes(&mut pixmap, &font, d, area, px);
    draw_phase_key(&mut pixmap, &font, d, area, key_w, px);
    Ok(pixmap)
}

/// The phase diagram's axes: each axis's ends and name (" (log)" on a log axis) around the
/// plot area `[left, top, right, bottom]`.
fn draw_phase_axes(
    pixmap: &mut Pixmap,
    font: &ab_glyph::FontRef,
    d: &PhaseDiagram,
    [left, top, right, bottom]: [f32; 4],
    px: f32,
) {
    let white = [255, 255, 255];
    let fmt = |v: f64| {
        if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e4) {
            format!("{v:.1e}")
        } else {
            format!("{}", (v * 1e4).round() / 1e4)
        }
    };
    let axis_name =
        |a: &crate::engine::phase::Axis| format!("{}{}", a.name, if a.log { " (log)" } else { "" });
    let by = bottom + px * 1.3;
    draw_text(pixmap, font, &fmt(d.x.min), left, by, px, TEXT);
    let max = fmt(d.x.max);
    let w = text_width(font, &max, px);
    draw_text(pixmap, font, &max, right - w, by, px, TEXT);
    let name = axis_name(&d.x);
    let w = text_width(font, &name, px);
    draw_text(
        pixmap,
        font,
        &name,
        (left + right - w) / 2.0,
        by + px * 1.3,
        px,
        white,
    );
    for (v, y) in [(d.y.max, top + px), (d.y.min, bottom)] {
        let s = fmt(v);
        let w = text_width(font, &s, px);
        draw_text(pixmap, font, &s, left - w - px * 0.4, y, px, TEXT);
    }
    let name = axis_name(&d.y);
    draw_text(
        pixmap,
        font,
        &name,
        px * 0.3,
        (top + bottom) / 2.0,
        px,
        white,
    );
}

/// The phase diagram's colour key right of the plot area: steps to tolerance, the cells
/// that did not converge or diverged, the theory's limit and the racer's ring.
fn draw_phase_key(
    pixmap: &mut Pixmap,
    font: &ab_glyph::FontRef,
    d: &PhaseDiagram,
    [_, top, right, _]: [f32; 4],
    key_w: f32,
    px: f32,
) {
    let kx = right + px;
    let mut ky = top + px;
    let budget = d.steps;
    let mut line = |pixmap: &mut Pixmap, swatch: Option<[u8; 3]>, text: &str| {
        if let Some(c) = swatch
            && let Some(r) = tiny_skia::Rect::from_xywh(kx, ky - px * 0.8, px, px)
        {
            pixmap.fill_rect(r, &paint_of(rgba(c)), Transform::identity(), None);
        }
        let x = if swatch.is_some() { kx + px * 1.5 } else { kx };
        draw_text(pixmap, font, text, x, ky, px, TEXT);
        ky += px * 1.5;
    };
    if let Some(r) = tiny_skia::Rect::from_xywh(kx - px * 0.5, top, key_w - px * 0.5, px * 12.5) {
        pixmap.fill_rect(r, &paint_of(PANEL), Transform::identity(), None);
    }
    line(pixmap, None, &format!("steps to ‖∇f‖ < {:e}", d.tol));
    for s in [1, (budget as f64).sqrt().round() as u64, budget] {
        let c = crate::style::phase_color(crate::engine::Ending::Stationary, Some(s), budget);
        line(pixmap, Some(c), &format!("{s}"));
    }
    line(pixmap, Some(crate::style::RUNNING_CELL), "not converged");
    line(pixmap, Some(crate::style::DIVERGED_CELL), "diverged");
    if !d.boundary.is_empty() {
        line(pixmap, Some([255, 255, 255]), "theory: stability limit");
    }
    line(pixmap, None, "○ the racer's setting");
}
