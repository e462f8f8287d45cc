//! A Shoper shop (`/webapi/rest/<resource>`), after section 3 of
//! `shared/reference/source-apis.md`: `POST /webapi/rest/auth` with Basic credentials or the
//! form `client_id=&client_secret=` gives a 40-hex bearer token; every other call needs
//! `Authorization: Bearer <token>` (an unknown token: 401 `unauthorized_client` "Provided
//! access token is invalid"; an expired one: 401 with the `WWW-Authenticate` header of the
//! verbatim sample). Lists are `{"count":"N","pages":P,"page":X,"list":[...]}` with `limit`
//! 1 to 50 (else 400), `page` from 1 (past the end: an empty `list`), `order` or `order[]`
//! (`user_id asc`, `+user_id`, `-user_id`; none asked: newest first, an order nothing
//! promises) and a JSON `filters` object (`{"f": v}`, `{"f": ["=", v]}`,
//! `{"f": {"=": v}}`, `{"f": {"in": [...]}}`, `>`, `>=`, `<`, `<=`, `!=`). Scalars are
//! strings, as Shoper sends them.
//!
//! The rate limit is a real leaky bucket: every request adds one call to a counter that
//! leaks [`Options::bandwidth`] calls a second; a request that would take it past
//! [`Options::limit`] gets 429 `temporarily_unavailable` with `Retry-After`, and every
//! answer carries `X-Shop-Api-Calls`, `X-Shop-Api-Limit` and `X-Shop-Api-Bandwidth`. The
//! shop records the highest count reached and the 429s it sent, for tests to check the
//! client's pacing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use base64::Engine;
use serde_json::{Value as Json, json};
use sha1::{Digest, Sha1};

use crate::server::{Answer, Asked, Server};
use crate::{Faults, names};

const TOKEN_INVALID: &str = include_str!("../samples/shoper/error_401_token_invalid.json");
const INSUFFICIENT_SCOPE: &str =
    include_str!("../samples/shoper/error_403_insufficient_scope.json");
const NOT_FOUND: &str = include_str!("../samples/shoper/error_404_not_found.json");
/// Two users (one a guest) as `GET /webapi/rest/users` lists them.
pub const SAMPLE_USERS: &str = include_str!("../samples/shoper/users_list_DERIVED.json");
/// The first user's address, as `GET /webapi/rest/user-addresses` lists it (ids as numbers
/// and flags as booleans, as Shoper's generated types declare them).
pub const SAMPLE_ADDRESSES: &str =
    include_str!("../samples/shoper/user_addresses_list_DERIVED.json");

/// How this shop behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The administrator's login and password.
    pub login: String,
    pub password: String,
    /// The status of a refused login (UNCERTAIN in the reference: 401 or 400).
    pub auth_failure_status: u16,
    /// Each access token expires after this many API calls made with it (`None`: it lasts
    /// its 30 days, longer than any test).
    pub token_calls: Option<u64>,
    /// The bucket's size (`X-Shop-Api-Limit`; Shoper's documented default is 10).
    pub limit: u32,
    /// Calls the bucket leaks a second (`X-Shop-Api-Bandwidth`; documented default 2).
    pub bandwidth: f64,
    /// Whether the account may read the address book (else 403 `insufficient_scope`).
    pub addresses: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            login: "webapi".into(),
            password: "Tajne-Haslo-2024".into(),
            auth_failure_status: 401,
            token_calls: None,
            limit: 10,
            bandwidth: 2.0,
            addresses: true,
        }
    }
}

/// The leaky bucket of the shop's API.
#[derive(Debug, Default)]
struct Bucket {
    limit: f64,
    bandwidth: f64,
    calls: f64,
    at: Option<Instant>,
    max: f64,
    refused: u64,
}

/// The shop's data (values as strings, as Shoper sends them) and what it saw.
#[derive(Debug, Default)]
pub struct Shop {
    pub users: Vec<Json>,
    pub addresses: Vec<Json>,
    pub languages: Vec<Json>,
    pub groups: Vec<Json>,
    /// Users deleted while a fetch was paging.
    pub deleted_while_paging: Vec<u64>,
    /// Logins answered with a token.
    pub auths: u64,
    /// Calls refused because their token had expired.
    pub expired: u64,
    /// Calls made with each token issued.
    tokens: HashMap<String, u64>,
    bucket: Bucket,
}

impl Shop {
    /// `count` users: every 25th a guest (`registered = "0"`), every 3rd without an
    /// address, the others with one (the billing and delivery default at once), two (the
    /// billing default, then the delivery default) or three (an address, the billing
    /// default, then the delivery default); every 5th address a company's, with a NIP.
    /// Every 4th user subscribed, every 13th inactive, every 7th in the group "Hurt, B2B"
    /// (the others in "Klienci"); languages Polish, English and Czech in turn.
    pub fn generate(count: u64) -> Shop {
        let mut shop = Shop::lookups();
        let mut next = 0;
        for id in 1..=count {
            shop.users.push(user(id));
            let roles: &[(bool, bool)] = match id % 3 {
                // IdoSell needs a billing address for a new customer: these have one, numbered
                // apart so that the others' numbers stay as the tests know them.
                0 => {
                    shop.addresses
                        .push(address(1_000_000 + id, id, id, true, false));
                    &[]
                }
                1 if id % 2 == 1 => &[(true, true)],
                1 => &[(false, false), (true, false), (false, true)],
                _ => &[(true, false), (false, true)],
            };
            for (n, (billing, delivery)) in roles.iter().enumerate() {
                next += 1;
                shop.addresses
                    .push(address(next, id, id + n as u64, *billing, *delivery));
            }
        }
        shop
    }

    /// The shop of the reference's samples: two users (the second a guest) and the first
    /// one's address, served as they are.
    pub fn sample() -> Shop {
        let users: Json = serde_json::from_str(SAMPLE_USERS).expect("the sample is JSON");
        let addresses: Json = serde_json::from_str(SAMPLE_ADDRESSES).expect("the sample is JSON");
        Shop {
            users: users["list"].as_array().cloned().unwrap_or_default(),
            addresses: addresses["list"].as_array().cloned().unwrap_or_default(),
            ..Shop::lookups()
        }
    }

    /// The languages and groups every shop has. The shape of `/webapi/rest/languages` is
    /// not in the reference; this shop serves `lang_id`, `locale` (`pl_PL`) and `active`.
    fn lookups() -> Shop {
        Shop {
            languages: vec![
                json!({"lang_id": "1", "locale": "pl_PL", "active": "1"}),
                json!({"lang_id": "2", "locale": "en_GB", "active": "1"}),
                json!({"lang_id": "3", "locale": "cs_CZ", "active": "0"}),
            ],
            groups: vec![
                json!({"group_id": "1", "name": "Klienci", "discount": "0", "discount_type": "1"}),
                json!({"group_id": "2", "name": "Hurt, B2B", "discount": "10", "discount_type": "1"}),
            ],
            ..Shop::default()
        }
    }

    /// The users a migration must end with: the registered ones, and those deleted while a
    /// fetch paged (after it read them).
    pub fn expected_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .users
            .iter()
            .filter(|u| u["registered"] != "0")
            .filter_map(|u| number(&u["user_id"]))
            .chain(self.deleted_while_paging.iter().copied())
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The highest the bucket's counter has been.
    pub fn max_calls(&self) -> f64 {
        self.bucket.max
    }

    /// The requests refused with 429 because the bucket was full.
    pub fn too_many(&self) -> u64 {
        self.bucket.refused
    }

    /// Another application of the shop makes `calls` calls now: they fill the bucket that
    /// custio shares with it (and count as its own, not in [`Shop::max_calls`]).
    pub fn spend(&mut self, calls: u32) {
        self.leak();
        self.bucket.calls = (self.bucket.calls + f64::from(calls)).min(self.bucket.limit);
    }

    fn leak(&mut self) {
        let now = Instant::now();
        if let Some(at) = self.bucket.at {
            let leaked = self.bucket.bandwidth * now.duration_since(at).as_secs_f64();
            self.bucket.calls = (self.bucket.calls - leaked).max(0.0);
        }
        self.bucket.at = Some(now);
    }

    /// Counts one call; `Err(seconds to wait)` when the bucket is full.
    fn call(&mut self) -> Result<(), u64> {
        self.leak();
        let (limit, bandwidth) = (self.bucket.limit, self.bucket.bandwidth);
        if self.bucket.calls + 1.0 > limit + 1e-9 {
            self.bucket.refused += 1;
            let over = self.bucket.calls + 1.0 - limit;
            let wait = if bandwidth > 0.0 {
                (over / bandwidth).ceil().max(1.0)
            } else {
                1.0
            };
            return Err(wait as u64);
        }
        self.bucket.calls += 1.0;
        self.bucket.max = self.bucket.max.max(self.bucket.calls);
        Ok(())
    }

    /// The counter as `X-Shop-Api-Calls` shows it: whole calls, rounded up.
    fn calls_shown(&self) -> u64 {
        (self.bucket.calls - 1e-9).ceil().max(0.0) as u64
    }
}

fn number(value: &Json) -> Option<u64> {
    match value {
        Json::String(s) => s.parse().ok(),
        other => other.as_u64(),
    }
}

fn flag(set: bool) -> &'static str {
    if set { "1" } else { "0" }
}

fn user(id: u64) -> Json {
    let i = id as usize;
    let first = names::FIRST[(i / 3) % names::FIRST.len()];
    let last = names::LAST[i % names::LAST.len()];
    let group = if id.is_multiple_of(7) { "2" } else { "1" };
    let language = ["1", "2", "3"][i % 3];
    json!({
        "user_id": id.to_string(),
        "login": format!("user{id}@example.pl"),
        "date_add": format!("2021-{:02}-{:02} 10:{:02}:00", 1 + i % 12, 1 + i % 28, i % 60),
        "lastvisit": if id.is_multiple_of(2) { json!(format!("2024-{:02}-01 08:00:00", 1 + i % 12)) } else { Json::Null },
        "firstname": first,
        "lastname": last,
        "email": format!("user{id}@example.pl"),
        "group_id": group,
        "groups": [group.parse::<u64>().unwrap_or(1)],
        "discount": if id.is_multiple_of(10) { "5.50" } else { "0" },
        "active": flag(!id.is_multiple_of(13)),
        "comment": if id.is_multiple_of(10) { "Stały klient" } else { "" },
        "origin": "0",
        "registered": flag(!id.is_multiple_of(25)),
        "newsletter": flag(id.is_multiple_of(4)),
        "verify_email": flag(!id.is_multiple_of(6)),
        "lang_id": language,
        "additional_fields": [],
        "tags": [],
    })
}

fn address(id: u64, user: u64, n: u64, billing: bool, delivery: bool) -> Json {
    let i = n as usize;
    let company = id.is_multiple_of(5);
    let (country, name) = [("PL", "Polska"), ("CZ", "Czechy"), ("SK", "Słowacja")][i % 3];
    let first = names::FIRST[i % names::FIRST.len()];
    let last = names::LAST[(i / 2) % names::LAST.len()];
    json!({
        "address_book_id": id.to_string(),
        "user_id": user.to_string(),
        "address_name": format!("{first} {last}"),
        "company_name": if company { format!("Firma {id} sp. z o.o.") } else { String::new() },
        "tax_identification_number": if company { format!("PL{:010}", id) } else { String::new() },
        "pesel": "",
        "firstname": first,
        "lastname": last,
        "street_1": format!("ul. Długa {}", 1 + n % 90),
        "street_2": if n.is_multiple_of(2) { "m. 4" } else { "" },
        "city": names::CITIES[i % names::CITIES.len()],
        "zip_code": format!("{:02}-{:03}", n % 100, n % 1000),
        "state": "",
        "country": name,
        "country_code": country,
        "phone": format!("+48 600 {:03} {:03}", n % 1000, (n * 7) % 1000),
        "sortkey": format!("{last}{first}").to_lowercase(),
        "default": flag(billing),
        "shipping_default": flag(delivery),
    })
}

/// Starts the shop; the returned state is the one the server reads and changes.
pub fn start(mut shop: Shop, options: Options) -> (Server, Arc<Mutex<Shop>>) {
    shop.bucket.limit = f64::from(options.limit);
    shop.bucket.bandwidth = options.bandwidth;
    let shop = Arc::new(Mutex::new(shop));
    let tokens = Arc::new(AtomicU64::new(0));
    let handler = {
        let shop = shop.clone();
        Arc::new(move |asked: &Asked, faults: &Faults| {
            let mut shop = shop.lock().unwrap();
            let answer = answer(asked, &options, &mut shop, faults, &tokens);
            if !asked.path.starts_with("/webapi/rest/") {
                return answer;
            }
            // Every answer of the API says where the bucket stands.
            answer
                .with("x-shop-api-calls", shop.calls_shown().to_string())
                .with("x-shop-api-limit", options.limit.to_string())
                .with("x-shop-api-bandwidth", options.bandwidth.to_string())
        })
    };
    let server = Server::start(handler);
    (server, shop)
}

fn error(status: u16, code: &str, description: &str) -> Answer {
    Answer::json(
        status,
        &json!({"error": code, "error_description": description}),
    )
}

fn sample(status: u16, body: &str) -> Answer {
    Answer::new(status, "application/json", body.trim().as_bytes().to_vec())
}

fn answer(
    asked: &Asked,
    options: &Options,
    shop: &mut Shop,
    faults: &Faults,
    tokens: &AtomicU64,
) -> Answer {
    let Some(resource) = asked.path.strip_prefix("/webapi/rest/") else {
        return Answer::new(
            404,
            "text/html",
            b"<html><body>Nie znaleziono strony</body></html>".to_vec(),
        );
    };
    if let Err(wait) = shop.call() {
        return error(429, "temporarily_unavailable", "Calls limit exceeded")
            .with("retry-after", wait.to_string());
    }
    if resource == "auth" {
        return authenticate(asked, options, shop, tokens);
    }
    let token = asked
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer ").or(h.strip_prefix("bearer ")))
        .map(str::trim)
        .unwrap_or_default();
    let Some(used) = shop.tokens.get_mut(token) else {
        return sample(401, TOKEN_INVALID);
    };
    if options.token_calls.is_some_and(|calls| *used >= calls) {
        shop.expired += 1;
        // As the verbatim sample: the reason is in the header.
        return Answer::new(401, "application/json", Vec::new()).with(
            "www-authenticate",
            "bearer realm=\"Service\", error=\"unauthorized_client\", error_description=\"Provided access token has expired\"",
        );
    }
    *used += 1;
    if asked.method != "GET" {
        return error(405, "invalid_request", "Invalid request method");
    }
    let (table, id_field) = match resource {
        "users" => (&shop.users, "user_id"),
        "user-addresses" if !options.addresses => return sample(403, INSUFFICIENT_SCOPE),
        "user-addresses" => (&shop.addresses, "address_book_id"),
        "user-groups" => (&shop.groups, "group_id"),
        "languages" => (&shop.languages, "lang_id"),
        _ => return sample(404, NOT_FOUND),
    };
    let limit: usize = match asked.param("limit").map(str::parse) {
        None => 10,
        Some(Ok(n)) if (1..=50).contains(&n) => n,
        Some(_) => return error(400, "invalid_request", "Invalid limit value"),
    };
    let page: usize = match asked.param("page").map(str::parse) {
        None => 1,
        Some(Ok(n)) if n >= 1 => n,
        Some(_) => return error(400, "invalid_request", "Invalid page value"),
    };
    let mut rows: Vec<&Json> = table.iter().collect();
    if let Some(filters) = asked.param("filters") {
        let Ok(Json::Object(filters)) = serde_json::from_str::<Json>(filters) else {
            return error(400, "invalid_request", "Invalid filters value");
        };
        for (field, condition) in &filters {
            let Some(test) = condition_test(condition) else {
                return error(400, "invalid_request", "Invalid filters value");
            };
            rows.retain(|r| test(&r[field.as_str()]));
        }
    }
    let order = asked.param("order").or(asked.param("order[]"));
    match order.map(order_by) {
        Some(Some((field, descending))) => {
            rows.sort_by(|a, b| compare(&a[field.as_str()], &b[field.as_str()]));
            if descending {
                rows.reverse();
            }
        }
        Some(None) => return error(400, "invalid_request", "Invalid order value"),
        None => rows.sort_by(|a, b| compare(&b[id_field], &a[id_field])),
    }
    let count = rows.len();
    let pages = count.div_ceil(limit).max(1);
    let items: Vec<Json> = rows
        .iter()
        .skip((page - 1) * limit)
        .take(limit)
        .map(|r| (*r).clone())
        .collect();
    // A page of one is a connection check, not a fetch paging.
    let full = items.len() == limit && limit > 1;
    if resource == "users" && full && Faults::take(&faults.change_while_paging) {
        let last = items.iter().filter_map(|u| number(&u["user_id"])).max();
        change(shop, last.unwrap_or(0));
    }
    Answer::json(
        200,
        &json!({"count": count.to_string(), "pages": pages, "page": page, "list": items}),
    )
    .with("x-shop-result-count", count.to_string())
    .with("x-shop-result-page", page.to_string())
    .with("x-shop-result-pages", pages.to_string())
}

/// `POST /webapi/rest/auth` with Basic credentials or the form `client_id=&client_secret=`.
fn authenticate(asked: &Asked, options: &Options, shop: &mut Shop, tokens: &AtomicU64) -> Answer {
    if asked.method != "POST" {
        return error(405, "invalid_request", "Invalid request method");
    }
    let basic = asked
        .header("authorization")
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(l, p)| (l.to_string(), p.to_string()))
        });
    let form = {
        let pairs: HashMap<String, String> = url::form_urlencoded::parse(&asked.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        pairs
            .get("client_id")
            .zip(pairs.get("client_secret"))
            .map(|(l, p)| (l.clone(), p.clone()))
    };
    match basic.or(form) {
        Some((login, password)) if login == options.login && password == options.password => {
            let n = tokens.fetch_add(1, Ordering::SeqCst);
            let token = hex(&Sha1::digest(format!("{login}:{n}:{:?}", Instant::now())));
            shop.tokens.insert(token.clone(), 0);
            shop.auths += 1;
            Answer::json(
                200,
                &json!({"access_token": token, "expires_in": 2592000, "token_type": "bearer"}),
            )
        }
        _ => error(
            options.auth_failure_status,
            "auth_failure",
            "Invalid user login or password",
        ),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The text a scalar compares by.
fn text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(flag(*b).to_string()),
        _ => None,
    }
}

/// Numbers compare as numbers, the rest as text.
fn compare(a: &Json, b: &Json) -> std::cmp::Ordering {
    let (a, b) = (text(a).unwrap_or_default(), text(b).unwrap_or_default());
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(&b),
    }
}

/// `user_id asc`, `user_id desc`, `+user_id`, `-user_id`: the field and whether it is
/// descending.
fn order_by(order: &str) -> Option<(String, bool)> {
    let order = order.trim();
    if let Some(field) = order.strip_prefix('-') {
        return Some((field.to_string(), true));
    }
    if let Some(field) = order.strip_prefix('+') {
        return Some((field.to_string(), false));
    }
    let mut words = order.split_whitespace();
    let field = words.next()?.to_string();
    match words.next().map(str::to_ascii_lowercase).as_deref() {
        None | Some("asc") => Some((field, false)),
        Some("desc") => Some((field, true)),
        Some(_) => None,
    }
}

type Test = Box<dyn Fn(&Json) -> bool>;

/// A filter's condition: a value (equality), `[op, value]` or `{op: value}`.
fn condition_test(condition: &Json) -> Option<Test> {
    let (op, operand) = match condition {
        Json::Array(pair) if pair.len() == 2 => (pair[0].as_str()?.to_string(), pair[1].clone()),
        Json::Object(map) if map.len() == 1 => {
            let (op, operand) = map.iter().next()?;
            (op.clone(), operand.clone())
        }
        Json::Array(_) | Json::Object(_) => return None,
        value => ("=".to_string(), value.clone()),
    };
    Some(match op.as_str() {
        "=" | "eq" => Box::new(move |v| compare(v, &operand).is_eq() && text(v).is_some()),
        "!=" | "<>" | "not" => Box::new(move |v| !compare(v, &operand).is_eq()),
        ">" | "gt" => Box::new(move |v| compare(v, &operand).is_gt()),
        ">=" | "gte" => Box::new(move |v| compare(v, &operand).is_ge()),
        "<" | "lt" => Box::new(move |v| compare(v, &operand).is_lt()),
        "<=" | "lte" => Box::new(move |v| compare(v, &operand).is_le()),
        "in" | "not in" | "not_in" => {
            let Json::Array(options) = operand else {
                return None;
            };
            let inside = op == "in";
            Box::new(move |v| options.iter().any(|o| compare(v, o).is_eq()) == inside)
        }
        _ => return None,
    })
}

/// After a full page: the oldest registered user already listed is deleted, one is
/// created, and one not yet listed changes its e-mail.
fn change(shop: &mut Shop, last: u64) {
    let registered = |u: &Json| u["registered"] != "0";
    if let Some(at) = shop
        .users
        .iter()
        .position(|u| number(&u["user_id"]).is_some_and(|id| id <= last) && registered(u))
    {
        let removed = shop.users.remove(at);
        shop.deleted_while_paging
            .extend(number(&removed["user_id"]));
    }
    let next = shop
        .users
        .iter()
        .filter_map(|u| number(&u["user_id"]))
        .max()
        .unwrap_or(0)
        + 1;
    let mut created = user(next);
    created["registered"] = json!("1");
    shop.users.push(created);
    let address_id = shop
        .addresses
        .iter()
        .filter_map(|a| number(&a["address_book_id"]))
        .max()
        .unwrap_or(0)
        + 1;
    shop.addresses
        .push(address(address_id, next, next, true, true));
    if let Some(later) = shop
        .users
        .iter_mut()
        .find(|u| number(&u["user_id"]).is_some_and(|id| id > last) && registered(u))
    {
        let id = number(&later["user_id"]).unwrap_or(0);
        later["email"] = json!(format!("changed{id}@example.pl"));
    }
}
