//! `descent landscape` and the slices under it (issue 19): the JSON contract for every plane,
//! the line's ends at the init and final losses, grid cells equal to the loss at their point
//! of the plane, paths with one (a, b, off_plane, loss) per step, a PNG of the right size,
//! and every bad plane, grid, racer, span or file name refused in one line with exit 2.

use std::path::PathBuf;
use std::process::{Command, Output};

use descent::slice::PlaneKind;
use descent::train::TrainSpec;
use descent::train::slice::{SliceSpec, slice};
use serde_json::Value;

const TRAIN: &[&str] = &[
    "--model",
    "mlp:hidden=6",
    "--data",
    "moons:n=40",
    "-o",
    "adam:lr=0.05",
    "-o",
    "gd:lr=0.5",
    "--steps",
    "30",
];

fn descent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_descent"))
        .args(args)
        .output()
        .expect("the descent binary runs")
}

fn out_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-landscape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `descent landscape --plane PLANE [extra] TRAIN --out NAME`, its JSON.
fn landscape_json(plane: &str, extra: &[&str]) -> Value {
    let out = out_path(&format!("{plane}.json"));
    let mut args = vec![
        "landscape",
        "--plane",
        plane,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(TRAIN);
    let run = descent(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn every_plane_writes_the_json_contract_in_the_tensor_layout() {
    // 2-6-2: 0.weight 6×2, 0.bias 6, 2.weight 2×6, 2.bias 2.
    let lengths = [12, 6, 12, 2];
    for (plane, directions) in [("pca", 2), ("random", 2), ("line", 1)] {
        let j = landscape_json(plane, &["--grid", "9"]);
        assert_eq!(j["plane"], plane);
        let tensor_lengths = |v: &Value| -> Vec<usize> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_array().unwrap().len())
                .collect()
        };
        assert_eq!(tensor_lengths(&j["origin"]), lengths, "{plane}: origin");
        let dirs = j["directions"].as_array().unwrap();
        assert_eq!(dirs.len(), directions, "{plane}");
        for d in dirs {
            assert_eq!(tensor_lengths(d), lengths, "{plane}: direction");
        }
        assert_eq!(j["a"].as_array().unwrap().len(), 9);
        let loss = j["loss"].as_array().unwrap();
        if plane == "line" {
            assert!(
                j.get("b").is_none() && loss.len() == 9,
                "a line has one row over a"
            );
        } else {
            assert_eq!(j["b"].as_array().unwrap().len(), 9);
            assert!(loss.len() == 9 && loss.iter().all(|row| row.as_array().unwrap().len() == 9));
        }
        let paths = j["paths"].as_array().unwrap();
        assert_eq!(paths.len(), 2);
        for p in paths {
            let points = p["points"].as_array().unwrap();
            assert_eq!(points.len(), 31, "{plane}: one point per step, 0 ..= 30");
            for q in points {
                let q = numbers(q);
                assert!(
                    q.len() == 4 && q[2] >= 0.0,
                    "{plane}: (a, b, off_plane ≥ 0, loss)"
                );
            }
        }
        let explained = j.get("explained").map(numbers);
        if plane == "pca" {
            let r = explained.unwrap();
            assert!(
                r[0] >= r[1] && r[1] > 0.0 && r[0] + r[1] <= 1.0 + 1e-12,
                "{r:?}"
            );
            assert!((j["random_walk_pc1"].as_f64().unwrap() - 0.6079).abs() < 1e-4);
        } else {
            assert!(explained.is_none(), "{plane}: no explained variance");
        }
    }
}

fn training() -> descent::train::Training {
    TrainSpec {
        model: "mlp:hidden=6".into(),
        data: "moons:n=40".into(),
        optimizers: vec!["adam:lr=0.05".into(), "gd:lr=0.5".into()],
        steps: 30,
        ..TrainSpec::default()
    }
    .build()
    .unwrap()
}

fn spec(plane: PlaneKind, grid: usize) -> SliceSpec {
    SliceSpec {
        plane,
        racer: 1,
        grid,
        span: None,
        seed: 0,
        aspect: None,
    }
}

#[test]
fn the_line_runs_through_the_racers_init_and_final_loss() {
    let training = training();
    // 9 values over [−0.5, 1.5]: a = 0 is the 3rd, a = 1 the 7th.
    let s = slice(&training, &spec(PlaneKind::Line, 9), 1).unwrap();
    assert_eq!((s.a[2], s.a[6]), (0.0, 1.0));
    let path = &s.paths[1].points;
    let (first, last) = (path[0], path[path.len() - 1]);
    assert!(
        (s.loss[2] - first[3]).abs() <= 1e-12 * first[3],
        "init loss"
    );
    assert!((s.loss[6] - last[3]).abs() <= 1e-12 * last[3], "final loss");
    assert_eq!([first[0], first[2], last[0], last[2]], [0.0, 0.0, 1.0, 0.0]);
}

#[test]
fn each_cell_is_the_loss_at_its_point_of_the_plane() {
    let training = training();
    for plane in [PlaneKind::Pca, PlaneKind::Random] {
        let s = slice(&training, &spec(plane, 5), 2).unwrap();
        for (i, j) in [(0, 0), (2, 3), (4, 4)] {
            let want = s.loss_at(&training, s.a[i], s.b[j]);
            assert_eq!(
                s.at(i, j).to_bits(),
                want.to_bits(),
                "{plane:?} cell ({i}, {j})"
            );
        }
        let first = s.paths[0].points[0];
        let second = s.paths[1].points[0];
        assert_eq!(
            first, second,
            "{plane:?}: every racer starts at the same point"
        );
    }
}

#[test]
fn a_png_of_the_pca_slice_has_the_asked_size() {
    let out = out_path("slice.png");
    let mut args = vec![
        "landscape",
        "--out",
        out.to_str().unwrap(),
        "--size",
        "320x200",
    ];
    args.extend_from_slice(&["--grid", "9"]);
    args.extend_from_slice(TRAIN);
    let run = descent(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (320, 200));
}

#[test]
fn bad_slices_are_one_line_and_exit_2_writing_nothing() {
    let cases: &[(&[&str], &str)] = &[
        (&["--plane", "cube"], "invalid value 'cube'"),
        (
            &["--grid", "1"],
            "--grid must be a whole number in 2 ..= 257, got 1",
        ),
        (
            &["--grid", "300"],
            "--grid must be a whole number in 2 ..= 257, got 300",
        ),
        (
            &["--plane", "random", "--racer", "5"],
            "--racer 5 does not exist: the racers are 0 ..= 1",
        ),
        (
            &["--span", "-1"],
            "--span must be a number in (0, 1e150], got -1",
        ),
        (
            &["--plane", "line", "--size", "64x64"],
            "a line slice has no map to draw",
        ),
    ];
    for (extra, expected) in cases {
        let out = out_path("bad.png");
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["landscape", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.extend_from_slice(TRAIN);
        let run = descent(&args);
        assert_eq!(run.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(err.lines().count(), 1, "{extra:?}: {err}");
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(!out.exists(), "{extra:?}: nothing written");
    }
    let txt = out_path("slice.txt");
    let run = descent(&[&["landscape", "--out", txt.to_str().unwrap()], TRAIN].concat());
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("must end in .json, .csv or .png"));
}

#[test]
fn a_diverged_racer_neither_shapes_the_plane_nor_anchors_one() {
    // gd at lr 10⁶ on a regression line diverges within a few steps, its last point beyond
    // the divergence box; Adam converges.
    let training = TrainSpec {
        model: "mlp:hidden=4".into(),
        data: "line:n=20".into(),
        optimizers: vec!["adam:lr=0.05".into(), "gd:lr=1e6".into()],
        steps: 30,
        ..TrainSpec::default()
    }
    .build()
    .unwrap();
    let mut pca = spec(PlaneKind::Pca, 5);
    pca.racer = 0;
    let s = slice(&training, &pca, 1).unwrap();
    let diverged = s.paths[1].points.last().unwrap();
    let extent = s.a[4] - s.a[0];
    assert!(
        s.paths[1].points.len() < 31 && extent < 1e3,
        "the grid spans the live points (width {extent}), not the diverged one at {diverged:?}"
    );
    for plane in [PlaneKind::Line, PlaneKind::Random] {
        let message = slice(&training, &spec(plane, 5), 1).unwrap_err().0;
        assert!(message.starts_with("racer 1 diverged"), "{message}");
    }
}
