//! The customer base: single customers with their version, the keyset pages an export
//! streams, and the sorted, filtered list of the panel.

use custio_model::{Consent, Customer, DateTime, Email, Field, Kind, codec};
use serde::{Deserialize, Serialize};

use crate::{JournalEntry, Origin, Result};

/// A stored customer with its version, which grows with every change: a write that names
/// the version it read is refused when someone changed the customer since.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    /// The customer, with its id.
    pub customer: Customer,
    pub version: i64,
    /// The batch line that last wrote the customer (`None`: written outside an import):
    /// an import finds a customer that an earlier line of the same file wrote.
    pub origin: Option<Origin>,
}

impl Stored {
    pub fn id(&self) -> i64 {
        self.customer.id.unwrap_or_default()
    }
}

/// A stored customer's columns as a backend reads them back: the inverse of
/// [`CustomerRow`], the same for every backend.
pub(crate) struct StoredColumns<'a> {
    pub(crate) id: i64,
    pub(crate) version: i64,
    pub(crate) batch: Option<i64>,
    pub(crate) line: Option<i64>,
    pub(crate) guid: Option<String>,
    pub(crate) login: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) registered: Option<i64>,
    pub(crate) last_order: Option<i64>,
    pub(crate) kind: i64,
    pub(crate) newsletter: i64,
    pub(crate) doc: &'a [u8],
}

impl StoredColumns<'_> {
    /// The customer: its document, with the plain columns put back.
    pub(crate) fn into_stored(self) -> Result<Stored> {
        let seconds = |s: Option<i64>| {
            s.and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .map(|t| t.naive_utc())
        };
        let mut c = codec::decode_customer(self.doc).map_err(|e| crate::StoreError::Corrupt {
            what: "customer",
            detail: e.to_string(),
        })?;
        c.id = Some(self.id);
        c.guid = self.guid;
        c.login = self.login;
        if c.email.is_none() {
            c.email = self.email.map(Email::trusted);
        }
        c.first_name = self.first_name;
        c.last_name = self.last_name;
        c.registered_at = seconds(self.registered);
        c.last_order_at = seconds(self.last_order);
        c.kind = *Kind::ALL.get(self.kind as usize).unwrap_or(&Kind::Person);
        c.newsletter_email = *Consent::ALL
            .get(self.newsletter as usize)
            .unwrap_or(&Consent::NotSet);
        let origin = match (self.batch, self.line) {
            (Some(batch), Some(line)) => Some(Origin {
                batch,
                line: line as u64,
            }),
            _ => None,
        };
        Ok(Stored {
            customer: c,
            version: self.version,
            origin,
        })
    }
}

/// A key that pairs a row with a stored customer. E-mail keys are lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CustomerKey {
    Guid(String),
    Login(String),
    Email(String),
}

impl CustomerKey {
    /// The key's value.
    pub fn value(&self) -> &str {
        match self {
            Self::Guid(s) | Self::Login(s) | Self::Email(s) => s,
        }
    }
}

/// Which customers a listing or an export takes. Every filter that is set must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CustomerQuery {
    /// Text found in the login, e-mail, name, company or city (case-insensitive).
    pub search: Option<String>,
    /// Only customers of this shop.
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 4294967295_f64)]
    pub shop: Option<u32>,
    /// Only these customers (a selection in the panel); empty: no such limit.
    pub ids: Vec<i64>,
    /// Only customers in this group.
    pub group: Option<String>,
    /// Only customers of this kind (`contact`, `person`, `company`).
    #[schema(schema_with = custio_model::openapi::kind_or_any)]
    pub kind: Option<String>,
    /// Only customers with this e-mail newsletter consent (`yes`, `no`, `notset`, `excluded`).
    #[schema(schema_with = custio_model::openapi::consent_or_any)]
    pub newsletter: Option<String>,
    /// Registered on or after this date (`YYYY-MM-DD`).
    #[schema(schema_with = custio_model::openapi::day_or_none)]
    pub registered_from: Option<String>,
    /// Registered on or before this date (`YYYY-MM-DD`).
    #[schema(schema_with = custio_model::openapi::day_or_none)]
    pub registered_to: Option<String>,
}

/// The orders the customer list offers; each is backed by an index, so that any page of
/// any order is a short index range scan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSort {
    /// custio id (the order customers arrived in).
    #[default]
    Id,
    /// Lower-cased e-mail.
    Email,
    /// Last name, then first name, lower-cased.
    Name,
    /// Registration date.
    Registered,
    /// Date of the last order.
    LastOrder,
}

impl CustomerSort {
    pub const ALL: &[CustomerSort] = &[
        Self::Id,
        Self::Email,
        Self::Name,
        Self::Registered,
        Self::LastOrder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Email => "email",
            Self::Name => "name",
            Self::Registered => "registered",
            Self::LastOrder => "last_order",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// Where a keyset page starts: the sort value and id of the last customer of the
/// previous page (an empty value: the customer had none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCursor {
    pub value: String,
    pub id: i64,
}

/// A page of the customer list.
#[derive(Clone, Debug)]
pub struct CustomerPage {
    pub customers: Vec<Customer>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<CustomerCursor>,
}

/// A customer as a store writes it: the plain columns that pairing and the list use, the
/// rest as a compact document (`custio_model::codec`), and what the catalogue must know
/// (shops, groups, custom-field keys). Built by [`CustomerRow::new`] wherever the CPU is
/// free: an import's parsing thread prepares the rows of new customers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerRow {
    pub(crate) guid: Option<String>,
    pub(crate) login: Option<String>,
    /// The e-mail's key (lower case); the document keeps the address only when it is
    /// written otherwise.
    pub(crate) email: Option<String>,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    /// Seconds.
    pub(crate) registered: Option<i64>,
    pub(crate) last_order: Option<i64>,
    /// Positions in `Kind::ALL` and `Consent::ALL`.
    pub(crate) kind: i64,
    pub(crate) newsletter: i64,
    /// Every other field.
    pub(crate) doc: Vec<u8>,
    pub(crate) shops: Vec<u32>,
    pub(crate) groups: Vec<String>,
    pub(crate) custom_keys: Vec<String>,
    /// The texts the list's search finds besides the columns above: the full name, the
    /// company and the city.
    pub(crate) other_texts: [Option<String>; 3],
}

pub(crate) fn index_of<T: PartialEq>(all: &[T], value: &T) -> i64 {
    all.iter().position(|v| v == value).unwrap_or(0) as i64
}

impl CustomerRow {
    /// Every text the list's search looks in, lower-cased, one a line.
    pub(crate) fn search_text(&self) -> String {
        [&self.login, &self.email, &self.first_name, &self.last_name]
            .into_iter()
            .chain(&self.other_texts)
            .flatten()
            .map(|t| t.to_lowercase())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Splits a customer into its columns and document.
    pub fn new(c: &Customer) -> Self {
        let email = c.email.as_ref().map(Email::key);
        let mut skip = vec![
            Field::Guid,
            Field::Login,
            Field::FirstName,
            Field::LastName,
            Field::RegisteredAt,
            Field::LastOrderAt,
            Field::Kind,
            Field::NewsletterEmail,
        ];
        if c.email.as_ref().map(Email::as_str) == email.as_deref() {
            skip.push(Field::Email);
        }
        let mut doc = Vec::with_capacity(128);
        codec::encode_customer(c, &skip, &mut doc);
        let seconds = |at: &Option<DateTime>| at.map(|t| t.and_utc().timestamp());
        Self {
            guid: c.guid.clone(),
            login: c.login.clone(),
            email,
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            registered: seconds(&c.registered_at),
            last_order: seconds(&c.last_order_at),
            kind: index_of(Kind::ALL, &c.kind),
            newsletter: index_of(Consent::ALL, &c.newsletter_email),
            doc,
            shops: c.shops.clone(),
            groups: c.groups.clone(),
            custom_keys: c.custom_fields.keys().cloned().collect(),
            other_texts: [
                c.full_name.clone(),
                c.company.name.clone(),
                c.billing.city.clone(),
            ],
        }
    }
}

/// The customer base.
pub trait CustomerStore {
    /// One customer by custio id.
    fn get(&self, id: i64) -> Result<Option<Stored>>;
    /// The customer a pairing key points at.
    fn find(&self, key: &CustomerKey) -> Result<Option<Stored>>;
    /// Up to `limit` customers matching `query` with ids above `after`, by id: keyset
    /// pages, so that exports stream whatever the size of the base.
    fn page(
        &self,
        query: &CustomerQuery,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Customer>>;
    /// Every customer matching `query`, by id, handed to `visit` in pages of up to `page`
    /// until it answers `false`: what an export reads. Memory holds a page or two,
    /// whatever the size of the base. By default a keyset [`page`](Self::page) at a time;
    /// a store that can stream one statement's rows (a server's cursor) does so, and
    /// decodes a page while the server reads the next.
    fn scan(
        &self,
        query: &CustomerQuery,
        page: usize,
        visit: &mut dyn FnMut(Vec<Customer>) -> bool,
    ) -> Result<()> {
        let mut after = None;
        loop {
            let customers = self.page(query, after, page)?;
            let Some(last) = customers.last() else {
                return Ok(());
            };
            after = last.id;
            if !visit(customers) {
                return Ok(());
            }
        }
    }
    /// One page of the panel's list: customers matching `query` in `sort` order
    /// (descending when `desc`), after `after` (keyset pagination: the cost of a page does
    /// not grow with its depth).
    fn list(
        &self,
        query: &CustomerQuery,
        sort: CustomerSort,
        desc: bool,
        after: Option<&CustomerCursor>,
        limit: usize,
    ) -> Result<CustomerPage>;
    /// How many customers match `query`.
    fn count(&self, query: &CustomerQuery) -> Result<u64>;
    /// Up to `limit` entries of a batch's journal after entry `after` (0: from the start),
    /// in order, each with its own id: what undo walks.
    fn journal(&self, batch: i64, after: i64, limit: usize) -> Result<Vec<(i64, JournalEntry)>>;
    /// Every key of a custom field that some customer has, sorted: exports write a column
    /// per key.
    fn custom_field_keys(&self) -> Result<Vec<String>>;
}
