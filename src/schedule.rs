//! Learning-rate schedules in closed form: `lr(t)` for the update t = 0, 1, 2, …
//!
//! Each scales an optimizer's own base lr exactly as the named torch.optim.lr_scheduler
//! stepped once per optimizer step would (their closed forms, `_get_closed_form_lr`), so the
//! app's timeline can jump to any step. Specs: `constant`, `step:step_size=S,gamma=G`,
//! `exp:gamma=G`, `cosine:t_max=T,eta_min=M`, `linear:t_max=T`, `invsqrt`,
//! `restarts:t_0=T,t_mult=M,eta_min=E`, and `warmup:steps=W+SCHEDULE`.

use std::f64::consts::PI;
use std::fmt;

use crate::spec::{Args, Param, Range, SpecError, lookup, spec_err, split_spec};

/// A learning-rate schedule.
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    /// lr
    Constant,
    /// lr·γ^⌊t/S⌋ — torch `StepLR(step_size=S, gamma=γ)`.
    Step { step_size: u64, gamma: f64 },
    /// lr·γ^t — torch `ExponentialLR(gamma=γ)`.
    Exp { gamma: f64 },
    /// η_min + (lr − η_min)(1 + cos(π·min(t, T)/T))/2 — torch `CosineAnnealingLR(T_max=T, eta_min)`
    /// (Loshchilov & Hutter, SGDR, 2017). Held at η_min after T, as optax's `cosine_decay_schedule`
    /// does; torch's closed form would climb back up.
    Cosine { t_max: u64, eta_min: f64 },
    /// lr·max(0, 1 − t/T) — torch `PolynomialLR(total_iters=T, power=1)`.
    Linear { t_max: u64 },
    /// lr/√(t + 1) — the inverse-square-root decay of Vaswani et al. (2017) without warmup;
    /// torch `LambdaLR(lambda t: 1/sqrt(t+1))`.
    InvSqrt,
    /// Cosine annealing restarted after T₀, then T₀·m, T₀·m², … steps — torch
    /// `CosineAnnealingWarmRestarts(T_0, T_mult=m, eta_min)` (SGDR).
    Restarts { t_0: u64, t_mult: u64, eta_min: f64 },
    /// Any schedule multiplied by min(1, (t + 1)/W) — torch `LinearLR(start_factor=1/W,
    /// total_iters=W−1)` chained with it (Goyal et al., "Accurate, large minibatch SGD", 2017).
    Warmup { steps: u64, then: Box<Schedule> },
}

/// A named schedule kind with its parameters, for parsing and `descent list`.
pub struct ScheduleEntry {
    pub name: &'static str,
    pub formula: &'static str,
    pub params: &'static [Param],
    build: fn(&Args) -> Schedule,
}

/// All schedule kinds (warmup wraps another: `warmup:steps=W+cosine:t_max=T`).
pub static SCHEDULES: &[ScheduleEntry] = &[
    ScheduleEntry {
        name: "constant",
        formula: "lr",
        params: &[],
        build: |_| Schedule::Constant,
    },
    ScheduleEntry {
        name: "step",
        formula: "lr·γ^⌊t/S⌋ (torch StepLR)",
        params: &[
            Param::required_count("step_size", 1, "steps S between decays"),
            Param::real("gamma", 0.1, Range::POSITIVE, "factor γ per decay").log(0.0, 10.0, 1e-4),
        ],
        build: |a| Schedule::Step {
            step_size: a.count("step_size"),
            gamma: a.real("gamma"),
        },
    },
    ScheduleEntry {
        name: "exp",
        formula: "lr·γ^t (torch ExponentialLR)",
        params: &[
            Param::required("gamma", Range::POSITIVE, "factor γ per step").log(0.0, 10.0, 1e-4),
        ],
        build: |a| Schedule::Exp {
            gamma: a.real("gamma"),
        },
    },
    ScheduleEntry {
        name: "cosine",
        formula: "η_min + (lr − η_min)(1 + cos(π·min(t,T)/T))/2 (torch CosineAnnealingLR)",
        params: &[
            Param::required_count("t_max", 1, "steps T to reach η_min"),
            Param::real(
                "eta_min",
                0.0,
                Range::NON_NEGATIVE,
                "final learning rate η_min",
            )
            .log(0.0, 10.0, 1e-4),
        ],
        build: |a| Schedule::Cosine {
            t_max: a.count("t_max"),
            eta_min: a.real("eta_min"),
        },
    },
    ScheduleEntry {
        name: "linear",
        formula: "lr·max(0, 1 − t/T) (torch PolynomialLR, power 1)",
        params: &[Param::required_count("t_max", 1, "steps T to reach 0")],
        build: |a| Schedule::Linear {
            t_max: a.count("t_max"),
        },
    },
    ScheduleEntry {
        name: "invsqrt",
        formula: "lr/√(t+1)",
        params: &[],
        build: |_| Schedule::InvSqrt,
    },
    ScheduleEntry {
        name: "restarts",
        formula: "cosine from lr to η_min over T₀, T₀·m, T₀·m², … steps (torch CosineAnnealingWarmRestarts)",
        params: &[
            Param::required_count("t_0", 1, "length T₀ of the first cycle"),
            Param::count("t_mult", 1, 1, "factor m by which each cycle grows"),
            Param::real(
                "eta_min",
                0.0,
                Range::NON_NEGATIVE,
                "lowest learning rate η_min",
            )
            .log(0.0, 10.0, 1e-4),
        ],
        build: |a| Schedule::Restarts {
            t_0: a.count("t_0"),
            t_mult: a.count("t_mult"),
            eta_min: a.real("eta_min"),
        },
    },
    ScheduleEntry {
        name: "warmup",
        formula: "min(1, (t+1)/W) × the schedule after '+' (default constant)",
        params: &[Param::required_count("steps", 1, "warmup length W")],
        build: |a| Schedule::Warmup {
            steps: a.count("steps"),
            then: Box::new(Schedule::Constant),
        },
    },
];

impl Schedule {
    /// Parse a spec such as `cosine:t_max=200` or `warmup:steps=20+step:step_size=50`.
    pub fn parse(text: &str) -> Result<Self, SpecError> {
        let text = text.trim();
        let (head, tail) = match warmup_separator(text) {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let (name, pairs) = split_spec(head)?;
        let entry = lookup("schedule", name, SCHEDULES, |e| e.name)?;
        let mut schedule = (entry.build)(&Args::parse(name, entry.params, &pairs)?);
        match (&mut schedule, tail) {
            (Schedule::Warmup { then, .. }, Some(tail)) => {
                let inner = Schedule::parse(tail)?;
                if matches!(inner, Schedule::Warmup { .. }) {
                    return Err(spec_err!("warmup: cannot wrap another warmup ('{text}')"));
                }
                **then = inner;
            }
            (Schedule::Warmup { .. }, None) => {}
            (_, Some(_)) => {
                return Err(spec_err!(
                    "schedule '{text}': only warmup takes '+SCHEDULE' (e.g. warmup:steps=10+cosine:t_max=100)"
                ));
            }
            (_, None) => {}
        }
        Ok(schedule)
    }

    /// The learning rate applied by update `t` for an optimizer whose own lr is `base`.
    /// Inlined for the constant schedule (the stepping loops call it every step); the others
    /// are [`Schedule::varying_lr`].
    #[inline]
    pub fn lr(&self, base: f64, t: u64) -> f64 {
        match self {
            Schedule::Constant => base,
            _ => self.varying_lr(base, t),
        }
    }

    /// [`Schedule::lr`] of every schedule, out of line.
    fn varying_lr(&self, base: f64, t: u64) -> f64 {
        match self {
            Schedule::Constant => base,
            Schedule::Step { step_size, gamma } => base * gamma.powf((t / step_size) as f64),
            Schedule::Exp { gamma } => base * gamma.powf(t as f64),
            Schedule::Cosine { t_max, eta_min } => {
                cosine(base, *eta_min, t.min(*t_max) as f64, *t_max as f64)
            }
            Schedule::Linear { t_max } => base * (1.0 - t.min(*t_max) as f64 / *t_max as f64),
            Schedule::InvSqrt => base / ((t as f64) + 1.0).sqrt(),
            Schedule::Restarts {
                t_0,
                t_mult,
                eta_min,
            } => {
                let (mut t_cur, mut t_i) = (t, *t_0);
                if *t_mult == 1 {
                    t_cur %= t_i;
                } else {
                    while t_cur >= t_i {
                        t_cur -= t_i;
                        t_i = t_i.saturating_mul(*t_mult);
                    }
                }
                cosine(base, *eta_min, t_cur as f64, t_i as f64)
            }
            Schedule::Warmup { steps, then } => {
                let factor = ((t as f64 + 1.0) / *steps as f64).min(1.0);
                factor * then.lr(base, t)
            }
        }
    }
}

/// Where `warmup:…+SCHEDULE` splits: the first `+` that is not the sign of a number's
/// exponent (`exp:gamma=1e+0` has none).
fn warmup_separator(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    text.match_indices('+').map(|(i, _)| i).find(|&i| {
        let exponent_sign = i >= 2
            && matches!(bytes[i - 1], b'e' | b'E')
            && (bytes[i - 2].is_ascii_digit() || bytes[i - 2] == b'.');
        !exponent_sign
    })
}

/// η_min + (lr − η_min)(1 + cos(πt/T))/2. When lr − η_min overflows (η_min near f64::MAX),
/// the same value as the convex combination η_min·(1 − c) + lr·c, kept between lr and η_min,
/// so the learning rate stays finite for every accepted η_min.
fn cosine(base: f64, eta_min: f64, t: f64, period: f64) -> f64 {
    let c = (1.0 + (PI * t / period).cos()) / 2.0;
    let lr = eta_min + (base - eta_min) * (1.0 + (PI * t / period).cos()) / 2.0;
    if lr.is_finite() {
        lr
    } else {
        (eta_min * (1.0 - c) + base * c).clamp(base.min(eta_min), base.max(eta_min))
    }
}

impl fmt::Display for Schedule {
    /// The canonical spec, which [`Schedule::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Constant => write!(f, "constant"),
            Schedule::Step { step_size, gamma } => {
                write!(f, "step:step_size={step_size},gamma={gamma:?}")
            }
            Schedule::Exp { gamma } => write!(f, "exp:gamma={gamma:?}"),
            Schedule::Cosine { t_max, eta_min } => {
                write!(f, "cosine:t_max={t_max},eta_min={eta_min:?}")
            }
            Schedule::Linear { t_max } => write!(f, "linear:t_max={t_max}"),
            Schedule::InvSqrt => write!(f, "invsqrt"),
            Schedule::Restarts {
                t_0,
                t_mult,
                eta_min,
            } => write!(f, "restarts:t_0={t_0},t_mult={t_mult},eta_min={eta_min:?}"),
            Schedule::Warmup { steps, then } => write!(f, "warmup:steps={steps}+{then}"),
        }
    }
}
