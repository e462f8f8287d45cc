//! The field catalogue: every field of [`Customer`] that a file column, a mapping or an
//! edit can name, with its type. One table below generates the [`Field`] enum, its names
//! and the typed get/set of [`Customer`], so the three can never disagree.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use thiserror::Error;

use crate::ValueError;
use crate::codec::Put;
use crate::customer::{Agreement, Customer, ShippingAddress};
use crate::values::{
    Consent, Country, DateTime, Email, Gender, Kind, Language, PasswordHash, Phone, parse_bool,
    parse_datetime, parse_decimal, parse_id_list, parse_integer, write_datetime,
};

/// A value of some field, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Email(Email),
    Phone(Phone),
    Country(Country),
    Language(Language),
    Decimal(Decimal),
    Integer(i64),
    Bool(bool),
    DateTime(DateTime),
    Consent(Consent),
    Kind(Kind),
    Gender(Gender),
    Ids(Vec<u32>),
    Texts(Vec<String>),
    Password(PasswordHash),
    /// Delivery addresses, the whole list.
    Addresses(Vec<ShippingAddress>),
    /// Consents (agreements), the whole list.
    Agreements(Vec<Agreement>),
}

impl fmt::Display for Value {
    /// The canonical text form, the one [`FieldType::parse`] reads back. A password hash
    /// writes its encoded form: only export columns that the user asked for show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(v) => v.canonical(f),
            Value::Email(v) => v.canonical(f),
            Value::Phone(v) => v.canonical(f),
            Value::Country(v) => v.canonical(f),
            Value::Language(v) => v.canonical(f),
            Value::Decimal(v) => v.canonical(f),
            Value::Integer(v) => v.canonical(f),
            Value::Bool(v) => v.canonical(f),
            Value::DateTime(v) => v.canonical(f),
            Value::Consent(v) => v.canonical(f),
            Value::Kind(v) => v.canonical(f),
            Value::Gender(v) => v.canonical(f),
            Value::Ids(v) => v.canonical(f),
            Value::Texts(v) => v.canonical(f),
            Value::Password(v) => v.canonical(f),
            Value::Addresses(v) => v.canonical(f),
            Value::Agreements(v) => v.canonical(f),
        }
    }
}

/// The canonical text of a value, as [`Value`]'s `Display` writes it, written from where
/// the customer holds it: an export formats millions of fields without copying one.
trait Canonical {
    fn canonical(&self, out: &mut impl fmt::Write) -> fmt::Result;
}

macro_rules! canonical {
    ($($ty:ty => |$v:ident, $out:ident| $body:expr),+ $(,)?) => {$(
        impl Canonical for $ty {
            fn canonical(&self, $out: &mut impl fmt::Write) -> fmt::Result {
                let $v = self;
                $body
            }
        }
    )+};
}

canonical! {
    String => |v, out| out.write_str(v),
    Email => |v, out| out.write_str(v.as_str()),
    Phone => |v, out| out.write_str(v.as_str()),
    Country => |v, out| out.write_str(v.code()),
    Language => |v, out| out.write_str(v.code()),
    Decimal => |v, out| write!(out, "{v}"),
    i64 => |v, out| write!(out, "{v}"),
    bool => |v, out| out.write_str(if *v { "yes" } else { "no" }),
    DateTime => |v, out| write_datetime(v, "%Y-%m-%d %H:%M:%S", out),
    Consent => |v, out| out.write_str(v.as_str()),
    Kind => |v, out| out.write_str(v.as_str()),
    Gender => |v, out| out.write_str(v.as_str()),
    Vec<u32> => |v, out| joined(v, out, |id, out| write!(out, "{id}")),
    Vec<String> => |v, out| joined(v, out, |item, out| out.write_str(item)),
    PasswordHash => |v, out| out.write_str(v.encoded()),
    Vec<ShippingAddress> => |v, out| out.write_str(&serde_json::to_string(v).map_err(|_| fmt::Error)?),
    Vec<Agreement> => |v, out| out.write_str(&serde_json::to_string(v).map_err(|_| fmt::Error)?),
}

/// Writes `items` separated by commas.
fn joined<T, W: fmt::Write>(
    items: &[T],
    out: &mut W,
    item: impl Fn(&T, &mut W) -> fmt::Result,
) -> fmt::Result {
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        item(v, out)?;
    }
    Ok(())
}

/// The type of a field: how its canonical text is parsed and what it means in the docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Email,
    Phone,
    Country,
    Language,
    Decimal,
    Integer,
    Bool,
    DateTime,
    Consent,
    Kind,
    Gender,
    Ids,
    Texts,
    Password,
    /// A list of delivery addresses; canonical text is a JSON array of address objects.
    Addresses,
    /// A list of consents; canonical text is a JSON array of agreement objects.
    Agreements,
}

/// Date formats the canonical parser takes (edits, generic mappings).
const CANONICAL_DATES: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y",
];

/// The spellings of yes and no that a typed flag accepts, in our five languages.
const FLAG_YES: &[&str] = &["yes", "true", "1", "t", "y", "ano", "tak", "да"];
const FLAG_NO: &[&str] = &["no", "false", "0", "n", "ne", "nie", "не"];

impl FieldType {
    /// Parses the canonical text of a value of this type (as typed in an edit or a generic
    /// file). An empty or blank text is not a value: callers treat it as "clear".
    pub fn parse(self, raw: &str) -> Result<Value, ValueError> {
        let trimmed = raw.trim();
        crate::limits::check_text(trimmed, self.max_chars())?;
        Ok(match self {
            FieldType::Text => Value::Text(trimmed.to_string()),
            FieldType::Email => Value::Email(Email::parse(raw)?),
            FieldType::Phone => Value::Phone(Phone::parse(raw)?),
            FieldType::Country => Value::Country(Country::parse(raw)?),
            FieldType::Language => Value::Language(Language::parse(raw)?),
            FieldType::Decimal => Value::Decimal(parse_decimal(raw)?),
            FieldType::Integer => Value::Integer(parse_integer(raw)?),
            FieldType::Bool => Value::Bool(parse_bool(raw, FLAG_YES, FLAG_NO)?),
            FieldType::DateTime => Value::DateTime(parse_datetime(raw, CANONICAL_DATES)?),
            // A consent column of another platform is often a flag (PrestaShop's
            // `Newsletter (0/1)`): a yes or a no.
            FieldType::Consent => {
                Value::Consent(Consent::parse(raw).or_else(|err| {
                    match parse_bool(raw, FLAG_YES, FLAG_NO) {
                        Ok(true) => Ok(Consent::Yes),
                        Ok(false) => Ok(Consent::No),
                        Err(_) => Err(err),
                    }
                })?)
            }
            FieldType::Kind => Value::Kind(Kind::parse(raw)?),
            FieldType::Gender => Value::Gender(Gender::parse(raw)?),
            FieldType::Ids => Value::Ids(parse_id_list(raw)?),
            FieldType::Texts => Value::Texts(
                trimmed
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            ),
            FieldType::Password => Value::Password(PasswordHash::read(trimmed)),
            FieldType::Addresses => {
                Value::Addresses(parse_json_list(trimmed, "delivery addresses")?)
            }
            FieldType::Agreements => Value::Agreements(parse_json_list(trimmed, "consents")?),
        })
    }

    /// A short name for documentation.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Email => "e-mail",
            FieldType::Phone => "phone",
            FieldType::Country => "country (ISO 3166-1)",
            FieldType::Language => "language (ISO 639)",
            FieldType::Decimal => "decimal",
            FieldType::Integer => "integer",
            FieldType::Bool => "yes/no",
            FieldType::DateTime => "date-time",
            FieldType::Consent => "consent (yes/no/notset/excluded)",
            FieldType::Kind => "kind (contact/person/company)",
            FieldType::Gender => "gender (male/female)",
            FieldType::Ids => "shop ids",
            FieldType::Texts => "list of text",
            FieldType::Password => "password hash",
            FieldType::Addresses => "delivery addresses",
            FieldType::Agreements => "consents",
        }
    }
}

/// Parses the canonical (JSON array) text of a list of structured values.
fn parse_json_list<T: serde::de::DeserializeOwned>(
    raw: &str,
    what: &str,
) -> Result<Vec<T>, ValueError> {
    serde_json::from_str(raw).map_err(|e| ValueError::Choice {
        value: raw.to_string(),
        allowed: format!("a JSON array of {what} ({e})"),
    })
}

/// A value that a field of that Rust type can hold, converted to and from [`Value`].
trait FieldValue: Sized {
    fn into_value(self) -> Value;
    fn from_value(value: Value) -> Option<Self>;
}

macro_rules! field_value {
    ($($ty:ty => $variant:ident),+ $(,)?) => {$(
        impl FieldValue for $ty {
            fn into_value(self) -> Value { Value::$variant(self) }
            fn from_value(value: Value) -> Option<Self> {
                match value { Value::$variant(v) => Some(v), _ => None }
            }
        }
    )+};
}

field_value! {
    String => Text, Email => Email, Phone => Phone, Country => Country, Language => Language,
    Decimal => Decimal, i64 => Integer, bool => Bool, DateTime => DateTime, Consent => Consent,
    Kind => Kind, Gender => Gender, Vec<u32> => Ids, Vec<String> => Texts, PasswordHash => Password,
    Vec<ShippingAddress> => Addresses, Vec<Agreement> => Agreements,
}

/// A place in a [`Customer`] that holds one field; "no value" is `None`, an empty list, or
/// the type's default.
trait Slot {
    fn read(&self) -> Option<Value>;
    fn write(&mut self, value: Option<Value>) -> bool;
    /// Writes the slot's value in the codec's form, when it holds one; returns whether
    /// it did.
    fn put(&self, out: &mut Vec<u8>) -> bool;
    /// Appends the slot's canonical text, when it holds a value; returns whether it did.
    fn text(&self, out: &mut String) -> bool;
}

impl<T: FieldValue + Clone + Put + Canonical> Slot for Option<T> {
    fn read(&self) -> Option<Value> {
        self.clone().map(T::into_value)
    }
    fn text(&self, out: &mut String) -> bool {
        self.as_ref()
            .map(|v| v.canonical(out).expect("a String takes any text"))
            .is_some()
    }
    fn put(&self, out: &mut Vec<u8>) -> bool {
        self.as_ref().map(|v| v.put(out)).is_some()
    }
    fn write(&mut self, value: Option<Value>) -> bool {
        match value {
            None => {
                *self = None;
                true
            }
            Some(v) => T::from_value(v).map(|v| *self = Some(v)).is_some(),
        }
    }
}

/// Slots whose "no value" is a default rather than `None`.
macro_rules! default_slot {
    ($($ty:ty = $default:expr),+ $(,)?) => {$(
        impl Slot for $ty {
            fn read(&self) -> Option<Value> {
                (*self != $default).then(|| self.clone().into_value())
            }
            fn put(&self, out: &mut Vec<u8>) -> bool {
                let has = *self != $default;
                if has {
                    Put::put(self, out);
                }
                has
            }
            fn text(&self, out: &mut String) -> bool {
                let has = *self != $default;
                if has {
                    self.canonical(out).expect("a String takes any text");
                }
                has
            }
            fn write(&mut self, value: Option<Value>) -> bool {
                match value {
                    None => { *self = $default; true }
                    Some(v) => <$ty>::from_value(v).map(|v| *self = v).is_some(),
                }
            }
        }
    )+};
}

default_slot! {
    bool = false,
    Kind = Kind::Person,
    Consent = Consent::NotSet,
    Vec<u32> = Vec::<u32>::new(),
    Vec<String> = Vec::<String>::new(),
    Vec<ShippingAddress> = Vec::<ShippingAddress>::new(),
    Vec<Agreement> = Vec::<Agreement>::new(),
}

/// A field name that is not in the catalogue.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("'{0}' is not a customer field; run `custio formats` to see the field names")]
pub struct UnknownField(pub String);

macro_rules! fields {
    (
        $( $(#[$doc:meta])* $variant:ident = $name:literal : $ty:ident => $($path:ident).+ ;)*
        | shipping {
            $( $(#[$sdoc:meta])* $svariant:ident = $sname:literal : $sty:ident => $spart:ident ;)*
        }
    ) => {
        /// A customer field that a column, a mapping or an edit can name. Keyed fields
        /// (`custom_fields.KEY`, `stats.NAME`, `extra.KEY`, `agreements.status.NAME`) carry
        /// their key.
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field {
            $($(#[$doc])* $variant,)*
            /// The guid of the delivery address that a patch's other `shipping.*` fields
            /// write: setting it moves the address with that guid first, or puts a new one
            /// with that guid first. Without it they write the first address.
            ShippingGuid,
            $($(#[$sdoc])* $svariant,)*
            /// A shop-defined custom field (`custom_fields.KEY`).
            CustomField(String),
            /// An export-only figure (`stats.NAME`).
            Stat(String),
            /// A dialect-specific value kept for round trips (`extra.DIALECT.COLUMN`).
            Extra(String),
            /// Whether the agreement of this name was given (`agreements.status.NAME`).
            /// Setting it adds the agreement when the customer has none of that name;
            /// clearing it removes the agreement.
            AgreementStatus(String),
            /// When the agreement of this name was given (`agreements.time.NAME`).
            AgreementTime(String),
            /// Until when the agreement of this name is valid (`agreements.valid_to.NAME`).
            AgreementValidTo(String),
        }

        impl Field {
            /// Every field without a key, in catalogue order.
            pub const FIXED: &'static [Field] = &[$(Field::$variant,)* Field::ShippingGuid, $(Field::$svariant,)*];

            /// The field's name in mappings and edits (`billing.city`).
            pub fn name(&self) -> Cow<'static, str> {
                match self {
                    $(Field::$variant => Cow::Borrowed($name),)*
                    Field::ShippingGuid => Cow::Borrowed("shipping.guid"),
                    $(Field::$svariant => Cow::Borrowed($sname),)*
                    Field::CustomField(k) => Cow::Owned(format!("custom_fields.{k}")),
                    Field::Stat(k) => Cow::Owned(format!("stats.{k}")),
                    Field::Extra(k) => Cow::Owned(format!("extra.{k}")),
                    Field::AgreementStatus(k) => Cow::Owned(format!("agreements.status.{k}")),
                    Field::AgreementTime(k) => Cow::Owned(format!("agreements.time.{k}")),
                    Field::AgreementValidTo(k) => Cow::Owned(format!("agreements.valid_to.{k}")),
                }
            }

            /// Looks a field up by its name.
            pub fn parse(name: &str) -> Result<Field, UnknownField> {
                let name = name.trim();
                $(if name == $name { return Ok(Field::$variant); })*
                if name == "shipping.guid" { return Ok(Field::ShippingGuid); }
                $(if name == $sname { return Ok(Field::$svariant); })*
                let keyed = |prefix: &str| name.strip_prefix(prefix).filter(|k| !k.is_empty()).map(String::from);
                keyed("custom_fields.").map(Field::CustomField)
                    .or_else(|| keyed("stats.").map(Field::Stat))
                    .or_else(|| keyed("extra.").map(Field::Extra))
                    .or_else(|| keyed("agreements.status.").map(Field::AgreementStatus))
                    .or_else(|| keyed("agreements.time.").map(Field::AgreementTime))
                    .or_else(|| keyed("agreements.valid_to.").map(Field::AgreementValidTo))
                    .ok_or_else(|| UnknownField(name.to_string()))
            }

            /// The field's type.
            pub fn ty(&self) -> FieldType {
                match self {
                    $(Field::$variant => FieldType::$ty,)*
                    Field::ShippingGuid => FieldType::Text,
                    $(Field::$svariant => FieldType::$sty,)*
                    Field::CustomField(_) | Field::Stat(_) | Field::Extra(_) => FieldType::Text,
                    Field::AgreementStatus(_) => FieldType::Bool,
                    Field::AgreementTime(_) | Field::AgreementValidTo(_) => FieldType::DateTime,
                }
            }
        }

        impl Customer {
            /// Appends each top-level field the customer has, except those in `skip`, as a
            /// tagged codec entry, without copying any value.
            pub(crate) fn encode_fields(&self, skip: &[Field], out: &mut Vec<u8>) {
                $(
                    if !skip.contains(&Field::$variant) {
                        let mark = out.len();
                        crate::codec::put_field(out, &Field::$variant);
                        if !Slot::put(&self.$($path).+, out) {
                            out.truncate(mark);
                        }
                    }
                )*
            }

            /// Reads a field; `None` when the customer has no value for it.
            pub fn get(&self, field: &Field) -> Option<Value> {
                let agreement = |k: &str| self.agreements.iter().find(|a| a.name == *k);
                match field {
                    $(Field::$variant => Slot::read(&self.$($path).+),)*
                    Field::ShippingGuid => self.shipping.first().and_then(|a| Slot::read(&a.guid)),
                    $(Field::$svariant => self.shipping.first().and_then(|a| Slot::read(&a.$spart)),)*
                    Field::CustomField(k) => self.custom_fields.get(k).cloned().map(Value::Text),
                    Field::Stat(k) => self.stats.get(k).cloned().map(Value::Text),
                    Field::Extra(k) => self.extra.get(k).cloned().map(Value::Text),
                    Field::AgreementStatus(k) => agreement(k).map(|a| Value::Bool(a.status)),
                    Field::AgreementTime(k) => agreement(k).and_then(|a| a.time).map(Value::DateTime),
                    Field::AgreementValidTo(k) => agreement(k).and_then(|a| a.valid_to).map(Value::DateTime),
                }
            }

            /// Appends a field's canonical text (what [`Value`]'s `Display` writes for
            /// [`Customer::get`]) to `out`, without copying the value; returns false, writing
            /// nothing, when the customer has no value for it.
            pub fn write_text(&self, field: &Field, out: &mut String) -> bool {
                let keyed = |map: &std::collections::BTreeMap<String, String>, k: &str, out: &mut String| {
                    map.get(k).map(|v| out.push_str(v)).is_some()
                };
                match field {
                    $(Field::$variant => Slot::text(&self.$($path).+, out),)*
                    Field::ShippingGuid => self.shipping.first().is_some_and(|a| Slot::text(&a.guid, out)),
                    $(Field::$svariant => self.shipping.first().is_some_and(|a| Slot::text(&a.$spart, out)),)*
                    Field::CustomField(k) => keyed(&self.custom_fields, k, out),
                    Field::Stat(k) => keyed(&self.stats, k, out),
                    Field::Extra(k) => keyed(&self.extra, k, out),
                    _ => self.get(field).map(|v| fmt::Write::write_fmt(out, format_args!("{v}")).expect("a String takes any text")).is_some(),
                }
            }

            /// Writes a field (`None` clears it). Returns false, changing nothing, when the
            /// value is not of the field's type: a programming error in a dialect table,
            /// which the dialect test suites catch.
            pub fn set(&mut self, field: &Field, value: Option<Value>) -> bool {
                fn keyed(map: &mut std::collections::BTreeMap<String, String>, k: &str, value: Option<Value>) -> bool {
                    match value {
                        None => { map.remove(k); true }
                        Some(Value::Text(t)) => { map.insert(k.to_string(), t); true }
                        Some(_) => false,
                    }
                }
                match field {
                    $(Field::$variant => Slot::write(&mut self.$($path).+, value),)*
                    Field::ShippingGuid => self.select_shipping(value),
                    $(Field::$svariant => self.write_shipping(value, |a| &mut a.$spart),)*
                    Field::CustomField(k) => keyed(&mut self.custom_fields, k, value),
                    Field::Stat(k) => keyed(&mut self.stats, k, value),
                    Field::Extra(k) => keyed(&mut self.extra, k, value),
                    Field::AgreementStatus(k) => match value {
                        None => { self.agreements.retain(|a| a.name != *k); true }
                        Some(Value::Bool(b)) => { self.agreement_mut(k).status = b; true }
                        Some(_) => false,
                    },
                    Field::AgreementTime(k) => self.write_agreement(k, value, |a| &mut a.time),
                    Field::AgreementValidTo(k) => self.write_agreement(k, value, |a| &mut a.valid_to),
                }
            }
        }
    };
}

/// Keyed writes into lists of the customer: the first delivery address and agreements.
impl Customer {
    /// `shipping.guid` picks the address the other `shipping.*` fields of a patch write:
    /// the address with that guid is moved first, or a new one with that guid is put first.
    /// Clearing it removes the first address's guid.
    fn select_shipping(&mut self, value: Option<Value>) -> bool {
        match value {
            Some(Value::Text(guid)) => {
                match self
                    .shipping
                    .iter()
                    .position(|a| a.guid.as_deref() == Some(&guid))
                {
                    Some(0) => {}
                    Some(at) => {
                        let address = self.shipping.remove(at);
                        self.shipping.insert(0, address);
                    }
                    None => self.shipping.insert(
                        0,
                        ShippingAddress {
                            guid: Some(guid),
                            ..ShippingAddress::default()
                        },
                    ),
                }
                true
            }
            None => self.write_shipping(None, |a| &mut a.guid),
            Some(_) => false,
        }
    }

    /// Writes one part of the first delivery address, creating it when needed; an address
    /// left without any value is removed.
    fn write_shipping<S: Slot>(
        &mut self,
        value: Option<Value>,
        part: impl Fn(&mut ShippingAddress) -> &mut S,
    ) -> bool {
        if value.is_none() && self.shipping.is_empty() {
            return true;
        }
        if self.shipping.is_empty() {
            self.shipping.push(ShippingAddress::default());
        }
        let ok = part(&mut self.shipping[0]).write(value);
        if self.shipping[0] == ShippingAddress::default() {
            self.shipping.remove(0);
        }
        ok
    }

    fn agreement_mut(&mut self, name: &str) -> &mut Agreement {
        match self.agreements.iter().position(|a| a.name == name) {
            Some(at) => &mut self.agreements[at],
            None => {
                self.agreements.push(Agreement {
                    name: name.to_string(),
                    ..Agreement::default()
                });
                self.agreements.last_mut().expect("just pushed")
            }
        }
    }

    fn write_agreement(
        &mut self,
        name: &str,
        value: Option<Value>,
        part: impl Fn(&mut Agreement) -> &mut Option<DateTime>,
    ) -> bool {
        match value {
            None => {
                if let Some(a) = self.agreements.iter_mut().find(|a| a.name == name) {
                    *part(a) = None;
                }
                true
            }
            Some(Value::DateTime(d)) => {
                *part(self.agreement_mut(name)) = Some(d);
                true
            }
            Some(_) => false,
        }
    }
}

fields! {
    Guid = "guid": Text => guid;
    Login = "login": Text => login;
    Email = "email": Email => email;
    Code = "code": Text => code;
    Kind = "kind": Kind => kind;
    Gender = "gender": Gender => gender;
    Degree = "degree": Text => degree;
    FirstName = "first_name": Text => first_name;
    LastName = "last_name": Text => last_name;
    FullName = "full_name": Text => full_name;
    Nickname = "nickname": Text => nickname;
    CompanyName = "company.name": Text => company.name;
    CompanyNumber = "company.company_number": Text => company.company_number;
    VatId = "company.vat_id": Text => company.vat_id;
    TaxId = "company.tax_id": Text => company.tax_id;
    VatPayer = "company.vat_payer": Bool => company.vat_payer;
    Phone = "phone": Phone => phone;
    Phone2 = "phone2": Phone => phone2;
    Fax = "fax": Phone => fax;
    BillingFullName = "billing.full_name": Text => billing.full_name;
    BillingCompany = "billing.company": Text => billing.company;
    BillingStreet = "billing.street": Text => billing.street;
    BillingHouseNumber = "billing.house_number": Text => billing.house_number;
    BillingCity = "billing.city": Text => billing.city;
    BillingDistrict = "billing.district": Text => billing.district;
    BillingZip = "billing.zip": Text => billing.zip;
    BillingCountry = "billing.country": Country => billing.country;
    Language = "language": Language => language;
    Shops = "shops": Ids => shops;
    Wholesaler = "wholesaler": Bool => wholesaler;
    Groups = "groups": Texts => groups;
    Pricelist = "pricelist": Text => pricelist;
    DiscountPct = "discount_pct": Decimal => discount_pct;
    LoyaltyPoints = "loyalty_points": Integer => loyalty_points;
    Balance = "balance": Decimal => balance;
    BalanceLimit = "balance_limit": Decimal => balance_limit;
    Active = "active": Bool => active;
    Blocked = "blocked": Bool => blocked;
    EmailVerified = "email_verified": Bool => email_verified;
    NewsletterEmail = "newsletter_email": Consent => newsletter_email;
    NewsletterEmailShops = "newsletter_email_shops": Ids => newsletter_email_shops;
    NewsletterSms = "newsletter_sms": Consent => newsletter_sms;
    NewsletterSmsShops = "newsletter_sms_shops": Ids => newsletter_sms_shops;
    RegisteredAt = "registered_at": DateTime => registered_at;
    LastLoginAt = "last_login_at": DateTime => last_login_at;
    LastOrderAt = "last_order_at": DateTime => last_order_at;
    Shipping = "shipping": Addresses => shipping;
    Note = "note": Text => note;
    Tags = "tags": Texts => tags;
    Agreements = "agreements": Agreements => agreements;
    Password = "password": Password => password;
    | shipping {
        ShippingFullName = "shipping.full_name": Text => full_name;
        ShippingCompany = "shipping.company": Text => company;
        ShippingStreet = "shipping.street": Text => street;
        ShippingHouseNumber = "shipping.house_number": Text => house_number;
        ShippingCity = "shipping.city": Text => city;
        ShippingDistrict = "shipping.district": Text => district;
        ShippingZip = "shipping.zip": Text => zip;
        ShippingCountry = "shipping.country": Country => country;
        ShippingPhone = "shipping.phone": Phone => phone;
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixed_field_round_trips_its_name() {
        for field in Field::FIXED {
            assert_eq!(&Field::parse(&field.name()).unwrap(), field);
        }
        assert_eq!(
            Field::parse("custom_fields.vip").unwrap(),
            Field::CustomField("vip".into())
        );
        assert!(Field::parse("shoe_size").is_err());
    }

    #[test]
    fn get_and_set_by_field() {
        let mut c = Customer::default();
        assert!(c.set(&Field::BillingCity, Some(Value::Text("Kraków".into()))));
        assert_eq!(c.billing.city.as_deref(), Some("Kraków"));
        assert!(!c.set(&Field::BillingCity, Some(Value::Bool(true))));
        assert_eq!(c.get(&Field::Active), Some(Value::Bool(true)));
        assert!(c.set(&Field::Active, None));
        assert_eq!(c.get(&Field::Active), None);
        assert!(c.set(
            &Field::Stat("orders_all".into()),
            Some(Value::Text("3".into()))
        ));
        assert_eq!(c.stats["orders_all"], "3");
    }

    #[test]
    fn shipping_fields_write_the_address_their_guid_picks() {
        let text = |s: &str| Some(Value::Text(s.into()));
        let mut c = Customer::default();
        assert!(c.set(&Field::ShippingCity, None));
        assert!(c.shipping.is_empty());
        assert!(c.set(&Field::ShippingGuid, text("a")));
        assert!(c.set(&Field::ShippingCity, text("Brno")));
        assert!(c.set(&Field::ShippingGuid, text("b")));
        assert!(c.set(&Field::ShippingCity, text("Praha")));
        assert_eq!(c.shipping.len(), 2);
        assert!(c.set(&Field::ShippingGuid, text("a")));
        assert_eq!(c.get(&Field::ShippingCity), text("Brno"));
        assert_eq!(c.shipping[1].city.as_deref(), Some("Praha"));
        assert!(c.set(&Field::ShippingGuid, None));
        assert!(c.set(&Field::ShippingCity, None));
        assert_eq!(c.shipping.len(), 1, "an address left empty is removed");
        assert_eq!(Field::parse("shipping.guid").unwrap(), Field::ShippingGuid);
    }

    #[test]
    fn agreements_by_name() {
        let mut c = Customer::default();
        let terms = "Obchodní podmínky".to_string();
        let day = parse_datetime("2024-05-01", &["%Y-%m-%d"]).unwrap();
        assert!(c.set(
            &Field::AgreementTime(terms.clone()),
            Some(Value::DateTime(day))
        ));
        assert!(c.set(
            &Field::AgreementStatus(terms.clone()),
            Some(Value::Bool(true))
        ));
        assert_eq!(c.agreements.len(), 1);
        assert_eq!(
            c.get(&Field::AgreementStatus(terms.clone())),
            Some(Value::Bool(true))
        );
        assert_eq!(
            Field::parse("agreements.valid_to.Obchodní podmínky").unwrap(),
            Field::AgreementValidTo(terms.clone())
        );
        assert_eq!(
            Field::AgreementTime(terms.clone()).ty(),
            FieldType::DateTime
        );
        assert!(c.set(&Field::AgreementStatus(terms), None));
        assert!(c.agreements.is_empty());
    }

    #[test]
    fn write_text_writes_what_get_displays_for_every_field() {
        let sample = |ty: FieldType| match ty {
            FieldType::Text => "Nowak",
            FieldType::Email => "Jan.Nowak@Example.com",
            FieldType::Phone => "+48 600 100 200",
            FieldType::Country => "PL",
            FieldType::Language => "pl",
            FieldType::Decimal => "12.50",
            FieldType::Integer => "-7",
            FieldType::Bool => "yes",
            FieldType::DateTime => "2024-05-01 08:09:10",
            FieldType::Consent => "excluded",
            FieldType::Kind => "company",
            FieldType::Gender => "female",
            FieldType::Ids => "1,3,12",
            FieldType::Texts => "vip, b2b",
            FieldType::Password => "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            FieldType::Addresses => r#"[{"guid":"a","city":"Brno"}]"#,
            FieldType::Agreements => r#"[{"name":"Terms","status":true}]"#,
        };
        let keyed = [
            Field::CustomField("vip".into()),
            Field::Stat("orders_all".into()),
            Field::Extra("idosell.card".into()),
            Field::AgreementStatus("Terms".into()),
            Field::AgreementTime("Terms".into()),
        ];
        for field in Field::FIXED.iter().chain(&keyed) {
            let mut c = Customer::default();
            let mut out = String::from("<");
            let default = c.get(field).map(|v| v.to_string()).unwrap_or_default();
            assert_eq!(
                c.write_text(field, &mut out),
                c.get(field).is_some(),
                "{field:?}"
            );
            assert_eq!(out, format!("<{default}"), "{field:?} by default");
            out.truncate(1);
            let value = field.ty().parse(sample(field.ty())).unwrap();
            assert!(c.set(field, Some(value)), "{field:?}");
            let Some(expected) = c.get(field) else {
                continue; // a default value (kind "person", consent "not set") is no value
            };
            assert!(c.write_text(field, &mut out), "{field:?}");
            assert_eq!(out, format!("<{expected}"), "{field:?}");
        }
    }
}
