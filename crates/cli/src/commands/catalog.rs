//! What dialect rules pair against: agreements, pricelists, groups.

use custio_engine::Engine;
use custio_engine::store::AgreementKind;

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

fn non_empty(name: &str, what: &str) -> Result<String, UsageError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(UsageError(format!("a {what} needs a name")));
    }
    Ok(name.to_string())
}

pub fn agreements(engine: &Engine, cmd: AgreementsCommand) -> anyhow::Result<Outcome> {
    let store = engine.store();
    match cmd {
        AgreementsCommand::Add {
            name,
            validity_days,
            json,
        } => {
            let agreement = AgreementKind {
                name: non_empty(&name, "agreement")?,
                validity_days,
            };
            store.put_agreement(&agreement)?;
            if json {
                output::json(&agreement)?;
            } else {
                outln!("agreement '{}' saved", agreement.name);
            }
        }
        AgreementsCommand::List { json } => {
            let list = store.agreements()?;
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
    let store = engine.store();
    match cmd {
        PricelistsCommand::Add { name, json } => {
            let name = non_empty(&name, "pricelist")?;
            store.put_pricelist(&name)?;
            if json {
                output::json(&serde_json::json!({ "name": name }))?;
            } else {
                outln!("pricelist '{name}' saved");
            }
            Ok(Outcome::Done)
        }
        PricelistsCommand::List { json } => names(&store.pricelists()?, json, "pricelist"),
    }
}

pub fn groups(engine: &Engine, cmd: GroupsCommand) -> anyhow::Result<Outcome> {
    match cmd {
        GroupsCommand::List { json } => names(&engine.store().groups()?, json, "group"),
    }
}
