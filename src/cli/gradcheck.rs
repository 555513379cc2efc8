//! `descent gradcheck`: finite differences against the exact gradient at a point.

use clap::Args as ClapArgs;

use super::common::{Failure, OutputFormat, emit};
use crate::landscape::Landscape;
use crate::spec::parse_point;

#[derive(Debug, ClapArgs)]
pub struct GradcheckArgs {
    /// Surface spec, as for 'descent run'.
    #[arg(long, default_value = "rosenbrock")]
    pub surface: String,
    /// Dataset of a model surface (linear-regression, linear-classifier).
    #[arg(long, value_name = "SPEC")]
    pub data: Option<String>,
    /// The point X,Y.
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true)]
    pub at: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub fn gradcheck(args: &GradcheckArgs) -> Result<(), Failure> {
    use crate::data::output::{gradcheck_csv, gradcheck_json, gradcheck_text};
    let landscape = Landscape::parse_with_data(&args.surface, args.data.as_deref())?;
    let [x, y] = parse_point(&args.at)?;
    let check = crate::data::gradcheck::check(landscape.surface.as_ref(), crate::P2::new(x, y));
    let text = match args.format {
        OutputFormat::Text => gradcheck_text(&check),
        OutputFormat::Csv => gradcheck_csv(&check),
        OutputFormat::Json => gradcheck_json(&check),
    };
    emit(None, |out| out.write_all(text.as_bytes()))
}
