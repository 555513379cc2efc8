//! The teaching overlays in the real app (egui_kittest): each toggle in the Teach menu shows
//! and hides its layer or window, and a snapshot of a canyon with the overlays on.
#![cfg(feature = "gui")]

mod common;

use common::app_with;

use descent::app::{DescentApp, layer};
use descent::scene::{Overlays, Racer, Scene};
use egui::accesskit::Role;
use egui::{Event, Key, vec2};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};

/// The default canyon plus BFGS (for model steps and line searches), paused at step `step`.
fn app_at(step: f64, overlays: Overlays) -> Harness<'static, DescentApp> {
    let mut scene = Scene::default();
    scene.racers.push(Racer::new("bfgs"));
    scene.overlays = overlays;
    app_with(scene, step)
}

/// Click `item` in the Teach menu.
fn toggle(h: &mut Harness<'_, DescentApp>, item: &str) {
    h.get_by_label("Teach").click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(2);
    // Close the menu.
    h.key_press(Key::Escape);
    h.run_steps(2);
}

const FORCES: &str = "Forces: −lr·∇f, step, velocity, adaptive box";
const MODEL: &str = "Model steps and line-search trials";
const FIELD: &str = "Gradient field −∇f";
const CURVATURE: &str = "Curvature under the cursor, lr stability marks";

#[test]
fn each_map_toggle_shows_and_hides_its_layers() {
    let mut h = app_at(5.0, Overlays::default());
    assert!(h.state().drawn_layers().is_empty());

    toggle(&mut h, FORCES);
    assert!(h.state().overlays().forces);
    let drawn = h.state().drawn_layers().to_vec();
    // GD: −lr·∇f and its step; momentum: its velocity; Adam: its box.
    for name in [layer::GRADIENT, layer::STEP, layer::VELOCITY, layer::BOX] {
        assert!(drawn.contains(&name), "{name} missing from {drawn:?}");
    }
    assert!(!drawn.contains(&layer::MODEL));

    toggle(&mut h, MODEL);
    let drawn = h.state().drawn_layers().to_vec();
    assert!(
        drawn.contains(&layer::MODEL) && drawn.contains(&layer::TRIALS),
        "{drawn:?}"
    );

    toggle(&mut h, FIELD);
    assert!(h.state().drawn_layers().contains(&layer::FIELD));

    for item in [FORCES, MODEL, FIELD] {
        toggle(&mut h, item);
    }
    assert!(
        h.state().drawn_layers().is_empty(),
        "{:?}",
        h.state().drawn_layers()
    );
}

#[test]
fn forces_too_short_to_see_are_magnified_and_say_so() {
    // GD's first step across the default canyon is long enough to see as it is.
    let mut scene = Scene::default();
    scene.racers.truncate(1);
    scene.overlays.forces = true;
    let h = app_with(scene, 1.0);
    assert!(h.state().drawn_layers().contains(&layer::STEP));
    assert!(!h.state().drawn_layers().contains(&layer::MAGNIFIED));
    assert!(h.query_by_label_contains("times longer").is_none());
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/presets/02-canyon-momentum.ron"
    );
    let mut scene = Scene::load(std::path::Path::new(path)).unwrap();
    scene.overlays.forces = true;
    // Later, gd's zigzag and momentum's roll are a few pixels long: drawn ×k, and labelled.
    let h = app_with(scene, 40.0);
    assert!(h.state().drawn_layers().contains(&layer::MAGNIFIED));
    assert!(h.query_by_label_contains("drawn k times longer").is_some());
}

#[test]
fn the_basin_map_toggles_from_teach_and_lies_under_the_paths() {
    let scene = Scene {
        steps: 60,
        ..Scene::default()
    };
    let mut h = app_with(scene, 10.0);
    assert!(!h.state().drawn_layers().contains(&layer::BASINS));
    toggle(&mut h, "Basins of attraction");
    let settings = h.state().scene().map.clone().expect("a map in the scene");
    assert_eq!(settings.kind, descent::engine::MapKind::Basins);
    assert!(h.state().drawn_layers().contains(&layer::BASINS));
    assert!(h.query_by_label_contains("▦ basins").is_some());
    toggle(&mut h, "Basins of attraction");
    assert!(h.state().scene().map.is_none());
    assert!(!h.state().drawn_layers().contains(&layer::BASINS));
}

#[test]
fn curvature_follows_the_cursor_over_the_map() {
    let mut h = app_at(5.0, Overlays::default());
    toggle(&mut h, CURVATURE);
    let (rect, _) = h.state().map_frame().unwrap();
    h.event(Event::PointerMoved(rect.center()));
    h.run_steps(2);
    assert!(h.state().drawn_layers().contains(&layer::CURVATURE));
    // The quadratic's Hessian is the same everywhere: λ = 25, 1 and κ = 25.
    assert!(
        h.query_by_label_contains("κ = 25").is_some(),
        "the eigenvalues and κ are written at the cursor"
    );
    // Away from the map, nothing.
    h.event(Event::PointerMoved(rect.left_top() - vec2(50.0, 50.0)));
    h.run_steps(2);
    assert!(!h.state().drawn_layers().contains(&layer::CURVATURE));
}

#[test]
fn the_metrics_table_opens_and_sorts_by_any_column() {
    let mut h = app_at(5.0, Overlays::default());
    assert!(h.query_by_label("final loss").is_none());
    toggle(&mut h, "Metrics table");
    let y = |h: &Harness<'_, DescentApp>, label: &str| h.get_by_label(label).rect().min.y;
    let (momentum, adam) = ("momentum:lr=0.012,momentum=0.8", "adam:lr=0.1");
    // Default order: steps to ‖∇f‖ < 1e-6, fewest first. Momentum gets there within the 150
    // steps, Adam never does.
    assert!(y(&h, momentum) < y(&h, adam));
    // Sorting by final loss, then reversing it, puts Adam (the highest final loss) first.
    h.get_by_role_and_label(Role::ComboBox, "sort by").click();
    h.run_steps(2);
    h.get_by_label("final loss").click();
    h.run_steps(2);
    assert!(y(&h, momentum) < y(&h, adam));
    h.get_by_label("▲ lowest first").click();
    h.run_steps(2);
    assert!(y(&h, adam) < y(&h, momentum));
    assert!(y(&h, adam) < y(&h, "gd:lr=0.075"));
    toggle(&mut h, "Metrics table");
    assert!(h.query_by_label_contains("final loss").is_none());
}

#[test]
fn the_rule_card_and_the_diagnostic_plots() {
    let mut h = app_at(5.0, Overlays::default());
    toggle(&mut h, "Update rule card");
    // The first run is GD: torch's SGD rule, its values and its state at step 5.
    assert!(h.query_by_label_contains("torch.optim.SGD").is_some());
    assert!(h.query_by_label_contains("with lr = 0.075").is_some());
    assert!(h.query_by_label_contains("step t = 5").is_some());
    toggle(&mut h, "Update rule card");
    assert!(h.query_by_label_contains("torch.optim.SGD").is_none());

    assert!(h.query_by_label("gradient norm ‖∇f‖").is_none());
    toggle(&mut h, "‖∇f‖ and distance plots");
    assert!(h.query_by_label("gradient norm ‖∇f‖").is_some());
    assert!(
        h.query_by_label("distance to the nearest known minimum")
            .is_some()
    );
}

#[test]
fn snapshot_canyon_with_overlays() {
    let overlays = Overlays {
        forces: true,
        model: true,
        field: true,
        ..Overlays::default()
    };
    let mut h = app_at(12.0, overlays);
    h.snapshot_options(
        "canyon_overlays",
        &SnapshotOptions::new()
            .threshold(2.0)
            .max_failed_pixels(1850),
    );
}

#[test]
fn the_3d_view_rotates_by_dragging_and_keeps_the_race() {
    let mut h = app_at(40.0, Overlays::default());
    h.get_by_label("3D").click();
    h.run_steps(2);
    assert_eq!(h.state().scene().layout, descent::scene::Layout::ThreeD);
    let before = h.state().orbit();
    let centre = egui::pos2(620.0, 380.0);
    let press = |h: &Harness<'_, DescentApp>, pos, pressed| {
        h.event(Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        })
    };
    h.hover_at(centre);
    h.run_steps(1);
    press(&h, centre, true);
    h.run_steps(1);
    for k in 1..=10 {
        h.hover_at(centre + vec2(10.0 * k as f32, 4.0 * k as f32));
        h.run_steps(1);
    }
    press(&h, centre + vec2(100.0, 40.0), false);
    h.run_steps(2);
    let after = h.state().orbit();
    assert!(after.yaw < before.yaw, "dragging right turns the terrain");
    assert!(
        after.pitch > before.pitch,
        "dragging down looks from higher up"
    );
    assert_eq!(h.state().step(), 40, "rotating does not move the clock");
    // Back to the map.
    h.get_by_label("Overlay").click();
    h.run_steps(2);
    assert!(h.state().map_frame().is_some());
}
