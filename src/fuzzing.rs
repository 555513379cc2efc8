//! The entry points the fuzz targets (`fuzz/`, run with `cargo +nightly fuzz`) drive, shared
//! with `tests/fuzz_corpus.rs`, which feeds every committed corpus and crash file through
//! them in the ordinary `cargo test`. Each takes arbitrary bytes and panics only when a rule
//! of the project breaks: an error that is not one line, an accepted input that does not
//! build or run, a non-finite learning rate from an accepted schedule.

use crate::landscape::Landscape;
use crate::optim::OptimizerSpec;
use crate::scene::Scene;
use crate::schedule::Schedule;
use crate::spec::SpecError;
use crate::surface::expr::Expr;

/// Steps a fuzzed race runs at most, so one input stays fast whatever it asks for.
const STEPS: u64 = 40;

/// Which part of a spec input is a surface, an optimizer or a schedule: the first byte picks.
fn split_kind(data: &[u8]) -> Option<(u8, &str)> {
    let (&kind, rest) = data.split_first()?;
    Some((kind % 4, std::str::from_utf8(rest).ok()?))
}

fn one_line(e: &SpecError, input: &str) {
    assert!(
        !e.0.chars().any(char::is_control),
        "error for {input:?} is not one clean line: {:?}",
        e.0
    );
}

/// `expr:` formulas: parse; an accepted one evaluates (with its derivatives) anywhere without
/// panicking; a refused one says where, in one line.
pub fn expression(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Expr::parse(text) {
        Ok(expr) => {
            use crate::surface::Surface;
            for p in [[0.0, 0.0], [1.5, -2.0], [-1e6, 1e-6], [f64::MAX, 3.0]] {
                let p = crate::P2::new(p[0], p[1]);
                let _ = expr.value_gradient(p);
                let _ = expr.hessian(p);
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                !message.chars().any(char::is_control),
                "error for {text:?} is not one clean line: {message:?}"
            );
            assert!(e.position >= 1, "{text:?}: {message}");
        }
    }
}

/// Surface, optimizer and schedule specs (the first byte picks which; 3 races the optimizer
/// on a default surface): parse; an accepted one builds and runs a short race whose
/// schedule's lr stays finite.
pub fn specs(data: &[u8]) {
    let Some((kind, text)) = split_kind(data) else {
        return;
    };
    let result = match kind {
        0 => Landscape::parse(text).map(|land| {
            let race = crate::race::RaceSpec {
                surface: text.into(),
                optimizers: vec!["gd:lr=0.01".into()],
                steps: STEPS,
                ..Default::default()
            };
            let race = race.build().expect("an accepted surface builds a race");
            race.records().for_each(drop);
            drop(land);
        }),
        1 | 3 => OptimizerSpec::parse(text).map(|_| {
            let race = crate::race::RaceSpec {
                surface: if kind == 1 {
                    "rosenbrock"
                } else {
                    "himmelblau"
                }
                .into(),
                optimizers: vec![text.into()],
                steps: STEPS,
                ..Default::default()
            };
            let race = race.build().expect("an accepted optimizer builds a race");
            race.records().for_each(drop);
        }),
        _ => Schedule::parse(text).map(|schedule| {
            for t in [0, 1, 2, 7, 100, 99_999, 100_000] {
                let lr = schedule.lr(1.0, t);
                // γ^t with γ > 1 may honestly overflow (the run then diverges); nothing else may.
                let ok = lr >= 0.0 && (lr.is_finite() || grows(&schedule));
                assert!(ok, "{text:?} gives lr {lr} at step {t}");
            }
            let again = Schedule::parse(&schedule.to_string()).expect("canonical spec parses");
            assert_eq!(again, schedule, "{text:?} does not read back");
        }),
    };
    if let Err(e) = result {
        one_line(&e, text);
    }
}

/// Whether a schedule multiplies the lr by γ > 1 again and again (`exp`, `step`).
fn grows(schedule: &Schedule) -> bool {
    match schedule {
        Schedule::Exp { gamma } | Schedule::Step { gamma, .. } => *gamma > 1.0,
        Schedule::Warmup { then, .. } => grows(then),
        _ => false,
    }
}

/// Scene files: load; an accepted scene runs (its steps capped) and draws a small picture.
pub fn scene(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Scene::from_ron(text, "fuzz.ron") {
        Ok(scene) => {
            let (mut spec, _) = scene.race_spec().expect("an accepted scene has a race");
            spec.steps = spec.steps.min(STEPS);
            let race = spec.build().expect("an accepted scene builds");
            race.records().for_each(drop);
            let mut small = scene.clone();
            small.title.truncate(small.title.floor_char_boundary(200));
            let renderer = crate::render::Renderer::new(&small, [64, 64], Some(spec.steps))
                .expect("an accepted scene renders");
            drop(renderer.frame(spec.steps));
        }
        Err(e) => one_line(&e, text),
    }
}
