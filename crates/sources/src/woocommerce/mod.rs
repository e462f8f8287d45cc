//! The WooCommerce REST API (`/wp-json/wc/v3/customers`). Over HTTPS the consumer key and
//! secret go as Basic credentials, and in the query string where a server strips the
//! header; over plain HTTP, where WooCommerce ignores Basic credentials, requests are
//! signed with OAuth 1.0a.
//!
//! Customers are listed `orderby=id&order=asc&role=all` (the defaults, `name` and
//! `customer`, shift between pages and hide customers of other roles), a hundred a page,
//! with the offset-to-keyset paging of [`crate::paging`]. Billing and shipping addresses
//! come inside each customer.

pub mod mapping;
mod oauth;

use base64::Engine;
use custio_model::Field;
use reqwest::blocking::Client;
use serde_json::Value as Json;
use url::Url;

use crate::address::shop_url;
use crate::http::{Http, Reply};
use crate::mapping::{AddressParts, Draft, Lookups, joined};
use crate::paging::{self, Listing};
use crate::{
    Connection, Connector, Credentials, Cursor, Page, Platform, Result, Secret, Skipped,
    SourceConfig, SourceCustomer, SourceError, lenient,
};

/// Customers per page (WordPress allows 1 to 100).
pub const PAGE: u64 = 100;

/// The roles whose users are the shop's customers.
const CUSTOMER_ROLES: [&str; 2] = ["customer", "subscriber"];

/// How the key and secret travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Auth {
    /// Basic credentials (HTTPS).
    Basic,
    /// `?consumer_key=&consumer_secret=` (HTTPS, where the header is stripped).
    Query,
    /// OAuth 1.0a signatures (plain HTTP).
    Signed,
}

pub struct WooCommerce {
    http: Http,
    customers: Url,
    key: Secret,
    secret: Secret,
    auth: Auth,
}

impl WooCommerce {
    pub fn new(config: &SourceConfig) -> Result<Self> {
        let Credentials::WooCommerce {
            consumer_key,
            consumer_secret,
        } = &config.credentials
        else {
            return Err(SourceError::CredentialsRejected(
                "WooCommerce needs a consumer key and secret".into(),
            ));
        };
        let base = shop_url(&config.url, config.http.allow_private)?;
        let customers = base
            .join("wp-json/wc/v3/customers")
            .map_err(|_| SourceError::BadUrl(config.url.clone()))?;
        let auth = if base.scheme() == "https" {
            Auth::Basic
        } else {
            Auth::Signed
        };
        Ok(Self {
            http: Http::new(config.http.clone())?,
            customers,
            key: consumer_key.clone(),
            secret: consumer_secret.clone(),
            auth,
        })
    }

    /// One page of the listing; a server that strips Basic credentials is asked again
    /// with them in the query, and from then on.
    fn list(&mut self, page: u64, per_page: u64) -> Result<(Vec<Json>, Option<u64>)> {
        let params: Vec<(String, String)> = [
            ("orderby", "id".to_string()),
            ("order", "asc".to_string()),
            ("role", "all".to_string()),
            ("per_page", per_page.to_string()),
            ("page", page.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let mut reply = self.send(&params)?;
        if self.auth == Auth::Basic
            && reply.status == 401
            && error_code(&reply) == "woocommerce_rest_cannot_view"
        {
            self.auth = Auth::Query;
            reply = self.send(&params)?;
            if reply.status == 401 && error_code(&reply) == "woocommerce_rest_cannot_view" {
                return Err(SourceError::CredentialsNotReceived(
                    "WooCommerce answered as if no key was sent, in the header and in the query"
                        .into(),
                ));
            }
        }
        if reply.status != 200 {
            return Err(refusal(&reply));
        }
        let total = reply
            .header("x-wp-total")
            .and_then(|t| t.trim().parse().ok());
        match serde_json::from_slice::<Json>(&reply.body) {
            Ok(Json::Array(items)) => Ok((items, total)),
            _ if total.is_none() => Err(SourceError::NotThisPlatform {
                platform: "WooCommerce",
                detail: format!("the customers' list answered {}", reply.text()),
            }),
            Ok(_) => Err(SourceError::BadResponse {
                what: "customers".into(),
                detail: "not a list".into(),
            }),
            Err(e) => Err(SourceError::BadResponse {
                what: "customers".into(),
                detail: e.to_string(),
            }),
        }
    }

    fn send(&mut self, params: &[(String, String)]) -> Result<Reply> {
        let (url, auth) = (self.customers.clone(), self.auth);
        let (key, secret) = (self.key.clone(), self.secret.clone());
        let build = move |client: &Client| {
            let request = client.get(url.clone()).query(params);
            match auth {
                Auth::Basic => {
                    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
                        "{}:{}",
                        key.expose(),
                        secret.expose()
                    ));
                    request.header("Authorization", format!("Basic {basic}"))
                }
                Auth::Query => request.query(&[
                    ("consumer_key", key.expose()),
                    ("consumer_secret", secret.expose()),
                ]),
                // Signed afresh for each attempt: a nonce is used once.
                Auth::Signed => request.query(&oauth::sign(
                    url.as_str(),
                    params,
                    key.expose(),
                    secret.expose(),
                )),
            }
        };
        self.http.send(&build)
    }
}

impl Connector for WooCommerce {
    fn platform(&self) -> Platform {
        Platform::WooCommerce
    }

    fn check(&mut self) -> Result<Connection> {
        let (_, total) = self.list(1, 1)?;
        Ok(Connection { customers: total })
    }

    fn page(&mut self, cursor: &Cursor) -> Result<Page> {
        let id = |r: &Json| lenient::number(r.get("id")).unwrap_or(0);
        let (records, next, total) = paging::after(cursor, PAGE, id, |page| {
            let (records, total) = self.list(page, PAGE)?;
            Ok(Listing { records, total })
        })?;
        let mut out = Page {
            next,
            total,
            ..Page::default()
        };
        for record in records {
            let role = lenient::text(record.get("role")).unwrap_or_default();
            if !CUSTOMER_ROLES.contains(&role.as_str()) {
                out.skipped.push(Skipped {
                    id: id(&record),
                    reason: format!("role {role}"),
                });
                continue;
            }
            out.customers.push(customer(id(&record), &record));
        }
        Ok(out)
    }
}

/// One customer from its record.
fn customer(id: u64, record: &Json) -> SourceCustomer {
    let mut draft = Draft::default();
    draft.read(record, mapping::CUSTOMER, &Lookups::default());
    let text = |path: &str| lenient::text(crate::mapping::at(record, path));
    let company = text("billing.company").is_some();
    draft.set(
        Field::Kind,
        Some(if company { "company" } else { "person" }.into()),
    );
    draft.set(
        Field::BillingFullName,
        joined(&[text("billing.first_name"), text("billing.last_name")]),
    );
    draft.set(
        Field::BillingStreet,
        joined(&[text("billing.address_1"), text("billing.address_2")]),
    );
    let shipping = AddressParts {
        guid: Some(format!("woocommerce-shipping-{id}")),
        full_name: joined(&[text("shipping.first_name"), text("shipping.last_name")]),
        company: text("shipping.company"),
        street: joined(&[text("shipping.address_1"), text("shipping.address_2")]),
        city: text("shipping.city"),
        zip: text("shipping.postcode"),
        country: text("shipping.country"),
        phone: text("shipping.phone"),
    };
    draft.addresses([shipping]);
    SourceCustomer {
        id,
        patch: draft.patch,
        problems: draft.problems,
    }
}

fn error_code(reply: &Reply) -> String {
    serde_json::from_slice::<Json>(&reply.body)
        .ok()
        .and_then(|j| lenient::text(j.get("code")))
        .unwrap_or_default()
}

/// What an answer other than 200 means for the user.
fn refusal(reply: &Reply) -> SourceError {
    let json: Option<Json> = serde_json::from_slice(&reply.body).ok();
    let message = json
        .as_ref()
        .and_then(|j| lenient::text(j.get("message")))
        .unwrap_or_else(|| reply.text());
    match (reply.status, error_code(reply).as_str()) {
        (401, _) if message.contains("read permissions") => {
            SourceError::NoReadPermission("customers".into())
        }
        (401, "woocommerce_rest_authentication_error") => SourceError::CredentialsRejected(message),
        (401, "woocommerce_rest_cannot_view") => SourceError::CredentialsRejected(message),
        (403, _) => {
            SourceError::NoReadPermission("customers (the key's user may not list users)".into())
        }
        (404, _) | (_, "") if json.is_none() || reply.status == 404 => {
            SourceError::NotThisPlatform {
                platform: "WooCommerce",
                detail: format!("{} {message}", reply.status),
            }
        }
        (status, _) => SourceError::Refused {
            status,
            detail: message,
        },
    }
}
