//! The optimizers section: one block per racer (enable, colour, remove, its lr slider with
//! the stability mark and the "tune" button, its hyperparameters), and the Add button.

use egui::collapsing_header::CollapsingState;
use egui::{ComboBox, Pos2, RichText, Stroke, Ui};

use super::super::super::theme::{self, short};
use super::Tuning;
use super::params::{batch_slider, params_ui, real_ui};
use crate::app::state::Drafts;
use crate::curvature::lr_limit;
use crate::optim::{OPTIMIZERS, OptimizerSpec};
use crate::scene::{Control, Racer, Scene};
use crate::spec::{Value, Widget};

/// One block per racer, then the Add row.
/// `points`: the dataset's size on a data scene (each racer then gets a batch slider).
pub fn racers_ui(
    ui: &mut Ui,
    scene: &mut Scene,
    drafts: &mut Drafts,
    tuning: &mut Tuning,
    (lambda_max, points): (Option<f64>, Option<usize>),
) {
    let editable = scene.shows(Control::Racers);
    let blocks = RacerBlocks {
        editable,
        lrs: scene.shows(Control::LearningRates),
        hyper: scene.shows(Control::Hyperparameters),
        lr_scale: scene.lr_scale,
        scene_batch: scene.batch,
        lambda_max,
        points,
        tuning,
        network: scene.is_network(),
    };
    let mut remove = None;
    let mut tune = None;
    for (i, racer) in scene.racers.iter_mut().enumerate() {
        let Ok(mut spec) = OptimizerSpec::parse(&racer.optimizer) else {
            ui.label(
                RichText::new(format!("bad optimizer '{}'", racer.optimizer)).color(theme::ALARM),
            );
            continue;
        };
        let asked = ui
            .push_id(i, |ui| blocks.racer_ui(ui, i, racer, &mut spec))
            .inner;
        if asked.remove {
            remove = Some(i);
        }
        if asked.tune {
            tune = Some(i);
        }
        ui.add_space(4.0);
    }
    if let Some(i) = tune {
        tuning.start(ui.ctx(), scene, i);
    }
    if let Some(i) = remove {
        scene.racers.remove(i);
        // The racer a network's slice goes through stays the same racer (or the first, when
        // it was the one removed).
        if scene.racer > i {
            scene.racer -= 1;
        } else if scene.racer == i {
            scene.racer = 0;
        }
    }
    if editable {
        add_ui(ui, scene, drafts);
    }
}

/// What every racer's block shares: the controls the scene shows and what their sliders
/// need.
struct RacerBlocks<'a> {
    /// Racers can be enabled, recoloured and removed.
    editable: bool,
    /// The lr sliders (and "tune") are shown.
    lrs: bool,
    /// The hyperparameters (and the batch sliders) are shown.
    hyper: bool,
    /// The scene's global lr multiplier.
    lr_scale: f64,
    scene_batch: Option<u64>,
    lambda_max: Option<f64>,
    /// The dataset's size on a data scene.
    points: Option<usize>,
    tuning: &'a Tuning,
    /// The scene trains a network (no lr search).
    network: bool,
}

/// What the user asked of a racer in its block.
#[derive(Default)]
struct Asked {
    remove: bool,
    tune: bool,
}

impl RacerBlocks<'_> {
    /// Racer `i`'s block: its name row, lr and batch sliders, "tune", the hyperparameters
    /// and the tuning note. An edit of `spec` is written back to the racer.
    fn racer_ui(
        &self,
        ui: &mut Ui,
        i: usize,
        racer: &mut Racer,
        spec: &mut OptimizerSpec,
    ) -> Asked {
        let mut asked = Asked {
            remove: self.name_row_ui(ui, i, racer, spec.entry.name),
            tune: false,
        };
        let mut changed = self.lrs && lr_ui(ui, spec, self.lambda_max, self.lr_scale);
        if let Some(points) = self.points.filter(|_| self.hyper) {
            changed |= batch_ui(ui, spec, self.scene_batch, points);
        }
        // "tune" sits on the hyperparameters' header row (the lr row is full at the
        // panel's width), or on a row of its own when they are hidden.
        let tunable = self.lrs && spec.entry.params.iter().any(|p| p.name == "lr");
        let tune_ui = |ui: &mut Ui| {
            if tunable && self.tuning.button_ui(ui, i, racer, self.network) {
                asked.tune = true;
            }
        };
        if self.hyper {
            changed |= hyperparameters_ui(ui, spec, tune_ui);
        } else {
            ui.horizontal(tune_ui);
        }
        self.tuning.note_ui(ui, i);
        if changed {
            racer.optimizer = spec.spec_text();
        }
        asked
    }

    /// The enable box and colour (when editable), the optimizer's `name` in the racer's
    /// colour, its own schedule, and ✕. Returns whether ✕ was clicked.
    fn name_row_ui(&self, ui: &mut Ui, i: usize, racer: &mut Racer, name: &str) -> bool {
        let mut remove = false;
        ui.horizontal(|ui| {
            let mut color = racer.color_at(i);
            if self.editable {
                ui.checkbox(&mut racer.enabled, "")
                    .on_hover_text("run this optimizer");
                if ui.color_edit_button_srgb(&mut color).changed() {
                    racer.color = Some(color);
                }
            }
            ui.label(RichText::new(name).strong().color(theme::rgb(color)));
            if let Some(schedule) = &racer.schedule {
                ui.label(RichText::new(format!("· {schedule}")).small())
                    .on_hover_text("this racer's own schedule: the scene's does not apply");
            }
            if self.editable
                && ui
                    .small_button("✕")
                    .on_hover_text("remove this optimizer")
                    .clicked()
            {
                remove = true;
            }
        });
        remove
    }
}

/// The collapsible "hyperparameters" header with `tune_ui` beside it, over the update rule
/// and every parameter but lr. Returns whether a parameter changed.
fn hyperparameters_ui(
    ui: &mut Ui,
    spec: &mut OptimizerSpec,
    mut tune_ui: impl FnMut(&mut Ui),
) -> bool {
    let entry = spec.entry;
    let id = ui.make_persistent_id("hyper");
    let mut toggle = false;
    let mut header =
        CollapsingState::load_with_default_open(ui.ctx(), id, false).show_header(ui, |ui| {
            let label = egui::Label::new("hyperparameters").sense(egui::Sense::click());
            toggle = ui.add(label).clicked();
            tune_ui(ui);
        });
    if toggle {
        header.toggle();
    }
    let mut changed = false;
    header.body(|ui| {
        ui.label(RichText::new(entry.rule).small().monospace());
        let others: Vec<&str> = entry
            .params
            .iter()
            .map(|p| p.name)
            .filter(|n| *n != "lr")
            .collect();
        changed = params_ui(ui, "params", entry.params, &mut spec.args, &others);
    });
    changed
}

/// "Add" and the optimizer it adds.
fn add_ui(ui: &mut Ui, scene: &mut Scene, drafts: &mut Drafts) {
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

/// This racer's minibatch size on a log slider (1 … N, N = all the points); until moved it
/// shows the scene's batch, and ↺ gives that back.
fn batch_ui(
    ui: &mut Ui,
    spec: &mut OptimizerSpec,
    scene_batch: Option<u64>,
    points: usize,
) -> bool {
    let n = points.max(1) as u64;
    let own = spec.batch;
    let mut batch = own.or(scene_batch).unwrap_or(n).clamp(1, n);
    let mut changed = false;
    ui.horizontal(|ui| {
        let hover = "points per step for this optimizer (all: full-batch gradient)";
        let response = batch_slider(ui, &mut batch, n, hover);
        if response.changed() {
            spec.batch = Some(batch);
            changed = true;
        }
        if own.is_some()
            && ui
                .small_button("↺")
                .on_hover_text("use the scene's batch size (Data section)")
                .clicked()
        {
            spec.batch = None;
            changed = true;
        }
    });
    changed
}

/// The lr slider, with the stability mark of the SGD family when `lambda_max` is given.
fn lr_ui(ui: &mut Ui, spec: &mut OptimizerSpec, lambda_max: Option<f64>, lr_scale: f64) -> bool {
    let Some(param) = spec.entry.params.iter().find(|p| p.name == "lr") else {
        return false;
    };
    let Some(Value::Real(old)) = spec.args.get("lr") else {
        return false;
    };
    let mut lr = old;
    let response = real_ui(ui, param, &mut lr).on_hover_text(param.doc);
    if let Some(lambda) = lambda_max
        && let Some(limit) = slider_limit(spec, lambda, lr_scale)
        && let Widget::Log { lo, hi, .. } = param.widget
    {
        let span = (lo.max(f64::MIN_POSITIVE), hi);
        stability_mark(ui, &response, span, limit, lambda);
    }
    if lr != old {
        spec.args.set("lr", Value::Real(lr));
        return true;
    }
    false
}

/// A red tick on a logarithmic lr slider (`response`, spanning `lo … hi`) at `limit`, with
/// the reason on hover: past it, gradient descent diverges near the minimum.
pub fn stability_mark(
    ui: &egui::Ui,
    response: &egui::Response,
    (lo, hi): (f64, f64),
    limit: f64,
    lambda_max: f64,
) {
    if !(limit.is_finite() && limit > lo && limit < hi) {
        return;
    }
    // egui's slider rail: `slider_width` wide from the response's left edge, the handle's
    // centre inset by its radius (the rail's height / 2.5).
    let thickness = ui
        .text_style_height(&egui::TextStyle::Body)
        .max(ui.spacing().interact_size.y);
    let inset = thickness / 2.5;
    let left = response.rect.left() + inset;
    let right = response.rect.left() + ui.spacing().slider_width - inset;
    let t = ((limit.ln() - lo.ln()) / (hi.ln() - lo.ln())) as f32;
    let x = left + t * (right - left);
    let rail_y = response.rect.top() + thickness / 2.0;
    let painter = ui.painter();
    painter.line_segment(
        [
            Pos2::new(x, rail_y - thickness / 2.0),
            Pos2::new(x, rail_y + thickness / 2.0),
        ],
        Stroke::new(3.0, theme::ALARM),
    );
    let tip = format!(
        "stability limit {} (λmax = {} at the minimum): above it this method diverges near the minimum",
        short(limit),
        short(lambda_max)
    );
    let id = response.id.with("stability");
    let zone = egui::Rect::from_center_size(Pos2::new(x, rail_y), egui::vec2(8.0, thickness));
    ui.interact(zone, id, egui::Sense::hover())
        .on_hover_text(tip);
}

/// The lr limit to mark for a racer's spec, in the units of its own lr slider (the scene's
/// global multiplier divided out).
pub fn slider_limit(spec: &OptimizerSpec, lambda_max: f64, lr_scale: f64) -> Option<f64> {
    let limit = lr_limit(spec, lambda_max)?;
    (lr_scale > 0.0).then(|| limit / lr_scale)
}
