//! Export: stream customers out of the store, a keyset page at a time, into any dialect.

use std::io::Write;

use chrono::Local;
use custio_formats::{Dialect, WriteOptions};
use custio_store::{AuditEntry, CustomerQuery, Store};

use crate::{EngineError, Progress};

/// Customers read from the store per page.
const PAGE: usize = 1000;

pub(crate) fn export(
    store: &dyn Store,
    dialect: &'static dyn Dialect,
    mut options: WriteOptions,
    query: &CustomerQuery,
    out: Box<dyn Write + '_>,
    actor: &str,
    progress: &dyn Progress,
) -> Result<u64, EngineError> {
    options.shop_ids = store.catalog().shops()?.iter().map(|s| s.id).collect();
    options.custom_field_keys = store.customers().custom_field_keys()?;
    if options.with_password_hashes {
        store.audit().record(&AuditEntry {
            at: Local::now().naive_local(),
            actor: actor.to_string(),
            action: "export_with_password_hashes".into(),
            detail: format!(
                "format {}, search {:?}, shop {:?}",
                dialect.id(),
                query.search,
                query.shop
            ),
        })?;
    }
    let mut sink = dialect.open_writer(out, &options)?;
    let customers = store.customers();
    progress.start(Some(customers.count(query)?), "customers");
    let mut after = None;
    let mut done = 0;
    loop {
        let page = customers.page(query, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for customer in &page {
            sink.write_customer(customer)?;
        }
        done += page.len() as u64;
        progress.update(done);
    }
    progress.finish();
    Ok(sink.finish()?)
}
