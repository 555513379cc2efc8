//! The real app driven headlessly through egui_kittest: playback, sliders, the map, layouts,
//! expressions and extremes. Snapshot tests render on the CPU (lavapipe) through wgpu.
#![cfg(feature = "gui")]

use descent::app::{DescentApp, Options, RaceView};
use descent::race::Status;
use descent::scene::{Layout, Scene};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};

fn app() -> Harness<'static, DescentApp> {
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 720.0))
        .build_eframe(|cc| DescentApp::new(cc, Options::default()));
    harness.run_steps(3);
    harness
}

/// The slider (not its number field) labelled `label`.
fn slider<'h>(h: &'h Harness<'_, DescentApp>, label: &'h str) -> egui_kittest::Node<'h> {
    h.get_by_role_and_label(Role::Slider, label)
}

fn pause(h: &mut Harness<'_, DescentApp>) {
    if h.state().is_playing() {
        h.key_press(Key::Space);
        h.run_steps(1);
    }
}

fn pointer(h: &Harness<'_, DescentApp>, pos: Pos2, pressed: bool) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    });
}

#[test]
fn the_race_plays_from_launch_and_the_keyboard_drives_playback() {
    let mut h = app();
    h.run_steps(30);
    assert!(h.state().is_playing());
    assert!(h.state().step() > 0, "the clock moved");
    h.key_press(Key::Space);
    h.run_steps(2);
    assert!(!h.state().is_playing(), "Space pauses");
    let paused_at = h.state().step();
    h.run_steps(10);
    assert_eq!(h.state().step(), paused_at, "paused means paused");
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    assert_eq!(h.state().step(), paused_at + 1, "→ takes one step");
    h.key_press(Key::R);
    h.run_steps(1);
    assert_eq!(h.state().step(), 0, "R resets");
}

#[test]
fn the_play_button_and_the_timeline() {
    let mut h = app();
    h.get_by_label("Pause").click();
    h.run_steps(2);
    assert!(!h.state().is_playing());
    slider(&h, "step").set_value_accesskit(120.0);
    h.run_steps(2);
    assert_eq!(h.state().step(), 120, "the timeline scrubs");
    h.get_by_label("Play").click();
    h.run_steps(2);
    assert!(h.state().is_playing());
}

#[test]
fn the_lr_slider_recomputes_every_run_and_keeps_the_step() {
    let mut h = app();
    pause(&mut h);
    slider(&h, "step").set_value_accesskit(40.0);
    h.run_steps(2);
    let before: Vec<f64> = h
        .state()
        .race()
        .runs
        .iter()
        .map(|r| r.records[3].x)
        .collect();
    slider(&h, "× every lr").set_value_accesskit(20.0);
    h.run_steps(2);
    let app = h.state();
    assert_eq!(app.scene().lr_scale, 20.0);
    assert_eq!(app.step(), 40, "the timeline keeps its step");
    let runs = &app.race().runs;
    for (run, x) in runs.iter().zip(&before) {
        assert_ne!(run.records[3].x, *x, "{} was recomputed", run.label);
    }
    let gd = runs[0].records.last().unwrap();
    assert_eq!(
        gd.status,
        Status::Diverged,
        "gd at lr 1.5 on κ = 25 diverges"
    );
    assert!(app.error().is_none());
}

#[test]
fn a_per_optimizer_lr_slider_changes_only_its_run() {
    let mut h = app();
    pause(&mut h);
    let before: Vec<Vec<f64>> = h
        .state()
        .race()
        .runs
        .iter()
        .map(|r| r.records.iter().map(|rec| rec.x).collect())
        .collect();
    h.get_all_by_role_and_label(Role::Slider, "lr")
        .nth(2)
        .unwrap()
        .set_value_accesskit(0.5);
    h.run_steps(2);
    let app = h.state();
    assert_eq!(app.scene().racers[2].optimizer, "adam:lr=0.5");
    let after: Vec<Vec<f64>> = app
        .race()
        .runs
        .iter()
        .map(|r| r.records.iter().map(|rec| rec.x).collect())
        .collect();
    assert_eq!(before[..2], after[..2]);
    assert_ne!(before[2], after[2]);
}

#[test]
fn clicking_the_map_sets_the_start_point() {
    let mut h = app();
    pause(&mut h);
    let (rect, _) = h.state().map_frame().expect("the map was drawn");
    let target = rect.center() + vec2(rect.width() * 0.2, -rect.height() * 0.1);
    h.hover_at(target);
    h.run_steps(1);
    pointer(&h, target, true);
    pointer(&h, target, false);
    h.run_steps(2);
    let app = h.state();
    let start = app.scene().start.expect("a start was set");
    let screen = app.screen_from_surface(start).unwrap();
    assert!(screen.distance(target) < 1.5, "{screen:?} vs {target:?}");
    for run in &app.race().runs {
        assert_eq!([run.records[0].x, run.records[0].y], start);
    }
}

#[test]
fn dragging_the_start_marker_moves_every_path_live() {
    let mut h = app();
    pause(&mut h);
    let start = h.state().scene().start.unwrap();
    let from = h.state().screen_from_surface(start).unwrap();
    let view_before = h.state().scene().view;
    h.hover_at(from);
    h.run_steps(1);
    pointer(&h, from, true);
    h.run_steps(1);
    let mut moved_during_drag = false;
    for k in 1..=8 {
        h.hover_at(from + vec2(6.0 * k as f32, 4.0 * k as f32));
        h.run_steps(1);
        moved_during_drag |= h.state().scene().start != Some(start);
    }
    let to = from + vec2(48.0, 32.0);
    pointer(&h, to, false);
    h.run_steps(2);
    let app = h.state();
    assert!(moved_during_drag, "the paths follow while dragging");
    let end = app.scene().start.unwrap();
    let screen = app.screen_from_surface(end).unwrap();
    assert!(screen.distance(to) < 1.5, "{screen:?} vs {to:?}");
    assert_eq!(
        app.scene().view,
        view_before,
        "grabbing the start does not pan"
    );
    assert_eq!(app.race().runs[0].records[0].x, end[0]);
}

#[test]
fn layouts_switch_between_overlay_and_small_multiples() {
    let mut h = app();
    h.get_by_label("Side by side").click();
    h.run_steps(2);
    assert_eq!(h.state().scene().layout, Layout::SideBySide);
    // Each small multiple is titled with its optimizer.
    for label in ["gd  lr=0.075", "adam  lr=0.1"] {
        assert!(h.query_by_label(label).is_some(), "{label}");
    }
    h.get_by_label("Overlay").click();
    h.run_steps(2);
    assert_eq!(h.state().scene().layout, Layout::Overlay);
}

#[test]
fn a_broken_expression_keeps_the_previous_surface_and_says_why() {
    let mut h = app();
    h.get_by_label("surface").click();
    h.run_steps(2);
    h.get_by_label("expression").click_accesskit();
    h.run_steps(2);
    let good = h.state().scene().surface.clone();
    assert!(good.starts_with("expr:"), "{good}");
    let field = h.get_by_role(Role::TextInput);
    field.focus();
    field.type_text(" + (y");
    h.run_steps(2);
    let app = h.state();
    assert_eq!(
        app.scene().surface,
        good,
        "the map keeps the last valid formula"
    );
    let error = app.expression_error().expect("the error is shown");
    assert!(error.contains("expected"), "{error}");
    assert!(
        h.query_by_label_contains("expected").is_some(),
        "shown inline"
    );
}

#[test]
fn presentation_mode_hides_the_controls_and_escape_leaves_it() {
    let mut h = app();
    assert!(h.query_by_label("Optimizers").is_some());
    h.key_press(Key::F);
    h.run_steps(2);
    assert!(h.state().is_presenting());
    assert!(h.query_by_label("Optimizers").is_none());
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(!h.state().is_presenting());
    h.key_press_modifiers(Modifiers::SHIFT, Key::Slash);
    h.run_steps(2);
    assert!(
        h.query_by_label("play / pause").is_some(),
        "? shows the keys"
    );
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(
        h.query_by_label("play / pause").is_none(),
        "Esc closes them"
    );
}

#[test]
fn slider_extremes_show_wild_runs_and_never_panic() {
    let mut h = app();
    slider(&h, "× every lr").set_value_accesskit(100.0);
    slider(&h, "noise σ").set_value_accesskit(10.0);
    slider(&h, "kappa").set_value_accesskit(1e4);
    h.run_steps(5);
    slider(&h, "step").set_value_accesskit(150.0);
    h.run_steps(3);
    let app = h.state();
    assert_eq!(app.scene().surface, "quadratic:kappa=10000.0,angle=30.0");
    assert!(
        app.race()
            .runs
            .iter()
            .any(|r| r.records.last().unwrap().status == Status::Diverged)
    );
    h.set_size(vec2(0.0, 0.0));
    h.run_steps(3);
    h.set_size(vec2(300.0, 200.0));
    h.run_steps(3);
}

fn snapshot_app(layout: &str) -> Harness<'static, DescentApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 720.0))
        .with_pixels_per_point(1.0)
        .build_eframe(|cc| DescentApp::new(cc, Options::default()));
    h.run_steps(2);
    pause(&mut h);
    h.get_by_label(layout).click();
    slider(&h, "step").set_value_accesskit(60.0);
    h.run_steps(4);
    h
}

/// Lavapipe's rasterizer can differ by a few antialiased edge pixels between CPUs and Mesa
/// versions: allow small colour differences on up to 0.2% of the 1280×720 pixels.
fn tolerance() -> SnapshotOptions {
    SnapshotOptions::new()
        .threshold(2.0)
        .max_failed_pixels(1850)
}

#[test]
fn snapshot_overlay() {
    let mut h = snapshot_app("Overlay");
    h.snapshot_options("overlay", &tolerance());
}

#[test]
fn snapshot_side_by_side() {
    let mut h = snapshot_app("Side by side");
    h.snapshot_options("side_by_side", &tolerance());
}

/// Pick `item` in the File menu, type `path` into the chooser and press Save.
fn choose_file(h: &mut Harness<'_, DescentApp>, item: &str, path: &std::path::Path) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(4);
    let name = h.get_by_role(Role::TextInput);
    name.focus();
    h.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    name.type_text(path.to_str().unwrap());
    h.run_steps(1);
    h.get_by_label("Save").click();
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn the_presets_menu_opens_a_preset() {
    let mut h = app();
    h.get_by_label("Presets").click();
    h.run_steps(2);
    h.get_by_label("Himmelblau: four minima, and where each method lands")
        .click_accesskit();
    h.run_steps(3);
    let app = h.state();
    assert_eq!(app.scene().surface, "himmelblau");
    assert_eq!(app.race().runs.len(), 3);
    assert!(app.step() < 5, "starts from the beginning");
    assert!(app.status().unwrap().contains("07-himmelblau.ron"));
}

#[test]
fn save_as_then_reopen_gives_the_identical_scene_and_a_broken_file_changes_nothing() {
    let mut h = app();
    pause(&mut h);
    slider(&h, "× every lr").set_value_accesskit(0.5);
    h.run_steps(2);
    let path = scratch("saved.ron");
    choose_file(&mut h, "Save as…", &path);
    h.run_steps(3);
    let saved = Scene::load(&path).unwrap();
    // The file holds the scene, with the view the user chose (none: the surface's own box),
    // not the window-shaped box the map shows it in.
    assert_eq!(&saved, h.state().scene());
    let without_view = |s: &Scene| Scene {
        view: None,
        ..s.clone()
    };
    assert_eq!(saved.lr_scale, 0.5);
    // Change the scene, then reopen the file: the identical scene and trajectories come
    // back, and the saved view is all in sight.
    slider(&h, "× every lr").set_value_accesskit(2.0);
    h.run_steps(2);
    assert_ne!(h.state().scene().lr_scale, saved.lr_scale);
    let before: Vec<_> = RaceView::compute(&saved)
        .unwrap()
        .runs
        .into_iter()
        .map(|r| r.records)
        .collect();
    h.state_mut().open_path(&path);
    h.run_steps(3);
    let app = h.state();
    assert_eq!(without_view(app.scene()), without_view(&saved));
    let shown = app.map_frame().unwrap().1;
    let kept = saved.view.unwrap_or(app.race().landscape.view);
    assert!(shown.x[0] <= kept.x[0] + 1e-9 && shown.x[1] >= kept.x[1] - 1e-9);
    assert!(shown.y[0] <= kept.y[0] + 1e-9 && shown.y[1] >= kept.y[1] - 1e-9);
    let after: Vec<_> = app.race().runs.iter().map(|r| r.records.clone()).collect();
    assert_eq!(before, after);
    // A broken file is refused with its line and column; the scene stays.
    let bad = scratch("bad.ron");
    std::fs::write(&bad, "(\n  steps: 0,\n)").unwrap();
    h.state_mut().open_path(&bad);
    h.run_steps(2);
    let app = h.state();
    assert_eq!(without_view(app.scene()), without_view(&saved));
    assert!(
        app.error().unwrap().contains("bad.ron:2:3: steps must be"),
        "{:?}",
        app.error()
    );
}

#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_scene_file_on_the_window_opens_it() {
    let mut h = app();
    let (name, text) = descent::presets::PRESETS[5];
    let path = scratch(name);
    std::fs::write(&path, text).unwrap();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path)));
    h.run_steps(2);
    assert_eq!(
        h.state().scene().title,
        descent::presets::load(name).unwrap().title
    );
}

#[test]
fn exports_write_trajectories_and_pictures() {
    let mut h = app();
    pause(&mut h);
    for (item, file, check) in [
        (
            "Export trajectories as CSV…",
            "race.csv",
            b"optimizer,step,x,y" as &[u8],
        ),
        ("Export view as PNG…", "view.png", b"\x89PNG"),
        ("Export race as GIF…", "race.gif", b"GIF89a"),
    ] {
        let path = scratch(file);
        choose_file(&mut h, item, &path);
        // The export runs on another thread (a GIF takes seconds in a debug build): wait
        // for its report, up to three minutes.
        h.run_steps(2);
        let started = std::time::Instant::now();
        while h.state().status() == Some("exporting…")
            && started.elapsed() < std::time::Duration::from_secs(180)
        {
            std::thread::sleep(std::time::Duration::from_millis(50));
            h.run_steps(1);
        }
        assert_eq!(
            h.state().status(),
            Some(format!("exported {}", path.display()).as_str())
        );
        assert!(std::fs::read(&path).unwrap().starts_with(check), "{file}");
    }
}

#[test]
fn a_scene_can_hide_every_control_but_the_lr_sliders() {
    use descent::scene::Control;
    let mut h = app();
    assert!(h.query_by_label("surface").is_some());
    let scene = Scene {
        hide: vec![
            Control::Surface,
            Control::Map,
            Control::Racers,
            Control::Hyperparameters,
            Control::Noise,
            Control::Steps,
            Control::Schedule,
        ],
        ..Scene::default()
    };
    h.state_mut().load_scene(scene, "test");
    h.run_steps(3);
    for gone in [
        "surface",
        "colormap",
        "Add",
        "hyperparameters",
        "noise σ",
        "schedule",
    ] {
        assert!(h.query_by_label(gone).is_none(), "{gone} is hidden");
    }
    assert!(
        h.query_by_role_and_label(Role::Slider, "× every lr")
            .is_some()
    );
    assert_eq!(h.query_all_by_role_and_label(Role::Slider, "lr").count(), 3);
}

/// eframe's storage, in memory.
#[derive(Default)]
struct Memory(std::collections::HashMap<String, String>);

impl eframe::Storage for Memory {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn the_app_reopens_on_the_last_scene_and_survives_a_stale_one() {
    let mut cc = eframe::CreationContext::_new_kittest(egui::Context::default());
    let scene = descent::presets::load("07-himmelblau.ron").unwrap();
    let mut first = DescentApp::new(
        &cc,
        Options {
            scene: Some(scene.clone()),
            ..Options::default()
        },
    );
    let mut storage = Memory::default();
    eframe::App::save(&mut first, &mut storage);
    cc.storage = Some(&storage);
    let second = DescentApp::new(&cc, Options::default());
    assert_eq!(second.scene(), &scene, "the last scene comes back");
    // A stale or damaged entry (an older program's fields) falls back to the default scene.
    let mut damaged = Memory::default();
    let key = storage.0.keys().next().unwrap().clone();
    damaged.0.insert(key, "(bogus: 1)".into());
    cc.storage = Some(&damaged);
    let third = DescentApp::new(&cc, Options::default());
    assert_eq!(third.scene(), &Scene::default());
}

#[test]
fn saving_over_an_existing_file_asks_first() {
    let mut h = app();
    pause(&mut h);
    let path = scratch("exists.ron");
    std::fs::write(&path, "keep me").unwrap();
    choose_file(&mut h, "Save as…", &path);
    h.run_steps(3);
    assert!(h.query_by_label_contains("Replace it?").is_some(), "asks");
    h.get_by_label("Keep it").click();
    h.run_steps(2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    h.get_by_label("Save").click();
    h.run_steps(3);
    h.get_by_label("Replace").click();
    h.run_steps(3);
    assert!(Scene::load(&path).is_ok(), "replaced by the scene");
}

#[test]
fn the_in_app_chooser_opens_where_the_last_file_went_and_scrolls_with_the_wheel() {
    let dir = scratch("wheel").with_extension("d");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..40 {
        std::fs::write(
            dir.join(format!("many-{i:02}.ron")),
            Scene::default().to_ron(),
        )
        .unwrap();
    }
    let mut h = app();
    // Saving a scene there makes it the folder the chooser opens in next.
    choose_file(&mut h, "Save as…", &dir.join("saved.ron"));
    h.run_steps(4);
    assert!(dir.join("saved.ron").is_file());
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Open…").click();
    h.run_steps(4);
    let before = h.get_by_label("many-00.ron").rect();
    let last = h.get_by_label("many-39.ron").rect();
    assert!(last.top() > 720.0, "the list is longer than the window");
    h.hover_at(before.center());
    h.run_steps(1);
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: vec2(0.0, -240.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(6);
    let after = h.get_by_label("many-00.ron").rect();
    assert!(
        after.top() < before.top() - 100.0,
        "the list scrolled: {before:?} → {after:?}"
    );
}
