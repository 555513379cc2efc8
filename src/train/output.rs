//! A training's rows as `descent train` prints them: CSV or JSON, streamed (nothing but each
//! racer's latest parameters is kept, so 10⁷ steps with `--final` run in flat memory), and
//! the final parameters as a weights file.

use std::io::{self, Write};

use serde::Serialize;

use super::{Measured, NetRecord, Training};
use crate::export::{Format, Keep, csv_field};
use crate::space::PN;

/// The columns every row has; `,test_loss,test_accuracy` follow with a test split and
/// `,sharpness,lambda_min` with the sharpness.
pub const CSV_HEADER: &str = "optimizer,step,loss,accuracy,grad_norm,lr,evals,status,epoch,samples";

/// What a training's rows carry beyond the fixed columns.
#[derive(Clone, Copy, Debug, Default)]
pub struct Columns {
    pub test: bool,
    pub sharpness: bool,
}

/// A row as JSON writes it (absent measurements are `null`, as are non-finite numbers).
#[derive(Serialize)]
struct Row<'a> {
    optimizer: &'a str,
    step: u64,
    loss: f64,
    accuracy: Option<f64>,
    grad_norm: f64,
    lr: f64,
    evals: u64,
    status: crate::race::Status,
    epoch: f64,
    samples: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_loss: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_accuracy: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sharpness: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lambda_min: Option<Option<f64>>,
}

/// Write the rows `keep` selects, and return each racer's final parameters.
pub fn write_training(
    training: &Training,
    format: Format,
    keep: Keep,
    columns: Columns,
    out: &mut dyn Write,
) -> io::Result<Vec<PN>> {
    let labels: Vec<&str> = training
        .optimizers
        .iter()
        .map(|o| o.label.as_str())
        .collect();
    let mut finals: Vec<PN> = (0..labels.len())
        .map(|i| training.start_of(i).clone())
        .collect();
    match format {
        Format::Csv => writeln!(out, "{}", header(columns))?,
        Format::Json => write!(out, "[")?,
    }
    let mut rows = 0u64;
    for record in training.records() {
        let kept = if keep.final_only {
            record.last
        } else {
            record.last || keep.every.is_none_or(|k| record.step % k == 0)
        };
        if kept {
            let measured = training.measure(&record, columns.sharpness);
            let label = labels[record.run];
            match format {
                Format::Csv => csv_row(out, label, &record, &measured, columns)?,
                Format::Json => {
                    write!(out, "{}", if rows == 0 { "\n" } else { ",\n" })?;
                    serde_json::to_writer(
                        &mut *out,
                        &json_row(label, &record, &measured, columns),
                    )?;
                }
            }
            rows += 1;
        }
        if record.last {
            finals[record.run] = record.parameters;
        }
    }
    if format == Format::Json {
        writeln!(out, "\n]")?;
    }
    Ok(finals)
}

/// The CSV header for these columns.
pub fn header(columns: Columns) -> String {
    let mut h = CSV_HEADER.to_string();
    if columns.test {
        h.push_str(",test_loss,test_accuracy");
    }
    if columns.sharpness {
        h.push_str(",sharpness,lambda_min");
    }
    h
}

/// A float in Rust's shortest round-trip form; empty when absent.
fn cell(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| format!("{v:?}"))
}

fn csv_row(
    out: &mut dyn Write,
    label: &str,
    r: &NetRecord,
    m: &Measured,
    columns: Columns,
) -> io::Result<()> {
    write!(
        out,
        "{},{},{:?},{},{:?},{:?},{},{},{:?},{}",
        csv_field(label),
        r.step,
        r.loss,
        cell(m.accuracy),
        r.grad_norm,
        r.lr,
        r.evals,
        r.status,
        r.epoch,
        r.samples
    )?;
    if columns.test {
        write!(out, ",{},{}", cell(m.test_loss), cell(m.test_accuracy))?;
    }
    if columns.sharpness {
        let (max, min) = m.sharpness.unzip();
        write!(out, ",{},{}", cell(max), cell(min))?;
    }
    writeln!(out)
}

fn json_row<'a>(label: &'a str, r: &NetRecord, m: &Measured, columns: Columns) -> Row<'a> {
    let (max, min) = m.sharpness.unzip();
    Row {
        optimizer: label,
        step: r.step,
        loss: r.loss,
        accuracy: m.accuracy,
        grad_norm: r.grad_norm,
        lr: r.lr,
        evals: r.evals,
        status: r.status,
        epoch: r.epoch,
        samples: r.samples,
        test_loss: columns.test.then_some(m.test_loss),
        test_accuracy: columns.test.then_some(m.test_accuracy),
        sharpness: columns.sharpness.then_some(max),
        lambda_min: columns.sharpness.then_some(min),
    }
}

/// `[{"optimizer": SPEC, "parameters": [[…], …]}, …]`: each racer's parameters split into
/// torch's tensors (each layer's weight, out × in row-major, then its bias). Non-finite
/// parameters (a diverged run) are written as `null`.
pub fn write_weights(training: &Training, finals: &[PN], out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Weights<'a> {
        optimizer: &'a str,
        parameters: Vec<&'a [f64]>,
    }
    let mlp = training.network.mlp();
    let all: Vec<Weights> = training
        .optimizers
        .iter()
        .zip(finals)
        .map(|(o, p)| Weights {
            optimizer: &o.label,
            parameters: mlp.split(p.as_slice()),
        })
        .collect();
    serde_json::to_writer(&mut *out, &all)?;
    writeln!(out)
}
