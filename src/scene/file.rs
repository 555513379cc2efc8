//! A scene file: reading RON with errors located at a line and column ([`Field`],
//! [`locate`]), and the checks every field must pass.

use super::{FORMAT_VERSION, MAX_LEVELS, MAX_RECORDS, MAX_STEPS, Scene, check_lr_scale};
use crate::landscape::Landscape;
use crate::optim::OptimizerSpec;
use crate::race::{check_noise, check_racer_count, check_start};
use crate::spec::{SpecError, spec_err};
use crate::surface::Bounds;

/// Which part of a scene file an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// A top-level field.
    Key(&'static str),
    /// The `optimizer` of the racer at this index.
    Racer(usize),
}

/// The 1-based line and column of `field` in a scene file's text: where its key is written
/// (outside strings and comments), or 1:1 when the field is absent (a default was used).
pub fn locate(text: &str, field: Field) -> (usize, usize) {
    let (key, nth) = match field {
        Field::Key(k) => (k, 0),
        Field::Racer(i) => ("optimizer", i),
    };
    let mut seen = 0;
    for (l, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut in_string = false;
        let bytes = code.as_bytes();
        for (c, ch) in code.char_indices() {
            if ch == '"' && (c == 0 || bytes[c - 1] != b'\\') {
                in_string = !in_string;
            }
            if in_string || !code[c..].starts_with(key) {
                continue;
            }
            let before_ok =
                c == 0 || !(bytes[c - 1].is_ascii_alphanumeric() || bytes[c - 1] == b'_');
            let after = code[c + key.len()..].trim_start();
            if before_ok && after.starts_with(':') {
                if seen == nth {
                    return (l + 1, code[..c].chars().count() + 1);
                }
                seen += 1;
            }
        }
    }
    (1, 1)
}

impl Scene {
    /// Parse a scene from RON text; `origin` (a file name) starts every error message, which
    /// then gives the line and column and what was expected.
    pub fn from_ron(text: &str, origin: &str) -> Result<Self, SpecError> {
        Self::parse(text, origin, Self::check)
    }

    /// Parse a scene to stream its race (`descent run`): every check but the memory budget
    /// ([`MAX_RECORDS`]), since records streamed are never kept.
    pub fn from_ron_streamed(text: &str, origin: &str) -> Result<Self, SpecError> {
        Self::parse(text, origin, Self::check_fields)
    }

    fn parse(
        text: &str,
        origin: &str,
        check: fn(&Self) -> Result<(), (Field, SpecError)>,
    ) -> Result<Self, SpecError> {
        // A byte-order mark, as some editors write at the start of UTF-8 files, is no content.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let scene: Scene = ron::from_str(text).map_err(|e| {
            let at = e.span.start;
            spec_err!("{origin}:{}:{}: {}", at.line, at.col, e.code)
        })?;
        if let Err((field, e)) = check(&scene) {
            let (line, col) = locate(text, field);
            return Err(spec_err!("{origin}:{line}:{col}: {e}"));
        }
        Ok(scene)
    }

    /// Check every field (disabled racers too) and that the race fits the memory budget
    /// ([`MAX_RECORDS`]); the error names the field it is about.
    pub fn check(&self) -> Result<(), (Field, SpecError)> {
        self.check_fields()?;
        self.check_records()
    }

    /// Whether the app and `descent render`, which keep every record, may hold this race.
    pub fn check_records(&self) -> Result<(), (Field, SpecError)> {
        if self.is_network() {
            return self.check_network_records();
        }
        let runs = self.racers.iter().filter(|r| r.enabled).count() as u64;
        let records = runs.saturating_mul(self.steps.saturating_add(1));
        if records > MAX_RECORDS {
            return Err((
                Field::Key("steps"),
                spec_err!(
                    "{runs} racers × {} steps keep {records} records, more than the \
                     {MAX_RECORDS} a scene may hold in memory: use fewer steps (at most {}) \
                     or fewer racers ('descent run' streams any number)",
                    self.steps,
                    (MAX_RECORDS / runs).saturating_sub(1)
                ),
            ));
        }
        Ok(())
    }

    /// Check every field (disabled racers too), not the memory budget. The rules a race
    /// shares (racers, noise, start) are the race's own ([`crate::race::check_racer_count`]).
    pub fn check_fields(&self) -> Result<(), (Field, SpecError)> {
        let key = |k| move |e: SpecError| (Field::Key(k), e);
        if self.version > FORMAT_VERSION {
            return Err((
                Field::Key("version"),
                spec_err!(
                    "scene format version {} is newer than this program's ({FORMAT_VERSION}); \
                     update descent to open it",
                    self.version
                ),
            ));
        }
        self.check_racers()?;
        crate::schedule::Schedule::parse(&self.schedule).map_err(key("schedule"))?;
        self.check_numbers()?;
        if self.batch == Some(0) {
            return Err((
                Field::Key("batch"),
                spec_err!("batch must be a whole number ≥ 1 (points per minibatch), got 0"),
            ));
        }
        if self.is_network() {
            return self.check_network();
        }
        self.check_network_fields_unset()?;
        self.check_surface()?;
        check_start(self.start).map_err(key("start"))?;
        let (spec, _) = self.race_spec().map_err(key("racers"))?;
        let race = spec.build().map_err(key("racers"))?;
        match &self.map {
            Some(map) => map.check(&race).map_err(key("map")),
            None => Ok(()),
        }
    }

    /// The data, the surface on its data, and the view.
    fn check_surface(&self) -> Result<(), (Field, SpecError)> {
        let key = |k| move |e: SpecError| (Field::Key(k), e);
        if let Some(data) = &self.data {
            crate::data::Dataset::parse(data).map_err(key("data"))?;
        }
        let landscape = Landscape::parse_with_data(&self.surface, self.data.as_deref())
            .map_err(key("surface"))?;
        if let Some(axis) = self
            .x_axis
            .filter(|a| a.needs_data() && landscape.data.is_none())
        {
            return Err((
                Field::Key("x_axis"),
                spec_err!(
                    "x_axis {axis:?} counts data points, and this surface has none: use Steps or \
                     Evaluations, or a model surface with data"
                ),
            ));
        }
        if let Some(b) = self.view {
            check_view(b).map_err(key("view"))?;
        }
        Ok(())
    }

    /// How many racers, and each one's optimizer, scaled lr and own schedule.
    fn check_racers(&self) -> Result<(), (Field, SpecError)> {
        check_racer_count(self.racers.len()).map_err(|e| (Field::Key("racers"), e))?;
        for (i, racer) in self.racers.iter().enumerate() {
            let spec = OptimizerSpec::parse(&racer.optimizer).map_err(|e| (Field::Racer(i), e))?;
            let lr = spec.lr() * self.lr_scale;
            if racer.enabled && !lr.is_finite() {
                return Err((
                    Field::Key("lr_scale"),
                    spec_err!(
                        "lr_scale {:?} times racer {}'s lr {:?} is {lr}: the product must be \
                         finite",
                        self.lr_scale,
                        i + 1,
                        spec.lr()
                    ),
                ));
            }
            if let Some(schedule) = &racer.schedule {
                crate::schedule::Schedule::parse(schedule).map_err(|e| {
                    (
                        Field::Racer(i),
                        spec_err!("racer {}'s schedule: {e}", i + 1),
                    )
                })?;
            }
        }
        Ok(())
    }

    /// The numbers with a range: lr_scale, noise, speed, steps and levels.
    fn check_numbers(&self) -> Result<(), (Field, SpecError)> {
        check_lr_scale(self.lr_scale).map_err(|e| (Field::Key("lr_scale"), e))?;
        check_noise(self.noise).map_err(|e| (Field::Key("noise"), e))?;
        let finite = |v: f64, ok: bool| (ok && v.is_finite(), v.to_string());
        // Whole numbers are echoed as written, not through f64 (which rounds beyond 2^53).
        let checks: [(&'static str, (bool, String), &str); 3] = [
            (
                "speed",
                finite(self.speed, self.speed > 0.0 && self.speed <= 10_000.0),
                "in (0, 10000] steps per second",
            ),
            (
                "steps",
                (
                    (1..=MAX_STEPS).contains(&self.steps),
                    self.steps.to_string(),
                ),
                "a whole number in 1 ..= 100000",
            ),
            (
                "levels",
                (self.levels <= MAX_LEVELS, self.levels.to_string()),
                "a whole number in 0 ..= 100",
            ),
        ];
        for (name, (ok, value), accepted) in checks {
            if !ok {
                return Err((
                    Field::Key(name),
                    spec_err!("{name} must be {accepted}, got {value}"),
                ));
            }
        }
        Ok(())
    }

    /// Read and check a scene file.
    pub fn load(path: &std::path::Path) -> Result<Self, SpecError> {
        let origin = path.display().to_string();
        Self::from_ron(&read(path)?, &origin)
    }

    /// Read and check a scene file to stream its race (see [`Scene::from_ron_streamed`]).
    pub fn load_streamed(path: &std::path::Path) -> Result<Self, SpecError> {
        let origin = path.display().to_string();
        Self::from_ron_streamed(&read(path)?, &origin)
    }
}

fn read(path: &std::path::Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path).map_err(|e| spec_err!("cannot read {}: {e}", path.display()))
}

/// The largest |coordinate| a view may show: beyond it runs count as diverged.
const VIEW_LIMIT: f64 = crate::surface::DIVERGENCE_BOX;

/// A view box the map can draw: finite, ordered, inside ±[`VIEW_LIMIT`], and each side wide
/// enough against its coordinates that neighbouring pixels are different numbers.
pub fn check_view(b: Bounds) -> Result<(), SpecError> {
    let side_ok = |[lo, hi]: [f64; 2]| {
        lo.abs() <= VIEW_LIMIT
            && hi.abs() <= VIEW_LIMIT
            && lo < hi
            && hi - lo >= 1e-9 * lo.abs().max(hi.abs())
    };
    if side_ok(b.x) && side_ok(b.y) {
        Ok(())
    } else {
        Err(spec_err!(
            "view must have x0 < x1 and y0 < y1 within ±1e12 (where runs count as diverged), \
             each side at least 1e-9 of its largest coordinate, got x {:?}, y {:?}",
            b.x,
            b.y
        ))
    }
}
