//! Networks from the command line, end to end: `descent list models|datasets|inits`,
//! `descent gradcheck --model` and `descent train`; every bad input is one line on stderr,
//! exit code 2, and no output file. Small nets and few steps: the file runs in seconds.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

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

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&stdout(args)).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// The one-line message of a refused command (exit 2, nothing on stdout).
fn refused(args: &[&str]) -> String {
    let out = descent(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "{args:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err}");
    err.trim_end().to_string()
}

/// A file in this process's own directory.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-cli-train-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// CSV rows (header first) split into cells.
fn rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// A small training: mlp 2-4-2 on 20 moons.
const NET: [&str; 5] = ["train", "--model", "mlp:hidden=4", "--data", "moons:n=20"];

fn train(extra: &[&str]) -> String {
    let mut args = NET.to_vec();
    args.extend_from_slice(extra);
    stdout(&args)
}

#[test]
fn list_models_names_the_model_its_defaults_the_order_and_the_losses() {
    let text = stdout(&["list", "models"]);
    for needle in [
        "mlp: ",
        "hidden = 0",
        "activation = tanh",
        "[tanh|relu|sigmoid|identity]",
        "activation=relu: σ(z) = max(0, z) (torch.nn.ReLU)",
        "each layer's weight (out × in, row-major), then its bias",
        "0.weight 16×2, 0.bias 16, 2.weight 3×16, 2.bias 3",
        "at most 100000 parameters",
        "cross-entropy: torch.nn.CrossEntropyLoss",
        "mse: torch.nn.MSELoss",
        "(default for class data)",
        "(default for regression data)",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let j = json(&["list", "models", "--format", "json"]);
    let mlp = &j["models"][0];
    assert_eq!(mlp["name"], "mlp");
    assert_eq!(mlp["default"], "mlp:hidden=0,activation=tanh");
    assert_eq!(mlp["params"][0]["name"], "hidden");
    assert_eq!(mlp["params"][0]["default"], "0");
    assert_eq!(mlp["params"][1]["default"], "tanh");
    assert_eq!(mlp["max_parameters"], 100_000);
    assert_eq!(mlp["activations"].as_array().unwrap().len(), 4);
    let lengths: Vec<u64> = mlp["example"]["tensors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["len"].as_u64().unwrap())
        .collect();
    assert_eq!(lengths, [32, 16, 48, 3]);
    let losses: Vec<&str> = j["losses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(losses, ["cross-entropy", "mse"]);
    assert_eq!(j["losses"][1]["default_for"][0], "regression");
}

#[test]
fn list_datasets_adds_the_network_datasets_and_csv_forms() {
    let text = stdout(&["list", "datasets"]);
    assert!(
        text.starts_with("line (Regression): "),
        "the 2-D list first"
    );
    for name in ["spirals", "moons", "circles", "xor", "gauss"] {
        assert!(
            text.contains(&format!("\n{name} (Classification): ")),
            "{name}"
        );
    }
    assert!(text.contains("n = 300"), "spirals' default n");
    assert!(text.contains("x1,…,xd,label"), "{text}");
    let j = json(&["list", "datasets", "--format", "json"]);
    let entries = j.as_array().unwrap();
    let spirals = entries.iter().find(|e| e["name"] == "spirals").unwrap();
    assert_eq!(spirals["for"], serde_json::json!(["network"]));
    assert_eq!(spirals["params"][0]["name"], "n");
    assert_eq!(spirals["params"][0]["default"], "300");
    let line = entries.iter().find(|e| e["name"] == "line").unwrap();
    assert_eq!(line["for"], serde_json::json!(["surface", "network"]));
}

#[test]
fn list_inits_gives_each_scheme_its_formula_and_the_file_form() {
    let text = stdout(&["list", "inits"]);
    for needle in [
        "torch: ",
        "U(−1/√fan_in, 1/√fan_in)",
        "xavier: Glorot uniform",
        "he: Kaiming normal",
        "N(0, 2/fan_in), b = 0",
        "zeros: every parameter 0",
        "symmetry",
        "scale = 1.0",
        "FILE.json: {\"parameters\": [[…], …]}",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let j = json(&["list", "inits", "--format", "json"]);
    let names: Vec<&str> = j["schemes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["torch", "xavier", "he", "zeros"]);
    assert_eq!(j["schemes"][0]["params"][0]["name"], "scale");
    assert_eq!(j["file"]["form"], "{\"parameters\": [[…], …]}");
}

/// The number after `key` in `text` (up to the next `,` or `;` or space).
fn number_after(text: &str, key: &str) -> f64 {
    let rest = &text[text.find(key).unwrap_or_else(|| panic!("{key}: {text}")) + key.len()..];
    let end = rest.find([',', ';', ' ', '\n']).unwrap_or(rest.len());
    rest[..end].parse().unwrap()
}

#[test]
fn gradcheck_of_a_network_agrees_with_backpropagation() {
    let check = [
        "gradcheck",
        "--model",
        "mlp:hidden=4",
        "--data",
        "moons:n=20",
    ];
    let text = stdout(&check);
    assert!(text.contains("parameters: 22 (0.weight 4×2, 0.bias 4, 2.weight 2×4, 2.bias 2)"));
    let best = &text[text.find("best central: ").unwrap()..];
    assert!(number_after(best, "error ") < 1e-7, "{text}");
    assert!(text.contains("per tensor at the best h:"), "{text}");

    let j = json(&[&check[..], &["--format", "json"]].concat());
    assert_eq!(j["parameters"], 22);
    let central = j["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["scheme"] == "central")
        .filter_map(|r| r["relative_error"].as_f64())
        .fold(f64::INFINITY, f64::min);
    assert!(central < 1e-7, "{central}");

    let csv = stdout(
        &[
            &check[..],
            &["--format", "csv", "--init", "he", "--seed", "3"],
        ]
        .concat(),
    );
    let table = rows(&csv);
    assert_eq!(
        table[0].join(","),
        "scheme,h,relative_error,worst_index,worst_tensor,worst_exact,worst_numeric,\
         0.weight,0.bias,2.weight,2.bias"
    );
    assert_eq!(table.len(), 1 + 2 * 12);
    assert!(table[1..].iter().all(|r| r.len() == 11));
}

#[test]
fn gradcheck_refuses_bad_network_inputs_in_one_line() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["gradcheck", "--model", "mlp"],
            "required arguments were not provided: --data",
        ),
        (
            &[
                "gradcheck",
                "--model",
                "mlp:activation=swish",
                "--data",
                "moons",
            ],
            "error: mlp: activation must be tanh, relu, sigmoid or identity, got 'swish'",
        ),
        (
            &[
                "gradcheck",
                "--model",
                "mlp",
                "--data",
                "moons",
                "--at",
                "1,1",
            ],
            "'--model <SPEC>' cannot be used with '--at <X,Y>'",
        ),
        (
            &["gradcheck", "--at", "1,1", "--loss", "mse"],
            "--loss is for a network's check (--model SPEC --data SPEC)",
        ),
        (
            &[
                "gradcheck",
                "--model",
                "mlp",
                "--data",
                "line",
                "--loss",
                "cross-entropy",
            ],
            "cross-entropy needs class labels, but line holds real targets",
        ),
    ];
    for (args, expected) in cases {
        let err = refused(args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn train_prints_every_kth_step_of_each_optimizer_from_one_start() {
    let csv = train(&[
        "-o",
        "gd:lr=0.5",
        "-o",
        "adam:lr=0.05",
        "--steps",
        "10",
        "--every",
        "5",
    ]);
    let t = rows(&csv);
    assert_eq!(
        t[0].join(","),
        "optimizer,step,loss,accuracy,grad_norm,lr,evals,status,epoch,samples"
    );
    assert_eq!(t.len(), 1 + 2 * 3, "{csv}");
    let steps: Vec<&str> = t[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(steps, ["0", "0", "5", "5", "10", "10"]);
    assert_eq!(
        (t[1][0].as_str(), t[2][0].as_str()),
        ("gd:lr=0.5", "adam:lr=0.05")
    );
    // step 0 is the shared initialization: loss, accuracy and gradient norm agree
    assert_eq!(t[1][2..5], t[2][2..5]);
    assert_ne!(t[5][2], t[6][2], "the optimizers part ways");
}

#[test]
fn train_is_seeded() {
    let run = |seed: &str| {
        train(&[
            "-o",
            "gd:lr=0.3",
            "--batch",
            "5",
            "--steps",
            "6",
            "--seed",
            seed,
        ])
    };
    assert_eq!(run("4"), run("4"), "byte for byte");
    assert_ne!(run("4"), run("5"));
}

#[test]
fn train_adds_test_and_sharpness_columns() {
    let csv = train(&["-o", "gd:lr=0.5", "--steps", "2", "--test", "0.25"]);
    let t = rows(&csv);
    assert!(t[0].join(",").ends_with(",samples,test_loss,test_accuracy"));
    assert!(t[1..].iter().all(|r| r.len() == 12 && !r[10].is_empty()));
    assert_eq!(t[1][9], "0", "samples of step 0");
    assert_eq!(t[2][9], "15", "15 training points (20 less a quarter)");

    let csv = train(&["-o", "gd:lr=0.5", "--steps", "2", "--sharpness"]);
    let t = rows(&csv);
    assert!(t[0].join(",").ends_with(",samples,sharpness,lambda_min"));
    for r in &t[1..] {
        let (max, min): (f64, f64) = (r[10].parse().unwrap(), r[11].parse().unwrap());
        assert!(max > 0.0 && min <= max, "{r:?}");
    }
}

#[test]
fn train_json_parses_and_writes_non_finite_numbers_as_null() {
    let j = json(
        &[
            &NET[..],
            &["-o", "adam:lr=0.05", "--steps", "3", "--format", "json"],
        ]
        .concat(),
    );
    let rows = j.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3]["step"], 3);
    assert!(rows[3]["accuracy"].as_f64().is_some());
    assert_eq!(rows[0]["status"], "running");

    let j = json(&[
        "train",
        "--model",
        "mlp:hidden=4",
        "--data",
        "line",
        "-o",
        "gd:lr=1e300",
        "--steps",
        "5",
        "--format",
        "json",
    ]);
    let last = j.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["status"], "diverged");
    assert!(
        last["loss"].is_null() && last["grad_norm"].is_null(),
        "{last}"
    );
    assert!(last["accuracy"].is_null(), "regression has no accuracy");
}

#[test]
fn weights_out_holds_torch_tensors_that_start_the_next_training() {
    let weights = file("weights.json", "");
    std::fs::remove_file(&weights).unwrap();
    let csv = train(&[
        "-o",
        "gd:lr=0.5",
        "-o",
        "adam:lr=0.05",
        "--steps",
        "10",
        "--final",
        "--weights-out",
        weights.to_str().unwrap(),
    ]);
    let finals = rows(&csv);
    let w: Value = serde_json::from_str(&std::fs::read_to_string(&weights).unwrap()).unwrap();
    let w = w.as_array().unwrap();
    assert_eq!(w.len(), 2);
    assert_eq!(w[1]["optimizer"], "adam:lr=0.05");
    let lengths: Vec<usize> = w[1]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_array().unwrap().len())
        .collect();
    // H = 4 hidden units, 2 features, 2 classes: 0.weight 4×2, 0.bias, 2.weight 2×4, 2.bias
    assert_eq!(lengths, [2 * 4, 4, 2 * 4, 2]);

    let adam = serde_json::json!({ "parameters": w[1]["parameters"] });
    let init = file("adam.json", &adam.to_string());
    let again = train(&[
        "-o",
        "gd:lr=0.5",
        "--steps",
        "1",
        "--init",
        init.to_str().unwrap(),
    ]);
    let again = rows(&again);
    assert_eq!(again[1][1], "0");
    assert_eq!(
        again[1][2], finals[2][2],
        "the final loss of adam is the next run's step 0 loss"
    );
    assert_eq!(again[1][3], finals[2][3], "and its accuracy");
}

#[test]
fn a_diverging_lr_is_a_status_not_a_failure() {
    let out = descent(&[
        "train",
        "--model",
        "mlp:hidden=4",
        "--data",
        "line",
        "--loss",
        "mse",
        "-o",
        "gd:lr=1e6",
        "--steps",
        "20",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let csv = String::from_utf8(out.stdout).unwrap();
    let t = rows(&csv);
    let last = t.last().unwrap();
    assert_eq!(last[7], "diverged", "{csv}");
    assert!(t.len() < 1 + 21, "a diverged run stops: {csv}");
}

/// A path as an owned string, for a case's flags.
fn path_of(name: &str, text: &str) -> String {
    file(name, text).to_str().unwrap().to_string()
}

/// A bad input: flags (split at spaces) that replace or add to the small training's, and
/// a part of the message it gets.
fn case(flags: &str, expected: &str) -> (Vec<String>, String) {
    let flags = flags.split(' ').map(String::from).collect();
    (flags, expected.to_string())
}

/// Every bad input of `descent train` tried.
fn bad_training_cases() -> Vec<(Vec<String>, String)> {
    let gap = path_of("gap.csv", "x1,x2,label\n0,0,0\n1,1,2\n");
    let single = path_of("single.csv", "x1,x2,label\n0,0,1\n1,1,1\n");
    let nan = path_of("nan.csv", "x1,x2,label\n0,0,1\n1,NaN,0\n");
    let short = path_of("short.json", r#"{"parameters": [[1, 2], [3]]}"#);
    let not_json = path_of("not.json", "not json");
    let hidden = "hidden must be 0 (no hidden layer) or widths ≥ 1 joined by x";
    vec![
        case("--model mlp:hidden=16x0", hidden),
        case("--model mlp:hidden=abc", hidden),
        case(
            "--model mlp:activation=swish",
            "activation must be tanh, relu, sigmoid or identity, got 'swish'",
        ),
        case(
            "--model mlp:hidden=1000x1000",
            "mlp: 2-1000-1000-2 has 1006002 parameters, more than the 100000 accepted",
        ),
        case(
            &format!("--data {gap}"),
            &format!("{gap}: no point has label 1"),
        ),
        case(&format!("--data {single}"), "needs at least two classes"),
        case(
            &format!("--data {nan}"),
            &format!("{nan}:3: 'NaN' is not a finite number"),
        ),
        case(
            &format!("--init {short}"),
            "2 tensors, expected 4 for mlp 2-4-2",
        ),
        case(&format!("--init {not_json}"), "not JSON of the form"),
        case(
            "--data moons:n=1e9",
            "n must be a whole number in 1 ..= 100000",
        ),
        case("--init torch:scale=2e6", "scale must be in [0, 1000000]"),
        case("-o gd:lr=-1", "gd: lr must be ≥ 0, got '-1'"),
        case(
            "--data line --loss cross-entropy",
            "cross-entropy needs class labels, but line holds real targets (use mse)",
        ),
        case("--batch 0", "gd: batch 0 is not in 1 ..= 20"),
        case("--batch 21", "gd: batch 21 is not in 1 ..= 20"),
        case("--test 1.5", "the test fraction must be a number in (0, 1)"),
        case(
            "--model mlp:hidden=1000 -o newton",
            "newton: 5002 parameters, more than the 2000 it handles",
        ),
    ]
}

#[test]
fn bad_training_inputs_are_one_line_and_write_nothing() {
    let out = file("never.csv", "");
    std::fs::remove_file(&out).unwrap();
    for (changes, expected) in bad_training_cases() {
        let mut flags = vec!["--model", "mlp:hidden=4", "--data", "moons:n=20"];
        let mut extra = Vec::new();
        for pair in changes.chunks(2) {
            match flags.iter().position(|f| *f == pair[0]) {
                Some(i) => flags[i + 1] = &pair[1],
                None => extra.extend([pair[0].as_str(), &pair[1]]),
            }
        }
        if !extra.contains(&"-o") {
            extra.extend(["-o", "gd"]);
        }
        let mut args = vec!["train"];
        args.extend(flags);
        args.extend(extra);
        args.extend(["--steps", "2", "--out", out.to_str().unwrap()]);
        let err = refused(&args);
        assert!(
            err.starts_with("error: ") && err.contains(&expected),
            "{args:?}: {err}"
        );
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
}

#[test]
fn a_network_over_the_cap_is_refused_before_anything_is_allocated() {
    let start = std::time::Instant::now();
    let err = refused(&[
        "train",
        "--model",
        "mlp:hidden=100000x100000x100000",
        "--data",
        "moons:n=20",
        "-o",
        "gd",
    ]);
    assert!(err.contains("more than the 100000 accepted"), "{err}");
    assert!(start.elapsed().as_secs_f64() < 2.0, "{:?}", start.elapsed());
}
