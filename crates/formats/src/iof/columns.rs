//! The IOF 3.0 client file as a column table: each entry is one XML path below `client`
//! (`client/@email`, `client/name/@first`, `client/shops/shop/@id`) with the codec that
//! turns the value found there into patch fields and back.
//!
//! The reader flattens each `client` element into one cell per entry (see
//! [`Shape`](super::tree::Shape) for how repeated elements fold into a cell), so the same
//! table drives reading, re-validating an edited row and `custio formats iof`. The writer
//! asks the same codecs for each cell and places the cells into the fixed layout.

use std::collections::BTreeMap;

use custio_model::{
    Agreement, Consent, Country, Customer, CustomerPatch, Field, PasswordHash, Phone,
    ShippingAddress, Value, ValueError, parse_bool, parse_datetime,
};
use serde_json::{Map, Value as Json};

use crate::column::{CellContext, Codec, Column, Direction, EVERY_CUSTOM_FIELD};
use crate::idosell::columns::{
    read_client_type, read_country, read_language, read_nothing, read_rebate, write_client_type,
    write_country, write_id, write_language,
};

/// Date-time format of every IOF date attribute.
pub(super) const DATE: &str = "%Y-%m-%d %H:%M:%S";
const DATES: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
];
const DATE_RULE: &str = "YYYY-MM-DD HH:MM:SS (YYYY-MM-DD and an ISO 'T' are also read)";
const FLAG_RULE: &str = "t (yes) or n (no)";

/// Attributes of a delivery address, in the order the writer puts them out.
pub(super) const ADDRESS_ATTRS: &[&str] = &[
    "name",
    "company",
    "street",
    "house_number",
    "zipcode",
    "city",
    "district",
    "country",
    "phone",
    "guid",
];
/// Attributes of a consent, in the order the writer puts them out.
pub(super) const CONSENT_ATTRS: &[&str] = &["name", "status", "time", "valid_to"];

const fn both(
    path_: &'static str,
    field: Field,
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    Column::exact(path_, Codec::Plain(field), Direction::Both, meaning, rule)
}

const fn custom(
    path_: &'static str,
    read: crate::column::ReadFn,
    write: crate::column::WriteFn,
    fields: &'static [Field],
    meaning: &'static str,
    rule: &'static str,
) -> Column {
    Column::exact(
        path_,
        Codec::Custom {
            read,
            write,
            fields,
        },
        Direction::Both,
        meaning,
        rule,
    )
}

const fn date(path_: &'static str, field: Field, meaning: &'static str) -> Column {
    Column::exact(
        path_,
        Codec::Date {
            field,
            write: DATE,
            read: DATES,
        },
        Direction::Both,
        meaning,
        DATE_RULE,
    )
}

/// Every element and attribute of the IOF client file that custio reads or writes.
pub static COLUMNS: &[Column] = &[
    custom(
        "client/@id",
        read_nothing,
        write_id,
        &[],
        "The customer's number in the system that wrote the file",
        "whole number; written on export, not read back (numbers differ between shops)",
    ),
    both(
        "client/@login",
        Field::Login,
        "Login name",
        "text; pairs the client with a stored customer first",
    ),
    both(
        "client/@email",
        Field::Email,
        "E-mail address",
        "name@domain; pairs the client when the login does not",
    ),
    custom(
        "client/@type",
        read_client_type,
        write_client_type,
        &[Field::Kind, Field::Gender],
        "Whether the client is a company or a private person, and the person's gender",
        "firm, private, male or female",
    ),
    Column::exact(
        "client/@wholesaler",
        Codec::Flag {
            field: Field::Wholesaler,
            yes: &["t"],
            no: &["n"],
        },
        Direction::Both,
        "Buys at wholesale prices",
        FLAG_RULE,
    ),
    custom(
        "client/@language",
        read_language,
        write_language,
        &[Field::Language],
        "Language the shop talks to the client in",
        "three-letter ISO 639-2/B code (pol, cze, ger) on export; two-letter codes are read too",
    ),
    date(
        "client/@registered",
        Field::RegisteredAt,
        "When the account was created",
    ),
    date(
        "client/@last_login",
        Field::LastLoginAt,
        "When the client last signed in",
    ),
    date(
        "client/@last_order",
        Field::LastOrderAt,
        "When the client last ordered",
    ),
    both("client/name/@first", Field::FirstName, "Given name", "text"),
    both("client/name/@last", Field::LastName, "Family name", "text"),
    both(
        "client/company/@name",
        Field::CompanyName,
        "Name of the client's company",
        "text",
    ),
    both(
        "client/company/@taxidnumber",
        Field::TaxId,
        "Company tax number (NIP)",
        "text",
    ),
    both(
        "client/phones/phone[@type=main]/@number",
        Field::Phone,
        "Main phone number",
        "digits with an optional leading +; spaces, dashes and brackets are dropped",
    ),
    both(
        "client/phones/phone[@type=additional]/@number",
        Field::Phone2,
        "Second phone number",
        "as the main phone",
    ),
    both(
        "client/address/@street",
        Field::BillingStreet,
        "Street with house and flat number",
        "text",
    ),
    both(
        "client/address/@zipcode",
        Field::BillingZip,
        "Postal code",
        "text",
    ),
    both(
        "client/address/@city",
        Field::BillingCity,
        "Town or city",
        "text",
    ),
    custom(
        "client/address/@country",
        read_country,
        write_country,
        &[Field::BillingCountry],
        "Country of the address",
        "two-letter ISO 3166-1 code, lower case on export (pl); upper case and country names are read too",
    ),
    custom(
        "client/delivery_addresses/address",
        read_delivery,
        write_delivery,
        &[Field::Shipping],
        "Delivery addresses, one address element each (replaces the stored list)",
        "attributes name, company, street, house_number, zipcode, city, district, country (ISO code), phone, guid; \
in a rejected-rows file: a JSON array of those attribute sets",
    ),
    both(
        "client/shops/shop/@id",
        Field::Shops,
        "Shops the client is registered in",
        "one shop element per shop id (whole numbers from 1); in a rejected-rows file: ids separated by commas",
    ),
    custom(
        "client/newsletter/@email",
        read_email_consent,
        write_email_consent,
        &[Field::NewsletterEmail],
        "Agrees to the e-mail newsletter",
        "t or n; without per-shop entries the answer holds for every shop",
    ),
    custom(
        "client/newsletter/@sms",
        read_sms_consent,
        write_sms_consent,
        &[Field::NewsletterSms],
        "Agrees to the SMS newsletter",
        "t or n; without per-shop entries the answer holds for every shop",
    ),
    both(
        "client/newsletter/shop[@email=t]/@id",
        Field::NewsletterEmailShops,
        "Shops whose e-mail newsletter the client agreed to",
        "shop elements with id and email=\"t\"; in a rejected-rows file: ids separated by commas",
    ),
    both(
        "client/newsletter/shop[@sms=t]/@id",
        Field::NewsletterSmsShops,
        "Shops whose SMS newsletter the client agreed to",
        "shop elements with id and sms=\"t\"; in a rejected-rows file: ids separated by commas",
    ),
    both(
        "client/note",
        Field::Note,
        "Free note about the client",
        "element text",
    ),
    custom(
        "client/labels/label",
        read_labels,
        write_labels,
        &[Field::Tags],
        "Tags given to the client (replaces the stored list)",
        "one label element per tag; in a rejected-rows file: a JSON array of strings",
    ),
    both(
        "client/loyalty/@points",
        Field::LoyaltyPoints,
        "Loyalty points collected",
        "whole number",
    ),
    custom(
        "client/rebate/@value",
        read_rebate,
        write_rebate_value,
        &[Field::DiscountPct],
        "The client's own discount, in percent",
        "a number X.XX; 'wyłączony' (off) removes it; written only when the client has one",
    ),
    both(
        "client/balance/@value",
        Field::Balance,
        "Money on the client's account",
        "decimal with a point",
    ),
    both(
        "client/balance/@limit",
        Field::BalanceLimit,
        "How far the balance may go below zero",
        "decimal with a point",
    ),
    custom(
        "client/consents/consent",
        read_consents,
        write_consents,
        &[Field::Agreements],
        "Consents the client gave or refused (replaces the stored list)",
        "attributes name, status (t or n), time and valid_to (YYYY-MM-DD HH:MM:SS); \
in a rejected-rows file: a JSON array of those attribute sets",
    ),
    custom(
        "client/custom_fields/field",
        read_custom_fields,
        write_custom_fields,
        &EVERY_CUSTOM_FIELD,
        "The shop's own fields, one field element each with its key attribute",
        "key attribute and text; in a rejected-rows file: a JSON object key -> text",
    ),
    Column::exact(
        "client/password",
        Codec::Custom {
            read: read_password,
            write: write_password,
            fields: &[Field::Password],
        },
        Direction::Both,
        "Password hash (never a plain password)",
        "attributes hash and algorithm; written only when an export explicitly asks for hashes",
    ),
];

fn json_error(cell: &str, what: &str) -> ValueError {
    ValueError::Choice {
        value: cell.to_string(),
        allowed: what.to_string(),
    }
}

/// Reads a JSON array of attribute sets (`[{"street": "..."}]`).
fn attribute_sets(cell: &str, what: &str) -> Result<Vec<Map<String, Json>>, ValueError> {
    let list: Vec<Map<String, Json>> =
        serde_json::from_str(cell).map_err(|_| json_error(cell, what))?;
    Ok(list)
}

fn text_of(set: &Map<String, Json>, key: &str) -> Option<String> {
    set.get(key)
        .and_then(Json::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

fn read_delivery(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    let sets = attribute_sets(cell, "a JSON array of address attribute sets")?;
    let mut list = Vec::with_capacity(sets.len());
    for set in sets {
        list.push(ShippingAddress {
            guid: text_of(&set, "guid"),
            full_name: text_of(&set, "name"),
            company: text_of(&set, "company"),
            street: text_of(&set, "street"),
            house_number: text_of(&set, "house_number"),
            city: text_of(&set, "city"),
            district: text_of(&set, "district"),
            zip: text_of(&set, "zipcode"),
            country: text_of(&set, "country")
                .map(|c| Country::parse(&c))
                .transpose()?,
            phone: text_of(&set, "phone")
                .map(|c| Phone::parse(&c))
                .transpose()?,
        });
    }
    p.set(Field::Shipping, Value::Addresses(list));
    Ok(())
}

fn write_delivery(c: &Customer, _: &CellContext) -> String {
    if c.shipping.is_empty() {
        return String::new();
    }
    let sets: Vec<Json> = c
        .shipping
        .iter()
        .map(|a| {
            let mut set = Map::new();
            let mut put = |k: &str, v: Option<String>| {
                if let Some(v) = v {
                    set.insert(k.to_string(), Json::String(v));
                }
            };
            put("name", a.full_name.clone());
            put("company", a.company.clone());
            put("street", a.street.clone());
            put("house_number", a.house_number.clone());
            put("zipcode", a.zip.clone());
            put("city", a.city.clone());
            put("district", a.district.clone());
            put("country", a.country.map(|c| c.code().to_lowercase()));
            put("phone", a.phone.as_ref().map(|p| p.to_string()));
            put("guid", a.guid.clone());
            Json::Object(set)
        })
        .collect();
    Json::Array(sets).to_string()
}

fn consent(cell: &str) -> Result<Consent, ValueError> {
    Ok(if parse_bool(cell, &["t"], &["n"])? {
        Consent::Yes
    } else {
        Consent::No
    })
}

fn consent_flag(c: Consent) -> String {
    match c {
        Consent::Yes => "t".into(),
        Consent::No | Consent::Excluded => "n".into(),
        Consent::NotSet => String::new(),
    }
}

fn read_email_consent(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    p.set(Field::NewsletterEmail, Value::Consent(consent(cell)?));
    Ok(())
}

fn write_email_consent(c: &Customer, _: &CellContext) -> String {
    consent_flag(c.newsletter_email)
}

fn read_sms_consent(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    p.set(Field::NewsletterSms, Value::Consent(consent(cell)?));
    Ok(())
}

fn write_sms_consent(c: &Customer, _: &CellContext) -> String {
    consent_flag(c.newsletter_sms)
}

fn read_labels(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    let labels: Vec<String> = serde_json::from_str(cell)
        .map_err(|_| json_error(cell, "a JSON array of strings, e.g. [\"vip\", \"b2b\"]"))?;
    let labels = labels
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    p.set(Field::Tags, Value::Texts(labels));
    Ok(())
}

fn write_labels(c: &Customer, _: &CellContext) -> String {
    if c.tags.is_empty() {
        String::new()
    } else {
        Json::from(c.tags.clone()).to_string()
    }
}

fn write_rebate_value(c: &Customer, _: &CellContext) -> String {
    c.discount_pct.map(|d| d.to_string()).unwrap_or_default()
}

fn read_consents(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    let sets = attribute_sets(cell, "a JSON array of consent attribute sets")?;
    let mut list = Vec::with_capacity(sets.len());
    for set in sets {
        let date = |key: &str| {
            text_of(&set, key)
                .map(|d| parse_datetime(&d, DATES))
                .transpose()
        };
        list.push(Agreement {
            name: text_of(&set, "name").unwrap_or_default(),
            status: match text_of(&set, "status") {
                Some(s) => parse_bool(&s, &["t"], &["n"])?,
                None => false,
            },
            time: date("time")?,
            valid_to: date("valid_to")?,
        });
    }
    p.set(Field::Agreements, Value::Agreements(list));
    Ok(())
}

fn write_consents(c: &Customer, _: &CellContext) -> String {
    if c.agreements.is_empty() {
        return String::new();
    }
    let sets: Vec<Json> = c
        .agreements
        .iter()
        .map(|a| {
            let mut set = Map::new();
            set.insert("name".into(), Json::String(a.name.clone()));
            set.insert(
                "status".into(),
                Json::String(if a.status { "t" } else { "n" }.into()),
            );
            if let Some(t) = a.time {
                set.insert("time".into(), Json::String(t.format(DATE).to_string()));
            }
            if let Some(t) = a.valid_to {
                set.insert("valid_to".into(), Json::String(t.format(DATE).to_string()));
            }
            Json::Object(set)
        })
        .collect();
    Json::Array(sets).to_string()
}

fn read_custom_fields(
    cell: &str,
    _: &CellContext,
    p: &mut CustomerPatch,
) -> Result<(), ValueError> {
    let fields: BTreeMap<String, String> = serde_json::from_str(cell).map_err(|_| {
        json_error(
            cell,
            "a JSON object of key and text, e.g. {\"vip\": \"gold\"}",
        )
    })?;
    for (key, value) in fields {
        let key = key.trim();
        if key.is_empty() {
            continue;
        }
        if value.trim().is_empty() {
            p.clear(Field::CustomField(key.to_string()));
        } else {
            p.set(Field::CustomField(key.to_string()), Value::Text(value));
        }
    }
    Ok(())
}

fn write_custom_fields(c: &Customer, _: &CellContext) -> String {
    if c.custom_fields.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&c.custom_fields).unwrap_or_default()
    }
}

/// The password cell is the hash's encoded form: a PHC string (`$argon2id$...`) or
/// `algorithm:hash`.
fn read_password(cell: &str, _: &CellContext, p: &mut CustomerPatch) -> Result<(), ValueError> {
    p.set(
        Field::Password,
        Value::Password(PasswordHash::from_encoded(cell.trim())),
    );
    Ok(())
}

fn write_password(c: &Customer, _: &CellContext) -> String {
    c.password
        .as_ref()
        .map(|h| h.encoded().to_string())
        .unwrap_or_default()
}

/// Splits an encoded password hash into the `hash` and `algorithm` attributes.
pub(super) fn password_attributes(encoded: &str) -> (String, String) {
    let hash = PasswordHash::from_encoded(encoded);
    if encoded.starts_with('$') {
        (encoded.to_string(), hash.algorithm().to_string())
    } else {
        match encoded.split_once(':') {
            Some((alg, h)) => (h.to_string(), alg.to_string()),
            None => (encoded.to_string(), String::new()),
        }
    }
}

/// Joins the `hash` and `algorithm` attributes into the encoded form.
pub(super) fn password_cell(hash: &str, algorithm: &str) -> String {
    let hash = hash.trim();
    let algorithm = algorithm.trim();
    if hash.is_empty() || hash.starts_with('$') || algorithm.is_empty() {
        hash.to_string()
    } else {
        format!("{algorithm}:{hash}")
    }
}
