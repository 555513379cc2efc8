//! The surface section: the surface picker and its parameters, a formula box, a
//! regularization term, the colormap and the contour levels.

use egui::{ComboBox, RichText, Ui};

use super::super::super::theme;
use super::Edits;
use super::params::params_ui;
use crate::app::state::Drafts;
use crate::grid::Colormap;
use crate::landscape::Landscape;
use crate::scene::{Control, Scene};
use crate::spec::{Args, lookup, split_spec};
use crate::surface::{CATALOG, Regularization, SurfaceEntry, split_suffix};

pub fn map_section(ui: &mut Ui, scene: &mut Scene, drafts: &mut Drafts, edits: &mut Edits) {
    egui::CollapsingHeader::new(RichText::new("Surface").heading())
        .default_open(true)
        .show(ui, |ui| {
            if scene.shows(Control::Surface) {
                edits.surface = surface_ui(ui, &mut scene.surface, drafts);
            }
            if !scene.shows(Control::Map) {
                return;
            }
            ui.horizontal(|ui| {
                ComboBox::from_label("colormap")
                    .selected_text(scene.colormap.name())
                    .show_ui(ui, |ui| {
                        for c in Colormap::ALL {
                            ui.selectable_value(&mut scene.colormap, c, c.name());
                        }
                    })
                    .response
                    .on_hover_text("colormap (perceptually uniform)");
            });
            if ui.button("Reset view").clicked() {
                edits.reset_view = true;
            }
            ui.add(theme::slider(&mut scene.levels, 0..=40).text("levels"))
                .on_hover_text("number of contour lines");
        });
}

/// Surface picker, its parameters, a custom expression, and a regularization term.
/// Returns whether the surface itself (not just a parameter) changed.
fn surface_ui(ui: &mut Ui, spec: &mut String, drafts: &mut Drafts) -> bool {
    let (base, term) = match split_suffix(spec) {
        Some((base, term)) => (base.to_string(), Regularization::parse(term).ok()),
        None => (spec.clone(), None),
    };
    let is_expr = base.starts_with("expr:");
    let name = if is_expr {
        "expression".to_string()
    } else {
        split_spec(&base)
            .map(|(n, _)| n.to_string())
            .unwrap_or_default()
    };
    if is_expr && drafts.expr.is_empty() {
        drafts.expr = base["expr:".len()..].to_string();
    }
    let picked = picker_ui(ui, &name, is_expr);
    let switched = picked
        .filter(|p| *p != name)
        .map(|p| switched_base(p, drafts));
    let surface_changed = switched.is_some();
    let edited = if surface_changed {
        None
    } else if is_expr {
        expression_ui(ui, drafts)
    } else if let Ok(entry) = lookup("surface", &name, CATALOG, |e| e.name) {
        catalog_params_ui(ui, entry, &base)
    } else {
        None
    };
    let new_base = switched.or(edited).unwrap_or(base);
    let new_term = regularization_ui(ui, term);
    *spec = match new_term {
        Some(t) => format!("{new_base}+{}", t.spec_text()),
        None => new_base,
    };
    surface_changed
}

/// The surface combo box: the catalog's surfaces, then "expression". Returns the name
/// clicked, if any.
fn picker_ui(ui: &mut Ui, name: &str, is_expr: bool) -> Option<String> {
    let mut picked = None;
    ComboBox::from_label("surface")
        .selected_text(name)
        .width(150.0)
        .show_ui(ui, |ui| {
            for entry in CATALOG {
                if ui
                    .selectable_label(name == entry.name, entry.name)
                    .clicked()
                {
                    picked = Some(entry.name.to_string());
                }
            }
            if ui.selectable_label(is_expr, "expression").clicked() {
                picked = Some("expression".into());
            }
        });
    picked
}

/// The spec of the surface `picked` in the combo box: a catalog name as it is, or the
/// expression draft (a sample formula when the draft is empty).
fn switched_base(picked: String, drafts: &mut Drafts) -> String {
    if picked != "expression" {
        return picked;
    }
    if drafts.expr.trim().is_empty() {
        drafts.expr = "x^2 + 10*y^2 + 2*sin(3*x)".into();
    }
    format!("expr:{}", drafts.expr)
}

/// The formula box of an expression surface, and its parse error under it. Returns the new
/// spec when the edit parses (the map keeps the last valid formula otherwise).
fn expression_ui(ui: &mut Ui, drafts: &mut Drafts) -> Option<String> {
    let mut new_base = None;
    ui.label("f(x, y) =");
    let edit = ui.add(
        egui::TextEdit::singleline(&mut drafts.expr)
            .desired_width(f32::INFINITY)
            .font(egui::TextStyle::Monospace),
    );
    if edit.changed() {
        match Landscape::parse(&format!("expr:{}", drafts.expr)) {
            Ok(_) => {
                drafts.expr_error = None;
                new_base = Some(format!("expr:{}", drafts.expr));
            }
            Err(e) => drafts.expr_error = Some(e.0),
        }
    }
    if let Some(error) = &drafts.expr_error {
        ui.label(RichText::new(error).color(theme::ALARM));
        ui.label(RichText::new("the map keeps the last valid formula").small());
    }
    new_base
}

/// A catalog surface's formula and its parameters' sliders. Returns the new spec when a
/// parameter changed.
fn catalog_params_ui(ui: &mut Ui, entry: &SurfaceEntry, base: &str) -> Option<String> {
    ui.add(egui::Label::new(RichText::new(entry.formula).color(theme::NOTE)).wrap());
    if let Ok((n, pairs)) = split_spec(base)
        && let Ok(mut args) = Args::parse(n, entry.params, &pairs)
        && params_ui(ui, "surface-params", entry.params, &mut args, &[])
    {
        return Some(args.spec_text(n, entry.params));
    }
    None
}

fn regularization_ui(ui: &mut Ui, term: Option<Regularization>) -> Option<Regularization> {
    const KINDS: [&str; 4] = ["none", "L2", "L1", "elastic net"];
    let (mut kind, mut lambda, mut ratio) = match term {
        None => (0, 0.1, 0.5),
        Some(Regularization::L2(l)) => (1, l, 0.5),
        Some(Regularization::L1(l)) => (2, l, 0.5),
        Some(Regularization::Elastic { lambda, ratio }) => (3, lambda, ratio),
    };
    ComboBox::from_label("regularization")
        .selected_text(KINDS[kind])
        .show_ui(ui, |ui| {
            for (k, label) in KINDS.iter().enumerate() {
                ui.selectable_value(&mut kind, k, *label);
            }
        });
    if kind > 0 {
        ui.add(
            theme::slider(&mut lambda, 0.0..=10.0)
                .logarithmic(true)
                .smallest_positive(1e-4)
                .text("λ"),
        );
    }
    if kind == 3 {
        ui.add(theme::slider(&mut ratio, 0.0..=1.0).text("L1 ratio"));
    }
    match kind {
        1 => Some(Regularization::L2(lambda)),
        2 => Some(Regularization::L1(lambda)),
        3 => Some(Regularization::Elastic { lambda, ratio }),
        _ => None,
    }
}
