//! The maps over many runs in the real app (egui_kittest): the phase diagram's tab (preset
//! 27), the noise cloud on the map and in the loss plot (preset 28), a racer's "tune"
//! button, and the plots' x axis.
#![cfg(feature = "gui")]

mod common;

use common::{app_with, preset};

use descent::app::DescentApp;
use descent::engine::MapKind;
use descent::optim::OptimizerSpec;
use descent::scene::{Racer, Scene};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn click_at(h: &mut Harness<'_, DescentApp>, pos: Pos2) {
    h.hover_at(pos);
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(3);
}

/// Click `item` in the Teach menu.
fn teach(h: &mut Harness<'_, DescentApp>, item: &str) {
    h.get_by_label("Teach").click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(3);
}

fn racer_spec(h: &Harness<'_, DescentApp>, i: usize) -> OptimizerSpec {
    OptimizerSpec::parse(&h.state().scene().racers[i].optimizer).expect("a valid spec")
}

#[test]
fn preset_27_shows_the_phase_diagram_beside_the_map_with_the_theory_line_and_the_racer_ringed() {
    let h = app_with(preset("27-heavy-ball-phase"), 0.0);
    let app = h.state();
    let d = app.phase_diagram().expect("the diagram was computed");
    assert_eq!((d.n, d.x.name, d.y.name), (64, "lr", "momentum"));
    assert_eq!(d.current, [0.012, 0.8]);
    let frame = app.phase_frame();
    let plot = frame.plot.expect("the phase diagram is drawn");
    assert!(frame.boundary, "the theory's line is drawn");
    // Beside the map (not in the 208-px dock), large enough for the back row.
    let beside = app
        .beside_map_rect()
        .expect("the diagram stands beside the map");
    assert!(beside.contains_rect(plot), "{plot:?} outside {beside:?}");
    assert!(plot.width() >= 260.0, "{plot:?}");
    assert!((plot.width() - plot.height()).abs() < 1.0, "square cells");
    // The ring sits where the racer's lr and momentum are on the axes.
    let ring = frame.current.expect("the racer's setting is ringed");
    let expected = Pos2::new(
        plot.left() + d.x.position(0.012) as f32 * plot.width(),
        plot.bottom() - d.y.position(0.8) as f32 * plot.height(),
    );
    assert!(ring.distance(expected) < 1.0, "{ring:?} vs {expected:?}");
    // It lies beside the map, not over it.
    for map in app.map_rects() {
        assert!(!map.intersects(plot), "the diagram covers the map");
    }
    // The key and the hint are there to read.
    assert!(h.query_by_label_contains("not converged").is_some());
    assert!(h.query_by_label_contains("click a cell").is_some());
}

#[test]
fn clicking_a_phase_cell_gives_the_racer_its_lr_and_momentum() {
    let mut h = app_with(preset("27-heavy-ball-phase"), 0.0);
    let (x, y) = {
        let d = h.state().phase_diagram().unwrap();
        (d.x, d.y)
    };
    let plot = h.state().phase_frame().plot.unwrap();
    // The fast corner the preset's lesson names: lr ≈ 0.094, μ ≈ 0.48.
    let target = Pos2::new(
        plot.left() + x.position(0.094) as f32 * plot.width(),
        plot.bottom() - y.position(0.48) as f32 * plot.height(),
    );
    let cell = |v: f64, a: &descent::engine::phase::Axis| (a.position(v) * 64.0).floor();
    click_at(&mut h, target);
    let spec = racer_spec(&h, 0);
    let (lr, mu) = (spec.args.real("lr"), spec.args.real("momentum"));
    assert_eq!(cell(lr, &x), cell(0.094, &x), "lr {lr}");
    assert_eq!(cell(mu, &y), cell(0.48, &y), "momentum {mu}");
    assert!(spec.label.len() <= 32, "short values: {}", spec.label);
    // The race ran again with them, and the diagram (same axes, pinned in the scene)
    // rings the new setting.
    let app = h.state();
    assert_eq!(app.race().optimizer(0).args.real("lr"), lr);
    let map = app.scene().map.as_ref().unwrap();
    assert!(map.x.as_deref().unwrap().starts_with("lr:"));
    let d = app.phase_diagram().unwrap();
    assert_eq!(d.current, [lr, mu]);
    assert_eq!((d.x, d.y), (x, y), "the axes stayed where they were");
    let cell_now = d.cell_at(d.current).unwrap();
    assert!(cell_now.steps.is_some_and(|s| s < 100), "{cell_now:?}");
}

#[test]
fn the_phase_tab_comes_from_teach_and_takes_other_axes() {
    let mut h = app_with(Scene::default(), 0.0);
    assert!(h.state().phase_diagram().is_none());
    teach(&mut h, "Phase diagram");
    let map = h.state().scene().map.clone().expect("a map");
    assert_eq!(map.kind, MapKind::Phase);
    // The first racer (GD) on its default axes.
    let d = h.state().phase_diagram().expect("computed");
    assert_eq!(d.x.name, "lr");
    assert!(
        h.state().phase_frame().plot.is_some(),
        "the tab came to the front"
    );
    // Another racer: Adam, whose default axes are lr × beta1.
    let adam = h.state().race().runs[2].label.clone();
    h.get_by_role_and_label(Role::ComboBox, "racer").click();
    h.run_steps(2);
    h.get_all_by_label(&adam).last().unwrap().click();
    h.run_steps(3);
    let d = h.state().phase_diagram().expect("computed");
    assert_eq!((d.x.name, d.y.name), ("lr", "beta1"));
    assert_eq!(h.state().scene().map.as_ref().unwrap().racer, 2);
    // Choosing beta1 for x swaps the axes.
    h.get_by_role_and_label(Role::ComboBox, "x").click();
    h.run_steps(2);
    h.get_all_by_label("beta1").last().unwrap().click();
    h.run_steps(3);
    let d = h.state().phase_diagram().expect("computed");
    assert_eq!((d.x.name, d.y.name), ("beta1", "lr"));
    // And another hyperparameter takes its own span: eps on a log axis.
    h.get_by_role_and_label(Role::ComboBox, "x").click();
    h.run_steps(2);
    h.get_all_by_label("eps").last().unwrap().click();
    h.run_steps(3);
    let d = h.state().phase_diagram().expect("computed");
    assert_eq!((d.x.name, d.x.log, d.y.name), ("eps", true, "lr"));
    teach(&mut h, "Phase diagram");
    assert!(h.state().phase_diagram().is_none());
    assert!(h.state().phase_frame().plot.is_none(), "the tab went");
}

#[test]
fn preset_28_draws_the_cloud_on_the_map_and_bands_in_the_loss_plot() {
    let h = app_with(preset("28-sgd-cloud-schedule"), 200.0);
    let app = h.state();
    let cloud = app.cloud().expect("the cloud was computed");
    assert_eq!(cloud.copies, 64);
    assert_eq!(cloud.racers.len(), 2);
    assert!(
        app.drawn_layers().contains(&"noise cloud"),
        "{:?}",
        app.drawn_layers()
    );
    assert!(
        h.query_by_label_contains("noise cloud").is_some(),
        "in the key"
    );
    assert_eq!(app.loss_bands_drawn(), 2, "one band per racer");
    // The copies spread: at step 200 they are not all at one point.
    let frame = cloud.racers[0].frame(cloud.frame_of(200), 64);
    let spread = frame
        .iter()
        .map(|p| (p - frame[0]).norm())
        .fold(0.0, f64::max);
    assert!(spread > 1e-3, "{spread}");
}

#[test]
fn the_cloud_toggles_from_teach() {
    let scene = Scene {
        noise: 0.5,
        steps: 80,
        ..Scene::default()
    };
    let mut h = app_with(scene, 40.0);
    assert!(!h.state().drawn_layers().contains(&"noise cloud"));
    teach(&mut h, "Noise cloud");
    assert!(h.state().drawn_layers().contains(&"noise cloud"));
    assert_eq!(h.state().loss_bands_drawn(), 3);
    teach(&mut h, "Noise cloud");
    assert!(!h.state().drawn_layers().contains(&"noise cloud"));
    assert_eq!(h.state().loss_bands_drawn(), 0);
}

#[test]
fn tune_sets_gd_near_the_optimal_lr_of_a_quadratic() {
    // κ = 25: λmin = 1, λmax = 25, so GD's fastest lr is 2/(λmin + λmax) = 1/13.
    let scene = Scene {
        racers: vec![Racer::new("gd:lr=0.001")],
        steps: 400,
        ..Scene::default()
    };
    let mut h = app_with(scene, 0.0);
    h.get_by_label("tune").click();
    for _ in 0..500 {
        h.run_steps(1);
        if h.query_by_label_contains("tuned:").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        h.query_by_label_contains("tuned:").is_some(),
        "a note says what it found"
    );
    let lr = racer_spec(&h, 0).args.real("lr");
    let optimum = 2.0 / 26.0;
    // Within one step of the coarse grid (41 rates over six decades: ×1.41).
    let ratio = 1e6f64.powf(1.0 / 40.0);
    assert!(
        lr > optimum / ratio && lr < optimum * ratio,
        "lr {lr} vs {optimum}"
    );
    assert_eq!(
        h.state().race().optimizer(0).args.real("lr"),
        lr,
        "the race ran with it"
    );
}

#[test]
fn tune_says_so_when_no_lr_converges() {
    // Two steps reach no tolerance of 1e-6 from the canyon's start, whatever the lr.
    let scene = Scene {
        racers: vec![Racer::new("gd:lr=0.01")],
        steps: 2,
        ..Scene::default()
    };
    let mut h = app_with(scene, 0.0);
    h.get_by_label("tune").click();
    for _ in 0..500 {
        h.run_steps(1);
        if h.query_by_label_contains("no lr").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(h.query_by_label_contains("no lr in").is_some());
    assert_eq!(racer_spec(&h, 0).args.real("lr"), 0.01, "the lr is kept");
}

#[test]
fn the_plots_x_axis_offers_evaluations_and_for_data_epochs_and_samples() {
    let mut scene = Scene::default();
    scene.racers.push(Racer::new("bfgs"));
    let mut h = app_with(scene, 20.0);
    use descent::app::XAxis;
    assert_eq!(h.state().plots_x_axis(), XAxis::Steps);
    h.get_by_role_and_label(Role::ComboBox, "x axis").click();
    h.run_steps(2);
    assert!(h.query_by_label("epoch").is_none(), "no data, no epochs");
    h.get_by_label("evaluations").click();
    h.run_steps(3);
    assert_eq!(h.state().plots_x_axis(), XAxis::Evaluations);

    // A data scene with minibatch racers offers epochs and samples.
    let mut h = app_with(preset("17-batch-size"), 20.0);
    h.get_by_role_and_label(Role::ComboBox, "x axis").click();
    h.run_steps(2);
    assert!(h.query_by_label("samples seen").is_some());
    h.get_by_label("epoch").click();
    h.run_steps(3);
    assert_eq!(h.state().plots_x_axis(), XAxis::Epochs);
}
