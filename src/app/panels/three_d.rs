//! The 3D view: the terrain of the current view box as filled cells coloured by height (linear
//! in f by default, clipped at the view's 95th percentile; log as an option), axes with ticks,
//! and the paths on it, hidden where the surface is in front of them; drag to rotate. The
//! geometry and the depth order are the core's ([`crate::terrain`]).

use egui::{Color32, Pos2, RichText, Shape, Stroke};

use super::super::caches::{RunView, TerrainCache};
use super::super::theme::{self, short};
use crate::grid::Colormap;
use crate::landscape::Landscape;
use crate::surface::Bounds;
use crate::terrain::{Heights, Item, Orbit};

/// The 3D view's own settings: the camera and the height scale.
#[derive(Default)]
pub struct ThreeD {
    pub orbit: Orbit,
    pub heights: Heights,
}

/// What the 3D view shows this frame.
pub struct ThreeDScene<'a> {
    pub landscape: &'a Landscape,
    pub bounds: Bounds,
    pub runs: &'a [RunView],
    pub step: u64,
    pub colormap: Colormap,
}

impl ThreeD {
    pub fn ui(&mut self, ui: &mut egui::Ui, cache: &mut TerrainCache, scene: &ThreeDScene<'_>) {
        let terrain = cache.get(scene.landscape, scene.bounds, self.heights);
        ui.horizontal_wrapped(|ui| {
            ui.label("3D: drag to rotate.");
            let mut log = self.heights == Heights::Log;
            ui.checkbox(&mut log, "log height (the map's colour scale)");
            self.heights = if log { Heights::Log } else { Heights::Linear };
            if let Some(clip) = terrain.clip {
                ui.label(
                    RichText::new(format!("flat above f = {}", short(clip))).color(theme::NOTE),
                );
            }
        });
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), egui::Sense::drag());
        if rect.width() < 2.0 || rect.height() < 2.0 {
            return;
        }
        if response.dragged() {
            let d = response.drag_delta();
            let half = f64::from(rect.width().min(rect.height()) / 2.0);
            self.orbit
                .drag(f64::from(d.x) / half, f64::from(d.y) / half);
        }
        let orbit = self.orbit;
        let center = rect.center();
        let size = 0.42 * rect.width().min(rect.height());
        let screen =
            |q: [f64; 2]| Pos2::new(center.x + q[0] as f32 * size, center.y - q[1] as f32 * size);
        let project = |p: [f64; 3]| {
            let q = orbit.project(p);
            screen([q[0], q[1]])
        };
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, Color32::from_gray(18));
        let table = scene.colormap.table();
        let color = |h: f64| {
            let [r, g, b] = table[(h.clamp(0.0, 1.0) * 255.0) as usize];
            Color32::from_rgb(r, g, b)
        };
        let paths: Vec<Vec<[f64; 3]>> = scene
            .runs
            .iter()
            .map(|run| {
                run.records[..run.shown(scene.step)]
                    .iter()
                    .map(|r| terrain.cube(r.x, r.y, r.loss))
                    .collect()
            })
            .collect();
        // The cells as one mesh (no feathering, so thin cells at the silhouette cannot
        // spike), then the visible path pieces on top.
        let mut surface = egui::Mesh::default();
        let mut on_top: Vec<(usize, [Pos2; 2])> = Vec::new();
        let mut heads: Vec<(usize, Pos2)> = Vec::new();
        for paint in terrain.draw_list(&orbit, &paths) {
            match paint.item {
                Item::Cell {
                    corners, height, ..
                } => {
                    let base = surface.vertices.len() as u32;
                    let fill = color(height);
                    for corner in corners {
                        surface.colored_vertex(screen(corner), fill);
                    }
                    surface.add_triangle(base, base + 1, base + 2);
                    surface.add_triangle(base, base + 2, base + 3);
                }
                // Hidden pieces are not drawn: the surface is in front of them.
                Item::Segment { hidden: true, .. } | Item::Head { hidden: true, .. } => {}
                Item::Segment { run, ends, .. } => on_top.push((run, ends.map(screen))),
                Item::Head { run, at, .. } => heads.push((run, screen(at))),
            }
        }
        painter.add(Shape::mesh(surface));
        for (_, ends) in &on_top {
            painter.line_segment(*ends, Stroke::new(5.5, theme::HALO));
        }
        for (run, ends) in &on_top {
            painter.line_segment(*ends, Stroke::new(3.0, scene.runs[*run].color));
        }
        for (run, at) in heads {
            painter.circle(
                at,
                7.0,
                scene.runs[run].color,
                Stroke::new(2.5, theme::HALO),
            );
        }
        let axes = terrain.axes(&orbit);
        let font = egui::FontId::proportional(theme::SMALLEST_TEXT);
        for (axis, name) in [(&axes.x, "x"), (&axes.y, "y"), (&axes.f, "f")] {
            let [a, b] = axis.ends.map(project);
            if a.distance(b) < 8.0 {
                continue; // seen end-on (the f axis from straight above)
            }
            painter.line_segment([a, b], Stroke::new(1.5, theme::TEXT));
            for tick in &axis.ticks {
                let at = project(tick.at);
                painter.circle_filled(at, 2.5, theme::TEXT);
                let label = project(tick.label_at);
                painter.text(
                    label,
                    egui::Align2::CENTER_CENTER,
                    &tick.label,
                    font.clone(),
                    theme::TEXT,
                );
            }
            let beyond = b + (b - a).normalized() * 16.0;
            painter.text(
                beyond,
                egui::Align2::CENTER_CENTER,
                name,
                egui::FontId::proportional(18.0),
                theme::TEXT,
            );
        }
    }
}
