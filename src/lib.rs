//! Descent: see how optimizers behave on 2D loss surfaces.
//!
//! The core — surfaces with exact derivatives ([`surface`]), optimizers faithful to
//! torch.optim ([`optim`]), closed-form learning-rate schedules ([`schedule`]), seeded
//! gradient noise ([`noise`]) and races that step several optimizers side by side
//! ([`race`]) — needs no GUI crate. The command line and the app only show what it computed.
//!
//! ```
//! use descent::race::{RaceSpec, Status};
//!
//! let race = RaceSpec {
//!     surface: "rosenbrock".into(),
//!     start: Some([-1.5, 2.0]),
//!     optimizers: vec!["adam:lr=0.01".into(), "newton".into(), "gd:lr=0.01".into()],
//!     steps: 200,
//!     ..RaceSpec::default()
//! }
//! .build()?;
//! let paths = race.trajectories();
//! // Newton stands on the minimum (1, 1); gd with lr = 0.01 diverges within a few steps.
//! let newton = paths[1].last().unwrap();
//! assert_eq!((newton.x, newton.y, newton.status), (1.0, 1.0, Status::Converged));
//! assert_eq!(paths[2].last().unwrap().status, Status::Diverged);
//! # Ok::<(), descent::spec::SpecError>(())
//! ```

#[cfg(feature = "gui")]
pub mod app;
pub mod atomic;
pub mod cli;
pub mod curvature;
pub mod data;
pub mod engine;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod grid;
pub mod landscape;
pub mod lecture;
pub mod metrics;
pub mod net;
pub mod noise;
pub mod optim;
pub mod polyline;
pub mod presets;
pub mod race;
pub mod real;
pub mod render;
pub mod scene;
pub mod schedule;
pub mod slice;
pub mod space;
pub mod spec;
pub mod style;
pub mod surface;
pub mod terrain;
pub mod train;

/// A point or vector in the plane.
pub type P2 = nalgebra::Vector2<f64>;
/// A 2×2 matrix (Hessians, inverse-Hessian estimates).
pub type M2 = nalgebra::Matrix2<f64>;
