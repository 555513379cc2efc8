//! The dense kernels of the network: row-major matrix products through nalgebra's `gemm`
//! when every dimension exceeds 5 (nalgebra then hands them to `matrixmultiply`, with its
//! run-time AVX/FMA kernels), a plain triple loop otherwise (nalgebra's own small-matrix
//! path mis-indexes strided views in 0.35), and dot products and axpys written with four independent accumulators so that
//! they vectorize without reassociating floating-point sums by hand.

use nalgebra::{DMatrixView, DMatrixViewMut};

/// Defines a function whose body is compiled three times — for AVX-512F, for AVX2 and for
/// the baseline — and runs the widest the CPU has (checked once per call, a cached load).
/// The operations and their order are the same in all three (Rust never fuses a multiply
/// and an add by itself), so every path gives the same bits. Whatever the body calls must be
/// `#[inline(always)]` to be compiled with it.
macro_rules! widest {
    ($(#[$m:meta])* $vis:vis fn $name:ident($($arg:ident : $ty:ty),* $(,)?) $body:block) => {
        $(#[$m])* $vis fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn portable($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                fn avx512($($arg: $ty),*) {
                    portable($($arg),*)
                }
                #[target_feature(enable = "avx2")]
                fn avx2($($arg: $ty),*) {
                    portable($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the CPU has AVX-512F, checked just above.
                    return unsafe { avx512($($arg),*) };
                }
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU has AVX2, checked just above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            portable($($arg),*)
        }
    };
}
pub(crate) use widest;

/// A matrix stored in a slice with a row stride and a column stride.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mat<'a> {
    data: &'a [f64],
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
}

impl<'a> Mat<'a> {
    /// The first rows·cols numbers of `data` as a row-major rows × cols matrix.
    pub fn new(data: &'a [f64], rows: usize, cols: usize) -> Self {
        Self {
            data: &data[..rows * cols],
            rows,
            cols,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose (no copy).
    pub fn t(self) -> Self {
        Self {
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }

    fn view(self) -> DMatrixView<'a, f64, nalgebra::Dyn, nalgebra::Dyn> {
        DMatrixView::from_slice_with_strides(
            self.data,
            self.rows,
            self.cols,
            self.row_stride,
            self.col_stride,
        )
    }
}

/// Below this size in any dimension a product takes the triple loop (nalgebra's threshold
/// for `matrixmultiply` is the same).
const SMALL: usize = 5;

/// C ← α·A·B + β·C for a row-major C (A.rows × B.cols) in the first numbers of `c`; C is
/// not read when β = 0.
pub(crate) fn gemm(c: &mut [f64], a: Mat<'_>, b: Mat<'_>, alpha: f64, beta: f64) {
    assert_eq!(a.cols, b.rows, "gemm: inner dimensions");
    let (m, n, k) = (a.rows, b.cols, a.cols);
    let c = &mut c[..m * n];
    if m > SMALL && n > SMALL && k > SMALL {
        let mut c = DMatrixViewMut::from_slice_with_strides_mut(c, m, n, n, 1);
        c.gemm(alpha, &a.view(), &b.view(), beta);
        return;
    }
    if b.col_stride == 1 {
        small_rows(c, a, b, alpha, beta);
    } else {
        small_dots(c, a, b, alpha, beta);
    }
}

widest! {
/// A small C ← α·A·B + β·C when B's rows are contiguous: each row of C gathers axpys of
/// B's rows (vectorizable, no reduction).
fn small_rows(c: &mut [f64], a: Mat<'_>, b: Mat<'_>, alpha: f64, beta: f64) {
    let (n, k) = (b.cols, a.cols);
    for (i, row) in c.chunks_exact_mut(n).enumerate() {
        if beta == 0.0 {
            row.fill(0.0);
        } else if beta != 1.0 {
            row.iter_mut().for_each(|x| *x *= beta);
        }
        for l in 0..k {
            let s = alpha * a.data[i * a.row_stride + l * a.col_stride];
            let start = l * b.row_stride;
            axpy(s, &b.data[start..start + n], row);
        }
    }
}
}

widest! {
/// A small C ← α·A·B + β·C by dot products: contiguous ones when A's rows and B's columns
/// are (A·Wᵀ with W row-major), strided ones otherwise.
fn small_dots(c: &mut [f64], a: Mat<'_>, b: Mat<'_>, alpha: f64, beta: f64) {
    let (n, k) = (b.cols, a.cols);
    let contiguous = a.col_stride == 1 && b.row_stride == 1;
    for (i, row) in c.chunks_exact_mut(n).enumerate() {
        for (j, cij) in row.iter_mut().enumerate() {
            let sum = if contiguous {
                let (ai, bj) = (i * a.row_stride, j * b.col_stride);
                dot(&a.data[ai..ai + k], &b.data[bj..bj + k])
            } else {
                (0..k)
                    .map(|l| {
                        a.data[i * a.row_stride + l * a.col_stride]
                            * b.data[l * b.row_stride + j * b.col_stride]
                    })
                    .sum()
            };
            *cij = if beta == 0.0 {
                alpha * sum
            } else {
                alpha * sum + beta * *cij
            };
        }
    }
}
}

/// Σ xᵢ yᵢ
#[inline(always)]
pub(crate) fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (xc, yc) = (x.chunks_exact(4), y.chunks_exact(4));
    let tail: f64 = xc
        .remainder()
        .iter()
        .zip(yc.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (a, b) in xc.zip(yc) {
        for k in 0..4 {
            acc[k] += a[k] * b[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// y ← y + a·x
#[inline(always)]
pub(crate) fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// Σ xᵢ, four partial sums at a time.
#[inline(always)]
pub(crate) fn sum(x: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let chunks = x.chunks_exact(4);
    let tail: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for k in 0..4 {
            acc[k] += c[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_of_transposed_views_match_a_triple_loop() {
        let (m, k, n) = (7, 9, 6);
        let a: Vec<f64> = (0..m * k).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..n * k).map(|i| (i as f64 * 0.11).cos()).collect();
        // C = A·Bᵀ with B stored n × k, plus 2·C.
        let mut c = vec![1.0; m * n];
        gemm(&mut c, Mat::new(&a, m, k), Mat::new(&b, n, k).t(), 1.0, 2.0);
        for i in 0..m {
            for j in 0..n {
                let want: f64 = (0..k).map(|l| a[i * k + l] * b[j * k + l]).sum::<f64>() + 2.0;
                assert!((c[i * n + j] - want).abs() < 1e-12);
            }
        }
        // small shapes take the triple loop, with transposed views too
        let mut c2 = vec![f64::NAN; 2 * 3];
        gemm(&mut c2, Mat::new(&a, 2, 2), Mat::new(&b, 2, 3), 1.0, 0.0);
        assert!((c2[5] - (a[2] * b[2] + a[3] * b[5])).abs() < 1e-15);
        let mut c3 = vec![0.5; 3 * 6];
        gemm(
            &mut c3,
            Mat::new(&a, 7, 3).t(),
            Mat::new(&b, 7, 6),
            2.0,
            -1.0,
        );
        let want: f64 = (0..7).map(|l| a[l * 3 + 2] * b[l * 6 + 5]).sum::<f64>() * 2.0 - 0.5;
        assert!((c3[2 * 6 + 5] - want).abs() < 1e-13);
        // contiguous dots (B = Wᵀ) and strided dots (both transposed)
        let mut c4 = vec![0.0; 7 * 3];
        gemm(
            &mut c4,
            Mat::new(&a, 7, 9),
            Mat::new(&b, 3, 9).t(),
            1.0,
            0.0,
        );
        let want: f64 = (0..9).map(|l| a[6 * 9 + l] * b[2 * 9 + l]).sum();
        assert!((c4[6 * 3 + 2] - want).abs() < 1e-13);
        let mut c5 = vec![0.0; 4 * 3];
        gemm(
            &mut c5,
            Mat::new(&a, 9, 4).t(),
            Mat::new(&b, 3, 9).t(),
            1.0,
            0.0,
        );
        let want: f64 = (0..9).map(|l| a[l * 4 + 3] * b[9 + l]).sum();
        assert!((c5[3 * 3 + 1] - want).abs() < 1e-13);
        let x: Vec<f64> = (0..11).map(f64::from).collect();
        assert_eq!(dot(&x, &x), 385.0);
    }
}
