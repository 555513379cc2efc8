//! The top two eigenpairs of C = A·Aᵀ for a tall centred point matrix A = X_cᵀ (n parameters
//! × m points), by randomized block Krylov iteration with Rayleigh–Ritz (Musco & Musco,
//! NeurIPS 2015, "Randomized Block Krylov Methods for Stronger and Faster Approximate
//! Singular Value Decomposition", Alg. 2; Halko, Martinsson & Tropp 2011 for the randomized
//! start):
//!
//! - K₀ = orth(G), G an n × [`BLOCK`] Gaussian block (ChaCha8(0) on [`START_STREAM`]);
//! - step j: the images Yⱼ = KⱼᵀA and C·Kⱼ = A·Yⱼᵀ, in one pass over A (chunk by chunk);
//!   the Ritz pairs of C on span(K₀…Kⱼ) are the eigenpairs (λ, w) of KᵀCK = YYᵀ, giving λ
//!   and K·w; then K_{j+1} = C·Kⱼ made orthogonal to K₀…Kⱼ and orthonormal;
//! - stop when the top two Ritz vectors, extrapolated geometrically from their last two
//!   moves, are within [`TOLERANCE`] — or the basis spans ℝⁿ (exact), or after
//!   [`MAX_ITERATIONS`]; past [`MAX_KRYLOV`] columns, restart from the best block.
//!
//! A's points are split into [`PARTS`] fixed halves, each multiplied on its own thread; the
//! sums over parts are taken in order, so the numbers never depend on the machine.

use nalgebra::{DMatrix, SymmetricEigen};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use crate::noise::fill_pairs;
use crate::space::PN;

/// Columns of each Krylov block: two wanted, the rest speed convergence.
pub const BLOCK: usize = 8;
/// Most columns of the Krylov basis before a restart from its best block.
pub const MAX_KRYLOV: usize = 96;
/// Most block steps; reached only when λ₂ ≈ λ₃ (the second direction is then not unique,
/// and any converged span is as good).
pub const MAX_ITERATIONS: usize = 60;
/// The error of either unit direction (2-norm) at which the iteration stops, estimated from
/// its last two moves δₖ₋₁, δₖ as δₖ·min(1, δₖ/δₖ₋₁).
pub const TOLERANCE: f64 = 1e-10;
/// The ChaCha stream of the starting block (11: the random plane).
pub const START_STREAM: u64 = 12;
/// Column blocks of A, each multiplied on its own thread.
pub const PARTS: usize = 2;
/// Points per chunk of a pass: 32 columns of 1,200 parameters are 300 KB, within L2.
pub const CHUNK: usize = 32;

/// A = [A₁ A₂ …]: the centred points, one per column, in [`PARTS`] column blocks.
pub(super) struct Points(pub Vec<DMatrix<f64>>);

/// Runs `f` on every part on its own thread; the results in part order.
fn each<T: Send>(parts: &[DMatrix<f64>], f: impl Fn(usize, &DMatrix<f64>) -> T + Sync) -> Vec<T> {
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = parts
            .iter()
            .enumerate()
            .map(|(p, a)| scope.spawn(move || f(p, a)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

impl Points {
    fn n(&self) -> usize {
        self.0.first().map_or(0, |a| a.nrows())
    }

    fn m(&self) -> usize {
        self.0.iter().map(|a| a.ncols()).sum()
    }

    /// The images Y_p = Kᵀ·A_p of every part and C·K = Σ_p A_p·Y_pᵀ, in one pass over A:
    /// each chunk of [`CHUNK`] points is multiplied twice while it is in cache. The sum over
    /// parts is taken in order.
    fn images_and_product(&self, k: &DMatrix<f64>) -> (Vec<DMatrix<f64>>, DMatrix<f64>) {
        let kt = k.transpose();
        let results = each(&self.0, |_, a| {
            let mut y = DMatrix::zeros(kt.nrows(), a.ncols());
            let mut product = DMatrix::zeros(a.nrows(), kt.nrows());
            let mut start = 0;
            while start < a.ncols() {
                let width = CHUNK.min(a.ncols() - start);
                let chunk = a.columns(start, width);
                let images = &kt * chunk;
                product.gemm(1.0, &chunk, &images.transpose(), 1.0);
                y.columns_mut(start, width).copy_from(&images);
                start += width;
            }
            (y, product)
        });
        let mut sum = DMatrix::zeros(k.nrows(), k.ncols());
        results.iter().for_each(|(_, p)| sum += p);
        (results.into_iter().map(|(y, _)| y).collect(), sum)
    }

    /// Σ_p A_p·Y_pᵀ over the first `rows` rows of each Y_p (block × m_p), summed in order.
    fn times(&self, y: &[DMatrix<f64>], rows: usize) -> DMatrix<f64> {
        let products = each(&self.0, |p, a| a * y[p].rows(0, rows).transpose());
        let mut sum = DMatrix::zeros(self.n(), rows);
        products.iter().for_each(|x| sum += x);
        sum
    }

    /// `rows` × m Gaussian deviates, split by columns like the points.
    fn gaussian_images(&self, rows: usize) -> Vec<DMatrix<f64>> {
        let omega = gaussian(rows, self.m());
        let mut at = 0;
        let mut out = Vec::with_capacity(self.0.len());
        for a in &self.0 {
            out.push(omega.columns(at, a.ncols()).into_owned());
            at += a.ncols();
        }
        out
    }
}

/// λ₁ ≥ λ₂ of C and their unit eigenvectors with [`flip_sign`]'s signs.
pub(super) fn top_two(a: &Points) -> ([f64; 2], [PN; 2]) {
    let (n, m) = (a.n(), a.m());
    let block = BLOCK.min(n).min(m);
    let exact = block == n.min(m);
    // Fewer points than parameters and than a block: AΩ spans the whole range of A.
    let start = if exact && m < n {
        a.times(&a.gaussian_images(block), block)
    } else {
        gaussian(n, block)
    };
    let mut basis = vec![orthonormal(start)];
    let mut images: Vec<Vec<DMatrix<f64>>> = Vec::new();
    let mut moves = [f64::INFINITY; 2];
    let mut last: Option<[PN; 2]> = None;
    let mut iteration = 0;
    loop {
        iteration += 1;
        let (newest, product) = a.images_and_product(&basis[basis.len() - 1]);
        images.push(newest);
        let (values, vectors) = ritz_pairs(&basis, &images);
        let dirs = [0, 1].map(|k| flip_sign(vectors.column(k).into_owned()));
        // A (numerically) rank-one path: d₂ is any unit vector ⊥ d₁; only d₁ must settle.
        let wanted = if values[1] > 1e-20 * values[0] { 2 } else { 1 };
        let moved = last.as_ref().map_or(f64::INFINITY, |l| {
            (0..wanted)
                .map(|k| (&dirs[k] - &l[k]).norm())
                .fold(0.0, f64::max)
        });
        moves = [moves[1], moved];
        let error = if moves[0].is_finite() {
            moved * (moved / moves[0]).min(1.0)
        } else {
            moved
        };
        let columns: usize = basis.iter().map(|k| k.ncols()).sum();
        if exact || error <= TOLERANCE || columns >= n || iteration >= MAX_ITERATIONS {
            return ([values[0], values[1]], dirs);
        }
        let room = (n - columns).min(block);
        if columns + room > MAX_KRYLOV {
            // Restart from the best block found so far.
            basis = vec![orthonormal(vectors.columns(0, block).into_owned())];
            images.clear();
            (moves, last) = ([f64::INFINITY; 2], None);
            continue;
        }
        let next = product.columns(0, room).into_owned();
        basis.push(orthogonal_to(&basis, next));
        last = Some(dirs);
    }
}

/// The Ritz pairs of C on the span of `basis` (orthonormal blocks Kⱼ with images
/// Yⱼ = KⱼᵀA, by part): the eigenpairs (λ, w) of KᵀCK = Σ_p Y_p Y_pᵀ give λ and K·w,
/// largest first.
fn ritz_pairs(basis: &[DMatrix<f64>], images: &[Vec<DMatrix<f64>>]) -> (Vec<f64>, DMatrix<f64>) {
    let size: usize = basis.iter().map(|k| k.ncols()).sum();
    let mut gram = DMatrix::zeros(size, size);
    for p in 0..images[0].len() {
        let y = stack_rows(images.iter().map(|by_part| &by_part[p]));
        gram += &y * y.transpose();
    }
    let eig = SymmetricEigen::new(gram);
    let mut order: Vec<usize> = (0..size).collect();
    order.sort_by(|&i, &j| eig.eigenvalues[j].total_cmp(&eig.eigenvalues[i]));
    let w = DMatrix::from_fn(size, size, |i, j| eig.eigenvectors[(i, order[j])]);
    let k = stack_columns(basis);
    (order.iter().map(|&i| eig.eigenvalues[i]).collect(), k * w)
}

/// `w` made orthogonal to every block of `basis` and orthonormal (block Gram–Schmidt twice,
/// then once more after normalizing, so that columns of `w` already in the span come out as
/// unit vectors ⊥ it).
fn orthogonal_to(basis: &[DMatrix<f64>], mut w: DMatrix<f64>) -> DMatrix<f64> {
    for pass in 0..3 {
        for k in basis {
            w -= k * k.tr_mul(&w);
        }
        if pass >= 1 {
            w = orthonormal(w);
        }
    }
    w
}

/// The thin Q of a Householder QR: orthonormal columns, even when `m` is rank-deficient.
fn orthonormal(m: DMatrix<f64>) -> DMatrix<f64> {
    m.qr().q()
}

/// An r × c block of standard normal deviates from ChaCha8(0) on [`START_STREAM`].
fn gaussian(r: usize, c: usize) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    rng.set_stream(START_STREAM);
    let mut omega = DMatrix::zeros(r, c);
    fill_pairs(&mut rng, omega.as_mut_slice(), 1.0);
    omega
}

/// The blocks side by side: n × Σ columns.
fn stack_columns(blocks: &[DMatrix<f64>]) -> DMatrix<f64> {
    let rows = blocks.first().map_or(0, |b| b.nrows());
    let data: Vec<f64> = blocks.iter().flat_map(|b| b.as_slice()).copied().collect();
    DMatrix::from_vec(rows, data.len() / rows.max(1), data)
}

/// The blocks one above the other: Σ rows × m.
fn stack_rows<'a>(blocks: impl Iterator<Item = &'a DMatrix<f64>> + Clone) -> DMatrix<f64> {
    let rows: usize = blocks.clone().map(|b| b.nrows()).sum();
    let cols = blocks.clone().next().map_or(0, |b| b.ncols());
    let mut out = DMatrix::zeros(rows, cols);
    let mut at = 0;
    for b in blocks {
        out.rows_mut(at, b.nrows()).copy_from(b);
        at += b.nrows();
    }
    out
}

/// `d` with its largest-|·| coordinate (the first of equals) positive, as scikit-learn's
/// `svd_flip(u_based_decision=False)` fixes the signs of `components_`.
pub(crate) fn flip_sign(d: PN) -> PN {
    let mut at = 0;
    for (i, v) in d.iter().enumerate() {
        if v.abs() > d[at].abs() {
            at = i;
        }
    }
    if d.get(at).is_some_and(|&v| v < 0.0) {
        -d
    } else {
        d
    }
}
