//! `descent train`: train a network with several optimizers side by side and print every
//! step (or every K-th, or the last), optionally with the test split and the sharpness.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::common::{Failure, OutputFormat, emit, output_error, row_format};
use crate::atomic::write_atomically;
use crate::export::{Format, Keep};
use crate::space::PN;
use crate::train::output::{Columns, write_training, write_weights};
use crate::train::{TrainSpec, Training};

#[derive(Debug, ClapArgs)]
pub struct TrainFlags {
    /// Model spec (required): mlp:hidden=16x16,activation=tanh|relu|sigmoid|identity
    /// (hidden=0: no hidden layer). See 'descent list models'.
    #[arg(long, value_name = "SPEC")]
    pub model: Option<String>,
    /// Dataset (required): NAME:key=value,… (spirals, moons, circles, xor, gauss, …; see
    /// 'descent list datasets'), FILE.csv (x1,…,xd,label or x,y) or points:….
    #[arg(long, value_name = "SPEC")]
    pub data: Option<String>,
    /// Loss: cross-entropy or mse (default: cross-entropy for classes, mse for regression).
    #[arg(long, value_name = "LOSS")]
    pub loss: Option<String>,
    /// Initialization: torch, xavier, he, zeros (each with :scale=s) or FILE.json holding
    /// {"parameters": [[…], …]} in torch's order.
    #[arg(long, default_value = "torch", value_name = "SCHEME|FILE.json")]
    pub init: String,
    /// Seed of the initialization, the epoch permutations, the test split and the noise.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Optimizer spec NAME or NAME:key=value,… (batch=B for its own minibatch size); repeat
    /// to train several side by side from the same initialization.
    #[arg(long = "optimizer", short = 'o', value_name = "SPEC")]
    pub optimizers: Vec<String>,
    /// Number of updates; rows are steps 0 ..= N.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub steps: u64,
    /// Minibatch size for every optimizer without batch=B (default: full batch).
    #[arg(long, value_name = "B")]
    pub batch: Option<u64>,
    /// Take the points in file order every epoch instead of a seeded permutation.
    #[arg(long)]
    pub no_shuffle: bool,
    /// Learning-rate schedule spec (e.g. cosine:t_max=200).
    #[arg(long, default_value = "constant", value_name = "SPEC")]
    pub schedule: String,
    /// Standard deviation σ of the gradient noise added to every step's gradient.
    #[arg(
        long,
        default_value_t = 0.0,
        value_name = "SIGMA",
        allow_negative_numbers = true
    )]
    pub noise: f64,
    /// Hold out this fraction of the points (seeded) and report test_loss, test_accuracy.
    #[arg(long, value_name = "F", allow_negative_numbers = true)]
    pub test: Option<f64>,
}

#[derive(Debug, ClapArgs)]
pub struct TrainArgs {
    #[command(flatten)]
    pub training: TrainFlags,
    /// Keep every K-th step (and each run's last).
    #[arg(long, value_name = "K", conflicts_with = "final_only")]
    pub every: Option<u64>,
    /// Keep only each run's last row.
    #[arg(long = "final")]
    pub final_only: bool,
    /// Add the largest and smallest Hessian eigenvalue of the full-batch training loss
    /// (sharpness, lambda_min) to every printed row.
    #[arg(long)]
    pub sharpness: bool,
    /// Rows: csv (default) or json. With --summary: text (default), csv or json.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write each optimizer's final parameters to FILE.json (atomically).
    #[arg(long, value_name = "FILE.json")]
    pub weights_out: Option<PathBuf>,
    /// Print one line per optimizer (its last step) instead of the rows.
    #[arg(long, conflicts_with_all = ["every", "final_only"])]
    pub summary: bool,
}

impl TrainFlags {
    /// The training these flags describe; `--model` and `--data` must be given.
    pub fn spec(&self) -> Result<TrainSpec, Failure> {
        let required = |value: &Option<String>, flag: &str, example: &str| {
            value.clone().ok_or_else(|| {
                Failure::Input(format!(
                    "the required argument {flag} was not provided (e.g. {flag} {example})"
                ))
            })
        };
        Ok(TrainSpec {
            model: required(&self.model, "--model", "mlp:hidden=16x16")?,
            data: required(&self.data, "--data", "spirals:n=300,classes=3")?,
            loss: self.loss.clone(),
            init: self.init.clone(),
            inits: Vec::new(),
            seed: self.seed,
            optimizers: self.optimizers.clone(),
            steps: self.steps,
            batch: self.batch,
            shuffle: !self.no_shuffle,
            schedule: self.schedule.clone(),
            noise: self.noise,
            test: self.test,
        })
    }

    /// Whether any flag that describes the training was given (a scene file replaces them).
    pub fn any_given(&self) -> bool {
        let defaults = TrainSpec::default();
        self.model.is_some()
            || self.data.is_some()
            || self.loss.is_some()
            || self.init != defaults.init
            || self.seed != defaults.seed
            || !self.optimizers.is_empty()
            || self.steps != defaults.steps
            || self.batch.is_some()
            || self.no_shuffle
            || self.schedule != defaults.schedule
            || self.noise != 0.0
            || self.test.is_some()
    }
}

/// Which rows of a training to print, and how.
pub struct RowChoice<'a> {
    pub every: Option<u64>,
    pub final_only: bool,
    pub sharpness: bool,
    pub format: Option<OutputFormat>,
    pub out: Option<&'a std::path::Path>,
    pub summary: bool,
}

/// Print a training's rows (or its summary) as `descent train` does; returns each run's
/// final parameters.
pub fn print_training(training: &Training, choice: &RowChoice) -> Result<Vec<PN>, Failure> {
    if choice.every == Some(0) {
        return Err(Failure::Input(
            "--every must be a whole number ≥ 1, got 0".into(),
        ));
    }
    let columns = Columns {
        test: training.test().is_some(),
        sharpness: choice.sharpness,
    };
    let (format, keep) = if choice.summary {
        let format = match choice.format.unwrap_or(OutputFormat::Text) {
            OutputFormat::Json => Format::Json,
            OutputFormat::Csv | OutputFormat::Text => Format::Csv,
        };
        let keep = Keep {
            every: None,
            final_only: true,
        };
        (format, keep)
    } else {
        let format = row_format(choice.format)?;
        let keep = Keep {
            every: choice.every,
            final_only: choice.final_only,
        };
        (format, keep)
    };
    let text = choice.summary && matches!(choice.format, None | Some(OutputFormat::Text));
    let finals = std::cell::RefCell::new(Vec::new());
    emit(choice.out, |out| {
        let written = if text {
            write_text_summary(training, columns, out)
        } else {
            write_training(training, format, keep, columns, out)
        }?;
        *finals.borrow_mut() = written;
        Ok(())
    })?;
    Ok(finals.into_inner())
}

pub fn train(args: &TrainArgs) -> Result<(), Failure> {
    if args.every == Some(0) {
        return Err(Failure::Input(
            "--every must be a whole number ≥ 1, got 0".into(),
        ));
    }
    let training = args.training.spec()?.build()?;
    let choice = RowChoice {
        every: args.every,
        final_only: args.final_only,
        sharpness: args.sharpness,
        format: args.format,
        out: args.out.as_deref(),
        summary: args.summary,
    };
    let finals = print_training(&training, &choice)?;
    if let Some(path) = &args.weights_out {
        write_atomically(path, |out| write_weights(&training, &finals, out))
            .map_err(|e| output_error(&path.display().to_string(), e))?;
    }
    Ok(())
}

/// The summary as a fixed-width table: each optimizer's last step.
fn write_text_summary(
    training: &Training,
    columns: Columns,
    out: &mut dyn Write,
) -> io::Result<Vec<PN>> {
    let mut header = vec![
        "optimizer",
        "steps",
        "loss",
        "accuracy",
        "grad_norm",
        "evals",
        "status",
    ];
    if columns.test {
        header.extend(["test_loss", "test_accuracy"]);
    }
    if columns.sharpness {
        header.extend(["sharpness", "lambda_min"]);
    }
    let number = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.6}"));
    let mut rows = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    let mut finals = Vec::new();
    for (spec, run) in training.optimizers().iter().zip(training.runs()) {
        let Some(last) = run.last() else { continue };
        let m = training.measure(&last, columns.sharpness);
        let mut row = vec![
            spec.label.clone(),
            last.step.to_string(),
            number(Some(last.loss)),
            number(m.accuracy),
            number(Some(last.grad_norm)),
            last.evals.to_string(),
            last.status.to_string(),
        ];
        if columns.test {
            row.extend([number(m.test_loss), number(m.test_accuracy)]);
        }
        if columns.sharpness {
            let (max, min) = m.sharpness.unzip();
            row.extend([number(max), number(min)]);
        }
        rows.push(row);
        finals.push(last.parameters);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, &w)| format!("{cell:<w$}"))
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(finals)
}
