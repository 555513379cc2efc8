//! Networks: small multilayer perceptrons over a [`crate::data::Table`], their losses with
//! torch.nn's definitions, seeded initializations, and exact derivatives (backpropagation
//! and Hessian-vector products).
//!
//! Parameters live in one flat vector in torch's `model.parameters()` order: for each layer
//! its weight (out × in, row-major), then its bias.
//!
//! - [`model`]: `mlp:hidden=16x16,activation=tanh`, the layer sizes and tensors;
//! - [`loss`]: `cross-entropy` and `mse`;
//! - [`objective`]: a [`Network`] over a table — loss, gradient, Hessian-vector products,
//!   the dense Hessian of small nets, accuracy, outputs;
//! - [`init`]: `torch`, `xavier`, `he`, `zeros` (seeded) or a JSON file;
//! - [`lanczos`]: the extreme Hessian eigenvalues from HVPs alone;
//! - [`gradcheck`]: backpropagation against finite differences;
//! - [`output`]: what `descent list models|inits` and `descent gradcheck --model` print.

mod activation;
mod backprop;
pub mod gradcheck;
pub mod init;
pub mod lanczos;
mod linalg;
pub mod listing;
pub mod loss;
pub mod model;
pub mod objective;
pub mod output;
pub mod regions;
#[cfg(test)]
mod tests;

pub use init::Init;
pub use lanczos::Extremes;
pub use loss::NetLoss;
pub use model::{Activation, MAX_PARAMETERS, Mlp, ModelSpec, Tensor, names_a_model};
pub use objective::{Network, Rows};
