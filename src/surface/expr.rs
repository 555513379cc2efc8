//! `expr:EXPRESSION` — a surface typed by the user, differentiated exactly.
//!
//! Grammar (usual precedence; `^` binds tighter than unary minus and is right-associative,
//! so `-x^2 = -(x^2)` and `2^3^2 = 2^9`):
//! ```text
//! sum     = product (('+' | '-') product)*
//! product = unary (('*' | '/') unary)*
//! unary   = ('-' | '+') unary | power
//! power   = atom (('^' | '**') unary)?
//! atom    = number | x | y | pi | e | function '(' sum ')' | '(' sum ')'
//! ```
//! Functions: sin cos tan exp log (natural; also `ln`) sqrt abs tanh.
//! The tree is evaluated over [`Real`] so gradient and Hessian are exact (see [`crate::real`]).

use std::fmt;

use super::Formula;
use crate::real::Real;

/// A parsed expression in x and y.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    root: Node,
}

/// Where parsing failed (1-based character position) and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = crate::spec::one_line(&self.message);
        write!(f, "{message} at position {}", self.position)
    }
}

impl std::error::Error for ParseError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    Sin,
    Cos,
    Tan,
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
}

const FUNCTIONS: &[(&str, Func)] = &[
    ("sin", Func::Sin),
    ("cos", Func::Cos),
    ("tan", Func::Tan),
    ("exp", Func::Exp),
    ("log", Func::Log),
    ("ln", Func::Log),
    ("sqrt", Func::Sqrt),
    ("abs", Func::Abs),
    ("tanh", Func::Tanh),
];

const NAMES_ACCEPTED: &str = "x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh";

/// Longest formula accepted, in characters: it bounds the depth of the tree, whose evaluation
/// recurses, so no typed formula can exhaust the stack.
pub const MAX_LENGTH: usize = 2000;
/// Deepest nesting of parentheses, unary signs and exponents accepted.
pub const MAX_NESTING: usize = 100;

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Num(f64),
    X,
    Y,
    Neg(Box<Node>),
    Add(Box<Node>, Box<Node>),
    Sub(Box<Node>, Box<Node>),
    Mul(Box<Node>, Box<Node>),
    Div(Box<Node>, Box<Node>),
    Pow(Box<Node>, Box<Node>),
    Call(Func, Box<Node>),
}

impl Node {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        match self {
            Node::Num(c) => T::cst(*c),
            Node::X => x,
            Node::Y => y,
            Node::Neg(a) => -a.eval(x, y),
            Node::Add(a, b) => a.eval(x, y) + b.eval(x, y),
            Node::Sub(a, b) => a.eval(x, y) - b.eval(x, y),
            Node::Mul(a, b) => a.eval(x, y) * b.eval(x, y),
            Node::Div(a, b) => a.eval(x, y) / b.eval(x, y),
            Node::Pow(a, b) => {
                let base = a.eval(x, y);
                match **b {
                    Node::Num(p) if p.fract() == 0.0 && p.abs() <= 1024.0 => base.powi(p as i32),
                    Node::Num(p) => base.powf(p),
                    _ => base.pow(b.eval(x, y)),
                }
            }
            Node::Call(f, a) => {
                let a = a.eval(x, y);
                match f {
                    Func::Sin => a.sin(),
                    Func::Cos => a.cos(),
                    Func::Tan => a.tan(),
                    Func::Exp => a.exp(),
                    Func::Log => a.ln(),
                    Func::Sqrt => a.sqrt(),
                    Func::Abs => a.abs(),
                    Func::Tanh => a.tanh(),
                }
            }
        }
    }

    /// Replace every subtree free of x and y by its value.
    fn fold(self) -> Node {
        let folded = match self {
            Node::Neg(a) => Node::Neg(Box::new(a.fold())),
            Node::Add(a, b) => Node::Add(Box::new(a.fold()), Box::new(b.fold())),
            Node::Sub(a, b) => Node::Sub(Box::new(a.fold()), Box::new(b.fold())),
            Node::Mul(a, b) => Node::Mul(Box::new(a.fold()), Box::new(b.fold())),
            Node::Div(a, b) => Node::Div(Box::new(a.fold()), Box::new(b.fold())),
            Node::Pow(a, b) => Node::Pow(Box::new(a.fold()), Box::new(b.fold())),
            Node::Call(f, a) => Node::Call(f, Box::new(a.fold())),
            leaf => leaf,
        };
        if folded.is_constant() {
            Node::Num(folded.eval(0.0, 0.0))
        } else {
            folded
        }
    }

    fn is_constant(&self) -> bool {
        match self {
            Node::Num(_) => true,
            Node::X | Node::Y => false,
            Node::Neg(a) | Node::Call(_, a) => a.is_constant(),
            Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b)
            | Node::Pow(a, b) => a.is_constant() && b.is_constant(),
        }
    }
}

impl Expr {
    /// Parse an expression in x and y, e.g. `(1-x)^2 + 100*(y-x^2)^2`.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() > MAX_LENGTH {
            return Err(ParseError {
                position: MAX_LENGTH + 1,
                message: format!(
                    "formula too long: {} characters (at most {MAX_LENGTH})",
                    chars.len()
                ),
            });
        }
        let mut parser = Parser {
            chars,
            pos: 0,
            depth: 0,
        };
        parser.skip_space();
        if parser.peek().is_none() {
            return Err(parser.error("empty expression: expected a formula in x and y"));
        }
        let root = parser.sum()?;
        parser.skip_space();
        if let Some(c) = parser.peek() {
            let what = if c == ')' {
                "unmatched ')'".to_string()
            } else if c == '=' {
                "unexpected '=': a surface is a formula in x and y, not an equation \
                 (e.g. expr:(x+2-3)^2)"
                    .to_string()
            } else {
                format!("unexpected '{c}': expected an operator (+ - * / ^)")
            };
            return Err(parser.error(&what));
        }
        Ok(Self { root: root.fold() })
    }
}

impl Formula for Expr {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        self.root.eval(x, y)
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Current nesting of `unary`, through which every recursion passes.
    depth: usize,
}

impl Parser {
    fn error(&self, message: &str) -> ParseError {
        ParseError {
            position: self.pos + 1,
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Consume `op` (after spaces) if it comes next.
    fn eat(&mut self, op: &str) -> bool {
        self.skip_space();
        let n = op.chars().count();
        let matches = self.chars.len() >= self.pos + n
            && self.chars[self.pos..self.pos + n]
                .iter()
                .copied()
                .eq(op.chars());
        if matches {
            self.pos += n;
        }
        matches
    }

    fn sum(&mut self) -> Result<Node, ParseError> {
        let mut left = self.product()?;
        loop {
            if self.eat("+") {
                left = Node::Add(Box::new(left), Box::new(self.product()?));
            } else if self.eat("-") {
                left = Node::Sub(Box::new(left), Box::new(self.product()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn product(&mut self) -> Result<Node, ParseError> {
        let mut left = self.unary()?;
        loop {
            // `**` is a power, handled in `power`: do not mistake it for a product.
            self.skip_space();
            if self.peek() == Some('*') && self.chars.get(self.pos + 1) != Some(&'*') {
                self.pos += 1;
                left = Node::Mul(Box::new(left), Box::new(self.unary()?));
            } else if self.eat("/") {
                left = Node::Div(Box::new(left), Box::new(self.unary()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn unary(&mut self) -> Result<Node, ParseError> {
        // The formula itself is level 0: each '(', sign, function or exponent adds one.
        if self.depth > MAX_NESTING {
            return Err(self.error(&format!("nested too deeply (at most {MAX_NESTING} levels)")));
        }
        self.depth += 1;
        let node = self.unary_inner();
        self.depth -= 1;
        node
    }

    fn unary_inner(&mut self) -> Result<Node, ParseError> {
        if self.eat("-") {
            Ok(Node::Neg(Box::new(self.unary()?)))
        } else if self.eat("+") {
            self.unary()
        } else {
            self.power()
        }
    }

    fn power(&mut self) -> Result<Node, ParseError> {
        let base = self.atom()?;
        if self.eat("^") || self.eat("**") {
            Ok(Node::Pow(Box::new(base), Box::new(self.unary()?)))
        } else {
            Ok(base)
        }
    }

    fn atom(&mut self) -> Result<Node, ParseError> {
        self.skip_space();
        let start = self.pos;
        match self.peek() {
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' => {
                while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                match name.as_str() {
                    "x" => Ok(Node::X),
                    "y" => Ok(Node::Y),
                    "pi" => Ok(Node::Num(std::f64::consts::PI)),
                    "e" => Ok(Node::Num(std::f64::consts::E)),
                    _ => {
                        let Some(&(_, func)) = FUNCTIONS.iter().find(|(n, _)| *n == name) else {
                            self.pos = start;
                            return Err(self.error(&format!(
                                "unknown name '{name}' (accepted: {NAMES_ACCEPTED})"
                            )));
                        };
                        if !self.eat("(") {
                            return Err(self.error(&format!("expected '(' after '{name}'")));
                        }
                        let open = self.pos;
                        let arg = self.sum()?;
                        self.close(open)?;
                        Ok(Node::Call(func, Box::new(arg)))
                    }
                }
            }
            Some('(') => {
                self.pos += 1;
                let open = self.pos;
                let inner = self.sum()?;
                self.close(open)?;
                Ok(inner)
            }
            Some(c) => Err(self.error(&format!(
                "unexpected '{c}': expected a number, x, y, a constant or a function"
            ))),
            None => {
                Err(self.error("unexpected end: expected a number, x, y, a constant or a function"))
            }
        }
    }

    /// Expect the ')' matching the '(' just before position `open`.
    fn close(&mut self, open: usize) -> Result<(), ParseError> {
        if self.eat(")") {
            Ok(())
        } else {
            Err(self.error(&format!("expected ')' to close the '(' at position {open}")))
        }
    }

    fn number(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
        };
        digits(self);
        if self.peek() == Some('.') {
            self.pos += 1;
            digits(self);
        }
        // An exponent only if digits follow: `2e` is 2 then the constant e (an error later).
        if matches!(self.peek(), Some('e' | 'E')) {
            let mark = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                digits(self);
            } else {
                self.pos = mark;
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Node::Num(v)),
            _ => {
                self.pos = start;
                Err(self.error(&format!("malformed number '{text}'")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, x: f64, y: f64) -> f64 {
        Expr::parse(text).unwrap().eval(x, y)
    }

    #[test]
    fn precedence_follows_mathematics() {
        assert_eq!(value("-x^2", 3.0, 0.0), -9.0);
        assert_eq!(value("2^3^2", 0.0, 0.0), 512.0);
        assert_eq!(value("2**3", 0.0, 0.0), 8.0);
        assert_eq!(value("1 - 2 - 3", 0.0, 0.0), -4.0);
        assert_eq!(value("8 / 4 / 2", 0.0, 0.0), 1.0);
        assert_eq!(value("2*x + 3*y", 1.0, 2.0), 8.0);
        assert_eq!(value("1e-3 + 2.5E2 + .5", 0.0, 0.0), 250.501);
        assert_eq!(value("x^-1", 4.0, 0.0), 0.25);
        assert_eq!(value("sqrt(abs(x))*exp(0)+log(e)", -4.0, 0.0), 3.0);
        assert!((value("sin(pi/2) + cos(0) + tanh(0) + tan(0)", 0.0, 0.0) - 2.0).abs() < 1e-15);
    }

    #[test]
    fn constants_are_folded() {
        let e = Expr::parse("2*pi").unwrap();
        assert_eq!(e.root, Node::Num(std::f64::consts::TAU));
    }

    #[test]
    fn errors_name_the_position_and_what_was_expected() {
        let cases = [
            ("", 1, "empty expression"),
            ("x +", 4, "unexpected end: expected a number"),
            ("(x + y", 7, "expected ')' to close the '(' at position 1"),
            ("x + y)", 6, "unmatched ')'"),
            ("x + z", 5, "unknown name 'z'"),
            ("sin x", 5, "expected '(' after 'sin'"),
            ("x * * y", 5, "unexpected '*'"),
            ("2x", 2, "unexpected 'x': expected an operator"),
            ("x # y", 3, "unexpected '#'"),
            (
                "x+2=3",
                4,
                "unexpected '=': a surface is a formula in x and y",
            ),
        ];
        let deep = format!("{}x{}", "(".repeat(150), ")".repeat(150));
        let nested = |n| format!("{}x{}", "(".repeat(n), ")".repeat(n));
        assert!(
            Expr::parse(&nested(MAX_NESTING)).is_ok(),
            "100 levels are allowed"
        );
        assert!(Expr::parse(&format!("{}x", "-".repeat(MAX_NESTING))).is_ok());
        assert!(Expr::parse(&nested(MAX_NESTING + 1)).is_err());
        let long = vec!["x"; 2000].join("+");
        for (text, position, message) in cases {
            let err = Expr::parse(text).unwrap_err();
            assert_eq!(err.position, position, "{text}: {err}");
            assert!(err.message.contains(message), "{text}: {err}");
        }
        let err = Expr::parse(&deep).unwrap_err();
        assert!(
            err.message
                .contains("nested too deeply (at most 100 levels)"),
            "{err}"
        );
        let err = Expr::parse(&long).unwrap_err();
        assert!(
            err.message
                .contains("formula too long: 3999 characters (at most 2000)"),
            "{err}"
        );
        let err = Expr::parse(&"-".repeat(1000)).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{err}");
        // The longest flat sum accepted (1000 terms) parses and evaluates.
        assert_eq!(value(&vec!["x"; 1000].join("+"), 2.0, 0.0), 2000.0);
    }
}
