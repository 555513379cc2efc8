//! Seeded dataset generators. ChaCha8 (specified bit for bit) on its own stream, uniforms from
//! 53 random bits and normals by Box–Muller ([`crate::noise`]): the same spec and seed give the
//! same points on every machine and in every release.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use super::batch::below;
use super::{DataKind, MAX_POINTS, Point};
use crate::noise::normal_pair;
use crate::spec::{Args, Param, Range, SpecError};

/// A named generator: its parameters and how it draws the points.
pub struct DatasetEntry {
    pub name: &'static str,
    /// What it draws, in words, for `descent list datasets` and the app.
    pub doc: &'static str,
    pub kind: DataKind,
    pub params: &'static [Param],
    pub(super) generate: fn(&Args) -> Result<Vec<Point>, SpecError>,
}

/// The ChaCha stream of dataset draws (0 is the gradient noise, 1 random search's samples).
const STREAM: u64 = 3;

/// Seeded draws: uniforms, normals, bounded integers and permutations from one ChaCha stream.
pub(super) struct Draw(ChaCha8Rng);

impl Draw {
    fn new(args: &Args) -> Self {
        Self::on_stream(args.count("seed"), STREAM)
    }
    /// ChaCha8 seeded with `seed` on the stream `stream` (each user of random numbers owns one).
    pub(super) fn on_stream(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Self(rng)
    }
    /// Uniform in [lo, hi).
    pub(super) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let u = (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        lo + (hi - lo) * u
    }
    /// One standard normal deviate (the first of a Box–Muller pair; the second is dropped).
    pub(super) fn normal(&mut self) -> f64 {
        normal_pair(&mut self.0).x
    }
    /// Two independent standard normal deviates (one Box–Muller pair).
    pub(super) fn normal_pair(&mut self) -> [f64; 2] {
        let p = normal_pair(&mut self.0);
        [p.x, p.y]
    }
    /// A uniformly random permutation of 0 … n−1: a Fisher–Yates shuffle with unbiased
    /// bounded integers, as [`super::batch`] shuffles an epoch.
    pub(super) fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = below(&mut self.0, i as u64 + 1) as usize;
            order.swap(i, j);
        }
        order
    }
}

const fn n(default: u64) -> Param {
    Param::count("n", default, 1, "number of points (at most 100000)")
}
const SEED: Param = Param::count("seed", 0, 0, "seed of the generator");
const SLOPE: Param = Param::real("slope", 2.0, Range::ANY, "slope of the true line");
const INTERCEPT: Param = Param::real("intercept", 1.0, Range::ANY, "intercept of the true line");
const fn noise(default: f64) -> Param {
    Param::real(
        "noise",
        default,
        Range::NON_NEGATIVE,
        "standard deviation of y around the line",
    )
    .log(0.0, 10.0, 1e-3)
}
const HALF_WIDTH: Param = Param::real(
    "width",
    2.0,
    Range::POSITIVE,
    "x is drawn uniformly from [-width, width]",
);

fn count(args: &Args) -> Result<usize, SpecError> {
    let n = args.count("n");
    if n > MAX_POINTS as u64 {
        return Err(args.error(format!(
            "n must be a whole number in 1 ..= {MAX_POINTS}, got {n}"
        )));
    }
    Ok(n as usize)
}

/// y = slope·x + intercept + noise·ε, x ~ U[−width, width], ε ~ N(0, 1).
fn line(args: &Args) -> Result<Vec<Point>, SpecError> {
    let n = count(args)?;
    let (a, b, s, w) = (
        args.real("slope"),
        args.real("intercept"),
        args.real("noise"),
        args.real("width"),
    );
    let mut draw = Draw::new(args);
    Ok((0..n)
        .map(|_| {
            let x = draw.uniform(-w, w);
            let e = draw.normal();
            Point {
                x,
                y: a * x + b + s * e,
                label: 0.0,
            }
        })
        .collect())
}

/// A line whose last `count` points (the largest x) are moved by `offset`: gross outliers.
fn outliers(args: &Args) -> Result<Vec<Point>, SpecError> {
    let mut points = sorted_line(args)?;
    let k = args.count("count") as usize;
    if k >= points.len() {
        return Err(args.error(format!(
            "count must be smaller than n, got count={k} with n={}",
            points.len()
        )));
    }
    let offset = args.real("offset");
    let n = points.len();
    for p in &mut points[n - k..] {
        p.y += offset;
    }
    Ok(points)
}

/// [`line`] with its points ordered by x.
fn sorted_line(args: &Args) -> Result<Vec<Point>, SpecError> {
    let mut points = line(args)?;
    points.sort_by(|p, q| p.x.total_cmp(&q.x));
    Ok(points)
}

/// Two Gaussian classes with centres ±(separation/2)·(cos angle, sin angle) and standard
/// deviation `spread`; labels alternate 1, −1, 1, … so that file order mixes the classes.
fn blobs(args: &Args) -> Result<Vec<Point>, SpecError> {
    let n = count(args)?;
    if n < 2 {
        return Err(args.error("n must be at least 2 (one point of each class)"));
    }
    let (sep, spread) = (args.real("separation"), args.real("spread"));
    let (s, c) = args.real("angle").to_radians().sin_cos();
    let mut draw = Draw::new(args);
    Ok((0..n)
        .map(|i| {
            let label = if i % 2 == 0 { 1.0 } else { -1.0 };
            let (ex, ey) = (draw.normal(), draw.normal());
            Point {
                x: label * sep / 2.0 * c + spread * ex,
                y: label * sep / 2.0 * s + spread * ey,
                label,
            }
        })
        .collect())
}

const LINE_PARAMS: [Param; 6] = [n(50), SLOPE, INTERCEPT, noise(0.5), HALF_WIDTH, SEED];

/// All generators, in the order `descent list datasets` shows them.
pub static DATASETS: &[DatasetEntry] = &[
    DatasetEntry {
        name: "line",
        doc: "y = slope·x + intercept + noise·ε, x uniform in [-width, width], ε ~ N(0, 1)",
        kind: DataKind::Regression,
        params: &LINE_PARAMS,
        generate: line,
    },
    DatasetEntry {
        name: "outliers",
        doc: "a line (ordered by x) whose last `count` points are moved by `offset`",
        kind: DataKind::Regression,
        params: &[
            n(30),
            SLOPE,
            INTERCEPT,
            noise(0.3),
            HALF_WIDTH,
            SEED,
            Param::count("count", 3, 0, "number of outliers (the largest x)"),
            Param::real(
                "offset",
                -12.0,
                Range::ANY,
                "how far the outliers are moved in y",
            ),
        ],
        generate: outliers,
    },
    DatasetEntry {
        name: "blobs",
        doc: "two Gaussian classes (labels alternate 1, -1, …), centres ±separation/2 along `angle`",
        kind: DataKind::Classification,
        params: &[
            n(100),
            Param::real(
                "separation",
                3.0,
                Range::NON_NEGATIVE,
                "distance between the centres",
            )
            .linear(0.0, 10.0),
            Param::real(
                "spread",
                1.0,
                Range::POSITIVE,
                "standard deviation of each class",
            )
            .log(0.01, 10.0, 0.01),
            Param::real(
                "angle",
                30.0,
                Range::new(-360.0, true, 360.0, true),
                "direction of the centres in degrees",
            )
            .degrees(-180.0, 180.0),
            SEED,
        ],
        generate: blobs,
    },
    DatasetEntry {
        name: "sorted-line",
        doc: "the `line` points ordered by x (for the shuffling lesson)",
        kind: DataKind::Regression,
        params: &LINE_PARAMS,
        generate: sorted_line,
    },
];

#[cfg(test)]
mod tests {
    use super::super::Dataset;

    #[test]
    fn same_spec_same_points_other_seed_other_points() {
        for name in ["line", "outliers", "blobs", "sorted-line"] {
            let a = Dataset::parse(name).unwrap();
            assert_eq!(a, Dataset::parse(name).unwrap(), "{name}");
            let b = Dataset::parse(&format!("{name}:seed=1")).unwrap();
            assert_ne!(a.points, b.points, "{name}");
        }
    }

    #[test]
    fn generators_draw_what_they_say() {
        let d = Dataset::parse("line:n=2000,slope=-1,intercept=3,noise=0.1").unwrap();
        let mean_residual = d.points.iter().map(|p| p.y - (3.0 - p.x)).sum::<f64>() / 2000.0;
        assert!(mean_residual.abs() < 0.01, "{mean_residual}");
        assert!(d.points.iter().all(|p| p.x.abs() <= 2.0));
        let s = Dataset::parse("sorted-line").unwrap();
        assert!(s.points.windows(2).all(|w| w[0].x <= w[1].x));
        let o = Dataset::parse("outliers:noise=0,count=2,offset=-10").unwrap();
        let off: Vec<f64> = o.points.iter().map(|p| p.y - (2.0 * p.x + 1.0)).collect();
        assert_eq!(off.iter().filter(|r| r.abs() > 9.0).count(), 2);
        assert!(off[28] < -9.0 && off[29] < -9.0, "the largest x are moved");
        let b = Dataset::parse("blobs:n=1000,separation=4,spread=0.5,angle=0").unwrap();
        let mean_x_of_positives = b
            .points
            .iter()
            .filter(|p| p.label == 1.0)
            .map(|p| p.x)
            .sum::<f64>()
            / 500.0;
        assert!(
            (mean_x_of_positives - 2.0).abs() < 0.1,
            "{mean_x_of_positives}"
        );
    }

    #[test]
    fn bad_parameters_are_refused_in_one_line() {
        let e = |s| Dataset::parse(s).unwrap_err().0;
        assert!(
            e("line:n=0").contains("n must be a whole number ≥ 1"),
            "{}",
            e("line:n=0")
        );
        assert!(
            e("line:n=200000").contains("1 ..= 100000"),
            "{}",
            e("line:n=200000")
        );
        assert!(
            e("line:noise=-1").contains("noise must be ≥ 0"),
            "{}",
            e("line:noise=-1")
        );
        assert!(e("outliers:n=3,count=3").contains("count must be smaller than n"));
        assert!(e("blobs:n=1").contains("at least 2"));
        assert!(e("line:bogus=1").contains("unknown parameter 'bogus'"));
    }
}
