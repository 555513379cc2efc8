//! The desktop app (feature `gui`): a contour map with the race animated on it, the plots and
//! tools docked beside it, and live controls. It holds no optimizer logic: a change to any
//! control rebuilds the race in the core and the app shows `records[..=step]`.
//!
//! The house: [`state`] is what the user set (the scene, the clock, the view), [`caches`] what
//! is derived from it and keyed (the race, the map, the terrain), [`panels`] one file per
//! panel, [`map`] the map's layers and teaching overlays. Data flows down: this file lays out
//! the panels and carries out what they report.

mod actions;
mod caches;
mod central;
mod many_runs;
mod map;
mod panels;
mod screenshot;
mod state;
mod theme;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::scene::{Overlays, Scene};
use crate::surface::Bounds;
use crate::terrain::Orbit;
use caches::{BasinCache, CloudCache, MapCache, MinibatchCache, PhaseCache, TerrainCache};
use panels::controls::Drafts;
use panels::dock::{Dock, DockContext};
use panels::files::FileDialog;
use panels::native_dialog::NativeDialogs;
use panels::three_d::ThreeD;
use screenshot::ScreenshotJob;
use state::AppState;

pub use caches::{RaceView, RunView};
pub use map::overlays::layer;
pub use panels::plots::XAxis;
pub use theme::short;

/// How the app is started.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Open this scene instead of the last one.
    pub scene: Option<Scene>,
    /// Play this many frames, save a screenshot of the window and exit.
    pub screenshot: Option<ScreenshotRequest>,
    /// Choose files with the desktop's own dialog (the XDG portal on Linux, the system's on
    /// Windows and macOS) where there is one; the in-app chooser otherwise (and in tests).
    pub native_dialogs: bool,
    /// Compute maps too slow for a frame on another thread, coarse first (the interactive
    /// window). Off, every map is computed in the frame that needs it, so tests and
    /// screenshots show the same picture every time.
    pub background_maps: bool,
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
    /// The data view's or the phase diagram's rectangle, when one stands beside the map.
    beside: Option<egui::Rect>,
}

/// The app: state, caches, the panels' own state, and the file and screenshot jobs.
pub struct DescentApp {
    state: AppState,
    race: RaceView,
    map: MapCache,
    basins: BasinCache,
    minibatch: MinibatchCache,
    phase: PhaseCache,
    cloud: CloudCache,
    terrain: TerrainCache,
    three_d: ThreeD,
    dock: Dock,
    drafts: Drafts,
    dialog: Option<FileDialog>,
    /// The desktop's file dialog, open on another thread; `None` once it proved unavailable.
    native: Option<NativeDialogs>,
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
            map: if options.background_maps {
                MapCache::default()
            } else {
                MapCache::with_budget(std::time::Duration::MAX)
            },
            basins: BasinCache::new(options.background_maps),
            minibatch: MinibatchCache::default(),
            phase: PhaseCache::new(options.background_maps),
            cloud: CloudCache::new(options.background_maps),
            terrain: TerrainCache::default(),
            three_d: ThreeD::default(),
            dock: Dock::default(),
            drafts: Drafts::default(),
            dialog: None,
            native: options.native_dialogs.then(NativeDialogs::default),
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
    /// The title of the tab the dock shows.
    pub fn dock_tool(&self) -> &'static str {
        self.dock.tool.title()
    }
    /// Where data point `i` was drawn in the data view last frame.
    pub fn data_point_on_screen(&self, i: usize) -> Option<egui::Pos2> {
        let p = self.race.landscape.data.as_ref()?.data.points.get(i)?;
        let transform = self.dock.data_view.as_ref()?;
        Some(transform.position_from_point(&egui_plot::PlotPoint::new(p.x, p.y)))
    }
    /// The current minibatch's isolines (how many) and how many times they were computed.
    pub fn minibatch_isolines(&self) -> (usize, u64) {
        (self.minibatch.isolines().len(), self.minibatch.computed)
    }
    /// Where the (first) map was drawn last frame, and the view it showed.
    pub fn map_frame(&self) -> Option<(egui::Rect, Bounds)> {
        self.state.view.shown
    }
    /// Every map's rectangle last frame (one, or one per racer side by side).
    pub fn map_rects(&self) -> &[egui::Rect] {
        &self.last.maps
    }
    /// The rectangle of what stood beside the map last frame (overlay layout): the data view
    /// of a data scene, or the phase diagram a scene asks for.
    pub fn beside_map_rect(&self) -> Option<egui::Rect> {
        self.last.beside
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
                let points = self.race.landscape.data.as_ref().map(|d| d.len());
                let edits = panels::controls::controls_ui(
                    ui,
                    &mut candidate,
                    &mut self.drafts,
                    (lambda_max, points),
                );
                if edits.open_data {
                    self.open_data_dialog(ui.ctx());
                }
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
                let map = state.view.pixels.map(|p| p.clamp(1, 4096) as u32);
                panels::top_bar::top_bar_ui(
                    ui,
                    &mut state.scene,
                    (&mut state.picture_size, map),
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
        self.update_many_runs(&ctx);
        let cx = DockContext {
            race: &self.race,
            step: self.state.clock.step(),
            steps: self.state.scene.steps,
            presenting: self.state.presentation,
            map_note,
            data_tab: self.race.landscape.data.is_some()
                && self.state.scene.layout != crate::scene::Layout::Overlay,
            map: self.state.scene.map.as_ref(),
            phase_tab: !central::phase_beside_map(&self.state.scene, &self.race),
            phase: &self.phase,
            cloud: self.cloud.cloud(),
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
        // After both places the phase diagram can be drawn (the dock, beside the map).
        self.phase_requests();
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
