//! Shoptet (Czech Republic, Slovakia): the customer CSV of *Zákazníci → Import* and
//! *Export*. Import and export are compatible: a file exported, edited and imported back
//! changes only what was edited. The column table is in [`columns`].
//!
//! Rules, as data ([`ImportRules`]): `email` and `billingFullName` are required in every
//! row; `guid` pairs a row with a stored customer, and a row whose e-mail exists without a
//! guid is skipped; a missing column or an empty cell changes nothing; a row without
//! `shippingGuid` adds a delivery address instead of updating one.

mod columns;

use custio_model::Field;

use crate::TextEncoding;
use crate::dialect::{EmptyCell, ImportRules};
use crate::tabular::TabularDialect;

pub use columns::COLUMNS;

/// The Shoptet customer CSV.
pub static SHOPTET: TabularDialect = TabularDialect {
    id: "shoptet",
    name: "Shoptet",
    about: "Shoptet's customer CSV (Zákazníci > Import / Export): ';'-separated (',' is recognised from the header line), \
UTF-8 or Windows-1250 (detected), header names matched case-insensitively, columns in any order. \
Every row needs email and billingFullName. A row pairs by guid; a row whose e-mail already exists but that has no guid is skipped. \
A column left out of the file, or an empty cell, changes nothing. shippingGuid picks the delivery address to update; without it a new address is added. \
Passwords are neither imported nor exported. Export writes UTF-8 with ';'.",
    delimiter: b';',
    read_delimiters: b";,",
    legacy_encoding: TextEncoding::Windows1250,
    write_encoding: TextEncoding::Utf8,
    columns: COLUMNS,
    rules: ImportRules {
        pair_by: &[Field::Guid, Field::Email],
        identity: &[Field::Email],
        required_for_new: &[Field::Email, Field::BillingFullName],
        now_if_empty_for_new: &[Field::RegisteredAt],
        empty_cell: EmptyCell::Keep,
        required: &[Field::Email, Field::BillingFullName],
        update_requires: Some(Field::Guid),
        defaults_for_new: &[],
        existing_only: &[Field::Pricelist],
        existing_agreements_only: false,
        warn_invalid: &[Field::BillingCountry, Field::ShippingCountry],
        new_shipping_without_guid: true,
        ..ImportRules::BASE
    },
    full_export: None,
    finish_row: None,
};
