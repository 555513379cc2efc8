//! The plots beside the map: the optimality gap f − f* (log), the learning rate each run
//! applies, and (with the diagnostics overlay) ‖∇f‖ and the distance to the nearest known
//! minimum, all against step with the current step marked.

use egui::{Color32, RichText};
use egui_plot::{Line, Plot, PlotPoint, PlotPoints, VLine};

use super::super::caches::{RaceView, RunView};

/// The loss plot alone, filling the space it is given (presentation mode).
pub fn loss_ui(ui: &mut egui::Ui, race: &RaceView, step: u64) {
    ui.label(RichText::new("loss").strong());
    loss_plot(ui, &race.runs, step, race.f_star.is_some());
}

/// The plots, stacked to share the height they are given.
pub fn plots_ui(ui: &mut egui::Ui, race: &RaceView, step: u64, diagnostics: bool) {
    let runs = &race.runs;
    let count = if diagnostics { 4.0 } else { 2.0 };
    let title_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let h = (ui.available_height() / count - title_height - ui.spacing().item_spacing.y).max(40.0);
    let plot = |ui: &mut egui::Ui, title: &str, add: &dyn Fn(&mut egui::Ui)| {
        ui.label(RichText::new(title).strong());
        ui.allocate_ui(egui::vec2(ui.available_width(), h), add);
    };
    plot(ui, "loss", &|ui| {
        loss_plot(ui, runs, step, race.f_star.is_some())
    });
    if diagnostics {
        plot(ui, "gradient norm ‖∇f‖", &|ui| {
            log_plot(ui, "grad-norm", "‖∇f‖ (log)", runs, step, None, |r| {
                &r.grad
            });
        });
        plot(ui, "distance to the nearest known minimum", &|ui| {
            log_plot(ui, "distance", "distance (log)", runs, step, None, |r| {
                &r.distance
            });
        });
    }
    plot(ui, "learning rate (schedule)", &|ui| {
        lr_plot(ui, runs, step)
    });
}

/// Loss (as log₁₀ of the gap to the best known minimum) against step, for every run.
pub fn loss_plot(ui: &mut egui::Ui, runs: &[RunView], step: u64, f_star_known: bool) {
    let label = if f_star_known {
        "f − f* (log)"
    } else {
        "f − f_min (log)"
    };
    let range = loss_range(runs);
    log_plot(ui, "loss", label, runs, step, Some(range), |r| &r.gap);
}

/// The loss plot's y range (decades): down to the lowest gap reached, up to the start's gap
/// plus at most 3 decades, so one diverging run does not flatten every other curve (it leaves
/// through the top edge instead).
pub fn loss_range(runs: &[RunView]) -> (f64, f64) {
    let finite = runs
        .iter()
        .flat_map(|r| &r.gap)
        .map(|p| p.y)
        .filter(|y| y.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    let start = runs
        .iter()
        .filter_map(|r| r.gap.first())
        .map(|p| p.y)
        .fold(f64::NEG_INFINITY, f64::max);
    if !(lo.is_finite() && start.is_finite()) {
        return (-1.0, 1.0);
    }
    let hi = hi.min(start + 3.0);
    (lo - 0.5, hi.max(lo + 1.0) + 0.5)
}

/// One log-scale series per run against step (the loss gap, ‖∇f‖, distance to the minimum),
/// with the current step marked; `y_range` in decades, or fitted to the data.
pub fn log_plot(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    runs: &[RunView],
    step: u64,
    y_range: Option<(f64, f64)>,
    series: impl Fn(&RunView) -> &[PlotPoint],
) {
    let steps = runs.iter().map(|r| r.records.len()).max().unwrap_or(1) - 1;
    let columns = ui.available_width().max(1.0) as usize;
    Plot::new(id)
        .x_axis_label("step")
        .y_axis_label(label)
        .y_axis_formatter(|mark, _| format!("1e{}", mark.value.round()))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot_ui| {
            plot_ui.set_plot_bounds_x(0.0..=steps.max(1) as f64);
            if let Some((lo, hi)) = y_range {
                plot_ui.set_plot_bounds_y(lo..=hi);
            }
            for run in runs {
                plot_ui.line(
                    Line::new(run.label.as_str(), decimated(series(run), columns))
                        .color(run.color)
                        .width(2.5),
                );
            }
            plot_ui.vline(VLine::new("", step as f64).color(Color32::GRAY).width(1.5));
        });
}

/// The learning rate each run applies at every step (its base lr times the schedule).
pub fn lr_plot(ui: &mut egui::Ui, runs: &[RunView], step: u64) {
    let columns = ui.available_width().max(1.0) as usize;
    Plot::new("lr")
        .x_axis_label("step")
        .y_axis_label("learning rate")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .show(ui, |plot_ui| {
            for run in runs {
                plot_ui.line(
                    Line::new(run.label.as_str(), decimated(&run.lr, columns))
                        .color(run.color)
                        .width(2.5),
                );
            }
            plot_ui.vline(VLine::new("", step as f64).color(Color32::GRAY).width(1.5));
        });
}

/// At most the lowest and the highest point of each of `columns` runs of consecutive points
/// (in their order), so a plot costs what its width costs, not what the step count costs,
/// and draws the same envelope.
pub fn decimated(points: &[PlotPoint], columns: usize) -> PlotPoints<'_> {
    let columns = columns.max(1);
    if points.len() <= 2 * columns {
        return PlotPoints::Borrowed(points);
    }
    let chunk = points.len().div_ceil(columns);
    let mut kept = Vec::with_capacity(2 * columns + 1);
    for bucket in points.chunks(chunk) {
        let by_y = |a: &&PlotPoint, b: &&PlotPoint| a.y.total_cmp(&b.y);
        let (Some(lo), Some(hi)) = (bucket.iter().min_by(by_y), bucket.iter().max_by(by_y)) else {
            continue;
        };
        let (first, second) = if lo.x <= hi.x { (lo, hi) } else { (hi, lo) };
        kept.push(*first);
        if second.x != first.x {
            kept.push(*second);
        }
    }
    if let (Some(last), Some(end)) = (kept.last(), points.last())
        && last.x != end.x
    {
        kept.push(*end);
    }
    PlotPoints::Owned(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimation_keeps_each_columns_extremes_in_order() {
        let points: Vec<PlotPoint> = (0..10_000)
            .map(|i| PlotPoint::new(i as f64, ((i * 37) % 101) as f64))
            .collect();
        let kept = decimated(&points, 100);
        let kept = kept.points();
        assert!(kept.len() <= 201, "{}", kept.len());
        assert!(kept.windows(2).all(|w| w[0].x < w[1].x), "in order");
        let (lo, hi) = (0.0, 100.0);
        assert!(kept.iter().any(|p| p.y == lo) && kept.iter().any(|p| p.y == hi));
        assert_eq!(
            kept.last().map(|p| p.x),
            Some(9999.0),
            "ends at the last step"
        );
        // Few points: drawn as they are.
        assert_eq!(decimated(&points[..50], 100).points().len(), 50);
    }
}
