//! UPgates' customer columns, in the order of the help page's header definitions, each
//! with the type the page gives it.

use custio_model::{
    Customer, CustomerPatch, Field, Value, ValueError, format_datetime, parse_bool, parse_datetime,
    parse_decimal,
};

use crate::column::{CellContext, Codec, Column, Direction, HeaderPattern};
use crate::dialect::EmptyCell;
use crate::names;

/// The four spellings of UPgates' bool; the first of each is written.
pub(super) const YES: &[&str] = &["1", "true", "ano", "yes"];
pub(super) const NO: &[&str] = &["0", "false", "ne", "no"];
const BOOL: &str = "1 or 0; true/false, ano/ne and yes/no are accepted";
/// UPgates' date type (ISO 8601); a time after the date is tolerated.
const DATES: &[&str] = &["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"];

/// A column of UPgates' `string` type.
const fn text(name: &'static str, field: Field, meaning: &'static str) -> Column {
    Column::exact(name, Codec::Plain(field), Direction::Both, meaning, "text")
}

/// A column of UPgates' `bool` type.
const fn flag(name: &'static str, field: Field, meaning: &'static str) -> Column {
    let codec = Codec::Flag {
        field,
        yes: YES,
        no: NO,
    };
    Column::exact(name, codec, Direction::Both, meaning, BOOL)
}

/// A `bool` column without a model field, kept in `extra` as `1` or `0`.
const fn extra_flag(name: &'static str, meaning: &'static str) -> Column {
    let codec = Codec::ExtraAs {
        read: read_flag,
        type_name: "flag",
    };
    Column::exact(name, codec, Direction::Both, meaning, BOOL)
}

/// The column with an empty cell that keeps the stored value, against the dialect's rule.
const fn keep_empty(mut column: Column) -> Column {
    column.empty = Some(EmptyCell::Keep);
    column
}

/// An export-only figure.
const fn stat(name: &'static str, meaning: &'static str, rule: &'static str) -> Column {
    Column::exact(name, Codec::Stat, Direction::Export, meaning, rule)
}

/// A parameterised column `[NAME „param“]`.
const fn param(
    name: &'static str,
    shown: &'static str,
    codec: Codec,
    direction: Direction,
    empty: Option<EmptyCell>,
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    Column {
        header: HeaderPattern::Param { name, shown },
        aliases: &[],
        label: "",
        codec,
        direction,
        empty,
        meaning,
        rule,
    }
}

/// Every UPgates column.
pub static COLUMNS: &[Column] = &[
    Column::exact(
        "[CUSTOMER_YN]",
        Codec::Custom {
            read: read_kind_flag,
            write: write_customer_yn,
            fields: &[Field::Kind],
        },
        Direction::Both,
        "1: a registered customer with an account; 0: a contact without one",
        "bool (1 or 0; true/false, ano/ne, yes/no). With [COMPANY_YN]: 0/0 contact, 1/0 person, 1/1 company. \
1 without both [FIRSTNAME] and [SURNAME] makes a contact. Neither column given: a new customer is a contact",
    ),
    Column::exact(
        "[COMPANY_YN]",
        Codec::Custom {
            read: read_kind_flag,
            write: write_company_yn,
            fields: &[],
        },
        Direction::Both,
        "1: a company customer (with company details); 0: a private person",
        "bool; read together with [CUSTOMER_YN] (alone, 1 means a company customer)",
    ),
    text("[DEGREE]", Field::Degree, "Title before the name"),
    Column::exact(
        "[FIRSTNAME]",
        Codec::Custom {
            read: names::read_first_name,
            write: names::write_first_name,
            fields: &[Field::FirstName],
        },
        Direction::Both,
        "First name",
        "text; written from the full name (split at its first space) when the customer has neither first name nor surname",
    ),
    Column::exact(
        "[SURNAME]",
        Codec::Custom {
            read: names::read_last_name,
            write: names::write_last_name,
            fields: &[Field::LastName],
        },
        Direction::Both,
        "Surname",
        "text; written from the full name (what follows its first space) when the customer has neither first name nor surname",
    ),
    text("[NICKNAME]", Field::Nickname, "Nickname"),
    keep_empty(Column::exact(
        "[CODE]",
        Codec::Plain(Field::Code),
        Direction::Both,
        "Customer number",
        "text; empty or absent: the shop numbers a new customer from its series (an empty cell keeps a stored number)",
    )),
    Column::exact(
        "[LANGUAGE]",
        Codec::Plain(Field::Language),
        Direction::Both,
        "Language the contact was created in",
        "ISO 639-1 code (cs, sk); the language must exist in the shop",
    ),
    Column::exact(
        "[NEWSLETTER_ACCEPT]",
        Codec::Plain(Field::NewsletterEmail),
        Direction::Both,
        "E-mail newsletter subscription",
        "yes (subscribed), no (unsubscribed), notset or empty (not set), excluded (removed by the shop)",
    ),
    extra_flag(
        "[CAN_SEE_PRIVATE_YN]",
        "Whether the customer sees non-public content",
    ),
    extra_flag(
        "[SET_PRICELIST_BY_TURNOVER_YN]",
        "Whether the pricelist follows the customer's turnover",
    ),
    Column::exact(
        "[PRICELIST]",
        Codec::Plain(Field::Pricelist),
        Direction::Both,
        "Pricelist of the customer",
        "the name of an existing pricelist (main language), never created; applies only when [CUSTOMER_YN] is 1",
    ),
    Column::exact(
        "[DEFAULT_TURNOVER]",
        Codec::ExtraAs {
            read: read_float,
            type_name: "decimal",
        },
        Direction::Both,
        "Starting value of the customer's turnover",
        "float with a decimal dot (a comma is accepted)",
    ),
    stat(
        "[TURNOVER]",
        "Turnover of the customer",
        "float; export only",
    ),
    stat(
        "[TURNOVER_CURRENCY]",
        "Currency of the turnover",
        "ISO 4217 code; export only",
    ),
    Column::exact(
        "[LOYALTY_SYSTEM]",
        Codec::Plain(Field::LoyaltyPoints),
        Direction::Both,
        "Points in the loyalty programme",
        "whole number",
    ),
    text("[COMPANY_NAME]", Field::CompanyName, "Company name"),
    text(
        "[COMPANY_NUMBER]",
        Field::CompanyNumber,
        "Company registration number (IČO)",
    ),
    text("[VAT_NUMBER]", Field::VatId, "VAT id (DIČ)"),
    flag(
        "[VAT_PAYER_YN]",
        Field::VatPayer,
        "Whether the customer is a VAT payer",
    ),
    Column::exact(
        "[PHONE]",
        Codec::Plain(Field::Phone),
        Direction::Both,
        "Phone number",
        "only digits and a leading + are kept; spaces, dashes, dots and brackets are dropped",
    ),
    Column::exact(
        "[FAX]",
        Codec::Plain(Field::Fax),
        Direction::Both,
        "Fax number",
        "as [PHONE]",
    ),
    Column::exact(
        "[IM]",
        Codec::Extra,
        Direction::Both,
        "Instant-messaging contact",
        "text, kept as is",
    ),
    Column::exact(
        "[SALUTATION]",
        Codec::Extra,
        Direction::Both,
        "How to address the customer, in their language",
        "text, kept as is",
    ),
    Column::exact(
        "[DECLENSION]",
        Codec::Extra,
        Direction::Both,
        "The customer's name in the vocative case",
        "text, kept as is",
    ),
    flag(
        "[ACTIVE_YN]",
        Field::Active,
        "Whether the customer may log in",
    ),
    flag(
        "[BLOCKED_YN]",
        Field::Blocked,
        "Whether the customer is blocked",
    ),
    Column::exact(
        "[EMAIL]",
        Codec::Plain(Field::Email),
        Direction::Both,
        "E-mail: the customer's identity and login",
        "name@domain; required; pairs the row with a stored customer or creates a new one",
    ),
    keep_empty(Column::exact(
        "[PASSWORD]",
        Codec::Custom {
            read: read_password,
            write: write_nothing,
            fields: &[Field::Password],
        },
        Direction::Import,
        "Plain-text password for the customer account",
        "hashed (argon2id) the moment it is read, never stored or shown; empty or absent: a stored customer keeps theirs, a new one gets a random one",
    )),
    Column::exact(
        "[GROUPS]",
        Codec::Custom {
            read: read_groups,
            write: write_groups,
            fields: &[Field::Groups],
        },
        Direction::Both,
        "Customer groups",
        "group names separated by ';' inside the cell; pair by name, missing groups are created",
    ),
    text("[NOTE]", Field::Note, "Note about the customer"),
    extra_flag(
        "[CAN_RATE_PRODUCTS_YN]",
        "Whether the customer may rate and review products",
    ),
    stat(
        "[ORDER_COUNT]",
        "Number of orders",
        "whole number; export only",
    ),
    text("[BILLING_STREET]", Field::BillingStreet, "Billing street"),
    text("[BILLING_CITY]", Field::BillingCity, "Billing city"),
    text(
        "[BILLING_STATE]",
        Field::BillingDistrict,
        "Billing region (kraj)",
    ),
    text("[BILLING_ZIP_CODE]", Field::BillingZip, "Billing zip code"),
    Column::exact(
        "[BILLING_COUNTRY_ID]",
        Codec::Plain(Field::BillingCountry),
        Direction::Both,
        "Billing country",
        "ISO 3166-1 alpha-2 code (CZ); country names are accepted",
    ),
    text(
        "[POSTAL_COMPANY_NAME]",
        Field::ShippingCompany,
        "Delivery company name",
    ),
    Column::exact(
        "[POSTAL_FIRSTNAME]",
        Codec::Custom {
            read: read_nothing,
            write: write_postal_first,
            fields: &[],
        },
        Direction::Both,
        "Delivery first name",
        "text; with [POSTAL_SURNAME] it makes the delivery name (written split at the name's first space)",
    ),
    Column::exact(
        "[POSTAL_SURNAME]",
        Codec::Custom {
            read: read_nothing,
            write: write_postal_last,
            fields: &[],
        },
        Direction::Both,
        "Delivery surname",
        "text; see [POSTAL_FIRSTNAME]",
    ),
    text("[POSTAL_STREET]", Field::ShippingStreet, "Delivery street"),
    text("[POSTAL_CITY]", Field::ShippingCity, "Delivery city"),
    text(
        "[POSTAL_STATE]",
        Field::ShippingDistrict,
        "Delivery region (kraj)",
    ),
    text("[POSTAL_ZIP_CODE]", Field::ShippingZip, "Delivery zip code"),
    Column::exact(
        "[POSTAL_COUNTRY_ID]",
        Codec::Plain(Field::ShippingCountry),
        Direction::Both,
        "Delivery country",
        "ISO 3166-1 alpha-2 code (CZ); country names are accepted",
    ),
    param(
        "AGREEMENT_TIME",
        "[AGREEMENT_TIME \u{201E}name\u{201C}]",
        Codec::Keyed {
            field: Field::AgreementTime,
            read: read_date,
            write: write_date,
        },
        Direction::Import,
        Some(EmptyCell::Keep),
        "When the named agreement (consent) was given",
        "date YYYY-MM-DD; empty or absent: the time of import. The name pairs with an agreement of the shop, otherwise the column is ignored",
    ),
    param(
        "AGREEMENT_VALID_TO",
        "[AGREEMENT_VALID_TO \u{201E}name\u{201C}]",
        Codec::Keyed {
            field: Field::AgreementValidTo,
            read: read_date,
            write: write_date,
        },
        Direction::Import,
        Some(EmptyCell::Keep),
        "Until when the named agreement is valid",
        "date YYYY-MM-DD; empty or absent: the agreement's own validity. Pairs by name like [AGREEMENT_TIME]",
    ),
    param(
        "AGREEMENT_STATUS",
        "[AGREEMENT_STATUS \u{201E}name\u{201C}]",
        Codec::Keyed {
            field: Field::AgreementStatus,
            read: read_bool,
            write: write_bool,
        },
        Direction::Import,
        Some(EmptyCell::Keep),
        "Whether the named agreement was given",
        "1 (yes) or 0 (no); ano/ne, true/false, yes/no accepted; empty keeps the stored consent. Pairs by name like [AGREEMENT_TIME]",
    ),
    param(
        "META",
        "[META \u{201E}key\u{201C}]",
        Codec::Keyed {
            field: Field::CustomField,
            read: read_text,
            write: write_text,
        },
        Direction::Both,
        None,
        "A shop-defined custom field, by its key",
        "text; one column per key",
    ),
];

fn read_nothing(_: &str, _: &CellContext, _: &mut CustomerPatch) -> Result<(), ValueError> {
    Ok(())
}

fn write_nothing(_: &Customer, _: &CellContext) -> String {
    String::new()
}

/// `[CUSTOMER_YN]` and `[COMPANY_YN]` are checked here and combined by `finish_row`.
fn read_kind_flag(cell: &str, _: &CellContext, _: &mut CustomerPatch) -> Result<(), ValueError> {
    parse_bool(cell, YES, NO).map(|_| ())
}

fn bool_cell(on: bool) -> String {
    (if on { YES[0] } else { NO[0] }).to_string()
}

fn write_customer_yn(c: &Customer, _: &CellContext) -> String {
    bool_cell(c.kind != custio_model::Kind::Contact)
}

fn write_company_yn(c: &Customer, _: &CellContext) -> String {
    bool_cell(c.kind == custio_model::Kind::Company)
}

fn read_flag(cell: &str) -> Result<String, ValueError> {
    parse_bool(cell, YES, NO).map(bool_cell)
}

fn read_float(cell: &str) -> Result<String, ValueError> {
    parse_decimal(cell).map(|d| d.to_string())
}

fn read_password(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    p.set(
        Field::Password,
        Value::Password(custio_model::PasswordHash::of_plain(cell)),
    );
    Ok(())
}

fn read_groups(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    let groups = cell
        .split(';')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(String::from)
        .collect();
    p.set(Field::Groups, Value::Texts(groups));
    Ok(())
}

fn write_groups(c: &Customer, _: &CellContext) -> String {
    c.groups.join(";")
}

/// The delivery name split at its first space: first name, then the rest.
fn postal_name(c: &Customer) -> (&str, &str) {
    let full = c
        .shipping
        .first()
        .and_then(|a| a.full_name.as_deref())
        .unwrap_or("")
        .trim();
    full.split_once(' ')
        .map_or((full, ""), |(first, rest)| (first, rest.trim()))
}

fn write_postal_first(c: &Customer, _: &CellContext) -> String {
    postal_name(c).0.to_string()
}

fn write_postal_last(c: &Customer, _: &CellContext) -> String {
    postal_name(c).1.to_string()
}

fn read_date(cell: &str) -> Result<Value, ValueError> {
    parse_datetime(cell, DATES).map(Value::DateTime)
}

fn write_date(value: &Value) -> String {
    match value {
        Value::DateTime(d) => format_datetime(d, "%Y-%m-%d"),
        other => other.to_string(),
    }
}

fn read_bool(cell: &str) -> Result<Value, ValueError> {
    parse_bool(cell, YES, NO).map(Value::Bool)
}

fn write_bool(value: &Value) -> String {
    bool_cell(matches!(value, Value::Bool(true)))
}

fn read_text(cell: &str) -> Result<Value, ValueError> {
    Ok(Value::Text(cell.trim().to_string()))
}

fn write_text(value: &Value) -> String {
    value.to_string()
}
