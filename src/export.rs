//! Trajectories as rows: the CSV and JSON that `descent run` prints and the app's trajectory
//! export writes. A core module, so the app need not import the command line.

use std::io::{self, Write};

use serde::Serialize;

use crate::race::{Race, Record};

/// How rows of records are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Which rows to write.
#[derive(Clone, Copy, Debug, Default)]
pub struct Keep {
    /// Every K-th step (and each run's last); `None` for every step.
    pub every: Option<u64>,
    /// Only each run's last row.
    pub final_only: bool,
}

/// A record with its optimizer's label, as written out.
#[derive(Serialize)]
struct Row<'a> {
    optimizer: &'a str,
    #[serde(flatten)]
    record: &'a Record,
}

/// The CSV header, fixed.
pub const CSV_HEADER: &str = "optimizer,step,x,y,loss,grad_norm,lr,evals,status";
/// The columns a race on a data surface adds after [`CSV_HEADER`]'s.
pub const CSV_DATA_COLUMNS: &str = ",epoch,samples";

/// Write a race's records as `descent run` does (the app's trajectory export uses it too).
pub fn write_race(race: &Race, format: Format, keep: Keep, out: &mut dyn Write) -> io::Result<()> {
    let labels: Vec<&str> = race.optimizers.iter().map(|o| o.label.as_str()).collect();
    let mut writer = RowWriter::new(format, race.landscape.data.is_some(), out)?;
    if keep.final_only {
        // Only the last records: the monomorphized engine steps each run to its end, with
        // the single-run core's outcome bit for bit (tests/engine.rs) at a fraction of the cost.
        for (i, label) in labels.iter().enumerate() {
            let outcome = crate::engine::run_single(race, i, 0.0);
            writer.write(label, &outcome.last)?;
        }
    } else {
        for record in race.records() {
            let is_last = record.step == race.steps || record.status.is_terminal();
            if keep.every.is_none_or(|k| record.step % k == 0) || is_last {
                writer.write(labels[record.run], &record)?;
            }
        }
    }
    writer.finish()
}

struct RowWriter<'a> {
    format: Format,
    out: &'a mut dyn Write,
    rows: u64,
}

impl<'a> RowWriter<'a> {
    fn new(format: Format, data: bool, out: &'a mut dyn Write) -> io::Result<Self> {
        match format {
            Format::Csv if data => writeln!(out, "{CSV_HEADER}{CSV_DATA_COLUMNS}")?,
            Format::Csv => writeln!(out, "{CSV_HEADER}")?,
            Format::Json => write!(out, "[")?,
        }
        Ok(Self {
            format,
            out,
            rows: 0,
        })
    }

    fn write(&mut self, label: &str, r: &Record) -> io::Result<()> {
        match self.format {
            // Floats in Rust's shortest round-trip form: they read back exactly.
            Format::Csv => write!(
                self.out,
                "{},{},{:?},{:?},{:?},{:?},{:?},{},{}",
                csv_field(label),
                r.step,
                r.x,
                r.y,
                r.loss,
                r.grad_norm,
                r.lr,
                r.evals,
                r.status
            )
            .and_then(|()| match r.data {
                Some(d) => writeln!(self.out, ",{:?},{}", d.epoch, d.samples),
                None => writeln!(self.out),
            })?,
            Format::Json => {
                let sep = if self.rows == 0 { "\n" } else { ",\n" };
                write!(self.out, "{sep}")?;
                serde_json::to_writer(
                    &mut *self.out,
                    &Row {
                        optimizer: label,
                        record: r,
                    },
                )?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(self) -> io::Result<()> {
        if self.format == Format::Json {
            writeln!(self.out, "\n]")?;
        }
        Ok(())
    }
}

/// Quote a CSV field when it holds a comma, a quote or a line break (RFC 4180).
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
