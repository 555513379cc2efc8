//! What the app's kittest files share: a built-in preset, and the real app on a scene at the
//! design size, paused at a step.
#![allow(dead_code)] // each test file uses its own part

use descent::app::{DescentApp, Options};
use descent::scene::Scene;
use egui::accesskit::Role;
use egui::{Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The preset `presets/NAME.ron`.
pub fn preset(name: &str) -> Scene {
    let path = format!("{}/presets/{name}.ron", env!("CARGO_MANIFEST_DIR"));
    Scene::load(std::path::Path::new(&path)).expect("the preset loads")
}

/// The app on `scene` at 1280×720, paused at step `step`.
pub fn app_with(scene: Scene, step: f64) -> Harness<'static, DescentApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 720.0))
        .with_pixels_per_point(1.0)
        .build_eframe(move |cc| {
            DescentApp::new(
                cc,
                Options {
                    scene: Some(scene),
                    ..Options::default()
                },
            )
        });
    h.run_steps(2);
    h.key_press(Key::Space);
    h.run_steps(1);
    h.get_by_role_and_label(Role::Slider, "step")
        .set_value_accesskit(step);
    h.run_steps(3);
    h
}
