//! The map of a network scene: the loss on the slice's plane as a contour map, every racer's
//! path projected onto it — fainter where it lies far off the plane — and its current point.
//! Hovering reads the plane's loss, and on a path the true loss and the distance off the
//! plane. A line slice shows the loss along the line instead.

use egui::{Color32, RichText, Shape, Stroke};
use egui_plot::{
    HoverPosition, Legend, Line, MarkerShape, Plot, PlotGeometry, PlotImage, PlotItem,
    PlotItemBase, PlotPoint, PlotTransform, Points, VLine,
};

use super::super::map::hover_parts;
use super::super::map::layers::{IsolineLayer, layer_plumbing};
use super::super::theme;
use super::{NetworkView, SliceShown};
use crate::render::slice::slice_title;
use crate::slice::Projected;

/// The slice map with its title line; returns the plot's rectangle.
pub fn slice_map_ui(ui: &mut egui::Ui, view: &NetworkView, step: u64) -> Option<egui::Rect> {
    profiling::function_scope!();
    let (shown, error) = view.slice();
    let title = match (shown, error) {
        (Some(shown), _) => slice_title(&shown.slice),
        (None, Some(e)) => format!("no slice: {e}"),
        (None, None) => "the slice comes when the paths are complete…".into(),
    };
    ui.label(
        RichText::new(title)
            .size(theme::SMALLEST_TEXT + 1.0)
            .color(theme::TEXT),
    );
    let shown = shown?;
    let rect = if shown.map.is_some() {
        plane_plot(ui, view, shown, step)
    } else {
        line_plot(ui, view, shown, step)
    };
    Some(rect)
}

/// The contour map of the plane with the projected paths.
fn plane_plot(ui: &mut egui::Ui, view: &NetworkView, shown: &SliceShown, step: u64) -> egui::Rect {
    let Some((map, bounds)) = &shown.map else {
        return ui.min_rect();
    };
    let grid = HoverGrid::of(shown);
    let paths = hover_paths(view, step);
    let formatter_paths = paths.clone();
    let plot = Plot::new("slice-map")
        .data_aspect(1.0)
        .show_grid(false)
        .custom_x_axes(vec![
            egui_plot::AxisHints::new_x()
                .label("a")
                .label_spacing(32.0..=44.0),
        ])
        .custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .label("b")
                .label_spacing(22.0..=30.0),
        ])
        .label_formatter(move |hover| Some(hover_text(&grid, &formatter_paths, hover)));
    let response = plot.show(ui, |plot_ui| {
        if let Some(texture) = view.texture() {
            let size = egui::vec2(
                (bounds.x[1] - bounds.x[0]) as f32,
                (bounds.y[1] - bounds.y[0]) as f32,
            );
            let centre = PlotPoint::new(
                (bounds.x[0] + bounds.x[1]) / 2.0,
                (bounds.y[0] + bounds.y[1]) / 2.0,
            );
            plot_ui.image(PlotImage::new("", texture, centre, size).allow_hover(false));
        }
        plot_ui.add(IsolineLayer::new(&map.isolines));
        let span = (bounds.x[1] - bounds.x[0]).max(bounds.y[1] - bounds.y[0]);
        for (run, path) in view.runs.iter().zip(paths.iter()) {
            plot_ui.add(FadingPath::new(&run.label, run.color, &path.points, span));
            if let Some(head) = path.points.last() {
                head_marker(plot_ui, run.color, head, span);
            }
        }
    });
    response.response.rect
}

/// A run's current point: a dot in its colour over a halo, hollow when it lies far off the
/// plane (its place on the map is only its shadow).
fn head_marker(plot_ui: &mut egui_plot::PlotUi<'_>, color: Color32, head: &[f64; 4], span: f64) {
    let far = head[2] > 0.25 * span;
    plot_ui.points(
        Points::new("", [head[0], head[1]])
            .radius(9.5)
            .color(theme::HALO)
            .allow_hover(false),
    );
    plot_ui.points(
        Points::new("", [head[0], head[1]])
            .shape(MarkerShape::Circle)
            .radius(7.0)
            .filled(!far)
            .color(color)
            .allow_hover(false),
    );
}

/// A line slice: the loss along θ(a) = (1 − a)·θ_init + a·θ_final, with each racer's points
/// placed at their projection and true loss.
fn line_plot(ui: &mut egui::Ui, view: &NetworkView, shown: &SliceShown, step: u64) -> egui::Rect {
    let profile: Vec<[f64; 2]> = shown
        .slice
        .a
        .iter()
        .zip(&shown.slice.loss)
        .map(|(&a, &l)| [a, l])
        .collect();
    let paths = hover_paths(view, step);
    let response = Plot::new("slice-line")
        .legend(Legend::default())
        .x_axis_label("a: 0 = init, 1 = final")
        .y_axis_label("loss")
        .show(ui, |plot_ui| {
            plot_ui.line(
                Line::new("loss on the line", profile)
                    .color(theme::TEXT)
                    .width(2.5),
            );
            plot_ui.vline(VLine::new("", 0.0).color(theme::NOTE));
            plot_ui.vline(VLine::new("", 1.0).color(theme::NOTE));
            for (run, path) in view.runs.iter().zip(paths.iter()) {
                let points: Vec<[f64; 2]> = path.points.iter().map(|q| [q[0], q[3]]).collect();
                plot_ui.points(
                    Points::new(run.label.as_str(), points)
                        .radius(2.5)
                        .color(run.color),
                );
            }
        });
    response.response.rect
}

/// One run's points up to the step shown: (a, b, off-plane distance, true loss).
#[derive(Clone)]
struct HoverPath {
    label: String,
    points: Vec<[f64; 4]>,
}

/// Every run's projected points up to `step`, with the true loss of each.
fn hover_paths(view: &NetworkView, step: u64) -> std::sync::Arc<Vec<HoverPath>> {
    let runs = view.trajectories().map_or(&[][..], |t| &t.runs[..]);
    let paths = view
        .runs
        .iter()
        .zip(runs)
        .zip(view.projected())
        .map(|((run, points), projected)| HoverPath {
            label: run.label.clone(),
            points: points
                .iter()
                .zip(projected)
                .take_while(|(p, _)| p.step <= step)
                .map(|(p, q): (_, &Projected)| [q.a, q.b, q.off_plane, p.loss])
                .collect(),
        })
        .collect();
    std::sync::Arc::new(paths)
}

/// The slice's grid, for the loss under the cursor.
struct HoverGrid {
    a: Vec<f64>,
    b: Vec<f64>,
    loss: Vec<f64>,
}

impl HoverGrid {
    fn of(shown: &SliceShown) -> Self {
        let s = &shown.slice;
        Self {
            a: s.a.clone(),
            b: s.b.clone(),
            loss: s.loss.clone(),
        }
    }

    /// The loss at (a, b), bilinear between the grid's values; `None` outside the grid.
    fn at(&self, a: f64, b: f64) -> Option<f64> {
        let cell = |axis: &[f64], v: f64| {
            let n = axis.len();
            if n < 2 || v < axis[0] || v > axis[n - 1] {
                return None;
            }
            let t = (v - axis[0]) / (axis[n - 1] - axis[0]) * (n - 1) as f64;
            let i = (t.floor() as usize).min(n - 2);
            Some((i, t - i as f64))
        };
        let ((i, s), (j, t)) = (cell(&self.a, a)?, cell(&self.b, b)?);
        let n = self.a.len();
        let v = |i: usize, j: usize| self.loss[j * n + i];
        Some(
            (1.0 - t) * ((1.0 - s) * v(i, j) + s * v(i + 1, j))
                + t * ((1.0 - s) * v(i, j + 1) + s * v(i + 1, j + 1)),
        )
    }
}

/// The hover text: on a path, its step, true loss and distance off the plane; anywhere, the
/// plane's loss.
fn hover_text(grid: &HoverGrid, paths: &[HoverPath], hover: &HoverPosition<'_>) -> String {
    let (name, p, index) = hover_parts(hover);
    let plane = grid.at(p.x, p.y).map_or_else(
        || "outside the slice".into(),
        |l| format!("loss on the plane {}", theme::short(l)),
    );
    let on_path = index.and_then(|step| {
        let path = paths.iter().find(|path| path.label == name)?;
        let q = path.points.get(step)?;
        Some(format!(
            "{name}, step {step}\ntrue loss {} · off the plane {}\n",
            theme::short(q[3]),
            theme::short(q[2])
        ))
    });
    format!(
        "{}a = {:.3}, b = {:.3}\n{plane}",
        on_path.unwrap_or_default(),
        p.x,
        p.y
    )
}

/// A projected path, each segment as opaque as its end lies near the plane: fully within a
/// tenth of the slice's span, fading to a fifth of its alpha at half the span and beyond.
struct FadingPath<'a> {
    base: PlotItemBase,
    color: Color32,
    points: &'a [[f64; 4]],
    plot_points: Vec<PlotPoint>,
    span: f64,
}

impl<'a> FadingPath<'a> {
    fn new(label: &str, color: Color32, points: &'a [[f64; 4]], span: f64) -> Self {
        Self {
            base: PlotItemBase::new(label.to_string()),
            color,
            points,
            plot_points: points.iter().map(|q| PlotPoint::new(q[0], q[1])).collect(),
            span,
        }
    }
}

/// How opaque a point `off` off the plane is drawn, in [0.2, 1].
pub fn nearness(off: f64, span: f64) -> f32 {
    let t = ((off / span.max(1e-300)) - 0.1) / 0.4;
    (1.0 - 0.8 * t.clamp(0.0, 1.0)) as f32
}

impl PlotItem for FadingPath<'_> {
    /// Runs of segments of one opacity (in eighths) as one polyline each, over a dark halo:
    /// a path of thousands of steps is a handful of shapes.
    fn shapes(&self, _ui: &egui::Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let mut run: Vec<egui::Pos2> = Vec::new();
        let mut level = u8::MAX;
        let mut flush = |run: &mut Vec<egui::Pos2>, level: u8| {
            if run.len() > 1 {
                let alpha = f32::from(level) / 8.0;
                let halo = Stroke::new(5.0, theme::HALO.gamma_multiply(alpha));
                let line = Stroke::new(2.5, self.color.gamma_multiply(alpha));
                shapes.push(Shape::line(run.clone(), halo));
                shapes.push(Shape::line(std::mem::take(run), line));
            }
            run.clear();
        };
        for (p, q) in self.plot_points.iter().zip(self.points) {
            let pos = transform.position_from_point(p);
            if !pos.is_finite() {
                flush(&mut run, level);
                continue;
            }
            let here = (nearness(q[2], self.span) * 8.0).round() as u8;
            if here != level {
                let last = run.last().copied();
                flush(&mut run, level);
                run.extend(last);
                level = here;
            }
            run.push(pos);
        }
        flush(&mut run, level);
    }

    layer_plumbing!();

    fn color(&self) -> Color32 {
        self.color
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::Points(&self.plot_points)
    }
}
