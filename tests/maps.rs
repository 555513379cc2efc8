//! Maps over many runs: basins, phase diagrams, clouds, tuning and the background job,
//! each against what theory says.

use descent::P2;
use descent::engine::basins::BasinMap;
use descent::engine::cloud::Cloud;
use descent::engine::job::{COARSE_CELLS, Job};
use descent::engine::phase::{Axis, PhaseDiagram, PhaseGrid};
use descent::engine::tune::{TUNE_RANGE, tune_lr};
use descent::engine::{Batch, Ending, Progress};
use descent::race::{Race, RaceSpec};
use descent::surface::Bounds;

fn race(surface: &str, optimizer: &str, steps: u64) -> Race {
    RaceSpec {
        surface: surface.into(),
        optimizers: vec![optimizer.into()],
        steps,
        ..RaceSpec::default()
    }
    .build()
    .unwrap()
}

fn basins(surface: &str, optimizer: &str, steps: u64, n: usize, tol: f64) -> BasinMap {
    let race = race(surface, optimizer, steps);
    let batch = Batch::of_race(&race, 0, tol);
    let view = race.landscape.view;
    BasinMap::compute(&batch, 0, view, [n, n], 2, &Progress::new()).unwrap()
}

#[test]
fn a_bowls_basin_map_is_one_colour() {
    let map = basins("quadratic:kappa=4", "gd:lr=0.2", 300, 24, 1e-6);
    let tally = map.tally();
    assert_eq!(tally, vec![(Ending::Critical(0), 24 * 24)]);
    // One hue, shaded by steps: every pixel's hue is the minimum's.
    let rgba = descent::style::basin_rgba(&map);
    assert_eq!(rgba.len(), 24 * 24 * 4);
    assert!(map.cells.iter().all(|c| c.steps.is_some()));
}

#[test]
fn himmelblaus_basins_of_gd_at_small_lr_contain_their_minima() {
    let map = basins("himmelblau", "gd:lr=0.005", 2000, 40, 1e-5);
    let land = descent::landscape::Landscape::parse("himmelblau").unwrap();
    let mut seen = 0;
    for (i, c) in land.critical.iter().enumerate() {
        if !c.is_minimum() {
            continue;
        }
        let cell = map.cell_at(c.point()).unwrap();
        assert_eq!(
            cell.outcome,
            Ending::Critical(i),
            "minimum {i} at {:?}",
            c.point()
        );
        seen += 1;
    }
    assert_eq!(seen, 4);
    // Gradient descent at a small lr ends only at minima (saddles are unstable for it)…
    for (ending, _) in map.tally() {
        if let Ending::Critical(i) = ending {
            assert!(land.critical[i].is_minimum(), "{ending:?}");
        }
    }
    // …and each minimum's basin is a sizeable share of the view.
    for (ending, count) in map.tally() {
        if matches!(ending, Ending::Critical(_)) {
            assert!(count > 40 * 40 / 10, "{ending:?}: {count}");
        }
    }
}

/// The lr at which a phase diagram's row turns from converging to diverging.
fn measured_limits(d: &PhaseDiagram) -> Vec<(f64, usize, usize)> {
    (0..d.n)
        .map(|j| {
            let row = &d.cells[j * d.n..(j + 1) * d.n];
            let first_diverged = row
                .iter()
                .position(|c| c.outcome == Ending::Diverged)
                .unwrap_or(d.n);
            let last_converged = row.iter().rposition(|c| c.outcome.converged()).unwrap_or(0);
            (row[0].values[1], last_converged, first_diverged)
        })
        .collect()
}

#[test]
fn on_a_quadratic_the_phase_boundary_is_the_closed_form_limit_within_one_cell() {
    for (optimizer, lambda) in [("momentum", 10.0), ("nesterov", 10.0)] {
        let race = race("quadratic:kappa=10", &format!("{optimizer}:lr=0.01"), 1500);
        let batch = Batch::of_race(&race, 0, 1e-6);
        let entry = race.optimizers[0].entry;
        let x = Axis::new("lr", 0.01, 1.0, true, entry).unwrap();
        let y = Axis::new("momentum", 0.05, 0.9, false, entry).unwrap();
        let n = 30;
        PhaseDiagram::check(&race.optimizers[0], x, y, n).unwrap();
        let d =
            PhaseDiagram::compute(&batch, phase_grid(&race, x, y, n), 2, &Progress::new()).unwrap();
        assert!(!d.boundary.is_empty());
        for (mu, last_converged, first_diverged) in measured_limits(&d) {
            let limit = if optimizer == "nesterov" {
                2.0 * (1.0 + mu) / ((1.0 + 2.0 * mu) * lambda)
            } else {
                2.0 * (1.0 + mu) / lambda
            };
            let cell = ((x.position(limit)) * n as f64).floor() as usize;
            // Cells left of the limit's cell converge, cells right of it diverge: the
            // measured boundary is the limit's cell or a neighbour.
            assert!(
                last_converged + 2 >= cell && last_converged <= cell + 1,
                "{optimizer} μ={mu}: last converged cell {last_converged}, theory's {cell}"
            );
            assert!(
                first_diverged + 1 >= cell && first_diverged <= cell + 2,
                "{optimizer} μ={mu}: first diverged cell {first_diverged}, theory's {cell}"
            );
        }
        // The theory curve passes where it should: lr = 2(1+μ)/λ at μ on the axis.
        for &[lr, mu] in &d.boundary {
            let expected = descent::curvature::sgd_stability_limit(
                lambda,
                mu,
                0.0,
                optimizer == "nesterov",
                0.0,
            )
            .unwrap();
            assert!(
                (lr - expected).abs() <= 1e-9 * expected,
                "{lr} vs {expected}"
            );
        }
    }
}

#[test]
fn gd_phase_boundary_is_two_over_lambda_max() {
    let race = race("quadratic:kappa=8", "gd:lr=0.01", 2000);
    let batch = Batch::of_race(&race, 0, 1e-6);
    let entry = race.optimizers[0].entry;
    let x = Axis::new("lr", 0.02, 0.5, true, entry).unwrap();
    let y = Axis::new("weight_decay", 0.0, 2.0, false, entry).unwrap();
    let n = 32;
    let d = PhaseDiagram::compute(&batch, phase_grid(&race, x, y, n), 2, &Progress::new()).unwrap();
    for (wd, last_converged, first_diverged) in measured_limits(&d) {
        let cell = (x.position(2.0 / (8.0 + wd)) * n as f64).floor() as usize;
        assert!(
            last_converged + 2 >= cell && last_converged <= cell + 1,
            "wd {wd}"
        );
        assert!(
            first_diverged + 1 >= cell && first_diverged <= cell + 2,
            "wd {wd}"
        );
    }
}

#[test]
fn the_clouds_variance_on_a_quadratic_is_sgds_stationary_variance() {
    let (lr, sigma, kappa) = (0.1, 0.5, 4.0);
    let race = RaceSpec {
        surface: format!("quadratic:kappa={kappa}"),
        start: Some([0.5, -0.5]),
        optimizers: vec![format!("gd:lr={lr}")],
        noise: sigma,
        seed: 11,
        steps: 200,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    let copies = 4000;
    let cloud = Cloud::compute(&race, copies, 1e-3, 2, &Progress::new()).unwrap();
    let last = cloud.racers[0].frame(cloud.frames - 1, copies);
    for (axis, lambda) in [(0, 1.0), (1, kappa)] {
        let values: Vec<f64> = last.iter().map(|p| p[axis]).collect();
        let mean = values.iter().sum::<f64>() / copies as f64;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (copies - 1) as f64;
        let theory = sigma * sigma * lr / (lambda * (2.0 - lr * lambda));
        // The sample variance of K normal values has relative standard error √(2/(K−1)).
        let se = theory * (2.0 / (copies - 1) as f64).sqrt();
        assert!(
            (var - theory).abs() < 4.0 * se,
            "axis {axis}: {var} vs {theory} ± {se}"
        );
        assert!(
            mean.abs() < 4.0 * (theory / copies as f64).sqrt(),
            "axis {axis}: mean {mean}"
        );
    }
    // The band is ordered and brackets the median.
    for b in &cloud.racers[0].bands {
        assert!(b.p10 <= b.median && b.median <= b.p90);
    }
}

#[test]
fn tune_finds_gds_optimal_lr_on_a_quadratic() {
    for kappa in [4.0, 10.0, 30.0] {
        let race = RaceSpec {
            surface: format!("quadratic:kappa={kappa},angle=20"),
            start: Some([-2.0, 1.5]),
            optimizers: vec!["gd:lr=0.01".into()],
            steps: 3000,
            ..RaceSpec::default()
        }
        .build()
        .unwrap();
        let batch = Batch::of_race(&race, 0, 1e-8);
        let tuned = tune_lr(&batch, race.start, 0, TUNE_RANGE, 2, &Progress::new())
            .unwrap()
            .unwrap();
        let optimum = 2.0 / (1.0 + kappa);
        let ratio = tuned.lr / optimum;
        assert!(
            ratio < tuned.grid_ratio && ratio > 1.0 / tuned.grid_ratio,
            "κ={kappa}: tuned {} vs 2/(λmin+λmax) = {optimum} (grid ratio {})",
            tuned.lr,
            tuned.grid_ratio
        );
    }
}

#[test]
fn a_job_publishes_a_coarse_map_then_the_full_one() {
    let short = race("himmelblau", "gd:lr=0.01", 100);
    let batch = Batch::of_race(&short, 0, 1e-4);
    let view = short.landscape.view;
    let job = Job::basins(batch, 0, view, 64, || {});
    let full = job.wait().unwrap();
    assert_eq!((full.nx, full.ny), (64, 64));

    // The coarse pass alone, through the same job, cancelled before the full one ends.
    let batch = Batch::of_race(&race("himmelblau", "gd:lr=0.01", 2_000), 0, 1e-4);
    let job = Job::basins(batch, 0, view, 1024, || {});
    while job.passes_done() == 0 {
        std::thread::yield_now();
    }
    let coarse = job.latest().unwrap();
    assert_eq!(coarse.nx, COARSE_CELLS);
    job.cancel();
    let last = job.join().unwrap();
    assert_eq!(
        last.nx, COARSE_CELLS,
        "cancelled before the full pass ended"
    );
}

#[test]
fn dropping_a_job_cancels_it() {
    let race = race("rosenbrock", "adam:lr=0.01", 100_000);
    let batch = Batch::of_race(&race, 0, 1e-4);
    let (tx, rx) = std::sync::mpsc::channel();
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    // 512² runs of 10⁵ steps: hours of work unless the drop stops it.
    let job = Job::spawn(
        1,
        512 * 512,
        move |_, progress| {
            let _ = started_tx.send(());
            let map = BasinMap::compute(&batch, 0, Bounds::square(2.0), [512, 512], 2, progress);
            let _ = tx.send(map.is_none());
            map
        },
        || {},
    );
    started_rx.recv().unwrap();
    drop(job);
    assert!(
        rx.recv().unwrap(),
        "the pass ran to the end despite the drop"
    );
}

#[test]
fn start_points_are_cell_centres() {
    let c = descent::engine::basins::cell_centre(Bounds::new(0.0, 4.0, -1.0, 1.0), 4, 2, 3, 1);
    assert_eq!(c, P2::new(3.5, 0.5));
}

/// The metrics table's "evaluations to tolerance" is the engine's, and counts what each
/// method really spends: Newton's Hessians, BFGS's line-search trials.
#[test]
fn evaluations_to_tolerance_in_the_table_and_the_engine_agree() {
    let race = RaceSpec {
        surface: "rosenbrock".into(),
        start: Some([-1.5, 2.0]),
        optimizers: vec!["newton".into(), "bfgs".into(), "adam:lr=0.05".into()],
        steps: 3000,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    let tol = 1e-6;
    let rows = descent::metrics::summarize(&race, tol);
    for (i, row) in rows.iter().enumerate() {
        let outcome = descent::engine::run_single(&race, i, tol);
        assert_eq!(
            row.evals_to_grad_tol, outcome.evals_to_tol,
            "{}",
            row.optimizer
        );
        assert_eq!(
            row.steps_to_grad_tol, outcome.steps_to_tol,
            "{}",
            row.optimizer
        );
    }
    // Newton: a gradient and a Hessian per step.
    let newton = &rows[0];
    assert_eq!(
        newton.evals_to_grad_tol,
        newton.steps_to_grad_tol.map(|s| 2 * s)
    );
}

/// The grid of an `n × n` phase diagram over `x` and `y` from the race's start, seed 0.
fn phase_grid(race: &Race, x: Axis, y: Axis, n: usize) -> PhaseGrid {
    PhaseGrid {
        seed: 0,
        start: race.start,
        x,
        y,
        n,
    }
}
