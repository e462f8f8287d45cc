use custio_engine::Engine;
use custio_engine::model::Language;
use custio_engine::store::Shop;

use crate::args::ShopsCommand;
use crate::{Outcome, UsageError, output};

pub fn run(engine: &Engine, cmd: ShopsCommand) -> anyhow::Result<Outcome> {
    match cmd {
        ShopsCommand::Add {
            id,
            name,
            url,
            language,
        } => {
            if id == 0 {
                return Err(UsageError("shop ids start at 1".into()).into());
            }
            let language = language
                .map(|l| Language::parse(&l).map(|l| l.code().to_string()))
                .transpose()
                .map_err(|e| UsageError(e.to_string()))?;
            engine.store().put_shop(&Shop {
                id,
                name,
                url,
                language,
            })?;
            outln!("shop {id} saved");
        }
        ShopsCommand::List { json } => {
            let shops = engine.store().shops()?;
            if json {
                output::json(&shops)?;
            } else {
                let rows: Vec<Vec<String>> = shops
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            s.name.clone(),
                            s.url.clone().unwrap_or_default(),
                            s.language.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                output::table(&["id", "name", "url", "language"], &rows)?;
            }
        }
    }
    Ok(Outcome::Done)
}
