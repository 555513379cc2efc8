//! The race's metrics table: how fast each run got close, where it ended, what it cost.
//!
//! Computed from a run's records as they stream past, so `descent run --summary` over
//! millions of steps keeps memory flat.

use serde::Serialize;

use crate::P2;
use crate::landscape::Landscape;
use crate::optim::Evals;
use crate::race::{Race, Record, Status};

/// The tolerance `descent run --summary` and the app use unless told otherwise.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    pub optimizer: String,
    /// The first step at which ‖∇f‖ < tol.
    pub steps_to_grad_tol: Option<u64>,
    /// The evaluations spent to reach that step (values + gradients + Hessians): the cost
    /// that compares methods whose steps cost differently (Newton, line searches).
    pub evals_to_grad_tol: Option<u64>,
    /// The first step at which f − f* < tol (`None` also when f* is not known).
    pub steps_to_loss_tol: Option<u64>,
    /// The last recorded step.
    pub steps: u64,
    pub final_loss: f64,
    pub final_grad_norm: f64,
    /// Distance from the last point to the nearest known minimum.
    pub distance_to_minimum: Option<f64>,
    pub value_evals: u64,
    pub gradient_evals: u64,
    pub hessian_evals: u64,
    pub status: Status,
}

/// The known minima of a landscape and f* (the global minimum's value, when known).
#[derive(Clone, Debug, PartialEq)]
pub struct Targets {
    pub minima: Vec<P2>,
    pub f_star: Option<f64>,
}

impl Targets {
    pub fn of(landscape: &Landscape) -> Self {
        let minima = landscape
            .critical
            .iter()
            .filter(|c| c.is_minimum())
            .map(|c| c.point())
            .collect();
        let f_star = landscape
            .critical
            .iter()
            .filter(|c| c.kind == crate::surface::CriticalKind::GlobalMinimum)
            .map(|c| c.f)
            .reduce(f64::min);
        Self { minima, f_star }
    }

    /// The distance from `p` to the nearest known minimum.
    pub fn distance(&self, p: P2) -> Option<f64> {
        self.minima.iter().map(|m| (p - m).norm()).reduce(f64::min)
    }
}

/// Folds one run's records into its [`Metrics`].
pub struct Tally<'a> {
    targets: &'a Targets,
    tolerance: f64,
    row: Metrics,
}

impl<'a> Tally<'a> {
    pub fn new(optimizer: &str, targets: &'a Targets, tolerance: f64) -> Self {
        Self {
            targets,
            tolerance,
            row: Metrics {
                optimizer: optimizer.to_string(),
                steps_to_grad_tol: None,
                evals_to_grad_tol: None,
                steps_to_loss_tol: None,
                steps: 0,
                final_loss: f64::NAN,
                final_grad_norm: f64::NAN,
                distance_to_minimum: None,
                value_evals: 0,
                gradient_evals: 0,
                hessian_evals: 0,
                status: Status::Running,
            },
        }
    }

    pub fn push(&mut self, r: &Record) {
        let row = &mut self.row;
        if row.steps_to_grad_tol.is_none() && r.grad_norm < self.tolerance {
            row.steps_to_grad_tol = Some(r.step);
            row.evals_to_grad_tol = Some(r.evals);
        }
        if row.steps_to_loss_tol.is_none()
            && self
                .targets
                .f_star
                .is_some_and(|f| r.loss - f < self.tolerance)
        {
            row.steps_to_loss_tol = Some(r.step);
        }
        row.steps = r.step;
        row.final_loss = r.loss;
        row.final_grad_norm = r.grad_norm;
        row.status = r.status;
        row.distance_to_minimum = self.targets.distance(r.point());
    }

    /// The row, with the run's evaluations by kind.
    pub fn finish(mut self, evals: Evals) -> Metrics {
        self.row.value_evals = evals.value;
        self.row.gradient_evals = evals.gradient;
        self.row.hessian_evals = evals.hessian;
        self.row
    }
}

/// The table of a whole race, one row per optimizer, streaming each run once.
pub fn summarize(race: &Race, tolerance: f64) -> Vec<Metrics> {
    let targets = Targets::of(&race.landscape);
    race.optimizers
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut run = race.run(i);
            let mut tally = Tally::new(&spec.label, &targets, tolerance);
            for record in run.by_ref() {
                tally.push(&record);
            }
            tally.finish(run.evals())
        })
        .collect()
}

/// The columns of the table, in order; every one can sort it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Optimizer,
    StepsToGradTol,
    /// Evaluations spent to reach ‖∇f‖ < tol (equal budgets across methods).
    EvalsToGradTol,
    StepsToLossTol,
    FinalLoss,
    FinalGradNorm,
    DistanceToMinimum,
    Evals,
    Status,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::Optimizer,
        Column::StepsToGradTol,
        Column::EvalsToGradTol,
        Column::StepsToLossTol,
        Column::FinalLoss,
        Column::FinalGradNorm,
        Column::DistanceToMinimum,
        Column::Evals,
        Column::Status,
    ];

    /// The header, with the tolerance where it matters.
    pub fn header(self, tolerance: f64) -> String {
        match self {
            Column::Optimizer => "optimizer".into(),
            Column::StepsToGradTol => format!("steps to ‖∇f‖<{tolerance:e}"),
            Column::EvalsToGradTol => "evals to it".into(),
            Column::StepsToLossTol => format!("steps to f−f*<{tolerance:e}"),
            Column::FinalLoss => "final loss".into(),
            Column::FinalGradNorm => "final ‖∇f‖".into(),
            Column::DistanceToMinimum => "to nearest min".into(),
            Column::Evals => "evals f/∇f/H".into(),
            Column::Status => "status".into(),
        }
    }

    /// The cell of `m` in this column, as the text table shows it.
    pub fn cell(self, m: &Metrics) -> String {
        let steps = |s: Option<u64>| s.map_or("—".to_string(), |s| s.to_string());
        match self {
            Column::Optimizer => m.optimizer.clone(),
            Column::StepsToGradTol => steps(m.steps_to_grad_tol),
            Column::EvalsToGradTol => steps(m.evals_to_grad_tol),
            Column::StepsToLossTol => steps(m.steps_to_loss_tol),
            Column::FinalLoss => scientific(m.final_loss),
            Column::FinalGradNorm => scientific(m.final_grad_norm),
            Column::DistanceToMinimum => m.distance_to_minimum.map_or("—".into(), scientific),
            Column::Evals => format!("{}/{}/{}", m.value_evals, m.gradient_evals, m.hessian_evals),
            Column::Status => format!("{} at {}", m.status, m.steps),
        }
    }

    /// Order two rows by this column: fewer steps, lower loss, nearer, cheaper first;
    /// "never" and unknown values last; NaN after every number.
    pub fn compare(self, a: &Metrics, b: &Metrics) -> std::cmp::Ordering {
        fn steps(s: Option<u64>) -> u64 {
            s.unwrap_or(u64::MAX)
        }
        fn real(v: f64) -> f64 {
            if v.is_nan() { f64::INFINITY } else { v }
        }
        let evals = |m: &Metrics| m.value_evals + m.gradient_evals + m.hessian_evals;
        match self {
            Column::Optimizer => a.optimizer.cmp(&b.optimizer),
            Column::StepsToGradTol => steps(a.steps_to_grad_tol).cmp(&steps(b.steps_to_grad_tol)),
            Column::EvalsToGradTol => steps(a.evals_to_grad_tol).cmp(&steps(b.evals_to_grad_tol)),
            Column::StepsToLossTol => steps(a.steps_to_loss_tol).cmp(&steps(b.steps_to_loss_tol)),
            Column::FinalLoss => real(a.final_loss).total_cmp(&real(b.final_loss)),
            Column::FinalGradNorm => real(a.final_grad_norm).total_cmp(&real(b.final_grad_norm)),
            Column::DistanceToMinimum => real(a.distance_to_minimum.unwrap_or(f64::NAN))
                .total_cmp(&real(b.distance_to_minimum.unwrap_or(f64::NAN))),
            Column::Evals => evals(a).cmp(&evals(b)),
            Column::Status => (a.status as u8, a.steps).cmp(&(b.status as u8, b.steps)),
        }
    }
}

/// A number for the table: 0 as "0", otherwise four significant digits in scientific form
/// (`1.378e-5`); NaN and infinities by name.
fn scientific(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.is_finite() {
        format!("{v:.3e}")
    } else {
        v.to_string()
    }
}

/// The table as fixed-width text: a header, a rule, one line per row; columns padded to
/// their widest cell (counted in characters, so ‖∇f‖ lines up).
pub fn text_table(rows: &[Metrics], tolerance: f64) -> String {
    let cells: Vec<Vec<String>> = std::iter::once(
        Column::ALL
            .iter()
            .map(|c| c.header(tolerance))
            .collect::<Vec<_>>(),
    )
    .chain(
        rows.iter()
            .map(|m| Column::ALL.iter().map(|c| c.cell(m)).collect()),
    )
    .collect();
    let widths: Vec<usize> = (0..Column::ALL.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, row) in cells.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, &w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if n == 0 {
            let total = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
            out.push_str(&"─".repeat(total));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::race::RaceSpec;

    fn race(optimizers: &[&str], steps: u64) -> Race {
        RaceSpec {
            surface: "quadratic:kappa=4,angle=0".into(),
            start: Some([1.0, 1.0]),
            optimizers: optimizers.iter().map(|s| s.to_string()).collect(),
            steps,
            ..RaceSpec::default()
        }
        .build()
        .unwrap()
    }

    /// f = ½(x² + 4y²) from (1, 1); GD with lr ¼ zeroes y in one step and then shrinks x by
    /// ¾ per step: ∇f = (¾ᵗ, 0), f = ½·(9/16)ᵗ for t ≥ 1.
    #[test]
    fn gd_on_a_diagonal_quadratic_by_hand() {
        let rows = summarize(&race(&["gd:lr=0.25"], 60), 1e-6);
        let m = &rows[0];
        // ¾ᵗ < 1e-6 first at t = 49 (ln 1e-6 / ln ¾ = 48.02).
        assert_eq!(m.steps_to_grad_tol, Some(49));
        // ½(9/16)ᵗ < 1e-6 first at t = 23 (ln 2e-6 / ln(9/16) = 22.81).
        assert_eq!(m.steps_to_loss_tol, Some(23));
        let x = 0.75f64.powi(60);
        assert!((m.final_loss / (0.5 * x * x) - 1.0).abs() < 1e-12);
        assert!((m.distance_to_minimum.unwrap() / x - 1.0).abs() < 1e-12);
        // One gradient per step, no values or Hessians.
        assert_eq!(
            (m.value_evals, m.gradient_evals, m.hessian_evals),
            (0, 60, 0)
        );
        assert_eq!((m.status, m.steps), (Status::Running, 60));
    }

    #[test]
    fn never_reached_diverged_and_unknown_minimum() {
        let rows = summarize(&race(&["gd:lr=0.6", "newton"], 200), 1e-6);
        // lr·λmax = 2.4 > 2: y grows ×1.4 per step until it leaves the box.
        assert_eq!(rows[0].status, Status::Diverged);
        assert_eq!(rows[0].steps_to_grad_tol, None);
        // Newton: one step to (0, 0); there the gradient is 0 and no Hessian is asked for.
        assert_eq!(rows[1].steps_to_grad_tol, Some(1));
        assert_eq!((rows[1].gradient_evals, rows[1].hessian_evals), (200, 1));
        let unknown = RaceSpec {
            surface: "expr:x^2+y^2".into(),
            optimizers: vec!["gd:lr=0.1".into()],
            ..RaceSpec::default()
        }
        .build()
        .unwrap();
        let m = &summarize(&unknown, 1e-6)[0];
        assert_eq!((m.steps_to_loss_tol, m.distance_to_minimum), (None, None));
    }

    #[test]
    fn columns_sort_with_unknowns_last() {
        let rows = summarize(&race(&["gd:lr=0.1", "gd:lr=0.25", "gd:lr=0.6"], 100), 1e-6);
        let mut by_speed = rows.clone();
        by_speed.sort_by(|a, b| Column::StepsToGradTol.compare(a, b));
        let order: Vec<&str> = by_speed.iter().map(|m| m.optimizer.as_str()).collect();
        // gd:lr=0.25 contracts x by ¾ per step, gd:lr=0.1 by 0.9; lr=0.6 never converges.
        assert_eq!(order, ["gd:lr=0.25", "gd:lr=0.1", "gd:lr=0.6"]);
        let mut by_loss = rows;
        by_loss.sort_by(|a, b| Column::FinalLoss.compare(a, b));
        assert_eq!(by_loss[2].optimizer, "gd:lr=0.6");
    }

    #[test]
    fn text_table_aligns_columns() {
        let rows = summarize(&race(&["gd:lr=0.25", "momentum:lr=0.01"], 30), 1e-6);
        let text = text_table(&rows, 1e-6);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("optimizer"));
        let col = |line: &str| line.chars().position(|c| c == '/').unwrap();
        // The evals column (f/∇f/H) starts at the same character in both rows.
        assert_eq!(
            lines[2]
                .find("0/30/0")
                .map(|b| lines[2][..b].chars().count()),
            lines[3]
                .find("0/30/0")
                .map(|b| lines[3][..b].chars().count())
        );
        assert!(col(lines[2]) > 10);
    }
}
