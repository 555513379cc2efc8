//! `descent data`: print a dataset's points.

use clap::{Args as ClapArgs, ValueEnum};

use super::common::{Failure, emit};

#[derive(Debug, ClapArgs)]
pub struct DataArgs {
    /// Dataset spec: NAME:key=value,… (see 'descent list datasets'), FILE.csv or points:X,Y;…
    #[arg(value_name = "SPEC")]
    pub spec: String,
    #[arg(long, value_enum, default_value_t = DataFormat::Csv)]
    pub format: DataFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Csv,
    Json,
}

pub fn data(args: &DataArgs) -> Result<(), Failure> {
    let data = crate::data::Dataset::parse(&args.spec)?;
    let text = match args.format {
        DataFormat::Csv => crate::data::output::points_csv(&data),
        DataFormat::Json => crate::data::output::points_json(&data),
    };
    emit(None, |out| out.write_all(text.as_bytes()))
}
