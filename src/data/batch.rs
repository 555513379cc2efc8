//! Minibatches as torch's `DataLoader(dataset, batch_size=B, shuffle, drop_last=False)` makes
//! them: each epoch is a permutation of the n points (the file order without shuffling, a
//! seeded permutation with it); step after step takes the next B indices of the epoch, and
//! the epoch's last batch holds the n mod B left over (when B does not divide n).
//!
//! The plan depends only on (n, B, shuffle, seed), never on the trajectory: every racer of a
//! race walks the same permutations (common random numbers), and the app can ask which
//! points a racer used at any step ([`BatchPlan::batch`]).
//!
//! Permutations are Fisher–Yates shuffles (Knuth, TAOCP vol. 2, Algorithm 3.4.2P) driven by
//! ChaCha8 seeded from the race's seed, one stream per epoch, with unbiased bounded integers
//! (Lemire 2019, "Fast random integer generation in an interval").

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// The first ChaCha stream of the epoch permutations (stream k + epoch for epoch ≥ 0).
const STREAM: u64 = 1 << 32;

/// Which points each step uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchPlan {
    /// Points in the dataset.
    pub n: usize,
    /// Points per batch (1 ..= n).
    pub batch: usize,
    pub shuffle: bool,
    pub seed: u64,
}

/// Where a step sits in the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 0-based epoch of the step's batch.
    pub epoch: u64,
    /// 0-based index of the batch within its epoch.
    pub index: usize,
    /// Points drawn by all the steps before this one.
    pub samples_before: u64,
}

impl BatchPlan {
    /// `batch` points per step (`None`: every point) out of `n`, refused unless 1 ≤ B ≤ n:
    /// the message names the `racer` and what the n points are (`points of line:n=20`).
    pub fn checked(
        n: usize,
        batch: Option<u64>,
        shuffle: bool,
        seed: u64,
        racer: &str,
        points: &str,
    ) -> Result<Self, crate::spec::SpecError> {
        let batch = match batch {
            Some(b) if b == 0 || b > n as u64 => {
                return Err(crate::spec::SpecError(format!(
                    "{racer}: batch {b} is not in 1 ..= {n}, the number of {points}"
                )));
            }
            Some(b) => b as usize,
            None => n,
        };
        Ok(Self {
            n,
            batch,
            shuffle,
            seed,
        })
    }

    /// Batches per epoch: ⌈n/B⌉.
    pub fn batches_per_epoch(&self) -> usize {
        self.n.div_ceil(self.batch)
    }

    /// Whether every batch is the whole dataset.
    pub fn is_full(&self) -> bool {
        self.batch >= self.n
    }

    /// Where the batch of step `step` (0-based: the step leaving record `step`) sits.
    pub fn position(&self, step: u64) -> Position {
        let per = self.batches_per_epoch() as u64;
        let (epoch, index) = (step / per, (step % per) as usize);
        Position {
            epoch,
            index,
            samples_before: epoch * self.n as u64 + (index * self.batch) as u64,
        }
    }

    /// The epoch's order of the points: 0, 1, …, n−1 without shuffling.
    pub fn permutation(&self, epoch: u64) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.n).collect();
        if self.shuffle {
            let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
            rng.set_stream(STREAM.wrapping_add(epoch));
            for i in (1..order.len()).rev() {
                let j = below(&mut rng, i as u64 + 1) as usize;
                order.swap(i, j);
            }
        }
        order
    }

    /// The indices of the batch the step `step` uses.
    pub fn batch(&self, step: u64) -> Vec<usize> {
        let at = self.position(step);
        let order = self.permutation(at.epoch);
        order[self.range(at.index)].to_vec()
    }

    /// The positions within an epoch's permutation of batch `index`.
    pub fn range(&self, index: usize) -> std::ops::Range<usize> {
        let start = index * self.batch;
        start..(start + self.batch).min(self.n)
    }
}

/// Unbiased uniform integer in [0, bound) (Lemire's multiply-and-reject).
pub(super) fn below(rng: &mut ChaCha8Rng, bound: u64) -> u64 {
    let threshold = bound.wrapping_neg() % bound;
    loop {
        let m = u128::from(rng.next_u64()) * u128::from(bound);
        if (m as u64) >= threshold {
            return (m >> 64) as u64;
        }
    }
}

/// A racer's walk through its plan, one batch per step, keeping the current epoch's
/// permutation so a step costs O(B), not O(n).
#[derive(Clone, Debug)]
pub struct Batcher {
    plan: BatchPlan,
    epoch: Option<(u64, Vec<usize>)>,
}

impl Batcher {
    pub fn new(plan: BatchPlan) -> Self {
        Self { plan, epoch: None }
    }

    pub fn plan(&self) -> &BatchPlan {
        &self.plan
    }

    /// The indices of step `step`'s batch.
    pub fn indices(&mut self, step: u64) -> &[usize] {
        let at = self.plan.position(step);
        if self.epoch.as_ref().is_none_or(|(e, _)| *e != at.epoch) {
            self.epoch = Some((at.epoch, self.plan.permutation(at.epoch)));
        }
        let range = self.plan.range(at.index);
        match &self.epoch {
            Some((_, order)) => &order[range],
            None => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_batches_are_dataloader_slices_with_a_short_last_batch() {
        let plan = BatchPlan {
            n: 10,
            batch: 4,
            shuffle: false,
            seed: 0,
        };
        assert_eq!(plan.batch(0), [0, 1, 2, 3]);
        assert_eq!(plan.batch(2), [8, 9]);
        assert_eq!(plan.batch(3), [0, 1, 2, 3], "a new epoch");
        assert_eq!(plan.position(4).samples_before, 14);
    }

    #[test]
    fn shuffled_epochs_are_permutations_reproducible_from_the_seed() {
        let plan = BatchPlan {
            n: 50,
            batch: 7,
            shuffle: true,
            seed: 3,
        };
        let p0 = plan.permutation(0);
        let mut sorted = p0.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(p0, plan.permutation(1), "each epoch its own order");
        assert_ne!(p0, (0..50).collect::<Vec<_>>());
        let other = BatchPlan {
            seed: 4,
            ..plan.clone()
        };
        assert_ne!(p0, other.permutation(0));
        let mut walker = Batcher::new(plan.clone());
        for step in 0..40 {
            assert_eq!(
                walker.indices(step),
                plan.batch(step).as_slice(),
                "step {step}"
            );
        }
    }

    #[test]
    fn bounded_integers_are_uniform() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[below(&mut rng, 3) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_500..10_500).contains(&c)),
            "{counts:?}"
        );
    }
}
