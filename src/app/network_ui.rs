//! The window of a network scene: the dock's plots on the right, and in the centre the slice
//! map beside the data view with each racer's decision regions. The training and the slice
//! are brought up to date first (off the UI thread), so every panel of the frame draws the
//! same step.

use super::network::{NetworkDock, NetworkView, data_view_ui, network_dock_ui, slice_map_ui};
use super::panels::three_d::ThreeD;
use super::{DOCK_WIDTH, DescentApp, theme};
use crate::scene::Layout;

/// The map's share of the central area's width; the data view takes the rest, at least
/// [`DATA_WIDTH`].
const MAP_SHARE: f32 = 0.58;

/// The data view's least width: two small multiples side by side stay readable.
const DATA_WIDTH: f32 = 320.0;

impl DescentApp {
    /// The dock and the central area of a network scene.
    pub(super) fn network_ui(&mut self, ui: &mut egui::Ui) {
        profiling::function_scope!();
        let ctx = ui.ctx().clone();
        let Some(view) = &mut self.network else {
            return;
        };
        let aspect = self.state.last.map.map_or(1.5, |(rect, _)| {
            f64::from(rect.width()) / f64::from(rect.height().max(1.0))
        });
        view.update(&ctx, &self.state.saved.scene, aspect);
        let step = self.state.ui.clock.step();
        let dock = NetworkDock {
            step,
            overlays: self.state.saved.scene.overlays,
            playing: self.state.ui.clock.is_playing(),
            presenting: self.state.ui.presentation,
        };
        let x_axis = &mut self.state.saved.prefs.x_axis;
        let tools = &mut self.state.ui.dock;
        // Its own panel (its own remembered width): wider than the plane's dock on a large
        // screen, where the plots tell the lesson (the sharpness meeting 2/η).
        let extra = (ui.max_rect().width() - super::DESIGN_SIZE[0]).max(0.0);
        egui::Panel::right("network-dock")
            .resizable(true)
            .default_size((DOCK_WIDTH + 8.0 + 0.3 * extra).min(520.0))
            .size_range(180.0..=640.0)
            .show(ui, |ui| network_dock_ui(ui, view, &dock, tools, x_axis));
        let central = egui::Frame::central_panel(&ctx.global_style()).inner_margin(4);
        let (layout, colormap) = (
            self.state.saved.scene.layout,
            self.state.saved.scene.colormap,
        );
        let three_d = &mut self.three_d;
        let last = &mut self.state.last;
        last.maps.clear();
        (last.legend, last.beside) = (None, None);
        let selected = self.state.ui.dock.data_run;
        egui::CentralPanel::default().frame(central).show(ui, |ui| {
            let area = ui.available_rect_before_wrap();
            let spacing = ui.spacing().item_spacing.x;
            let width = area.width();
            let map_width = (width * MAP_SHARE)
                .min(width - DATA_WIDTH - spacing)
                .max(width / 2.0);
            let map_rect = area.with_max_x(area.min.x + map_width);
            let data_rect = area.with_min_x(map_rect.max.x + spacing);
            let within = |rect| egui::UiBuilder::new().max_rect(rect);
            let three_d = (layout == Layout::ThreeD).then_some(&mut *three_d);
            let plot = ui
                .scope_builder(within(map_rect), |ui| match three_d {
                    Some(three_d) => slice_3d_ui(ui, view, three_d, step, colormap),
                    None => slice_map_ui(ui, view, step),
                })
                .inner;
            ui.scope_builder(within(data_rect), |ui| {
                data_view_ui(ui, view, step, selected);
            });
            last.maps.push(map_rect);
            last.beside = Some(data_rect);
            if let Some(rect) = plot {
                last.map = Some((rect, crate::surface::Bounds::new(0.0, 1.0, 0.0, 1.0)));
                if let Some(note) = view.progress_note() {
                    corner_note(ui, rect, &note);
                }
            }
        });
    }
}

/// The slice as a surface in 3D, with each path at its true loss; returns the view's
/// rectangle.
fn slice_3d_ui(
    ui: &mut egui::Ui,
    view: &mut NetworkView,
    three_d: &mut ThreeD,
    step: u64,
    colormap: crate::grid::Colormap,
) -> Option<egui::Rect> {
    let scene = view.three_d_scene(step, colormap);
    ui.label(
        egui::RichText::new(
            "the slice in 3D: each path at its true loss, above or below the plane",
        )
        .color(theme::TEXT),
    );
    let Some(terrain) = view.terrain(three_d.heights) else {
        ui.label(
            egui::RichText::new("the slice comes when the paths are complete…").color(theme::NOTE),
        );
        return None;
    };
    three_d.ui(ui, terrain, &scene);
    Some(ui.min_rect())
}

/// A note painted over the corner of `frame` (what is still being computed).
pub fn corner_note(ui: &egui::Ui, frame: egui::Rect, note: &str) {
    let corner = frame.right_top() + egui::vec2(-8.0, 8.0);
    let painter = ui.painter();
    let font = egui::FontId::proportional(theme::SMALLEST_TEXT);
    let text = painter.layout(note.to_string(), font, theme::TEXT, frame.width() - 24.0);
    let rect = egui::Align2::RIGHT_TOP.anchor_size(corner, text.size());
    painter.rect_filled(rect.expand(4.0), 4.0, theme::HALO);
    painter.galley(rect.min, text, theme::TEXT);
}
