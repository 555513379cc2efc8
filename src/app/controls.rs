//! The control panel: it edits a copy of the scene. Every edit goes back through the core's
//! spec parser (the same rules as the command line), and the app only adopts a copy whose
//! race builds, so a bad value can never replace a working scene.

use egui::{ComboBox, DragValue, RichText, Ui};

use super::{teach, theme};
use crate::grid::Colormap;
use crate::optim::{OPTIMIZERS, OptimizerSpec};
use crate::scene::{Control, MAX_STEPS, Racer, Scene};
use crate::schedule::SCHEDULES;
use crate::spec::{Args, Kind, Param, Range, Value, lookup, split_spec};
use crate::surface::{CATALOG, Landscape, Regularization, split_suffix};

/// Text the user is typing that is not (yet) part of the scene.
#[derive(Default)]
pub struct Drafts {
    /// The custom expression as typed.
    pub expr: String,
    /// Why the typed expression was refused.
    pub expr_error: Option<String>,
    /// The optimizer the "Add" button adds.
    pub add: usize,
}

/// What the panel changed.
#[derive(Default)]
pub struct Edits {
    /// The surface changed: reset the view and the start to the new surface's own.
    pub surface: bool,
    /// Reset the view to the surface's default box.
    pub reset_view: bool,
}

/// The whole panel. `scene` is a copy the caller adopts if its race builds. With
/// `lambda_max`, the lr sliders of the SGD family carry their stability mark for it.
pub fn controls_ui(
    ui: &mut Ui,
    scene: &mut Scene,
    drafts: &mut Drafts,
    lambda_max: Option<f64>,
) -> Edits {
    let mut edits = Edits::default();
    let shows = |c: &[Control], scene: &Scene| c.iter().any(|&c| scene.shows(c));
    if shows(&[Control::Surface, Control::Map], scene) {
        map_section(ui, scene, drafts, &mut edits);
        ui.separator();
    }
    if shows(
        &[
            Control::Racers,
            Control::LearningRates,
            Control::Hyperparameters,
        ],
        scene,
    ) {
        egui::CollapsingHeader::new(RichText::new("Optimizers").heading())
            .default_open(true)
            .show(ui, |ui| racers_ui(ui, scene, drafts, lambda_max));
        ui.separator();
    }
    if shows(
        &[
            Control::LrScale,
            Control::Noise,
            Control::Steps,
            Control::Schedule,
        ],
        scene,
    ) {
        egui::CollapsingHeader::new(RichText::new("Training").heading())
            .default_open(true)
            .show(ui, |ui| training_ui(ui, scene));
    }
    edits
}

fn map_section(ui: &mut Ui, scene: &mut Scene, drafts: &mut Drafts, edits: &mut Edits) {
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
                ui.add(theme::slider(&mut scene.levels, 0..=40).text("levels"))
                    .on_hover_text("number of contour lines");
            });
            if ui.button("Reset view").clicked() {
                edits.reset_view = true;
            }
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
    let mut new_base = base.clone();
    let mut picked = None;
    ComboBox::from_label("surface")
        .selected_text(&name)
        .width(220.0)
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
    let mut surface_changed = false;
    match picked {
        Some(p) if p != name && p == "expression" => {
            if drafts.expr.trim().is_empty() {
                drafts.expr = "x^2 + 10*y^2 + 2*sin(3*x)".into();
            }
            new_base = format!("expr:{}", drafts.expr);
            surface_changed = true;
        }
        Some(p) if p != name => {
            new_base = p;
            surface_changed = true;
        }
        _ => {}
    }
    if is_expr && !surface_changed {
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
                    new_base = format!("expr:{}", drafts.expr);
                }
                Err(e) => drafts.expr_error = Some(e.0),
            }
        }
        if let Some(error) = &drafts.expr_error {
            ui.label(RichText::new(error).color(theme::ALARM));
            ui.label(RichText::new("the map keeps the last valid formula").small());
        }
    } else if !is_expr
        && !surface_changed
        && let Ok(entry) = lookup("surface", &name, CATALOG, |e| e.name)
    {
        ui.label(RichText::new(entry.formula).small());
        if let Ok((n, pairs)) = split_spec(&base)
            && let Ok(mut args) = Args::parse(n, entry.params, &pairs)
            && params_ui(ui, "surface-params", entry.params, &mut args, &[])
        {
            new_base = args.spec_text(n, entry.params);
        }
    }
    let new_term = regularization_ui(ui, term);
    *spec = match new_term {
        Some(t) => format!("{new_base}+{}", t.spec_text()),
        None => new_base,
    };
    surface_changed
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

fn racers_ui(ui: &mut Ui, scene: &mut Scene, drafts: &mut Drafts, lambda_max: Option<f64>) {
    let lr_scale = scene.lr_scale;
    let editable = scene.shows(Control::Racers);
    let (lrs, hyper) = (
        scene.shows(Control::LearningRates),
        scene.shows(Control::Hyperparameters),
    );
    let mut remove = None;
    for (i, racer) in scene.racers.iter_mut().enumerate() {
        let Ok(mut spec) = OptimizerSpec::parse(&racer.optimizer) else {
            ui.label(
                RichText::new(format!("bad optimizer '{}'", racer.optimizer)).color(theme::ALARM),
            );
            continue;
        };
        let entry = spec.entry;
        ui.push_id(i, |ui| {
            ui.horizontal(|ui| {
                let mut color = racer.color_at(i);
                if editable {
                    ui.checkbox(&mut racer.enabled, "")
                        .on_hover_text("run this optimizer");
                    if ui.color_edit_button_srgb(&mut color).changed() {
                        racer.color = Some(color);
                    }
                }
                ui.label(RichText::new(entry.name).strong().color(theme::rgb(color)));
                if editable
                    && ui
                        .small_button("remove")
                        .on_hover_text("remove this optimizer")
                        .clicked()
                {
                    remove = Some(i);
                }
            });
            let mut changed = lrs && lr_ui(ui, &mut spec, lambda_max, lr_scale);
            if !hyper {
                if changed {
                    racer.optimizer = spec.args.spec_text(entry.name, entry.params);
                }
                return;
            }
            egui::CollapsingHeader::new("hyperparameters")
                .id_salt("hyper")
                .show(ui, |ui| {
                    ui.label(RichText::new(entry.rule).small().monospace());
                    let others: Vec<&str> = entry
                        .params
                        .iter()
                        .map(|p| p.name)
                        .filter(|n| *n != "lr")
                        .collect();
                    changed |= params_ui(ui, "params", entry.params, &mut spec.args, &others);
                });
            if changed {
                racer.optimizer = spec.args.spec_text(entry.name, entry.params);
            }
        });
        ui.add_space(4.0);
    }
    if let Some(i) = remove {
        scene.racers.remove(i);
    }
    if !editable {
        return;
    }
    ui.horizontal(|ui| {
        let add = drafts.add.min(OPTIMIZERS.len() - 1);
        if ui.button("Add").clicked() {
            scene.racers.push(Racer::new(OPTIMIZERS[add].name));
        }
        ComboBox::new("add-optimizer", "optimizer")
            .selected_text(OPTIMIZERS[add].name)
            .show_ui(ui, |ui| {
                for (k, entry) in OPTIMIZERS.iter().enumerate() {
                    ui.selectable_value(&mut drafts.add, k, entry.name);
                }
            });
    });
}

fn training_ui(ui: &mut Ui, scene: &mut Scene) {
    if scene.shows(Control::LrScale) {
        ui.add(
            theme::slider(&mut scene.lr_scale, 0.01..=100.0)
                .logarithmic(true)
                .text("× every lr"),
        )
        .on_hover_text("one slider for every optimizer's learning rate");
    }
    if scene.shows(Control::Noise) {
        ui.add(
            theme::slider(&mut scene.noise, 0.0..=10.0)
                .logarithmic(true)
                .smallest_positive(1e-3)
                .text("noise σ"),
        )
        .on_hover_text("batch noise: each step sees ∇f + σε, ε ~ N(0, I)");
    }
    ui.horizontal(|ui| {
        if scene.shows(Control::Noise) {
            ui.add(DragValue::new(&mut scene.seed).prefix("seed "));
        }
        if scene.shows(Control::Steps) {
            ui.add(
                DragValue::new(&mut scene.steps)
                    .range(1..=MAX_STEPS)
                    .speed(5.0)
                    .prefix("steps "),
            );
        }
    });
    if scene.shows(Control::Schedule) {
        schedule_ui(ui, &mut scene.schedule, scene.steps);
    }
}

/// Schedule kind, its parameters, and an optional linear warmup in front of it.
fn schedule_ui(ui: &mut Ui, schedule: &mut String, steps: u64) {
    let (warmup, main) = match schedule.strip_prefix("warmup:") {
        Some(rest) => {
            let (head, tail) = rest.split_once('+').unwrap_or((rest, "constant"));
            let w = head
                .strip_prefix("steps=")
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(0);
            (w, tail.to_string())
        }
        None => (0, schedule.clone()),
    };
    let Ok((name, pairs)) = split_spec(&main) else {
        return;
    };
    let Ok(entry) = lookup("schedule", name, SCHEDULES, |e| e.name) else {
        return;
    };
    let mut new_main = main.clone();
    ComboBox::from_label("schedule")
        .selected_text(name)
        .show_ui(ui, |ui| {
            for e in SCHEDULES.iter().filter(|e| e.name != "warmup") {
                if ui.selectable_label(e.name == name, e.name).clicked() && e.name != name {
                    new_main = default_schedule(e.name, steps);
                }
            }
        });
    ui.label(RichText::new(entry.formula).small());
    if new_main == main
        && let Ok(mut args) = Args::parse(name, entry.params, &pairs)
        && params_ui(ui, "schedule-params", entry.params, &mut args, &[])
    {
        new_main = args.spec_text(name, entry.params);
    }
    let mut w = warmup;
    ui.add(
        DragValue::new(&mut w)
            .range(0..=steps.max(1))
            .prefix("warmup steps "),
    )
    .on_hover_text("linear warmup: lr·min(1, (t+1)/W); 0 for none");
    *schedule = if w == 0 {
        new_main
    } else {
        format!("warmup:steps={w}+{new_main}")
    };
}

/// A schedule of kind `name` with its required parameters set for a run of `steps`.
fn default_schedule(name: &str, steps: u64) -> String {
    let quarter = (steps / 4).max(1);
    match name {
        "step" => format!("step:step_size={quarter}"),
        "exp" => "exp:gamma=0.98".into(),
        "cosine" => format!("cosine:t_max={steps}"),
        "linear" => format!("linear:t_max={steps}"),
        "restarts" => format!("restarts:t_0={quarter}"),
        other => other.into(),
    }
}

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
                (Kind::Real { range, .. }, Value::Real(mut v)) => {
                    real_ui(ui, param.name, range, &mut v).on_hover_text(param.doc);
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

/// The lr slider, with the stability mark of the SGD family when `lambda_max` is given.
fn lr_ui(ui: &mut Ui, spec: &mut OptimizerSpec, lambda_max: Option<f64>, lr_scale: f64) -> bool {
    let Some(param) = spec.entry.params.iter().find(|p| p.name == "lr") else {
        return false;
    };
    let (Kind::Real { range, .. }, Some(Value::Real(old))) = (param.kind, spec.args.get("lr"))
    else {
        return false;
    };
    let mut lr = old;
    let response = real_ui(ui, "lr", range, &mut lr).on_hover_text(param.doc);
    if let Some(lambda) = lambda_max
        && let Some(limit) = teach::slider_limit(spec, lambda, lr_scale)
    {
        teach::stability_mark(ui, &response, limit, lambda);
    }
    if lr != old {
        spec.args.set("lr", Value::Real(lr));
        return true;
    }
    false
}

/// A slider fitted to the parameter: logarithmic for scales (lr, eps, κ, weight decay),
/// linear for fractions (betas, momentum); a drag value for anything else.
fn real_ui(ui: &mut Ui, name: &str, range: Range, v: &mut f64) -> egui::Response {
    let log = |v, lo: f64, hi: f64, smallest: f64| {
        theme::slider(v, lo..=hi)
            .logarithmic(true)
            .smallest_positive(smallest)
            .text(name)
    };
    let slider = match name {
        "lr" => log(v, 1e-5, 10.0, 1e-5),
        "eps" => log(v, 0.0, 1.0, 1e-12),
        "kappa" => log(v, 1.0, 1e4, 1.0),
        "weight_decay" | "lr_decay" | "gamma" | "eta_min" | "width" | "tilt" => {
            log(v, 0.0, 10.0, 1e-4)
        }
        "momentum" | "beta1" | "beta2" | "alpha" | "rho" | "dampening" | "momentum_decay"
        | "ratio" => theme::slider(v, 0.0..=0.9999).text(name),
        "angle" => theme::slider(v, -90.0..=90.0).text(name).suffix("°"),
        _ => {
            let (lo, hi) = (range.lo.max(-1e6), range.hi.min(1e6));
            return ui.add(
                DragValue::new(v)
                    .range(lo..=hi)
                    .speed(0.01)
                    .prefix(format!("{name} ")),
            );
        }
    };
    ui.add(slider)
}
