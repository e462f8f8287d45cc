//! Shoper's user fields (`/webapi/rest/users`) and what custio makes of them. Every scalar
//! comes as a string (`"user_id": "4"`, `"newsletter": "1"`). Addresses are mapped in
//! [`super`]: the address-book entry marked `default` is the billing address, the others
//! are delivery addresses, the one marked `shipping_default` first.

use custio_model::Field;

use crate::mapping::{Mapping, Read, Table};

pub const USER: &[Mapping] = &[
    Mapping {
        source: "email",
        field: Field::Email,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "login",
        field: Field::Login,
        read: Read::Text,
        note: "",
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
        source: "date_add",
        field: Field::RegisteredAt,
        read: Read::Date,
        note: "shop-local time (`YYYY-MM-DD HH:MM:SS`, no zone), as the shop gives it",
    },
    Mapping {
        source: "lastvisit",
        field: Field::LastLoginAt,
        read: Read::Date,
        note: "shop-local time; none when the user never logged in",
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
        source: "verify_email",
        field: Field::EmailVerified,
        read: Read::Flag,
        note: "",
    },
    Mapping {
        source: "discount",
        field: Field::DiscountPct,
        read: Read::Text,
        note: "the user's own discount, in percent",
    },
    Mapping {
        source: "comment",
        field: Field::Note,
        read: Read::Text,
        note: "the administrators' note",
    },
    Mapping {
        source: "lang_id",
        field: Field::Language,
        read: Read::Lookup(Table::Languages),
        note: "the language part of the language's `locale` (`pl_PL` → `pl`) from `/webapi/rest/languages`",
    },
    Mapping {
        source: "group_id",
        field: Field::Groups,
        read: Read::Lookup(Table::Groups),
        note: "the group's `name` from `/webapi/rest/user-groups`, as one group (a comma in the name stays)",
    },
];

/// What is read but not through the table, for the documentation.
pub const NOTES: &[(&str, &str)] = &[
    (
        "the address marked `default` (`/webapi/rest/user-addresses`)",
        "`billing.*` (`firstname` + `lastname`, `company_name`, `street_1` + `street_2`, `city`, `zip_code`, `country_code`, else `country`), `phone`, `company.name` (`company_name`) and `company.vat_id` (`tax_identification_number`); a user with a company is of kind `company`, else `person`; with no address marked, the oldest",
    ),
    (
        "the other addresses",
        "`shipping`: one delivery address each, the one marked `shipping_default` first, then by id; each named `shoper-address-<address_book_id>`",
    ),
    (
        "`registered = 0` (a guest)",
        "left out and counted, unless the migration keeps guests",
    ),
    (
        "`groups`, `origin`, `additional_fields`, `tags`, `loyalty_sum`, `pesel`",
        "not read",
    ),
];
