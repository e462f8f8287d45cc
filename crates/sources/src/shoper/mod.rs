//! The Shoper REST API (`https://shop/webapi/rest/<resource>`): an administrator's login
//! and password (with WebAPI access) buy a bearer token at `/webapi/rest/auth` ([`auth`]);
//! a token the shop refuses later (expired, `401 unauthorized_client`) is replaced by one
//! new login and the call made once more, and a second refusal is final. Every request is
//! paced by the shop's leaky bucket, read from its `X-Shop-Api-*` headers ([`pacer`]).
//!
//! Users (the customers) are listed `order=user_id asc`, fifty a page (Shoper allows 1 to
//! 50), with the page-to-keyset paging of [`crate::paging`]; the envelope is
//! `{"count": "N", "pages": P, "page": X, "list": [...]}` with `count` a string, and a page
//! past the end is an empty list. Each page's addresses are read from the address book
//! (`/webapi/rest/user-addresses`) by their users' ids; languages and groups are read once.

mod auth;
pub mod mapping;
pub mod pacer;

use std::collections::{BTreeMap, BTreeSet};

use custio_model::{Field, Value};
use reqwest::blocking::Client;
use serde_json::{Value as Json, json};
use url::Url;

use crate::address::shop_url;
use crate::http::{Http, Reply};
use crate::mapping::{AddressParts, Draft, Lookups, Table, joined};
use crate::paging::{self, Listing};
use crate::{
    Connection, Connector, Credentials, Cursor, Page, Platform, RecordPolicy, Result, Secret,
    Skipped, SourceConfig, SourceCustomer, SourceError, lenient,
};

use self::pacer::BucketPacer;

/// Users (and addresses, languages, groups) per page: Shoper's largest `limit`.
pub const PAGE: u64 = 50;

/// One page of a list answer.
struct Listed {
    items: Vec<Json>,
    /// The list's total (`count`, a string).
    count: Option<u64>,
    /// How many pages the list has now (it changes as records are added).
    pages: u64,
}

pub struct Shoper {
    http: Http,
    /// `https://shop/webapi/rest/`.
    api: Url,
    login: String,
    password: Secret,
    token: Option<Secret>,
    policy: RecordPolicy,
    lookups: Option<Lookups>,
}

impl Shoper {
    pub fn new(config: &SourceConfig) -> Result<Self> {
        let Credentials::Shoper { login, password } = &config.credentials else {
            return Err(SourceError::CredentialsRejected(
                "Shoper needs an administrator's login and password".into(),
            ));
        };
        let base = shop_url(&config.url, config.http.allow_private)?;
        let api = base
            .join("webapi/rest/")
            .map_err(|_| SourceError::BadUrl(config.url.clone()))?;
        Ok(Self {
            http: Http::new(config.http.clone())?
                .with_pacer(Box::new(BucketPacer::new()))
                .with_lasting(not_implemented),
            api,
            login: login.clone(),
            password: password.clone(),
            token: None,
            policy: config.policy,
            lookups: None,
        })
    }

    fn url(&self, resource: &str) -> Result<Url> {
        self.api
            .join(resource)
            .map_err(|_| SourceError::BadUrl(resource.into()))
    }

    /// The access token, logging in when there is none yet.
    fn token(&mut self) -> Result<Secret> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        let url = self.url("auth")?;
        let token = auth::login(&mut self.http, &url, &self.login, &self.password)?;
        self.token = Some(token.clone());
        Ok(token)
    }

    /// GETs `resource` with `query`; answers other than 200 are errors that say what the
    /// user can do. A refused token is replaced once.
    fn get(&mut self, resource: &str, query: &[(&str, String)]) -> Result<Json> {
        let url = self.url(resource)?;
        let mut reply = self.send(&url, query)?;
        if auth::token_refused(&reply) {
            // Expired or revoked: one new login, one more try.
            self.token = None;
            reply = self.send(&url, query)?;
            if auth::token_refused(&reply) {
                self.token = None;
                return Err(SourceError::CredentialsRejected(format!(
                    "the shop refused a new access token too: {}",
                    refusal_text(&reply)
                )));
            }
        }
        if reply.status != 200 {
            return Err(refusal(&reply, resource));
        }
        serde_json::from_slice(&reply.body).map_err(|e| {
            if is_shoper(&reply) {
                SourceError::BadResponse {
                    what: resource.to_string(),
                    detail: e.to_string(),
                }
            } else {
                SourceError::NotThisPlatform {
                    platform: "Shoper",
                    detail: format!("{resource} answered {}", reply.text()),
                }
            }
        })
    }

    fn send(&mut self, url: &Url, query: &[(&str, String)]) -> Result<Reply> {
        let bearer = format!("Bearer {}", self.token()?.expose());
        let build = |client: &Client| {
            client
                .get(url.clone())
                .query(query)
                .header("Authorization", bearer.as_str())
        };
        self.http.send(&build)
    }

    /// Page `page` of `resource`, `limit` a page, with `query`.
    fn list(
        &mut self,
        resource: &str,
        page: u64,
        limit: u64,
        query: &[(&str, String)],
    ) -> Result<Listed> {
        let mut params = vec![("limit", limit.to_string()), ("page", page.to_string())];
        params.extend(query.iter().cloned());
        let json = self.get(resource, &params)?;
        let bad = |detail: &str| SourceError::BadResponse {
            what: resource.to_string(),
            detail: detail.to_string(),
        };
        let Json::Object(mut envelope) = json else {
            return Err(bad("not a {count, pages, page, list} object"));
        };
        let items = match envelope.remove("list") {
            Some(Json::Array(items)) => items,
            _ => return Err(bad("no \"list\" in the answer")),
        };
        Ok(Listed {
            items,
            count: lenient::number(envelope.get("count")),
            pages: lenient::number(envelope.get("pages")).unwrap_or(1),
        })
    }

    /// Every record of `resource` with `query`, page after page: until a page is empty or
    /// the last the shop counts (re-read on every page).
    fn all(&mut self, resource: &str, query: &[(&str, String)]) -> Result<Vec<Json>> {
        let mut records = Vec::new();
        let mut page = 1;
        loop {
            let listed = self.list(resource, page, PAGE, query)?;
            let empty = listed.items.is_empty();
            records.extend(listed.items);
            if empty || page >= listed.pages {
                return Ok(records);
            }
            page += 1;
        }
    }

    /// Languages and groups by id, read once per fetch.
    ///
    /// The shape of `/webapi/rest/languages` is not in the reference: this reads its
    /// `lang_id` and the language part of its `locale` (`pl_PL`), as the test shop serves.
    fn lookups(&mut self) -> Result<Lookups> {
        if let Some(lookups) = &self.lookups {
            return Ok(lookups.clone());
        }
        let mut lookups = Lookups::default();
        for language in self.all("languages", &[("order", "lang_id asc".into())])? {
            let locale = lenient::text(language.get("locale"));
            let code = locale.and_then(|l| l.split(['_', '-']).next().map(str::to_string));
            if let (Some(id), Some(code)) = (lenient::number(language.get("lang_id")), code) {
                lookups.insert(Table::Languages, id, code);
            }
        }
        for group in self.all("user-groups", &[("order", "group_id asc".into())])? {
            if let (Some(id), Some(name)) = (
                lenient::number(group.get("group_id")),
                lenient::text(group.get("name")),
            ) {
                lookups.insert(Table::Groups, id, name);
            }
        }
        self.lookups = Some(lookups.clone());
        Ok(lookups)
    }

    /// The address-book entries of `users`, by user, in id order.
    ///
    /// Asked with `filters={"user_id":{"in":[...]}}`. The JSON spelling of Shoper's
    /// operators is UNCERTAIN (only equality, `{"email": "…"}`, is seen working live): a
    /// shop that ignores the filter lists its whole address book, which is read to the
    /// end and joined here on `user_id`, so the result is the same, only slower.
    fn addresses(&mut self, users: &[u64]) -> Result<BTreeMap<u64, Vec<Json>>> {
        let mut by_user: BTreeMap<u64, Vec<Json>> = BTreeMap::new();
        if users.is_empty() {
            return Ok(by_user);
        }
        let wanted: BTreeSet<u64> = users.iter().copied().collect();
        let filters = json!({"user_id": {"in": users}}).to_string();
        let query = [
            ("filters", filters),
            ("order", "address_book_id asc".to_string()),
        ];
        let mut seen = BTreeSet::new();
        for address in self.all("user-addresses", &query)? {
            let Some(user) = lenient::number(address.get("user_id")).filter(|u| wanted.contains(u))
            else {
                continue;
            };
            let id = lenient::number(address.get("address_book_id")).unwrap_or(0);
            if seen.insert(id) {
                by_user.entry(user).or_default().push(address);
            }
        }
        for list in by_user.values_mut() {
            list.sort_by_key(|a| lenient::number(a.get("address_book_id")).unwrap_or(0));
        }
        Ok(by_user)
    }
}

impl Connector for Shoper {
    fn platform(&self) -> Platform {
        Platform::Shoper
    }

    fn check(&mut self) -> Result<Connection> {
        let users = self.list("users", 1, 1, &[])?;
        self.list("user-addresses", 1, 1, &[])?;
        self.lookups()?;
        Ok(Connection {
            customers: users.count,
        })
    }

    fn page(&mut self, cursor: &Cursor) -> Result<Page> {
        let lookups = self.lookups()?;
        let id = |r: &Json| lenient::number(r.get("user_id")).unwrap_or(0);
        let order = [("order", "user_id asc".to_string())];
        let (records, next, total) = paging::after(cursor, PAGE, id, |page| {
            let listed = self.list("users", page, PAGE, &order)?;
            Ok(Listing {
                records: listed.items,
                total: listed.count,
            })
        })?;
        let mut out = Page {
            next,
            total,
            ..Page::default()
        };
        let mut kept = Vec::new();
        for record in records {
            let guest = lenient::flag(record.get("registered")) == Some(false);
            if guest && !self.policy.guests {
                out.skipped.push(Skipped {
                    id: id(&record),
                    reason: "guest".into(),
                });
            } else {
                kept.push(record);
            }
        }
        let ids: Vec<u64> = kept.iter().map(id).collect();
        let mut addresses = self.addresses(&ids)?;
        for record in kept {
            let user = id(&record);
            let addresses = addresses.remove(&user).unwrap_or_default();
            out.customers
                .push(customer(user, &record, &addresses, &lookups));
        }
        Ok(out)
    }
}

/// One customer from its user record and its address-book entries (in id order).
fn customer(id: u64, record: &Json, addresses: &[Json], lookups: &Lookups) -> SourceCustomer {
    let mut draft = Draft::default();
    draft.read(record, mapping::USER, lookups);
    // The group's name is one group: the table's reading would split it at a comma.
    if let Some(name) =
        lenient::number(record.get("group_id")).and_then(|g| lookups.get(Table::Groups, g))
    {
        draft
            .patch
            .set(Field::Groups, Value::Texts(vec![name.to_string()]));
    }
    let flag = |a: &Json, key: &str| lenient::flag(a.get(key)) == Some(true);
    let billing = addresses
        .iter()
        .position(|a| flag(a, "default"))
        .or((!addresses.is_empty()).then_some(0));
    let company = billing.and_then(|b| lenient::text(addresses[b].get("company_name")));
    draft.set(
        Field::Kind,
        Some(
            if company.is_some() {
                "company"
            } else {
                "person"
            }
            .into(),
        ),
    );
    if let Some(b) = billing {
        let address = &addresses[b];
        let parts = address_parts(address);
        draft.set(Field::BillingFullName, parts.full_name);
        draft.set(Field::BillingCompany, parts.company);
        draft.set(Field::BillingStreet, parts.street);
        draft.set(Field::BillingCity, parts.city);
        draft.set(Field::BillingZip, parts.zip);
        draft.set(Field::BillingCountry, parts.country);
        draft.set(Field::Phone, parts.phone);
        draft.set(Field::CompanyName, company);
        draft.set(
            Field::VatId,
            lenient::text(address.get("tax_identification_number")),
        );
    }
    // The delivery default first, then the others in id order (the sort is stable).
    let mut delivery: Vec<&Json> = addresses
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != billing)
        .map(|(_, a)| a)
        .collect();
    delivery.sort_by_key(|a| !flag(a, "shipping_default"));
    draft.addresses(delivery.into_iter().map(address_parts));
    SourceCustomer {
        id,
        patch: draft.patch,
        problems: draft.problems,
    }
}

fn address_parts(address: &Json) -> AddressParts {
    let text = |key: &str| lenient::text(address.get(key));
    AddressParts {
        guid: lenient::number(address.get("address_book_id"))
            .map(|id| format!("shoper-address-{id}")),
        full_name: joined(&[text("firstname"), text("lastname")]),
        company: text("company_name"),
        street: joined(&[text("street_1"), text("street_2")]),
        city: text("city"),
        zip: text("zip_code"),
        // The ISO code wins over `country` (a name, a code or an id).
        country: text("country_code").or_else(|| text("country")),
        phone: text("phone"),
    }
}

/// The `{"error": …, "error_description": …}` of an answer, if it is one.
fn oauth_error(reply: &Reply) -> Option<(String, String)> {
    let json: Json = serde_json::from_slice(&reply.body).ok()?;
    let code = lenient::text(json.get("error"))?;
    let description = lenient::text(json.get("error_description")).unwrap_or_default();
    Some((code, description))
}

/// Whether an answer comes from Shoper's API: its rate-limit headers, or its error shape.
fn is_shoper(reply: &Reply) -> bool {
    reply.header("x-shop-api-limit").is_some() || oauth_error(reply).is_some()
}

/// An error answer's description, or its text.
fn refusal_text(reply: &Reply) -> String {
    match oauth_error(reply) {
        Some((code, description)) if description.is_empty() => code,
        Some((code, description)) => format!("{code}: {description}"),
        None => match reply.header("www-authenticate") {
            Some(challenge) => challenge.to_string(),
            None => format!("{} {}", reply.status, reply.text()),
        },
    }
}

/// 501 (a method the shop does not implement): retrying will not implement it.
fn not_implemented(reply: &Reply) -> bool {
    reply.status == 501
}

/// What the user knows a resource as.
fn known_as(resource: &str) -> &str {
    match resource {
        "users" => "customers",
        "user-addresses" => "addresses",
        "user-groups" => "customer groups",
        other => other,
    }
}

/// What an answer other than 200 means for the user.
fn refusal(reply: &Reply, resource: &str) -> SourceError {
    let code = oauth_error(reply).map(|(code, _)| code);
    let detail = refusal_text(reply);
    match (reply.status, code.as_deref()) {
        (_, None) if !is_shoper(reply) => SourceError::NotThisPlatform {
            platform: "Shoper",
            detail: format!("{resource}: {detail}"),
        },
        (401, _) => SourceError::CredentialsRejected(detail),
        (403, _) | (400, Some("invalid_scope")) => {
            SourceError::NoReadPermission(known_as(resource).to_string())
        }
        (status, _) => SourceError::Refused { status, detail },
    }
}
