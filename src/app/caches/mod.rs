//! What the app derives from the scene, each keyed by what it depends on: the race (rebuilt
//! on every edit), the contour map (on a new surface, view, size, levels or colormap) and the
//! 3D terrain (on a new surface or view), the maps over many runs — basins, the phase
//! diagram, the noise cloud — (on a new race, view or setting); work too slow for a frame
//! runs as the engine's progressive jobs.

mod basins;
mod cloud;
mod map;
mod minibatch;
mod phase;
mod race;
mod terrain;

pub use basins::BasinCache;
pub use cloud::CloudCache;
pub use map::{MAX_RESOLUTION, MapCache};
pub use minibatch::MinibatchCache;
pub use phase::PhaseCache;
pub use race::{DataPoints, RaceView, RunView, log_gap};
pub use terrain::TerrainCache;
