//! A network scene in the app: the training runs off the UI thread (a [`KeyedJob`] keyed by
//! the training it runs), its paths and plots growing as stretches of steps arrive; once
//! every path is complete, the slice of the landscape the map shows is computed (a coarse
//! grid, then the fine one), with each racer's line from init to its end. A new edit
//! cancels the old work. The map projects the paths onto the newest slice's plane, so an lr
//! dragged on the same model shows the new paths growing on the old slice until its own
//! arrives; only this training's paths are ever drawn.

mod card;
mod data;
mod dock;
mod gradcheck;
mod jobs;
mod map;
mod plots;

use std::sync::Arc;

use egui::{Color32, TextureHandle, TextureOptions};

use super::jobs::KeyedJob;
use super::panels::three_d::ThreeDScene;
use super::theme;
use crate::grid::Colormap;
use crate::scene::Scene;
use crate::slice::Projected;
use crate::spec::SpecError;
use crate::terrain::{Heights, Terrain};
use crate::train::live::{Trajectories, shown_at};
use crate::train::{TrainSpec, Training};
use gradcheck::{CheckKey, Checked};
use jobs::{SliceKey, SliceShown};

pub use data::data_view_ui;
pub use dock::{NetworkDock, network_dock_ui};
pub use map::slice_map_ui;
pub use plots::network_plots_ui;

/// One racer of the training, as the panels draw it.
pub struct NetRunView {
    /// `adam:lr=0.01` (as trained, the lr scaled).
    pub label: String,
    /// What tells it apart where room is short (the data view's panels): its init when every
    /// racer runs the same optimizer from its own init (preset 31), else its label.
    pub short: String,
    pub color: Color32,
    /// Its index in the scene's racers.
    pub racer: usize,
    /// The sharpness its lr is stable to (2/η for gradient descent; `None` beyond the SGD
    /// family).
    pub sharpness_limit: Option<f64>,
}

/// The training of the current network scene, its slice, and what is drawn from them.
pub struct NetworkView {
    spec: TrainSpec,
    training: Arc<Training>,
    pub runs: Vec<NetRunView>,
    trained: KeyedJob<TrainSpec, Trajectories>,
    slice: KeyedJob<SliceKey, Result<SliceShown, String>>,
    /// The shown slice coloured, and the (slice, colormap) it was coloured for.
    texture: Option<(TextureHandle, (usize, Colormap))>,
    /// Each run's points projected on the shown slice's plane: (a, b, off-plane distance),
    /// and the (steps taken, slice) they were projected for.
    projected: (Vec<Vec<Projected>>, (usize, usize)),
    /// How many slices were taken (the projection's key).
    slices_taken: usize,
    pub regions: data::RegionsCache,
    /// The box the data view shows: the training points' first two features (or x and y)
    /// with a margin, computed once per training.
    pub data_bounds: [[f64; 2]; 2],
    /// The shown slice as the 3D view's terrain, and the (slice, heights) it was made for.
    terrain: Option<((usize, Heights), Terrain)>,
    /// The gradient check of the Teach tab, at a racer's weights at a step.
    checked: KeyedJob<CheckKey, Checked>,
    /// Jobs run off the UI thread (else each is waited for in the frame that starts it).
    background: bool,
}

impl NetworkView {
    /// The view of a network scene, its training checked and ready (nothing trained yet);
    /// `background`: train off the UI thread (else each job is waited for in its frame).
    pub fn new(scene: &Scene, background: bool) -> Result<Self, SpecError> {
        scene.check().map_err(|(_, e)| e)?;
        let (spec, indices) = scene.train_spec()?;
        let training = Arc::new(spec.build()?);
        let data_bounds = data::extent(training.network().table());
        let optimizers = training.optimizers();
        let same_rule = optimizers.windows(2).all(|w| w[0].label == w[1].label);
        let runs = optimizers
            .iter()
            .zip(&indices)
            .map(|(o, &racer)| {
                let init = scene.racers[racer].init.as_deref();
                NetRunView {
                    // Racers that differ only in their init (preset 31) are told apart by it.
                    label: match init {
                        Some(init) => format!("{} · init {init}", o.label),
                        None => o.label.clone(),
                    },
                    short: match init.filter(|_| same_rule && optimizers.len() > 1) {
                        Some(init) => format!("init {init}"),
                        None => o.label.clone(),
                    },
                    color: theme::rgb(scene.racers[racer].color_at(racer)),
                    racer,
                    sharpness_limit: crate::curvature::sharpness_limit(o),
                }
            })
            .collect();
        Ok(Self {
            spec,
            training,
            runs,
            trained: KeyedJob::new(background),
            slice: KeyedJob::new(background),
            texture: None,
            projected: (Vec::new(), (0, 0)),
            slices_taken: 0,
            regions: data::RegionsCache::default(),
            data_bounds,
            terrain: None,
            checked: KeyedJob::new(background),
            background,
        })
    }

    /// Whether this view trains what `scene` asks for, each racer in its colour (an edit of
    /// the plane, the speed or the colormap keeps the training).
    pub fn serves(&self, scene: &Scene) -> bool {
        let Ok((spec, indices)) = scene.train_spec() else {
            return false;
        };
        spec == self.spec
            && indices.len() == self.runs.len()
            && indices.iter().zip(&self.runs).all(|(&racer, run)| {
                run.racer == racer && theme::rgb(scene.racers[racer].color_at(racer)) == run.color
            })
    }

    /// Take over the jobs of the view this one replaces: a job for another key is cancelled,
    /// and the last slice stays on screen (and projects this training's paths when the
    /// parameters fit its plane) until this training's own slice arrives.
    pub fn succeed(&mut self, old: NetworkView) {
        self.slice = old.slice;
        self.texture = old.texture;
        self.slices_taken = old.slices_taken;
        self.trained = old.trained;
    }

    pub fn training(&self) -> &Arc<Training> {
        &self.training
    }

    /// This training's trajectories so far (`None` until its first stretch arrives; never
    /// the last training's, whose parameters may not even fit this network).
    pub fn trajectories(&self) -> Option<&Trajectories> {
        self.trained.latest_for(&self.spec)
    }

    /// The slice on screen, and why there is none.
    pub fn slice(&self) -> (Option<&SliceShown>, Option<&str>) {
        match self.slice.latest() {
            Some(Ok(shown)) => (Some(shown), None),
            Some(Err(e)) => (None, Some(e.as_str())),
            None => (None, self.slice.error()),
        }
    }

    /// The slice's texture, once computed.
    pub fn texture(&self) -> Option<&TextureHandle> {
        self.texture.as_ref().map(|(t, _)| t)
    }

    /// The shown slice as a terrain with `heights`, made when the slice or the scale changed.
    pub fn terrain(&mut self, heights: Heights) -> Option<&Terrain> {
        let key = (self.slices_taken, heights);
        if self.terrain.as_ref().is_none_or(|(k, _)| *k != key) {
            let (
                Some(SliceShown {
                    map: Some((map, _)),
                    ..
                }),
                _,
            ) = self.slice()
            else {
                return None;
            };
            let terrain = Terrain::from_grid(map.grid.clone(), heights)?;
            self.terrain = Some((key, terrain));
        }
        self.terrain.as_ref().map(|(_, t)| t)
    }

    /// The 3D view's paths: each run's projected points up to `step`, each at its true loss
    /// (above or below the slice's surface, as far as the run was from the plane).
    pub fn three_d_scene(&self, step: u64, colormap: Colormap) -> ThreeDScene {
        let runs = self.trajectories().map_or(&[][..], |t| &t.runs[..]);
        let paths = self
            .runs
            .iter()
            .zip(runs)
            .zip(self.projected())
            .map(|((run, points), projected)| {
                let path = points
                    .iter()
                    .zip(projected)
                    .take_while(|(p, _)| p.step <= step)
                    .map(|(p, q)| [q.a, q.b, p.loss])
                    .collect();
                (run.color, path)
            })
            .collect();
        ThreeDScene {
            paths,
            colormap,
            axes: ["a", "b", "loss"],
        }
    }

    /// Keep the gradient check at racer `run`'s weights at `step` coming (once its point has
    /// been trained). While `playing`, a check runs to its end before the next one starts at
    /// the step then shown: the checks follow the timeline at their own pace.
    fn follow_check(&mut self, ctx: &egui::Context, run: usize, step: u64, playing: bool) {
        // Waiting for every job (tests, screenshots), a playing timeline keeps its check.
        let waiting = !self.background && self.checked.latest().is_some();
        let running = (self.checked.is_refining() || waiting).then(|| self.checked.key().cloned());
        let (key, parameters) = match running.flatten().filter(|_| playing) {
            Some(key) => (key, None),
            None => {
                let points = self.trajectories().and_then(|t| t.runs.get(run));
                let Some(point) = points.and_then(|points| shown_at(points, step)) else {
                    return;
                };
                if !point.parameters.iter().all(|v| v.is_finite()) {
                    return;
                }
                let key = CheckKey {
                    training: self.spec.clone(),
                    run,
                    step: point.step,
                };
                (key, Some(Arc::clone(&point.parameters)))
            }
        };
        let training = Arc::clone(&self.training);
        let repaint = ctx.clone();
        self.checked.follow(key.clone(), || {
            let notify = move || repaint.request_repaint();
            let parameters = parameters.ok_or("no weights to check")?;
            Ok(gradcheck::check_job(training, parameters, &key, notify).into())
        });
    }

    /// The check to show: the newest (coarse: forward differences only), or while the
    /// timeline plays the last finished one, so the picture does not flicker.
    fn checked(&self, playing: bool) -> Option<&Checked> {
        let latest = self.checked.latest();
        match (latest, self.checked.last_done()) {
            (Some(l), Some(done)) if playing && !l.is_full() => Some(done),
            (latest, _) => latest,
        }
    }

    /// Whether the central differences (or a check for a new point) are still coming.
    fn check_refining(&self) -> bool {
        self.checked.is_refining()
    }

    fn check_error(&self) -> Option<&str> {
        self.checked.error()
    }

    /// Each run's points on the shown slice's plane.
    pub fn projected(&self) -> &[Vec<Projected>] {
        &self.projected.0
    }

    /// What is still being computed, as a note for the map's corner.
    pub fn progress_note(&self) -> Option<String> {
        if let Some(f) = self.trained.fraction() {
            let done = self.trajectories().map_or(0, Trajectories::steps_done);
            let what = if self.trajectories().is_some_and(|t| t.complete) {
                "measuring the sharpness"
            } else {
                "training"
            };
            return Some(format!(
                "{what}… step {done} of {} ({:.0}%)",
                self.spec.steps,
                100.0 * f
            ));
        }
        if let Some(e) = self.trained.error() {
            return Some(format!("training stopped: {e}"));
        }
        self.slice
            .is_refining()
            .then(|| "slicing the landscape…".to_string())
    }

    /// Keep the training and the slice coming for `scene`; `aspect` is the map's width over
    /// its height (the slice's span is widened to it).
    pub fn update(&mut self, ctx: &egui::Context, scene: &Scene, aspect: f64) {
        profiling::function_scope!();
        let repaint = ctx.clone();
        let training = Arc::clone(&self.training);
        self.trained.follow(self.spec.clone(), || {
            Ok(jobs::training_job(training, move || repaint.request_repaint()).into())
        });
        self.follow_slice(ctx, scene, aspect);
        self.refresh_texture(ctx, scene.colormap);
        self.project();
    }

    /// Once this training's paths are complete, keep their slice coming.
    fn follow_slice(&mut self, ctx: &egui::Context, scene: &Scene, aspect: f64) {
        let Some(trajectories) = self.trained.latest_for(&self.spec).filter(|t| t.complete) else {
            return;
        };
        let Ok(spec) = scene.slice_spec(crate::scene::SLICE_GRID, Some(snap(aspect))) else {
            return;
        };
        let key = SliceKey {
            training: self.spec.clone(),
            slice: spec,
            levels: scene.levels,
        };
        let repaint = ctx.clone();
        let training = Arc::clone(&self.training);
        let fresh = self.slice.follow(key, || {
            let notify = move || repaint.request_repaint();
            let paths = trajectories.clone();
            Ok(jobs::slice_job(training, paths, spec, scene.levels, notify).into())
        });
        if fresh {
            self.slices_taken += 1;
        }
    }

    /// Colour the shown slice into the texture, when the slice or the colormap changed.
    fn refresh_texture(&mut self, ctx: &egui::Context, colormap: Colormap) {
        let key = (self.slices_taken, colormap);
        if self.texture.as_ref().is_some_and(|(_, k)| *k == key) {
            return;
        }
        let Some(Ok(SliceShown {
            map: Some((map, _)),
            ..
        })) = self.slice.latest()
        else {
            return;
        };
        let rgba = map.rgba(&colormap.table());
        let image = egui::ColorImage::from_rgba_unmultiplied([map.grid.nx, map.grid.ny], &rgba);
        match &mut self.texture {
            Some((texture, k)) => {
                texture.set(image, TextureOptions::LINEAR);
                *k = key;
            }
            None => {
                let texture = ctx.load_texture("slice", image, TextureOptions::LINEAR);
                self.texture = Some((texture, key));
            }
        }
    }

    /// Project every run's points on the shown slice's plane, when either changed.
    fn project(&mut self) {
        let steps: usize = self
            .trajectories()
            .map_or(0, |t| t.runs.iter().map(Vec::len).sum());
        let key = (steps, self.slices_taken);
        if key == self.projected.1 {
            return;
        }
        let (Some(shown), _) = self.slice() else {
            return;
        };
        let plane = &shown.slice.plane;
        let dims = plane.origin.len();
        let projected = match self.trajectories() {
            Some(t) if dims == self.training.start().len() => t
                .runs
                .iter()
                .map(|run| run.iter().map(|p| plane.project(&p.parameters)).collect())
                .collect(),
            _ => Vec::new(),
        };
        self.projected = (projected, key);
    }
}

/// The map's aspect ratio in steps of 1/8, so that resizing the window by a few pixels does
/// not slice the landscape again.
fn snap(aspect: f64) -> f64 {
    let aspect = if aspect.is_finite() {
        aspect.clamp(0.25, 4.0)
    } else {
        1.0
    };
    (aspect * 8.0).round() / 8.0
}
