//! The suite every connector passes against its platform's test shop (crates/testshops):
//! a whole fetch, each fault switched on in turn, records changing while paging, and the
//! failures a user must be told apart (wrong credentials, no permission, not a shop,
//! unreachable, private address).

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use custio_model::{Field, Value};
use custio_sources::{
    Connector, Credentials, Cursor, HttpPolicy, Platform, SourceConfig, SourceCustomer,
    SourceError, connect,
};
use custio_testshops::{Server, prestashop, shoper, woocommerce};

/// A test shop of one platform, started with `count` customers.
trait Harness {
    fn platform(&self) -> Platform;
    /// Starts a shop; returns it and a function that lists the ids a fetch must end with.
    fn start(&self, count: u64) -> (Server, Box<dyn Fn() -> Vec<u64>>);
    /// Credentials the shop accepts.
    fn credentials(&self) -> Credentials;
    /// Credentials it refuses.
    fn wrong_credentials(&self) -> Credentials;
}

struct PrestaShopShop;

impl Harness for PrestaShopShop {
    fn platform(&self) -> Platform {
        Platform::PrestaShop
    }

    fn start(&self, count: u64) -> (Server, Box<dyn Fn() -> Vec<u64>>) {
        let (server, shop) = prestashop::start(
            prestashop::Shop::generate(count),
            prestashop::Options::default(),
        );
        (server, expected(shop))
    }

    fn credentials(&self) -> Credentials {
        Credentials::PrestaShop {
            key: prestashop::Options::default().key.as_str().into(),
        }
    }

    fn wrong_credentials(&self) -> Credentials {
        Credentials::PrestaShop {
            key: "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ".into(),
        }
    }
}

fn expected(shop: Arc<Mutex<prestashop::Shop>>) -> Box<dyn Fn() -> Vec<u64>> {
    Box::new(move || shop.lock().unwrap().expected_ids())
}

struct WooCommerceShop;

impl Harness for WooCommerceShop {
    fn platform(&self) -> Platform {
        Platform::WooCommerce
    }

    fn start(&self, count: u64) -> (Server, Box<dyn Fn() -> Vec<u64>>) {
        let (server, shop) = woocommerce::start(
            woocommerce::Shop::generate(count),
            woocommerce::Options::default(),
        );
        (
            server,
            Box::new(move || shop.lock().unwrap().expected_ids()),
        )
    }

    fn credentials(&self) -> Credentials {
        let options = woocommerce::Options::default();
        Credentials::WooCommerce {
            consumer_key: options.consumer_key.as_str().into(),
            consumer_secret: options.consumer_secret.as_str().into(),
        }
    }

    fn wrong_credentials(&self) -> Credentials {
        Credentials::WooCommerce {
            consumer_key: woocommerce::Options::default().consumer_key.as_str().into(),
            consumer_secret: "cs_wrong".into(),
        }
    }
}

struct ShoperShop;

impl Harness for ShoperShop {
    fn platform(&self) -> Platform {
        Platform::Shoper
    }

    fn start(&self, count: u64) -> (Server, Box<dyn Fn() -> Vec<u64>>) {
        // The documented bucket (10 calls), leaking fast enough for a quick suite.
        let (server, shop) = shoper::start(
            shoper::Shop::generate(count),
            shoper::Options {
                bandwidth: 200.0,
                ..shoper::Options::default()
            },
        );
        (
            server,
            Box::new(move || shop.lock().unwrap().expected_ids()),
        )
    }

    fn credentials(&self) -> Credentials {
        let options = shoper::Options::default();
        Credentials::Shoper {
            login: options.login,
            password: options.password.as_str().into(),
        }
    }

    fn wrong_credentials(&self) -> Credentials {
        Credentials::Shoper {
            login: shoper::Options::default().login,
            password: "wrong".into(),
        }
    }
}

fn harnesses() -> Vec<Box<dyn Harness>> {
    vec![
        Box::new(PrestaShopShop),
        Box::new(WooCommerceShop),
        Box::new(ShoperShop),
    ]
}

/// Quick retries: the suite's faults are short.
fn config(url: &str, credentials: Credentials) -> SourceConfig {
    let mut config = SourceConfig::new(url, credentials);
    config.http = HttpPolicy {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        attempts: 5,
        first_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        allow_private: true,
    };
    config
}

fn fetch_all(source: &mut dyn Connector) -> Result<Vec<SourceCustomer>, SourceError> {
    let mut cursor = Cursor::default();
    let mut customers = Vec::new();
    loop {
        let page = source.page(&cursor)?;
        customers.extend(page.customers);
        match page.next {
            Some(next) => cursor = next,
            None => return Ok(customers),
        }
    }
}

fn ids(customers: &[SourceCustomer]) -> Vec<u64> {
    customers.iter().map(|c| c.id).collect()
}

#[test]
fn every_connector_reads_every_customer_once_in_id_order() {
    for harness in harnesses() {
        let (server, expected) = harness.start(250);
        let mut source = connect(&config(&server.url, harness.credentials())).unwrap();
        source.check().unwrap();
        let customers = fetch_all(source.as_mut()).unwrap();
        assert_eq!(ids(&customers), expected(), "{}", harness.platform());
        for customer in &customers {
            let email = customer.patch.value(&Field::Email);
            assert!(
                matches!(email, Some(Value::Email(_))),
                "{}: customer {} has an e-mail",
                harness.platform(),
                customer.id
            );
            assert!(
                customer.problems.is_empty(),
                "{}: {:?}",
                harness.platform(),
                customer.problems
            );
        }
    }
}

#[test]
fn every_connector_rides_out_each_fault() {
    for harness in harnesses() {
        for fault in ["429", "500", "drop", "slow"] {
            let (server, expected) = harness.start(120);
            let faults = &server.faults;
            match fault {
                "429" => faults.too_many.store(3, Ordering::SeqCst),
                "500" => faults.failures.store(3, Ordering::SeqCst),
                "drop" => faults.drops.store(2, Ordering::SeqCst),
                _ => faults.delay_ms.store(30, Ordering::SeqCst),
            }
            let mut source = connect(&config(&server.url, harness.credentials())).unwrap();
            let customers = fetch_all(source.as_mut())
                .unwrap_or_else(|e| panic!("{} with {fault}: {e}", harness.platform()));
            assert_eq!(
                ids(&customers),
                expected(),
                "{} with {fault}",
                harness.platform()
            );
        }
    }
}

#[test]
fn every_connector_gives_up_on_a_shop_that_keeps_failing_and_says_why() {
    for harness in harnesses() {
        let (server, _) = harness.start(10);
        server.faults.too_many.store(1000, Ordering::SeqCst);
        let mut source = connect(&config(&server.url, harness.credentials())).unwrap();
        let error = source.check().unwrap_err();
        assert!(
            matches!(error, SourceError::RateLimited(5)),
            "{}: {error}",
            harness.platform()
        );
        server.faults.too_many.store(0, Ordering::SeqCst);
        server.faults.failures.store(1000, Ordering::SeqCst);
        let error = source.check().unwrap_err();
        assert!(
            matches!(error, SourceError::Unavailable { attempts: 5, .. }),
            "{}: {error}",
            harness.platform()
        );
    }
}

#[test]
fn every_connector_reads_customers_changed_created_and_deleted_while_it_pages() {
    for harness in harnesses() {
        let (server, expected) = harness.start(450);
        server.faults.change_while_paging.store(3, Ordering::SeqCst);
        let mut source = connect(&config(&server.url, harness.credentials())).unwrap();
        let customers = fetch_all(source.as_mut()).unwrap();
        let got = ids(&customers);
        assert_eq!(got, expected(), "{}", harness.platform());
        assert!(
            got.iter().any(|id| *id > 450),
            "{}: the customers created while paging came too",
            harness.platform()
        );
        let changed = customers.iter().filter(|c| {
            matches!(c.patch.value(&Field::Email), Some(Value::Email(e)) if e.as_str().starts_with("changed"))
        });
        assert!(
            changed.count() > 0,
            "{}: changed e-mails were read as changed",
            harness.platform()
        );
    }
}

#[test]
fn every_connector_tells_wrong_credentials_from_an_address_that_is_no_shop() {
    for harness in harnesses() {
        let (server, _) = harness.start(5);
        let mut source = connect(&config(&server.url, harness.wrong_credentials())).unwrap();
        let error = source.check().unwrap_err();
        assert!(
            matches!(error, SourceError::CredentialsRejected(_)),
            "{}: {error}",
            harness.platform()
        );

        // A web server that is no shop of the platform.
        let (other, _) =
            custio_testshops::prestashop::start(Default::default(), Default::default());
        let not_a_shop = if harness.platform() == Platform::PrestaShop {
            format!("{}not-a-shop/", other.url)
        } else {
            other.url.clone()
        };
        let mut source = connect(&config(&not_a_shop, harness.credentials())).unwrap();
        let error = source.check().unwrap_err();
        assert!(
            matches!(error, SourceError::NotThisPlatform { .. }),
            "{}: {error}",
            harness.platform()
        );
    }
}

#[test]
fn every_connector_reports_an_unreachable_shop_and_refuses_private_addresses() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    for harness in harnesses() {
        let mut source = connect(&config(&closed, harness.credentials())).unwrap();
        let error = source.check().unwrap_err();
        assert!(
            matches!(error, SourceError::Unreachable(_)),
            "{}: {error}",
            harness.platform()
        );
        assert_eq!(error.code(), "unreachable");

        let mut private = config(&closed, harness.credentials());
        private.http.allow_private = false;
        let refused = connect(&private).err().map(|e| e.code());
        assert_eq!(refused, Some("private_address"), "{}", harness.platform());
        let mut named = config(
            &closed.replace("127.0.0.1", "localhost"),
            harness.credentials(),
        );
        named.http.allow_private = false;
        let error = connect(&named).unwrap().check().unwrap_err();
        assert!(
            matches!(error, SourceError::PrivateAddress(_)),
            "{}: {error}",
            harness.platform()
        );
    }
}

#[test]
fn no_connector_shows_its_secrets_in_debug_output() {
    for harness in harnesses() {
        let credentials = harness.credentials();
        let shown = format!("{:?}", config("https://shop.example/", credentials.clone()));
        let secret = match &credentials {
            Credentials::PrestaShop { key } => key.expose().to_string(),
            Credentials::WooCommerce {
                consumer_secret, ..
            } => consumer_secret.expose().to_string(),
            Credentials::Shoper { password, .. } => password.expose().to_string(),
        };
        assert!(!shown.contains(&secret), "{}: {shown}", harness.platform());
    }
}
