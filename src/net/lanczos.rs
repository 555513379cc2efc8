//! The extreme eigenvalues of a symmetric operator known only by its products H·v.
//!
//! Lanczos (1950; Golub & Van Loan, *Matrix Computations*, §10.1): from a unit q₁, build
//! the orthonormal Krylov basis q₁ … q_k and the tridiagonal T_k = Q_kᵀ H Q_k,
//! α_j = q_jᵀ H q_j, β_j q_{j+1} = H q_j − α_j q_j − β_{j−1} q_{j−1}. Every new vector is
//! orthogonalized again against the whole basis, twice (full reorthogonalization, "twice is
//! enough": classical Gram–Schmidt applied twice, Giraud et al. 2005), so no ghost copies of
//! converged eigenvalues appear. The extreme eigenvalues θ of T_k (the Ritz values)
//! approach H's from inside; with s the eigenvector of T_k, the residual of the Ritz pair is
//! ‖H y − θ y‖ = β_k |s_k|, and an eigenvalue of H lies within it (Parlett, *The Symmetric
//! Eigenvalue Problem*, §13.2). The iteration stops when both extreme residuals are below
//! [`TOLERANCE`]·max(|θ_max|, |θ_min|), when β_k vanishes (the Krylov space is invariant:
//! T_k's eigenvalues are exact), or after [`MAX_ITERATIONS`] steps.
//!
//! T_k's eigenvalues come from the implicit QL algorithm with Wilkinson shifts (tqli,
//! *Numerical Recipes* §11.3), carrying only the last row of the eigenvector matrix, which
//! is all the residuals need: O(k²) per check.

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::linalg::{axpy, dot, widest};
use crate::noise::normal_pair;

/// Relative residual at which a Ritz value counts as converged.
pub const TOLERANCE: f64 = 1e-10;
/// Most Lanczos steps (the basis holds one vector of n numbers per step).
pub const MAX_ITERATIONS: usize = 300;
/// Most numbers the basis may hold: fewer steps for very large operators.
pub const MAX_BASIS_NUMBERS: usize = 1 << 25;
/// Steps between two looks at the Ritz values (at most this many − 1 extra products).
pub const CHECK_EVERY: usize = 4;
/// The ChaCha stream of the start vector.
pub const STREAM: u64 = 6;

/// What Lanczos found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Extremes {
    /// The largest and smallest eigenvalue.
    pub max: f64,
    pub min: f64,
    /// Products H·v taken.
    pub iterations: usize,
    /// Both residuals below tolerance, or the Krylov space exhausted.
    pub converged: bool,
}

/// λ_max and λ_min of the symmetric n × n operator `hvp` (writes H·v into its second
/// argument), from a seeded normal start vector, each to [`TOLERANCE`]. NaN for n = 0.
pub fn extremes(n: usize, seed: u64, hvp: impl FnMut(&[f64], &mut [f64])) -> Extremes {
    let both = |res_max: f64, res_min: f64, scale: f64| {
        res_max <= TOLERANCE * scale && res_min <= TOLERANCE * scale
    };
    lanczos(n, seed, both, hvp)
}

/// Relative residual at which [`largest`] stops: a plot's precision, many times fewer
/// products than [`extremes`], whose λ_min converges slowly.
pub const LARGEST_TOLERANCE: f64 = 1e-6;

/// [`extremes`], stopping as soon as λ_max's residual is below [`LARGEST_TOLERANCE`] of the
/// spectrum's scale (λ_min is then only an estimate).
pub fn largest(n: usize, seed: u64, hvp: impl FnMut(&[f64], &mut [f64])) -> Extremes {
    lanczos(
        n,
        seed,
        |res_max, _, scale| res_max <= LARGEST_TOLERANCE * scale,
        hvp,
    )
}

/// Lanczos with full reorthogonalization until `done(residual of λ_max, of λ_min, scale)`.
fn lanczos(
    n: usize,
    seed: u64,
    done: impl Fn(f64, f64, f64) -> bool,
    mut hvp: impl FnMut(&[f64], &mut [f64]),
) -> Extremes {
    let cap = n
        .min(MAX_ITERATIONS)
        .min((MAX_BASIS_NUMBERS / n.max(1)).max(2));
    let mut basis: Vec<f64> = Vec::with_capacity(cap * n);
    basis.extend(start_vector(n, seed));
    let (mut alpha, mut beta) = (Vec::with_capacity(cap), Vec::with_capacity(cap));
    let mut w = vec![0.0; n];
    let mut h = vec![0.0; cap];
    let mut found = Extremes {
        max: f64::NAN,
        min: f64::NAN,
        iterations: 0,
        converged: false,
    };
    for j in 0..cap {
        hvp(&basis[j * n..(j + 1) * n], &mut w);
        alpha.push(dot(&w, &basis[j * n..(j + 1) * n]));
        for _ in 0..2 {
            orthogonalize(&basis[..(j + 1) * n], &mut w, &mut h[..=j]);
        }
        let b = dot(&w, &w).sqrt();
        // T's eigenvalues cost O(k²): looked at every CHECK_EVERY steps, and at the end
        let last = j + 1 == cap || !b.is_finite();
        if (j + 1) % CHECK_EVERY == 0 || last || b <= 1e-13 * alpha[j].abs() {
            let (max, min, res_max, res_min) = ritz_extremes(&alpha, &beta, b);
            let scale = max.abs().max(min.abs());
            found = Extremes {
                max,
                min,
                iterations: j + 1,
                converged: false,
            };
            let exhausted = b <= 1e-13 * scale || j + 1 == n || !b.is_finite();
            if exhausted || done(res_max, res_min, scale) {
                found.converged = b.is_finite();
                break;
            }
        }
        beta.push(b);
        basis.extend(w.iter().map(|x| x / b));
    }
    found
}

/// A unit vector of normal deviates from ChaCha8(`seed`) on [`STREAM`].
fn start_vector(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(STREAM);
    let mut q: Vec<f64> = (0..n.div_ceil(2))
        .flat_map(|_| {
            let e = normal_pair(&mut rng);
            [e.x, e.y]
        })
        .take(n)
        .collect();
    let norm = dot(&q, &q).sqrt();
    q.iter_mut().for_each(|x| *x /= norm);
    q
}

widest! {
/// w ← w − Q(Qᵀw) for the basis vectors stored one after another in `basis` (classical
/// Gram–Schmidt; `h` receives the coefficients).
fn orthogonalize(basis: &[f64], w: &mut [f64], h: &mut [f64]) {
    let n = w.len();
    for (hi, q) in h.iter_mut().zip(basis.chunks_exact(n)) {
        *hi = dot(q, w);
    }
    for (hi, q) in h.iter().zip(basis.chunks_exact(n)) {
        axpy(-hi, q, w);
    }
}
}

/// The largest and smallest eigenvalue of T (diagonal `alpha`, off-diagonal `beta`) and the
/// residuals β·|s_k| of their Ritz pairs, with β the next off-diagonal.
fn ritz_extremes(alpha: &[f64], beta: &[f64], next: f64) -> (f64, f64, f64, f64) {
    let mut d = alpha.to_vec();
    let mut e = beta.to_vec();
    e.push(0.0);
    let mut last = vec![0.0; d.len()];
    last[d.len() - 1] = 1.0;
    tridiagonal_eigen(&mut d, &mut e, &mut last);
    let (mut imax, mut imin) = (0, 0);
    for i in 0..d.len() {
        if d[i] > d[imax] {
            imax = i;
        }
        if d[i] < d[imin] {
            imin = i;
        }
    }
    let res = |i: usize| next * last[i].abs();
    (d[imax], d[imin], res(imax), res(imin))
}

/// Eigenvalues of the symmetric tridiagonal matrix with diagonal `d` and off-diagonal `e`
/// (e[i] couples i and i+1; e[n−1] is ignored) into `d`, by implicit QL with Wilkinson
/// shifts (tqli, Numerical Recipes §11.3). `z` is a row of the eigenvector matrix,
/// transformed by the same rotations: start from e_nᵀ to get the eigenvectors' last
/// components. An eigenvalue that does not converge in 60 sweeps is left as it stands.
pub(crate) fn tridiagonal_eigen(d: &mut [f64], e: &mut [f64], z: &mut [f64]) {
    let n = d.len();
    for l in 0..n {
        for _ in 0..60 {
            let mut m = l;
            while m + 1 < n {
                let dd = d[m].abs() + d[m + 1].abs();
                if e[m].abs() <= f64::EPSILON * dd {
                    break;
                }
                m += 1;
            }
            if m == l {
                break;
            }
            ql_sweep(d, e, z, l, m);
        }
    }
}

/// One implicit QL sweep over rows l ..= m (Numerical Recipes' tqli inner loop).
fn ql_sweep(d: &mut [f64], e: &mut [f64], z: &mut [f64], l: usize, m: usize) {
    let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
    let mut r = g.hypot(1.0);
    g = d[m] - d[l] + e[l] / (g + r.copysign(g));
    let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
    let mut i = m;
    while i > l {
        i -= 1;
        let f = s * e[i];
        let b = c * e[i];
        r = f.hypot(g);
        e[i + 1] = r;
        if r == 0.0 {
            // underflow: the matrix split; recover and let the caller sweep again
            d[i + 1] -= p;
            e[m] = 0.0;
            return;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2.0 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        let zf = z[i + 1];
        z[i + 1] = s * z[i] + c * zf;
        z[i] = c * z[i] - s * zf;
    }
    d[l] -= p;
    e[l] = g;
    e[m] = 0.0;
}

#[cfg(test)]
mod tests {
    use nalgebra::{DMatrix, SymmetricEigen};
    use rand_core::Rng;

    use super::*;

    fn random_symmetric(n: usize, seed: u64) -> DMatrix<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let a = DMatrix::from_fn(n, n, |_, _| {
            (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        });
        &a + a.transpose()
    }

    fn dense_extremes(h: &DMatrix<f64>) -> (f64, f64) {
        let e = SymmetricEigen::new(h.clone()).eigenvalues;
        (e.max(), e.min())
    }

    fn lanczos_of(h: &DMatrix<f64>, seed: u64) -> Extremes {
        extremes(h.nrows(), seed, |v, out| {
            let hv = h * nalgebra::DVector::from_column_slice(v);
            out.copy_from_slice(hv.as_slice());
        })
    }

    #[test]
    fn tridiagonal_ql_matches_the_dense_eigensolver() {
        let (d, e) = ([2.0, -1.0, 0.5, 3.0, 0.0], [1.0, 0.3, -2.0, 0.7]);
        let t = DMatrix::from_fn(5, 5, |i, j| match i.abs_diff(j) {
            0 => d[i],
            1 => e[i.min(j)],
            _ => 0.0,
        });
        let dense = SymmetricEigen::new(t.clone());
        let (mut dd, mut ee, mut z) = (d.to_vec(), e.to_vec(), vec![0.0; 5]);
        ee.push(0.0);
        z[4] = 1.0;
        tridiagonal_eigen(&mut dd, &mut ee, &mut z);
        for (i, &lambda) in dd.iter().enumerate() {
            let k = (0..5)
                .min_by(|&a, &b| {
                    (dense.eigenvalues[a] - lambda)
                        .abs()
                        .total_cmp(&(dense.eigenvalues[b] - lambda).abs())
                })
                .unwrap();
            assert!((dense.eigenvalues[k] - lambda).abs() < 1e-13, "{lambda}");
            assert!((dense.eigenvectors[(4, k)].abs() - z[i].abs()).abs() < 1e-12);
        }
    }

    #[test]
    fn lanczos_finds_the_extremes_of_random_symmetric_matrices() {
        for (n, seed) in [(1, 1), (2, 2), (7, 3), (40, 4), (120, 5)] {
            let h = random_symmetric(n, seed);
            let (max, min) = dense_extremes(&h);
            let found = lanczos_of(&h, seed);
            let scale = max.abs().max(min.abs());
            assert!(found.converged, "n = {n}: {found:?}");
            assert!(
                (found.max - max).abs() <= 1e-10 * scale,
                "n = {n}: {} vs {max}",
                found.max
            );
            assert!(
                (found.min - min).abs() <= 1e-10 * scale,
                "n = {n}: {} vs {min}",
                found.min
            );
        }
    }

    #[test]
    fn largest_stops_once_lambda_max_is_found() {
        let h = random_symmetric(120, 5);
        let (max, min) = dense_extremes(&h);
        let hvp = |v: &[f64], out: &mut [f64]| {
            let y = &h * nalgebra::DVector::from_column_slice(v);
            out.copy_from_slice(y.as_slice());
        };
        let both = extremes(120, 5, hvp);
        let found = largest(120, 5, hvp);
        let scale = max.abs().max(min.abs());
        assert!(
            (found.max - max).abs() <= 1e-5 * scale,
            "{} vs {max}",
            found.max
        );
        assert!(
            found.converged && found.iterations <= both.iterations,
            "{found:?} {both:?}"
        );
    }

    #[test]
    fn a_low_rank_operator_exhausts_its_krylov_space_early() {
        // H = diag(5, −2, 0, …, 0) in a rotated basis: two steps span everything H·v reaches.
        let n = 50;
        let u = DMatrix::from_fn(n, 2, |i, j| ((i * 7 + j * 3) as f64).sin());
        let q = u.qr().q();
        let h = &q
            * DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![5.0, -2.0]))
            * q.transpose();
        let found = lanczos_of(&h, 9);
        assert!(found.converged && found.iterations <= 4, "{found:?}");
        assert!(
            (found.max - 5.0).abs() < 1e-12 && (found.min + 2.0).abs() < 1e-12,
            "{found:?}"
        );
        let nothing = extremes(0, 1, |_, _| {});
        assert!(nothing.max.is_nan() && !nothing.converged);
    }
}
