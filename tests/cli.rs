//! The `descent` binary end to end: output formats, row selection, atomic files, bad input.

use std::path::PathBuf;
use std::process::{Command, Output};

use descent::race::RaceSpec;

fn descent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_descent"))
        .args(args)
        .output()
        .expect("the descent binary runs")
}

fn stdout(args: &[&str]) -> String {
    let out = descent(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const EXAMPLE: &[&str] = &[
    "run",
    "--surface",
    "rosenbrock",
    "--optimizer",
    "adam:lr=0.01",
    "--start",
    "-1.5,2",
    "--steps",
    "200",
];

#[test]
fn csv_rows_read_back_to_the_exact_records() {
    let text = stdout(EXAMPLE);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("optimizer,step,x,y,loss,grad_norm,lr,evals,status")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 201);
    let records = RaceSpec {
        surface: "rosenbrock".into(),
        start: Some([-1.5, 2.0]),
        optimizers: vec!["adam:lr=0.01".into()],
        steps: 200,
        ..RaceSpec::default()
    }
    .build()
    .unwrap()
    .trajectories()
    .remove(0);
    for (row, r) in rows.iter().zip(&records) {
        assert_eq!(row[0], "adam:lr=0.01");
        assert_eq!(row[1].parse::<u64>().unwrap(), r.step);
        let floats: Vec<f64> = row[2..7].iter().map(|v| v.parse().unwrap()).collect();
        assert_eq!(
            floats,
            [r.x, r.y, r.loss, r.grad_norm, r.lr],
            "shortest round-trip form"
        );
        assert_eq!(row[7].parse::<u64>().unwrap(), r.evals);
        assert_eq!(row[8], "running");
    }
    assert_eq!(rows[0][2..4], ["-1.5", "2.0"]);
}

#[test]
fn output_is_identical_on_every_run() {
    let args = [
        "run",
        "--surface",
        "saddle-escape",
        "--optimizer",
        "gd:lr=0.1",
        "--optimizer",
        "adam:lr=0.05",
        "--noise",
        "0.2",
        "--seed",
        "7",
        "--steps",
        "300",
        "--schedule",
        "warmup:steps=20+cosine:t_max=300",
    ];
    assert_eq!(stdout(&args), stdout(&args));
}

#[test]
fn json_holds_the_same_records() {
    let csv = stdout(&[EXAMPLE, &["--every", "50"]].concat());
    let json = stdout(&[EXAMPLE, &["--every", "50", "--format", "json"]].concat());
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(rows.len(), csv.lines().count() - 1);
    for (row, line) in rows.iter().zip(csv.lines().skip(1)) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(row["optimizer"], cells[0]);
        assert_eq!(row["step"].as_u64().unwrap().to_string(), cells[1]);
        assert_eq!(row["x"].as_f64().unwrap(), cells[2].parse::<f64>().unwrap());
        assert_eq!(row["status"], cells[8]);
    }
}

#[test]
fn every_and_final_select_rows() {
    let text = stdout(&[
        "run",
        "--optimizer",
        "gd:lr=0.001",
        "--optimizer",
        "gd:lr=0.01",
        "--steps",
        "95",
        "--every",
        "20",
    ]);
    let steps: Vec<(&str, &str)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[0], c[1])
        })
        .collect();
    // gd:lr=0.01 diverges on Rosenbrock within a few steps: its last (diverged) row is kept.
    let slow: Vec<&str> = steps
        .iter()
        .filter(|s| s.0 == "gd:lr=0.001")
        .map(|s| s.1)
        .collect();
    assert_eq!(slow, ["0", "20", "40", "60", "80", "95"]);
    let fast: Vec<&str> = steps
        .iter()
        .filter(|s| s.0 == "gd:lr=0.01")
        .map(|s| s.1)
        .collect();
    assert_eq!(fast[0], "0");
    assert!(text.lines().last().unwrap().starts_with("gd:lr=0.001,95,"));
    assert!(text.contains(",diverged"));

    let last = stdout(&[
        "run",
        "--optimizer",
        "adam",
        "--optimizer",
        "newton",
        "--steps",
        "1000",
        "--final",
    ]);
    let lines: Vec<&str> = last.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with("adam,1000,"));
    assert!(lines[2].starts_with("newton,1000,1.0,1.0,0.0,0.0,1.0,"));
}

#[test]
fn out_writes_the_file_whole() {
    let dir = temp_dir("out");
    let file = dir.join("race.csv");
    let out = descent(&[EXAMPLE, &["--out", file.to_str().unwrap()]].concat());
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout(EXAMPLE));
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file is left"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn list_shows_every_name_with_parameters() {
    let surfaces = stdout(&["list", "surfaces"]);
    for name in [
        "quadratic:",
        "rosenbrock:",
        "himmelblau:",
        "saddle-escape:",
        "kappa = 1.0",
        "global minimum at (1.000000, 1.000000)",
    ] {
        assert!(surfaces.contains(name), "{name}");
    }
    let optimizers = stdout(&["list", "optimizers"]);
    for name in [
        "gd:",
        "adadelta:",
        "lr = 1.0",
        "amsgrad = false",
        "random-search:",
        "history_size = 10",
    ] {
        assert!(optimizers.contains(name), "{name}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["list", "surfaces", "--format", "json"])).unwrap();
    let rosen = json
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "rosenbrock")
        .unwrap();
    assert_eq!(rosen["critical"][0]["x"], 1.0);
    assert_eq!(rosen["critical"][0]["kind"], "global-minimum");
    assert_eq!(rosen["view"]["x"][0], -2.0);
    let schedules: serde_json::Value =
        serde_json::from_str(&stdout(&["list", "schedules", "--format", "json"])).unwrap();
    assert_eq!(schedules.as_array().unwrap().len(), 8);
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let missing = temp_dir("missing").join("no/such/dir/out.csv");
    let missing = missing.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "--optimizer", "adam", "--surface", "banana"],
            "unknown surface 'banana'",
        ),
        (
            &["--size", "100x9000"],
            "'100x9000' is not a window size: give WxH, each side 320 ..= 7680",
        ),
        (
            &["run", "--optimizer", "adamm"],
            "unknown optimizer 'adamm'",
        ),
        (
            &["run", "--optimizer", "adam:lrr=0.1"],
            "adam: unknown parameter 'lrr' (accepted: lr,",
        ),
        (
            &["run", "--optimizer", "adam:lr=0.1x"],
            "adam: lr must be ≥ 0, got '0.1x'",
        ),
        (
            &["run", "--optimizer", "gd:lr=-1"],
            "gd: lr must be ≥ 0, got '-1'",
        ),
        (
            &["run", "--optimizer", "adam:beta1=1"],
            "adam: beta1 must be in [0, 1), got '1'",
        ),
        (
            &["run", "--optimizer", "adam", "--schedule", "cosine:t_max=0"],
            "cosine: t_max must be a whole number ≥ 1, got '0'",
        ),
        (
            &["run", "--optimizer", "adam", "--surface", "expr:(x+"],
            "expr: unexpected end: expected a number, x, y, a constant or a function at position 4",
        ),
        (
            &["run", "--optimizer", "adam", "--start", "1;2"],
            "point '1;2' must be two finite numbers X,Y",
        ),
        (
            &["run", "--optimizer", "adam", "--steps", "0"],
            "steps must be a whole number ≥ 1, got 0",
        ),
        (
            &["run", "--optimizer", "adam", "--steps", "ten"],
            "invalid value 'ten' for '--steps <N>'",
        ),
        (
            &["run", "--optimizer", "adam", "--noise", "-1"],
            "noise σ must be a finite number ≥ 0, got -1",
        ),
        (
            &["run", "--optimizer", "adam", "--every", "0"],
            "--every must be a whole number ≥ 1, got 0",
        ),
        (
            &["run", "--optimizer", "adam", "--out", missing],
            "cannot write",
        ),
        (&["run"], "no optimizer given"),
        (
            &["run", "--optimizer", "adam", "--bogus"],
            "unexpected argument '--bogus'",
        ),
        (&["list", "colours"], "invalid value 'colours'"),
        (
            &["list"],
            "required arguments were not provided: <surfaces|optimizers|schedules|datasets|models|inits>",
        ),
        #[cfg(feature = "gui")]
        (&["no-such-scene.ron"], "cannot read no-such-scene.ron"),
        #[cfg(not(feature = "gui"))]
        (&["no-such-scene.ron"], "this build has no app"),
        (
            &["--frames", "3"],
            "required arguments were not provided: --screenshot <FILE.png>",
        ),
        #[cfg(not(feature = "gui"))]
        (&[], "this build has no app"),
    ];
    for (args, expected) in cases {
        let out = descent(args);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err.lines().count(),
            1,
            "{args:?} printed more than one line: {err}"
        );
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    }
}

/// A lecture the app cannot open is refused on one line before any window opens.
#[cfg(feature = "gui")]
#[test]
fn a_bad_lecture_file_gets_one_line_and_exit_code_2() {
    let dir = temp_dir("lecture");
    let cases = [
        (
            "empty.ron",
            "Lecture(title: \"t\", scenes: [])",
            "scenes must list 1 ..= 200",
        ),
        (
            "missing.ron",
            "Lecture(title: \"t\", scenes: [\"gone.ron\"])",
            "cannot read",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = descent(&[path.to_str().unwrap()]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(err.contains(expected), "{name}: {err}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_descent"))
        .args(["run", "--optimizer", "adam", "--steps", "2000000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // stdout is dropped here: the next write fails with a broken pipe.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn summary_prints_the_metrics_table_in_three_formats() {
    let race = [
        "run",
        "--surface",
        "rosenbrock",
        "--start",
        "-1.5,2",
        "-o",
        "newton",
        "-o",
        "gd:lr=0.001",
        "-o",
        "gd:lr=0.01",
        "--steps",
        "50",
        "--summary",
    ];
    let text = stdout(&race);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].contains("steps to ‖∇f‖<1e-6") && lines[0].contains("status"));
    assert!(lines[2].starts_with("newton ") && lines[2].contains("converged at 50"));
    assert!(lines[4].contains("diverged at"), "{text}");

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&[&race[..], &["--format", "json"]].concat())).unwrap();
    let newton = &json[0];
    assert_eq!(newton["optimizer"], "newton");
    assert_eq!(newton["distance_to_minimum"], 0.0);
    assert_eq!(newton["status"], "converged");
    // Newton's rows from (-1.5, 2): f = 1.1e-7 at step 5 (‖∇f‖ = 6.6e-4), ‖∇f‖ = 4.9e-5 at
    // step 6 and exactly 0 at step 7.
    assert_eq!(newton["steps_to_loss_tol"], 5);
    assert_eq!(newton["steps_to_grad_tol"], 7);
    assert_eq!(json[1]["steps_to_grad_tol"], serde_json::Value::Null);

    let csv = stdout(&[&race[..], &["--format", "csv", "--tol", "1e-3"]].concat());
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0][1], "steps_to_grad_tol");
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.len() == 12));
    // The evaluations spent before ‖∇f‖ < tol, as the text and JSON tables give them.
    assert_eq!(rows[0][11], "evals_to_grad_tol");
    for row in &rows[1..] {
        assert_eq!(row[1].is_empty(), row[11].is_empty(), "{row:?}");
        assert!(
            row[11].is_empty() || row[11].parse::<u64>().is_ok(),
            "{row:?}"
        );
    }

    for (args, needle) in [
        (&["--tol", "0"][..], "--tol must be a finite number > 0"),
        (&["--format", "text"][..], "--format text is for --summary"),
    ] {
        let base: &[&str] = if args[0] == "--tol" {
            &race
        } else {
            &race[..race.len() - 1]
        };
        let out = descent(&[base, args].concat());
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(needle) && err.lines().count() == 1, "{err}");
    }
}
