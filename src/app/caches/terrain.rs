//! The 3D view's terrain, sampled once per (surface, view box, height scale).

use crate::landscape::Landscape;
use crate::surface::Bounds;
use crate::terrain::{Heights, Terrain};

/// Lattice nodes per side of the 3D view's terrain.
const NODES: usize = 48;

/// The terrain of the last (surface, view) the 3D view showed.
#[derive(Default)]
pub struct TerrainCache {
    terrain: Option<((String, Bounds, Heights), Terrain)>,
}

impl TerrainCache {
    /// The terrain of `landscape` over `bounds` with `heights`, sampled only when one of
    /// them changed.
    pub fn get(&mut self, landscape: &Landscape, bounds: Bounds, heights: Heights) -> &Terrain {
        let key = (landscape.identity(), bounds, heights);
        if self.terrain.as_ref().is_some_and(|(k, _)| *k != key) {
            self.terrain = None;
        }
        let (_, terrain) = self.terrain.get_or_insert_with(|| {
            let terrain = Terrain::sample(landscape.surface.as_ref(), bounds, NODES, heights);
            (key, terrain)
        });
        terrain
    }
}
