//! Tables for networks (issue 18 §3): where a [`Table`] comes from and how it is split.
//!
//! [`Table::parse`] reads a spec the way [`Dataset::parse`] does, and accepts more:
//!
//! - a seeded generator of [`TABLES`] (`spirals`, `moons`, `circles`, `xor`, `gauss`), the
//!   shapes of the TensorFlow Playground and scikit-learn (`shapes`);
//! - a generator of the two-parameter models' [`DATASETS`] (`line`, `blobs`, …) or inline
//!   `points:…`, read by [`Dataset::parse`] and converted with `From<&Dataset>`;
//! - a CSV file (any path ending in `.csv`) with d ≥ 1 feature columns, read by `csv` (this
//!   reader reads every CSV file into a table; [`Dataset`] keeps its own two-column reader).
//!
//! [`Table::split`] (`split`) draws a seeded train/test split.

mod csv;
mod shapes;
mod split;

use std::path::Path;

pub use shapes::{TABLES, TableEntry};

use super::{DATASETS, Dataset, Table};
use crate::spec::{Args, SpecError, spec_err, split_spec};

impl Table {
    /// Generate, read or take inline the points a spec names; one line on any mistake.
    ///
    /// `spirals:n=300,classes=3`, `moons:noise=0.2`, `gauss:dims=10`, `line:n=50`,
    /// `points:1,2,1;-1,0,-1`, `data/points.csv`. The same spec gives the same table, bit
    /// for bit.
    pub fn parse(spec: &str) -> Result<Table, SpecError> {
        let spec = spec.trim();
        if spec.starts_with("points:") {
            return Ok(Table::from(&Dataset::parse(spec)?));
        }
        if spec.to_ascii_lowercase().ends_with(".csv") {
            let mut table = csv::read(Path::new(spec))?;
            table.spec = spec.to_string();
            return Ok(table);
        }
        let (name, pairs) = split_spec(spec)?;
        if let Some(entry) = TABLES.iter().find(|e| e.name == name) {
            let args = Args::parse(name, entry.params, &pairs)?;
            let mut table = (entry.generate)(&args)?;
            table.spec = spec.to_string();
            return Ok(table);
        }
        if DATASETS.iter().any(|e| e.name == name) {
            return Ok(Table::from(&Dataset::parse(spec)?));
        }
        let known: Vec<&str> = TABLES
            .iter()
            .map(|e| e.name)
            .chain(DATASETS.iter().map(|e| e.name))
            .collect();
        Err(spec_err!(
            "unknown dataset '{name}' (known: {}, points:…, or a file.csv)",
            known.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Targets;

    #[test]
    fn the_plane_datasets_become_tables() {
        for spec in ["blobs:n=20", "line", "outliers", "points:1,2,1;-1,0,-1"] {
            let t = Table::parse(spec).unwrap();
            assert_eq!(t, Table::from(&Dataset::parse(spec).unwrap()), "{spec}");
            assert_eq!(t.spec, spec);
        }
        assert!(matches!(
            Table::parse("line").unwrap().targets,
            Targets::Values(_)
        ));
    }

    #[test]
    fn unknown_names_list_every_generator() {
        let e = Table::parse("spiral").unwrap_err().0;
        assert_eq!(
            e,
            "unknown dataset 'spiral' (known: spirals, moons, circles, xor, gauss, line, \
             outliers, blobs, sorted-line, points:…, or a file.csv)"
        );
        let e = Table::parse("moons:bogus=1").unwrap_err().0;
        assert!(e.contains("moons: unknown parameter 'bogus'"), "{e}");
        let e = Table::parse("blobs:n=1").unwrap_err().0;
        assert!(e.contains("at least 2"), "{e}");
        let e = Table::parse("/nonexistent/x.csv").unwrap_err().0;
        assert!(e.starts_with("cannot read /nonexistent/x.csv"), "{e}");
    }
}
