//! The playback bar: Play/Pause (a fixed width, so nothing beside it jumps), Step, Reset,
//! the speed, and the timeline filling the rest.

use egui::RichText;

use super::super::state::Clock;
use super::super::theme;

/// The bar; edits the clock and the scene's speed.
pub fn playback_ui(ui: &mut egui::Ui, clock: &mut Clock, speed: &mut f64, steps: u64) {
    profiling::function_scope!();
    ui.horizontal(|ui| {
        let play = if clock.is_playing() { "Pause" } else { "Play" };
        let button =
            egui::Button::new(RichText::new(play).size(20.0)).min_size(egui::vec2(92.0, 0.0));
        if ui
            .add(button)
            .on_hover_text("play / pause (Space)")
            .clicked()
        {
            clock.toggle(steps);
        }
        if ui.button("Step").on_hover_text("one step (→)").clicked() {
            clock.single_step(steps);
        }
        if ui
            .button("Reset")
            .on_hover_text("back to step 0 (R)")
            .clicked()
        {
            clock.reset();
        }
        ui.add(
            theme::slider(speed, 1.0..=1000.0)
                .logarithmic(true)
                .text("steps/s"),
        );
        let mut step = clock.step();
        let counter = format!("of {steps}");
        let counter_width = 16.0 + 10.0 * counter.len() as f32;
        ui.spacing_mut().slider_width = (ui.available_width() - counter_width - 130.0).max(80.0);
        let timeline = ui.add(theme::slider(&mut step, 0..=steps).text("step").integer());
        ui.label(counter);
        if timeline.changed() {
            clock.scrub(step);
        }
    });
}
