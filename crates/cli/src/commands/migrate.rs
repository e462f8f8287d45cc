//! `custio migrate`: migrations from Shoper, PrestaShop and WooCommerce over their APIs.
//! What a migration does is the engine's (`custio_engine::migrations`).

use anyhow::Context;
use custio_engine::Engine;
use custio_engine::jobs::DataDir;
use custio_engine::migrations::MigrationView;
use custio_sources::{Credentials, Platform};

use crate::args::{MigrateArgs, MigrateCommand, SourceArgs};
use crate::progress::Bar;
use crate::{Outcome, UsageError, output};

pub fn run(engine: Engine, args: MigrateArgs) -> anyhow::Result<Outcome> {
    let engine = engine.with_private_sources(args.allow_private_sources);
    let files = || {
        DataDir::create(&args.data_dir)
            .with_context(|| format!("opening the data directory {}", args.data_dir.display()))
    };
    match args.command {
        MigrateCommand::Check(source) => {
            let credentials = credentials(&source)?;
            match engine.check_source(&source.url, credentials) {
                Ok(connection) => {
                    match connection.customers {
                        Some(n) => outln!("connection correct ({n} customers)"),
                        None => outln!("connection correct"),
                    }
                    Ok(Outcome::Done)
                }
                Err(custio_engine::EngineError::Source(e)) => {
                    outln!("connection incorrect: {e}");
                    Ok(Outcome::Refused)
                }
                Err(e) => Err(e.into()),
            }
        }
        MigrateCommand::Start {
            source,
            shops,
            detach,
            json,
        } => {
            let credentials = credentials(&source)?;
            let files = files()?;
            let id = engine
                .start_migration(
                    &source.url,
                    credentials,
                    shops,
                    &super::actor(),
                    &files,
                    detach,
                )
                .map_err(|e| match e {
                    custio_engine::EngineError::Source(e) => {
                        anyhow::anyhow!("connection incorrect: {e}")
                    }
                    other => other.into(),
                })?;
            if detach {
                if json {
                    output::json(&engine.migration(id)?)?;
                } else {
                    outln!("migration {id} queued; follow it with `custio migrate status {id}`");
                }
                return Ok(Outcome::Done);
            }
            if !json {
                outln!("migration {id}");
            }
            fetch(&engine, id, &files, json)
        }
        MigrateCommand::Resume { id, json } => fetch(&engine, id, &files()?, json),
        MigrateCommand::Status { id, json } => {
            let migration = engine.migration(id)?;
            if json {
                output::json(&migration)?;
            } else {
                print(&migration)?;
            }
            Ok(Outcome::Done)
        }
        MigrateCommand::List { json } => {
            let migrations = engine.migrations()?;
            if json {
                output::json(&migrations)?;
            } else if migrations.is_empty() {
                outln!("no migrations yet; start one with `custio migrate start`");
            } else {
                for m in &migrations {
                    outln!(
                        "{:>5}  {:<11} {:<10} {:>8} customers  {}",
                        m.id,
                        m.platform,
                        m.status.as_str(),
                        m.customers,
                        m.url
                    );
                }
            }
            Ok(Outcome::Done)
        }
        MigrateCommand::Import { id } => {
            let files = files()?;
            let batch = engine.import_migration(id, &files, &Bar::new())?;
            outln!("{batch}");
            Ok(Outcome::Done)
        }
        MigrateCommand::DeleteSource { id } => {
            engine.delete_source(id, &super::actor())?;
            outln!("migration {id}: source deleted, its credentials erased");
            Ok(Outcome::Done)
        }
    }
}

/// Runs a migration's fetch in the foreground, then says where it stands.
fn fetch(engine: &Engine, id: i64, files: &DataDir, json: bool) -> anyhow::Result<Outcome> {
    engine
        .run_migration(id, files, &Bar::new())
        .with_context(|| {
            format!(
                "migration {id} stopped; `custio migrate resume {id}` goes on from its last page"
            )
        })?;
    let migration = engine.migration(id)?;
    if json {
        output::json(&migration)?;
    } else {
        print(&migration)?;
    }
    Ok(Outcome::Done)
}

fn print(m: &MigrationView) -> anyhow::Result<()> {
    outln!("migration {}: {} {}", m.id, m.platform, m.url);
    outln!("status: {}", describe(m));
    outln!("customers: {} ({} pages)", m.customers, m.pages);
    for (reason, count) in &m.skipped {
        outln!("left out ({reason}): {count}");
    }
    if m.with_problems > 0 {
        outln!(
            "customers with values that could not be taken: {}",
            m.with_problems
        );
    }
    if let Some(file) = &m.file {
        outln!("file: {file}");
    }
    if let Some(batch) = m.batch {
        outln!("batch: {batch} (`custio batches show {batch}`)");
    }
    if let Some(error) = &m.error {
        outln!("error: {error}");
    }
    Ok(())
}

fn describe(m: &MigrationView) -> String {
    use custio_engine::migrations::MigrationStatus::*;
    match m.status {
        Queued => "queued".into(),
        Fetching => "waiting for the XML file to be generated".into(),
        Verifying => format!(
            "waiting for verification (`custio migrate import {}` opens a batch)",
            m.id
        ),
        Checked => "checked into a batch".into(),
        Failed => format!(
            "failed (`custio migrate resume {}` goes on from the last page)",
            m.id
        ),
        Deleted => "source deleted".into(),
    }
}

/// The credentials the flags give for the platform, or a usage error naming what is
/// missing.
fn credentials(args: &SourceArgs) -> anyhow::Result<Credentials> {
    let platform = Platform::parse(&args.platform).ok_or_else(|| {
        UsageError(format!(
            "unknown platform '{}'; use shoper, prestashop or woocommerce",
            args.platform
        ))
    })?;
    let need = |value: &Option<String>, flag: &str| -> Result<String, UsageError> {
        value
            .clone()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| UsageError(format!("{} needs {flag}", platform.name())))
    };
    Ok(match platform {
        Platform::PrestaShop => Credentials::PrestaShop {
            key: need(&args.key, "--key (or CUSTIO_SOURCE_KEY)")?.into(),
        },
        Platform::WooCommerce => Credentials::WooCommerce {
            consumer_key: need(&args.consumer_key, "--consumer-key (or CUSTIO_SOURCE_KEY)")?.into(),
            consumer_secret: need(
                &args.consumer_secret,
                "--consumer-secret (or CUSTIO_SOURCE_SECRET)",
            )?
            .into(),
        },
        Platform::Shoper => Credentials::Shoper {
            login: need(&args.login, "--login")?,
            password: need(&args.password, "--password (or CUSTIO_SOURCE_PASSWORD)")?.into(),
        },
    })
}
