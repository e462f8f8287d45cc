//! Export: stream customers out of the store, a keyset page at a time, into any dialect.
//! One thread reads and decodes pages, the calling thread writes them; a bounded channel
//! joins the two, so memory does not grow with the base.

use std::io::Write;

use chrono::Local;
use custio_formats::{Dialect, WriteOptions};
use custio_model::Customer;
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
    progress.start(Some(store.customers().count(query)?), "customers");
    let (pages, received) = std::sync::mpsc::sync_channel::<Vec<Customer>>(2);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<(), EngineError> {
            let mut after = None;
            loop {
                let page = store.customers().page(query, after, PAGE)?;
                let Some(last) = page.last() else { break };
                after = last.id;
                if pages.send(page).is_err() {
                    break; // The writer stopped: its error says why.
                }
            }
            Ok(())
        });
        let mut done = 0;
        let mut written = Ok(());
        for page in received {
            if let Err(e) = page.iter().try_for_each(|c| sink.write_customer(c)) {
                written = Err(e);
                break;
            }
            done += page.len() as u64;
            progress.update(done);
        }
        reader.join().map_err(|_| EngineError::WriterStopped)??;
        written?;
        progress.finish();
        Ok(sink.finish()?)
    })
}
