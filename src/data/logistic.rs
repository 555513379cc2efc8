//! The logistic loss's hot loops: ℓ(m) = ln(1 + e^(−m)) (torch.nn.SoftMarginLoss) summed
//! over the data, once per optimizer step and once per map cell.
//!
//! - [`parts`]: ℓ, ℓ' and ℓ'' of one margin from one `exp`, the per-sample arithmetic of
//!   [`super::Loss::eval`].
//! - [`sums`]: the exact full-data sums Σℓ and Σℓ'·(a, b), the same bits as one loop over
//!   [`super::Loss::eval`], in blocks: the libm `exp` calls in one loop, the rest in loops the
//!   compiler vectorizes (no branch on the sign of the margin).
//! - [`map_sum`]: Σℓ for drawing only, with a branch-free `exp` the compiler vectorizes
//!   (error bound in its doc comment, tested against [`sums`]).

use crate::P2;

/// ln 2 split for exact multiples: `LN2_HI` has 32 trailing zero bits (fdlibm's constants,
/// by their bits).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// fdlibm's minimax coefficients for ln(1+f) = 2s + s·R(s²), s = f/(2+f) (FreeBSD s_log1p.c).
const LG1: f64 = f64::from_bits(0x3fe5_5555_5555_5593);
const LG2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04);
const LG3: f64 = f64::from_bits(0x3fd2_4924_9422_9359);
const LG4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af);
const LG5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de);
const LG6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f);
const LG7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244);

/// ln(1 + x) for x ∈ [0, 1] without a branch, by fdlibm's method (FreeBSD `s_log1p.c`, as
/// ported in musl and the `libm` crate): 1 + x = 2ᵏ(1 + f) with k ∈ {0, 1} and
/// √2/2 ≤ 1 + f < √2, then ln(1 + f) from its minimax polynomial, plus k·ln 2 and the
/// rounding error of 1 + x as a correction c/(1 + x). Error below 1 ulp (fdlibm's analysis;
/// the test finds at most 1 ulp from the platform's `ln_1p`). With `CORRECTION` false the
/// correction is left out: an absolute error below 1.2·10⁻¹⁶ more, and one division less.
///
/// glibc's `log1p` branches on the size of x, and e^(−|m|) is on either side at random: a
/// mispredicted branch per sample cost more than everything else in the loss.
#[inline(always)]
pub fn log1p_unit<const CORRECTION: bool>(x: f64) -> f64 {
    let u = 1.0 + x;
    // fdlibm's k = 0 range, 1 + x < √2 (its high-word test 0x3fda827a).
    let below = x < f64::from_bits(0x3fda_827a_0000_0000);
    // k = 1: u ∈ [√2, 2], so u/2 − 1 is exact and in [−0.3, 0].
    let c = if CORRECTION { (x - (u - 1.0)) / u } else { 0.0 };
    let (f, c, k) = if below {
        (x, 0.0, 0.0)
    } else {
        (0.5 * u - 1.0, c, 1.0)
    };
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    s * (hfsq + (t2 + t1)) + (k * LN2_LO + c) - hfsq + f + k * LN2_HI
}

/// ℓ(m), ℓ'(m), ℓ''(m) of the logistic loss from e = e^(−|m|):
/// ℓ = max(−m, 0) + ln(1 + e) (stable for any m), ℓ' = −σ(−m), ℓ'' = σ(m)·σ(−m), where
/// σ(−m) and σ(m) are e/(1+e) and 1/(1+e), in the order the sign of m says (a selection of
/// numerators, not a branch).
#[inline(always)]
pub fn parts(m: f64, e: f64) -> (f64, f64, f64) {
    let value = (-m).max(0.0) + log1p_unit::<true>(e);
    let one_plus = 1.0 + e;
    let (neg, pos) = if m >= 0.0 { (e, 1.0) } else { (1.0, e) };
    let (sig_neg, sig_pos) = (neg / one_plus, pos / one_plus);
    (value, -sig_neg, sig_pos * sig_neg)
}

/// Rows per block of [`sums`]: enough for the loops to pipeline, small enough for the stack.
const BLOCK: usize = 64;

/// (Σℓ, Σℓ'·a, Σℓ'·b) over `rows` (a, b, c) at θ, the margin being θ₀a + θ₁b + c; without
/// `GRADIENT` the last two are 0. Summed in row order with the arithmetic of
/// [`super::Loss::eval`], so the bits are those of one plain loop.
#[inline]
pub(super) fn sums<const GRADIENT: bool>(rows: &[[f64; 3]], theta: P2) -> (f64, f64, f64) {
    let (mut f, mut gx, mut gy) = (0.0, 0.0, 0.0);
    let (mut margin, mut e, mut value, mut slope) =
        ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
    for block in rows.chunks(BLOCK) {
        let n = block.len();
        for (j, &[a, b, c]) in block.iter().enumerate() {
            let m = theta.x * a + theta.y * b + c;
            margin[j] = m;
            e[j] = (-m.abs()).exp();
        }
        for j in 0..n {
            let (l, d, _) = parts(margin[j], e[j]);
            value[j] = l;
            slope[j] = d;
        }
        for (j, &[a, b, _]) in block.iter().enumerate() {
            f += value[j];
            if GRADIENT {
                gx += slope[j] * a;
                gy += slope[j] * b;
            }
        }
    }
    (f, gx, gy)
}

/// The data as columns (a, b, c), for [`map_sum`]'s vectorized loop.
#[derive(Clone, Debug, Default)]
pub(super) struct Columns {
    a: Vec<f64>,
    b: Vec<f64>,
    c: Vec<f64>,
}

impl Columns {
    pub fn of(rows: &[[f64; 3]]) -> Self {
        Self {
            a: rows.iter().map(|r| r[0]).collect(),
            b: rows.iter().map(|r| r[1]).collect(),
            c: rows.iter().map(|r| r[2]).collect(),
        }
    }
}

/// 1/i! for i = 0..=11: e^r's Taylor polynomial.
const INV_FACTORIAL: [f64; 12] = {
    let mut out = [1.0; 12];
    let mut i = 1;
    while i < 12 {
        out[i] = out[i - 1] / i as f64;
        i += 1;
    }
    out
};

/// e^x for x ≤ 0 without a branch or a table, for the map only: x = k·ln 2 + r with
/// |r| ≤ ln 2/2 (Cody–Waite), e^r from its Taylor polynomial of degree 11 (truncation
/// below 6·10⁻¹⁵ relative), 2ᵏ written into the exponent bits. x is clamped at −700
/// (e^(−700) ≈ 10⁻³⁰⁴, an absolute error below that); NaN stays NaN.
#[inline(always)]
fn exp_nonpositive(x: f64) -> f64 {
    // 1.5·2⁵² rounds x·log₂e to an integer k held in the low bits of the sum.
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    let x = if x < -700.0 { -700.0 } else { x };
    let shifted = x * std::f64::consts::LOG2_E + SHIFTER;
    let k = shifted - SHIFTER;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let c = INV_FACTORIAL;
    let (r2, r4) = (r * r, r * r * r * r);
    let q0 = (c[0] + c[1] * r) + r2 * (c[2] + c[3] * r);
    let q1 = (c[4] + c[5] * r) + r2 * (c[6] + c[7] * r);
    let q2 = (c[8] + c[9] * r) + r2 * (c[10] + c[11] * r);
    let poly = q0 + r4 * (q1 + r4 * q2);
    // k + 1023 in [323, 1023]: the low bits of `shifted` plus the bias, shifted into place.
    let scale = f64::from_bits(shifted.to_bits().wrapping_add(1023) << 52);
    poly * scale
}

/// ℓ(m) for the map: [`exp_nonpositive`] and [`log1p_unit`] without its correction.
#[inline(always)]
fn map_loss(m: f64) -> f64 {
    (-m).max(0.0) + log1p_unit::<false>(exp_nonpositive(-m.abs()))
}

/// Lanes of [`map_sum`]'s partial sums (two vectors of two on x86-64's SSE2).
const LANES: usize = 4;

/// Σℓ over the data at θ **for drawing only** (the map's colours and isolines; never fed
/// to an optimizer): the loop vectorizes, 2–3× faster than [`sums`].
///
/// Error: per sample below 10⁻¹⁴ absolute (e^x to 9·10⁻¹⁵ relative, measured; ln(1 + e)
/// to 1.2·10⁻¹⁶ plus 1 ulp, and d ln(1+e)/de ≤ 1), plus the rounding of a sum in
/// [`LANES`] partial sums instead of one: the mean differs from the exact path's by less
/// than 10⁻¹²·(1 + mean) (tested over n ≤ 10⁴, θ up to 10³), where a colour step is a
/// 256th of the map's range.
pub(super) fn map_sum(columns: &Columns, theta: P2) -> f64 {
    let (w1, w2) = (theta.x, theta.y);
    let mut acc = [0.0; LANES];
    let chunks = columns.a.chunks_exact(LANES);
    let rest = chunks.remainder().len();
    for ((a, b), c) in chunks
        .zip(columns.b.chunks_exact(LANES))
        .zip(columns.c.chunks_exact(LANES))
    {
        for j in 0..LANES {
            acc[j] += map_loss(w1 * a[j] + w2 * b[j] + c[j]);
        }
    }
    let n = columns.a.len();
    let mut tail = 0.0;
    for i in n - rest..n {
        tail += map_loss(w1 * columns.a[i] + w2 * columns.b[i] + columns.c[i]);
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift: reproducible numbers in [0, 1).
    fn uniform(state: &mut u64) -> f64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn log1p_is_within_one_ulp_of_the_platform() {
        let mut state = 7;
        let edges = [0.0, 1e-300, 1e-20, 0.414_213_5, 0.414_213_6, 0.999_999, 1.0];
        let samples = (0..200_000).map(|i| {
            let u = uniform(&mut state);
            // Uniform on [0, 1], and spread over the exponents of e^(−|m|).
            if i % 2 == 0 { u } else { (-700.0 * u).exp() }
        });
        for x in edges.into_iter().chain(samples) {
            let (ours, platform) = (log1p_unit::<true>(x), x.ln_1p());
            let ulps = (ours.to_bits() as i64 - platform.to_bits() as i64).abs();
            assert!(ulps <= 1, "ln(1 + {x:e}): {ours:e} vs {platform:e}");
            let coarse = log1p_unit::<false>(x);
            assert!(
                (coarse - platform).abs() <= 1.2e-16 + platform * 2.3e-16,
                "{x:e}"
            );
        }
    }

    #[test]
    fn the_maps_exp_is_within_its_bound() {
        let mut state = 11;
        for i in 0..200_000 {
            let x = -50.0 * uniform(&mut state) - if i % 3 == 0 { 650.0 } else { 0.0 };
            let (ours, exact) = (exp_nonpositive(x), x.exp());
            assert!(
                (ours - exact).abs() <= 9e-15 * exact,
                "e^{x}: {ours:e} vs {exact:e}"
            );
        }
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert!(exp_nonpositive(-1e6) < 1e-303 && exp_nonpositive(-1e6) > 0.0);
        assert!(exp_nonpositive(f64::NAN).is_nan());
    }

    #[test]
    fn parts_are_the_sigmoids_of_the_margin() {
        for m in [-30.0, -2.5, -0.0, 0.0, 0.7, 40.0] {
            let e = (-f64::abs(m)).exp();
            let (l, d, dd) = parts(m, e);
            let sigma = |t: f64| 1.0 / (1.0 + (-t).exp());
            assert!(
                (l - (1.0 + (-m).exp()).ln()).abs() <= 1e-14 * (1.0 + l),
                "{m}"
            );
            assert!((d + sigma(-m)).abs() <= 1e-15, "{m}");
            assert!((dd - sigma(m) * sigma(-m)).abs() <= 1e-15, "{m}");
        }
    }

    #[test]
    fn the_map_sum_is_within_its_bound_of_the_exact_sum() {
        let mut state = 3;
        for n in [1, 3, 4, 5, 1000, 10_000] {
            let rows: Vec<[f64; 3]> = (0..n)
                .map(|_| {
                    let mut r = || 8.0 * uniform(&mut state) - 4.0;
                    [r(), r(), 0.3 * r()]
                })
                .collect();
            let columns = Columns::of(&rows);
            for scale in [0.0, 0.01, 1.0, 30.0, 1000.0] {
                let theta = P2::new(scale * (uniform(&mut state) - 0.5), scale * -0.7);
                let exact = sums::<false>(&rows, theta).0 / n as f64;
                let map = map_sum(&columns, theta) / n as f64;
                assert!(
                    (map - exact).abs() <= 1e-12 * (1.0 + exact),
                    "n {n}, θ {theta:?}: {map:e} vs {exact:e}"
                );
            }
        }
    }
}
