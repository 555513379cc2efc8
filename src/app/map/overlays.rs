//! The teaching overlays drawn on the map: what moves each optimizer (forces, adaptive
//! boxes, model steps, line-search trials), the curvature under the cursor and the gradient
//! field. Every number comes from the core ([`crate::race::StepDetail`],
//! [`crate::curvature`]); this file only places it on screen.

use egui::{Color32, Pos2, RichText, Shape, Stroke};
use egui_plot::{PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform, PlotUi, Text};

use super::super::caches::RunView;
use super::super::theme::{self, short};
use super::layers::layer_plumbing;
use crate::P2;
use crate::curvature::Curvature;
use crate::landscape::Landscape;
use crate::race::StepDetail;
use crate::scene::Overlays;

/// The names layers are drawn under (what tests look for).
pub mod layer {
    pub const GRADIENT: &str = "−lr·∇f";
    pub const STEP: &str = "step taken";
    pub const VELOCITY: &str = "velocity −lr·b";
    pub const BOX: &str = "adaptive step box ηᵢ·|gᵢ|";
    pub const MODEL: &str = "model step −H⁻¹∇f";
    pub const TRIALS: &str = "line-search trials";
    pub const FIELD: &str = "−∇f field";
    pub const CURVATURE: &str = "Hessian axes";
    pub const MAGNIFIED: &str = "magnified ×k";
    pub const BASINS: &str = "basins";
    pub const BATCH_ISOLINES: &str = "minibatch isolines";
    pub const BATCH_GRADIENT: &str = "−lr·g of the minibatch";
    pub const FULL_GRADIENT: &str = "−lr·∇f of all the points";
}

const GRADIENT_COLOR: Color32 = Color32::WHITE;
const VELOCITY_COLOR: Color32 = Color32::from_rgb(255, 130, 210);
const POSITIVE: Color32 = Color32::from_rgb(120, 255, 140);
const NEGATIVE: Color32 = Color32::from_rgb(255, 90, 90);
const BOX_COLOR: Color32 = Color32::from_rgb(255, 220, 90);
const TRIAL_COLOR: Color32 = Color32::from_rgb(200, 200, 200);
/// The field's arrows: white at 55% (premultiplied).
const FIELD_COLOR: Color32 = Color32::from_rgba_premultiplied(140, 140, 140, 140);

/// A straight mark in plot coordinates.
#[derive(Clone, Copy, Debug)]
pub(super) struct Glyph {
    pub from: P2,
    pub to: P2,
    pub head: bool,
    pub dashed: bool,
}

/// Arrows, segments, boxes and rings of one kind, drawn with halos as one plot item (so the
/// legend shows one entry per kind).
pub(super) struct GlyphLayer {
    base: PlotItemBase,
    color: Color32,
    width: f32,
    /// Draw a dark halo under each mark (off for the faint gradient field).
    halo: bool,
    pub glyphs: Vec<Glyph>,
    /// Axis-aligned boxes: centre and half-sides.
    boxes: Vec<(P2, P2)>,
    rings: Vec<P2>,
}

impl GlyphLayer {
    pub fn new(color: Color32, width: f32) -> Self {
        Self {
            // Unnamed: the legend strip's key (`key_items`) explains the marks.
            base: PlotItemBase::new(String::new()),
            color,
            width,
            halo: true,
            glyphs: Vec::new(),
            boxes: Vec::new(),
            rings: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.glyphs.is_empty() && self.boxes.is_empty() && self.rings.is_empty()
    }
}

fn screen(transform: &PlotTransform, p: P2) -> Pos2 {
    const FAR: f32 = 1e5;
    transform
        .position_from_point(&PlotPoint::new(p.x, p.y))
        .clamp(Pos2::new(-FAR, -FAR), Pos2::new(FAR, FAR))
}

impl PlotItem for GlyphLayer {
    fn shapes(&self, _ui: &egui::Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let halo = if self.halo {
            Stroke::new(self.width + 2.5, theme::HALO)
        } else {
            Stroke::NONE
        };
        let stroke = Stroke::new(self.width, self.color);
        for (center, half) in &self.boxes {
            let a = screen(transform, center - half);
            let b = screen(transform, center + half);
            let rect = egui::Rect::from_two_pos(a, b);
            let corners = vec![
                rect.left_top(),
                rect.right_top(),
                rect.right_bottom(),
                rect.left_bottom(),
            ];
            shapes.push(Shape::convex_polygon(
                corners.clone(),
                self.color.gamma_multiply(0.18),
                Stroke::NONE,
            ));
            shapes.push(Shape::closed_line(corners.clone(), halo));
            shapes.push(Shape::closed_line(corners, stroke));
        }
        for g in &self.glyphs {
            let (a, b) = (screen(transform, g.from), screen(transform, g.to));
            let length = a.distance(b);
            if !(length.is_finite() && length > 0.5) {
                continue;
            }
            let mut lines = vec![vec![a, b]];
            if g.head {
                let back = (a - b).normalized() * (0.35 * length).clamp(4.0, 14.0);
                let side = back.rot90() * 0.45;
                lines.push(vec![b + back + side, b, b + back - side]);
            }
            for line in lines {
                if g.dashed {
                    shapes.extend(Shape::dashed_line(&line, halo, 7.0, 5.0));
                    shapes.extend(Shape::dashed_line(&line, stroke, 7.0, 5.0));
                } else {
                    shapes.push(Shape::line(line.clone(), halo));
                    shapes.push(Shape::line(line, stroke));
                }
            }
        }
        for p in &self.rings {
            let c = screen(transform, *p);
            shapes.push(Shape::circle_stroke(c, 4.5, halo));
            shapes.push(Shape::circle_stroke(c, 4.5, stroke));
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

/// What each overlay mark on the map means, for the layers drawn last frame (so the key
/// never lists a mark no racer has), plus the curvature axes while that overlay is on (they
/// appear only under the cursor): the legend strip lists them as (colour, text).
pub fn key_items(drawn: &[&'static str], overlays: Overlays) -> Vec<(Color32, &'static str)> {
    const KEYS: [(&str, Color32, &str); 12] = [
        (
            layer::BASINS,
            Color32::WHITE,
            "▦ basins: colour = the point a start ends at, darker = slower, red = diverged",
        ),
        (
            layer::GRADIENT,
            GRADIENT_COLOR,
            "→ −lr·∇f (plain GD's step)",
        ),
        (
            layer::STEP,
            Color32::LIGHT_GRAY,
            "→ in the run's colour: step taken",
        ),
        (layer::VELOCITY, VELOCITY_COLOR, "→ velocity −lr·b"),
        (layer::BOX, BOX_COLOR, "□ adaptive box ηᵢ·|gᵢ|"),
        (layer::MODEL, Color32::WHITE, "⇢ model step −H⁻¹∇f"),
        (layer::TRIALS, TRIAL_COLOR, "○ line-search trials"),
        (layer::FIELD, FIELD_COLOR, "→ field −∇f (direction only)"),
        (
            layer::BATCH_ISOLINES,
            Color32::LIGHT_GRAY,
            "┄ in the run's colour: the loss of its next minibatch alone",
        ),
        (
            layer::FULL_GRADIENT,
            GRADIENT_COLOR,
            "→ −lr·∇f over all the points",
        ),
        (
            layer::BATCH_GRADIENT,
            Color32::LIGHT_GRAY,
            "→ in the run's colour: −lr·g of its minibatch",
        ),
        (
            layer::MAGNIFIED,
            Color32::WHITE,
            "×k: that run's arrows drawn k times longer",
        ),
    ];
    let mut items: Vec<(Color32, &'static str)> = KEYS
        .iter()
        .filter(|(name, ..)| drawn.contains(name))
        .map(|&(_, color, text)| (color, text))
        .collect();
    if overlays.curvature {
        items.push((
            POSITIVE,
            "Hessian axes under the cursor (red: curving down)",
        ));
    }
    items
}

/// `v` shortened to at most `max` (keeping its direction), so one huge gradient does not
/// draw an arrow across the whole map.
pub(super) fn capped(v: P2, max: f64) -> P2 {
    let n = v.norm();
    if n > max && n.is_finite() {
        v * (max / n)
    } else {
        v
    }
}

/// Arrows whose longest is shorter than this fraction of the view's diagonal are drawn
/// magnified, so a small step is still seen from the back row; the factor is written by them.
pub(super) const SHORTEST_ARROW: f64 = 0.06;

/// Most that arrows are magnified: a step shorter still (a run standing on its minimum) is
/// no step to show.
const MAX_MAGNIFICATION: f64 = 1000.0;

/// The smallest of 1, 2, 5, 10, 20, 50 … that brings `longest` to `shortest`; 1 when none
/// up to [`MAX_MAGNIFICATION`] would.
pub(super) fn magnification(longest: f64, shortest: f64) -> f64 {
    let seen = longest * MAX_MAGNIFICATION >= shortest;
    if !(longest > 0.0 && longest.is_finite() && seen) || longest >= shortest {
        return 1.0;
    }
    let mut k = 1.0;
    for step in [2.0, 2.5, 2.0].into_iter().cycle() {
        if longest * k >= shortest {
            break;
        }
        k *= step;
    }
    k
}

/// The view's diagonal, the yardstick for capped arrows and axis lengths.
pub(super) fn view_size(plot_ui: &PlotUi<'_>) -> f64 {
    let b = plot_ui.plot_bounds();
    (b.width().powi(2) + b.height().powi(2)).sqrt()
}

/// Forces, adaptive boxes, model steps and trials of the runs shown, at timeline `step`.
/// Returns the names of the layers drawn.
pub fn run_overlays(
    plot_ui: &mut PlotUi<'_>,
    overlays: Overlays,
    runs: &[&RunView],
    details: &[Vec<StepDetail>],
    step: u64,
) -> Vec<&'static str> {
    let mut marks = RunMarks::new(view_size(plot_ui));
    for run in runs {
        let Some(detail) = details
            .get(run.run)
            .and_then(|d| d.get(run.shown(step) - 1))
        else {
            continue;
        };
        let record = &run.records[run.shown(step) - 1];
        let p = record.point();
        if !p.iter().all(|v| v.is_finite()) {
            continue;
        }
        if overlays.forces {
            marks.add_forces(p, record.lr, detail, run.color);
        }
        if overlays.model {
            marks.add_model(p, detail);
        }
    }
    marks.draw(plot_ui)
}

/// The overlay marks of the runs shown, gathered by kind so that each kind is one layer.
struct RunMarks {
    /// The longest an arrow is drawn (0.3 of the view's diagonal).
    cap: f64,
    /// A run whose arrows are all shorter than this has them magnified.
    shortest: f64,
    gradient: GlyphLayer,
    velocity: GlyphLayer,
    boxes: GlyphLayer,
    model: GlyphLayer,
    trials: GlyphLayer,
    /// Each run's step taken, in its colour.
    steps: Vec<GlyphLayer>,
    /// The magnified runs: the tip of the step taken, the factor, the run's colour.
    magnified: Vec<(P2, f64, Color32)>,
}

impl RunMarks {
    /// No marks yet, on a view whose diagonal is `view`.
    fn new(view: f64) -> Self {
        Self {
            cap: 0.3 * view,
            shortest: SHORTEST_ARROW * view,
            gradient: GlyphLayer::new(GRADIENT_COLOR, 2.5),
            velocity: GlyphLayer::new(VELOCITY_COLOR, 2.5),
            boxes: GlyphLayer::new(BOX_COLOR, 2.0),
            model: GlyphLayer::new(Color32::WHITE, 2.0),
            trials: GlyphLayer::new(TRIAL_COLOR, 1.5),
            steps: Vec::new(),
            magnified: Vec::new(),
        }
    }

    /// What moves a run at `p` (learning rate `lr`): −lr·∇f, the step taken (in `color`),
    /// the velocity and the adaptive box, all magnified alike when they are short.
    fn add_forces(&mut self, p: P2, lr: f64, detail: &StepDetail, color: Color32) {
        let cap = self.cap;
        let descent = detail.gradient * -lr;
        let half_box = detail.effective_box();
        let longest = [
            Some(descent),
            Some(detail.step),
            detail.state.velocity,
            half_box,
        ]
        .into_iter()
        .flatten()
        .map(|v| v.norm())
        .filter(|n| n.is_finite())
        .fold(0.0, f64::max);
        let k = magnification(longest, self.shortest);
        self.gradient.glyphs.push(Glyph {
            from: p,
            to: p + capped(descent * k, cap),
            head: true,
            dashed: false,
        });
        let mut taken = GlyphLayer::new(color, 3.5);
        let tip = p + capped(detail.step * k, cap);
        taken.glyphs.push(Glyph {
            from: p,
            to: tip,
            head: true,
            dashed: false,
        });
        self.steps.push(taken);
        if let Some(v) = detail.state.velocity {
            self.velocity.glyphs.push(Glyph {
                from: p,
                to: p + capped(v * k, cap),
                head: true,
                dashed: false,
            });
        }
        if let Some(half) = half_box {
            self.boxes.boxes.push((p, half.map(|h| (h * k).min(cap))));
        }
        if k > 1.0 {
            self.magnified.push((tip, k, color));
        }
    }

    /// A second-order run's model step from `p` and its line search's trial points.
    fn add_model(&mut self, p: P2, detail: &StepDetail) {
        if let Some(m) = detail.state.model_step {
            self.model.glyphs.push(Glyph {
                from: p,
                to: p + capped(m, self.cap),
                head: true,
                dashed: true,
            });
        }
        self.trials.rings.extend(detail.trials.iter().copied());
    }

    /// The non-empty layers, boxes first (under the arrows) and the steps taken last (on
    /// top), then the ×k labels. Returns the names of the layers drawn.
    fn draw(self, plot_ui: &mut PlotUi<'_>) -> Vec<&'static str> {
        let mut drawn = Vec::new();
        let mut add = |plot_ui: &mut PlotUi<'_>, layer: GlyphLayer, name: &'static str| {
            if !layer.is_empty() {
                plot_ui.add(layer);
                if !drawn.contains(&name) {
                    drawn.push(name);
                }
            }
        };
        add(plot_ui, self.boxes, layer::BOX);
        add(plot_ui, self.trials, layer::TRIALS);
        add(plot_ui, self.model, layer::MODEL);
        add(plot_ui, self.gradient, layer::GRADIENT);
        add(plot_ui, self.velocity, layer::VELOCITY);
        for taken in self.steps {
            add(plot_ui, taken, layer::STEP);
        }
        magnified_labels(plot_ui, &self.magnified, &mut drawn);
        drawn
    }
}

/// "×k" at the tip of each magnified run's arrows, in its colour (and the key's entry).
pub(super) fn magnified_labels(
    plot_ui: &mut PlotUi<'_>,
    magnified: &[(P2, f64, Color32)],
    drawn: &mut Vec<&'static str>,
) {
    for &(tip, k, color) in magnified {
        plot_ui.add(
            Text::new(
                "",
                PlotPoint::new(tip.x, tip.y),
                RichText::new(format!("×{k}"))
                    .size(16.0)
                    .strong()
                    .color(color)
                    .background_color(theme::HALO),
            )
            .anchor(egui::Align2::LEFT_BOTTOM)
            .allow_hover(false),
        );
        if !drawn.contains(&layer::MAGNIFIED) {
            drawn.push(layer::MAGNIFIED);
        }
    }
}

/// Arrows of −∇f, all the same length (0.6 of a cell): direction only, as in a slope field;
/// the isolines already show steepness.
pub fn field_overlay(plot_ui: &mut PlotUi<'_>, field: &[(P2, P2)], cell: f64) -> bool {
    let mut layer = GlyphLayer::new(FIELD_COLOR, 1.2);
    layer.halo = false;
    for (p, d) in field {
        let n = d.norm();
        if n > 0.0 {
            let half = d * (0.3 * cell / n);
            layer.glyphs.push(Glyph {
                from: p - half,
                to: p + half,
                head: true,
                dashed: false,
            });
        }
    }
    let any = !layer.is_empty();
    plot_ui.add(layer);
    any
}

/// The Hessian's eigenvectors at the cursor, each drawn as an axis of half-length ∝ |λ|
/// (the larger one 12% of the view), green where f curves up and red where it curves down,
/// with λ, κ and GD's stability limit written beside it.
pub fn curvature_overlay(plot_ui: &mut PlotUi<'_>, landscape: &Landscape) -> bool {
    if !plot_ui.response().hovered() {
        return false;
    }
    let Some(at) = plot_ui.pointer_coordinate() else {
        return false;
    };
    let p = P2::new(at.x, at.y);
    let k = Curvature::at(landscape.surface.as_ref(), p);
    let [l1, l2] = k.eigenvalues;
    let biggest = l1.abs().max(l2.abs());
    if !(biggest.is_finite() && biggest > 0.0) {
        return false;
    }
    let scale = 0.12 * view_size(plot_ui) / biggest;
    for (lambda, v) in k.eigenvalues.iter().zip(k.eigenvectors) {
        let color = if *lambda >= 0.0 { POSITIVE } else { NEGATIVE };
        let mut axis = GlyphLayer::new(color, 3.0);
        let half = v * (lambda.abs() * scale).max(1e-9);
        axis.glyphs.push(Glyph {
            from: p - half,
            to: p + half,
            head: false,
            dashed: false,
        });
        plot_ui.add(axis);
    }
    let limit = (l1 > 0.0).then(|| 2.0 / l1);
    let text = format!(
        "λ = {}, {}   κ = {}\n{}{}",
        short(l1),
        short(l2),
        short(k.condition_number()),
        k.shape(),
        limit.map_or(String::new(), |l| format!(
            "\nGD stable for lr < 2/λmax = {}",
            short(l)
        )),
    );
    plot_ui.text(
        Text::new(
            "",
            PlotPoint::new(p.x, p.y),
            RichText::new(text)
                .size(16.0)
                .color(Color32::WHITE)
                .background_color(theme::HALO),
        )
        .anchor(egui::Align2::LEFT_BOTTOM)
        .allow_hover(false),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::magnification;

    #[test]
    fn short_arrows_are_magnified_by_a_round_factor() {
        assert_eq!(magnification(1.0, 0.5), 1.0);
        assert_eq!(magnification(0.3, 0.5), 2.0);
        assert_eq!(magnification(0.1, 0.5), 5.0);
        assert_eq!(magnification(0.05, 0.5), 10.0);
        assert_eq!(magnification(0.011, 0.5), 50.0);
        assert_eq!(magnification(0.0006, 0.5), 1000.0);
        assert_eq!(
            magnification(1e-9, 0.5),
            1.0,
            "standing still: nothing to magnify"
        );
        assert_eq!(magnification(0.0, 0.5), 1.0, "nothing to show");
        assert_eq!(magnification(f64::NAN, 0.5), 1.0);
    }
}
