// Each test binary uses a different part of these helpers.
#![allow(dead_code)]

//! Helpers of the connectors' platform tests: a quick retry policy, and a whole fetch.

use std::time::Duration;

use custio_model::Field;
use custio_sources::{
    Connector, Credentials, Cursor, HttpPolicy, Page, SourceConfig, SourceCustomer, connect,
};

/// Credentials for the test shop at `url`, with quick retries and private addresses allowed.
pub fn config(url: &str, credentials: Credentials) -> SourceConfig {
    let mut config = SourceConfig::new(url, credentials);
    config.http = HttpPolicy {
        attempts: 3,
        first_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        allow_private: true,
        ..HttpPolicy::default()
    };
    config
}

pub fn source(url: &str, credentials: Credentials) -> Box<dyn Connector> {
    connect(&config(url, credentials)).unwrap()
}

/// Every page of a whole fetch.
pub fn pages(source: &mut dyn Connector) -> Vec<Page> {
    let mut cursor = Cursor::default();
    let mut out = Vec::new();
    loop {
        let page = source.page(&cursor).unwrap();
        let next = page.next;
        out.push(page);
        match next {
            Some(next) => cursor = next,
            None => return out,
        }
    }
}

/// Every customer of a whole fetch.
pub fn all(source: &mut dyn Connector) -> Vec<SourceCustomer> {
    pages(source)
        .into_iter()
        .flat_map(|p| p.customers)
        .collect()
}

/// A field's value as its canonical text.
pub fn text(customer: &SourceCustomer, field: Field) -> Option<String> {
    customer.patch.value(&field).map(|v| v.to_string())
}
