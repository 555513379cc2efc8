//! The contour map of the current view as a texture and isolines, with the gradient field's
//! lattice: recomputed only when the surface, the view, the resolution, the level count or
//! the colormap changes — never per frame.

use std::time::{Duration, Instant};

use egui::{TextureHandle, TextureOptions};

use crate::P2;
use crate::grid::{Colormap, ContourMap, gradient_field};
use crate::surface::{Bounds, Landscape};

/// The key of a computed map.
#[derive(Clone, Debug, PartialEq)]
struct MapKey {
    surface: String,
    bounds: Bounds,
    resolution: [usize; 2],
    levels: usize,
    colormap: Colormap,
}

/// The map is sampled at most this finely (per side).
pub const MAX_RESOLUTION: usize = 512;

/// Arrows per side of the gradient field.
const FIELD_ARROWS: usize = 21;

/// The contour map of the current view, as a texture and isolines.
#[derive(Default)]
pub struct MapCache {
    key: Option<MapKey>,
    map: Option<ContourMap>,
    texture: Option<TextureHandle>,
    /// How many times the map was computed (a test can check nothing recomputes per frame).
    pub computed: u64,
    /// How long the last recompute took (shown in the Keys tab).
    pub last_compute: Duration,
    /// −∇f on a coarse lattice of the view, and the lattice's cell size.
    pub field: (Vec<(P2, P2)>, f64),
}

impl MapCache {
    /// Make the map match (surface, bounds, resolution, levels, colormap); a no-op when
    /// nothing changed.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        landscape: &Landscape,
        bounds: Bounds,
        resolution: [usize; 2],
        levels: usize,
        colormap: Colormap,
    ) {
        let key = MapKey {
            surface: landscape.spec.clone(),
            bounds,
            resolution: resolution.map(|r| r.clamp(16, MAX_RESOLUTION)),
            levels,
            colormap,
        };
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let started = Instant::now();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let map = ContourMap::compute(
            landscape.surface.as_ref(),
            bounds,
            key.resolution,
            levels,
            threads,
        );
        let cell = (bounds.x[1] - bounds.x[0]).max(bounds.y[1] - bounds.y[0]) / FIELD_ARROWS as f64;
        let lattice = bounds.fit_aspect(1.0);
        self.field = (
            gradient_field(landscape.surface.as_ref(), lattice, FIELD_ARROWS),
            cell,
        );
        let rgba = map.rgba(&colormap.table());
        let image = egui::ColorImage::from_rgba_unmultiplied([map.grid.nx, map.grid.ny], &rgba);
        match &mut self.texture {
            Some(texture) => texture.set(image, TextureOptions::LINEAR),
            None => {
                self.texture = Some(ctx.load_texture("surface-map", image, TextureOptions::LINEAR))
            }
        }
        self.map = Some(map);
        self.key = Some(key);
        self.computed += 1;
        self.last_compute = started.elapsed();
    }

    pub fn map(&self) -> Option<&ContourMap> {
        self.map.as_ref()
    }

    /// The texture and the map it shows, once computed.
    pub fn layers(&self) -> Option<(&TextureHandle, &ContourMap)> {
        Some((self.texture.as_ref()?, self.map.as_ref()?))
    }
}
