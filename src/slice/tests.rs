use std::sync::Arc;

use nalgebra::{DMatrix, SymmetricEigen};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::random::norm;
use super::*;
use crate::data::Table;
use crate::net::{Init, Network, Rows};
use crate::noise::normal_pair;

fn pn(v: &[f64]) -> PN {
    PN::from_column_slice(v)
}

fn close(x: f64, y: f64, tol: f64) -> bool {
    (x - y).abs() <= tol * (1.0 + y.abs())
}

/// Seeded standard normal deviates.
fn normals(rng: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    (0..n.div_ceil(2))
        .flat_map(|_| {
            let e = normal_pair(rng);
            [e.x, e.y]
        })
        .take(n)
        .collect()
}

/// A 2-4-2 tanh net on 40 moons and its torch init.
fn small_net() -> (Network, PN) {
    let table = Table::parse("moons:n=40").unwrap();
    let net = Network::from_specs("mlp:hidden=4", None, Arc::new(table)).unwrap();
    let p = Init::parse("torch")
        .unwrap()
        .parameters(net.mlp(), 0)
        .unwrap();
    (net, PN::from_vec(p))
}

#[test]
fn pca_matches_a_reference_computed_by_hand() {
    // Scores α, β, γ on orthonormal u₁ = (0.6, 0.8, 0), u₂ = (0, 0, 1), u₃ = (0.8, −0.6, 0):
    // centred and mutually orthogonal, so they are the principal scores. Σα² = 36, Σβ² = 16,
    // Σγ² = 4: ratios 36/56 = 9/14 and 16/56 = 2/7; every point lies |γ| = 1 off the plane.
    let (alpha, beta, gamma) = ([3., 3., -3., -3.], [2., -2., 2., -2.], [1., -1., -1., 1.]);
    let (mu, u1, u2, u3) = (
        pn(&[1., 2., 3.]),
        pn(&[0.6, 0.8, 0.]),
        pn(&[0., 0., 1.]),
        pn(&[0.8, -0.6, 0.]),
    );
    let points: Vec<PN> = (0..4)
        .map(|k| &mu + &u1 * alpha[k] + &u2 * beta[k] + &u3 * gamma[k])
        .collect();
    let paths = vec![points[..2].to_vec(), points[2..].to_vec()];
    let plane = Plane::pca(&paths).unwrap();
    // A diverged racer's non-finite points are left out.
    let mut diverged = paths.clone();
    diverged[1].push(pn(&[f64::INFINITY, 0.0, f64::NAN]));
    assert_eq!(Plane::pca(&diverged).unwrap(), plane);
    assert_eq!(plane.kind, PlaneKind::Pca);
    let [r1, r2] = plane.explained.unwrap();
    assert!(
        close(r1, 9.0 / 14.0, 1e-13) && close(r2, 2.0 / 7.0, 1e-13),
        "{r1} {r2}"
    );
    assert!((&plane.origin - &mu).norm() < 1e-14);
    // Signs: each direction's largest coordinate positive (svd_flip), so u₁ and u₂ as given.
    assert!((&plane.directions[0] - &u1).norm() < 1e-13);
    assert!((&plane.directions[1] - &u2).norm() < 1e-13);
    for (k, p) in points.iter().enumerate() {
        let q = plane.project(p);
        assert!(
            close(q.a, alpha[k], 1e-13) && close(q.b, beta[k], 1e-13),
            "{q:?}"
        );
        assert!(close(q.off_plane, 1.0, 1e-13), "{q:?}");
    }
}

/// `racers` × `steps` seeded Gaussian points in ℝ^dims, coordinate j scaled by (1 + j)^−power.
fn gaussian_paths(racers: usize, steps: usize, dims: usize, power: f64) -> Vec<Vec<PN>> {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let scales: Vec<f64> = (0..dims).map(|j| (1.0 + j as f64).powf(-power)).collect();
    (0..racers)
        .map(|_| {
            (0..steps)
                .map(|_| {
                    let e = normals(&mut rng, dims);
                    PN::from_iterator(dims, e.iter().zip(&scales).map(|(e, s)| e * s))
                })
                .collect()
        })
        .collect()
}

#[test]
fn pca_by_block_krylov_matches_a_dense_eigendecomposition() {
    // More points than parameters, fewer (range(A) must be found), and a flat spectrum that
    // fills the Krylov basis and restarts: each beyond a block, so the iteration runs.
    for (racers, steps, dims, power, tol) in [
        (3, 30, 40, 1.0, 1e-8),
        (3, 10, 60, 1.0, 1e-8),
        (2, 60, 100, 0.1, 1e-5),
    ] {
        let paths = gaussian_paths(racers, steps, dims, power);
        let plane = Plane::pca(&paths).unwrap();
        let m = racers * steps;
        let x = DMatrix::from_fn(m, dims, |i, j| {
            paths[i / steps][i % steps][j] - plane.origin[j]
        });
        let dense = SymmetricEigen::new(x.transpose() * &x);
        let mut order: Vec<usize> = (0..dims).collect();
        order.sort_by(|&i, &j| dense.eigenvalues[j].total_cmp(&dense.eigenvalues[i]));
        let total = dense.eigenvalues.sum();
        for (k, &at) in order.iter().take(2).enumerate() {
            let expected = krylov::flip_sign(dense.eigenvectors.column(at).into_owned());
            let off = (&plane.directions[k] - &expected).norm();
            assert!(off < tol, "{dims}: direction {k} off by {off}");
            let ratio = dense.eigenvalues[at] / total;
            let got = plane.explained.unwrap()[k];
            assert!(close(got, ratio, 1e-10), "{dims}: ratio {k} {got} {ratio}");
        }
        assert!(plane.directions[0].dot(&plane.directions[1]).abs() < 1e-14);
    }
}

#[test]
fn a_random_walk_puts_about_six_over_pi_squared_on_pc1() {
    let (dims, steps) = (1000, 2000);
    let mut rng = ChaCha8Rng::seed_from_u64(19);
    let mut at = PN::zeros(dims);
    let path: Vec<PN> = (0..steps)
        .map(|_| {
            at += pn(&normals(&mut rng, dims));
            at.clone()
        })
        .collect();
    let plane = Plane::pca(&[path]).unwrap();
    let [r1, r2] = plane.explained.unwrap();
    assert!(
        (0.55..=0.67).contains(&r1),
        "PC1 {r1} (6/π² = {RANDOM_WALK_PC1})"
    );
    assert!(
        (0.10..=0.20).contains(&r2),
        "PC2 {r2} (6/(4π²) = {RANDOM_WALK_PC2})"
    );
}

#[test]
fn the_random_plane_is_filter_normalized_and_seeded() {
    let (net, origin) = small_net();
    let plane = Plane::random(&origin, net.mlp(), 3);
    assert_eq!((plane.kind, plane.directions.len()), (PlaneKind::Random, 2));
    assert_eq!(plane.explained, None);
    for d in &plane.directions {
        for layer in net.mlp().layers() {
            for row in 0..layer.outputs {
                let range =
                    layer.weight + row * layer.inputs..layer.weight + (row + 1) * layer.inputs;
                let (want, got) = (
                    norm(&origin.as_slice()[range.clone()]),
                    norm(&d.as_slice()[range]),
                );
                assert!(close(got, want, 1e-14), "{got} {want}");
            }
            assert!(
                d.as_slice()[layer.bias()..layer.end()]
                    .iter()
                    .all(|&v| v == 0.0)
            );
        }
    }
    assert_eq!(plane, Plane::random(&origin, net.mlp(), 3));
    assert_ne!(
        plane.directions,
        Plane::random(&origin, net.mlp(), 4).directions
    );
    assert_ne!(plane.directions[0], plane.directions[1]);
}

#[test]
fn projections_solve_the_gram_system_for_oblique_directions() {
    let (net, origin) = small_net();
    let plane = Plane::random(&origin, net.mlp(), 1);
    let p = plane.at(0.7, -1.3);
    let q = plane.project(&p);
    assert!(close(q.a, 0.7, 1e-12) && close(q.b, -1.3, 1e-12), "{q:?}");
    assert!(q.off_plane < 1e-12);
    // Add a vector orthogonal to both directions: the coordinates stay, the distance is its norm.
    let mut normal = PN::from_element(origin.len(), 1.0);
    let (d1, d2) = (&plane.directions[0], &plane.directions[1]);
    let g = nalgebra::Matrix2::new(d1.dot(d1), d1.dot(d2), d1.dot(d2), d2.dot(d2));
    let c = g.try_inverse().unwrap() * nalgebra::Vector2::new(d1.dot(&normal), d2.dot(&normal));
    normal -= d1 * c[0] + d2 * c[1];
    let q = plane.project(&(&p + &normal * 0.5));
    assert!(close(q.a, 0.7, 1e-10) && close(q.b, -1.3, 1e-10), "{q:?}");
    assert!(close(q.off_plane, 0.5 * normal.norm(), 1e-12));
}

#[test]
fn the_line_ends_are_the_init_and_final_points_exactly() {
    let (net, init) = small_net();
    let last = init.map(|v| 0.3 - 1.7 * v);
    let line = Plane::line(&init, &last);
    assert!(line.is_line() && line.kind == PlaneKind::Line);
    assert_eq!(
        (line.at(0.0, 9.0), line.at(1.0, 9.0)),
        (init.clone(), last.clone())
    );
    let a = grid_axis(LINE_SPAN, 17);
    assert_eq!((a[4], a[12]), (0.0, 1.0));
    let values = slice_grid(&net, &line, &a, &[], 2).unwrap();
    assert_eq!(values.len(), 17);
    assert_eq!(values[4], net.value(init.as_slice(), Rows::All));
    assert_eq!(values[12], net.value(last.as_slice(), Rows::All));
    let q = line.project(&line.at(0.25, 0.0));
    assert!(
        close(q.a, 0.25, 1e-14) && q.b == 0.0 && q.off_plane < 1e-12,
        "{q:?}"
    );
    let still = Plane::line(&init, &init).project(&last);
    assert_eq!(still.a, 0.0);
    assert!(close(still.off_plane, (&last - &init).norm(), 1e-14));
}

#[test]
fn grid_values_are_the_losses_at_the_plane_points_whatever_the_threads() {
    let (net, origin) = small_net();
    let plane = Plane::random(&origin, net.mlp(), 2);
    let (a, b) = (grid_axis([-1.0, 1.0], 5), grid_axis([-0.5, 2.0], 4));
    let values = slice_grid(&net, &plane, &a, &b, 1).unwrap();
    assert_eq!(values.len(), 20);
    for (j, &bj) in b.iter().enumerate() {
        for (i, &ai) in a.iter().enumerate() {
            let want = net.value(plane.at(ai, bj).as_slice(), Rows::All);
            assert_eq!(values[j * 5 + i], want, "cell ({i}, {j})");
        }
    }
    for threads in [0, 2, 3, 7, 64] {
        assert_eq!(slice_grid(&net, &plane, &a, &b, threads).unwrap(), values);
    }
}

#[test]
fn spans_cover_the_paths_with_a_margin_and_axes_hit_their_ends() {
    let p = |a, b| Projected {
        a,
        b,
        off_plane: 0.0,
    };
    let (a, b) = default_span(&[p(0.0, 0.0), p(4.0, 2.0), p(f64::NAN, 9.0)]);
    assert_eq!((a, b), ([-1.0, 5.0], [-0.5, 2.5]));
    // A thin path gets a quarter of the other side; a still one a square of MIN_SPAN.
    assert_eq!(default_span(&[p(0.0, 1.0), p(8.0, 1.0)]).1, [-0.5, 2.5]);
    let (a, b) = default_span(&[p(2.0, 3.0)]);
    let half = 0.5 * MIN_SPAN * (1.0 + 2.0 * SPAN_MARGIN);
    assert_eq!((a, b), ([2.0 - half, 2.0 + half], [3.0 - half, 3.0 + half]));
    assert_eq!(default_span(&[]).0, [-MIN_SPAN, MIN_SPAN]);
    assert_eq!(grid_axis([-1.0, 3.0], 5), vec![-1.0, 0.0, 1.0, 2.0, 3.0]);
    assert_eq!(grid_axis([0.1, 0.7], 7).last(), Some(&0.7));
    assert_eq!(grid_axis([1.0, 2.0], 1), vec![1.5]);
}

#[test]
fn bad_inputs_are_one_line_errors() {
    let one = |e: crate::spec::SpecError| {
        assert!(!e.0.contains('\n'), "{}", e.0);
        e.0
    };
    let p = pn(&[1.0, 2.0]);
    let err = one(Plane::pca(&[vec![p.clone()]]).unwrap_err());
    assert!(err.contains("at least two finite points"), "{err}");
    let err = one(Plane::pca(&[vec![p.clone()], vec![p.clone(), p.clone()]]).unwrap_err());
    assert!(err.contains("every point is the same"), "{err}");
    let err = one(Plane::pca(&[vec![p.clone(), pn(&[1.0, 2.0, 3.0])]]).unwrap_err());
    assert!(err.contains("points of 2 and 3 parameters mixed"), "{err}");
    let err = one(check_pca_size(4 * 2001, 3200).unwrap_err());
    assert!(
        err.contains("8004 points × 3200 parameters = 25612800 numbers"),
        "{err}"
    );
    assert!(err.contains("take fewer --steps or optimizers"), "{err}");
    assert!(check_pca_size(usize::MAX, 2).is_err() && check_pca_size(2000, 12_500).is_ok());

    let (net, origin) = small_net();
    let plane = Plane::random(&origin, net.mlp(), 0);
    let big = grid_axis([0.0, 1.0], MAX_GRID + 1);
    let err = one(slice_grid(&net, &plane, &big, &[0.0], 2).unwrap_err());
    assert_eq!(
        err,
        "slice: the grid has 258 values of a; it takes 1 to 257 per side"
    );
    let err = one(slice_grid(&net, &plane, &[0.0], &[], 2).unwrap_err());
    assert!(err.contains("0 values of b"), "{err}");
    let err = one(slice_grid(&net, &plane, &[f64::NAN], &[0.0], 2).unwrap_err());
    assert!(err.contains("must be finite"), "{err}");
    let other = Plane::line(&pn(&[0.0; 3]), &pn(&[1.0; 3]));
    let err = one(slice_grid(&net, &other, &[0.0], &[], 2).unwrap_err());
    assert!(
        err.contains("the plane has 3 parameters, but mlp 2-4-2 has 22"),
        "{err}"
    );
}
