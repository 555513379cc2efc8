//! Pictures of a scene without a window or a GPU: the same contour map, isolines, known
//! critical points and trajectories as the app, with a legend, drawn with tiny-skia and
//! encoded as PNG, or as a GIF of the race growing step by step. The output depends only
//! on the scene, the size and the step (deterministic).

mod encode;
pub mod maps;
mod shapes;
pub mod slice;
mod text;

use encode::changed_rect;
pub use encode::{SIZE_RANGE, parse_size, rgba_of, write_png};
use shapes::{
    arrow, color, cross, diamond, disc, new_pixmap, paint_of, polyline, rgba, ring, stroke,
    stroke_path,
};
use text::{FONT, MIN_TEXT_PX, draw_text, fitting_prefix, text_width};

use std::io::Write;

use ab_glyph::FontRef;
use tiny_skia::{FilterQuality, Mask, Pixmap, PixmapPaint, Transform};

use crate::grid::{ContourMap, NOT_FINITE_RGB};
use crate::polyline::{Clipped, Rect, clip};
use crate::race::Record;
use crate::scene::Scene;
use crate::spec::{SpecError, spec_err};
use crate::style::{
    ALARM, FAR, HALO, ISOLINE, MINIMUM_MARK, PANEL, START_RING, TEXT, critical_color, ending,
    legend_color, legend_label,
};
use crate::surface::{Bounds, Critical};

/// The map is sampled at most this finely per side; larger pictures scale it up smoothly.
const MAX_SAMPLES: u32 = 1024;
/// A GIF has at most this many frames.
pub const MAX_GIF_FRAMES: usize = 300;
/// The highest GIF frame rate: delays are whole centiseconds, and browsers play a delay
/// under 2 cs as 10 cs.
pub const MAX_GIF_FPS: f64 = 50.0;
/// How long a GIF holds its last frame before it loops, in centiseconds.
pub const GIF_HOLD_CS: u16 = 200;

/// Paths are clipped this far outside the picture, so a stroke just outside still shows its
/// edge (the halo is 5.5 px wide) and a mark where a path left is mostly inside.
const CLIP_MARGIN: f64 = 3.0;
/// Consecutive path points closer than this (pixels) merge.
const PATH_MIN_SPACING: f64 = 0.5;

/// A legend line: its text, and for a run its swatch and text colours (the title has none).
type LegendLine = (String, Option<([u8; 3], [u8; 3])>);

/// One racer's path, ready to draw.
struct Path {
    label: String,
    color: [u8; 3],
    records: Vec<Record>,
}

/// Each side of a picture in [`SIZE_RANGE`].
fn check_size(width: u32, height: u32) -> Result<(), SpecError> {
    if [width, height].iter().all(|side| SIZE_RANGE.contains(side)) {
        Ok(())
    } else {
        Err(spec_err!(
            "picture size {width}x{height}: each side must be in 64 ..= 4096 pixels"
        ))
    }
}

/// What [`Renderer::of_map`] draws: a map sampled elsewhere over `view` and the paths on it
/// (records whose x, y are the map's coordinates).
pub struct MapPicture<'a> {
    pub size: [u32; 2],
    pub map: &'a ContourMap,
    pub view: Bounds,
    pub colormap: crate::grid::Colormap,
    pub title: String,
    /// Label, colour and records of each path.
    pub paths: Vec<(String, [u8; 3], Vec<Record>)>,
    /// Where the start ring goes.
    pub start: [f64; 2],
    /// The last step (the legend's counter).
    pub steps: u64,
}

/// A scene's race, computed once, drawn at any step.
pub struct Renderer {
    width: u32,
    height: u32,
    view: Bounds,
    title: String,
    /// The map, isolines and critical points: the same in every frame.
    background: Pixmap,
    /// Scratch coverage for stroking a path (see [`stroke_path`]).
    mask: Mask,
    paths: Vec<Path>,
    start: [f64; 2],
    steps: u64,
    font: FontRef<'static>,
    /// Colour-key lines under the racers' (a map over many runs; see `maps.rs`).
    key: Vec<(String, [u8; 3])>,
}

impl Renderer {
    /// Run the scene's race (with `steps` updates instead of the scene's, if given) and draw
    /// its static layers at `width × height` pixels.
    pub fn new(
        scene: &Scene,
        [width, height]: [u32; 2],
        steps: Option<u64>,
    ) -> Result<Self, SpecError> {
        check_size(width, height)?;
        let mut scene = scene.clone();
        if let Some(steps) = steps {
            scene.steps = steps;
        }
        scene.check().map_err(|(_, e)| e)?;
        if scene.is_network() {
            return slice::network_picture(&scene, [width, height]);
        }
        let (spec, indices) = scene.race_spec()?;
        let race = spec.build()?;
        let landscape = std::sync::Arc::clone(&race.landscape);
        let view = scene
            .view
            .unwrap_or(landscape.view)
            .fit_aspect(f64::from(width) / f64::from(height));
        let samples = [width.min(MAX_SAMPLES), height.min(MAX_SAMPLES)];
        let map = ContourMap::compute(
            landscape.surface.as_ref(),
            view,
            samples.map(|s| s as usize),
            scene.levels,
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        );
        let mut renderer = Self::blank([width, height], view, &scene.title, scene.steps)?;
        renderer.start = [race.start.x, race.start.y];
        renderer.draw_background(&map, &scene.colormap.table(), &landscape.critical)?;
        renderer.draw_former_minima(&landscape.unregularized_minima);
        let paths = race
            .trajectories()
            .into_iter()
            .zip(&indices)
            .enumerate()
            .map(|(run, (records, &i))| (race.label(run), scene.racers[i].color_at(i), records))
            .collect();
        renderer.set_paths(paths);
        Ok(renderer)
    }

    /// A map computed elsewhere (a slice of a network's loss) with paths drawn over it, as a
    /// race's picture: the same colours, isolines, path markers, start ring and legend.
    pub fn of_map(picture: MapPicture) -> Result<Self, SpecError> {
        let [width, height] = picture.size;
        check_size(width, height)?;
        let view = picture.view;
        let mut renderer = Self::blank(picture.size, view, &picture.title, picture.steps)?;
        renderer.start = picture.start;
        renderer.draw_background(picture.map, &picture.colormap.table(), &[])?;
        renderer.set_paths(picture.paths);
        Ok(renderer)
    }

    /// A renderer with an empty background.
    fn blank(
        [width, height]: [u32; 2],
        view: Bounds,
        title: &str,
        steps: u64,
    ) -> Result<Self, SpecError> {
        let font = FontRef::try_from_slice(FONT).map_err(|e| spec_err!("bundled font: {e}"))?;
        let title = fitting_prefix(&font, title, width as f32).to_string();
        Ok(Self {
            width,
            height,
            view,
            title,
            background: new_pixmap(width, height)?,
            mask: Mask::new(width, height)
                .ok_or_else(|| spec_err!("cannot make a {width}x{height} mask"))?,
            paths: Vec::new(),
            start: [0.0, 0.0],
            steps,
            font,
            key: Vec::new(),
        })
    }

    /// The paths to draw, each with its label and colour. Text past the picture's right edge
    /// is never seen: only what fits is kept, once, so a 50 MB label costs one pass here and
    /// nothing per frame.
    fn set_paths(&mut self, paths: Vec<(String, [u8; 3], Vec<Record>)>) {
        let width = self.width as f32;
        self.paths = paths
            .into_iter()
            .map(|(label, color, records)| Path {
                label: fitting_prefix(&self.font, &label, width).to_string(),
                color,
                records,
            })
            .collect();
    }

    /// Where a regularization term moved the minima from: hollow ◇ (the app draws the same).
    fn draw_former_minima(&mut self, minima: &[Critical]) {
        for c in minima {
            let (x, y) = self.screen(c.x, c.y);
            diamond(&mut self.background, x, y, 9.0, HALO);
            let [r, g, b] = MINIMUM_MARK;
            diamond(&mut self.background, x, y, 6.5, [r, g, b, 255]);
            diamond(&mut self.background, x, y, 3.5, [0, 0, 0, 255]);
        }
    }

    /// Updates in the race (the last frame's step).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn size(&self) -> [u32; 2] {
        [self.width, self.height]
    }

    /// Pixel position of a surface point, unclamped (for clipping).
    fn pixel(&self, x: f64, y: f64) -> [f64; 2] {
        let b = &self.view;
        [
            (x - b.x[0]) / (b.x[1] - b.x[0]) * f64::from(self.width),
            (b.y[1] - y) / (b.y[1] - b.y[0]) * f64::from(self.height),
        ]
    }

    /// Pixel position of a marker, clamped to ±[`FAR`].
    fn screen(&self, x: f64, y: f64) -> (f32, f32) {
        let far = f64::from(FAR);
        let [sx, sy] = self.pixel(x, y);
        (sx.clamp(-far, far) as f32, sy.clamp(-far, far) as f32)
    }

    /// The points [`Renderer::frame`] strokes at `step`, all paths together: the work of
    /// drawing, after clipping and thinning (what grows with the picture, not the steps).
    pub fn drawn_points(&self, step: u64) -> usize {
        self.paths
            .iter()
            .map(|path| {
                let shown = usize::try_from(step.saturating_add(1))
                    .map_or(path.records.len(), |n| n.min(path.records.len()));
                self.clip(&path.records[..shown]).point_count()
            })
            .sum()
    }

    /// A path as the picture shows it: clipped to the picture, thinned to half a pixel.
    fn clip(&self, records: &[Record]) -> Clipped {
        let rect = Rect::around(f64::from(self.width), f64::from(self.height), CLIP_MARGIN);
        clip(
            records.iter().map(|r| self.pixel(r.x, r.y)),
            rect,
            PATH_MIN_SPACING,
        )
    }

    fn draw_background(
        &mut self,
        map: &ContourMap,
        table: &[[u8; 3]; 256],
        critical: &[Critical],
    ) -> Result<(), SpecError> {
        let rgba = map.rgba(table);
        let (nx, ny) = (map.grid.nx as u32, map.grid.ny as u32);
        let size = tiny_skia::IntSize::from_wh(nx, ny).ok_or_else(|| spec_err!("empty map"))?;
        let samples = Pixmap::from_vec(rgba, size).ok_or_else(|| spec_err!("map size mismatch"))?;
        // The samples are pixel centres over the view; stretch them over the picture.
        let scale = Transform::from_scale(
            self.width as f32 / nx as f32,
            self.height as f32 / ny as f32,
        );
        let paint = PixmapPaint {
            quality: FilterQuality::Bilinear,
            ..PixmapPaint::default()
        };
        self.background.fill(color(NOT_FINITE_RGB, 255));
        self.background
            .draw_pixmap(0, 0, samples.as_ref(), &paint, scale, None);
        let stroke = stroke(1.2);
        for line in &map.isolines {
            for path in &line.paths {
                let points: Vec<[f32; 2]> = path
                    .iter()
                    .map(|p| {
                        let (x, y) = self.screen(p[0], p[1]);
                        [x, y]
                    })
                    .collect();
                if let Some(path) = polyline(&points) {
                    self.background.stroke_path(
                        &path,
                        &paint_of(ISOLINE),
                        &stroke,
                        Transform::identity(),
                        None,
                    );
                }
            }
        }
        for c in critical {
            let (x, y) = self.screen(c.x, c.y);
            let fill = critical_color(c.kind);
            if c.is_minimum() {
                diamond(&mut self.background, x, y, 9.0, HALO);
                diamond(
                    &mut self.background,
                    x,
                    y,
                    6.5,
                    [fill[0], fill[1], fill[2], 255],
                );
            } else {
                cross(&mut self.background, x, y, 7.0, 5.0, HALO);
                cross(
                    &mut self.background,
                    x,
                    y,
                    6.0,
                    2.5,
                    [fill[0], fill[1], fill[2], 255],
                );
            }
        }
        Ok(())
    }

    /// The picture at timeline step `step`: every path up to it, its current point, and the
    /// legend (with how each run ended, once it has).
    ///
    /// Each path is clipped to the picture (see [`crate::polyline::clip`]): a run out of view
    /// is drawn to the edge where it left, and an arrow there, pointing the way it went, is
    /// its marker (red if it ended).
    pub fn frame(&self, step: u64) -> Pixmap {
        let mut pixmap = self.background.clone();
        let mut mask = self.mask.clone();
        let scale = self.text_px();
        for path in &self.paths {
            let shown = usize::try_from(step.saturating_add(1))
                .map_or(path.records.len(), |n| n.min(path.records.len()));
            let clipped = self.clip(&path.records[..shown]);
            stroke_path(&mut pixmap, &mut mask, &clipped.pieces, rgba(path.color));
            let ended = shown == path.records.len() && ending(&path.records).is_some();
            if let Some(gone) = &clipped.gone {
                // Out of view: an arrow on the edge, the way it went, stands for its marker.
                let c = if ended { ALARM } else { path.color };
                arrow(&mut pixmap, gone, c);
            } else if let Some([x, y]) = clipped.last {
                if ended {
                    cross(&mut pixmap, x, y, 11.0, 7.0, HALO);
                    cross(&mut pixmap, x, y, 10.0, 3.5, rgba(ALARM));
                } else {
                    disc(&mut pixmap, x, y, 9.5, HALO);
                    disc(&mut pixmap, x, y, 7.0, rgba(path.color));
                }
            }
        }
        let (sx, sy) = self.screen(self.start[0], self.start[1]);
        ring(&mut pixmap, sx, sy, 8.0, 4.5, HALO);
        ring(&mut pixmap, sx, sy, 8.0, 2.0, rgba(START_RING));
        self.legend(&mut pixmap, step, scale);
        pixmap
    }

    fn text_px(&self) -> f32 {
        (self.height.min(self.width) as f32 / 36.0).clamp(MIN_TEXT_PX, 28.0)
    }

    fn legend(&self, pixmap: &mut Pixmap, step: u64, px: f32) {
        let line_height = px * 1.35;
        let title_px = px * 1.15;
        let mut lines: Vec<LegendLine> = vec![(self.title.clone(), None)];
        for path in &self.paths {
            let ended = ending(&path.records).filter(|&(_, at)| step >= at);
            lines.push((
                legend_label(&path.label, ended),
                Some((path.color, legend_color(ended))),
            ));
        }
        lines.extend(self.key.iter().map(|(t, c)| (t.clone(), Some((*c, TEXT)))));
        let swatch = px * 1.6;
        let width = lines
            .iter()
            .map(|(text, c)| {
                let size = if c.is_some() { px } else { title_px };
                text_width(&self.font, text, size)
                    + if c.is_some() { swatch + px * 0.5 } else { 0.0 }
            })
            .fold(0.0f32, f32::max)
            + px;
        let height = line_height * lines.len() as f32 + px * 0.6;
        let (x0, y0) = (px * 0.6, px * 0.6);
        if let Some(rect) =
            tiny_skia::Rect::from_xywh(x0, y0, width.min(self.width as f32 - x0), height)
        {
            pixmap.fill_rect(rect, &paint_of(PANEL), Transform::identity(), None);
        }
        for (k, (text, c)) in lines.iter().enumerate() {
            let baseline = y0 + px * 0.3 + line_height * (k as f32 + 0.8);
            let mut x = x0 + px * 0.5;
            match c {
                None => draw_text(
                    pixmap,
                    &self.font,
                    text,
                    x,
                    baseline,
                    title_px,
                    [255, 255, 255],
                ),
                Some((color, fg)) => {
                    let mid = baseline - px * 0.35;
                    if let Some(line) = polyline(&[[x, mid], [x + swatch, mid]]) {
                        pixmap.stroke_path(
                            &line,
                            &paint_of(HALO),
                            &stroke(5.5),
                            Transform::identity(),
                            None,
                        );
                        pixmap.stroke_path(
                            &line,
                            &paint_of(rgba(*color)),
                            &stroke(3.0),
                            Transform::identity(),
                            None,
                        );
                    }
                    x += swatch + px * 0.5;
                    draw_text(pixmap, &self.font, text, x, baseline, px, *fg);
                }
            }
        }
        let counter = format!("step {} / {}", step.min(self.steps), self.steps);
        let w = text_width(&self.font, &counter, px);
        let (cx, cy) = (self.width as f32 - w - px, self.height as f32 - px * 0.8);
        if let Some(rect) =
            tiny_skia::Rect::from_xywh(cx - px * 0.4, cy - px * 1.1, w + px * 0.8, px * 1.5)
        {
            pixmap.fill_rect(rect, &paint_of(PANEL), Transform::identity(), None);
        }
        draw_text(pixmap, &self.font, &counter, cx, cy, px, [255, 255, 255]);
    }

    /// The frames of a GIF of the race played at `speed` steps per second (> 0), at most
    /// `fps` frames per second (capped at [`MAX_GIF_FPS`]).
    ///
    /// The race lasts T = steps / speed. Frame k of n + 1 appears at tₖ = k·T/n and shows
    /// step ⌊k·steps/n⌋, what the race has reached by then, for
    /// round(100·tₖ₊₁) − round(100·tₖ) centiseconds, so the delays add up to T to within
    /// half a centisecond; the last frame then holds [`GIF_HOLD_CS`]. With
    /// n = min(⌈T·fps⌉, ⌊50·T⌋, steps, [`MAX_GIF_FRAMES`] − 1) ≥ 1, a long race skips steps
    /// between frames rather than playing faster, and a race slower than `fps` shows each
    /// step once, held 1/speed.
    pub fn gif_frames(&self, speed: f64, fps: f64) -> Vec<GifFrame> {
        let fps = if fps > 0.0 {
            fps.min(MAX_GIF_FPS)
        } else {
            MAX_GIF_FPS
        };
        let duration = self.steps as f64 / speed;
        let intervals = ((duration * fps).ceil() as u64)
            .min((duration * MAX_GIF_FPS) as u64)
            .min(self.steps)
            .min(MAX_GIF_FRAMES as u64 - 1)
            .max(1);
        // Centiseconds from the start to frame k, rounded once, so rounding never accumulates.
        let at = |k: u64| (100.0 * duration * k as f64 / intervals as f64).round();
        (0..=intervals)
            .map(|k| GifFrame {
                step: (u128::from(k) * u128::from(self.steps) / u128::from(intervals)) as u64,
                delay_cs: if k == intervals {
                    GIF_HOLD_CS
                } else {
                    (at(k + 1) - at(k)).clamp(2.0, f64::from(u16::MAX)) as u16
                },
            })
            .collect()
    }
}

/// One GIF frame: the timeline step it shows and how long it stays, in centiseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GifFrame {
    pub step: u64,
    pub delay_cs: u16,
}

/// Encode `frames` (see [`Renderer::gif_frames`]) as an endlessly looping GIF. Returns the
/// number of frames.
///
/// One palette serves every frame: 255 colours fitted (NeuQuant, Dekker 1994) to the last
/// frame, which holds the map and every path; index 255 is transparent. After the first
/// frame, each frame stores only the rectangle that changed, with unchanged pixels
/// transparent, so a GIF costs about what its paths cost, not a full map per frame.
pub fn write_gif(
    renderer: &Renderer,
    frames: &[GifFrame],
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    const TRANSPARENT: u8 = 255;
    let [w, h] = renderer.size();
    let (w16, h16) = (
        u16::try_from(w).map_err(std::io::Error::other)?,
        u16::try_from(h).map_err(std::io::Error::other)?,
    );
    let last = rgba_of(&renderer.frame(frames.last().map_or(0, |f| f.step)));
    let quantizer = color_quant::NeuQuant::new(10, 255, &last);
    let mut palette = quantizer.color_map_rgb();
    palette.extend_from_slice(&[0, 0, 0]);
    let mut encoder = gif::Encoder::new(out, w16, h16, &palette).map_err(std::io::Error::other)?;
    encoder
        .set_repeat(gif::Repeat::Infinite)
        .map_err(std::io::Error::other)?;
    let mut previous: Option<Vec<u8>> = None;
    for &GifFrame { step, delay_cs } in frames {
        let indices: Vec<u8> = rgba_of(&renderer.frame(step))
            .chunks_exact(4)
            .map(|p| quantizer.index_of(p) as u8)
            .collect();
        let (left, top, right, bottom) = match &previous {
            None => (0, 0, w as usize, h as usize),
            Some(before) => changed_rect(before, &indices, w as usize).unwrap_or((0, 0, 1, 1)),
        };
        let mut buffer = Vec::with_capacity((right - left) * (bottom - top));
        for y in top..bottom {
            for x in left..right {
                let i = y * w as usize + x;
                let same = previous.as_ref().is_some_and(|b| b[i] == indices[i]);
                buffer.push(if same { TRANSPARENT } else { indices[i] });
            }
        }
        let frame = gif::Frame {
            left: left as u16,
            top: top as u16,
            width: (right - left) as u16,
            height: (bottom - top) as u16,
            buffer: buffer.into(),
            transparent: previous.is_some().then_some(TRANSPARENT),
            dispose: gif::DisposalMethod::Keep,
            delay: delay_cs,
            ..gif::Frame::default()
        };
        encoder.write_frame(&frame).map_err(std::io::Error::other)?;
        previous = Some(indices);
    }
    Ok(frames.len())
}
