//! The data beside a network's map: the points (training filled, test hollow) over the
//! decision regions of a racer at the step shown — the class it picks in that class's
//! colour, as opaque as it is sure — one small multiple per racer when there are up to four;
//! for regression, the fitted curve through the points.

use egui::{Color32, RichText, TextureHandle, TextureOptions};
use egui_plot::{Line, MarkerShape, Plot, PlotImage, PlotPoint, Points};

use super::super::theme;
use super::NetworkView;
use crate::data::{Table, Targets};
use crate::net::Network;
use crate::net::regions::{curve, regions};
use crate::train::live::{LivePoint, shown_at};

/// Class colours: light and distinct from one another on the dark panel, and none of them a
/// racer's Okabe–Ito colour, so a class is never mistaken for an optimizer.
pub const CLASS_COLORS: [Color32; 6] = [
    Color32::from_rgb(100, 143, 255),
    Color32::from_rgb(255, 176, 0),
    Color32::from_rgb(120, 220, 120),
    Color32::from_rgb(254, 97, 0),
    Color32::from_rgb(220, 38, 127),
    Color32::from_rgb(200, 200, 200),
];

/// The colour of class `c`.
pub fn class_color(c: usize) -> Color32 {
    CLASS_COLORS[c % CLASS_COLORS.len()]
}

/// Cells per side of a decision-region texture.
const REGION_CELLS: usize = 72;

/// Most racers drawn as small multiples; with more, the selected one alone.
const MOST_MULTIPLES: usize = 4;

/// Each run's regions texture and the (step, colour scheme) it shows.
#[derive(Default)]
pub struct RegionsCache {
    textures: Vec<Option<(TextureHandle, u64)>>,
}

impl RegionsCache {
    /// How many racers' regions have been drawn.
    pub fn drawn(&self) -> usize {
        self.textures.iter().flatten().count()
    }

    /// The texture of run `run`'s regions at `point`'s step, computed when the step changed.
    fn texture(
        &mut self,
        ctx: &egui::Context,
        network: &Network,
        run: usize,
        point: &LivePoint,
        bounds: [[f64; 2]; 2],
    ) -> Option<&TextureHandle> {
        if self.textures.len() <= run {
            self.textures.resize_with(run + 1, || None);
        }
        let stale = !matches!(&self.textures[run], Some((_, s)) if *s == point.step);
        if stale {
            let cells = [REGION_CELLS; 2];
            let r = regions(network, point.parameters.as_slice(), bounds, cells)?;
            let mut rgba = Vec::with_capacity(r.nx * r.ny * 4);
            // Rows from the top: the image's first row is the plot's largest y.
            for j in (0..r.ny).rev() {
                for i in 0..r.nx {
                    let k = j * r.nx + i;
                    let c = class_color(usize::from(r.classes[k]));
                    let alpha = 0.12 + 0.5 * r.confidence[k];
                    rgba.extend_from_slice(&[c.r(), c.g(), c.b(), (alpha * 255.0) as u8]);
                }
            }
            let image = egui::ColorImage::from_rgba_unmultiplied([r.nx, r.ny], &rgba);
            let name = format!("regions-{run}");
            match &mut self.textures[run] {
                Some((texture, step)) => {
                    texture.set(image, TextureOptions::NEAREST);
                    *step = point.step;
                }
                slot => {
                    *slot = Some((
                        ctx.load_texture(name, image, TextureOptions::NEAREST),
                        point.step,
                    ))
                }
            }
        }
        self.textures[run].as_ref().map(|(t, _)| t)
    }
}

/// The data view: small multiples of every racer (up to four) or the `selected` one.
pub fn data_view_ui(ui: &mut egui::Ui, view: &mut NetworkView, step: u64, selected: usize) {
    profiling::function_scope!();
    let table = view.training().network().table().clone();
    if table.dims != 2 && !matches!(table.targets, Targets::Values(_)) {
        ui.label(
            RichText::new(format!(
                "{} has {} features: decision regions need exactly two",
                table.spec, table.dims
            ))
            .color(theme::NOTE),
        );
        return;
    }
    let runs: Vec<usize> = if view.runs.len() <= MOST_MULTIPLES {
        (0..view.runs.len()).collect()
    } else {
        vec![selected.min(view.runs.len() - 1)]
    };
    let spacing = ui.spacing().item_spacing;
    let area = [ui.available_width(), ui.available_height()];
    let label = ui.text_style_height(&egui::TextStyle::Body) + spacing.y;
    let span = spans(&table, view.data_bounds);
    let columns = best_columns(runs.len(), area, [spacing.x, spacing.y], label, span);
    let rows = runs.len().div_ceil(columns).max(1);
    let size = egui::vec2(
        (area[0] - spacing.x * (columns - 1) as f32) / columns as f32,
        (area[1] - spacing.y * (rows - 1) as f32) / rows as f32,
    );
    let bounds = view.data_bounds;
    for row in runs.chunks(columns) {
        ui.horizontal(|ui| {
            for &run in row {
                ui.allocate_ui(size, |ui| {
                    ui.set_max_size(size);
                    ui.vertical(|ui| one_racer(ui, view, run, step, bounds, size));
                });
            }
        });
    }
}

/// The data box's width and height when its two axes are features (drawn at one scale);
/// `None` for regression, whose axes are x and y.
fn spans(table: &Table, bounds: [[f64; 2]; 2]) -> Option<[f32; 2]> {
    if matches!(table.targets, Targets::Values(_)) {
        return None;
    }
    let [x, y] = bounds.map(|[lo, hi]| (hi - lo) as f32);
    (x > 0.0 && y > 0.0 && x.is_finite() && y.is_finite()).then_some([x, y])
}

/// How many columns give `n` panels in `area` the largest drawing: at the data's `span`
/// scale (features), or the largest square (a curve). Each panel loses `label` to its title.
fn best_columns(
    n: usize,
    area: [f32; 2],
    spacing: [f32; 2],
    label: f32,
    span: Option<[f32; 2]>,
) -> usize {
    let score = |columns: usize| {
        let rows = n.div_ceil(columns);
        let w = (area[0] - spacing[0] * (columns - 1) as f32) / columns as f32;
        let h = (area[1] - spacing[1] * (rows - 1) as f32) / rows as f32 - label;
        let [a, b] = span.unwrap_or([1.0, 1.0]);
        (w / a).min(h / b)
    };
    (1..=n.max(1))
        .max_by(|&p, &q| score(p).total_cmp(&score(q)).then(q.cmp(&p)))
        .unwrap_or(1)
}

/// One racer's panel: its label and accuracy, then its regions (or curve) under the points.
fn one_racer(
    ui: &mut egui::Ui,
    view: &mut NetworkView,
    run: usize,
    step: u64,
    bounds: [[f64; 2]; 2],
    size: egui::Vec2,
) {
    let point = view
        .trajectories()
        .and_then(|t| t.runs.get(run))
        .and_then(|points| shown_at(points, step))
        .cloned();
    let info = &view.runs[run];
    let color = info.color;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&info.short).color(color).strong())
            .on_hover_text(&info.label);
        ui.label(RichText::new(accuracy_text(point.as_ref())).color(theme::TEXT));
    });
    let training = std::sync::Arc::clone(view.training());
    let network = training.network();
    let texture = point
        .as_ref()
        .and_then(|p| view.regions.texture(ui.ctx(), network, run, p, bounds))
        .cloned();
    let fitted = point
        .as_ref()
        .and_then(|p| curve(network, p.parameters.as_slice(), bounds[0], 200));
    let height = (size.y - ui.min_rect().height() - ui.spacing().item_spacing.y).max(40.0);
    // Features at one scale on both axes (circles stay round); a fitted curve fills the box.
    let plot_size = match spans(network.table(), bounds) {
        Some([a, b]) => {
            let scale = (size.x / a).min(height / b);
            [a * scale, b * scale]
        }
        None => [size.x, height],
    };
    data_plot(("net-data", run), bounds, plot_size).show(ui, |plot_ui| {
        if let Some(texture) = &texture {
            let [x, y] = bounds;
            let centre = PlotPoint::new((x[0] + x[1]) / 2.0, (y[0] + y[1]) / 2.0);
            let size = egui::vec2((x[1] - x[0]) as f32, (y[1] - y[0]) as f32);
            plot_ui.image(PlotImage::new("", texture, centre, size).allow_hover(false));
        }
        if let Some(fitted) = fitted {
            plot_ui.line(Line::new("fit", fitted).color(color).width(3.0));
        }
        draw_points(plot_ui, network.table(), true);
        if let Some(test) = training.test() {
            draw_points(plot_ui, test.table(), false);
        }
    });
}

/// "train 95% · test 90%", or "accuracy 95%" without a test split.
fn accuracy_text(point: Option<&LivePoint>) -> String {
    let Some(p) = point else {
        return String::new();
    };
    let pct = |v: Option<f64>| v.map_or("–".into(), |v| format!("{:.0}%", 100.0 * v));
    match p.test_accuracy {
        Some(_) => format!(
            "  train {} · test {}",
            pct(p.accuracy),
            pct(p.test_accuracy)
        ),
        None => format!("  accuracy {}", pct(p.accuracy)),
    }
}

/// A fixed plot of the data's box, `[width, height]` points: no axes, no pan or zoom.
fn data_plot<'a>(id: impl egui::AsIdSalt, bounds: [[f64; 2]; 2], [w, h]: [f32; 2]) -> Plot<'a> {
    Plot::new(id)
        .width(w)
        .height(h)
        .show_grid(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_axes(false)
        .include_x(bounds[0][0])
        .include_x(bounds[0][1])
        .include_y(bounds[1][0])
        .include_y(bounds[1][1])
}

/// A table's points (its first two features, or x and y for regression) by class: filled for
/// training points, hollow rings for test points.
fn draw_points(plot_ui: &mut egui_plot::PlotUi<'_>, table: &Table, filled: bool) {
    let xy = |i: usize| -> [f64; 2] {
        let row = table.row(i);
        match &table.targets {
            Targets::Values(values) => [row[0], values[i]],
            Targets::Classes { .. } => [row[0], row.get(1).copied().unwrap_or(0.0)],
        }
    };
    let groups: Vec<(Color32, Vec<[f64; 2]>)> = match &table.targets {
        Targets::Classes { labels, classes } => (0..*classes)
            .map(|c| {
                let points = (0..labels.len())
                    .filter(|&i| labels[i] == c)
                    .map(xy)
                    .collect();
                (class_color(c), points)
            })
            .collect(),
        Targets::Values(v) => vec![(theme::TEXT, (0..v.len()).map(xy).collect())],
    };
    for (color, points) in groups {
        let radius = if filled { 3.5 } else { 4.0 };
        plot_ui.points(
            Points::new("", points.clone())
                .radius(radius + 1.5)
                .color(Color32::BLACK)
                .filled(filled)
                .allow_hover(false),
        );
        plot_ui.points(
            Points::new("", points)
                .shape(MarkerShape::Circle)
                .radius(radius)
                .filled(filled)
                .color(color)
                .allow_hover(false),
        );
    }
}

/// The box the data view shows: the points' (training and test) first two features (or x
/// and y), with a margin of 8% a side.
pub fn extent(table: &Table) -> [[f64; 2]; 2] {
    let column = |c: usize| -> [f64; 2] {
        let values = (0..table.len()).map(|i| match (&table.targets, c) {
            (Targets::Values(v), 1) => v[i],
            _ => table.row(i).get(c).copied().unwrap_or(0.0),
        });
        let (lo, hi) = values
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if lo > hi {
            return [-1.0, 1.0];
        }
        let margin = ((hi - lo) * 0.08).max(1e-6);
        [lo - margin, hi + margin]
    };
    [column(0), column(1)]
}

#[cfg(test)]
mod tests {
    use super::best_columns;

    #[test]
    fn panels_take_the_columns_that_draw_the_data_largest() {
        let (gap, label) = ([8.0, 8.0], 24.0);
        let square = Some([1.0, 1.0]);
        // Four racers beside a 1280×720 map: 2 × 2, each 156 wide rather than 115 high.
        assert_eq!(best_columns(4, [320.0, 580.0], gap, label, square), 2);
        // Three stay one above another; one is one.
        assert_eq!(best_columns(3, [320.0, 580.0], gap, label, square), 1);
        assert_eq!(best_columns(1, [320.0, 580.0], gap, label, square), 1);
        // Wide data in a wide area: side by side.
        assert_eq!(
            best_columns(2, [900.0, 300.0], gap, label, Some([2.0, 1.0])),
            2
        );
        assert_eq!(best_columns(0, [900.0, 300.0], gap, label, None), 1);
    }
}
