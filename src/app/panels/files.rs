//! Opening, saving and exporting: an in-app file chooser (no native dialog library, so it
//! works the same on every desktop and under Xvfb), and the writers behind each menu entry.
//! Every write is atomic: a failed save leaves the old file as it was.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::super::command::{Export, Purpose};
use super::super::theme;
use crate::atomic::write_atomically;
use crate::export::{Format, Keep, write_race};
use crate::render::{Renderer, rgba_of, write_gif, write_png};
use crate::scene::Scene;

/// A folder's entries as (name, is a folder), or why it could not be read.
type Listing = Result<Vec<(String, bool)>, String>;

/// A small file chooser: a folder listing and a file name.
pub struct FileDialog {
    pub purpose: Purpose,
    dir: PathBuf,
    name: String,
    /// A save onto this existing file waits for "Replace".
    replacing: Option<PathBuf>,
    /// The folder's listing, read when the folder changes (not every frame).
    listing: Option<(PathBuf, Listing)>,
}

impl FileDialog {
    pub fn new(purpose: Purpose, dir: PathBuf, stem: &str) -> Self {
        let name = match purpose {
            Purpose::Open | Purpose::OpenData => String::new(),
            _ => format!("{stem}.{}", purpose.extension()),
        };
        Self {
            purpose,
            dir,
            name,
            replacing: None,
            listing: None,
        }
    }

    /// Show the chooser; `Some(Some(path))` when confirmed, `Some(None)` when cancelled.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Option<PathBuf>> {
        let mut result = None;
        egui::Window::new(self.purpose.title())
            .collapsible(false)
            .resizable(true)
            .default_size([560.0, 420.0])
            .show(ctx, |ui| result = self.contents(ui));
        result
    }

    /// The folder, its listing, the file name, then either the replace question or the
    /// confirm and cancel buttons.
    fn contents(&mut self, ui: &mut Ui) -> Option<Option<PathBuf>> {
        self.folder_ui(ui);
        self.listing_ui(ui);
        let confirmed = self.name_ui(ui);
        if let Some(path) = self.replacing.clone() {
            return self.replace_ui(ui, path);
        }
        self.buttons_ui(ui, confirmed)
    }

    /// "Up" and the current folder.
    fn folder_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if ui.button("Up").clicked()
                && let Some(parent) = self.dir.parent()
            {
                self.dir = parent.to_path_buf();
            }
            ui.label(RichText::new(self.dir.display().to_string()).monospace());
        });
    }

    /// The folder's entries (read again when the folder changed): a click on a folder
    /// enters it, a click on a file takes its name.
    fn listing_ui(&mut self, ui: &mut Ui) {
        let extension = self.purpose.extension();
        if self
            .listing
            .as_ref()
            .is_none_or(|(dir, _)| *dir != self.dir)
        {
            self.listing = Some((self.dir.clone(), list(&self.dir, extension)));
        }
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .show(ui, |ui| {
                match self.listing.as_ref().map(|(_, listing)| listing) {
                    Some(Ok(entries)) => {
                        for (name, is_dir) in entries {
                            let label = if *is_dir {
                                format!("{name}/")
                            } else {
                                name.clone()
                            };
                            if ui.selectable_label(self.name == *name, label).clicked() {
                                clicked = Some((name.clone(), *is_dir));
                            }
                        }
                    }
                    Some(Err(e)) => {
                        ui.label(RichText::new(e).color(theme::ALARM));
                    }
                    None => {}
                }
            });
        match clicked {
            Some((name, true)) => self.dir.push(name),
            Some((name, false)) => self.name = name,
            None => {}
        }
    }

    /// The file name box; returns whether Enter confirmed it.
    fn name_ui(&mut self, ui: &mut Ui) -> bool {
        let mut confirmed = false;
        ui.horizontal(|ui| {
            ui.label("file name");
            let edit = ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(300.0));
            confirmed = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        });
        confirmed
    }

    /// Whether to replace the existing `path`: "Replace" confirms it, "Keep it" goes back to
    /// the chooser.
    fn replace_ui(&mut self, ui: &mut Ui, path: PathBuf) -> Option<Option<PathBuf>> {
        let mut out = None;
        ui.label(
            RichText::new(format!("{} exists. Replace it?", path.display())).color(theme::ALARM),
        );
        ui.horizontal(|ui| {
            if ui.button("Replace").clicked() {
                out = Some(Some(path));
            }
            if ui.button("Keep it").clicked() {
                self.replacing = None;
            }
        });
        out
    }

    /// Open or Save (or Enter, when `confirmed`) with a name, and Cancel. A save onto an
    /// existing file asks first.
    fn buttons_ui(&mut self, ui: &mut Ui, confirmed: bool) -> Option<Option<PathBuf>> {
        let extension = self.purpose.extension();
        let mut out = None;
        ui.horizontal(|ui| {
            let verb = if self.purpose.is_open() {
                "Open"
            } else {
                "Save"
            };
            if (ui.button(verb).clicked() || confirmed) && !self.name.trim().is_empty() {
                let mut path = self.dir.join(self.name.trim());
                if !self.purpose.is_open() && path.extension().is_none() {
                    path.set_extension(extension);
                }
                // Ask before a save replaces a file that is already there.
                if !self.purpose.is_open() && path.exists() {
                    self.replacing = Some(path);
                } else {
                    out = Some(Some(path));
                }
            }
            if ui.button("Cancel").clicked() {
                out = Some(None);
            }
        });
        out
    }
}

/// Folders, then files ending in `.extension`, sorted by name.
fn list(dir: &Path, extension: &str) -> Listing {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut out: Vec<(String, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            // Follows symbolic links, so a linked folder is listed as a folder.
            let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            let wanted = is_dir || Path::new(&name).extension().is_some_and(|x| x == extension);
            (wanted && !name.starts_with('.')).then_some((name, is_dir))
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(out)
}

/// Save the scene as RON, atomically.
pub fn save_scene(scene: &Scene, path: &Path) -> Result<String, String> {
    let text = scene.to_ron();
    write_atomically(path, |out| out.write_all(text.as_bytes())).map_err(|e| {
        format!(
            "cannot save {}: {e} (the old file is unchanged)",
            path.display()
        )
    })?;
    Ok(format!("saved {}", path.display()))
}

/// The most frames per second an exported GIF plays (a slower race holds frames; a long
/// one skips steps rather than speed up).
const GIF_FPS: f64 = 20.0;

/// Write an export of `scene` (its view, at timeline `step`, `size` pixels for pictures).
pub fn export(
    scene: &Scene,
    kind: Export,
    path: &Path,
    step: u64,
    size: [u32; 2],
) -> Result<String, String> {
    let target = path.display().to_string();
    let fail = |e: std::io::Error| format!("cannot write {target}: {e}");
    let rows = if kind == Export::Csv {
        Format::Csv
    } else {
        Format::Json
    };
    match kind {
        Export::Csv | Export::Json if scene.is_network() => {
            // A network's trajectories: the rows `descent train` (and `descent run`) print.
            let training = scene
                .train_spec()
                .and_then(|(spec, _)| spec.build())
                .map_err(|e| e.0)?;
            let columns = crate::train::output::Columns {
                test: training.test().is_some(),
                sharpness: false,
            };
            let keep = Keep::default();
            write_atomically(path, |out| {
                crate::train::output::write_training(&training, rows, keep, columns, out).map(drop)
            })
            .map_err(fail)?;
        }
        Export::Csv | Export::Json => {
            let race = scene
                .race_spec()
                .and_then(|(spec, _)| spec.build())
                .map_err(|e| e.0)?;
            write_atomically(path, |out| write_race(&race, rows, Keep::default(), out))
                .map_err(fail)?;
        }
        Export::Png => {
            let renderer = Renderer::new(scene, size, None).map_err(|e| e.0)?;
            let rgba = rgba_of(&renderer.frame(step));
            write_atomically(path, |out| write_png(&rgba, size, out)).map_err(fail)?;
        }
        Export::Gif => {
            let renderer = Renderer::new(scene, size, None).map_err(|e| e.0)?;
            let frames = renderer.gif_frames(scene.speed, GIF_FPS);
            write_atomically(path, |out| write_gif(&renderer, &frames, out).map(drop))
                .map_err(fail)?;
        }
    }
    Ok(format!("exported {target}"))
}

/// The folder the last file was chosen in, this run of the app.
static LAST_FOLDER: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Where the chooser opens: the last folder used, else the home folder, else the working one.
pub fn start_folder() -> PathBuf {
    let last = LAST_FOLDER.lock().ok().and_then(|f| f.clone());
    last.or_else(|| std::env::var_os("HOME").map(PathBuf::from))
        .filter(|p| p.is_dir())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// Remember the folder of a chosen file for the next chooser.
pub fn remember_folder(path: &Path) {
    if let (Some(folder), Ok(mut last)) = (path.parent(), LAST_FOLDER.lock()) {
        *last = Some(folder.to_path_buf());
    }
}
