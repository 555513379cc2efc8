//! Type sizes and colours chosen to be read from the back of a lecture hall.

use std::sync::Arc;

use egui::{Color32, FontData, FontDefinitions, FontFamily, FontId, TextStyle};

use crate::style;

pub const fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// A straight-alpha sRGBA colour of the core's (as `descent render` paints it).
const fn rgba(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied_const(c[0], c[1], c[2], c[3])
}

/// The halo drawn under every trajectory and marker (the colours the app and `descent
/// render` share are [`crate::style`]'s).
pub const HALO: Color32 = rgba(style::HALO);

/// Isolines: a light line, translucent so the colours underneath still read.
pub const ISOLINE: Color32 = rgba(style::ISOLINE);

/// Red for errors and divergence.
pub const ALARM: Color32 = rgb(style::ALARM);

/// Known minima (◆).
pub const MINIMUM: Color32 = rgb(style::MINIMUM_MARK);

/// Saddles and maxima (×).
pub const SADDLE: Color32 = rgb(style::SADDLE_MARK);

/// The start ring.
pub const START: Color32 = rgb(style::START_RING);

/// Body text on the dark panels: 13.2:1 against them (WCAG AA asks 4.5:1; a test checks).
pub const TEXT: Color32 = Color32::from_gray(225);

/// Secondary text (formulas, notes): 8.8:1 against the panels.
pub const NOTE: Color32 = Color32::from_gray(185);

/// A number in at most about 7 characters.
pub fn short(v: f64) -> String {
    if v == 0.0 || (1e-3..1e5).contains(&v.abs()) {
        format!("{v:.4}")
    } else {
        format!("{v:.3e}")
    }
}

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

/// The smallest text anywhere: 14 px, readable from the back row at 1280×720.
pub const SMALLEST_TEXT: f32 = 14.0;

/// Larger type than egui's defaults (12.5 pt body) and brighter text, for projectors.
pub fn apply(ctx: &egui::Context) {
    ctx.set_fonts(fonts());
    ctx.all_styles_mut(|style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = TEXT;
        style.visuals.widgets.inactive.fg_stroke.color = TEXT;
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(SMALLEST_TEXT)),
            (TextStyle::Body, FontId::proportional(16.0)),
            (TextStyle::Button, FontId::proportional(16.0)),
            (TextStyle::Heading, FontId::proportional(22.0)),
            (TextStyle::Monospace, FontId::monospace(15.0)),
        ]
        .into();
        style.spacing.slider_width = 100.0;
        style.spacing.indent = 12.0;
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

/// A log slider's value in at most four significant digits and as few characters as that
/// takes (`0.001`, `2.5e-5`, `10`), so the value box stays narrow whatever the range.
pub fn compact(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    if (1e-3..1e5).contains(&v.abs()) {
        let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
        let fixed = format!("{v:.digits$}");
        if fixed.contains('.') {
            fixed
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        } else {
            fixed
        }
    } else {
        let e = format!("{v:.3e}");
        let (mantissa, exponent) = e.split_once('e').unwrap_or((&e, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers_keep_four_significant_digits() {
        for (v, text) in [
            (0.001, "0.001"),
            (0.0395, "0.0395"),
            (0.075, "0.075"),
            (1.0, "1"),
            (12.5, "12.5"),
            (0.123456, "0.1235"),
            (2.5e-5, "2.5e-5"),
            (1e-8, "1e-8"),
            (0.0, "0"),
            (250000.0, "2.5e5"),
        ] {
            assert_eq!(compact(v), text);
            let back: f64 = text.parse().unwrap();
            assert!((back - v).abs() <= 5e-4 * v.abs(), "{text} reads back");
        }
    }

    /// The WCAG 2 contrast ratio of two opaque colours, (L₁ + 0.05)/(L₂ + 0.05) with L the
    /// relative luminance of sRGB (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
    pub fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let linear = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * linear(c.r()) + 0.7152 * linear(c.g()) + 0.0722 * linear(c.b())
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn text_reads_on_the_panels_and_under_the_map_labels() {
        let panel = egui::Visuals::dark().panel_fill;
        assert!(contrast(TEXT, panel) >= 13.0, "{}", contrast(TEXT, panel));
        assert!(contrast(NOTE, panel) >= 8.5, "{}", contrast(NOTE, panel));
        assert!(contrast(ALARM, panel) >= 4.5, "{}", contrast(ALARM, panel));
        // Black on white is 21:1, a colour against itself 1:1.
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-3);
        assert_eq!(contrast(ALARM, ALARM), 1.0);
    }
}
