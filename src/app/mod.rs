//! The desktop app (feature `gui`): a contour map with the race animated on it, the plots and
//! tools docked beside it, and live controls. It holds no optimizer logic: a change to any
//! control rebuilds the race in the core and the app shows `records[..=step]`.
//!
//! The house (ARCHITECTURE.md): [`state`] is what is saved (the scene, the preferences), the
//! interface's own state and what the last frame laid out; [`caches`] what is derived from
//! the scene and keyed (the race, the map, the maps over many runs, the terrain), with
//! anything slower than a frame as one kind of background job ([`jobs`]); [`panels`] one file
//! per panel, [`map`] the map's layers and teaching overlays. Data flows down: scene → core →
//! caches → panels → map layers. Intents flow back up as [`command::Command`]s, which this file
//! carries out in one place, every scene edit through [`DescentApp::adopt`].

mod actions;
mod caches;
mod central;
mod command;
mod inspect;
mod jobs;
mod lecture;
mod many_runs;
mod map;
mod memory;
mod network;
mod network_ui;
mod panels;
mod screenshot;
mod state;
mod theme;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::lecture::Opened;
use crate::scene::Scene;
use caches::{BasinCache, CloudCache, MapCache, MinibatchCache, PhaseCache, TerrainCache};
use command::{Command, Commands, Purpose};
use network::NetworkView;
use panels::controls::Tuning;
use panels::dock::{DockContext, DockOut};
use panels::files::FileDialog;
use panels::gradcheck::GradCheckCache;
use panels::native_dialog::NativeDialogs;
use panels::three_d::ThreeD;
use screenshot::ScreenshotJob;
use state::{AppState, Preferences};

pub use caches::{RaceView, RunView};
pub use inspect::NetworkShown;
pub use map::overlays::layer;
pub use state::XAxis;
pub use theme::short;

/// How the app is started.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Open this scene instead of the last one.
    pub scene: Option<Scene>,
    /// The lecture `scene` is the first scene of: PageDown steps through its scenes.
    pub lecture: Option<crate::lecture::Lecture>,
    /// Play this many frames, save a screenshot of the window and exit.
    pub screenshot: Option<ScreenshotRequest>,
    /// The window's first size in points (`None`: [`DESIGN_SIZE`]).
    pub size: Option<[f32; 2]>,
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

/// The keys the last scene and the preferences are kept under between launches.
const SCENE_KEY: &str = "descent-scene";
const PREFERENCES_KEY: &str = "descent-preferences";

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
            .with_inner_size(options.size.unwrap_or(DESIGN_SIZE))
            .with_min_inner_size([480.0, 320.0]),
        persist_window: !screenshot && options.size.is_none(),
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

/// An export on another thread: the file and its kind, and what it said when done.
type ExportJob = jobs::KeyedJob<(PathBuf, command::Export), Result<String, String>>;

/// The app: its state, the caches derived from the scene, and the file and screenshot jobs.
pub struct DescentApp {
    state: AppState,
    /// The race of the scene in the plane (while a network scene shows, of the last one).
    race: RaceView,
    /// The training of a network scene (`None` for a race in the plane).
    network: Option<NetworkView>,
    /// Train networks and compute slow maps off the UI thread.
    background: bool,
    map: MapCache,
    basins: BasinCache,
    minibatch: MinibatchCache,
    phase: PhaseCache,
    cloud: CloudCache,
    terrain: TerrainCache,
    gradcheck: GradCheckCache,
    three_d: ThreeD,
    dialog: Option<FileDialog>,
    /// The desktop's file dialog, open on another thread; `None` once it proved unavailable.
    native: Option<NativeDialogs>,
    /// A racer's lr search on another thread, and what the last one found.
    tuning: Tuning,
    /// An export running on another thread.
    export: ExportJob,
    screenshot: Option<ScreenshotJob>,
    frame: u64,
}

impl DescentApp {
    pub fn new(cc: &eframe::CreationContext<'_>, options: Options) -> Self {
        memory::keep_frame_buffers();
        theme::apply(&cc.egui_ctx);
        let storage = cc.storage.filter(|_| options.screenshot.is_none());
        let lecture = options.lecture.clone().zip(options.scene.clone());
        let remembered = storage.and_then(|s| eframe::get_value::<Scene>(s, SCENE_KEY));
        let prefs = storage
            .and_then(|s| eframe::get_value::<Preferences>(s, PREFERENCES_KEY))
            .unwrap_or_default();
        let background = options.background_maps;
        let (scene, shown) = [options.scene, remembered]
            .into_iter()
            .flatten()
            .find_map(|s| Shown::build(&s, background).ok().map(|r| (s, r)))
            .unwrap_or_else(|| {
                let scene = Scene::default();
                let race = RaceView::compute(&scene).expect("the default scene builds");
                (scene, Shown::Race(race))
            });
        let (race, network) = match shown {
            Shown::Race(race) => (race, None),
            Shown::Network(view) => {
                let race = RaceView::compute(&Scene::default()).expect("the default scene builds");
                (race, Some(view))
            }
        };
        let view = scene.view.unwrap_or(race.landscape.view);
        let mut app = Self {
            state: AppState::new(scene, prefs, view),
            race,
            network,
            background,
            map: if background {
                MapCache::default()
            } else {
                MapCache::with_budget(std::time::Duration::MAX)
            },
            basins: BasinCache::new(background),
            minibatch: MinibatchCache::default(),
            phase: PhaseCache::new(background),
            cloud: CloudCache::new(background),
            terrain: TerrainCache::default(),
            gradcheck: GradCheckCache::default(),
            three_d: ThreeD::default(),
            dialog: None,
            native: options.native_dialogs.then(NativeDialogs::default),
            tuning: Tuning::default(),
            export: ExportJob::new(true),
            screenshot: options
                .screenshot
                .map(|r| ScreenshotJob::new(r.path, r.frames)),
            frame: 0,
        };
        app.start_place(lecture);
        app
    }

    /// Adopt an edited scene if its race builds; otherwise keep the current one and say why.
    /// The race is computed again only when the edit changed it (not for the overlays, the
    /// view or the layout). The timeline keeps its step.
    pub fn adopt(&mut self, candidate: Scene) {
        self.adopt_with(candidate, false);
    }

    /// [`DescentApp::adopt`]; with `rebuild`, the race is computed again even if its spec is
    /// the same (a data file read again).
    fn adopt_with(&mut self, candidate: Scene, rebuild: bool) {
        profiling::function_scope!();
        if candidate == self.state.saved.scene && !rebuild {
            return;
        }
        let serves = match &self.network {
            Some(view) => candidate.is_network() && view.serves(&candidate),
            None => !candidate.is_network() && self.race.serves(&candidate),
        };
        if rebuild || !serves {
            match Shown::build(&candidate, self.background) {
                // A file read again is new data under the same name: nothing carries over.
                Ok(shown) => self.show(shown, !rebuild),
                Err(e) => {
                    self.state.ui.error = Some(e.0);
                    return;
                }
            }
        }
        self.state.saved.scene = candidate;
        self.state.ui.error = None;
        self.state.ui.clock.clamp(self.state.saved.scene.steps);
    }

    /// Replace the whole scene (a preset, an opened or dropped file): its own view, step 0,
    /// playing. A scene whose race does not build is refused and the current one kept.
    /// Whether it was loaded.
    pub fn load_scene(&mut self, scene: Scene, origin: &str) -> bool {
        match Shown::build(&scene, self.background) {
            Ok(shown) => {
                self.show(shown, false);
                let view = scene.view.unwrap_or(self.race.landscape.view);
                let prefs = self.state.saved.prefs;
                let old = std::mem::replace(&mut self.state, AppState::new(scene, prefs, view));
                // The panels' layout, the dock's tabs and presentation mode stay; a search
                // for the old scene's racer is dropped.
                let ui = &mut self.state.ui;
                (ui.controls_open, ui.presentation) = (old.ui.controls_open, old.ui.presentation);
                ui.dock = old.ui.dock;
                ui.stepping = old.ui.stepping;
                ui.status = Some(format!("opened {origin}"));
                self.tuning = Tuning::default();
                self.follow_presets();
                true
            }
            Err(e) => {
                self.state.ui.error = Some(format!("{origin}: {e}"));
                false
            }
        }
    }

    /// Show what a scene built: a race replaces the race (and ends a network's view); a
    /// network's view replaces the last one — taking over its slice until its own arrives
    /// when `succeed` (an edit of the same scene).
    fn show(&mut self, shown: Shown, succeed: bool) {
        match shown {
            Shown::Race(race) => {
                self.race = race;
                self.network = None;
            }
            Shown::Network(mut view) => {
                if let Some(old) = self.network.take().filter(|_| succeed) {
                    view.succeed(old);
                }
                self.network = Some(view);
            }
        }
    }

    /// Open a scene or a lecture file; a bad file leaves the current scene and says why.
    pub fn open_path(&mut self, path: &Path) {
        let origin = path.display().to_string();
        match crate::lecture::open(path) {
            Ok(Opened::Scene(scene)) => _ = self.load_scene(*scene, &origin),
            Ok(Opened::Lecture(lecture, first)) => self.enter_lecture(lecture, *first, &origin),
            Err(e) => self.state.ui.error = Some(e.0),
        }
    }

    /// Carry out a panel's command: the one place the app's state changes on a panel's
    /// behalf.
    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let scene = &self.state.saved.scene;
        match command {
            Command::Edit(candidate) => self.adopt(*candidate),
            Command::SetView(view) => {
                let candidate = Scene {
                    view: Some(view),
                    ..scene.clone()
                };
                self.adopt(candidate);
            }
            Command::MoveStart(start) => {
                let candidate = Scene {
                    start: Some(start),
                    ..scene.clone()
                };
                self.adopt(candidate);
            }
            Command::ChangeSurface(candidate) => self.change_surface(*candidate),
            Command::ResetView => {
                let candidate = Scene {
                    view: None,
                    ..scene.clone()
                };
                self.adopt(candidate);
                self.state.ui.reset_view = Some(self.race.landscape.view);
            }
            Command::Pick(pick) => self.apply_pick(&pick),
            Command::SetMap(settings) => {
                let candidate = Scene {
                    map: Some(settings),
                    ..scene.clone()
                };
                self.adopt(candidate);
            }
            Command::Choose(purpose) => self.choose(ctx, purpose),
            Command::Preset(origin, scene) => _ = self.load_scene(*scene, &origin),
            Command::TogglePresentation => {
                self.set_presentation(ctx, !self.state.ui.presentation);
            }
            Command::ToggleKeys => self.state.ui.dock.toggle_keys(),
            Command::ToggleControls => self.state.ui.controls_open ^= true,
        }
    }

    /// Carry out and clear the commands panels returned; the panels after this point, or the
    /// next frame, show what they changed.
    fn apply_all(&mut self, ctx: &egui::Context, commands: &mut Commands) {
        if commands.0.is_empty() {
            return;
        }
        ctx.request_repaint();
        for command in std::mem::take(&mut commands.0) {
            self.apply(ctx, command);
        }
    }

    /// Another surface: a new scene, at the surface's own view and start, titled by it.
    fn change_surface(&mut self, mut candidate: Scene) {
        candidate.view = None;
        candidate.start = None;
        self.state.ui.drafts.expr_error = None;
        let surface = candidate.surface.clone();
        let changed = surface != self.state.saved.scene.surface;
        if changed {
            // The preset's title no longer describes it.
            candidate.title = format!("Surface {}", candidate.surface);
            candidate.description.clear();
        }
        self.adopt(candidate);
        if changed && self.state.saved.scene.surface == surface {
            self.state.ui.reset_view = Some(self.race.landscape.view);
        }
    }

    /// The controls: they edit a copy of the scene, which comes back as a command.
    fn controls_ui(&mut self, ui: &mut egui::Ui, commands: &mut Commands) {
        // The scroll bar always shows, so a section below the fold is never mistaken for
        // missing.
        let bar = egui::scroll_area::ScrollBarVisibility::AlwaysVisible;
        egui::ScrollArea::vertical()
            .scroll_bar_visibility(bar)
            .show(ui, |ui| {
                if let Some(error) = &self.state.ui.error {
                    let text = egui::RichText::new(error.as_str()).color(theme::ALARM);
                    ui.add(egui::Label::new(text).wrap());
                    ui.label("(kept the previous setting)");
                }
                let scene = &self.state.saved.scene;
                let mut candidate = scene.clone();
                let lambda_max = self.race.lambda_max.filter(|_| scene.overlays.curvature);
                let points = match &self.network {
                    Some(view) => Some(view.training().network().table().len()),
                    None => self.race.landscape.data.as_ref().map(|d| d.len()),
                };
                let lambda_max = lambda_max.filter(|_| self.network.is_none());
                let drafts = &mut self.state.ui.drafts;
                let marks = (lambda_max, points);
                let tuning = &mut self.tuning;
                let edits =
                    panels::controls::controls_ui(ui, &mut candidate, drafts, tuning, marks);
                if edits.open_data {
                    commands.push(Command::Choose(Purpose::OpenData));
                }
                if edits.surface {
                    commands.push(Command::ChangeSurface(Box::new(candidate)));
                } else if candidate != *scene {
                    commands.push(Command::Edit(Box::new(candidate)));
                }
                if edits.reset_view {
                    commands.push(Command::ResetView);
                }
            });
    }

    /// The title bar: menus, the scene's title, the layout switch.
    fn top_bar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Commands) {
        let (saved, interface) = (&mut self.state.saved, &self.state.ui);
        let bar = panels::top_bar::TopBar {
            map_pixels: self.state.last.pixels.map(|p| p.clamp(1, 4096) as u32),
            presenting: interface.presentation,
            controls_open: interface.controls_open,
            status: interface.status.as_deref(),
            error: interface.error.as_deref(),
            place: interface.stepping.shown(),
        };
        let picture_size = &mut saved.prefs.picture_size;
        commands.edit(&saved.scene, |scene, commands| {
            panels::top_bar::top_bar_ui(ui, scene, picture_size, &bar, commands);
        });
    }

    /// The dock beside the map, and a tool popped out of it.
    fn dock_ui(&mut self, ui: &mut egui::Ui, commands: &mut Commands) {
        let ctx = ui.ctx().clone();
        let scene = &self.state.saved.scene;
        let map_note = format!(
            "last map: {:.1} ms for {}×{} samples",
            self.map.last_compute.as_secs_f64() * 1e3,
            self.map.map().map_or(0, |m| m.grid.nx),
            self.map.map().map_or(0, |m| m.grid.ny),
        );
        let cx = DockContext {
            race: &self.race,
            overlays: scene.overlays,
            step: self.state.ui.clock.step(),
            steps: scene.steps,
            presenting: self.state.ui.presentation,
            map_note,
            data_tab: self.race.landscape.data.is_some()
                && scene.layout != crate::scene::Layout::Overlay,
            map: scene.map.as_ref(),
            phase_tab: !central::phase_beside_map(scene, &self.race),
            phase: &self.phase,
            cloud: self.cloud.cloud(),
        };
        let mut out = DockOut {
            commands,
            last: &mut self.state.last,
            x_axis: &mut self.state.saved.prefs.x_axis,
            gradcheck: &mut self.gradcheck,
        };
        let dock = &mut self.state.ui.dock;
        egui::Panel::right("dock")
            .resizable(true)
            .default_size(DOCK_WIDTH)
            .size_range(180.0..=640.0)
            .show(ui, |ui| dock.ui(ui, &cx, &mut out));
        dock.window_ui(&ctx, &cx, &mut out);
    }
}

impl eframe::App for DescentApp {
    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        if self.screenshot.is_some() {
            ScreenshotJob::hide_pointer(raw_input);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        profiling::function_scope!();
        let ctx = ui.ctx().clone();
        self.frame += 1;
        self.shortcuts(&ctx);
        self.files(&ctx);
        self.advance(&ctx);
        // Each panel's commands are carried out before the next panel draws, so what a panel
        // changed shows in the panels after it within this frame.
        let mut commands = Commands::default();
        // A finished lr search comes back as an edit (no copy of the scene otherwise).
        if let Some(outcome) = self.tuning.take_finished() {
            let tuning = &mut self.tuning;
            commands.edit(&self.state.saved.scene, |scene, _| {
                tuning.apply(scene, outcome)
            });
        }
        egui::Panel::top("title").show(ui, |ui| self.top_bar_ui(ui, &mut commands));
        self.apply_all(&ctx, &mut commands);
        egui::Panel::bottom("playback").show(ui, |ui| {
            let (saved, interface) = (&self.state.saved, &mut self.state.ui);
            let steps = saved.scene.steps;
            commands.edit(&saved.scene, |scene, _| {
                let clock = &mut interface.clock;
                panels::playback::playback_ui(ui, clock, &mut scene.speed, steps);
            });
        });
        self.apply_all(&ctx, &mut commands);
        if !self.state.ui.presentation && self.state.ui.controls_open {
            egui::Panel::left("controls")
                .resizable(true)
                .default_size(CONTROLS_WIDTH)
                .size_range(200.0..=520.0)
                .show(ui, |ui| self.controls_ui(ui, &mut commands));
            self.apply_all(&ctx, &mut commands);
        }
        if self.network.is_some() {
            self.network_ui(ui);
        } else {
            self.update_many_runs(&ctx);
            self.dock_ui(ui, &mut commands);
            self.apply_all(&ctx, &mut commands);
            let central = egui::Frame::central_panel(&ctx.global_style()).inner_margin(4);
            egui::CentralPanel::default()
                .frame(central)
                .show(ui, |ui| self.central_ui(ui, &mut commands));
        }
        self.apply_all(&ctx, &mut commands);
        self.update_title(&ctx);
        if let Some(job) = &mut self.screenshot {
            job.poll(&ctx, self.frame);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.screenshot.is_none() {
            eframe::set_value(storage, SCENE_KEY, &self.state.saved.scene);
            eframe::set_value(storage, PREFERENCES_KEY, &self.state.saved.prefs);
        }
    }
}

/// What a scene shows: a race in the plane, or a network's training.
// Built once per scene edit and moved straight into the app: its size costs nothing.
#[allow(clippy::large_enum_variant)]
enum Shown {
    Race(RaceView),
    Network(NetworkView),
}

impl Shown {
    /// Build (and check) what `scene` shows; a network trains off the UI thread when
    /// `background`.
    fn build(scene: &Scene, background: bool) -> Result<Self, crate::spec::SpecError> {
        if scene.is_network() {
            NetworkView::new(scene, background).map(Self::Network)
        } else {
            RaceView::compute(scene).map(Self::Race)
        }
    }
}

/// The controls panel's first width: with the dock, it leaves the map over 60% of the
/// 1280 pixels of a projector.
const CONTROLS_WIDTH: f32 = 252.0;

/// The dock's first width.
const DOCK_WIDTH: f32 = 208.0;
