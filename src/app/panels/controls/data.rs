//! The data section, on model surfaces (`linear-regression`, `linear-classifier`): the loss
//! and the model's parameter, the dataset (a generator with its parameters, or the file that
//! was opened), the scene-wide minibatch size on a logarithmic slider from 1 to N, and
//! shuffling. Every edit is a spec the core parses, as the command line's `--data`,
//! `--batch` and `--no-shuffle` are.

use egui::{ComboBox, RichText, Ui};

use super::super::super::theme;
use super::Edits;
use super::params::{batch_slider, params_ui};
use crate::data::model::MODELS;
use crate::data::{DATASETS, DataKind, Loss};
use crate::spec::{Args, Param, lookup, split_spec};
use crate::surface::split_suffix;

/// Most points the app's slider generates: the race is recomputed on every edit, and a
/// larger dataset is better opened as a file or run from the command line.
const MAX_APP_POINTS: u64 = 10_000;

/// The section, when the scene's surface is a model; `points` is the current dataset's size.
pub fn data_section(
    ui: &mut Ui,
    scene: &mut crate::scene::Scene,
    points: usize,
    edits: &mut Edits,
) {
    let (base, term) = match split_suffix(&scene.surface) {
        Some((base, term)) => (base.to_string(), Some(term.to_string())),
        None => (scene.surface.clone(), None),
    };
    let Ok((name, pairs)) = split_spec(&base) else {
        return;
    };
    let Some(&(name, _, params)) = MODELS.iter().find(|m| m.0 == name) else {
        return;
    };
    egui::CollapsingHeader::new(RichText::new("Data").heading())
        .default_open(true)
        .show(ui, |ui| {
            if let Some(model) = model_ui(ui, name, params, &pairs) {
                scene.surface = match &term {
                    Some(t) => format!("{model}+{t}"),
                    None => model,
                };
            }
            let kind = if name == "linear-regression" {
                DataKind::Regression
            } else {
                DataKind::Classification
            };
            dataset_ui(ui, &mut scene.data, kind, edits);
            batch_ui(ui, scene, points);
        });
    ui.separator();
}

/// The loss and the model's own parameter; the new model spec if either changed.
fn model_ui(
    ui: &mut Ui,
    name: &str,
    params: &'static [Param],
    pairs: &[(&str, &str)],
) -> Option<String> {
    let accepted = if name == "linear-regression" {
        Loss::REGRESSION
    } else {
        Loss::CLASSIFICATION
    };
    let loss = pairs
        .iter()
        .find(|(k, _)| *k == "loss")
        .map_or(accepted[0], |(_, v)| *v);
    let rest: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(k, _)| *k != "loss")
        .collect();
    let mut args = Args::parse(name, params, &rest).ok()?;
    let mut new_loss = loss;
    ComboBox::from_label("loss")
        .selected_text(loss)
        .show_ui(ui, |ui| {
            for &l in accepted {
                ui.selectable_value(&mut new_loss, l, l);
            }
        })
        .response
        .on_hover_text("the per-sample loss, averaged over the points (torch.nn's conventions)");
    // Huber's δ matters only for the Huber loss; the classifier's bias always.
    let changed = (name != "linear-regression" || new_loss == "huber")
        && params_ui(ui, "model-params", params, &mut args, &[]);
    if !changed && new_loss == loss {
        return None;
    }
    let text = args.spec_text(name, params);
    let with_loss = match text.split_once(':') {
        Some((n, p)) => format!("{n}:loss={new_loss},{p}"),
        None => format!("{text}:loss={new_loss}"),
    };
    Some(with_loss)
}

/// The dataset: a generator of the model's kind with its parameters, or the file opened.
fn dataset_ui(ui: &mut Ui, data: &mut Option<String>, kind: DataKind, edits: &mut Edits) {
    let default = crate::landscape::data::default_data(kind);
    let spec = data.clone().unwrap_or_else(|| default.to_string());
    let generator = split_spec(&spec)
        .ok()
        .and_then(|(n, pairs)| Some((lookup("dataset", n, DATASETS, |e| e.name).ok()?, pairs)))
        .filter(|(e, _)| e.kind == kind && !spec.starts_with("points:"));
    let shown = match &generator {
        Some((entry, _)) => entry.name.to_string(),
        None if spec.starts_with("points:") => "points in the scene".into(),
        None => file_name(&spec),
    };
    let mut picked = None;
    ui.horizontal(|ui| {
        ComboBox::from_label("dataset")
            .selected_text(&shown)
            .width(150.0)
            .show_ui(ui, |ui| {
                for entry in DATASETS.iter().filter(|e| e.kind == kind) {
                    if ui
                        .selectable_label(shown == entry.name, entry.name)
                        .on_hover_text(entry.doc)
                        .clicked()
                    {
                        picked = Some(entry.name);
                    }
                }
            });
    });
    if let Some(name) = picked
        && name != shown
    {
        *data = Some(name.to_string());
        return;
    }
    if ui
        .button("Open data…")
        .on_hover_text("a CSV file: x,y (regression) or x1,x2,label (classification)")
        .clicked()
    {
        edits.open_data = true;
    }
    let Some((entry, pairs)) = generator else {
        ui.add(egui::Label::new(RichText::new(&spec).color(theme::NOTE)).wrap());
        return;
    };
    ui.add(egui::Label::new(RichText::new(entry.doc).color(theme::NOTE)).wrap());
    let Ok(mut args) = Args::parse(entry.name, entry.params, &pairs) else {
        return;
    };
    let mut changed = false;
    if let Some(crate::spec::Value::Count(mut n)) = args.get("n") {
        let before = n;
        ui.add(
            theme::slider(&mut n, 2..=MAX_APP_POINTS)
                .logarithmic(true)
                .text("n points"),
        )
        .on_hover_text("points drawn by the generator (up to 100000 from the command line)");
        if n != before {
            args.set("n", crate::spec::Value::Count(n));
            changed = true;
        }
    }
    let others: Vec<&str> = entry
        .params
        .iter()
        .map(|p| p.name)
        .filter(|n| *n != "n")
        .collect();
    changed |= params_ui(ui, "data-params", entry.params, &mut args, &others);
    if changed {
        *data = Some(args.spec_text(entry.name, entry.params));
    }
}

/// The scene-wide minibatch size (1 … N, N = full batch) and shuffling.
fn batch_ui(ui: &mut Ui, scene: &mut crate::scene::Scene, points: usize) {
    let n = points.max(1) as u64;
    let mut batch = scene.batch.unwrap_or(n).clamp(1, n);
    let response = batch_slider(
        ui,
        &mut batch,
        n,
        "points per step for every optimizer without its own batch=B; all = full-batch GD",
    );
    if response.changed() {
        scene.batch = (batch < n).then_some(batch);
    }
    ui.checkbox(&mut scene.shuffle, "shuffle each epoch")
        .on_hover_text("a new random order of the points every epoch; off: the file's order");
}

/// The last component of a path, for the dataset box.
fn file_name(spec: &str) -> String {
    std::path::Path::new(spec)
        .file_name()
        .map_or_else(|| spec.to_string(), |n| n.to_string_lossy().into_owned())
}
