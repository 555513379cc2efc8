//! The update-rule card: the selected run's rule in Unicode, its hyperparameters' values, and
//! its state (m, v, s, b, H, α …) after the step the timeline shows.

use egui::RichText;

use super::super::caches::{RaceView, RunView};
use super::super::theme::short;
use crate::P2;
use crate::optim::OptimizerSpec;
use crate::race::StepDetail;

/// The card with a picker for the run it shows (`selected`, an index into the runs).
pub fn rule_tool_ui(ui: &mut egui::Ui, race: &RaceView, step: u64, selected: &mut usize) {
    profiling::function_scope!();
    let runs = &race.runs;
    if runs.is_empty() {
        ui.label("no optimizer is running");
        return;
    }
    *selected = (*selected).min(runs.len() - 1);
    egui::ComboBox::new("card-run", "optimizer")
        .selected_text(runs[*selected].label.as_str())
        .show_ui(ui, |ui| {
            for (i, run) in runs.iter().enumerate() {
                ui.selectable_value(selected, i, run.label.as_str());
            }
        });
    let run = &runs[*selected];
    let detail = race
        .details()
        .get(run.run)
        .and_then(|d| d.get(run.shown(step) - 1));
    egui::ScrollArea::vertical().show(ui, |ui| {
        rule_card_ui(ui, race.optimizer(run.run), run, detail, step);
    });
}

/// The card's head: the method's name in its run's colour, its rule in Unicode with the
/// reference, and its hyperparameters' values.
pub fn rule_header_ui(ui: &mut egui::Ui, spec: &OptimizerSpec, color: egui::Color32) {
    let entry = spec.entry;
    ui.label(RichText::new(entry.name).heading().color(color));
    ui.label(RichText::new(entry.rule).monospace());
    ui.add_space(6.0);
    let values: Vec<String> = entry
        .params
        .iter()
        .filter_map(|p| spec.args.get(p.name).map(|v| format!("{} = {}", p.name, v)))
        .collect();
    ui.label(RichText::new(format!("with {}", values.join(", "))).strong());
}

/// The update-rule card: the rule in Unicode, the hyperparameters' values, and the state
/// after the step the timeline shows.
pub fn rule_card_ui(
    ui: &mut egui::Ui,
    spec: &OptimizerSpec,
    run: &RunView,
    detail: Option<&StepDetail>,
    step: u64,
) {
    rule_header_ui(ui, spec, run.color);
    let shown = run.shown(step);
    let record = &run.records[shown - 1];
    ui.label(format!(
        "step t = {}: p = ({}, {}), f = {}, scheduled lr = {}",
        record.step,
        short(record.x),
        short(record.y),
        short(record.loss),
        short(record.lr)
    ));
    let Some(d) = detail else {
        return;
    };
    let vector = |v: P2| format!("({}, {})", short(v.x), short(v.y));
    egui::Grid::new("rule-state")
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            let mut row = |name: &str, value: String| {
                ui.label(RichText::new(name).monospace().strong());
                ui.label(RichText::new(value).monospace());
                ui.end_row();
            };
            row("g (∇f + noise)", vector(d.gradient));
            row("step taken", vector(d.step));
            for (name, v) in &d.state.buffers {
                row(name, vector(*v));
            }
            for (name, v) in &d.state.scalars {
                row(name, short(*v));
            }
            if let Some(v) = d.state.velocity {
                row("velocity −lr·b", vector(v));
            }
            if let Some(eta) = d.state.effective_lr {
                row("ηᵢ = lr/(√v + eps)", vector(eta));
            }
            if let Some(m) = d.state.model_step {
                row("model step", vector(m));
            }
            if let Some(h) = d.state.inverse_hessian {
                row(
                    "H (≈ ∇²f⁻¹)",
                    format!(
                        "[{} {}; {} {}]",
                        short(h[(0, 0)]),
                        short(h[(0, 1)]),
                        short(h[(1, 0)]),
                        short(h[(1, 1)])
                    ),
                );
            }
            if !d.trials.is_empty() {
                row("trial points", d.trials.len().to_string());
            }
        });
}
