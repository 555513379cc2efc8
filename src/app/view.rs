//! The map (contour texture, isolines, known critical points, trajectories) and the loss and
//! learning-rate plots. Everything drawn here was computed by the core; the only work per
//! frame is placing it on screen.

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Color32, Pos2, Shape, Stroke, TextureHandle, TextureOptions, Vec2b};
use egui_plot::{
    Corner, HoverPosition, Legend, Line, MarkerShape, Plot, PlotBounds, PlotGeometry, PlotImage,
    PlotItem, PlotItemBase, PlotPoint, PlotTransform, PlotUi, Points, Text, VLine,
};

use super::teach;
use super::theme;
use crate::P2;
use crate::grid::{Colormap, ContourMap, Isoline, gradient_field};
use crate::metrics::Targets;
use crate::race::StepDetail;
use crate::race::{Record, Status};
use crate::scene::Overlays;
use crate::surface::{Bounds, Critical, CriticalKind, Landscape};

/// The `PlotItem` methods every layer drawn here shares: nothing to initialize, no bounds of
/// its own (the map's view is set by the scene), and the item base.
macro_rules! layer_plumbing {
    () => {
        fn initialize(&mut self, _x_range: std::ops::RangeInclusive<f64>) {}

        fn bounds(&self) -> egui_plot::PlotBounds {
            egui_plot::PlotBounds::NOTHING
        }

        fn base(&self) -> &egui_plot::PlotItemBase {
            &self.base
        }

        fn base_mut(&mut self) -> &mut egui_plot::PlotItemBase {
            &mut self.base
        }
    };
}
pub(crate) use layer_plumbing;

/// One run ready to draw: its records and the same points in the plots' types.
pub struct RunView {
    /// Index of the racer in the scene.
    pub racer: usize,
    /// Index of the run in the race (and in its step details).
    pub run: usize,
    pub label: String,
    pub color: Color32,
    pub records: Vec<Record>,
    pub path: Vec<PlotPoint>,
    /// (step, log₁₀(f − f*)) for the loss plot.
    pub gap: Vec<PlotPoint>,
    /// (step, lr) for the schedule plot.
    pub lr: Vec<PlotPoint>,
    /// (step, log₁₀‖∇f‖) for the gradient-norm plot.
    pub grad: Vec<PlotPoint>,
    /// (step, log₁₀ distance to the nearest known minimum), empty when none is known.
    pub distance: Vec<PlotPoint>,
}

impl RunView {
    pub fn new(
        (racer, run): (usize, usize),
        label: String,
        color: Color32,
        records: Vec<Record>,
        f_star: f64,
        targets: &Targets,
    ) -> Self {
        let log = |v: f64| v.clamp(1e-16, 1e300).log10();
        let grad = records
            .iter()
            .filter(|r| r.grad_norm.is_finite())
            .map(|r| PlotPoint::new(r.step as f64, log(r.grad_norm)))
            .collect();
        let distance = records
            .iter()
            .filter_map(|r| {
                Some(PlotPoint::new(
                    r.step as f64,
                    log(targets.distance(r.point())?),
                ))
            })
            .filter(|p| p.y.is_finite())
            .collect();
        let path = records.iter().map(|r| PlotPoint::new(r.x, r.y)).collect();
        let gap = records
            .iter()
            .map(|r| PlotPoint::new(r.step as f64, log_gap(r.loss, f_star)))
            .collect();
        let lr = records
            .iter()
            .map(|r| PlotPoint::new(r.step as f64, r.lr))
            .collect();
        Self {
            racer,
            run,
            label,
            color,
            records,
            path,
            gap,
            lr,
            grad,
            distance,
        }
    }

    /// How many records are visible at timeline step `step` (runs that ended earlier show
    /// all of theirs).
    pub fn shown(&self, step: u64) -> usize {
        usize::try_from(step.saturating_add(1))
            .map_or(self.records.len(), |n| n.min(self.records.len()))
    }

    /// Where the run ended early, if it did: the status and the step.
    pub fn ending(&self) -> Option<(Status, u64)> {
        let last = self.records.last()?;
        last.status
            .is_terminal()
            .then_some((last.status, last.step))
    }

    /// The legend label: the spec, and how the run ended if it ended early.
    pub fn legend(&self) -> String {
        match self.ending() {
            Some((status, step)) => format!("{}  ({status} at step {step})", self.label),
            None => self.label.clone(),
        }
    }
}

/// log₁₀ of the optimality gap f − f*, floored at 10⁻¹⁶ (and at 10³⁰⁰ for overflow), so a
/// log axis can show it.
pub fn log_gap(loss: f64, f_star: f64) -> f64 {
    let gap = loss - f_star;
    if gap.is_nan() {
        300.0
    } else {
        gap.clamp(1e-16, 1e300).log10()
    }
}

/// The key of a computed map: it is recomputed only when one of these changes.
#[derive(Clone, Debug, PartialEq)]
struct MapKey {
    surface: String,
    bounds: Bounds,
    resolution: [usize; 2],
    levels: usize,
    colormap: Colormap,
}

/// The contour map of the current view, as a texture and isolines.
#[derive(Default)]
pub struct MapCache {
    key: Option<MapKey>,
    map: Option<ContourMap>,
    texture: Option<TextureHandle>,
    /// How long the last recompute took (shown in the shortcuts window).
    pub last_compute: Duration,
    /// −∇f on a coarse lattice of the view, and the lattice's cell size.
    pub field: (Vec<(P2, P2)>, f64),
}

/// Arrows per side of the gradient field.
const FIELD_ARROWS: usize = 21;

/// The map is sampled at most this finely (per side).
pub const MAX_RESOLUTION: usize = 512;

impl MapCache {
    /// Make the map match (surface, bounds, resolution, levels, colormap); a no-op when
    /// nothing changed.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        landscape: &Landscape,
        bounds: Bounds,
        resolution: [usize; 2],
        levels: usize,
        colormap: Colormap,
    ) {
        let key = MapKey {
            surface: landscape.spec.clone(),
            bounds,
            resolution: resolution.map(|r| r.clamp(16, MAX_RESOLUTION)),
            levels,
            colormap,
        };
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let started = Instant::now();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let map = ContourMap::compute(
            landscape.surface.as_ref(),
            bounds,
            key.resolution,
            levels,
            threads,
        );
        let cell = (bounds.x[1] - bounds.x[0]).max(bounds.y[1] - bounds.y[0]) / FIELD_ARROWS as f64;
        let lattice = bounds.fit_aspect(1.0);
        self.field = (
            gradient_field(landscape.surface.as_ref(), lattice, FIELD_ARROWS),
            cell,
        );
        let rgba = map.rgba(&colormap.table());
        let image = egui::ColorImage::from_rgba_unmultiplied([map.grid.nx, map.grid.ny], &rgba);
        match &mut self.texture {
            Some(texture) => texture.set(image, TextureOptions::LINEAR),
            None => {
                self.texture = Some(ctx.load_texture("surface-map", image, TextureOptions::LINEAR))
            }
        }
        self.map = Some(map);
        self.key = Some(key);
        self.last_compute = started.elapsed();
    }

    pub fn map(&self) -> Option<&ContourMap> {
        self.map.as_ref()
    }

    fn layers(&self) -> Option<(&TextureHandle, &ContourMap)> {
        Some((self.texture.as_ref()?, self.map.as_ref()?))
    }
}

/// What every map plot of a frame shares.
pub struct MapScene<'a> {
    pub landscape: &'a Arc<Landscape>,
    pub cache: &'a MapCache,
    pub start: [f64; 2],
    pub step: u64,
    /// Set the plot to these bounds this frame (a new surface or a reset view).
    pub reset_to: Option<Bounds>,
    pub overlays: Overlays,
    /// Every run's step details, when an overlay needs them.
    pub details: Option<&'a [Vec<StepDetail>]>,
}

/// What the user did on a map this frame.
pub struct MapResponse {
    /// The plot's view after this frame's pan or zoom.
    pub bounds: Option<Bounds>,
    /// The plot's size in physical pixels.
    pub pixels: [usize; 2],
    /// Where the plot is on screen (points).
    pub frame: egui::Rect,
    /// A click or a drag of the start marker moved the start here.
    pub new_start: Option<[f64; 2]>,
    /// The teaching layers drawn.
    pub layers: Vec<&'static str>,
}

/// Pixels around the start marker where a press grabs it instead of panning.
const GRAB_RADIUS: f32 = 14.0;

/// One map: texture, isolines, critical points, the given runs, and the start marker.
/// Clicking sets the start; dragging the start marker moves it live.
pub fn map_plot<'a>(
    ui: &mut egui::Ui,
    id: &str,
    scene: &MapScene<'a>,
    runs: &[&'a RunView],
    legend: bool,
    linked: bool,
) -> MapResponse {
    let plot_id = egui::Id::unique(("map", id));
    let grab_id = plot_id.with("grab-start");
    // Decide before the plot handles input whether a press grabbed the start marker:
    // then the plot must not pan.
    let grabbed = ui
        .ctx()
        .data(|d| d.get_temp::<bool>(grab_id))
        .unwrap_or(false);
    let landscape = Arc::clone(scene.landscape);
    let critical = landscape.critical.clone();
    let mut plot = Plot::new(plot_id)
        .data_aspect(1.0)
        .show_grid(false)
        .allow_drag(!grabbed)
        .allow_double_click_reset(false)
        .auto_bounds(Vec2b::FALSE)
        .label_formatter(move |hover| Some(hover_label(&landscape, &critical, hover)));
    if linked {
        // Small multiples share one view: pan or zoom one, and all follow.
        plot = plot
            .link_axis(egui::Id::unique("maps"), Vec2b::TRUE)
            .link_cursor(egui::Id::unique("maps"), Vec2b::TRUE);
    }
    if legend {
        plot = plot.legend(
            Legend::default()
                .position(Corner::LeftTop)
                .follow_insertion_order(true)
                .background_alpha(0.85)
                .text_style(egui::TextStyle::Body),
        );
    }
    let mut layers = Vec::new();
    let response = plot.show(ui, |plot_ui| {
        if let Some(b) = scene.reset_to {
            let b = fit(b, plot_ui.response().rect);
            plot_ui.set_plot_bounds(PlotBounds::from_min_max([b.x[0], b.y[0]], [b.x[1], b.y[1]]));
        }
        map_layers(plot_ui, scene);
        let overlays = scene.overlays;
        if overlays.field
            && teach::field_overlay(plot_ui, &scene.cache.field.0, scene.cache.field.1)
        {
            layers.push(teach::layer::FIELD);
        }
        for run in runs {
            run_layers(plot_ui, run, scene.step);
        }
        if let Some(details) = scene.details {
            layers.extend(teach::run_overlays(
                plot_ui, overlays, runs, details, scene.step,
            ));
        }
        start_marker(plot_ui, scene.start);
        if overlays.curvature && teach::curvature_overlay(plot_ui, scene.landscape) {
            layers.push(teach::layer::CURVATURE);
        }
    });

    let transform = response.transform;
    let mut out = MapResponse {
        bounds: Some(bounds_of(transform.bounds())),
        pixels: pixel_size(ui.ctx(), transform.frame()),
        frame: *transform.frame(),
        new_start: None,
        layers,
    };
    let r = &response.response;
    let start_screen =
        transform.position_from_point(&PlotPoint::new(scene.start[0], scene.start[1]));
    let near_start = |pos: Pos2| pos.distance(start_screen) <= GRAB_RADIUS;
    let press_origin = ui.input(|i| i.pointer.press_origin());
    let pressed_here = ui.input(|i| i.pointer.primary_pressed());
    if pressed_here && r.hovered() {
        let grab = press_origin.is_some_and(near_start);
        ui.ctx().data_mut(|d| d.insert_temp(grab_id, grab));
    }
    if grabbed {
        if let Some(pos) = r
            .interact_pointer_pos()
            .or(ui.input(|i| i.pointer.latest_pos()))
        {
            out.new_start = Some(point_at(&transform, pos));
        }
        if !ui.input(|i| i.pointer.primary_down()) {
            ui.ctx().data_mut(|d| d.insert_temp(grab_id, false));
        }
    } else if r.clicked()
        && let Some(pos) = r.interact_pointer_pos()
    {
        out.new_start = Some(point_at(&transform, pos));
    }
    if r.hovered() {
        let over_start = ui.input(|i| i.pointer.hover_pos()).is_some_and(near_start);
        if over_start || grabbed {
            ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
        }
    }
    out
}

/// The smallest box with the frame's shape that contains `b`: the whole view stays visible
/// whatever the window's shape.
pub fn fit(b: Bounds, frame: egui::Rect) -> Bounds {
    b.fit_aspect(f64::from(frame.width()) / f64::from(frame.height()))
}

fn point_at(transform: &PlotTransform, pos: Pos2) -> [f64; 2] {
    let p = transform.value_from_position(pos);
    [p.x, p.y]
}

fn bounds_of(b: &PlotBounds) -> Bounds {
    let ([x0, y0], [x1, y1]) = (b.min(), b.max());
    Bounds::new(x0, x1, y0, y1)
}

fn pixel_size(ctx: &egui::Context, frame: &egui::Rect) -> [usize; 2] {
    let ppp = ctx.pixels_per_point();
    [
        (frame.width() * ppp).round().max(0.0) as usize,
        (frame.height() * ppp).round().max(0.0) as usize,
    ]
}

/// The hover text: a critical point's kind and value, a run's step, or f under the cursor.
fn hover_label(landscape: &Landscape, critical: &[Critical], hover: &HoverPosition<'_>) -> String {
    let (name, position, index) = match *hover {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            index,
        } => (plot_name, position, Some(index)),
        HoverPosition::Elsewhere { position } => ("", position, None),
    };
    let p = crate::P2::new(position.x, position.y);
    match (name, index) {
        (CRITICAL_MINIMA | CRITICAL_OTHER, _) => {
            let c = critical
                .iter()
                .min_by(|a, b| (a.point() - p).norm().total_cmp(&(b.point() - p).norm()));
            match c {
                Some(c) => format!("{} ({:.4}, {:.4})\nf = {:.6}", c.kind, c.x, c.y, c.f),
                None => String::new(),
            }
        }
        ("", _) | (_, None) => {
            let f = landscape.surface.value(p);
            format!("({:.3}, {:.3})\nf = {}", p.x, p.y, short(f))
        }
        (run, Some(step)) => format!("{run}\nstep {step}: ({:.4}, {:.4})", p.x, p.y),
    }
}

/// A number in at most about 7 characters.
pub fn short(v: f64) -> String {
    if v == 0.0 || (1e-3..1e5).contains(&v.abs()) {
        format!("{v:.4}")
    } else {
        format!("{v:.3e}")
    }
}

const CRITICAL_MINIMA: &str = "known minima";
const CRITICAL_OTHER: &str = "saddles, maxima";

fn map_layers<'a>(plot_ui: &mut PlotUi<'a>, scene: &MapScene<'a>) {
    let Some((texture, map)) = scene.cache.layers() else {
        return;
    };
    let b = map.grid.bounds;
    plot_ui.image(
        PlotImage::new(
            "",
            texture.id(),
            PlotPoint::new((b.x[0] + b.x[1]) / 2.0, (b.y[0] + b.y[1]) / 2.0),
            [(b.x[1] - b.x[0]) as f32, (b.y[1] - b.y[0]) as f32],
        )
        .allow_hover(false),
    );
    plot_ui.add(IsolineLayer::new(&map.isolines));
    let (minima, others): (Vec<&Critical>, Vec<&Critical>) = scene
        .landscape
        .critical
        .iter()
        .partition(|c| c.is_minimum());
    for (name, points, shape) in [
        (CRITICAL_MINIMA, minima, MarkerShape::Diamond),
        (CRITICAL_OTHER, others, MarkerShape::Cross),
    ] {
        if points.is_empty() {
            continue;
        }
        let coords: Vec<[f64; 2]> = points.iter().map(|c| [c.x, c.y]).collect();
        plot_ui.points(
            Points::new("", coords.clone())
                .shape(shape)
                .radius(9.0)
                .color(theme::HALO)
                .allow_hover(false),
        );
        let color = if points.iter().all(|c| c.kind == CriticalKind::Saddle) {
            Color32::from_rgb(255, 200, 120)
        } else {
            Color32::WHITE
        };
        plot_ui.points(
            Points::new(name, coords)
                .shape(shape)
                .radius(6.5)
                .color(color),
        );
    }
}

fn run_layers<'a>(plot_ui: &mut PlotUi<'a>, run: &'a RunView, step: u64) {
    let shown = run.shown(step);
    let path = &run.path[..shown];
    plot_ui.add(PathLayer {
        base: PlotItemBase::new(run.legend()),
        points: path,
        color: run.color,
    });
    // The marker sits on the last point in view: a diverging run's last finite point is
    // usually far outside it, and the mark must be seen.
    let view = plot_ui.plot_bounds();
    let in_view = |p: &&PlotPoint| {
        let ([x0, y0], [x1, y1]) = (view.min(), view.max());
        (x0..=x1).contains(&p.x) && (y0..=y1).contains(&p.y)
    };
    let finite = |p: &&PlotPoint| p.x.is_finite() && p.y.is_finite();
    let Some(head) = path
        .iter()
        .rev()
        .find(in_view)
        .or_else(|| path.iter().rev().find(finite))
    else {
        return;
    };
    let ended_here = run.ending().filter(|_| shown == run.records.len());
    let (shape, radius, color) = match ended_here {
        Some(_) => (MarkerShape::Cross, 11.0, theme::ALARM),
        None => (MarkerShape::Circle, 7.0, run.color),
    };
    plot_ui.points(
        Points::new("", [head.x, head.y])
            .shape(MarkerShape::Circle)
            .radius(radius + 2.5)
            .color(theme::HALO)
            .allow_hover(false),
    );
    plot_ui.points(
        Points::new("", [head.x, head.y])
            .shape(shape)
            .radius(radius)
            .color(color)
            .allow_hover(false),
    );
    if let Some((status, at)) = ended_here {
        plot_ui.text(
            Text::new(
                "",
                *head,
                egui::RichText::new(format!("  {status} at step {at}"))
                    .strong()
                    .size(18.0)
                    .color(theme::ALARM)
                    .background_color(theme::HALO),
            )
            .anchor(egui::Align2::LEFT_CENTER)
            .allow_hover(false),
        );
    }
}

fn start_marker(plot_ui: &mut PlotUi<'_>, start: [f64; 2]) {
    plot_ui.points(
        Points::new("", start)
            .shape(MarkerShape::Circle)
            .radius(9.0)
            .filled(false)
            .color(theme::HALO)
            .allow_hover(false),
    );
    plot_ui.points(
        Points::new("start (drag me)", start)
            .shape(MarkerShape::Circle)
            .radius(7.0)
            .filled(false)
            .color(Color32::WHITE),
    );
}

/// A trajectory with its halo, as one plot item. Points closer than half a pixel to the last
/// drawn one are skipped, so a run of 20,000 steps costs what its visible shape costs; every
/// turn wider than that (each zigzag of gradient descent) is kept.
struct PathLayer<'a> {
    base: PlotItemBase,
    points: &'a [PlotPoint],
    color: Color32,
}

/// Screen distance below which consecutive path points merge.
const PATH_MIN_SPACING: f32 = 0.5;

/// Screen coordinates are clamped to this far outside the plot, so a diverging run's line
/// still points the right way without astronomically long segments for the tessellator.
const FAR: f32 = 1e5;

impl PlotItem for PathLayer<'_> {
    fn shapes(&self, _ui: &egui::Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let mut screen: Vec<Pos2> = Vec::with_capacity(self.points.len().min(4096));
        let last = self.points.len().saturating_sub(1);
        for (k, p) in self.points.iter().enumerate() {
            if !(p.x.is_finite() && p.y.is_finite()) {
                continue;
            }
            let pos = transform
                .position_from_point(p)
                .clamp(Pos2::new(-FAR, -FAR), Pos2::new(FAR, FAR));
            match screen.last_mut() {
                // The path's last point is always drawn where it is.
                Some(prev) if prev.distance(pos) < PATH_MIN_SPACING && k == last => *prev = pos,
                Some(prev) if prev.distance(pos) < PATH_MIN_SPACING => {}
                _ => screen.push(pos),
            }
        }
        if screen.len() < 2 {
            return;
        }
        shapes.push(Shape::line(screen.clone(), Stroke::new(5.5, theme::HALO)));
        shapes.push(Shape::line(screen, Stroke::new(3.0, self.color)));
    }

    layer_plumbing!();

    fn color(&self) -> Color32 {
        self.color
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::Points(self.points)
    }
}

/// Isolines as a plot item: polylines mapped to the screen with this frame's transform.
struct IsolineLayer<'a> {
    base: PlotItemBase,
    lines: &'a [Isoline],
}

impl<'a> IsolineLayer<'a> {
    fn new(lines: &'a [Isoline]) -> Self {
        Self {
            base: PlotItemBase::new(String::new()),
            lines,
        }
    }
}

impl PlotItem for IsolineLayer<'_> {
    fn shapes(&self, _ui: &egui::Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let stroke = Stroke::new(1.2, theme::ISOLINE);
        for line in self.lines {
            for path in &line.paths {
                let points: Vec<Pos2> = path
                    .iter()
                    .map(|p| transform.position_from_point(&PlotPoint::new(p[0], p[1])))
                    .collect();
                shapes.push(Shape::line(points, stroke));
            }
        }
    }

    layer_plumbing!();

    fn allow_hover(&self) -> bool {
        false
    }

    fn color(&self) -> Color32 {
        theme::ISOLINE
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }
}

/// Loss (as log₁₀ of the gap to the best known minimum) against step, for every run.
pub fn loss_plot(ui: &mut egui::Ui, runs: &[RunView], step: u64, f_star_known: bool) {
    let label = if f_star_known {
        "f − f* (log)"
    } else {
        "f − f_min (log)"
    };
    let range = loss_range(runs);
    log_plot(ui, "loss", label, runs, step, Some(range), |r| &r.gap);
}

/// The loss plot's y range (decades): down to the lowest gap reached, up to the start's gap
/// plus at most 3 decades, so one diverging run does not flatten every other curve (it leaves
/// through the top edge instead).
pub fn loss_range(runs: &[RunView]) -> (f64, f64) {
    let finite = runs
        .iter()
        .flat_map(|r| &r.gap)
        .map(|p| p.y)
        .filter(|y| y.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    let start = runs
        .iter()
        .filter_map(|r| r.gap.first())
        .map(|p| p.y)
        .fold(f64::NEG_INFINITY, f64::max);
    if !(lo.is_finite() && start.is_finite()) {
        return (-1.0, 1.0);
    }
    let hi = hi.min(start + 3.0);
    (lo - 0.5, hi.max(lo + 1.0) + 0.5)
}

/// One log-scale series per run against step (the loss gap, ‖∇f‖, distance to the minimum),
/// with the current step marked; `y_range` in decades, or fitted to the data.
pub fn log_plot(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    runs: &[RunView],
    step: u64,
    y_range: Option<(f64, f64)>,
    series: impl Fn(&RunView) -> &[PlotPoint],
) {
    let steps = runs.iter().map(|r| r.records.len()).max().unwrap_or(1) - 1;
    Plot::new(id)
        .x_axis_label("step")
        .y_axis_label(label)
        .y_axis_formatter(|mark, _| format!("1e{}", mark.value.round()))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot_ui| {
            plot_ui.set_plot_bounds_x(0.0..=steps.max(1) as f64);
            if let Some((lo, hi)) = y_range {
                plot_ui.set_plot_bounds_y(lo..=hi);
            }
            for run in runs {
                plot_ui.line(
                    Line::new(run.label.as_str(), series(run))
                        .color(run.color)
                        .width(2.5),
                );
            }
            plot_ui.vline(VLine::new("", step as f64).color(Color32::GRAY).width(1.5));
        });
}

/// The learning rate each run applies at every step (its base lr times the schedule).
pub fn lr_plot(ui: &mut egui::Ui, runs: &[RunView], step: u64) {
    Plot::new("lr")
        .x_axis_label("step")
        .y_axis_label("learning rate")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .show(ui, |plot_ui| {
            for run in runs {
                plot_ui.line(
                    Line::new(run.label.as_str(), &run.lr[..])
                        .color(run.color)
                        .width(2.5),
                );
            }
            plot_ui.vline(VLine::new("", step as f64).color(Color32::GRAY).width(1.5));
        });
}
