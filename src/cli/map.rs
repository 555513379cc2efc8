//! `descent map basins|phase|cloud`: the maps over many runs without a window (see
//! [`crate::engine`]).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, ValueEnum};

use super::common::{Failure, RaceFlags};
use crate::atomic::write_atomically;
use crate::engine::cloud::Cloud;
use crate::engine::{Ending, MapKind, MapResult, MapSettings, Progress, default_threads};
use crate::export::csv_field;
use crate::render::maps::phase_picture;
use crate::render::{Renderer, parse_size, rgba_of, write_png};
use crate::scene::Scene;
use crate::spec::SpecError;
use crate::style::{basin_hue, basin_rgba};

/// Which map `descent map` draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MapWhat {
    Basins,
    Phase,
    Cloud,
}

/// The race a map or a tuning runs: a scene file, or the flags of `descent run`.
#[derive(Debug, ClapArgs)]
pub struct MapArgs {
    /// basins: where each start ends; phase: steps to tolerance over two hyperparameters;
    /// cloud: K seeded copies of every racer under noise.
    #[arg(value_enum)]
    pub what: MapWhat,
    #[command(flatten)]
    pub race: RaceFlags,
    /// The racer mapped (basins, phase): its index among the enabled racers.
    #[arg(long, value_name = "I")]
    pub racer: Option<usize>,
    /// Cells per side (basins, phase).
    #[arg(long, value_name = "N")]
    pub grid: Option<usize>,
    /// The phase diagram's x axis: NAME:MIN:MAX[:log] (default lr on a log axis).
    #[arg(long, value_name = "NAME:MIN:MAX[:log]")]
    pub x: Option<String>,
    /// The phase diagram's y axis (default momentum, or beta1 for Adam-like methods).
    #[arg(long, value_name = "NAME:MIN:MAX[:log]")]
    pub y: Option<String>,
    /// The cloud's copies K.
    #[arg(long, value_name = "K")]
    pub copies: Option<usize>,
    /// Tolerance of "steps to ‖∇f‖ < tol".
    #[arg(long, value_name = "TOL", allow_negative_numbers = true)]
    pub tol: Option<f64>,
    /// FILE.png (a picture with a colour key), FILE.csv (one row per cell or copy) or
    /// FILE.json; written atomically.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Picture size in pixels (PNG).
    #[arg(long, default_value = "1280x720", value_name = "WxH")]
    pub size: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum OutKind {
    Png,
    Csv,
    Json,
}

fn out_kind(path: &Path) -> Result<OutKind, Failure> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png") => Ok(OutKind::Png),
        Some("csv") => Ok(OutKind::Csv),
        Some("json") => Ok(OutKind::Json),
        _ => Err(Failure::Input(format!(
            "--out {}: the file name must end in .png, .csv or .json",
            path.display()
        ))),
    }
}

/// The settings: the scene's own map settings when they are of this kind, then the flags.
fn settings(args: &MapArgs, scene: &Scene) -> MapSettings {
    let kind = match args.what {
        MapWhat::Basins => MapKind::Basins,
        MapWhat::Phase => MapKind::Phase,
        MapWhat::Cloud => MapKind::Cloud,
    };
    let mut s = scene
        .map
        .clone()
        .filter(|m| m.kind == kind)
        .unwrap_or(MapSettings {
            kind,
            ..MapSettings::default()
        });
    if let Some(r) = args.racer {
        s.racer = r;
    }
    if let Some(g) = args.grid {
        s.grid = g;
    }
    if args.x.is_some() {
        s.x.clone_from(&args.x);
    }
    if args.y.is_some() {
        s.y.clone_from(&args.y);
    }
    if let Some(k) = args.copies {
        s.copies = k;
    }
    if let Some(t) = args.tol {
        s.tol = t;
    }
    s
}

/// `descent map`.
pub fn map(args: &MapArgs) -> Result<(), Failure> {
    let kind = out_kind(&args.out)?;
    let size = parse_size(&args.size)?;
    let scene = args.race.scene()?;
    let settings = settings(args, &scene);
    let (spec, _) = scene.race_spec()?;
    let race = spec.build()?;
    settings.check(&race)?;
    // A picture's view is the scene's widened to the picture; a table's the scene's own.
    let mut renderer = match kind {
        OutKind::Png if settings.kind != MapKind::Phase => Some(Renderer::new(&scene, size, None)?),
        _ => None,
    };
    let view = renderer
        .as_ref()
        .map_or_else(|| scene.view.unwrap_or(race.landscape.view), Renderer::view);
    let progress = Progress::new();
    let result = settings
        .compute(&race, view, default_threads(), &progress)?
        .ok_or_else(|| Failure::Output("the map was cancelled".into()))?;
    let target = args.out.display().to_string();
    let written = match (kind, &result) {
        (OutKind::Json, r) => write_atomically(&args.out, |out| write_json(r, &race, out)),
        (OutKind::Csv, r) => write_atomically(&args.out, |out| write_csv(r, &race, out)),
        (OutKind::Png, MapResult::Phase(d)) => {
            let label = race.optimizers[settings.racer].display_label();
            let title = format!("{label} on {}", race.landscape.spec);
            let rgba = rgba_of(&phase_picture(d, &title, size)?);
            write_atomically(&args.out, |out| write_png(&rgba, size, out))
        }
        (OutKind::Png, r) => {
            let renderer = renderer
                .as_mut()
                .ok_or_else(|| Failure::Output("no renderer".into()))?;
            draw_on(renderer, r, &race)?;
            let rgba = rgba_of(&renderer.frame(renderer.steps()));
            write_atomically(&args.out, |out| write_png(&rgba, size, out))
        }
    };
    written.map_err(|e| Failure::Output(format!("cannot write {target}: {e}")))
}

/// Lay a basin map or a cloud on the scene's picture, with its colour key.
fn draw_on(
    renderer: &mut Renderer,
    result: &MapResult,
    race: &crate::race::Race,
) -> Result<(), SpecError> {
    let critical = &race.landscape.critical;
    match result {
        MapResult::Basins(m) => {
            renderer.underlay(basin_rgba(m), [m.nx, m.ny], m.bounds, 0.9)?;
            renderer.hue_markers(critical);
            let total = m.cells.len().max(1) as f64;
            let key = m
                .tally()
                .into_iter()
                .map(|(ending, count)| {
                    let share = 100.0 * count as f64 / total;
                    let (text, color) = match ending {
                        Ending::Critical(i) => {
                            let c = &critical[i];
                            (
                                format!("→ {} #{i} ({:.2}, {:.2}): {share:.0}%", c.kind, c.x, c.y),
                                basin_hue(i),
                            )
                        }
                        other => (
                            format!("{}: {share:.0}%", ending_words(other)),
                            crate::style::basin_color(other, None, m.steps),
                        ),
                    };
                    (text, color)
                })
                .collect();
            renderer.set_key(key);
        }
        MapResult::Cloud(c) => {
            let last = c.frames.saturating_sub(1);
            let mut key = Vec::new();
            for (i, r) in c.racers.iter().enumerate() {
                let color = crate::scene::PALETTE[i % crate::scene::PALETTE.len()];
                renderer.dots(r.frame(last, c.copies), color, 3.0);
                if let Some(b) = r.bands.last() {
                    key.push((
                        format!(
                            "{} copies, last loss: median {:.3e}, 10–90% [{:.3e}, {:.3e}]",
                            c.copies, b.median, b.p10, b.p90
                        ),
                        color,
                    ));
                }
            }
            renderer.set_key(key);
        }
        MapResult::Phase(_) => {}
    }
    Ok(())
}

fn ending_words(e: Ending) -> &'static str {
    match e {
        Ending::Critical(_) => "known critical point",
        Ending::Stationary => "came to rest elsewhere",
        Ending::Running => "not converged",
        Ending::Diverged => "diverged",
        Ending::Singular => "singular Newton system",
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn write_csv(result: &MapResult, race: &crate::race::Race, out: &mut dyn Write) -> io::Result<()> {
    match result {
        MapResult::Basins(m) => {
            writeln!(out, "x,y,outcome,steps,evals,loss")?;
            for c in &m.cells {
                writeln!(
                    out,
                    "{:?},{:?},{},{},{},{:?}",
                    c.x,
                    c.y,
                    c.outcome,
                    opt(c.steps),
                    opt(c.evals),
                    c.loss
                )?;
            }
        }
        MapResult::Phase(d) => {
            writeln!(out, "{},{},outcome,steps,evals,loss", d.x.name, d.y.name)?;
            for c in &d.cells {
                writeln!(
                    out,
                    "{:?},{:?},{},{},{},{:?}",
                    c.values[0],
                    c.values[1],
                    c.outcome,
                    opt(c.steps),
                    opt(c.evals),
                    c.loss
                )?;
            }
        }
        MapResult::Cloud(c) => {
            writeln!(out, "optimizer,copy,seed,x,y,loss,status,steps,evals")?;
            for (spec, r) in race.optimizers.iter().zip(&c.racers) {
                for (k, o) in r.outcomes.iter().enumerate() {
                    let l = &o.last;
                    writeln!(
                        out,
                        "{},{k},{},{:?},{:?},{:?},{},{},{}",
                        csv_field(&spec.label),
                        crate::engine::cloud::copy_seed(race.seed, k),
                        l.x,
                        l.y,
                        l.loss,
                        l.status,
                        opt(o.steps_to_tol),
                        opt(o.evals_to_tol)
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn write_json(result: &MapResult, race: &crate::race::Race, out: &mut dyn Write) -> io::Result<()> {
    let value = match result {
        MapResult::Basins(m) => serde_json::json!({
            "map": "basins",
            "surface": race.landscape.spec,
            "critical": race.landscape.critical,
            "basins": m,
        }),
        MapResult::Phase(d) => serde_json::json!({
            "map": "phase",
            "surface": race.landscape.spec,
            "phase": d,
        }),
        MapResult::Cloud(c) => cloud_json(c, race),
    };
    serde_json::to_writer(&mut *out, &value)?;
    writeln!(out)
}

fn cloud_json(c: &Cloud, race: &crate::race::Race) -> serde_json::Value {
    let racers: Vec<_> = race
        .optimizers
        .iter()
        .zip(&c.racers)
        .map(|(spec, r)| {
            let copies: Vec<_> = r
                .outcomes
                .iter()
                .enumerate()
                .map(|(k, o)| {
                    serde_json::json!({
                        "copy": k,
                        "x": o.last.x,
                        "y": o.last.y,
                        "loss": o.last.loss,
                        "status": o.last.status,
                        "steps": o.steps_to_tol,
                    })
                })
                .collect();
            let bands: Vec<_> = r
                .bands
                .iter()
                .enumerate()
                .map(|(f, b)| {
                    serde_json::json!({
                        "step": c.step_of(f), "p10": b.p10, "median": b.median, "p90": b.p90
                    })
                })
                .collect();
            serde_json::json!({ "optimizer": spec.label, "copies": copies, "loss_band": bands })
        })
        .collect();
    serde_json::json!({ "map": "cloud", "surface": race.landscape.spec, "stride": c.stride, "racers": racers })
}
