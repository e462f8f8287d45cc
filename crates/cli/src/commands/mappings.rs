//! `custio mappings`: saved mapping profiles for files whose headers are not a format's own.

use custio_engine::Engine;
use custio_engine::records::MappingProfile;

use crate::args::MappingsCommand;
use crate::{Outcome, UsageError, output};

/// Parses `--map 'Column name=field'` arguments; the last `=` separates (a header may hold
/// one).
pub fn parse_maps(maps: &[String]) -> Result<Vec<(String, String)>, UsageError> {
    maps.iter()
        .map(|m| {
            m.rsplit_once('=')
                .map(|(c, f)| (c.to_string(), f.to_string()))
                .ok_or_else(|| {
                    UsageError(format!(
                        "--map '{m}' needs the form 'Column name=field' or 'Column name=ignore'"
                    ))
                })
        })
        .collect()
}

/// Reads `--bind FIELD=COLUMN` arguments.
pub fn parse_binds(binds: &[String]) -> Result<Vec<(String, String)>, UsageError> {
    binds
        .iter()
        .map(|b| {
            b.split_once('=')
                .map(|(f, c)| (f.trim().to_string(), c.trim().to_string()))
                .ok_or_else(|| UsageError(format!("--bind '{b}' needs the form FIELD=COLUMN, e.g. email=3 or 'first name=Imię'")))
        })
        .collect()
}

pub fn run(engine: &Engine, cmd: MappingsCommand) -> anyhow::Result<Outcome> {
    match cmd {
        MappingsCommand::List { json } => {
            let profiles = engine.mapping_profiles()?;
            if json {
                output::json(&profiles)?;
            } else if profiles.is_empty() {
                outln!(
                    "no mapping profiles; save one with: custio mappings save NAME --format csv --map 'Column=field'"
                );
            } else {
                let rows: Vec<Vec<String>> = profiles
                    .iter()
                    .map(|p| {
                        vec![
                            p.name.clone(),
                            p.dialect.clone(),
                            p.columns.len().to_string(),
                            p.ignored.len().to_string(),
                        ]
                    })
                    .collect();
                output::table(&["name", "format", "mapped", "ignored"], &rows)?;
            }
        }
        MappingsCommand::Show { name, json } => {
            let profile = engine.mapping_profile(&name)?;
            if json {
                output::json(&profile)?;
            } else {
                outln!("{} (format {})", profile.name, profile.dialect);
                let mut rows: Vec<Vec<String>> = profile
                    .columns
                    .iter()
                    .map(|(c, t)| vec![c.clone(), t.clone()])
                    .collect();
                rows.extend(
                    profile
                        .ignored
                        .iter()
                        .map(|c| vec![c.clone(), "ignore".into()]),
                );
                output::table(&["column", "field"], &rows)?;
            }
        }
        MappingsCommand::Save {
            name,
            format,
            maps,
            ignored,
        } => {
            let mut columns = Vec::new();
            let mut ignored = ignored;
            for (column, target) in parse_maps(&maps)? {
                if target.trim().eq_ignore_ascii_case("ignore") {
                    ignored.push(column);
                } else {
                    columns.push((column, target.trim().to_string()));
                }
            }
            if columns.is_empty() && ignored.is_empty() {
                return Err(UsageError(
                    "a mapping profile needs at least one --map 'Column=field' or --ignore COLUMN"
                        .into(),
                )
                .into());
            }
            let profile = MappingProfile {
                name: name.clone(),
                dialect: format,
                columns,
                ignored,
            };
            engine
                .save_mapping_profile(&profile)
                .map_err(|e| UsageError(e.to_string()))?;
            outln!(
                "saved mapping profile '{name}': {} column(s) mapped, {} ignored; use it with: custio import FILE --format {} --mapping '{name}'",
                profile.columns.len(),
                profile.ignored.len(),
                engine.mapping_profile(&name)?.dialect
            );
        }
        MappingsCommand::Delete { name } => {
            engine.delete_mapping_profile(&name)?;
            outln!("deleted mapping profile '{name}'");
        }
    }
    Ok(Outcome::Done)
}
