//! `name:key=value,key=value` specs and their typed, validated parameters.
//!
//! Surfaces, optimizers and schedules each declare a table of [`Param`]s; [`Args::parse`]
//! checks every key against it, parses and range-checks every value, fills in the
//! defaults and explains any mistake in one line naming what is accepted.

use std::collections::BTreeMap;
use std::fmt;

/// A one-line, user-facing explanation of bad input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError(pub String);

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

/// Build a [`SpecError`] from a format string; control characters in it (a line break or
/// an escape sequence inside a typed value) are escaped, so the message stays one line.
macro_rules! spec_err {
    ($($arg:tt)*) => { $crate::spec::SpecError($crate::spec::one_line(&format!($($arg)*))) };
}
pub(crate) use spec_err;

/// `text` with every control character escaped as Rust writes it (`\n`, `\u{1b}`): one line
/// whatever a user typed.
pub fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Accepted values of a real parameter: an interval with open or closed ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub lo_closed: bool,
    pub hi: f64,
    pub hi_closed: bool,
}

impl Range {
    pub const ANY: Range = Range::new(f64::NEG_INFINITY, false, f64::INFINITY, false);
    /// `x ≥ 0`
    pub const NON_NEGATIVE: Range = Range::new(0.0, true, f64::INFINITY, false);
    /// `x > 0`
    pub const POSITIVE: Range = Range::new(0.0, false, f64::INFINITY, false);
    /// `0 ≤ x < 1`, e.g. a beta.
    pub const UNIT_OPEN: Range = Range::new(0.0, true, 1.0, false);
    /// `0 ≤ x ≤ 1`
    pub const UNIT: Range = Range::new(0.0, true, 1.0, true);
    /// `0 < x ≤ 1`
    pub const UNIT_POSITIVE: Range = Range::new(0.0, false, 1.0, true);

    pub const fn new(lo: f64, lo_closed: bool, hi: f64, hi_closed: bool) -> Self {
        Self {
            lo,
            lo_closed,
            hi,
            hi_closed,
        }
    }

    pub fn contains(&self, x: f64) -> bool {
        let above = if self.lo_closed {
            x >= self.lo
        } else {
            x > self.lo
        };
        let below = if self.hi_closed {
            x <= self.hi
        } else {
            x < self.hi
        };
        above && below
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.lo.is_finite(), self.hi.is_finite()) {
            (false, false) => write!(f, "any finite number"),
            (true, false) => write!(f, "{} {}", if self.lo_closed { "≥" } else { ">" }, self.lo),
            (false, true) => write!(f, "{} {}", if self.hi_closed { "≤" } else { "<" }, self.hi),
            (true, true) => write!(
                f,
                "in {}{}, {}{}",
                if self.lo_closed { '[' } else { '(' },
                self.lo,
                self.hi,
                if self.hi_closed { ']' } else { ')' }
            ),
        }
    }
}

/// The type, default and accepted values of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A finite real number in a range; `None` as default means the parameter is required.
    Real { default: Option<f64>, range: Range },
    /// `true` or `false`.
    Flag { default: bool },
    /// A whole number in `min ..= max`.
    Count {
        default: Option<u64>,
        min: u64,
        max: u64,
    },
}

/// How a control shows a real parameter: every parameter declares its own, so the app builds
/// its controls from this metadata rather than from the parameter's name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Widget {
    /// A number field, for parameters with no natural span.
    Field,
    /// A logarithmic slider over [lo, hi], for scales (lr, eps, κ, λ); below `smallest` it
    /// jumps to `lo`, which may be 0.
    Log { lo: f64, hi: f64, smallest: f64 },
    /// A linear slider over [lo, hi], for fractions (betas, momentum) and angles, with a unit
    /// written after the value (`°`).
    Linear {
        lo: f64,
        hi: f64,
        unit: &'static str,
    },
}

/// One named parameter of a surface, optimizer or schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
    /// Its control in the app.
    pub widget: Widget,
}

impl Param {
    pub const fn real(name: &'static str, default: f64, range: Range, doc: &'static str) -> Self {
        Self {
            name,
            kind: Kind::Real {
                default: Some(default),
                range,
            },
            doc,
            widget: Widget::Field,
        }
    }
    pub const fn required(name: &'static str, range: Range, doc: &'static str) -> Self {
        Self {
            name,
            kind: Kind::Real {
                default: None,
                range,
            },
            doc,
            widget: Widget::Field,
        }
    }
    pub const fn flag(name: &'static str, default: bool, doc: &'static str) -> Self {
        Self {
            name,
            kind: Kind::Flag { default },
            doc,
            widget: Widget::Field,
        }
    }
    pub const fn count(name: &'static str, default: u64, min: u64, doc: &'static str) -> Self {
        Self {
            name,
            kind: Kind::Count {
                default: Some(default),
                min,
                max: u64::MAX,
            },
            doc,
            widget: Widget::Field,
        }
    }
    pub const fn required_count(name: &'static str, min: u64, doc: &'static str) -> Self {
        Self {
            name,
            kind: Kind::Count {
                default: None,
                min,
                max: u64::MAX,
            },
            doc,
            widget: Widget::Field,
        }
    }

    /// A count accepted only up to `max` (a bound on memory or time per step).
    pub const fn at_most(self, max: u64) -> Self {
        match self.kind {
            Kind::Count { default, min, .. } => Self {
                kind: Kind::Count { default, min, max },
                ..self
            },
            _ => self,
        }
    }

    /// Shown as a logarithmic slider over [lo, hi] (0 below `smallest` when lo is 0).
    pub const fn log(self, lo: f64, hi: f64, smallest: f64) -> Self {
        Self {
            widget: Widget::Log { lo, hi, smallest },
            ..self
        }
    }

    /// Shown as a linear slider over [lo, hi].
    pub const fn linear(self, lo: f64, hi: f64) -> Self {
        Self {
            widget: Widget::Linear { lo, hi, unit: "" },
            ..self
        }
    }

    /// Shown as a linear slider of degrees over [lo, hi].
    pub const fn degrees(self, lo: f64, hi: f64) -> Self {
        Self {
            widget: Widget::Linear { lo, hi, unit: "°" },
            ..self
        }
    }

    /// The default as text (`required` when there is none).
    pub fn default_text(&self) -> String {
        match self.kind {
            Kind::Real {
                default: Some(d), ..
            } => format!("{d:?}"),
            Kind::Count {
                default: Some(d), ..
            } => d.to_string(),
            Kind::Flag { default } => default.to_string(),
            Kind::Real { default: None, .. } | Kind::Count { default: None, .. } => {
                "required".into()
            }
        }
    }

    /// What values are accepted, in words.
    pub fn accepted_text(&self) -> String {
        match self.kind {
            Kind::Real { range, .. } => range.to_string(),
            Kind::Flag { .. } => "true or false".into(),
            Kind::Count { min, max, .. } if max < u64::MAX => {
                format!("a whole number in {min} ..= {max}")
            }
            Kind::Count { min, .. } => format!("a whole number ≥ {min}"),
        }
    }
}

/// A parsed parameter value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Real(f64),
    Flag(bool),
    Count(u64),
}

/// Raw `key=value` pairs of a spec, in the order written.
pub type Pairs<'a> = Vec<(&'a str, &'a str)>;

/// Split `name:key=value,...` into the name and its raw `key=value` pairs.
pub fn split_spec(text: &str) -> Result<(&str, Pairs<'_>), SpecError> {
    let text = text.trim();
    let (name, rest) = match text.split_once(':') {
        Some((name, rest)) => (name.trim(), Some(rest)),
        None => (text, None),
    };
    if name.is_empty() {
        return Err(spec_err!("empty name in '{text}'"));
    }
    let mut pairs = Vec::new();
    if let Some(rest) = rest {
        for item in rest.split(',') {
            let Some((k, v)) = item.split_once('=') else {
                return Err(spec_err!(
                    "'{}' in '{text}' is not key=value (expected e.g. {name}:lr=0.1)",
                    item.trim()
                ));
            };
            pairs.push((k.trim(), v.trim()));
        }
    }
    Ok((name, pairs))
}

/// Validated parameter values of one spec, defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    owner: String,
    values: BTreeMap<&'static str, Value>,
}

impl Args {
    /// Check `pairs` against `params` for the thing named `owner` (used in messages).
    pub fn parse(
        owner: &str,
        params: &'static [Param],
        pairs: &[(&str, &str)],
    ) -> Result<Self, SpecError> {
        let mut values = BTreeMap::new();
        for &(key, raw) in pairs {
            let Some(param) = params.iter().find(|p| p.name == key) else {
                return Err(spec_err!(
                    "{owner}: unknown parameter '{key}' (accepted: {})",
                    names(params)
                ));
            };
            if values.contains_key(param.name) {
                return Err(spec_err!("{owner}: parameter '{key}' given twice"));
            }
            values.insert(param.name, parse_value(owner, param, raw)?);
        }
        for param in params {
            if values.contains_key(param.name) {
                continue;
            }
            let value = match param.kind {
                Kind::Real {
                    default: Some(d), ..
                } => Value::Real(d),
                Kind::Flag { default } => Value::Flag(default),
                Kind::Count {
                    default: Some(d), ..
                } => Value::Count(d),
                _ => {
                    return Err(spec_err!(
                        "{owner}: missing required parameter '{}' ({}: {})",
                        param.name,
                        param.doc,
                        param.accepted_text()
                    ));
                }
            };
            values.insert(param.name, value);
        }
        Ok(Self {
            owner: owner.to_string(),
            values,
        })
    }

    /// A real parameter declared in the table (a missing one is a programming error).
    pub fn real(&self, name: &str) -> f64 {
        match self.values.get(name) {
            Some(Value::Real(v)) => *v,
            other => panic!("{}: '{name}' is not a declared real: {other:?}", self.owner),
        }
    }
    pub fn flag(&self, name: &str) -> bool {
        match self.values.get(name) {
            Some(Value::Flag(v)) => *v,
            other => panic!("{}: '{name}' is not a declared flag: {other:?}", self.owner),
        }
    }
    pub fn count(&self, name: &str) -> u64 {
        match self.values.get(name) {
            Some(Value::Count(v)) => *v,
            other => panic!(
                "{}: '{name}' is not a declared count: {other:?}",
                self.owner
            ),
        }
    }

    /// A one-line error about this spec.
    pub fn error(&self, message: impl fmt::Display) -> SpecError {
        spec_err!("{}: {message}", self.owner)
    }

    /// The value of a declared parameter.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.values.get(name).copied()
    }

    /// Replace the value of a declared parameter. Unchecked: an editor writes the result
    /// back with [`Args::spec_text`] and re-parses it, so the same rules apply to every input.
    pub fn set(&mut self, name: &str, value: Value) {
        if let Some(v) = self.values.get_mut(name) {
            *v = value;
        }
    }

    /// `name:key=value,…` with the parameters that differ from their defaults, in the
    /// table's order (just `name` when none do): the canonical spec of these values.
    pub fn spec_text(&self, name: &str, params: &[Param]) -> String {
        let changed: Vec<String> = params
            .iter()
            .filter_map(|p| {
                let value = self.get(p.name)?;
                let default = match p.kind {
                    Kind::Real { default, .. } => default.map(Value::Real),
                    Kind::Flag { default } => Some(Value::Flag(default)),
                    Kind::Count { default, .. } => default.map(Value::Count),
                };
                (default != Some(value)).then(|| format!("{}={value}", p.name))
            })
            .collect();
        if changed.is_empty() {
            name.to_string()
        } else {
            format!("{name}:{}", changed.join(","))
        }
    }
}

impl fmt::Display for Value {
    /// As a spec writes it; reals in shortest round-trip form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Real(v) => write!(f, "{v:?}"),
            Value::Flag(v) => write!(f, "{v}"),
            Value::Count(v) => write!(f, "{v}"),
        }
    }
}

fn names(params: &[Param]) -> String {
    if params.is_empty() {
        "none".into()
    } else {
        params.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
    }
}

fn parse_value(owner: &str, param: &Param, raw: &str) -> Result<Value, SpecError> {
    let bad = || {
        spec_err!(
            "{owner}: {} must be {}, got '{raw}'",
            param.name,
            param.accepted_text()
        )
    };
    match param.kind {
        Kind::Real { range, .. } => {
            let v: f64 = raw.parse().map_err(|_| bad())?;
            if !v.is_finite() || !range.contains(v) {
                return Err(bad());
            }
            Ok(Value::Real(v))
        }
        Kind::Flag { .. } => match raw {
            "true" | "1" => Ok(Value::Flag(true)),
            "false" | "0" => Ok(Value::Flag(false)),
            _ => Err(bad()),
        },
        Kind::Count { min, max, .. } => {
            let v: u64 = raw.parse().map_err(|_| bad())?;
            if v < min || v > max {
                return Err(bad());
            }
            Ok(Value::Count(v))
        }
    }
}

/// Parse `X,Y` (e.g. a start point).
pub fn parse_point(text: &str) -> Result<[f64; 2], SpecError> {
    let bad = || spec_err!("point '{text}' must be two finite numbers X,Y (e.g. -1.5,2)");
    let (x, y) = text.split_once(',').ok_or_else(bad)?;
    let x: f64 = x.trim().parse().map_err(|_| bad())?;
    let y: f64 = y.trim().parse().map_err(|_| bad())?;
    if x.is_finite() && y.is_finite() {
        Ok([x, y])
    } else {
        Err(bad())
    }
}

/// Find the entry called `name` in a catalogue, or explain which names exist.
pub fn lookup<'a, T>(
    what: &str,
    name: &str,
    entries: &'a [T],
    name_of: impl Fn(&T) -> &str,
) -> Result<&'a T, SpecError> {
    entries.iter().find(|e| name_of(e) == name).ok_or_else(|| {
        let known: Vec<&str> = entries.iter().map(&name_of).collect();
        spec_err!("unknown {what} '{name}' (known: {})", known.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAMS: &[Param] = &[
        Param::real("lr", 0.1, Range::NON_NEGATIVE, "learning rate"),
        Param::real("beta", 0.9, Range::UNIT_OPEN, "decay"),
        Param::flag("amsgrad", false, "max variant"),
        Param::required_count("t_max", 1, "period"),
    ];

    fn parse(text: &str) -> Result<Args, SpecError> {
        let (name, pairs) = split_spec(text)?;
        Args::parse(name, PARAMS, &pairs)
    }

    #[test]
    fn defaults_fill_in_and_values_override() {
        let args = parse("x:t_max=5,beta=0.5").unwrap();
        assert_eq!(args.real("lr"), 0.1);
        assert_eq!(args.real("beta"), 0.5);
        assert!(!args.flag("amsgrad"));
        assert_eq!(args.count("t_max"), 5);
    }

    #[test]
    fn every_mistake_names_its_culprit() {
        let cases = [
            (
                "x:t_max=5,bogus=1",
                "unknown parameter 'bogus' (accepted: lr, beta, amsgrad, t_max)",
            ),
            ("x:t_max=5,lr=-1", "lr must be ≥ 0, got '-1'"),
            ("x:t_max=5,beta=1", "beta must be in [0, 1), got '1'"),
            ("x:t_max=5,lr=abc", "lr must be ≥ 0, got 'abc'"),
            ("x:t_max=5,lr=nan", "lr must be ≥ 0, got 'nan'"),
            ("x:t_max=0", "t_max must be a whole number ≥ 1, got '0'"),
            ("x", "missing required parameter 't_max'"),
            ("x:t_max", "'t_max' in 'x:t_max' is not key=value"),
            ("x:t_max=3,t_max=4", "parameter 't_max' given twice"),
            (
                "x:t_max=3,amsgrad=yes",
                "amsgrad must be true or false, got 'yes'",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err().0;
            assert!(err.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn spec_text_lists_what_differs_from_the_defaults_and_parses_back() {
        let mut args = parse("x:t_max=5").unwrap();
        assert_eq!(args.spec_text("x", PARAMS), "x:t_max=5");
        args.set("lr", Value::Real(1e-5));
        args.set("amsgrad", Value::Flag(true));
        let text = args.spec_text("x", PARAMS);
        assert_eq!(text, "x:lr=1e-5,amsgrad=true,t_max=5");
        assert_eq!(parse(&text).unwrap(), args);
    }

    #[test]
    fn points_parse_or_explain() {
        assert_eq!(parse_point("-1.5, 2").unwrap(), [-1.5, 2.0]);
        assert!(parse_point("1").is_err());
        assert!(parse_point("1,inf").is_err());
    }
}
