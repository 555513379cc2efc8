//! Maps computed off the UI thread: a [`Job`] runs its passes (a coarse grid first, then the
//! full one) on a thread of its own, publishes each finished pass, and stops when cancelled
//! or dropped. The app polls [`Job::latest`] every frame and restarts the job when an input
//! changes.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use super::basins::BasinMap;
use super::cloud::Cloud;
use super::phase::{PhaseDiagram, PhaseGrid};
use super::{Batch, Progress, default_threads};
use crate::race::RaceSpec;
use crate::surface::Bounds;

/// Cells per side of a basin map's or phase diagram's first, coarse pass (32² runs of 500
/// steps take a few tens of milliseconds).
pub const COARSE_CELLS: usize = 32;
/// Copies in a cloud's first pass.
pub const COARSE_COPIES: usize = 16;

/// A computation in the background, published pass by pass.
pub struct Job<T> {
    progress: Progress,
    latest: Arc<Mutex<Latest<T>>>,
    handle: Option<JoinHandle<()>>,
}

struct Latest<T> {
    result: Option<Arc<T>>,
    /// Passes finished so far.
    passes: usize,
    /// Whether the last pass has finished (or the job stopped early).
    finished: bool,
}

impl<T: Send + Sync + 'static> Job<T> {
    /// Run `pass(0, …)`, `pass(1, …)`, … `pass(passes − 1, …)` on a new thread, publishing each
    /// result; `notify` is called after each (e.g. to request a repaint). A pass returning
    /// `None` (cancelled) ends the job. `runs`: the runs of all passes, for [`Job::fraction`].
    pub fn spawn(
        passes: usize,
        runs: usize,
        pass: impl Fn(usize, &Progress) -> Option<T> + Send + 'static,
        notify: impl Fn() + Send + 'static,
    ) -> Self {
        let progress = Progress::new();
        progress.announce(runs);
        let latest = Arc::new(Mutex::new(Latest {
            result: None,
            passes: 0,
            finished: passes == 0,
        }));
        let handle = {
            let (progress, latest) = (progress.clone(), Arc::clone(&latest));
            std::thread::Builder::new()
                .name("descent-map".into())
                .spawn(move || {
                    for k in 0..passes {
                        let result = pass(k, &progress);
                        let mut l = latest.lock().unwrap_or_else(PoisonError::into_inner);
                        match result {
                            Some(r) => {
                                l.result = Some(Arc::new(r));
                                l.passes = k + 1;
                                l.finished = k + 1 == passes;
                            }
                            None => l.finished = true,
                        }
                        let stop = l.finished;
                        drop(l);
                        notify();
                        if stop {
                            break;
                        }
                    }
                })
                .ok()
        };
        Self {
            progress,
            latest,
            handle,
        }
    }

    /// The most refined result so far (the coarse pass's until the full one is done).
    pub fn latest(&self) -> Option<Arc<T>> {
        self.lock().result.clone()
    }

    /// Passes finished so far.
    pub fn passes_done(&self) -> usize {
        self.lock().passes
    }

    /// Passes finished, whether nothing more will come, and the newest result — read
    /// together, so a pass published meanwhile cannot make them disagree.
    pub fn snapshot(&self) -> (usize, bool, Option<Arc<T>>) {
        let ended = self.handle.as_ref().is_none_or(JoinHandle::is_finished);
        let l = self.lock();
        (l.passes, l.finished || ended, l.result.clone())
    }

    /// Whether nothing more will come (every pass done, or cancelled).
    /// A thread that ended without marking the job finished (a pass panicked) counts as
    /// finished too, so nothing waits for it forever.
    pub fn is_finished(&self) -> bool {
        self.lock().finished || self.handle.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Runs finished over runs announced, over all passes.
    pub fn fraction(&self) -> f64 {
        self.progress.fraction()
    }

    /// Stop after the current chunk of runs; the latest result stays available.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// Cancel and wait for the thread to stop.
    pub fn join(mut self) -> Option<Arc<T>> {
        self.progress.cancel();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.latest()
    }

    /// Wait for every pass to finish, without cancelling.
    pub fn wait(mut self) -> Option<Arc<T>> {
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.latest()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Latest<T>> {
        self.latest.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Dropping a job cancels it; its thread stops within a chunk of runs, unjoined.
impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.progress.cancel();
    }
}

/// The sizes of a progressive grid's passes: a coarse one when it is smaller, then the full.
fn grid_passes(n: usize, coarse: usize) -> Vec<usize> {
    if n > coarse { vec![coarse, n] } else { vec![n] }
}

impl Job<BasinMap> {
    /// A basin map of `n × n` cells over `bounds`, after a coarse pass of [`COARSE_CELLS`]².
    pub fn basins(
        batch: Batch,
        seed: u64,
        bounds: Bounds,
        n: usize,
        notify: impl Fn() + Send + 'static,
    ) -> Self {
        let sizes = grid_passes(n, COARSE_CELLS);
        let total: usize = sizes.iter().map(|s| s * s).sum();
        Self::spawn(
            sizes.len(),
            total,
            move |k, progress| {
                let s = sizes[k];
                BasinMap::compute(&batch, seed, bounds, [s, s], default_threads(), progress)
            },
            notify,
        )
    }
}

impl Job<PhaseDiagram> {
    /// A phase diagram of `n × n` cells, after a coarse pass of [`COARSE_CELLS`]² (check the
    /// axes first with [`PhaseDiagram::check`]).
    pub fn phase(batch: Batch, grid: PhaseGrid, notify: impl Fn() + Send + 'static) -> Self {
        let sizes = grid_passes(grid.n, COARSE_CELLS);
        let total: usize = sizes.iter().map(|s| s * s).sum();
        Self::spawn(
            sizes.len(),
            total,
            move |k, progress| {
                let grid = PhaseGrid {
                    n: sizes[k],
                    ..grid
                };
                PhaseDiagram::compute(&batch, grid, default_threads(), progress)
            },
            notify,
        )
    }
}

impl Job<Cloud> {
    /// The clouds of every racer of a race with `copies` copies, after a first pass of
    /// [`COARSE_COPIES`]. `spec` must build (the app's race already did).
    pub fn cloud(
        spec: RaceSpec,
        copies: usize,
        tol: f64,
        notify: impl Fn() + Send + 'static,
    ) -> Self {
        let sizes = grid_passes(copies, COARSE_COPIES);
        let racers = spec.optimizers.len();
        let total: usize = sizes.iter().sum::<usize>() * racers;
        Self::spawn(
            sizes.len(),
            total,
            move |k, progress| {
                let race = spec.build().ok()?;
                Cloud::compute(&race, sizes[k], tol, default_threads(), progress)
            },
            notify,
        )
    }
}
