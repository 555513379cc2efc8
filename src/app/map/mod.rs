//! The map: the contour texture, isolines, known critical points, the runs and the start
//! ring ([`layers`]), and the teaching overlays ([`overlays`]), as one egui_plot plot that
//! pans, zooms, takes a click for the start point and lets the start ring be dragged.

pub mod cloud;
pub mod layers;
pub mod minibatch;
pub mod overlays;

use std::sync::Arc;

use egui::{Pos2, Vec2b};
use egui_plot::{
    AxisHints, HoverPosition, Plot, PlotBounds, PlotImage, PlotPoint, PlotTransform, PlotUi,
};

use super::caches::{MapCache, RunView};
use super::theme::short;
use crate::landscape::Landscape;
use crate::race::StepDetail;
use crate::scene::Overlays;
use crate::surface::{Bounds, Critical};
use layers::IsolineLayer;

/// What every map plot of a frame shares.
pub struct MapScene<'a> {
    pub landscape: &'a Arc<Landscape>,
    pub cache: &'a MapCache,
    /// The basin map's texture and the bounds it covers, drawn under the isolines.
    pub basins: Option<(&'a egui::TextureHandle, Bounds)>,
    /// The noise cloud, drawn under the paths.
    pub cloud: Option<&'a crate::engine::cloud::Cloud>,
    pub start: [f64; 2],
    pub step: u64,
    /// Set the plot to these bounds this frame (a new surface or a reset view).
    pub reset_to: Option<Bounds>,
    pub overlays: Overlays,
    /// Every run's step details, when an overlay needs them.
    pub details: Option<&'a [Vec<StepDetail>]>,
    /// The minibatch overlay: the runs with a minibatch plan, and the focused run's batch
    /// isolines in its colour.
    pub minibatch: Option<minibatch::MinibatchScene<'a>>,
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
    /// The plot was set to the scene's reset box this frame (its bounds are not a pan).
    pub was_reset: bool,
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
    linked: bool,
) -> MapResponse {
    let plot_id = egui::Id::unique(("map", id));
    // Decide before the plot handles input whether a press grabbed the start marker:
    // then the plot must not pan.
    let grab = StartGrab::load(ui.ctx(), plot_id);
    let plot = new_plot(plot_id, scene.landscape, grab.grabbed, linked);
    let response = plot.show(ui, |plot_ui| map_layers(plot_ui, scene, runs));
    let transform = response.transform;
    MapResponse {
        bounds: Some(bounds_of(transform.bounds())),
        pixels: pixel_size(ui.ctx(), transform.frame()),
        frame: *transform.frame(),
        new_start: grab.update(ui, &response.response, &transform, scene.start),
        layers: response.inner,
        was_reset: scene.reset_to.is_some(),
    }
}

/// The map's plot, before any layer: fixed aspect, no grid, labelled axes, the hover text,
/// no pan while the start marker is `grabbed`, and its view shared with the other maps when
/// `linked`.
fn new_plot<'p>(
    plot_id: egui::Id,
    landscape: &Arc<Landscape>,
    grabbed: bool,
    linked: bool,
) -> Plot<'p> {
    let landscape = Arc::clone(landscape);
    let critical = landscape.critical.clone();
    let [x_axis, y_axis] = axes(&landscape);
    let plot = Plot::new(plot_id)
        .data_aspect(1.0)
        .show_grid(false)
        .allow_drag(!grabbed)
        .allow_double_click_reset(false)
        .auto_bounds(Vec2b::FALSE)
        // At least three tick labels per axis on any map size (egui_plot hides x labels
        // closer than 60 points by default, which leaves "0" alone on a [−5, 5] map).
        .custom_x_axes(vec![x_axis])
        .custom_y_axes(vec![y_axis])
        .label_formatter(move |hover| Some(hover_label(&landscape, &critical, hover)));
    if !linked {
        return plot;
    }
    // Small multiples share one view: pan or zoom one, and all follow.
    plot.link_axis(egui::Id::unique("maps"), Vec2b::TRUE)
        .link_cursor(egui::Id::unique("maps"), Vec2b::TRUE)
}

/// The x and y axes' tick spacing, and on a model's map the parameters' names.
fn axes<'p>(landscape: &Landscape) -> [AxisHints<'p>; 2] {
    let mut x_axis = AxisHints::new_x().label_spacing(32.0..=44.0);
    let y_axis = AxisHints::new_y().label_spacing(22.0..=30.0);
    if landscape.data.is_some() {
        // A model's map is its parameter space: name both axes (w and b, w₁ and w₂) under
        // the x axis, which costs a row and leaves the map its width.
        let [x, y] = landscape.axes;
        x_axis = x_axis.label(format!("{x} →      {y} ↑"));
    }
    [x_axis, y_axis]
}

/// Everything inside the map, bottom to top: the surface, the field, the runs, the cloud,
/// the known points, the teaching overlays, the start marker and the curvature under the
/// cursor. Returns the teaching layers drawn.
fn map_layers<'a>(
    plot_ui: &mut PlotUi<'a>,
    scene: &MapScene<'a>,
    runs: &[&'a RunView],
) -> Vec<&'static str> {
    let mut drawn = Vec::new();
    if let Some(b) = scene.reset_to {
        let b = fit(b, plot_ui.response().rect);
        plot_ui.set_plot_bounds(PlotBounds::from_min_max([b.x[0], b.y[0]], [b.x[1], b.y[1]]));
    }
    if surface_layers(plot_ui, scene) {
        drawn.push(overlays::layer::BASINS);
    }
    let overlays = scene.overlays;
    if overlays.field && overlays::field_overlay(plot_ui, &scene.cache.field.0, scene.cache.field.1)
    {
        drawn.push(overlays::layer::FIELD);
    }
    for run in runs {
        layers::run_layers(plot_ui, run, scene.step);
    }
    // Over the paths: near the minimum a path's last zigzags would hide the cloud.
    if let Some(c) = scene.cloud
        && cloud::cloud_layer(plot_ui, c, runs, scene.step)
    {
        drawn.push(cloud::LAYER);
    }
    // The known points over the runs' dots: a run that reached a minimum shows as a ring
    // around its ◆, and the ◆ is never hidden.
    layers::former_minima(plot_ui, &scene.landscape.unregularized_minima);
    layers::critical_points(plot_ui, &scene.landscape.critical);
    if let Some(details) = scene.details {
        drawn.extend(overlays::run_overlays(
            plot_ui, overlays, runs, details, scene.step,
        ));
    }
    if let Some(minibatch) = &scene.minibatch {
        drawn.extend(minibatch_layers(plot_ui, scene, minibatch, runs));
    }
    layers::start_marker(plot_ui, scene.start);
    if overlays.curvature && overlays::curvature_overlay(plot_ui, scene.landscape) {
        drawn.push(overlays::layer::CURVATURE);
    }
    drawn
}

/// The surface itself: the contour texture, the basin map over it when computed, and the
/// isolines. Returns whether the basins were drawn.
fn surface_layers<'a>(plot_ui: &mut PlotUi<'a>, scene: &MapScene<'a>) -> bool {
    let Some((texture, map)) = scene.cache.layers() else {
        return false;
    };
    plot_ui.image(image_over(texture, map.grid.bounds).allow_hover(false));
    if let Some((texture, b)) = scene.basins {
        // Mostly opaque: the hues read, and the surface's shading still shows.
        plot_ui.image(
            image_over(texture, b)
                .tint(egui::Color32::from_white_alpha(215))
                .allow_hover(false),
        );
    }
    plot_ui.add(IsolineLayer::new(&map.isolines));
    scene.basins.is_some()
}

/// `texture` stretched over the box `b`.
fn image_over(texture: &egui::TextureHandle, b: Bounds) -> PlotImage {
    PlotImage::new(
        "",
        texture.id(),
        PlotPoint::new((b.x[0] + b.x[1]) / 2.0, (b.y[0] + b.y[1]) / 2.0),
        [(b.x[1] - b.x[0]) as f32, (b.y[1] - b.y[0]) as f32],
    )
}

/// The minibatch overlay for the minibatch runs among `runs` (the focused run's batch
/// isolines only when one of them is shown). Returns the layers drawn.
fn minibatch_layers<'a>(
    plot_ui: &mut PlotUi<'a>,
    scene: &MapScene<'a>,
    minibatch: &minibatch::MinibatchScene<'a>,
    runs: &[&'a RunView],
) -> Vec<&'static str> {
    let shown: Vec<_> = minibatch
        .runs
        .iter()
        .filter(|b| runs.iter().any(|r| r.run == b.run.run))
        .map(|b| minibatch::BatchRun {
            run: b.run,
            plan: b.plan,
        })
        .collect();
    let isolines = Some(minibatch.isolines).filter(|_| !shown.is_empty());
    minibatch::minibatch_overlay(plot_ui, scene.landscape, &shown, isolines, scene.step)
}

/// Whether a press on the map grabbed the start marker, kept across frames in egui's
/// memory under the plot's id.
struct StartGrab {
    id: egui::Id,
    /// The marker was grabbed on an earlier frame and is being dragged.
    grabbed: bool,
}

impl StartGrab {
    fn load(ctx: &egui::Context, plot_id: egui::Id) -> Self {
        let id = plot_id.with("grab-start");
        let grabbed = ctx.data(|d| d.get_temp::<bool>(id)).unwrap_or(false);
        Self { id, grabbed }
    }

    /// Follow the pointer on the plot `r`: a press near the start grabs it, a drag moves it,
    /// a release lets go, and a click elsewhere sets it. Returns the new start, if moved.
    fn update(
        &self,
        ui: &egui::Ui,
        r: &egui::Response,
        transform: &PlotTransform,
        start: [f64; 2],
    ) -> Option<[f64; 2]> {
        let start_screen = transform.position_from_point(&PlotPoint::new(start[0], start[1]));
        let near_start = |pos: Pos2| pos.distance(start_screen) <= GRAB_RADIUS;
        let press_origin = ui.input(|i| i.pointer.press_origin());
        let pressed_here = ui.input(|i| i.pointer.primary_pressed());
        if pressed_here && r.hovered() {
            let grab = press_origin.is_some_and(near_start);
            ui.ctx().data_mut(|d| d.insert_temp(self.id, grab));
        }
        let mut new_start = None;
        if self.grabbed {
            if let Some(pos) = r
                .interact_pointer_pos()
                .or(ui.input(|i| i.pointer.latest_pos()))
            {
                new_start = Some(point_at(transform, pos));
            }
            if !ui.input(|i| i.pointer.primary_down()) {
                ui.ctx().data_mut(|d| d.insert_temp(self.id, false));
            }
        } else if r.clicked()
            && let Some(pos) = r.interact_pointer_pos()
        {
            new_start = Some(point_at(transform, pos));
        }
        if r.hovered() {
            let over_start = ui.input(|i| i.pointer.hover_pos()).is_some_and(near_start);
            if over_start || self.grabbed {
                ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
            }
        }
        new_start
    }
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
/// What the cursor is over: the item's name and the point's index when near a data point
/// ("" and `None` elsewhere), and the position in plot coordinates.
pub fn hover_parts<'a>(hover: &HoverPosition<'a>) -> (&'a str, PlotPoint, Option<usize>) {
    match *hover {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            index,
        } => (plot_name, position, Some(index)),
        HoverPosition::Elsewhere { position } => ("", position, None),
    }
}

fn hover_label(landscape: &Landscape, critical: &[Critical], hover: &HoverPosition<'_>) -> String {
    let (name, position, index) = hover_parts(hover);
    let p = crate::P2::new(position.x, position.y);
    match (name, index) {
        (layers::FORMER_MINIMA, _) => {
            let c = landscape
                .unregularized_minima
                .iter()
                .min_by(|a, b| (a.point() - p).norm().total_cmp(&(b.point() - p).norm()));
            match c {
                Some(c) => format!("minimum without the penalty ({:.4}, {:.4})", c.x, c.y),
                None => String::new(),
            }
        }
        (layers::CRITICAL_MINIMA | layers::CRITICAL_OTHER, _) => {
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
