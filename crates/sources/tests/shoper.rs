//! What only Shoper does: the reference's samples served as they are, a token that expires
//! while a fetch runs, a refused login, the leaky bucket (never overrun, and shared with
//! another application), guests, the address book as billing and delivery addresses, and
//! the test shop itself behaving as the reference says.

mod util;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use custio_model::{Field, Value};
use custio_sources::{
    Connector, Credentials, RecordPolicy, SourceConfig, SourceCustomer, SourceError, connect,
};
use custio_testshops::shoper::{self, Options, Shop};
use serde_json::Value as Json;
use util::{all, pages, text};

/// A bucket that leaks fast enough for quick tests.
fn fast() -> Options {
    Options {
        bandwidth: 200.0,
        ..Options::default()
    }
}

fn config(url: &str, password: &str) -> SourceConfig {
    util::config(
        url,
        Credentials::Shoper {
            login: Options::default().login,
            password: password.into(),
        },
    )
}

fn source(url: &str) -> Box<dyn Connector> {
    connect(&config(url, &Options::default().password)).unwrap()
}

fn delivery(customer: &SourceCustomer) -> Vec<String> {
    match customer.patch.value(&Field::Shipping) {
        Some(Value::Addresses(list)) => list.iter().filter_map(|a| a.guid.clone()).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn the_reference_samples_are_read_as_documented() {
    let (server, _) = shoper::start(Shop::sample(), fast());
    let mut source = source(&server.url);
    let connection = source.check().unwrap();
    assert_eq!(connection.customers, Some(2), "`count` is a string");
    let pages = pages(source.as_mut());
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].total, Some(2));
    let skipped: Vec<_> = pages[0]
        .skipped
        .iter()
        .map(|s| (s.id, s.reason.as_str()))
        .collect();
    assert_eq!(skipped, [(2, "guest")], "Anna is a guest (registered = 0)");
    assert_eq!(pages[0].customers.len(), 1);
    let jan = &pages[0].customers[0];
    assert_eq!(jan.id, 1);
    assert!(jan.problems.is_empty(), "{:?}", jan.problems);
    let expect = [
        (Field::Email, "jan.kowalski@example.pl"),
        (Field::Login, "jan.kowalski@example.pl"),
        (Field::FirstName, "Jan"),
        (Field::LastName, "Kowalski"),
        (Field::RegisteredAt, "2024-01-15 12:34:56"),
        (Field::LastLoginAt, "2024-03-01 08:00:00"),
        (Field::NewsletterEmail, "no"),
        (Field::Active, "yes"),
        (Field::EmailVerified, "yes"),
        (Field::DiscountPct, "0"),
        (Field::Language, "pl"),
        (Field::Kind, "person"),
        // The address marked `default` (ids as numbers, flags as booleans in the sample).
        (Field::BillingFullName, "Jan Kowalski"),
        (Field::BillingStreet, "ul. Długa 1/2"),
        (Field::BillingCity, "Warszawa"),
        (Field::BillingZip, "00-001"),
        (Field::BillingCountry, "PL"),
    ];
    for (field, value) in expect {
        assert_eq!(
            text(jan, field.clone()).as_deref(),
            Some(value),
            "{}",
            field.name()
        );
    }
    assert!(text(jan, Field::Phone).is_some());
    assert_eq!(
        jan.patch.value(&Field::Groups),
        Some(&Value::Texts(vec!["Klienci".into()]))
    );
    assert_eq!(text(jan, Field::Note), None, "an empty comment is no note");
    assert_eq!(text(jan, Field::VatId), None);
    // Its only address is the billing one, and the delivery default too: no other.
    assert_eq!(jan.patch.value(&Field::Shipping), None);
    assert_eq!(jan.patch.value(&Field::Password), None);
}

#[test]
fn guests_are_read_when_the_migration_keeps_them() {
    let (server, _) = shoper::start(Shop::sample(), fast());
    let mut config = config(&server.url, &Options::default().password);
    config.policy = RecordPolicy {
        guests: true,
        ..RecordPolicy::default()
    };
    let pages = pages(connect(&config).unwrap().as_mut());
    assert!(pages[0].skipped.is_empty());
    let anna = pages[0].customers.iter().find(|c| c.id == 2).unwrap();
    assert_eq!(text(anna, Field::DiscountPct).as_deref(), Some("5.00"));
    assert_eq!(text(anna, Field::NewsletterEmail).as_deref(), Some("yes"));
    assert_eq!(text(anna, Field::LastLoginAt), None, "lastvisit is null");
    assert_eq!(text(anna, Field::BillingCity), None, "no address");
}

#[test]
fn guests_are_left_out_and_counted() {
    let (server, shop) = shoper::start(Shop::generate(130), fast());
    let pages = pages(source(&server.url).as_mut());
    let skipped: Vec<_> = pages
        .iter()
        .flat_map(|p| p.skipped.iter().map(|s| (s.id, s.reason.clone())))
        .collect();
    assert_eq!(
        skipped,
        [25, 50, 75, 100, 125].map(|id| (id, "guest".to_string()))
    );
    let got: Vec<u64> = pages
        .iter()
        .flat_map(|p| p.customers.iter().map(|c| c.id))
        .collect();
    assert_eq!(got, shop.lock().unwrap().expected_ids());
    assert_eq!(pages[0].total, Some(130), "the shop's count has the guests");
}

#[test]
fn the_address_book_becomes_billing_and_delivery_addresses() {
    let (server, shop) = shoper::start(Shop::generate(40), fast());
    let customers = all(source(&server.url).as_mut());
    let shop = shop.lock().unwrap();
    let book = |user: u64| -> Vec<&Json> {
        shop.addresses
            .iter()
            .filter(|a| a["user_id"].as_str() == Some(&user.to_string()))
            .collect()
    };
    for customer in &customers {
        assert!(customer.problems.is_empty(), "{:?}", customer.problems);
        let addresses = book(customer.id);
        let billing = addresses.iter().find(|a| a["default"] == "1");
        assert_eq!(
            text(customer, Field::BillingCity),
            billing.map(|a| a["city"].as_str().unwrap().to_string()),
            "customer {}",
            customer.id
        );
        assert_eq!(
            delivery(customer).len(),
            addresses.len().saturating_sub(1),
            "customer {}",
            customer.id
        );
    }
    // User 4 has three entries: 4 (an address), 5 (the billing default), 6 (the delivery
    // default); the delivery default comes first.
    let four = customers.iter().find(|c| c.id == 4).unwrap();
    assert_eq!(
        book(4)
            .iter()
            .map(|a| a["address_book_id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["4", "5", "6"]
    );
    assert_eq!(delivery(four), ["shoper-address-6", "shoper-address-4"]);
    // Address 5 belongs to a company: the customer is one, with its NIP.
    assert_eq!(text(four, Field::Kind).as_deref(), Some("company"));
    assert_eq!(
        text(four, Field::CompanyName).as_deref(),
        Some("Firma 5 sp. z o.o.")
    );
    assert_eq!(text(four, Field::VatId).as_deref(), Some("PL0000000005"));
    // One entry, billing and delivery default at once: billing only.
    let one = customers.iter().find(|c| c.id == 1).unwrap();
    assert!(text(one, Field::BillingStreet).is_some());
    assert!(delivery(one).is_empty());
    // Group 2's name has a comma and stays one group; lang_id 3 is Czech.
    let seven = customers.iter().find(|c| c.id == 7).unwrap();
    assert_eq!(
        seven.patch.value(&Field::Groups),
        Some(&Value::Texts(vec!["Hurt, B2B".into()]))
    );
    let eight = customers.iter().find(|c| c.id == 8).unwrap();
    assert_eq!(text(eight, Field::Language).as_deref(), Some("cs"));
}

#[test]
fn a_token_that_expires_mid_run_is_replaced_once_and_the_fetch_completes() {
    let (server, shop) = shoper::start(
        Shop::generate(300),
        Options {
            token_calls: Some(5),
            ..fast()
        },
    );
    let got: Vec<u64> = all(source(&server.url).as_mut())
        .iter()
        .map(|c| c.id)
        .collect();
    let shop = shop.lock().unwrap();
    assert_eq!(got, shop.expected_ids());
    assert!(
        shop.expired >= 2,
        "the token expired {} times",
        shop.expired
    );
    assert_eq!(shop.auths, 1 + shop.expired, "one login per expiry");
}

#[test]
fn a_token_refused_right_after_a_new_login_is_final() {
    let (server, shop) = shoper::start(
        Shop::generate(10),
        Options {
            token_calls: Some(0),
            ..fast()
        },
    );
    let error = source(&server.url).check().unwrap_err();
    assert!(
        matches!(&error, SourceError::CredentialsRejected(d) if d.contains("expired")),
        "{error}"
    );
    assert_eq!(shop.lock().unwrap().auths, 2, "one login, then one more");
}

#[test]
fn a_wrong_password_is_rejected_credentials_whatever_the_status() {
    for status in [401, 400] {
        let (server, shop) = shoper::start(
            Shop::generate(3),
            Options {
                auth_failure_status: status,
                ..fast()
            },
        );
        let started = Instant::now();
        let error = connect(&config(&server.url, "wrong"))
            .unwrap()
            .check()
            .unwrap_err();
        assert!(
            matches!(&error, SourceError::CredentialsRejected(d) if d.contains("Invalid user login or password")),
            "{status}: {error}"
        );
        assert_eq!(error.code(), "credentials_rejected");
        assert!(started.elapsed() < Duration::from_secs(2), "not retried");
        assert_eq!(shop.lock().unwrap().auths, 0);
    }
}

#[test]
fn an_account_without_the_address_book_is_named() {
    let (server, _) = shoper::start(
        Shop::generate(3),
        Options {
            addresses: false,
            ..fast()
        },
    );
    let error = source(&server.url).check().unwrap_err();
    assert!(
        matches!(&error, SourceError::NoReadPermission(what) if what == "addresses"),
        "{error}"
    );
}

#[test]
fn the_client_never_overruns_the_bucket() {
    let (server, shop) = shoper::start(
        Shop::generate(600),
        Options {
            limit: 10,
            bandwidth: 20.0,
            ..Options::default()
        },
    );
    let mut source = source(&server.url);
    source.check().unwrap();
    let got: Vec<u64> = all(source.as_mut()).iter().map(|c| c.id).collect();
    let shop = shop.lock().unwrap();
    assert_eq!(got, shop.expected_ids());
    assert_eq!(shop.too_many(), 0, "no 429");
    assert!(
        shop.max_calls() <= 10.0,
        "the counter reached {}",
        shop.max_calls()
    );
    // The bucket is used, not avoided: the burst fills it to the margin.
    assert!(
        shop.max_calls() >= 8.0,
        "the counter reached only {}",
        shop.max_calls()
    );
}

#[test]
fn a_bucket_another_application_filled_is_waited_for() {
    let (server, shop) = shoper::start(
        Shop::generate(120),
        Options {
            limit: 10,
            bandwidth: 50.0,
            ..Options::default()
        },
    );
    let mut source = source(&server.url);
    source.check().unwrap();
    // Another application fills the bucket between two of our pages: the first call
    // after it meets a 429, and the pacer, told the count, waits for the leak.
    shop.lock().unwrap().spend(10);
    let got: Vec<u64> = all(source.as_mut()).iter().map(|c| c.id).collect();
    let shop = shop.lock().unwrap();
    assert_eq!(got, shop.expected_ids());
    assert!(shop.too_many() <= 1, "{} 429s", shop.too_many());
}

#[test]
fn the_fault_switches_ride_along_the_token_and_the_bucket() {
    let (server, shop) = shoper::start(
        Shop::generate(160),
        Options {
            token_calls: Some(4),
            limit: 10,
            bandwidth: 100.0,
            ..Options::default()
        },
    );
    // One of each in a row, within the three attempts.
    server.faults.too_many.store(1, Ordering::SeqCst);
    server.faults.failures.store(1, Ordering::SeqCst);
    server.faults.change_while_paging.store(2, Ordering::SeqCst);
    let got: Vec<u64> = all(source(&server.url).as_mut())
        .iter()
        .map(|c| c.id)
        .collect();
    let shop = shop.lock().unwrap();
    assert_eq!(got, shop.expected_ids());
    assert_eq!(shop.too_many(), 0);
}

/// The test shop's own fidelity: what the reference's checklist asks of it.
#[test]
fn the_test_shop_answers_as_the_reference_says() {
    let options = fast();
    let (server, _) = shoper::start(Shop::generate(120), options.clone());
    let client = reqwest::blocking::Client::new();
    let url = |path: &str| format!("{}webapi/rest/{path}", server.url);

    // Login by form, as Shoper's own library sends it.
    let reply = client
        .post(url("auth"))
        .form(&[
            ("client_id", options.login.as_str()),
            ("client_secret", options.password.as_str()),
        ])
        .send()
        .unwrap();
    assert_eq!(reply.status(), 200);
    let auth: Json = reply.json().unwrap();
    let token = auth["access_token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 40);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(auth["expires_in"], 2592000);
    assert_eq!(auth["token_type"], "bearer");

    let get = |path: &str, query: &[(&str, &str)], bearer: &str| {
        client
            .get(url(path))
            .query(query)
            .bearer_auth(bearer)
            .send()
            .unwrap()
    };
    let reply = get(
        "users",
        &[("limit", "50"), ("page", "3"), ("order[]", "user_id asc")],
        &token,
    );
    assert_eq!(reply.status(), 200);
    for header in [
        "x-shop-api-calls",
        "x-shop-api-limit",
        "x-shop-api-bandwidth",
    ] {
        assert!(reply.headers().contains_key(header), "{header}");
    }
    let list: Json = reply.json().unwrap();
    assert_eq!(list["count"], "120");
    assert_eq!(list["pages"], 3);
    assert_eq!(list["page"], 3);
    assert_eq!(list["list"][0]["user_id"], "101", "ids are strings");

    let past: Json = get("users", &[("limit", "50"), ("page", "9")], &token)
        .json()
        .unwrap();
    assert_eq!(past["list"], Json::Array(vec![]));
    let reply = get("users", &[("limit", "51")], &token);
    assert_eq!(reply.status(), 400);
    assert_eq!(reply.json::<Json>().unwrap()["error"], "invalid_request");

    let filtered: Json = get(
        "users",
        &[("filters", r#"{"email":"user7@example.pl"}"#)],
        &token,
    )
    .json()
    .unwrap();
    assert_eq!(filtered["count"], "1");
    assert_eq!(filtered["list"][0]["user_id"], "7");

    let reply = get("users", &[], "0000000000000000000000000000000000000000");
    assert_eq!(reply.status(), 401);
    assert_eq!(
        reply.json::<Json>().unwrap()["error_description"],
        "Provided access token is invalid"
    );
    let reply = client
        .post(url("auth"))
        .basic_auth("x", Some("y"))
        .send()
        .unwrap();
    assert_eq!(reply.status(), 401);
    assert_eq!(reply.json::<Json>().unwrap()["error"], "auth_failure");
}
