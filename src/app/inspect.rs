//! What tests, benches and the screenshot read of the app: the scene, the clock, what the
//! last frame laid out and how often the caches computed. Reading only.

use super::DescentApp;
use super::caches::RaceView;
use super::state::{PhaseFrame, XAxis};
use crate::engine::cloud::Cloud;
use crate::engine::phase::PhaseDiagram;
use crate::scene::{Overlays, Scene};
use crate::surface::Bounds;
use crate::terrain::Orbit;

/// What a network scene shows, as tests read it.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkShown {
    /// Points (steps 0 ..) each racer has so far.
    pub points: Vec<usize>,
    /// Every path is complete.
    pub complete: bool,
    /// The slice on screen: its plane and grid values per side.
    pub slice: Option<(&'static str, usize)>,
    /// Racers whose decision regions were drawn (at any step).
    pub regions: usize,
    /// Racers with a stability line (2/η) in the sharpness plot.
    pub stability_lines: usize,
    /// Sharpness checkpoints measured, over all racers.
    pub sharpness_points: usize,
    /// Init → end curves in the line plot.
    pub lines: usize,
    /// What is still being computed, as the map's corner says it.
    pub note: Option<String>,
}

impl DescentApp {
    /// What the network scene shows (`None` for a race in the plane).
    pub fn network(&self) -> Option<NetworkShown> {
        let view = self.network.as_ref()?;
        let t = view.trajectories();
        let (shown, _) = view.slice();
        Some(NetworkShown {
            points: t.map_or_else(Vec::new, |t| t.runs.iter().map(Vec::len).collect()),
            complete: t.is_some_and(|t| t.complete),
            slice: shown.map(|s| (s.slice.plane.kind.name(), s.slice.a.len())),
            regions: view.regions.drawn(),
            stability_lines: view
                .runs
                .iter()
                .filter(|r| r.sharpness_limit.is_some())
                .count(),
            sharpness_points: t.map_or(0, |t| t.sharpness.iter().map(Vec::len).sum()),
            lines: shown.map_or(0, |s| s.lines.iter().filter(|l| !l.is_empty()).count()),
            note: view.progress_note(),
        })
    }

    pub fn scene(&self) -> &Scene {
        &self.state.saved.scene
    }
    /// Which teaching overlays are on.
    pub fn overlays(&self) -> Overlays {
        self.scene().overlays
    }
    pub fn race(&self) -> &RaceView {
        &self.race
    }
    /// The 3D view's camera.
    pub fn orbit(&self) -> Orbit {
        self.three_d.orbit
    }
    /// The step the timeline shows.
    pub fn step(&self) -> u64 {
        self.state.ui.clock.step()
    }
    pub fn is_playing(&self) -> bool {
        self.state.ui.clock.is_playing()
    }
    pub fn is_presenting(&self) -> bool {
        self.state.ui.presentation
    }
    /// The controls panel is open.
    pub fn controls_open(&self) -> bool {
        self.state.ui.controls_open
    }
    /// Why the last edit was refused.
    pub fn error(&self) -> Option<&str> {
        self.state.ui.error.as_deref()
    }
    pub fn expression_error(&self) -> Option<&str> {
        self.state.ui.drafts.expr_error.as_deref()
    }
    /// The last file operation's outcome.
    pub fn status(&self) -> Option<&str> {
        self.state.ui.status.as_deref()
    }
    /// Where the scene is among the presets or an open lecture's scenes: (k, n), 1-based.
    pub fn sequence_position(&self) -> Option<(usize, usize)> {
        let (k, n, _) = self.state.ui.stepping.shown()?;
        Some((k, n))
    }
    /// The open lecture's title, while its scenes are being stepped through.
    pub fn lecture_title(&self) -> Option<&str> {
        match &self.state.ui.stepping.place.as_ref()?.sequence {
            super::state::Sequence::Lecture(lecture) => Some(&lecture.title),
            super::state::Sequence::Presets => None,
        }
    }
    /// The window title last sent.
    pub fn window_title(&self) -> &str {
        &self.state.ui.stepping.title
    }
    /// The title of the tab the dock shows.
    pub fn dock_tool(&self) -> &'static str {
        self.state.ui.dock.tool.title()
    }
    /// What the plots' x axis counts.
    pub fn plots_x_axis(&self) -> XAxis {
        self.state.saved.prefs.x_axis
    }

    /// How many times the contour map was computed (never once per frame).
    pub fn maps_computed(&self) -> u64 {
        self.map.computed
    }
    /// The current minibatch's isolines (how many) and how many times they were computed.
    pub fn minibatch_isolines(&self) -> (usize, u64) {
        (self.minibatch.isolines().len(), self.minibatch.computed)
    }
    /// The phase diagram shown in the Phase tab, once computed.
    pub fn phase_diagram(&self) -> Option<&PhaseDiagram> {
        self.phase.shown().map(|(d, _)| d)
    }
    /// The noise cloud drawn on the map, once computed.
    pub fn cloud(&self) -> Option<&Cloud> {
        self.cloud.cloud()
    }

    /// The teaching layers drawn on the maps last frame (see [`super::layer`]).
    pub fn drawn_layers(&self) -> &[&'static str] {
        &self.state.last.drawn
    }
    /// Where the (first) map was drawn last frame, and the view it showed.
    pub fn map_frame(&self) -> Option<(egui::Rect, Bounds)> {
        self.state.last.map
    }
    /// Every map's rectangle last frame (one, or one per racer side by side).
    pub fn map_rects(&self) -> &[egui::Rect] {
        &self.state.last.maps
    }
    /// The rectangle of what stood beside the map last frame (overlay layout): the data view
    /// of a data scene, or the phase diagram a scene asks for.
    pub fn beside_map_rect(&self) -> Option<egui::Rect> {
        self.state.last.beside
    }
    /// The legend strip's rectangle last frame.
    pub fn legend_rect(&self) -> Option<egui::Rect> {
        self.state.last.legend
    }
    /// Where the Phase tab drew the diagram and the racer's ring last frame.
    pub fn phase_frame(&self) -> PhaseFrame {
        self.state.last.phase
    }
    /// Cloud bands (median and 10–90%) the loss plot drew last frame.
    pub fn loss_bands_drawn(&self) -> usize {
        self.state.last.bands
    }
    /// Where data point `i` was drawn in the data view last frame.
    pub fn data_point_on_screen(&self, i: usize) -> Option<egui::Pos2> {
        let p = self.race.landscape.data.as_ref()?.data.points.get(i)?;
        let transform = self.state.last.data_view.as_ref()?;
        Some(transform.position_from_point(&egui_plot::PlotPoint::new(p.x, p.y)))
    }
    /// The screen position of a surface point on the (first) map, as of last frame.
    pub fn screen_from_surface(&self, p: [f64; 2]) -> Option<egui::Pos2> {
        let (rect, b) = self.state.last.map?;
        let x = rect.left() + ((p[0] - b.x[0]) / (b.x[1] - b.x[0])) as f32 * rect.width();
        let y = rect.bottom() - ((p[1] - b.y[0]) / (b.y[1] - b.y[0])) as f32 * rect.height();
        Some(egui::pos2(x, y))
    }
}
