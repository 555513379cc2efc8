//! Descent: see how optimizers behave on 2D loss surfaces.
//!
//! The core — surfaces with exact derivatives ([`surface`]), optimizers faithful to
//! torch.optim ([`optim`]), closed-form learning-rate schedules ([`schedule`]), seeded
//! gradient noise ([`noise`]) and races that step several optimizers side by side
//! ([`race`]) — needs no GUI crate. The command line and the app only show what it computed.

pub mod atomic;
pub mod cli;
pub mod noise;
pub mod optim;
pub mod race;
pub mod real;
pub mod schedule;
pub mod spec;
pub mod surface;

/// A point or vector in the plane.
pub type P2 = nalgebra::Vector2<f64>;
/// A 2×2 matrix (Hessians, inverse-Hessian estimates).
pub type M2 = nalgebra::Matrix2<f64>;
