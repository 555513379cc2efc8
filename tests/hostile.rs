//! Hostile but legal input (issue 13): memory budgets refused in one line, `run` streaming
//! what the app could not hold, the parsing edges an adversarial user found, and `--out`
//! through links and pipes — end to end through the binary where it is a CLI behaviour.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use descent::landscape::Landscape;
use descent::race::MAX_RACERS;
use descent::scene::{MAX_RECORDS, Scene};
use descent::schedule::Schedule;

fn descent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_descent"))
        .args(args)
        .output()
        .expect("the descent binary runs")
}

/// Exit code 2 and exactly one line on stderr containing `expected`; nothing on stdout.
fn refused(args: &[&str], expected: &str) {
    let out = descent(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(
        err.lines().count(),
        1,
        "{args:?}: more than one line: {err}"
    );
    assert!(err.contains(expected), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A scene of `racers` gd racers and `steps` steps.
fn scene_text(racers: usize, steps: u64) -> String {
    let racers: Vec<String> = (0..racers)
        .map(|i| format!("(optimizer: \"gd:lr=0.00{}\")", i % 9 + 1))
        .collect();
    format!(
        "(surface: \"quadratic\", racers: [{}], steps: {steps})",
        racers.join(", ")
    )
}

#[test]
fn too_many_racers_are_refused_in_one_line_by_render_and_run() {
    let dir = temp_dir("racers");
    let scene = dir.join("many.ron");
    std::fs::write(&scene, scene_text(MAX_RACERS + 1, 10)).unwrap();
    let png = dir.join("many.png");
    let expected = "at most 64 optimizers";
    refused(&["render", arg(&scene), "--out", arg(&png)], expected);
    refused(&["run", arg(&scene), "--final"], expected);
    // 100,000 racers (a 3 MB file): refused just as fast, before any racer is parsed.
    std::fs::write(&scene, scene_text(100_000, 10)).unwrap();
    refused(&["run", arg(&scene), "--final"], expected);
    let mut flags = vec!["run"];
    for _ in 0..=MAX_RACERS {
        flags.extend(["--optimizer", "gd"]);
    }
    refused(&flags, "at most 64 optimizers");
    std::fs::write(&scene, scene_text(MAX_RACERS, 10)).unwrap();
    assert!(descent(&["run", arg(&scene), "--final"]).status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn render_refuses_more_records_than_the_budget_and_run_streams_them() {
    let dir = temp_dir("records");
    let scene = dir.join("long.ron");
    let (racers, steps) = (20, 60_000);
    assert!(racers as u64 * (steps + 1) > MAX_RECORDS);
    std::fs::write(&scene, scene_text(racers, steps)).unwrap();
    let png = dir.join("long.png");
    refused(
        &["render", arg(&scene), "--out", arg(&png)],
        "20 racers × 60000 steps keep 1200020 records, more than the 1000000",
    );
    assert!(!png.exists());
    let out = descent(&["run", arg(&scene), "--final"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1 + racers, "{text}");
    assert!(
        text.lines().skip(1).all(|l| l.contains(",60000,")),
        "{text}"
    );
    // The app gets the same line through the check it runs on every scene.
    let err = Scene::from_ron(&scene_text(racers, steps), "x.ron").unwrap_err();
    assert!(err.0.contains("use fewer steps (at most 49999)"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_plus_inside_a_schedule_number_is_not_the_warmup_separator() {
    assert_eq!(
        Schedule::parse("exp:gamma=1e+0"),
        Ok(Schedule::Exp { gamma: 1.0 })
    );
    assert_eq!(
        Schedule::parse("warmup:steps=10+exp:gamma=2.5E+1"),
        Ok(Schedule::Warmup {
            steps: 10,
            then: Box::new(Schedule::Exp { gamma: 25.0 })
        })
    );
    let out = descent(&[
        "run",
        "--optimizer",
        "gd",
        "--schedule",
        "step:step_size=2,gamma=5e+0",
        "--steps",
        "2",
        "--final",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn control_characters_in_a_value_are_escaped_in_the_one_line_error() {
    refused(
        &["run", "--optimizer", "gd:lr=0.1\u{1b}[31m\nX"],
        "gd: lr must be ≥ 0, got '0.1\\u{1b}[31m\\nX'",
    );
    refused(
        &["run", "--optimizer", "gd", "--surface", "expr:x\u{7}"],
        "unexpected '\\u{7}'",
    );
    let err = Scene::from_ron("(title: \"a\nb\", steps: 0)", "x.ron").unwrap_err();
    assert!(!err.0.contains('\n'), "{err}");
}

#[test]
fn cosine_and_restarts_keep_the_lr_finite_for_a_huge_eta_min() {
    for spec in [
        "cosine:t_max=10,eta_min=1e308",
        "restarts:t_0=10,t_mult=2,eta_min=1.7e308",
    ] {
        let schedule = Schedule::parse(spec).unwrap();
        for t in 0..40 {
            let lr = schedule.lr(0.1, t);
            assert!(lr.is_finite() && lr >= 0.1, "{spec} at {t}: {lr}");
        }
        assert_eq!(schedule.lr(0.1, 0), 0.1, "{spec} starts at the base lr");
    }
    // Ordinary values keep the closed form bit for bit.
    let cosine = Schedule::parse("cosine:t_max=10,eta_min=0.01").unwrap();
    let c = (1.0 + (std::f64::consts::PI * 3.0 / 10.0).cos()) / 2.0;
    assert_eq!(cosine.lr(0.5, 3), 0.01 + (0.5 - 0.01) * c);
}

#[test]
fn lbfgs_history_is_capped_and_says_why() {
    refused(
        &["run", "--optimizer", "lbfgs:history_size=100000000"],
        "lbfgs: history_size must be a whole number in 1 ..= 100, got '100000000'",
    );
    let out = descent(&["list", "optimizers"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("at most 100: in the plane the inverse Hessian has three entries"),
        "{text}"
    );
    assert!(
        descent(&[
            "run",
            "--optimizer",
            "lbfgs:history_size=100",
            "--steps",
            "3"
        ])
        .status
        .success()
    );
}

#[test]
fn whole_numbers_beyond_2_pow_53_are_echoed_exactly() {
    let err = Scene::from_ron("(steps: 18446744073709551615)", "x.ron").unwrap_err();
    assert!(err.0.ends_with("got 18446744073709551615"), "{err}");
    let err = Scene::from_ron("(steps: 9007199254740993)", "x.ron").unwrap_err();
    assert!(err.0.ends_with("got 9007199254740993"), "{err}");
    let err = Scene::from_ron("(levels: 9007199254740993)", "x.ron").unwrap_err();
    assert!(err.0.ends_with("got 9007199254740993"), "{err}");
    refused(
        &["run", "--optimizer", "cg:restart=18446744073709551616"],
        "got '18446744073709551616'",
    );
}

#[test]
fn an_overflowing_lr_scale_is_blamed_on_lr_scale() {
    let text = "(\n  racers: [(optimizer: \"gd:lr=10\")],\n  lr_scale: 1e308,\n)";
    let err = Scene::from_ron(text, "x.ron").unwrap_err();
    assert!(
        err.0
            .starts_with("x.ron:3:3: lr_scale 1e308 times racer 1's lr 10.0 is inf"),
        "{err}"
    );
    assert!(err.0.contains("must be finite"), "{err}");
}

#[test]
fn an_equation_is_explained_as_not_a_formula() {
    for formula in ["expr:x+2=3", "expr:x+y=3"] {
        refused(
            &["run", "--optimizer", "gd", "--surface", formula],
            "unexpected '=': a surface is a formula in x and y, not an equation",
        );
    }
    refused(
        &["run", "--optimizer", "gd", "--surface", "rosenbrock+l3=1"],
        "unknown regularization 'l3'",
    );
}

#[test]
fn a_byte_order_mark_starts_a_scene_file_harmlessly() {
    let dir = temp_dir("bom");
    let scene = dir.join("bom.ron");
    std::fs::write(
        &scene,
        "\u{feff}(racers: [(optimizer: \"adam:lr=0.1\")], steps: 3)",
    )
    .unwrap();
    let out = descent(&["run", arg(&scene), "--final"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Scene::from_ron("\u{feff}Scene(steps: 5)", "x.ron").is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn views_and_surfaces_beyond_the_divergence_box_are_refused() {
    let dir = temp_dir("view");
    let scene = dir.join("huge.ron");
    let png = dir.join("huge.png");
    std::fs::write(
        &scene,
        "(view: Some((x: (-1e308, 1e308), y: (-1e308, 1e308))))",
    )
    .unwrap();
    refused(
        &["render", arg(&scene), "--out", arg(&png)],
        "view must have x0 < x1 and y0 < y1 within ±1e12",
    );
    std::fs::write(
        &scene,
        "(view: Some((x: (1e11, 1.0000000000000001e11), y: (0.0, 1.0))))",
    )
    .unwrap();
    refused(
        &["render", arg(&scene), "--out", arg(&png)],
        "at least 1e-9",
    );
    std::fs::write(&scene, "(surface: \"plateau:width=1e308\")").unwrap();
    refused(
        &["render", arg(&scene), "--out", arg(&png)],
        "surface 'plateau:width=1e308': these parameters put its view",
    );
    refused(
        &[
            "run",
            "--optimizer",
            "gd",
            "--surface",
            "plateau:width=1e308",
        ],
        "beyond ±1e12",
    );
    assert!(!png.exists());
    assert!(Landscape::parse("plateau:width=1e10").is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A 5 MB title (the was 50 MB) renders: only what fits on the picture is laid out.
#[test]
fn a_huge_title_renders_only_what_fits() {
    let dir = temp_dir("title");
    let scene = dir.join("title.ron");
    let title = "W".repeat(5_000_000);
    std::fs::write(&scene, format!("(title: \"{title}\", steps: 5)")).unwrap();
    let gif = dir.join("title.gif");
    let out = descent(&["render", arg(&scene), "--out", arg(&gif), "--size", "64x64"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::metadata(&gif).unwrap().len() > 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn out_through_a_symlink_replaces_its_target_and_keeps_the_link_and_mode() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = temp_dir("out-link");
    let target = dir.join("target.csv");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.join("link.csv");
    symlink(&target, &link).unwrap();
    let out = descent(&[
        "run",
        "--optimizer",
        "gd",
        "--steps",
        "2",
        "--out",
        arg(&link),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("optimizer,step"), "{text}");
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "temporary left"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn out_into_a_fifo_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = temp_dir("out-fifo");
    let fifo = dir.join("pipe.csv");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = descent(&[
        "run",
        "--optimizer",
        "gd",
        "--steps",
        "2",
        "--out",
        arg(&fifo),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = reader.join().unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn out_with_a_254_byte_name_is_written() {
    let dir = temp_dir("out-long");
    let path = dir.join(format!("{}.csv", "n".repeat(250)));
    let out = descent(&[
        "run",
        "--optimizer",
        "gd",
        "--steps",
        "2",
        "--out",
        arg(&path),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("optimizer")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

mod render_work {
    use descent::render::Renderer;
    use descent::scene::Scene;
    use proptest::prelude::*;

    const SURFACES: &[&str] = &[
        "rosenbrock",
        "quadratic:kappa=50,angle=30",
        "himmelblau",
        "rastrigin",
        "ackley",
        "saddle",
        "plateau",
        "two-well",
        "expr:sin(3*x)*cos(3*y)+0.1*(x^2+y^2)",
    ];
    const OPTIMIZERS: &[&str] = &[
        "gd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adadelta",
        "adam",
        "nadam",
        "random-search",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Drawing work — the points stroked after clipping and thinning to half a pixel —
        /// stays within a multiple of the picture's pixels however many steps a path takes
        /// and however it wanders (large lrs, noise, random search), for any scene the loader
        /// accepts. Not a timing assert: the count is what the frame's cost grows with.
        #[test]
        fn drawing_work_grows_with_pixels_not_steps(
            surface in prop::sample::select(SURFACES),
            optimizer in prop::sample::select(OPTIMIZERS),
            lr_exp in -4.0f64..1.5,
            noise in prop::sample::select(&[0.0, 0.5, 20.0][..]),
            steps in 1u64..=4000,
            width in 64u32..=160,
            height in 64u32..=160,
        ) {
            let text = format!(
                "(surface: \"{surface}\", racers: [(optimizer: \"{optimizer}:lr={}\")], \
                 noise: {noise:?}, steps: {steps})",
                10f64.powf(lr_exp)
            );
            let scene = Scene::from_ron(&text, "prop.ron").expect("a legal scene");
            let renderer = Renderer::new(&scene, [width, height], None).unwrap();
            let drawn = renderer.drawn_points(steps);
            let pixels = (width * height) as usize;
            // At most two points a segment: one that crosses the picture from edge to edge
            // is drawn from where it enters to where it leaves.
            prop_assert!(drawn <= 2 * steps as usize + 2, "{drawn} points for {steps} steps");
            prop_assert!(drawn <= 4 * pixels, "{text}: {drawn} points on {pixels} pixels");
        }
    }

    /// The worst case: a 100,000-step Adadelta path wandering over Rosenbrock at
    /// 800×600 strokes a few thousand points, not 100,001.
    #[test]
    fn a_100k_step_wandering_path_draws_at_picture_resolution() {
        let scene = Scene::from_ron(
            "(surface: \"rosenbrock\", racers: [(optimizer: \"adadelta:lr=10\")], steps: 100000)",
            "x.ron",
        )
        .unwrap();
        let renderer = Renderer::new(&scene, [800, 600], None).unwrap();
        let drawn = renderer.drawn_points(100_000);
        assert!(drawn < 800 * 600 / 10, "{drawn}");
    }
}
