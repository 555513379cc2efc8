//! Backpropagation and Pearlmutter's R-operator over one chunk of points, in matrix form.
//!
//! A chunk holds m points as the rows of X (m × d). With A₀ = X, layer l (W_l of shape
//! out × in, bias b_l) and σ the activation (not applied after the last layer):
//!
//! - forward: Z_l = A_{l−1} W_lᵀ + 1 b_lᵀ, A_l = σ(Z_l);
//! - backward (Rumelhart, Hinton & Williams 1986), from G_L = ∂L/∂Z_L given by the loss:
//!   ∇W_l = G_lᵀ A_{l−1}, ∇b_l = G_lᵀ 1, D_{l−1} = G_l W_l, G_{l−1} = D_{l−1} ⊙ σ'(Z_{l−1});
//! - R-forward (Pearlmutter 1994, "Fast exact multiplication by the Hessian"), R{·} the
//!   directional derivative along v = (V_l, c_l): R{A₀} = 0,
//!   R{Z_l} = R{A_{l−1}} W_lᵀ + A_{l−1} V_lᵀ + 1 c_lᵀ, R{A_l} = σ'(Z_l) ⊙ R{Z_l};
//! - the loss: R{G_L} = ∇²_Z L · R{Z_L}, point by point;
//! - R-backward: R{∇W_l} = R{G_l}ᵀ A_{l−1} + G_lᵀ R{A_{l−1}}, R{∇b_l} = R{G_l}ᵀ 1,
//!   R{D_{l−1}} = R{G_l} W_l + G_l V_l,
//!   R{G_{l−1}} = R{D_{l−1}} ⊙ σ'(Z_{l−1}) + D_{l−1} ⊙ σ''(Z_{l−1}) ⊙ R{Z_{l−1}};
//!
//! and (R{∇W_l}, R{∇b_l}) is the Hessian-vector product H·v, exactly (up to rounding).

use super::linalg::{Mat, add_column_sums, fill_rows, gemm};
use super::loss::{NetLoss, Target};
use super::model::Mlp;

/// Numbers a chunk's buffers may hold per layer size: chunks of at most
/// 2¹⁶ / Σ sizes points keep every buffer within 512 KiB, whatever the width.
const CHUNK_NUMBERS: usize = 1 << 16;
/// Most points in a chunk.
const MAX_CHUNK: usize = 256;

/// The buffers of the passes over one chunk, allocated once per network.
#[derive(Debug)]
pub(crate) struct Workspace {
    /// Points per chunk.
    pub cap: usize,
    /// X, chunk × d.
    pub x: Vec<f64>,
    pub targets: Vec<Target>,
    /// Per layer l, chunk × out_l: Z_l, A_l (empty for the last layer), G_l, D_l (empty for
    /// the last layer).
    z: Vec<Vec<f64>>,
    a: Vec<Vec<f64>>,
    g: Vec<Vec<f64>>,
    d: Vec<Vec<f64>>,
    /// R{Z_l}, R{A_l}, R{G_l} and R{D}, allocated by the first HVP.
    rz: Vec<Vec<f64>>,
    ra: Vec<Vec<f64>>,
    rg: Vec<Vec<f64>>,
    rd: Vec<f64>,
}

impl Workspace {
    pub fn new(mlp: &Mlp) -> Self {
        let total: usize = mlp.sizes().iter().sum();
        let cap = (CHUNK_NUMBERS / total).clamp(1, MAX_CHUNK);
        let per_layer = |hidden_only: bool| -> Vec<Vec<f64>> {
            let last = mlp.layers().len() - 1;
            let layers = mlp.layers().iter().enumerate();
            layers
                .map(|(l, layer)| {
                    let keep = !hidden_only || l < last;
                    vec![0.0; if keep { cap * layer.outputs } else { 0 }]
                })
                .collect()
        };
        Workspace {
            cap,
            x: vec![0.0; cap * mlp.inputs()],
            targets: vec![Target::Value(0.0); cap],
            z: per_layer(false),
            a: per_layer(true),
            g: per_layer(false),
            d: per_layer(true),
            rz: Vec::new(),
            ra: Vec::new(),
            rg: Vec::new(),
            rd: Vec::new(),
        }
    }

    /// Allocates the R-buffers (once).
    fn ensure_r(&mut self) {
        if self.rz.is_empty() {
            self.rz = self.z.clone();
            self.ra = self.a.clone();
            self.rg = self.g.clone();
            let widest = self.z.iter().map(Vec::len).max().unwrap_or(0);
            self.rd = vec![0.0; widest.max(self.x.len())];
        }
    }

    /// The outputs Z_L of the last chunk, m × out row-major.
    pub fn outputs(&self) -> &[f64] {
        &self.z[self.z.len() - 1]
    }
}

/// Z_l and A_l for the m points in `ws.x`.
pub(crate) fn forward(mlp: &Mlp, p: &[f64], ws: &mut Workspace, m: usize) {
    let act = mlp.activation();
    let last = mlp.layers().len() - 1;
    for (l, layer) in mlp.layers().iter().enumerate() {
        let (ni, no) = (layer.inputs, layer.outputs);
        let z = &mut ws.z[l];
        fill_rows(z, m, &p[layer.bias()..layer.end()]);
        let input = if l == 0 { &ws.x } else { &ws.a[l - 1] };
        let w = Mat::new(&p[layer.weight..], no, ni);
        gemm(z, Mat::new(input, m, ni), w.t(), 1.0, 1.0);
        if l < last {
            act.apply(&ws.z[l][..m * no], &mut ws.a[l][..m * no]);
        }
    }
}

/// Σ of the chunk's per-point losses; G_L = `scale`·∂ℓ/∂Z_L.
pub(crate) fn loss(loss: NetLoss, ws: &mut Workspace, m: usize, scale: f64) -> f64 {
    let last = ws.z.len() - 1;
    let k = ws.z[last].len() / ws.cap;
    let (z, g) = (&ws.z[last], &mut ws.g[last]);
    let mut sum = 0.0;
    for i in 0..m {
        let span = i * k..(i + 1) * k;
        sum += loss.point(&z[span.clone()], ws.targets[i], scale, &mut g[span]);
    }
    sum
}

/// G_l and D_l for every layer from G_L; adds ∇W_l and ∇b_l into `grad` when given.
pub(crate) fn backward(
    mlp: &Mlp,
    p: &[f64],
    ws: &mut Workspace,
    m: usize,
    mut grad: Option<&mut [f64]>,
) {
    let act = mlp.activation();
    for (l, layer) in mlp.layers().iter().enumerate().rev() {
        let (ni, no) = (layer.inputs, layer.outputs);
        if let Some(grad) = grad.as_deref_mut() {
            let input = if l == 0 { &ws.x } else { &ws.a[l - 1] };
            let gt = Mat::new(&ws.g[l], m, no).t();
            gemm(
                &mut grad[layer.weight..],
                gt,
                Mat::new(input, m, ni),
                1.0,
                1.0,
            );
            add_column_sums(&ws.g[l], m, no, &mut grad[layer.bias()..layer.end()]);
        }
        if l == 0 {
            break;
        }
        let (below, above) = ws.g.split_at_mut(l);
        let w = Mat::new(&p[layer.weight..], no, ni);
        gemm(&mut ws.d[l - 1], Mat::new(&above[0], m, no), w, 1.0, 0.0);
        let (d, z, a) = (&ws.d[l - 1], &ws.z[l - 1], &ws.a[l - 1]);
        for (k, g) in below[l - 1][..m * ni].iter_mut().enumerate() {
            *g = d[k] * act.derivatives(z[k], a[k]).0;
        }
    }
}

/// R{Z_l} and R{A_l} along `v`, after [`forward`].
pub(crate) fn r_forward(mlp: &Mlp, p: &[f64], v: &[f64], ws: &mut Workspace, m: usize) {
    ws.ensure_r();
    let act = mlp.activation();
    let last = mlp.layers().len() - 1;
    for (l, layer) in mlp.layers().iter().enumerate() {
        let (ni, no) = (layer.inputs, layer.outputs);
        let rz = &mut ws.rz[l];
        fill_rows(rz, m, &v[layer.bias()..layer.end()]);
        let input = if l == 0 { &ws.x } else { &ws.a[l - 1] };
        let vw = Mat::new(&v[layer.weight..], no, ni);
        gemm(rz, Mat::new(input, m, ni), vw.t(), 1.0, 1.0);
        if l > 0 {
            let w = Mat::new(&p[layer.weight..], no, ni);
            gemm(rz, Mat::new(&ws.ra[l - 1], m, ni), w.t(), 1.0, 1.0);
        }
        if l < last {
            let (z, a, rz) = (&ws.z[l], &ws.a[l], &ws.rz[l]);
            for (k, ra) in ws.ra[l][..m * no].iter_mut().enumerate() {
                *ra = act.derivatives(z[k], a[k]).0 * rz[k];
            }
        }
    }
}

/// R{G_L} = `scale`·∇²ℓ(Z_L)·R{Z_L}, point by point.
pub(crate) fn r_loss(loss: NetLoss, ws: &mut Workspace, m: usize, scale: f64) {
    let last = ws.z.len() - 1;
    let k = ws.z[last].len() / ws.cap;
    let (z, rz, rg) = (&ws.z[last], &ws.rz[last], &mut ws.rg[last]);
    for i in 0..m {
        let span = i * k..(i + 1) * k;
        loss.point_hvp(&z[span.clone()], &rz[span.clone()], scale, &mut rg[span]);
    }
}

/// Adds (R{∇W_l}, R{∇b_l}) — this chunk's share of H·v — into `out`, after [`backward`],
/// [`r_forward`] and [`r_loss`].
pub(crate) fn r_backward(
    mlp: &Mlp,
    p: &[f64],
    v: &[f64],
    ws: &mut Workspace,
    m: usize,
    out: &mut [f64],
) {
    let act = mlp.activation();
    for (l, layer) in mlp.layers().iter().enumerate().rev() {
        let (ni, no) = (layer.inputs, layer.outputs);
        let input = if l == 0 { &ws.x } else { &ws.a[l - 1] };
        let rgt = Mat::new(&ws.rg[l], m, no).t();
        gemm(
            &mut out[layer.weight..],
            rgt,
            Mat::new(input, m, ni),
            1.0,
            1.0,
        );
        add_column_sums(&ws.rg[l], m, no, &mut out[layer.bias()..layer.end()]);
        if l == 0 {
            break;
        }
        let gt = Mat::new(&ws.g[l], m, no).t();
        gemm(
            &mut out[layer.weight..],
            gt,
            Mat::new(&ws.ra[l - 1], m, ni),
            1.0,
            1.0,
        );
        let (w, vw) = (
            Mat::new(&p[layer.weight..], no, ni),
            Mat::new(&v[layer.weight..], no, ni),
        );
        gemm(&mut ws.rd, Mat::new(&ws.rg[l], m, no), w, 1.0, 0.0);
        gemm(&mut ws.rd, Mat::new(&ws.g[l], m, no), vw, 1.0, 1.0);
        let (rd, d, z, a, rz) = (
            &ws.rd,
            &ws.d[l - 1],
            &ws.z[l - 1],
            &ws.a[l - 1],
            &ws.rz[l - 1],
        );
        for (k, rg) in ws.rg[l - 1][..m * ni].iter_mut().enumerate() {
            let (d1, d2) = act.derivatives(z[k], a[k]);
            *rg = rd[k] * d1 + d[k] * d2 * rz[k];
        }
    }
}
