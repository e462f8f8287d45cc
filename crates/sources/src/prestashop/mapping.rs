//! PrestaShop's customer fields and what custio makes of them (`/api/customers`,
//! `display=full`). Addresses are mapped in [`super`]: the first (oldest) address of a
//! customer is the billing address, the others are delivery addresses.

use custio_model::Field;

use crate::mapping::{Mapping, Read, Table};

/// `id_gender` of a default PrestaShop install: 1 Mr, 2 Mrs; 0 unknown.
const GENDERS: &[(&str, &str)] = &[("1", "male"), ("2", "female")];

pub const CUSTOMER: &[Mapping] = &[
    Mapping {
        source: "email",
        field: Field::Email,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "email",
        field: Field::Login,
        read: Read::Text,
        note: "PrestaShop customers log in with their e-mail: it is their login too",
    },
    Mapping {
        source: "firstname",
        field: Field::FirstName,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "lastname",
        field: Field::LastName,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "company",
        field: Field::CompanyName,
        read: Read::Text,
        note: "a customer with a company is of kind `company`, else `person`",
    },
    Mapping {
        source: "siret",
        field: Field::CompanyNumber,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "id_gender",
        field: Field::Gender,
        read: Read::Choice(GENDERS),
        note: "0 (unknown) and other ids: no gender",
    },
    Mapping {
        source: "id_lang",
        field: Field::Language,
        read: Read::Lookup(Table::Languages),
        note: "the language's `iso_code` from `/api/languages`",
    },
    Mapping {
        source: "newsletter",
        field: Field::NewsletterEmail,
        read: Read::Flag,
        note: "",
    },
    Mapping {
        source: "active",
        field: Field::Active,
        read: Read::Flag,
        note: "",
    },
    Mapping {
        source: "date_add",
        field: Field::RegisteredAt,
        read: Read::Date,
        note: "shop-local time, as the shop gives it",
    },
    Mapping {
        source: "note",
        field: Field::Note,
        read: Read::Text,
        note: "",
    },
];

/// What is read but not through the table, for the documentation.
pub const NOTES: &[(&str, &str)] = &[
    (
        "`associations.groups[].id`",
        "`groups`: the groups' names from `/api/groups`, in the shop's first language",
    ),
    (
        "addresses (`/api/addresses`, `deleted = 0`)",
        "the oldest: `billing.*`, `phone` (`phone`, else `phone_mobile`) and `company.vat_id` (`vat_number`); the others: `shipping`, one delivery address each",
    ),
    (
        "`deleted = 1`, `is_guest = 1`",
        "left out and counted, unless the migration keeps them",
    ),
    (
        "`passwd`, `secure_key`, `reset_password_token`",
        "never read: passwords cannot move, customers set a new one",
    ),
];
