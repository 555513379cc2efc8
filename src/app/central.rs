//! The central area: the legend strip, then the map (overlay), one map per run (side by side)
//! or the 3D view; and keeping the view the user chose as the map is resized, panned and
//! zoomed.

use super::caches::{MAX_RESOLUTION, MinibatchCache, RaceView, RunView};
use super::command::{Command, Commands};
use super::map::minibatch::{BatchRun, MinibatchScene};
use super::map::{self, MapResponse, MapScene};
use super::panels::phase::{PhaseInputs, phase_ui};
use super::{DescentApp, panels, theme};
use crate::scene::Layout;
use crate::surface::Bounds;

/// The box the map shows this frame, and the grid it is sampled on.
struct Sampled {
    /// The box the plot shows: last frame's, or the one a reset is about to show.
    shown: Bounds,
    /// The box a reset asked for, which the plot takes this frame.
    reset_to: Option<Bounds>,
    resolution: [usize; 2],
}

impl DescentApp {
    /// The central area: the legend strip, then the map(s) or the 3D view.
    pub(super) fn central_ui(&mut self, ui: &mut egui::Ui, commands: &mut Commands) {
        profiling::function_scope!();
        let step = self.state.ui.clock.step();
        let scene = &self.state.saved.scene;
        let last = &mut self.state.last;
        let side_by_side = scene.layout == Layout::SideBySide;
        let legend = panels::legend::legend_ui(
            ui,
            &self.race,
            step,
            &last.drawn,
            scene.overlays,
            side_by_side,
        );
        last.legend = Some(legend);
        last.maps.clear();
        last.beside = None;
        if scene.layout == Layout::ThreeD {
            last.drawn.clear();
            let three_d =
                panels::three_d::ThreeDScene::of_runs(&self.race.runs, step, scene.colormap);
            let landscape = &self.race.landscape;
            let bounds = self.state.chosen_view(landscape.view);
            let terrain = self.terrain.get(landscape, bounds, self.three_d.heights);
            self.three_d.ui(ui, terrain, &three_d);
            return;
        }
        let responses = self.maps_ui(ui, commands);
        if let Some(first) = responses.first() {
            self.note_ui(ui, first.frame);
        }
        self.after_maps(ui.ctx(), responses, commands);
    }

    /// Painted over the map's corner, not laid out (the map keeps its size): why a map over
    /// many runs is missing, or what is still being computed.
    fn note_ui(&self, ui: &egui::Ui, frame: egui::Rect) {
        let note = if let Some(error) = self.basins.error() {
            format!("no basin map: {error}")
        } else if let Some(error) = self.cloud.error() {
            format!("no noise cloud: {error}")
        } else if self.map.is_refining() {
            "computing the full map…".to_string()
        } else if let Some(done) = self.basins.progress() {
            format!("computing the basins… {:.0}%", 100.0 * done)
        } else if let Some(done) = self.cloud.progress() {
            format!("computing the noise cloud… {:.0}%", 100.0 * done)
        } else {
            return;
        };
        let corner = frame.right_top() + egui::vec2(-8.0, 8.0);
        let painter = ui.painter();
        let font = egui::FontId::proportional(theme::SMALLEST_TEXT);
        let text = painter.layout(note, font, theme::TEXT, frame.width() - 24.0);
        let rect = egui::Align2::RIGHT_TOP.anchor_size(corner, text.size());
        painter.rect_filled(rect.expand(4.0), 4.0, theme::HALO);
        painter.galley(rect.min, text, theme::TEXT);
    }

    /// The map (overlay) or one map per run (side by side), all sharing one view.
    pub(super) fn maps_ui(
        &mut self,
        ui: &mut egui::Ui,
        commands: &mut Commands,
    ) -> Vec<MapResponse> {
        profiling::function_scope!();
        let sampled = self.sampled();
        self.update_map_caches(ui.ctx(), &sampled);
        let scene = &self.state.saved.scene;
        let overlays = scene.overlays;
        let focused =
            focused_minibatch_run(&self.race, overlays.minibatch, self.state.ui.dock.data_run);
        let map_scene = MapScene {
            landscape: &self.race.landscape,
            cache: &self.map,
            basins: self.basins.layer(),
            cloud: self.cloud.cloud(),
            start: scene.start.unwrap_or(self.race.start),
            step: self.state.ui.clock.step(),
            reset_to: sampled.reset_to,
            overlays,
            details: (overlays.forces || overlays.model).then(|| self.race.details()),
            minibatch: (overlays.minibatch)
                .then(|| minibatch_scene(&self.race, &self.minibatch, focused)),
        };
        profiling::scope!("map plots");
        let runs: Vec<&RunView> = self.race.runs.iter().collect();
        let overlay = |ui: &mut egui::Ui| map::map_plot(ui, "overlay", &map_scene, &runs, false);
        match scene.layout {
            Layout::SideBySide => small_multiples_ui(ui, &map_scene, &self.race.runs),
            _ if self.race.landscape.data.is_some() => {
                // A data scene: the parameter map and, beside it, the data the models fit —
                // the two halves of the lesson, both large enough for the back row.
                let (race, dock) = (&self.race, &mut self.state.ui.dock);
                let last = &mut self.state.last;
                let (map, beside) = beside_map_ui(ui, "data-beside-map", overlay, |ui| {
                    last.data_view = panels::data_view::data_view_ui(
                        ui,
                        race,
                        map_scene.step,
                        &mut dock.data_run,
                    );
                });
                last.beside = Some(beside);
                vec![map]
            }
            _ if phase_beside_map(scene, &self.race) => {
                // The phase diagram is this scene's lesson: beside the map, at a size the
                // back row reads, rather than in the 208-px dock.
                let inputs = PhaseInputs {
                    cache: &self.phase,
                    settings: scene.map.as_ref(),
                    race: &self.race,
                };
                let frame = &mut self.state.last.phase;
                let (map, beside) = beside_map_ui(ui, "phase-beside-map", overlay, |ui| {
                    phase_ui(ui, &inputs, commands, frame);
                });
                self.state.last.beside = Some(beside);
                vec![map]
            }
            _ => vec![overlay(ui)],
        }
    }

    /// The box the map shows and samples this frame, taking a reset asked for.
    fn sampled(&mut self) -> Sampled {
        let chosen = self.state.chosen_view(self.race.landscape.view);
        let reset_to = self.state.ui.reset_view.take();
        let last = &self.state.last;
        let shown = match (reset_to, last.map) {
            (Some(b), Some((rect, _))) => map::fit(b, rect),
            (Some(b), None) => b,
            (None, Some((_, b))) => b,
            (None, None) => chosen,
        };
        let resolution = last.pixels.map(|p| {
            if p == 0 {
                MAX_RESOLUTION
            } else {
                p.min(MAX_RESOLUTION)
            }
        });
        Sampled {
            shown,
            reset_to,
            resolution,
        }
    }

    /// Bring the map's caches up to the box shown: the basins, the contour map, the next
    /// minibatch's isolines.
    fn update_map_caches(&mut self, ctx: &egui::Context, sampled: &Sampled) {
        let scene = &self.state.saved.scene;
        let race = (&self.race.spec, self.race.race());
        self.basins
            .update(ctx, race, scene.map.as_ref(), sampled.shown);
        let (levels, colormap) = (scene.levels, scene.colormap);
        let landscape = &self.race.landscape;
        (self.map).update(
            ctx,
            landscape,
            sampled.shown,
            sampled.resolution,
            levels,
            colormap,
        );
        let step = self.state.ui.clock.step();
        let (on, focus) = (scene.overlays.minibatch, self.state.ui.dock.data_run);
        let next = focused_minibatch_run(&self.race, on, focus).and_then(|run| {
            let batch = panels::data_view::next_batch(&self.race, run, step)?;
            Some((run.run, batch))
        });
        self.minibatch.update(
            (&self.race.spec, self.race.landscape.data.as_deref()),
            next,
            sampled.shown,
            self.map.map().map(|m| m.scale),
        );
    }

    /// Keep the view the user chose: a resized map shows all of it again; a pan or zoom
    /// becomes the scene's view. A click or drag of the start ring moves the start.
    fn after_maps(
        &mut self,
        ctx: &egui::Context,
        responses: Vec<MapResponse>,
        commands: &mut Commands,
    ) {
        profiling::function_scope!();
        let resetting = responses.iter().any(|r| r.was_reset);
        if let Some(first) = responses.first()
            && let Some(b) = first.bounds
        {
            let chosen = self.state.chosen_view(self.race.landscape.view);
            let last = &mut self.state.last;
            let resized = last
                .map
                .is_some_and(|(before, _)| (before.size() - first.frame.size()).length() > 1.0);
            let moved = last.map.is_some_and(|(_, before)| before != b);
            if resized {
                self.state.ui.reset_view = Some(chosen);
                ctx.request_repaint();
            } else if moved && !resetting {
                commands.push(Command::SetView(b));
            }
            last.map = Some((first.frame, b));
            if first.pixels[0] > 0 {
                last.pixels = first.pixels;
            }
        }
        let last = &mut self.state.last;
        last.drawn.clear();
        for response in &responses {
            last.maps.push(response.frame);
            for name in &response.layers {
                if !last.drawn.contains(name) {
                    last.drawn.push(name);
                }
            }
        }
        if let Some(start) = responses.iter().find_map(|r| r.new_start) {
            commands.push(Command::MoveStart(start));
        }
    }
}

/// The minibatch run the data view follows (`focus`), when the minibatch overlay is `on`.
fn focused_minibatch_run(race: &RaceView, on: bool, focus: usize) -> Option<&RunView> {
    panels::data_view::focused_run(race, focus).filter(|_| on)
}

/// The minibatch overlay: the runs with a minibatch plan, and the batch isolines of the
/// run the data view follows (`focused`) in its colour.
fn minibatch_scene<'a>(
    race: &'a RaceView,
    cache: &'a MinibatchCache,
    focused: Option<&RunView>,
) -> MinibatchScene<'a> {
    let color = focused.map_or(egui::Color32::WHITE, |r| r.color);
    let core = race.race();
    let runs = (race.runs.iter())
        .filter_map(|run| {
            let plan = core.batch_plan(run.run).filter(|p| !p.is_full())?;
            Some(BatchRun { run, plan })
        })
        .collect();
    MinibatchScene {
        runs,
        isolines: (cache.isolines(), color),
    }
}

/// The map in the left part of the central area and `beside_ui` in a column beside it (see
/// [`data_split`]); returns the map's response and the column's rectangle.
fn beside_map_ui(
    ui: &mut egui::Ui,
    salt: &str,
    map_ui: impl FnOnce(&mut egui::Ui) -> MapResponse,
    beside_ui: impl FnOnce(&mut egui::Ui),
) -> (MapResponse, egui::Rect) {
    let area = ui.available_rect_before_wrap();
    let (map_rect, side_rect) = data_split(area);
    let mut map_child = ui.new_child(egui::UiBuilder::new().max_rect(map_rect));
    let response = map_ui(&mut map_child);
    let mut side = ui.new_child(egui::UiBuilder::new().max_rect(side_rect).id_salt(salt));
    beside_ui(&mut side);
    ui.allocate_rect(area, egui::Sense::hover());
    (response, side_rect)
}

/// Whether the scene's phase diagram stands beside the map (overlay layout, no data view
/// there already) rather than in the dock.
pub(super) fn phase_beside_map(scene: &crate::scene::Scene, race: &super::RaceView) -> bool {
    scene.layout == Layout::Overlay
        && race.landscape.data.is_none()
        && scene
            .map
            .as_ref()
            .is_some_and(|m| m.kind == crate::engine::MapKind::Phase)
}

/// The map's and the data view's (or phase diagram's) rectangles in `area`: the data view takes a column of 40%
/// of the width (at most the height: its plot is about square), the map the rest.
fn data_split(area: egui::Rect) -> (egui::Rect, egui::Rect) {
    let gap = 8.0;
    let width = (0.4 * area.width()).min(area.height()).max(160.0);
    let map = egui::Rect::from_min_max(area.min, egui::pos2(area.max.x - width - gap, area.max.y));
    let data = egui::Rect::from_min_max(egui::pos2(area.max.x - width, area.min.y), area.max);
    (map, data)
}

/// One map per run, in the grid of columns × rows that gives each the largest square.
fn small_multiples_ui(
    ui: &mut egui::Ui,
    scene: &MapScene<'_>,
    runs: &[RunView],
) -> Vec<MapResponse> {
    let n = runs.len().max(1);
    let avail = ui.available_size();
    let gap = 6.0;
    let columns = (1..=n)
        .max_by(|&a, &b| {
            let side = |c: usize| {
                let rows = n.div_ceil(c);
                ((avail.x - gap * c as f32) / c as f32)
                    .min((avail.y - gap * rows as f32) / rows as f32)
            };
            side(a).total_cmp(&side(b)).then(b.cmp(&a))
        })
        .unwrap_or(1);
    let rows = n.div_ceil(columns);
    let cell = egui::vec2(
        (avail.x - gap * (columns - 1) as f32) / columns as f32,
        (avail.y - gap * (rows - 1) as f32) / rows as f32,
    );
    let mut responses = Vec::new();
    let top_left = ui.cursor().min;
    for (k, run) in runs.iter().enumerate() {
        let (column, row) = (k % columns, k / columns);
        let min =
            top_left + egui::vec2(column as f32 * (cell.x + gap), row as f32 * (cell.y + gap));
        let rect = egui::Rect::from_min_size(min, cell);
        let mut child = ui.new_child(
            egui::UiBuilder::new()
                .max_rect(rect)
                .id_salt(("multiple", k)),
        );
        child.horizontal_wrapped(|ui| {
            let title = egui::RichText::new(&run.label).strong().color(run.color);
            ui.add(egui::Label::new(title).wrap());
            let state = match run.ended_by(scene.step) {
                Some((status, at)) => {
                    egui::RichText::new(crate::style::ending_label(status, at)).color(theme::ALARM)
                }
                None => egui::RichText::new(format!(
                    "f = {}",
                    theme::short(run.current(scene.step).loss)
                )),
            };
            ui.label(state.strong());
        });
        responses.push(map::map_plot(
            &mut child,
            &format!("multiple-{k}"),
            scene,
            &[run],
            true,
        ));
    }
    ui.allocate_rect(
        egui::Rect::from_min_size(top_left, avail),
        egui::Sense::hover(),
    );
    responses
}
