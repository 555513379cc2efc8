//! The contour map of the current view as a texture and isolines, with the gradient field's
//! lattice: recomputed only when the surface, the view, the resolution, the level count or
//! the colormap changes — never per frame. A surface too slow to map within a frame (a loss
//! over many data points) is mapped on another thread: a coarse map first, then the full one,
//! while the last map stays on screen.

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{TextureHandle, TextureOptions};

use super::super::jobs::{KeyedJob, Start};
use crate::P2;
use crate::engine::job::Job;
use crate::grid::{Colormap, ContourMap, gradient_field};
use crate::landscape::Landscape;
use crate::surface::{Bounds, Surface};

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

/// A map estimated to take longer than this is computed off the UI thread.
const FRAME_BUDGET: Duration = Duration::from_millis(12);

/// A map computed for a key, with the field's lattice.
struct Computed {
    map: ContourMap,
    field: (Vec<(P2, P2)>, f64),
}

/// The contour map of the current view, as a texture and isolines.
pub struct MapCache {
    job: KeyedJob<MapKey, Computed>,
    /// Maps estimated to take longer than this are computed off the UI thread.
    budget: Duration,
    texture: Option<TextureHandle>,
    /// How many times the map was computed (a test can check nothing recomputes per frame).
    pub computed: u64,
    /// How long the last map computed in the frame took (shown in the Keys tab).
    pub last_compute: Duration,
    /// −∇f on a coarse lattice of the view, and the lattice's cell size.
    pub field: (Vec<(P2, P2)>, f64),
}

impl Default for MapCache {
    fn default() -> Self {
        Self::with_budget(FRAME_BUDGET)
    }
}

impl MapCache {
    /// A cache that computes maps estimated above `budget` off the UI thread.
    pub fn with_budget(budget: Duration) -> Self {
        Self {
            job: KeyedJob::new(true),
            budget,
            texture: None,
            computed: 0,
            last_compute: Duration::ZERO,
            field: (Vec::new(), 1.0),
        }
    }

    /// Make the map match (surface, bounds, resolution, levels, colormap); a no-op when
    /// nothing changed. A slow surface's map is started on another thread and shown when
    /// ready, coarse first; until then the last map stays.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        landscape: &Arc<Landscape>,
        bounds: Bounds,
        resolution: [usize; 2],
        levels: usize,
        colormap: Colormap,
    ) {
        profiling::function_scope!();
        let key = MapKey {
            surface: landscape.identity(),
            bounds,
            resolution: resolution.map(|r| r.clamp(16, MAX_RESOLUTION)),
            levels,
            colormap,
        };
        let mut timed = None;
        let fresh = self.job.follow(key.clone(), || {
            let (start, took) = start(ctx, landscape, &key, self.budget);
            timed = took;
            Ok(start)
        });
        if let Some(took) = timed {
            self.last_compute = took;
        }
        if fresh && let Some(computed) = self.job.latest() {
            let rgba = computed.map.rgba(&colormap.table());
            let [nx, ny] = [computed.map.grid.nx, computed.map.grid.ny];
            let image = egui::ColorImage::from_rgba_unmultiplied([nx, ny], &rgba);
            match &mut self.texture {
                Some(texture) => texture.set(image, TextureOptions::LINEAR),
                None => {
                    let texture = ctx.load_texture("surface-map", image, TextureOptions::LINEAR);
                    self.texture = Some(texture);
                }
            }
            self.field.clone_from(&computed.field);
            self.computed += 1;
        }
    }

    /// A map is being computed off the UI thread (the one shown is older or coarse).
    pub fn is_refining(&self) -> bool {
        self.job.is_refining()
    }

    pub fn map(&self) -> Option<&ContourMap> {
        self.job.latest().map(|c| &c.map)
    }

    /// The texture and the map it shows, once computed.
    pub fn layers(&self) -> Option<(&TextureHandle, &ContourMap)> {
        Some((self.texture.as_ref()?, self.map()?))
    }
}

/// Compute the map for `key` now if it is quick (and say how long it took), else start it on
/// another thread: a 4× coarser map, then the full one (a cancelled job stops between them).
fn start(
    ctx: &egui::Context,
    landscape: &Arc<Landscape>,
    key: &MapKey,
    budget: Duration,
) -> (Start<Computed>, Option<Duration>) {
    let started = Instant::now();
    let estimate = estimated_cost(landscape.surface.as_ref(), key.bounds, key.resolution);
    if estimate <= budget {
        let computed = compute(landscape.surface.as_ref(), key, threads());
        return (Start::Now(computed), Some(started.elapsed()));
    }
    let surface = Arc::clone(landscape);
    let key = key.clone();
    // One core is left to the UI.
    let threads = threads().saturating_sub(1).max(1);
    let repaint = ctx.clone();
    let pass = move |pass, progress: &crate::engine::Progress| {
        if progress.is_cancelled() {
            return None;
        }
        let coarse = |r: usize| if pass == 1 { r } else { (r / 4).max(16) };
        let pass_key = MapKey {
            resolution: key.resolution.map(coarse),
            ..key.clone()
        };
        Some(compute(surface.surface.as_ref(), &pass_key, threads))
    };
    let job = Job::spawn(2, 0, pass, move || repaint.request_repaint());
    (Start::Later(job), None)
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// The map and field lattice for `key`.
fn compute(surface: &dyn Surface, key: &MapKey, threads: usize) -> Computed {
    let bounds = key.bounds;
    let map = ContourMap::compute(surface, bounds, key.resolution, key.levels, threads);
    let cell = (bounds.x[1] - bounds.x[0]).max(bounds.y[1] - bounds.y[0]) / FIELD_ARROWS as f64;
    let lattice = bounds.fit_aspect(1.0);
    Computed {
        map,
        field: (gradient_field(surface, lattice, FIELD_ARROWS), cell),
    }
}

/// How long sampling `surface` on a `resolution` grid would take on this machine, from the
/// time of a few evaluations across `bounds` (the isolines cost about as much again).
fn estimated_cost(surface: &dyn Surface, bounds: Bounds, resolution: [usize; 2]) -> Duration {
    const PROBES: usize = 8;
    let started = Instant::now();
    let mut sink = 0.0;
    for i in 0..PROBES {
        for j in 0..PROBES {
            let t =
                |k: usize, [lo, hi]: [f64; 2]| lo + (hi - lo) * (k as f64 + 0.5) / PROBES as f64;
            sink += surface.value(P2::new(t(i, bounds.x), t(j, bounds.y)));
        }
    }
    std::hint::black_box(sink);
    let per_value = started.elapsed().as_secs_f64() / (PROBES * PROBES) as f64;
    let cells = (resolution[0] * resolution[1]) as f64;
    Duration::from_secs_f64(2.0 * per_value * cells / threads() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait_for_full(cache: &mut MapCache, ctx: &egui::Context, args: &Args) -> Vec<usize> {
        let mut widths = Vec::new();
        let start = Instant::now();
        loop {
            let before = cache.computed;
            cache.update(ctx, &args.0, args.1, args.2, 10, Colormap::Viridis);
            if cache.computed > before {
                widths.push(cache.map().unwrap().grid.nx);
            }
            if !cache.is_refining() {
                return widths;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    type Args = (Arc<Landscape>, Bounds, [usize; 2]);

    #[test]
    fn a_slow_map_comes_coarse_first_then_full_off_the_ui_thread() {
        let ctx = egui::Context::default();
        let landscape = Arc::new(Landscape::parse("himmelblau").unwrap());
        let args = (Arc::clone(&landscape), landscape.view, [256, 192]);
        // A zero budget sends every map to the job, as a slow surface's would be.
        let mut cache = MapCache::with_budget(Duration::ZERO);
        cache.update(&ctx, &args.0, args.1, args.2, 10, Colormap::Viridis);
        assert!(cache.is_refining(), "the frame did not wait for the map");
        let widths = wait_for_full(&mut cache, &ctx, &args);
        assert_eq!(widths.last(), Some(&256), "ends at full resolution");
        assert!(widths.iter().all(|&w| w == 64 || w == 256), "{widths:?}");
        // Moved and back while the job for the move runs: that job is stopped and its maps
        // are never shown; the full map on screen already fits.
        let moved = (
            Arc::clone(&landscape),
            landscape.view.fit_aspect(2.0),
            [200, 100],
        );
        cache.update(&ctx, &moved.0, moved.1, moved.2, 10, Colormap::Viridis);
        assert!(cache.is_refining());
        assert!(wait_for_full(&mut cache, &ctx, &args).is_empty());
        assert_eq!(cache.map().unwrap().grid.nx, 256);
        // Moved for good: after the coarse map, the full one.
        // (A coarse map may be overtaken by the full one before a frame takes it.)
        let widths = wait_for_full(&mut cache, &ctx, &moved);
        assert!(widths.ends_with(&[200]) && widths.len() <= 2, "{widths:?}");
        assert!(widths.iter().all(|&w| w == 50 || w == 200), "{widths:?}");
        let widths = wait_for_full(&mut cache, &ctx, &args);
        assert!(widths.ends_with(&[256]), "{widths:?}");
        // Then nothing more is computed for the same key.
        let done = cache.computed;
        cache.update(&ctx, &args.0, args.1, args.2, 10, Colormap::Viridis);
        assert_eq!((cache.computed, cache.is_refining()), (done, false));
        // The same map as computed on the UI thread.
        let mut direct = MapCache::default();
        direct.update(&ctx, &args.0, args.1, args.2, 10, Colormap::Viridis);
        assert!(
            !direct.is_refining(),
            "himmelblau is fast: mapped in the frame"
        );
        assert_eq!(
            direct.map().unwrap().grid.values,
            cache.map().unwrap().grid.values
        );
    }
}
