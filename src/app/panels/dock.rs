//! The docked tools beside the map: the plots, the data view (on data scenes without room
//! beside the map), the metrics table, the update-rule card, the loss functions, the
//! gradient check, the phase diagram and the keys, as tabs sharing one area, so no tool
//! floats over the race. A tool can still be popped out into its own window.

use egui::RichText;

use super::super::caches::{PhaseCache, RaceView};
use super::data_view::data_view_ui;
use super::gradcheck::{GradCheckCache, gradcheck_ui};
use super::losses::losses_ui;
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
    Data,
    Metrics,
    Rule,
    Losses,
    GradCheck,
    Phase,
    Keys,
}

impl Tool {
    pub fn title(self) -> &'static str {
        match self {
            Self::Plots => "Plots",
            Self::Data => "Data",
            Self::Metrics => "Metrics",
            Self::Rule => "Update rule",
            Self::Losses => "Losses",
            Self::GradCheck => "Grad check",
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
    /// The run whose minibatch the data view rings.
    pub data_run: usize,
    /// The run the loss-function and gradient-check tabs follow.
    pub teach_run: usize,
    gradcheck: GradCheckCache,
    /// Where the data view's plot was last drawn (for tests: where a point is on screen).
    pub data_view: Option<egui_plot::PlotTransform>,
    /// The overlays last frame: a tool switched on in the Teach menu comes to the front.
    seen: Overlays,
    /// Whether last frame's scene had data: a data scene opens on the data view.
    seen_data: bool,
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
            data_run: 0,
            teach_run: 0,
            gradcheck: GradCheckCache::default(),
            data_view: None,
            seen: Overlays::default(),
            seen_data: false,
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

/// Which tabs the scene asks for besides the overlays: the data view, the phase diagram.
#[derive(Clone, Copy, Default)]
struct Asked {
    data: bool,
    phase: bool,
}

impl Dock {
    /// The tabs on offer: the plots and keys always, the data view on data scenes without
    /// room beside the map, the metrics, the rule card, the Teach tabs and the phase diagram
    /// when the scene switches them on.
    fn tools(overlays: Overlays, asked: Asked) -> Vec<Tool> {
        let mut tools = vec![Tool::Plots];
        if asked.data {
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
        if asked.phase {
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
    fn follow(&mut self, overlays: Overlays, asked: Asked) {
        if asked.data && !self.seen_data {
            self.tool = Tool::Data;
        }
        self.seen_data = asked.data;
        if overlays.metrics && !self.seen.metrics {
            self.tool = Tool::Metrics;
        }
        if overlays.rule && !self.seen.rule {
            self.tool = Tool::Rule;
        }
        if overlays.losses && !self.seen.losses {
            self.tool = Tool::Losses;
        }
        if overlays.gradcheck && !self.seen.gradcheck {
            self.tool = Tool::GradCheck;
        }
        if asked.phase && !self.seen_phase {
            self.tool = Tool::Phase;
        }
        self.seen = overlays;
        self.seen_phase = asked.phase;
        let tools = Self::tools(overlays, asked);
        if !tools.contains(&self.tool) {
            self.tool = Tool::Plots;
        }
        if self.popped.is_some_and(|t| !tools.contains(&t)) {
            self.popped = None;
        }
    }

    /// The dock: tabs, then the chosen tool filling the rest.
    pub fn ui(&mut self, ui: &mut egui::Ui, overlays: &mut Overlays, cx: &DockContext<'_>) {
        let asked = Asked {
            data: cx.data_tab,
            phase: cx.phase_on(),
        };
        self.follow(*overlays, asked);
        if cx.presenting {
            // Presentation: the loss plot in the large type, under the data view on a data
            // scene without room for it beside the map.
            if asked.data {
                let size = egui::vec2(ui.available_width(), ui.available_height() * 0.6);
                ui.allocate_ui(size, |ui| {
                    self.data_view = data_view_ui(ui, cx.race, cx.step, &mut self.data_run);
                });
            }
            super::plots::loss_ui(ui, cx.race, cx.step, self.x_axis, cx.cloud);
            return;
        }
        ui.horizontal_wrapped(|ui| {
            for tool in Self::tools(*overlays, asked) {
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
            Tool::Data => {
                self.data_view = data_view_ui(ui, cx.race, cx.step, &mut self.data_run);
            }
            Tool::Phase => self.phase.ui(ui, cx.phase, cx.map, cx.race),
            Tool::Metrics => metrics_tool_ui(ui, cx.race, cx.steps, &mut self.sort),
            Tool::Rule => rule_tool_ui(ui, cx.race, cx.step, &mut self.card_run),
            Tool::Losses => losses_ui(ui, cx.race, cx.step, &mut self.teach_run),
            Tool::GradCheck => gradcheck_ui(
                ui,
                cx.race,
                cx.step,
                &mut self.teach_run,
                &mut self.gradcheck,
            ),
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
