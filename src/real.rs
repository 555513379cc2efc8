//! Exact derivatives in two variables by forward-mode automatic differentiation.
//!
//! A surface is written once, generically over [`Real`], and evaluated with
//! - `f64` for its value,
//! - [`Dual2`] (value and gradient) for first-order optimizers,
//! - [`Jet2`] (value, gradient and Hessian) for Newton and the curvature overlay.
//!
//! Every elementary function is lifted by the chain rule
//! `φ(a)`: value `φ(a)`, gradient `φ'(a)·∇a`, Hessian `φ''(a)·∇a∇aᵀ + φ'(a)·Ha`,
//! so derivatives are exact up to floating-point rounding (never finite differences).
//!
//! Kinks: where a function is not differentiable (`abs` at 0, `sqrt` at 0) the derivative
//! used is the zero subgradient, so an optimizer sitting exactly on the kink takes a zero step.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// A number type a surface formula can be evaluated with.
pub trait Real:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// A constant (zero derivatives).
    fn cst(c: f64) -> Self;
    /// The value part.
    fn re(self) -> f64;
    /// Lift a scalar function given its value `f0`, first `f1` and second `f2` derivative at `self.re()`.
    fn chain(self, f0: f64, f1: f64, f2: f64) -> Self;

    fn sin(self) -> Self {
        let (s, c) = self.re().sin_cos();
        self.chain(s, c, -s)
    }
    fn cos(self) -> Self {
        let (s, c) = self.re().sin_cos();
        self.chain(c, -s, -c)
    }
    fn tan(self) -> Self {
        let t = self.re().tan();
        let d = 1.0 + t * t;
        self.chain(t, d, 2.0 * t * d)
    }
    fn exp(self) -> Self {
        let e = self.re().exp();
        self.chain(e, e, e)
    }
    /// Natural logarithm.
    fn ln(self) -> Self {
        let a = self.re();
        self.chain(a.ln(), 1.0 / a, -1.0 / (a * a))
    }
    /// Square root; zero subgradient at 0.
    fn sqrt(self) -> Self {
        let a = self.re();
        let s = a.sqrt();
        if a == 0.0 {
            self.chain(0.0, 0.0, 0.0)
        } else {
            self.chain(s, 0.5 / s, -0.25 / (s * a))
        }
    }
    /// Absolute value; zero subgradient at 0.
    fn abs(self) -> Self {
        let a = self.re();
        let sign = if a > 0.0 {
            1.0
        } else if a < 0.0 {
            -1.0
        } else {
            0.0
        };
        self.chain(a.abs(), sign, 0.0)
    }
    fn tanh(self) -> Self {
        let t = self.re().tanh();
        let d = 1.0 - t * t;
        self.chain(t, d, -2.0 * t * d)
    }
    /// Integer power (defined for negative bases).
    fn powi(self, n: i32) -> Self {
        let a = self.re();
        match n {
            0 => Self::cst(1.0),
            1 => self,
            2 => self * self,
            _ => {
                let nf = f64::from(n);
                self.chain(
                    a.powi(n),
                    nf * a.powi(n - 1),
                    nf * (nf - 1.0) * a.powi(n - 2),
                )
            }
        }
    }
    /// Real power with a constant exponent.
    fn powf(self, p: f64) -> Self {
        let a = self.re();
        self.chain(
            a.powf(p),
            p * a.powf(p - 1.0),
            p * (p - 1.0) * a.powf(p - 2.0),
        )
    }
    /// `self^p` for a variable exponent: `exp(p·ln self)`.
    fn pow(self, p: Self) -> Self {
        (p * self.ln()).exp()
    }
}

impl Real for f64 {
    fn cst(c: f64) -> Self {
        c
    }
    fn re(self) -> f64 {
        self
    }
    fn chain(self, f0: f64, _f1: f64, _f2: f64) -> Self {
        f0
    }
    fn sin(self) -> Self {
        f64::sin(self)
    }
    fn cos(self) -> Self {
        f64::cos(self)
    }
    fn tan(self) -> Self {
        f64::tan(self)
    }
    fn exp(self) -> Self {
        f64::exp(self)
    }
    fn ln(self) -> Self {
        f64::ln(self)
    }
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    fn abs(self) -> Self {
        f64::abs(self)
    }
    fn tanh(self) -> Self {
        f64::tanh(self)
    }
    fn powi(self, n: i32) -> Self {
        f64::powi(self, n)
    }
    fn powf(self, p: f64) -> Self {
        f64::powf(self, p)
    }
    // `pow` keeps the default exp(p·ln a), so f64 and the jets agree on the value bit for bit.
}

/// A value with its gradient in (x, y).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dual2 {
    pub v: f64,
    pub g: [f64; 2],
}

/// A value with its gradient and (symmetric) Hessian in (x, y): `h = [hxx, hxy, hyy]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Jet2 {
    pub v: f64,
    pub g: [f64; 2],
    pub h: [f64; 3],
}

impl Dual2 {
    /// The independent variables x and y at a point.
    pub fn variables(x: f64, y: f64) -> (Self, Self) {
        (
            Self {
                v: x,
                g: [1.0, 0.0],
            },
            Self {
                v: y,
                g: [0.0, 1.0],
            },
        )
    }
}

impl Jet2 {
    /// The independent variables x and y at a point.
    pub fn variables(x: f64, y: f64) -> (Self, Self) {
        (
            Self {
                v: x,
                g: [1.0, 0.0],
                h: [0.0; 3],
            },
            Self {
                v: y,
                g: [0.0, 1.0],
                h: [0.0; 3],
            },
        )
    }
}

impl Real for Dual2 {
    fn cst(c: f64) -> Self {
        Self { v: c, g: [0.0; 2] }
    }
    fn re(self) -> f64 {
        self.v
    }
    #[inline]
    fn chain(self, f0: f64, f1: f64, _f2: f64) -> Self {
        Self {
            v: f0,
            g: [f1 * self.g[0], f1 * self.g[1]],
        }
    }
}

impl Real for Jet2 {
    fn cst(c: f64) -> Self {
        Self {
            v: c,
            g: [0.0; 2],
            h: [0.0; 3],
        }
    }
    fn re(self) -> f64 {
        self.v
    }
    #[inline]
    fn chain(self, f0: f64, f1: f64, f2: f64) -> Self {
        let [gx, gy] = self.g;
        Self {
            v: f0,
            g: [f1 * gx, f1 * gy],
            h: [
                f2 * gx * gx + f1 * self.h[0],
                f2 * gx * gy + f1 * self.h[1],
                f2 * gy * gy + f1 * self.h[2],
            ],
        }
    }
}

/// Arithmetic shared by both jet types: `$n` gradient entries and `$m` Hessian entries.
macro_rules! jet_arithmetic {
    ($t:ident, $mul:expr) => {
        impl Add for $t {
            type Output = Self;
            #[inline]
            fn add(mut self, o: Self) -> Self {
                self.v += o.v;
                for (a, b) in self.g.iter_mut().zip(o.g) {
                    *a += b;
                }
                jet_arithmetic!(@hess_add $t self o);
                self
            }
        }
        impl Sub for $t {
            type Output = Self;
            #[inline]
            fn sub(self, o: Self) -> Self {
                self + (-o)
            }
        }
        impl Neg for $t {
            type Output = Self;
            #[inline]
            fn neg(self) -> Self {
                self * -1.0
            }
        }
        impl Mul for $t {
            type Output = Self;
            #[inline]
            fn mul(self, o: Self) -> Self {
                $mul(self, o)
            }
        }
        impl Div for $t {
            type Output = Self;
            #[inline]
            fn div(self, o: Self) -> Self {
                let b = o.v;
                let mut q = self * o.chain(1.0 / b, -1.0 / (b * b), 2.0 / (b * b * b));
                // The value exactly as f64 computes it, so every number type agrees on f.
                q.v = self.v / b;
                q
            }
        }
        impl Add<f64> for $t {
            type Output = Self;
            #[inline]
            fn add(mut self, c: f64) -> Self {
                self.v += c;
                self
            }
        }
        impl Sub<f64> for $t {
            type Output = Self;
            #[inline]
            fn sub(mut self, c: f64) -> Self {
                self.v -= c;
                self
            }
        }
        impl Mul<f64> for $t {
            type Output = Self;
            #[inline]
            fn mul(self, c: f64) -> Self {
                self.chain(self.v * c, c, 0.0)
            }
        }
        impl Div<f64> for $t {
            type Output = Self;
            #[inline]
            fn div(self, c: f64) -> Self {
                self.chain(self.v / c, 1.0 / c, 0.0)
            }
        }
    };
    (@hess_add Dual2 $s:ident $o:ident) => {};
    (@hess_add Jet2 $s:ident $o:ident) => {
        for (a, b) in $s.h.iter_mut().zip($o.h) {
            *a += b;
        }
    };
}

jet_arithmetic!(Dual2, |a: Dual2, b: Dual2| Dual2 {
    v: a.v * b.v,
    g: [a.v * b.g[0] + b.v * a.g[0], a.v * b.g[1] + b.v * a.g[1]],
});

jet_arithmetic!(Jet2, |a: Jet2, b: Jet2| Jet2 {
    v: a.v * b.v,
    g: [a.v * b.g[0] + b.v * a.g[0], a.v * b.g[1] + b.v * a.g[1]],
    h: [
        a.v * b.h[0] + b.v * a.h[0] + 2.0 * a.g[0] * b.g[0],
        a.v * b.h[1] + b.v * a.h[1] + a.g[0] * b.g[1] + a.g[1] * b.g[0],
        a.v * b.h[2] + b.v * a.h[2] + 2.0 * a.g[1] * b.g[1],
    ],
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_rule_and_hessian_of_x2y() {
        let (x, y) = Jet2::variables(3.0, -2.0);
        let f = x * x * y; // ∇ = (2xy, x²), H = [[2y, 2x], [2x, 0]]
        assert_eq!(f.v, -18.0);
        assert_eq!(f.g, [-12.0, 9.0]);
        assert_eq!(f.h, [-4.0, 6.0, 0.0]);
    }

    #[test]
    fn quotient_and_chain_rule() {
        let (x, _) = Dual2::variables(0.5, 0.0);
        let f = (x * 2.0).sin() / x; // d/dx sin(2x)/x = (2x cos 2x − sin 2x)/x²
        let expected = (2.0 * 0.5 * 1f64.cos() - 1f64.sin()) / 0.25;
        assert!((f.g[0] - expected).abs() < 1e-15);
    }

    #[test]
    fn kinks_take_the_zero_subgradient() {
        let (x, y) = Jet2::variables(0.0, 0.0);
        assert_eq!(x.abs().g, [0.0, 0.0]);
        assert_eq!((x * x + y * y).sqrt().g, [0.0, 0.0]);
    }
}
