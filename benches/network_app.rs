//! A network scene in the app: the reference preset's training (4 racers × 1,000 steps of a
//! 2-16-16-3 tanh net on 300 points), its slice and its gradient check as the background jobs
//! run them, and whole app frames (egui's pass plus tessellation) while that training runs on
//! another thread and once it has finished.
//!
//! `cargo bench --features gui --bench network_app`; medians are in the README.

#[path = "support/frame.rs"]
#[allow(dead_code)] // the map bench's scene and harness; this file times its own
mod frame;

use std::sync::Arc;
use std::time::{Duration, Instant};

use descent::app::{DESIGN_SIZE, DescentApp, Options};
use descent::scene::{Racer, SLICE_GRID, Scene};
use descent::train::live::{LiveTraining, stretches};
use descent::train::slice::slice_of_paths;
use egui_kittest::Harness;

fn main() {
    divan::main();
}

/// The reference: 4 racers × 1,000 steps of a 16×16 net on 300 points.
fn reference() -> Scene {
    Scene {
        surface: "mlp:hidden=16x16,activation=tanh".into(),
        data: Some("spirals:n=300,classes=3".into()),
        racers: vec![
            Racer::new("gd:lr=0.1"),
            Racer::new("momentum:lr=0.05,momentum=0.9"),
            Racer::new("rmsprop:lr=0.003"),
            Racer::new("adam:lr=0.01"),
        ],
        steps: 1000,
        speed: 100.0,
        ..Scene::default()
    }
}

/// The training as the app's job runs it: every stretch, each record measured.
#[divan::bench(sample_count = 10)]
fn train_reference_preset(bencher: divan::Bencher) {
    let (spec, _) = reference().train_spec().unwrap();
    let training = Arc::new(spec.build().unwrap());
    bencher.bench(|| {
        let mut live = LiveTraining::new(Arc::clone(&training));
        for end in stretches(1000) {
            live.advance(end);
        }
        live.snapshot()
    });
}

/// The records alone (no accuracy), plain or each with the update-rule card's summary of its
/// step (the app's training keeps them): what the summaries cost.
#[divan::bench(args = ["plain", "summarized"], sample_count = 10)]
fn records_reference_preset(bencher: divan::Bencher, kind: &str) {
    let (spec, _) = reference().train_spec().unwrap();
    let training = spec.build().unwrap();
    bencher.bench(|| match kind {
        "plain" => training.records().count(),
        _ => training.records_summarized().count(),
    });
}

/// The first stretch (10 steps of every racer): what the first path on screen waits for.
#[divan::bench(sample_count = 50)]
fn first_stretch(bencher: divan::Bencher) {
    let (spec, _) = reference().train_spec().unwrap();
    let training = Arc::new(spec.build().unwrap());
    bencher.bench(|| {
        let mut live = LiveTraining::new(Arc::clone(&training));
        live.advance(stretches(1000)[0]);
        live.snapshot()
    });
}

/// The sharpness at 40 checkpoints of each of the 4 racers, after the paths are complete.
#[divan::bench(sample_count = 5)]
fn sharpness_checkpoints(bencher: divan::Bencher) {
    let (spec, _) = reference().train_spec().unwrap();
    let training = Arc::new(spec.build().unwrap());
    let mut live = LiveTraining::new(training);
    live.advance(1000);
    bencher.bench_local(|| live.measure_sharpness(40, || false));
}

/// The fine slice (PCA, 65²) of the complete paths, on 2 threads.
#[divan::bench(sample_count = 10)]
fn slice_reference_preset(bencher: divan::Bencher) {
    let scene = reference();
    let (spec, _) = scene.train_spec().unwrap();
    let training = Arc::new(spec.build().unwrap());
    let mut live = LiveTraining::new(Arc::clone(&training));
    live.advance(1000);
    let trajectories = live.snapshot();
    let slice = scene.slice_spec(SLICE_GRID, Some(1.0)).unwrap();
    bencher.bench(|| {
        let paths = trajectories.path_points();
        slice_of_paths(&training, &slice, &paths, 2).unwrap()
    });
}

/// The gradient check tab at the reference preset's init (371 weights, 300 points): its first
/// pass, forward differences for h = 1e-1 … 1e-12, then the whole check with the central ones.
#[divan::bench(args = ["forward", "both"], sample_count = 5)]
fn gradient_check(bencher: divan::Bencher, schemes: &str) {
    use descent::net::Rows;
    use descent::net::gradcheck::{Scheme, check_schemes};
    let (spec, _) = reference().train_spec().unwrap();
    let training = spec.build().unwrap();
    let schemes: &[Scheme] = match schemes {
        "forward" => &[Scheme::Forward],
        _ => &[Scheme::Forward, Scheme::Central],
    };
    let p = training.start().as_slice().to_vec();
    bencher.bench(|| check_schemes(training.network(), &p, Rows::All, schemes, &|| false));
}

fn app(scene: Scene, background: bool) -> Harness<'static, DescentApp> {
    Harness::builder()
        .with_size(egui::vec2(DESIGN_SIZE[0], DESIGN_SIZE[1]))
        .build_eframe(move |cc| {
            DescentApp::new(
                cc,
                Options {
                    scene: Some(scene),
                    background_maps: background,
                    ..Options::default()
                },
            )
        })
}

/// Frames while the reference preset trains on another thread: each sample is one frame; when
/// the training (and its slice) finishes, the lr is nudged and it trains again, as a teacher
/// dragging a slider would make it.
#[divan::bench(sample_count = 300)]
fn app_frame_while_training(bencher: divan::Bencher) {
    let mut h = app(reference(), true);
    h.run_steps(2);
    let mut lr = 0.1;
    bencher.bench_local(|| {
        let busy = h
            .state()
            .network()
            .is_some_and(|n| n.note.is_some() || !n.complete);
        if !busy {
            lr *= 1.01;
            let mut candidate = h.state().scene().clone();
            candidate.racers[0].optimizer = format!("gd:lr={lr}");
            h.state_mut().adopt(candidate);
        }
        frame::frame(&mut h)
    });
}

/// Frames of the finished preset playing: paths on the slice, four regions recomputed each
/// step.
#[divan::bench(sample_count = 200)]
fn app_frame_network_playing(bencher: divan::Bencher) {
    let mut h = app(reference(), false);
    h.run_steps(3);
    bencher.bench_local(|| frame::frame(&mut h));
    assert!(h.state().network().unwrap().complete);
}

/// From an edit to the first frame that shows the new training's paths (its first stretch:
/// until then the last training's complete paths stay on screen). Before each sample the
/// last training finishes, untimed.
#[divan::bench(sample_count = 20)]
fn first_path_after_an_edit(bencher: divan::Bencher) {
    let h = std::cell::RefCell::new(app(reference(), true));
    let lr = std::cell::Cell::new(0.1);
    // Not yet complete, and every racer has points (none before its first stretch arrives).
    let fresh = |n: &descent::app::NetworkShown| {
        !n.complete && !n.points.is_empty() && n.points.iter().all(|&p| p > 0)
    };
    bencher
        .with_inputs(|| {
            let mut h = h.borrow_mut();
            while h
                .state()
                .network()
                .is_none_or(|n| !n.complete || n.note.is_some())
            {
                h.step();
                std::thread::sleep(Duration::from_millis(2));
            }
        })
        .bench_local_values(|()| {
            let mut h = h.borrow_mut();
            lr.set(lr.get() * 1.01);
            let mut candidate = h.state().scene().clone();
            candidate.racers[0].optimizer = format!("gd:lr={}", lr.get());
            h.state_mut().adopt(candidate);
            let start = Instant::now();
            while h.state().network().is_none_or(|n| !fresh(&n)) {
                assert!(start.elapsed() < Duration::from_secs(10));
                h.step();
            }
        });
}
