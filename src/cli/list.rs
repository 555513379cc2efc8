//! `descent list`: the surfaces, optimizers, schedules, datasets, network models and
//! initializations with their parameters.

use std::io::{self, Write};

use clap::{Args as ClapArgs, ValueEnum};
use serde::Serialize;

use super::common::{Failure, output_error};
use crate::landscape::Landscape;
use crate::optim::OPTIMIZERS;
use crate::schedule::SCHEDULES;
use crate::spec::{Param, SpecError};
use crate::surface::{CATALOG, SurfaceEntry};

#[derive(Debug, ClapArgs)]
pub struct ListArgs {
    /// What to list: the surfaces, optimizers, schedules, datasets (of surfaces and networks),
    /// network models (with their losses) or initializations.
    #[arg(
        value_enum,
        value_name = "surfaces|optimizers|schedules|datasets|models|inits"
    )]
    pub what: ListWhat,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    Surfaces,
    Optimizers,
    Schedules,
    Datasets,
    Models,
    Inits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

pub fn list(args: &ListArgs) -> Result<(), Failure> {
    let text = match args.format {
        ListFormat::Text => list_text(args.what)?,
        ListFormat::Json => list_json(args.what)?,
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .map_err(|e| output_error("standard output", e))
}

#[derive(Serialize)]
struct ParamInfo {
    name: &'static str,
    default: String,
    accepted: String,
    doc: &'static str,
}

fn params_info(params: &[Param]) -> Vec<ParamInfo> {
    params
        .iter()
        .map(|p| ParamInfo {
            name: p.name,
            default: p.default_text(),
            accepted: p.accepted_text(),
            doc: p.doc,
        })
        .collect()
}

fn params_text(params: &[Param]) -> String {
    params
        .iter()
        .map(|p| {
            format!(
                "    {:<26} {} [{}]\n",
                format!("{} = {}", p.name, p.default_text()),
                p.doc,
                p.accepted_text()
            )
        })
        .collect()
}

/// Each catalogue surface built with its defaults.
fn default_landscapes() -> Result<Vec<(&'static SurfaceEntry, Landscape)>, SpecError> {
    CATALOG
        .iter()
        .map(|e| Ok((e, Landscape::parse(e.name)?)))
        .collect()
}

fn list_text(what: ListWhat) -> Result<String, Failure> {
    let mut s = String::new();
    match what {
        ListWhat::Datasets => s = crate::data::output::list_text(),
        ListWhat::Models => s = crate::net::listing::models_text(),
        ListWhat::Inits => s = crate::net::listing::inits_text(),
        ListWhat::Surfaces => {
            for (entry, land) in default_landscapes()? {
                let v = land.view;
                s += &format!(
                    "{}: {}\n{}",
                    entry.name,
                    entry.formula,
                    params_text(entry.params)
                );
                s += &format!(
                    "    view x ∈ [{}, {}], y ∈ [{}, {}]; start ({}, {})\n",
                    v.x[0], v.x[1], v.y[0], v.y[1], land.start.x, land.start.y
                );
                for (i, c) in land.critical.iter().enumerate() {
                    // #i: the index `descent map basins` reports as a run's outcome.
                    s += &format!(
                        "    #{i} {} at ({:.6}, {:.6}), f = {:.6}\n",
                        c.kind, c.x, c.y, c.f
                    );
                }
            }
            s += "expr:FORMULA: any formula in x and y with + - * / ^ ( ), numbers, pi, e, \
                  sin cos tan exp log sqrt abs tanh\n";
            s += "Any surface +l2=λ, +l1=λ or +elastic=λ,ratio=r adds a regularization term.\n";
            s += &crate::landscape::data::models_text()?;
        }
        ListWhat::Optimizers => {
            for e in OPTIMIZERS {
                s += &format!("{}: {}\n{}", e.name, e.rule, params_text(e.params));
            }
        }
        ListWhat::Schedules => {
            for e in SCHEDULES {
                s += &format!("{}: {}\n{}", e.name, e.formula, params_text(e.params));
            }
        }
    }
    Ok(s)
}

fn list_json(what: ListWhat) -> Result<String, Failure> {
    match what {
        ListWhat::Datasets => return Ok(crate::data::output::list_json()),
        ListWhat::Models => return Ok(crate::net::listing::models_json()),
        ListWhat::Inits => return Ok(crate::net::listing::inits_json()),
        ListWhat::Surfaces | ListWhat::Optimizers | ListWhat::Schedules => {}
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        name: &'static str,
        formula: &'static str,
        params: Vec<ParamInfo>,
        #[serde(skip_serializing_if = "Option::is_none")]
        view: Option<crate::surface::Bounds>,
        #[serde(skip_serializing_if = "Option::is_none")]
        start: Option<[f64; 2]>,
        #[serde(skip_serializing_if = "Option::is_none")]
        critical: Option<&'a [crate::surface::Critical]>,
    }
    let landscapes = default_landscapes()?;
    let entries: Vec<Entry> = match what {
        ListWhat::Surfaces => landscapes
            .iter()
            .map(|(entry, land)| Entry {
                name: entry.name,
                formula: entry.formula,
                params: params_info(entry.params),
                view: Some(land.view),
                start: Some([land.start.x, land.start.y]),
                critical: Some(&land.critical),
            })
            .collect(),
        ListWhat::Optimizers => OPTIMIZERS
            .iter()
            .map(|e| Entry {
                name: e.name,
                formula: e.rule,
                params: params_info(e.params),
                view: None,
                start: None,
                critical: None,
            })
            .collect(),
        ListWhat::Schedules => SCHEDULES
            .iter()
            .map(|e| Entry {
                name: e.name,
                formula: e.formula,
                params: params_info(e.params),
                view: None,
                start: None,
                critical: None,
            })
            .collect(),
        ListWhat::Datasets | ListWhat::Models | ListWhat::Inits => Vec::new(),
    };
    let mut text = serde_json::to_string_pretty(&entries)
        .map_err(|e| Failure::Output(format!("cannot encode the list: {e}")))?;
    text.push('\n');
    Ok(text)
}
