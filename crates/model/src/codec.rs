//! The compact binary form in which the store keeps customers, patches and field-level
//! changes. A customer is a list of the fields it has, each a one-byte tag from [`TAGS`]
//! and its value; absent fields take no space, so a typical customer is about as long as
//! its values. Dates are seconds, decimals a mantissa and a scale, choices one byte.
//!
//! The format is the store's on-disk format: tags are only ever appended to [`TAGS`].
//!
//! ```
//! use custio_model::{codec, Customer};
//! let jan = Customer { first_name: Some("Jan".into()), ..Customer::default() };
//! let mut bytes = Vec::new();
//! codec::encode_customer(&jan, &[], &mut bytes);
//! assert_eq!(codec::decode_customer(&bytes).unwrap(), jan);
//! ```

use chrono::DateTime as Utc;
use rust_decimal::Decimal;
use thiserror::Error;

use crate::customer::{Agreement, Customer, ShippingAddress};
use crate::field::{Field, FieldType, Value};
use crate::patch::{Change, CustomerPatch, FieldChange};
use crate::values::{
    Consent, Country, DateTime, Email, Gender, Kind, Language, PasswordHash, Phone,
};

/// Stored bytes that do not decode: a bug, or a database edited by hand.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("stored data does not decode at byte {at}: {what}")]
pub struct CodecError {
    /// Where decoding stopped.
    pub at: usize,
    /// What was expected there.
    pub what: &'static str,
}

/// The fields without a key and their tags. Append only: a tag, once written to a
/// database, keeps its meaning.
macro_rules! tags {
    ($($tag:literal => $field:ident,)+) => {
        /// The fields without a key, by tag (the index plus one).
        pub const TAGS: &[Field] = &[$(Field::$field),+];

        /// The tag of a field without a key.
        fn tag_of(field: &Field) -> Option<u8> {
            match field {
                $(Field::$field => Some($tag),)+
                _ => None,
            }
        }
    };
}

tags! {
    1 => Guid,
    2 => Login,
    3 => Email,
    4 => Code,
    5 => Kind,
    6 => Gender,
    7 => Degree,
    8 => FirstName,
    9 => LastName,
    10 => FullName,
    11 => Nickname,
    12 => CompanyName,
    13 => CompanyNumber,
    14 => VatId,
    15 => TaxId,
    16 => VatPayer,
    17 => Phone,
    18 => Phone2,
    19 => Fax,
    20 => BillingFullName,
    21 => BillingCompany,
    22 => BillingStreet,
    23 => BillingHouseNumber,
    24 => BillingCity,
    25 => BillingDistrict,
    26 => BillingZip,
    27 => BillingCountry,
    28 => Language,
    29 => Shops,
    30 => Wholesaler,
    31 => Groups,
    32 => Pricelist,
    33 => DiscountPct,
    34 => LoyaltyPoints,
    35 => Balance,
    36 => BalanceLimit,
    37 => Active,
    38 => Blocked,
    39 => EmailVerified,
    40 => NewsletterEmail,
    41 => NewsletterEmailShops,
    42 => NewsletterSms,
    43 => NewsletterSmsShops,
    44 => RegisteredAt,
    45 => LastLoginAt,
    46 => LastOrderAt,
    47 => Shipping,
    48 => Note,
    49 => Tags,
    50 => Agreements,
    51 => Password,
    52 => ShippingGuid,
    53 => ShippingFullName,
    54 => ShippingCompany,
    55 => ShippingStreet,
    56 => ShippingHouseNumber,
    57 => ShippingCity,
    58 => ShippingDistrict,
    59 => ShippingZip,
    60 => ShippingCountry,
    61 => ShippingPhone,
}

/// Tags of the keyed fields; the key follows the tag.
const CUSTOM_FIELD: u8 = 250;
const STAT: u8 = 251;
const EXTRA: u8 = 252;
const AGREEMENT_STATUS: u8 = 253;
const AGREEMENT_TIME: u8 = 254;
const AGREEMENT_VALID_TO: u8 = 255;

/// Stat names common enough to be written as one byte (0 means a name follows).
const STAT_NAMES: &[&str] = &[
    "orders_all",
    "orders_worth",
    "orders_count",
    "orders_value",
    "last_order_value",
];

/// The fields a customer document lists: the top-level ones (the first delivery
/// address's parts are inside `shipping`).
pub(crate) fn document_fields() -> impl Iterator<Item = &'static Field> {
    TAGS.iter().take_while(|f| **f != Field::ShippingGuid)
}

// --- writing -------------------------------------------------------------------------

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_signed(out: &mut Vec<u8>, n: i64) {
    put_varint(out, ((n << 1) ^ (n >> 63)) as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_datetime(out: &mut Vec<u8>, at: &DateTime) {
    let utc = at.and_utc();
    let nanos = utc.timestamp_subsec_nanos();
    put_signed(out, utc.timestamp() * 2 + i64::from(nanos != 0));
    if nanos != 0 {
        put_varint(out, u64::from(nanos));
    }
}

fn put_opt<T>(out: &mut Vec<u8>, value: &Option<T>, put: impl Fn(&mut Vec<u8>, &T)) {
    match value {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            put(out, v);
        }
    }
}

fn choice_index<T: PartialEq>(all: &[T], value: &T) -> u8 {
    all.iter().position(|v| v == value).unwrap_or(0) as u8
}

/// A value type in the codec's form.
pub(crate) trait Put {
    fn put(&self, out: &mut Vec<u8>);
}

macro_rules! put_with {
    ($($ty:ty => |$v:ident, $out:ident| $body:expr),+ $(,)?) => {$(
        impl Put for $ty {
            fn put(&self, $out: &mut Vec<u8>) {
                let $v = self;
                $body
            }
        }
    )+};
}

put_with! {
    String => |s, out| put_str(out, s),
    Email => |e, out| put_str(out, e.as_str()),
    Phone => |p, out| put_phone(out, p.as_str()),
    PasswordHash => |p, out| put_str(out, p.encoded()),
    Country => |c, out| put_str(out, c.code()),
    Language => |l, out| put_str(out, l.code()),
    Decimal => |d, out| {
        put_signed_wide(out, d.mantissa());
        out.push(d.scale() as u8);
    },
    i64 => |i, out| put_signed(out, *i),
    bool => |b, out| out.push(u8::from(*b)),
    DateTime => |at, out| put_datetime(out, at),
    Consent => |c, out| out.push(choice_index(Consent::ALL, c)),
    Kind => |k, out| out.push(choice_index(Kind::ALL, k)),
    Gender => |g, out| out.push(choice_index(Gender::ALL, g)),
    Vec<u32> => |ids, out| {
        put_varint(out, ids.len() as u64);
        for id in ids {
            put_varint(out, u64::from(*id));
        }
    },
    Vec<String> => |items, out| {
        put_varint(out, items.len() as u64);
        for item in items {
            put_str(out, item);
        }
    },
    Vec<ShippingAddress> => |list, out| {
        put_varint(out, list.len() as u64);
        for a in list {
            put_address(out, a);
        }
    },
    Vec<Agreement> => |list, out| {
        put_varint(out, list.len() as u64);
        for a in list {
            put_str(out, &a.name);
            out.push(u8::from(a.status));
            put_opt(out, &a.time, put_datetime);
            put_opt(out, &a.valid_to, put_datetime);
        }
    },
}

fn put_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Text(v) => v.put(out),
        Value::Email(v) => v.put(out),
        Value::Phone(v) => v.put(out),
        Value::Password(v) => v.put(out),
        Value::Country(v) => v.put(out),
        Value::Language(v) => v.put(out),
        Value::Decimal(v) => v.put(out),
        Value::Integer(v) => v.put(out),
        Value::Bool(v) => v.put(out),
        Value::DateTime(v) => v.put(out),
        Value::Consent(v) => v.put(out),
        Value::Kind(v) => v.put(out),
        Value::Gender(v) => v.put(out),
        Value::Ids(v) => v.put(out),
        Value::Texts(v) => v.put(out),
        Value::Addresses(v) => v.put(out),
        Value::Agreements(v) => v.put(out),
    }
}

/// A phone number (an optional `+` and digits) as a byte with the `+` and the count of
/// leading zeros, then the other digits as one number: `+48601234567` takes 7 bytes.
fn put_phone(out: &mut Vec<u8>, phone: &str) {
    let digits = phone.trim_start_matches('+');
    let rest = digits.trim_start_matches('0');
    let zeros = (digits.len() - rest.len()) as u8;
    out.push(u8::from(phone.starts_with('+')) | (zeros << 1));
    let mut n: u128 = 0;
    for d in rest.bytes() {
        n = n * 10 + u128::from(d - b'0');
    }
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// An i128 mantissa as a zigzag varint (rust_decimal mantissas fit in 96 bits).
fn put_signed_wide(out: &mut Vec<u8>, n: i128) {
    let mut z = ((n << 1) ^ (n >> 127)) as u128;
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

fn put_address(out: &mut Vec<u8>, a: &ShippingAddress) {
    let texts = [
        &a.guid,
        &a.full_name,
        &a.company,
        &a.street,
        &a.house_number,
        &a.city,
        &a.district,
        &a.zip,
    ];
    let mut present: u16 = 0;
    for (i, t) in texts.iter().enumerate() {
        present |= u16::from(t.is_some()) << i;
    }
    present |= u16::from(a.country.is_some()) << 8;
    present |= u16::from(a.phone.is_some()) << 9;
    out.extend_from_slice(&present.to_le_bytes());
    for t in texts.into_iter().flatten() {
        put_str(out, t);
    }
    if let Some(c) = &a.country {
        put_str(out, c.code());
    }
    if let Some(p) = &a.phone {
        put_phone(out, p.as_str());
    }
}

/// Writes a field's tag, and its key for a keyed field.
pub(crate) fn put_field(out: &mut Vec<u8>, field: &Field) {
    let (tag, key) = match field {
        Field::CustomField(k) => (CUSTOM_FIELD, k),
        Field::Stat(k) => (STAT, k),
        Field::Extra(k) => (EXTRA, k),
        Field::AgreementStatus(k) => (AGREEMENT_STATUS, k),
        Field::AgreementTime(k) => (AGREEMENT_TIME, k),
        Field::AgreementValidTo(k) => (AGREEMENT_VALID_TO, k),
        fixed => {
            out.push(tag_of(fixed).expect("every fixed field has a tag"));
            return;
        }
    };
    out.push(tag);
    if tag == STAT
        && let Some(i) = STAT_NAMES.iter().position(|n| n == key)
    {
        out.push(i as u8 + 1);
        return;
    } else if tag == STAT {
        out.push(0);
    }
    put_str(out, key);
}

/// Appends `customer`'s document: every field it has except those in `skip` (which the
/// store keeps in columns of their own) and its id.
pub fn encode_customer(customer: &Customer, skip: &[Field], out: &mut Vec<u8>) {
    customer.encode_fields(skip, out);
    let maps = [
        (
            Field::CustomField as fn(String) -> Field,
            &customer.custom_fields,
        ),
        (Field::Stat, &customer.stats),
        (Field::Extra, &customer.extra),
    ];
    for (keyed, map) in maps {
        for (key, value) in map {
            put_field(out, &keyed(key.clone()));
            put_str(out, value);
        }
    }
}

/// Appends a patch: each field's tag, then `0` for a clear or `1` and the value.
pub fn encode_patch(patch: &CustomerPatch, out: &mut Vec<u8>) {
    for (field, change) in patch.iter() {
        put_field(out, field);
        match change {
            Change::Clear => out.push(0),
            Change::Set(value) => {
                out.push(1);
                put_value(out, value);
            }
        }
    }
}

/// Appends a list of texts (a row's cells as read).
pub fn encode_texts(texts: &[String], out: &mut Vec<u8>) {
    for text in texts {
        put_str(out, text);
    }
}

/// Reads texts written by [`encode_texts`].
pub fn decode_texts(bytes: &[u8]) -> Result<Vec<String>, CodecError> {
    let mut r = Reader { bytes, at: 0 };
    let mut texts = Vec::new();
    while !r.done() {
        texts.push(r.string()?);
    }
    Ok(texts)
}

/// Appends field-level changes: each field's tag, its value before and after.
pub fn encode_changes(changes: &[FieldChange], out: &mut Vec<u8>) {
    for change in changes {
        put_field(out, &change.field);
        put_opt(out, &change.before, put_value);
        put_opt(out, &change.after, put_value);
    }
}

// --- reading -------------------------------------------------------------------------

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn fail<T>(&self, what: &'static str) -> Result<T, CodecError> {
        Err(CodecError { at: self.at, what })
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, CodecError> {
        match self.bytes.get(self.at) {
            Some(b) => {
                self.at += 1;
                Ok(*b)
            }
            None => self.fail("a byte"),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        match self.bytes.get(self.at..self.at.saturating_add(n)) {
            Some(slice) => {
                self.at += n;
                Ok(slice)
            }
            None => self.fail("more bytes"),
        }
    }

    fn varint(&mut self) -> Result<u128, CodecError> {
        let mut n: u128 = 0;
        for shift in (0..128).step_by(7) {
            let b = self.byte()?;
            n |= u128::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        self.fail("a shorter number")
    }

    fn unsigned(&mut self) -> Result<u64, CodecError> {
        let n = self.varint()?;
        u64::try_from(n).or_else(|_| self.fail("a 64-bit number"))
    }

    fn signed(&mut self) -> Result<i64, CodecError> {
        let z = self.unsigned()?;
        Ok((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    fn signed_wide(&mut self) -> Result<i128, CodecError> {
        let z = self.varint()?;
        Ok((z >> 1) as i128 ^ -((z & 1) as i128))
    }

    fn len(&mut self) -> Result<usize, CodecError> {
        let n = self.unsigned()?;
        if n > (self.bytes.len() - self.at) as u64 {
            return self.fail("a plausible length");
        }
        Ok(n as usize)
    }

    fn string(&mut self) -> Result<String, CodecError> {
        let n = self.len()?;
        let bytes = self.take(n)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => self.fail("UTF-8 text"),
        }
    }

    fn datetime(&mut self) -> Result<DateTime, CodecError> {
        let n = self.signed()?;
        let nanos = if n & 1 == 1 {
            self.unsigned()? as u32
        } else {
            0
        };
        match Utc::from_timestamp(n.div_euclid(2), nanos) {
            Some(at) => Ok(at.naive_utc()),
            None => self.fail("a date"),
        }
    }

    fn opt<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, CodecError>,
    ) -> Result<Option<T>, CodecError> {
        match self.byte()? {
            0 => Ok(None),
            1 => read(self).map(Some),
            _ => self.fail("0 or 1"),
        }
    }

    fn choice<T: Copy>(&mut self, all: &[T]) -> Result<T, CodecError> {
        let i = self.byte()? as usize;
        match all.get(i) {
            Some(v) => Ok(*v),
            None => self.fail("a known choice"),
        }
    }

    fn phone(&mut self) -> Result<Phone, CodecError> {
        let head = self.byte()?;
        let n = self.varint()?;
        let mut text = String::with_capacity(16);
        if head & 1 == 1 {
            text.push('+');
        }
        for _ in 0..head >> 1 {
            text.push('0');
        }
        if n > 0 {
            text.push_str(&n.to_string());
        }
        Ok(Phone::trusted(text))
    }

    fn country(&mut self) -> Result<Country, CodecError> {
        let code = self.string()?;
        Country::parse(&code).or_else(|_| self.fail("a country code"))
    }

    fn value(&mut self, ty: FieldType) -> Result<Value, CodecError> {
        Ok(match ty {
            FieldType::Text => Value::Text(self.string()?),
            FieldType::Email => Value::Email(Email::trusted(self.string()?)),
            FieldType::Phone => Value::Phone(self.phone()?),
            FieldType::Password => Value::Password(PasswordHash::from_encoded(self.string()?)),
            FieldType::Country => Value::Country(self.country()?),
            FieldType::Language => {
                let code = self.string()?;
                Value::Language(Language::parse(&code).or_else(|_| self.fail("a language"))?)
            }
            FieldType::Decimal => {
                let mantissa = self.signed_wide()?;
                let scale = u32::from(self.byte()?);
                match Decimal::try_from_i128_with_scale(mantissa, scale) {
                    Ok(d) => Value::Decimal(d),
                    Err(_) => return self.fail("a decimal"),
                }
            }
            FieldType::Integer => Value::Integer(self.signed()?),
            FieldType::Bool => Value::Bool(self.byte()? != 0),
            FieldType::DateTime => Value::DateTime(self.datetime()?),
            FieldType::Consent => Value::Consent(self.choice(Consent::ALL)?),
            FieldType::Kind => Value::Kind(self.choice(Kind::ALL)?),
            FieldType::Gender => Value::Gender(self.choice(Gender::ALL)?),
            FieldType::Ids => {
                let n = self.len()?;
                let mut ids = Vec::with_capacity(n);
                for _ in 0..n {
                    let id = self.unsigned()?;
                    ids.push(u32::try_from(id).or_else(|_| self.fail("a shop id"))?);
                }
                Value::Ids(ids)
            }
            FieldType::Texts => {
                let n = self.len()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.string()?);
                }
                Value::Texts(items)
            }
            FieldType::Addresses => {
                let n = self.len()?;
                let mut list = Vec::with_capacity(n);
                for _ in 0..n {
                    list.push(self.address()?);
                }
                Value::Addresses(list)
            }
            FieldType::Agreements => {
                let n = self.len()?;
                let mut list = Vec::with_capacity(n);
                for _ in 0..n {
                    list.push(Agreement {
                        name: self.string()?,
                        status: self.byte()? != 0,
                        time: self.opt(Self::datetime)?,
                        valid_to: self.opt(Self::datetime)?,
                    });
                }
                Value::Agreements(list)
            }
        })
    }

    fn address(&mut self) -> Result<ShippingAddress, CodecError> {
        let bits = self.take(2)?;
        let present = u16::from_le_bytes([bits[0], bits[1]]);
        let text = |bit: u16, r: &mut Self| -> Result<Option<String>, CodecError> {
            if present & (1 << bit) != 0 {
                r.string().map(Some)
            } else {
                Ok(None)
            }
        };
        Ok(ShippingAddress {
            guid: text(0, self)?,
            full_name: text(1, self)?,
            company: text(2, self)?,
            street: text(3, self)?,
            house_number: text(4, self)?,
            city: text(5, self)?,
            district: text(6, self)?,
            zip: text(7, self)?,
            country: if present & (1 << 8) != 0 {
                Some(self.country()?)
            } else {
                None
            },
            phone: if present & (1 << 9) != 0 {
                Some(self.phone()?)
            } else {
                None
            },
        })
    }

    fn field(&mut self) -> Result<Field, CodecError> {
        let tag = self.byte()?;
        let key = |r: &mut Self| r.string();
        Ok(match tag {
            CUSTOM_FIELD => Field::CustomField(key(self)?),
            STAT => match self.byte()? {
                0 => Field::Stat(key(self)?),
                i => match STAT_NAMES.get(i as usize - 1) {
                    Some(name) => Field::Stat(name.to_string()),
                    None => return self.fail("a known stat"),
                },
            },
            EXTRA => Field::Extra(key(self)?),
            AGREEMENT_STATUS => Field::AgreementStatus(key(self)?),
            AGREEMENT_TIME => Field::AgreementTime(key(self)?),
            AGREEMENT_VALID_TO => Field::AgreementValidTo(key(self)?),
            0 => return self.fail("a field tag"),
            tag => match TAGS.get(tag as usize - 1) {
                Some(field) => field.clone(),
                None => return self.fail("a known field tag"),
            },
        })
    }
}

/// A customer with no value at all: what a document's fields are written into (unlike
/// [`Customer::default`], a new customer, which is active).
fn blank() -> Customer {
    Customer {
        active: false,
        ..Customer::default()
    }
}

/// Reads a document written by [`encode_customer`] (without the skipped fields, which the
/// caller sets from its columns).
pub fn decode_customer(bytes: &[u8]) -> Result<Customer, CodecError> {
    let mut r = Reader { bytes, at: 0 };
    let mut customer = blank();
    while !r.done() {
        let field = r.field()?;
        let value = r.value(field.ty())?;
        if !customer.set(&field, Some(value)) {
            return r.fail("a value of the field's type");
        }
    }
    Ok(customer)
}

/// Reads a patch written by [`encode_patch`].
pub fn decode_patch(bytes: &[u8]) -> Result<CustomerPatch, CodecError> {
    let mut r = Reader { bytes, at: 0 };
    let mut patch = CustomerPatch::default();
    while !r.done() {
        let field = r.field()?;
        match r.byte()? {
            0 => patch.clear(field),
            1 => {
                let value = r.value(field.ty())?;
                patch.set(field, value);
            }
            _ => return r.fail("a change"),
        }
    }
    Ok(patch)
}

/// Reads changes written by [`encode_changes`].
pub fn decode_changes(bytes: &[u8]) -> Result<Vec<FieldChange>, CodecError> {
    let mut r = Reader { bytes, at: 0 };
    let mut changes = Vec::new();
    while !r.done() {
        let field = r.field()?;
        let ty = field.ty();
        let before = r.opt(|r| r.value(ty))?;
        let after = r.opt(|r| r.value(ty))?;
        changes.push(FieldChange {
            field,
            before,
            after,
        });
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::parse_datetime;

    fn full() -> Customer {
        let at = parse_datetime("2024-05-01 10:20:30", &["%Y-%m-%d %H:%M:%S"]).unwrap();
        let mut c = Customer {
            guid: Some("g-1".into()),
            login: Some("jan".into()),
            email: Some(Email::parse("Jan@Example.pl").unwrap()),
            kind: Kind::Company,
            gender: Some(Gender::Male),
            first_name: Some("Jan".into()),
            last_name: Some("Nowak-Żółć".into()),
            phone: Some(Phone::parse("+48 601 234 567").unwrap()),
            language: Some(Language::parse("pol").unwrap()),
            shops: vec![1, 3, 300],
            wholesaler: true,
            active: false,
            groups: vec!["vip".into(), "a,b".into()],
            discount_pct: Some("-12.505".parse().unwrap()),
            balance: Some("79228162514264337593543950335".parse().unwrap()),
            loyalty_points: Some(-5),
            newsletter_email: Consent::Excluded,
            newsletter_sms: Consent::Yes,
            registered_at: Some(at),
            last_order_at: Some(at + chrono::Duration::nanoseconds(5)),
            note: Some(String::new()),
            password: Some(PasswordHash::from_encoded("$argon2id$x")),
            ..Customer::default()
        };
        c.billing.country = Some(Country::parse("CZ").unwrap());
        c.billing.city = Some("Brno".into());
        c.shipping = vec![
            ShippingAddress {
                guid: Some("s1".into()),
                city: Some("Praha".into()),
                country: Some(Country::parse("SK").unwrap()),
                phone: Some(Phone::parse("+420777123456").unwrap()),
                ..ShippingAddress::default()
            },
            ShippingAddress {
                zip: Some("00-950".into()),
                ..ShippingAddress::default()
            },
        ];
        c.agreements = vec![Agreement {
            name: "Obchodní podmínky".into(),
            status: true,
            time: Some(at),
            valid_to: None,
        }];
        c.custom_fields.insert("vip".into(), "yes".into());
        c.stats.insert("orders_all".into(), "14".into());
        c.stats.insert("orders_weird".into(), "1".into());
        c.extra.insert("idosell.card".into(), "123".into());
        c
    }

    #[test]
    fn a_customer_with_every_kind_of_value_round_trips() {
        for customer in [full(), Customer::default(), blank()] {
            let mut bytes = Vec::new();
            encode_customer(&customer, &[], &mut bytes);
            assert_eq!(decode_customer(&bytes).unwrap(), customer);
        }
    }

    #[test]
    fn phones_keep_their_plus_and_leading_zeros() {
        for text in [
            "+48601234567",
            "0601234567",
            "00420777123456",
            "000",
            "+0",
            "123",
            "99999999999999999999",
        ] {
            let mut bytes = Vec::new();
            put_phone(&mut bytes, text);
            let back = Reader {
                bytes: &bytes,
                at: 0,
            }
            .phone()
            .unwrap();
            assert_eq!(back.as_str(), text);
        }
    }

    #[test]
    fn skipped_fields_are_left_out() {
        let mut bytes = Vec::new();
        encode_customer(&full(), &[Field::Login, Field::Email], &mut bytes);
        let back = decode_customer(&bytes).unwrap();
        assert_eq!((back.login, back.email), (None, None));
        assert_eq!(back.first_name.as_deref(), Some("Jan"));
    }

    #[test]
    fn patches_and_changes_round_trip() {
        let mut patch = CustomerPatch::default();
        patch.set(Field::ShippingCity, Value::Text("Praha".into()));
        patch.clear(Field::Note);
        patch.set(Field::AgreementStatus("RODO".into()), Value::Bool(true));
        patch.set(
            Field::Stat("orders_worth".into()),
            Value::Text("1.50".into()),
        );
        let mut bytes = Vec::new();
        encode_patch(&patch, &mut bytes);
        assert_eq!(decode_patch(&bytes).unwrap(), patch);

        let changes = vec![FieldChange {
            field: Field::BillingCity,
            before: Some(Value::Text("Brno".into())),
            after: None,
        }];
        let mut bytes = Vec::new();
        encode_changes(&changes, &mut bytes);
        assert_eq!(decode_changes(&bytes).unwrap(), changes);
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut bytes = Vec::new();
        encode_customer(&full(), &[], &mut bytes);
        for cut in 1..bytes.len() {
            let _ = decode_customer(&bytes[..cut]);
        }
        assert!(decode_customer(&[0]).is_err());
        assert!(decode_customer(&[200]).is_err());
        assert!(decode_patch(&[8, 7]).is_err());
        assert!(decode_customer(&[8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).is_err());
    }

    #[test]
    fn every_fixed_field_has_a_tag() {
        for field in Field::FIXED {
            assert!(TAGS.contains(field), "{field}");
        }
        for (i, field) in TAGS.iter().enumerate() {
            assert_eq!(tag_of(field), Some(i as u8 + 1), "{field}");
        }
        assert!(TAGS.len() < usize::from(CUSTOM_FIELD));
    }

    #[test]
    fn a_typical_customer_is_short() {
        let mut c = Customer {
            first_name: Some("Anna".into()),
            last_name: Some("Kowalski".into()),
            phone: Some(Phone::parse("+48362950628").unwrap()),
            shops: vec![2],
            ..Customer::default()
        };
        c.billing.street = Some("Ulica 58/9".into());
        c.billing.zip = Some("23-792".into());
        c.billing.city = Some("Poznań".into());
        c.stats.insert("orders_all".into(), "14".into());
        let mut bytes = Vec::new();
        encode_customer(&c, &[], &mut bytes);
        let values: usize = [
            "Anna",
            "Kowalski",
            "+48362950628",
            "Ulica 58/9",
            "23-792",
            "Poznań",
            "14",
        ]
        .iter()
        .map(|s| s.len())
        .sum();
        assert!(
            bytes.len() <= values + 22,
            "{} bytes for {values}",
            bytes.len()
        );
    }
}
