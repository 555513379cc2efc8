//! A data surface as a [`Landscape`]: the model's loss over the dataset, its default view
//! and start, its minimum as the known critical point, and its axes named after the
//! parameters.

use std::sync::Arc;

use super::Landscape;
use crate::P2;
use crate::data::model::{DataSurface, MODELS, Minimum, ModelSpec, Shared};
use crate::data::{DataKind, Dataset, Loss};
use crate::spec::SpecError;
use crate::surface::{Bounds, Critical, CriticalKind, Regularization, Surface};

/// The dataset a model gets when none is given.
pub fn default_data(kind: DataKind) -> &'static str {
    match kind {
        DataKind::Regression => "line",
        DataKind::Classification => "blobs",
    }
}

/// The landscape of `model` on the dataset `data` (its default when `None`), plus `term`.
pub fn build(
    model: ModelSpec,
    data: Option<&str>,
    term: Option<Regularization>,
) -> Result<Landscape, SpecError> {
    let data = Dataset::parse(data.unwrap_or(default_data(model.data_kind())))?;
    let surface = DataSurface::new(model, Arc::new(data), term)?;
    let as_critical = |s: &DataSurface| -> Vec<Critical> {
        s.minimum
            .point()
            .map(|p| Critical {
                x: p.x,
                y: p.y,
                f: s.value(p),
                kind: CriticalKind::GlobalMinimum,
            })
            .into_iter()
            .collect()
    };
    let critical = as_critical(&surface);
    let unregularized_minima = if term.is_some() {
        as_critical(&surface.unregularized()?)
    } else {
        Vec::new()
    };
    let (view, start) = frame(&surface.minimum);
    let surface = Arc::new(surface);
    Ok(Landscape {
        spec: String::new(),
        surface: Box::new(Shared(Arc::clone(&surface))),
        view,
        start,
        critical,
        unregularized_minima,
        axes: model.axes(),
        data: Some(surface),
    })
}

/// A square view centred on the minimum (the origin when there is none), half as wide
/// again as the minimum's largest coordinate and at least ±2; the start up and to the left.
fn frame(minimum: &Minimum) -> (Bounds, P2) {
    let centre = minimum.point().unwrap_or_else(P2::zeros);
    let r = (1.5 * centre.amax()).max(2.0);
    let view = Bounds::new(centre.x - r, centre.x + r, centre.y - r, centre.y + r);
    (view, centre + P2::new(-0.7 * r, 0.6 * r))
}

/// The models on their default data for `descent list surfaces`: each loss's minimum, or
/// why there is none.
pub fn models_text() -> Result<String, SpecError> {
    use std::fmt::Write as _;
    let mut s = String::from("Models on data (--data SPEC; default data line or blobs):\n");
    for (name, formula, _) in MODELS {
        let _ = writeln!(s, "{name}: {formula}");
        let losses = if *name == "linear-regression" {
            Loss::REGRESSION
        } else {
            Loss::CLASSIFICATION
        };
        for loss in losses {
            let spec = format!("{name}:loss={loss}");
            let land = Landscape::parse(&spec)?;
            let Some(data) = &land.data else { continue };
            let text = match &data.minimum {
                Minimum::Exact(p) => {
                    format!("minimum (normal equations) at ({:.6}, {:.6})", p.x, p.y)
                }
                Minimum::Located(p) => format!("minimum at ({:.6}, {:.6})", p.x, p.y),
                Minimum::None(why) => why.clone(),
            };
            let _ = writeln!(s, "    loss={loss} on {}: {text}", data.data.spec);
        }
    }
    Ok(s)
}
