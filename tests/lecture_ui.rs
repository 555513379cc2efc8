//! The lecture flow in the real app, driven headlessly through egui_kittest: PageDown /
//! PageUp step through the presets or an opened lecture's scenes, the window title says
//! "scene k of n", and a scene or lecture that cannot be shown is refused on one line.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};

use descent::app::{DescentApp, Options};
use descent::presets::PRESETS;
use egui::{Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn app(options: Options) -> Harness<'static, DescentApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 720.0))
        .build_eframe(move |cc| DescentApp::new(cc, options));
    h.run_steps(3);
    h
}

fn press(h: &mut Harness<'_, DescentApp>, key: Key) {
    h.key_press(key);
    h.run_steps(2);
}

/// The title of preset `i` (0-based).
fn preset_title(i: usize) -> String {
    descent::presets::load(PRESETS[i].0).unwrap().title
}

/// A fresh folder for one test.
fn scratch(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("descent-lecture-ui-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A scene of the teacher's own, not a preset.
const OWN: &str = r#"(
    title: "My own bowl",
    surface: "quadratic:kappa=3",
    racers: [Racer(optimizer: "gd:lr=0.1"), Racer(optimizer: "adam:lr=0.1")],
    steps: 40,
)"#;

/// A folder with presets 1 and 7 as `a.ron` and `b.ron`, the teacher's own scene as
/// `mine/own.ron`, and `week3.ron` listing `scenes` (RON strings).
fn lecture_folder(test: &str, scenes: &str) -> PathBuf {
    let dir = scratch(test);
    std::fs::write(dir.join("a.ron"), PRESETS[0].1).unwrap();
    std::fs::write(dir.join("b.ron"), PRESETS[6].1).unwrap();
    std::fs::create_dir_all(dir.join("mine")).unwrap();
    std::fs::write(dir.join("mine/own.ron"), OWN).unwrap();
    let lecture = format!("Lecture(\n  title: \"Week 3\",\n  scenes: [{scenes}],\n)\n");
    std::fs::write(dir.join("week3.ron"), lecture).unwrap();
    dir
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn pagedown_and_pageup_step_through_the_presets_clamped_at_both_ends() {
    let n = PRESETS.len();
    let mut h = app(Options::default());
    assert_eq!(h.state().sequence_position(), None, "the default scene");
    assert_eq!(h.state().window_title(), "Descent");
    press(&mut h, Key::F);
    assert!(h.state().is_presenting());
    press(&mut h, Key::PageDown);
    assert_eq!(h.state().scene().title, preset_title(0));
    assert_eq!(h.state().sequence_position(), Some((1, n)));
    press(&mut h, Key::PageDown);
    assert_eq!(h.state().scene().title, preset_title(1));
    assert_eq!(
        h.state().window_title(),
        format!("Descent — presets — scene 2 of {n}")
    );
    assert!(
        h.query_by_label(&format!("2 / {n}")).is_some(),
        "k / n shown"
    );
    press(&mut h, Key::PageUp);
    assert_eq!(h.state().scene().title, preset_title(0));
    press(&mut h, Key::PageUp);
    assert_eq!(h.state().sequence_position(), Some((1, n)), "clamped");
    assert_eq!(h.state().scene().title, preset_title(0));
    assert!(h.state().is_presenting(), "presentation mode stays");
    // The last preset, loaded from anywhere, is on the sequence; PageDown stays there.
    let last = descent::presets::load(PRESETS[n - 1].0).unwrap();
    h.state_mut().load_scene(last.clone(), "test");
    h.run_steps(2);
    assert_eq!(h.state().sequence_position(), Some((n, n)));
    press(&mut h, Key::Space);
    press(&mut h, Key::PageDown);
    assert_eq!(h.state().scene(), &last, "clamped at the end");
    assert!(!h.state().is_playing(), "and not reloaded");
    assert_eq!(
        h.state().window_title(),
        format!("Descent — presets — scene {n} of {n}")
    );
}

#[test]
fn a_preset_from_the_menu_puts_the_place_on_it_and_the_keys_list_pagedown() {
    let mut h = app(Options::default());
    h.get_by_label("Presets").click();
    h.run_steps(2);
    h.get_by_label("Himmelblau: four minima, and where each method lands")
        .click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().sequence_position(), Some((7, PRESETS.len())));
    press(&mut h, Key::PageDown);
    assert_eq!(
        h.state().scene().title,
        preset_title(7),
        "outside presentation too"
    );
    h.key_press_modifiers(egui::Modifiers::SHIFT, Key::Slash);
    h.run_steps(2);
    assert!(h.query_by_label("PageDown / PageUp").is_some());
}

#[test]
fn a_lecture_file_is_opened_and_stepped_through() {
    let dir = lecture_folder("steps", r#""a.ron", "mine/own.ron", "b.ron""#);
    let mut h = app(Options::default());
    h.state_mut().open_path(&dir.join("week3.ron"));
    h.run_steps(2);
    assert_eq!(h.state().error(), None);
    assert_eq!(h.state().scene().title, preset_title(0));
    assert_eq!(h.state().sequence_position(), Some((1, 3)));
    assert_eq!(h.state().lecture_title(), Some("Week 3"));
    assert_eq!(h.state().window_title(), "Descent — Week 3 — scene 1 of 3");
    press(&mut h, Key::F);
    press(&mut h, Key::PageDown);
    assert_eq!(h.state().scene().title, "My own bowl");
    assert_eq!(h.state().window_title(), "Descent — Week 3 — scene 2 of 3");
    assert!(h.query_by_label("2 / 3").is_some());
    press(&mut h, Key::PageDown);
    assert_eq!(h.state().scene().title, preset_title(6));
    assert_eq!(
        h.state().lecture_title(),
        Some("Week 3"),
        "a preset's text, in the lecture"
    );
    press(&mut h, Key::PageDown);
    assert_eq!(h.state().sequence_position(), Some((3, 3)), "clamped");
    press(&mut h, Key::PageUp);
    assert_eq!(h.state().scene().title, "My own bowl");
    // Opening a scene leaves the lecture.
    h.state_mut().open_path(&dir.join("mine/own.ron"));
    h.run_steps(2);
    assert_eq!(h.state().sequence_position(), None);
    assert_eq!(h.state().window_title(), "Descent");
}

#[test]
fn a_dropped_lecture_or_one_given_at_launch_starts_at_its_first_scene() {
    let dir = lecture_folder("dropped", r#""mine/own.ron", "a.ron""#);
    let file = dir.join("week3.ron");
    let mut h = app(Options::default());
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(file.clone())));
    h.run_steps(2);
    assert_eq!(h.state().scene().title, "My own bowl");
    assert_eq!(h.state().window_title(), "Descent — Week 3 — scene 1 of 2");
    // `descent week3.ron` opens the same way (src/cli/mod.rs).
    let (lecture, first) = match descent::lecture::open(&file).unwrap() {
        descent::lecture::Opened::Lecture(lecture, first) => (lecture, first),
        descent::lecture::Opened::Scene(_) => panic!("a lecture opened as a scene"),
    };
    let options = Options {
        scene: Some(*first),
        lecture: Some(lecture),
        ..Options::default()
    };
    let mut h = app(options);
    assert_eq!(h.state().scene().title, "My own bowl");
    assert_eq!(h.state().window_title(), "Descent — Week 3 — scene 1 of 2");
    press(&mut h, Key::PageDown);
    assert_eq!(h.state().scene().title, preset_title(0));
    assert_eq!(
        h.state().sequence_position(),
        Some((2, 2)),
        "still the lecture"
    );
}

#[test]
fn a_missing_scene_shows_its_error_in_red_and_the_scene_stays() {
    let dir = lecture_folder("missing", r#""a.ron", "gone.ron", "b.ron""#);
    let mut h = app(Options::default());
    h.state_mut().open_path(&dir.join("week3.ron"));
    h.run_steps(2);
    press(&mut h, Key::F);
    press(&mut h, Key::PageDown);
    let error = h
        .state()
        .error()
        .expect("the missing scene is named")
        .to_string();
    let gone = dir.join("gone.ron").display().to_string();
    assert!(
        error.starts_with(&format!("scene 2 of 3: cannot read {gone}")),
        "{error}"
    );
    assert_eq!(error.lines().count(), 1);
    assert_eq!(h.state().scene().title, preset_title(0), "the scene stays");
    assert_eq!(h.state().sequence_position(), Some((2, 3)));
    assert_eq!(h.state().window_title(), "Descent — Week 3 — scene 2 of 3");
    assert!(
        h.query_by_label(&error).is_some(),
        "shown though the controls are hidden"
    );
    press(&mut h, Key::PageDown);
    assert_eq!(h.state().scene().title, preset_title(6), "past it");
    assert_eq!(h.state().error(), None);
}

#[test]
fn a_bad_lecture_file_is_refused_on_one_line_and_the_scene_stays() {
    let dir = lecture_folder("bad", r#""a.ron""#);
    let mut h = app(Options::default());
    let before = h.state().scene().clone();
    let bad = dir.join("bad.ron");
    for (text, expected) in [
        (
            "Lecture(\n  title: \"t\",\n  slides: [\"a.ron\"],\n)",
            ":3:3: Unexpected field named `slides`",
        ),
        (
            "Lecture(\n  title: \"t\",\n  scenes: [],\n)",
            ":3:3: scenes must list 1 ..= 200 scene files, got 0",
        ),
        (
            "(title: \"t\", scenes: [\"nowhere.ron\"])",
            "nowhere.ron: No such file",
        ),
    ] {
        std::fs::write(&bad, text).unwrap();
        h.state_mut().open_path(&bad);
        h.run_steps(2);
        let error = h.state().error().expect("refused");
        assert!(error.contains(expected), "{error}");
        assert_eq!(error.lines().count(), 1);
        assert_eq!(h.state().scene(), &before);
        assert_eq!(h.state().sequence_position(), None);
        assert_eq!(h.state().window_title(), "Descent");
    }
}

#[test]
fn the_example_lecture_opens() {
    let mut h = app(Options::default());
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("lectures/example.ron");
    h.state_mut().open_path(&example);
    h.run_steps(2);
    assert_eq!(h.state().error(), None);
    assert_eq!(h.state().scene().title, preset_title(0));
    assert_eq!(h.state().sequence_position().map(|(k, _)| k), Some(1));
}
