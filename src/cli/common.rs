//! What every command shares: the race flags ([`RaceFlags`]), how a command fails
//! ([`Failure`], with its exit code) and where its output goes ([`emit`]).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, ValueEnum};

use crate::atomic::write_atomically;
use crate::race::{RaceSpec, check_racer_count};
use crate::spec::{SpecError, parse_point};

/// The race a command runs: a scene file, or the flags that make one (shared by `run`,
/// `map` and `tune`).
#[derive(Debug, ClapArgs)]
pub struct RaceFlags {
    /// A scene file (.ron) instead of the race flags below (--surface … --no-shuffle).
    #[arg(
        value_name = "SCENE.ron",
        conflicts_with_all = ["surface", "optimizers", "start", "steps", "noise", "seed", "schedule", "data", "batch", "no_shuffle"]
    )]
    pub scene: Option<PathBuf>,
    /// Surface spec: NAME, NAME:key=value,…, or expr:FORMULA, optionally +l2=λ, +l1=λ or
    /// +elastic=λ,ratio=r (e.g. quadratic:kappa=50,angle=30).
    #[arg(long, default_value = "rosenbrock")]
    pub surface: String,
    /// Optimizer spec NAME or NAME:key=value,… (e.g. adam:lr=0.01,beta1=0.8); repeat to race several.
    #[arg(long = "optimizer", short = 'o', value_name = "SPEC")]
    pub optimizers: Vec<String>,
    /// Start point X,Y (default: the surface's own).
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true)]
    pub start: Option<String>,
    /// Number of updates; rows are steps 0 ..= N.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub steps: u64,
    /// Standard deviation σ of the gradient noise.
    #[arg(
        long,
        default_value_t = 0.0,
        value_name = "SIGMA",
        allow_negative_numbers = true
    )]
    pub noise: f64,
    /// Seed of the noise (the same seed gives the same output, bit for bit).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Learning-rate schedule spec (e.g. cosine:t_max=200, warmup:steps=10+exp:gamma=0.99).
    #[arg(long, default_value = "constant", value_name = "SPEC")]
    pub schedule: String,
    /// Dataset of a model surface: NAME:key=value,… (see 'descent list datasets'), FILE.csv
    /// or points:X,Y;… (e.g. --surface linear-regression:loss=huber --data outliers).
    #[arg(long, value_name = "SPEC")]
    pub data: Option<String>,
    /// Minibatch size for every racer whose spec has no batch=B (default: full batch).
    #[arg(long, value_name = "B")]
    pub batch: Option<u64>,
    /// Take the points in file order every epoch instead of a seeded permutation.
    #[arg(long)]
    pub no_shuffle: bool,
}

impl RaceFlags {
    /// The race these flags (or the scene file) describe.
    pub fn race_spec(&self) -> Result<RaceSpec, SpecError> {
        if let Some(path) = &self.scene {
            // Rows stream, so the scene's memory budget for kept records does not apply.
            return crate::scene::Scene::load_streamed(path)?
                .race_spec()
                .map(|(spec, _)| spec);
        }
        let start = self.start.as_deref().map(parse_point).transpose()?;
        Ok(RaceSpec {
            surface: self.surface.clone(),
            start,
            optimizers: self.optimizers.clone(),
            schedule: self.schedule.clone(),
            schedules: Vec::new(),
            noise: self.noise,
            seed: self.seed,
            steps: self.steps,
            data: self.data.clone(),
            batch: self.batch,
            shuffle: !self.no_shuffle,
        })
    }

    /// The scene these flags describe: read from the file (its memory budget checked), or
    /// made from the flags and checked as a scene file would be.
    pub fn scene(&self) -> Result<crate::scene::Scene, SpecError> {
        use crate::scene::{Racer, Scene};
        if let Some(path) = &self.scene {
            return Scene::load(path);
        }
        let scene = Scene {
            title: String::new(),
            description: String::new(),
            surface: self.surface.clone(),
            start: self.start.as_deref().map(parse_point).transpose()?,
            racers: self.optimizers.iter().map(|o| Racer::new(o)).collect(),
            schedule: self.schedule.clone(),
            noise: self.noise,
            seed: self.seed,
            steps: self.steps,
            data: self.data.clone(),
            batch: self.batch,
            shuffle: !self.no_shuffle,
            ..Scene::default()
        };
        // Before the scene's checks, so the flags' own mistake is reported first.
        check_racer_count(scene.racers.len())?;
        scene.check().map_err(|(_, e)| e)?;
        Ok(scene)
    }
}

/// What `--format` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
    /// A fixed-width table (gradcheck's default; run and train with --summary only).
    Text,
}

/// The rows' format `--format` asks for: csv (the default) or json; text is only for a
/// summary.
pub fn row_format(format: Option<OutputFormat>) -> Result<crate::export::Format, Failure> {
    use crate::export::Format;
    match format {
        None | Some(OutputFormat::Csv) => Ok(Format::Csv),
        Some(OutputFormat::Json) => Ok(Format::Json),
        Some(OutputFormat::Text) => Err(Failure::Input(
            "--format text is for --summary; rows are csv or json".into(),
        )),
    }
}

/// What went wrong, and the exit code it gets.
#[derive(Debug)]
pub enum Failure {
    /// Bad input (a spec, a value, a path, a flag): exit 2.
    Input(String),
    /// The output could not be made or written (a file, standard output, an encoding, a
    /// cancelled computation): exit 2.
    Output(String),
    /// The app could not open or failed (its one-line reason): exit 2.
    App(String),
    /// The reader of our output went away (e.g. `| head`): not an error.
    Closed,
}

impl From<SpecError> for Failure {
    fn from(e: SpecError) -> Self {
        Failure::Input(e.0)
    }
}

/// A failed write to `target`: [`Failure::Closed`] when the reader went away.
pub fn output_error(target: &str, e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::Closed
    } else {
        Failure::Output(format!("cannot write {target}: {e}"))
    }
}

/// Write to standard output, or atomically to `path`.
pub fn emit(
    path: Option<&Path>,
    write: impl Fn(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            write(&mut out)
                .and_then(|()| out.flush())
                .map_err(|e| output_error("standard output", e))
        }
        Some(path) => write_atomically(path, |out| write(out))
            .map_err(|e| output_error(&path.display().to_string(), e)),
    }
}
