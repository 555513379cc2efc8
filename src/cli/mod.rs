//! The `descent` command line: one file per command (`run` a race headlessly, `list` what
//! exists, `render` a scene, print `data`, `gradcheck` a surface or a network, `train` a network, `map` many runs, `tune` the
//! lr), [`common`] for what they share. This file parses and dispatches; nothing imports it.

pub mod common;
pub mod data;
pub mod gradcheck;
pub mod landscape;
pub mod list;
pub mod map;
pub mod render;
pub mod run;
pub mod train;
pub mod tune;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use common::{Failure, OutputFormat, RaceFlags};

/// See how optimizers behave on 2D loss surfaces. Without a command, opens the app.
#[derive(Debug, Parser)]
#[command(
    name = "descent",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A scene file (.ron) for the app to open, or a lecture file (a title and scene files,
    /// stepped through with PageDown / PageUp).
    #[arg(value_name = "SCENE.ron")]
    pub scene: Option<PathBuf>,
    /// Open the window, play --frames frames, save a screenshot of the window here and exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Frames to play before the screenshot.
    #[arg(long, default_value_t = 60, value_name = "N", requires = "screenshot")]
    pub frames: u64,
    /// The window's size in points, e.g. 1920x1080 (default 1280x720, a projector's).
    #[arg(long, value_name = "WxH", value_parser = parse_window_size)]
    pub size: Option<[f32; 2]>,
}

/// `WxH` with each side a whole number of points in 320 ..= 7680.
fn parse_window_size(text: &str) -> Result<[f32; 2], String> {
    let bad = || {
        format!("'{text}' is not a window size: give WxH, each side 320 ..= 7680, e.g. 1920x1080")
    };
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (320..=7680).contains(v))
            .map(|v| v as f32)
            .ok_or_else(bad)
    };
    Ok([side(w)?, side(h)?])
}

/// What the app is asked to do (see [`main`]).
#[derive(Debug)]
pub struct AppRequest {
    pub scene: Option<crate::scene::Scene>,
    /// The lecture `scene` is the first scene of, when a lecture file was given.
    pub lecture: Option<crate::lecture::Lecture>,
    /// Save a screenshot to this file after this many frames, then exit.
    pub screenshot: Option<(PathBuf, u64)>,
    /// The window's first size in points (`None`: the design size).
    pub size: Option<[f32; 2]>,
}

/// Opens the app; `Err` is a one-line reason.
pub type OpenApp = fn(AppRequest) -> Result<(), String>;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Race optimizers on a surface and print every step as CSV or JSON.
    Run(run::RunArgs),
    /// List the surfaces, optimizers, schedules, datasets, network models or initializations
    /// with their parameters and defaults.
    List(list::ListArgs),
    /// Draw a scene without a window: a PNG of the finished race, or a GIF of it growing.
    Render(render::RenderArgs),
    /// Print a dataset's points (a generator spec, FILE.csv, or points:…) as CSV or JSON.
    Data(data::DataArgs),
    /// Compare finite differences with the exact gradient at a point (or of a network at its
    /// initialization, with --model), for h = 1e-1 … 1e-12.
    Gradcheck(gradcheck::GradcheckArgs),
    /// Train a network (an MLP over a dataset) with several optimizers side by side, as torch
    /// trains it, and print every step's loss, accuracy and gradient norm.
    Train(train::TrainArgs),
    /// Train, then slice the loss on a plane every racer shares (PCA of all paths, random
    /// filter-normalized, or init→final line), with each path projected and its distance off
    /// the plane, as JSON, CSV or a PNG.
    Landscape(landscape::LandscapeArgs),
    /// Maps over many runs: basins of attraction, a phase diagram over two hyperparameters,
    /// or a noise cloud, as a PNG, CSV or JSON.
    Map(map::MapArgs),
    /// For each racer, the lr that reaches the tolerance in the fewest steps.
    Tune(tune::TuneArgs),
}

/// Parse the command line and run it; errors print one line on stderr. Without a command
/// the app opens through `open_app` (`None` in a build without the `gui` feature).
pub fn main(open_app: Option<OpenApp>) -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let rendered = e.render().to_string();
            // clap's message in one line: its first line, and the next one when the first
            // only announces a list ("…were not provided:").
            let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or("bad arguments");
            let message = match (first.ends_with(':'), lines.next()) {
                (true, Some(what)) => format!("{first} {what}"),
                _ => first.to_string(),
            };
            eprintln!("{message} (see 'descent --help')");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Some(Command::Run(args)) => run::run(&args),
        Some(Command::List(args)) => list::list(&args),
        Some(Command::Render(args)) => render::render(&args),
        Some(Command::Data(args)) => data::data(&args),
        Some(Command::Gradcheck(args)) => gradcheck::gradcheck(&args),
        Some(Command::Map(args)) => map::map(&args),
        Some(Command::Tune(args)) => tune::tune(&args),
        Some(Command::Train(args)) => train::train(&args),
        Some(Command::Landscape(args)) => landscape::landscape(&args),
        None => open(&cli, open_app),
    };
    match result {
        Ok(()) | Err(Failure::Closed) => ExitCode::SUCCESS,
        Err(Failure::Input(message) | Failure::Output(message) | Failure::App(message)) => {
            eprintln!("error: {}", crate::spec::one_line(&message));
            ExitCode::from(2)
        }
    }
}

fn open(cli: &Cli, open_app: Option<OpenApp>) -> Result<(), Failure> {
    let Some(open_app) = open_app else {
        return Err(Failure::App(
            "this build has no app (built without the 'gui' feature): use 'descent run' or \
             'descent list' (see 'descent --help')"
                .into(),
        ));
    };
    let (scene, lecture) = match cli.scene.as_deref().map(crate::lecture::open) {
        None => (None, None),
        Some(opened) => match opened? {
            crate::lecture::Opened::Scene(scene) => (Some(*scene), None),
            crate::lecture::Opened::Lecture(lecture, first) => (Some(*first), Some(lecture)),
        },
    };
    let screenshot = cli.screenshot.clone().map(|path| (path, cli.frames));
    let request = AppRequest {
        scene,
        lecture,
        screenshot,
        size: cli.size,
    };
    open_app(request).map_err(Failure::App)
}
