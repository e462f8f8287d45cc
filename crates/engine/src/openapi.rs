//! OpenAPI schemas of the formats' names the engine reads as plain strings (dialect ids,
//! encodings, export kinds), for the derives of its request types and the API's
//! parameters; the model's own are in [`custio_model::openapi`].

use custio_model::openapi::{choice, choice_or_null};
use utoipa::openapi::schema::Schema;

/// A dialect id (`idosell`), or `auto`/empty for detection.
pub fn dialect_or_auto() -> Schema {
    let ids = custio_formats::dialects().iter().map(|d| d.id());
    choice(
        ids.chain(["auto", ""]),
        "A dialect id; `auto` or empty: detected from the file.",
    )
}

/// A dialect id (`idosell`).
pub fn dialect() -> Schema {
    choice(
        custio_formats::dialects().iter().map(|d| d.id()),
        "A dialect id.",
    )
}

/// A text encoding's name, or empty (or null) for the default.
pub fn encoding() -> Schema {
    let names = custio_formats::TextEncoding::ALL.iter().map(|e| e.name());
    choice_or_null(
        names.chain([""]),
        "A text encoding; empty or null: detected (reading) or UTF-8 (writing).",
    )
}

/// An export's kind.
pub fn export_kind() -> Schema {
    choice(
        ["full", "view", "legacy"],
        "`full`, `view` (the chosen columns) or `legacy` (IdoSell's old export).",
    )
}
