//! The activations between layers, their first and second derivatives, and the tanh and
//! exp they are computed with.
//!
//! tanh and sigmoid dominate a small network's time when they call libm (≈ 20 ns a tanh),
//! so they are computed here by branch-free code the compiler can inline and vectorize:
//! tanh by Cody & Waite's rational approximation (*Software Manual for the Elementary
//! Functions*, 1980, ch. 13) below ln 3 / 2 and 1 − 2/(e^(2|x|) + 1) above, e^x by
//! Cody–Waite range reduction x = k ln 2 + r, |r| ≤ ln 2 / 2, and a degree-13 Taylor
//! polynomial of e^r (truncation below 10⁻¹⁷). Both agree with libm within a few ulps (the
//! tests check 4 ulps); torch's CPU kernels (SLEEF) are within 1 ulp of the true value too.

use super::linalg::widest;

/// The element-wise nonlinearity between layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// σ(z) = tanh z (`torch.nn.Tanh`).
    Tanh,
    /// σ(z) = max(0, z) (`torch.nn.ReLU`).
    Relu,
    /// σ(z) = 1 / (1 + e^(−z)) (`torch.nn.Sigmoid`).
    Sigmoid,
    /// σ(z) = z (`torch.nn.Identity`).
    Identity,
}

impl Activation {
    pub const ALL: [Activation; 4] = [
        Activation::Tanh,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Identity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Identity => "identity",
        }
    }

    /// The activation called `text`, or a one-line error naming the accepted ones.
    pub fn parse(text: &str) -> Result<Self, crate::spec::SpecError> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == text)
            .ok_or_else(|| {
                crate::spec::spec_err!(
                    "mlp: activation must be tanh, relu, sigmoid or identity, got '{text}'"
                )
            })
    }

    /// σ(z): tanh z; max(0, z); 1/(1 + e^(−z)); z (torch.nn.Tanh, ReLU, Sigmoid, Identity).
    #[inline]
    pub fn value(self, z: f64) -> f64 {
        match self {
            Activation::Tanh => tanh(z),
            Activation::Relu => z.max(0.0),
            Activation::Sigmoid => 1.0 / (1.0 + exp(-z)),
            Activation::Identity => z,
        }
    }

    /// a = σ(z) element by element, vectorized.
    pub(crate) fn apply(self, z: &[f64], a: &mut [f64]) {
        apply(self, z, a);
    }

    /// σ'(z): 1 − tanh² z; [z > 0] (torch's ReLU backward gives 0 at z = 0); s(1 − s) with
    /// s = sigmoid(z); 1.
    pub fn derivative(self, z: f64) -> f64 {
        self.derivatives(z, self.value(z)).0
    }

    /// σ''(z): −2t(1 − t²) with t = tanh z; 0 (ReLU, almost everywhere); s(1 − s)(1 − 2s)
    /// with s = sigmoid(z); 0. Needed by the R-operator of Hessian-vector products.
    pub fn second_derivative(self, z: f64) -> f64 {
        self.derivatives(z, self.value(z)).1
    }

    /// (σ'(z), σ''(z)) from z and a = σ(z), without a second transcendental function.
    #[inline(always)]
    pub(crate) fn derivatives(self, z: f64, a: f64) -> (f64, f64) {
        match self {
            Activation::Tanh => {
                let d = 1.0 - a * a;
                (d, -2.0 * a * d)
            }
            Activation::Relu => (if z > 0.0 { 1.0 } else { 0.0 }, 0.0),
            Activation::Sigmoid => {
                let d = a * (1.0 - a);
                (d, d * (1.0 - 2.0 * a))
            }
            Activation::Identity => (1.0, 0.0),
        }
    }
}

widest! {
/// a = σ(z) element by element (one loop per activation, so each vectorizes).
fn apply(act: Activation, z: &[f64], a: &mut [f64]) {
    let pairs = a.iter_mut().zip(z);
    match act {
        Activation::Tanh => pairs.for_each(|(a, &z)| *a = tanh(z)),
        Activation::Relu => pairs.for_each(|(a, &z)| *a = z.max(0.0)),
        Activation::Sigmoid => pairs.for_each(|(a, &z)| *a = 1.0 / (1.0 + exp(-z))),
        Activation::Identity => a.copy_from_slice(&z[..a.len()]),
    }
}
}

widest! {
/// g = d ⊙ σ'(z), given a = σ(z): backpropagation through the activation.
pub(crate) fn gate(act: Activation, d: &[f64], z: &[f64], a: &[f64], g: &mut [f64]) {
    let n = g.len();
    let (d, z, a) = (&d[..n], &z[..n], &a[..n]);
    for k in 0..n {
        g[k] = d[k] * act.derivatives(z[k], a[k]).0;
    }
}
}

widest! {
/// r = σ'(z) ⊙ rz: the R-forward pass through the activation.
pub(crate) fn r_gate(act: Activation, z: &[f64], a: &[f64], rz: &[f64], r: &mut [f64]) {
    let n = r.len();
    let (z, a, rz) = (&z[..n], &a[..n], &rz[..n]);
    for k in 0..n {
        r[k] = act.derivatives(z[k], a[k]).0 * rz[k];
    }
}
}

/// R{G} = R{D} ⊙ σ'(z) + D ⊙ σ''(z) ⊙ R{z}: the R-backward pass through the activation.
pub(crate) struct RBack<'a> {
    pub rd: &'a [f64],
    pub d: &'a [f64],
    pub z: &'a [f64],
    pub a: &'a [f64],
    pub rz: &'a [f64],
}

widest! {
/// rg = R{G} of [`RBack`].
pub(crate) fn r_back(act: Activation, x: &RBack<'_>, rg: &mut [f64]) {
    let n = rg.len();
    let (rd, d, z, a, rz) = (&x.rd[..n], &x.d[..n], &x.z[..n], &x.a[..n], &x.rz[..n]);
    for k in 0..n {
        let (d1, d2) = act.derivatives(z[k], a[k]);
        rg[k] = rd[k] * d1 + d[k] * d2 * rz[k];
    }
}
}

/// tanh x: for |x| < ln 3 / 2, |x| + |x|·g·P(g)/Q(g) with g = x² (Cody & Waite's
/// coefficients for 53 bits); above, (e − 1)/(e + 1) with e = e^(2|x|) (no cancellation:
/// e ≥ 3); the sign of x restored.
#[inline(always)]
#[allow(clippy::excessive_precision)] // the coefficients as the book prints them
pub(crate) fn tanh(x: f64) -> f64 {
    const P: [f64; 3] = [
        -0.964_374_927_772_254_697_87,
        -0.992_259_296_722_360_833_13e2,
        -0.161_341_190_239_962_280_53e4,
    ];
    const Q: [f64; 3] = [
        0.112_744_743_805_349_493_35e3,
        0.223_377_207_189_623_129_26e4,
        0.484_023_570_719_886_886_86e4,
    ];
    let f = x.abs();
    let g = f * f;
    let p = ((P[0] * g + P[1]) * g + P[2]) * g;
    let q = ((g + Q[0]) * g + Q[1]) * g + Q[2];
    let near = f + f * (p / q);
    let far = 1.0 - 2.0 / (exp(2.0 * f) + 1.0);
    let r = if f < 0.549_306_144_334_054_8 {
        near
    } else {
        far
    };
    r.copysign(x)
}

/// e^x for |x| ≤ 700 (clamped beyond, NaN stays NaN): k = round(x / ln 2) by the 1.5·2⁵²
/// shift, r = x − k·ln2_hi − k·ln2_lo (fdlibm's split, exact products), e^r by its Taylor
/// polynomial to degree 13, times 2^k built from the exponent bits.
#[inline(always)]
#[allow(clippy::excessive_precision)] // fdlibm's constants as it prints them
pub(crate) fn exp(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238_164_9e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    // 1/13!, 1/12!, …, 1/0!
    const C: [f64; 14] = [
        1.0 / 6_227_020_800.0,
        1.0 / 479_001_600.0,
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ];
    let x = x.clamp(-700.0, 700.0); // NaN stays NaN
    let t = x * std::f64::consts::LOG2_E + SHIFT;
    let k = t - SHIFT;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut p = C[0];
    for c in &C[1..] {
        p = p * r + c;
    }
    p * f64::from_bits(t.to_bits().wrapping_add(1023) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in ulps between two finite numbers of the same sign.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64).abs_diff(b.to_bits() as i64)
    }

    #[test]
    fn tanh_and_exp_agree_with_libm_within_four_ulps() {
        let mut worst = (0, 0);
        for i in 0..200_001 {
            let x = (i as f64 - 100_000.0) * 2.5e-4 * (1.0 + (i as f64).sin() * 1e-3);
            let t = ulps(tanh(x), x.tanh());
            let e = ulps(exp(12.0 * x), (12.0 * x).exp());
            worst = (worst.0.max(t), worst.1.max(e));
        }
        assert!(worst.0 <= 4 && worst.1 <= 4, "tanh, exp: {worst:?} ulps");
        for x in [1e-300, 1e-12, 3e-9, 0.5493, 0.5494, 19.0, 25.0, 800.0] {
            assert!(ulps(tanh(x), x.tanh()) <= 4, "{x}");
            assert_eq!(tanh(-x), -tanh(x));
        }
        assert_eq!(tanh(1e6), 1.0);
        assert!(tanh(-0.0).is_sign_negative() && tanh(f64::NAN).is_nan());
        assert!(exp(f64::NAN).is_nan());
        assert!(ulps(exp(-700.0), (-700f64).exp()) <= 4 && ulps(exp(700.0), 700f64.exp()) <= 4);
        let tiny = Activation::Sigmoid.value(-1000.0);
        assert!((0.0..1e-300).contains(&tiny), "{tiny}");
    }

    #[test]
    fn derivatives_match_finite_differences() {
        for act in Activation::ALL {
            for z in [-2.3, -0.4, 0.3, 1.7] {
                let h = 1e-5;
                let d1 = (act.value(z + h) - act.value(z - h)) / (2.0 * h);
                let d2 = (act.derivative(z + h) - act.derivative(z - h)) / (2.0 * h);
                assert!((d1 - act.derivative(z)).abs() < 1e-8, "{act:?} {z}");
                assert!((d2 - act.second_derivative(z)).abs() < 1e-8, "{act:?} {z}");
            }
        }
        assert_eq!(Activation::Relu.derivative(0.0), 0.0);
    }

    #[test]
    fn apply_is_value_element_by_element() {
        let z: Vec<f64> = (0..37).map(|i| (i as f64 - 18.0) * 0.31).collect();
        for act in Activation::ALL {
            let mut a = vec![0.0; z.len()];
            act.apply(&z, &mut a);
            assert!(
                a.iter().zip(&z).all(|(a, &z)| *a == act.value(z)),
                "{act:?}"
            );
        }
    }
}
