//! The desktop app (feature `gui`): a contour map with the race animated on it, the plots and
//! tools docked beside it, and live controls. It holds no optimizer logic: a change to any
//! control rebuilds the race in the core and the app shows `records[..=step]`.
//!
//! The house: [`state`] is what the user set (the scene, the clock, the view), [`caches`] what
//! is derived from it and keyed (the race, the map, the terrain), [`panels`] one file per
//! panel, [`map`] the map's layers and teaching overlays. Data flows down: this file lays out
//! the panels and carries out what they report.

mod caches;
mod map;
mod panels;
mod screenshot;
mod state;
mod theme;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::{Key, Modifiers, ViewportCommand};

use crate::scene::{Layout, Overlays, Scene};
use crate::surface::Bounds;
use crate::terrain::Orbit;
use caches::{MAX_RESOLUTION, MapCache, TerrainCache};
use map::{MapResponse, MapScene};
use panels::controls::Drafts;
use panels::dock::{Dock, DockContext};
use panels::files::{self, FileDialog, Purpose};
use panels::three_d::ThreeD;
use panels::top_bar::Action;
use screenshot::ScreenshotJob;
use state::AppState;

pub use caches::{RaceView, RunView};
pub use map::overlays::layer;

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

/// The window's first size: the projector size the app is designed for.
pub const DESIGN_SIZE: [f32; 2] = [1280.0, 720.0];

/// Open the window and run until it closes. In screenshot mode, `Err` says why no
/// screenshot was written.
pub fn run(options: Options) -> Result<(), String> {
    let outcome: screenshot::Outcome = Arc::new(Mutex::new(None));
    let screenshot = options.screenshot.is_some();
    // A screenshot must not depend on what earlier sessions left (panel widths, the last
    // scene): it reads and writes a storage folder of its own, removed afterwards.
    let private_storage = screenshot
        .then(|| std::env::temp_dir().join(format!("descent-screenshot-{}", std::process::id())));
    let native = eframe::NativeOptions {
        persistence_path: private_storage.clone(),
        viewport: egui::ViewportBuilder::default()
            .with_title("Descent")
            .with_app_id("descent")
            .with_inner_size(DESIGN_SIZE)
            .with_min_inner_size([480.0, 320.0]),
        persist_window: !screenshot,
        ..Default::default()
    };
    let app_outcome = Arc::clone(&outcome);
    let run = eframe::run_native(
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
    .map_err(|e| format!("could not open the window: {e}"));
    if let Some(folder) = private_storage {
        // Best effort: a leftover temporary folder is harmless.
        let _ = std::fs::remove_dir_all(folder);
    }
    run?;
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

/// What the last frame drew, for the next frame and for tests.
#[derive(Default)]
struct LastFrame {
    /// The teaching layers drawn on the maps.
    drawn: Vec<&'static str>,
    /// The legend strip.
    legend: Option<egui::Rect>,
    /// Every map's rectangle.
    maps: Vec<egui::Rect>,
}

/// The app: state, caches, the panels' own state, and the file and screenshot jobs.
pub struct DescentApp {
    state: AppState,
    race: RaceView,
    map: MapCache,
    terrain: TerrainCache,
    three_d: ThreeD,
    dock: Dock,
    drafts: Drafts,
    dialog: Option<FileDialog>,
    /// An export running on another thread.
    job: Option<ExportSlot>,
    screenshot: Option<ScreenshotJob>,
    frame: u64,
    last: LastFrame,
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
        let view = scene.view.unwrap_or(race.landscape.view);
        Self {
            state: AppState::new(scene, view),
            race,
            map: MapCache::default(),
            terrain: TerrainCache::default(),
            three_d: ThreeD::default(),
            dock: Dock::default(),
            drafts: Drafts::default(),
            dialog: None,
            job: None,
            screenshot: options
                .screenshot
                .map(|r| ScreenshotJob::new(r.path, r.frames)),
            frame: 0,
            last: LastFrame::default(),
        }
    }

    /// Which teaching overlays are on.
    pub fn overlays(&self) -> Overlays {
        self.state.scene.overlays
    }
    /// The 3D view's camera.
    pub fn orbit(&self) -> Orbit {
        self.three_d.orbit
    }
    /// The teaching layers drawn on the maps last frame (see [`layer`]).
    pub fn drawn_layers(&self) -> &[&'static str] {
        &self.last.drawn
    }
    pub fn scene(&self) -> &Scene {
        &self.state.scene
    }
    /// The step the timeline shows.
    pub fn step(&self) -> u64 {
        self.state.clock.step()
    }
    pub fn is_playing(&self) -> bool {
        self.state.clock.is_playing()
    }
    pub fn is_presenting(&self) -> bool {
        self.state.presentation
    }
    /// The controls panel is open.
    pub fn controls_open(&self) -> bool {
        self.state.controls_open
    }
    pub fn error(&self) -> Option<&str> {
        self.state.error.as_deref()
    }
    pub fn expression_error(&self) -> Option<&str> {
        self.drafts.expr_error.as_deref()
    }
    pub fn race(&self) -> &RaceView {
        &self.race
    }
    /// The last file operation's outcome.
    pub fn status(&self) -> Option<&str> {
        self.state.status.as_deref()
    }
    /// How many times the contour map was computed (never once per frame).
    pub fn maps_computed(&self) -> u64 {
        self.map.computed
    }
    /// Where the (first) map was drawn last frame, and the view it showed.
    pub fn map_frame(&self) -> Option<(egui::Rect, Bounds)> {
        self.state.view.shown
    }
    /// Every map's rectangle last frame (one, or one per racer side by side).
    pub fn map_rects(&self) -> &[egui::Rect] {
        &self.last.maps
    }
    /// The legend strip's rectangle last frame.
    pub fn legend_rect(&self) -> Option<egui::Rect> {
        self.last.legend
    }
    /// The screen position of a surface point on the (first) map, as of last frame.
    pub fn screen_from_surface(&self, p: [f64; 2]) -> Option<egui::Pos2> {
        let (rect, b) = self.state.view.shown?;
        let x = rect.left() + ((p[0] - b.x[0]) / (b.x[1] - b.x[0])) as f32 * rect.width();
        let y = rect.bottom() - ((p[1] - b.y[0]) / (b.y[1] - b.y[0])) as f32 * rect.height();
        Some(egui::pos2(x, y))
    }

    /// Adopt an edited scene if its race builds; otherwise keep the current one and say why.
    /// The timeline keeps its step.
    pub fn adopt(&mut self, candidate: Scene) {
        if candidate == self.state.scene {
            return;
        }
        match RaceView::compute(&candidate) {
            Ok(race) => {
                self.state.scene = candidate;
                self.race = race;
                self.state.error = None;
                self.state.clock.clamp(self.state.scene.steps);
            }
            Err(e) => self.state.error = Some(e.0),
        }
    }

    /// Replace the whole scene (a preset, an opened or dropped file): its own view, step 0,
    /// playing. A scene whose race does not build is refused and the current one kept.
    pub fn load_scene(&mut self, scene: Scene, origin: &str) {
        match RaceView::compute(&scene) {
            Ok(race) => {
                let view = scene.view.unwrap_or(race.landscape.view);
                let controls_open = self.state.controls_open;
                self.state = AppState::new(scene, view);
                self.state.controls_open = controls_open;
                self.state.status = Some(format!("opened {origin}"));
                self.race = race;
                self.drafts = Drafts::default();
            }
            Err(e) => self.state.error = Some(format!("{origin}: {e}")),
        }
    }

    /// Open a scene file; a bad file leaves the current scene and says why.
    pub fn open_path(&mut self, path: &Path) {
        match Scene::load(path) {
            Ok(scene) => self.load_scene(scene, &path.display().to_string()),
            Err(e) => self.state.error = Some(e.0),
        }
    }

    fn act(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Choose(purpose) => {
                self.dialog = Some(FileDialog::new(purpose, files::start_folder(), "scene"));
            }
            Action::Preset(origin, scene) => self.load_scene(*scene, &origin),
            Action::TogglePresentation => self.set_presentation(ctx, !self.state.presentation),
            Action::ToggleKeys => self.dock.toggle_keys(),
            Action::ToggleControls => self.state.controls_open ^= true,
        }
    }

    /// Act on the file chooser's answer, a dropped file, and a finished export.
    fn files(&mut self, ctx: &egui::Context) {
        if let Some(dialog) = &mut self.dialog
            && let Some(answer) = dialog.ui(ctx)
        {
            let purpose = dialog.purpose;
            self.dialog = None;
            if let Some(path) = answer {
                files::remember_folder(&path);
                match purpose {
                    Purpose::Open => self.open_path(&path),
                    Purpose::Save => match files::save_scene(&self.state.scene, &path) {
                        Ok(done) => (self.state.status, self.state.error) = (Some(done), None),
                        Err(e) => self.state.error = Some(e),
                    },
                    Purpose::Export(kind) => self.start_export(ctx, kind, path),
                }
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
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
            Some(Ok(done)) => (self.state.status, self.job) = (Some(done), None),
            Some(Err(e)) => (self.state.error, self.job) = (Some(e), None),
            None => {}
        }
    }

    /// Exports run on another thread (a GIF takes a moment) and report back. Pictures have
    /// the map's size in pixels (the window's resolution); a GIF is at most 800 pixels wide.
    fn start_export(&mut self, ctx: &egui::Context, kind: files::Export, path: PathBuf) {
        let scene = self.state.scene.clone();
        let step = self.state.clock.step();
        let [w, h] = self.state.view.pixels.map(|p| p.clamp(64, 4096) as u32);
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
        self.state.status = Some("exporting…".into());
        self.job = Some(slot);
    }

    fn set_presentation(&mut self, ctx: &egui::Context, on: bool) {
        self.state.presentation = on;
        ctx.send_viewport_cmd(ViewportCommand::Fullscreen(on));
        ctx.set_zoom_factor(if on { 1.3 } else { 1.0 });
    }

    /// Space, →, R, F, ? and Esc, unless a text field is being typed into.
    fn shortcuts(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let pressed = |key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        let steps = self.state.scene.steps;
        if pressed(Key::Space) {
            self.state.clock.toggle(steps);
        }
        if pressed(Key::ArrowRight) {
            self.state.clock.single_step(steps);
        }
        if pressed(Key::R) {
            self.state.clock.reset();
        }
        if pressed(Key::F) {
            self.set_presentation(ctx, !self.state.presentation);
        }
        // Esc is taken only when it has something to close here; otherwise menus get it.
        let keys_open = self.dock.tool == panels::dock::Tool::Keys;
        if (self.state.presentation || keys_open) && pressed(Key::Escape) {
            if self.state.presentation {
                self.set_presentation(ctx, false);
            }
            if keys_open {
                self.dock.toggle_keys();
            }
        }
        if pressed(Key::Questionmark)
            || ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, Key::Slash))
        {
            self.dock.toggle_keys();
        }
    }

    /// Move the clock: `speed` steps per second while playing. A screenshot plays at a fixed
    /// 60 frames per second, so it shows the same step however fast the machine draws.
    fn advance(&mut self, ctx: &egui::Context) {
        if !self.state.clock.is_playing() {
            return;
        }
        let dt = if self.screenshot.is_some() {
            1.0 / 60.0
        } else {
            f64::from(ctx.input(|i| i.stable_dt)).min(0.1)
        };
        let scene = &self.state.scene;
        self.state.clock.advance(dt, scene.speed, scene.steps);
        ctx.request_repaint();
    }

    fn controls_ui(&mut self, ui: &mut egui::Ui) {
        // The scroll bar always shows, so a section below the fold is never mistaken for
        // missing.
        let bar = egui::scroll_area::ScrollBarVisibility::AlwaysVisible;
        egui::ScrollArea::vertical()
            .scroll_bar_visibility(bar)
            .show(ui, |ui| {
                if let Some(error) = &self.state.error {
                    ui.add(
                        egui::Label::new(egui::RichText::new(error.as_str()).color(theme::ALARM))
                            .wrap(),
                    );
                    ui.label("(kept the previous setting)");
                }
                let mut candidate = self.state.scene.clone();
                let lambda_max = self
                    .race
                    .lambda_max
                    .filter(|_| self.state.scene.overlays.curvature);
                let edits =
                    panels::controls::controls_ui(ui, &mut candidate, &mut self.drafts, lambda_max);
                if edits.surface {
                    candidate.view = None;
                    candidate.start = None;
                    self.drafts.expr_error = None;
                }
                let surface_before = self.state.scene.surface.clone();
                self.adopt(candidate);
                let surface_changed = self.state.scene.surface != surface_before;
                if edits.surface && surface_changed {
                    // A new surface is a new scene: the preset's title no longer describes it.
                    let scene = &mut self.state.scene;
                    scene.title = format!("Surface {}", scene.surface);
                    scene.description.clear();
                }
                if edits.reset_view || (edits.surface && surface_changed) {
                    self.state.scene.view = None;
                    self.state.view.reset_to = Some(self.race.landscape.view);
                }
            });
    }

    /// The central area: the legend strip, then the map(s) or the 3D view.
    fn central_ui(&mut self, ui: &mut egui::Ui) {
        let step = self.state.clock.step();
        let overlays = self.state.scene.overlays;
        self.last.legend = Some(panels::legend::legend_ui(
            ui,
            &self.race,
            step,
            &self.last.drawn,
            overlays,
            self.state.scene.layout == Layout::SideBySide,
        ));
        self.last.maps.clear();
        if self.state.scene.layout == Layout::ThreeD {
            self.last.drawn.clear();
            let scene = panels::three_d::ThreeDScene {
                landscape: &self.race.landscape,
                bounds: self.state.chosen_view(self.race.landscape.view),
                runs: &self.race.runs,
                step,
                colormap: self.state.scene.colormap,
            };
            self.three_d.ui(ui, &mut self.terrain, &scene);
            return;
        }
        let responses = self.maps_ui(ui);
        self.after_maps(ui.ctx(), responses);
    }

    /// The map (overlay) or one map per run (side by side), all sharing one view.
    fn maps_ui(&mut self, ui: &mut egui::Ui) -> Vec<MapResponse> {
        let chosen = self.state.chosen_view(self.race.landscape.view);
        let view = &mut self.state.view;
        let reset_to = view.reset_to.take();
        // The map is sampled for the box the plot shows: last frame's, or the one a reset
        // is about to show.
        let shown = match (reset_to, view.shown) {
            (Some(b), Some((rect, _))) => map::fit(b, rect),
            (Some(b), None) => b,
            (None, Some((_, b))) => b,
            (None, None) => chosen,
        };
        let resolution = view.pixels.map(|p| {
            if p == 0 {
                MAX_RESOLUTION
            } else {
                p.min(MAX_RESOLUTION)
            }
        });
        let scene = &self.state.scene;
        self.map.update(
            ui.ctx(),
            &self.race.landscape,
            shown,
            resolution,
            scene.levels,
            scene.colormap,
        );
        let overlays = scene.overlays;
        let details = (overlays.forces || overlays.model).then(|| self.race.details());
        let map_scene = MapScene {
            landscape: &self.race.landscape,
            cache: &self.map,
            start: scene.start.unwrap_or(self.race.start),
            step: self.state.clock.step(),
            reset_to,
            overlays,
            details,
        };
        match scene.layout {
            Layout::SideBySide => small_multiples_ui(ui, &map_scene, &self.race.runs),
            _ => {
                let runs: Vec<&RunView> = self.race.runs.iter().collect();
                vec![map::map_plot(ui, "overlay", &map_scene, &runs, false)]
            }
        }
    }

    /// Keep the view the user chose: a resized map shows all of it again; a pan or zoom
    /// becomes the scene's view. A click or drag of the start ring moves the start.
    fn after_maps(&mut self, ctx: &egui::Context, responses: Vec<MapResponse>) {
        let resetting = responses.iter().any(|r| r.was_reset);
        if let Some(first) = responses.first()
            && let Some(b) = first.bounds
        {
            let chosen = self.state.chosen_view(self.race.landscape.view);
            let view = &mut self.state.view;
            let resized = view
                .shown
                .is_some_and(|(before, _)| (before.size() - first.frame.size()).length() > 1.0);
            let moved = view.shown.is_some_and(|(_, before)| before != b);
            if resized {
                view.reset_to = Some(chosen);
                ctx.request_repaint();
            } else if moved && !resetting {
                self.state.scene.view = Some(b);
                ctx.request_repaint();
            }
            self.state.view.shown = Some((first.frame, b));
            if first.pixels[0] > 0 {
                self.state.view.pixels = first.pixels;
            }
        }
        self.last.drawn.clear();
        for response in &responses {
            self.last.maps.push(response.frame);
            for name in &response.layers {
                if !self.last.drawn.contains(name) {
                    self.last.drawn.push(name);
                }
            }
        }
        if let Some(start) = responses.iter().find_map(|r| r.new_start) {
            let mut candidate = self.state.scene.clone();
            candidate.start = Some(start);
            self.adopt(candidate);
        }
    }
}

/// One map per run, in the grid of columns × rows that gives each the largest square.
fn small_multiples_ui(
    ui: &mut egui::Ui,
    scene: &MapScene<'_>,
    runs: &[RunView],
) -> Vec<MapResponse> {
    let n = runs.len().max(1);
    let avail = ui.available_size();
    let gap = 6.0;
    let columns = (1..=n)
        .max_by(|&a, &b| {
            let side = |c: usize| {
                let rows = n.div_ceil(c);
                ((avail.x - gap * c as f32) / c as f32)
                    .min((avail.y - gap * rows as f32) / rows as f32)
            };
            side(a).total_cmp(&side(b)).then(b.cmp(&a))
        })
        .unwrap_or(1);
    let rows = n.div_ceil(columns);
    let cell = egui::vec2(
        (avail.x - gap * (columns - 1) as f32) / columns as f32,
        (avail.y - gap * (rows - 1) as f32) / rows as f32,
    );
    let mut responses = Vec::new();
    let top_left = ui.cursor().min;
    for (k, run) in runs.iter().enumerate() {
        let (column, row) = (k % columns, k / columns);
        let min =
            top_left + egui::vec2(column as f32 * (cell.x + gap), row as f32 * (cell.y + gap));
        let rect = egui::Rect::from_min_size(min, cell);
        let mut child = ui.new_child(
            egui::UiBuilder::new()
                .max_rect(rect)
                .id_salt(("multiple", k)),
        );
        child.horizontal_wrapped(|ui| {
            let title = egui::RichText::new(&run.label).strong().color(run.color);
            ui.add(egui::Label::new(title).wrap());
            let state = match run.ended_by(scene.step) {
                Some((status, at)) => {
                    egui::RichText::new(crate::style::ending_label(status, at)).color(theme::ALARM)
                }
                None => egui::RichText::new(format!(
                    "f = {}",
                    theme::short(run.current(scene.step).loss)
                )),
            };
            ui.label(state.strong());
        });
        responses.push(map::map_plot(
            &mut child,
            &format!("multiple-{k}"),
            scene,
            &[run],
            true,
        ));
    }
    ui.allocate_rect(
        egui::Rect::from_min_size(top_left, avail),
        egui::Sense::hover(),
    );
    responses
}

impl eframe::App for DescentApp {
    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        if self.screenshot.is_some() {
            ScreenshotJob::hide_pointer(raw_input);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.frame += 1;
        self.shortcuts(&ctx);
        self.files(&ctx);
        self.advance(&ctx);

        let action = egui::Panel::top("title")
            .show(ui, |ui| {
                let state = &mut self.state;
                panels::top_bar::top_bar_ui(
                    ui,
                    &mut state.scene,
                    state.presentation,
                    state.controls_open,
                    state.status.as_deref(),
                )
            })
            .inner;
        if let Some(action) = action {
            self.act(&ctx, action);
        }
        egui::Panel::bottom("playback").show(ui, |ui| {
            let state = &mut self.state;
            let steps = state.scene.steps;
            panels::playback::playback_ui(ui, &mut state.clock, &mut state.scene.speed, steps);
        });
        if !self.state.presentation && self.state.controls_open {
            egui::Panel::left("controls")
                .resizable(true)
                .default_size(CONTROLS_WIDTH)
                .size_range(200.0..=520.0)
                .show(ui, |ui| self.controls_ui(ui));
        }
        let map_note = format!(
            "last map: {:.1} ms for {}×{} samples",
            self.map.last_compute.as_secs_f64() * 1e3,
            self.map.map().map_or(0, |m| m.grid.nx),
            self.map.map().map_or(0, |m| m.grid.ny),
        );
        let cx = DockContext {
            race: &self.race,
            step: self.state.clock.step(),
            steps: self.state.scene.steps,
            presenting: self.state.presentation,
            map_note,
        };
        let overlays = &mut self.state.scene.overlays;
        egui::Panel::right("dock")
            .resizable(true)
            .default_size(DOCK_WIDTH)
            .size_range(180.0..=640.0)
            .show(ui, |ui| self.dock.ui(ui, overlays, &cx));
        self.dock.window_ui(&ctx, overlays, &cx);
        let central = egui::Frame::central_panel(&ctx.global_style()).inner_margin(4);
        egui::CentralPanel::default()
            .frame(central)
            .show(ui, |ui| self.central_ui(ui));
        if let Some(job) = &mut self.screenshot {
            job.poll(&ctx, self.frame);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.screenshot.is_none() {
            eframe::set_value(storage, SCENE_KEY, &self.state.scene);
        }
    }
}

/// The controls panel's first width: with the dock, it leaves the map over 60% of the
/// 1280 pixels of a projector.
const CONTROLS_WIDTH: f32 = 252.0;

/// The dock's first width.
const DOCK_WIDTH: f32 = 208.0;
