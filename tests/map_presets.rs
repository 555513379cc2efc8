//! The map presets' lessons, asserted in numbers (on coarser grids than the presets' own, so
//! the unoptimized test build stays quick: the lessons are about shares, not pixels).

use descent::engine::basins::BasinMap;
use descent::engine::cloud::Cloud;
use descent::engine::{Ending, MapKind, MapResult, MapSettings, Progress};
use descent::race::Race;
use descent::scene::Scene;

fn preset(name: &str) -> (Scene, Race) {
    let scene = descent::presets::load(name).unwrap();
    let race = scene.race_spec().unwrap().0.build().unwrap();
    (scene, race)
}

fn settings(scene: &Scene, grid: usize) -> MapSettings {
    MapSettings {
        grid,
        ..scene.map.clone().expect("a map preset has map settings")
    }
}

fn basins(scene: &Scene, race: &Race, racer: usize, grid: usize) -> BasinMap {
    let s = MapSettings {
        racer,
        ..settings(scene, grid)
    };
    let view = scene.view.unwrap_or(race.landscape.view);
    match s.compute(race, view, 2, &Progress::new()).unwrap().unwrap() {
        MapResult::Basins(m) => m,
        other => panic!("not basins: {other:?}"),
    }
}

fn share(map: &BasinMap, keep: impl Fn(Ending) -> bool) -> f64 {
    map.cells.iter().filter(|c| keep(c.outcome)).count() as f64 / map.cells.len() as f64
}

#[test]
fn newtons_basins_on_himmelblau_include_saddles_and_the_maximum() {
    let (scene, race) = preset("25-newton-basins.ron");
    assert_eq!(scene.map.as_ref().unwrap().kind, MapKind::Basins);
    let critical = &race.landscape.critical;
    let not_minimum = |e: Ending| matches!(e, Ending::Critical(i) if !critical[i].is_minimum());
    let newton = basins(&scene, &race, 0, 64);
    let gd = basins(&scene, &race, 1, 64);
    let newton_saddles = share(&newton, not_minimum);
    let gd_saddles = share(&gd, not_minimum);
    println!("newton → saddles/maximum {newton_saddles:.3}, gd {gd_saddles:.3}");
    println!("newton tally {:?}", newton.tally());
    println!("gd tally {:?}", gd.tally());
    // Newton: a fifth or more of the starts end on a saddle or the maximum; GD: none.
    assert!(newton_saddles > 0.2, "{newton_saddles}");
    assert_eq!(gd_saddles, 0.0);
    // Every one of the nine critical points attracts some of Newton's starts.
    for i in 0..critical.len() {
        assert!(
            share(&newton, |e| e == Ending::Critical(i)) > 0.0,
            "point {i}"
        );
    }
    // Fractal boundaries: far more neighbouring cells disagree under Newton than under GD.
    let boundary = |m: &BasinMap| {
        let n = m.nx;
        (0..n * n)
            .filter(|&k| k % n + 1 < n && m.cells[k].outcome != m.cells[k + 1].outcome)
            .count()
    };
    println!(
        "boundary cells newton {} gd {}",
        boundary(&newton),
        boundary(&gd)
    );
    assert!(boundary(&newton) > 3 * boundary(&gd));
}

#[test]
fn momentum_carries_starts_over_the_ridge_both_ways() {
    let (scene, race) = preset("26-two-well-basins.ron");
    let critical = &race.landscape.critical;
    let global = critical
        .iter()
        .position(|c| c.kind == descent::surface::CriticalKind::GlobalMinimum)
        .unwrap();
    let local = critical
        .iter()
        .position(|c| c.kind == descent::surface::CriticalKind::LocalMinimum)
        .unwrap();
    let momentum = basins(&scene, &race, 0, 48);
    let gd = basins(&scene, &race, 1, 48);
    let moved = |from: usize, to: usize| {
        let of_gd = gd
            .cells
            .iter()
            .filter(|c| c.outcome == Ending::Critical(from));
        let total = of_gd.clone().count();
        let moved = of_gd
            .filter(|c| {
                momentum
                    .cell_at(descent::P2::new(c.x, c.y))
                    .unwrap()
                    .outcome
                    == Ending::Critical(to)
            })
            .count();
        moved as f64 / total as f64
    };
    let (over_to_global, over_to_local) = (moved(local, global), moved(global, local));
    println!("right→left {over_to_global:.3}, left→right {over_to_local:.3}");
    // GD splits the view at the ridge: every start right of it ends in the shallow well.
    for c in gd.cells.iter().filter(|c| c.x > 0.2) {
        assert_eq!(
            c.outcome,
            Ending::Critical(local),
            "gd from ({}, {})",
            c.x,
            c.y
        );
    }
    // Momentum carries a fifth of GD's right-hand basin into the deeper well, and overshoots
    // some left-hand starts into the shallow one: its basins are interleaved bands.
    assert!(over_to_global > 0.2, "{over_to_global}");
    assert!(over_to_local > 0.1, "{over_to_local}");
}

#[test]
fn heavy_balls_phase_diagram_follows_the_theory_line_and_is_fastest_near_the_optimum() {
    let (scene, race) = preset("27-heavy-ball-phase.ron");
    let s = settings(&scene, 32);
    let d = match s
        .compute(&race, race.landscape.view, 2, &Progress::new())
        .unwrap()
        .unwrap()
    {
        MapResult::Phase(d) => d,
        other => panic!("not a phase diagram: {other:?}"),
    };
    assert!(!d.boundary.is_empty());
    // Below the line nothing diverges; a cell past it by two cells always does.
    let lambda = 25.0;
    for c in &d.cells {
        let [lr, mu] = c.values;
        let limit = 2.0 * (1.0 + mu) / lambda;
        let cells_past = (d.x.position(lr) - d.x.position(limit)) * d.n as f64;
        if cells_past < -1.0 {
            assert_ne!(c.outcome, Ending::Diverged, "{lr} {mu}");
        }
        if cells_past > 1.0 {
            assert_eq!(c.outcome, Ending::Diverged, "{lr} {mu}");
        }
    }
    let fastest = d
        .cells
        .iter()
        .filter(|c| c.outcome.converged())
        .min_by_key(|c| c.steps)
        .unwrap();
    let best_gd_like = d.cells[..d.n].iter().filter_map(|c| c.steps).min().unwrap();
    println!("fastest {:?}; best at μ≈0: {best_gd_like}", fastest);
    // Momentum pays: the fastest cell has μ well above 0 and needs under half the steps of
    // the best cell in the bottom (μ ≈ 0) row; it lies near lr* ≈ 0.11, μ* ≈ 0.44.
    let [lr, mu] = fastest.values;
    assert!((0.2..0.8).contains(&mu), "{mu}");
    assert!((0.04..0.3).contains(&lr), "{lr}");
    assert!(2 * fastest.steps.unwrap() < best_gd_like);
}

#[test]
fn the_sgd_cloud_shrinks_under_the_decaying_schedule() {
    let (scene, race) = preset("28-sgd-cloud-schedule.ron");
    let s = scene.map.clone().unwrap();
    assert_eq!(s.kind, MapKind::Cloud);
    // Racer 0 keeps a constant lr, racer 1 decays it (the scene's cosine): same lr, same
    // noise per copy.
    assert_eq!(scene.racers[0].schedule.as_deref(), Some("constant"));
    assert_eq!(scene.racers[1].schedule, None);
    assert!(scene.schedule.starts_with("cosine"));
    let cloud = Cloud::compute(&race, s.copies, s.tol, 2, &Progress::new()).unwrap();
    let flat = cloud.racers[0].bands.last().unwrap();
    let decayed = cloud.racers[1].bands.last().unwrap();
    let (flat_mid, decayed_mid) = (
        cloud.racers[0].bands[cloud.frames / 2],
        cloud.racers[1].bands[cloud.frames / 2],
    );
    println!("decayed {decayed:?} constant {flat:?}; halfway {decayed_mid:?} {flat_mid:?}");
    // At the end the decayed cloud's median loss is a tenth of the constant lr's or less,
    // and its 90% quantile lies below the constant cloud's median.
    assert!(decayed.median * 10.0 < flat.median);
    assert!(decayed.p90 < flat.median);
}
