//! The update-rule card of a network: the chosen racer's rule and hyperparameters, then what
//! the step shown did in numbers that mean something for hundreds of weights — the lengths
//! of ∇f, of the gradient the optimizer was given and of its step, their angles with −∇f,
//! the norms of its buffers (‖m‖, ‖v‖, …) and the spread of its per-weight learning rates —
//! and the same norms over the whole training, log scale, the step shown marked.

use egui::{Color32, RichText};
use egui_plot::{Legend, Line, LineStyle, Plot, VLine};

use super::super::panels::rule_card::rule_header_ui;
use super::super::theme::{self, short};
use super::NetworkView;
use super::plots::series;
use crate::train::live::LivePoint;
use crate::train::summary::StepSummary;

/// The curves' colours: ‖∇f‖, ‖g‖, ‖Δθ‖, then one per buffer.
const CURVES: [Color32; 6] = [
    Color32::from_gray(230),
    Color32::from_rgb(150, 150, 150),
    Color32::from_rgb(255, 170, 60),
    Color32::from_rgb(120, 200, 255),
    Color32::from_rgb(140, 220, 120),
    Color32::from_rgb(240, 120, 200),
];

/// The card with a picker for the racer it shows (`selected`, an index into the runs).
pub fn network_rule_ui(ui: &mut egui::Ui, view: &NetworkView, step: u64, selected: &mut usize) {
    profiling::function_scope!();
    let Some(trajectories) = view.trajectories() else {
        ui.label(RichText::new("training…").color(theme::NOTE));
        return;
    };
    if view.runs.is_empty() {
        return;
    }
    *selected = (*selected).min(view.runs.len() - 1);
    egui::ComboBox::new("net-card-run", "optimizer")
        .selected_text(view.runs[*selected].label.as_str())
        .show_ui(ui, |ui| {
            for (i, run) in view.runs.iter().enumerate() {
                ui.selectable_value(selected, i, run.label.as_str());
            }
        });
    let run = &view.runs[*selected];
    let points = &trajectories.runs[*selected];
    egui::ScrollArea::vertical().show(ui, |ui| {
        rule_header_ui(ui, &view.training().optimizers()[*selected], run.color);
        match summary_at(points, step) {
            Some((point, summary)) => numbers_ui(ui, point, summary),
            None => {
                ui.label(RichText::new("no step taken yet").color(theme::NOTE));
            }
        }
        let height = (ui.available_height() - 8.0).clamp(140.0, 260.0);
        ui.allocate_ui(egui::vec2(ui.available_width(), height), |ui| {
            norms_plot(ui, points, step);
        });
        if points
            .iter()
            .any(|p| p.summary.as_ref().is_some_and(|s| s.effective_lr.is_some()))
        {
            ui.allocate_ui(egui::vec2(ui.available_width(), height * 0.8), |ui| {
                rates_plot(ui, points, step, run.color);
            });
        }
    });
}

/// The step the card shows at `step`: the one leaving the point shown, or at a run's end the
/// one that led there.
fn summary_at(points: &[LivePoint], step: u64) -> Option<(&LivePoint, &StepSummary)> {
    let shown = points.partition_point(|p| p.step <= step);
    points[..shown]
        .iter()
        .rev()
        .find_map(|p| p.summary.as_deref().map(|s| (p, s)))
}

/// The numbers of one step t → t + 1.
fn numbers_ui(ui: &mut egui::Ui, point: &LivePoint, s: &StepSummary) {
    ui.label(format!(
        "step t = {} → {}: L = {}, scheduled lr = {}",
        point.step,
        point.step + 1,
        short(point.loss),
        short(point.lr)
    ));
    egui::Grid::new("net-rule-state")
        .spacing([12.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            let mut row = |name: &str, value: String, tip: &str| {
                ui.label(RichText::new(name).monospace().strong())
                    .on_hover_text(tip);
                ui.label(RichText::new(value).monospace());
                ui.end_row();
            };
            let angle = |norm: f64, cos: f64| format!("{}   cos {:+.2}", short(norm), cos);
            row(
                "‖∇f‖",
                short(point.grad_norm),
                "the full-batch gradient's length",
            );
            row(
                "‖g‖ given",
                angle(s.given_norm, s.given_cosine),
                "the gradient the optimizer was given (its minibatch's, plus the noise) \
                 and its cosine with ∇f: 1 for a full batch without noise",
            );
            row(
                "‖Δθ‖ taken",
                angle(s.step_norm, s.step_cosine),
                "the step's length and its cosine with −∇f: 1 for gradient descent",
            );
            for (name, norm) in &s.buffers {
                row(&format!("‖{name}‖"), short(*norm), "the buffer's length");
            }
            for (name, value) in &s.scalars {
                row(name, short(*value), "");
            }
            if let Some(eta) = &s.effective_lr {
                row(
                    "ηᵢ min·med·max",
                    format!(
                        "{} · {} · {}",
                        short(eta.min),
                        short(eta.median),
                        short(eta.max)
                    ),
                    "each weight's own learning rate: the adaptive methods' lr over the \
                     root of their running square",
                );
            }
            if let Some(norm) = s.model_step_norm {
                row("‖model step‖", short(norm), "−H⁻¹∇f before lr or α");
            }
        });
}

/// A curve of `value` (log₁₀) against the step, thinned as the dock's plots are.
fn curve(points: &[LivePoint], value: impl Fn(&LivePoint) -> Option<f64>) -> Vec<[f64; 2]> {
    series(points, value, |p| p.step as f64, true)
}

/// A plot with a log y axis, fixed in place, and its legend.
fn log_plot(id: &str) -> Plot<'_> {
    Plot::new(id)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("step")
        .y_axis_formatter(|mark, _| theme::compact(10f64.powf(mark.value)))
        .legend(Legend::default())
}

/// ‖∇f‖, ‖g‖, ‖Δθ‖ and each buffer's norm over the training (log).
fn norms_plot(ui: &mut egui::Ui, points: &[LivePoint], step: u64) {
    let names: Vec<&'static str> = points
        .iter()
        .find_map(|p| p.summary.as_ref())
        .map_or(Vec::new(), |s| s.buffers.iter().map(|b| b.0).collect());
    let line = |name: String, data: Vec<[f64; 2]>, color: Color32, style: LineStyle| {
        Line::new(name, data).color(color).width(2.0).style(style)
    };
    let dashed = LineStyle::dashed_loose();
    log_plot("net-rule-norms").show(ui, |plot_ui| {
        let full = curve(points, |p| Some(p.grad_norm));
        plot_ui.line(line("‖∇f‖".into(), full, CURVES[0], LineStyle::Solid));
        let given = curve(points, |p| p.summary.as_ref().map(|s| s.given_norm));
        plot_ui.line(line("‖g‖".into(), given, CURVES[1], dashed));
        let taken = curve(points, |p| p.summary.as_ref().map(|s| s.step_norm));
        plot_ui.line(line("‖Δθ‖".into(), taken, CURVES[2], LineStyle::Solid));
        for (k, name) in names.iter().enumerate() {
            let norm = curve(points, |p| {
                let s = p.summary.as_ref()?;
                s.buffers.iter().find(|b| b.0 == *name).map(|b| b.1)
            });
            let color = CURVES[(3 + k).min(CURVES.len() - 1)];
            plot_ui.line(line(format!("‖{name}‖"), norm, color, LineStyle::Solid));
        }
        plot_ui.vline(VLine::new("", step as f64).color(theme::NOTE).width(1.5));
    });
}

/// The per-weight learning rates' median (solid) between their minimum and maximum
/// (dashed), log: how far apart an adaptive method sets its weights' steps.
fn rates_plot(ui: &mut egui::Ui, points: &[LivePoint], step: u64, color: Color32) {
    log_plot("net-rule-rates").show(ui, |plot_ui| {
        let spread = |p: &LivePoint| p.summary.as_ref().and_then(|s| s.effective_lr);
        for (name, pick, style) in [
            ("ηᵢ max", 2, LineStyle::dashed_loose()),
            ("ηᵢ median", 1, LineStyle::Solid),
            ("ηᵢ min", 0, LineStyle::dashed_loose()),
        ] {
            let value = |p: &LivePoint| {
                spread(p).map(|e| match pick {
                    0 => e.min,
                    1 => e.median,
                    _ => e.max,
                })
            };
            plot_ui.line(
                Line::new(name, curve(points, value))
                    .color(color)
                    .width(2.0)
                    .style(style),
            );
        }
        plot_ui.vline(VLine::new("", step as f64).color(theme::NOTE).width(1.5));
    });
}
