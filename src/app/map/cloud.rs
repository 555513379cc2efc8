//! The noise cloud on the map: every copy's point at the timeline's step, a small dot in its
//! racer's colour over a dark rim, over the paths — the spread of the runs that other noise
//! seeds would have given (the core's [`crate::engine::cloud`]).

use egui::Color32;
use egui_plot::{PlotUi, Points};

use super::super::caches::RunView;
use crate::engine::cloud::Cloud;

/// The layer's name among those drawn (the legend's key lists it).
pub const LAYER: &str = "noise cloud";

/// The key's words for it.
pub const KEY: &str = "• noise cloud: the copies' points now";

/// Draw the copies of `runs` at `step`; returns whether any dot was drawn.
pub fn cloud_layer(plot_ui: &mut PlotUi<'_>, cloud: &Cloud, runs: &[&RunView], step: u64) -> bool {
    let frame = cloud.frame_of(step);
    let mut drawn = false;
    for run in runs {
        let Some(racer) = cloud.racers.get(run.run) else {
            continue;
        };
        if frame >= cloud.frames || racer.points.len() < (frame + 1) * cloud.copies {
            continue;
        }
        let points: Vec<[f64; 2]> = racer
            .frame(frame, cloud.copies)
            .iter()
            .filter(|p| p.x.is_finite() && p.y.is_finite())
            .map(|p| [p.x, p.y])
            .collect();
        if points.is_empty() {
            continue;
        }
        let [r, g, b, _] = run.color.to_array();
        plot_ui.points(
            Points::new("", points.clone())
                .radius(4.0)
                .color(Color32::from_black_alpha(150))
                .allow_hover(false),
        );
        plot_ui.points(
            Points::new("", points)
                .radius(2.6)
                .color(Color32::from_rgba_unmultiplied(r, g, b, 210))
                .allow_hover(false),
        );
        drawn = true;
    }
    drawn
}
