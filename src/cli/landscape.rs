//! `descent landscape`: train (as `descent train` does), then slice the loss on a plane
//! shared by every racer — PCA of all paths, a random filter-normalized plane, or the line
//! from a racer's init to its final point — and write it as JSON, CSV or a PNG.

use std::path::PathBuf;

use clap::{Args as ClapArgs, ValueEnum};

use super::common::{Failure, output_error};
use super::train::TrainFlags;
use crate::atomic::write_atomically;
use crate::race::check_racer_count;
use crate::render::slice::slice_picture;
use crate::render::{parse_size, rgba_of, write_png};
use crate::scene::Scene;
use crate::slice::PlaneKind;
use crate::train::TrainSpec;
use crate::train::slice::{SliceSpec, slice};
use crate::train::slice_output::{write_slice_csv, write_slice_json};

/// What `--plane` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlaneChoice {
    /// The first two principal directions of every racer's path together.
    Pca,
    /// Two random filter-normalized directions through a racer's final point.
    Random,
    /// The line from a racer's init to its final point.
    Line,
}

#[derive(Debug, ClapArgs)]
pub struct LandscapeArgs {
    /// A network scene file (.ron) instead of the training flags (--model … --test); its
    /// plane and racer are the default of --plane and --racer.
    #[arg(value_name = "SCENE.ron")]
    pub scene: Option<PathBuf>,
    /// The plane: pca (of all paths, shared by every racer; the default), random
    /// (filter-normalized, through --racer's final point) or line (--racer's init to its
    /// final point).
    #[arg(long, value_enum)]
    pub plane: Option<PlaneChoice>,
    #[command(flatten)]
    pub training: TrainFlags,
    /// The racer (0-based, in --optimizer order; default 0) of a random plane or a line.
    #[arg(long, value_name = "I")]
    pub racer: Option<usize>,
    /// Grid values per side (2 ..= 257).
    #[arg(long, default_value_t = 65, value_name = "N")]
    pub grid: usize,
    /// The plane's half-width S: a, b ∈ [−S, S] around its origin (a line: a ∈ [−S, 1 + S]).
    /// Default: the paths with a margin (a line: [−0.5, 1.5]).
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub span: Option<f64>,
    /// FILE.json (the plane, the grid and the paths), FILE.csv (the grid's cells) or
    /// FILE.png (the slice as a contour map with the paths), written atomically.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Picture size for a PNG, WxH.
    #[arg(long, default_value = "1280x720", value_name = "WxH")]
    pub size: String,
}

/// What the output file asks for.
enum Output {
    Json,
    Csv,
    Png([u32; 2]),
}

/// What the output file's name asks for, its picture size checked.
fn output_of(args: &LandscapeArgs) -> Result<Output, Failure> {
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    Ok(match extension.as_deref() {
        Some("json") => Output::Json,
        Some("csv") => Output::Csv,
        Some("png") => Output::Png(parse_size(&args.size)?),
        _ => {
            return Err(Failure::Input(format!(
                "--out {}: the file name must end in .json, .csv or .png",
                args.out.display()
            )));
        }
    })
}

/// The aspect ratio a PNG asks the default span to have.
fn aspect_of(output: &Output) -> Option<f64> {
    match output {
        Output::Png([w, h]) => Some(f64::from(*w) / f64::from(*h)),
        _ => None,
    }
}

fn plane_kind(choice: PlaneChoice) -> PlaneKind {
    match choice {
        PlaneChoice::Pca => PlaneKind::Pca,
        PlaneChoice::Random => PlaneKind::Random,
        PlaneChoice::Line => PlaneKind::Line,
    }
}

/// The training and the slice: from the scene file, or from the flags. The slice's own
/// mistakes are found before any training.
fn specs_of(args: &LandscapeArgs, output: &Output) -> Result<(TrainSpec, SliceSpec), Failure> {
    let Some(path) = &args.scene else {
        let spec = SliceSpec {
            plane: plane_kind(args.plane.unwrap_or(PlaneChoice::Pca)),
            racer: args.racer.unwrap_or(0),
            grid: args.grid,
            span: args.span,
            seed: args.training.seed,
            aspect: aspect_of(output),
        };
        let training = args.training.spec()?;
        let racers = training.optimizers.len();
        check_racer_count(racers)?;
        spec.check(racers)?;
        return Ok((training, spec));
    };
    if args.training.any_given() {
        return Err(Failure::Input(format!(
            "{}: a scene file replaces the training flags (--model … --test): give one or \
             the other",
            path.display()
        )));
    }
    let scene = Scene::load(path)?;
    if !scene.is_network() {
        return Err(Failure::Input(format!(
            "{}: surface '{}' is not a network model (mlp:…): 'descent landscape' slices a \
             network's training; 'descent render' draws a race in the plane",
            path.display(),
            scene.surface
        )));
    }
    let (training, _) = scene.train_spec()?;
    let mut spec = scene.slice_spec(args.grid, aspect_of(output))?;
    spec.span = args.span;
    if let Some(plane) = args.plane {
        spec.plane = plane_kind(plane);
    }
    if let Some(racer) = args.racer {
        spec.racer = racer;
    }
    spec.check(training.optimizers.len())?;
    Ok((training, spec))
}

pub fn landscape(args: &LandscapeArgs) -> Result<(), Failure> {
    let output = output_of(args)?;
    let (training, spec) = specs_of(args, &output)?;
    if matches!(output, Output::Png(_)) && spec.plane == PlaneKind::Line {
        return Err(Failure::Input(
            "a line slice has no map to draw: write it to FILE.json or FILE.csv".into(),
        ));
    }
    let training = training.build()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let slice = slice(&training, &spec, threads)?;
    let target = args.out.display().to_string();
    let written = match output {
        Output::Json => write_atomically(&args.out, |out| write_slice_json(&training, &slice, out)),
        Output::Csv => write_atomically(&args.out, |out| write_slice_csv(&slice, out)),
        Output::Png(size) => {
            let renderer = slice_picture(&slice, size, 24)?;
            let rgba = rgba_of(&renderer.frame(renderer.steps()));
            write_atomically(&args.out, |out| write_png(&rgba, size, out))
        }
    };
    written.map_err(|e| output_error(&target, e))
}
