//! The legend strip above the map: the map's own marks (◆ minimum, × saddle or maximum, the
//! start ring, each run's line and dot) with each run's label and current loss, then the key
//! of the overlays drawn. It sits outside the map, so it never hides the lesson.

use egui::{Color32, Pos2, RichText, Shape, Stroke, Vec2};

use super::super::caches::RaceView;
use super::super::map::cloud;
use super::super::map::overlays::key_items;
use super::super::theme::{self, short};
use crate::scene::Overlays;
use crate::surface::CriticalKind;

/// A mark drawn in the legend exactly as the map draws it.
#[derive(Clone, Copy)]
enum Mark {
    Minimum,
    FormerMinimum,
    Saddle,
    Maximum,
    Start,
    Run(Color32),
    Ended,
}

/// The strip; returns its rectangle. With `runs_titled` (side by side) the runs are left
/// to the maps' own titles.
pub fn legend_ui(
    ui: &mut egui::Ui,
    race: &RaceView,
    step: u64,
    drawn: &[&'static str],
    overlays: Overlays,
    runs_titled: bool,
) -> egui::Rect {
    profiling::function_scope!();
    let response = ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 8.0;
        let critical = &race.landscape.critical;
        let has = |kind: CriticalKind| critical.iter().any(|c| c.kind == kind);
        if critical.iter().any(|c| c.is_minimum()) {
            entry(ui, Mark::Minimum, RichText::new("minimum"));
        }
        if !race.landscape.unregularized_minima.is_empty() {
            entry(
                ui,
                Mark::FormerMinimum,
                RichText::new("minimum without the penalty"),
            );
        }
        if has(CriticalKind::Saddle) {
            entry(ui, Mark::Saddle, RichText::new("saddle"));
        }
        if has(CriticalKind::Maximum) {
            entry(ui, Mark::Maximum, RichText::new("maximum"));
        }
        entry(ui, Mark::Start, RichText::new("start (drag it)"));
        // Side by side, each map's title names its run: the strip keeps to the marks.
        let runs = if runs_titled { &[][..] } else { &race.runs[..] };
        // Each entry keeps room for the longest loss, so the strip never re-wraps (nor the map
        // resizes) as the numbers change.
        let style = egui::TextStyle::Body;
        let rooms: Vec<f32> = runs
            .iter()
            .map(|run| {
                let widest = format!("{}  f = −8.888e-88", run.label);
                entry_width(ui, RichText::new(widest).strong(), &style)
            })
            .collect();
        for (run, room) in runs.iter().zip(rooms) {
            let record = run.current(step);
            let (mark, text) = match run.ended_by(step) {
                Some((status, at)) => (
                    Mark::Ended,
                    RichText::new(format!("{}  {status} at step {at}", run.label))
                        .color(theme::ALARM),
                ),
                None => (
                    Mark::Run(run.color),
                    RichText::new(format!("{}  f = {}", run.label, short(record.loss)))
                        .color(run.color),
                ),
            };
            entry_sized(ui, mark, text.strong(), &style, room);
        }
        let cloud = drawn
            .contains(&cloud::LAYER)
            .then_some((Color32::WHITE, cloud::KEY));
        for (color, text) in key_items(drawn, overlays).into_iter().chain(cloud) {
            // Whole: a key item moves to the next row rather than break in two.
            ui.add(egui::Label::new(RichText::new(text).color(color).strong()).extend());
        }
    });
    response.response.rect
}

const MARK_WIDTH: f32 = 30.0;
const GAP: f32 = 6.0;

/// One mark and its label as a single widget, so the strip wraps between entries and never
/// grows wider than the map.
fn entry(ui: &mut egui::Ui, mark: Mark, text: RichText) {
    entry_sized(ui, mark, text, &egui::TextStyle::Body, 0.0);
}

/// The width of an entry showing `text`, mark included.
fn entry_width(ui: &egui::Ui, text: RichText, style: &egui::TextStyle) -> f32 {
    let galley = egui::WidgetText::from(text).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        style.clone(),
    );
    MARK_WIDTH + GAP + galley.size().x + 10.0
}

/// An entry at least `width` wide.
fn entry_sized(
    ui: &mut egui::Ui,
    mark: Mark,
    text: RichText,
    style: &egui::TextStyle,
    width: f32,
) -> egui::Response {
    let galley = egui::WidgetText::from(text).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        style.clone(),
    );
    let height = galley.size().y.max(ui.text_style_height(style));
    let width = (MARK_WIDTH + GAP + galley.size().x + 10.0).max(width);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), egui::Sense::hover());
    let mark_rect = egui::Rect::from_min_size(rect.min, Vec2::new(MARK_WIDTH, height));
    paint(ui.painter(), mark_rect, mark);
    let text_pos = Pos2::new(
        rect.min.x + MARK_WIDTH + GAP,
        rect.center().y - galley.size().y / 2.0,
    );
    ui.painter().galley(text_pos, galley, theme::TEXT);
    response
}

fn paint(painter: &egui::Painter, rect: egui::Rect, mark: Mark) {
    let c = rect.center();
    let halo = |w: f32| Stroke::new(w, theme::HALO);
    match mark {
        Mark::Minimum | Mark::FormerMinimum => {
            let d = |r: f32| {
                vec![
                    c + Vec2::new(0.0, -r),
                    c + Vec2::new(r, 0.0),
                    c + Vec2::new(0.0, r),
                    c + Vec2::new(-r, 0.0),
                ]
            };
            painter.add(Shape::convex_polygon(d(9.0), theme::HALO, Stroke::NONE));
            if matches!(mark, Mark::FormerMinimum) {
                painter.add(Shape::closed_line(d(6.0), Stroke::new(1.5, theme::MINIMUM)));
            } else {
                painter.add(Shape::convex_polygon(d(6.5), theme::MINIMUM, Stroke::NONE));
            }
        }
        Mark::Saddle | Mark::Maximum | Mark::Ended => {
            let (color, r) = match mark {
                Mark::Saddle => (theme::SADDLE, 6.5),
                Mark::Ended => (theme::ALARM, 8.0),
                _ => (theme::SADDLE, 6.5),
            };
            for (a, b) in [
                (Vec2::new(-r, -r), Vec2::new(r, r)),
                (Vec2::new(-r, r), Vec2::new(r, -r)),
            ] {
                painter.line_segment([c + a, c + b], halo(5.0));
                painter.line_segment([c + a, c + b], Stroke::new(2.5, color));
            }
        }
        Mark::Start => {
            painter.circle_stroke(c, 7.0, halo(4.5));
            painter.circle_stroke(c, 7.0, Stroke::new(2.0, theme::START));
        }
        Mark::Run(color) => {
            let (a, b) = (Pos2::new(rect.left(), c.y), Pos2::new(rect.right(), c.y));
            painter.line_segment([a, b], halo(5.5));
            painter.line_segment([a, b], Stroke::new(3.0, color));
            painter.circle(c, 6.0, color, halo(2.5));
        }
    }
}
