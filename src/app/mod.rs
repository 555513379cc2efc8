//! The desktop app (feature `gui`): a contour map with the race animated on it, loss and
//! learning-rate plots, and live controls. It holds no optimizer logic: a change to any
//! control rebuilds the race in the core (microseconds to a millisecond in 2D) and the app
//! shows `records[..=step]`.

mod controls;
mod files;
mod teach;
mod theme;
mod view;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use egui::{Key, Modifiers, RichText, ViewportCommand};

use crate::atomic::write_atomically;
use crate::curvature::Curvature;
use crate::metrics::{Metrics, Targets, summarize};
use crate::race::{Race, Status, StepDetail};
use crate::scene::{Layout, Overlays, Scene};
use crate::spec::SpecError;
use crate::surface::{Bounds, Landscape};
use crate::terrain::{Orbit, Terrain};
use controls::Drafts;
use view::{MapCache, MapScene, RunView};

pub use teach::layer;
pub use view::MAX_RESOLUTION;

/// How the app is started.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Open this scene instead of the last one.
    pub scene: Option<Scene>,
    /// Play this many frames, save a screenshot of the window and exit.
    pub screenshot: Option<ScreenshotRequest>,
}

#[derive(Clone, Debug)]
pub struct ScreenshotRequest {
    pub path: PathBuf,
    pub frames: u64,
}

/// The key the last scene is kept under between launches.
const SCENE_KEY: &str = "descent-scene";

/// Open the window and run until it closes. In screenshot mode, `Err` says why no
/// screenshot was written.
pub fn run(options: Options) -> Result<(), String> {
    let outcome = Arc::new(Mutex::new(None));
    let screenshot = options.screenshot.is_some();
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Descent")
            .with_app_id("descent")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([480.0, 320.0]),
        persist_window: !screenshot,
        ..Default::default()
    };
    let app_outcome = Arc::clone(&outcome);
    eframe::run_native(
        "Descent",
        native,
        Box::new(move |cc| {
            let mut app = DescentApp::new(cc, options);
            if let Some(job) = &mut app.screenshot {
                job.outcome = app_outcome;
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("could not open the window: {e}"))?;
    if !screenshot {
        return Ok(());
    }
    let result = outcome
        .lock()
        .map_err(|_| "the screenshot thread panicked".to_string())?
        .take();
    result.unwrap_or_else(|| Err("the window closed before the screenshot was taken".into()))
}

/// Where an export thread leaves its outcome (a message, or why it failed).
type ExportSlot = Arc<Mutex<Option<Result<String, String>>>>;

/// A pending `--screenshot`.
struct ScreenshotJob {
    path: PathBuf,
    frames: u64,
    requested_at: Option<u64>,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    outcome: Arc<Mutex<Option<Result<(), String>>>>,
}

/// The race of the current scene, ready to draw.
pub struct RaceView {
    pub landscape: Arc<Landscape>,
    pub runs: Vec<RunView>,
    /// The lowest known minimum, if the surface has known minima.
    pub f_star: Option<f64>,
    pub start: [f64; 2],
    /// λmax of the Hessian at the global (else the first) known minimum: the curvature the
    /// lr sliders' stability marks are computed for.
    pub lambda_max: Option<f64>,
    race: Race,
    /// Every run's step details, computed the first time an overlay needs them.
    details: OnceLock<Vec<Vec<StepDetail>>>,
    /// The metrics table, computed the first time it is shown.
    metrics: OnceLock<Vec<Metrics>>,
}

impl RaceView {
    /// Run the scene's race in the core.
    pub fn compute(scene: &Scene) -> Result<Self, SpecError> {
        let (spec, indices) = scene.race_spec()?;
        let race = spec.build()?;
        let f_star = race
            .landscape
            .critical
            .iter()
            .filter(|c| c.is_minimum())
            .map(|c| c.f)
            .reduce(f64::min);
        let paths = race.trajectories();
        let reference = f_star.unwrap_or_else(|| {
            paths
                .iter()
                .flatten()
                .map(|r| r.loss)
                .filter(|f| f.is_finite())
                .fold(f64::INFINITY, f64::min)
        });
        let targets = Targets::of(&race.landscape);
        let runs = paths
            .into_iter()
            .zip(&indices)
            .zip(&race.optimizers)
            .enumerate()
            .map(|(run, ((records, &racer), spec))| {
                let color = theme::rgb(scene.racers[racer].color_at(racer));
                let label = spec.display_label();
                RunView::new((racer, run), label, color, records, reference, &targets)
            })
            .collect();
        let critical = &race.landscape.critical;
        let lambda_max = critical
            .iter()
            .find(|c| c.kind == crate::surface::CriticalKind::GlobalMinimum)
            .or_else(|| critical.iter().find(|c| c.is_minimum()))
            .map(|c| Curvature::at(race.landscape.surface.as_ref(), c.point()).lambda_max())
            .filter(|l| l.is_finite() && *l > 0.0);
        Ok(Self {
            start: [race.start.x, race.start.y],
            landscape: Arc::clone(&race.landscape),
            runs,
            f_star,
            lambda_max,
            race,
            details: OnceLock::new(),
            metrics: OnceLock::new(),
        })
    }

    /// Every run's step details (the forces the overlays draw), computed once per race.
    pub fn details(&self) -> &[Vec<StepDetail>] {
        self.details
            .get_or_init(|| (0..self.runs.len()).map(|i| self.race.details(i)).collect())
    }

    /// The metrics table at the default tolerance, computed once per race.
    pub fn metrics(&self) -> &[Metrics] {
        self.metrics
            .get_or_init(|| summarize(&self.race, crate::metrics::DEFAULT_TOLERANCE))
    }
}

/// The app: the scene (what is kept between launches), the race computed from it, the
/// map cache, and playback.
pub struct DescentApp {
    scene: Scene,
    drafts: Drafts,
    race: RaceView,
    map: MapCache,
    /// Fractional so slow speeds advance smoothly.
    step: f64,
    playing: bool,
    presentation: bool,
    show_help: bool,
    /// Why the last edit was refused (the scene kept its previous state).
    error: Option<String>,
    /// Put the map back to these bounds on the next frame.
    reset_view: Option<Bounds>,
    /// The view the user chose (by panning, zooming or a reset): a resized map shows all of it.
    intended_view: Bounds,
    /// The map's size in pixels last frame (sets the grid's resolution).
    map_pixels: [usize; 2],
    /// The first map's screen rectangle and view last frame (for tests and tools).
    map_frame: Option<(egui::Rect, Bounds)>,
    /// The open file chooser, if any.
    dialog: Option<files::FileDialog>,
    /// The last file operation's outcome, shown under the title.
    status: Option<String>,
    /// An export running on another thread.
    job: Option<ExportSlot>,
    screenshot: Option<ScreenshotJob>,
    frame: u64,
    /// The metrics table's order.
    sort: teach::Sort,
    /// The run the update-rule card shows.
    card_run: usize,
    /// The teaching layers drawn on the maps last frame.
    drawn: Vec<&'static str>,
    /// The 3D view's camera, and its terrain for (surface, view).
    orbit: Orbit,
    terrain: Option<((String, Bounds), Terrain)>,
}

impl DescentApp {
    pub fn new(cc: &eframe::CreationContext<'_>, options: Options) -> Self {
        theme::apply(&cc.egui_ctx);
        let remembered = match (&options.screenshot, cc.storage) {
            (None, Some(storage)) => eframe::get_value::<Scene>(storage, SCENE_KEY),
            _ => None,
        };
        let (scene, race) = [options.scene, remembered]
            .into_iter()
            .flatten()
            .find_map(|s| RaceView::compute(&s).ok().map(|r| (s, r)))
            .unwrap_or_else(|| {
                let scene = Scene::default();
                let race = RaceView::compute(&scene).expect("the default scene builds");
                (scene, race)
            });
        let intended_view = scene.view.unwrap_or(race.landscape.view);
        Self {
            scene,
            drafts: Drafts::default(),
            race,
            map: MapCache::default(),
            step: 0.0,
            playing: true,
            presentation: false,
            show_help: false,
            error: None,
            reset_view: Some(intended_view),
            intended_view,
            map_pixels: [MAX_RESOLUTION; 2],
            map_frame: None,
            dialog: None,
            status: None,
            job: None,
            screenshot: options.screenshot.map(|r| ScreenshotJob {
                path: r.path,
                frames: r.frames,
                requested_at: None,
                image: Arc::default(),
                outcome: Arc::default(),
            }),
            frame: 0,
            sort: teach::Sort::default(),
            card_run: 0,
            drawn: Vec::new(),
            orbit: Orbit::default(),
            terrain: None,
        }
    }

    /// Which teaching overlays are on.
    pub fn overlays(&self) -> Overlays {
        self.scene.overlays
    }
    /// The 3D view's camera.
    pub fn orbit(&self) -> Orbit {
        self.orbit
    }
    /// The teaching layers drawn on the maps last frame (see [`layer`]).
    pub fn drawn_layers(&self) -> &[&'static str] {
        &self.drawn
    }

    pub fn scene(&self) -> &Scene {
        &self.scene
    }
    /// The step the timeline shows.
    pub fn step(&self) -> u64 {
        self.step as u64
    }
    pub fn is_playing(&self) -> bool {
        self.playing
    }
    pub fn is_presenting(&self) -> bool {
        self.presentation
    }
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
    pub fn expression_error(&self) -> Option<&str> {
        self.drafts.expr_error.as_deref()
    }
    pub fn race(&self) -> &RaceView {
        &self.race
    }
    /// Where the (first) map was drawn last frame, and the view it showed.
    pub fn map_frame(&self) -> Option<(egui::Rect, Bounds)> {
        self.map_frame
    }
    /// The screen position of a surface point on the (first) map, as of last frame.
    pub fn screen_from_surface(&self, p: [f64; 2]) -> Option<egui::Pos2> {
        let (rect, b) = self.map_frame?;
        let x = rect.left() + ((p[0] - b.x[0]) / (b.x[1] - b.x[0])) as f32 * rect.width();
        let y = rect.bottom() - ((p[1] - b.y[0]) / (b.y[1] - b.y[0])) as f32 * rect.height();
        Some(egui::pos2(x, y))
    }

    /// Adopt an edited scene if its race builds; otherwise keep the current one and say why.
    /// The timeline keeps its step.
    pub fn adopt(&mut self, candidate: Scene) {
        if candidate == self.scene {
            return;
        }
        match RaceView::compute(&candidate) {
            Ok(race) => {
                self.scene = candidate;
                self.race = race;
                self.error = None;
                self.step = self.step.min(self.scene.steps as f64);
            }
            Err(e) => self.error = Some(e.0),
        }
    }

    /// Replace the whole scene (a preset, an opened or dropped file): its own view, step 0,
    /// playing. A scene whose race does not build is refused and the current one kept.
    pub fn load_scene(&mut self, scene: Scene, origin: &str) {
        match RaceView::compute(&scene) {
            Ok(race) => {
                self.intended_view = scene.view.unwrap_or(race.landscape.view);
                self.reset_view = Some(self.intended_view);
                self.scene = scene;
                self.race = race;
                self.drafts = Drafts::default();
                self.error = None;
                self.status = Some(format!("opened {origin}"));
                self.step = 0.0;
                self.playing = true;
            }
            Err(e) => self.error = Some(format!("{origin}: {e}")),
        }
    }

    /// Open a scene file; a bad file leaves the current scene and says why.
    pub fn open_path(&mut self, path: &std::path::Path) {
        match Scene::load(path) {
            Ok(scene) => self.load_scene(scene, &path.display().to_string()),
            Err(e) => self.error = Some(e.0),
        }
    }

    /// The last file operation's outcome.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    fn file_menu(&mut self, ui: &mut egui::Ui) {
        let here = std::env::current_dir().unwrap_or_default();
        let stem = "scene";
        let choose = |purpose| Some(files::FileDialog::new(purpose, here.clone(), stem));
        if ui.button("Open…").clicked() {
            self.dialog = choose(files::Purpose::Open);
        }
        if ui.button("Save as…").clicked() {
            self.dialog = choose(files::Purpose::Save);
        }
        ui.separator();
        for (label, kind) in [
            ("Export trajectories as CSV…", files::Export::Csv),
            ("Export trajectories as JSON…", files::Export::Json),
            ("Export view as PNG…", files::Export::Png),
            ("Export race as GIF…", files::Export::Gif),
        ] {
            if ui.button(label).clicked() {
                self.dialog = choose(files::Purpose::Export(kind));
            }
        }
    }

    fn presets_menu(&mut self, ui: &mut egui::Ui) {
        for (name, scene) in crate::presets::all() {
            let Ok(scene) = scene else { continue };
            let button = ui.button(RichText::new(&scene.title).strong());
            ui.label(RichText::new(&scene.description).small());
            ui.add_space(4.0);
            if button.clicked() {
                self.load_scene(scene.clone(), &format!("preset {name}"));
                ui.close();
            }
        }
    }

    /// Act on the file chooser's answer and collect a finished export.
    fn files(&mut self, ctx: &egui::Context) {
        if let Some(dialog) = &mut self.dialog
            && let Some(answer) = dialog.ui(ctx)
        {
            let purpose = dialog.purpose;
            self.dialog = None;
            if let Some(path) = answer {
                match purpose {
                    files::Purpose::Open => self.open_path(&path),
                    files::Purpose::Save => match files::save_scene(&self.scene, &path) {
                        Ok(done) => (self.status, self.error) = (Some(done), None),
                        Err(e) => self.error = Some(e),
                    },
                    files::Purpose::Export(kind) => self.start_export(ctx, kind, path),
                }
            }
        }
        let dropped: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.last() {
            self.open_path(path);
        }
        let finished = self
            .job
            .as_ref()
            .and_then(|job| job.lock().ok().and_then(|mut r| r.take()));
        match finished {
            Some(Ok(done)) => (self.status, self.job) = (Some(done), None),
            Some(Err(e)) => (self.error, self.job) = (Some(e), None),
            None => {}
        }
    }

    /// Exports run on another thread (a GIF takes a moment) and report back.
    fn start_export(&mut self, ctx: &egui::Context, kind: files::Export, path: std::path::PathBuf) {
        let scene = self.scene.clone();
        let step = self.step();
        // The picture has the map's shape; a GIF at most 800 pixels wide.
        let [w, h] = self.map_pixels.map(|p| p.clamp(64, 4096) as u32);
        let size = match kind {
            files::Export::Gif if w > 800 => [800, (h * 800 / w).max(64)],
            _ => [w, h],
        };
        let slot: ExportSlot = Arc::new(Mutex::new(None));
        let (result, repaint) = (Arc::clone(&slot), ctx.clone());
        std::thread::spawn(move || {
            let outcome = files::export(&scene, kind, &path, step, size);
            if let Ok(mut r) = result.lock() {
                *r = Some(outcome);
            }
            repaint.request_repaint();
        });
        self.status = Some("exporting…".into());
        self.job = Some(slot);
    }

    fn toggle_play(&mut self) {
        if !self.playing && self.step() >= self.scene.steps {
            self.step = 0.0;
        }
        self.playing = !self.playing;
    }

    fn single_step(&mut self) {
        self.playing = false;
        self.step = (self.step.floor() + 1.0).min(self.scene.steps as f64);
    }

    fn reset(&mut self) {
        self.playing = false;
        self.step = 0.0;
    }

    fn set_presentation(&mut self, ctx: &egui::Context, on: bool) {
        self.presentation = on;
        ctx.send_viewport_cmd(ViewportCommand::Fullscreen(on));
        ctx.set_zoom_factor(if on { 1.3 } else { 1.0 });
    }

    /// Space, →, R, F, ? and Esc, unless a text field is being typed into.
    fn shortcuts(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let pressed = |key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        if pressed(Key::Space) {
            self.toggle_play();
        }
        if pressed(Key::ArrowRight) {
            self.single_step();
        }
        if pressed(Key::R) {
            self.reset();
        }
        if pressed(Key::F) {
            self.set_presentation(ctx, !self.presentation);
        }
        if pressed(Key::Escape) && self.presentation {
            self.set_presentation(ctx, false);
        }
        if pressed(Key::Questionmark)
            || ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, Key::Slash))
        {
            self.show_help = !self.show_help;
        }
    }

    /// Move the clock: `speed` steps per second while playing.
    fn advance(&mut self, ctx: &egui::Context) {
        if !self.playing {
            return;
        }
        // A screenshot plays at a fixed 60 frames per second, so it shows the same step
        // however fast the machine draws.
        let dt = if self.screenshot.is_some() {
            1.0 / 60.0
        } else {
            f64::from(ctx.input(|i| i.stable_dt)).min(0.1)
        };
        self.step += self.scene.speed * dt;
        let end = self.scene.steps as f64;
        if self.step >= end {
            self.step = end;
            self.playing = false;
        }
        ctx.request_repaint();
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.menu_button("File", |ui| self.file_menu(ui));
            ui.menu_button("Presets", |ui| {
                egui::ScrollArea::vertical()
                    .max_height(600.0)
                    .show(ui, |ui| {
                        ui.set_max_width(560.0);
                        self.presets_menu(ui);
                    });
            });
            ui.menu_button("Teach", |ui| {
                teach::overlays_menu_ui(ui, &mut self.scene.overlays);
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("?")
                    .on_hover_text("keyboard shortcuts (?)")
                    .clicked()
                {
                    self.show_help = !self.show_help;
                }
                let label = if self.presentation {
                    "Exit presentation"
                } else {
                    "Present (F)"
                };
                if ui.button(label).clicked() {
                    let on = !self.presentation;
                    self.set_presentation(ui.ctx(), on);
                }
                ui.separator();
                let mut layout = self.scene.layout;
                ui.selectable_value(&mut layout, Layout::ThreeD, "3D")
                    .on_hover_text("the surface in 3D; drag to rotate");
                ui.selectable_value(&mut layout, Layout::SideBySide, "Side by side");
                ui.selectable_value(&mut layout, Layout::Overlay, "Overlay");
                self.scene.layout = layout;
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(egui::Label::new(RichText::new(&self.scene.title).heading()).truncate());
                });
            });
        });
        if !self.scene.description.is_empty() {
            ui.label(&self.scene.description);
        }
        if let Some(status) = &self.status {
            ui.label(
                RichText::new(status)
                    .small()
                    .color(egui::Color32::LIGHT_GREEN),
            );
        }
    }

    fn playback_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let play = if self.playing { "Pause" } else { "Play" };
            if ui.button(RichText::new(play).size(20.0)).clicked() {
                self.toggle_play();
            }
            if ui.button("Step").on_hover_text("one step (→)").clicked() {
                self.single_step();
            }
            if ui
                .button("Reset")
                .on_hover_text("back to step 0 (R)")
                .clicked()
            {
                self.reset();
            }
            ui.add(
                theme::slider(&mut self.scene.speed, 1.0..=1000.0)
                    .logarithmic(true)
                    .text("steps/s"),
            );
            let mut step = self.step();
            ui.spacing_mut().slider_width = (ui.available_width() - 160.0).max(80.0);
            let timeline = ui.add(
                theme::slider(&mut step, 0..=self.scene.steps)
                    .text("step")
                    .integer(),
            );
            if timeline.changed() {
                self.step = step as f64;
                self.playing = false;
            }
        });
    }

    fn help_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_help;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("keys").striped(true).show(ui, |ui| {
                    for (key, what) in [
                        ("Space", "play / pause"),
                        ("→ (right arrow)", "one step"),
                        ("R", "reset to step 0"),
                        ("F", "presentation mode (full screen, large type)"),
                        ("Esc", "leave presentation mode"),
                        ("?", "this list"),
                        ("click the map", "start from there"),
                        ("drag the start ring", "move the start; every path follows"),
                        ("drag / scroll", "pan / zoom the map"),
                    ] {
                        ui.label(RichText::new(key).strong());
                        ui.label(what);
                        ui.end_row();
                    }
                });
                ui.label(
                    RichText::new(format!(
                        "last map: {:.1} ms for {}×{} samples",
                        self.map.last_compute.as_secs_f64() * 1e3,
                        self.map.map().map_or(0, |m| m.grid.nx),
                        self.map.map().map_or(0, |m| m.grid.ny),
                    ))
                    .small(),
                );
            });
        self.show_help = open;
    }

    fn maps(&mut self, ui: &mut egui::Ui) {
        if self.scene.layout == Layout::ThreeD {
            self.drawn.clear();
            self.three_d(ui);
            return;
        }
        teach::key_ui(ui, self.scene.overlays);
        let bounds = self.scene.view.unwrap_or(self.race.landscape.view);
        let bounds = self.reset_view.unwrap_or(bounds);
        let resetting = self.reset_view.is_some();
        let resolution = self.map_pixels.map(|p| p.min(MAX_RESOLUTION));
        self.map.update(
            ui.ctx(),
            &self.race.landscape,
            bounds,
            resolution,
            self.scene.levels,
            self.scene.colormap,
        );
        let step = self.step();
        let start = self.scene.start.unwrap_or(self.race.start);
        let overlays = self.scene.overlays;
        let details = (overlays.forces || overlays.model).then(|| self.race.details());
        let scene = MapScene {
            landscape: &self.race.landscape,
            cache: &self.map,
            start,
            step,
            reset_to: self.reset_view.take(),
            overlays,
            details,
        };
        let mut responses = Vec::new();
        match self.scene.layout {
            Layout::Overlay => {
                let runs: Vec<&RunView> = self.race.runs.iter().collect();
                responses.push(view::map_plot(ui, "overlay", &scene, &runs, true, false));
            }
            Layout::ThreeD => {}
            Layout::SideBySide => {
                let n = self.race.runs.len().max(1);
                let avail = ui.available_size();
                let columns = (1..=n)
                    .min_by_key(|&c| {
                        let rows = n.div_ceil(c);
                        let side = (avail.x / c as f32).min(avail.y / rows as f32);
                        -(side as i64)
                    })
                    .unwrap_or(1);
                let rows = n.div_ceil(columns);
                let cell = egui::vec2(avail.x / columns as f32, avail.y / rows as f32);
                egui::Grid::new("small-multiples")
                    .spacing([4.0, 4.0])
                    .show(ui, |ui| {
                        for (k, run) in self.race.runs.iter().enumerate() {
                            ui.allocate_ui(cell - egui::vec2(4.0, 4.0), |ui| {
                                ui.vertical(|ui| {
                                    ui.add(
                                        egui::Label::new(
                                            RichText::new(run.legend()).strong().color(run.color),
                                        )
                                        .truncate(),
                                    );
                                    responses.push(view::map_plot(
                                        ui,
                                        &format!("multiple-{k}"),
                                        &scene,
                                        &[run],
                                        false,
                                        true,
                                    ));
                                });
                            });
                            if (k + 1) % columns == 0 {
                                ui.end_row();
                            }
                        }
                    });
            }
        }
        if let Some(first) = responses.first()
            && let Some(b) = first.bounds
        {
            // A new window or panel size keeps the whole view visible (egui_plot would keep
            // the x range and crop y).
            let resized = self
                .map_frame
                .is_some_and(|(before, _)| (before.size() - first.frame.size()).length() > 1.0);
            if resized {
                self.reset_view = Some(self.intended_view);
                ui.ctx().request_repaint();
            } else if !resetting && self.scene.view != Some(b) {
                // Same size, new bounds: the user panned or zoomed.
                self.intended_view = b;
            }
            self.map_frame = Some((first.frame, b));
        }
        self.drawn.clear();
        for name in responses.iter().flat_map(|r| &r.layers) {
            if !self.drawn.contains(name) {
                self.drawn.push(name);
            }
        }
        for response in responses {
            if let Some(b) = response.bounds
                && self.scene.view != Some(b)
                && b.x[1] > b.x[0]
                && b.y[1] > b.y[0]
            {
                self.scene.view = Some(b);
                ui.ctx().request_repaint();
            }
            if response.pixels[0] > 0 {
                self.map_pixels = response.pixels;
            }
            if let Some(start) = response.new_start {
                let mut candidate = self.scene.clone();
                candidate.start = Some(start);
                self.adopt(candidate);
            }
        }
    }

    /// The 3D view: the terrain of the current view box as a wireframe coloured by height,
    /// the paths lying on it; drag to rotate. The terrain is sampled once per (surface, view).
    fn three_d(&mut self, ui: &mut egui::Ui) {
        const NODES: usize = 48;
        let bounds = self.intended_view;
        let key = (self.race.landscape.spec.clone(), bounds);
        if self.terrain.as_ref().is_none_or(|(k, _)| *k != key) {
            let terrain = Terrain::sample(self.race.landscape.surface.as_ref(), bounds, NODES);
            self.terrain = Some((key, terrain));
        }
        let Some((_, terrain)) = &self.terrain else {
            return;
        };
        ui.label(RichText::new("3D: drag to rotate; height on the map's colour scale").small());
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), egui::Sense::drag());
        if rect.width() < 2.0 || rect.height() < 2.0 {
            return;
        }
        if response.dragged() {
            let d = response.drag_delta();
            let half = f64::from(rect.width().min(rect.height()) / 2.0);
            self.orbit
                .drag(f64::from(d.x) / half, f64::from(d.y) / half);
        }
        let orbit = self.orbit;
        let center = rect.center();
        let size = 0.45 * rect.width().min(rect.height());
        let to_screen = |p: [f64; 3]| {
            let q = orbit.project(p);
            egui::pos2(center.x + q[0] as f32 * size, center.y - q[1] as f32 * size)
        };
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, egui::Color32::from_gray(18));
        let table = self.scene.colormap.table();
        let color = |h: f64| {
            let [r, g, b] = table[(h.clamp(0.0, 1.0) * 255.0) as usize];
            egui::Color32::from_rgb(r, g, b)
        };
        let n = terrain.n;
        for j in 0..n {
            for i in 0..n {
                let a = terrain.node(i, j);
                for b in [
                    (i + 1 < n).then(|| terrain.node(i + 1, j)),
                    (j + 1 < n).then(|| terrain.node(i, j + 1)),
                ]
                .into_iter()
                .flatten()
                {
                    if a[2].is_finite() && b[2].is_finite() {
                        let stroke = egui::Stroke::new(1.2, color(0.5 * (a[2] + b[2])));
                        painter.line_segment([to_screen(a), to_screen(b)], stroke);
                    }
                }
            }
        }
        let step = self.step();
        for run in &self.race.runs {
            let points: Vec<egui::Pos2> = run.records[..run.shown(step)]
                .iter()
                .map(|r| terrain.cube(r.x, r.y, r.loss))
                .filter(|p| {
                    p.iter().all(|v| v.is_finite()) && p[0].abs() <= 1.0 && p[1].abs() <= 1.0
                })
                .map(to_screen)
                .collect();
            if points.len() >= 2 {
                painter.add(egui::Shape::line(
                    points.clone(),
                    egui::Stroke::new(5.5, theme::HALO),
                ));
                painter.add(egui::Shape::line(
                    points.clone(),
                    egui::Stroke::new(3.0, run.color),
                ));
            }
            if let Some(head) = points.last() {
                painter.circle(*head, 7.0, run.color, egui::Stroke::new(2.5, theme::HALO));
            }
        }
    }

    fn side_plots(&self, ui: &mut egui::Ui) {
        let step = self.step();
        let diagnostics = self.scene.overlays.diagnostics;
        let count = if diagnostics { 4.0 } else { 2.0 };
        let h = (ui.available_height() / count - 28.0).max(0.0);
        ui.label(RichText::new("loss").strong());
        ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
            view::loss_plot(ui, &self.race.runs, step, self.race.f_star.is_some());
        });
        if diagnostics {
            ui.label(RichText::new("gradient norm ‖∇f‖").strong());
            ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
                view::log_plot(
                    ui,
                    "grad-norm",
                    "‖∇f‖ (log)",
                    &self.race.runs,
                    step,
                    None,
                    |r: &RunView| &r.grad,
                );
            });
            ui.label(RichText::new("distance to the nearest known minimum").strong());
            ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
                view::log_plot(
                    ui,
                    "distance",
                    "distance (log)",
                    &self.race.runs,
                    step,
                    None,
                    |r: &RunView| &r.distance,
                );
            });
        }
        ui.label(RichText::new("learning rate (schedule)").strong());
        ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
            view::lr_plot(ui, &self.race.runs, step);
        });
    }

    /// The metrics table and the update-rule card, each in its own window when switched on.
    fn teaching_windows(&mut self, ctx: &egui::Context) {
        if self.scene.overlays.metrics {
            let mut open = true;
            egui::Window::new("Metrics")
                .open(&mut open)
                .default_pos([360.0, 520.0])
                .show(ctx, |ui| {
                    let colors: Vec<egui::Color32> =
                        self.race.runs.iter().map(|r| r.color).collect();
                    let tolerance = crate::metrics::DEFAULT_TOLERANCE;
                    teach::metrics_ui(ui, self.race.metrics(), &colors, tolerance, &mut self.sort);
                    ui.label(
                        RichText::new(format!(
                            "over all {} steps; f* and minima are the surface's known ones",
                            self.scene.steps
                        ))
                        .small(),
                    );
                });
            self.scene.overlays.metrics = open;
        }
        if self.scene.overlays.rule && !self.race.runs.is_empty() {
            let mut open = true;
            let step = self.step();
            egui::Window::new("Update rule")
                .open(&mut open)
                .default_pos([360.0, 120.0])
                .default_width(520.0)
                .show(ctx, |ui| {
                    let runs = &self.race.runs;
                    self.card_run = self.card_run.min(runs.len() - 1);
                    egui::ComboBox::new("card-run", "optimizer")
                        .selected_text(runs[self.card_run].label.as_str())
                        .show_ui(ui, |ui| {
                            for (i, run) in runs.iter().enumerate() {
                                ui.selectable_value(&mut self.card_run, i, run.label.as_str());
                            }
                        });
                    let run = &runs[self.card_run];
                    let detail = self
                        .race
                        .details()
                        .get(run.run)
                        .and_then(|d| d.get(run.shown(step) - 1));
                    let spec = &self.race.race.optimizers[run.run];
                    teach::rule_card_ui(ui, spec, run, detail, step);
                });
            self.scene.overlays.rule = open;
        }
    }

    fn status_line(&self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            for run in &self.race.runs {
                let record = &run.records[run.shown(self.step()) - 1];
                let text = format!("{}: f = {}", run.label, view::short(record.loss));
                let color = match record.status {
                    Status::Diverged | Status::Singular => theme::ALARM,
                    _ => run.color,
                };
                ui.label(RichText::new(text).color(color).monospace());
                ui.add_space(12.0);
            }
        });
    }

    fn take_screenshot(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.screenshot else {
            return;
        };
        ctx.request_repaint();
        let arrived = job.image.lock().ok().and_then(|mut i| i.take());
        let outcome = match (arrived, job.requested_at) {
            (Some(image), _) => Some(save_png(&job.path, &image)),
            (None, None) if self.frame >= job.frames => {
                let slot = Arc::clone(&job.image);
                let repaint = ctx.clone();
                ctx.send_viewport_cmd(ViewportCommand::Screenshot(egui::ScreenshotCallback::new(
                    move |image| {
                        if let Ok(mut s) = slot.lock() {
                            *s = Some(image);
                        }
                        repaint.request_repaint();
                    },
                )));
                job.requested_at = Some(self.frame);
                None
            }
            (None, Some(at)) if self.frame > at + 600 => Some(Err(
                "the window system never delivered the screenshot".into(),
            )),
            _ => None,
        };
        if let Some(result) = outcome {
            if let Ok(mut slot) = job.outcome.lock() {
                *slot = Some(result);
            }
            ctx.send_viewport_cmd(ViewportCommand::Close);
        }
    }
}

/// Encode `image` as PNG (the renderer's encoder) and write it atomically.
fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size.map(|side| side as u32);
    let rgba: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    write_atomically(path, |out| crate::render::write_png(&rgba, [w, h], out))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

impl eframe::App for DescentApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.frame += 1;
        self.shortcuts(&ctx);
        self.files(&ctx);
        self.advance(&ctx);

        egui::Panel::top("title").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("playback").show(ui, |ui| {
            self.playback_bar(ui);
            self.status_line(ui);
        });
        if !self.presentation {
            egui::Panel::left("controls")
                .resizable(true)
                .default_size(340.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        if let Some(error) = &self.error {
                            ui.label(RichText::new(error.as_str()).color(theme::ALARM));
                            ui.label(RichText::new("(kept the previous setting)").small());
                        }
                        let mut candidate = self.scene.clone();
                        let lambda_max = self
                            .race
                            .lambda_max
                            .filter(|_| self.scene.overlays.curvature);
                        let edits =
                            controls::controls_ui(ui, &mut candidate, &mut self.drafts, lambda_max);
                        if edits.surface {
                            candidate.view = None;
                            candidate.start = None;
                            self.drafts.expr_error = None;
                        }
                        let surface_before = self.scene.surface.clone();
                        self.adopt(candidate);
                        if edits.reset_view
                            || (edits.surface && self.scene.surface != surface_before)
                        {
                            self.scene.view = None;
                            self.reset_view = Some(self.race.landscape.view);
                            self.intended_view = self.race.landscape.view;
                        }
                    });
                });
        }
        egui::Panel::right("plots")
            .resizable(true)
            .default_size(ui.available_width() * 0.3)
            .show(ui, |ui| self.side_plots(ui));
        egui::CentralPanel::default().show(ui, |ui| self.maps(ui));
        if self.show_help {
            self.help_window(&ctx);
        }
        self.teaching_windows(&ctx);
        self.take_screenshot(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.screenshot.is_none() {
            eframe::set_value(storage, SCENE_KEY, &self.scene);
        }
    }
}
