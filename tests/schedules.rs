//! Schedules: closed forms at their boundaries, parsing and errors.
//! (Agreement with torch's schedulers step by step is in tests/conformance.rs.)

use descent::schedule::Schedule;

fn lr(spec: &str, t: u64) -> f64 {
    Schedule::parse(spec).unwrap().lr(1.0, t)
}

#[test]
fn closed_forms_at_their_boundaries() {
    assert_eq!(lr("constant", 123_456), 1.0);
    // step: γ^⌊t/S⌋ changes exactly at multiples of S
    assert_eq!(lr("step:step_size=10,gamma=0.5", 9), 1.0);
    assert_eq!(lr("step:step_size=10,gamma=0.5", 10), 0.5);
    assert_eq!(lr("step:step_size=10", 20), 0.1f64.powi(2));
    assert_eq!(lr("exp:gamma=0.5", 0), 1.0);
    assert_eq!(lr("exp:gamma=0.5", 3), 0.125);
    // cosine: lr at 0, halfway at T/2, η_min from T on
    assert_eq!(lr("cosine:t_max=100,eta_min=0.1", 0), 1.0);
    assert!((lr("cosine:t_max=100,eta_min=0.1", 50) - 0.55).abs() < 1e-15);
    assert_eq!(lr("cosine:t_max=100,eta_min=0.1", 100), 0.1);
    assert_eq!(lr("cosine:t_max=100,eta_min=0.1", 10_000), 0.1);
    // linear: 1 − t/T, then 0
    assert_eq!(lr("linear:t_max=4", 1), 0.75);
    assert_eq!(lr("linear:t_max=4", 4), 0.0);
    assert_eq!(lr("linear:t_max=4", 99), 0.0);
    assert_eq!(lr("invsqrt", 3), 0.5);
    // restarts: back to lr at T₀, T₀ + T₀m, …
    let r = "restarts:t_0=10,t_mult=2";
    assert_eq!(lr(r, 0), 1.0);
    assert_eq!(lr(r, 10), 1.0);
    assert_eq!(lr(r, 30), 1.0);
    assert_eq!(lr(r, 70), 1.0);
    assert!(
        (lr(r, 20) - 0.5).abs() < 1e-15,
        "halfway through the 20-step cycle"
    );
    assert_eq!(lr("restarts:t_0=5", 15), 1.0);
    // warmup: (t + 1)/W up to W, then the wrapped schedule
    assert_eq!(lr("warmup:steps=4", 0), 0.25);
    assert_eq!(lr("warmup:steps=4", 3), 1.0);
    assert_eq!(lr("warmup:steps=4", 100), 1.0);
    assert_eq!(
        lr("warmup:steps=4+step:step_size=2,gamma=0.5", 1),
        0.5 * 1.0
    );
    assert_eq!(lr("warmup:steps=4+step:step_size=2,gamma=0.5", 5), 0.25);
}

#[test]
fn schedules_scale_the_base_rate_and_stay_finite_far_out() {
    let s = Schedule::parse("cosine:t_max=10").unwrap();
    assert_eq!(s.lr(0.3, 0), 0.3);
    for spec in [
        "exp:gamma=0.9",
        "restarts:t_0=1,t_mult=3",
        "invsqrt",
        "step:step_size=1",
    ] {
        let v = lr(spec, u64::MAX / 2);
        assert!(v.is_finite() && v >= 0.0, "{spec}: {v}");
    }
}

#[test]
fn canonical_specs_read_back_to_the_same_schedule() {
    for spec in [
        "constant",
        "step:step_size=3,gamma=0.5",
        "exp:gamma=0.99",
        "cosine:t_max=50,eta_min=0.001",
        "linear:t_max=7",
        "invsqrt",
        "restarts:t_0=5,t_mult=2,eta_min=0.01",
        "warmup:steps=10+cosine:t_max=100",
        "warmup:steps=3",
    ] {
        let s = Schedule::parse(spec).unwrap();
        assert_eq!(Schedule::parse(&s.to_string()).unwrap(), s, "{spec} → {s}");
    }
}

#[test]
fn bad_schedules_explain_themselves() {
    let cases = [
        ("cosine", "cosine: missing required parameter 't_max'"),
        (
            "cosine:t_max=0",
            "cosine: t_max must be a whole number ≥ 1, got '0'",
        ),
        (
            "linear:t_max=-3",
            "linear: t_max must be a whole number ≥ 1, got '-3'",
        ),
        (
            "step:step_size=10,gamma=0",
            "step: gamma must be > 0, got '0'",
        ),
        ("exp:gamma=x", "exp: gamma must be > 0, got 'x'"),
        (
            "sawtooth",
            "unknown schedule 'sawtooth' (known: constant, step, exp, cosine, linear, invsqrt, restarts, warmup)",
        ),
        (
            "cosine:t_max=10+exp:gamma=0.9",
            "only warmup takes '+SCHEDULE'",
        ),
        (
            "warmup:steps=5+warmup:steps=2",
            "cannot wrap another warmup",
        ),
        ("warmup:steps=0", "steps must be a whole number ≥ 1"),
    ];
    for (spec, expected) in cases {
        let err = Schedule::parse(spec).unwrap_err().0;
        assert!(err.contains(expected), "{spec}: {err}");
    }
}
