use std::io::Write;

use anyhow::bail;
use custio_engine::Engine;
use custio_engine::records::CustomerQuery;

use crate::args::CustomersCommand;
use crate::{Outcome, output};

pub fn run(engine: &Engine, cmd: CustomersCommand) -> anyhow::Result<Outcome> {
    match cmd {
        CustomersCommand::List { search, json } => list(engine, search, json),
        CustomersCommand::Show { key, json } => {
            let Some(customer) = engine.find_customer(&key)? else {
                bail!(
                    "no customer with id, e-mail or login '{key}'; run `custio customers list --search TEXT`"
                );
            };
            if json {
                output::json(&customer)?;
            } else {
                let value = serde_json::to_value(&customer)?;
                for (k, v) in value.as_object().into_iter().flatten() {
                    if !(v.is_null()
                        || v.as_array().is_some_and(|a| a.is_empty())
                        || v.as_object().is_some_and(|o| o.is_empty()))
                    {
                        outln!("{k}: {v}");
                    }
                }
            }
            Ok(Outcome::Done)
        }
    }
}

fn list(engine: &Engine, search: Option<String>, json: bool) -> anyhow::Result<Outcome> {
    let query = CustomerQuery {
        search,
        ..CustomerQuery::default()
    };
    let mut after = None;
    let mut first = true;
    let mut out = std::io::stdout().lock();
    if json {
        write!(out, "[")?;
    } else {
        writeln!(
            out,
            "{:<8}  {:<20}  {:<32}  {:<28}  city",
            "id", "login", "email", "name"
        )?;
    }
    loop {
        let page = engine.customers_page(&query, after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for c in &page {
            if json {
                if !first {
                    write!(out, ",")?;
                }
                serde_json::to_writer(&mut out, c)?;
            } else {
                writeln!(
                    out,
                    "{:<8}  {:<20}  {:<32}  {:<28}  {}",
                    c.id.unwrap_or_default(),
                    c.login.as_deref().unwrap_or(""),
                    c.email.as_ref().map(|e| e.as_str()).unwrap_or(""),
                    c.display_name(),
                    c.billing.city.as_deref().unwrap_or("")
                )?;
            }
            first = false;
        }
    }
    if json {
        writeln!(out, "]")?;
    }
    Ok(Outcome::Done)
}
