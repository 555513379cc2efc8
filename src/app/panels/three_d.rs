//! The 3D view: the terrain of the current view box as filled cells coloured by height (linear
//! in f by default, clipped at the view's 95th percentile; log as an option), axes with ticks,
//! and the paths on it, hidden where the surface is in front of them; drag to rotate. The
//! geometry and the depth order are the core's ([`crate::terrain`]).

use egui::{Color32, Pos2, RichText, Shape, Stroke};

use super::super::caches::RunView;
use super::super::theme::{self, short};
use crate::grid::Colormap;
use crate::terrain::{Axes, Heights, Item, Orbit, Terrain};

/// The 3D view's own settings: the camera and the height scale.
#[derive(Default)]
pub struct ThreeD {
    pub orbit: Orbit,
    pub heights: Heights,
}

/// What the 3D view shows this frame: each run's colour and its points (x, y, f) up to the
/// step shown, and the colormap.
pub struct ThreeDScene {
    pub paths: Vec<(Color32, Vec<[f64; 3]>)>,
    pub colormap: Colormap,
    /// The axes' names: x, y and f on a surface; a, b and the loss on a network's slice.
    pub axes: [&'static str; 3],
}

impl ThreeDScene {
    /// A race's runs up to `step`, each point at its own loss.
    pub fn of_runs(runs: &[RunView], step: u64, colormap: Colormap) -> Self {
        let paths = runs
            .iter()
            .map(|run| {
                let points = run.records[..run.shown(step)]
                    .iter()
                    .map(|r| [r.x, r.y, r.loss])
                    .collect();
                (run.color, points)
            })
            .collect();
        Self {
            paths,
            colormap,
            axes: ["x", "y", "f"],
        }
    }
}

impl ThreeD {
    /// The height option above the view, then the terrain, the paths and the axes; a drag
    /// on the view rotates the camera.
    /// `terrain` is sampled with this view's [`ThreeD::heights`].
    pub fn ui(&mut self, ui: &mut egui::Ui, terrain: &Terrain, scene: &ThreeDScene) {
        self.heights_ui(ui, terrain.clip);
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
        let view = View::new(self.orbit, rect);
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, Color32::from_gray(18));
        view.paint_terrain(&painter, terrain, scene);
        view.paint_axes(&painter, &terrain.axes(&view.orbit), scene.axes);
    }

    /// One row: how to rotate, the log-height checkbox, and the height the linear scale
    /// flattens above (`clip`).
    fn heights_ui(&mut self, ui: &mut egui::Ui, clip: Option<f64>) {
        ui.horizontal_wrapped(|ui| {
            ui.label("3D: drag to rotate.");
            let mut log = self.heights == Heights::Log;
            ui.checkbox(&mut log, "log height (the map's colour scale)");
            self.heights = if log { Heights::Log } else { Heights::Linear };
            if let Some(clip) = clip {
                ui.label(
                    RichText::new(format!("flat above f = {}", short(clip))).color(theme::NOTE),
                );
            }
        });
    }
}

/// The camera and where its picture goes on screen.
struct View {
    orbit: Orbit,
    center: Pos2,
    /// Points per unit of the projected picture.
    size: f32,
}

impl View {
    fn new(orbit: Orbit, rect: egui::Rect) -> Self {
        Self {
            orbit,
            center: rect.center(),
            size: 0.42 * rect.width().min(rect.height()),
        }
    }

    /// A point of the projected picture on screen.
    fn screen(&self, q: [f64; 2]) -> Pos2 {
        Pos2::new(
            self.center.x + q[0] as f32 * self.size,
            self.center.y - q[1] as f32 * self.size,
        )
    }

    /// A point of the terrain's cube on screen.
    fn project(&self, p: [f64; 3]) -> Pos2 {
        let q = self.orbit.project(p);
        self.screen([q[0], q[1]])
    }

    /// The cells as one mesh coloured by height (no feathering, so thin cells at the
    /// silhouette cannot spike), then the visible pieces of the paths on top.
    fn paint_terrain(&self, painter: &egui::Painter, terrain: &Terrain, scene: &ThreeDScene) {
        let table = scene.colormap.table();
        let color = |h: f64| {
            let [r, g, b] = table[(h.clamp(0.0, 1.0) * 255.0) as usize];
            Color32::from_rgb(r, g, b)
        };
        let paths: Vec<Vec<[f64; 3]>> = scene
            .paths
            .iter()
            .map(|(_, points)| {
                points
                    .iter()
                    .map(|p| terrain.cube(p[0], p[1], p[2]))
                    .collect()
            })
            .collect();
        let mut surface = egui::Mesh::default();
        let mut paths_on_top = PathsOnTop::default();
        for paint in terrain.draw_list(&self.orbit, &paths) {
            match paint.item {
                Item::Cell {
                    corners, height, ..
                } => {
                    let base = surface.vertices.len() as u32;
                    let fill = color(height);
                    for corner in corners {
                        surface.colored_vertex(self.screen(corner), fill);
                    }
                    surface.add_triangle(base, base + 1, base + 2);
                    surface.add_triangle(base, base + 2, base + 3);
                }
                // Hidden pieces are not drawn: the surface is in front of them.
                Item::Segment { hidden: true, .. } | Item::Head { hidden: true, .. } => {}
                Item::Segment { run, ends, .. } => paths_on_top
                    .segments
                    .push((run, ends.map(|e| self.screen(e)))),
                Item::Head { run, at, .. } => paths_on_top.heads.push((run, self.screen(at))),
            }
        }
        painter.add(Shape::mesh(surface));
        let colors: Vec<Color32> = scene.paths.iter().map(|(c, _)| *c).collect();
        paths_on_top.paint(painter, &colors);
    }

    /// The x, y and f axes with their ticks, tick labels and names; an axis seen end-on is
    /// left out.
    fn paint_axes(&self, painter: &egui::Painter, axes: &Axes, names: [&str; 3]) {
        let font = egui::FontId::proportional(theme::SMALLEST_TEXT);
        for (axis, name) in [&axes.x, &axes.y, &axes.f].into_iter().zip(names) {
            let [a, b] = axis.ends.map(|p| self.project(p));
            if a.distance(b) < 8.0 {
                continue; // seen end-on (the f axis from straight above)
            }
            painter.line_segment([a, b], Stroke::new(1.5, theme::TEXT));
            for tick in &axis.ticks {
                let at = self.project(tick.at);
                painter.circle_filled(at, 2.5, theme::TEXT);
                let label = self.project(tick.label_at);
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

/// The pieces of the paths the surface does not hide, on screen, by run index.
#[derive(Default)]
struct PathsOnTop {
    segments: Vec<(usize, [Pos2; 2])>,
    heads: Vec<(usize, Pos2)>,
}

impl PathsOnTop {
    /// Every segment's halo, then the segments in their run's colour, then the heads.
    fn paint(&self, painter: &egui::Painter, colors: &[Color32]) {
        for (_, ends) in &self.segments {
            painter.line_segment(*ends, Stroke::new(5.5, theme::HALO));
        }
        for (run, ends) in &self.segments {
            painter.line_segment(*ends, Stroke::new(3.0, colors[*run]));
        }
        for &(run, at) in &self.heads {
            painter.circle(at, 7.0, colors[run], Stroke::new(2.5, theme::HALO));
        }
    }
}
