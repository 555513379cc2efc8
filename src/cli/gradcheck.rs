//! `descent gradcheck`: finite differences against the exact gradient at a point, or of a
//! network's loss at its initial parameters.

use std::sync::Arc;

use clap::Args as ClapArgs;

use super::common::{Failure, OutputFormat, emit};
use crate::data::Table;
use crate::landscape::Landscape;
use crate::net::{Init, Network, Rows};
use crate::spec::parse_point;

#[derive(Debug, ClapArgs)]
pub struct GradcheckArgs {
    /// Surface spec, as for 'descent run'.
    #[arg(long, default_value = "rosenbrock")]
    pub surface: String,
    /// Dataset of a model surface (linear-regression, linear-classifier), or of the network
    /// (required with --model; see 'descent list datasets').
    #[arg(long, value_name = "SPEC")]
    pub data: Option<String>,
    /// The point X,Y (a surface's check).
    #[arg(
        long,
        value_name = "X,Y",
        allow_hyphen_values = true,
        required_unless_present = "model"
    )]
    pub at: Option<String>,
    /// Check a network instead of a surface: mlp:hidden=16x16,activation=tanh (see 'descent
    /// list models'), over --data, at its initial parameters. CSV: one row per (scheme, h):
    /// scheme,h,relative_error,worst_index,worst_tensor,worst_exact,worst_numeric, then one
    /// column per tensor (0.weight, 0.bias, …) holding its relative error.
    #[arg(
        long,
        value_name = "SPEC",
        conflicts_with_all = ["surface", "at"],
        requires = "data"
    )]
    pub model: Option<String>,
    /// With --model: the network's loss, cross-entropy or mse (default: cross-entropy for classes, mse for
    /// regression).
    #[arg(long, value_name = "LOSS")]
    pub loss: Option<String>,
    /// With --model: the network's initial parameters, torch (default), xavier, he, zeros (each with
    /// :scale=s) or FILE.json holding {"parameters": [[…], …]} (see 'descent list inits').
    #[arg(long, value_name = "SCHEME|FILE.json")]
    pub init: Option<String>,
    /// With --model: the seed of the network's initialization (default 0).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub fn gradcheck(args: &GradcheckArgs) -> Result<(), Failure> {
    if let Some(model) = &args.model {
        return network(args, model);
    }
    if let Some(flag) = [
        ("--loss", args.loss.is_some()),
        ("--init", args.init.is_some()),
        ("--seed", args.seed.is_some()),
    ]
    .iter()
    .find_map(|&(flag, given)| given.then_some(flag))
    {
        return Err(Failure::Input(format!(
            "{flag} is for a network's check (--model SPEC --data SPEC), not a surface's"
        )));
    }
    use crate::data::output::{gradcheck_csv, gradcheck_json, gradcheck_text};
    let landscape = Landscape::parse_with_data(&args.surface, args.data.as_deref())?;
    // clap requires --at without --model
    let [x, y] = parse_point(args.at.as_deref().unwrap_or_default())?;
    let check = crate::data::gradcheck::check(landscape.surface.as_ref(), crate::P2::new(x, y));
    let text = match args.format {
        OutputFormat::Text => gradcheck_text(&check),
        OutputFormat::Csv => gradcheck_csv(&check),
        OutputFormat::Json => gradcheck_json(&check),
    };
    emit(None, |out| out.write_all(text.as_bytes()))
}

/// The check of a network over `--data` at its initialization.
fn network(args: &GradcheckArgs, model: &str) -> Result<(), Failure> {
    use crate::net::output::{gradcheck_csv, gradcheck_json, gradcheck_text};
    // clap requires --data with --model
    let data = args.data.as_deref().unwrap_or_default();
    let table = Arc::new(Table::parse(data)?);
    let net = Network::from_specs(model, args.loss.as_deref(), table)?;
    let init = Init::parse(args.init.as_deref().unwrap_or("torch"))?;
    let params = init.parameters(net.mlp(), args.seed.unwrap_or(0))?;
    let check = crate::net::gradcheck::check(&net, &params, Rows::All);
    let text = match args.format {
        OutputFormat::Text => gradcheck_text(&check, &net),
        OutputFormat::Csv => gradcheck_csv(&check, &net),
        OutputFormat::Json => gradcheck_json(&check),
    };
    emit(None, |out| out.write_all(text.as_bytes()))
}
