//! Teach → Loss functions: the per-sample losses against their argument — the margin y·s for
//! a classifier (0-1, hinge, squared hinge, logistic), the residual ŷ − y for a regression
//! (squared, absolute, Huber) — with the scene's loss drawn bold and the focused run's points
//! as dots on it at their current argument: the points where the curve slopes pull on the
//! model now; the ones on a flat part (beyond a hinge's margin) do not.

use egui::{Color32, RichText};
use egui_plot::{Line, MarkerShape, Plot, PlotPoints, Points, VLine};

use super::super::caches::RaceView;
use super::super::theme;
use crate::data::loss::{curve, zero_one};
use crate::data::{DataKind, DataSurface, Loss};

/// Samples per curve.
const SAMPLES: usize = 241;
/// The argument axis never spans less than ±this, nor more than ±[`WIDEST`].
const NARROWEST: f64 = 2.5;
const WIDEST: f64 = 12.0;

/// The losses of a kind of data, with a colour each.
fn family(kind: DataKind, delta: f64) -> Vec<(Loss, Color32)> {
    match kind {
        DataKind::Classification => vec![
            (Loss::Hinge, Color32::from_rgb(255, 170, 60)),
            (Loss::SquaredHinge, Color32::from_rgb(120, 200, 255)),
            (Loss::Logistic, Color32::from_rgb(130, 230, 140)),
        ],
        DataKind::Regression => vec![
            (Loss::Mse, Color32::from_rgb(255, 170, 60)),
            (Loss::Mae, Color32::from_rgb(120, 200, 255)),
            (Loss::Huber { delta }, Color32::from_rgb(130, 230, 140)),
        ],
    }
}

/// The tab: which run, the plot, and how many points pull.
pub fn losses_ui(ui: &mut egui::Ui, race: &RaceView, step: u64, focus: &mut usize) {
    profiling::function_scope!();
    let Some(surface) = race.landscape.data.as_deref() else {
        ui.add(
            egui::Label::new(
                "The loss functions are drawn for model surfaces (linear-regression, \
                 linear-classifier): open a data preset or pick a model in the Data section.",
            )
            .wrap(),
        );
        return;
    };
    if race.runs.is_empty() {
        return;
    }
    if !race.runs.iter().any(|r| r.run == *focus) {
        *focus = race.runs[0].run;
    }
    egui::ComboBox::from_id_salt("losses-run")
        .width(ui.available_width() - 8.0)
        .selected_text(format!("points under {}", label(race, *focus)))
        .show_ui(ui, |ui| {
            for run in &race.runs {
                ui.selectable_value(focus, run.run, run.label.as_str());
            }
        });
    let Some(run) = race.runs.iter().find(|r| r.run == *focus) else {
        return;
    };
    let theta = run.current(step).point();
    let arguments: Vec<f64> = (0..surface.len())
        .map(|i| surface.argument(i, theta))
        .collect();
    let loss = surface.model.loss;
    let pulling = arguments
        .iter()
        .filter(|&&u| loss.eval(u).1.abs() > 1e-12)
        .count();
    let side = ui
        .available_width()
        .min(ui.available_height() - 80.0)
        .max(120.0);
    ui.allocate_ui(egui::vec2(ui.available_width(), side), |ui| {
        plot_ui(ui, surface, &arguments, run.color);
    });
    key_ui(ui, surface);
    let argument = if surface.data.kind == DataKind::Classification {
        "margin y·s"
    } else {
        "residual ŷ − y"
    };
    ui.add(
        egui::Label::new(
            RichText::new(format!(
                "{pulling} of {} points pull on the model (ℓ′ ≠ 0); dots: the points at their {argument}",
                arguments.len(),
            ))
            .color(theme::TEXT),
        )
        .wrap(),
    );
}

/// Which curve is which (a legend inside a plot this small would cover it).
fn key_ui(ui: &mut egui::Ui, surface: &DataSurface) {
    let kind = surface.data.kind;
    let delta = match surface.model.loss {
        Loss::Huber { delta } => delta,
        _ => 1.0,
    };
    ui.horizontal_wrapped(|ui| {
        if kind == DataKind::Classification {
            ui.label(RichText::new("0-1").color(Color32::from_gray(150)));
        }
        for (loss, color) in family(kind, delta) {
            let (text, color) = if loss == surface.model.loss {
                (format!("{} (bold)", loss.name()), Color32::WHITE)
            } else {
                (loss.name().to_string(), color)
            };
            ui.label(RichText::new(text).color(color));
        }
    });
}

fn label(race: &RaceView, run: usize) -> String {
    race.runs
        .iter()
        .find(|r| r.run == run)
        .map_or_else(String::new, |r| r.label.clone())
}

/// The curves and the dots.
fn plot_ui(ui: &mut egui::Ui, surface: &DataSurface, arguments: &[f64], color: Color32) {
    let kind = surface.data.kind;
    let active = surface.model.loss;
    let delta = match active {
        Loss::Huber { delta } => delta,
        _ => 1.0,
    };
    let (lo, hi) = span(arguments);
    let classification = kind == DataKind::Classification;
    let x_label = if classification {
        "margin y·s"
    } else {
        "residual ŷ − y"
    };
    let top = family(kind, delta)
        .iter()
        .map(|(l, _)| l.value(lo).max(l.value(hi)))
        .fold(1.5_f64, f64::max)
        .min(active.value(lo).max(active.value(hi)).max(3.0));
    Plot::new("loss-functions")
        .x_axis_label(x_label)
        .y_axis_label("ℓ")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show(ui, |plot_ui| {
            plot_ui.set_plot_bounds_x(lo..=hi);
            plot_ui.set_plot_bounds_y(-0.1 * top..=top * 1.05);
            if classification {
                // The 0-1 loss: 1 up to a margin of 0 (misclassified), then 0 — two flat
                // pieces (a polyline with a vertical step is filled by the plot).
                for piece in [
                    [[lo, zero_one(lo)], [0.0, 1.0]],
                    [[0.0, 0.0], [hi, zero_one(hi)]],
                ] {
                    plot_ui.line(
                        Line::new("0-1", PlotPoints::from(piece.to_vec()))
                            .color(Color32::from_gray(150))
                            .width(2.0),
                    );
                }
            }
            for (loss, c) in family(kind, delta) {
                let bold = loss == active;
                plot_ui.line(
                    Line::new(loss.name(), PlotPoints::from(curve(loss, lo, hi, SAMPLES)))
                        .color(if bold { Color32::WHITE } else { c })
                        .width(if bold { 4.0 } else { 2.0 }),
                );
            }
            if classification {
                plot_ui.vline(
                    VLine::new("", 1.0)
                        .color(Color32::from_gray(110))
                        .width(1.0),
                );
            }
            let dots: Vec<[f64; 2]> = arguments
                .iter()
                .map(|&u| [u.clamp(lo, hi), active.value(u)])
                .collect();
            plot_ui.points(
                Points::new("points", PlotPoints::from(dots))
                    .shape(MarkerShape::Circle)
                    .radius(if arguments.len() > 300 { 2.0 } else { 3.5 })
                    .filled(true)
                    .color(color),
            );
        });
}

/// The argument axis: the points' arguments (1st to 99th percentile) with a margin, at
/// least ±[`NARROWEST`] and at most ±[`WIDEST`].
pub fn span(arguments: &[f64]) -> (f64, f64) {
    let mut sorted: Vec<f64> = arguments
        .iter()
        .copied()
        .filter(|u| u.is_finite())
        .collect();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| {
        sorted
            .get(((sorted.len().max(1) - 1) as f64 * q).round() as usize)
            .copied()
    };
    let (lo, hi) = (at(0.01).unwrap_or(0.0), at(0.99).unwrap_or(0.0));
    (
        (lo - 0.5).clamp(-WIDEST, -NARROWEST),
        (hi + 0.5).clamp(NARROWEST, WIDEST),
    )
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn the_axis_covers_the_points_within_its_limits() {
        assert_eq!(span(&[]), (-2.5, 2.5));
        assert_eq!(span(&[-1.0, 0.5, 4.0]), (-2.5, 4.5));
        assert_eq!(span(&[-100.0, 100.0]), (-12.0, 12.0));
        assert_eq!(span(&[f64::NAN, 1.0]), (-2.5, 2.5));
    }
}
