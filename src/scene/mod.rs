//! A scene: everything that defines what the app shows — the surface, the start point,
//! the racers with their colours, the schedule, noise, seed, steps, playback speed, layout
//! and colours. The app keeps exactly this between launches, and issue 4's RON scene files
//! hold it too.

mod axis;
mod file;
mod network;

use serde::{Deserialize, Serialize};

pub use axis::XAxis;
pub use file::{Field, check_view, locate};
pub use network::{DEFAULT_NETWORK_DATA, SLICE_GRID};

use crate::grid::Colormap;
use crate::optim::OptimizerSpec;
use crate::race::RaceSpec;
use crate::spec::{SpecError, Value, spec_err};
use crate::surface::Bounds;

/// One optimizer taking part in a scene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Racer {
    /// An optimizer spec, e.g. `adam:lr=0.01`.
    pub optimizer: String,
    /// sRGB colour; `None` takes the next colour of the palette.
    pub color: Option<[u8; 3]>,
    /// A disabled racer stays in the scene but does not run.
    pub enabled: bool,
    /// This racer's own schedule spec (e.g. `constant`, for a baseline beside the scene's
    /// decay); `None` follows the scene's `schedule`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// In a network scene, this racer's own initialization (e.g. `zeros`, to set inits
    /// side by side); `None` follows the scene's `init`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<String>,
}

impl Default for Racer {
    fn default() -> Self {
        Self {
            optimizer: "gd:lr=0.01".into(),
            color: None,
            enabled: true,
            schedule: None,
            init: None,
        }
    }
}

impl Racer {
    pub fn new(optimizer: &str) -> Self {
        Self {
            optimizer: optimizer.into(),
            ..Self::default()
        }
    }

    /// The colour this racer is drawn in: its own, or the palette's for its position.
    pub fn color_at(&self, index: usize) -> [u8; 3] {
        self.color.unwrap_or(PALETTE[index % PALETTE.len()])
    }
}

/// Trajectory colours: the seven colours of the Okabe–Ito palette (Okabe & Ito, "Color
/// Universal Design", 2008), distinct under the common colour-vision deficiencies, ordered so
/// the first three stand out on viridis and orange and vermillion are never neighbours, then
/// a light violet. None is white or grey, so no path can be mistaken for an isoline or the
/// start ring; every line is drawn over a dark halo, so it stays visible on every colormap.
pub const PALETTE: [[u8; 3]; 8] = [
    [230, 159, 0],   // orange
    [86, 180, 233],  // sky blue
    [204, 121, 167], // reddish purple
    [0, 158, 115],   // bluish green
    [240, 228, 66],  // yellow
    [0, 114, 178],   // blue
    [213, 94, 0],    // vermillion
    [180, 150, 255], // light violet
];

/// How the map shows several racers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    /// Every trajectory on one map.
    #[default]
    Overlay,
    /// Small multiples: one map per racer, sharing the view and the clock.
    SideBySide,
    /// The surface as a rotatable 3D wireframe with the trajectories lying on it.
    ThreeD,
}

/// A group of controls a scene can hide (e.g. to leave a class only the lr slider).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Control {
    /// The surface picker, its parameters, the formula box and regularization.
    Surface,
    /// Colormap, contour levels and the view reset.
    Map,
    /// Adding, removing, enabling and recolouring optimizers.
    Racers,
    /// Each optimizer's own lr slider.
    LearningRates,
    /// Each optimizer's other hyperparameters.
    Hyperparameters,
    /// The slider that multiplies every lr.
    LrScale,
    /// Noise σ and its seed.
    Noise,
    /// The number of steps.
    Steps,
    /// The schedule and its warmup.
    Schedule,
}

impl Control {
    pub const ALL: [Control; 9] = [
        Self::Surface,
        Self::Map,
        Self::Racers,
        Self::LearningRates,
        Self::Hyperparameters,
        Self::LrScale,
        Self::Noise,
        Self::Steps,
        Self::Schedule,
    ];
}

/// Most steps a scene may ask for (every record of every run is kept for the timeline).
pub const MAX_STEPS: u64 = 100_000;
/// Most records (racers × (steps + 1)) a scene may keep in memory: the app and `descent
/// render` hold every record (72 bytes) for the timeline, and the app's force and model
/// overlays add a step detail (~300 bytes with its buffers) to each, so a million records
/// stay under ~0.5 GB all told. Eight racers at the 100,000-step maximum fit; `descent run`
/// streams and keeps none.
pub const MAX_RECORDS: u64 = 1_000_000;
/// Most contour levels a scene may ask for.
pub const MAX_LEVELS: usize = 100;

/// The scene format this program writes; files with a newer version are refused.
pub const FORMAT_VERSION: u32 = 1;

/// A complete scene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scene {
    /// The scene format's version ([`FORMAT_VERSION`]).
    pub version: u32,
    pub title: String,
    pub description: String,
    /// A surface spec, e.g. `quadratic:kappa=20,angle=30+l2=0.1`.
    pub surface: String,
    /// The map's view box; `None` for the surface's default.
    pub view: Option<Bounds>,
    /// The start point; `None` for the surface's default.
    pub start: Option<[f64; 2]>,
    pub racers: Vec<Racer>,
    /// Every racer's lr is multiplied by this (one slider moves them all).
    pub lr_scale: f64,
    /// A schedule spec, e.g. `cosine:t_max=200`.
    pub schedule: String,
    /// σ of the gradient noise (see [`crate::noise`]).
    pub noise: f64,
    pub seed: u64,
    /// Updates per run.
    pub steps: u64,
    /// Playback speed in steps per second.
    pub speed: f64,
    pub layout: Layout,
    pub colormap: Colormap,
    /// Contour levels drawn over the map.
    pub levels: usize,
    /// Controls the app does not show for this scene.
    pub hide: Vec<Control>,
    /// The teaching overlays the app shows (all off unless given).
    pub overlays: Overlays,
    /// The dataset of a model surface (`line:n=50`, `points.csv`, `points:0,1;1,3`); `None`
    /// for the model's default data.
    pub data: Option<String>,
    /// Minibatch size of racers whose optimizer has no `batch=B`; `None` for full batch.
    pub batch: Option<u64>,
    /// Shuffle the points each epoch (torch's DataLoader `shuffle`); `false` keeps file order.
    pub shuffle: bool,
    /// A map over many runs the scene shows (basins, phase diagram or cloud), if any.
    pub map: Option<crate::engine::MapSettings>,
    /// A network scene's initialization: `torch` (the default), `xavier`, `he` or `zeros`,
    /// each with `:scale=s`, or a JSON file of parameters (see [`crate::net::Init`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<String>,
    /// A network scene's held-out fraction of the points (seeded by `seed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<f64>,
    /// A network scene's loss, `cross-entropy` or `mse`; `None`: the data's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<String>,
    /// The slice a network scene's map shows: `pca` (of every path, the default), `random`
    /// (filter-normalized, through `racer`'s final point) or `line` (`racer`'s init → final).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plane: Option<String>,
    /// The racer (0-based, in `racers`) whose final point anchors a random plane or whose
    /// init and final point make the line.
    #[serde(skip_serializing_if = "is_zero")]
    pub racer: usize,
    /// What the plots count along x when the scene opens (`Steps`, `Evaluations`, or on data
    /// `Epochs`, `Samples`); `None`: the viewer's last choice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_axis: Option<XAxis>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Which teaching overlays the app shows; each is off unless set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Overlays {
    /// At each run's current point: −lr·∇f, the step taken, the velocity −lr·b of momentum
    /// methods, and the box ηᵢ·|gᵢ| of adaptive ones.
    pub forces: bool,
    /// The Hessian's axes, λ and κ under the cursor; the stability limit on the lr sliders.
    pub curvature: bool,
    /// Newton's and the quasi-Newton methods' model step −H⁻¹∇f, and line-search trials.
    pub model: bool,
    /// Arrows of −∇f on a coarse grid.
    pub field: bool,
    /// The metrics table.
    pub metrics: bool,
    /// The update-rule card.
    pub rule: bool,
    /// ‖∇f‖ and distance-to-minimum plots beside the loss.
    pub diagnostics: bool,
    /// On a data surface: the isolines of the next minibatch's own loss, and at each
    /// minibatch run's point the batch gradient beside the full one.
    pub minibatch: bool,
    /// The loss-functions tab: per-sample losses against the margin or residual, with the
    /// points of a run on its curve.
    pub losses: bool,
    /// The gradient-check tab: finite differences against the exact gradient, over h.
    pub gradcheck: bool,
}

impl Default for Scene {
    /// The scene a first launch opens: in an ill-conditioned canyon (κ = 25, tilted 30°),
    /// plain gradient descent zigzags across the walls, heavy-ball momentum overshoots and
    /// spirals in, and Adam heads diagonally — three stories at one glance.
    fn default() -> Self {
        Self {
            version: FORMAT_VERSION,
            title: "Gradient descent, momentum and Adam in a canyon".into(),
            description: "κ = 25: GD zigzags across the steep walls, momentum builds speed \
                          along the floor, Adam moves diagonally."
                .into(),
            surface: "quadratic:kappa=25,angle=30".into(),
            view: None,
            start: Some([-2.6, 1.2]),
            racers: vec![
                Racer::new("gd:lr=0.075"),
                Racer::new("momentum:lr=0.012,momentum=0.8"),
                Racer::new("adam:lr=0.1"),
            ],
            lr_scale: 1.0,
            schedule: "constant".into(),
            noise: 0.0,
            seed: 0,
            steps: 150,
            speed: 30.0,
            layout: Layout::Overlay,
            colormap: Colormap::Viridis,
            levels: 20,
            hide: Vec::new(),
            overlays: Overlays::default(),
            data: None,
            batch: None,
            shuffle: true,
            map: None,
            init: None,
            test: None,
            loss: None,
            plane: None,
            racer: 0,
            x_axis: None,
        }
    }
}

impl Scene {
    /// Whether the app shows `control` for this scene.
    pub fn shows(&self, control: Control) -> bool {
        !self.hide.contains(&control)
    }

    /// The scene as RON, as [`Scene::from_ron`] reads it back.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new().struct_names(true);
        ron::ser::to_string_pretty(self, config).unwrap_or_else(|e| format!("// {e}"))
    }

    /// The race this scene runs: its enabled racers, each lr multiplied by `lr_scale`.
    /// Returns the index in `racers` of each run alongside.
    pub fn race_spec(&self) -> Result<(RaceSpec, Vec<usize>), SpecError> {
        if self.is_network() {
            return Err(spec_err!(
                "surface '{}' is a network: its scene trains (descent train, descent \
                 landscape), it does not race in the plane",
                self.surface
            ));
        }
        let (optimizers, mut schedules, indices) = self.enabled_racers()?;
        if schedules.iter().all(Option::is_none) {
            schedules.clear();
        }
        let spec = RaceSpec {
            surface: self.surface.clone(),
            start: self.start,
            optimizers,
            schedule: self.schedule.clone(),
            schedules,
            noise: self.noise,
            seed: self.seed,
            steps: self.steps,
            data: self.data.clone(),
            batch: self.batch,
            shuffle: self.shuffle,
        };
        Ok((spec, indices))
    }

    /// The enabled racers' optimizer specs (each lr × `lr_scale`) and own schedules, and the
    /// index in `racers` of each.
    fn enabled_racers(&self) -> Result<EnabledRacers, SpecError> {
        check_lr_scale(self.lr_scale)?;
        let mut racers = (Vec::new(), Vec::new(), Vec::new());
        for (i, racer) in self.racers.iter().enumerate() {
            if racer.enabled {
                racers.0.push(scaled_lr(&racer.optimizer, self.lr_scale)?);
                racers.1.push(racer.schedule.clone());
                racers.2.push(i);
            }
        }
        Ok(racers)
    }
}

/// Enabled racers' optimizer specs, own schedules and indices in the scene's `racers`.
type EnabledRacers = (Vec<String>, Vec<Option<String>>, Vec<usize>);

/// The factor on every racer's lr: finite and ≥ 0.
fn check_lr_scale(scale: f64) -> Result<(), SpecError> {
    if scale.is_finite() && scale >= 0.0 {
        Ok(())
    } else {
        Err(spec_err!(
            "lr_scale must be a finite number ≥ 0, got {scale}"
        ))
    }
}

/// The spec with its lr multiplied by `scale` (the spec itself when the scale is 1).
fn scaled_lr(spec: &str, scale: f64) -> Result<String, SpecError> {
    let mut parsed = OptimizerSpec::parse(spec)?;
    if scale == 1.0 {
        return Ok(spec.to_string());
    }
    parsed.args.set("lr", Value::Real(parsed.lr() * scale));
    Ok(parsed.spec_text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::race::Status;

    #[test]
    fn the_default_scene_tells_its_story() {
        let (spec, indices) = Scene::default().race_spec().unwrap();
        assert_eq!(indices, [0, 1, 2]);
        let paths = spec.build().unwrap().trajectories();
        for path in &paths {
            assert_eq!(path.len(), 151, "no run ends early");
            assert!(
                path[150].loss < path[0].loss / 100.0,
                "{:?} descends",
                path[150]
            );
        }
        for path in &paths[..2] {
            assert!(
                path[150].loss < 1e-3,
                "{:?} ends near the minimum",
                path[150]
            );
        }
        // Adam's first step is −lr·sign(g): exactly diagonal, whatever the canyon's angle.
        let (dx, dy) = (paths[2][1].x - paths[2][0].x, paths[2][1].y - paths[2][0].y);
        assert!(
            (dx.abs() - 0.1).abs() < 1e-9 && (dy.abs() - 0.1).abs() < 1e-9,
            "{dx}, {dy}"
        );
        // GD zigzags: its steps alternate sides of the canyon floor (the steep direction
        // v flips sign every step), while momentum's do not flip every time.
        let flips = |path: &[crate::race::Record]| {
            let (s, c) = 30f64.to_radians().sin_cos();
            let v: Vec<f64> = path[..40].iter().map(|r| -s * r.x + c * r.y).collect();
            v.windows(2).filter(|w| w[0] * w[1] < 0.0).count()
        };
        assert!(flips(&paths[0]) > 30, "gd zigzags: {}", flips(&paths[0]));
        assert!(flips(&paths[1]) < 15, "momentum: {}", flips(&paths[1]));
    }

    #[test]
    fn lr_scale_multiplies_every_enabled_racer() {
        let mut scene = Scene {
            lr_scale: 2.0,
            ..Scene::default()
        };
        scene.racers[1].enabled = false;
        let (spec, indices) = scene.race_spec().unwrap();
        assert_eq!(indices, [0, 2]);
        assert_eq!(spec.optimizers, ["gd:lr=0.15", "adam:lr=0.2"]);
        // A minibatch size is not an optimizer parameter, yet it survives the rewrite.
        let batched = OptimizerSpec::parse("momentum:lr=0.1,batch=8").unwrap();
        assert_eq!(batched.spec_text(), "momentum:lr=0.1,batch=8");
        assert_eq!(scaled_lr("gd:batch=4", 2.0).unwrap(), "gd:lr=0.002,batch=4");
        scene.lr_scale = f64::NAN;
        assert!(scene.race_spec().is_err());
    }

    #[test]
    fn ron_round_trips_and_errors_name_file_line_and_column() {
        let scene = Scene::default();
        assert_eq!(Scene::from_ron(&scene.to_ron(), "x.ron").unwrap(), scene);
        let err = Scene::from_ron("Scene(\n  title: \"t\",\n  bogus: 1,\n)", "x.ron").unwrap_err();
        assert!(err.0.starts_with("x.ron:3:"), "{err}");
        assert!(err.0.contains("bogus"), "{err}");
        let err = Scene::from_ron("(version: 99)", "x.ron").unwrap_err();
        assert!(err.0.contains("version 99 is newer"), "{err}");
        let err = Scene::from_ron("(\n  steps: 0,\n)", "x.ron").unwrap_err();
        assert_eq!(
            err.0,
            "x.ron:2:3: steps must be a whole number in 1 ..= 100000, got 0"
        );
    }

    #[test]
    fn an_x_axis_of_data_points_needs_data() {
        let text = "(\n  x_axis: Some(Samples),\n)";
        let err = Scene::from_ron(text, "x.ron").unwrap_err();
        assert!(
            err.0
                .starts_with("x.ron:2:3: x_axis Samples counts data points"),
            "{err}"
        );
        let data = "(\n  surface: \"linear-regression\",\n  x_axis: Some(Epochs),\n)";
        let scene = Scene::from_ron(data, "x.ron").unwrap();
        assert_eq!(scene.x_axis, Some(XAxis::Epochs));
        assert_eq!(Scene::from_ron(&scene.to_ron(), "x.ron").unwrap(), scene);
        assert!(Scene::from_ron("(x_axis: Some(Weeks))", "x.ron").is_err());
    }

    #[test]
    fn a_racers_own_schedule_is_checked_and_kept() {
        let text = "(\n  racers: [\n    (optimizer: \"gd:lr=0.1\"),\n    (optimizer: \"gd:lr=0.1\", schedule: Some(\"bogus\")),\n  ],\n)";
        let err = Scene::from_ron(text, "x.ron").unwrap_err();
        assert!(
            err.0.starts_with("x.ron:4:6: racer 2's schedule: "),
            "{err}"
        );
        let mut scene = Scene::default();
        scene.racers[2].schedule = Some("constant".into());
        scene.schedule = "step:step_size=10,gamma=0.5".into();
        let ron = scene.to_ron();
        assert_eq!(
            ron.matches("schedule:").count(),
            2,
            "unset ones are not written"
        );
        assert_eq!(Scene::from_ron(&ron, "x.ron").unwrap(), scene);
        let (spec, _) = scene.race_spec().unwrap();
        assert_eq!(spec.schedules, [None, None, Some("constant".into())]);
    }

    #[test]
    fn a_large_lr_scale_shows_divergence_not_a_failure() {
        let scene = Scene {
            lr_scale: 100.0,
            ..Scene::default()
        };
        let paths = scene.race_spec().unwrap().0.build().unwrap().trajectories();
        assert_eq!(paths[0].last().unwrap().status, Status::Diverged);
    }
}
