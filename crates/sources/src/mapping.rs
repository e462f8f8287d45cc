//! Mapping tables: which platform field becomes which custio field, and how its value is
//! read. The connectors read records through them and `docs/migrations.md` is generated
//! from them, so the documentation is the code's own table.

use std::collections::HashMap;

use custio_model::{CustomerPatch, Field, ShippingAddress, Value};
use serde_json::Value as Json;

use crate::lenient;

/// How a platform value becomes a custio value.
#[derive(Clone, Copy, Debug)]
pub enum Read {
    /// The text as it is; the field's type reads it (an e-mail, a phone, a name).
    Text,
    /// A date or date-time; zero dates (`0000-00-00`) are none.
    Date,
    /// A flag (`1`/`0`, `true`/`false`), for a yes/no or a consent field.
    Flag,
    /// A flag that, when set, means the field's value is `value` ("company" for a kind).
    FlagMeans(&'static str),
    /// An id looked up in one of the platform's tables (countries, languages, groups).
    Lookup(Table),
    /// Fixed values: each platform value and the custio value it stands for.
    Choice(&'static [(&'static str, &'static str)]),
}

/// A table of the platform that a record refers to by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    Countries,
    Languages,
    Groups,
}

/// One row of a mapping table.
#[derive(Debug)]
pub struct Mapping {
    /// The platform's field, dotted for nested objects (`billing.city`).
    pub source: &'static str,
    pub field: Field,
    pub read: Read,
    /// What a user should know about it, for the documentation.
    pub note: &'static str,
}

/// The platform's tables, by id, as the connector fetched them.
#[derive(Clone, Debug, Default)]
pub struct Lookups {
    tables: HashMap<Table, HashMap<u64, String>>,
}

impl Lookups {
    pub fn insert(&mut self, table: Table, id: u64, value: String) {
        self.tables.entry(table).or_default().insert(id, value);
    }

    pub fn get(&self, table: Table, id: u64) -> Option<&str> {
        self.tables.get(&table)?.get(&id).map(String::as_str)
    }
}

/// A customer being built from one record: the patch, and what could not be taken.
#[derive(Debug, Default)]
pub struct Draft {
    pub patch: CustomerPatch,
    pub problems: Vec<String>,
}

impl Draft {
    /// Sets `field` from its text, read by the field's type; a value the type refuses is
    /// a problem, and the field is left out.
    pub fn set(&mut self, field: Field, text: Option<String>) {
        let Some(text) = text else { return };
        match field.ty().parse(&text) {
            Ok(value) => self.patch.set(field, value),
            Err(e) => self.problems.push(format!("{}: {e}", field.name())),
        }
    }

    /// Reads every mapped field of `record`.
    pub fn read(&mut self, record: &Json, table: &[Mapping], lookups: &Lookups) {
        for mapping in table {
            let value = at(record, mapping.source);
            let text = match mapping.read {
                Read::Text => lenient::text(value),
                Read::Date => lenient::date(value),
                Read::Flag => lenient::flag(value).map(|f| if f { "yes" } else { "no" }.into()),
                Read::FlagMeans(meaning) => lenient::flag(value)
                    .filter(|set| *set)
                    .map(|_| meaning.to_string()),
                Read::Lookup(table) => lenient::number(value).and_then(|id| {
                    let found = lookups.get(table, id).map(str::to_string);
                    if found.is_none() && id != 0 {
                        self.problems
                            .push(format!("{}: no {table:?} with id {id}", mapping.source));
                    }
                    found
                }),
                Read::Choice(choices) => lenient::text(value).and_then(|v| {
                    choices
                        .iter()
                        .find(|(from, _)| *from == v)
                        .map(|(_, to)| to.to_string())
                }),
            };
            self.set(mapping.field.clone(), text);
        }
    }

    /// Sets the delivery addresses built from `parts` (none leaves the field out); a part
    /// an address's type refuses is a problem of the customer.
    pub fn addresses(&mut self, parts: impl IntoIterator<Item = AddressParts>) {
        let addresses: Vec<ShippingAddress> = parts
            .into_iter()
            .filter_map(|p| p.build(&mut self.problems))
            .collect();
        if !addresses.is_empty() {
            self.patch.set(Field::Shipping, Value::Addresses(addresses));
        }
    }
}

/// The value at a dotted path of a JSON object.
pub fn at<'a>(record: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.')
        .try_fold(record, |value, key| value.get(key))
}

/// Joins the non-blank parts with a space: a full name from its first and last names.
pub fn joined(parts: &[Option<String>]) -> Option<String> {
    let text = parts
        .iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    (!text.trim().is_empty()).then(|| text.trim().to_string())
}

/// A delivery address from its parts, each read by its field's type; a part the type
/// refuses (a country that is no ISO code) is left out and is a problem.
#[derive(Default)]
pub struct AddressParts {
    pub guid: Option<String>,
    pub full_name: Option<String>,
    pub company: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
}

impl AddressParts {
    /// The address, or none when it holds nothing but a name.
    fn build(self, problems: &mut Vec<String>) -> Option<ShippingAddress> {
        if self.street.is_none() && self.city.is_none() && self.zip.is_none() {
            return None;
        }
        let mut typed = |field: Field, text: Option<String>| -> Option<Value> {
            let text = text?;
            field
                .ty()
                .parse(&text)
                .map_err(|e| problems.push(format!("{}: {e}", field.name())))
                .ok()
        };
        let country = match typed(Field::ShippingCountry, self.country) {
            Some(Value::Country(c)) => Some(c),
            _ => None,
        };
        let phone = match typed(Field::ShippingPhone, self.phone) {
            Some(Value::Phone(p)) => Some(p),
            _ => None,
        };
        Some(ShippingAddress {
            guid: self.guid,
            full_name: self.full_name,
            company: self.company,
            street: self.street,
            house_number: None,
            city: self.city,
            district: None,
            zip: self.zip,
            country,
            phone,
        })
    }
}

/// A platform, the resources it is read from, its mapping table and its notes (what is
/// read but not through the table).
type Documented = (
    crate::Platform,
    &'static str,
    &'static [Mapping],
    &'static [(&'static str, &'static str)],
);

/// Every platform's field tables as Markdown: the generated part of `docs/migrations.md`.
pub fn fields_markdown() -> String {
    let platforms: [Documented; 3] = [
        (
            crate::Platform::Shoper,
            "`/webapi/rest/users` and `/webapi/rest/user-addresses`",
            crate::shoper::mapping::USER,
            crate::shoper::mapping::NOTES,
        ),
        (
            crate::Platform::PrestaShop,
            "`/api/customers` and `/api/addresses`",
            crate::prestashop::mapping::CUSTOMER,
            crate::prestashop::mapping::NOTES,
        ),
        (
            crate::Platform::WooCommerce,
            "`/wp-json/wc/v3/customers`",
            crate::woocommerce::mapping::CUSTOMER,
            crate::woocommerce::mapping::NOTES,
        ),
    ];
    let mut out = String::new();
    for (platform, resources, table, notes) in platforms {
        out.push_str(&format!(
            "### {}\n\nRead from {resources}.\n\n",
            platform.name()
        ));
        out.push_str(&markdown(table));
        out.push_str("\n| platform data | what custio does |\n|---|---|\n");
        for (what, how) in notes {
            out.push_str(&format!("| {what} | {how} |\n"));
        }
        out.push('\n');
    }
    out
}

/// The mapping table as a Markdown table, for `docs/migrations.md`.
pub fn markdown(table: &[Mapping]) -> String {
    let mut out =
        String::from("| platform field | custio field | read as | note |\n|---|---|---|---|\n");
    for m in table {
        let read = match m.read {
            Read::Text => "text".to_string(),
            Read::Date => "date (zero dates: none)".to_string(),
            Read::Flag => "flag (1/0)".to_string(),
            Read::FlagMeans(v) => format!("flag; set means `{v}`"),
            Read::Lookup(t) => format!("id in the platform's {}", format!("{t:?}").to_lowercase()),
            Read::Choice(choices) => choices
                .iter()
                .map(|(f, t)| format!("`{f}` → {t}"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            m.source,
            m.field.name(),
            read,
            m.note
        ));
    }
    out
}
