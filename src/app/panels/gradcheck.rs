//! Teach → Gradient check, on any surface: at the focused run's current point, the relative
//! error |g_num − g| / (|g_num| + |g|) of forward and central differences against the exact
//! gradient, for h = 10⁻¹ … 10⁻¹², in f64 and f32, on log–log axes. The V shape is the
//! lesson: truncation error falls with h (slope 1 forward, 2 central), rounding error
//! ε·|f|/h rises, and the bottom sits near √ε (forward) and ∛ε (central); at a hinge's kink
//! no h is good. The numbers come from [`crate::data::gradcheck`], computed when the point
//! changes (not every frame).

use egui::{Color32, RichText};
use egui_plot::{Line, LineStyle, MarkerShape, Plot, PlotPoints, Points, VLine};

use super::super::caches::RaceView;
use super::super::theme;
use crate::P2;
use crate::data::gradcheck::{GradCheck, Precision, Scheme, check};

pub const FORWARD: Color32 = Color32::from_rgb(255, 170, 60);
pub const CENTRAL: Color32 = Color32::from_rgb(120, 200, 255);

/// The last check, keyed by the surface and the point.
#[derive(Default)]
pub struct GradCheckCache {
    key: Option<(String, [u64; 2])>,
    check: Option<GradCheck>,
}

impl GradCheckCache {
    /// The check at `p` on the race's surface, computed if the point or surface changed.
    fn at(&mut self, race: &RaceView, p: P2) -> Option<&GradCheck> {
        let key = (race.landscape.identity(), [p.x.to_bits(), p.y.to_bits()]);
        if self.key.as_ref() != Some(&key) {
            self.check = p
                .iter()
                .all(|v| v.is_finite())
                .then(|| check(race.landscape.surface.as_ref(), p));
            self.key = Some(key);
        }
        self.check.as_ref()
    }
}

/// The tab: which run's point, the plot and the best h of each scheme.
pub fn gradcheck_ui(
    ui: &mut egui::Ui,
    race: &RaceView,
    step: u64,
    focus: &mut usize,
    cache: &mut GradCheckCache,
) {
    profiling::function_scope!();
    if race.runs.is_empty() {
        ui.label("No optimizer runs: the check follows a run's current point.");
        return;
    }
    if !race.runs.iter().any(|r| r.run == *focus) {
        *focus = race.runs[0].run;
    }
    egui::ComboBox::from_id_salt("gradcheck-run")
        .width(ui.available_width() - 8.0)
        .selected_text(format!(
            "at {}'s point",
            race.runs
                .iter()
                .find(|r| r.run == *focus)
                .map_or("", |r| r.label.as_str())
        ))
        .show_ui(ui, |ui| {
            for run in &race.runs {
                ui.selectable_value(focus, run.run, run.label.as_str());
            }
        });
    let Some(run) = race.runs.iter().find(|r| r.run == *focus) else {
        return;
    };
    let p = run.current(step).point();
    let Some(result) = cache.at(race, p) else {
        ui.label(
            RichText::new("the run has left the finite numbers: nothing to check")
                .color(theme::ALARM),
        );
        return;
    };
    ui.label(
        RichText::new(format!(
            "at ({}, {}): ∇f = ({}, {})",
            theme::short(p.x),
            theme::short(p.y),
            theme::short(result.gradient[0]),
            theme::short(result.gradient[1]),
        ))
        .color(theme::NOTE),
    );
    let side = ui
        .available_width()
        .min(ui.available_height() - 110.0)
        .max(120.0);
    ui.allocate_ui(egui::vec2(ui.available_width(), side), |ui| {
        plot_ui(ui, result)
    });
    ui.label(RichText::new("solid f64 · dashed f32 · grey: √ε and ∛ε").color(theme::NOTE));
    // Wrapped lines, not a grid: the dock keeps its width whatever the numbers.
    for (precision, name) in [(Precision::F64, "f64"), (Precision::F32, "f32")] {
        for (scheme, scheme_name, color) in [
            (Scheme::Forward, "forward", FORWARD),
            (Scheme::Central, "central", CENTRAL),
        ] {
            let best = match result.best(precision, scheme) {
                Some(row) => format!(
                    "best h = 1e{:.0}: error {}",
                    row.h.log10(),
                    theme::short(row.relative_error)
                ),
                None => "no finite error".into(),
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{scheme_name} {name}")).color(color));
                ui.label(best);
            });
        }
    }
}

/// Grid lines at every decade, the thick (labelled) ones every `every` decades.
fn decades(every: i32) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    move |input| {
        let (lo, hi) = input.bounds;
        (lo.ceil() as i32..=hi.floor() as i32)
            .map(|k| egui_plot::GridMark {
                value: f64::from(k),
                step_size: if k % every == 0 {
                    f64::from(every)
                } else {
                    1.0
                },
            })
            .collect()
    }
}

/// log₁₀ h against log₁₀ of the relative error: solid f64, dashed f32; the grey lines mark
/// √ε and ∛ε of f64.
fn plot_ui(ui: &mut egui::Ui, result: &GradCheck) {
    let mut series = Vec::new();
    for (precision, style) in [
        (Precision::F64, LineStyle::Solid),
        (Precision::F32, LineStyle::dashed_loose()),
    ] {
        for (scheme, color) in [(Scheme::Forward, FORWARD), (Scheme::Central, CENTRAL)] {
            let errors = result
                .rows
                .iter()
                .filter(|r| r.precision == precision && r.scheme == scheme)
                .map(|r| (r.h, r.relative_error))
                .collect();
            series.push(VSeries {
                color,
                style,
                errors,
            });
        }
    }
    v_plot_ui(ui, "gradcheck", &series);
}

/// One curve of a gradient check's V: (h, relative error) pairs.
pub struct VSeries {
    pub color: Color32,
    pub style: LineStyle,
    pub errors: Vec<(f64, f64)>,
}

/// log₁₀ h against log₁₀ of the relative error, one line with markers per series; the grey
/// lines mark √ε and ∛ε of f64, where forward and central differences do best.
pub fn v_plot_ui(ui: &mut egui::Ui, id: &str, series: &[VSeries]) {
    Plot::new(id)
        .x_axis_label("h (log)")
        .y_axis_label("relative error (log)")
        .x_grid_spacer(decades(3))
        .y_grid_spacer(decades(4))
        .x_axis_formatter(|mark, _| format!("1e{}", mark.value.round()))
        .y_axis_formatter(|mark, _| format!("1e{}", mark.value.round()))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show(ui, |plot_ui| {
            plot_ui.set_plot_bounds_x(-12.5..=-0.5);
            plot_ui.set_plot_bounds_y(-17.0..=0.5);
            let eps = f64::EPSILON;
            for mark in [eps.sqrt().log10(), eps.cbrt().log10()] {
                plot_ui.vline(
                    VLine::new("", mark)
                        .color(Color32::from_gray(110))
                        .width(1.0),
                );
            }
            for s in series {
                let points: Vec<[f64; 2]> = s
                    .errors
                    .iter()
                    .filter(|(_, e)| e.is_finite())
                    .map(|(h, e)| [h.log10(), e.max(1e-17).log10()])
                    .collect();
                plot_ui.line(
                    Line::new("", PlotPoints::from(points.clone()))
                        .color(s.color)
                        .width(2.5)
                        .style(s.style),
                );
                plot_ui.points(
                    Points::new("", PlotPoints::from(points))
                        .shape(MarkerShape::Circle)
                        .radius(3.0)
                        .color(s.color),
                );
            }
        });
}
