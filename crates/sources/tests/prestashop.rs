//! What only PrestaShop does: the reference's sample served as it is, integers as numbers
//! (8.0 on PHP 8.1), a server that strips the key's header, a key without the addresses,
//! a disabled webservice, and the mapping of each field.

mod util;

use std::time::Duration;

use custio_model::{Field, Value};
use custio_sources::{Connector, Credentials, SourceConfig, SourceError, connect};
use custio_testshops::prestashop::{self, Options, Shop};
use util::{all, text};

fn source(url: &str) -> Box<dyn Connector> {
    util::source(
        url,
        Credentials::PrestaShop {
            key: Options::default().key.as_str().into(),
        },
    )
}

#[test]
fn the_reference_sample_customer_is_read_as_documented() {
    let (server, _) = prestashop::start(Shop::sample(), Options::default());
    let customers = all(source(&server.url).as_mut());
    assert_eq!(customers.len(), 1);
    let john = &customers[0];
    assert_eq!(john.id, 2);
    assert_eq!(
        text(john, Field::Email).as_deref(),
        Some("pub@prestashop.com")
    );
    assert_eq!(text(john, Field::FirstName).as_deref(), Some("John"));
    assert_eq!(text(john, Field::LastName).as_deref(), Some("DOE"));
    assert_eq!(text(john, Field::Gender).as_deref(), Some("male"));
    assert_eq!(text(john, Field::NewsletterEmail).as_deref(), Some("yes"));
    assert_eq!(text(john, Field::Active).as_deref(), Some("yes"));
    assert_eq!(text(john, Field::Language).as_deref(), Some("en"));
    assert_eq!(
        text(john, Field::RegisteredAt).as_deref(),
        Some("2020-04-09 19:31:19")
    );
    assert_eq!(text(john, Field::Kind).as_deref(), Some("person"));
    assert_eq!(
        john.patch.value(&Field::Groups),
        Some(&Value::Texts(vec!["Customer".into()]))
    );
    // Never the password hash: customers set a new password.
    assert_eq!(john.patch.value(&Field::Password), None);
}

#[test]
fn numbers_as_numbers_read_as_strings_do() {
    let (strings, _) = prestashop::start(Shop::generate(60), Options::default());
    let (numbers, _) = prestashop::start(
        Shop::generate(60),
        Options {
            numbers: true,
            ..Options::default()
        },
    );
    assert_eq!(
        all(source(&strings.url).as_mut()),
        all(source(&numbers.url).as_mut())
    );
}

#[test]
fn addresses_become_billing_and_delivery_addresses() {
    let (server, shop) = prestashop::start(Shop::generate(12), Options::default());
    let customers = all(source(&server.url).as_mut());
    let shop = shop.lock().unwrap();
    for customer in &customers {
        let live: Vec<_> = shop
            .addresses
            .iter()
            .filter(|a| {
                a["id_customer"].as_str() == Some(&customer.id.to_string()) && a["deleted"] == "0"
            })
            .collect();
        let shipping = match customer.patch.value(&Field::Shipping) {
            Some(Value::Addresses(list)) => list.len(),
            _ => 0,
        };
        assert_eq!(
            shipping,
            live.len().saturating_sub(1),
            "customer {}",
            customer.id
        );
        match live.first() {
            Some(first) => {
                // Untrimmed in the shop ("Kraków "), trimmed here.
                let city = first["city"].as_str().unwrap().trim().to_string();
                assert_eq!(
                    text(customer, Field::BillingCity),
                    Some(city),
                    "customer {}",
                    customer.id
                );
                assert!(text(customer, Field::BillingCountry).is_some());
            }
            None => assert_eq!(
                text(customer, Field::BillingCity),
                None,
                "customer {}",
                customer.id
            ),
        }
    }
    // Customer 5 is a company; 2 has two addresses (one delivery address), an e-mail and a zip.
    let five = customers.iter().find(|c| c.id == 5).unwrap();
    assert_eq!(text(five, Field::Kind).as_deref(), Some("company"));
    assert_eq!(
        text(five, Field::CompanyName).as_deref(),
        Some("Firma 5 s.r.o.")
    );
}

#[test]
fn a_server_that_strips_the_header_is_asked_with_the_key_in_the_query() {
    let (server, expected) = prestashop::start(
        Shop::generate(30),
        Options {
            strips_authorization: true,
            ..Options::default()
        },
    );
    let mut source = source(&server.url);
    source.check().unwrap();
    let got: Vec<u64> = all(source.as_mut()).iter().map(|c| c.id).collect();
    assert_eq!(got, expected.lock().unwrap().expected_ids());
}

#[test]
fn a_key_without_addresses_and_a_disabled_webservice_are_named() {
    let (server, _) = prestashop::start(
        Shop::generate(3),
        Options {
            addresses: false,
            ..Options::default()
        },
    );
    let error = source(&server.url).check().unwrap_err();
    assert!(
        matches!(&error, SourceError::NoReadPermission(what) if what == "addresses"),
        "{error}"
    );

    let (server, _) = prestashop::start(
        Shop::generate(3),
        Options {
            disabled: true,
            ..Options::default()
        },
    );
    let started = std::time::Instant::now();
    let error = source(&server.url).check().unwrap_err();
    assert!(
        error.to_string().contains("webservice is disabled"),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a disabled webservice is not retried"
    );
}

#[test]
fn a_key_of_the_wrong_length_is_rejected_by_the_shop() {
    let (server, _) = prestashop::start(Shop::generate(3), Options::default());
    let mut config = SourceConfig::new(
        &server.url,
        Credentials::PrestaShop {
            key: "short".into(),
        },
    );
    config.http.allow_private = true;
    let error = connect(&config).unwrap().check().unwrap_err();
    assert!(
        matches!(&error, SourceError::CredentialsRejected(d) if d.contains("Invalid authentication key format")),
        "{error}"
    );
}
