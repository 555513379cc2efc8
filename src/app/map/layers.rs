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

/// Known minima as white ◆, saddles as orange × and maxima as white ×, each over a dark halo
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
            theme::MINIMUM,
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
