//! One module per command group.

mod batches;
mod catalog;
mod convert;
mod customers;
mod export;
mod formats;
mod import;
mod jobs;
mod mappings;
mod migrate;
mod serve;
mod shops;
mod users;

use anyhow::Context;
use custio_engine::Engine;

use crate::Outcome;
use crate::args::{Cli, Command};

/// Who the command line acts as, for the audit log: `cli:$USER`.
pub fn actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match &cli.command {
        Command::Formats(args) => return formats::run(args),
        Command::Convert(args) => return convert::run(args),
        _ => {}
    }
    match cli.command {
        Command::Serve(args) => return serve::run(&cli.db, args),
        Command::Worker(args) => return jobs::work(&cli.db, args),
        _ => {}
    }
    let engine = Engine::open(&cli.db)
        .with_context(|| format!("opening the database {}", Engine::shown_url(&cli.db)))?;
    match cli.command {
        Command::Import(args) => import::run(&engine, args),
        Command::Batches(cmd) => batches::run(&engine, cmd),
        Command::Export(args) => export::run(&engine, args),
        Command::Customers(cmd) => customers::run(&engine, cmd),
        Command::Shops(cmd) => shops::run(&engine, cmd),
        Command::Agreements(cmd) => catalog::agreements(&engine, cmd),
        Command::Pricelists(cmd) => catalog::pricelists(&engine, cmd),
        Command::Groups(cmd) => catalog::groups(&engine, cmd),
        Command::Mappings(cmd) => mappings::run(&engine, cmd),
        Command::Users(cmd) => users::run(&engine, cmd),
        Command::Jobs(cmd) => jobs::run(&engine, cmd),
        Command::Migrate(args) => migrate::run(engine, args),
        Command::Formats(_) | Command::Convert(_) | Command::Serve(_) | Command::Worker(_) => {
            unreachable!("handled above")
        }
    }
}
