//! The phase diagram tab: one run of the chosen racer per cell of a grid over two of its
//! hyperparameters, coloured by the steps it took to reach the tolerance (the colours of
//! `descent map phase`'s PNG), with the theory's stability limit over it and the racer's own
//! setting ringed. Hovering a cell names its values and outcome; clicking it gives the racer
//! that setting. The diagram itself is the core's ([`crate::engine::phase`]), computed off
//! the UI thread by the phase cache.

use egui::{Color32, FontId, Pos2, Rect, RichText, Sense, Shape, Stroke, pos2, vec2};

use super::super::caches::{PhaseCache, RaceView};
use super::super::command::{Command, Commands, PhasePick};
use super::super::state::PhaseFrame;
use super::super::theme::{self, compact};
use crate::engine::phase::{Axis, PhaseCell, PhaseDiagram};
use crate::engine::{Ending, MapKind, MapSettings};
use crate::grid::Colormap;
use crate::optim::OptimizerSpec;
use crate::spec::{Kind, Widget};
use crate::style;

/// What the tab draws from.
pub struct PhaseInputs<'a> {
    pub cache: &'a PhaseCache,
    /// The scene's map settings (the tab shows a phase diagram's).
    pub settings: Option<&'a MapSettings>,
    pub race: &'a RaceView,
}

/// The tab: the racer and axis choices, the diagram, what the pointer is over, the key. A
/// clicked cell or another racer or axis becomes a command; `frame` says where it drew.
pub fn phase_ui(
    ui: &mut egui::Ui,
    inputs: &PhaseInputs<'_>,
    commands: &mut Commands,
    frame: &mut PhaseFrame,
) {
    profiling::function_scope!();
    *frame = PhaseFrame::default();
    let Some(settings) = inputs.settings.filter(|s| s.kind == MapKind::Phase) else {
        ui.label("Teach → Phase diagram shows it here.");
        return;
    };
    let mut panel = PhasePanel { commands, frame };
    egui::ScrollArea::vertical().show(ui, |ui| {
        panel.choices_ui(ui, settings, inputs.race);
        let cache = inputs.cache;
        if let Some(error) = cache.error() {
            let text = RichText::new(format!("no diagram: {error}")).color(theme::ALARM);
            ui.add(egui::Label::new(text).wrap());
            return;
        }
        let Some((diagram, texture)) = cache.shown() else {
            ui.label("computing…");
            return;
        };
        let hovered = panel.diagram_ui(ui, diagram, texture.id(), settings.racer);
        let text = hover_text(diagram, hovered);
        ui.add(egui::Label::new(RichText::new(text).color(theme::TEXT)).wrap());
        if cache.is_refining() {
            ui.label(RichText::new("computing the full grid…").color(theme::NOTE));
        }
        key_ui(ui, diagram);
    });
}

/// The line under the diagram: the hovered cell, else the racer's own setting.
fn hover_text(d: &PhaseDiagram, hovered: Option<&PhaseCell>) -> String {
    match hovered {
        Some(cell) => format!(
            "{}: {} (click to use)",
            values(d, cell.values),
            outcome(d, cell)
        ),
        None => match d.cell_at(d.current) {
            Some(cell) => format!(
                "○ the racer, {}: {}",
                values(d, d.current),
                outcome(d, cell)
            ),
            None => format!("○ the racer, {}: outside the diagram", values(d, d.current)),
        },
    }
}

/// The tab while it draws: where its commands go and where it records what it drew.
struct PhasePanel<'a> {
    commands: &'a mut Commands,
    frame: &'a mut PhaseFrame,
}

impl PhasePanel<'_> {
    /// The racer (when there are several) and the two axes, each from the racer's real
    /// hyperparameters.
    fn choices_ui(&mut self, ui: &mut egui::Ui, settings: &MapSettings, race: &RaceView) {
        let Some(run) = race.runs.get(settings.racer) else {
            return;
        };
        if race.runs.len() > 1 {
            let mut chosen = settings.racer;
            let label = ui.label("racer");
            egui::ComboBox::from_id_salt("phase-racer")
                .width((ui.available_width() - 12.0).max(60.0))
                .wrap_mode(egui::TextWrapMode::Truncate)
                .selected_text(RichText::new(&run.label).color(run.color))
                .show_ui(ui, |ui| {
                    for (k, r) in race.runs.iter().enumerate() {
                        ui.selectable_value(&mut chosen, k, RichText::new(&r.label).color(r.color));
                    }
                })
                .response
                .labelled_by(label.id);
            if chosen != settings.racer {
                // Another optimizer has other hyperparameters: its own default axes.
                self.commands.push(Command::SetMap(MapSettings {
                    racer: chosen,
                    x: None,
                    y: None,
                    ..settings.clone()
                }));
            }
        } else {
            ui.label(RichText::new(&run.label).strong().color(run.color));
        }
        let spec = race.optimizer(settings.racer);
        let names = real_names(spec);
        let Ok((x, y)) = settings.axes(race.race()) else {
            return;
        };
        let mut picked = [x.name, y.name];
        for (k, which) in ["x", "y"].into_iter().enumerate() {
            ui.horizontal(|ui| {
                let label = ui.label(which);
                egui::ComboBox::from_id_salt(("phase-axis", which))
                    .selected_text(picked[k])
                    .show_ui(ui, |ui| {
                        for name in &names {
                            ui.selectable_value(&mut picked[k], name, *name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        }
        if picked != [x.name, y.name] {
            // Choosing the other axis's name swaps the two.
            let names = if picked[0] == picked[1] {
                [y.name, x.name]
            } else {
                picked
            };
            let axis = |name: &str| match name {
                n if n == x.name => Some(x),
                n if n == y.name => Some(y),
                n => default_axis(spec, n),
            };
            if let (Some(ax), Some(ay)) = (axis(names[0]), axis(names[1])) {
                self.commands.push(Command::SetMap(MapSettings {
                    x: Some(axis_text(&ax)),
                    y: Some(axis_text(&ay)),
                    ..settings.clone()
                }));
            }
        }
    }

    /// The cells, the theory's line, the racer's ring and the axes, in a square filling the
    /// width; returns the cell under the pointer.
    fn diagram_ui<'d>(
        &mut self,
        ui: &mut egui::Ui,
        d: &'d PhaseDiagram,
        texture: egui::TextureId,
        run: usize,
    ) -> Option<&'d PhaseCell> {
        let font = FontId::proportional(theme::SMALLEST_TEXT);
        let (square, response) = Square::allocate(ui, d, &font);
        let painter = ui.painter_at(square.rect.expand(2.0));
        self.marks(&painter, d, texture, &square);
        square.axes(&painter, d, font);
        self.frame.plot = Some(square.plot);
        let pointer = response.hover_pos().filter(|p| square.plot.contains(*p));
        let hovered = pointer.and_then(|p| d.cell_at(square.value_at(d, p)));
        if let Some(cell) = hovered {
            square.outline(&painter, d, cell);
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        }
        if response.clicked()
            && let Some(p) = response
                .interact_pointer_pos()
                .filter(|p| square.plot.contains(*p))
            && let Some(cell) = d.cell_at(square.value_at(d, p))
        {
            self.commands.push(Command::Pick(PhasePick {
                run,
                x: d.x,
                y: d.y,
                values: [
                    tidy(&d.x, cell.values[0], d.n),
                    tidy(&d.y, cell.values[1], d.n),
                ],
            }));
        }
        hovered
    }

    /// The cells' texture, its frame, the theory's stability limit (white over a dark halo,
    /// as in the PNG) and the ring at the racer's own setting.
    fn marks(
        &mut self,
        painter: &egui::Painter,
        d: &PhaseDiagram,
        texture: egui::TextureId,
        square: &Square,
    ) {
        let plot = square.plot;
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        painter.image(texture, plot, uv, Color32::WHITE);
        let frame = Stroke::new(1.0, theme::NOTE);
        painter.rect_stroke(plot, 0.0, frame, egui::StrokeKind::Outside);
        let curve: Vec<Pos2> = d.boundary.iter().map(|&v| square.screen(d, v)).collect();
        if curve.len() > 1 {
            painter.add(Shape::line(curve.clone(), Stroke::new(5.0, theme::HALO)));
            painter.add(Shape::line(curve, Stroke::new(2.5, Color32::WHITE)));
            self.frame.boundary = true;
        }
        let current = square.screen(d, d.current);
        if plot.expand(0.5).contains(current) {
            painter.circle_stroke(current, 7.0, Stroke::new(5.0, theme::HALO));
            painter.circle_stroke(current, 7.0, Stroke::new(2.5, Color32::WHITE));
            self.frame.current = Some(current);
        }
    }
}

/// Where the diagram is drawn: the whole area with the axes' labels, and the cells' square.
struct Square {
    rect: Rect,
    plot: Rect,
    /// A row of the axes' type.
    row: f32,
}

impl Square {
    /// Room for the y axis's tick labels on the left, its name above, the x axis's ticks
    /// and name below, around a square filling the width.
    fn allocate(ui: &mut egui::Ui, d: &PhaseDiagram, font: &FontId) -> (Self, egui::Response) {
        let row = ui.fonts_mut(|f| f.row_height(font));
        let label_w = ticks(&d.y)
            .iter()
            .map(|&v| text_width(ui, &compact(v), font))
            .fold(0.0, f32::max)
            + 6.0;
        let side = (ui.available_width() - label_w - 8.0)
            .min(ui.available_height() - 4.0 * row - 80.0)
            .max(96.0);
        let size = vec2(label_w + side + 8.0, side + 3.0 * row + 6.0);
        let (rect, response) = ui.allocate_exact_size(size, Sense::click());
        let plot = Rect::from_min_size(rect.min + vec2(label_w, row + 2.0), vec2(side, side));
        (Self { rect, plot, row }, response)
    }

    /// The screen point of hyperparameter values `v`.
    fn screen(&self, d: &PhaseDiagram, v: [f64; 2]) -> Pos2 {
        let (fx, fy) = (d.x.position(v[0]) as f32, d.y.position(v[1]) as f32);
        let side = self.plot.width();
        pos2(self.plot.left() + fx * side, self.plot.bottom() - fy * side)
    }

    /// The hyperparameter values at screen point `p`.
    fn value_at(&self, d: &PhaseDiagram, p: Pos2) -> [f64; 2] {
        let side = self.plot.width();
        let (fx, fy) = (
            (p.x - self.plot.left()) / side,
            (self.plot.bottom() - p.y) / side,
        );
        [d.x.at(f64::from(fx)), d.y.at(f64::from(fy))]
    }

    /// Ticks, then the names (y above the square, x below its ticks).
    fn axes(&self, painter: &egui::Painter, d: &PhaseDiagram, font: FontId) {
        let tick = Stroke::new(1.0, theme::NOTE);
        for v in ticks(&d.x) {
            let p = self.screen(d, [v, d.y.min]);
            painter.line_segment([p, p + vec2(0.0, 4.0)], tick);
            let (at, text) = (p + vec2(0.0, 4.0), compact(v));
            painter.text(
                at,
                egui::Align2::CENTER_TOP,
                text,
                font.clone(),
                theme::TEXT,
            );
        }
        for v in ticks(&d.y) {
            let p = self.screen(d, [d.x.min, v]);
            let (at, text) = (p - vec2(4.0, 0.0), compact(v));
            painter.text(
                at,
                egui::Align2::RIGHT_CENTER,
                text,
                font.clone(),
                theme::TEXT,
            );
        }
        let y_name = format!("{} ↑", axis_name(&d.y));
        let at = pos2(self.plot.left(), self.rect.top());
        painter.text(
            at,
            egui::Align2::LEFT_TOP,
            y_name,
            font.clone(),
            theme::TEXT,
        );
        let x_name = format!("{} →", axis_name(&d.x));
        let at = pos2(self.plot.right(), self.plot.bottom() + self.row + 6.0);
        painter.text(at, egui::Align2::RIGHT_TOP, x_name, font, theme::TEXT);
    }

    /// A white outline around `cell`.
    fn outline(&self, painter: &egui::Painter, d: &PhaseDiagram, cell: &PhaseCell) {
        let (i, j) = (
            (d.x.position(cell.values[0]) * d.n as f64) as usize,
            (d.y.position(cell.values[1]) * d.n as f64) as usize,
        );
        let cell_side = self.plot.width() / d.n as f32;
        let min = pos2(
            self.plot.left() + i as f32 * cell_side,
            self.plot.bottom() - (j + 1) as f32 * cell_side,
        );
        let outline = Rect::from_min_size(min, vec2(cell_side, cell_side)).expand(1.0);
        let stroke = Stroke::new(2.0, Color32::WHITE);
        painter.rect_stroke(outline, 0.0, stroke, egui::StrokeKind::Outside);
    }
}

/// The key: fast to slow, not converged, diverged, the theory's line.
fn key_ui(ui: &mut egui::Ui, d: &PhaseDiagram) {
    ui.add(
        egui::Label::new(
            RichText::new(format!("steps to ‖∇f‖ < {}:", compact(d.tol))).color(theme::NOTE),
        )
        .wrap(),
    );
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        ui.label("1 ");
        for k in 0..8 {
            let c = Colormap::Viridis.rgb(1.0 - k as f64 / 7.0);
            ui.label(RichText::new("■").color(theme::rgb(c)));
        }
        ui.label(format!(" {}", d.steps));
    });
    for (color, text) in [
        (style::RUNNING_CELL, "not converged"),
        (style::DIVERGED_CELL, "diverged"),
    ] {
        ui.horizontal(|ui| {
            ui.label(RichText::new("■").color(theme::rgb(color)));
            ui.label(text);
        });
    }
    if !d.boundary.is_empty() {
        ui.label("— theory's stability limit");
    }
    ui.label("○ the racer: click a cell to move it there");
}

/// A setting's two values: `lr 0.012, momentum 0.8`.
fn values(d: &PhaseDiagram, v: [f64; 2]) -> String {
    format!(
        "{} {}, {} {}",
        d.x.name,
        compact(v[0]),
        d.y.name,
        compact(v[1])
    )
}

/// How a cell's run ended.
fn outcome(d: &PhaseDiagram, cell: &PhaseCell) -> String {
    match (cell.outcome, cell.steps) {
        (Ending::Diverged, _) => "diverged".to_string(),
        (Ending::Singular, _) => "singular Hessian".to_string(),
        (Ending::Running, _) => format!("not converged in {} steps", d.steps),
        (_, Some(s)) => format!("{s} steps"),
        (_, None) => "converged".to_string(),
    }
}

fn axis_name(a: &Axis) -> String {
    if a.log {
        format!("{} (log)", a.name)
    } else {
        a.name.to_string()
    }
}

/// An axis as the scene's `x`/`y` text, `NAME:MIN:MAX[:log]`, reading back exactly.
pub fn axis_text(a: &Axis) -> String {
    format!(
        "{}:{:?}:{:?}{}",
        a.name,
        a.min,
        a.max,
        if a.log { ":log" } else { "" }
    )
}

/// The optimizer's real hyperparameters, lr first (the table's order).
fn real_names(spec: &OptimizerSpec) -> Vec<&'static str> {
    spec.entry
        .params
        .iter()
        .filter(|p| matches!(p.kind, Kind::Real { .. }))
        .map(|p| p.name)
        .collect()
}

/// An axis over hyperparameter `name` of `spec` chosen from a menu: lr as the racer's
/// default axis; a parameter with a linear slider over the slider's span; one with a log
/// slider on a log axis of two decades either side of its value (within the slider); else
/// a decade either side of a positive value, [0, 1] for zero; all within the parameter's
/// range, an end the optimizer refuses pulled in by 1%.
pub fn default_axis(spec: &OptimizerSpec, name: &str) -> Option<Axis> {
    let entry = spec.entry;
    if name == "lr"
        && let Some((x, _)) = Axis::defaults(spec)
    {
        return Some(x);
    }
    let param = entry.params.iter().find(|p| p.name == name)?;
    let value = spec.args.real(name);
    let (lo, hi, log) = match param.widget {
        Widget::Linear { lo, hi, .. } => (lo, hi, false),
        Widget::Log { lo, hi, smallest } => {
            let floor = if lo > 0.0 { lo } else { smallest };
            if value > 0.0 {
                ((value / 100.0).max(floor), (value * 100.0).min(hi), true)
            } else {
                (floor, hi, true)
            }
        }
        Widget::Field if value > 0.0 => (value / 10.0, value * 10.0, true),
        Widget::Field => (0.0, 1.0, false),
    };
    // Within what the optimizer accepts (an open end is pulled in below).
    let (lo, hi) = match param.kind {
        Kind::Real { range, .. } => (lo.max(range.lo), hi.min(range.hi)),
        _ => (lo, hi),
    };
    let inset = |f: f64| {
        if log {
            (lo.ln() + f * (hi.ln() - lo.ln())).exp()
        } else {
            lo + f * (hi - lo)
        }
    };
    [(lo, hi), (lo, inset(0.99)), (inset(0.01), inset(0.99))]
        .into_iter()
        .find_map(|(a, b)| Axis::new(name, a, b, log, entry).ok())
}

/// Tick values: the decades of a log axis (every other one past four), or about three
/// round values of a linear one.
fn ticks(a: &Axis) -> Vec<f64> {
    if a.log {
        let (lo, hi) = (a.min.log10().ceil() as i32, a.max.log10().floor() as i32);
        let every = if hi - lo >= 4 { 2 } else { 1 };
        let mut out: Vec<f64> = (lo..=hi)
            .filter(|k| (k - lo) % every == 0)
            .map(|k| 10f64.powi(k))
            .collect();
        if out.len() < 2 {
            out = vec![a.min, a.max];
        }
        return out;
    }
    let span = a.max - a.min;
    let raw = span / 3.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= 4.5)
        .unwrap_or(span);
    let first = (a.min / step).ceil() as i64;
    let last = (a.max / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// `v` rounded to the fewest significant digits (2 to 6) that keep it inside its cell of an
/// `n`-cell axis, so a clicked setting reads well (`lr=0.094`) and lands in the cell clicked.
fn tidy(a: &Axis, v: f64, n: usize) -> f64 {
    let cell = (a.position(v) * n as f64).floor();
    (2..=6)
        .map(|digits| round_to(v, digits))
        .find(|&r| (a.position(r) * n as f64).floor() == cell)
        .unwrap_or(v)
}

fn round_to(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    let r = (v * scale).round() / scale;
    // Through text, so the stored value is the shortest decimal (0.094, not 0.09400000000000001).
    format!(
        "{r:.*}",
        (digits - 1 - v.abs().log10().floor() as i32).max(0) as usize
    )
    .parse()
    .unwrap_or(r)
}

fn text_width(ui: &egui::Ui, text: &str, font: &FontId) -> f32 {
    ui.fonts_mut(|f| {
        f.layout_no_wrap(text.to_string(), font.clone(), Color32::WHITE)
            .size()
            .x
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn momentum() -> OptimizerSpec {
        OptimizerSpec::parse("momentum:lr=0.012,momentum=0.8").unwrap()
    }

    #[test]
    fn a_clicked_value_is_short_and_stays_in_its_cell() {
        let lr = Axis::new("lr", 1e-3, 0.3, true, momentum().entry).unwrap();
        for i in 0..64 {
            let v = lr.centre(i, 64);
            let t = tidy(&lr, v, 64);
            assert_eq!((lr.position(t) * 64.0).floor() as usize, i, "{v} -> {t}");
            assert!(format!("{t:?}").len() <= 8, "{t:?}");
        }
        let mu = Axis::new("momentum", 0.0, 0.99, false, momentum().entry).unwrap();
        assert_eq!(tidy(&mu, mu.centre(0, 64), 64), 0.0077);
    }

    #[test]
    fn axis_text_reads_back_exactly() {
        let spec = momentum();
        let (x, y) = Axis::defaults(&spec).unwrap();
        for a in [x, y] {
            assert_eq!(Axis::parse(&axis_text(&a), spec.entry).unwrap(), a);
        }
    }

    #[test]
    fn every_real_hyperparameter_of_every_optimizer_has_an_axis() {
        for entry in crate::optim::OPTIMIZERS {
            let spec = OptimizerSpec::parse(entry.name).unwrap();
            for name in real_names(&spec) {
                let axis = default_axis(&spec, name);
                assert!(axis.is_some(), "{}: {name}", entry.name);
            }
        }
    }

    #[test]
    fn ticks_are_decades_or_round_values_inside_the_axis() {
        let spec = momentum();
        let lr = Axis::new("lr", 1e-3, 0.3, true, spec.entry).unwrap();
        assert_eq!(ticks(&lr), vec![1e-3, 1e-2, 1e-1]);
        let mu = Axis::new("momentum", 0.0, 0.99, false, spec.entry).unwrap();
        assert_eq!(ticks(&mu), vec![0.0, 0.25, 0.5, 0.75]);
    }
}
