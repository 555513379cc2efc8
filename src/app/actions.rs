//! What the app does on the user's behalf: the top bar's actions, the file chooser's answer,
//! dropped files, exports on another thread, keyboard shortcuts and the clock.

use std::path::PathBuf;

use egui::{Key, Modifiers, ViewportCommand};

use super::DescentApp;
use super::command::{Export, Purpose};
use super::panels::files::{self, FileDialog};
use super::panels::native_dialog::{NativeAnswer, NativeDialogs};
use super::state::Tool;
use crate::engine::job::Job;

impl DescentApp {
    /// Open the chooser for `purpose`: the desktop's own where there is one, else Descent's.
    pub(super) fn choose(&mut self, ctx: &egui::Context, purpose: Purpose) {
        match &mut self.native {
            Some(native) => native.open(ctx, purpose, files::start_folder(), "scene"),
            None => {
                self.dialog = Some(FileDialog::new(purpose, files::start_folder(), "scene"));
            }
        }
    }

    /// Fit the scene's model to the CSV file at `path` (switching to the model its columns
    /// need if the surface is not one); a bad file leaves the scene as it was and says why.
    pub fn open_data_path(&mut self, path: &std::path::Path) {
        let spec = path.display().to_string();
        if self.state.saved.scene.is_network() {
            return self.open_network_data(spec);
        }
        let data = match crate::data::Dataset::parse(&spec) {
            Ok(data) => data,
            Err(e) => {
                self.state.ui.error = Some(e.0);
                return;
            }
        };
        let mut candidate = self.state.saved.scene.clone();
        let model = crate::data::model::ModelSpec::parse(&candidate.surface)
            .ok()
            .flatten();
        if model.is_none_or(|m| m.data_kind() != data.kind) {
            candidate.surface = match data.kind {
                crate::data::DataKind::Regression => "linear-regression".into(),
                crate::data::DataKind::Classification => "linear-classifier".into(),
            };
            candidate.title = format!("Surface {}", candidate.surface);
            candidate.description.clear();
        }
        candidate.data = Some(spec.clone());
        candidate.view = None;
        candidate.start = None;
        // Read again even when the path is the same: the file may have changed.
        self.adopt_with(candidate, true);
        if self.state.saved.scene.data.as_deref() == Some(spec.as_str()) {
            self.state.ui.status = Some(format!("opened {} points from {spec}", data.len()));
            self.state.ui.reset_view = Some(self.race.landscape.view);
        }
    }

    /// Train the network scene on the CSV file `spec` (d features and a label, or x,y); a bad
    /// file or one the model cannot take leaves the scene as it was and says why.
    fn open_network_data(&mut self, spec: String) {
        let table = match crate::data::Table::parse(&spec) {
            Ok(table) => table,
            Err(e) => {
                self.state.ui.error = Some(e.0);
                return;
            }
        };
        let mut candidate = self.state.saved.scene.clone();
        candidate.data = Some(spec.clone());
        // Read again even when the path is the same: the file may have changed.
        self.adopt_with(candidate, true);
        if self.state.saved.scene.data.as_deref() == Some(spec.as_str()) {
            let features = match table.dims {
                2 => String::new(),
                d => format!(" ({d} features: the data view cannot draw regions)"),
            };
            self.state.ui.status = Some(format!(
                "opened {} points from {spec}{features}",
                table.len()
            ));
        }
    }

    /// Open, save or export to the path a chooser gave.
    fn chosen(&mut self, ctx: &egui::Context, purpose: Purpose, path: PathBuf) {
        files::remember_folder(&path);
        match purpose {
            Purpose::Open => self.open_path(&path),
            Purpose::OpenData => self.open_data_path(&path),
            Purpose::Save => match files::save_scene(&self.state.saved.scene, &path) {
                Ok(done) => (self.state.ui.status, self.state.ui.error) = (Some(done), None),
                Err(e) => self.state.ui.error = Some(e),
            },
            Purpose::Export(kind) => self.start_export(ctx, kind, path),
        }
    }

    /// Act on a chooser's answer, a dropped file, and a finished export.
    pub(super) fn files(&mut self, ctx: &egui::Context) {
        profiling::function_scope!();
        if let Some(dialog) = &mut self.dialog
            && let Some(answer) = dialog.ui(ctx)
        {
            let purpose = dialog.purpose;
            self.dialog = None;
            if let Some(path) = answer {
                self.chosen(ctx, purpose, path);
            }
        }
        match self.native.as_mut().and_then(NativeDialogs::poll) {
            Some(NativeAnswer::Chosen(purpose, path)) => self.chosen(ctx, purpose, path),
            Some(NativeAnswer::Unavailable(purpose)) => {
                self.native = None;
                self.state.ui.status =
                    Some("no desktop file dialog here: using Descent's own".into());
                self.dialog = Some(FileDialog::new(purpose, files::start_folder(), "scene"));
            }
            Some(NativeAnswer::Cancelled) | None => {}
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.last() {
            let csv = path
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("csv"));
            if csv {
                self.open_data_path(path);
            } else {
                self.open_path(path);
            }
        }
        match self.export.take_finished().map(|(_, outcome)| outcome) {
            Some(Ok(written)) => match written.as_ref() {
                Ok(done) => self.state.ui.status = Some(done.clone()),
                Err(e) => self.state.ui.error = Some(e.clone()),
            },
            Some(Err(e)) => self.state.ui.error = Some(e),
            None => {}
        }
    }

    /// Exports run on another thread (a GIF takes a moment) and report back. Pictures have
    /// the size chosen in the File menu (by default the map's, a GIF at most 800 wide).
    pub(super) fn start_export(&mut self, ctx: &egui::Context, kind: Export, path: PathBuf) {
        let scene = self.state.saved.scene.clone();
        let step = self.state.ui.clock.step();
        let map = self.state.last.pixels.map(|p| p.clamp(1, 4096) as u32);
        let size = (self.state.saved.prefs.picture_size).pixels(map, kind == Export::Gif);
        let repaint = ctx.clone();
        let key = (path.clone(), kind);
        let export = move |_, _: &_| Some(files::export(&scene, kind, &path, step, size));
        let job = Job::spawn(1, 0, export, move || repaint.request_repaint());
        self.export.start(key, || Ok(job.into()));
        self.state.ui.status = Some("exporting…".into());
    }

    pub(super) fn set_presentation(&mut self, ctx: &egui::Context, on: bool) {
        self.state.ui.presentation = on;
        ctx.send_viewport_cmd(ViewportCommand::Fullscreen(on));
        ctx.set_zoom_factor(if on { 1.3 } else { 1.0 });
    }

    /// Space, →, R, F, ?, Esc, PageDown and PageUp, unless a text field is being typed into.
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        profiling::function_scope!();
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let pressed = |key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        let steps = self.state.saved.scene.steps;
        if pressed(Key::Space) {
            self.state.ui.clock.toggle(steps);
        }
        if pressed(Key::ArrowRight) {
            self.state.ui.clock.single_step(steps);
        }
        if pressed(Key::R) {
            self.state.ui.clock.reset();
        }
        if pressed(Key::F) {
            self.set_presentation(ctx, !self.state.ui.presentation);
        }
        self.stepping_keys(ctx);
        // Esc is taken only when it has something to close here; otherwise menus get it.
        let keys_open = self.state.ui.dock.tool == Tool::Keys;
        if (self.state.ui.presentation || keys_open) && pressed(Key::Escape) {
            if self.state.ui.presentation {
                self.set_presentation(ctx, false);
            }
            if keys_open {
                self.state.ui.dock.toggle_keys();
            }
        }
        if pressed(Key::Questionmark)
            || ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, Key::Slash))
        {
            self.state.ui.dock.toggle_keys();
        }
    }

    /// Move the clock: `speed` steps per second while playing. A screenshot plays at a fixed
    /// 60 frames per second, so it shows the same step however fast the machine draws.
    pub(super) fn advance(&mut self, ctx: &egui::Context) {
        profiling::function_scope!();
        if !self.state.ui.clock.is_playing() {
            return;
        }
        let dt = if self.screenshot.is_some() {
            1.0 / 60.0
        } else {
            f64::from(ctx.input(|i| i.stable_dt)).min(0.1)
        };
        let scene = &self.state.saved.scene;
        self.state.ui.clock.advance(dt, scene.speed, scene.steps);
        ctx.request_repaint();
    }
}
