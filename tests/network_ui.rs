//! The app on a network scene (egui_kittest): the map is the slice, the data view draws each
//! racer's decision regions, the dock's sharpness plot has the stability lines, an edit
//! retrains off the UI thread while frames are drawn, and bad edits keep the scene with a
//! red line. Small nets and few steps: the training is the work, not the test's point.
#![cfg(feature = "gui")]

mod common;

use std::time::{Duration, Instant};

use common::app_with;
use descent::app::{DescentApp, Options};
use descent::scene::{Racer, Scene};
use egui::accesskit::Role;
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// A small network scene: three racers on 60 moons, a quarter held out.
fn network() -> Scene {
    Scene {
        title: "Moons".into(),
        surface: "mlp:hidden=8,activation=tanh".into(),
        data: Some("moons:n=60".into()),
        test: Some(0.25),
        racers: vec![
            Racer::new("gd:lr=0.5"),
            Racer::new("momentum:lr=0.1,momentum=0.9"),
            Racer::new("adam:lr=0.02"),
        ],
        steps: 60,
        ..Scene::default()
    }
}

#[test]
fn the_map_is_the_slice_beside_the_decision_regions_and_the_plots() {
    let h = app_with(network(), 30.0);
    let shown = h.state().network().expect("a network scene");
    assert_eq!(shown.points, [61, 61, 61], "every step of every racer");
    assert!(shown.complete);
    assert_eq!(shown.slice, Some(("pca", 65)), "the fine PCA slice");
    assert_eq!(shown.regions, 3, "a small multiple per racer");
    assert_eq!(shown.stability_lines, 2, "gd and momentum; none for Adam");
    assert!(
        shown.sharpness_points >= 3 * 30,
        "{}",
        shown.sharpness_points
    );
    assert_eq!(shown.lines, 3, "each racer's init → end line");
    assert!(
        h.query_by_label_contains("PCA plane of all paths")
            .is_some()
    );
    assert!(h.query_by_label_contains("a random walk").is_some());
    let accuracies = h.query_all_by(|n| {
        n.role() == Role::Label && n.value().is_some_and(|v| v.contains("train "))
    });
    assert_eq!(
        accuracies.count(),
        3,
        "each racer's accuracies over its regions"
    );
    assert!(h.query_by_label_contains("sharpness").is_some());
    assert_eq!(h.state().step(), 30);
    // The metrics table, from the Teach menu: each racer's loss, accuracy and ‖∇f‖.
    assert!(h.query_by_label("‖∇f‖").is_none());
    let mut candidate = h.state().scene().clone();
    candidate.overlays.metrics = true;
    let mut h = h;
    h.state_mut().adopt(candidate);
    h.run_steps(2);
    assert!(h.query_by_label("‖∇f‖").is_some());
    assert!(
        h.query_all_by_label("adam").next().is_some(),
        "each racer's row"
    );
}

#[test]
fn another_plane_slices_again_without_retraining() {
    let mut h = app_with(network(), 10.0);
    let candidate = Scene {
        plane: Some("random".into()),
        racer: 2,
        ..h.state().scene().clone()
    };
    h.state_mut().adopt(candidate);
    h.run_steps(3);
    let shown = h.state().network().unwrap();
    assert_eq!(shown.slice, Some(("random", 65)));
    assert!(
        h.query_by_label_contains("random filter-normalized")
            .is_some()
    );
    let line = Scene {
        plane: Some("line".into()),
        ..h.state().scene().clone()
    };
    h.state_mut().adopt(line);
    h.run_steps(3);
    assert_eq!(h.state().network().unwrap().slice, Some(("line", 65)));
    // The 3D view shows the PCA slice as a surface, the paths at their true loss.
    let three_d = Scene {
        plane: None,
        layout: descent::scene::Layout::ThreeD,
        ..h.state().scene().clone()
    };
    h.state_mut().adopt(three_d);
    h.run_steps(3);
    assert!(h.query_by_label_contains("the slice in 3D").is_some());
    assert!(h.query_by_label_contains("drag to rotate").is_some());
}

/// The app with training in the background, as the interactive window runs it.
fn live_app(scene: Scene) -> Harness<'static, DescentApp> {
    Harness::builder()
        .with_size(vec2(1280.0, 720.0))
        .build_eframe(move |cc| {
            DescentApp::new(
                cc,
                Options {
                    scene: Some(scene),
                    background_maps: true,
                    ..Options::default()
                },
            )
        })
}

/// Draw frames until `done` holds (at most 60 s); returns the frames drawn.
fn frames_until(h: &mut Harness<'_, DescentApp>, done: impl Fn(&DescentApp) -> bool) -> usize {
    let start = Instant::now();
    let mut frames = 0;
    while !done(h.state()) {
        assert!(start.elapsed() < Duration::from_secs(60), "never done");
        h.run_steps(1);
        frames += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    frames
}

#[test]
fn an_edit_retrains_off_the_ui_thread_while_frames_are_drawn() {
    let scene = Scene {
        steps: 400,
        ..network()
    };
    let mut h = live_app(scene);
    h.run_steps(1);
    // The first frame returns before the training is done: it runs on another thread.
    let first = h.state().network().unwrap();
    assert!(!first.complete, "{first:?}");
    let complete = |app: &DescentApp| app.network().is_some_and(|n| n.slice.is_some());
    assert!(
        frames_until(&mut h, complete) > 1,
        "frames were drawn while it trained"
    );
    // An edit of the lr: the old slice stays while the new training runs.
    let mut candidate = h.state().scene().clone();
    candidate.racers[0].optimizer = "gd:lr=0.3".into();
    h.state_mut().adopt(candidate);
    h.run_steps(1);
    let during = h.state().network().unwrap();
    assert!(during.slice.is_some(), "the last slice stays on screen");
    let retrained = |app: &DescentApp| {
        app.network()
            .is_some_and(|n| n.complete && n.note.is_none() && n.sharpness_points > 0)
    };
    frames_until(&mut h, retrained);
    assert_eq!(h.state().scene().racers[0].optimizer, "gd:lr=0.3");
    assert_eq!(h.state().network().unwrap().points, [401, 401, 401]);
}

#[test]
fn bad_edits_keep_the_scene_with_a_red_line() {
    let mut h = app_with(network(), 5.0);
    let before = h.state().scene().clone();
    let candidate = Scene {
        surface: "mlp:hidden=8x0".into(),
        ..before.clone()
    };
    h.state_mut().adopt(candidate);
    h.run_steps(2);
    let error = h.state().error().expect("a red line").to_string();
    assert!(error.contains("hidden"), "{error}");
    assert_eq!(h.state().scene(), &before);
    assert!(
        h.query_by_label_contains("kept the previous setting")
            .is_some()
    );

    // A CSV the model cannot read keeps the scene too; one of three features trains, and
    // the data view says it cannot draw regions in three dimensions.
    let dir = std::env::temp_dir().join(format!("descent-network-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "x1,x2,label\n0,1,0\n1,oops,1\n").unwrap();
    h.state_mut().open_data_path(&bad);
    h.run_steps(2);
    assert!(h.state().error().unwrap().contains("bad.csv:3"));
    assert_eq!(h.state().scene().data, before.data);
    let three = dir.join("three.csv");
    let rows: String = (0..12)
        .map(|i| format!("{i},{},{},{}\n", i % 3, i % 5, i % 2))
        .collect();
    std::fs::write(&three, format!("x1,x2,x3,label\n{rows}")).unwrap();
    h.state_mut().open_data_path(&three);
    h.run_steps(3);
    assert_eq!(
        h.state().scene().data.as_deref(),
        Some(three.to_str().unwrap())
    );
    assert!(
        h.query_by_label_contains("decision regions need exactly two")
            .is_some()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_new_model_never_draws_the_last_models_paths() {
    let mut h = live_app(network());
    let sliced = |app: &DescentApp| {
        app.network()
            .is_some_and(|n| n.complete && n.slice.is_some() && n.note.is_none())
    };
    frames_until(&mut h, sliced);
    // Other widths, other classes: the old parameters fit neither the new network nor its
    // slice. Frames drawn before the new training's first stretch show no paths.
    let candidate = Scene {
        surface: "mlp:hidden=5x3".into(),
        data: Some("spirals:n=60,classes=3".into()),
        ..h.state().scene().clone()
    };
    h.state_mut().adopt(candidate);
    h.run_steps(1);
    let first = h.state().network().unwrap();
    assert!(first.points.iter().all(|&p| p < 61), "{first:?}");
    frames_until(&mut h, sliced);
    let done = h.state().network().unwrap();
    assert_eq!(done.points, [61, 61, 61]);
    assert_eq!(done.slice, Some(("pca", 65)));
}

#[test]
fn the_update_rule_card_and_the_gradient_check_read_a_network_step() {
    let mut scene = network();
    scene.racers.rotate_left(2); // Adam first: the card shows racer 0.
    scene.overlays.rule = true;
    let mut h = app_with(scene, 30.0);
    for label in ["‖m‖", "‖v‖", "‖Δθ‖ taken", "‖g‖ given", "ηᵢ min·med·max"]
    {
        assert!(h.query_all_by_label(label).next().is_some(), "{label}");
    }
    assert!(h.query_by_label_contains("step t = 30 → 31").is_some());
    // Teach → Gradient check comes to the front, checked at Adam's weights at step 30.
    let mut candidate = h.state().scene().clone();
    candidate.overlays.gradcheck = true;
    h.state_mut().adopt(candidate);
    h.run_steps(3);
    assert!(h.query_by_label_contains("at step 30: L =").is_some());
    let bests: Vec<String> = h
        .query_all_by(|n| {
            n.role() == Role::Label && n.value().is_some_and(|v| v.starts_with("best h = 1e"))
        })
        .filter_map(|n| n.value())
        .collect();
    assert_eq!(bests.len(), 2, "forward and central: {bests:?}");
    assert!(
        h.query_by_label("0.weight").is_some(),
        "each tensor's error"
    );
    assert!(
        h.query_by_label("Update rule").is_some(),
        "both tabs on offer"
    );
}

/// The step of the gradient check on screen ("… at step 30: L = …").
fn checked_step(h: &Harness<'_, DescentApp>) -> Option<u64> {
    let mut labels = h.query_all_by(|n| {
        n.role() == Role::Label
            && n.value()
                .is_some_and(|v| v.contains(" at step ") && v.contains(": L ="))
    });
    let text = labels.next()?.value()?;
    text.split(" at step ")
        .nth(1)?
        .split(':')
        .next()?
        .parse()
        .ok()
}

#[test]
fn while_playing_the_gradient_check_follows_the_timeline_off_the_ui_thread() {
    let mut scene = Scene {
        steps: 400,
        speed: 40.0,
        ..network()
    };
    scene.overlays.gradcheck = true;
    let mut h = live_app(scene);
    let start = Instant::now();
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < 3 {
        assert!(start.elapsed() < Duration::from_secs(60), "{seen:?}");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(5));
        seen.extend(checked_step(&h));
    }
    assert!(h.state().is_playing(), "checked while the timeline played");
}
