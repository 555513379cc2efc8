//! A seeded train/test split of a table.

use super::super::generate::Draw;
use super::super::{Table, Targets};
use crate::spec::{SpecError, spec_err};

/// The ChaCha stream of the split's permutation (7 is the table generators').
const STREAM: u64 = 9;

impl Table {
    /// A seeded train/test split, `(train, test)`, like scikit-learn's `train_test_split` with
    /// `shuffle=True` and no stratification (but round(f·n) test points where sklearn takes
    /// ⌈f·n⌉, and its own permutation). A Fisher–Yates permutation of the n points
    /// (ChaCha8 seeded with `seed` on its own stream) gives the test part its first
    /// round(`test_fraction`·n) points and the training part the rest, each in the permuted
    /// order. Both parts keep this table's `spec` (the source they were split from) and, for
    /// classes, its number of classes K.
    ///
    /// Refused in one line: a fraction outside (0, 1), a part left empty, and for class data
    /// a split that leaves a class out of the training part (the test part may miss one).
    /// The same table, fraction and seed give the same split, bit for bit.
    pub fn split(&self, test_fraction: f64, seed: u64) -> Result<(Table, Table), SpecError> {
        let spec = &self.spec;
        if !(test_fraction > 0.0 && test_fraction < 1.0) {
            return Err(spec_err!(
                "{spec}: the test fraction must be a number in (0, 1), e.g. 0.2, got \
                 {test_fraction}"
            ));
        }
        let n = self.len();
        let n_test = (test_fraction * n as f64).round() as usize;
        if n_test == 0 || n_test == n {
            let (part, fewer) = if n_test == 0 {
                ("test", "a larger")
            } else {
                ("training", "a smaller")
            };
            return Err(spec_err!(
                "{spec}: a test fraction of {test_fraction} of {n} points leaves the {part} \
                 part empty; use {fewer} fraction or more points"
            ));
        }
        let order = Draw::on_stream(seed, STREAM).permutation(n);
        let (test, train) = order.split_at(n_test);
        let train = self.rows(train);
        if let (Targets::Classes { labels, classes }, Targets::Classes { labels: all, .. }) =
            (&train.targets, &self.targets)
        {
            let mut counts = vec![0usize; *classes];
            for &l in labels {
                counts[l] += 1;
            }
            if let Some(absent) = counts.iter().position(|&c| c == 0) {
                let total = all.iter().filter(|&&l| l == absent).count();
                return Err(spec_err!(
                    "{spec}: the split (test fraction {test_fraction}, seed {seed}) leaves class \
                     {absent} ({total} of {n} points) out of the training part; use a smaller \
                     test fraction or another seed"
                ));
            }
        }
        Ok((train, self.rows(test)))
    }

    /// The points `indices`, in that order, as a table of the same spec, features and
    /// classes.
    fn rows(&self, indices: &[usize]) -> Table {
        let targets = match &self.targets {
            Targets::Classes { labels, classes } => Targets::Classes {
                labels: indices.iter().map(|&i| labels[i]).collect(),
                classes: *classes,
            },
            Targets::Values(values) => {
                Targets::Values(indices.iter().map(|&i| values[i]).collect())
            }
        };
        Table {
            spec: self.spec.clone(),
            dims: self.dims,
            features: indices.iter().flat_map(|&i| self.row(i)).copied().collect(),
            targets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(labels: &[usize], classes: usize) -> Table {
        Table {
            spec: "t".into(),
            dims: 1,
            features: (0..labels.len()).map(|i| i as f64).collect(),
            targets: Targets::Classes {
                labels: labels.to_vec(),
                classes,
            },
        }
    }

    #[test]
    fn the_parts_are_a_seeded_partition() {
        let t = Table::parse("gauss:n=100,dims=3").unwrap();
        let (train, test) = t.split(0.25, 4).unwrap();
        assert_eq!((train.len(), test.len(), train.dims), (75, 25, 3));
        assert_eq!(t.split(0.25, 4).unwrap(), (train.clone(), test.clone()));
        assert_ne!(t.split(0.25, 5).unwrap().1, test);
        // Every point lands in exactly one part, with its own features and label.
        let key = |p: &Table, i: usize| {
            let Targets::Classes { labels, .. } = &p.targets else {
                panic!("classes")
            };
            (
                p.row(i).iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                labels[i],
            )
        };
        let mut parts: Vec<_> = (0..75).map(|i| key(&train, i)).collect();
        parts.extend((0..25).map(|i| key(&test, i)));
        let mut all: Vec<_> = (0..100).map(|i| key(&t, i)).collect();
        parts.sort();
        all.sort();
        assert_eq!(parts, all);
        assert_eq!(train.outputs(), 3);
        let r = Table::parse("line:n=10").unwrap();
        let (train, test) = r.split(0.3, 0).unwrap();
        assert_eq!((train.len(), test.len()), (7, 3));
        assert!(matches!(test.targets, Targets::Values(ref v) if v.len() == 3));
    }

    #[test]
    fn bad_fractions_and_empty_parts_are_refused() {
        let t = classes(&[0, 1, 0, 1], 2);
        for f in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
            let e = t.split(f, 0).unwrap_err().0;
            assert!(
                e.starts_with("t: the test fraction must be a number in (0, 1)"),
                "{e}"
            );
        }
        let e = t.split(0.1, 0).unwrap_err().0;
        assert_eq!(
            e,
            "t: a test fraction of 0.1 of 4 points leaves the test part empty; use a larger \
             fraction or more points"
        );
        let e = t.split(0.9, 0).unwrap_err().0;
        assert!(e.contains("leaves the training part empty"), "{e}");
    }

    #[test]
    fn a_class_missing_from_training_is_refused() {
        // Class 2 has one point: a split sending it to the test part must be refused.
        let t = classes(&[0, 1, 0, 1, 0, 1, 2, 0], 3);
        let outcomes: Vec<_> = (0..40).map(|seed| t.split(0.5, seed)).collect();
        let refused = outcomes.iter().filter_map(|o| o.as_ref().err()).next();
        let e = &refused.expect("some seed sends point 7 to the test part").0;
        assert!(
            e.contains("leaves class 2 (1 of 8 points) out of the training part; use a smaller"),
            "{e}"
        );
        assert!(outcomes.iter().any(Result::is_ok));
        for (train, _) in outcomes.iter().flatten() {
            let Targets::Classes { labels, classes } = &train.targets else {
                panic!("classes")
            };
            assert!(labels.contains(&2) && *classes == 3);
        }
    }
}
