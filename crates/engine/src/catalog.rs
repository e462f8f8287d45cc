//! What imports pair against and exports name: shops, customer groups, agreements
//! (consents) and pricelists. Mapping profiles are in `lib.rs` and `mapping.rs`.

use custio_model::Language;
use custio_store::{AgreementKind, Shop};

use crate::error::Named;
use crate::{Engine, EngineError};

impl Engine {
    /// Every shop, by id.
    pub fn shops(&self) -> Result<Vec<Shop>, EngineError> {
        Ok(self.store().catalog().shops()?)
    }

    /// Adds a shop or renames one, and writes it to the audit log under `actor`. The id
    /// must be above 0 and the name not empty; the language (a code or an English name)
    /// is kept as its ISO 639-1 code. Returns the shop as saved.
    pub fn save_shop(&self, shop: Shop, actor: &str) -> Result<Shop, EngineError> {
        if shop.id == 0 {
            return Err(EngineError::ShopIdZero);
        }
        let name = shop.name.trim().to_string();
        if name.is_empty() {
            return Err(EngineError::NameMissing(Named::Shop));
        }
        let language = shop
            .language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| Language::parse(l).map(|l| l.code().to_string()))
            .transpose()
            .map_err(EngineError::InvalidLanguage)?;
        let shop = Shop {
            id: shop.id,
            name,
            url: shop
                .url
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty()),
            language,
        };
        self.store().catalog().put_shop(&shop)?;
        self.record(
            actor,
            "shop_saved",
            format!("shop {} '{}'", shop.id, shop.name),
        )?;
        Ok(shop)
    }

    /// Customer groups, by name.
    pub fn groups(&self) -> Result<Vec<String>, EngineError> {
        Ok(self.store().catalog().groups()?)
    }

    /// The agreements (consents) the shop has, by name.
    pub fn agreements(&self) -> Result<Vec<AgreementKind>, EngineError> {
        Ok(self.store().catalog().agreements()?)
    }

    /// Adds an agreement or changes its validity; returns it as saved.
    pub fn save_agreement(&self, agreement: AgreementKind) -> Result<AgreementKind, EngineError> {
        let agreement = AgreementKind {
            name: named(&agreement.name, Named::Agreement)?,
            validity_days: agreement.validity_days,
        };
        self.store().catalog().put_agreement(&agreement)?;
        Ok(agreement)
    }

    /// Pricelist names, sorted.
    pub fn pricelists(&self) -> Result<Vec<String>, EngineError> {
        Ok(self.store().catalog().pricelists()?)
    }

    /// Adds a pricelist; returns its name as saved.
    pub fn save_pricelist(&self, name: &str) -> Result<String, EngineError> {
        let name = named(name, Named::Pricelist)?;
        self.store().catalog().put_pricelist(&name)?;
        Ok(name)
    }
}

fn named(name: &str, what: Named) -> Result<String, EngineError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EngineError::NameMissing(what));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::new(custio_store::open(&custio_testdb::memory()).unwrap())
    }

    #[test]
    fn shops_are_checked_normalised_and_audited() {
        let engine = engine();
        let shop = |id, name: &str, language: Option<&str>| Shop {
            id,
            name: name.into(),
            url: Some(" ".into()),
            language: language.map(String::from),
        };
        assert!(matches!(
            engine.save_shop(shop(0, "A", None), "cli:t"),
            Err(EngineError::ShopIdZero)
        ));
        assert!(matches!(
            engine.save_shop(shop(2, "  ", None), "cli:t"),
            Err(EngineError::NameMissing(Named::Shop))
        ));
        assert!(matches!(
            engine.save_shop(shop(2, "B", Some("klingon-ish")), "cli:t"),
            Err(EngineError::InvalidLanguage(_))
        ));
        let saved = engine
            .save_shop(shop(2, " Sklep B ", Some("pol")), "web:ola")
            .unwrap();
        assert_eq!(saved.name, "Sklep B");
        assert_eq!(saved.language.as_deref(), Some("pl"));
        assert_eq!(saved.url, None);
        assert_eq!(engine.shops().unwrap()[1], saved);
        let log = engine.audit_log(10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(
            (log[0].actor.as_str(), log[0].action.as_str()),
            ("web:ola", "shop_saved")
        );
        assert_eq!(log[0].detail, "shop 2 'Sklep B'");
    }

    #[test]
    fn agreements_and_pricelists_need_names() {
        let engine = engine();
        assert_eq!(
            engine
                .save_agreement(AgreementKind {
                    name: " ".into(),
                    validity_days: None
                })
                .unwrap_err()
                .to_string(),
            "an agreement needs a name"
        );
        engine.save_pricelist(" Hurt ").unwrap();
        assert_eq!(engine.pricelists().unwrap(), ["Hurt"]);
    }
}
