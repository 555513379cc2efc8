//! `descent data`, `descent gradcheck`, `descent list datasets` and the data flags of
//! `descent run`, end to end; every bad input is one line on stderr and exit code 2.

use std::path::PathBuf;
use std::process::{Command, Output};

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

/// The one-line message of a refused command (exit 2).
fn refused(args: &[&str]) -> String {
    let out = descent(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err}");
    err.trim_end().to_string()
}

fn csv_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-cli-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn data_prints_points_that_read_back_identically() {
    let csv = stdout(&["data", "blobs:n=8,seed=2"]);
    assert!(csv.starts_with("x1,x2,label\n"));
    assert_eq!(csv.lines().count(), 9);
    let path = csv_file("blobs.csv", &csv);
    let again = stdout(&["data", path.to_str().unwrap()]);
    assert_eq!(again, csv, "written in shortest round-trip form");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["data", "line:n=3", "--format", "json"])).unwrap();
    assert_eq!(json["kind"], "regression");
    assert_eq!(json["points"].as_array().unwrap().len(), 3);
    assert_eq!(
        stdout(&["data", "points:0,1;2,3"]),
        "x,y\n0.0,1.0\n2.0,3.0\n"
    );
}

#[test]
fn list_datasets_names_every_generator_and_model() {
    let text = stdout(&["list", "datasets"]);
    for name in [
        "line",
        "outliers",
        "blobs",
        "sorted-line",
        "linear-regression",
        "linear-classifier",
    ] {
        assert!(text.contains(name), "{name}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["list", "datasets", "--format", "json"])).unwrap();
    let entries = json.as_array().unwrap();
    let for_surfaces = entries
        .iter()
        .filter(|e| e["for"].as_array().unwrap().iter().any(|u| u == "surface"))
        .count();
    assert_eq!(for_surfaces, 4);
    let surfaces = stdout(&["list", "surfaces"]);
    assert!(
        surfaces.contains("loss=logistic on blobs: minimum at"),
        "{surfaces}"
    );
}

#[test]
fn run_on_data_adds_epoch_and_samples_columns() {
    let text = stdout(&[
        "run",
        "--surface",
        "linear-regression",
        "--data",
        "line:n=10",
        "-o",
        "gd:lr=0.1",
        "--batch",
        "4",
        "--no-shuffle",
        "--steps",
        "3",
    ]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "optimizer,step,x,y,loss,grad_norm,lr,evals,status,epoch,samples"
    );
    assert!(lines[3].ends_with(",0.8,8"), "{}", lines[3]);
    assert!(
        lines[4].ends_with(",1.0,10"),
        "the last batch holds 2: {}",
        lines[4]
    );
    let json = stdout(&[
        "run",
        "--surface",
        "linear-classifier",
        "-o",
        "adam:lr=0.1,batch=5",
        "--steps",
        "2",
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[2]["samples"], 10);
    // Analytic surfaces keep their columns.
    let plain = stdout(&["run", "-o", "gd", "--steps", "1"]);
    assert!(plain.starts_with("optimizer,step,x,y,loss,grad_norm,lr,evals,status\n"));
}

#[test]
fn gradcheck_prints_the_table_in_three_formats() {
    let text = stdout(&[
        "gradcheck",
        "--surface",
        "linear-regression",
        "--data",
        "line",
        "--at",
        "0.5,-1",
    ]);
    assert!(
        text.contains("f64 forward") && text.contains("best f64 central"),
        "{text}"
    );
    let csv = stdout(&["gradcheck", "--at", "-1.2,1", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 49);
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "gradcheck",
        "--at",
        "-1.2,1",
        "--format",
        "json",
    ]))
    .unwrap();
    let gx = json["gradient"][0].as_f64().unwrap();
    assert!(
        (gx + 215.6).abs() < 1e-12,
        "∂f/∂x of Rosenbrock at (-1.2, 1): {gx}"
    );
}

#[test]
fn bad_data_input_is_one_line_and_exit_2() {
    let no_header = csv_file("no-header.csv", "1,2\n3,4\n");
    let columns = csv_file("columns.csv", "x,y\n1,2\n3,4,5\n");
    let nan = csv_file("nan.csv", "x,y\n1,nan\n");
    let word = csv_file("word.csv", "x,y\n1,two\n");
    let label = csv_file("label.csv", "x1,x2,label\n1,2,3\n");
    let one_class = csv_file("one.csv", "x1,x2,label\n1,2,1\n3,4,1\n");
    let empty = csv_file("empty.csv", "x,y\n");
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec!["data".into(), no_header.display().to_string()],
            format!(
                "error: {}:1: missing header row (expected x,y or x1,x2,label), got '1,2'",
                no_header.display()
            ),
        ),
        (
            vec!["data".into(), columns.display().to_string()],
            format!(
                "error: {}:3: 3 columns, but the header 'x,y' has 2",
                columns.display()
            ),
        ),
        (
            vec!["data".into(), nan.display().to_string()],
            format!("error: {}:2: 'nan' is not a finite number", nan.display()),
        ),
        (
            vec!["data".into(), word.display().to_string()],
            format!("error: {}:2: 'two' is not a number", word.display()),
        ),
        (
            vec!["data".into(), label.display().to_string()],
            format!(
                "error: {}:2: label '3' must be -1 or 1 (or 0 or 1)",
                label.display()
            ),
        ),
        (
            vec!["data".into(), one_class.display().to_string()],
            format!(
                "error: {}: all 2 points are in one class; a classifier needs both labels (-1 and 1, or 0 and 1)",
                one_class.display()
            ),
        ),
        (
            vec!["data".into(), empty.display().to_string()],
            format!(
                "error: {}: the file has a header but no points",
                empty.display()
            ),
        ),
        (
            vec!["data".into(), "missing.csv".into()],
            "error: cannot read missing.csv: No such file or directory (os error 2)".into(),
        ),
        (
            vec!["data".into(), "line:n=0".into()],
            "error: line: n must be a whole number ≥ 1, got '0'".into(),
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(refused(&args), expected);
    }
}

#[test]
fn bad_batches_and_mismatched_losses_are_refused() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "--surface",
            "linear-regression",
            "--data",
            "line:n=20",
            "-o",
            "gd",
        ];
        args.extend_from_slice(extra);
        refused(&args)
    };
    assert_eq!(
        run(&["--batch", "0"]),
        "error: gd: batch 0 is not in 1 ..= 20, the number of points of line:n=20"
    );
    assert_eq!(
        run(&["--batch", "21"]),
        "error: gd: batch 21 is not in 1 ..= 20, the number of points of line:n=20"
    );
    assert_eq!(
        refused(&["run", "-o", "gd:batch=4"]),
        "error: batch 4 needs a data surface (e.g. --surface linear-regression --data line); 'rosenbrock' has no points"
    );
    assert_eq!(
        refused(&[
            "run",
            "--surface",
            "linear-regression:loss=logistic",
            "-o",
            "gd"
        ]),
        "error: linear-regression: loss must be one of mse, mae, huber, got 'logistic'"
    );
    assert!(
        refused(&[
            "run",
            "--surface",
            "linear-regression",
            "--data",
            "blobs",
            "-o",
            "gd"
        ])
        .contains("needs regression data, but blobs is classification data")
    );
    assert!(refused(&["run", "--data", "line", "-o", "gd"]).contains("needs a model surface"));
    assert!(refused(&["gradcheck", "--at", "1"]).contains("point '1' must be two finite numbers"));
}

#[test]
fn a_scene_with_bad_data_names_the_field_line() {
    let path = csv_file(
        "bad-data.ron",
        "Scene(\n  surface: \"linear-regression\",\n  data: Some(\"line:n=0\"),\n  racers: [Racer(optimizer: \"gd\")],\n)\n",
    );
    let err = refused(&["run", path.to_str().unwrap()]);
    assert_eq!(
        err,
        format!(
            "error: {}:3:3: line: n must be a whole number ≥ 1, got '0'",
            path.display()
        )
    );
}
