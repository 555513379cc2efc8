//! The parameters several optimizer families share, as torch.optim names and defaults them.

use crate::spec::{Args, Param, Range, SpecError};

/// No checks across parameters (their ranges are checked by [`Args`]).
pub(super) fn no_check(_: &Args) -> Result<(), SpecError> {
    Ok(())
}

pub(super) const LR: Range = Range::NON_NEGATIVE;
pub(super) const fn lr(default: f64) -> Param {
    Param::real("lr", default, LR, "learning rate").log(1e-5, 10.0, 1e-5)
}
pub(super) const WEIGHT_DECAY: Param = Param::real(
    "weight_decay",
    0.0,
    Range::NON_NEGATIVE,
    "L2 penalty added to the gradient: g + wd·p",
)
.log(0.0, 10.0, 1e-4);
pub(super) const fn momentum(default: f64) -> Param {
    Param::real(
        "momentum",
        default,
        Range::NON_NEGATIVE,
        "momentum factor μ",
    )
    .linear(0.0, 0.9999)
}
pub(super) const BETA1: Param = Param::real(
    "beta1",
    0.9,
    Range::UNIT_OPEN,
    "decay β₁ of the first moment",
)
.linear(0.0, 0.9999);
pub(super) const BETA2: Param = Param::real(
    "beta2",
    0.999,
    Range::UNIT_OPEN,
    "decay β₂ of the second moment",
)
.linear(0.0, 0.9999);
pub(super) const EPS8: Param = Param::real(
    "eps",
    1e-8,
    Range::NON_NEGATIVE,
    "term added to the denominator",
)
.log(0.0, 1.0, 1e-12);
