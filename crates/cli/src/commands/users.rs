//! `custio users`: the accounts of the panel and the API, from the command line.

use std::io::BufRead;

use anyhow::Context;
use custio_engine::Engine;
use custio_engine::store::Role;

use crate::args::UsersCommand;
use crate::{Outcome, UsageError, output};

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    custio_web::auth::check_new_password(&password).map_err(|e| UsageError(e.message))?;
    Ok(password)
}

fn hash(password: &str) -> anyhow::Result<String> {
    custio_web::auth::hash_password(password).map_err(|e| anyhow::anyhow!(e.message))
}

pub fn run(engine: &Engine, cmd: UsersCommand) -> anyhow::Result<Outcome> {
    let store = engine.store();
    match cmd {
        UsersCommand::Add { name, admin } => {
            let password = read_password()?;
            let role = if admin { Role::Admin } else { Role::Staff };
            let id = store.create_user(name.trim(), &hash(&password)?, role)?;
            outln!("user {id} '{}' added ({})", name.trim(), role.as_str());
        }
        UsersCommand::List { json } => {
            let users = store.users()?;
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
            let user = store
                .user_by_name(&name)?
                .ok_or_else(|| UsageError(format!("there is no user '{name}'")))?;
            let password = read_password()?;
            store.set_password(user.id, &hash(&password)?)?;
            outln!(
                "password of '{}' changed; their sessions ended",
                user.username
            );
        }
    }
    Ok(Outcome::Done)
}
