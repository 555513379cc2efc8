//! The data presets (17–24) each teach one lesson; these tests pin it down in numbers.

use std::path::Path;

use descent::P2;
use descent::data::Minimum;
use descent::landscape::Landscape;
use descent::race::Record;
use descent::scene::Scene;

fn preset(name: &str) -> Scene {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("presets")
        .join(format!("{name}.ron"));
    Scene::load(&path).unwrap()
}

fn run(scene: &Scene) -> Vec<Vec<Record>> {
    scene.race_spec().unwrap().0.build().unwrap().trajectories()
}

fn landscape(scene: &Scene) -> Landscape {
    Landscape::parse_with_data(&scene.surface, scene.data.as_deref()).unwrap()
}

fn minimum(scene: &Scene) -> P2 {
    landscape(scene).critical[0].point()
}

/// Mean distance to `to` over the last `k` records.
fn mean_distance(path: &[Record], to: P2, k: usize) -> f64 {
    let tail = &path[path.len() - k..];
    tail.iter().map(|r| (r.point() - to).norm()).sum::<f64>() / k as f64
}

#[test]
fn batch_size_trades_noise_for_cost() {
    let scene = preset("17-batch-size");
    let paths = run(&scene);
    let min = minimum(&scene);
    let ball: Vec<f64> = paths.iter().map(|p| mean_distance(p, min, 200)).collect();
    // The noise ball shrinks as the batch grows: batch 1 > batch 10 > full (converged).
    assert!(ball[0] > 2.0 * ball[1], "{ball:?}");
    assert!(ball[2] < 1e-9, "{ball:?}");
    // At equal cost (1000 samples seen = 10 epochs) batch 1 is far ahead of full batch,
    // which has taken only 10 steps.
    let at_samples = |path: &[Record], s: u64| {
        path.iter()
            .find(|r| r.data.unwrap().samples >= s)
            .unwrap()
            .loss
    };
    let f_min = landscape(&scene).critical[0].f;
    let (one, full) = (at_samples(&paths[0], 1000), at_samples(&paths[2], 1000));
    assert!(
        one - f_min < (full - f_min) / 5.0,
        "batch 1: {one}, full: {full}, f* {f_min}"
    );
    assert_eq!(paths[2][10].data.unwrap().samples, 1000);
}

#[test]
fn outliers_pull_the_least_squares_line_and_huber_resists() {
    let scene = preset("18-outliers-huber");
    let mse = minimum(&scene);
    let huber = Landscape::parse_with_data("linear-regression:loss=huber", scene.data.as_deref())
        .unwrap()
        .critical[0]
        .point();
    // The true slope is 2: three outliers bend least squares far off; Huber stays close.
    assert!((mse.x - 2.0).abs() > 1.0, "mse slope {}", mse.x);
    assert!((huber.x - 2.0).abs() < 0.3, "huber slope {}", huber.x);
    for path in run(&scene) {
        assert!((path.last().unwrap().point() - mse).norm() < 1e-6);
    }
}

#[test]
fn newton_solves_linear_regression_in_one_step() {
    let scene = preset("19-newton-regression");
    let paths = run(&scene);
    let min = minimum(&scene);
    assert!(
        (paths[0][1].point() - min).norm() < 1e-12,
        "{:?}",
        paths[0][1]
    );
    assert!(
        (paths[1][1].point() - min).norm() > 0.5,
        "gd is still on its way"
    );
}

#[test]
fn only_points_inside_the_margin_pull_on_a_hinge_boundary() {
    let scene = preset("20-hinge-logistic");
    let hinge = landscape(&scene);
    let d = hinge.data.as_ref().unwrap();
    let p = hinge.critical[0].point();
    let inside = (0..d.len()).filter(|&i| d.argument(i, p) < 1.0).count();
    assert!(
        inside > 0 && inside < d.len() / 2,
        "{inside} of {} inside",
        d.len()
    );
    // Every point has a nonzero logistic gradient: all of them pull.
    let logistic =
        Landscape::parse_with_data("linear-classifier:loss=logistic", scene.data.as_deref())
            .unwrap();
    let l = logistic.data.as_ref().unwrap();
    let q = logistic.critical[0].point();
    assert!((0..l.len()).all(|i| l.sample_loss(i, q) > 0.0));
    // Both racers find the hinge minimum.
    for path in run(&scene) {
        assert!((path.last().unwrap().point() - p).norm() < 0.05);
    }
}

#[test]
fn separable_data_have_no_logistic_minimum_and_l2_makes_one() {
    let scene = preset("21-separable-logistic");
    let land = landscape(&scene);
    assert!(land.critical.is_empty());
    assert!(matches!(
        land.data.as_ref().unwrap().minimum,
        Minimum::None(_)
    ));
    let paths = run(&scene);
    let norm = |r: &Record| r.point().norm();
    for path in &paths {
        // ‖w‖ keeps growing while the loss keeps falling.
        assert!(
            norm(&path[2000]) > norm(&path[200]) + 1.0,
            "{:?}",
            path[2000]
        );
        assert!(path[2000].loss < path[200].loss / 3.0);
    }
    let with_l2 = Scene {
        surface: format!("{}+l2=0.01", scene.surface),
        ..scene.clone()
    };
    let min = minimum(&with_l2);
    let end = run(&with_l2)[0].last().unwrap().point();
    assert!((end - min).norm() < 1e-6, "{end:?} vs {min:?}");
}

#[test]
fn l1_drives_a_weight_to_exactly_zero() {
    let scene = preset("22-l1-sparsity");
    let land = landscape(&scene);
    let p = land.critical[0].point();
    assert_eq!(p.y, 0.0, "w₂ exactly 0: {p:?}");
    assert!(p.x > 0.5);
    let unpenalized = land.unregularized_minima[0].point();
    assert!(unpenalized.y.abs() > 0.01, "{unpenalized:?}");
    let end = run(&scene)[0].last().unwrap().point();
    assert!(end.y.abs() < 0.05 && (end.x - p.x).abs() < 0.05, "{end:?}");
}

#[test]
fn sorted_data_without_shuffling_cycles_and_shuffled_does_not() {
    let scene = preset("23-shuffle");
    assert!(!scene.shuffle);
    let sequential = run(&scene).remove(0);
    // The same loop every epoch: the points 10 steps (one epoch) apart coincide.
    let n = sequential.len();
    let drift = (sequential[n - 1].point() - sequential[n - 11].point()).norm();
    assert!(drift < 1e-6, "one epoch apart: {drift}");
    let shuffled = run(&Scene {
        shuffle: true,
        ..scene.clone()
    })
    .remove(0);
    // The loop does not shrink: its diameter in the last epoch equals that of epoch 20.
    let diameter = |end: usize| {
        let epoch = &sequential[end - 10..end];
        epoch
            .iter()
            .flat_map(|a| epoch.iter().map(move |b| (a.point() - b.point()).norm()))
            .fold(0.0, f64::max)
    };
    assert!(diameter(n) > 0.05, "loop diameter {}", diameter(n));
    assert!((diameter(n) - diameter(201)).abs() < 1e-6 * diameter(n));
    let again = (shuffled[n - 1].point() - shuffled[n - 11].point()).norm();
    assert!(again > 1e-3, "shuffled epochs differ: {again}");
}

#[test]
fn lbfgs_needs_the_full_batch() {
    let scene = preset("24-lbfgs-minibatch");
    let min = minimum(&scene);
    let paths = run(&scene);
    let end = |i: usize| (paths[i].last().unwrap().point() - min).norm();
    assert!(end(0) < 1e-9, "full batch: {}", end(0));
    assert!(
        end(1) > 10.0 * end(2),
        "lbfgs on minibatches {} vs sgd {}",
        end(1),
        end(2)
    );
}
