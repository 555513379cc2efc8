//! Colours: the perceptually uniform colormaps and a grid coloured by its scale.

use super::sampling::{Grid, Scale};

/// A perceptually uniform colormap (the matplotlib maps of van der Walt & Smith, and
/// cividis for colour-vision deficiency), as a 256-entry table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Colormap {
    #[default]
    Viridis,
    Cividis,
    Magma,
    Inferno,
    Plasma,
}

impl Colormap {
    pub const ALL: [Colormap; 5] = [
        Self::Viridis,
        Self::Cividis,
        Self::Magma,
        Self::Inferno,
        Self::Plasma,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Viridis => "viridis",
            Self::Cividis => "cividis",
            Self::Magma => "magma",
            Self::Inferno => "inferno",
            Self::Plasma => "plasma",
        }
    }

    /// The colour at `u ∈ [0, 1]`.
    pub fn rgb(self, u: f64) -> [u8; 3] {
        let gradient = match self {
            Self::Viridis => colorous::VIRIDIS,
            Self::Cividis => colorous::CIVIDIS,
            Self::Magma => colorous::MAGMA,
            Self::Inferno => colorous::INFERNO,
            Self::Plasma => colorous::PLASMA,
        };
        let c = gradient.eval_continuous(u.clamp(0.0, 1.0));
        [c.r, c.g, c.b]
    }

    /// 256 evenly spaced colours.
    pub fn table(self) -> [[u8; 3]; 256] {
        std::array::from_fn(|k| self.rgb(k as f64 / 255.0))
    }
}

/// Where f is not finite (an overflowing formula), the map shows this grey.
pub const NOT_FINITE_RGB: [u8; 3] = [60, 60, 60];

/// The grid as an RGBA image, top row first (image order), coloured by `scale` through
/// `table` (see [`Colormap::table`]).
pub fn colorize(grid: &Grid, scale: &Scale, table: &[[u8; 3]; 256]) -> Vec<u8> {
    let unit = scale.unit_f32();
    let units: Vec<f32> = grid.values.iter().map(|&f| unit(f)).collect();
    colorize_units(&units, grid.nx, table)
}

/// RGBA, top row first, from positions on the scale (row 0 = bottom, as in [`Grid`]).
pub fn colorize_units(units: &[f32], nx: usize, table: &[[u8; 3]; 256]) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(units.len() * 4);
    for row in units.chunks(nx.max(1)).rev() {
        for &u in row {
            let [r, g, b] = if u.is_nan() {
                NOT_FINITE_RGB
            } else {
                table[(u * 255.0).round() as usize]
            };
            rgba.extend_from_slice(&[r, g, b, 255]);
        }
    }
    rgba
}
