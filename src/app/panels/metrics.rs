//! The metrics table: one row per run (steps to tolerance, final loss and ‖∇f‖, distance to
//! the nearest known minimum, evaluations, status), sortable by any column. The numbers are
//! the core's ([`crate::metrics`]).

use egui::{Color32, RichText};

use super::super::caches::RaceView;
use super::super::state::Sort;
use crate::metrics::{Column, DEFAULT_TOLERANCE, Metrics};

/// Below this width the table is shown as one card per run (the dock beside the map);
/// above it, as a table (a popped-out window).
const TABLE_WIDTH: f32 = 720.0;

/// The metrics tool and a note on what it covers: a table where there is room, else one
/// card per run with the order chosen above them.
pub fn metrics_tool_ui(ui: &mut egui::Ui, race: &RaceView, steps: u64, sort: &mut Sort) {
    profiling::function_scope!();
    let colors: Vec<Color32> = race.runs.iter().map(|r| r.color).collect();
    let rows = race.metrics();
    if ui.available_width() >= TABLE_WIDTH {
        egui::ScrollArea::both().show(ui, |ui| {
            metrics_ui(ui, rows, &colors, DEFAULT_TOLERANCE, sort);
            ui.label(format!(
                "over all {steps} steps; f* and minima are the surface's known ones"
            ));
        });
        return;
    }
    sort_ui(ui, sort);
    egui::ScrollArea::vertical().show(ui, |ui| {
        cards_ui(ui, rows, &colors, DEFAULT_TOLERANCE, *sort);
        ui.add(
            egui::Label::new(format!(
                "over all {steps} steps; f* and minima are the surface's known ones"
            ))
            .wrap(),
        );
    });
}

/// The order of the cards: a column and a direction.
fn sort_ui(ui: &mut egui::Ui, sort: &mut Sort) {
    // The label above the box, and the box no wider than the dock: the dock keeps its width.
    let label = ui.label("sort by");
    egui::ComboBox::from_id_salt("metrics-sort")
        .width((ui.available_width() - 24.0).max(60.0))
        .wrap_mode(egui::TextWrapMode::Truncate)
        .selected_text(sort.column.header(DEFAULT_TOLERANCE))
        .show_ui(ui, |ui| {
            for column in Column::ALL {
                let header = column.header(DEFAULT_TOLERANCE);
                ui.selectable_value(&mut sort.column, column, header);
            }
        })
        .response
        .labelled_by(label.id);
    let direction = if sort.descending {
        "▼ highest first"
    } else {
        "▲ lowest first"
    };
    if ui
        .button(direction)
        .on_hover_text("reverse the order")
        .clicked()
    {
        sort.descending = !sort.descending;
    }
}

/// One card per run, in the chosen order: its name in its colour, then every column.
fn cards_ui(ui: &mut egui::Ui, rows: &[Metrics], colors: &[Color32], tolerance: f64, sort: Sort) {
    for (m, color) in sorted(rows, colors, sort) {
        ui.add(
            egui::Label::new(
                RichText::new(Column::Optimizer.cell(m))
                    .color(color)
                    .strong(),
            )
            .wrap(),
        );
        for column in &Column::ALL[1..] {
            let line = format!("{}: {}", column.header(tolerance), column.cell(m));
            ui.add(egui::Label::new(line).wrap());
        }
        ui.separator();
    }
}

/// The rows in the order `sort` asks for, each with its run's colour.
pub fn sorted<'a>(
    rows: &'a [Metrics],
    colors: &[Color32],
    sort: Sort,
) -> Vec<(&'a Metrics, Color32)> {
    let mut order: Vec<(&Metrics, Color32)> = rows
        .iter()
        .enumerate()
        .map(|(i, m)| (m, colors.get(i).copied().unwrap_or(Color32::WHITE)))
        .collect();
    order.sort_by(|(a, _), (b, _)| {
        let o = sort.column.compare(a, b);
        if sort.descending { o.reverse() } else { o }
    });
    order
}

/// The metrics table: a header of buttons (click to sort, again to reverse) and one row per
/// run in its colour.
pub fn metrics_ui(
    ui: &mut egui::Ui,
    rows: &[Metrics],
    colors: &[Color32],
    tolerance: f64,
    sort: &mut Sort,
) {
    profiling::function_scope!();
    egui::Grid::new("metrics-table")
        .striped(true)
        .spacing([14.0, 6.0])
        .show(ui, |ui| {
            for column in Column::ALL {
                let mark = match (sort.column == column, sort.descending) {
                    (true, false) => " ▲",
                    (true, true) => " ▼",
                    _ => "",
                };
                let header = RichText::new(format!("{}{mark}", column.header(tolerance))).strong();
                if ui
                    .button(header)
                    .on_hover_text("sort by this column")
                    .clicked()
                {
                    *sort = Sort {
                        column,
                        descending: sort.column == column && !sort.descending,
                    };
                }
            }
            ui.end_row();
            for (m, color) in sorted(rows, colors, *sort) {
                for column in Column::ALL {
                    let text = RichText::new(column.cell(m)).monospace();
                    let text = if column == Column::Optimizer {
                        text.color(color).strong()
                    } else {
                        text
                    };
                    ui.label(text);
                }
                ui.end_row();
            }
        });
}
