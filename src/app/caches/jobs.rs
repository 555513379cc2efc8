//! An engine job kept for one key: started when the key changes, polled every frame for its
//! newest pass, and waited for in the frame that asks when the app shows maps
//! deterministically (tests and `--screenshot`).

use std::sync::Arc;

use crate::engine::job::Job;

/// A progressive job and the newest result it published, restarted when its key changes.
pub struct KeyedJob<K, T> {
    key: Option<K>,
    job: Option<Job<T>>,
    /// Passes of the job already taken.
    shown: usize,
    latest: Option<Arc<T>>,
    /// Why the job could not start (the settings were refused).
    error: Option<String>,
    /// Wait for every pass in the frame that asks, instead of taking passes as they come.
    wait: bool,
}

impl<K: PartialEq, T: Send + Sync + 'static> KeyedJob<K, T> {
    /// `background`: take passes as they come; otherwise wait for each job to finish.
    pub fn new(background: bool) -> Self {
        Self {
            key: None,
            job: None,
            shown: 0,
            latest: None,
            error: None,
            wait: !background,
        }
    }

    /// Drop the job and its result (the scene no longer asks for this map).
    pub fn clear(&mut self) {
        *self = Self::new(!self.wait);
    }

    /// Keep the job for `key`, starting a new one with `start` when the key changed (the
    /// last result stays until the new job's first pass). Returns whether a new pass
    /// arrived.
    pub fn follow(&mut self, key: K, start: impl FnOnce() -> Result<Job<T>, String>) -> bool {
        if self.key.as_ref() != Some(&key) {
            self.key = Some(key);
            self.job = None;
            self.shown = 0;
            match start() {
                Ok(job) => {
                    self.job = Some(job);
                    self.error = None;
                }
                Err(e) => {
                    self.error = Some(e);
                    self.latest = None;
                }
            }
        }
        let Some(job) = &self.job else {
            return false;
        };
        while self.wait && !job.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let passes = job.passes_done();
        if passes > self.shown
            && let Some(result) = job.latest()
        {
            self.shown = passes;
            self.latest = Some(result);
            return true;
        }
        false
    }

    /// The most refined result so far.
    pub fn latest(&self) -> Option<&T> {
        self.latest.as_deref()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether a finer pass is still coming.
    pub fn is_refining(&self) -> bool {
        self.job.as_ref().is_some_and(|job| !job.is_finished())
    }
}
