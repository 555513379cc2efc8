//! The map's layers as plot items: isolines, known critical points, each run's path and
//! current point, and the start ring. Every item maps what the core computed to the screen
//! with this frame's transform (`screen_from_plot`); nothing here computes the surface.

use egui::{Color32, Pos2, Shape, Stroke};
use egui_plot::{
    MarkerShape, PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform, PlotUi, Points,
    Text,
};

use super::super::caches::RunView;
use super::super::theme;
use crate::grid::Isoline;
use crate::polyline;
use crate::surface::{Critical, CriticalKind};

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

/// The hover names of the critical-point layers (the hover text looks them up).
pub const CRITICAL_MINIMA: &str = "known minima";
pub const CRITICAL_OTHER: &str = "saddles, maxima";
pub const FORMER_MINIMA: &str = "minima without the penalty";

/// Where a regularization term moved the minima from: hollow ◇ over a dark halo.
pub fn former_minima(plot_ui: &mut PlotUi<'_>, minima: &[Critical]) {
    if minima.is_empty() {
        return;
    }
    let coords: Vec<[f64; 2]> = minima.iter().map(|c| [c.x, c.y]).collect();
    plot_ui.points(
        Points::new("", coords.clone())
            .shape(MarkerShape::Diamond)
            .radius(9.0)
            .color(theme::HALO)
            .allow_hover(false),
    );
    plot_ui.points(
        Points::new(FORMER_MINIMA, coords)
            .shape(MarkerShape::Diamond)
            .radius(6.5)
            .filled(false)
            .color(theme::MINIMUM),
    );
}

/// Known minima as white ◆, saddles and maxima as orange ×, each over a dark halo
/// (the legend strip draws the same marks).
pub fn critical_points(plot_ui: &mut PlotUi<'_>, critical: &[Critical]) {
    let group = |keep: fn(&Critical) -> bool| -> Vec<[f64; 2]> {
        critical
            .iter()
            .filter(|c| keep(c))
            .map(|c| [c.x, c.y])
            .collect()
    };
    for (name, coords, shape, color) in [
        (
            CRITICAL_MINIMA,
            group(|c| c.is_minimum()),
            MarkerShape::Diamond,
            theme::MINIMUM,
        ),
        (
            CRITICAL_OTHER,
            group(|c| c.kind == CriticalKind::Saddle),
            MarkerShape::Cross,
            theme::SADDLE,
        ),
        (
            CRITICAL_OTHER,
            group(|c| c.kind == CriticalKind::Maximum),
            MarkerShape::Cross,
            theme::SADDLE,
        ),
    ] {
        if coords.is_empty() {
            continue;
        }
        plot_ui.points(
            Points::new("", coords.clone())
                .shape(shape)
                .radius(9.0)
                .color(theme::HALO)
                .allow_hover(false),
        );
        plot_ui.points(
            Points::new(name, coords)
                .shape(shape)
                .radius(6.5)
                .color(color),
        );
    }
}

/// A run's path up to `step`, its current point (a dot in its colour, or a red ✕ with
/// "diverged at step N" where it ended early).
pub fn run_layers<'a>(plot_ui: &mut PlotUi<'a>, run: &'a RunView, step: u64) {
    let shown = run.shown(step);
    let path = &run.path[..shown];
    plot_ui.add(PathLayer {
        base: PlotItemBase::new(run.label.clone()),
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
    let ended = run.ended_by(step);
    let (shape, radius, color) = match ended {
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
    if let Some((status, at)) = ended {
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

/// The start point: a white ring over a dark one (drag it to move the start).
pub fn start_marker(plot_ui: &mut PlotUi<'_>, start: [f64; 2]) {
    plot_ui.points(
        Points::new("", start)
            .shape(MarkerShape::Circle)
            .radius(9.0)
            .filled(false)
            .color(theme::HALO)
            .allow_hover(false),
    );
    plot_ui.points(
        Points::new("", start)
            .shape(MarkerShape::Circle)
            .radius(7.0)
            .filled(false)
            .color(theme::START)
            .allow_hover(false),
    );
}

/// A trajectory with its halo, as one plot item, clipped to the map and thinned to its
/// pixels by the core ([`crate::polyline::clip`]): a diverging run is drawn up to the map's
/// edge with an arrow where it left for good, never as bands across the map, and a run of 100,000
/// steps costs what its visible shape costs.
struct PathLayer<'a> {
    base: PlotItemBase,
    points: &'a [PlotPoint],
    color: Color32,
}

/// Screen distance below which consecutive path points merge.
const PATH_MIN_SPACING: f64 = 0.5;

/// How far outside the map a path is still drawn (its halo's width), in points.
const PATH_MARGIN: f64 = 4.0;

impl PlotItem for PathLayer<'_> {
    fn shapes(&self, _ui: &egui::Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let frame = transform.frame();
        let rect = polyline::Rect {
            x: [
                f64::from(frame.left()) - PATH_MARGIN,
                f64::from(frame.right()) + PATH_MARGIN,
            ],
            y: [
                f64::from(frame.top()) - PATH_MARGIN,
                f64::from(frame.bottom()) + PATH_MARGIN,
            ],
        };
        let screen = self.points.iter().map(|p| {
            if p.x.is_finite() && p.y.is_finite() {
                let pos = transform.position_from_point(p);
                [f64::from(pos.x), f64::from(pos.y)]
            } else {
                [f64::NAN; 2]
            }
        });
        let clipped = polyline::clip(screen, rect, PATH_MIN_SPACING);
        let pos = |[x, y]: [f32; 2]| Pos2::new(x, y);
        for piece in &clipped.pieces {
            let line: Vec<Pos2> = piece.iter().copied().map(pos).collect();
            shapes.push(Shape::line(line.clone(), Stroke::new(5.5, theme::HALO)));
            shapes.push(Shape::line(line, Stroke::new(3.0, self.color)));
        }
        // One arrow where the path left for good (an arrow at every exit would fringe the
        // map's edge with marks for a run that oscillates across it).
        if let Some(exit) = &clipped.gone {
            let tip = pos(exit.at);
            let back = -egui::vec2(exit.direction[0], exit.direction[1]) * 12.0;
            let side = back.rot90() * 0.5;
            let arrow = vec![tip, tip + back + side, tip + back - side];
            shapes.push(Shape::convex_polygon(
                arrow,
                self.color,
                Stroke::new(2.0, theme::HALO),
            ));
        }
    }

    layer_plumbing!();

    fn color(&self) -> Color32 {
        self.color
    }

    /// The points, so hovering a path names the run and the step.
    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::Points(self.points)
    }
}

/// Isolines as a plot item: polylines mapped to the screen with this frame's transform.
pub struct IsolineLayer<'a> {
    base: PlotItemBase,
    lines: &'a [Isoline],
}

impl<'a> IsolineLayer<'a> {
    pub fn new(lines: &'a [Isoline]) -> Self {
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
