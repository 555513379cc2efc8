//! `descent run`: race optimizers headlessly and print every step (or the summary table).

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::common::{Failure, OutputFormat, RaceFlags, emit, row_format};
use crate::export::{Keep, csv_field, write_race};
use crate::race::Race;

#[derive(Debug, ClapArgs)]
pub struct RunArgs {
    #[command(flatten)]
    pub race: RaceFlags,
    /// Rows: csv (default) or json. With --summary: text (default), csv or json.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Keep every K-th step (and each run's last).
    #[arg(long, value_name = "K", conflicts_with = "final_only")]
    pub every: Option<u64>,
    /// Keep only each run's last row.
    #[arg(long = "final")]
    pub final_only: bool,
    /// Print the metrics table instead of the rows: steps to reach --tol, final loss,
    /// distance to the nearest known minimum, evaluations, status.
    #[arg(long, conflicts_with_all = ["every", "final_only"])]
    pub summary: bool,
    /// The tolerance of the summary's "steps to ‖∇f‖ < tol" and "steps to f − f* < tol".
    #[arg(
        long,
        value_name = "TOL",
        requires = "summary",
        allow_negative_numbers = true,
        default_value_t = crate::metrics::DEFAULT_TOLERANCE
    )]
    pub tol: f64,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    if let Some(path) = &args.race.scene {
        let scene = crate::scene::Scene::load_streamed(path)?;
        if scene.is_network() {
            return run_network(&scene, args);
        }
    }
    let race = args.race.race_spec()?.build()?;
    if args.every == Some(0) {
        return Err(Failure::Input(
            "--every must be a whole number ≥ 1, got 0".into(),
        ));
    }
    if args.summary {
        if !(args.tol.is_finite() && args.tol > 0.0) {
            return Err(Failure::Input(format!(
                "--tol must be a finite number > 0, got {}",
                args.tol
            )));
        }
        let format = args.format.unwrap_or(OutputFormat::Text);
        return emit(args.out.as_deref(), |out| {
            write_summary(&race, args.tol, format, out)
        });
    }
    let format = row_format(args.format)?;
    let keep = Keep {
        every: args.every,
        final_only: args.final_only,
    };
    emit(args.out.as_deref(), |out| {
        write_race(&race, format, keep, out)
    })
}

/// A network scene: its training's rows, as `descent train` prints them.
fn run_network(scene: &crate::scene::Scene, args: &RunArgs) -> Result<(), Failure> {
    let training = scene.train_spec()?.0.build()?;
    let choice = super::train::RowChoice {
        every: args.every,
        final_only: args.final_only,
        sharpness: false,
        format: args.format,
        out: args.out.as_deref(),
        summary: args.summary,
    };
    super::train::print_training(&training, &choice).map(drop)
}

/// The metrics table of a race (see [`crate::metrics`]) as text, CSV or JSON.
pub fn write_summary(
    race: &Race,
    tolerance: f64,
    format: OutputFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    use crate::metrics::{Column, summarize, text_table};
    let rows = summarize(race, tolerance);
    match format {
        OutputFormat::Text => out.write_all(text_table(&rows, tolerance).as_bytes()),
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)
        }
        OutputFormat::Csv => {
            writeln!(
                out,
                "optimizer,steps_to_grad_tol,steps_to_loss_tol,steps,final_loss,final_grad_norm,\
                 distance_to_minimum,value_evals,gradient_evals,hessian_evals,status,\
                 evals_to_grad_tol"
            )?;
            let opt = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
            for m in &rows {
                writeln!(
                    out,
                    "{},{},{},{},{:?},{:?},{},{},{},{},{},{}",
                    csv_field(&Column::Optimizer.cell(m)),
                    opt(m.steps_to_grad_tol),
                    opt(m.steps_to_loss_tol),
                    m.steps,
                    m.final_loss,
                    m.final_grad_norm,
                    m.distance_to_minimum
                        .map_or(String::new(), |d| format!("{d:?}")),
                    m.value_evals,
                    m.gradient_evals,
                    m.hessian_evals,
                    m.status,
                    opt(m.evals_to_grad_tol)
                )?;
            }
            Ok(())
        }
    }
}
