//! The top bar: the File, Presets, Teach and View menus, the scene's title and description
//! (wrapped, never cut), the layout switch, presentation mode and the keys.

use egui::containers::menu::{MenuButton, MenuConfig};
use egui::{PopupCloseBehavior, RichText};

use super::super::command::{Command, Commands, Export, Purpose};
use super::super::state::PictureSize;
use super::super::theme;
use crate::engine::{MapKind, MapSettings};
use crate::scene::{Layout, Overlays, Scene};

/// What the bar shows besides the scene.
pub struct TopBar<'a> {
    /// The map's size on screen (the picture size "as on screen").
    pub map_pixels: [u32; 2],
    pub presenting: bool,
    pub controls_open: bool,
    /// The last file operation's outcome.
    pub status: Option<&'a str>,
    /// Why the last action was refused: shown here when the controls panel (which shows it
    /// otherwise) is hidden.
    pub error: Option<&'a str>,
    /// The scene's place among the presets or a lecture's scenes: (k, n, the sequence's name),
    /// shown in presentation mode.
    pub place: Option<(usize, usize, &'a str)>,
}

/// The bar. `scene` is the app's copy to edit (layout, overlays, maps); what else the user
/// asks for becomes a command.
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    scene: &mut Scene,
    picture_size: &mut PictureSize,
    bar: &TopBar<'_>,
    commands: &mut Commands,
) {
    profiling::function_scope!();
    let TopBar {
        map_pixels,
        presenting,
        controls_open,
        status,
        error,
        place,
    } = *bar;
    let mut action = None;
    ui.horizontal(|ui| {
        if !presenting {
            let (icon, tip) = if controls_open {
                ("◀ Controls", "hide the controls (the map grows)")
            } else {
                ("▶ Controls", "show the controls")
            };
            if ui.button(icon).on_hover_text(tip).clicked() {
                action = Some(Command::ToggleControls);
            }
        }
        let picture = (picture_size, map_pixels);
        ui.menu_button("File", |ui| file_menu_ui(ui, picture, &mut action));
        ui.menu_button("Presets", |ui| {
            egui::ScrollArea::vertical()
                .max_height(ui.ctx().content_rect().height() - 80.0)
                .show(ui, |ui| {
                    ui.set_max_width(560.0);
                    presets_menu_ui(ui, &mut action);
                });
        });
        let sticky = MenuConfig::new().close_behavior(PopupCloseBehavior::CloseOnClickOutside);
        let network = scene.is_network();
        MenuButton::new("Teach").config(sticky).ui(ui, |ui| {
            if network {
                network_teach_ui(ui, &mut scene.overlays);
                return;
            }
            overlays_menu_ui(ui, &mut scene.overlays);
            maps_menu_ui(ui, &mut scene.map);
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(" ? ").on_hover_text("keys (?)").clicked() {
                action = Some(Command::ToggleKeys);
            }
            let label = if presenting {
                "Exit presentation"
            } else {
                "Present (F)"
            };
            if ui.button(label).clicked() {
                action = Some(Command::TogglePresentation);
            }
            if let Some((k, n, name)) = place.filter(|_| presenting) {
                ui.label(RichText::new(format!("{k} / {n}")).color(theme::NOTE))
                    .on_hover_text(format!("{name}: PageDown / PageUp for the next / previous"));
            }
            ui.separator();
            let mut layout = scene.layout;
            ui.selectable_value(&mut layout, Layout::ThreeD, "3D")
                .on_hover_text("the surface (a network: its slice) in 3D; drag to rotate");
            ui.add_enabled_ui(!network, |ui| {
                ui.selectable_value(&mut layout, Layout::SideBySide, "Side by side")
                    .on_disabled_hover_text(
                        "a network scene already shows each racer's decision regions side by side",
                    );
            });
            ui.selectable_value(&mut layout, Layout::Overlay, "Overlay");
            scene.layout = layout;
        });
    });
    // The title on a row of its own: the full width, wrapped rather than cut.
    ui.add(egui::Label::new(RichText::new(&scene.title).heading().strong()).wrap());
    if !scene.description.is_empty() {
        ui.add(egui::Label::new(RichText::new(&scene.description).color(theme::TEXT)).wrap());
    }
    if let Some(status) = status {
        ui.label(RichText::new(status).color(egui::Color32::LIGHT_GREEN));
    }
    if let Some(error) = error.filter(|_| presenting || !controls_open) {
        ui.add(egui::Label::new(RichText::new(error).color(theme::ALARM)).wrap());
    }
    commands.0.extend(action);
}

fn file_menu_ui(
    ui: &mut egui::Ui,
    (size, map): (&mut PictureSize, [u32; 2]),
    action: &mut Option<Command>,
) {
    if ui.button("Open…").clicked() {
        *action = Some(Command::Choose(Purpose::Open));
    }
    if ui
        .button("Open data…")
        .on_hover_text("a CSV dataset for a model surface: x,y or x1,x2,label")
        .clicked()
    {
        *action = Some(Command::Choose(Purpose::OpenData));
    }
    if ui.button("Save as…").clicked() {
        *action = Some(Command::Choose(Purpose::Save));
    }
    ui.separator();
    for (label, kind) in [
        ("Export trajectories as CSV…", Export::Csv),
        ("Export trajectories as JSON…", Export::Json),
        ("Export view as PNG…", Export::Png),
        ("Export race as GIF…", Export::Gif),
    ] {
        if ui.button(label).clicked() {
            *action = Some(Command::Choose(Purpose::Export(kind)));
        }
    }
    ui.label(RichText::new("Picture size (PNG and GIF)").color(theme::NOTE));
    for choice in PictureSize::ALL {
        ui.radio_value(size, choice, choice.label(map));
    }
}

/// The default canyon scene, then every built-in preset, parsed once per run of the app.
fn menu_scenes() -> &'static [(String, Scene)] {
    static SCENES: std::sync::OnceLock<Vec<(String, Scene)>> = std::sync::OnceLock::new();
    SCENES.get_or_init(|| {
        let presets = crate::presets::all()
            .into_iter()
            .filter_map(|(name, scene)| Some((format!("preset {name}"), scene.ok()?)));
        std::iter::once(("the default scene".to_string(), Scene::default()))
            .chain(presets)
            .collect()
    })
}

/// Every built-in scene with its title and one-line description.
fn presets_menu_ui(ui: &mut egui::Ui, action: &mut Option<Command>) {
    for (origin, scene) in menu_scenes() {
        let button = ui.button(RichText::new(&scene.title).strong());
        ui.add(egui::Label::new(RichText::new(&scene.description).color(theme::NOTE)).wrap());
        ui.add_space(6.0);
        if button.clicked() {
            *action = Some(Command::Preset(origin.clone(), Box::new(scene.clone())));
            ui.close();
        }
    }
}

/// The Teach menu of a network scene: the metrics table, the update-rule card and the
/// gradient check, and the plane's overlays, each greyed out with why.
fn network_teach_ui(ui: &mut egui::Ui, overlays: &mut Overlays) {
    ui.label(RichText::new("A network scene: the map is a slice of hundreds of weights").strong());
    ui.checkbox(&mut overlays.metrics, "Metrics table")
        .on_hover_text("above the plots: each racer's loss, accuracy and ‖∇f‖ at the step shown");
    ui.checkbox(&mut overlays.rule, "Update rule card")
        .on_hover_text(
            "a tab beside the plots: the step's ‖g‖, ‖Δθ‖ and their angles with −∇f, \
         ‖m‖, ‖v‖ and the spread of the per-weight learning rates",
        );
    ui.checkbox(&mut overlays.gradcheck, "Gradient check")
        .on_hover_text(
            "a tab: backpropagation against finite differences at a racer's weights, \
         h = 1e-1 … 1e-12",
        );
    let planar = "draws 2-D vectors at the racers' points: on a slice of hundreds of weights \
                  they would be the shadows of vectors mostly off the picture";
    for (label, why) in [
        ("Forces: −lr·∇f, step, velocity, adaptive box", planar),
        (
            "Curvature under the cursor, lr stability marks",
            "the sharpness plot shows λmax \
          against each racer's 2/η instead: the Hessian has hundreds of axes",
        ),
        ("Model steps and line-search trials", planar),
        ("Gradient field −∇f", planar),
        (
            "Minibatch surface and gradients",
            "the batch size slider and the samples-seen axis \
          tell the minibatch story of a network",
        ),
        (
            "Maps over many runs",
            "one network training is the work of thousands of 2-D runs",
        ),
    ] {
        ui.add_enabled(false, egui::Checkbox::new(&mut false, label))
            .on_disabled_hover_text(why);
    }
}

/// The Teach menu: one checkbox per overlay; it stays open while boxes are ticked.
/// The maps over many runs: basins under the paths, the phase diagram as a tab, the noise
/// cloud on the map and in the loss plot. A scene holds one map, so ticking one unticks the
/// others.
fn maps_menu_ui(ui: &mut egui::Ui, map: &mut Option<MapSettings>) {
    ui.separator();
    for (kind, label, tip) in [
        (
            MapKind::Basins,
            "Basins of attraction",
            "where the first racer ends from every start of the view: one run per cell, \
             computed in the background",
        ),
        (
            MapKind::Phase,
            "Phase diagram",
            "a tab beside the plots: steps to converge over a grid of two hyperparameters \
             of a racer, with the theory's stability limit; click a cell to use it",
        ),
        (
            MapKind::Cloud,
            "Noise cloud",
            "64 copies of every racer under other noise seeds: their points on the map, \
             their median and 10–90% band in the loss plot (needs noise σ > 0)",
        ),
    ] {
        let mut on = map.as_ref().is_some_and(|m| m.kind == kind);
        if ui.checkbox(&mut on, label).on_hover_text(tip).changed() {
            *map = on.then(|| MapSettings {
                kind,
                ..map.clone().unwrap_or_default()
            });
        }
    }
}

pub fn overlays_menu_ui(ui: &mut egui::Ui, overlays: &mut Overlays) {
    let Overlays {
        forces,
        curvature,
        model,
        field,
        metrics,
        rule,
        diagnostics,
        minibatch,
        losses,
        gradcheck,
    } = overlays;
    ui.checkbox(forces, "Forces: −lr·∇f, step, velocity, adaptive box")
        .on_hover_text("at each optimizer's current point");
    ui.checkbox(curvature, "Curvature under the cursor, lr stability marks")
        .on_hover_text(
            "Hessian eigenvectors scaled by their eigenvalues, κ, and 2/λmax on the lr sliders",
        );
    ui.checkbox(model, "Model steps and line-search trials")
        .on_hover_text("Newton / BFGS / L-BFGS: the quadratic model's step; dots: trial points");
    ui.checkbox(field, "Gradient field −∇f");
    ui.checkbox(minibatch, "Minibatch surface and gradients")
        .on_hover_text(
            "data scenes: the next minibatch's own loss as dashed isolines, and its gradient \
             beside the full one at each minibatch run",
        );
    ui.separator();
    ui.checkbox(metrics, "Metrics table")
        .on_hover_text("a tab beside the plots");
    ui.checkbox(rule, "Update rule card")
        .on_hover_text("a tab beside the plots");
    ui.checkbox(diagnostics, "‖∇f‖ and distance plots");
    ui.checkbox(losses, "Loss functions")
        .on_hover_text("a tab: the per-sample losses, with a run's points on its curve");
    ui.checkbox(gradcheck, "Gradient check")
        .on_hover_text("a tab: finite differences against the exact gradient, h = 1e-1 … 1e-12");
}
