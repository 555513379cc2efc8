//! The central area: the legend strip, then the map (overlay), one map per run (side by side)
//! or the 3D view; and keeping the view the user chose as the map is resized, panned and
//! zoomed.

use super::caches::{MAX_RESOLUTION, RunView};
use super::map::{self, MapResponse, MapScene};
use super::{DescentApp, panels, theme};
use crate::scene::Layout;

impl DescentApp {
    /// The central area: the legend strip, then the map(s) or the 3D view.
    pub(super) fn central_ui(&mut self, ui: &mut egui::Ui) {
        let step = self.state.clock.step();
        let overlays = self.state.scene.overlays;
        self.last.legend = Some(panels::legend::legend_ui(
            ui,
            &self.race,
            step,
            &self.last.drawn,
            overlays,
            self.state.scene.layout == Layout::SideBySide,
        ));
        self.last.maps.clear();
        self.last.beside = None;
        if self.state.scene.layout == Layout::ThreeD {
            self.last.drawn.clear();
            let scene = panels::three_d::ThreeDScene {
                landscape: &self.race.landscape,
                bounds: self.state.chosen_view(self.race.landscape.view),
                runs: &self.race.runs,
                step,
                colormap: self.state.scene.colormap,
            };
            self.three_d.ui(ui, &mut self.terrain, &scene);
            return;
        }
        let responses = self.maps_ui(ui);
        let note = if let Some(error) = &self.basins.error {
            Some(format!("no basin map: {error}"))
        } else if let Some(error) = self.cloud.error() {
            Some(format!("no noise cloud: {error}"))
        } else if self.map.is_refining() {
            Some("computing the full map…".to_string())
        } else if self.basins.is_refining() {
            Some("computing the basins…".to_string())
        } else if self.cloud.is_refining() {
            Some("computing the noise cloud…".to_string())
        } else {
            None
        };
        if let Some(note) = note
            && let Some(first) = responses.first()
        {
            // Painted over the map's corner, not laid out: the map keeps its size.
            let corner = first.frame.right_top() + egui::vec2(-8.0, 8.0);
            let painter = ui.painter();
            let text = painter.layout(
                note,
                egui::FontId::proportional(theme::SMALLEST_TEXT),
                theme::TEXT,
                first.frame.width() - 24.0,
            );
            let rect = egui::Align2::RIGHT_TOP.anchor_size(corner, text.size());
            painter.rect_filled(rect.expand(4.0), 4.0, theme::HALO);
            painter.galley(rect.min, text, theme::TEXT);
        }
        self.after_maps(ui.ctx(), responses);
    }

    /// The map (overlay) or one map per run (side by side), all sharing one view.
    pub(super) fn maps_ui(&mut self, ui: &mut egui::Ui) -> Vec<MapResponse> {
        let chosen = self.state.chosen_view(self.race.landscape.view);
        let view = &mut self.state.view;
        let reset_to = view.reset_to.take();
        // The map is sampled for the box the plot shows: last frame's, or the one a reset
        // is about to show.
        let shown = match (reset_to, view.shown) {
            (Some(b), Some((rect, _))) => map::fit(b, rect),
            (Some(b), None) => b,
            (None, Some((_, b))) => b,
            (None, None) => chosen,
        };
        let resolution = view.pixels.map(|p| {
            if p == 0 {
                MAX_RESOLUTION
            } else {
                p.min(MAX_RESOLUTION)
            }
        });
        let scene = &self.state.scene;
        self.basins.update(
            ui.ctx(),
            (&self.race.spec, self.race.race()),
            scene.map.as_ref(),
            shown,
        );
        self.map.update(
            ui.ctx(),
            &self.race.landscape,
            shown,
            resolution,
            scene.levels,
            scene.colormap,
        );
        let overlays = scene.overlays;
        let details = (overlays.forces || overlays.model).then(|| self.race.details());
        let step = self.state.clock.step();
        let focused = panels::data_view::focused_run(&self.race, self.dock.data_run)
            .filter(|_| overlays.minibatch);
        let next = focused.and_then(|run| {
            Some((
                run.run,
                panels::data_view::next_batch(&self.race, run, step)?,
            ))
        });
        self.minibatch.update(
            (&self.race.spec, self.race.landscape.data.as_deref()),
            next,
            shown,
            self.map.map().map(|m| m.scale),
        );
        let minibatch = overlays.minibatch.then(|| {
            let race = self.race.race();
            let runs = self
                .race
                .runs
                .iter()
                .filter_map(|run| {
                    let plan = race.batch_plan(run.run).filter(|p| !p.is_full())?;
                    Some(map::minibatch::BatchRun { run, plan })
                })
                .collect();
            let color = focused.map_or(egui::Color32::WHITE, |r| r.color);
            map::minibatch::MinibatchScene {
                runs,
                isolines: (self.minibatch.isolines(), color),
            }
        });
        let map_scene = MapScene {
            landscape: &self.race.landscape,
            cache: &self.map,
            basins: self.basins.layer(),
            cloud: self.cloud.cloud(),
            start: scene.start.unwrap_or(self.race.start),
            step,
            reset_to,
            overlays,
            details,
            minibatch,
        };
        let runs: Vec<&RunView> = self.race.runs.iter().collect();
        match scene.layout {
            Layout::SideBySide => small_multiples_ui(ui, &map_scene, &self.race.runs),
            _ if self.race.landscape.data.is_some() => {
                // A data scene: the parameter map and, beside it, the data the models fit —
                // the two halves of the lesson, both large enough for the back row.
                let area = ui.available_rect_before_wrap();
                let (map_rect, data_rect) = data_split(area);
                let mut map_ui = ui.new_child(egui::UiBuilder::new().max_rect(map_rect));
                let response = map::map_plot(&mut map_ui, "overlay", &map_scene, &runs, false);
                let mut data_ui = ui.new_child(
                    egui::UiBuilder::new()
                        .max_rect(data_rect)
                        .id_salt("data-beside-map"),
                );
                let dock = &mut self.dock;
                dock.data_view = panels::data_view::data_view_ui(
                    &mut data_ui,
                    &self.race,
                    step,
                    &mut dock.data_run,
                );
                self.last.beside = Some(data_rect);
                ui.allocate_rect(area, egui::Sense::hover());
                vec![response]
            }
            _ if phase_beside_map(scene, &self.race) => {
                // The phase diagram is this scene's lesson: beside the map, at a size the
                // back row reads, rather than in the 208-px dock.
                let area = ui.available_rect_before_wrap();
                let (map_rect, side_rect) = data_split(area);
                let mut map_ui = ui.new_child(egui::UiBuilder::new().max_rect(map_rect));
                let response = map::map_plot(&mut map_ui, "overlay", &map_scene, &runs, false);
                let mut side_ui = ui.new_child(
                    egui::UiBuilder::new()
                        .max_rect(side_rect)
                        .id_salt("phase-beside-map"),
                );
                self.dock
                    .phase
                    .ui(&mut side_ui, &self.phase, scene.map.as_ref(), &self.race);
                self.last.beside = Some(side_rect);
                ui.allocate_rect(area, egui::Sense::hover());
                vec![response]
            }
            _ => vec![map::map_plot(ui, "overlay", &map_scene, &runs, false)],
        }
    }

    /// Keep the view the user chose: a resized map shows all of it again; a pan or zoom
    /// becomes the scene's view. A click or drag of the start ring moves the start.
    pub(super) fn after_maps(&mut self, ctx: &egui::Context, responses: Vec<MapResponse>) {
        let resetting = responses.iter().any(|r| r.was_reset);
        if let Some(first) = responses.first()
            && let Some(b) = first.bounds
        {
            let chosen = self.state.chosen_view(self.race.landscape.view);
            let view = &mut self.state.view;
            let resized = view
                .shown
                .is_some_and(|(before, _)| (before.size() - first.frame.size()).length() > 1.0);
            let moved = view.shown.is_some_and(|(_, before)| before != b);
            if resized {
                view.reset_to = Some(chosen);
                ctx.request_repaint();
            } else if moved && !resetting {
                self.state.scene.view = Some(b);
                ctx.request_repaint();
            }
            self.state.view.shown = Some((first.frame, b));
            if first.pixels[0] > 0 {
                self.state.view.pixels = first.pixels;
            }
        }
        self.last.drawn.clear();
        for response in &responses {
            self.last.maps.push(response.frame);
            for name in &response.layers {
                if !self.last.drawn.contains(name) {
                    self.last.drawn.push(name);
                }
            }
        }
        if let Some(start) = responses.iter().find_map(|r| r.new_start) {
            let mut candidate = self.state.scene.clone();
            candidate.start = Some(start);
            self.adopt(candidate);
        }
    }
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
