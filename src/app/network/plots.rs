//! The dock's plots for a network: the training loss (solid) and the test loss (dashed), the
//! accuracy, the learning rate, the sharpness with each racer's 2/η line, and the loss along
//! each racer's straight line from init to its end — against steps, epochs or samples seen.

use egui::RichText;
use egui_plot::{HLine, Line, LineStyle, Plot, VLine};

use super::super::state::XAxis;
use super::super::theme;
use super::NetworkView;
use super::jobs::LINE_RANGE;
use crate::train::live::{LivePoint, shown_at};

/// Most points a series is drawn with (every k-th step beyond).
const MOST_POINTS: usize = 400;

/// The plots, stacked to share the height they are given.
pub fn network_plots_ui(
    ui: &mut egui::Ui,
    view: &NetworkView,
    step: u64,
    x: &mut XAxis,
    metrics: bool,
) {
    profiling::function_scope!();
    axis_choice(ui, x);
    let x = *x;
    let Some(trajectories) = view.trajectories() else {
        ui.label(RichText::new("training…").color(theme::NOTE));
        return;
    };
    if metrics {
        metrics_ui(ui, view, step);
    }
    let classes = trajectories
        .runs
        .iter()
        .flatten()
        .any(|p| p.accuracy.is_some());
    let count = if classes { 5.0 } else { 4.0 };
    let title = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let h = (ui.available_height() / count - title - ui.spacing().item_spacing.y).max(48.0);
    let plot = |ui: &mut egui::Ui, label: &str, add: &mut dyn FnMut(&mut egui::Ui)| {
        ui.label(RichText::new(label).strong());
        ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| add(ui));
    };
    let at = |p: &LivePoint| x_of(p, x);
    let marker = trajectories
        .runs
        .first()
        .and_then(|r| shown_at(r, step))
        .map(at);
    let series = |id, log, train: Value, test: Value| Series {
        id,
        log,
        train,
        test,
        marker,
        x,
    };
    plot(ui, "loss (test dashed)", &mut |ui| {
        series("net-loss", true, |p| Some(p.loss), |p| p.test_loss).ui(ui, view)
    });
    if classes {
        plot(ui, "accuracy (test dashed)", &mut |ui| {
            series("net-acc", false, |p| p.accuracy, |p| p.test_accuracy).ui(ui, view)
        });
    }
    plot(ui, "learning rate", &mut |ui| {
        series("net-lr", false, |p| Some(p.lr), |_| None).ui(ui, view)
    });
    plot(ui, "sharpness λmax (log), 2/η dashed", &mut |ui| {
        sharpness_plot(ui, view, step)
    });
    plot(ui, "loss on the line init → end", &mut |ui| {
        line_plot(ui, view)
    });
}

/// The metrics table: each racer's loss, accuracy (test in brackets) and ‖∇f‖ of the
/// full-batch training loss at the step shown, or where it ended.
fn metrics_ui(ui: &mut egui::Ui, view: &NetworkView, step: u64) {
    let Some(t) = view.trajectories() else { return };
    egui::Grid::new("net-metrics")
        .num_columns(4)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            for head in ["", "loss", "acc", "‖∇f‖"] {
                ui.label(RichText::new(head).strong());
            }
            ui.end_row();
            for (run, points) in view.runs.iter().zip(&t.runs) {
                let Some(p) = shown_at(points, step) else {
                    continue;
                };
                let name = run.label.split(':').next().unwrap_or(&run.label);
                ui.label(RichText::new(name).color(run.color).strong())
                    .on_hover_text(&run.label);
                ui.label(theme::short(p.loss));
                let pct = |v: Option<f64>| v.map_or("–".into(), |v| format!("{:.0}%", 100.0 * v));
                let accuracy = match p.test_accuracy {
                    Some(_) => format!("{} ({})", pct(p.accuracy), pct(p.test_accuracy)),
                    None => pct(p.accuracy),
                };
                ui.label(accuracy);
                ui.label(theme::short(p.grad_norm));
                ui.end_row();
            }
        });
    ui.separator();
}

/// The x axis choice: steps, epochs or samples seen.
fn axis_choice(ui: &mut egui::Ui, x: &mut XAxis) {
    if *x == XAxis::Evaluations {
        *x = XAxis::Steps;
    }
    ui.horizontal(|ui| {
        let label = ui.label("x axis");
        egui::ComboBox::from_id_salt("net-x-axis")
            .selected_text(x.label())
            .show_ui(ui, |ui| {
                for axis in [XAxis::Steps, XAxis::Epochs, XAxis::Samples] {
                    ui.selectable_value(x, axis, axis.label());
                }
            })
            .response
            .labelled_by(label.id);
    });
}

fn x_of(p: &LivePoint, x: XAxis) -> f64 {
    match x {
        XAxis::Steps | XAxis::Evaluations => p.step as f64,
        XAxis::Epochs => p.epoch,
        XAxis::Samples => p.samples as f64,
    }
}

/// Every `stride`-th point of a run (and its last), where `value` is finite.
pub(super) fn series(
    points: &[LivePoint],
    value: impl Fn(&LivePoint) -> Option<f64>,
    at: impl Fn(&LivePoint) -> f64,
    log: bool,
) -> Vec<[f64; 2]> {
    let stride = points.len().div_ceil(MOST_POINTS).max(1);
    let last = points.len().saturating_sub(1);
    points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0 || *i == last)
        .filter_map(|(_, p)| {
            let v = value(p)?;
            let v = if log { v.log10() } else { v };
            v.is_finite().then(|| [at(p), v])
        })
        .collect()
}

/// What a point shows in a plot, if anything.
type Value = fn(&LivePoint) -> Option<f64>;

/// One plot of every run's `train` series (solid) and `test` series (dashed), log10 when
/// `log`, against `x`, with the current step marked.
struct Series {
    id: &'static str,
    log: bool,
    train: Value,
    test: Value,
    marker: Option<f64>,
    x: XAxis,
}

impl Series {
    fn ui(&self, ui: &mut egui::Ui, view: &NetworkView) {
        let Some(t) = view.trajectories() else { return };
        let mut plot = Plot::new(self.id)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false);
        if self.log {
            // Values, not exponents: a loss that barely moves (ln 2 on circles) still reads.
            plot = plot.y_axis_formatter(|mark, _| theme::compact(10f64.powf(mark.value)));
        } else {
            // From 0: a constant lr is a flat line at its height, not a line in an empty band.
            plot = plot.include_y(0.0);
        }
        let at = |p: &LivePoint| x_of(p, self.x);
        plot.show(ui, |plot_ui| {
            for (run, points) in view.runs.iter().zip(&t.runs) {
                let solid = series(points, self.train, at, self.log);
                plot_ui.line(
                    Line::new(run.label.as_str(), solid)
                        .color(run.color)
                        .width(2.5),
                );
                let dashed = series(points, self.test, at, self.log);
                if !dashed.is_empty() {
                    let style = LineStyle::dashed_loose();
                    plot_ui.line(
                        Line::new("", dashed)
                            .color(run.color)
                            .width(2.0)
                            .style(style),
                    );
                }
            }
            if let Some(x) = self.marker {
                plot_ui.vline(VLine::new("", x).color(theme::NOTE).width(1.5));
            }
        });
    }
}

/// The sharpness at its checkpoints (log scale), and each SGD-family racer's stability
/// line (2/η for gradient descent, dashed): full-batch training climbs to it and stays.
fn sharpness_plot(ui: &mut egui::Ui, view: &NetworkView, step: u64) {
    let Some(t) = view.trajectories() else { return };
    if t.sharpness.iter().all(Vec::is_empty) {
        ui.label(RichText::new("measured once the paths are complete…").color(theme::NOTE));
        return;
    }
    Plot::new("net-sharpness")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("step")
        .y_axis_formatter(|mark, _| theme::compact(10f64.powf(mark.value)))
        .show(ui, |plot_ui| {
            for (run, marks) in view.runs.iter().zip(&t.sharpness) {
                let points: Vec<[f64; 2]> = marks
                    .iter()
                    .filter(|(_, l)| *l > 0.0)
                    .map(|&(s, l)| [s as f64, l.log10()])
                    .collect();
                plot_ui.line(
                    Line::new(run.label.as_str(), points)
                        .color(run.color)
                        .width(2.5),
                );
                if let Some(limit) = run.sharpness_limit.filter(|l| *l > 0.0) {
                    plot_ui.hline(
                        HLine::new("", limit.log10())
                            .color(run.color)
                            .style(LineStyle::dashed_loose())
                            .width(1.5),
                    );
                }
            }
            plot_ui.vline(VLine::new("", step as f64).color(theme::NOTE).width(1.5));
        });
}

/// Each racer's loss along the line from its init (α = 0) to its end (α = 1).
fn line_plot(ui: &mut egui::Ui, view: &NetworkView) {
    let (Some(shown), _) = view.slice() else {
        ui.label(RichText::new("drawn once the paths are complete…").color(theme::NOTE));
        return;
    };
    Plot::new("net-line")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("α: 0 = init, 1 = end")
        .include_x(LINE_RANGE[0])
        .include_x(LINE_RANGE[1])
        .show(ui, |plot_ui| {
            for (run, line) in view.runs.iter().zip(&shown.lines) {
                plot_ui.line(
                    Line::new(run.label.as_str(), line.clone())
                        .color(run.color)
                        .width(2.5),
                );
            }
            plot_ui.vline(VLine::new("", 0.0).color(theme::NOTE));
            plot_ui.vline(VLine::new("", 1.0).color(theme::NOTE));
        });
}
