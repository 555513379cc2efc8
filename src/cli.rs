//! The `descent` command line: `run` a race headlessly, `list` what exists.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::atomic::write_atomically;
use crate::export::csv_field;
// The app imports these from here until it is switched to `crate::export`.
pub use crate::export::{Format, Keep, write_race};
use crate::landscape::Landscape;
use crate::optim::OPTIMIZERS;
use crate::race::{Race, RaceSpec};
use crate::schedule::SCHEDULES;
use crate::spec::{Param, SpecError, parse_point};
use crate::surface::{CATALOG, SurfaceEntry};

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
    /// A scene file (.ron) for the app to open.
    #[arg(value_name = "SCENE.ron")]
    pub scene: Option<PathBuf>,
    /// Open the window, play --frames frames, save a screenshot of the window here and exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Frames to play before the screenshot.
    #[arg(long, default_value_t = 60, value_name = "N", requires = "screenshot")]
    pub frames: u64,
}

/// What the app is asked to do (see [`main`]).
#[derive(Debug)]
pub struct AppRequest {
    pub scene: Option<crate::scene::Scene>,
    /// Save a screenshot to this file after this many frames, then exit.
    pub screenshot: Option<(PathBuf, u64)>,
}

/// Opens the app; `Err` is a one-line reason.
pub type OpenApp = fn(AppRequest) -> Result<(), String>;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Race optimizers on a surface and print every step as CSV or JSON.
    Run(RunArgs),
    /// List the surfaces, optimizers or schedules with their parameters and defaults.
    List(ListArgs),
    /// Draw a scene without a window: a PNG of the finished race, or a GIF of it growing.
    Render(RenderArgs),
    /// Print a dataset's points (a generator spec, FILE.csv, or points:…) as CSV or JSON.
    Data(DataArgs),
    /// Compare finite differences with the exact gradient at a point, for h = 1e-1 … 1e-12.
    Gradcheck(GradcheckArgs),
    /// Maps over many runs: basins of attraction, a phase diagram over two hyperparameters,
    /// or a noise cloud, as a PNG, CSV or JSON.
    Map(crate::cli_maps::MapArgs),
    /// For each racer, the lr that reaches the tolerance in the fewest steps.
    Tune(crate::cli_maps::TuneArgs),
}

#[derive(Debug, ClapArgs)]
pub struct DataArgs {
    /// Dataset spec: NAME:key=value,… (see 'descent list datasets'), FILE.csv or points:X,Y;…
    #[arg(value_name = "SPEC")]
    pub spec: String,
    #[arg(long, value_enum, default_value_t = DataFormat::Csv)]
    pub format: DataFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Csv,
    Json,
}

#[derive(Debug, ClapArgs)]
pub struct GradcheckArgs {
    /// Surface spec, as for 'descent run'.
    #[arg(long, default_value = "rosenbrock")]
    pub surface: String,
    /// Dataset of a model surface (linear-regression, linear-classifier).
    #[arg(long, value_name = "SPEC")]
    pub data: Option<String>,
    /// The point X,Y.
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true)]
    pub at: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, ClapArgs)]
pub struct RenderArgs {
    /// The scene file (.ron).
    #[arg(value_name = "SCENE.ron")]
    pub scene: PathBuf,
    /// The picture to write: FILE.png or FILE.gif (written atomically).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Picture size in pixels.
    #[arg(long, default_value = "800x600", value_name = "WxH")]
    pub size: String,
    /// Updates to run instead of the scene's own number.
    #[arg(long, value_name = "N")]
    pub steps: Option<u64>,
    /// At most this many GIF frames per second (the race plays at the scene's speed).
    #[arg(long, default_value_t = 20.0, value_name = "F")]
    pub fps: f64,
}

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

#[derive(Debug, ClapArgs)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum, value_name = "surfaces|optimizers|schedules|datasets")]
    pub what: ListWhat,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// What `--format` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
    /// A fixed-width table (--summary only).
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    Surfaces,
    Optimizers,
    Schedules,
    Datasets,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// What went wrong, and the exit code it gets.
#[derive(Debug)]
pub enum Failure {
    /// Bad input (a spec, a value, a path): exit 2.
    Input(String),
    /// The reader of our output went away (e.g. `| head`): not an error.
    Closed,
}

impl From<SpecError> for Failure {
    fn from(e: SpecError) -> Self {
        Failure::Input(e.0)
    }
}

fn output_error(target: &str, e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::Closed
    } else {
        Failure::Input(format!("cannot write {target}: {e}"))
    }
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
        Some(Command::Run(args)) => run(&args),
        Some(Command::List(args)) => list(&args),
        Some(Command::Render(args)) => render(&args),
        Some(Command::Data(args)) => data(&args),
        Some(Command::Gradcheck(args)) => gradcheck(&args),
        Some(Command::Map(args)) => crate::cli_maps::map(&args),
        Some(Command::Tune(args)) => crate::cli_maps::tune(&args),
        None => open(&cli, open_app),
    };
    match result {
        Ok(()) | Err(Failure::Closed) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("error: {}", crate::spec::one_line(&message));
            ExitCode::from(2)
        }
    }
}

fn data(args: &DataArgs) -> Result<(), Failure> {
    let data = crate::data::Dataset::parse(&args.spec)?;
    let text = match args.format {
        DataFormat::Csv => crate::data::output::points_csv(&data),
        DataFormat::Json => crate::data::output::points_json(&data),
    };
    emit(None, |out| out.write_all(text.as_bytes()))
}

fn gradcheck(args: &GradcheckArgs) -> Result<(), Failure> {
    use crate::data::output::{gradcheck_csv, gradcheck_json, gradcheck_text};
    let landscape = Landscape::parse_with_data(&args.surface, args.data.as_deref())?;
    let [x, y] = parse_point(&args.at)?;
    let check = crate::data::gradcheck::check(landscape.surface.as_ref(), crate::P2::new(x, y));
    let text = match args.format {
        OutputFormat::Text => gradcheck_text(&check),
        OutputFormat::Csv => gradcheck_csv(&check),
        OutputFormat::Json => gradcheck_json(&check),
    };
    emit(None, |out| out.write_all(text.as_bytes()))
}

fn render(args: &RenderArgs) -> Result<(), Failure> {
    use crate::render::{MAX_GIF_FPS, Renderer, parse_size, rgba_of, write_gif, write_png};
    let size = parse_size(&args.size)?;
    if !(args.fps.is_finite() && (1.0..=MAX_GIF_FPS).contains(&args.fps)) {
        return Err(Failure::Input(format!(
            "--fps must be in 1 ..= {MAX_GIF_FPS} (GIF delays are whole hundredths of a \
             second, and browsers slow shorter ones down), got {}",
            args.fps
        )));
    }
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let gif = match extension.as_deref() {
        Some("png") => false,
        Some("gif") => true,
        _ => {
            return Err(Failure::Input(format!(
                "--out {}: the file name must end in .png or .gif",
                args.out.display()
            )));
        }
    };
    let scene = crate::scene::Scene::load(&args.scene)?;
    let renderer = Renderer::new(&scene, size, args.steps)?;
    let target = args.out.display().to_string();
    let written = if gif {
        let frames = renderer.gif_frames(scene.speed, args.fps);
        write_atomically(&args.out, |out| {
            write_gif(&renderer, &frames, out).map(drop)
        })
    } else {
        let rgba = rgba_of(&renderer.frame(renderer.steps()));
        write_atomically(&args.out, |out| write_png(&rgba, size, out))
    };
    written.map_err(|e| output_error(&target, e))
}

fn open(cli: &Cli, open_app: Option<OpenApp>) -> Result<(), Failure> {
    let Some(open_app) = open_app else {
        return Err(Failure::Input(
            "this build has no app (built without the 'gui' feature): use 'descent run' or \
             'descent list' (see 'descent --help')"
                .into(),
        ));
    };
    let scene = cli
        .scene
        .as_deref()
        .map(crate::scene::Scene::load)
        .transpose()?;
    let screenshot = cli.screenshot.clone().map(|path| (path, cli.frames));
    open_app(AppRequest { scene, screenshot }).map_err(Failure::Input)
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
        if scene.racers.is_empty() {
            return Err(crate::spec::spec_err!(
                "no optimizer given (e.g. --optimizer adam:lr=0.01; see 'descent list optimizers')"
            ));
        }
        scene.check().map_err(|(_, e)| e)?;
        Ok(scene)
    }
}

fn run(args: &RunArgs) -> Result<(), Failure> {
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
    let format = match args.format {
        None | Some(OutputFormat::Csv) => Format::Csv,
        Some(OutputFormat::Json) => Format::Json,
        Some(OutputFormat::Text) => {
            return Err(Failure::Input(
                "--format text is for --summary; rows are csv or json".into(),
            ));
        }
    };
    let keep = Keep {
        every: args.every,
        final_only: args.final_only,
    };
    emit(args.out.as_deref(), |out| {
        write_race(&race, format, keep, out)
    })
}

/// Write to standard output, or atomically to `path`.
fn emit(
    path: Option<&std::path::Path>,
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

fn list(args: &ListArgs) -> Result<(), Failure> {
    let text = match args.format {
        ListFormat::Text => list_text(args.what)?,
        ListFormat::Json => list_json(args.what)?,
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .map_err(|e| output_error("standard output", e))
}

#[derive(Serialize)]
struct ParamInfo {
    name: &'static str,
    default: String,
    accepted: String,
    doc: &'static str,
}

fn params_info(params: &[Param]) -> Vec<ParamInfo> {
    params
        .iter()
        .map(|p| ParamInfo {
            name: p.name,
            default: p.default_text(),
            accepted: p.accepted_text(),
            doc: p.doc,
        })
        .collect()
}

fn params_text(params: &[Param]) -> String {
    params
        .iter()
        .map(|p| {
            format!(
                "    {:<26} {} [{}]\n",
                format!("{} = {}", p.name, p.default_text()),
                p.doc,
                p.accepted_text()
            )
        })
        .collect()
}

/// Each catalogue surface built with its defaults.
fn default_landscapes() -> Result<Vec<(&'static SurfaceEntry, Landscape)>, SpecError> {
    CATALOG
        .iter()
        .map(|e| Ok((e, Landscape::parse(e.name)?)))
        .collect()
}

fn list_text(what: ListWhat) -> Result<String, Failure> {
    let mut s = String::new();
    match what {
        ListWhat::Datasets => s = crate::data::output::list_text(),
        ListWhat::Surfaces => {
            for (entry, land) in default_landscapes()? {
                let v = land.view;
                s += &format!(
                    "{}: {}\n{}",
                    entry.name,
                    entry.formula,
                    params_text(entry.params)
                );
                s += &format!(
                    "    view x ∈ [{}, {}], y ∈ [{}, {}]; start ({}, {})\n",
                    v.x[0], v.x[1], v.y[0], v.y[1], land.start.x, land.start.y
                );
                for (i, c) in land.critical.iter().enumerate() {
                    // #i: the index `descent map basins` reports as a run's outcome.
                    s += &format!(
                        "    #{i} {} at ({:.6}, {:.6}), f = {:.6}\n",
                        c.kind, c.x, c.y, c.f
                    );
                }
            }
            s += "expr:FORMULA: any formula in x and y with + - * / ^ ( ), numbers, pi, e, \
                  sin cos tan exp log sqrt abs tanh\n";
            s += "Any surface +l2=λ, +l1=λ or +elastic=λ,ratio=r adds a regularization term.\n";
            s += &crate::landscape::data::models_text()?;
        }
        ListWhat::Optimizers => {
            for e in OPTIMIZERS {
                s += &format!("{}: {}\n{}", e.name, e.rule, params_text(e.params));
            }
        }
        ListWhat::Schedules => {
            for e in SCHEDULES {
                s += &format!("{}: {}\n{}", e.name, e.formula, params_text(e.params));
            }
        }
    }
    Ok(s)
}

fn list_json(what: ListWhat) -> Result<String, Failure> {
    if what == ListWhat::Datasets {
        return Ok(crate::data::output::list_json());
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        name: &'static str,
        formula: &'static str,
        params: Vec<ParamInfo>,
        #[serde(skip_serializing_if = "Option::is_none")]
        view: Option<crate::surface::Bounds>,
        #[serde(skip_serializing_if = "Option::is_none")]
        start: Option<[f64; 2]>,
        #[serde(skip_serializing_if = "Option::is_none")]
        critical: Option<&'a [crate::surface::Critical]>,
    }
    let landscapes = default_landscapes()?;
    let entries: Vec<Entry> = match what {
        ListWhat::Surfaces => landscapes
            .iter()
            .map(|(entry, land)| Entry {
                name: entry.name,
                formula: entry.formula,
                params: params_info(entry.params),
                view: Some(land.view),
                start: Some([land.start.x, land.start.y]),
                critical: Some(&land.critical),
            })
            .collect(),
        ListWhat::Optimizers => OPTIMIZERS
            .iter()
            .map(|e| Entry {
                name: e.name,
                formula: e.rule,
                params: params_info(e.params),
                view: None,
                start: None,
                critical: None,
            })
            .collect(),
        ListWhat::Schedules => SCHEDULES
            .iter()
            .map(|e| Entry {
                name: e.name,
                formula: e.formula,
                params: params_info(e.params),
                view: None,
                start: None,
                critical: None,
            })
            .collect(),
        ListWhat::Datasets => Vec::new(),
    };
    let mut text = serde_json::to_string_pretty(&entries)
        .map_err(|e| Failure::Input(format!("cannot encode the list: {e}")))?;
    text.push('\n');
    Ok(text)
}
