//! Backpropagation and Pearlmutter's R-operator over one chunk of points, in matrix form.
//!
//! A chunk's m points are stored feature-major: Xᵀ is d × m, row f holding feature f of
//! every point, and so are the layers' matrices (Zᵀ_l, Aᵀ_l: out_l × m). Every product
//! then runs along the m points, contiguously. With Aᵀ₀ = Xᵀ, layer l (W_l of shape
//! out × in, bias b_l) and σ the activation (not applied after the last layer):
//!
//! - forward: Zᵀ_l = W_l Aᵀ_{l−1} + b_l 1ᵀ, Aᵀ_l = σ(Zᵀ_l);
//! - backward (Rumelhart, Hinton & Williams 1986), from Gᵀ_L = ∂L/∂Zᵀ_L given by the loss:
//!   ∇W_l = Gᵀ_l A_{l−1}, ∇b_l = Gᵀ_l 1, Dᵀ_{l−1} = W_lᵀ Gᵀ_l,
//!   Gᵀ_{l−1} = Dᵀ_{l−1} ⊙ σ'(Zᵀ_{l−1});
//! - R-forward (Pearlmutter 1994, "Fast exact multiplication by the Hessian"), R{·} the
//!   directional derivative along v = (V_l, c_l): R{A₀} = 0,
//!   R{Zᵀ_l} = W_l R{Aᵀ_{l−1}} + V_l Aᵀ_{l−1} + c_l 1ᵀ, R{Aᵀ_l} = σ'(Zᵀ_l) ⊙ R{Zᵀ_l};
//! - the loss: R{G_L} = ∇²_Z L · R{Z_L}, point by point;
//! - R-backward: R{∇W_l} = R{Gᵀ_l} A_{l−1} + Gᵀ_l R{A_{l−1}}, R{∇b_l} = R{Gᵀ_l} 1,
//!   R{Dᵀ_{l−1}} = W_lᵀ R{Gᵀ_l} + V_lᵀ Gᵀ_l,
//!   R{Gᵀ_{l−1}} = R{Dᵀ_{l−1}} ⊙ σ'(Zᵀ_{l−1}) + Dᵀ_{l−1} ⊙ σ''(Zᵀ_{l−1}) ⊙ R{Zᵀ_{l−1}};
//!
//! and (R{∇W_l}, R{∇b_l}) is the Hessian-vector product H·v, exactly (up to rounding).

use super::activation::{RBack, gate, r_back, r_gate};
use super::linalg::{Mat, gemm, sum};
use super::loss::{NetLoss, Target};
use super::model::Mlp;

/// Numbers a chunk's buffers may hold per layer size: chunks of at most
/// 2¹⁶ / Σ sizes points keep every buffer within 512 KiB, whatever the width.
const CHUNK_NUMBERS: usize = 1 << 16;
/// Most points in a chunk.
const MAX_CHUNK: usize = 256;

/// Points per chunk for `mlp`: at most [`MAX_CHUNK`], and few enough that every buffer stays
/// within [`CHUNK_NUMBERS`] numbers per layer size.
pub(crate) fn chunk_points(mlp: &Mlp) -> usize {
    let total: usize = mlp.sizes().iter().sum();
    (CHUNK_NUMBERS / total.max(1)).clamp(1, MAX_CHUNK)
}

/// The buffers of the passes over one chunk, allocated once per network. Each matrix of a
/// chunk of m points is out × m, row-major, in the first numbers of its buffer.
#[derive(Debug)]
pub(crate) struct Workspace {
    /// Points per chunk.
    pub cap: usize,
    /// Xᵀ, d × m.
    pub x: Vec<f64>,
    pub targets: Vec<Target>,
    /// Per layer l: Zᵀ_l, Aᵀ_l (empty for the last layer), Gᵀ_l, Dᵀ_l (empty for the last).
    z: Vec<Vec<f64>>,
    a: Vec<Vec<f64>>,
    g: Vec<Vec<f64>>,
    d: Vec<Vec<f64>>,
    /// R{Zᵀ_l}, R{Aᵀ_l}, R{Gᵀ_l} and R{Dᵀ}, allocated by the first HVP.
    rz: Vec<Vec<f64>>,
    ra: Vec<Vec<f64>>,
    rg: Vec<Vec<f64>>,
    rd: Vec<f64>,
    /// One point's outputs, their gradient and direction (K each).
    point: [Vec<f64>; 3],
}

impl Workspace {
    pub fn new(mlp: &Mlp) -> Self {
        let cap = chunk_points(mlp);
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
        let k = mlp.outputs();
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
            point: [vec![0.0; k], vec![0.0; k], vec![0.0; k]],
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

    /// Copies the outputs of point k of the last chunk of m points into `out`.
    pub fn outputs_of(&self, k: usize, m: usize, out: &mut [f64]) {
        let z = &self.z[self.z.len() - 1];
        for (j, o) in out.iter_mut().enumerate() {
            *o = z[j * m + k];
        }
    }
}

/// Fills each row j of the rows × m matrix `z` with `bias[j]`.
fn fill_bias(z: &mut [f64], m: usize, bias: &[f64]) {
    for (row, &b) in z[..m * bias.len()].chunks_exact_mut(m).zip(bias) {
        row.fill(b);
    }
}

/// Adds the row sums of the rows × m matrix `g` to `out` (a bias gradient).
fn add_row_sums(g: &[f64], m: usize, out: &mut [f64]) {
    for (row, o) in g[..m * out.len()].chunks_exact(m).zip(out) {
        *o += sum(row);
    }
}

/// Zᵀ_l and Aᵀ_l for the m points in `ws.x`.
pub(crate) fn forward(mlp: &Mlp, p: &[f64], ws: &mut Workspace, m: usize) {
    let act = mlp.activation();
    let last = mlp.layers().len() - 1;
    for (l, layer) in mlp.layers().iter().enumerate() {
        let (ni, no) = (layer.inputs, layer.outputs);
        let z = &mut ws.z[l];
        fill_bias(z, m, &p[layer.bias()..layer.end()]);
        let input = if l == 0 { &ws.x } else { &ws.a[l - 1] };
        let w = Mat::new(&p[layer.weight..], no, ni);
        gemm(z, w, Mat::new(input, ni, m), 1.0, 1.0);
        if l < last {
            act.apply(&ws.z[l][..m * no], &mut ws.a[l][..m * no]);
        }
    }
}

/// Σ of the chunk's per-point losses; Gᵀ_L = `scale`·∂ℓ/∂Zᵀ_L.
pub(crate) fn loss(loss: NetLoss, ws: &mut Workspace, m: usize, scale: f64) -> f64 {
    let last = ws.z.len() - 1;
    let [zk, gk, _] = &mut ws.point;
    let (z, g) = (&ws.z[last], &mut ws.g[last]);
    let mut sum = 0.0;
    for i in 0..m {
        for (j, zj) in zk.iter_mut().enumerate() {
            *zj = z[j * m + i];
        }
        sum += loss.point(zk, ws.targets[i], scale, gk);
        for (j, &gj) in gk.iter().enumerate() {
            g[j * m + i] = gj;
        }
    }
    sum
}

/// Gᵀ_l and Dᵀ_l for every layer from Gᵀ_L; adds ∇W_l and ∇b_l into `grad` when given.
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
            let g = Mat::new(&ws.g[l], no, m);
            gemm(
                &mut grad[layer.weight..],
                g,
                Mat::new(input, ni, m).t(),
                1.0,
                1.0,
            );
            add_row_sums(&ws.g[l], m, &mut grad[layer.bias()..layer.end()]);
        }
        if l == 0 {
            break;
        }
        let (below, above) = ws.g.split_at_mut(l);
        let w = Mat::new(&p[layer.weight..], no, ni);
        gemm(
            &mut ws.d[l - 1],
            w.t(),
            Mat::new(&above[0], no, m),
            1.0,
            0.0,
        );
        let (d, z, a) = (&ws.d[l - 1], &ws.z[l - 1], &ws.a[l - 1]);
        gate(act, d, z, a, &mut below[l - 1][..m * ni]);
    }
}

/// R{Zᵀ_l} and R{Aᵀ_l} along `v`, after [`forward`].
pub(crate) fn r_forward(mlp: &Mlp, p: &[f64], v: &[f64], ws: &mut Workspace, m: usize) {
    ws.ensure_r();
    let act = mlp.activation();
    let last = mlp.layers().len() - 1;
    for (l, layer) in mlp.layers().iter().enumerate() {
        let (ni, no) = (layer.inputs, layer.outputs);
        let rz = &mut ws.rz[l];
        fill_bias(rz, m, &v[layer.bias()..layer.end()]);
        let input = if l == 0 { &ws.x } else { &ws.a[l - 1] };
        let vw = Mat::new(&v[layer.weight..], no, ni);
        gemm(rz, vw, Mat::new(input, ni, m), 1.0, 1.0);
        if l > 0 {
            let w = Mat::new(&p[layer.weight..], no, ni);
            gemm(rz, w, Mat::new(&ws.ra[l - 1], ni, m), 1.0, 1.0);
        }
        if l < last {
            let (z, a, rz) = (&ws.z[l], &ws.a[l], &ws.rz[l]);
            r_gate(act, z, a, rz, &mut ws.ra[l][..m * no]);
        }
    }
}

/// R{Gᵀ_L} = `scale`·∇²ℓ(Z_L)·R{Z_L}, point by point.
pub(crate) fn r_loss(loss: NetLoss, ws: &mut Workspace, m: usize, scale: f64) {
    let last = ws.z.len() - 1;
    let [zk, hk, rk] = &mut ws.point;
    let (z, rz, rg) = (&ws.z[last], &ws.rz[last], &mut ws.rg[last]);
    for i in 0..m {
        for j in 0..zk.len() {
            (zk[j], rk[j]) = (z[j * m + i], rz[j * m + i]);
        }
        loss.point_hvp(zk, rk, scale, hk);
        for (j, &h) in hk.iter().enumerate() {
            rg[j * m + i] = h;
        }
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
        let rg = Mat::new(&ws.rg[l], no, m);
        gemm(
            &mut out[layer.weight..],
            rg,
            Mat::new(input, ni, m).t(),
            1.0,
            1.0,
        );
        add_row_sums(&ws.rg[l], m, &mut out[layer.bias()..layer.end()]);
        if l == 0 {
            break;
        }
        let g = Mat::new(&ws.g[l], no, m);
        let ra = Mat::new(&ws.ra[l - 1], ni, m).t();
        gemm(&mut out[layer.weight..], g, ra, 1.0, 1.0);
        let w = Mat::new(&p[layer.weight..], no, ni).t();
        let vw = Mat::new(&v[layer.weight..], no, ni).t();
        gemm(&mut ws.rd, w, rg, 1.0, 0.0);
        gemm(&mut ws.rd, vw, g, 1.0, 1.0);
        let back = RBack {
            rd: &ws.rd,
            d: &ws.d[l - 1],
            z: &ws.z[l - 1],
            a: &ws.a[l - 1],
            rz: &ws.rz[l - 1],
        };
        r_back(act, &back, &mut ws.rg[l - 1][..m * ni]);
    }
}
