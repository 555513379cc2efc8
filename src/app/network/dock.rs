//! The dock of a network scene: the plots (with the metrics table above them), and the
//! Teach menu's update-rule card and gradient check as tabs beside them, then the keys.

use super::super::panels::dock::keys_ui;
use super::super::state::{Dock, Offered, Tool, XAxis};
use super::card::network_rule_ui;
use super::gradcheck::network_gradcheck_ui;
use super::{NetworkView, network_plots_ui};
use crate::scene::Overlays;

/// What the network dock shows this frame.
pub struct NetworkDock {
    pub step: u64,
    pub overlays: Overlays,
    pub playing: bool,
    /// Presentation mode: the plots only, no tabs.
    pub presenting: bool,
}

/// The tabs on offer, then the chosen tool filling the rest.
pub fn network_dock_ui(
    ui: &mut egui::Ui,
    view: &mut NetworkView,
    cx: &NetworkDock,
    dock: &mut Dock,
    x_axis: &mut XAxis,
) {
    profiling::function_scope!();
    let offered = Offered {
        overlays: cx.overlays,
        network: true,
        ..Offered::default()
    };
    // No tool floats over a network scene: a tool popped out elsewhere docks again.
    dock.popped = None;
    dock.follow(offered);
    let metrics = cx.overlays.metrics;
    if cx.presenting {
        network_plots_ui(ui, view, cx.step, x_axis, metrics);
        return;
    }
    dock.tabs_ui(ui, offered, false);
    ui.separator();
    match dock.tool {
        Tool::Rule => network_rule_ui(ui, view, cx.step, &mut dock.card_run),
        Tool::GradCheck => {
            network_gradcheck_ui(ui, view, cx.step, cx.playing, &mut dock.teach_run);
        }
        Tool::Keys => keys_ui(ui, ""),
        _ => network_plots_ui(ui, view, cx.step, x_axis, metrics),
    }
}
