//! The 3D view's axes: x and y along the base edges facing the viewer, f standing at the
//! base corner furthest left on screen, ticked at 1-2-5 numbers with short labels.

use super::{Orbit, Terrain};
use crate::grid::Scale;

impl Terrain {
    /// The axes for the camera `orbit`: x and y along the base edges nearer the viewer, f
    /// standing at the base corner furthest left on screen; 3–6 ticks each at 1, 2 or
    /// 5 × 10^k (log-spaced on a log scale), their labels just outside the box.
    pub fn axes(&self, orbit: &Orbit) -> Axes {
        const OUT: f64 = 0.12;
        let b = self.bounds;
        let [bx, by] = self.base();
        let (sy, cy) = orbit.yaw.sin_cos();
        // Nearer the viewer is smaller y' = sin(yaw)·x + cos(yaw)·y.
        let (x_edge, x_out) = if sy > 0.0 { (0, -OUT) } else { (1, OUT) };
        let (y_edge, y_out) = if cy >= 0.0 { (0, -OUT) } else { (1, OUT) };
        let x = axis(
            [[bx[0], by[y_edge], 0.0], [bx[1], by[y_edge], 0.0]],
            linear_ticks(b.x[0], b.x[1]),
            |v| self.floor(v, b.y[y_edge]),
            [0.0, y_out, 0.0],
        );
        let y = axis(
            [[bx[x_edge], by[0], 0.0], [bx[x_edge], by[1], 0.0]],
            linear_ticks(b.y[0], b.y[1]),
            |v| self.floor(b.x[x_edge], v),
            [x_out, 0.0, 0.0],
        );
        // Leftmost on screen is smallest x'' = cos(yaw)·x − sin(yaw)·y; ties go to the nearer.
        let corners = [0, 1].map(|i| [0, 1].map(|j| [bx[i], by[j]]));
        let left = |p: &[f64; 2]| cy * p[0] - sy * p[1];
        let near = |p: &[f64; 2]| sy * p[0] + cy * p[1];
        let corner = corners
            .into_iter()
            .flatten()
            .min_by(|p, q| {
                let d = left(p) - left(q);
                if d.abs() > 1e-9 {
                    d.total_cmp(&0.0)
                } else {
                    near(p).total_cmp(&near(q))
                }
            })
            .unwrap_or([bx[0], by[0]]);
        let norm = corner[0].hypot(corner[1]).max(f64::MIN_POSITIVE);
        let f_ticks = match self.scale {
            Scale::Linear { lo, hi } => linear_ticks(lo, hi),
            Scale::Log { floor, lo, hi } => log_ticks(floor, lo, hi),
        };
        let f = axis(
            [[corner[0], corner[1], 0.0], [corner[0], corner[1], 1.0]],
            f_ticks,
            |v| [corner[0], corner[1], self.scale.unit(v)],
            [OUT * corner[0] / norm, OUT * corner[1] / norm, 0.0],
        );
        Axes { x, y, f }
    }
}

/// [`Terrain::axes`]: x and y along the base, f standing at a corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Axes {
    pub x: Axis,
    pub y: Axis,
    pub f: Axis,
}

/// An axis of the 3D view, in cube coordinates (project with [`Orbit::project`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The axis line.
    pub ends: [[f64; 3]; 2],
    /// Increasing in value and along the line.
    pub ticks: Vec<Tick>,
}

/// A tick on an [`Axis`].
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub value: f64,
    /// On the axis line.
    pub at: [f64; 3],
    /// Where the label goes: outside the box, level with `at`.
    pub label_at: [f64; 3],
    /// Short: "−2", "0.5", "1.5e3".
    pub label: String,
}

/// An axis through `ends` with `ticks` = (values, step for the labels) placed by `at`.
fn axis(
    ends: [[f64; 3]; 2],
    (values, step): (Vec<f64>, f64),
    at: impl Fn(f64) -> [f64; 3],
    out: [f64; 3],
) -> Axis {
    let ticks = values
        .into_iter()
        .map(|value| {
            let p = at(value);
            Tick {
                value,
                at: p,
                label_at: [p[0] + out[0], p[1] + out[1], p[2] + out[2]],
                label: label(value, step),
            }
        })
        .collect();
    Axis { ends, ticks }
}

/// 1, 2 or 5 × 10^e for e = ⌊log10 |v|⌋, chosen by `pick` from the mantissas 1, 2, 5, 10
/// of |v|'s decade and given v's sign; 0 for 0.
fn nice(v: f64, pick: impl Fn(f64, &[f64; 4]) -> f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let e = v.abs().log10().floor() as i32;
    let unit = if e >= 0 {
        10f64.powi(e)
    } else {
        1.0 / 10f64.powi(-e)
    };
    v.signum() * pick(v.abs() / unit, &[1.0, 2.0, 5.0, 10.0]) * unit
}

/// The 1-2-5 number nearest v in ratio.
fn nice_nearest(v: f64) -> f64 {
    nice(v, |m, c| {
        c.iter()
            .copied()
            .min_by(|a, b| (m / a).ln().abs().total_cmp(&(m / b).ln().abs()))
            .unwrap_or(1.0)
    })
}

/// The 1-2-5 number nearest v on the side of `up` (≥ v if up, else ≤ v).
fn nice_toward(v: f64, up: bool) -> f64 {
    // For negative v, rounding up is rounding |v| down.
    let bigger = up == (v > 0.0);
    nice(v, |m, c| {
        let eps = 1e-9;
        if bigger {
            c.iter().copied().find(|&c| c >= m - eps).unwrap_or(10.0)
        } else {
            c.iter()
                .copied()
                .rev()
                .find(|&c| c <= m + eps)
                .unwrap_or(1.0)
        }
    })
}

/// Ticks over [a, b]: the multiples of a step 1, 2 or 5 × 10^k giving 3–6 ticks, closest
/// to 5 (the larger step on a tie); with the step, for the labels.
fn linear_ticks(a: f64, b: f64) -> (Vec<f64>, f64) {
    let span = b - a;
    if !(span > 0.0 && span.is_finite()) {
        return (Vec::new(), 0.0);
    }
    let e = span.log10().floor() as i32;
    let range = |step: f64| {
        let eps = 1e-9;
        (
            (a / step - eps).ceil() as i64,
            (b / step + eps).floor() as i64,
        )
    };
    let mut best: Option<((bool, u64), f64)> = None;
    for e in (e - 2..=e + 1).rev() {
        for m in [5.0, 2.0, 1.0] {
            let step = if e >= 0 {
                m * 10f64.powi(e)
            } else {
                m / 10f64.powi(-e)
            };
            let (first, last) = range(step);
            let count = (last - first + 1).max(0) as u64;
            let score = (!(3..=6).contains(&count), count.abs_diff(5));
            if best.is_none_or(|(s, _)| score < s) {
                best = Some((score, step));
            }
        }
    }
    let Some((_, step)) = best else {
        return (Vec::new(), 0.0);
    };
    let (first, last) = range(step);
    ((first..=last).map(|k| k as f64 * step).collect(), step)
}

/// Ticks for a [`Scale::Log`]: 1-2-5 values of f near floor + lo·(hi/lo)^u for
/// u = 0, ¼, ½, ¾, 1 (the ends rounded inward), kept where the scale maps them into [0, 1].
fn log_ticks(floor: f64, lo: f64, hi: f64) -> (Vec<f64>, f64) {
    if !(lo > 0.0 && hi > lo && floor.is_finite() && hi.is_finite()) {
        return (Vec::new(), 0.0);
    }
    let target = |u: f64| floor + lo * (hi / lo).powf(u);
    let mut values: Vec<f64> = (0..=4)
        .map(|k| match k {
            0 => nice_toward(target(0.0), true),
            4 => nice_toward(target(1.0), false),
            _ => nice_nearest(target(k as f64 / 4.0)),
        })
        .filter(|v| {
            let d = v - floor;
            d >= lo * (1.0 - 1e-9) && d <= hi * (1.0 + 1e-9)
        })
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    (values, 0.0)
}

/// A short label for v, a multiple of `step` (of itself if `step` is 0): "−2", "0.5",
/// "1.5e3" (exponent form from 10³ and below 10⁻³), with as many digits as the step needs.
fn label(v: f64, step: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 || v.abs() < step * 1e-6 {
        return "0".into();
    }
    let step = if step > 0.0 { step } else { v.abs() };
    let step_exp = step.log10().floor() as i32;
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let sign = if v < 0.0 { "\u{2212}" } else { "" };
    let a = v.abs();
    let e = a.log10().floor() as i32;
    let text = if !(-3..3).contains(&e) {
        let decimals = (e - step_exp).max(0) as usize;
        let m = trim(format!("{:.*}", decimals, a / 10f64.powi(e)));
        let minus = if e < 0 { "\u{2212}" } else { "" };
        format!("{m}e{minus}{}", e.abs())
    } else {
        trim(format!("{:.*}", (-step_exp).max(0) as usize, a))
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terrain::Heights;
    use crate::terrain::tests::{SURFACES, TOP, terrain};

    #[test]
    fn ticks_are_nice_numbers_inside_the_view_in_order() {
        let nice = |v: f64| {
            let m = v.abs() / 10f64.powf(v.abs().log10().floor());
            v == 0.0 || [1.0, 2.0, 5.0].iter().any(|c| (m - c).abs() < 1e-9)
        };
        let orbits = [
            Orbit::default(),
            TOP,
            Orbit {
                yaw: 2.5,
                pitch: 0.3,
                relief: 1.0,
            },
        ];
        for spec in SURFACES {
            for mode in [Heights::Linear, Heights::Log] {
                let (l, t) = terrain(spec, mode);
                for orbit in &orbits {
                    let axes = t.axes(orbit);
                    let f_range = match t.scale {
                        Scale::Linear { lo, hi } => [lo, hi],
                        Scale::Log { floor, lo, hi } => [floor + lo, floor + hi],
                    };
                    for (axis, [lo, hi], log) in [
                        (&axes.x, l.view.x, false),
                        (&axes.y, l.view.y, false),
                        (&axes.f, f_range, matches!(t.scale, Scale::Log { .. })),
                    ] {
                        let values: Vec<f64> = axis.ticks.iter().map(|t| t.value).collect();
                        assert!((3..=6).contains(&values.len()), "{spec} {values:?}");
                        assert!(
                            values.iter().all(|v| (lo..=hi).contains(v)),
                            "{spec} {values:?}"
                        );
                        assert!(values.windows(2).all(|w| w[0] < w[1]));
                        if log {
                            assert!(values.iter().all(|&v| nice(v)), "{spec} {values:?}");
                        } else {
                            // Multiples of a 1-2-5 step.
                            let step = values[1] - values[0];
                            assert!(nice(step), "{spec} {values:?}");
                            assert!(
                                values
                                    .iter()
                                    .all(|v| (v / step - (v / step).round()).abs() < 1e-9)
                            );
                        }
                        // On the axis line, in order along it, labels outside the base.
                        let [a, b] = axis.ends;
                        let along = |p: [f64; 3]| {
                            let d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
                            let t = ((p[0] - a[0]) * d[0]
                                + (p[1] - a[1]) * d[1]
                                + (p[2] - a[2]) * d[2])
                                / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                            let off = [0, 1, 2].map(|k| p[k] - a[k] - t * d[k]);
                            assert!(off.iter().all(|o| o.abs() < 1e-12));
                            t
                        };
                        let ts: Vec<f64> = axis.ticks.iter().map(|t| along(t.at)).collect();
                        assert!(
                            ts.windows(2).all(|w| w[0] < w[1])
                                && ts[0] >= -1e-12
                                && ts[ts.len() - 1] <= 1.0 + 1e-12
                        );
                        assert!(
                            axis.ticks
                                .iter()
                                .all(|t| t.label_at[0].abs().max(t.label_at[1].abs()) > 1.0)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn axes_run_along_the_base_edges_facing_the_viewer() {
        let (_, t) = terrain("rosenbrock", Heights::Linear);
        for yaw in [-2.5, -0.6, 0.4, 1.8, 3.0] {
            let orbit = Orbit {
                yaw,
                ..Orbit::default()
            };
            let axes = t.axes(&orbit);
            let depth = |e: [[f64; 3]; 2]| orbit.project(e[0])[2] + orbit.project(e[1])[2];
            let mirror = |e: [[f64; 3]; 2], k: usize| {
                e.map(|mut p| {
                    p[k] = -p[k];
                    p
                })
            };
            // Rosenbrock's view is square: each edge's opposite is its mirror image.
            assert!(depth(axes.x.ends) >= depth(mirror(axes.x.ends, 1)));
            assert!(depth(axes.y.ends) >= depth(mirror(axes.y.ends, 0)));
            // f stands at the corner furthest left on screen.
            let [foot, top] = axes.f.ends;
            assert_eq!((foot[2], top[2]), (0.0, 1.0));
            let left = orbit.project(foot)[0];
            for c in [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]] {
                assert!(left <= orbit.project([c[0], c[1], 0.0])[0] + 1e-12);
            }
        }
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(label(-2.0, 1.0), "\u{2212}2");
        assert_eq!(label(0.5, 0.5), "0.5");
        assert_eq!(label(1.0, 0.5), "1");
        assert_eq!(label(0.30000000000000004, 0.1), "0.3");
        assert_eq!(label(1000.0, 500.0), "1e3");
        assert_eq!(label(1500.0, 500.0), "1.5e3");
        assert_eq!(label(-2e-4, 2e-4), "\u{2212}2e\u{2212}4");
        assert_eq!(label(1e-12, 0.5), "0");
        assert_eq!(label(200.0, 0.0), "200");
    }
}
