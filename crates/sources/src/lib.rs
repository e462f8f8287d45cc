//! Connectors to the customer APIs of the shop platforms custio migrates from: Shoper,
//! PrestaShop and WooCommerce. Pages of platform records in, [`SourceCustomer`]s (a
//! [`CustomerPatch`] and the record's id on the platform) out; no database.
//!
//! Each platform is a directory (`shoper/`, `prestashop/`, `woocommerce/`): how it
//! authenticates, how it pages, and a mapping table from its fields to custio's, from
//! which `docs/migrations.md` is generated. They share the HTTP policy of [`http`]
//! (timeouts, retries with backoff and jitter, `Retry-After`, pacing) and the address
//! guard of [`address`].
//!
//! ```no_run
//! use custio_sources::{connect, Credentials, Cursor, SourceConfig};
//!
//! let config = SourceConfig::new(
//!     "https://shop.example/",
//!     Credentials::PrestaShop { key: "0123456789ABCDEF0123456789ABCDEF".into() },
//! );
//! let mut source = connect(&config)?;
//! source.check()?;
//! let mut cursor = Cursor::default();
//! loop {
//!     let page = source.page(&cursor)?;
//!     for customer in &page.customers {
//!         println!("{}: {:?}", customer.id, customer.patch.value(&custio_model::Field::Email));
//!     }
//!     match page.next {
//!         Some(next) => cursor = next,
//!         None => break,
//!     }
//! }
//! # Ok::<(), custio_sources::SourceError>(())
//! ```

pub mod address;
mod error;
pub mod http;
mod lenient;
pub mod mapping;
mod paging;
pub mod prestashop;
pub mod shoper;
pub mod woocommerce;

use std::fmt;

use custio_model::CustomerPatch;
use serde::{Deserialize, Serialize};

pub use error::{Result, SourceError};
pub use http::HttpPolicy;

/// A platform custio migrates from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Shoper,
    PrestaShop,
    WooCommerce,
}

impl Platform {
    pub const ALL: [Platform; 3] = [
        Platform::Shoper,
        Platform::PrestaShop,
        Platform::WooCommerce,
    ];

    /// The name in commands and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Platform::Shoper => "shoper",
            Platform::PrestaShop => "prestashop",
            Platform::WooCommerce => "woocommerce",
        }
    }

    /// The name people know.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Shoper => "Shoper",
            Platform::PrestaShop => "PrestaShop",
            Platform::WooCommerce => "WooCommerce",
        }
    }

    pub fn parse(id: &str) -> Option<Platform> {
        Platform::ALL
            .into_iter()
            .find(|p| p.id() == id.trim().to_ascii_lowercase())
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A secret (a key, a password): never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the request that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How custio proves itself to a shop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "platform", rename_all = "lowercase")]
pub enum Credentials {
    /// A consumer key and secret (WooCommerce → Settings → Advanced → REST API), with
    /// read permission.
    #[serde(rename = "woocommerce")]
    WooCommerce {
        consumer_key: Secret,
        consumer_secret: Secret,
    },
    /// A webservice key (PrestaShop → Advanced parameters → Webservice) that may GET
    /// customers, addresses, countries, languages and groups.
    #[serde(rename = "prestashop")]
    PrestaShop { key: Secret },
    /// An administrator's login and password with WebAPI access.
    Shoper { login: String, password: Secret },
}

impl Credentials {
    pub fn platform(&self) -> Platform {
        match self {
            Credentials::WooCommerce { .. } => Platform::WooCommerce,
            Credentials::PrestaShop { .. } => Platform::PrestaShop,
            Credentials::Shoper { .. } => Platform::Shoper,
        }
    }
}

/// What to do with the accounts a platform keeps beside its customers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordPolicy {
    /// Guest accounts (PrestaShop `is_guest`, Shoper `registered = 0`): imported as
    /// customers without an account when true, left out (and counted) when false.
    pub guests: bool,
    /// Deleted customers (PrestaShop `deleted`): always left out and counted unless true.
    pub deleted: bool,
}

/// Where and how to reach a shop.
#[derive(Clone, Debug)]
pub struct SourceConfig {
    pub url: String,
    pub credentials: Credentials,
    pub policy: RecordPolicy,
    pub http: HttpPolicy,
}

impl SourceConfig {
    pub fn new(url: &str, credentials: Credentials) -> Self {
        Self {
            url: url.to_string(),
            credentials,
            policy: RecordPolicy::default(),
            http: HttpPolicy::default(),
        }
    }
}

/// Where a fetch stands: every customer up to `last_id` has been read. Kept as the
/// migration's checkpoint, so a fetch that stopped goes on from there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The highest source id read (source ids rise as customers are created).
    pub last_id: u64,
    /// How many records of the listing came before it, for platforms that page by
    /// offset: where to look first.
    pub seen: u64,
}

/// One customer read from a shop.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceCustomer {
    /// The customer's id on the platform.
    pub id: u64,
    pub patch: CustomerPatch,
    /// Values the platform holds that custio could not take, each as `field: reason`.
    pub problems: Vec<String>,
}

/// A record a policy left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub id: u64,
    /// `guest` or `deleted`.
    pub reason: String,
}

/// One page of a fetch.
#[derive(Debug, Default)]
pub struct Page {
    pub customers: Vec<SourceCustomer>,
    pub skipped: Vec<Skipped>,
    /// Where the next page starts; `None` after the last.
    pub next: Option<Cursor>,
    /// How many customers the shop says it has, where it says so.
    pub total: Option<u64>,
}

/// What a connection check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    /// How many customers the shop says it has, where it says so.
    pub customers: Option<u64>,
}

/// A connection to one shop.
pub trait Connector: Send {
    fn platform(&self) -> Platform;

    /// Proves the address is a shop of the platform and the credentials may read its
    /// customers and their addresses.
    fn check(&mut self) -> Result<Connection>;

    /// The customers after `cursor`, in ascending id order.
    fn page(&mut self, cursor: &Cursor) -> Result<Page>;
}

/// A connector for the platform the credentials are for.
pub fn connect(config: &SourceConfig) -> Result<Box<dyn Connector>> {
    Ok(match config.credentials.platform() {
        Platform::Shoper => Box::new(shoper::Shoper::new(config)?),
        Platform::PrestaShop => Box::new(prestashop::PrestaShop::new(config)?),
        Platform::WooCommerce => Box::new(woocommerce::WooCommerce::new(config)?),
    })
}
