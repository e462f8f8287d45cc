//! OpenAPI schemas of values read as plain strings (filter choices, days), for the
//! derives of request types and the API's parameters. Each lists exactly what is
//! accepted, so that a client generated from the document sends nothing the server
//! refuses. An empty string means "not set" wherever a form may send one, and is listed
//! there.

use utoipa::openapi::KnownFormat;
use utoipa::openapi::schema::{
    AnyOfBuilder, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};

use crate::{Consent, Kind};

/// A string schema of these values.
pub fn choice(values: impl IntoIterator<Item = &'static str>, about: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .description(Some(about))
        .into()
}

/// A string schema of these values, or `null` (a JSON field that may be left unset).
pub fn choice_or_null(values: impl IntoIterator<Item = &'static str>, about: &str) -> Schema {
    let values = values
        .into_iter()
        .map(serde_json::Value::from)
        .chain([serde_json::Value::Null]);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values))
        .description(Some(about))
        .into()
}

/// A customer kind, or empty for any.
pub fn kind_or_any() -> Schema {
    let kinds = Kind::ALL.iter().map(|k| k.as_str());
    choice_or_null(kinds.chain([""]), "A customer kind; empty or null: any.")
}

/// A consent state, or empty for any.
pub fn consent_or_any() -> Schema {
    let states = Consent::ALL.iter().map(|c| c.as_str());
    choice_or_null(states.chain([""]), "A consent state; empty or null: any.")
}

/// A calendar day (`2024-03-01`), or empty for none.
pub fn day_or_none() -> Schema {
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("A day, `YYYY-MM-DD`; empty or null: none."))
        .into()
}
