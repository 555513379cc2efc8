//! The 3D view: the terrain of the current view box as a wireframe coloured by height, the
//! paths lying on it; drag to rotate.

use egui::RichText;

use super::super::caches::RunView;
use super::super::theme;
use crate::grid::Colormap;
use crate::terrain::{Orbit, Terrain};

/// The view; `orbit` turns with a drag.
pub fn three_d_ui(
    ui: &mut egui::Ui,
    terrain: &Terrain,
    orbit: &mut Orbit,
    runs: &[RunView],
    step: u64,
    colormap: Colormap,
) {
    ui.label(RichText::new(
        "3D: drag to rotate; height on the map's colour scale",
    ));
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), egui::Sense::drag());
    if rect.width() < 2.0 || rect.height() < 2.0 {
        return;
    }
    if response.dragged() {
        let d = response.drag_delta();
        let half = f64::from(rect.width().min(rect.height()) / 2.0);
        orbit.drag(f64::from(d.x) / half, f64::from(d.y) / half);
    }
    let orbit = *orbit;
    let center = rect.center();
    let size = 0.45 * rect.width().min(rect.height());
    let to_screen = |p: [f64; 3]| {
        let q = orbit.project(p);
        egui::pos2(center.x + q[0] as f32 * size, center.y - q[1] as f32 * size)
    };
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::from_gray(18));
    let table = colormap.table();
    let color = |h: f64| {
        let [r, g, b] = table[(h.clamp(0.0, 1.0) * 255.0) as usize];
        egui::Color32::from_rgb(r, g, b)
    };
    let n = terrain.n;
    for j in 0..n {
        for i in 0..n {
            let a = terrain.node(i, j);
            for b in [
                (i + 1 < n).then(|| terrain.node(i + 1, j)),
                (j + 1 < n).then(|| terrain.node(i, j + 1)),
            ]
            .into_iter()
            .flatten()
            {
                if a[2].is_finite() && b[2].is_finite() {
                    let stroke = egui::Stroke::new(1.2, color(0.5 * (a[2] + b[2])));
                    painter.line_segment([to_screen(a), to_screen(b)], stroke);
                }
            }
        }
    }
    for run in runs {
        let points: Vec<egui::Pos2> = run.records[..run.shown(step)]
            .iter()
            .map(|r| terrain.cube(r.x, r.y, r.loss))
            .filter(|p| p.iter().all(|v| v.is_finite()) && p[0].abs() <= 1.0 && p[1].abs() <= 1.0)
            .map(to_screen)
            .collect();
        if points.len() >= 2 {
            painter.add(egui::Shape::line(
                points.clone(),
                egui::Stroke::new(5.5, theme::HALO),
            ));
            painter.add(egui::Shape::line(
                points.clone(),
                egui::Stroke::new(3.0, run.color),
            ));
        }
        if let Some(head) = points.last() {
            painter.circle(*head, 7.0, run.color, egui::Stroke::new(2.5, theme::HALO));
        }
    }
}
