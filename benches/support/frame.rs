//! The app frame the `map` bench times and `examples/profile_frame.rs` profiles: 8 optimizers
//! on Rosenbrock at 1280×720, late in a 1000-step race, playing slowly so every frame animates
//! 8 paths of about 900 points.

use descent::app::{DESIGN_SIZE, DescentApp, Options};
use descent::scene::{Overlays, Racer, Scene};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The scene: 8 racers, every teaching overlay on (forces, model steps, field, curvature,
/// the metrics tab, the diagnostics plots) or none.
pub fn scene(overlays: bool) -> Scene {
    let all = Overlays {
        forces: true,
        curvature: true,
        model: true,
        field: true,
        metrics: true,
        rule: false,
        diagnostics: true,
        // Data scenes only (this is Rosenbrock) or dock tabs the frame does not show.
        ..Overlays::default()
    };
    let racers = [
        "gd:lr=0.001",
        "momentum:lr=0.001",
        "nesterov:lr=0.001",
        "adagrad:lr=0.5",
        "rmsprop:lr=0.01",
        "adam:lr=0.05",
        "bfgs",
        "newton",
    ];
    Scene {
        surface: "rosenbrock".into(),
        start: Some([-1.5, 2.0]),
        racers: racers.iter().map(|s| Racer::new(s)).collect(),
        steps: 1000,
        speed: 1.0,
        overlays: if overlays { all } else { Overlays::default() },
        ..Scene::default()
    }
}

/// The app on [`scene`], playing from step 900 of 1000 (long paths), with the map's grid
/// computed before any timed frame; with `overlays`, a cursor hovers the map (the curvature
/// overlay follows it).
pub fn harness(overlays: bool) -> Harness<'static, DescentApp> {
    let scene = scene(overlays);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(DESIGN_SIZE[0], DESIGN_SIZE[1]))
        .build_eframe(move |cc| {
            DescentApp::new(
                cc,
                Options {
                    scene: Some(scene),
                    ..Options::default()
                },
            )
        });
    harness.run_steps(5);
    harness.key_press(egui::Key::Space);
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Slider, "step")
        .set_value_accesskit(900.0);
    harness.run_steps(1);
    harness.key_press(egui::Key::Space);
    if overlays {
        let (rect, _) = harness.state().map_frame().expect("a map");
        harness.hover_at(rect.center());
    }
    harness.run_steps(5);
    harness
}

/// One frame as the bench times it: egui's pass plus tessellation — everything but the GPU.
pub fn frame(harness: &mut Harness<'static, DescentApp>) -> Vec<egui::ClippedPrimitive> {
    harness.step();
    let shapes = harness.output().shapes.clone();
    let ppp = harness.ctx.pixels_per_point();
    harness.ctx.tessellate(shapes, ppp)
}
