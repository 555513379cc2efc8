//! Work too slow for a frame, run on another thread: it posts results as they improve (a
//! coarse one first), the UI takes the newest each frame, and dropping the job cancels it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A running piece of work keyed by what it computes.
pub struct Job<K, T> {
    key: K,
    shared: Arc<Shared<T>>,
}

struct Shared<T> {
    cancelled: AtomicBool,
    finished: AtomicBool,
    latest: Mutex<Option<T>>,
}

/// What the work sees: whether to stop, and where to post results.
pub struct Progress<T> {
    shared: Arc<Shared<T>>,
    ctx: egui::Context,
}

impl<T> Progress<T> {
    /// The job was dropped or replaced: stop at the next chance.
    pub fn cancelled(&self) -> bool {
        self.shared.cancelled.load(Ordering::Relaxed)
    }

    /// A result better than the last one; the UI is woken to take it.
    pub fn post(&self, result: T) {
        if let Ok(mut latest) = self.shared.latest.lock() {
            *latest = Some(result);
        }
        self.ctx.request_repaint();
    }
}

impl<K, T: Send + 'static> Job<K, T> {
    /// Start `work` on its own thread.
    pub fn spawn(
        key: K,
        ctx: &egui::Context,
        work: impl FnOnce(&Progress<T>) + Send + 'static,
    ) -> Self {
        let shared = Arc::new(Shared {
            cancelled: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            latest: Mutex::new(None),
        });
        let progress = Progress {
            shared: Arc::clone(&shared),
            ctx: ctx.clone(),
        };
        std::thread::spawn(move || {
            work(&progress);
            progress.shared.finished.store(true, Ordering::Release);
            progress.ctx.request_repaint();
        });
        Self { key, shared }
    }

    pub fn key(&self) -> &K {
        &self.key
    }

    /// The newest result not yet taken.
    pub fn take(&self) -> Option<T> {
        self.shared.latest.lock().ok()?.take()
    }

    /// Ask the work to stop at its next chance.
    pub fn cancel(&self) {
        self.shared.cancelled.store(true, Ordering::Relaxed);
    }

    /// The work has returned (its last result may still be waiting in [`Job::take`]).
    pub fn is_finished(&self) -> bool {
        self.shared.finished.load(Ordering::Acquire)
    }
}

impl<K, T> Drop for Job<K, T> {
    fn drop(&mut self) {
        self.shared.cancelled.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait_until(done: impl Fn() -> bool) {
        let start = Instant::now();
        while !done() {
            assert!(start.elapsed() < Duration::from_secs(10), "timed out");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn results_arrive_newest_first_and_dropping_cancels() {
        let ctx = egui::Context::default();
        let job = Job::spawn("squares", &ctx, |progress| {
            for i in 1..=3u32 {
                progress.post(i * i);
            }
        });
        wait_until(|| job.is_finished());
        assert_eq!(*job.key(), "squares");
        assert_eq!(job.take(), Some(9), "only the newest is kept");
        assert_eq!(job.take(), None);

        let stopped = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&stopped);
        let job = Job::spawn((), &ctx, move |progress: &Progress<()>| {
            wait_until(|| progress.cancelled());
            seen.store(true, Ordering::Relaxed);
        });
        drop(job);
        wait_until(|| stopped.load(Ordering::Relaxed));
    }
}
