//! `descent map` and `descent tune` end to end: the tables' columns, pictures, bad flags.

use std::path::PathBuf;
use std::process::{Command, Output};

fn descent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_descent"))
        .args(args)
        .output()
        .expect("the descent binary runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-maps-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ok(args: &[&str]) -> String {
    let out = descent(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn basins_csv_has_one_row_per_cell_with_outcome_and_steps() {
    let dir = temp_dir("basins");
    let out = dir.join("b.csv");
    let o = out.to_str().unwrap();
    ok(&[
        "map",
        "basins",
        "--surface",
        "two-well",
        "--optimizer",
        "gd:lr=0.05",
        "--steps",
        "400",
        "--grid",
        "12",
        "--tol",
        "1e-4",
        "--out",
        o,
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("x,y,outcome,steps,evals,loss"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 144);
    // two-well's critical points: 0 the left (global) well, 1 the right, 2 the saddle.
    let left = rows.iter().filter(|r| r[2] == "0").count();
    let right = rows.iter().filter(|r| r[2] == "1").count();
    assert!(left > 30 && right > 30, "{left} {right}");
    for r in &rows {
        let x: f64 = r[0].parse().unwrap();
        // Plain gradient descent from the left half ends in the left well.
        if x < -0.2 {
            assert_eq!(r[2], "0", "{r:?}");
            assert!(r[3].parse::<u64>().is_ok());
        }
    }
}

#[test]
fn phase_csv_names_the_two_hyperparameters_and_json_and_png_are_written() {
    let dir = temp_dir("phase");
    let csv = dir.join("p.csv");
    ok(&[
        "map",
        "phase",
        "--surface",
        "quadratic:kappa=10",
        "--optimizer",
        "momentum",
        "--steps",
        "300",
        "--grid",
        "8",
        "--x",
        "lr:0.01:1:log",
        "--y",
        "momentum:0:0.9",
        "--out",
        csv.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("lr,momentum,outcome,steps"), "{text}");
    assert_eq!(text.lines().count(), 1 + 64);
    assert!(text.contains(",diverged,"));
    let json = dir.join("p.json");
    ok(&[
        "map",
        "phase",
        "--surface",
        "quadratic:kappa=10",
        "--optimizer",
        "momentum",
        "--steps",
        "300",
        "--grid",
        "8",
        "--x",
        "lr:0.01:1:log",
        "--out",
        json.to_str().unwrap(),
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["phase"]["cells"].as_array().unwrap().len(), 64);
    assert!(!v["phase"]["boundary"].as_array().unwrap().is_empty());
    let png = dir.join("p.png");
    ok(&[
        "map",
        "phase",
        "--surface",
        "quadratic:kappa=10",
        "--optimizer",
        "momentum",
        "--steps",
        "300",
        "--grid",
        "8",
        "--size",
        "320x200",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn cloud_csv_has_one_row_per_copy() {
    let dir = temp_dir("cloud");
    let out = dir.join("c.csv");
    ok(&[
        "map",
        "cloud",
        "--surface",
        "quadratic:kappa=4",
        "-o",
        "gd:lr=0.1",
        "-o",
        "adam:lr=0.05",
        "--noise",
        "0.5",
        "--steps",
        "50",
        "--copies",
        "7",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("optimizer,copy,seed,x,y,loss,status,steps,evals\n"));
    assert_eq!(text.lines().count(), 1 + 2 * 7);
}

#[test]
fn tune_prints_a_row_per_racer_and_can_write_the_scene() {
    let out = ok(&[
        "tune",
        "--surface",
        "quadratic:kappa=10",
        "-o",
        "gd",
        "--steps",
        "2000",
        "--start",
        "-2,1.5",
    ]);
    let row = out.lines().nth(1).unwrap();
    let tuned: f64 = row.split_whitespace().nth(2).unwrap().parse().unwrap();
    // 2/(λmin + λmax) = 2/11
    assert!((tuned / (2.0 / 11.0) - 1.0).abs() < 0.2, "{out}");
    let dir = temp_dir("tune");
    let scene = dir.join("s.ron");
    std::fs::write(
        &scene,
        "Scene(surface: \"quadratic:kappa=10\", start: Some((-2.0, 1.5)), racers: [Racer(optimizer: \"gd:lr=0.01\")], steps: 2000)",
    )
    .unwrap();
    ok(&["tune", scene.to_str().unwrap(), "--write"]);
    let written = std::fs::read_to_string(&scene).unwrap();
    let lr: f64 = written
        .split("gd:lr=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{written}"));
    assert!((lr / (2.0 / 11.0) - 1.0).abs() < 0.2, "{written}");
}

#[test]
fn tune_keeps_a_full_batch_and_leaves_minibatch_racers_alone() {
    let dir = temp_dir("tune-batch");
    let scene = dir.join("s.ron");
    std::fs::write(
        &scene,
        "Scene(surface: \"linear-regression\", data: Some(\"line:n=20\"), racers: [\
         Racer(optimizer: \"gd:lr=0.01,batch=20\"), Racer(optimizer: \"gd:lr=0.01,batch=5\")], \
         steps: 500)",
    )
    .unwrap();
    let out = ok(&["tune", scene.to_str().unwrap(), "--write"]);
    assert!(
        out.lines().nth(2).unwrap().contains("minibatch: not tuned"),
        "{out}"
    );
    let written = std::fs::read_to_string(&scene).unwrap();
    assert!(written.contains(",batch=20\""), "{written}");
    assert!(written.contains("gd:lr=0.01,batch=5"), "{written}");
    assert!(
        !written.contains("gd:lr=0.01,batch=20"),
        "the full-batch racer was tuned: {written}"
    );
}

/// Bad flags get one line on stderr and exit 2.
#[test]
fn bad_flags_get_one_line_and_exit_2() {
    let dir = temp_dir("bad");
    let out = dir.join("x.csv");
    let o = out.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["map", "basins", "-o", "gd", "--grid", "0", "--out", o],
            "grid",
        ),
        (
            &[
                "map", "cloud", "-o", "gd", "--noise", "1", "--copies", "0", "--out", o,
            ],
            "copies",
        ),
        (
            &["map", "phase", "-o", "gd", "--x", "bogus:0:1", "--out", o],
            "bogus",
        ),
        (
            &["map", "phase", "-o", "gd", "--x", "lr:1:0.1", "--out", o],
            "MIN < MAX",
        ),
        (
            &[
                "map",
                "phase",
                "-o",
                "gd",
                "--y",
                "momentum:0.5:0.5",
                "--out",
                o,
            ],
            "MIN < MAX",
        ),
        (
            &["map", "phase", "-o", "gd", "--x", "lr:0:1:log", "--out", o],
            "log",
        ),
        (
            &[
                "map",
                "phase",
                "-o",
                "gd",
                "--x",
                "nesterov:0:1",
                "--out",
                o,
            ],
            "not a real",
        ),
        (
            &["map", "phase", "-o", "gd", "--x", "lr:a:1", "--out", o],
            "not a finite number",
        ),
        (
            &["map", "basins", "-o", "gd", "--racer", "3", "--out", o],
            "racer",
        ),
        (
            &["map", "basins", "-o", "gd", "--tol", "-1", "--out", o],
            "tol",
        ),
        (
            &["map", "basins", "-o", "gd", "--out", "x.txt"],
            ".png, .csv or .json",
        ),
        (&["map", "basins", "--out", o], "no optimizer"),
        (&["tune", "-o", "gd", "--tol", "0"], "--tol"),
        (
            &[
                "map",
                "basins",
                "--surface",
                "linear-regression",
                "--data",
                "line",
                "-o",
                "gd:lr=0.1",
                "--batch",
                "5",
                "--out",
                o,
            ],
            "takes minibatches; maps over many runs step full batches (remove its batch=",
        ),
    ];
    for (args, needle) in cases {
        let result = descent(args);
        let err = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert!(!out.exists());
}
