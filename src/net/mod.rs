//! Networks: small multilayer perceptrons over a [`crate::data::Table`], their losses with
//! torch.nn's definitions, seeded initializations, and exact derivatives (backpropagation
//! and Hessian-vector products).
//!
//! Parameters live in one flat vector in torch's `model.parameters()` order: for each layer
//! its weight (out × in, row-major), then its bias.
