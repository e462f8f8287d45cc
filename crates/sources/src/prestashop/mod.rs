//! The PrestaShop webservice (1.7 and 8.x): `https://shop/api/<resource>`, a 32-character
//! key sent as the Basic user with an empty password (or `?ws_key=` where a server strips
//! the header), JSON output asked for with `output_format=JSON`.
//!
//! Customers are read with keyset paging (`sort=[id_ASC]&filter[id]=>[last]`): PrestaShop
//! has no default order and no totals, and a keyset is immune to customers created or
//! deleted during the fetch. Every list is read in its list form with `display=full`
//! (the single-record form drops falsy fields), and every scalar may be a string or a
//! number. Each page's addresses are read in one request by their customers' ids.

pub mod mapping;

use std::collections::BTreeMap;

use base64::Engine;
use custio_model::{Field, Value};
use reqwest::blocking::{Client, RequestBuilder};
use serde_json::Value as Json;
use url::Url;

use crate::address::shop_url;
use crate::http::{Http, Reply};
use crate::mapping::{AddressParts, Draft, Lookups, Table, joined};
use crate::{
    Connection, Connector, Credentials, Cursor, Page, Platform, RecordPolicy, Result, Secret,
    Skipped, SourceConfig, SourceCustomer, SourceError, lenient,
};

/// Customers per page.
pub const PAGE: u64 = 100;

/// How the key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyIn {
    /// `Authorization: Basic base64(KEY:)`, as PrestaShop recommends.
    Header,
    /// `?ws_key=KEY`, for servers that strip the header.
    Query,
}

pub struct PrestaShop {
    http: Http,
    api: Url,
    key: Secret,
    key_in: KeyIn,
    policy: RecordPolicy,
    lookups: Option<Lookups>,
}

impl PrestaShop {
    pub fn new(config: &SourceConfig) -> Result<Self> {
        let Credentials::PrestaShop { key } = &config.credentials else {
            return Err(SourceError::CredentialsRejected(
                "PrestaShop needs a webservice key".into(),
            ));
        };
        let base = shop_url(&config.url, config.http.allow_private)?;
        let api = base
            .join("api/")
            .map_err(|_| SourceError::BadUrl(config.url.clone()))?;
        Ok(Self {
            http: Http::new(config.http.clone())?.with_lasting(disabled),
            api,
            key: key.clone(),
            key_in: KeyIn::Header,
            policy: config.policy,
            lookups: None,
        })
    }

    /// GETs `resource` with `query` in JSON; answers other than 200 are errors that say
    /// what the user can do. A server that strips the key's header is asked again with
    /// the key in the query, and from then on.
    fn get(&mut self, resource: &str, query: &[(&str, String)]) -> Result<Json> {
        let url = self
            .api
            .join(resource)
            .map_err(|_| SourceError::BadUrl(resource.into()))?;
        let mut reply = self.send(&url, query)?;
        if self.key_in == KeyIn::Header && reply.status == 401 && error_codes(&reply).is_empty() {
            self.key_in = KeyIn::Query;
            reply = self.send(&url, query)?;
            if reply.status == 401 && error_codes(&reply).is_empty() {
                return Err(SourceError::CredentialsNotReceived(
                    "the shop answered as if no key was sent, in the header and in the query"
                        .into(),
                ));
            }
        }
        if reply.status != 200 {
            return Err(refusal(&reply, resource));
        }
        if reply.body.iter().all(u8::is_ascii_whitespace) {
            // PrestaShop answers an empty 200 when a value is not valid UTF-8.
            return Err(SourceError::BadResponse {
                what: resource.to_string(),
                detail:
                    "an empty answer (PrestaShop could not encode a value of this page as JSON)"
                        .into(),
            });
        }
        serde_json::from_slice(&reply.body).map_err(|e| {
            if reply.header("psws-version").is_none() && !reply.body.starts_with(b"{") {
                SourceError::NotThisPlatform {
                    platform: "PrestaShop",
                    detail: format!("{resource} answered {}", reply.text()),
                }
            } else {
                SourceError::BadResponse {
                    what: resource.to_string(),
                    detail: e.to_string(),
                }
            }
        })
    }

    fn send(&mut self, url: &Url, query: &[(&str, String)]) -> Result<Reply> {
        let key = self.key.clone();
        let key_in = self.key_in;
        let build = move |client: &Client| -> RequestBuilder {
            let request = client
                .get(url.clone())
                .query(query)
                .query(&[("output_format", "JSON")]);
            match key_in {
                KeyIn::Header => {
                    let basic = base64::engine::general_purpose::STANDARD
                        .encode(format!("{}:", key.expose()));
                    request.header("Authorization", format!("Basic {basic}"))
                }
                KeyIn::Query => request.query(&[("ws_key", key.expose())]),
            }
        };
        self.http.send(&build)
    }

    /// The records of a list answer: `{"customers": [...]}`, or `[]` when it is empty.
    fn list(&mut self, resource: &str, query: &[(&str, String)]) -> Result<Vec<Json>> {
        match self.get(resource, query)? {
            Json::Array(items) if items.is_empty() => Ok(Vec::new()),
            Json::Object(mut wrapper) => match wrapper.remove(resource) {
                Some(Json::Array(items)) => Ok(items),
                _ => Err(SourceError::BadResponse {
                    what: resource.to_string(),
                    detail: format!("no \"{resource}\" list in the answer"),
                }),
            },
            _ => Err(SourceError::BadResponse {
                what: resource.to_string(),
                detail: "neither a list nor an empty answer".into(),
            }),
        }
    }

    /// Countries, languages and groups by id, read once per fetch.
    fn lookups(&mut self) -> Result<Lookups> {
        if let Some(lookups) = &self.lookups {
            return Ok(lookups.clone());
        }
        let mut lookups = Lookups::default();
        for (table, resource, field) in [
            (Table::Countries, "countries", "iso_code"),
            (Table::Languages, "languages", "iso_code"),
            (Table::Groups, "groups", "name"),
        ] {
            let display = format!("[id,{field}]");
            for item in self.list(resource, &[("display", display)])? {
                let (Some(id), Some(value)) =
                    (lenient::number(item.get("id")), multilang(item.get(field)))
                else {
                    continue;
                };
                lookups.insert(table, id, value);
            }
        }
        self.lookups = Some(lookups.clone());
        Ok(lookups)
    }

    /// The live addresses of `customers`, oldest first, by customer.
    fn addresses(&mut self, customers: &[u64]) -> Result<BTreeMap<u64, Vec<Json>>> {
        let mut by_customer: BTreeMap<u64, Vec<Json>> = BTreeMap::new();
        if customers.is_empty() {
            return Ok(by_customer);
        }
        let ids: Vec<String> = customers.iter().map(u64::to_string).collect();
        let mut last = 0u64;
        loop {
            let page = self.list(
                "addresses",
                &[
                    ("display", "full".into()),
                    ("filter[id_customer]", format!("[{}]", ids.join("|"))),
                    ("filter[deleted]", "[0]".into()),
                    ("filter[id]", format!(">[{last}]")),
                    ("sort", "[id_ASC]".into()),
                    ("limit", (PAGE * 5).to_string()),
                ],
            )?;
            let full = page.len() as u64 == PAGE * 5;
            for address in page {
                let id = lenient::number(address.get("id")).unwrap_or(0);
                last = last.max(id);
                if let Some(customer) =
                    lenient::number(address.get("id_customer")).filter(|c| *c > 0)
                {
                    by_customer.entry(customer).or_default().push(address);
                }
            }
            if !full {
                break;
            }
        }
        for list in by_customer.values_mut() {
            list.sort_by_key(|a| lenient::number(a.get("id")).unwrap_or(0));
        }
        Ok(by_customer)
    }
}

impl Connector for PrestaShop {
    fn platform(&self) -> Platform {
        Platform::PrestaShop
    }

    fn check(&mut self) -> Result<Connection> {
        // Not the API root: PrestaShop 8.0–8.1 fails on it in JSON.
        let query = [("display", "[id]".to_string()), ("limit", "1".to_string())];
        self.list("customers", &query)?;
        self.list("addresses", &query)?;
        self.lookups()?;
        Ok(Connection { customers: None })
    }

    fn page(&mut self, cursor: &Cursor) -> Result<Page> {
        let lookups = self.lookups()?;
        let records = self.list(
            "customers",
            &[
                ("display", "full".into()),
                ("filter[id]", format!(">[{}]", cursor.last_id)),
                ("sort", "[id_ASC]".into()),
                ("limit", PAGE.to_string()),
            ],
        )?;
        let mut records: Vec<(u64, Json)> = records
            .into_iter()
            .filter_map(|r| Some((lenient::number(r.get("id"))?, r)))
            .filter(|(id, _)| *id > cursor.last_id)
            .collect();
        records.sort_by_key(|(id, _)| *id);
        let next = match records.last() {
            Some((last, _)) if records.len() as u64 == PAGE => Some(Cursor {
                last_id: *last,
                seen: cursor.seen + PAGE,
            }),
            _ => None,
        };
        let mut page = Page {
            next,
            ..Page::default()
        };
        let mut kept = Vec::new();
        for (id, record) in records {
            let reason = if lenient::flag(record.get("deleted")) == Some(true)
                && !self.policy.deleted
            {
                Some("deleted")
            } else if lenient::flag(record.get("is_guest")) == Some(true) && !self.policy.guests {
                Some("guest")
            } else {
                None
            };
            match reason {
                Some(reason) => page.skipped.push(Skipped {
                    id,
                    reason: reason.into(),
                }),
                None => kept.push((id, record)),
            }
        }
        let ids: Vec<u64> = kept.iter().map(|(id, _)| *id).collect();
        let mut addresses = self.addresses(&ids)?;
        for (id, record) in kept {
            let addresses = addresses.remove(&id).unwrap_or_default();
            page.customers
                .push(customer(id, &record, &addresses, &lookups));
        }
        Ok(page)
    }
}

/// One customer from its record and its addresses.
fn customer(id: u64, record: &Json, addresses: &[Json], lookups: &Lookups) -> SourceCustomer {
    let mut draft = Draft::default();
    draft.read(record, mapping::CUSTOMER, lookups);
    let company = lenient::text(record.get("company")).is_some();
    draft.set(
        Field::Kind,
        Some(if company { "company" } else { "person" }.into()),
    );
    let groups: Vec<String> = record
        .pointer("/associations/groups")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|g| lookups.get(Table::Groups, lenient::number(g.get("id"))?))
        .map(str::to_string)
        .collect();
    if !groups.is_empty() {
        draft.patch.set(Field::Groups, Value::Texts(groups));
    }
    let mut parts = addresses.iter().map(|a| address_parts(a, lookups));
    if let (Some(first), Some(billing)) = (addresses.first(), parts.next()) {
        draft.set(Field::BillingFullName, billing.full_name);
        draft.set(Field::BillingCompany, billing.company);
        draft.set(Field::BillingStreet, billing.street);
        draft.set(Field::BillingCity, billing.city);
        draft.set(Field::BillingZip, billing.zip);
        draft.set(Field::BillingCountry, billing.country);
        draft.set(Field::Phone, billing.phone);
        draft.set(Field::VatId, lenient::text(first.get("vat_number")));
    }
    draft.addresses(parts);
    SourceCustomer {
        id,
        patch: draft.patch,
        problems: draft.problems,
    }
}

fn address_parts(address: &Json, lookups: &Lookups) -> AddressParts {
    let text = |key: &str| lenient::text(address.get(key));
    AddressParts {
        guid: lenient::number(address.get("id")).map(|id| format!("prestashop-address-{id}")),
        full_name: joined(&[text("firstname"), text("lastname")]),
        company: text("company"),
        street: joined(&[text("address1"), text("address2")]),
        city: text("city"),
        zip: text("postcode"),
        country: lenient::number(address.get("id_country"))
            .and_then(|id| lookups.get(Table::Countries, id))
            .map(str::to_string),
        phone: text("phone").or_else(|| text("phone_mobile")),
    }
}

/// A multilingual value: a plain string, or `[{"id": "1", "value": "…"}, …]` (the first).
fn multilang(value: Option<&Json>) -> Option<String> {
    match value? {
        Json::Array(items) => items.first().and_then(|i| lenient::text(i.get("value"))),
        other => lenient::text(Some(other)),
    }
}

/// The webservice's error codes in a JSON or XML error answer.
fn error_codes(reply: &Reply) -> Vec<u64> {
    if let Ok(json) = serde_json::from_slice::<Json>(&reply.body) {
        return json
            .get("errors")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| lenient::number(e.get("code")))
            .collect();
    }
    let text = String::from_utf8_lossy(&reply.body);
    text.split("<code>")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest
                .trim_start_matches("<![CDATA[")
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// The webservice is switched off in the back office (503, code 22): retrying will not
/// switch it on.
fn disabled(reply: &Reply) -> bool {
    reply.status == 503 && error_codes(reply).contains(&22)
}

/// What an answer other than 200 means for the user.
fn refusal(reply: &Reply, resource: &str) -> SourceError {
    let codes = error_codes(reply);
    let detail = reply.text();
    match reply.status {
        401 | 405 if codes.contains(&26) || codes.contains(&25) => {
            SourceError::NoReadPermission(resource.to_string())
        }
        401 => SourceError::CredentialsRejected(detail),
        403 => SourceError::NoReadPermission(format!("{resource} of this shop")),
        404 if codes.is_empty() => SourceError::NotThisPlatform {
            platform: "PrestaShop",
            detail: format!("{resource}: 404 {detail}"),
        },
        503 if codes.contains(&22) => SourceError::Refused {
            status: 503,
            detail: "the PrestaShop webservice is disabled (Advanced parameters → Webservice)"
                .into(),
        },
        status => SourceError::Refused { status, detail },
    }
}
