//! The one way the app derives anything off the UI thread: a [`KeyedJob`] follows a key (what
//! the result depends on) and runs the core's progressive [`Job`] for it — a coarse pass
//! first, then the full one — taking each finished pass as it arrives, with the job's
//! progress and cancellation. The map, the basins, the phase diagram, the noise cloud, a
//! racer's lr search and an export are each a thin use of it.
//!
//! At most one job runs per `KeyedJob`: when the key changes, the running job is cancelled
//! and the next one starts once it has stopped (its end wakes a frame), so a drag across a
//! slow surface never piles up threads. The last key whose job finished is remembered: going
//! back to it (a colormap tried and undone) shows its result again without recomputing.
//!
//! With `wait` (the maps in tests and `--screenshot`), every job is waited for in the frame
//! that starts it, so the same scene always shows the same picture.

use std::sync::Arc;
use std::time::Duration;

use crate::engine::job::Job;

/// How a job for a new key begins: its result computed at once (cheap enough for the frame),
/// or a background job.
pub enum Start<T> {
    Now(T),
    Later(Job<T>),
}

impl<T> From<Job<T>> for Start<T> {
    fn from(job: Job<T>) -> Self {
        Self::Later(job)
    }
}

/// A job under way, its key, the passes of it already taken, and whether it was cancelled
/// (a cancelled job's passes are never taken, even if its key is asked for again).
struct Running<K, T> {
    key: K,
    job: Job<T>,
    taken: usize,
    cancelled: bool,
}

/// A background job kept for one key, and the newest result it published.
pub struct KeyedJob<K, T> {
    /// The key asked for last.
    key: Option<K>,
    /// The running job: for the key asked for, or cancelled and winding down.
    running: Option<Running<K, T>>,
    /// The newest result taken (a coarse pass until the full one arrives).
    latest: Option<Arc<T>>,
    /// The key `latest` was computed for.
    latest_key: Option<K>,
    /// The last key whose job ran to its end, and that final result.
    done: Option<(K, Arc<T>)>,
    /// Why the job for this key could not start.
    refused: Option<(K, String)>,
    /// Wait for each job in the frame that starts it.
    wait: bool,
}

impl<K: Clone + PartialEq, T: Send + Sync + 'static> KeyedJob<K, T> {
    /// `background`: take passes as they come; otherwise wait for each job to finish.
    pub fn new(background: bool) -> Self {
        Self {
            key: None,
            running: None,
            latest: None,
            latest_key: None,
            done: None,
            refused: None,
            wait: !background,
        }
    }

    /// Drop every job and result (the scene no longer asks for this).
    pub fn clear(&mut self) {
        *self = Self::new(!self.wait);
    }

    /// Keep the result for `key` coming: take the newest pass of its job, or start one with
    /// `start` when neither a result nor a job for `key` is at hand (and no older job is
    /// still stopping). The last result stays until the new job's first pass. Returns
    /// whether a new result arrived.
    pub fn follow(&mut self, key: K, start: impl FnOnce() -> Result<Start<T>, String>) -> bool {
        let mut fresh = self.take_passes(&key);
        if self.key.as_ref() != Some(&key) {
            self.key = Some(key.clone());
            if let Some((done_key, result)) = &self.done
                && *done_key == key
                && !self.latest.as_ref().is_some_and(|l| Arc::ptr_eq(l, result))
            {
                self.latest = Some(Arc::clone(result));
                self.latest_key = Some(key.clone());
                fresh = true;
            }
        }
        let at_hand = |k: Option<&K>| k == Some(&key);
        let running = self.running.as_ref().filter(|r| !r.cancelled);
        let needed = !at_hand(self.done.as_ref().map(|(k, _)| k))
            && !at_hand(running.map(|r| &r.key))
            && !at_hand(self.refused.as_ref().map(|(k, _)| k));
        if !needed {
            return fresh;
        }
        if let Some(old) = self.running.take_if(|_| self.wait) {
            old.job.join();
        }
        if self.running.is_some() {
            return fresh; // The cancelled job's end wakes the frame that starts this one.
        }
        match start() {
            Ok(Start::Now(result)) => {
                let result = Arc::new(result);
                self.latest = Some(Arc::clone(&result));
                self.latest_key = Some(key.clone());
                self.done = Some((key, result));
                self.refused = None;
                true
            }
            Ok(Start::Later(job)) => {
                self.running = Some(Running {
                    key: key.clone(),
                    job,
                    taken: 0,
                    cancelled: false,
                });
                self.refused = None;
                // In the background its passes are taken from the next frame on.
                (self.wait && self.take_passes(&key)) || fresh
            }
            Err(e) => {
                self.refused = Some((key, e));
                self.latest = None;
                true
            }
        }
    }

    /// Take the newest pass of the job for `key` (waiting for its end with `wait`); cancel a
    /// job for another key; when the job for `key` has ended, its last result is the key's
    /// final one (none: the job failed, and is not started again for this key).
    fn take_passes(&mut self, key: &K) -> bool {
        let Some(running) = &mut self.running else {
            return false;
        };
        let current = !running.cancelled && running.key == *key;
        if !current && !running.cancelled {
            running.job.cancel();
            running.cancelled = true;
        }
        while current && self.wait && !running.job.is_finished() {
            std::thread::sleep(Duration::from_millis(2));
        }
        let (passes, finished, result) = running.job.snapshot();
        let mut fresh = false;
        if current && passes > running.taken {
            running.taken = passes;
            self.latest.clone_from(&result);
            self.latest_key = Some(key.clone());
            fresh = true;
        }
        if current && finished {
            match result {
                Some(result) => self.done = Some((key.clone(), result)),
                None => self.refused = Some((key.clone(), "stopped before a result".into())),
            }
        }
        if finished {
            self.running = None;
        }
        fresh
    }

    /// The job for the key asked for last, if one is under way.
    fn current(&self) -> Option<&Job<T>> {
        let running = self.running.as_ref()?;
        (!running.cancelled && self.key.as_ref() == Some(&running.key)).then_some(&running.job)
    }

    /// The most refined result so far for the key asked for last (or, until its first pass,
    /// the one before).
    pub fn latest(&self) -> Option<&T> {
        self.latest.as_deref()
    }

    /// The most refined result so far for `key` itself (`None` while only an older key's
    /// result is at hand).
    pub fn latest_for(&self, key: &K) -> Option<&T> {
        self.latest
            .as_deref()
            .filter(|_| self.latest_key.as_ref() == Some(key))
    }

    /// The final result of the last job that ran to its end (for whichever key).
    pub fn last_done(&self) -> Option<&T> {
        self.done.as_ref().map(|(_, result)| &**result)
    }

    /// Why the job for the key asked for last could not start.
    pub fn error(&self) -> Option<&str> {
        let (key, e) = self.refused.as_ref()?;
        (self.key.as_ref() == Some(key)).then_some(e.as_str())
    }

    /// Whether a finer pass (or the result itself) is still coming for the key asked for
    /// last: its job runs, or an older one is stopping before it starts.
    pub fn is_refining(&self) -> bool {
        let asked = self.key.as_ref();
        self.running.is_some()
            && self.done.as_ref().map(|(k, _)| k) != asked
            && self.refused.as_ref().map(|(k, _)| k) != asked
    }

    /// While [`KeyedJob::is_refining`]: the share of its job's runs done, 0 … 1.
    pub fn fraction(&self) -> Option<f64> {
        let fraction = self.current().map_or(0.0, Job::fraction);
        self.is_refining().then_some(fraction)
    }

    /// The key asked for last.
    pub fn key(&self) -> Option<&K> {
        self.key.as_ref()
    }

    /// Start a one-off job (an lr search, an export) for `key` now, dropping any other: the
    /// user asked for it. Its outcome comes from [`KeyedJob::take_finished`].
    pub fn start(&mut self, key: K, start: impl FnOnce() -> Result<Start<T>, String>) {
        self.clear();
        self.follow(key, start);
    }

    /// A one-off job's outcome, handed over once when it has finished: its key and its final
    /// result, or why there is none (refused, or stopped before a result). The job is
    /// forgotten.
    pub fn take_finished(&mut self) -> Option<(K, Result<Arc<T>, String>)> {
        let key = self.key.clone()?;
        self.take_passes(&key);
        if self.running.is_some() {
            return None;
        }
        let outcome = match (self.done.take(), self.refused.take()) {
            (Some((k, result)), _) if k == key => Ok(result),
            (_, Some((k, e))) if k == key => Err(e),
            _ => Err("stopped before a result".into()),
        };
        self.clear();
        Some((key, outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counting_job(value: u32, passes: usize) -> Job<u32> {
        Job::spawn(passes, 0, move |k, _| Some(value * 10 + k as u32), || {})
    }

    #[test]
    fn a_key_starts_one_job_and_takes_every_pass_then_nothing_more() {
        let mut jobs = KeyedJob::<&str, u32>::new(false);
        let mut starts = 0;
        let mut follow = |jobs: &mut KeyedJob<&str, u32>, key, value| {
            jobs.follow(key, || {
                starts += 1;
                Ok(counting_job(value, 2).into())
            })
        };
        assert!(follow(&mut jobs, "a", 1));
        assert_eq!(jobs.latest(), Some(&11), "waited for the full pass");
        assert!(!follow(&mut jobs, "a", 1));
        assert!(follow(&mut jobs, "b", 2));
        assert_eq!(jobs.latest(), Some(&21));
        assert!(follow(&mut jobs, "a", 1));
        assert_eq!(starts, 3);
    }

    /// A job that runs until it is cancelled, publishing nothing.
    fn endless() -> Job<u32> {
        Job::spawn(
            1,
            0,
            |_, progress| {
                while !progress.is_cancelled() {
                    std::thread::sleep(Duration::from_millis(1));
                }
                None
            },
            || {},
        )
    }

    #[test]
    fn there_and_back_shows_the_final_result_again_without_recomputing() {
        let mut jobs = KeyedJob::<u8, u32>::new(true);
        jobs.follow(1, || Ok(Start::Now(10)));
        jobs.follow(2, || Ok(endless().into()));
        assert!(jobs.is_refining());
        assert_eq!(jobs.latest(), Some(&10), "the last result stays meanwhile");
        assert!(!jobs.follow(1, || panic!("1's result is at hand")));
        assert_eq!(jobs.latest(), Some(&10));
    }

    #[test]
    fn a_refused_start_is_remembered_for_its_key_only() {
        let mut jobs = KeyedJob::<u8, u32>::new(false);
        jobs.follow(1, || Err("no".into()));
        assert_eq!((jobs.error(), jobs.latest()), (Some("no"), None));
        assert!(!jobs.follow(1, || panic!("a refused key is not retried every frame")));
        jobs.follow(2, || Ok(Start::Now(7)));
        assert_eq!((jobs.error(), jobs.latest()), (None, Some(&7)));
    }

    #[test]
    fn in_the_background_a_new_key_waits_for_the_cancelled_job_to_stop() {
        let mut jobs = KeyedJob::<u8, u32>::new(true);
        jobs.follow(1, || Ok(endless().into()));
        assert!(jobs.is_refining());
        let mut started = false;
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !started {
            jobs.follow(2, || {
                started = true;
                Ok(Start::Now(2))
            });
            assert!(
                std::time::Instant::now() < deadline,
                "the old job never stopped"
            );
        }
        assert_eq!((jobs.latest(), jobs.is_refining()), (Some(&2), false));
    }

    #[test]
    fn a_job_whose_pass_panics_ends_instead_of_hanging_the_frame() {
        let mut jobs = KeyedJob::<u8, u32>::new(false);
        let failing = |_, _: &crate::engine::Progress| -> Option<u32> { panic!("a pass failed") };
        jobs.follow(1, || Ok(Job::spawn(1, 0, failing, || {}).into()));
        assert_eq!((jobs.latest(), jobs.is_refining()), (None, false));
    }

    #[test]
    fn a_one_off_job_hands_its_result_over_once() {
        let mut jobs = KeyedJob::<u8, u32>::new(false);
        assert!(jobs.take_finished().is_none());
        jobs.start(3, || Ok(counting_job(3, 1).into()));
        let (key, result) = jobs.take_finished().expect("finished");
        assert_eq!((key, result.as_deref().ok()), (3, Some(&30)));
        assert!(jobs.take_finished().is_none());
        jobs.start(4, || Err("refused".into()));
        let (_, result) = jobs.take_finished().expect("refused");
        assert_eq!(result.err().as_deref(), Some("refused"));
    }
}
