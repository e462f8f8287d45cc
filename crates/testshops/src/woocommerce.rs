//! A WooCommerce shop (`/wp-json/wc/v3/customers`, or `/?rest_route=/wc/v3/customers`):
//! OAuth 1.0a (HMAC-SHA1/SHA256, a 15-minute window, each nonce once) where the shop sees
//! plain HTTP and ignores Basic credentials; Basic or `?consumer_key=&consumer_secret=`
//! where it sees HTTPS ([`Options::ssl`]); `role` defaulting to `customer`, `orderby` to
//! `name`, `per_page` 1 to 100 (else 400), `[]` past the last page, `X-WP-Total`,
//! `X-WP-TotalPages` and a `Link` with prev and next only; errors as
//! `{code, message, data: {status}}`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Value as Json, json};

use crate::server::{Answer, Asked, Server};
use crate::{Faults, names};

const CANNOT_VIEW: &str = include_str!("../samples/woocommerce/error_401_cannot_view.json");
const SECRET_INVALID: &str =
    include_str!("../samples/woocommerce/error_401_consumer_secret_invalid.json");
const KEY_INVALID: &str =
    include_str!("../samples/woocommerce/error_401_consumer_key_invalid_oauth.json");
const PER_PAGE: &str = include_str!("../samples/woocommerce/error_400_per_page_out_of_range.json");
const NO_ROUTE: &str = include_str!("../samples/woocommerce/error_404_rest_no_route.json");
/// Two customers as the documentation lists them.
pub const SAMPLE_CUSTOMERS: &str = include_str!("../samples/woocommerce/customers_list.json");

/// How this shop behaves.
#[derive(Clone, Debug)]
pub struct Options {
    pub consumer_key: String,
    pub consumer_secret: String,
    /// Whether the key has read permission.
    pub read: bool,
    /// Whether WordPress sees the request as HTTPS (Basic and query credentials work,
    /// OAuth does not).
    pub ssl: bool,
    /// The web server strips the `Authorization` header.
    pub strips_authorization: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            consumer_key: "ck_0123456789abcdef0123456789abcdef01234567".into(),
            consumer_secret: "cs_76543210fedcba9876543210fedcba9876543210".into(),
            read: true,
            ssl: false,
            strips_authorization: false,
        }
    }
}

/// The shop's users as the API shows them.
#[derive(Debug, Default)]
pub struct Shop {
    pub customers: Vec<Json>,
    /// Nonces seen (WooCommerce refuses one used twice).
    nonces: HashSet<String>,
    pub deleted_while_paging: Vec<u64>,
}

impl Shop {
    /// `count` users: every 40th a shop manager and every 60th an administrator (not
    /// customers), every 9th a subscriber, every 4th with a shipping address of its own,
    /// every 6th a company.
    pub fn generate(count: u64) -> Shop {
        Shop {
            customers: (1..=count).map(customer).collect(),
            ..Shop::default()
        }
    }

    /// The shop of the documentation's example.
    pub fn sample() -> Shop {
        Shop {
            customers: serde_json::from_str(SAMPLE_CUSTOMERS).expect("the sample is JSON"),
            ..Shop::default()
        }
    }

    /// The ids a migration must end with: the customers and subscribers, and those deleted
    /// while a fetch paged.
    pub fn expected_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .customers
            .iter()
            .filter(|c| matches!(c["role"].as_str(), Some("customer" | "subscriber")))
            .filter_map(|c| c["id"].as_u64())
            .chain(self.deleted_while_paging.iter().copied())
            .collect();
        ids.sort_unstable();
        ids
    }
}

fn customer(id: u64) -> Json {
    let i = id as usize;
    let role = if id.is_multiple_of(60) {
        "administrator"
    } else if id.is_multiple_of(40) {
        "shop_manager"
    } else if id.is_multiple_of(9) {
        "subscriber"
    } else {
        "customer"
    };
    let first = names::FIRST[i % names::FIRST.len()];
    let last = names::LAST[(i / 2) % names::LAST.len()];
    let city = names::CITIES[i % names::CITIES.len()];
    let country = ["PL", "CZ", "BG", "SK"][i % 4];
    let company = if id.is_multiple_of(6) {
        format!("Firma {id}")
    } else {
        String::new()
    };
    let shipping = if id.is_multiple_of(4) {
        json!({"first_name": first, "last_name": last, "company": "", "address_1": format!("Dostawy {id}"), "address_2": "",
               "city": names::CITIES[(i + 1) % names::CITIES.len()], "state": "", "postcode": format!("{:05}", id), "country": country, "phone": ""})
    } else {
        json!({"first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "", "city": "", "state": "", "postcode": "", "country": "", "phone": ""})
    };
    json!({
        "id": id,
        "date_created": format!("2021-{:02}-{:02}T10:00:00", 1 + i % 12, 1 + i % 28),
        "date_created_gmt": format!("2021-{:02}-{:02}T09:00:00", 1 + i % 12, 1 + i % 28),
        "date_modified": "2024-01-01T00:00:00",
        "date_modified_gmt": "2024-01-01T00:00:00",
        "email": format!("user{id}@example.com"),
        "first_name": first,
        "last_name": last,
        "role": role,
        "username": format!("user{id}"),
        "billing": {"first_name": first, "last_name": last, "company": company, "address_1": format!("Ulica {id}"), "address_2": "",
                    "city": city, "state": "", "postcode": format!("{:02}-{:03}", i % 100, i % 1000), "country": country,
                    "email": format!("user{id}@example.com"), "phone": format!("+48 600 {:03} {:03}", i % 1000, (i * 7) % 1000)},
        "shipping": shipping,
        "is_paying_customer": id.is_multiple_of(2),
        "avatar_url": "https://secure.gravatar.com/avatar/?s=96",
        "meta_data": [],
        "_links": {"self": [{"href": format!("https://example.com/wp-json/wc/v3/customers/{id}")}],
                   "collection": [{"href": "https://example.com/wp-json/wc/v3/customers"}]},
    })
}

/// Starts the shop; the returned state is the one the server reads and changes.
pub fn start(shop: Shop, options: Options) -> (Server, Arc<Mutex<Shop>>) {
    let shop = Arc::new(Mutex::new(shop));
    let state = shop.clone();
    let server = Server::start(Arc::new(move |asked: &Asked, faults: &Faults| {
        answer(asked, &options, &mut state.lock().unwrap(), faults)
    }));
    (server, shop)
}

fn body(status: u16, text: &str) -> Answer {
    Answer::new(
        status,
        "application/json; charset=UTF-8",
        text.as_bytes().to_vec(),
    )
}

fn error(status: u16, code: &str, message: &str) -> Answer {
    Answer::json(
        status,
        &json!({"code": code, "message": message, "data": {"status": status}}),
    )
}

fn answer(asked: &Asked, options: &Options, shop: &mut Shop, faults: &Faults) -> Answer {
    let route = match asked.param("rest_route") {
        Some(route) if asked.path == "/" => route.to_string(),
        _ => match asked.path.strip_prefix("/wp-json") {
            Some(route) => route.to_string(),
            None => {
                return Answer::new(
                    404,
                    "text/html",
                    b"<html><body>Not Found</body></html>".to_vec(),
                );
            }
        },
    };
    if route != "/wc/v3/customers" {
        return body(404, NO_ROUTE);
    }
    if let Some(refused) = authenticate(asked, options, shop) {
        return refused;
    }
    if !options.read {
        return error(
            401,
            "woocommerce_rest_authentication_error",
            "The API key provided does not have read permissions.",
        );
    }
    let per_page: u64 = match asked.param("per_page").map(str::parse) {
        None => 10,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        Some(_) => return body(400, PER_PAGE),
    };
    let page: u64 = asked
        .param("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let role = asked.param("role").unwrap_or("customer");
    let mut rows: Vec<&Json> = shop
        .customers
        .iter()
        .filter(|c| role == "all" || c["role"] == role)
        .collect();
    match asked.param("orderby").unwrap_or("name") {
        "id" => rows.sort_by_key(|c| c["id"].as_u64()),
        "name" => rows.sort_by_key(|c| {
            format!(
                "{} {}",
                c["first_name"].as_str().unwrap_or(""),
                c["last_name"].as_str().unwrap_or("")
            )
        }),
        "registered_date" => {
            rows.sort_by_key(|c| c["date_created_gmt"].as_str().map(str::to_string))
        }
        other => {
            return error(
                400,
                "rest_invalid_param",
                &format!("Invalid parameter(s): orderby ({other})"),
            );
        }
    }
    if asked.param("order") == Some("desc") {
        rows.reverse();
    }
    let total = rows.len() as u64;
    let pages = total.div_ceil(per_page);
    let offset = asked
        .param("offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or((page - 1) * per_page) as usize;
    let items: Vec<Json> = rows
        .iter()
        .skip(offset)
        .take(per_page as usize)
        .map(|c| (*c).clone())
        .collect();
    // A page of one is a connection check, not a fetch paging.
    let full = items.len() as u64 == per_page && per_page > 1;
    if full && Faults::take(&faults.change_while_paging) {
        let last = items.last().and_then(|c| c["id"].as_u64()).unwrap_or(0);
        change(shop, last);
    }
    let link = |p: u64, rel: &str| {
        format!(
            "<https://example.com/wp-json/wc/v3/customers?page={p}&per_page={per_page}>; rel=\"{rel}\""
        )
    };
    let mut links = Vec::new();
    if page > 1 {
        links.push(link(page - 1, "prev"));
    }
    if page < pages {
        links.push(link(page + 1, "next"));
    }
    let mut answer = Answer::json(200, &Json::Array(items))
        .with("x-wp-total", total.to_string())
        .with("x-wp-totalpages", pages.to_string());
    if !links.is_empty() {
        answer = answer.with("link", links.join(", "));
    }
    answer
}

/// After a full page: the oldest customer already listed is deleted, one is created, and
/// one not yet listed changes its e-mail.
fn change(shop: &mut Shop, last: u64) {
    if let Some(at) = shop.customers.iter().position(|c| {
        c["id"].as_u64().is_some_and(|id| id <= last)
            && matches!(c["role"].as_str(), Some("customer"))
    }) {
        let removed = shop.customers.remove(at);
        shop.deleted_while_paging.extend(removed["id"].as_u64());
    }
    let next = shop
        .customers
        .iter()
        .filter_map(|c| c["id"].as_u64())
        .max()
        .unwrap_or(0)
        + 1;
    let mut created = customer(next);
    created["role"] = json!("customer");
    shop.customers.push(created);
    if let Some(later) = shop
        .customers
        .iter_mut()
        .find(|c| c["id"].as_u64().is_some_and(|id| id > last))
    {
        let id = later["id"].as_u64().unwrap_or(0);
        later["email"] = json!(format!("changed{id}@example.com"));
    }
}

/// `None` when the request is authenticated, else the answer WooCommerce gives.
fn authenticate(asked: &Asked, options: &Options, shop: &mut Shop) -> Option<Answer> {
    if options.ssl {
        // Query parameters first, then the header.
        let basic = asked
            .header("authorization")
            .filter(|_| !options.strips_authorization)
            .and_then(|h| h.strip_prefix("Basic "))
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| {
                s.split_once(':')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            });
        let query = asked
            .param("consumer_key")
            .zip(asked.param("consumer_secret"))
            .map(|(k, s)| (k.to_string(), s.to_string()));
        let Some((key, secret)) = query.or(basic) else {
            return Some(body(401, CANNOT_VIEW));
        };
        if key != options.consumer_key {
            return Some(body(401, CANNOT_VIEW));
        }
        if secret != options.consumer_secret {
            return Some(body(401, SECRET_INVALID));
        }
        return None;
    }
    // Plain HTTP: OAuth 1.0a only.
    let params: Vec<(String, String)> = asked.query.clone();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (Some(key), Some(signature), Some(method), Some(timestamp), Some(nonce)) = (
        get("oauth_consumer_key"),
        get("oauth_signature"),
        get("oauth_signature_method"),
        get("oauth_timestamp"),
        get("oauth_nonce"),
    ) else {
        return Some(body(401, CANNOT_VIEW));
    };
    if key != options.consumer_key {
        return Some(body(401, KEY_INVALID));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    if timestamp
        .parse::<i64>()
        .map_or(true, |t| (t - now).abs() > 15 * 60)
    {
        return Some(error(
            401,
            "woocommerce_rest_authentication_error",
            "Invalid timestamp.",
        ));
    }
    let mut signed: Vec<(String, String)> = params
        .into_iter()
        .filter(|(k, _)| k != "oauth_signature")
        .collect();
    signed.sort();
    let joined = signed
        .iter()
        .map(|(k, v)| format!("{}%3D{}", rfc3986(k), rfc3986(v)))
        .collect::<Vec<_>>()
        .join("%26");
    let host = asked.header("host").unwrap_or("127.0.0.1");
    let base = format!(
        "GET&{}&{joined}",
        rfc3986(&format!("http://{host}{}", asked.path))
    );
    let secret = format!("{}&", options.consumer_secret);
    let expected = match method.as_str() {
        "HMAC-SHA256" => {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
            mac.update(base.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        "HMAC-SHA1" => {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).expect("any key");
            mac.update(base.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        _ => {
            return Some(error(
                401,
                "woocommerce_rest_authentication_error",
                "Invalid signature - signature method is invalid.",
            ));
        }
    };
    if base64::engine::general_purpose::STANDARD.encode(expected) != signature {
        return Some(error(
            401,
            "woocommerce_rest_authentication_error",
            "Invalid signature - provided signature does not match.",
        ));
    }
    if !shop.nonces.insert(format!("{key}:{nonce}")) {
        return Some(error(
            401,
            "woocommerce_rest_authentication_error",
            "Invalid nonce - nonce has already been used.",
        ));
    }
    None
}

fn rfc3986(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
