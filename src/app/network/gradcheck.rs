//! Teach → Gradient check on a network: backpropagation's gradient of the full training loss
//! at a racer's weights at the step shown, against forward and central differences for
//! h = 10⁻¹ … 10⁻¹² ([`crate::net::gradcheck`]), as the V of the 2-D tab, with the worst
//! weight and each tensor's error. A check costs 36 loss evaluations per weight (half a
//! second for the lessons' 371 weights), so it runs off the UI thread: the forward column
//! first, then the central one; while the timeline plays the last check stays on screen.

use std::sync::{Arc, Mutex, PoisonError};

use egui::RichText;
use egui_plot::LineStyle;

use super::super::panels::gradcheck::{CENTRAL, FORWARD, VSeries, v_plot_ui};
use super::super::theme::{self, short};
use super::NetworkView;
use crate::engine::job::Job;
use crate::net::Rows;
use crate::net::gradcheck::{NetGradCheck, Scheme, check_schemes};
use crate::train::{TrainSpec, Training};

/// What a check depends on: the training, the racer and the step.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckKey {
    pub training: TrainSpec,
    pub run: usize,
    pub step: u64,
}

/// A finished pass of a check: where it was taken, and its rows so far.
pub struct Checked {
    pub run: usize,
    pub step: u64,
    pub check: NetGradCheck,
}

impl Checked {
    /// Both schemes are in (not only the first pass's forward differences).
    pub fn is_full(&self) -> bool {
        self.check.rows.iter().any(|r| r.scheme == Scheme::Central)
    }
}

/// Check racer `run`'s gradient at `step` on another thread: forward differences, then the
/// central ones added to them.
pub fn check_job(
    training: Arc<Training>,
    parameters: Arc<crate::space::PN>,
    key: &CheckKey,
    notify: impl Fn() + Send + 'static,
) -> Job<Checked> {
    let (run, step) = (key.run, key.step);
    let forward = Mutex::new(None::<NetGradCheck>);
    Job::spawn(
        2,
        2,
        move |k, progress| {
            let cancelled = || progress.is_cancelled();
            let net = training.network();
            let p = parameters.as_slice();
            let scheme = [Scheme::Forward, Scheme::Central][k];
            let mut check = check_schemes(net, p, Rows::All, &[scheme], &cancelled)?;
            let mut first = forward.lock().unwrap_or_else(PoisonError::into_inner);
            match first.take() {
                Some(mut forward) => {
                    forward.rows.append(&mut check.rows);
                    check = forward;
                }
                None => *first = Some(check.clone()),
            }
            progress.advance(1);
            Some(Checked { run, step, check })
        },
        notify,
    )
}

/// The tab: whose weights, the V, the best h of each scheme, the worst weight and the
/// tensors.
pub fn network_gradcheck_ui(
    ui: &mut egui::Ui,
    view: &mut NetworkView,
    step: u64,
    playing: bool,
    focus: &mut usize,
) {
    profiling::function_scope!();
    if view.runs.is_empty() {
        return;
    }
    *focus = (*focus).min(view.runs.len() - 1);
    egui::ComboBox::from_id_salt("net-gradcheck-run")
        .width(ui.available_width() - 8.0)
        .selected_text(format!("at {}'s weights", view.runs[*focus].label))
        .show_ui(ui, |ui| {
            for (i, run) in view.runs.iter().enumerate() {
                ui.selectable_value(focus, i, run.label.as_str());
            }
        });
    view.follow_check(ui.ctx(), *focus, step, playing);
    let refining = view.check_refining();
    let why = view
        .check_error()
        .unwrap_or("checking backpropagation…")
        .to_owned();
    let Some(checked) = view.checked(playing) else {
        ui.label(RichText::new(why).color(theme::NOTE));
        return;
    };
    let c = &checked.check;
    let whose = view.runs.get(checked.run).map_or("", |r| r.label.as_str());
    ui.label(
        RichText::new(format!(
            "{whose} at step {}: L = {}; backprop's ∇L against finite differences, \
             each of the {} weights nudged by h",
            checked.step,
            short(c.value),
            c.parameters
        ))
        .color(theme::NOTE),
    );
    let side = ui
        .available_width()
        .min(ui.available_height() - 150.0)
        .max(120.0);
    ui.allocate_ui(egui::vec2(ui.available_width(), side), |ui| {
        v_plot_ui(ui, "net-gradcheck", &series(c));
    });
    ui.label(RichText::new("solid: the whole ∇L · dashed: the worst weight").color(theme::NOTE));
    if refining {
        let what = if !checked.is_full() {
            "computing the central differences…"
        } else {
            "checking at the new point…"
        };
        ui.label(RichText::new(what).color(theme::NOTE));
    }
    best_ui(ui, c);
}

/// The whole vector's error (solid) and the worst weight's (dashed), per scheme.
fn series(c: &NetGradCheck) -> Vec<VSeries> {
    let mut all = Vec::new();
    for (scheme, color) in [(Scheme::Forward, FORWARD), (Scheme::Central, CENTRAL)] {
        let rows = || c.rows.iter().filter(move |r| r.scheme == scheme);
        all.push(VSeries {
            color,
            style: LineStyle::Solid,
            errors: rows().map(|r| (r.h, r.relative_error)).collect(),
        });
        all.push(VSeries {
            color,
            style: LineStyle::dashed_loose(),
            errors: rows().map(|r| (r.h, r.worst.relative_error)).collect(),
        });
    }
    all
}

/// Each scheme's best h with its error and worst weight, then every tensor's error there.
fn best_ui(ui: &mut egui::Ui, c: &NetGradCheck) {
    let bests = [
        (Scheme::Forward, "forward", FORWARD),
        (Scheme::Central, "central", CENTRAL),
    ]
    .map(|(scheme, name, color)| (name, color, c.best(scheme)));
    for (name, color, best) in &bests {
        let Some(row) = best else { continue };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(*name).color(*color).strong());
            ui.label(format!(
                "best h = 1e{:.0}: error {}; worst weight #{} ({}): {}",
                row.h.log10(),
                short(row.relative_error),
                row.worst.index,
                row.worst.tensor,
                short(row.worst.relative_error)
            ));
        });
    }
    egui::Grid::new("net-gradcheck-tensors")
        .striped(true)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            ui.label(RichText::new("tensor").strong());
            for (name, color, best) in &bests {
                if best.is_some() {
                    ui.label(RichText::new(*name).color(*color).strong());
                }
            }
            ui.end_row();
            let Some(tensors) = bests.iter().find_map(|b| b.2).map(|r| r.tensors.len()) else {
                return;
            };
            for t in 0..tensors {
                let mut named = false;
                for (_, _, best) in &bests {
                    let Some(e) = best.and_then(|r| r.tensors.get(t)) else {
                        continue;
                    };
                    if !named {
                        ui.label(RichText::new(&e.tensor).monospace());
                        named = true;
                    }
                    ui.label(RichText::new(short(e.relative_error)).monospace());
                }
                ui.end_row();
            }
        });
}
