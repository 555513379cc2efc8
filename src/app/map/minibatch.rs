//! The minibatch overlay (Teach → Minibatch surface) on a data surface: the loss of the
//! focused run's next minibatch alone, as faint dashed isolines in its colour over the
//! full-data map, and at every minibatch run's point two arrows: −lr·∇f over all the points
//! (white) and −lr·g of the batch the next step draws (the run's colour) — the gap between
//! them is SGD's noise, and it shrinks as the batch grows.

use egui::{Color32, Shape, Stroke};
use egui_plot::{PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform, PlotUi};

use super::super::caches::RunView;
use super::super::theme;
use super::layers::layer_plumbing;
use super::overlays::{
    Glyph, GlyphLayer, SHORTEST_ARROW, capped, layer, magnification, magnified_labels, view_size,
};
use crate::P2;
use crate::data::BatchPlan;
use crate::grid::Isoline;
use crate::landscape::Landscape;
use crate::surface::Surface;

/// What the overlay draws on one frame's maps.
pub struct MinibatchScene<'a> {
    /// The runs with a minibatch plan.
    pub runs: Vec<BatchRun<'a>>,
    /// The focused run's batch isolines, in its colour.
    pub isolines: (&'a [Isoline], Color32),
}

/// A minibatch run as the overlay needs it: its plan and where the timeline has it.
pub struct BatchRun<'a> {
    pub run: &'a RunView,
    pub plan: &'a BatchPlan,
}

/// Draw the batch's isolines (in `color`) and each run's two gradients; returns the layers
/// drawn.
pub fn minibatch_overlay<'a>(
    plot_ui: &mut PlotUi<'a>,
    landscape: &Landscape,
    runs: &[BatchRun<'_>],
    isolines: Option<(&'a [Isoline], Color32)>,
    step: u64,
) -> Vec<&'static str> {
    let mut drawn = Vec::new();
    if let Some((lines, color)) = isolines
        && !lines.is_empty()
    {
        plot_ui.add(BatchIsolines {
            base: PlotItemBase::new(String::new()),
            lines,
            color,
        });
        drawn.push(layer::BATCH_ISOLINES);
    }
    let Some(surface) = landscape.data.as_deref() else {
        return drawn;
    };
    let cap = 0.3 * view_size(plot_ui);
    let shortest = SHORTEST_ARROW * view_size(plot_ui);
    let mut full = GlyphLayer::new(Color32::WHITE, 2.5);
    let mut batches = Vec::new();
    let mut magnified = Vec::new();
    for BatchRun { run, plan } in runs {
        if run.ended_by(step).is_some() || run.shown(step) == run.records.len() {
            continue;
        }
        let record = run.current(step);
        let p = record.point();
        if !p.iter().all(|v| v.is_finite()) {
            continue;
        }
        let indices = plan.batch(record.step);
        let all = -surface.gradient(p) * record.lr;
        let batch = -surface.batch(&indices).gradient(p) * record.lr;
        let longest = all.norm().max(batch.norm());
        let k = magnification(longest, shortest);
        full.glyphs.push(arrow(p, capped(all * k, cap)));
        let mut layer = GlyphLayer::new(run.color, 3.0);
        let tip = p + capped(batch * k, cap);
        layer.glyphs.push(arrow(p, tip - p));
        batches.push(layer);
        if k > 1.0 {
            magnified.push((tip, k, run.color));
        }
    }
    if !full.is_empty() {
        plot_ui.add(full);
        drawn.push(layer::FULL_GRADIENT);
    }
    if !batches.is_empty() {
        drawn.push(layer::BATCH_GRADIENT);
    }
    for layer in batches {
        plot_ui.add(layer);
    }
    magnified_labels(plot_ui, &magnified, &mut drawn);
    drawn
}

fn arrow(from: P2, by: P2) -> Glyph {
    Glyph {
        from,
        to: from + by,
        head: true,
        dashed: false,
    }
}

/// The batch's isolines: dashed, in the run's colour, faint enough that the full map's
/// contours still read.
struct BatchIsolines<'a> {
    base: PlotItemBase,
    lines: &'a [Isoline],
    color: Color32,
}

impl PlotItem for BatchIsolines<'_> {
    fn shapes(&self, _ui: &egui::Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let halo = Stroke::new(3.0, theme::HALO.gamma_multiply(0.5));
        let stroke = Stroke::new(1.6, self.color.gamma_multiply(0.9));
        for line in self.lines {
            for path in &line.paths {
                let points: Vec<egui::Pos2> = path
                    .iter()
                    .map(|p| transform.position_from_point(&PlotPoint::new(p[0], p[1])))
                    .collect();
                shapes.extend(Shape::dashed_line(&points, halo, 6.0, 4.0));
                shapes.extend(Shape::dashed_line(&points, stroke, 6.0, 4.0));
            }
        }
    }

    layer_plumbing!();

    fn allow_hover(&self) -> bool {
        false
    }

    fn color(&self) -> Color32 {
        self.color
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }
}
