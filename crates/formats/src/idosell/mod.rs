//! IdoSell (Poland): the customer CSV in its three export kinds (full, view, legacy with
//! Polish headers). The column table is in [`columns`]; IOF 3.0 client XML is the
//! separate [`iof`](crate::iof) dialect.

pub(crate) mod columns;

use custio_model::Field;

use crate::TextEncoding;
use crate::dialect::{EmptyCell, ImportRules};
use crate::tabular::TabularDialect;

pub use columns::COLUMNS;

/// IdoSell's import rules, shared by the CSV and the IOF 3.0 XML dialects.
pub(crate) const RULES: ImportRules = ImportRules {
    pair_by: &[Field::Login, Field::Email],
    identity: &[Field::Login, Field::Email],
    required_for_new: &[
        Field::Login,
        Field::FirstName,
        Field::LastName,
        Field::BillingStreet,
        Field::BillingZip,
        Field::BillingCity,
    ],
    now_if_empty_for_new: &[Field::RegisteredAt],
    empty_cell: EmptyCell::Keep,
    ..ImportRules::BASE
};

/// The IdoSell customer CSV.
pub static IDOSELL: TabularDialect = TabularDialect {
    id: "idosell",
    name: "IdoSell",
    about: "IdoSell's customer CSV (KLIENCI > Eksport i import klientów): ';'-separated, UTF-8 with or without BOM, Windows-1250 read as a fallback. \
Customers pair by login, then by e-mail (case-insensitive). A new customer needs login, first name, last name, street, zip code and city; \
empty registration and last-login dates become the import time. An empty cell keeps the stored value. \
Export kinds: full (re-importable), view (chosen columns), legacy (Polish headers, also accepted on import).",
    delimiter: b';',
    legacy_encoding: TextEncoding::Windows1250,
    write_encoding: TextEncoding::Utf8,
    columns: COLUMNS,
    rules: RULES,
    full_export: None,
    read_delimiters: &[],
    finish_row: None,
};
