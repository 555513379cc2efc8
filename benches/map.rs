//! The map's costs: sampling a 512×512 grid, tracing 20 isolines, colouring, and one whole
//! app frame with 8 optimizers animating (through egui_kittest, without a GPU).
//!
//! `cargo bench --bench map`; medians are in the README.

#[path = "support/frame.rs"]
mod frame;

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
    let mut harness = frame::harness(overlays);
    let maps = harness.state().maps_computed();
    bencher.bench_local(|| frame::frame(&mut harness));
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
