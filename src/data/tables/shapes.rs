//! Seeded generators of class tables: the TensorFlow Playground's and scikit-learn's toy
//! shapes (spirals, moons, circles, xor) and Gaussian blobs in d dimensions.
//!
//! ChaCha8 on its own stream ([`STREAM`]), uniforms from 53 bits and Box–Muller normals, as the
//! plane datasets draw theirs: the same spec and seed give the same points on every machine.
//! Every generator draws its points class by class, then shuffles the rows with a seeded
//! Fisher–Yates permutation (scikit-learn's `shuffle=True`), so file order mixes the classes.
//! Each class gets ⌊n/K⌋ or ⌈n/K⌉ points, so every class is present once n ≥ K.

use std::f64::consts::{PI, TAU};

use super::super::generate::Draw;
use super::super::table::{MAX_CLASSES, MAX_FEATURES, MAX_VALUES};
use super::super::{MAX_POINTS, Table, Targets};
use crate::spec::{Args, Param, Range, SpecError};

/// The ChaCha stream of these generators (0 gradient noise, 1 random search, 3 the plane
/// datasets, 2³² + epoch the minibatch permutations, 5 taken, 9 [`Table::split`]).
const STREAM: u64 = 7;

/// A named table generator: its parameters and how it draws the points.
pub struct TableEntry {
    pub name: &'static str,
    /// What it draws, in words, for `descent list datasets` and the app.
    pub doc: &'static str,
    pub params: &'static [Param],
    /// The table, its `spec` left empty for [`Table::parse`] to fill in.
    pub(in crate::data) generate: fn(&Args) -> Result<Table, SpecError>,
}

const fn n(default: u64) -> Param {
    Param::count("n", default, 1, "number of points (at most 100000)").at_most(MAX_POINTS as u64)
}
const SEED: Param = Param::count("seed", 0, 0, "seed of the generator");
const fn noise(default: f64) -> Param {
    Param::real(
        "noise",
        default,
        Range::NON_NEGATIVE,
        "standard deviation of the Gaussian noise added to every coordinate",
    )
    .log(0.0, 1.0, 1e-3)
}
const fn classes(default: u64) -> Param {
    Param::count("classes", default, 2, "number of classes K (at most 1000)")
        .at_most(MAX_CLASSES as u64)
}

/// The number of points and of classes, every class given at least one point.
fn sizes(args: &Args, classes: u64) -> Result<(usize, usize), SpecError> {
    let n = args.count("n");
    if n < classes {
        return Err(args.error(format!(
            "n must be at least the number of classes ({classes}) so that every class has a \
             point, got n={n}"
        )));
    }
    Ok((n as usize, classes as usize))
}

/// Points of class k: ⌊n/K⌋, one more for the first n mod K classes (make_blobs' split).
fn share(n: usize, k: usize, class: usize) -> usize {
    n / k + usize::from(class < n % k)
}

/// i-th of m points evenly spaced from `lo` to `hi`, both included (numpy's `linspace`; `lo`
/// alone when m = 1).
fn linspace(lo: f64, hi: f64, m: usize, i: usize) -> f64 {
    if m < 2 {
        lo
    } else {
        lo + (hi - lo) * i as f64 / (m - 1) as f64
    }
}

/// Points drawn class by class, then shuffled into a table.
struct Points {
    dims: usize,
    features: Vec<f64>,
    labels: Vec<usize>,
}

impl Points {
    fn new(dims: usize, n: usize) -> Self {
        Self {
            dims,
            features: Vec::with_capacity(n * dims),
            labels: Vec::with_capacity(n),
        }
    }
    /// A plane point (x₁, x₂) plus `noise`·ε, ε ~ N(0, I).
    fn push2(&mut self, draw: &mut Draw, [x1, x2]: [f64; 2], noise: f64, label: usize) {
        let [e1, e2] = draw.normal_pair();
        self.features.extend([x1 + noise * e1, x2 + noise * e2]);
        self.labels.push(label);
    }
    fn shuffled(self, draw: &mut Draw, classes: usize) -> Table {
        let order = draw.permutation(self.labels.len());
        let d = self.dims;
        Table {
            spec: String::new(),
            dims: d,
            features: order
                .iter()
                .flat_map(|&i| &self.features[i * d..(i + 1) * d])
                .copied()
                .collect(),
            targets: Targets::Classes {
                labels: order.iter().map(|&i| self.labels[i]).collect(),
                classes,
            },
        }
    }
}

/// K interleaved spiral arms (the TensorFlow Playground's spiral, `classifySpiralData` in its
/// `dataset.ts`, generalized to K arms as CS231n's "spiral data"): point i of the m points of
/// arm k has radius r = i/m and angle t = 2π·(turns·r + k/K), at r·(sin t, cos t) plus
/// noise·ε. K = 2 gives the Playground's arms (offset by π, 1.75 turns).
fn spirals(args: &Args) -> Result<Table, SpecError> {
    let (n, k) = sizes(args, args.count("classes"))?;
    let (noise, turns) = (args.real("noise"), args.real("turns"));
    let mut draw = Draw::on_stream(args.count("seed"), STREAM);
    let mut points = Points::new(2, n);
    for class in 0..k {
        let m = share(n, k, class);
        for i in 0..m {
            let r = i as f64 / m as f64;
            let (s, c) = (TAU * (turns * r + class as f64 / k as f64)).sin_cos();
            points.push2(&mut draw, [r * s, r * c], noise, class);
        }
    }
    Ok(points.shuffled(&mut draw, k))
}

/// Two interleaving half circles, scikit-learn's `make_moons`
/// (<https://scikit-learn.org/stable/modules/generated/sklearn.datasets.make_moons.html>):
/// n_out = ⌊n/2⌋ points of class 0 at (cos t, sin t) and n_in = n − n_out of class 1 at
/// (1 − cos t, 1 − sin t − ½), t evenly spaced over [0, π] (ends included), plus noise·ε.
fn moons(args: &Args) -> Result<Table, SpecError> {
    let (n, _) = sizes(args, 2)?;
    let noise = args.real("noise");
    let mut draw = Draw::on_stream(args.count("seed"), STREAM);
    let mut points = Points::new(2, n);
    let (n_out, n_in) = (n / 2, n - n / 2);
    for i in 0..n_out {
        let (s, c) = linspace(0.0, PI, n_out, i).sin_cos();
        points.push2(&mut draw, [c, s], noise, 0);
    }
    for i in 0..n_in {
        let (s, c) = linspace(0.0, PI, n_in, i).sin_cos();
        points.push2(&mut draw, [1.0 - c, 1.0 - s - 0.5], noise, 1);
    }
    Ok(points.shuffled(&mut draw, 2))
}

/// A circle inside a larger one, scikit-learn's `make_circles`
/// (<https://scikit-learn.org/stable/modules/generated/sklearn.datasets.make_circles.html>):
/// n_out = ⌊n/2⌋ points of class 0 on the unit circle and n_in = n − n_out of class 1 on the
/// circle of radius `factor`, angles evenly spaced over [0, 2π) (end excluded), plus noise·ε.
fn circles(args: &Args) -> Result<Table, SpecError> {
    let (n, _) = sizes(args, 2)?;
    let (noise, factor) = (args.real("noise"), args.real("factor"));
    let mut draw = Draw::on_stream(args.count("seed"), STREAM);
    let mut points = Points::new(2, n);
    for (class, m, radius) in [(0, n / 2, 1.0), (1, n - n / 2, factor)] {
        for i in 0..m {
            let (s, c) = (TAU * i as f64 / m as f64).sin_cos();
            points.push2(&mut draw, [radius * c, radius * s], noise, class);
        }
    }
    Ok(points.shuffled(&mut draw, 2))
}

/// The TensorFlow Playground's exclusive or (`classifyXORData` in its `dataset.ts`): points
/// uniform in the square [−1, 1]², class 1 where x₁·x₂ > 0 and 0 where x₁·x₂ < 0, labelled
/// before noise·ε is added. Classes alternate point by point (each point uniform in the two
/// quadrants of its class), so they are balanced and the points are uniform in the square.
fn xor(args: &Args) -> Result<Table, SpecError> {
    let (n, _) = sizes(args, 2)?;
    let noise = args.real("noise");
    let mut draw = Draw::on_stream(args.count("seed"), STREAM);
    let mut points = Points::new(2, n);
    for i in 0..n {
        let class = i % 2;
        // Magnitudes in (0, 1], so that no point lies on an axis.
        let (a, b) = (1.0 - draw.uniform(0.0, 1.0), 1.0 - draw.uniform(0.0, 1.0));
        let sign = if draw.uniform(0.0, 1.0) < 0.5 {
            -1.0
        } else {
            1.0
        };
        let same = if class == 1 { 1.0 } else { -1.0 };
        points.push2(&mut draw, [sign * a, same * sign * b], noise, class);
    }
    Ok(points.shuffled(&mut draw, 2))
}

/// K Gaussian blobs in d dimensions, scikit-learn's `make_blobs` with `centers=K`
/// (<https://scikit-learn.org/stable/modules/generated/sklearn.datasets.make_blobs.html>):
/// the centres are drawn (seeded) uniformly in its default `center_box` [−10, 10]^d, then the
/// points of class k are its centre plus spread·ε, ε ~ N(0, I_d).
fn gauss(args: &Args) -> Result<Table, SpecError> {
    let (n, k) = sizes(args, args.count("classes"))?;
    let d = args.count("dims") as usize;
    if n * d > MAX_VALUES {
        return Err(args.error(format!(
            "n·dims must be at most {MAX_VALUES} numbers, got n={n} with dims={d}"
        )));
    }
    let spread = args.real("spread");
    let mut draw = Draw::on_stream(args.count("seed"), STREAM);
    let centres: Vec<f64> = (0..k * d).map(|_| draw.uniform(-10.0, 10.0)).collect();
    let mut points = Points::new(d, n);
    let mut noise = vec![0.0; d];
    for class in 0..k {
        for _ in 0..share(n, k, class) {
            for pair in noise.chunks_mut(2) {
                let e = draw.normal_pair();
                pair.copy_from_slice(&e[..pair.len()]);
            }
            let centre = &centres[class * d..(class + 1) * d];
            let point = centre.iter().zip(&noise).map(|(c, e)| c + spread * e);
            points.features.extend(point);
            points.labels.push(class);
        }
    }
    Ok(points.shuffled(&mut draw, k))
}

/// All table generators, in the order `descent list datasets` shows them.
pub static TABLES: &[TableEntry] = &[
    TableEntry {
        name: "spirals",
        doc: "K interleaved spiral arms (TensorFlow Playground, CS231n), points split evenly",
        params: &[
            n(300),
            classes(2),
            noise(0.05),
            Param::real("turns", 1.75, Range::POSITIVE, "turns of each arm").linear(0.25, 4.0),
            SEED,
        ],
        generate: spirals,
    },
    TableEntry {
        name: "moons",
        doc: "two interleaving half circles (scikit-learn's make_moons)",
        params: &[n(200), noise(0.1), SEED],
        generate: moons,
    },
    TableEntry {
        name: "circles",
        doc: "a circle of radius `factor` inside the unit circle (scikit-learn's make_circles)",
        params: &[
            n(200),
            noise(0.05),
            Param::real(
                "factor",
                0.8,
                Range::UNIT_OPEN,
                "radius of the inner circle (the outer one is 1)",
            )
            .linear(0.0, 0.99),
            SEED,
        ],
        generate: circles,
    },
    TableEntry {
        name: "xor",
        doc: "uniform in [-1, 1]², class 1 where x1·x2 > 0 (TensorFlow Playground's xor)",
        params: &[n(200), noise(0.05), SEED],
        generate: xor,
    },
    TableEntry {
        name: "gauss",
        doc: "K Gaussian blobs in d dimensions, centres drawn in [-10, 10]^d (make_blobs)",
        params: &[
            n(200),
            classes(3),
            Param::count("dims", 2, 1, "number of features d (at most 1000)")
                .at_most(MAX_FEATURES as u64),
            Param::real(
                "spread",
                1.0,
                Range::POSITIVE,
                "standard deviation of each blob",
            )
            .log(0.01, 10.0, 0.01),
            SEED,
        ],
        generate: gauss,
    },
];

#[cfg(test)]
#[path = "shapes_tests.rs"]
mod tests;
