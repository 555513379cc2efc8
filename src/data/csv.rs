//! A user's CSV file: a header row, then `x,y` (regression) or `x1,x2,label` (classification,
//! labels −1/1 or 0/1). Blank lines and lines starting with `#` are skipped. Every mistake is
//! reported as `FILE:LINE: what was wrong`.

use std::io::Read;
use std::path::Path;

use super::{DataKind, MAX_POINTS, Point};
use crate::spec::{SpecError, spec_err};

/// Largest CSV file read, in bytes (far above [`MAX_POINTS`] rows of numbers).
const MAX_BYTES: u64 = 16 << 20;

/// Which label convention a file uses: −1/1 or 0/1 (mixing −1 and 0 is refused).
#[derive(Default)]
pub(super) struct LabelStyle {
    zero: bool,
    minus_one: bool,
}

impl LabelStyle {
    fn note(&mut self, label: f64) -> Result<(), String> {
        if label == 0.0 {
            self.zero = true;
        } else if label == -1.0 {
            self.minus_one = true;
        }
        if self.zero && self.minus_one {
            return Err("labels mix 0 and -1; use -1/1 or 0/1".into());
        }
        Ok(())
    }

    /// Map the 0 of 0/1 labels to −1.
    pub(super) fn finish(self, points: &mut [Point]) {
        if self.zero {
            for p in points.iter_mut().filter(|p| p.label == 0.0) {
                p.label = -1.0;
            }
        }
    }
}

/// A finite number, or what is wrong with the field.
pub(super) fn number(field: &str) -> Result<f64, String> {
    let v: f64 = field
        .parse()
        .map_err(|_| format!("'{field}' is not a number"))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("'{field}' is not a finite number"))
    }
}

/// One row's fields as a point of `kind` (the caller checked the count).
pub(super) fn parse_row(
    fields: &[&str],
    kind: DataKind,
    labels: &mut LabelStyle,
) -> Result<Point, String> {
    let (x, y) = (number(fields[0])?, number(fields[1])?);
    let label = match kind {
        DataKind::Regression => 0.0,
        DataKind::Classification => {
            let l = number(fields[2])?;
            if ![-1.0, 0.0, 1.0].contains(&l) {
                return Err(format!("label '{}' must be -1 or 1 (or 0 or 1)", fields[2]));
            }
            labels.note(l)?;
            l
        }
    };
    Ok(Point { x, y, label })
}

/// Read a CSV file of points.
pub(super) fn read(path: &Path) -> Result<(DataKind, Vec<Point>), SpecError> {
    let (name, text) = read_text(path)?;
    parse(&text, &name)
}

/// The file's name as messages show it and its text, refused beyond `MAX_BYTES` (16 MB)
/// without reading further.
pub(super) fn read_text(path: &Path) -> Result<(String, String), SpecError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| spec_err!("cannot read {name}: {e}"))?;
    let mut text = String::new();
    file.take(MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| spec_err!("cannot read {name}: {e}"))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(spec_err!(
            "{name}: larger than {} MB, the most a data file may be",
            MAX_BYTES >> 20
        ));
    }
    Ok((name, text))
}

/// A CSV file's lines with their 1-based numbers, trimmed, blank and `#` lines skipped.
pub(super) fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> + Clone {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// Parse the text of a CSV file; `name` starts every message.
pub(super) fn parse(text: &str, name: &str) -> Result<(DataKind, Vec<Point>), SpecError> {
    let mut lines = data_lines(text);
    let Some((header_line, header)) = lines.next() else {
        return Err(spec_err!(
            "{name}: the file has no header and no points (expected a header x,y or x1,x2,label)"
        ));
    };
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    if columns.iter().any(|c| c.parse::<f64>().is_ok()) {
        return Err(spec_err!(
            "{name}:{header_line}: missing header row (expected x,y or x1,x2,label), got '{header}'"
        ));
    }
    let kind = match columns.len() {
        2 => DataKind::Regression,
        3 => DataKind::Classification,
        n => {
            return Err(spec_err!(
                "{name}:{header_line}: the header has {n} columns; expected x,y (regression) or \
                 x1,x2,label (classification)"
            ));
        }
    };
    let mut points = Vec::new();
    let mut labels = LabelStyle::default();
    for (line, row) in lines {
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if fields.len() != columns.len() {
            return Err(spec_err!(
                "{name}:{line}: {} columns, but the header '{header}' has {}",
                fields.len(),
                columns.len()
            ));
        }
        if points.len() == MAX_POINTS {
            return Err(spec_err!(
                "{name}:{line}: more than {MAX_POINTS} points, the most accepted"
            ));
        }
        let point =
            parse_row(&fields, kind, &mut labels).map_err(|e| spec_err!("{name}:{line}: {e}"))?;
        points.push(point);
    }
    if points.is_empty() {
        return Err(spec_err!("{name}: the file has a header but no points"));
    }
    labels.finish(&mut points);
    Ok((kind, points))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text, "d.csv").unwrap_err().0
    }

    #[test]
    fn reads_both_kinds_with_comments_and_blank_lines() {
        let (kind, p) = parse("# made by hand\nx,y\n\n1,2\r\n3, 4.5\n", "d.csv").unwrap();
        assert_eq!(kind, DataKind::Regression);
        assert_eq!(p.len(), 2);
        assert_eq!((p[1].x, p[1].y), (3.0, 4.5));
        let (kind, p) = parse("x1,x2,label\n0,1,1\n2,3,0\n", "d.csv").unwrap();
        assert_eq!(kind, DataKind::Classification);
        assert_eq!(p[1].label, -1.0);
    }

    #[test]
    fn every_mistake_names_file_and_line() {
        assert_eq!(
            err("1,2\n3,4\n"),
            "d.csv:1: missing header row (expected x,y or x1,x2,label), got '1,2'"
        );
        assert_eq!(
            err("x,y\n1,2\n3\n"),
            "d.csv:3: 1 columns, but the header 'x,y' has 2"
        );
        assert_eq!(err("x,y\n1,2\n3,abc\n"), "d.csv:3: 'abc' is not a number");
        assert_eq!(err("x,y\n1,NaN\n"), "d.csv:2: 'NaN' is not a finite number");
        assert_eq!(err("x,y\n1,inf\n"), "d.csv:2: 'inf' is not a finite number");
        assert_eq!(
            err("a,b,c\n1,2,2\n"),
            "d.csv:2: label '2' must be -1 or 1 (or 0 or 1)"
        );
        assert_eq!(
            err("a,b,c\n1,2,0\n1,2,-1\n"),
            "d.csv:3: labels mix 0 and -1; use -1/1 or 0/1"
        );
        assert_eq!(err("x,y\n"), "d.csv: the file has a header but no points");
        assert!(err("").contains("no header and no points"));
        assert!(err("a,b,c,d\n1,2,3,4\n").starts_with("d.csv:1: the header has 4 columns"));
    }
}
