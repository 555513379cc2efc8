//! A CSV file of points with any number d ≥ 1 of features, read into a [`Table`].
//!
//! A header row, then one point per row; blank lines and lines starting with `#` are skipped.
//! The last column is the target:
//!
//! - `x1,…,xd,label`: classes. Labels are whole numbers 0 … K−1, every class present (K ≥ 2);
//!   −1/1 is accepted for two classes and read as 0/1. A file of three or more columns is
//!   always read this way, whatever its header names (the plane reader's `x1,x2,label`).
//! - `x,y` (two columns, the second not named `label`): regression on one feature.
//!
//! Every mistake is one line, `FILE:LINE: what was wrong` where a line is to blame. Sizes are
//! checked before anything is stored: the file against the plane reader's 16 MB, the header
//! against [`MAX_FEATURES`], the rows against [`MAX_POINTS`] and points × features against
//! [`MAX_VALUES`].

use std::path::Path;

use super::super::csv::{data_lines, number, read_text};
use super::super::table::{MAX_CLASSES, MAX_FEATURES, MAX_VALUES};
use super::super::{MAX_POINTS, Table, Targets};
use crate::spec::{SpecError, spec_err};

/// The headers accepted, for messages.
const ACCEPTED: &str = "x1,…,xd,label (classes 0 … K-1) or x,y (regression)";

/// Read a CSV file into a table (its `spec` is the file's name).
pub(super) fn read(path: &Path) -> Result<Table, SpecError> {
    let (name, text) = read_text(path)?;
    parse(&text, &name)
}

/// Parse the text of a CSV file; `name` starts every message.
pub(super) fn parse(text: &str, name: &str) -> Result<Table, SpecError> {
    let mut lines = data_lines(text);
    let Some((header_line, header)) = lines.next() else {
        return Err(spec_err!(
            "{name}: the file has no header and no points (expected a header {ACCEPTED})"
        ));
    };
    let columns = columns(header, &format!("{name}:{header_line}"))?;
    let dims = columns - 1;
    let rows = count_rows(lines.clone(), dims, name)?;
    let classes = columns > 2
        || header
            .rsplit(',')
            .next()
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("label"));
    let mut features = Vec::with_capacity(rows * dims);
    let mut values = Vec::new();
    let mut labels = Labels::default();
    for (line, row) in lines {
        let at = |e: String| spec_err!("{name}:{line}: {e}");
        let count = row.split(',').count();
        if count != columns {
            return Err(at(format!(
                "{count} columns, but the header '{}' has {columns}",
                shown(header)
            )));
        }
        let mut fields = row.split(',').map(str::trim);
        for field in fields.by_ref().take(dims) {
            features.push(number(field).map_err(at)?);
        }
        let target = fields.next().unwrap_or_default();
        if classes {
            labels.push(target, line).map_err(at)?;
        } else {
            values.push(number(target).map_err(at)?);
        }
    }
    let targets = if classes {
        labels.finish(name)?
    } else {
        Targets::Values(values)
    };
    Ok(Table {
        spec: name.to_string(),
        dims,
        features,
        targets,
    })
}

/// The number of rows, refused when none or more than [`MAX_POINTS`] or than [`MAX_VALUES`]
/// numbers (`dims` each) before any is stored.
fn count_rows<'a>(
    rows: impl Iterator<Item = (usize, &'a str)> + Clone,
    dims: usize,
    name: &str,
) -> Result<usize, SpecError> {
    let most = MAX_POINTS.min(MAX_VALUES / dims);
    if let Some((line, _)) = rows.clone().nth(most) {
        return Err(if most == MAX_POINTS {
            spec_err!("{name}:{line}: more than {MAX_POINTS} points, the most accepted")
        } else {
            spec_err!(
                "{name}:{line}: more than {most} points of {dims} features, the most accepted \
                 ({MAX_VALUES} numbers in all)"
            )
        });
    }
    match rows.count() {
        0 => Err(spec_err!("{name}: the file has a header but no points")),
        n => Ok(n),
    }
}

/// The header's number of columns (2 ..= [`MAX_FEATURES`] + 1), counted before anything is
/// stored; `at` is `FILE:LINE`.
fn columns(header: &str, at: &str) -> Result<usize, SpecError> {
    let columns = header.split(',').count();
    if header.split(',').any(|c| c.trim().parse::<f64>().is_ok()) {
        return Err(spec_err!(
            "{at}: missing header row (expected {ACCEPTED}), got '{}'",
            shown(header)
        ));
    }
    if columns > MAX_FEATURES + 1 {
        return Err(spec_err!(
            "{at}: the header has {columns} columns, more than the {MAX_FEATURES} features \
             and a target accepted"
        ));
    }
    if columns < 2 {
        return Err(spec_err!(
            "{at}: the header '{}' has 1 column; expected {ACCEPTED}",
            shown(header)
        ));
    }
    Ok(columns)
}

/// At most 60 characters of `text`, for a message.
fn shown(text: &str) -> String {
    if text.chars().count() <= 60 {
        text.to_string()
    } else {
        text.chars().take(57).chain("…".chars()).collect()
    }
}

/// Class labels as read: 0 … K−1, or −1/1 for two classes.
#[derive(Default)]
struct Labels {
    raw: Vec<i64>,
    /// The first line with a label −1.
    minus_one: Option<usize>,
    /// The first line with a label other than −1 and 1, and that label.
    other: Option<(usize, i64)>,
}

impl Labels {
    fn push(&mut self, field: &str, line: usize) -> Result<(), String> {
        let v = number(field)?;
        if v.fract() != 0.0 || v < -1.0 || v >= MAX_CLASSES as f64 {
            return Err(format!(
                "label '{field}' must be a whole number 0 … K-1 (K ≤ {MAX_CLASSES}), or -1/1 \
                 for two classes"
            ));
        }
        let v = v as i64;
        if v == -1 {
            self.minus_one.get_or_insert(line);
        } else if v != 1 {
            self.other.get_or_insert((line, v));
        }
        if let (Some(m), Some((o, label))) = (self.minus_one, self.other) {
            let (line, label) = if m < o { (m, -1) } else { (o, label) };
            return Err(format!(
                "label '{field}' with label {label} on line {line}: -1 is accepted only in -1/1 \
                 labels of two classes, other labels are 0 … K-1"
            ));
        }
        self.raw.push(v);
        Ok(())
    }

    /// The classes 0 … K−1 (−1/1 read as 0/1), refused unless every class is present and
    /// there are at least two.
    fn finish(self, name: &str) -> Result<Targets, SpecError> {
        let two = self.minus_one.is_some();
        let labels: Vec<usize> = self
            .raw
            .iter()
            .map(|&v| if two { usize::from(v == 1) } else { v as usize })
            .collect();
        let classes = labels.iter().max().map_or(0, |m| m + 1);
        let mut counts = vec![0usize; classes];
        for &l in &labels {
            counts[l] += 1;
        }
        if counts.iter().filter(|&&c| c > 0).count() < 2 {
            return Err(spec_err!(
                "{name}: all {} points have label {}; a classifier needs at least two classes \
                 (labels 0 … K-1, or -1/1)",
                labels.len(),
                self.raw.first().copied().unwrap_or_default()
            ));
        }
        if let Some(gap) = counts.iter().position(|&c| c == 0) {
            return Err(spec_err!(
                "{name}: no point has label {gap}, but labels go up to {}; classes must be \
                 0 … K-1 with every class present",
                classes - 1
            ));
        }
        Ok(Targets::Classes { labels, classes })
    }
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
