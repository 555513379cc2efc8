//! The desktop's own file dialog (rfd: the XDG desktop portal on Linux, the system dialogs on
//! Windows and macOS), run on another thread since it blocks until the user answers. Where
//! the desktop has none (no portal, as under Xvfb) it answers at once with nothing: then the
//! app says so and falls back to its own chooser ([`super::files::FileDialog`]).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::super::command::Purpose;

/// An empty answer sooner than this is the desktop saying it has no dialog, not a person
/// cancelling one.
const UNAVAILABLE_WITHIN: Duration = Duration::from_millis(300);

/// The answer a dialog thread leaves: the chosen path, or none.
type Slot = Arc<Mutex<Option<Option<PathBuf>>>>;

/// The dialog open now, if any.
#[derive(Default)]
pub struct NativeDialogs {
    pending: Option<(Purpose, Instant, Slot)>,
}

/// What became of a dialog.
pub enum NativeAnswer {
    Chosen(Purpose, PathBuf),
    Cancelled,
    /// The desktop has no dialog: use the app's own for this purpose.
    Unavailable(Purpose),
}

impl NativeDialogs {
    /// Open the desktop's dialog for `purpose` in `folder` (a save suggests `stem.ext`),
    /// unless one is already open.
    pub fn open(&mut self, ctx: &egui::Context, purpose: Purpose, folder: PathBuf, stem: &str) {
        if self.pending.is_some() {
            return;
        }
        let slot: Slot = Arc::default();
        let (answer, repaint) = (Arc::clone(&slot), ctx.clone());
        let extension = purpose.extension();
        let name = format!("{stem}.{extension}");
        std::thread::spawn(move || {
            let dialog = rfd::FileDialog::new()
                .set_title(purpose.title())
                .set_directory(folder)
                .add_filter(extension, &[extension]);
            let chosen = match purpose {
                Purpose::Open | Purpose::OpenData => dialog.pick_file(),
                _ => dialog.set_file_name(name).save_file(),
            };
            if let Ok(mut slot) = answer.lock() {
                *slot = Some(chosen);
            }
            repaint.request_repaint();
        });
        self.pending = Some((purpose, Instant::now(), slot));
    }

    /// The answer, once there is one.
    pub fn poll(&mut self) -> Option<NativeAnswer> {
        let (_, _, slot) = self.pending.as_ref()?;
        let chosen = slot.lock().ok()?.take()?;
        let (purpose, opened, _) = self.pending.take()?;
        Some(match chosen {
            Some(path) => NativeAnswer::Chosen(purpose, path),
            None if opened.elapsed() < UNAVAILABLE_WITHIN => NativeAnswer::Unavailable(purpose),
            None => NativeAnswer::Cancelled,
        })
    }
}
