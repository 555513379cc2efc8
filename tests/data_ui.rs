//! The app on data scenes (egui_kittest): the data view with its batch and hovered point, the
//! minibatch overlay, the data controls, opening and dropping a CSV file, and the
//! loss-function and gradient-check tabs.
#![cfg(feature = "gui")]

mod common;

use common::{app_with, preset};

use descent::app::{DescentApp, layer, short};
use descent::data::gradcheck::{self, Precision, Scheme};
use descent::scene::{Overlays, Scene};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn has_label_starting(h: &Harness<'_, DescentApp>, start: &str) -> bool {
    h.query_all_by(|n| {
        let text = n.value().or_else(|| n.label());
        text.is_some_and(|l| l.starts_with(start))
    })
    .next()
    .is_some()
}

#[test]
fn a_data_scene_shows_its_data_beside_the_map_with_the_batch_and_a_hovered_point() {
    let mut h = app_with(preset("17-batch-size"), 3.0);
    // Beside the map, large enough for the back row; the dock keeps its plots.
    let data = h
        .state()
        .beside_map_rect()
        .expect("the data view beside the map");
    let map = h.state().map_rects()[0];
    assert!(
        data.width() >= 300.0 && data.left() > map.right(),
        "{data:?} {map:?}"
    );
    assert_eq!(h.state().dock_tool(), "Plots");
    assert!(has_label_starting(&h, "100 points (x, y)"));
    // gd batch=1 at step 3: the 4th batch of 100 in the first epoch, one point.
    assert!(
        has_label_starting(
            &h,
            "next step of gd: batch 4 of 100 in epoch 1 — 1 of 100 points"
        ),
        "the batch line is missing"
    );
    // Hover the point that stands furthest from the others on screen.
    let on_screen: Vec<egui::Pos2> = (0..100)
        .map(|i| {
            h.state()
                .data_point_on_screen(i)
                .expect("every point is drawn")
        })
        .collect();
    let isolation = |i: usize| {
        (0..100)
            .filter(|&j| j != i)
            .map(|j| on_screen[i].distance(on_screen[j]))
            .fold(f32::INFINITY, f32::min)
    };
    let lonely = (0..100)
        .max_by(|&a, &b| isolation(a).total_cmp(&isolation(b)))
        .unwrap();
    h.hover_at(on_screen[lonely]);
    h.run_steps(2);
    let head = format!("point {}: x = ", lonely + 1);
    assert!(has_label_starting(&h, &head), "no '{head}'");
    // One loss line per run, its value the model's per-sample loss at its current θ.
    let app = h.state();
    let surface = app.race().landscape.data.clone().unwrap();
    let run = &app.race().runs[0];
    let theta = run.current(app.step()).point();
    let expected = format!(
        "gd: ℓ = {} (residual",
        short(surface.sample_loss(lonely, theta))
    );
    assert!(has_label_starting(&h, &expected), "missing '{expected}'");
    // Hovering does not move the view (the dock keeps its width).
    assert_eq!(
        h.state().data_point_on_screen(lonely),
        Some(on_screen[lonely])
    );
}

#[test]
fn the_minibatch_overlay_draws_the_batch_surface_and_both_gradients_once_per_step() {
    let mut h = app_with(preset("17-batch-size"), 3.0);
    assert!(h.state().overlays().minibatch, "preset 17 turns it on");
    let drawn = h.state().drawn_layers().to_vec();
    for name in [
        layer::BATCH_ISOLINES,
        layer::BATCH_GRADIENT,
        layer::FULL_GRADIENT,
    ] {
        assert!(drawn.contains(&name), "{name} missing from {drawn:?}");
    }
    let (lines, computed) = h.state().minibatch_isolines();
    assert!(lines > 0);
    h.run_steps(5);
    assert_eq!(h.state().minibatch_isolines().1, computed, "not per frame");
    h.key_press(Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(
        h.state().minibatch_isolines().1,
        computed + 1,
        "once per step"
    );
    // Off: nothing drawn, nothing kept.
    let mut scene = h.state().scene().clone();
    scene.overlays.minibatch = false;
    h.state_mut().adopt(scene);
    h.run_steps(2);
    let drawn = h.state().drawn_layers().to_vec();
    assert!(!drawn.contains(&layer::BATCH_ISOLINES), "{drawn:?}");
    assert_eq!(h.state().minibatch_isolines().0, 0);
}

#[test]
fn side_by_side_the_data_view_is_a_dock_tab() {
    let scene = Scene {
        layout: descent::scene::Layout::SideBySide,
        ..preset("20-hinge-logistic")
    };
    let h = app_with(scene, 10.0);
    assert_eq!(h.state().dock_tool(), "Data");
    assert!(h.state().beside_map_rect().is_none());
    assert!(has_label_starting(&h, "80 points: ● y = +1"));
}

#[test]
fn the_data_controls_edit_the_batch_the_loss_and_the_dataset() {
    let mut h = app_with(preset("18-outliers-huber"), 0.0);
    let before = h.state().scene().clone();
    // The scene-wide batch slider (the first "batch" slider, above the racers' own).
    h.get_all_by_role_and_label(Role::Slider, "batch")
        .next()
        .expect("a batch slider")
        .set_value_accesskit(5.0);
    h.run_steps(2);
    assert_eq!(h.state().scene().batch, Some(5));
    assert!(
        h.state()
            .race()
            .race()
            .batch_plan(0)
            .is_some_and(|p| p.batch == 5)
    );
    h.get_by_label("shuffle each epoch").click_accesskit();
    h.run_steps(2);
    assert_eq!(h.state().scene().shuffle, !before.shuffle);
    // The dataset's n.
    h.get_by_role_and_label(Role::Slider, "n points")
        .set_value_accesskit(40.0);
    h.run_steps(2);
    let data = h.state().scene().data.clone().unwrap();
    assert!(data.contains("n=40"), "{data}");
    assert_eq!(h.state().race().landscape.data.as_ref().unwrap().len(), 40);
}

/// A file dropped on the window, as the windowing layer hands it over.
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
fn a_csv_opens_as_the_dataset_and_a_bad_one_keeps_the_scene() {
    let dir = std::env::temp_dir().join(format!("descent-data-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("points.csv");
    std::fs::write(&good, "x1,x2,label\n0,1,1\n1,2,1\n-1,-1,-1\n-2,0,-1\n").unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "x,y\n1,2\n3,oops\n").unwrap();

    let mut h = app_with(Scene::default(), 0.0);
    h.state_mut().open_data_path(&bad);
    h.run_steps(2);
    let error = h.state().error().unwrap().to_string();
    assert!(error.contains("bad.csv:3"), "{error}");
    assert_eq!(h.state().scene().surface, Scene::default().surface);

    // Dropped on the window: the quadratic becomes a classifier of those four points.
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(good.clone())));
    h.run_steps(3);
    let scene = h.state().scene();
    assert_eq!(scene.surface, "linear-classifier");
    assert_eq!(scene.data.as_deref(), Some(good.to_str().unwrap()));
    assert_eq!(h.state().race().landscape.data.as_ref().unwrap().len(), 4);
    assert!(h.state().status().unwrap().starts_with("opened 4 points"));
    assert!(h.state().beside_map_rect().is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_loss_functions_tab_counts_the_points_that_pull() {
    let scene = Scene {
        overlays: Overlays {
            losses: true,
            ..Overlays::default()
        },
        ..preset("20-hinge-logistic")
    };
    let h = app_with(scene, 300.0);
    assert_eq!(h.state().dock_tool(), "Losses");
    // Count the hinge points inside the margin at gd's final θ, as the tab should.
    let app = h.state();
    let surface = app.race().landscape.data.clone().unwrap();
    let theta = app.race().runs[0].current(300).point();
    let pulling = (0..surface.len())
        .filter(|&i| surface.argument(i, theta) < 1.0)
        .count();
    assert!(0 < pulling && pulling < surface.len(), "{pulling}");
    let text = format!("{pulling} of {} points pull on the model", surface.len());
    assert!(has_label_starting(&h, &text), "missing '{text}'");
}

#[test]
fn the_gradient_check_tab_finds_the_bottom_of_the_v() {
    let scene = Scene {
        overlays: Overlays {
            gradcheck: true,
            ..Overlays::default()
        },
        ..preset("08-rosenbrock-first-order")
    };
    let h = app_with(scene, 10.0);
    assert_eq!(h.state().dock_tool(), "Grad check");
    for label in ["forward f64", "central f64", "forward f32", "central f32"] {
        assert!(h.query_by_label(label).is_some(), "{label} missing");
    }
    // The tab shows the core's check at gd's current point: the bottom of each V.
    let app = h.state();
    let p = app.race().runs[0].current(app.step()).point();
    let check = gradcheck::check(app.race().landscape.surface.as_ref(), p);
    let best = |precision, scheme| check.best(precision, scheme).unwrap();
    let forward = best(Precision::F64, Scheme::Forward);
    let central = best(Precision::F64, Scheme::Central);
    for row in [forward, central] {
        let text = format!(
            "best h = 1e{:.0}: error {}",
            row.h.log10(),
            short(row.relative_error)
        );
        assert!(h.query_by_label(&text).is_some(), "missing '{text}'");
    }
    // The V: central differences bottom out at a larger h (near ∛ε) than forward ones (√ε),
    // and far lower.
    assert!(central.h > forward.h, "{} vs {}", central.h, forward.h);
    assert!(central.relative_error < forward.relative_error / 10.0);
}

#[test]
fn the_teach_tabs_keep_the_dock_narrow() {
    for (preset_name, overlays) in [
        (
            "08-rosenbrock-first-order",
            Overlays {
                gradcheck: true,
                ..Overlays::default()
            },
        ),
        (
            "20-hinge-logistic",
            Overlays {
                losses: true,
                ..Overlays::default()
            },
        ),
        (
            "20-hinge-logistic",
            Overlays {
                gradcheck: true,
                ..Overlays::default()
            },
        ),
    ] {
        let scene = Scene {
            overlays,
            ..preset(preset_name)
        };
        let mut h = app_with(scene, 50.0);
        // Hover the data view too: its lines must wrap, not widen anything.
        if let Some(at) = h.state().data_point_on_screen(0) {
            h.hover_at(at);
        }
        h.run_steps(3);
        let map = h.state().map_rects()[0];
        let race = h
            .state()
            .beside_map_rect()
            .map_or(map, |data| map.union(data));
        assert!(
            race.width() >= 0.6 * 1280.0,
            "{preset_name} {overlays:?}: the race is {:.0} px wide",
            race.width()
        );
    }
}
