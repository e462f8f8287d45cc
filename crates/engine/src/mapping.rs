//! Saved mapping profiles: which column of a foreign file means which field, kept by name
//! so the next file of the same shape imports without `--map` flags.

use custio_formats::Dialect;
use custio_model::Field;
use custio_store::{MappingProfile, Store};

use crate::EngineError;

/// Checks that every target of `profile` is something its dialect can bind: a customer
/// field (`first_name`, `custom_fields.vip`), a column of the dialect, or `ignore`.
pub(crate) fn validate(dialect: &dyn Dialect, profile: &MappingProfile) -> Result<(), EngineError> {
    if profile.name.trim().is_empty() {
        return Err(EngineError::InvalidMapping(
            "a mapping profile needs a name".into(),
        ));
    }
    for (column, target) in &profile.columns {
        if column.trim().is_empty() {
            return Err(EngineError::InvalidMapping(format!(
                "'={target}' names no column; write 'Column name={target}'"
            )));
        }
        let target = target.trim();
        let known = target.eq_ignore_ascii_case("ignore")
            || Field::parse(target).is_ok()
            || dialect
                .columns()
                .iter()
                .any(|c| c.matches(target).is_some());
        if !known {
            return Err(EngineError::InvalidMapping(format!(
                "'{column}={target}': '{target}' is neither a customer field nor a {} column; use a field such as first_name or billing.city (custio formats lists them) or 'ignore'",
                dialect.name()
            )));
        }
    }
    Ok(())
}

/// The mappings an import uses: the profile's columns and ignored columns, then the
/// explicit ones, which win over the profile's for the same column.
pub(crate) fn resolve(
    store: &dyn Store,
    dialect: &dyn Dialect,
    profile: &str,
    explicit: &[(String, String)],
) -> Result<Vec<(String, String)>, EngineError> {
    let profile = store
        .catalog()
        .mapping_profile(profile)?
        .ok_or_else(|| EngineError::MappingProfileNotFound(profile.to_string()))?;
    if !profile.dialect.eq_ignore_ascii_case(dialect.id()) {
        return Err(EngineError::InvalidMapping(format!(
            "the mapping profile '{}' is for {} files, not {}; import with --format {}",
            profile.name,
            profile.dialect,
            dialect.id(),
            profile.dialect
        )));
    }
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let mut out: Vec<(String, String)> = explicit.to_vec();
    let saved = profile
        .columns
        .iter()
        .cloned()
        .chain(profile.ignored.iter().map(|c| (c.clone(), "ignore".into())));
    for (column, target) in saved {
        if !out.iter().any(|(c, _)| same(c, &column)) {
            out.push((column, target));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(columns: &[(&str, &str)], ignored: &[&str]) -> MappingProfile {
        MappingProfile {
            name: "eshop".into(),
            dialect: "csv".into(),
            columns: columns
                .iter()
                .map(|(c, t)| (c.to_string(), t.to_string()))
                .collect(),
            ignored: ignored.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn explicit_mappings_win_and_ignored_columns_are_read_past() {
        let store = custio_store::open(&custio_testdb::memory()).unwrap();
        let csv = custio_formats::dialect("csv").unwrap();
        store
            .catalog()
            .put_mapping_profile(&profile(
                &[("Imię", "first_name"), ("Miasto", "billing.city")],
                &["Urodziny"],
            ))
            .unwrap();
        let explicit = vec![("miasto".to_string(), "shipping.city".to_string())];
        let got = resolve(store.as_ref(), csv, "eshop", &explicit).unwrap();
        assert_eq!(
            got,
            [
                ("miasto".to_string(), "shipping.city".to_string()),
                ("Imię".into(), "first_name".into()),
                ("Urodziny".into(), "ignore".into()),
            ]
        );
        let xlsx = custio_formats::dialect("xlsx").unwrap();
        assert!(matches!(
            resolve(store.as_ref(), xlsx, "eshop", &[]),
            Err(EngineError::InvalidMapping(_))
        ));
        assert!(matches!(
            resolve(store.as_ref(), csv, "nope", &[]),
            Err(EngineError::MappingProfileNotFound(_))
        ));
    }

    #[test]
    fn targets_are_fields_columns_or_ignore() {
        let csv = custio_formats::dialect("csv").unwrap();
        assert!(
            validate(
                csv,
                &profile(&[("Imię", "first_name"), ("X", "ignore")], &[])
            )
            .is_ok()
        );
        assert!(validate(csv, &profile(&[("Imię", "shoe_size")], &[])).is_err());
        let upgates = custio_formats::dialect("upgates").unwrap();
        assert!(validate(upgates, &profile(&[("Mail", "[EMAIL]")], &[])).is_ok());
    }
}
