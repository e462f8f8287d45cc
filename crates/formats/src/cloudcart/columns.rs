//! CloudCart's columns: the 19 export headers in their order, the custom-field columns
//! after them, and the fields a user can bind on import (full name is import-only).

use custio_model::{Consent, Customer, CustomerPatch, Field, FieldType, Value, ValueError};

use crate::column::{CellContext, Codec, Column, Direction, HeaderPattern};
use crate::idosell::columns::{read_nothing, write_id};

const DATE: &str = "%Y-%m-%d %H:%M:%S";
const DATES: &[&str] = &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"];

const fn column(
    header: &'static str,
    aliases: &'static [&'static str],
    codec: Codec,
    direction: Direction,
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    Column::exact(header, codec, direction, meaning, rule).with_aliases(aliases)
}

const fn export(
    header: &'static str,
    codec: Codec,
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    column(header, &[], codec, Direction::Export, meaning, rule)
}

const fn yes_no(field: Field) -> Codec {
    Codec::Flag {
        field,
        yes: &["yes"],
        no: &["no"],
    }
}

/// Every CloudCart column, in export order.
pub static COLUMNS: &[Column] = &[
    export(
        "ID",
        Codec::Custom {
            read: read_nothing,
            write: write_id,
            fields: &[],
        },
        "The customer's number in the exporting system",
        "whole number; export only",
    ),
    column(
        "Email Address",
        &["email", "e-mail", "email address"],
        Codec::Plain(Field::Email),
        Direction::Both,
        "E-mail address; the one field every imported row needs",
        "name@domain; rows with an empty or invalid address are skipped; a repeated address skips the later row; pairs with a stored customer",
    ),
    column(
        "First Name",
        &["first_name", "first name", "firstname"],
        Codec::Plain(Field::FirstName),
        Direction::Both,
        "Given name",
        "text",
    ),
    column(
        "Last Name",
        &["last_name", "last name", "lastname"],
        Codec::Plain(Field::LastName),
        Direction::Both,
        "Family name",
        "text",
    ),
    export(
        "Language",
        Codec::Plain(Field::Language),
        "Language of the customer",
        "two-letter ISO 639-1 code",
    ),
    export(
        "Phone",
        Codec::Plain(Field::Phone),
        "Phone number (not imported by CloudCart)",
        "digits with an optional leading +",
    ),
    export(
        "City",
        Codec::Plain(Field::BillingCity),
        "Town or city of the billing address",
        "text",
    ),
    export(
        "Postal Code",
        Codec::Plain(Field::BillingZip),
        "Postal code of the billing address",
        "text",
    ),
    export(
        "Region",
        Codec::Plain(Field::BillingDistrict),
        "Region or district of the billing address",
        "text",
    ),
    export(
        "Country",
        Codec::Plain(Field::BillingCountry),
        "Country of the billing address",
        "two-letter ISO 3166-1 code",
    ),
    export(
        "Orders Count",
        Codec::Custom {
            read: read_nothing,
            write: write_orders_count,
            fields: &[],
        },
        "How many orders the customer placed",
        "whole number kept from the source (stats 'Orders Count', else IdoSell's orders_all)",
    ),
    export(
        "Total Spent",
        Codec::Custom {
            read: read_nothing,
            write: write_total_spent,
            fields: &[],
        },
        "What the customer's orders were worth",
        "decimal kept from the source (stats 'Total Spent', else IdoSell's orders_worth)",
    ),
    export(
        "Currency",
        Codec::Stat,
        "Currency of Total Spent",
        "ISO 4217 code kept from the source",
    ),
    column(
        "Note",
        &["note", "remark"],
        Codec::Plain(Field::Note),
        Direction::Both,
        "Free note about the customer",
        "text",
    ),
    export(
        "Created",
        Codec::Date {
            field: Field::RegisteredAt,
            write: DATE,
            read: DATES,
        },
        "When the customer registered",
        "YYYY-MM-DD HH:MM:SS",
    ),
    column(
        "Marketing",
        &["accepts marketing", "accepts_marketing", "marketing"],
        Codec::Custom {
            read: read_marketing,
            write: write_marketing,
            fields: &[Field::NewsletterEmail],
        },
        Direction::Both,
        "Whether the customer accepts marketing e-mails",
        "yes or no on export; import also takes 1/0, true/false, y/n, да/не",
    ),
    export(
        "Active",
        yes_no(Field::Active),
        "Whether the account is active",
        "yes or no",
    ),
    export(
        "Banned",
        yes_no(Field::Blocked),
        "Whether the account is banned",
        "yes or no",
    ),
    column(
        "Customer Group",
        &["customer group", "customer_group", "group"],
        Codec::Custom {
            read: read_group,
            write: write_group,
            fields: &[Field::Groups],
        },
        Direction::Both,
        "The customer's group",
        "a group name; a group that does not exist yet is created; empty: the file's default group",
    ),
    Column {
        header: HeaderPattern::CustomField(""),
        aliases: &[],
        label: "",
        codec: Codec::Keyed {
            field: Field::CustomField,
            read: read_text,
            write: write_text,
        },
        direction: Direction::Export,
        meaning: "One column per custom field, headed by the field's key",
        rule: "text; the keys and their order come from the export options",
        empty: None,
    },
    column(
        "Full Name",
        &["full_name", "full name", "name"],
        Codec::Plain(Field::FullName),
        Direction::Import,
        "Whole name in one cell",
        "text; when no first name is bound or given, split at the first space into first and last name",
    ),
];

fn stat(c: &Customer, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| c.stats.get(*k))
        .cloned()
        .unwrap_or_default()
}

fn write_orders_count(c: &Customer, _: &CellContext) -> String {
    stat(c, &["Orders Count", "orders_all"])
}

fn write_total_spent(c: &Customer, _: &CellContext) -> String {
    stat(c, &["Total Spent", "orders_worth"])
}

fn read_marketing(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    let yes = matches!(FieldType::Bool.parse(cell)?, Value::Bool(true));
    p.set(
        Field::NewsletterEmail,
        Value::Consent(if yes { Consent::Yes } else { Consent::No }),
    );
    Ok(())
}

fn write_marketing(c: &Customer, _: &CellContext) -> String {
    (if c.newsletter_email == Consent::Yes {
        "yes"
    } else {
        "no"
    })
    .to_string()
}

fn read_group(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    p.set(Field::Groups, Value::Texts(vec![cell.trim().to_string()]));
    Ok(())
}

/// CloudCart gives a customer one group: the first of ours.
fn write_group(c: &Customer, _: &CellContext) -> String {
    c.groups.first().cloned().unwrap_or_default()
}

fn read_text(cell: &str) -> Result<Value, ValueError> {
    Ok(Value::Text(cell.trim().to_string()))
}

fn write_text(value: &Value) -> String {
    value.to_string()
}
