//! `descent tune`: for each racer, the lr that reaches the tolerance in the fewest steps
//! (see [`crate::engine::tune`]).

use std::io::{self, Write};

use clap::Args as ClapArgs;

use super::common::{Failure, RaceFlags};
use crate::atomic::write_atomically;
use crate::engine::tune::{TUNE_RANGE, tune_lr};
use crate::engine::{Batch, Progress, default_threads};
use crate::spec::Value;

#[derive(Debug, ClapArgs)]
pub struct TuneArgs {
    #[command(flatten)]
    pub race: RaceFlags,
    /// Tolerance of "steps to ‖∇f‖ < tol".
    #[arg(
        long,
        default_value_t = 1e-6,
        value_name = "TOL",
        allow_negative_numbers = true
    )]
    pub tol: f64,
    /// Write each racer's tuned lr back into the scene file (atomically).
    #[arg(long, requires = "scene")]
    pub write: bool,
}

/// `descent tune`.
pub fn tune(args: &TuneArgs) -> Result<(), Failure> {
    if !(args.tol.is_finite() && args.tol > 0.0) {
        return Err(Failure::Input(format!(
            "--tol must be a finite number > 0, got {}",
            args.tol
        )));
    }
    let mut scene = args.race.scene()?;
    let (spec, indices) = scene.race_spec()?;
    let race = spec.build()?;
    let mut table = format!(
        "{:<40} {:>12} {:>12} {:>10} {:>10}\n",
        "optimizer", "lr", "tuned lr", "steps", "evals"
    );
    for (i, opt) in race.optimizers.iter().enumerate() {
        if race.batch_plan(i).is_some_and(|p| !p.is_full()) {
            // The engine steps full batches: a minibatch racer's lr is not its to tune.
            table += &format!(
                "{:<40} {:>12} {:>12}\n",
                opt.label,
                format!("{:.4e}", opt.lr()),
                "minibatch: not tuned"
            );
            continue;
        }
        let batch = Batch::of_race(&race, i, args.tol);
        let tuned = tune_lr(
            &batch,
            race.start,
            race.seed,
            TUNE_RANGE,
            default_threads(),
            &Progress::new(),
        )
        .map_err(|()| Failure::Output("tuning was cancelled".into()))?;
        let (lr, steps, evals) = match tuned {
            Some(t) => (
                format!("{:.4e}", t.lr),
                t.steps.to_string(),
                t.evals.to_string(),
            ),
            None => ("none".into(), "-".into(), "-".into()),
        };
        table += &format!(
            "{:<40} {:>12} {:>12} {:>10} {:>10}\n",
            opt.label,
            format!("{:.4e}", opt.lr()),
            lr,
            steps,
            evals
        );
        if let (true, Some(t)) = (args.write, tuned) {
            // Written as the racer's own lr: with an lr_scale, the scaled value is what ran.
            let racer = &mut scene.racers[indices[i]];
            let mut parsed = crate::optim::OptimizerSpec::parse(&racer.optimizer)?;
            let scale = if scene.lr_scale > 0.0 {
                scene.lr_scale
            } else {
                1.0
            };
            parsed.args.set("lr", Value::Real(t.lr / scale));
            // `batch=B` (a full batch here) is kept.
            racer.optimizer = parsed.spec_text();
        }
    }
    if args.write
        && let Some(path) = &args.race.scene
    {
        let text = scene.to_ron();
        write_atomically(path, |out| out.write_all(text.as_bytes()))
            .map_err(|e| Failure::Output(format!("cannot write {}: {e}", path.display())))?;
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match out.write_all(table.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Failure::Closed),
        other => other.map_err(|e| Failure::Output(format!("cannot write standard output: {e}"))),
    }
}
