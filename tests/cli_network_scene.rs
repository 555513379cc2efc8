//! A network scene from the command line: `descent run`, `render` and `landscape` take a
//! scene whose surface is a model (`mlp:…`), and each does exactly what the same training
//! given as flags does.

use std::path::PathBuf;
use std::process::{Command, Output};

fn descent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_descent"))
        .args(args)
        .output()
        .expect("the descent binary runs")
}

fn stdout(args: &[&str]) -> Vec<u8> {
    let out = descent(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-netscene-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A small network scene, and the `descent train` flags that describe the same training.
const SCENE: &str = r#"Scene(
    title: "Moons",
    surface: "mlp:hidden=8,activation=tanh",
    data: Some("moons:n=80"),
    init: Some("he"),
    test: Some(0.25),
    racers: [
        (optimizer: "gd:lr=0.2"),
        (optimizer: "sgd-off", enabled: false),
        (optimizer: "adam:lr=0.01,batch=16"),
    ],
    lr_scale: 2.0,
    steps: 30,
    seed: 4,
)"#;
const FLAGS: &[&str] = &[
    "--model",
    "mlp:hidden=8,activation=tanh",
    "--data",
    "moons:n=80",
    "--init",
    "he",
    "--test",
    "0.25",
    "-o",
    "gd:lr=0.4",
    "-o",
    "adam:lr=0.02,batch=16",
    "--steps",
    "30",
    "--seed",
    "4",
];

fn scene_file() -> String {
    // The disabled racer's optimizer must still be a valid spec.
    let path = temp("moons.ron");
    std::fs::write(&path, SCENE.replace("sgd-off", "gd:lr=9")).unwrap();
    path.display().to_string()
}

#[test]
fn run_prints_the_rows_train_prints_for_the_same_training() {
    let scene = scene_file();
    let from_scene = stdout(&["run", &scene, "--every", "10"]);
    let from_flags = stdout(&[&["train", "--every", "10"], FLAGS].concat());
    assert!(String::from_utf8_lossy(&from_scene).starts_with(
        "optimizer,step,loss,accuracy,grad_norm,lr,evals,status,epoch,samples,test_loss,test_accuracy\n"
    ));
    assert_eq!(from_scene, from_flags);
    let summary = stdout(&["run", &scene, "--summary"]);
    let flags_summary = stdout(&[&["train", "--summary"], FLAGS].concat());
    assert_eq!(summary, flags_summary);
}

#[test]
fn landscape_slices_the_scene_as_it_slices_the_flags() {
    let scene = scene_file();
    let (a, b) = (temp("scene.json"), temp("flags.json"));
    let args = ["--grid", "9", "--out"];
    stdout(&[&["landscape", &scene], &args[..], &[a.to_str().unwrap()]].concat());
    stdout(&[&["landscape"], FLAGS, &args[..], &[b.to_str().unwrap()]].concat());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // The scene replaces the training flags; mixing them is refused in one line.
    let mixed = descent(&["landscape", &scene, "--steps", "5", "--out", "x.json"]);
    assert_eq!(mixed.status.code(), Some(2));
    let message = String::from_utf8_lossy(&mixed.stderr);
    assert!(message.contains("replaces the training flags"), "{message}");
}

#[test]
fn render_draws_the_slice_of_a_network_scene() {
    let scene = scene_file();
    let png = temp("moons.png");
    let out = png.to_str().unwrap();
    stdout(&["render", &scene, "--out", out, "--size", "320x200"]);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    // A line has no map: a line scene is drawn on the PCA plane of its paths.
    let line = temp("line.ron");
    let text = SCENE
        .replace("sgd-off", "gd:lr=9")
        .replace("seed: 4,", "seed: 4, plane: Some(\"line\"),");
    std::fs::write(&line, text).unwrap();
    let gif = temp("line.gif");
    stdout(&[
        "render",
        line.to_str().unwrap(),
        "--out",
        gif.to_str().unwrap(),
        "--size",
        "160x100",
    ]);
    assert_eq!(&std::fs::read(&gif).unwrap()[..3], b"GIF");
}
