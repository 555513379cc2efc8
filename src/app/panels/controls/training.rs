//! The training section: the global lr multiplier, noise σ and seed, the step count, and the
//! schedule with its parameters and an optional warmup.

use egui::{ComboBox, DragValue, RichText, Ui};

use super::super::super::theme;
use super::params::params_ui;
use crate::scene::{Control, MAX_STEPS, Scene};
use crate::schedule::{SCHEDULES, Schedule};
use crate::spec::{Args, lookup, split_spec};

pub fn training_ui(ui: &mut Ui, scene: &mut Scene) {
    if scene.shows(Control::LrScale) {
        ui.add(
            theme::slider(&mut scene.lr_scale, 0.01..=100.0)
                .logarithmic(true)
                .text("× every lr"),
        )
        .on_hover_text("one slider for every optimizer's learning rate");
    }
    if scene.shows(Control::Noise) {
        ui.add(
            theme::slider(&mut scene.noise, 0.0..=10.0)
                .logarithmic(true)
                .smallest_positive(1e-3)
                .text("noise σ"),
        )
        .on_hover_text("batch noise: each step sees ∇f + σε, ε ~ N(0, I)");
    }
    ui.horizontal(|ui| {
        if scene.shows(Control::Noise) {
            ui.add(DragValue::new(&mut scene.seed).prefix("seed "));
        }
        if scene.shows(Control::Steps) {
            ui.add(
                DragValue::new(&mut scene.steps)
                    .range(1..=MAX_STEPS)
                    .speed(5.0)
                    .prefix("steps "),
            );
        }
    });
    if scene.shows(Control::Schedule) {
        schedule_ui(ui, &mut scene.schedule, scene.steps);
    }
}

/// Schedule kind, its parameters, and an optional linear warmup in front of it.
fn schedule_ui(ui: &mut Ui, schedule: &mut String, steps: u64) {
    let Ok(parsed) = Schedule::parse(schedule) else {
        return;
    };
    let (warmup, main) = match parsed {
        Schedule::Warmup { steps, then } => (steps, then.to_string()),
        other => (0, other.to_string()),
    };
    let Ok((name, pairs)) = split_spec(&main) else {
        return;
    };
    let Ok(entry) = lookup("schedule", name, SCHEDULES, |e| e.name) else {
        return;
    };
    let mut new_main = main.clone();
    ComboBox::from_label("schedule")
        .selected_text(name)
        .show_ui(ui, |ui| {
            for e in SCHEDULES.iter().filter(|e| e.name != "warmup") {
                if ui.selectable_label(e.name == name, e.name).clicked() && e.name != name {
                    new_main = default_schedule(e.name, steps);
                }
            }
        });
    ui.label(RichText::new(format!("lr(t) = {}", entry.formula)).color(theme::NOTE));
    if new_main == main
        && let Ok(mut args) = Args::parse(name, entry.params, &pairs)
        && params_ui(ui, "schedule-params", entry.params, &mut args, &[])
    {
        new_main = args.spec_text(name, entry.params);
    }
    let mut w = warmup;
    ui.add(
        DragValue::new(&mut w)
            .range(0..=steps.max(1))
            .prefix("warmup steps "),
    )
    .on_hover_text("linear warmup: lr·min(1, (t+1)/W); 0 for none");
    if w == warmup && new_main == main {
        return;
    }
    *schedule = if w == 0 {
        new_main
    } else {
        format!("warmup:steps={w}+{new_main}")
    };
}

/// A schedule of kind `name` with its required parameters set for a run of `steps`.
fn default_schedule(name: &str, steps: u64) -> String {
    let quarter = (steps / 4).max(1);
    match name {
        "step" => format!("step:step_size={quarter}"),
        "exp" => "exp:gamma=0.98".into(),
        "cosine" => format!("cosine:t_max={steps}"),
        "linear" => format!("linear:t_max={steps}"),
        "restarts" => format!("restarts:t_0={quarter}"),
        other => other.into(),
    }
}
