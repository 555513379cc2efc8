//! The fuzzers' findings as ordinary tests: every committed corpus file and crash input
//! (`fuzz/corpus/TARGET/*`, `fuzz/artifacts/TARGET/*`) goes through the same entry point
//! its fuzz target drives (`descent::fuzzing`), so CI replays them without the fuzzer.

use std::path::Path;

fn replay(target: &str, entry: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for folder in ["corpus", "artifacts"] {
        let Ok(files) = std::fs::read_dir(root.join(folder).join(target)) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if file.file_name().to_string_lossy().starts_with('.') || !path.is_file() {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| entry(&data));
            assert!(outcome.is_ok(), "{} fails", path.display());
            count += 1;
        }
    }
    assert!(count > 0, "no committed inputs for {target}");
}

#[test]
fn expression_corpus() {
    replay("expression", descent::fuzzing::expression);
}

#[test]
fn specs_corpus() {
    replay("specs", descent::fuzzing::specs);
}

#[test]
fn scene_corpus() {
    replay("scene", descent::fuzzing::scene);
}
