//! What every picture of a race shares — the app's map and `descent render` — so the two
//! cannot drift apart: colours, marker colours, the labels of how a run ended, and how far
//! off screen a coordinate may go.
//!
//! Colours are plain sRGB bytes (no GUI types: the core does not depend on egui). Four-byte
//! colours are **straight** (not premultiplied) alpha: `[r, g, b, a]` means `(r, g, b)` at
//! opacity `a / 255`.

use crate::engine::Ending;
use crate::engine::basins::BasinMap;
use crate::engine::phase::PhaseDiagram;
use crate::grid::Colormap;
use crate::race::{Record, Status};
use crate::surface::CriticalKind;

/// The dark halo under every trajectory and marker: it keeps them visible on every colormap.
pub const HALO: [u8; 4] = [0, 0, 0, 200];

/// Isolines: a light line, translucent so the colours underneath still read.
pub const ISOLINE: [u8; 4] = [240, 240, 240, 160];

/// Red for errors and for runs that ended early (diverged, singular).
pub const ALARM: [u8; 3] = [255, 80, 80];

/// Known minima (◆).
pub const MINIMUM_MARK: [u8; 3] = [255, 255, 255];

/// Known saddles and maxima (×).
pub const SADDLE_MARK: [u8; 3] = [255, 200, 120];

/// The start ring.
pub const START_RING: [u8; 3] = [255, 255, 255];

/// Text on a dark panel (legend entries).
pub const TEXT: [u8; 3] = [235, 235, 235];

/// The dark panel behind the legend and the step counter.
pub const PANEL: [u8; 4] = [20, 20, 20, 210];

/// Screen coordinates of glyphs that are not clipped (markers, arrows) are clamped to
/// ±`FAR` pixels, so a point at 10³⁰⁰ still points the right way without astronomical
/// coordinates reaching a tessellator. Paths are clipped instead (see [`crate::polyline`]).
pub const FAR: f32 = 1e5;

/// The colour of a known critical point's marker: [`MINIMUM_MARK`] for minima,
/// [`SADDLE_MARK`] for saddles and maxima.
pub fn critical_color(kind: CriticalKind) -> [u8; 3] {
    match kind {
        CriticalKind::GlobalMinimum | CriticalKind::LocalMinimum => MINIMUM_MARK,
        CriticalKind::Saddle | CriticalKind::Maximum => SADDLE_MARK,
    }
}

/// How a run ended early, if it did: the status and the step of its last record.
pub fn ending(records: &[Record]) -> Option<(Status, u64)> {
    let last = records.last()?;
    last.status
        .is_terminal()
        .then_some((last.status, last.step))
}

/// The words for a run that ended: `"diverged at step 12"`.
pub fn ending_label(status: Status, step: u64) -> String {
    format!("{status} at step {step}")
}

/// A legend entry: the run's label, and how it ended if it did:
/// `"adam  lr=10  (diverged at step 12)"`.
pub fn legend_label(label: &str, ending: Option<(Status, u64)>) -> String {
    match ending {
        Some((status, step)) => format!("{label}  ({})", ending_label(status, step)),
        None => label.to_string(),
    }
}

/// The legend's text colour: [`ALARM`] for a run that ended early, [`TEXT`] otherwise.
pub fn legend_color(ending: Option<(Status, u64)>) -> [u8; 3] {
    if ending.is_some() { ALARM } else { TEXT }
}

// ---- Maps over many runs (basins, phase diagrams, clouds): shared by the app and `descent map`.

/// One hue per known critical point of a basin map, in `Landscape::critical`'s order (the
/// markers of those points take the same hue): Tableau 10 without its red (red is
/// [`DIVERGED_CELL`]) and grey (grey is [`RUNNING_CELL`]), then olive and cyan — ten, enough
/// for Himmelblau's nine critical points — repeating after that.
pub const BASIN_HUES: [[u8; 3]; 10] = [
    [78, 121, 167],  // blue
    [242, 142, 43],  // orange
    [89, 161, 79],   // green
    [176, 122, 161], // purple
    [118, 183, 178], // teal
    [237, 201, 72],  // yellow
    [156, 117, 95],  // brown
    [255, 157, 167], // pink
    [188, 189, 34],  // olive
    [23, 190, 207],  // cyan
];

/// Cells whose run diverged.
pub const DIVERGED_CELL: [u8; 3] = [215, 48, 39];
/// Cells whose run had not reached the tolerance when its steps ran out.
pub const RUNNING_CELL: [u8; 3] = [128, 128, 128];
/// Cells whose run came to rest at no known critical point.
pub const STATIONARY_CELL: [u8; 3] = [70, 70, 70];
/// Cells whose run stopped on a singular Newton system.
pub const SINGULAR_CELL: [u8; 3] = [25, 25, 25];

/// The hue of known critical point `index` (see [`BASIN_HUES`]).
pub fn basin_hue(index: usize) -> [u8; 3] {
    BASIN_HUES[index % BASIN_HUES.len()]
}

/// How slow a run was, in [0, 1]: ln(1 + steps)/ln(1 + budget), 1 when it never got there.
pub fn slowness(steps: Option<u64>, budget: u64) -> f64 {
    match steps {
        Some(s) => ((1.0 + s as f64).ln() / (1.0 + budget.max(1) as f64).ln()).clamp(0.0, 1.0),
        None => 1.0,
    }
}

/// A basin cell's colour: its ending's hue, darkened the slower it reached the tolerance
/// (full brightness at step 0, 40% at the whole budget).
pub fn basin_color(ending: Ending, steps: Option<u64>, budget: u64) -> [u8; 3] {
    match ending {
        Ending::Critical(i) => {
            let k = 1.0 - 0.6 * slowness(steps, budget);
            basin_hue(i).map(|c| (c as f64 * k).round() as u8)
        }
        Ending::Stationary => STATIONARY_CELL,
        Ending::Running => RUNNING_CELL,
        Ending::Diverged => DIVERGED_CELL,
        Ending::Singular => SINGULAR_CELL,
    }
}

/// A phase-diagram cell's colour: viridis by steps to tolerance (yellow fast, purple slow,
/// on the log scale of [`slowness`]) when it converged; else its ending's colour.
pub fn phase_color(ending: Ending, steps: Option<u64>, budget: u64) -> [u8; 3] {
    if ending.converged() {
        Colormap::Viridis.rgb(1.0 - slowness(steps, budget))
    } else {
        basin_color(ending, steps, budget)
    }
}

/// A basin map's RGBA pixels, one per cell, top row first (a texture or a PNG).
pub fn basin_rgba(map: &BasinMap) -> Vec<u8> {
    grid_rgba(&map.cells, map.nx, |c| {
        basin_color(c.outcome, c.steps, map.steps)
    })
}

/// A phase diagram's RGBA pixels, one per cell, top row first.
pub fn phase_rgba(map: &PhaseDiagram) -> Vec<u8> {
    grid_rgba(&map.cells, map.n, |c| {
        phase_color(c.outcome, c.steps, map.steps)
    })
}

/// RGBA of row-major cells stored bottom row first, written top row first.
fn grid_rgba<T>(cells: &[T], nx: usize, color: impl Fn(&T) -> [u8; 3]) -> Vec<u8> {
    let mut out = Vec::with_capacity(cells.len() * 4);
    for row in cells.chunks(nx.max(1)).rev() {
        for c in row {
            let [r, g, b] = color(c);
            out.extend_from_slice(&[r, g, b, 255]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_say_how_a_run_ended() {
        assert_eq!(ending_label(Status::Diverged, 12), "diverged at step 12");
        assert_eq!(legend_label("adam  lr=0.1", None), "adam  lr=0.1");
        assert_eq!(
            legend_label("newton", Some((Status::Singular, 3))),
            "newton  (singular at step 3)"
        );
        assert_eq!(legend_color(Some((Status::Diverged, 1))), ALARM);
        assert_eq!(legend_color(None), TEXT);
    }

    #[test]
    fn only_a_terminal_last_record_is_an_ending() {
        let record = |step, status| Record {
            run: 0,
            step,
            x: 0.0,
            y: 0.0,
            loss: 0.0,
            grad_norm: 0.0,
            lr: 0.1,
            evals: step,
            status,
            data: None,
        };
        assert_eq!(ending(&[]), None);
        let running = [record(0, Status::Running), record(1, Status::Converged)];
        assert_eq!(ending(&running), None);
        let diverged = [record(0, Status::Running), record(1, Status::Diverged)];
        assert_eq!(ending(&diverged), Some((Status::Diverged, 1)));
    }

    #[test]
    fn minima_and_saddles_have_their_own_colours() {
        assert_eq!(critical_color(CriticalKind::LocalMinimum), MINIMUM_MARK);
        assert_eq!(critical_color(CriticalKind::Maximum), SADDLE_MARK);
        assert_ne!(MINIMUM_MARK, SADDLE_MARK);
    }
}
