//! The control panel: it edits a copy of the scene. Every edit goes back through the core's
//! spec parser (the same rules as the command line), and the app only adopts a copy whose
//! race builds, so a bad value can never replace a working scene.

mod data;
mod network;
mod params;
mod racers;
mod surface;
mod training;
mod tune;

pub use tune::Tuning;

use egui::{RichText, Ui};

use super::super::state::Drafts;
use crate::scene::{Control, Scene};

/// What the panel changed.
#[derive(Default)]
pub struct Edits {
    /// The surface changed: reset the view and the start to the new surface's own.
    pub surface: bool,
    /// Reset the view to the surface's default box.
    pub reset_view: bool,
    /// Open a CSV file as the dataset.
    pub open_data: bool,
}

/// The whole panel. `scene` is a copy the caller adopts if its race builds; `tuning` the
/// racers' lr search. With `lambda_max`, the lr sliders of the SGD family carry their
/// stability mark for it; `points` is the dataset's size on a data scene.
pub fn controls_ui(
    ui: &mut Ui,
    scene: &mut Scene,
    drafts: &mut Drafts,
    tuning: &mut Tuning,
    (lambda_max, points): (Option<f64>, Option<usize>),
) -> Edits {
    profiling::function_scope!();
    let mut edits = Edits::default();
    let shows = |c: &[Control], scene: &Scene| c.iter().any(|&c| scene.shows(c));
    if scene.is_network() {
        if scene.shows(Control::Surface) {
            let points = points.unwrap_or(1);
            network::network_section(ui, scene, &mut drafts.hidden, points, &mut edits);
        }
    } else if shows(&[Control::Surface, Control::Map], scene) {
        surface::map_section(ui, scene, drafts, &mut edits);
        ui.separator();
    }
    if scene.shows(Control::Surface)
        && !scene.is_network()
        && let Some(points) = points
    {
        data::data_section(ui, scene, points, &mut edits);
    }
    if shows(
        &[
            Control::Racers,
            Control::LearningRates,
            Control::Hyperparameters,
        ],
        scene,
    ) {
        egui::CollapsingHeader::new(RichText::new("Optimizers").heading())
            .default_open(true)
            .show(ui, |ui| {
                racers::racers_ui(ui, scene, drafts, tuning, (lambda_max, points))
            });
        ui.separator();
    }
    if shows(
        &[
            Control::LrScale,
            Control::Noise,
            Control::Steps,
            Control::Schedule,
        ],
        scene,
    ) {
        egui::CollapsingHeader::new(RichText::new("Training").heading())
            .default_open(true)
            .show(ui, |ui| training::training_ui(ui, scene));
    }
    edits
}
