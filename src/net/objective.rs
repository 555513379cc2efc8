//! A network over a table as a function of its flat parameters: the loss, its gradient by
//! backpropagation, exact Hessian-vector products by the R-operator, the dense Hessian of a
//! small net, accuracy and the outputs at any point.
//!
//! The loss over a selection of rows is what torch computes on that batch: the mean of the
//! per-point cross-entropies, or the mean of the squared errors over all B·K outputs
//! ([`NetLoss`]). Points are processed in chunks (at most 256 of them, fewer for wide nets)
//! through buffers allocated once per network; a call allocates nothing.

use std::sync::{Arc, Mutex, TryLockError};

use nalgebra::DMatrix;

use super::backprop::{self, Workspace};
use super::loss::{NetLoss, Target};
use super::model::{Mlp, ModelSpec};
use crate::data::{Table, Targets};
use crate::spec::{SpecError, spec_err};

/// Most parameters [`Network::hessian`] builds a dense Hessian for (n² numbers: 128 MiB).
pub const MAX_HESSIAN_PARAMETERS: usize = 4096;

/// Which points a loss is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows<'a> {
    /// Every point of the table.
    All,
    /// The points with these indices (a minibatch; repeats count twice, as in torch).
    Only(&'a [usize]),
}

impl Rows<'_> {
    fn len(&self, n: usize) -> usize {
        match self {
            Rows::All => n,
            Rows::Only(rows) => rows.len(),
        }
    }

    #[inline]
    fn index(&self, k: usize) -> usize {
        match self {
            Rows::All => k,
            Rows::Only(rows) => rows[k],
        }
    }
}

/// A model, its loss and the table it learns.
#[derive(Debug)]
pub struct Network {
    mlp: Mlp,
    loss: NetLoss,
    table: Arc<Table>,
    work: Mutex<Workspace>,
}

impl Clone for Network {
    /// The same network with its own buffers.
    fn clone(&self) -> Self {
        Network {
            mlp: self.mlp.clone(),
            loss: self.loss,
            table: self.table.clone(),
            work: Mutex::new(Workspace::new(&self.mlp)),
        }
    }
}

impl Network {
    /// `mlp` with `loss` over `table`; refused when they do not fit together.
    pub fn new(mlp: Mlp, loss: NetLoss, table: Arc<Table>) -> Result<Network, SpecError> {
        check_table(&table)?;
        loss.check(&table)?;
        let name = &table.spec;
        if mlp.inputs() != table.dims {
            return Err(spec_err!(
                "mlp {} takes {} inputs, but {name} has {} features per point",
                mlp.sizes_text(),
                mlp.inputs(),
                table.dims
            ));
        }
        if mlp.outputs() != table.outputs() {
            return Err(spec_err!(
                "mlp {} has {} outputs, but {name} needs {}",
                mlp.sizes_text(),
                mlp.outputs(),
                table.outputs()
            ));
        }
        let work = Mutex::new(Workspace::new(&mlp));
        Ok(Network {
            mlp,
            loss,
            table,
            work,
        })
    }

    /// The network of a model spec (`mlp:hidden=16x16`) over `table`, sized to its features
    /// and outputs, with `loss` (`cross-entropy`, `mse`; the data's default when `None`).
    pub fn from_specs(
        model: &str,
        loss: Option<&str>,
        table: Arc<Table>,
    ) -> Result<Self, SpecError> {
        let spec = ModelSpec::parse(model)?;
        let mlp = Mlp::new(&spec, table.dims, table.outputs())?;
        let loss = match loss {
            Some(text) => NetLoss::parse(text)?,
            None => NetLoss::default_for(&table.targets),
        };
        Network::new(mlp, loss, table)
    }

    pub fn mlp(&self) -> &Mlp {
        &self.mlp
    }

    pub fn loss(&self) -> NetLoss {
        self.loss
    }

    pub fn table(&self) -> &Arc<Table> {
        &self.table
    }

    pub fn parameter_count(&self) -> usize {
        self.mlp.parameter_count()
    }

    /// Runs `f` with this network's buffers, or with fresh ones when another thread holds
    /// them (a clone per thread avoids that).
    fn with_workspace<R>(&self, f: impl FnOnce(&mut Workspace) -> R) -> R {
        match self.work.try_lock() {
            Ok(mut w) => f(&mut w),
            Err(TryLockError::Poisoned(p)) => f(&mut p.into_inner()),
            Err(TryLockError::WouldBlock) => f(&mut Workspace::new(&self.mlp)),
        }
    }

    fn check_params(&self, params: &[f64]) {
        assert_eq!(
            params.len(),
            self.parameter_count(),
            "parameters of mlp {}",
            self.mlp.sizes_text()
        );
    }

    /// Copies the chunk's points (feature-major, d × m) and targets into the workspace;
    /// returns its size m.
    fn gather(&self, ws: &mut Workspace, rows: Rows<'_>, start: usize, total: usize) -> usize {
        let m = ws.cap.min(total - start);
        for k in 0..m {
            let i = rows.index(start + k);
            for (f, &x) in self.table.row(i).iter().enumerate() {
                ws.x[f * m + k] = x;
            }
            ws.targets[k] = Target::of(&self.table.targets, i);
        }
        m
    }

    /// The loss over `rows`: NaN when `rows` is empty (torch's mean over nothing).
    ///
    /// # Panics
    /// When `params` is not [`Network::parameter_count`] long or a row index is out of range.
    pub fn value(&self, params: &[f64], rows: Rows<'_>) -> f64 {
        self.check_params(params);
        let total = rows.len(self.table.len());
        let scale = 1.0 / self.loss.denominator(total, self.mlp.outputs());
        self.with_workspace(|ws| {
            let mut sum = 0.0;
            let mut start = 0;
            while start < total {
                let m = self.gather(ws, rows, start, total);
                backprop::forward(&self.mlp, params, ws, m);
                sum += backprop::loss(self.loss, ws, m, scale);
                start += m;
            }
            sum * scale
        })
    }

    /// The loss over `rows`, and its gradient (backpropagation) into `grad`.
    pub fn value_gradient(&self, params: &[f64], rows: Rows<'_>, grad: &mut [f64]) -> f64 {
        self.check_params(params);
        assert_eq!(grad.len(), params.len(), "gradient length");
        let total = rows.len(self.table.len());
        let scale = 1.0 / self.loss.denominator(total, self.mlp.outputs());
        grad.fill(if total == 0 { f64::NAN } else { 0.0 });
        self.with_workspace(|ws| {
            let mut sum = 0.0;
            let mut start = 0;
            while start < total {
                let m = self.gather(ws, rows, start, total);
                backprop::forward(&self.mlp, params, ws, m);
                sum += backprop::loss(self.loss, ws, m, scale);
                backprop::backward(&self.mlp, params, ws, m, Some(grad));
                start += m;
            }
            sum * scale
        })
    }

    /// H·v into `out`: the exact Hessian-vector product of the loss over `rows` by
    /// Pearlmutter's R-operator (see [`super::backprop`]); about three gradients' work.
    pub fn hvp(&self, params: &[f64], rows: Rows<'_>, v: &[f64], out: &mut [f64]) {
        self.check_params(params);
        assert_eq!(
            (v.len(), out.len()),
            (params.len(), params.len()),
            "HVP lengths"
        );
        let total = rows.len(self.table.len());
        let scale = 1.0 / self.loss.denominator(total, self.mlp.outputs());
        out.fill(if total == 0 { f64::NAN } else { 0.0 });
        self.with_workspace(|ws| {
            let mut start = 0;
            while start < total {
                let m = self.gather(ws, rows, start, total);
                backprop::forward(&self.mlp, params, ws, m);
                backprop::loss(self.loss, ws, m, scale);
                backprop::backward(&self.mlp, params, ws, m, None);
                backprop::r_forward(&self.mlp, params, v, ws, m);
                backprop::r_loss(self.loss, ws, m, scale);
                backprop::r_backward(&self.mlp, params, v, ws, m, out);
                start += m;
            }
        })
    }

    /// Run `body` with the Hessian-vector product at `params` over `rows` as a function
    /// v ↦ H·v, for many products at one point (Lanczos, the dense Hessian). When the rows fit
    /// in one chunk, the forward and backward passes are made once and every product runs
    /// only the R-passes (about a third less work each); the numbers are the same as
    /// [`Network::hvp`]'s, bit for bit.
    pub fn with_hvp<R>(
        &self,
        params: &[f64],
        rows: Rows<'_>,
        body: impl FnOnce(&mut dyn FnMut(&[f64], &mut [f64])) -> R,
    ) -> R {
        self.check_params(params);
        let total = rows.len(self.table.len());
        let scale = 1.0 / self.loss.denominator(total, self.mlp.outputs());
        if total == 0 || total > backprop::chunk_points(&self.mlp) {
            return body(&mut |v, out| self.hvp(params, rows, v, out));
        }
        self.with_workspace(|ws| {
            let m = self.gather(ws, rows, 0, total);
            backprop::forward(&self.mlp, params, ws, m);
            backprop::loss(self.loss, ws, m, scale);
            backprop::backward(&self.mlp, params, ws, m, None);
            body(&mut |v, out| {
                let n = params.len();
                assert_eq!((v.len(), out.len()), (n, n), "HVP lengths");
                out.fill(0.0);
                backprop::r_forward(&self.mlp, params, v, ws, m);
                backprop::r_loss(self.loss, ws, m, scale);
                backprop::r_backward(&self.mlp, params, v, ws, m, out);
            })
        })
    }

    /// The dense Hessian of the loss over `rows`, column j = H·e_j: n HVPs for n parameters
    /// (not symmetrized, so its symmetry is a check). Refused above
    /// [`MAX_HESSIAN_PARAMETERS`].
    pub fn hessian(&self, params: &[f64], rows: Rows<'_>) -> Result<DMatrix<f64>, SpecError> {
        let n = self.parameter_count();
        if n > MAX_HESSIAN_PARAMETERS {
            return Err(spec_err!(
                "mlp {} has {n} parameters; a dense Hessian is built for at most {MAX_HESSIAN_PARAMETERS}",
                self.mlp.sizes_text()
            ));
        }
        let mut h = DMatrix::zeros(n, n);
        let mut e = vec![0.0; n];
        self.with_hvp(params, rows, |hvp| {
            for j in 0..n {
                e[j] = 1.0;
                // column-major storage: column j is one contiguous run
                hvp(&e, &mut h.as_mut_slice()[j * n..(j + 1) * n]);
                e[j] = 0.0;
            }
        });
        Ok(h)
    }

    /// The fraction of all points whose largest output (the first, on ties) is their label;
    /// `None` for regression data.
    pub fn accuracy(&self, params: &[f64]) -> Option<f64> {
        let Targets::Classes { labels, .. } = &self.table.targets else {
            return None;
        };
        let mut outputs = vec![0.0; labels.len() * self.mlp.outputs()];
        self.outputs(params, &self.table.features, &mut outputs);
        let right = outputs
            .chunks_exact(self.mlp.outputs())
            .zip(labels)
            .filter(|(z, y)| argmax(z) == **y)
            .count();
        Some(right as f64 / labels.len() as f64)
    }

    /// One point's outputs (logits for classes, the prediction for regression) into `out`.
    pub fn outputs_at(&self, params: &[f64], x: &[f64], out: &mut [f64]) {
        self.outputs(params, x, out);
    }

    /// The outputs of many points (`points` row-major, d features each) into `out` (K each).
    ///
    /// # Panics
    /// When the lengths do not fit d and K.
    pub fn outputs(&self, params: &[f64], points: &[f64], out: &mut [f64]) {
        self.check_params(params);
        let (d, k) = (self.mlp.inputs(), self.mlp.outputs());
        assert!(
            points.len().is_multiple_of(d) && out.len() == points.len() / d * k,
            "point lengths"
        );
        self.with_workspace(|ws| {
            for (xs, os) in points.chunks(ws.cap * d).zip(out.chunks_mut(ws.cap * k)) {
                let m = xs.len() / d;
                for (i, x) in xs.chunks_exact(d).enumerate() {
                    for (f, &v) in x.iter().enumerate() {
                        ws.x[f * m + i] = v;
                    }
                }
                backprop::forward(&self.mlp, params, ws, m);
                for (i, o) in os.chunks_exact_mut(k).enumerate() {
                    ws.outputs_of(i, m, o);
                }
            }
        })
    }
}

/// The index of the largest number (the first of equals; NaN never wins), as torch.argmax.
fn argmax(z: &[f64]) -> usize {
    let mut best = 0;
    for (k, &v) in z.iter().enumerate() {
        if v > z[best] {
            best = k;
        }
    }
    best
}

/// A table a network can learn: points, finite numbers, labels below the class count.
fn check_table(table: &Table) -> Result<(), SpecError> {
    let name = &table.spec;
    if table.is_empty() || table.dims == 0 || table.features.len() != table.len() * table.dims {
        return Err(spec_err!(
            "{name}: a network needs at least one point with at least one feature"
        ));
    }
    if let Some(i) = table.features.iter().position(|v| !v.is_finite()) {
        return Err(spec_err!(
            "{name}: point {} has a non-finite feature",
            i / table.dims
        ));
    }
    match &table.targets {
        Targets::Classes { labels, classes } => {
            if let Some(i) = labels.iter().position(|y| y >= classes) {
                return Err(spec_err!(
                    "{name}: point {i} has label {}, but there are {classes} classes",
                    labels[i]
                ));
            }
        }
        Targets::Values(values) => {
            if let Some(i) = values.iter().position(|v| !v.is_finite()) {
                return Err(spec_err!("{name}: point {i} has a non-finite target"));
            }
        }
    }
    Ok(())
}
