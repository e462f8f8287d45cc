use custio_engine::records::Shop;
use custio_engine::{Engine, EngineError};

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
            let shop = Shop {
                id,
                name,
                url,
                language,
            };
            engine
                .save_shop(shop, &super::actor())
                .map_err(|e| match e {
                    EngineError::ShopIdZero
                    | EngineError::NameMissing(_)
                    | EngineError::InvalidLanguage(_) => UsageError(e.to_string()).into(),
                    other => anyhow::Error::new(other),
                })?;
            outln!("shop {id} saved");
        }
        ShopsCommand::List { json } => {
            let shops = engine.shops()?;
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
