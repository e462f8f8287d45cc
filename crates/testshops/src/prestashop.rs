//! A PrestaShop webservice (`/api/<resource>`): the key as the Basic user or `?ws_key=`,
//! the dispatcher's plain-text 401 when no key arrives, error codes 17/18/20+21/26/22 in
//! `{"errors": [...]}`, JSON lists only with `output_format=JSON` (or the `Output-Format`
//! header), `display`, `filter[...]` (`[v]`, `[a|b]`, `>[v]`, `<[v]`), `sort=[id_ASC]`,
//! `limit=N` or `limit=offset,N`, `[]` for an empty list, no totals, and no order unless
//! one is asked for (this shop then lists in reverse). Scalars are strings as on
//! PrestaShop 1.7, or numbers as on 8.0 with PHP 8.1 ([`Options::numbers`]).

use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{Map, Value as Json, json};

use crate::server::{Answer, Asked, Server};
use crate::{Faults, names};

const DISABLED_OR_UNKNOWN_KEY: &str =
    include_str!("../samples/prestashop/error_401_disabled_or_unknown_key.json");
const BAD_KEY_FORMAT: &str = include_str!("../samples/prestashop/error_401_bad_key_format.json");
const BAD_LIMIT: &str = include_str!("../samples/prestashop/error_400_bad_limit.json");
const EMPTY_LIST: &str = include_str!("../samples/prestashop/empty_list.json");
/// One customer as PrestaShop 1.7 lists it with `display=full`.
pub const SAMPLE_CUSTOMERS: &str =
    include_str!("../samples/prestashop/customers_display_full_DERIVED.json");

/// How this shop behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The webservice key (32 characters).
    pub key: String,
    /// Whether the key may read addresses.
    pub addresses: bool,
    /// The web server in front strips the `Authorization` header (CGI without
    /// `CGIPassAuth`): only `?ws_key=` works.
    pub strips_authorization: bool,
    /// Integer columns as JSON numbers (PrestaShop 8.0–8.1 on PHP 8.1).
    pub numbers: bool,
    /// The webservice is switched off in the back office.
    pub disabled: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            key: "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456".into(),
            addresses: true,
            strips_authorization: false,
            numbers: false,
            disabled: false,
        }
    }
}

/// The shop's data, as the webservice's tables hold it (values as strings).
#[derive(Debug, Default)]
pub struct Shop {
    pub customers: Vec<Json>,
    pub addresses: Vec<Json>,
    pub countries: Vec<Json>,
    pub languages: Vec<Json>,
    pub groups: Vec<Json>,
    /// Customer ids served so far with `display=full`.
    pub served: Vec<u64>,
    /// Customers deleted while a fetch was paging.
    pub deleted_while_paging: Vec<u64>,
}

impl Shop {
    /// `count` customers: one or two addresses (every 3rd also a
    /// deleted one beside them), every 5th a company, every 50th a guest, every 97th
    /// deleted; names in Polish, Czech and Bulgarian; zero dates where PrestaShop has them.
    pub fn generate(count: u64) -> Shop {
        let mut shop = Shop::lookups();
        let mut address_id = 0;
        for id in 1..=count {
            shop.customers.push(customer(id));
            if id % 7 == 0 {
                // A manufacturer's address: no customer.
                address_id += 1;
                shop.addresses.push(address(address_id, 0, id, false));
            }
            // IdoSell needs a billing address for a new customer: every one has one.
            for n in 0..(1 + id % 2) {
                address_id += 1;
                shop.addresses.push(address(address_id, id, id + n, false));
            }
            if id % 3 == 2 {
                address_id += 1;
                shop.addresses.push(address(address_id, id, id + 9, true));
            }
        }
        shop
    }

    /// The shop of the reference's sample: one customer, as PrestaShop 1.7 lists it.
    pub fn sample() -> Shop {
        let mut shop = Shop::lookups();
        let sample: Json = serde_json::from_str(SAMPLE_CUSTOMERS).expect("the sample is JSON");
        shop.customers = sample["customers"].as_array().cloned().unwrap_or_default();
        shop
    }

    fn lookups() -> Shop {
        let row = |id: u64, key: &str, value: &str| json!({"id": id, key: value});
        Shop {
            countries: vec![
                row(8, "iso_code", "FR"),
                row(14, "iso_code", "PL"),
                row(16, "iso_code", "CZ"),
                row(236, "iso_code", "BG"),
            ],
            languages: vec![row(1, "iso_code", "en"), row(2, "iso_code", "pl")],
            groups: vec![
                json!({"id": 1, "name": [{"id": "1", "value": "Visitor"}, {"id": "2", "value": "Odwiedzający"}]}),
                json!({"id": 2, "name": [{"id": "1", "value": "Guest"}, {"id": "2", "value": "Gość"}]}),
                json!({"id": 3, "name": [{"id": "1", "value": "Customer"}, {"id": "2", "value": "Klient"}]}),
                json!({"id": 4, "name": [{"id": "1", "value": "VIP"}, {"id": "2", "value": "VIP"}]}),
            ],
            ..Shop::default()
        }
    }

    /// The customers a migration must end with: every one not deleted (unless deleted
    /// while a fetch paged, after it was read) and not a guest.
    pub fn expected_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .customers
            .iter()
            .filter(|c| c["deleted"] != "1" && c["is_guest"] != "1")
            .filter_map(|c| c["id"].as_u64())
            .chain(self.deleted_while_paging.iter().copied())
            .collect();
        ids.sort_unstable();
        ids
    }
}

const GENDERS: [&str; 3] = ["0", "1", "2"];
const COUNTRIES: [&str; 4] = ["14", "16", "236", "8"];

fn customer(id: u64) -> Json {
    let i = id as usize;
    let company = if id.is_multiple_of(5) {
        format!("Firma {id} s.r.o.")
    } else {
        String::new()
    };
    let flag = |set: bool| if set { "1" } else { "0" };
    let mut groups = vec![json!({"id": "3"})];
    if id.is_multiple_of(11) {
        groups.push(json!({"id": "4"}));
    }
    json!({
        "id": id,
        "id_default_group": if id.is_multiple_of(11) { "4" } else { "3" },
        "id_lang": if id.is_multiple_of(2) { "2" } else { "1" },
        "newsletter_date_add": if id.is_multiple_of(4) { "2021-03-04 05:06:07" } else { "0000-00-00 00:00:00" },
        "ip_registration_newsletter": "",
        "last_passwd_gen": "2020-04-09 13:31:19",
        "secure_key": format!("{:032x}", id * 7919),
        "deleted": flag(id.is_multiple_of(97)),
        "passwd": "$2y$10$abcdefghijklmnopqrstuv0123456789ABCDEFGHIJKLMNOPQRSTU",
        "lastname": names::LAST[i % names::LAST.len()],
        "firstname": names::FIRST[(i / 3) % names::FIRST.len()],
        "email": format!("customer{id}@example.com"),
        "id_gender": GENDERS[i % 3],
        "birthday": if id.is_multiple_of(6) { "1980-02-03" } else { "0000-00-00" },
        "newsletter": flag(id.is_multiple_of(4)),
        "optin": flag(id.is_multiple_of(8)),
        "website": "",
        "company": company,
        "siret": if id.is_multiple_of(5) { format!("{:09}", id) } else { String::new() },
        "ape": "",
        "outstanding_allow_amount": "0.000000",
        "show_public_prices": "0",
        "id_risk": "0",
        "max_payment_days": "0",
        "active": flag(!id.is_multiple_of(13)),
        "note": if id.is_multiple_of(10) { "Stały klient, VIP" } else { "" },
        "is_guest": flag(id.is_multiple_of(50)),
        "id_shop": "1",
        "id_shop_group": "1",
        "date_add": format!("2020-{:02}-{:02} 10:{:02}:00", 1 + i % 12, 1 + i % 28, i % 60),
        "date_upd": "2024-01-01 00:00:00",
        "reset_password_token": "",
        "reset_password_validity": "0000-00-00 00:00:00",
        "associations": {"groups": groups},
    })
}

fn address(id: u64, customer: u64, n: u64, deleted: bool) -> Json {
    let i = n as usize;
    let country = COUNTRIES[i % 4];
    json!({
        "id": id,
        "id_customer": customer.to_string(),
        "id_manufacturer": if customer == 0 { "1" } else { "0" },
        "id_supplier": "0",
        "id_warehouse": "0",
        "id_country": country,
        "id_state": "0",
        "alias": "Mon adresse",
        "company": if n.is_multiple_of(4) { "My Company" } else { "" },
        "lastname": names::LAST[i % names::LAST.len()],
        "firstname": names::FIRST[i % names::FIRST.len()],
        "vat_number": if n.is_multiple_of(4) { format!("PL{:010}", n) } else { String::new() },
        "address1": format!("{} Main street", 1 + n % 90),
        "address2": if n.is_multiple_of(2) { "2nd floor" } else { "" },
        "postcode": format!("{:02}-{:03}", n % 100, n % 1000),
        // Values are not trimmed (the reference's sample has "Paris ").
        "city": format!("{} ", names::CITIES[i % names::CITIES.len()]),
        "other": "",
        "phone": if n.is_multiple_of(3) { String::new() } else { format!("+48 600 {:03} {:03}", n % 1000, (n * 7) % 1000) },
        "phone_mobile": if n.is_multiple_of(3) { format!("+420 777 {:03} {:03}", n % 1000, (n * 3) % 1000) } else { String::new() },
        "dni": "",
        "deleted": if deleted { "1" } else { "0" },
        "date_add": "2019-01-15 22:46:55",
        "date_upd": "2019-01-15 22:46:55",
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

fn errors(status: u16, body: &str) -> Answer {
    Answer::new(status, "application/json", body.as_bytes().to_vec())
}

fn error(status: u16, code: u32, message: &str) -> Answer {
    Answer::json(
        status,
        &json!({"errors": [{"code": code, "message": message}]}),
    )
}

fn answer(asked: &Asked, options: &Options, shop: &mut Shop, faults: &Faults) -> Answer {
    let Some(resource) = asked.path.strip_prefix("/api/") else {
        return Answer::new(
            404,
            "text/html",
            b"<html><body>Page not found</body></html>".to_vec(),
        );
    };
    let header_key = asked
        .header("authorization")
        .filter(|_| !options.strips_authorization)
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .map(|user| user.split(':').next().unwrap_or_default().to_string());
    let Some(key) = header_key.or_else(|| asked.param("ws_key").map(str::to_string)) else {
        return Answer::new(401, "text/plain", b"401 Unauthorized".to_vec()).with(
            "www-authenticate",
            "Basic realm=\"Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required.\"",
        );
    };
    if key.is_empty() {
        return error(401, 17, "Authentication key is empty");
    }
    if key.len() != 32 {
        return errors(401, BAD_KEY_FORMAT);
    }
    if key != options.key {
        return errors(401, DISABLED_OR_UNKNOWN_KEY);
    }
    if options.disabled {
        return error(
            503,
            22,
            "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office",
        );
    }
    let json_output = asked.param("output_format").or(asked.param("io_format")) == Some("JSON")
        || asked.header("output-format") == Some("JSON")
        || asked.header("io-format") == Some("JSON");
    if !json_output {
        return Answer::new(
            200,
            "text/xml",
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\"></prestashop>".to_vec(),
        );
    }
    if resource == "addresses" && !options.addresses {
        return error(
            401,
            26,
            "Resource of type \"addresses\" is not allowed with this authentication key",
        );
    }
    let table = match resource {
        "customers" => &shop.customers,
        "addresses" => &shop.addresses,
        "countries" => &shop.countries,
        "languages" => &shop.languages,
        "groups" => &shop.groups,
        other => {
            return error(
                400,
                27,
                &format!(
                    "Resource of type \"{other}\" does not exists. Did you mean: \"customers\"?"
                ),
            );
        }
    };
    let mut rows: Vec<&Json> = table.iter().collect();
    for (name, expr) in &asked.query {
        let Some(field) = name
            .strip_prefix("filter[")
            .and_then(|f| f.strip_suffix(']'))
        else {
            continue;
        };
        if rows.first().is_some_and(|r| r.get(field).is_none()) {
            return error(400, 32, &format!("This filter does not exist: {field}"));
        }
        let Some(test) = filter(expr) else {
            return error(400, 33, &format!("The \"{field}\" filter is malformed"));
        };
        rows.retain(|r| test(&value_text(&r[field])));
    }
    match asked.param("sort") {
        Some("[id_ASC]") => rows.sort_by_key(|r| r["id"].as_u64()),
        Some("[id_DESC]") => rows.sort_by_key(|r| std::cmp::Reverse(r["id"].as_u64())),
        Some(other) => {
            return error(
                400,
                37,
                &format!("The sort {other} is not supported by this shop"),
            );
        }
        // No ORDER BY: the database's order, which nothing promises.
        None => rows.reverse(),
    }
    let mut full = false;
    if let Some(limit) = asked.param("limit") {
        let parts: Vec<Option<usize>> = limit.split(',').map(|p| p.trim().parse().ok()).collect();
        let (offset, count) = match parts[..] {
            [Some(count)] => (0, count),
            [Some(offset), Some(count)] => (offset, count),
            _ => return errors(400, BAD_LIMIT),
        };
        rows = rows.into_iter().skip(offset).take(count).collect();
        full = rows.len() == count;
    }
    if rows.is_empty() {
        return listed(Answer::new(
            200,
            "application/json",
            EMPTY_LIST.as_bytes().to_vec(),
        ));
    }
    let display = asked.param("display");
    let items: Vec<Json> = rows
        .iter()
        .map(|row| shown(row, display, options.numbers))
        .collect();
    if resource == "customers" && display == Some("full") {
        let ids: Vec<u64> = rows.iter().filter_map(|r| r["id"].as_u64()).collect();
        shop.served.extend(&ids);
        // Only while there is more to read: what changes after the last page is the next
        // migration's.
        if full && Faults::take(&faults.change_while_paging) {
            change(shop, &ids);
        }
    }
    listed(Answer::json(200, &json!({ resource: items })))
}

/// The headers every webservice answer carries.
fn listed(answer: Answer) -> Answer {
    answer
        .with("x-powered-by", "PrestaShop Webservice")
        .with("psws-version", "8.1.2")
}

/// After a page: the oldest customer served is deleted, one is created, and one after the
/// page changes its e-mail.
fn change(shop: &mut Shop, page: &[u64]) {
    let Some(&last) = page.iter().max() else {
        return;
    };
    if let Some(at) = shop.customers.iter().position(|c| {
        c["id"].as_u64().is_some_and(|id| id <= last) && c["deleted"] != "1" && c["is_guest"] != "1"
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
    created["deleted"] = json!("0");
    created["is_guest"] = json!("0");
    shop.customers.push(created);
    let address_id = shop
        .addresses
        .iter()
        .filter_map(|a| a["id"].as_u64())
        .max()
        .unwrap_or(0)
        + 1;
    shop.addresses.push(address(address_id, next, next, false));
    if let Some(later) = shop
        .customers
        .iter_mut()
        .find(|c| c["id"].as_u64().is_some_and(|id| id > last))
    {
        let id = later["id"].as_u64().unwrap_or(0);
        later["email"] = json!(format!("changed{id}@example.com"));
    }
}

/// A filter's test on a value's text: `[v]`, `[a|b]`, `>[v]`, `<[v]` (numbers compare as
/// numbers).
type Test = Box<dyn Fn(&str) -> bool>;

fn filter(expr: &str) -> Option<Test> {
    let (op, rest) = match expr.chars().next()? {
        '>' | '<' => (expr.chars().next(), &expr[1..]),
        _ => (None, expr),
    };
    let inner = rest.strip_prefix('[')?.strip_suffix(']')?.to_string();
    Some(match op {
        Some(op) => {
            let bound: f64 = inner.parse().ok()?;
            Box::new(move |v: &str| {
                v.parse::<f64>()
                    .is_ok_and(|n| if op == '>' { n > bound } else { n < bound })
            })
        }
        None => {
            let options: Vec<String> = inner.split('|').map(str::to_string).collect();
            Box::new(move |v: &str| options.iter().any(|o| o == v))
        }
    })
}

/// The columns PrestaShop's database holds as integers.
fn integer_column(key: &str) -> bool {
    key.starts_with("id") || ["deleted", "active", "newsletter", "optin", "is_guest"].contains(&key)
}

fn value_text(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A row as `display` asks: only the id without it, the listed fields, or everything.
fn shown(row: &Json, display: Option<&str>, numbers: bool) -> Json {
    let Json::Object(fields) = row else {
        return row.clone();
    };
    let wanted: Option<Vec<&str>> = match display {
        Some("full") => None,
        Some(list) => Some(
            list.trim_matches(['[', ']'])
                .split(',')
                .map(str::trim)
                .collect(),
        ),
        None => Some(vec!["id"]),
    };
    let mut out = Map::new();
    for (key, value) in fields {
        if wanted.as_ref().is_some_and(|w| !w.contains(&key.as_str())) {
            continue;
        }
        let value = match value {
            // PrestaShop 8.0 on PHP 8.1: integer columns as numbers.
            Json::String(s) if numbers && integer_column(key) => s
                .parse::<u64>()
                .map(Json::from)
                .unwrap_or_else(|_| value.clone()),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Json::Object(out)
}
