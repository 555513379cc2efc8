//! `descent --screenshot FILE.png`: play a fixed number of frames at a fixed 1/60 s each, ask
//! the window for its pixels, write them as PNG (atomically) and close.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::ViewportCommand;

use crate::atomic::write_atomically;

/// Where the screenshot's outcome is left for [`super::run`] to report.
pub type Outcome = Arc<Mutex<Option<Result<(), String>>>>;

/// A pending `--screenshot`.
pub struct ScreenshotJob {
    path: PathBuf,
    frames: u64,
    requested_at: Option<u64>,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    pub outcome: Outcome,
}

impl ScreenshotJob {
    pub fn new(path: PathBuf, frames: u64) -> Self {
        Self {
            path,
            frames,
            requested_at: None,
            image: Arc::default(),
            outcome: Arc::default(),
        }
    }

    /// Called once per frame (`frame` counts from 1): ask for the pixels after the last
    /// frame, save them when they arrive, then close the window.
    pub fn poll(&mut self, ctx: &egui::Context, frame: u64) {
        ctx.request_repaint();
        let arrived = self.image.lock().ok().and_then(|mut i| i.take());
        let outcome = match (arrived, self.requested_at) {
            (Some(image), _) => Some(save_png(&self.path, &image)),
            (None, None) if frame >= self.frames => {
                let slot = Arc::clone(&self.image);
                let repaint = ctx.clone();
                ctx.send_viewport_cmd(ViewportCommand::Screenshot(egui::ScreenshotCallback::new(
                    move |image| {
                        if let Ok(mut s) = slot.lock() {
                            *s = Some(image);
                        }
                        repaint.request_repaint();
                    },
                )));
                self.requested_at = Some(frame);
                None
            }
            (None, Some(at)) if frame > at + 600 => Some(Err(
                "the window system never delivered the screenshot".into(),
            )),
            _ => None,
        };
        if let Some(result) = outcome {
            if let Ok(mut slot) = self.outcome.lock() {
                *slot = Some(result);
            }
            ctx.send_viewport_cmd(ViewportCommand::Close);
        }
    }

    /// A screenshot shows the scene, not wherever the pointer happens to be: pointer
    /// events are dropped, so no tooltip or crosshair is captured.
    pub fn hide_pointer(raw_input: &mut egui::RawInput) {
        raw_input.events.retain(|e| {
            !matches!(
                e,
                egui::Event::PointerMoved(_)
                    | egui::Event::MouseMoved(_)
                    | egui::Event::PointerButton { .. }
            )
        });
        raw_input.events.push(egui::Event::PointerGone);
    }
}

/// Encode `image` as PNG (the renderer's encoder) and write it atomically.
fn save_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size.map(|side| side as u32);
    let rgba: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    write_atomically(path, |out| crate::render::write_png(&rgba, [w, h], out))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
