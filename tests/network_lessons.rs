//! The eight network lessons (issue 20 §4), presets 29–36, each asserted in numbers on the
//! preset file itself: every test loads its scene from `descent::presets::PRESETS` and trains
//! it through `Scene::train_spec`, so a preset edited into telling another story fails here.
//! Each assertion's message prints what was measured.

use descent::net::Rows;
use descent::net::regions::regions;
use descent::presets::PRESETS;
use descent::scene::{SLICE_GRID, Scene};
use descent::slice::PlaneKind;
use descent::train::slice::{Slice, SliceSpec, points_of, slice_of_paths};
use descent::train::{NetRecord, Training};

/// The file name and text of the preset whose name starts with `prefix`.
fn preset_text(prefix: &str) -> (&'static str, &'static str) {
    *PRESETS
        .iter()
        .find(|(name, _)| name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no preset {prefix}…"))
}

fn preset(prefix: &str) -> Scene {
    let (name, text) = preset_text(prefix);
    Scene::from_ron(text, name).unwrap_or_else(|e| panic!("{e}"))
}

fn training(scene: &Scene) -> Training {
    let (spec, _) = scene.train_spec().unwrap_or_else(|e| panic!("{e}"));
    spec.build().unwrap_or_else(|e| panic!("{e}"))
}

/// Every racer's records, step 0 first.
fn paths(training: &Training) -> Vec<Vec<NetRecord>> {
    let mut paths = vec![Vec::new(); training.optimizers().len()];
    for record in training.records() {
        paths[record.run].push(record);
    }
    paths
}

/// The slice `spec` asks for, of paths already trained.
fn slice_of(training: &Training, paths: &[Vec<NetRecord>], spec: &SliceSpec) -> Slice {
    slice_of_paths(training, spec, &points_of(paths), 1).unwrap_or_else(|e| panic!("{e}"))
}

fn distance(p: &[f64], q: &[f64]) -> f64 {
    p.iter()
        .zip(q)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt()
}

fn norm(p: &[f64]) -> f64 {
    p.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// Times the loss rose from one step to the next.
fn upticks(path: &[NetRecord]) -> usize {
    path.windows(2).filter(|w| w[1].loss > w[0].loss).count()
}

/// Lesson 1 (preset 29): on three spiral arms, full batch, gradient descent never leaves the
/// plateau, momentum leaves it late, Adam early — and the two end in different valleys.
#[test]
fn lesson_1_spirals_gd_stays_on_the_plateau_momentum_leaves_it_adam_first() {
    let scene = preset("29-");
    let training = training(&scene);
    let mut first_90 = [None; 3];
    let mut at_300 = [0.0; 3];
    let mut end = vec![(0.0, 0.0, Vec::new()); 3];
    for r in training
        .records()
        .filter(|r| r.step.is_multiple_of(10) || r.last)
    {
        let accuracy = training.measure(&r, false).accuracy.unwrap();
        if accuracy >= 0.9 && first_90[r.run].is_none() {
            first_90[r.run] = Some(r.step);
        }
        if r.step == 300 {
            at_300[r.run] = r.loss;
        }
        if r.last {
            end[r.run] = (r.loss, accuracy, r.parameters.as_slice().to_vec());
        }
    }
    let [
        (gd_loss, gd_acc, _),
        (m_loss, m_acc, m_end),
        (a_loss, a_acc, a_end),
    ] = &end[..]
    else {
        unreachable!()
    };
    assert!(
        *gd_loss > 1.0 && *gd_acc < 0.5 && first_90[0].is_none(),
        "gradient descent stays on the plateau: loss {gd_loss}, accuracy {gd_acc}"
    );
    assert!(
        at_300[1] > 0.9,
        "momentum is still on the plateau at step 300: loss {}",
        at_300[1]
    );
    assert!(
        *m_loss < 0.25 && *m_acc > 0.9,
        "momentum leaves it: loss {m_loss}, accuracy {m_acc}"
    );
    assert!(
        *a_loss < 0.15 && *a_acc > 0.93,
        "Adam learns the spiral: loss {a_loss}, accuracy {a_acc}"
    );
    let (m90, a90) = (first_90[1].unwrap(), first_90[2].unwrap());
    assert!(
        a90 + 100 <= m90,
        "Adam passes 90% first: step {a90} vs momentum's {m90}"
    );
    // Two valleys: halfway between their end points the loss is far above both ends.
    let middle: Vec<f64> = m_end
        .iter()
        .zip(a_end)
        .map(|(m, a)| (m + a) / 2.0)
        .collect();
    let between = training.network().value(&middle, Rows::All);
    assert!(
        between > 3.0 * m_loss.max(*a_loss),
        "a ridge between momentum's and Adam's ends: loss {between} halfway, {m_loss} and \
         {a_loss} at the ends, {} apart",
        distance(m_end, a_end)
    );
}

/// Lesson 2 (preset 30): full-batch gradient descent's sharpness climbs to 2/η and hovers
/// there while the loss keeps falling, not monotonically.
#[test]
fn lesson_2_edge_of_stability_sharpness_climbs_to_two_over_eta_and_stays() {
    let scene = preset("30-");
    let training = training(&scene);
    let mut start = [0.0; 2];
    let mut tail = [Vec::new(), Vec::new()];
    let mut losses = [Vec::new(), Vec::new()];
    for r in training.records() {
        losses[r.run].push(r.clone());
        if r.step == 0 || r.step >= 500 && r.step.is_multiple_of(25) {
            let (max, _) = training.measure(&r, true).sharpness.unwrap();
            if r.step == 0 {
                start[r.run] = max;
            } else {
                tail[r.run].push(max);
            }
        }
    }
    for (i, optimizer) in training.optimizers().iter().enumerate() {
        let limit = 2.0 / optimizer.lr();
        let mean = tail[i].iter().sum::<f64>() / tail[i].len() as f64;
        assert!(
            start[i] < limit,
            "{}: the sharpness starts below 2/η = {limit}: {}",
            optimizer.label,
            start[i]
        );
        assert!(
            (mean / limit - 1.0).abs() < 0.1,
            "{}: over steps 500–1000 the sharpness {:?} hovers at 2/η = {limit} (mean {mean})",
            optimizer.label,
            tail[i]
        );
        let path = &losses[i];
        let (first, last) = (path[0].loss, path[path.len() - 1].loss);
        assert!(
            last < 0.1 * first,
            "{}: the loss keeps falling ({first} → {last})",
            optimizer.label
        );
        let ups = upticks(path);
        assert!(
            ups >= 10,
            "{}: the loss falls in fits and starts: it rose at {ups} steps",
            optimizer.label
        );
    }
}

/// Lesson 3 (preset 31): from zeros nothing moves; from torch's init ×30 the saturated
/// units hardly move and the loss stalls; torch's default and He learn the circles. Each
/// racer starts from its own init, side by side in one training.
#[test]
fn lesson_3_initialization_zeros_frozen_too_large_stalls_torch_and_he_learn() {
    let scene = preset("31-");
    let inits: Vec<&str> = scene
        .racers
        .iter()
        .map(|r| r.init.as_deref().unwrap_or("the scene's"))
        .collect();
    let training = training(&scene);
    let paths = paths(&training);
    // (init, first-layer weights at the start and end, start and final point, start and
    // final loss, accuracy)
    let runs: Vec<_> = inits
        .iter()
        .zip(&paths)
        .map(|(init, path)| {
            let (first, last) = (&path[0], &path[path.len() - 1]);
            let accuracy = training.measure(last, false).accuracy.unwrap();
            let w1 = |r: &NetRecord| r.parameters.as_slice()[..32].to_vec();
            (
                *init,
                (w1(first), w1(last)),
                (first.parameters.clone(), last.parameters.clone()),
                (first.loss, last.loss),
                accuracy,
            )
        })
        .collect();
    let [zeros, large, torch, he] = &runs[..] else {
        panic!("four racers, got {inits:?}")
    };
    assert_eq!(
        [zeros.0, large.0, torch.0, he.0],
        ["zeros", "torch:scale=30", "torch", "he"]
    );
    // Zeros: every hidden unit the same (all 0) and no gradient: nothing moves at all.
    let (_, (_, w1), (p0, p1), (l0, l1), acc) = zeros;
    assert!(
        w1.chunks(2).all(|row| row == &w1[..2]),
        "zeros: every first-layer unit identical: {w1:?}"
    );
    let moved = distance(p0.as_slice(), p1.as_slice());
    assert!(
        moved < 1e-9 && (l1 - 2f64.ln()).abs() < 1e-12 && (l0 - l1).abs() < 1e-12,
        "zeros: frozen at ln 2 = {}: moved {moved}, loss {l0} → {l1}",
        2f64.ln()
    );
    assert!(*acc <= 0.5, "zeros: a coin toss, accuracy {acc}");
    // Too large: the saturated first layer hardly moves, and the loss stalls.
    let relative = |(w0, w1): &(Vec<f64>, Vec<f64>)| distance(w0, w1) / norm(w0);
    let (large_moved, torch_moved) = (relative(&large.1), relative(&torch.1));
    assert!(
        large_moved < 0.15 && torch_moved > 1.0,
        "the first layer moves {large_moved} of its size from torch's init ×30, {torch_moved} \
         from torch's"
    );
    let (large_loss, large_acc) = (large.3.1, large.4);
    assert!(
        large_loss > 0.15 && large_loss > 8.0 * torch.3.1 && large_acc < 0.95,
        "torch's init ×30 stalls: loss {large_loss} (torch's {}), accuracy {large_acc}",
        torch.3.1
    );
    for (init, _, _, (_, loss), acc) in [torch, he] {
        assert!(
            *loss < 0.03 && *acc >= 0.99,
            "{init} learns the circles: loss {loss}, accuracy {acc}"
        );
    }
}

/// Lesson 4 (preset 32): the same run on its random plane and on the PCA plane. On the
/// random plane the path is far off a small picture and the map is wrong about its loss;
/// on the PCA plane the path lies close to a wide picture and the map agrees.
#[test]
fn lesson_4_a_random_plane_misleads_where_the_pca_plane_does_not() {
    let scene = preset("32-");
    let training = training(&scene);
    let paths = paths(&training);
    // The widths, the distances off the plane and the loss at a point of it do not depend on
    // the grid: the smallest one keeps the test fast.
    let random = scene.slice_spec(2, None).unwrap();
    assert_eq!(
        random.plane,
        PlaneKind::Random,
        "the preset shows the random plane"
    );
    let pca = SliceSpec {
        plane: PlaneKind::Pca,
        ..random
    };
    // (largest distance off the plane / the picture's width, |map − loss| at the start)
    let seen = |spec: &SliceSpec| {
        let slice = slice_of(&training, &paths, spec);
        let width = |axis: &[f64], d: usize| {
            (axis[axis.len() - 1] - axis[0]) * norm(slice.plane.directions[d].as_slice())
        };
        let width = width(&slice.a, 0).max(width(&slice.b, 1));
        let points = &slice.paths[0].points;
        let off = points.iter().map(|p| p[2]).fold(0.0, f64::max);
        let [a, b, _, loss] = points[0];
        let map = slice.loss_at(&training, a, b);
        (off, width, (map - loss).abs(), map, loss)
    };
    let (off, width, error, map, loss) = seen(&random);
    assert!(
        off > 3.0 * width && error > 0.3,
        "random plane: the path is up to {off} off a picture {width} wide; at the start the \
         map says {map}, the loss is {loss}"
    );
    let (off, width, error, map, loss) = seen(&pca);
    assert!(
        off < 0.2 * width && error < 0.1,
        "PCA plane: the path is at most {off} off a picture {width} wide; at the start the map \
         says {map}, the loss is {loss}"
    );
}

/// Lesson 5 (preset 33): against samples seen small batches are ahead, train and test;
/// against steps the full batch is.
#[test]
fn lesson_5_batch_size_small_batches_ahead_per_sample_the_full_batch_per_step() {
    let scene = preset("33-");
    assert_eq!(
        scene.x_axis,
        Some(descent::scene::XAxis::Samples),
        "plotted per sample"
    );
    let training = training(&scene);
    let paths = paths(&training);
    // (train loss, test loss) at the first step that has seen `samples` points.
    let at = |run: usize, samples: u64| {
        let r = paths[run]
            .iter()
            .find(|r| r.samples >= samples)
            .unwrap_or_else(|| panic!("racer {run} never sees {samples} points"));
        (r.loss, training.measure(r, false).test_loss.unwrap())
    };
    let (one, full) = (at(0, 2000), at(2, 2000));
    assert!(
        one.0 < 0.75 * full.0 && one.1 < 0.75 * full.1,
        "after 2,000 samples batch 1 is ahead: (train, test) {one:?} vs the full batch's {full:?}"
    );
    let (sixteen, full) = (at(1, 30_000), at(2, 30_000));
    assert!(
        sixteen.0 < 0.5 * full.0 && sixteen.1 < 0.5 * full.1,
        "after 30,000 samples batch 16 is ahead: {sixteen:?} vs the full batch's {full:?}"
    );
    let last = |run: usize| paths[run][paths[run].len() - 1].loss;
    let (one, sixteen, full) = (last(0), last(1), last(2));
    assert!(
        full < 0.5 * one && full < sixteen,
        "after as many steps the full batch is ahead: {full} vs {sixteen} (16) and {one} (1)"
    );
}

/// Lesson 6 (preset 34): the straight line from init to the end is monotone for gradient
/// descent, whose path spiked, and climbs a ridge for Adam, whose path never rose.
#[test]
fn lesson_6_linear_interpolation_monotone_for_gd_not_for_adam() {
    let scene = preset("34-");
    let training = training(&scene);
    let paths = paths(&training);
    let spec = scene.slice_spec(SLICE_GRID, None).unwrap();
    assert_eq!(
        (spec.plane, spec.racer),
        (PlaneKind::Line, 1),
        "Adam's line"
    );
    // The loss at a ∈ [0, 1] on a racer's line, and its path's losses.
    let line = |racer: usize| {
        let slice = slice_of(&training, &paths, &SliceSpec { racer, ..spec });
        let on: Vec<f64> = slice
            .a
            .iter()
            .zip(&slice.loss)
            .filter(|(a, _)| (-1e-12..=1.0 + 1e-12).contains(*a))
            .map(|(_, l)| *l)
            .collect();
        let path: Vec<f64> = paths[racer].iter().map(|r| r.loss).collect();
        (on, path)
    };
    let (on, path) = line(1);
    let top = on.iter().copied().fold(0.0, f64::max);
    let path_top = path.iter().copied().fold(0.0, f64::max);
    assert!(
        top > 2.5 * on[0] && on[on.len() - 1] < 1e-3,
        "Adam's line climbs from {} to {top} before it falls to {}",
        on[0],
        on[on.len() - 1]
    );
    assert!(
        path_top <= path[0],
        "Adam's path never rises above its start {}: its highest {path_top}",
        path[0]
    );
    let (on, path) = line(0);
    let rise = on.windows(2).map(|w| w[1] - w[0]).fold(f64::MIN, f64::max);
    assert!(
        rise <= 0.0,
        "gradient descent's line falls all the way ({} → {}): largest rise {rise}",
        on[0],
        on[on.len() - 1]
    );
    let path_top = path.iter().copied().fold(0.0, f64::max);
    assert!(
        path_top > 2.0 * path[0],
        "gradient descent's own path jumps to {path_top} from {}",
        path[0]
    );
}

/// Lesson 7 (preset 35): no linear model separates the circles; one hidden layer of 8 does.
#[test]
fn lesson_7_circles_need_a_hidden_layer() {
    let mut scene = preset("35-");
    let finals = |scene: &Scene| {
        let training = training(scene);
        paths(&training)
            .iter()
            .map(|p| {
                let last = &p[p.len() - 1];
                let accuracy = training.measure(last, false).accuracy.unwrap();
                (
                    training.optimizers()[last.run].label.clone(),
                    last.loss,
                    accuracy,
                )
            })
            .collect::<Vec<_>>()
    };
    for (optimizer, loss, accuracy) in finals(&scene) {
        assert!(
            loss > 0.68 && accuracy < 0.6,
            "{optimizer}, hidden = 0: a coin toss, loss {loss}, accuracy {accuracy}"
        );
    }
    assert_eq!(scene.surface, "mlp:hidden=0");
    scene.surface = "mlp:hidden=8".into();
    for (optimizer, loss, accuracy) in finals(&scene) {
        assert!(
            loss < 0.25 && accuracy > 0.95,
            "{optimizer}, hidden = 8: separated, loss {loss}, accuracy {accuracy}"
        );
    }
}

/// Lesson 8 (preset 36): softmax regression on three Gaussian classes: high accuracy, three
/// regions, and a convex slice.
#[test]
fn lesson_8_softmax_regression_three_regions_and_a_convex_slice() {
    let scene = preset("36-");
    let training = training(&scene);
    let paths = paths(&training);
    for path in &paths {
        let last = &path[path.len() - 1];
        let accuracy = training.measure(last, false).accuracy.unwrap();
        assert!(
            accuracy > 0.92 && last.loss < 0.2 * path[0].loss,
            "{}: loss {} → {}, accuracy {accuracy}",
            training.optimizers()[last.run].label,
            path[0].loss,
            last.loss
        );
    }
    // Three regions over the data's box.
    let network = training.network();
    let features = &network.table().features;
    let span = |k: usize| {
        let v = features.iter().skip(k).step_by(2);
        let (lo, hi) = v.fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        [lo - 1.0, hi + 1.0]
    };
    let end = &paths[1][paths[1].len() - 1].parameters;
    let cells = regions(network, end.as_slice(), [span(0), span(1)], [64, 64]).unwrap();
    let mut classes = cells.classes.clone();
    classes.sort_unstable();
    classes.dedup();
    assert_eq!(classes, [0, 1, 2], "three regions");
    // Convex: every second difference along the rows, the columns and the diagonals ≥ 0.
    let slice = slice_of(
        &training,
        &paths,
        &scene.slice_spec(SLICE_GRID, None).unwrap(),
    );
    let (na, nb) = (slice.a.len(), slice.b.len());
    let mut lowest = f64::MAX;
    for j in 1..nb - 1 {
        for i in 1..na - 1 {
            let centre = 2.0 * slice.at(i, j);
            for (di, dj) in [(1, 0), (0, 1), (1, 1), (1, -1)] {
                let (i0, j0) = (i as isize - di, j as isize - dj);
                let (i1, j1) = (i as isize + di, j as isize + dj);
                let second = slice.at(i0 as usize, j0 as usize) - centre
                    + slice.at(i1 as usize, j1 as usize);
                lowest = lowest.min(second);
            }
        }
    }
    let scale = slice.loss.iter().copied().fold(0.0, f64::max);
    assert!(
        lowest >= -1e-12 * scale,
        "the slice is convex: smallest second difference {lowest} (losses up to {scale})"
    );
}
