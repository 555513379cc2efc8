//! The docked tools beside the map: the plots, the data view (on data scenes without room
//! beside the map), the metrics table, the update-rule card, the loss functions, the
//! gradient check, the phase diagram and the keys, as tabs sharing one area, so no tool
//! floats over the race. A tool can still be popped out into its own window.

use egui::RichText;

use super::super::caches::{PhaseCache, RaceView};
use super::super::command::Commands;
use super::super::state::{Dock, LastFrame, Offered, Tool, XAxis};
use super::data_view::data_view_ui;
use super::gradcheck::{GradCheckCache, gradcheck_ui};
use super::losses::losses_ui;
use super::metrics::metrics_tool_ui;
use super::phase::{PhaseInputs, phase_ui};
use super::plots::plots_ui;
use super::rule_card::rule_tool_ui;
use crate::engine::cloud::Cloud;
use crate::engine::{MapKind, MapSettings};
use crate::scene::Overlays;

/// What the dock's tools write besides the dock's own selections: commands for the app, the
/// layout the next frame reads, and the preference and cache they keep.
pub struct DockOut<'a> {
    pub commands: &'a mut Commands,
    pub last: &'a mut LastFrame,
    pub x_axis: &'a mut XAxis,
    pub gradcheck: &'a mut GradCheckCache,
}

/// What the tools show this frame.
pub struct DockContext<'a> {
    pub race: &'a RaceView,
    pub overlays: Overlays,
    pub step: u64,
    pub steps: u64,
    /// Presentation mode: only the loss plot, no tabs.
    pub presenting: bool,
    /// The last map's compute time, for the Keys tab.
    pub map_note: String,
    /// Offer the data view as a tab (a data scene whose central area has no room for it:
    /// side by side, 3D).
    pub data_tab: bool,
    /// The map over many runs the scene asks for, the phase diagram, the noise cloud.
    pub map: Option<&'a MapSettings>,
    /// Offer the phase diagram as a tab (it is not beside the map).
    pub phase_tab: bool,
    pub phase: &'a PhaseCache,
    pub cloud: Option<&'a Cloud>,
}

impl DockContext<'_> {
    fn phase_on(&self) -> bool {
        self.phase_tab && self.map.is_some_and(|m| m.kind == MapKind::Phase)
    }
}

impl Dock {
    /// The tabs on offer: the plots and keys always, the data view on data scenes without
    /// room beside the map, the metrics, the rule card, the Teach tabs and the phase diagram
    /// when the scene switches them on.
    fn tools(offered: Offered) -> Vec<Tool> {
        let overlays = offered.overlays;
        let mut tools = vec![Tool::Plots];
        if offered.network {
            // The metrics table stands above the plots; the rest means nothing in ℝⁿ.
            let teach = [
                (overlays.rule, Tool::Rule),
                (overlays.gradcheck, Tool::GradCheck),
            ];
            tools.extend(teach.iter().filter(|(on, _)| *on).map(|(_, t)| *t));
            tools.push(Tool::Keys);
            return tools;
        }
        if offered.data {
            tools.push(Tool::Data);
        }
        if overlays.metrics {
            tools.push(Tool::Metrics);
        }
        if overlays.rule {
            tools.push(Tool::Rule);
        }
        if overlays.losses {
            tools.push(Tool::Losses);
        }
        if overlays.gradcheck {
            tools.push(Tool::GradCheck);
        }
        if offered.phase {
            tools.push(Tool::Phase);
        }
        tools.push(Tool::Keys);
        tools
    }

    /// Bring the Keys tab up, or go back to the plots.
    pub fn toggle_keys(&mut self) {
        self.tool = if self.tool == Tool::Keys {
            Tool::Plots
        } else {
            Tool::Keys
        };
    }

    /// Follow the scene and the Teach menu: a data scene opens on the data view; a tool
    /// switched on comes to the front, one switched off goes.
    pub fn follow(&mut self, offered: Offered) {
        let (now, seen) = (offered.overlays, self.seen.overlays);
        let fronts = [
            (offered.data && !self.seen.data, Tool::Data),
            (now.metrics && !seen.metrics, Tool::Metrics),
            (now.rule && !seen.rule, Tool::Rule),
            (now.losses && !seen.losses, Tool::Losses),
            (now.gradcheck && !seen.gradcheck, Tool::GradCheck),
            (offered.phase && !self.seen.phase, Tool::Phase),
        ];
        for (_, tool) in fronts.iter().filter(|(new, _)| *new) {
            self.tool = *tool;
        }
        self.seen = offered;
        let tools = Self::tools(offered);
        if !tools.contains(&self.tool) {
            self.tool = Tool::Plots;
        }
        if self.popped.is_some_and(|t| !tools.contains(&t)) {
            self.popped = None;
        }
    }

    /// The dock: tabs, then the chosen tool filling the rest.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &DockContext<'_>, out: &mut DockOut<'_>) {
        profiling::function_scope!();
        let offered = Offered {
            overlays: cx.overlays,
            data: cx.data_tab,
            phase: cx.phase_on(),
            network: false,
        };
        self.follow(offered);
        if cx.presenting {
            // Presentation: the loss plot in the large type, under the data view on a data
            // scene without room for it beside the map.
            if offered.data {
                let size = egui::vec2(ui.available_width(), ui.available_height() * 0.6);
                ui.allocate_ui(size, |ui| {
                    out.last.data_view = data_view_ui(ui, cx.race, cx.step, &mut self.data_run);
                });
            }
            super::plots::loss_ui(ui, cx.race, cx.step, *out.x_axis, cx.cloud);
            return;
        }
        self.tabs_ui(ui, offered, true);
        ui.separator();
        let tool = self.tool;
        self.tool_ui(ui, tool, cx, out);
    }

    /// The row of tabs on offer, with a "pop out" button beside any but the plots when
    /// `pop` (the popped-out tool has no tab).
    pub fn tabs_ui(&mut self, ui: &mut egui::Ui, offered: Offered, pop: bool) {
        ui.horizontal_wrapped(|ui| {
            for tool in Self::tools(offered) {
                if self.popped == Some(tool) {
                    continue;
                }
                ui.selectable_value(&mut self.tool, tool, tool.title());
            }
            if pop
                && self.tool != Tool::Plots
                && ui
                    .small_button("pop out")
                    .on_hover_text("show this tool in its own window")
                    .clicked()
            {
                self.popped = Some(self.tool);
                self.tool = Tool::Plots;
            }
        });
    }

    /// The popped-out tool, if any, in its own window (closing it docks it again).
    pub fn window_ui(&mut self, ctx: &egui::Context, cx: &DockContext<'_>, out: &mut DockOut<'_>) {
        profiling::function_scope!();
        let Some(tool) = self.popped else {
            return;
        };
        let mut open = true;
        egui::Window::new(tool.title())
            .open(&mut open)
            .default_width(480.0)
            .show(ctx, |ui| self.tool_ui(ui, tool, cx, out));
        if !open {
            self.popped = None;
            self.tool = tool;
        }
    }

    fn tool_ui(
        &mut self,
        ui: &mut egui::Ui,
        tool: Tool,
        cx: &DockContext<'_>,
        out: &mut DockOut<'_>,
    ) {
        let (race, step) = (cx.race, cx.step);
        match tool {
            Tool::Plots => {
                let diagnostics = cx.overlays.diagnostics;
                out.last.bands = plots_ui(ui, race, step, diagnostics, out.x_axis, cx.cloud);
            }
            Tool::Data => {
                out.last.data_view = data_view_ui(ui, race, step, &mut self.data_run);
            }
            Tool::Phase => {
                let phase = PhaseInputs {
                    cache: cx.phase,
                    settings: cx.map,
                    race,
                };
                phase_ui(ui, &phase, out.commands, &mut out.last.phase);
            }
            Tool::Metrics => metrics_tool_ui(ui, race, cx.steps, &mut self.sort),
            Tool::Rule => rule_tool_ui(ui, race, step, &mut self.card_run),
            Tool::Losses => losses_ui(ui, race, step, &mut self.teach_run),
            Tool::GradCheck => {
                gradcheck_ui(ui, race, step, &mut self.teach_run, out.gradcheck);
            }
            Tool::Keys => keys_ui(ui, &cx.map_note),
        }
    }
}

/// The keyboard and mouse shortcuts.
pub fn keys_ui(ui: &mut egui::Ui, map_note: &str) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("keys").striped(true).show(ui, |ui| {
            for (key, what) in [
                ("Space", "play / pause"),
                ("→", "one step"),
                ("R", "reset to step 0"),
                ("F", "presentation mode"),
                (
                    "PageDown / PageUp",
                    "next / previous preset or lecture scene",
                ),
                ("Esc", "leave presentation mode, close this tab"),
                ("?", "this tab"),
                ("click the map", "start from there"),
                ("drag the start ring", "move the start; every path follows"),
                ("drag / scroll", "pan / zoom the map"),
            ] {
                ui.label(RichText::new(key).strong());
                ui.add(egui::Label::new(what).wrap());
                ui.end_row();
            }
        });
        ui.label(map_note);
    });
}
