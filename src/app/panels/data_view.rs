//! The data view, a dock tab on data scenes: the dataset's points (regression pairs, or the
//! two classes filled ● for y = +1 and open ○ for y = −1), the minibatch the focused run's
//! next step draws, ringed in its colour, and every run's model at its current θ — the
//! regression line, or the decision boundary w₁x₁ + w₂x₂ + bias = 0 with the margin lines
//! where the score is ±1 for hinge losses. Hovering a point lists its per-sample loss under
//! each run's model: which points pull on the model right now.

use egui::{Color32, RichText};
use egui_plot::{
    Line, LineStyle, MarkerShape, Plot, PlotPoint, PlotPoints, PlotTransform, PlotUi, Points,
};

use super::super::caches::{DataPoints, RaceView, RunView};
use super::super::theme;
use crate::P2;
use crate::data::DataSurface;
use crate::data::model::ModelShape;

/// Point colour: light on the dark plot, away from every racer's hue.
const POINT: Color32 = Color32::from_gray(215);
/// How near (pixels) the pointer must be to a point to hover it.
const HOVER_RADIUS: f32 = 10.0;

/// The runs with a minibatch plan (the ones whose batch can be highlighted).
pub fn minibatch_runs(race: &RaceView) -> Vec<usize> {
    race.runs
        .iter()
        .filter(|r| race.race().batch_plan(r.run).is_some_and(|p| !p.is_full()))
        .map(|r| r.run)
        .collect()
}

/// The run whose batch is ringed and drawn: `focus` if it is a minibatch run, else the
/// first minibatch run.
pub fn focused_run(race: &RaceView, focus: usize) -> Option<&RunView> {
    let minibatch = minibatch_runs(race);
    let run = if minibatch.contains(&focus) {
        focus
    } else {
        *minibatch.first()?
    };
    race.runs.iter().find(|r| r.run == run)
}

/// The indices of the batch the next step of `run` draws at timeline `step`, if it is a
/// minibatch run that has a next step.
pub fn next_batch(race: &RaceView, run: &RunView, step: u64) -> Option<Vec<usize>> {
    let plan = race.race().batch_plan(run.run).filter(|p| !p.is_full())?;
    if run.ended_by(step).is_some() || run.shown(step) == run.records.len() {
        return None;
    }
    Some(plan.batch(run.current(step).step))
}

/// The data view: the caption, the plot, then the batch and the hovered point in words.
/// `focus` is the run whose batch is ringed (a run index; moved to a minibatch run if it is
/// not one). Returns the plot's transform (where each point is on screen).
pub fn data_view_ui(
    ui: &mut egui::Ui,
    race: &RaceView,
    step: u64,
    focus: &mut usize,
) -> Option<PlotTransform> {
    let (Some(surface), Some(points)) = (race.landscape.data.as_deref(), race.data_points()) else {
        ui.label("This surface is not built from data.");
        return None;
    };
    let minibatch = minibatch_runs(race);
    if !minibatch.is_empty() && !minibatch.contains(focus) {
        *focus = minibatch[0];
    }
    let focused = race.runs.iter().find(|r| r.run == *focus);
    let batch = focused.and_then(|run| next_batch(race, run, step));
    caption_ui(ui, surface, points);
    if minibatch.len() > 1 {
        focus_ui(ui, race, &minibatch, focus);
    }
    let side = ui
        .available_width()
        .min(ui.available_height() - 90.0)
        .max(120.0);
    let (hovered, transform) = ui
        .allocate_ui(egui::vec2(ui.available_width(), side), |ui| {
            plot_ui(ui, race, step, points, (batch.as_deref(), focused))
        })
        .inner;
    let note = |ui: &mut egui::Ui, text: String| {
        ui.add(egui::Label::new(RichText::new(text).color(theme::NOTE)).wrap());
    };
    match (&batch, focused) {
        (Some(batch), Some(run)) => {
            let plan = race.race().batch_plan(run.run);
            let record = run.current(step);
            if let Some(plan) = plan {
                let at = plan.position(record.step);
                note(
                    ui,
                    format!(
                        "next step of {}: batch {} of {} in epoch {} — {} of {} points{}",
                        race.optimizer(run.run).entry.name,
                        at.index + 1,
                        plan.batches_per_epoch(),
                        at.epoch + 1,
                        batch.len(),
                        plan.n,
                        if plan.shuffle { "" } else { " (in file order)" },
                    ),
                );
            }
        }
        _ if minibatch.is_empty() => note(
            ui,
            format!("full batch: every step uses all {} points", surface.len()),
        ),
        _ => {}
    }
    if let Some(i) = hovered {
        hovered_ui(ui, race, step, surface, i);
    } else {
        note(ui, "hover a point: its loss under each model".into());
    }
    Some(transform)
}

/// One line naming the symbols.
fn caption_ui(ui: &mut egui::Ui, surface: &DataSurface, points: &DataPoints) {
    let text = if points.classification {
        format!(
            "{} points: ● y = +1  ○ y = −1 · {}",
            surface.len(),
            surface.model.loss.name()
        )
    } else {
        format!(
            "{} points (x, y) · {}",
            surface.len(),
            surface.model.loss.name()
        )
    };
    ui.label(RichText::new(text).color(theme::TEXT));
}

/// Which minibatch run's batch is ringed.
fn focus_ui(ui: &mut egui::Ui, race: &RaceView, minibatch: &[usize], focus: &mut usize) {
    let name = |run: usize| {
        race.runs
            .iter()
            .find(|r| r.run == run)
            .map_or_else(String::new, |r| r.label.clone())
    };
    egui::ComboBox::from_id_salt("data-focus")
        .width(ui.available_width() - 8.0)
        .selected_text(format!("batch of {}", name(*focus)))
        .show_ui(ui, |ui| {
            for &run in minibatch {
                ui.selectable_value(focus, run, name(run));
            }
        });
}

/// The plot; returns the hovered point's index and the plot's transform.
fn plot_ui(
    ui: &mut egui::Ui,
    race: &RaceView,
    step: u64,
    points: &DataPoints,
    (batch, focused): (Option<&[usize]>, Option<&RunView>),
) -> (Option<usize>, PlotTransform) {
    let [x_range, y_range] = points.bounds;
    let response = data_plot(points).show(ui, |plot_ui| {
        plot_ui.set_plot_bounds_x(x_range[0]..=x_range[1]);
        plot_ui.set_plot_bounds_y(y_range[0]..=y_range[1]);
        // With a fixed aspect the plot may show more than the data's box; models are drawn
        // across all of it.
        let shown = plot_ui.plot_bounds();
        let (x, y) = (shown.range_x(), shown.range_y());
        let (x, y) = ((*x.start(), *x.end()), (*y.start(), *y.end()));
        let radius = if points.all.len() > 400 { 2.0 } else { 3.5 };
        point_layers(plot_ui, points, radius);
        if let (Some(batch), Some(run)) = (batch, focused) {
            let ringed: Vec<PlotPoint> = batch.iter().map(|&i| points.all[i]).collect();
            plot_ui.points(
                Points::new("batch", PlotPoints::Owned(ringed))
                    .shape(MarkerShape::Circle)
                    .radius(radius + 6.0)
                    .filled(false)
                    .color(run.color),
            );
        }
        model_layers(plot_ui, race, step, (x, y));
        hovered_point(plot_ui, points)
    });
    (response.inner, response.transform)
}

/// The fixed plot (no pan, no zoom) with the data's axis names; square units for
/// classification, where the boundary's angle matters.
fn data_plot<'p>(points: &DataPoints) -> Plot<'p> {
    let mut plot = Plot::new("data-view")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false);
    let [x_name, y_name] = if points.classification {
        ["x₁", "x₂"]
    } else {
        ["x", "y"]
    };
    plot = plot.x_axis_label(x_name).y_axis_label(y_name);
    if points.classification {
        plot = plot.data_aspect(1.0);
    }
    plot
}

/// The data points of `radius`: the two classes filled and open, or the regression pairs.
fn point_layers<'a>(plot_ui: &mut PlotUi<'a>, points: &'a DataPoints, radius: f32) {
    if points.classification {
        plot_ui.points(
            Points::new("y = +1", PlotPoints::Borrowed(&points.positive))
                .shape(MarkerShape::Circle)
                .radius(radius)
                .filled(true)
                .color(POINT),
        );
        plot_ui.points(
            Points::new("y = −1", PlotPoints::Borrowed(&points.negative))
                .shape(MarkerShape::Circle)
                .radius(radius)
                .filled(false)
                .color(POINT),
        );
    } else {
        plot_ui.points(
            Points::new("points", PlotPoints::Borrowed(&points.positive))
                .shape(MarkerShape::Circle)
                .radius(radius)
                .filled(true)
                .color(POINT),
        );
    }
}

/// Every run's model at its current θ, across the shown box `x` × `y`, in its colour:
/// the line or boundary solid, the margins dashed.
fn model_layers(
    plot_ui: &mut PlotUi<'_>,
    race: &RaceView,
    step: u64,
    (x, y): ((f64, f64), (f64, f64)),
) {
    let surface = race.landscape.data.as_deref();
    let models = surface.into_iter().flat_map(|surface| {
        race.runs.iter().flat_map(move |run| {
            let theta = run.current(step).point();
            model_lines(surface, theta, x, y)
                .into_iter()
                .map(move |line| (run, line))
        })
    });
    for (run, (line, dashed)) in models {
        let style = if dashed {
            LineStyle::dashed_loose()
        } else {
            LineStyle::Solid
        };
        plot_ui.line(
            Line::new(run.label.as_str(), line.to_vec())
                .color(run.color)
                .width(if dashed { 1.5 } else { 3.0 })
                .style(style),
        );
    }
}

/// The point nearest the pointer, if it is within [`HOVER_RADIUS`] of it.
fn hovered_point(plot_ui: &PlotUi<'_>, points: &DataPoints) -> Option<usize> {
    let pointer = plot_ui.pointer_coordinate()?;
    let at = plot_ui.screen_from_plot(pointer);
    points
        .all
        .iter()
        .enumerate()
        .map(|(i, p)| (i, plot_ui.screen_from_plot(*p).distance(at)))
        .filter(|(_, d)| *d <= HOVER_RADIUS)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// The hovered point and its loss under each run's current model.
fn hovered_ui(ui: &mut egui::Ui, race: &RaceView, step: u64, surface: &DataSurface, i: usize) {
    let p = surface.data.points[i];
    let head = if surface.data.kind == crate::data::DataKind::Classification {
        format!(
            "point {}: ({}, {}), y = {:+}",
            i + 1,
            theme::short(p.x),
            theme::short(p.y),
            p.label
        )
    } else {
        format!(
            "point {}: x = {}, y = {}",
            i + 1,
            theme::short(p.x),
            theme::short(p.y)
        )
    };
    ui.add(egui::Label::new(RichText::new(head).strong()).wrap());
    let argument = if surface.data.kind == crate::data::DataKind::Classification {
        "margin y·s"
    } else {
        "residual ŷ − y"
    };
    // Wrapped lines, not a grid: the dock keeps its width whatever the numbers.
    for run in &race.runs {
        let theta = run.current(step).point();
        let job = format!(
            "{}: ℓ = {} ({argument} {})",
            race.optimizer(run.run).entry.name,
            theme::short(surface.sample_loss(i, theta)),
            theme::short(surface.argument(i, theta)),
        );
        ui.add(egui::Label::new(RichText::new(job).color(run.color)).wrap());
    }
}

/// The model at θ as segments across the shown box: the line or boundary (solid), and for
/// hinge losses the two margin lines (dashed). A boundary with w = 0 has no line.
pub fn model_lines(
    surface: &DataSurface,
    theta: P2,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Vec<([[f64; 2]; 2], bool)> {
    if !theta.iter().all(|v| v.is_finite()) {
        return Vec::new();
    }
    match surface.shape(theta) {
        ModelShape::Line { slope, intercept } => {
            vec![(
                [[x0, slope * x0 + intercept], [x1, slope * x1 + intercept]],
                false,
            )]
        }
        ModelShape::Boundary {
            w1,
            w2,
            bias,
            margins,
        } => {
            let level = |score: f64| -> Option<[[f64; 2]; 2]> {
                // w₁x₁ + w₂x₂ + bias = score, across the box along the steeper axis.
                if w2.abs() >= w1.abs() && w2 != 0.0 {
                    let at = |x: f64| (score - bias - w1 * x) / w2;
                    Some([[x0, at(x0)], [x1, at(x1)]])
                } else if w1 != 0.0 {
                    let at = |y: f64| (score - bias - w2 * y) / w1;
                    Some([[at(y0), y0], [at(y1), y1]])
                } else {
                    None
                }
            };
            let mut lines: Vec<_> = level(0.0).map(|l| (l, false)).into_iter().collect();
            if margins {
                lines.extend([-1.0, 1.0].into_iter().filter_map(level).map(|l| (l, true)));
            }
            lines
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::data::Dataset;
    use crate::data::model::ModelSpec;

    fn surface(model: &str, data: &str) -> DataSurface {
        let model = ModelSpec::parse(model).unwrap().unwrap();
        let data = Arc::new(Dataset::parse(data).unwrap());
        DataSurface::new(model, data, None).unwrap()
    }

    #[test]
    fn the_regression_line_passes_through_its_intercept() {
        let s = surface("linear-regression", "points:0,1;1,3");
        let lines = model_lines(&s, P2::new(2.0, 1.0), (-1.0, 2.0), (0.0, 5.0));
        assert_eq!(lines, vec![([[-1.0, -1.0], [2.0, 5.0]], false)]);
    }

    #[test]
    fn a_hinge_boundary_has_two_margins_at_scores_plus_minus_one() {
        let s = surface("linear-classifier:loss=hinge", "points:1,2,1;-1,0,-1");
        let (w1, w2) = (1.0, 2.0);
        let lines = model_lines(&s, P2::new(w1, w2), (-3.0, 3.0), (-3.0, 3.0));
        assert_eq!(lines.len(), 3);
        for ((segment, dashed), score) in lines.iter().zip([0.0, -1.0, 1.0]) {
            assert_eq!(*dashed, score != 0.0);
            for [x, y] in segment {
                assert!(
                    (w1 * x + w2 * y - score).abs() < 1e-12,
                    "{segment:?} at {score}"
                );
            }
        }
        let logistic = surface("linear-classifier:loss=logistic", "points:1,2,1;-1,0,-1");
        assert_eq!(
            model_lines(&logistic, P2::new(w1, w2), (-3.0, 3.0), (-3.0, 3.0)).len(),
            1
        );
        assert!(model_lines(&s, P2::new(0.0, 0.0), (-3.0, 3.0), (-3.0, 3.0)).is_empty());
    }
}
