//! What only WooCommerce does: the documentation's example served as it is, staff roles
//! left out, a shipping address as a delivery address, a key without read permission,
//! and nonces used once.

mod util;

use custio_model::{Field, Value};
use custio_sources::{Connector, Credentials, SourceError};
use custio_testshops::woocommerce::{self, Options, Shop};
use util::pages;

fn source(url: &str) -> Box<dyn Connector> {
    let options = Options::default();
    util::source(
        url,
        Credentials::WooCommerce {
            consumer_key: options.consumer_key.as_str().into(),
            consumer_secret: options.consumer_secret.as_str().into(),
        },
    )
}

fn text(patch: &custio_model::CustomerPatch, field: Field) -> Option<String> {
    patch.value(&field).map(|v| v.to_string())
}

#[test]
fn the_documentation_example_is_read_as_documented() {
    let (server, _) = woocommerce::start(Shop::sample(), Options::default());
    let customers: Vec<_> = pages(source(&server.url).as_mut())
        .into_iter()
        .flat_map(|p| p.customers)
        .collect();
    assert_eq!(customers.iter().map(|c| c.id).collect::<Vec<_>>(), [25, 26]);
    let joao = &customers[1].patch;
    assert_eq!(
        text(joao, Field::Email).as_deref(),
        Some("joao.silva@example.com")
    );
    assert_eq!(text(joao, Field::FirstName).as_deref(), Some("João"));
    assert_eq!(text(joao, Field::Login).as_deref(), Some("joao.silva"));
    assert_eq!(
        text(joao, Field::RegisteredAt).as_deref(),
        Some("2017-03-21 19:11:14")
    );
    assert_eq!(
        text(joao, Field::BillingStreet).as_deref(),
        Some("Av. Brasil, 432")
    );
    assert_eq!(
        text(joao, Field::BillingCity).as_deref(),
        Some("Rio de Janeiro")
    );
    assert_eq!(text(joao, Field::BillingCountry).as_deref(), Some("BR"));
    assert!(matches!(joao.value(&Field::Shipping), Some(Value::Addresses(a)) if a.len() == 1));
}

#[test]
fn staff_are_left_out_and_counted_and_the_total_is_the_shops() {
    let (server, shop) = woocommerce::start(Shop::generate(130), Options::default());
    let pages = pages(source(&server.url).as_mut());
    let skipped: Vec<_> = pages
        .iter()
        .flat_map(|p| p.skipped.iter().map(|s| (s.id, s.reason.clone())))
        .collect();
    assert_eq!(
        skipped,
        [
            (40, "role shop_manager".into()),
            (60, "role administrator".into()),
            (80, "role shop_manager".into()),
            (120, "role administrator".into())
        ]
    );
    let got: Vec<u64> = pages
        .iter()
        .flat_map(|p| p.customers.iter().map(|c| c.id))
        .collect();
    assert_eq!(got, shop.lock().unwrap().expected_ids());
    assert_eq!(pages[0].total, Some(130), "role=all: every user counts");
    let subscriber = pages
        .iter()
        .flat_map(|p| &p.customers)
        .find(|c| c.id == 9)
        .unwrap();
    assert_eq!(
        text(&subscriber.patch, Field::Email).as_deref(),
        Some("user9@example.com")
    );
}

#[test]
fn a_key_without_read_permission_is_named() {
    let (server, _) = woocommerce::start(
        Shop::generate(3),
        Options {
            read: false,
            ..Options::default()
        },
    );
    let error = source(&server.url).check().unwrap_err();
    assert!(matches!(error, SourceError::NoReadPermission(_)), "{error}");
}

#[test]
fn every_retry_is_signed_with_a_new_nonce() {
    let (server, shop) = woocommerce::start(Shop::generate(250), Options::default());
    server
        .faults
        .failures
        .store(2, std::sync::atomic::Ordering::SeqCst);
    let got: Vec<u64> = pages(source(&server.url).as_mut())
        .iter()
        .flat_map(|p| p.customers.iter().map(|c| c.id))
        .collect();
    assert_eq!(got, shop.lock().unwrap().expected_ids());
}
