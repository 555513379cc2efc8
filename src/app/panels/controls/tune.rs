//! A racer's "tune" button: the learning rate that reaches ‖∇f‖ < 10⁻⁶ in the fewest steps
//! from the scene's start ([`crate::engine::tune::tune_lr`]: a log grid of 41 rates over
//! 10⁻⁵ … 10, then 41 between the best one's neighbours), searched on another thread — 82
//! runs of the scene's steps, which on a model surface with many points or a line-search
//! method can take longer than a frame — and given to the racer when it arrives.

use egui::{RichText, Ui};

use super::super::super::theme;
use crate::app::jobs::{KeyedJob, Start};
use crate::engine::job::Job;
use crate::engine::tune::{TUNE_POINTS, TUNE_RANGE, Tuned, tune_lr};
use crate::engine::{Batch, default_threads};
use crate::metrics::DEFAULT_TOLERANCE;
use crate::optim::OptimizerSpec;
use crate::scene::{Racer, Scene};
use crate::spec::Value;

/// What an lr search was started for: racer `racer` (its index in the scene) when its
/// optimizer read `optimizer`, in a race of `steps` steps.
#[derive(Clone, Debug, PartialEq)]
pub struct TuneKey {
    racer: usize,
    optimizer: String,
    steps: u64,
}

/// What a search ended with: its key, and what it found (or why it found nothing).
pub type Outcome = (TuneKey, Result<std::sync::Arc<Option<Tuned>>, String>);

/// The racers' lr search off the UI thread (at most one at a time), and the one-line
/// outcome of the last one under its racer's slider.
pub struct Tuning {
    job: KeyedJob<TuneKey, Option<Tuned>>,
    note: Option<(usize, String)>,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            job: KeyedJob::new(true),
            note: None,
        }
    }
}

impl Tuning {
    /// The button beside racer `i`'s lr slider ("tuning…" while its search runs); returns
    /// whether it was clicked.
    pub fn button_ui(&self, ui: &mut Ui, i: usize, racer: &Racer, network: bool) -> bool {
        let searching = self.job.key().filter(|_| self.job.is_refining());
        if searching.is_some_and(|key| key.racer == i) {
            ui.label(RichText::new("tuning…").color(theme::NOTE));
            return false;
        }
        let tip = format!(
            "find the lr that reaches ‖∇f‖ < {DEFAULT_TOLERANCE:e} in the fewest steps from the \
             start (82 runs over 1e-5 … 10)"
        );
        if network {
            let why = "tuning runs 82 races in the plane; a network's lr is tuned with \
                       'descent train' over a few values";
            ui.add_enabled(false, egui::Button::new("tune").small())
                .on_disabled_hover_text(why);
            return false;
        }
        ui.add_enabled(racer.enabled, egui::Button::new("tune").small())
            .on_hover_text(tip)
            .clicked()
    }

    /// Start the search for racer `i` of `scene` (a previous one is dropped, which cancels
    /// it).
    pub fn start(&mut self, ctx: &egui::Context, scene: &Scene, i: usize) {
        self.note = None;
        let optimizer = scene.racers.get(i).map(|r| r.optimizer.clone());
        let key = TuneKey {
            racer: i,
            optimizer: optimizer.unwrap_or_default(),
            steps: scene.steps,
        };
        self.job
            .start(key, || search(ctx, scene, i).map(Start::Later));
        if let Some(refused) = self.job.error() {
            self.note = Some((i, refused.to_string()));
            self.job.clear();
        }
    }

    /// The last search's one-line outcome under racer `i`'s slider.
    pub fn note_ui(&self, ui: &mut Ui, i: usize) {
        if let Some((racer, note)) = &self.note
            && *racer == i
        {
            ui.add(egui::Label::new(RichText::new(note).color(theme::NOTE)).wrap());
        }
    }

    /// A finished search's outcome, handed over once (for [`Tuning::apply`]).
    pub fn take_finished(&mut self) -> Option<Outcome> {
        self.job.take_finished()
    }

    /// Give a finished search's result to `scene` (the app's copy, adopted as an edit): the
    /// racer gets the lr (in its own slider's units, the scene's multiplier divided out, to
    /// three significant digits), and a note says what it reaches — or that no lr did. A
    /// racer edited meanwhile keeps its own lr.
    pub fn apply(&mut self, scene: &mut Scene, (key, found): Outcome) {
        let steps = key.steps;
        let Some(racer) = scene
            .racers
            .get_mut(key.racer)
            .filter(|r| r.optimizer == key.optimizer)
        else {
            return;
        };
        let note = match found.as_deref() {
            Err(e) => e.clone(),
            Ok(None) => format!(
                "no lr in 1e-5 … 10 reaches ‖∇f‖ < {DEFAULT_TOLERANCE:e} within {steps} steps"
            ),
            Ok(Some(t)) => match set_lr(racer, t.lr, scene.lr_scale) {
                Ok(lr) => format!(
                    "tuned: lr {} reaches ‖∇f‖ < {DEFAULT_TOLERANCE:e} in {} steps",
                    theme::compact(lr),
                    t.steps
                ),
                Err(e) => e,
            },
        };
        self.note = Some((key.racer, note));
    }
}

/// The search for racer `i` of `scene`, in the race the scene runs.
fn search(ctx: &egui::Context, scene: &Scene, i: usize) -> Result<Job<Option<Tuned>>, String> {
    scene.racers.get(i).ok_or("no such racer")?;
    let (spec, indices) = scene.race_spec().map_err(|e| e.0)?;
    let run = indices
        .iter()
        .position(|&k| k == i)
        .ok_or("enable this racer to tune it")?;
    let race = spec.build().map_err(|e| e.0)?;
    if race.batch_plan(run).is_some_and(|plan| !plan.is_full()) {
        return Err("tuning steps full batches: remove batch= to tune this racer".into());
    }
    let batch = Batch::of_race(&race, run, DEFAULT_TOLERANCE);
    let (start, seed) = (race.start, race.seed);
    let repaint = ctx.clone();
    Ok(Job::spawn(
        1,
        2 * TUNE_POINTS,
        move |_, progress| {
            tune_lr(&batch, start, seed, TUNE_RANGE, default_threads(), progress).ok()
        },
        move || repaint.request_repaint(),
    ))
}

/// Give `racer` the effective learning rate `lr` (divided by the scene's multiplier),
/// rounded to three significant digits; returns the effective lr set.
fn set_lr(racer: &mut Racer, lr: f64, lr_scale: f64) -> Result<f64, String> {
    if lr_scale <= 0.0 {
        return Err("the lr multiplier is 0: raise it to use a tuned lr".into());
    }
    let mut spec = OptimizerSpec::parse(&racer.optimizer).map_err(|e| e.0)?;
    let own = round3(lr / lr_scale);
    spec.args.set("lr", Value::Real(own));
    racer.optimizer = spec.spec_text();
    Ok(own * lr_scale)
}

/// Three significant digits, as the shortest decimal (0.0871, not 0.08710000000000001).
fn round3(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{v:.2e}").parse().unwrap_or(v)
}
