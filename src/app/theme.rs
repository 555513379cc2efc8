//! Type sizes and colours chosen to be read from the back of a lecture hall.

use std::sync::Arc;

use egui::{Color32, FontData, FontDefinitions, FontFamily, FontId, TextStyle};

pub fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// The halo drawn under every trajectory and marker (see [`crate::scene::PALETTE`]).
pub const HALO: Color32 = Color32::from_rgba_premultiplied(0, 0, 0, 200);

/// Isolines: a light line, translucent so the colours underneath still read.
pub const ISOLINE: Color32 = Color32::from_rgba_premultiplied(230, 230, 230, 110);

/// Red for errors and divergence.
pub const ALARM: Color32 = Color32::from_rgb(255, 80, 80);

/// DejaVu Sans and Sans Mono (Bitstream Vera licence, assets/fonts/LICENSE-DejaVu.txt):
/// heavier strokes than egui's default Ubuntu Light read better through a projector, and they
/// cover the math the update rules are written in (∇, √, ⊙, ←, subscripts).
fn fonts() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    for (name, bytes, family) in [
        (
            "DejaVuSans",
            &include_bytes!("../../assets/fonts/DejaVuSans.ttf")[..],
            FontFamily::Proportional,
        ),
        (
            "DejaVuSansMono",
            &include_bytes!("../../assets/fonts/DejaVuSansMono.ttf")[..],
            FontFamily::Monospace,
        ),
    ] {
        fonts
            .font_data
            .insert(name.into(), Arc::new(FontData::from_static(bytes)));
        fonts
            .families
            .entry(family)
            .or_default()
            .insert(0, name.into());
    }
    // Anything neither has falls back to DejaVu Sans, then egui's own fonts.
    if let Some(mono) = fonts.families.get_mut(&FontFamily::Monospace) {
        mono.insert(1, "DejaVuSans".into());
    }
    fonts
}

/// Larger type than egui's defaults (12.5 pt body), for projectors.
pub fn apply(ctx: &egui::Context) {
    ctx.set_fonts(fonts());
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(13.0)),
            (TextStyle::Body, FontId::proportional(16.0)),
            (TextStyle::Button, FontId::proportional(16.0)),
            (TextStyle::Heading, FontId::proportional(22.0)),
            (TextStyle::Monospace, FontId::monospace(15.0)),
        ]
        .into();
        style.spacing.slider_width = 170.0;
        style.spacing.interact_size.y = 26.0;
    });
}

/// A slider that never changes a value it did not set: a scene file may hold values beyond
/// the slider's range (a speed of 5000, an lr of 50), and showing them must not clamp them.
/// Dragging still stays within the range.
pub fn slider<Num: egui::emath::Numeric>(
    value: &mut Num,
    range: std::ops::RangeInclusive<Num>,
) -> egui::Slider<'_> {
    egui::Slider::new(value, range).clamping(egui::SliderClamping::Edits)
}
