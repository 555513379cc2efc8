//! The docked tools beside the map: the plots, the metrics table, the update-rule card, the
//! phase diagram and the keys, as tabs sharing one area, so no tool floats over the race. A
//! tool can still be popped out into its own window.

use egui::RichText;

use super::super::caches::{PhaseCache, RaceView};
use super::metrics::{Sort, metrics_tool_ui};
use super::phase::PhasePanel;
use super::plots::{XAxis, plots_ui};
use super::rule_card::rule_tool_ui;
use crate::engine::cloud::Cloud;
use crate::engine::{MapKind, MapSettings};
use crate::scene::Overlays;

/// A docked tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Plots,
    Metrics,
    Rule,
    Phase,
    Keys,
}

impl Tool {
    fn title(self) -> &'static str {
        match self {
            Self::Plots => "Plots",
            Self::Metrics => "Metrics",
            Self::Rule => "Update rule",
            Self::Phase => "Phase",
            Self::Keys => "Keys",
        }
    }
}

/// Which tool the dock shows and the tools' own settings.
pub struct Dock {
    pub tool: Tool,
    /// A tool shown in its own window instead.
    pub popped: Option<Tool>,
    /// The metrics table's order.
    pub sort: Sort,
    /// The run the update-rule card shows.
    pub card_run: usize,
    /// The overlays last frame: a tool switched on in the Teach menu comes to the front.
    seen: Overlays,
    /// The phase diagram's tab, and whether the scene asked for it last frame.
    pub phase: PhasePanel,
    seen_phase: bool,
    /// What the plots' x axis counts.
    pub x_axis: XAxis,
    /// Cloud bands the loss plot drew last frame.
    pub bands: usize,
}

impl Default for Dock {
    fn default() -> Self {
        Self {
            tool: Tool::Plots,
            popped: None,
            sort: Sort::default(),
            card_run: 0,
            seen: Overlays::default(),
            phase: PhasePanel::default(),
            seen_phase: false,
            x_axis: XAxis::default(),
            bands: 0,
        }
    }
}

/// What the tools show this frame.
pub struct DockContext<'a> {
    pub race: &'a RaceView,
    pub step: u64,
    pub steps: u64,
    /// Presentation mode: only the loss plot, no tabs.
    pub presenting: bool,
    /// The last map's compute time, for the Keys tab.
    pub map_note: String,
    /// The map over many runs the scene asks for, the phase diagram, the noise cloud.
    pub map: Option<&'a MapSettings>,
    pub phase: &'a PhaseCache,
    pub cloud: Option<&'a Cloud>,
}

impl DockContext<'_> {
    fn phase_on(&self) -> bool {
        self.map.is_some_and(|m| m.kind == MapKind::Phase)
    }
}

impl Dock {
    /// The tabs on offer: the plots and keys always, the metrics, the rule card and the
    /// phase diagram when the scene switches them on.
    fn tools(overlays: Overlays, phase: bool) -> Vec<Tool> {
        let mut tools = vec![Tool::Plots];
        if overlays.metrics {
            tools.push(Tool::Metrics);
        }
        if overlays.rule {
            tools.push(Tool::Rule);
        }
        if phase {
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

    /// Follow the Teach menu: a tool switched on comes to the front, one switched off goes.
    fn follow(&mut self, overlays: Overlays, phase: bool) {
        if overlays.metrics && !self.seen.metrics {
            self.tool = Tool::Metrics;
        }
        if overlays.rule && !self.seen.rule {
            self.tool = Tool::Rule;
        }
        if phase && !self.seen_phase {
            self.tool = Tool::Phase;
        }
        self.seen = overlays;
        self.seen_phase = phase;
        let tools = Self::tools(overlays, phase);
        if !tools.contains(&self.tool) {
            self.tool = Tool::Plots;
        }
        if self.popped.is_some_and(|t| !tools.contains(&t)) {
            self.popped = None;
        }
    }

    /// The dock: tabs, then the chosen tool filling the rest.
    pub fn ui(&mut self, ui: &mut egui::Ui, overlays: &mut Overlays, cx: &DockContext<'_>) {
        self.follow(*overlays, cx.phase_on());
        if cx.presenting {
            // Presentation: one plot, the loss, in the large type.
            super::plots::loss_ui(ui, cx.race, cx.step, self.x_axis, cx.cloud);
            return;
        }
        ui.horizontal_wrapped(|ui| {
            for tool in Self::tools(*overlays, cx.phase_on()) {
                if self.popped == Some(tool) {
                    continue;
                }
                ui.selectable_value(&mut self.tool, tool, tool.title());
            }
            if self.tool != Tool::Plots
                && ui
                    .small_button("pop out")
                    .on_hover_text("show this tool in its own window")
                    .clicked()
            {
                self.popped = Some(self.tool);
                self.tool = Tool::Plots;
            }
        });
        ui.separator();
        let tool = self.tool;
        self.tool_ui(ui, tool, overlays, cx);
    }

    /// The popped-out tool, if any, in its own window (closing it docks it again).
    pub fn window_ui(
        &mut self,
        ctx: &egui::Context,
        overlays: &mut Overlays,
        cx: &DockContext<'_>,
    ) {
        let Some(tool) = self.popped else {
            return;
        };
        let mut open = true;
        egui::Window::new(tool.title())
            .open(&mut open)
            .default_width(480.0)
            .show(ctx, |ui| self.tool_ui(ui, tool, overlays, cx));
        if !open {
            self.popped = None;
            self.tool = tool;
        }
    }

    fn tool_ui(
        &mut self,
        ui: &mut egui::Ui,
        tool: Tool,
        overlays: &mut Overlays,
        cx: &DockContext<'_>,
    ) {
        match tool {
            Tool::Plots => {
                let (race, step, diagnostics) = (cx.race, cx.step, overlays.diagnostics);
                self.bands = plots_ui(ui, race, step, diagnostics, &mut self.x_axis, cx.cloud);
            }
            Tool::Phase => self.phase.ui(ui, cx.phase, cx.map, cx.race),
            Tool::Metrics => metrics_tool_ui(ui, cx.race, cx.steps, &mut self.sort),
            Tool::Rule => rule_tool_ui(ui, cx.race, cx.step, &mut self.card_run),
            Tool::Keys => keys_ui(ui, &cx.map_note),
        }
    }
}

/// The keyboard and mouse shortcuts.
fn keys_ui(ui: &mut egui::Ui, map_note: &str) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("keys").striped(true).show(ui, |ui| {
            for (key, what) in [
                ("Space", "play / pause"),
                ("→", "one step"),
                ("R", "reset to step 0"),
                ("F", "presentation mode"),
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
