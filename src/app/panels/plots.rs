//! The plots beside the map: the optimality gap f − f* (log), the learning rate each run
//! applies, and (with the diagnostics overlay) ‖∇f‖ and the distance to the nearest known
//! minimum, against steps, evaluations, epochs or samples seen, with the current step
//! marked. With a noise cloud, the loss plot shows each racer's median over the copies and
//! its 10–90% band.

use egui::{Color32, RichText};
use egui_plot::{FilledArea, Line, Plot, PlotPoint, PlotPoints, Points, VLine};

use super::super::caches::{RaceView, RunView, log_gap};
use super::super::state::XAxis;
use crate::engine::cloud::Cloud;

/// The axes the runs can be plotted against: epochs and samples only when their records
/// carry the data progress.
pub fn offered_axes(runs: &[RunView]) -> Vec<XAxis> {
    let data = runs
        .iter()
        .any(|r| r.records.first().is_some_and(|r| r.data.is_some()));
    XAxis::ALL
        .into_iter()
        .filter(|a| data || !a.needs_data())
        .collect()
}

/// The loss plot alone, filling the space it is given (presentation mode).
pub fn loss_ui(ui: &mut egui::Ui, race: &RaceView, step: u64, x: XAxis, cloud: Option<&Cloud>) {
    profiling::function_scope!();
    ui.label(RichText::new("loss").strong());
    loss_plot(ui, race, step, x, cloud);
}

/// The choice of the plots' x axis, as one row; an axis the runs cannot give (epochs
/// without data) falls back to steps.
pub fn x_axis_ui(ui: &mut egui::Ui, x: &mut XAxis, runs: &[RunView]) {
    profiling::function_scope!();
    let offered = offered_axes(runs);
    if !offered.contains(x) {
        *x = XAxis::Steps;
    }
    ui.horizontal(|ui| {
        let label = ui.label("x axis");
        egui::ComboBox::from_id_salt("plots-x-axis")
            .selected_text(x.label())
            .show_ui(ui, |ui| {
                for axis in offered {
                    ui.selectable_value(x, axis, axis.label());
                }
            })
            .response
            .labelled_by(label.id);
    });
}

/// The plots, stacked to share the height they are given, against `x`; returns how many
/// cloud bands the loss plot drew.
pub fn plots_ui(
    ui: &mut egui::Ui,
    race: &RaceView,
    step: u64,
    diagnostics: bool,
    x: &mut XAxis,
    cloud: Option<&Cloud>,
) -> usize {
    profiling::function_scope!();
    x_axis_ui(ui, x, &race.runs);
    let x = *x;
    let runs = &race.runs;
    let count = if diagnostics { 4.0 } else { 2.0 };
    let title_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let h = (ui.available_height() / count - title_height - ui.spacing().item_spacing.y).max(40.0);
    let plot = |ui: &mut egui::Ui, title: &str, add: &dyn Fn(&mut egui::Ui)| {
        ui.label(RichText::new(title).strong());
        ui.allocate_ui(egui::vec2(ui.available_width(), h), add);
    };
    let bands = std::cell::Cell::new(0);
    let title = match cloud {
        Some(_) => "loss: median, 10–90%".to_string(),
        None => "loss".to_string(),
    };
    plot(ui, &title, &|ui| {
        bands.set(loss_plot(ui, race, step, x, cloud))
    });
    if diagnostics {
        plot(ui, "gradient norm ‖∇f‖", &|ui| {
            let plot = LogPlot::new("grad-norm", "‖∇f‖ (log)", x);
            plot.show(ui, runs, step, |r| &r.grad, |_| {});
        });
        plot(ui, "distance to the nearest known minimum", &|ui| {
            let plot = LogPlot::new("distance", "distance (log)", x);
            plot.show(ui, runs, step, |r| &r.distance, |_| {});
        });
    }
    plot(ui, "learning rate (schedule)", &|ui| {
        lr_plot(ui, runs, step, x)
    });
    bands.get()
}

/// Loss (as log₁₀ of the gap to the best known minimum) for every run; with a cloud, each
/// racer's median over its copies and their 10–90% band instead. Returns the bands drawn.
pub fn loss_plot(
    ui: &mut egui::Ui,
    race: &RaceView,
    step: u64,
    x: XAxis,
    cloud: Option<&Cloud>,
) -> usize {
    let label = if race.f_star.is_some() {
        "f − f* (log)"
    } else {
        "f − f_min (log)"
    };
    let runs = &race.runs;
    let columns = ui.available_width().max(1.0) as usize;
    let bands: Vec<Band> = cloud
        .filter(|c| c.racers.len() == runs.len())
        .map(|c| {
            runs.iter()
                .zip(&c.racers)
                .map(|(run, racer)| band(c, racer, run, x, race.reference, columns))
                .collect()
        })
        .unwrap_or_default();
    let mut range = loss_range(runs);
    for b in &bands {
        for y in b.lower.iter().chain(&b.median).filter(|y| y.is_finite()) {
            range.0 = range.0.min(y - 0.5);
        }
    }
    let mut plot = LogPlot::new("loss", label, x);
    plot.y_range = Some(range);
    // One noisy run beside its copies' median only blurs the picture: the map shows it.
    plot.runs_hidden = !bands.is_empty();
    plot.show(
        ui,
        runs,
        step,
        |r| &r.gap,
        |plot_ui| {
            for (run, b) in runs.iter().zip(&bands) {
                let [r, g, bl, _] = run.color.to_array();
                plot_ui.add(
                    FilledArea::new("", &b.xs, &b.lower, &b.upper)
                        .fill_color(Color32::from_rgba_unmultiplied(r, g, bl, 55))
                        .allow_hover(false),
                );
                let median: Vec<[f64; 2]> =
                    b.xs.iter().zip(&b.median).map(|(&x, &y)| [x, y]).collect();
                plot_ui.line(
                    Line::new(format!("{} (median of the copies)", run.label), median)
                        .color(run.color)
                        .width(2.5),
                );
            }
        },
    );
    bands.len()
}

/// One racer's band over its copies in the loss plot's units: x, and log₁₀ of the gap at
/// the 10%, 50% and 90% quantiles.
struct Band {
    xs: Vec<f64>,
    lower: Vec<f64>,
    median: Vec<f64>,
    upper: Vec<f64>,
}

/// The band of `racer`'s copies, at most two frames per pixel column (each keeping the
/// lowest 10% and highest 90% quantile of the frames it covers). Its x values are the
/// steps, or the run's own record at each step for the other axes (every copy of a
/// full-batch racer spends what the run spends); past the run's end only steps go on.
fn band(
    cloud: &Cloud,
    racer: &crate::engine::cloud::RacerCloud,
    run: &RunView,
    x: XAxis,
    reference: f64,
    columns: usize,
) -> Band {
    let every = racer.bands.len().div_ceil(2 * columns.max(1)).max(1);
    let mut b = Band {
        xs: Vec::new(),
        lower: Vec::new(),
        median: Vec::new(),
        upper: Vec::new(),
    };
    for (k, chunk) in racer.bands.chunks(every).enumerate() {
        let step = cloud.step_of(k * every);
        let at = match run.records.get(step as usize) {
            Some(r) => x.of(r),
            None if x == XAxis::Steps => step as f64,
            None => break,
        };
        let lo = chunk.iter().map(|q| q.p10).fold(f64::INFINITY, f64::min);
        let hi = chunk
            .iter()
            .map(|q| q.p90)
            .fold(f64::NEG_INFINITY, f64::max);
        b.xs.push(at);
        b.lower.push(log_gap(lo, reference));
        b.median.push(log_gap(chunk[0].median, reference));
        b.upper.push(log_gap(hi, reference));
    }
    b
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

/// A log-scale plot of one series per run (the loss gap, ‖∇f‖, distance to the minimum)
/// against the chosen x axis, with the current step marked.
pub struct LogPlot<'a> {
    id: &'a str,
    label: &'a str,
    x: XAxis,
    /// The y range in decades, or fitted to the data.
    pub y_range: Option<(f64, f64)>,
    /// Leave the runs' own lines out (a cloud's medians and bands stand for them).
    pub runs_hidden: bool,
}

impl<'a> LogPlot<'a> {
    pub fn new(id: &'a str, label: &'a str, x: XAxis) -> Self {
        Self {
            id,
            label,
            x,
            y_range: None,
            runs_hidden: false,
        }
    }

    /// Draw `series` of every run (points at (step, value)), then `more`.
    pub fn show(
        self,
        ui: &mut egui::Ui,
        runs: &[RunView],
        step: u64,
        series: impl Fn(&RunView) -> &[PlotPoint],
        more: impl FnOnce(&mut egui_plot::PlotUi<'_>),
    ) {
        let x = self.x;
        let x_max = x_extent(runs, x);
        let columns = ui.available_width().max(1.0) as usize;
        Plot::new(self.id)
            .x_axis_label(x.label())
            .y_axis_label(self.label)
            .y_axis_formatter(|mark, _| format!("1e{}", mark.value.round()))
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .show(ui, |plot_ui| {
                plot_ui.set_plot_bounds_x(0.0..=x_max);
                if let Some((lo, hi)) = self.y_range {
                    plot_ui.set_plot_bounds_y(lo..=hi);
                }
                more(plot_ui);
                for run in runs.iter().filter(|_| !self.runs_hidden) {
                    let points = against(decimated(series(run), columns), run, x);
                    plot_ui.line(
                        Line::new(run.label.as_str(), points)
                            .color(run.color)
                            .width(2.5),
                    );
                }
                // Hidden runs get no dots (they would sit on lines not drawn); the step's
                // line stays.
                if !self.runs_hidden || x == XAxis::Steps {
                    current_marks(plot_ui, runs, step, x, series);
                }
            });
    }
}

/// The right end of the x axis: the largest x any run reaches (at least 1).
fn x_extent(runs: &[RunView], x: XAxis) -> f64 {
    runs.iter()
        .filter_map(|r| r.records.last())
        .map(|r| x.of(r))
        .fold(1.0, f64::max)
}

/// Points at (step, value) moved to (x of the run's record at that step, value).
fn against<'p>(points: PlotPoints<'p>, run: &RunView, x: XAxis) -> PlotPoints<'p> {
    if x == XAxis::Steps {
        return points;
    }
    let moved = points
        .points()
        .iter()
        .filter_map(|p| {
            let r = run.records.get(p.x as usize)?;
            Some(PlotPoint::new(x.of(r), p.y))
        })
        .collect();
    PlotPoints::Owned(moved)
}

/// The current step: a vertical line against steps; against another axis (where the runs
/// are at different x) a dot on each run's curve.
fn current_marks(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    runs: &[RunView],
    step: u64,
    x: XAxis,
    series: impl Fn(&RunView) -> &[PlotPoint],
) {
    if x == XAxis::Steps {
        plot_ui.vline(VLine::new("", step as f64).color(Color32::GRAY).width(1.5));
        return;
    }
    for run in runs {
        let points = series(run);
        let shown = run.current(step).step as f64;
        let i = points.partition_point(|p| p.x <= shown);
        let Some(p) = i.checked_sub(1).and_then(|i| points.get(i)) else {
            continue;
        };
        let Some(r) = run.records.get(p.x as usize) else {
            continue;
        };
        plot_ui.points(
            Points::new("", vec![[x.of(r), p.y]])
                .color(run.color)
                .radius(4.5)
                .allow_hover(false),
        );
    }
}

/// The learning rate each run applies at every step (its base lr times the schedule).
pub fn lr_plot(ui: &mut egui::Ui, runs: &[RunView], step: u64, x: XAxis) {
    let columns = ui.available_width().max(1.0) as usize;
    let x_max = x_extent(runs, x);
    Plot::new("lr")
        .x_axis_label(x.label())
        .y_axis_label("learning rate")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .show(ui, |plot_ui| {
            plot_ui.set_plot_bounds_x(0.0..=x_max);
            for run in runs {
                let points = against(decimated(&run.lr, columns), run, x);
                plot_ui.line(
                    Line::new(run.label.as_str(), points)
                        .color(run.color)
                        .width(2.5),
                );
            }
            current_marks(plot_ui, runs, step, x, |r| &r.lr);
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
