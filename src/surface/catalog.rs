//! The catalogue of named surfaces.
//!
//! Test functions follow the standard literature: M. Jamil & X.-S. Yang, "A literature survey
//! of benchmark functions for global optimization problems", IJMMNO 4(2), 2013, and
//! S. Surjanovic & D. Bingham, "Virtual Library of Simulation Experiments" (SFU), whose
//! published minima are listed here and re-located to full precision by Newton's method.

use super::{Analytic, Bounds, CriticalKind, Formula, Surface, locate_critical};
use crate::P2;
use crate::real::Real;
use crate::spec::{Args, Param, Range, SpecError};

use CriticalKind::{GlobalMinimum as Min, LocalMinimum as Local, Maximum as Max, Saddle};

/// A named surface: its formula in words, its parameters, and how to build it.
pub struct SurfaceEntry {
    pub name: &'static str,
    /// The formula, in Unicode, for `descent list` and the app.
    pub formula: &'static str,
    pub params: &'static [Param],
    pub build: fn(&Args) -> Result<Analytic, SpecError>,
}

fn analytic(
    surface: impl Surface + 'static,
    view: Bounds,
    start: (f64, f64),
    critical: &[((f64, f64), CriticalKind)],
) -> Result<Analytic, SpecError> {
    let approx: Vec<_> = critical
        .iter()
        .map(|&((x, y), k)| (P2::new(x, y), k))
        .collect();
    let critical = locate_critical(&surface, &approx);
    Ok(Analytic {
        surface: Box::new(surface),
        view,
        start: P2::new(start.0, start.1),
        critical,
        unregularized_minima: Vec::new(),
    })
}

/// All named surfaces, in the order `descent list surfaces` shows them.
pub static CATALOG: &[SurfaceEntry] = &[
    SurfaceEntry {
        name: "quadratic",
        formula: "½(u² + κ·v²), (u, v) = (x, y) rotated by −angle",
        params: &[
            Param::real(
                "kappa",
                1.0,
                Range::new(1.0, true, 1e8, true),
                "condition number κ = λmax/λmin",
            )
            .log(1.0, 1e4, 1.0),
            Param::real(
                "angle",
                0.0,
                Range::new(-360.0, true, 360.0, true),
                "rotation of the canyon in degrees",
            )
            .degrees(-90.0, 90.0),
        ],
        build: |a| {
            let q = Quadratic::new(a.real("kappa"), a.real("angle"));
            analytic(q, Bounds::square(3.0), (-2.5, 2.0), &[((0.0, 0.0), Min)])
        },
    },
    SurfaceEntry {
        name: "rosenbrock",
        formula: "(a − x)² + b·(y − x²)²",
        params: &[
            Param::real("a", 1.0, Range::ANY, "minimum at (a, a²)"),
            Param::real(
                "b",
                100.0,
                Range::NON_NEGATIVE,
                "steepness of the valley walls",
            ),
        ],
        build: |args| {
            let (a, b) = (args.real("a"), args.real("b"));
            analytic(
                Rosenbrock { a, b },
                Bounds::new(-2.0, 2.0, -1.0, 3.0),
                (-1.2, 1.0),
                &[((a, a * a), Min)],
            )
        },
    },
    SurfaceEntry {
        name: "beale",
        formula: "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        params: &[],
        build: |_| {
            analytic(
                Beale,
                Bounds::square(4.5),
                (-1.0, 1.5),
                &[((3.0, 0.5), Min)],
            )
        },
    },
    SurfaceEntry {
        name: "booth",
        formula: "(x + 2y − 7)² + (2x + y − 5)²",
        params: &[],
        build: |_| {
            analytic(
                Booth,
                Bounds::square(10.0),
                (-8.0, 8.0),
                &[((1.0, 3.0), Min)],
            )
        },
    },
    SurfaceEntry {
        name: "matyas",
        formula: "0.26(x² + y²) − 0.48xy",
        params: &[],
        build: |_| {
            analytic(
                Matyas,
                Bounds::square(10.0),
                (-8.0, 6.0),
                &[((0.0, 0.0), Min)],
            )
        },
    },
    SurfaceEntry {
        name: "himmelblau",
        formula: "(x² + y − 11)² + (x + y² − 7)²",
        params: &[],
        build: |_| {
            analytic(
                Himmelblau,
                Bounds::square(5.0),
                (0.0, 0.0),
                &[
                    ((3.0, 2.0), Min),
                    ((-2.805118, 3.131312), Min),
                    ((-3.779310, -3.283186), Min),
                    ((3.584428, -1.848126), Min),
                    ((-0.270845, -0.923039), Max),
                    ((0.086677, 2.884254), Saddle),
                    ((3.385154, 0.073852), Saddle),
                    ((-3.073026, -0.081353), Saddle),
                    ((-0.127961, -1.953715), Saddle),
                ],
            )
        },
    },
    SurfaceEntry {
        name: "mccormick",
        formula: "sin(x + y) + (x − y)² − 1.5x + 2.5y + 1",
        params: &[],
        build: |_| {
            analytic(
                McCormick,
                Bounds::new(-1.5, 4.0, -3.0, 4.0),
                (3.0, 3.0),
                &[((-0.54719, -1.54719), Min)],
            )
        },
    },
    SurfaceEntry {
        name: "goldstein-price",
        formula: "[1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]·[30 + (2x−3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]",
        params: &[],
        build: |_| {
            analytic(
                GoldsteinPrice,
                Bounds::square(2.0),
                (-1.5, 1.5),
                &[
                    ((0.0, -1.0), Min),
                    ((-0.6, -0.4), Local),
                    ((1.8, 0.2), Local),
                    ((1.2, 0.8), Local),
                ],
            )
        },
    },
    SurfaceEntry {
        name: "six-hump-camel",
        formula: "(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²",
        params: &[],
        build: |_| {
            analytic(
                SixHumpCamel,
                Bounds::new(-2.2, 2.2, -1.2, 1.2),
                (-1.5, -1.0),
                &[
                    ((0.0898, -0.7126), Min),
                    ((-0.0898, 0.7126), Min),
                    ((-1.7036, 0.7961), Local),
                    ((1.7036, -0.7961), Local),
                    ((1.6071, 0.5687), Local),
                    ((-1.6071, -0.5687), Local),
                ],
            )
        },
    },
    SurfaceEntry {
        name: "styblinski-tang",
        formula: "½·Σᵢ (xᵢ⁴ − 16xᵢ² + 5xᵢ), in two dimensions",
        params: &[],
        build: |_| {
            let (lo, hi) = (-2.903534, 2.746803);
            analytic(
                StyblinskiTang,
                Bounds::square(5.0),
                (0.5, 4.5),
                &[
                    ((lo, lo), Min),
                    ((lo, hi), Local),
                    ((hi, lo), Local),
                    ((hi, hi), Local),
                ],
            )
        },
    },
    SurfaceEntry {
        name: "rastrigin",
        formula: "2A + Σᵢ (xᵢ² − A·cos 2πxᵢ)",
        params: &[Param::real(
            "a",
            10.0,
            Range::NON_NEGATIVE,
            "amplitude A of the ripples",
        )],
        build: |args| {
            let r = Rastrigin { a: args.real("a") };
            analytic(r, Bounds::square(5.12), (3.3, -2.8), &[((0.0, 0.0), Min)])
        },
    },
    SurfaceEntry {
        name: "ackley",
        formula: "−a·exp(−b·√(½(x² + y²))) − exp(½(cos cx + cos cy)) + a + e",
        params: &[
            Param::real("a", 20.0, Range::NON_NEGATIVE, "depth of the funnel"),
            Param::real("b", 0.2, Range::NON_NEGATIVE, "width of the funnel"),
            Param::real(
                "c",
                std::f64::consts::TAU,
                Range::NON_NEGATIVE,
                "frequency of the ripples",
            ),
        ],
        build: |args| {
            let f = Ackley {
                a: args.real("a"),
                b: args.real("b"),
                c: args.real("c"),
            };
            analytic(f, Bounds::square(5.0), (3.5, -2.5), &[((0.0, 0.0), Min)])
        },
    },
    SurfaceEntry {
        name: "saddle",
        formula: "x² − y²",
        params: &[],
        build: |_| {
            analytic(
                SaddleSurface,
                Bounds::square(2.0),
                (-1.8, 0.05),
                &[((0.0, 0.0), Saddle)],
            )
        },
    },
    SurfaceEntry {
        name: "monkey-saddle",
        formula: "x³ − 3xy²",
        params: &[],
        build: |_| {
            analytic(
                MonkeySaddle,
                Bounds::square(2.0),
                (1.5, 0.1),
                &[((0.0, 0.0), Saddle)],
            )
        },
    },
    SurfaceEntry {
        name: "saddle-escape",
        formula: "½x² + ¼y⁴ − ½y²: a saddle at the origin between minima at (0, ±1)",
        params: &[],
        build: |_| {
            analytic(
                SaddleEscape,
                Bounds::square(2.0),
                (1.8, 0.0),
                &[((0.0, 0.0), Saddle), ((0.0, 1.0), Min), ((0.0, -1.0), Min)],
            )
        },
    },
    SurfaceEntry {
        name: "two-well",
        formula: "(x² − 1)² + tilt·x + y²: a global and a local minimum",
        params: &[
            Param::real("tilt", 0.3, Range::ANY, "how much deeper the left well is")
                .log(0.0, 10.0, 1e-4),
        ],
        build: |args| {
            analytic(
                TwoWell {
                    tilt: args.real("tilt"),
                },
                Bounds::new(-2.0, 2.0, -1.5, 1.5),
                (1.8, 1.0),
                &[
                    ((-1.0, 0.0), Min),
                    ((1.0, 0.0), Local),
                    ((0.0, 0.0), Saddle),
                ],
            )
        },
    },
    SurfaceEntry {
        name: "plateau",
        formula: "1 − exp(−(x² + y²)/(2w²)): a bowl in a vast flat plain",
        params: &[
            Param::real("width", 1.0, Range::POSITIVE, "radius w of the bowl").log(0.0, 10.0, 1e-4),
        ],
        build: |args| {
            let w = args.real("width");
            analytic(
                Plateau { width: w },
                Bounds::square(5.0 * w),
                (4.0 * w, 3.0 * w),
                &[((0.0, 0.0), Min)],
            )
        },
    },
];

/// ½(u² + κv²) with (u, v) the coordinates rotated by −θ: eigenvalues 1 and κ, so κ is
/// the condition number and gradient descent is stable for lr < 2/κ.
/// (Goh, "Why Momentum Really Works", Distill 2017.)
struct Quadratic {
    kappa: f64,
    cos: f64,
    sin: f64,
}

impl Quadratic {
    fn new(kappa: f64, angle_deg: f64) -> Self {
        let (sin, cos) = angle_deg.to_radians().sin_cos();
        Self { kappa, cos, sin }
    }
}

impl Formula for Quadratic {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let u = x * self.cos + y * self.sin;
        let v = y * self.cos - x * self.sin;
        (u * u + v * v * self.kappa) * 0.5
    }
}

/// (a − x)² + b(y − x²)²; minimum 0 at (a, a²). H. H. Rosenbrock, "An automatic method for
/// finding the greatest or least value of a function", The Computer Journal 3(3), 1960.
struct Rosenbrock {
    a: f64,
    b: f64,
}

impl Formula for Rosenbrock {
    #[inline]
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let d = T::cst(self.a) - x;
        let e = y - x * x;
        d * d + e * e * self.b
    }
}

/// Beale (1958): minimum 0 at (3, 0.5).
struct Beale;

impl Formula for Beale {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let xy = x * y;
        let a = T::cst(1.5) - x + xy;
        let b = T::cst(2.25) - x + xy * y;
        let c = T::cst(2.625) - x + xy * y * y;
        a * a + b * b + c * c
    }
}

/// Booth: minimum 0 at (1, 3).
struct Booth;

impl Formula for Booth {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let a = x + y * 2.0 - 7.0;
        let b = x * 2.0 + y - 5.0;
        a * a + b * b
    }
}

/// Matyas: minimum 0 at the origin; a nearly flat, tilted valley.
struct Matyas;

impl Formula for Matyas {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        (x * x + y * y) * 0.26 - x * y * 0.48
    }
}

/// D. M. Himmelblau, "Applied Nonlinear Programming", 1972: four minima of value 0,
/// one local maximum and four saddles.
struct Himmelblau;

impl Formula for Himmelblau {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        a * a + b * b
    }
}

/// McCormick: minimum −1.9133 at (−0.54719, −1.54719).
struct McCormick;

impl Formula for McCormick {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let d = x - y;
        (x + y).sin() + d * d - x * 1.5 + y * 2.5 + 1.0
    }
}

/// Goldstein & Price (1971): minimum 3 at (0, −1), local minima 30, 84 and 840.
struct GoldsteinPrice;

impl Formula for GoldsteinPrice {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let s = x + y + 1.0;
        let p = T::cst(19.0) - x * 14.0 + x * x * 3.0 - y * 14.0 + x * y * 6.0 + y * y * 3.0;
        let d = x * 2.0 - y * 3.0;
        let q = T::cst(18.0) - x * 32.0 + x * x * 12.0 + y * 48.0 - x * y * 36.0 + y * y * 27.0;
        (s * s * p + 1.0) * (d * d * q + 30.0)
    }
}

/// Six-hump camel (Dixon & Szegő 1978): global minima −1.0316 at ±(0.0898, −0.7126),
/// four more local minima.
struct SixHumpCamel;

impl Formula for SixHumpCamel {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let x2 = x * x;
        let y2 = y * y;
        (T::cst(4.0) - x2 * 2.1 + x2 * x2 / 3.0) * x2 + x * y + (y2 * 4.0 - 4.0) * y2
    }
}

/// Styblinski & Tang (1990) in 2D: minimum −78.33234 at (−2.903534, −2.903534).
struct StyblinskiTang;

impl Formula for StyblinskiTang {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let term = |t: T| {
            let t2 = t * t;
            t2 * t2 - t2 * 16.0 + t * 5.0
        };
        (term(x) + term(y)) * 0.5
    }
}

/// Rastrigin (1974): minimum 0 at the origin in a lattice of local minima.
struct Rastrigin {
    a: f64,
}

impl Formula for Rastrigin {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let tau = std::f64::consts::TAU;
        let term = |t: T| t * t - (t * tau).cos() * self.a;
        term(x) + term(y) + 2.0 * self.a
    }
}

/// D. H. Ackley (1987): minimum 0 at the origin, a cone tip (zero subgradient there).
struct Ackley {
    a: f64,
    b: f64,
    c: f64,
}

impl Formula for Ackley {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let r = ((x * x + y * y) * 0.5).sqrt();
        let ripples = (((x * self.c).cos() + (y * self.c).cos()) * 0.5).exp();
        -(r * -self.b).exp() * self.a - ripples + self.a + std::f64::consts::E
    }
}

/// x² − y²: the classic saddle at the origin.
struct SaddleSurface;

impl Formula for SaddleSurface {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        x * x - y * y
    }
}

/// x³ − 3xy²: a degenerate saddle (zero Hessian) with three descending valleys.
struct MonkeySaddle;

impl Formula for MonkeySaddle {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        x * x * x - x * y * y * 3.0
    }
}

/// ½x² + ¼y⁴ − ½y²: a strict saddle at the origin (eigenvalues 1, −1) leading down to minima
/// −¼ at (0, ±1). Started on the line y = 0, gradient descent converges to the saddle;
/// noise or momentum is needed to escape (Ge et al., "Escaping from saddle points", 2015).
struct SaddleEscape;

impl Formula for SaddleEscape {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let y2 = y * y;
        x * x * 0.5 + y2 * y2 * 0.25 - y2 * 0.5
    }
}

/// (x² − 1)² + tilt·x + y²: a double well; for tilt > 0 the left well is the global minimum.
struct TwoWell {
    tilt: f64,
}

impl Formula for TwoWell {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let w = x * x - 1.0;
        w * w + x * self.tilt + y * y
    }
}

/// 1 − exp(−(x² + y²)/(2w²)): far from the bowl the gradient vanishes exponentially,
/// the setting where adaptive methods (Adam, RMSProp) outpace plain gradient descent.
struct Plateau {
    width: f64,
}

impl Formula for Plateau {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let s = 1.0 / (2.0 * self.width * self.width);
        -((x * x + y * y) * -s).exp() + 1.0
    }
}

/// Call `visitor` with the surface the catalogue entry `name` builds from `args`, as its
/// concrete type (for the engine, which monomorphizes over it); `Err(visitor)` for a name
/// without a concrete type here. Builds exactly what the entry's `build` boxes.
pub(super) fn visit_typed<V: super::SurfaceVisitor>(
    name: &str,
    a: &Args,
    visitor: V,
) -> Result<V::Output, V> {
    Ok(match name {
        "quadratic" => visitor.visit(&Quadratic::new(a.real("kappa"), a.real("angle"))),
        "rosenbrock" => visitor.visit(&Rosenbrock {
            a: a.real("a"),
            b: a.real("b"),
        }),
        "beale" => visitor.visit(&Beale),
        "booth" => visitor.visit(&Booth),
        "matyas" => visitor.visit(&Matyas),
        "himmelblau" => visitor.visit(&Himmelblau),
        "mccormick" => visitor.visit(&McCormick),
        "goldstein-price" => visitor.visit(&GoldsteinPrice),
        "six-hump-camel" => visitor.visit(&SixHumpCamel),
        "styblinski-tang" => visitor.visit(&StyblinskiTang),
        "rastrigin" => visitor.visit(&Rastrigin { a: a.real("a") }),
        "ackley" => visitor.visit(&Ackley {
            a: a.real("a"),
            b: a.real("b"),
            c: a.real("c"),
        }),
        "saddle" => visitor.visit(&SaddleSurface),
        "monkey-saddle" => visitor.visit(&MonkeySaddle),
        "saddle-escape" => visitor.visit(&SaddleEscape),
        "two-well" => visitor.visit(&TwoWell {
            tilt: a.real("tilt"),
        }),
        "plateau" => visitor.visit(&Plateau {
            width: a.real("width"),
        }),
        _ => return Err(visitor),
    })
}
