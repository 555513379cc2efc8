//! The network section, on a network scene: the model (hidden widths, activation), the
//! initialization (scheme and scale; its seed is the scene's), the data (a generator with its
//! parameters, or a CSV file), the test fraction, the loss, and the slice the map shows.
//! Every edit is a spec the core parses, as `descent train`'s flags are, and the app adopts
//! the scene only if its training builds.

use egui::{ComboBox, RichText, Ui};

use super::super::super::theme;
use super::Edits;
use super::params::{batch_slider, params_ui};
use crate::data::TABLES;
use crate::net::init::SCHEMES;
use crate::net::{Activation, ModelSpec, NetLoss};
use crate::scene::Scene;
use crate::slice::PlaneKind;
use crate::spec::{Args, split_spec};

/// The whole section; `drafts.hidden` holds the widths as typed until Enter.
pub fn network_section(
    ui: &mut Ui,
    scene: &mut Scene,
    hidden: &mut Option<String>,
    points: usize,
    edits: &mut Edits,
) {
    egui::CollapsingHeader::new(RichText::new("Network").heading())
        .default_open(true)
        .show(ui, |ui| {
            model_ui(ui, scene, hidden);
            init_ui(ui, scene);
        });
    ui.separator();
    egui::CollapsingHeader::new(RichText::new("Data").heading())
        .default_open(true)
        .show(ui, |ui| {
            data_ui(ui, scene, edits);
            test_ui(ui, scene);
            loss_ui(ui, scene);
            batch_ui(ui, scene, points);
        });
    ui.separator();
    egui::CollapsingHeader::new(RichText::new("Slice").heading())
        .default_open(true)
        .show(ui, |ui| plane_ui(ui, scene));
    ui.separator();
}

/// Hidden widths (`16x16`; `0` for none) as typed, committed on Enter, and the activation.
fn model_ui(ui: &mut Ui, scene: &mut Scene, hidden: &mut Option<String>) {
    let Ok(mut model) = ModelSpec::parse(&scene.surface) else {
        ui.label(RichText::new(&scene.surface).color(theme::NOTE));
        return;
    };
    let widths = if model.hidden.is_empty() {
        "0".to_string()
    } else {
        let w: Vec<String> = model.hidden.iter().map(usize::to_string).collect();
        w.join("x")
    };
    let text = hidden.get_or_insert_with(|| widths.clone());
    ui.horizontal(|ui| {
        ui.label("hidden");
        let response = ui.add(egui::TextEdit::singleline(text).desired_width(90.0));
        let response = response
            .on_hover_text("widths of the hidden layers, e.g. 16x16; 0: none (a linear model)");
        if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            scene.surface = format!(
                "mlp:hidden={},activation={}",
                text.trim(),
                model.activation.name()
            );
        } else if !response.has_focus() && *text != widths {
            // The scene changed under the draft (a preset, a refused width): show it.
            *text = widths;
        }
    });
    let before = model.activation;
    ComboBox::from_label("activation")
        .selected_text(model.activation.name())
        .show_ui(ui, |ui| {
            for a in Activation::ALL {
                ui.selectable_value(&mut model.activation, a, a.name());
            }
        });
    if model.activation != before {
        scene.surface = model.to_string();
    }
}

/// The initialization scheme and its scale.
fn init_ui(ui: &mut Ui, scene: &mut Scene) {
    let spec = scene.init.clone().unwrap_or_else(|| "torch".into());
    if spec.ends_with(".json") {
        ui.label(RichText::new(format!("init from {spec}")).color(theme::NOTE));
        return;
    }
    let Ok((name, pairs)) = split_spec(&spec) else {
        return;
    };
    let mut scheme = name.to_string();
    ComboBox::from_label("init")
        .selected_text(&scheme)
        .show_ui(ui, |ui| {
            for (s, kind) in SCHEMES {
                ui.selectable_value(&mut scheme, s.to_string(), *s)
                    .on_hover_text(kind.doc());
            }
        });
    let mut scale = pairs
        .iter()
        .find(|(k, _)| *k == "scale")
        .and_then(|(_, v)| v.parse::<f64>().ok())
        .unwrap_or(1.0);
    let before = scale;
    ui.add(
        theme::slider(&mut scale, 0.01..=100.0)
            .logarithmic(true)
            .text("init scale"),
    )
    .on_hover_text("multiplies every initial parameter: large scales saturate tanh");
    if scheme != name || scale != before {
        let text = if scale == 1.0 {
            scheme
        } else {
            format!("{scheme}:scale={}", theme::compact(scale))
        };
        scene.init = (text != "torch").then_some(text);
    }
}

/// The dataset: a generator with its parameters (n, classes, noise, …), or the file opened.
fn data_ui(ui: &mut Ui, scene: &mut Scene, edits: &mut Edits) {
    let spec = scene.network_data().to_string();
    let generator = split_spec(&spec)
        .ok()
        .and_then(|(n, pairs)| Some((TABLES.iter().find(|e| e.name == n)?, pairs)));
    let shown = generator.as_ref().map_or("a file", |(e, _)| e.name);
    let mut picked = None;
    ComboBox::from_label("dataset")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for entry in TABLES {
                if ui
                    .selectable_label(shown == entry.name, entry.name)
                    .on_hover_text(entry.doc)
                    .clicked()
                {
                    picked = Some(entry.name);
                }
            }
        });
    if let Some(name) = picked.filter(|n| *n != shown) {
        scene.data = Some(name.to_string());
        return;
    }
    if ui
        .button("Open data…")
        .on_hover_text("a CSV file: x1,…,xd,label (classes) or x,y (regression)")
        .clicked()
    {
        edits.open_data = true;
    }
    let Some((entry, pairs)) = generator else {
        ui.add(egui::Label::new(RichText::new(&spec).color(theme::NOTE)).wrap());
        return;
    };
    let Ok(mut args) = Args::parse(entry.name, entry.params, &pairs) else {
        return;
    };
    if params_ui(ui, "net-data-params", entry.params, &mut args, &[]) {
        scene.data = Some(args.spec_text(entry.name, entry.params));
    }
}

/// The held-out fraction: 0 (none) to a half.
fn test_ui(ui: &mut Ui, scene: &mut Scene) {
    let mut fraction = scene.test.unwrap_or(0.0);
    let response = ui
        .add(theme::slider(&mut fraction, 0.0..=0.5).text("test split"))
        .on_hover_text("points held out (seeded): the dashed lines and the hollow points");
    if response.changed() {
        scene.test = (fraction > 0.0).then_some(fraction);
    }
}

/// The loss: the data's own (cross-entropy for classes, mse for values), or one chosen.
fn loss_ui(ui: &mut Ui, scene: &mut Scene) {
    let shown = scene.loss.clone().unwrap_or_else(|| "the data's".into());
    let mut chosen = scene.loss.clone();
    ComboBox::from_label("loss")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "the data's");
            for &name in NetLoss::NAMES {
                ui.selectable_value(&mut chosen, Some(name.to_string()), name);
            }
        });
    scene.loss = chosen;
}

/// The scene-wide minibatch size (1 … N, N = full batch) and shuffling.
fn batch_ui(ui: &mut Ui, scene: &mut Scene, points: usize) {
    let n = points.max(1) as u64;
    let mut batch = scene.batch.unwrap_or(n).clamp(1, n);
    let hover = "points per step for every optimizer without its own batch=B; all = full batch";
    if batch_slider(ui, &mut batch, n, hover).changed() {
        scene.batch = (batch < n).then_some(batch);
    }
    ui.checkbox(&mut scene.shuffle, "shuffle each epoch");
}

/// The plane the map shows, and the racer a random plane or a line is anchored to.
fn plane_ui(ui: &mut Ui, scene: &mut Scene) {
    let current = scene
        .plane
        .as_deref()
        .and_then(|p| PlaneKind::parse(p).ok())
        .unwrap_or(PlaneKind::Pca);
    let mut kind = current;
    let describe = |k: PlaneKind| match k {
        PlaneKind::Pca => "PCA of the paths",
        PlaneKind::Random => "random",
        PlaneKind::Line => "line init → end",
    };
    ComboBox::from_label("plane")
        .selected_text(describe(kind))
        .width(140.0)
        .show_ui(ui, |ui| {
            for k in PlaneKind::ALL {
                let tip = match k {
                    PlaneKind::Pca => "the two directions the paths vary most along, together",
                    PlaneKind::Random => "two random filter-normalized directions (Li et al. 2018)",
                    PlaneKind::Line => "the loss from a racer's init (0) to its end (1)",
                };
                ui.selectable_value(&mut kind, k, describe(k))
                    .on_hover_text(tip);
            }
        });
    if kind != current {
        scene.plane = (kind != PlaneKind::Pca).then(|| kind.name().to_string());
    }
    if kind != PlaneKind::Pca && scene.racers.len() > 1 {
        let mut racer = scene.racer;
        ComboBox::from_label("through")
            .selected_text(racer_name(scene, racer))
            .width(140.0)
            .show_ui(ui, |ui| {
                for i in 0..scene.racers.len() {
                    ui.selectable_value(&mut racer, i, racer_name(scene, i));
                }
            });
        scene.racer = racer;
    }
}

fn racer_name(scene: &Scene, i: usize) -> String {
    let name = scene.racers.get(i).map_or("", |r| r.optimizer.as_str());
    format!("{}: {}", i + 1, name.split(':').next().unwrap_or(name))
}
