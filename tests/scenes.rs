//! Scene files: every preset loads, round-trips and shows its lesson; broken files are
//! refused with the file, line and column and what was expected.

use std::path::{Path, PathBuf};

use descent::race::{Record, Status};
use descent::scene::Scene;

fn presets() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("presets"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
    paths.sort();
    paths
}

fn preset(name: &str) -> Scene {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("presets")
        .join(format!("{name}.ron"));
    Scene::load(&path).unwrap()
}

fn run(scene: &Scene) -> Vec<Vec<Record>> {
    scene.race_spec().unwrap().0.build().unwrap().trajectories()
}

fn last(path: &[Record]) -> &Record {
    path.last().unwrap()
}

fn distance(r: &Record, to: [f64; 2]) -> f64 {
    (r.x - to[0]).hypot(r.y - to[1])
}

#[test]
fn every_preset_loads_runs_and_round_trips() {
    let paths = presets();
    assert!(paths.len() >= 12, "{} presets", paths.len());
    for path in &paths {
        let scene = Scene::load(path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !scene.title.is_empty() && !scene.description.is_empty(),
            "{path:?}"
        );
        assert!(!scene.description.contains('\n'), "{path:?}: one line");
        let again = Scene::from_ron(&scene.to_ron(), "round trip").unwrap();
        assert_eq!(again, scene, "{path:?}");
        if scene.is_network() {
            // Trained, and their lessons checked, in tests/network_lessons.rs.
            let (spec, _) = scene.train_spec().unwrap();
            assert_eq!(again.train_spec().unwrap().0, spec, "{path:?}");
            assert!(spec.build().is_ok(), "{path:?}");
            continue;
        }
        let (a, b) = (run(&scene), run(&again));
        assert_eq!(a, b, "{path:?}: identical trajectories");
        assert_eq!(a.len(), scene.racers.len());
    }
}

#[test]
fn the_built_in_presets_are_exactly_the_files() {
    let files: Vec<String> = presets()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let built_in: Vec<&str> = descent::presets::PRESETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        files, built_in,
        "src/presets.rs lists every file in presets/, in order"
    );
    for (name, scene) in descent::presets::all() {
        let from_file = Scene::load(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("presets")
                .join(name),
        );
        assert_eq!(scene.as_ref().unwrap(), &from_file.unwrap(), "{name}");
    }
}

#[test]
fn learning_rate_too_small_about_right_too_large() {
    let paths = run(&preset("01-learning-rate"));
    let [small, right, large] = [&paths[0], &paths[1], &paths[2]];
    assert!(
        last(small).loss > 0.05,
        "too small still far: {:?}",
        last(small)
    );
    assert!(
        last(right).loss < 1e-15,
        "about right lands: {:?}",
        last(right)
    );
    assert!(last(large).loss > 1e4 * large[0].loss, "too large blows up");
}

#[test]
fn momentum_crosses_the_canyon_faster_and_nesterov_damps_it() {
    let canyon = run(&preset("02-canyon-momentum"));
    assert!(last(&canyon[1]).loss * 100.0 < last(&canyon[0]).loss);
    // GD zigzags: it travels far across the canyon (v, the axis at 115°); momentum rolls
    // along the floor, with a fraction of GD's sideways travel.
    let across = |p: &[Record]| {
        let (s, c) = 25f64.to_radians().sin_cos();
        let v = |r: &Record| -r.x * s + r.y * c;
        p.windows(2)
            .map(|w| (v(&w[1]) - v(&w[0])).abs())
            .sum::<f64>()
    };
    let (gd, momentum) = (across(&canyon[0]), across(&canyon[1]));
    assert!(gd > 8.0 * momentum, "sideways {gd} vs {momentum}");
    let nesterov = run(&preset("03-nesterov"));
    assert!(last(&nesterov[1]).loss * 1000.0 < last(&nesterov[0]).loss);
}

#[test]
fn noise_and_momentum_escape_the_saddle() {
    let mut scene = preset("04-saddle-noise");
    for path in run(&scene) {
        assert!(last(&path).y.abs() > 0.95, "escaped: {:?}", last(&path));
    }
    scene.noise = 0.0;
    for path in run(&scene) {
        assert_eq!(last(&path).y, 0.0, "without noise: stuck on the ridge");
        assert!(
            last(&path).x.abs() < 1e-3,
            "at the saddle: {:?}",
            last(&path)
        );
    }
    // Off the ridge, after 50 steps: GD is still at the saddle, momentum is in the minimum.
    let paths = run(&preset("05-saddle-momentum"));
    let (gd, momentum) = (last(&paths[0]), last(&paths[1]));
    assert_eq!(gd.step, 50);
    assert!(
        distance(gd, [0.0, 0.0]) < 0.15,
        "gd near the saddle: {gd:?}"
    );
    assert!(
        distance(momentum, [0.0, 1.0]) < 0.05,
        "momentum at (0, 1): {momentum:?}"
    );
    assert!(distance(momentum, [0.0, 0.0]) > 6.0 * distance(gd, [0.0, 0.0]));
}

#[test]
fn local_and_global_minima() {
    let wells = run(&preset("06-two-wells"));
    assert!(
        last(&wells[0]).x > 0.9,
        "gd stays in the right, shallow well"
    );
    assert!(
        last(&wells[1]).x < -0.9,
        "momentum reaches the deeper left well"
    );
    let scene = preset("07-himmelblau");
    let landscape = scene.race_spec().unwrap().0.build().unwrap().landscape;
    let paths = run(&scene);
    let nearest = |r: &Record| {
        landscape
            .critical
            .iter()
            .min_by(|a, b| distance(r, [a.x, a.y]).total_cmp(&distance(r, [b.x, b.y])))
            .copied()
            .unwrap()
    };
    let (gd, bfgs, newton) = (
        nearest(last(&paths[0])),
        nearest(last(&paths[1])),
        nearest(last(&paths[2])),
    );
    assert!(
        gd.is_minimum() && bfgs.is_minimum() && gd != bfgs,
        "{gd:?} {bfgs:?}"
    );
    assert_eq!(newton.kind, descent::surface::CriticalKind::Maximum);
}

#[test]
fn adagrad_crawls_where_rmsprop_and_adam_keep_going() {
    let paths = run(&preset("09-adagrad-shrinks"));
    let (adagrad, rmsprop, adam) = (&paths[0], &paths[1], &paths[2]);
    assert_eq!(adagrad.len(), 251);
    // Well before the end (step 100 of 250) the others are visibly ahead on the map.
    let gone = |p: &[Record], t: usize| distance(&p[t], [p[0].x, p[0].y]);
    let (a, r, m) = (gone(adagrad, 100), gone(rmsprop, 100), gone(adam, 100));
    assert!(a < 0.25 && r > 1.5 * a && m > 3.0 * a, "{a} {r} {m}");
    // At the end: RMSProp has gone twice as far as AdaGrad, Adam four times as far and to a
    // loss far below AdaGrad's.
    let (a, r, m) = (gone(adagrad, 250), gone(rmsprop, 250), gone(adam, 250));
    assert!(r > 1.8 * a && m > 4.0 * a, "{a} {r} {m}");
    assert!(last(adagrad).loss > 5.0 * last(adam).loss);
    // AdaGrad's steps shrink: its last 50 steps move it less than 15% as far as its first 50.
    let travel = |p: &[Record], a: usize, b: usize| {
        p[a..b]
            .windows(2)
            .map(|w| distance(&w[1], [w[0].x, w[0].y]))
            .sum::<f64>()
    };
    assert!(travel(adagrad, 200, 250) < 0.15 * travel(adagrad, 0, 50));
}

#[test]
fn without_bias_correction_adams_early_steps_are_too_large() {
    let paths = run(&preset("10-adam-bias-correction"));
    let (corrected, raw) = (&paths[0][10], &paths[1][10]);
    assert!(distance(corrected, [0.0, 0.0]) > 2.5, "{corrected:?}");
    assert!(distance(raw, [0.0, 0.0]) < 0.5, "{raw:?}");
    // and it overshoots: later it is farther than it was at step 10.
    assert!(distance(&paths[1][20], [0.0, 0.0]) > distance(raw, [0.0, 0.0]));
}

#[test]
fn decaying_schedules_shrink_the_noise_ball() {
    for name in [
        "11-schedule-step",
        "12-schedule-cosine",
        "13-schedule-warmup",
    ] {
        let scheduled = preset(name);
        let constant = Scene {
            schedule: "constant".into(),
            ..scheduled.clone()
        };
        // Mean distance to the minimum over the last 50 steps, per racer.
        let spread = |scene: &Scene| -> Vec<f64> {
            run(scene)
                .iter()
                .map(|p| {
                    p[p.len() - 50..]
                        .iter()
                        .map(|r| distance(r, [0.0, 0.0]))
                        .sum::<f64>()
                        / 50.0
                })
                .collect()
        };
        let (with, without) = (spread(&scheduled), spread(&constant));
        let racers = &scheduled.racers;
        for ((racer, s), c) in racers.iter().zip(&with).zip(&without) {
            if racer.schedule.is_none() {
                assert!(
                    *s < 0.5 * c,
                    "{name}: {s} with the schedule vs {c} constant"
                );
            }
        }
        // Within the scene itself: the last racer is gd at the same lr with a constant
        // schedule, and its ball stays more than twice as wide as scheduled gd's.
        let baseline = racers.last().unwrap();
        assert_eq!(baseline.schedule.as_deref(), Some("constant"), "{name}");
        assert_eq!(baseline.optimizer, racers[0].optimizer, "{name}");
        let (gd, constant_gd) = (with[0], with[with.len() - 1]);
        assert!(gd < 0.5 * constant_gd, "{name}: {gd} vs {constant_gd}");
    }
}

#[test]
fn curvature_methods_reach_rosenbrocks_minimum_and_newton_finds_saddles() {
    let paths = run(&preset("14-second-order"));
    assert!(last(&paths[0]).loss > 0.1, "gd is still crawling");
    for path in &paths[1..] {
        assert!(distance(last(path), [1.0, 1.0]) < 1e-9, "{:?}", last(path));
        assert!(path.iter().position(|r| r.loss < 1e-12).unwrap() < 60);
    }
    let saddle = run(&preset("15-newton-saddle"));
    assert!(
        distance(last(&saddle[0]), [0.0, 1.0]) < 1e-3,
        "gd finds the minimum"
    );
    assert_eq!(
        (last(&saddle[1]).x, last(&saddle[1]).y),
        (0.0, 0.0),
        "newton the saddle"
    );
}

#[test]
fn l2_moves_the_minimum_and_the_runs_follow() {
    let scene = preset("16-l2-regularization");
    let landscape = scene.race_spec().unwrap().0.build().unwrap().landscape;
    let minimum = landscape.critical.iter().find(|c| c.is_minimum()).unwrap();
    assert!(distance(last(&run(&scene)[1]), [minimum.x, minimum.y]) < 1e-6);
    assert!(
        (minimum.x - 1.0).hypot(minimum.y - 1.0) > 0.5,
        "moved from (1, 1): {minimum:?}"
    );
}

#[test]
fn a_diverging_preset_run_is_a_result() {
    let paths = run(&preset("01-learning-rate"));
    assert!(paths.iter().all(|p| p.len() == 61));
    let mut scene = preset("01-learning-rate");
    scene.lr_scale = 100.0;
    let paths = run(&scene);
    assert!(paths.iter().all(|p| last(p).status == Status::Diverged));
}

/// Broken files, each with the line and column of its error and words it must contain.
#[test]
fn broken_files_are_refused_with_line_column_and_what_was_expected() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "(title: \"x\",\n  surface: \"rosenbrok\",\n)",
            "2:3",
            "unknown surface 'rosenbrok'",
        ),
        (
            "(\n racers: [\n  (optimizer: \"adam:lr=-1\"),\n ],\n)",
            "3:4",
            "lr must be ≥ 0, got '-1'",
        ),
        (
            "(\n racers: [(optimizer: \"gd\"), (optimizer: \"adam:beta1=1\")],\n)",
            "2:31",
            "beta1 must be in [0, 1)",
        ),
        (
            "(\n racers: [(optimizer: \"sgdd\")],\n)",
            "2:12",
            "unknown optimizer 'sgdd'",
        ),
        (
            "(\n  steps: 0,\n)",
            "2:3",
            "steps must be a whole number in 1 ..= 100000",
        ),
        (
            "(\n  noise: -1.0,\n)",
            "2:3",
            "noise σ must be a finite number ≥ 0",
        ),
        (
            "(\n  schedule: \"cosine\",\n)",
            "2:3",
            "missing required parameter 't_max'",
        ),
        (
            "(\n  version: 2,\n)",
            "2:3",
            "version 2 is newer than this program's (1)",
        ),
        ("(\n  colour: \"red\",\n)", "2:3", "colour"),
        ("(\n  steps: \"ten\",\n)", "2:9", "Expected integer"),
        (
            "(\n  title: \"unterminated,\n)",
            "2:10",
            "Expected end of string",
        ),
        (
            "(\n  view: Some((x: (1.0, -1.0), y: (0.0, 1.0))),\n)",
            "2:3",
            "view must have x0 < x1 and y0 < y1 within ±1e12",
        ),
        ("(\n  racers: [],\n)", "2:3", "no optimizer given"),
        (
            "(\n  start: Some((inf, 0.0)),\n)",
            "2:3",
            "start must be finite",
        ),
        (
            "(layout: Stacked)",
            "1:10",
            "Unexpected variant named `Stacked` in enum `Layout`, expected one of `Overlay`, `SideBySide`, or `ThreeD`",
        ),
    ];
    for (text, at, words) in cases {
        let err = Scene::from_ron(text, "bad.ron").unwrap_err().0;
        assert!(err.starts_with(&format!("bad.ron:{at}")), "{text:?}: {err}");
        assert!(err.contains(words), "{text:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn the_readme_example_is_a_valid_scene_that_hides_all_but_the_lr_sliders() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("```ron\n").expect("a RON example") + "```ron\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let scene = Scene::from_ron(&readme[start..end], "README.md").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scene.racers.len(), 2);
    assert_eq!(scene.racers[1].color, Some([230, 159, 0]));
    use descent::scene::Control;
    let shown: Vec<Control> = Control::ALL
        .into_iter()
        .filter(|&c| scene.shows(c))
        .collect();
    assert_eq!(shown, [Control::LearningRates, Control::LrScale]);
}
