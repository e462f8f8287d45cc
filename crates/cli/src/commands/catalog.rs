//! What dialect rules pair against: agreements, pricelists, groups.

use custio_engine::records::AgreementKind;
use custio_engine::{Engine, EngineError};

use crate::args::{AgreementsCommand, GroupsCommand, PricelistsCommand};
use crate::{Outcome, UsageError, output};

fn names(list: &[String], json: bool, header: &str) -> anyhow::Result<Outcome> {
    if json {
        output::json(&list)?;
    } else {
        let rows: Vec<Vec<String>> = list.iter().map(|n| vec![n.clone()]).collect();
        output::table(&[header], &rows)?;
    }
    Ok(Outcome::Done)
}

/// A name left empty is a usage mistake (exit code 2).
fn usage(e: EngineError) -> anyhow::Error {
    match e {
        EngineError::NameMissing(_) => UsageError(e.to_string()).into(),
        other => other.into(),
    }
}

pub fn agreements(engine: &Engine, cmd: AgreementsCommand) -> anyhow::Result<Outcome> {
    match cmd {
        AgreementsCommand::Add {
            name,
            validity_days,
            json,
        } => {
            let agreement = engine
                .save_agreement(AgreementKind {
                    name,
                    validity_days,
                })
                .map_err(usage)?;
            if json {
                output::json(&agreement)?;
            } else {
                outln!("agreement '{}' saved", agreement.name);
            }
        }
        AgreementsCommand::List { json } => {
            let list = engine.agreements()?;
            if json {
                output::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|a| {
                        vec![
                            a.name.clone(),
                            a.validity_days
                                .map(|d| d.to_string())
                                .unwrap_or_else(|| "-".into()),
                        ]
                    })
                    .collect();
                output::table(&["agreement", "validity days"], &rows)?;
            }
        }
    }
    Ok(Outcome::Done)
}

pub fn pricelists(engine: &Engine, cmd: PricelistsCommand) -> anyhow::Result<Outcome> {
    match cmd {
        PricelistsCommand::Add { name, json } => {
            let name = engine.save_pricelist(&name).map_err(usage)?;
            if json {
                output::json(&serde_json::json!({ "name": name }))?;
            } else {
                outln!("pricelist '{name}' saved");
            }
            Ok(Outcome::Done)
        }
        PricelistsCommand::List { json } => names(&engine.pricelists()?, json, "pricelist"),
    }
}

pub fn groups(engine: &Engine, cmd: GroupsCommand) -> anyhow::Result<Outcome> {
    match cmd {
        GroupsCommand::List { json } => names(&engine.groups()?, json, "group"),
    }
}
