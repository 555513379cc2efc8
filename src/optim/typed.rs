//! The optimizers as concrete types, for code that monomorphizes over them (the engine in
//! `crate::engine` steps thousands of runs and must not pay a virtual call per step).
//!
//! [`OptimizerEntry::visit_typed`] hands a visitor a constructor `&Args -> O` of the entry's
//! concrete type. The first-order family and Newton have one; the line-search, quasi-Newton
//! and direct methods, whose steps are dominated by extra evaluations, go through [`Boxed`].

use super::{OptimizerEntry, Oracle, State, StepError, adaptive, newton, sgd};
use crate::P2;
use crate::optim::Optimizer;
use crate::spec::{Args, SpecError};

/// The concrete type of an entry's optimizer, named in its entry (beside its rule in its
/// family's file); [`Typed::Boxed`] for the methods stepped through [`Boxed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Typed {
    Sgd,
    Adagrad,
    RmsProp,
    Adadelta,
    Adam,
    AdamW,
    NAdam,
    Newton,
    Boxed,
}

/// Something generic over an optimizer type, called with that type's constructor.
pub trait OptimizerVisitor {
    type Output;
    fn visit<O: Optimizer, F: Fn(&Args) -> O + Copy + Send + Sync>(self, make: F) -> Self::Output;
}

/// A boxed optimizer behind the [`Optimizer`] trait: the fallback of [`OptimizerEntry::visit_typed`].
pub struct Boxed(pub Box<dyn Optimizer>);

impl Optimizer for Boxed {
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        self.0.step(oracle, x, lr)
    }
    fn state(&self) -> State {
        self.0.state()
    }
}

impl OptimizerEntry {
    /// Call `visitor` with a constructor of this entry's optimizer as its concrete type:
    /// it builds, from the same `Args`, the same optimizer as the entry's boxed builder.
    pub fn visit_typed<V: OptimizerVisitor>(&self, visitor: V) -> V::Output {
        match self.typed {
            Typed::Sgd => visitor.visit(sgd::new::<P2>),
            Typed::Adagrad => visitor.visit(adaptive::new_adagrad::<P2>),
            Typed::RmsProp => visitor.visit(adaptive::new_rmsprop::<P2>),
            Typed::Adadelta => visitor.visit(adaptive::new_adadelta::<P2>),
            Typed::Adam => visitor.visit(adaptive::new_adam::<P2>),
            Typed::AdamW => visitor.visit(adaptive::new_adamw::<P2>),
            Typed::NAdam => visitor.visit(adaptive::new_nadam::<P2>),
            Typed::Newton => visitor.visit(newton::new::<P2>),
            Typed::Boxed => {
                let build = self.build;
                visitor.visit(move |a: &Args| Boxed(build(a)))
            }
        }
    }

    /// The checks across parameters a spec of this optimizer must pass (e.g. Nesterov needs
    /// momentum), for arguments edited after parsing (a phase diagram's cells).
    pub fn check(&self, args: &Args) -> Result<(), SpecError> {
        (self.validate)(args)
    }

    /// A fresh boxed optimizer from these arguments.
    pub fn build_boxed(&self, args: &Args) -> Box<dyn Optimizer> {
        (self.build)(args)
    }
}
