//! The map's costs: sampling a 512×512 grid, tracing 20 isolines, colouring, and one whole
//! app frame with 8 optimizers animating (through egui_kittest, without a GPU).
//!
//! `cargo bench --bench map`; medians are in the README.

use egui_kittest::kittest::Queryable;

use descent::grid::{Colormap, ContourMap, Grid, Scale, isolines};
use descent::landscape::Landscape;
use descent::surface::Bounds;

fn main() {
    divan::main();
}

const N: usize = 512;
const LEVELS: usize = 20;

fn rosenbrock() -> (Landscape, Bounds) {
    let l = Landscape::parse("rosenbrock").unwrap();
    let view = l.view;
    (l, view)
}

/// Sample + fit + 20 isolines at 512², on one thread: what a pan or zoom costs.
#[divan::bench(args = [1, 2])]
fn grid_and_isolines_512(bencher: divan::Bencher, threads: usize) {
    let (l, view) = rosenbrock();
    bencher.bench(|| ContourMap::compute(l.surface.as_ref(), view, [N, N], LEVELS, threads));
}

#[divan::bench]
fn sample_512(bencher: divan::Bencher) {
    let (l, view) = rosenbrock();
    bencher.bench(|| Grid::sample(l.surface.as_ref(), view, N, N, 1));
}

#[divan::bench]
fn isolines_512_x20(bencher: divan::Bencher) {
    let (l, view) = rosenbrock();
    let grid = Grid::sample(l.surface.as_ref(), view, N, N, 1);
    let levels = Scale::fit_grid(&grid).levels(LEVELS);
    bencher.bench(|| isolines(&grid, &levels, 1));
}

/// Colours from the scale positions the map already holds (what a colormap change costs).
#[divan::bench]
fn colorize_512(bencher: divan::Bencher) {
    let (l, view) = rosenbrock();
    let map = ContourMap::compute(l.surface.as_ref(), view, [N, N], LEVELS, 1);
    let table = Colormap::Viridis.table();
    bencher.bench(|| map.rgba(&table));
}

/// One frame of the app at 1280×720 while 8 optimizers animate on Rosenbrock: egui's pass
/// (layout, plots, the isolines mapped to the screen) plus tessellation — everything but the
/// GPU. `overlays`: every teaching overlay on (forces, model steps, field, curvature under a
/// hovering cursor, metrics tab, diagnostics plots) or none.
#[divan::bench(args = [false, true], sample_count = 200)]
fn app_frame_8_optimizers(bencher: divan::Bencher, overlays: bool) {
    use descent::app::{DESIGN_SIZE, DescentApp, Options};
    use descent::scene::{Overlays, Racer, Scene};
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
    let scene = Scene {
        surface: "rosenbrock".into(),
        start: Some([-1.5, 2.0]),
        racers: [
            "gd:lr=0.001",
            "momentum:lr=0.001",
            "nesterov:lr=0.001",
            "adagrad:lr=0.5",
            "rmsprop:lr=0.01",
            "adam:lr=0.05",
            "bfgs",
            "newton",
        ]
        .iter()
        .map(|s| Racer::new(s))
        .collect(),
        steps: 1000,
        speed: 1.0,
        overlays: if overlays { all } else { Overlays::default() },
        ..Scene::default()
    };
    let mut harness = egui_kittest::Harness::builder()
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
    // Jump to step 900 of 1000 (long paths) and play slowly, so every timed frame animates
    // 8 paths of about 900 points; the map's grid was computed once, before timing.
    harness.run_steps(5);
    harness.key_press(egui::Key::Space);
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Slider, "step")
        .set_value_accesskit(900.0);
    harness.run_steps(1);
    harness.key_press(egui::Key::Space);
    if overlays {
        // The curvature overlay follows a cursor over the map.
        let (rect, _) = harness.state().map_frame().expect("a map");
        harness.hover_at(rect.center());
    }
    harness.run_steps(5);
    let maps = harness.state().maps_computed();
    bencher.bench_local(|| {
        harness.step();
        let shapes = harness.output().shapes.clone();
        let ppp = harness.ctx.pixels_per_point();
        harness.ctx.tessellate(shapes, ppp)
    });
    let app = harness.state();
    assert!(
        app.is_playing() && app.step() >= 900,
        "still animating late in the race"
    );
    assert_eq!(
        app.maps_computed(),
        maps,
        "no map was recomputed while timing"
    );
}
