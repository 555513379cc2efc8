//! Widgets for typed parameters: sliders for reals, checkboxes for flags, drag values for
//! counts.

use egui::{DragValue, Ui};

use super::super::super::theme;
use crate::spec::{Args, Kind, Param, Range, Value, Widget};

/// One widget per parameter named in `only` (all when empty); returns whether any changed.
pub fn params_ui(
    ui: &mut Ui,
    salt: &str,
    params: &[Param],
    args: &mut Args,
    only: &[&str],
) -> bool {
    let mut changed = false;
    ui.push_id(salt, |ui| {
        for param in params
            .iter()
            .filter(|p| only.is_empty() || only.contains(&p.name))
        {
            let Some(value) = args.get(param.name) else {
                continue;
            };
            let new = match (param.kind, value) {
                (Kind::Real { .. }, Value::Real(mut v)) => {
                    real_ui(ui, param, &mut v).on_hover_text(param.doc);
                    Value::Real(v)
                }
                (Kind::Flag { .. }, Value::Flag(mut v)) => {
                    ui.checkbox(&mut v, param.name).on_hover_text(param.doc);
                    Value::Flag(v)
                }
                (Kind::Count { min, .. }, Value::Count(mut v)) => {
                    ui.add(
                        DragValue::new(&mut v)
                            .range(min..=1_000_000)
                            .prefix(format!("{} ", param.name)),
                    )
                    .on_hover_text(param.doc);
                    Value::Count(v)
                }
                _ => value,
            };
            if new != value {
                args.set(param.name, new);
                changed = true;
            }
        }
    });
    changed
}

/// The parameter's own widget (its declared span, logarithmic or linear), or a number field.
pub fn real_ui(ui: &mut Ui, param: &Param, v: &mut f64) -> egui::Response {
    let name = param.name;
    match param.widget {
        Widget::Log { lo, hi, smallest } => ui.add(
            theme::slider(v, lo..=hi)
                .logarithmic(true)
                .smallest_positive(smallest)
                .custom_formatter(|v, _| theme::compact(v))
                .custom_parser(|text| text.trim().parse().ok())
                .text(name),
        ),
        Widget::Linear { lo, hi, unit } => {
            ui.add(theme::slider(v, lo..=hi).text(name).suffix(unit))
        }
        Widget::Field => {
            let range = match param.kind {
                Kind::Real { range, .. } => range,
                _ => Range::ANY,
            };
            let (lo, hi) = (range.lo.max(-1e6), range.hi.min(1e6));
            ui.add(
                DragValue::new(v)
                    .range(lo..=hi)
                    .speed(0.01)
                    .prefix(format!("{name} ")),
            )
        }
    }
}

/// A minibatch size on a logarithmic slider from 1 to `n` points, `n` shown as "all" (a full
/// batch); the scene's and each racer's batch controls.
pub fn batch_slider(ui: &mut Ui, batch: &mut u64, n: u64, hover: &str) -> egui::Response {
    ui.add(
        theme::slider(batch, 1..=n)
            .logarithmic(true)
            .custom_formatter(move |v, _| {
                if v as u64 >= n {
                    "all".into()
                } else {
                    format!("{v:.0}")
                }
            })
            .text("batch"),
    )
    .on_hover_text(hover)
}
