//! `custio users`: the accounts of the panel and the API, from the command line.

use std::io::BufRead;

use anyhow::Context;
use custio_engine::Engine;
use custio_engine::accounts::check_new_password;
use custio_engine::records::Role;

use crate::args::UsersCommand;
use crate::{Outcome, UsageError, output};

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    check_new_password(&password).map_err(|e| UsageError(e.to_string()))?;
    Ok(password)
}

pub fn run(engine: &Engine, cmd: UsersCommand) -> anyhow::Result<Outcome> {
    match cmd {
        UsersCommand::Add { name, admin } => {
            let password = read_password()?;
            let role = if admin { Role::Admin } else { Role::Staff };
            let user = engine
                .create_user(&name, &password, role, &super::actor())
                .map_err(|e| match e {
                    custio_engine::AccountError::InvalidUserName => {
                        anyhow::Error::new(UsageError(e.to_string()))
                    }
                    other => other.into(),
                })?;
            outln!(
                "user {} '{}' added ({})",
                user.id,
                user.username,
                role.as_str()
            );
        }
        UsersCommand::List { json } => {
            let users = engine.users()?;
            if json {
                output::json(&serde_json::to_value(&users)?)?;
            } else {
                for u in users {
                    outln!(
                        "{}\t{}\t{}\t{}",
                        u.id,
                        u.username,
                        u.role.as_str(),
                        u.created_at
                    );
                }
            }
        }
        UsersCommand::Passwd { name } => {
            let user = engine.user_by_name(&name).map_err(|e| match e {
                custio_engine::AccountError::UnknownUser(_) => {
                    anyhow::Error::new(UsageError(e.to_string()))
                }
                other => other.into(),
            })?;
            let password = read_password()?;
            engine.change_password(user.id, None, &password, &super::actor())?;
            outln!(
                "password of '{}' changed; their sessions ended",
                user.username
            );
        }
    }
    Ok(Outcome::Done)
}
