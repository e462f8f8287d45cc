//! WooCommerce's customer fields (`/wp-json/wc/v3/customers`) and what custio makes of
//! them. The billing address is the customer's; the shipping address, when it holds one,
//! is a delivery address.

use custio_model::Field;

use crate::mapping::{Mapping, Read};

pub const CUSTOMER: &[Mapping] = &[
    Mapping {
        source: "email",
        field: Field::Email,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "username",
        field: Field::Login,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "first_name",
        field: Field::FirstName,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "last_name",
        field: Field::LastName,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "date_created_gmt",
        field: Field::RegisteredAt,
        read: Read::Date,
        note: "UTC (`date_created` is the site's local time)",
    },
    Mapping {
        source: "billing.company",
        field: Field::CompanyName,
        read: Read::Text,
        note: "a customer with a company is of kind `company`, else `person`",
    },
    Mapping {
        source: "billing.company",
        field: Field::BillingCompany,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "billing.phone",
        field: Field::Phone,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "billing.city",
        field: Field::BillingCity,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "billing.postcode",
        field: Field::BillingZip,
        read: Read::Text,
        note: "",
    },
    Mapping {
        source: "billing.country",
        field: Field::BillingCountry,
        read: Read::Text,
        note: "ISO 3166-1 alpha-2",
    },
];

/// What is read but not through the table, for the documentation.
pub const NOTES: &[(&str, &str)] = &[
    (
        "`billing.first_name`, `billing.last_name`",
        "`billing.full_name`",
    ),
    (
        "`billing.address_1`, `billing.address_2`",
        "`billing.street`",
    ),
    (
        "`shipping.*`",
        "`shipping`: one delivery address, when it has a street, city or postcode",
    ),
    (
        "`role`",
        "`customer` and `subscriber` are read (every role is asked for, `role=all`); administrators, shop managers and other staff roles are left out and counted",
    ),
    (
        "guests (orders without an account)",
        "not customers in WooCommerce's API: not read",
    ),
    (
        "`meta_data`, `avatar_url`, `is_paying_customer`",
        "not read",
    ),
];
