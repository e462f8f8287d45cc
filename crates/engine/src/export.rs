//! Export: stream customers out of the store, a keyset page at a time, into any dialect.
//! One thread reads and decodes pages, the calling thread writes them; a bounded channel
//! joins the two, so memory does not grow with the base. When the writer falls behind, the
//! reader renders CSV records itself, so formatting uses both threads.

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};

use chrono::Local;
use custio_formats::{Dialect, FormatError, RecordRenderer, WriteOptions};
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
    let renderer = sink.renderer();
    let (pages, received) = std::sync::mpsc::sync_channel::<Page>(2);
    // Written pages go back to the reader to be freed where they were allocated.
    let (spent, written_pages) = std::sync::mpsc::channel::<Vec<Customer>>();
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || read(store, query, renderer, pages, written_pages));
        let mut done = 0;
        let mut written = Ok(());
        for page in received {
            let (count, failed) = match page {
                Page::Customers(customers) => {
                    let failed = customers.iter().try_for_each(|c| sink.write_customer(c));
                    let count = customers.len() as u64;
                    let _ = spent.send(customers); // A finished reader frees nothing more.
                    (count, failed.err())
                }
                Page::Rendered {
                    records,
                    count,
                    failed,
                } => match sink.write_rendered(&records, count) {
                    Ok(()) => (count, failed),
                    Err(e) => (count, Some(e)),
                },
            };
            if let Some(e) = failed {
                written = Err(e);
                break;
            }
            done += count;
            progress.update(done);
        }
        reader.join().map_err(|_| EngineError::WriterStopped)??;
        written?;
        progress.finish();
        Ok(sink.finish()?)
    })
}

/// What the reader hands the writer.
enum Page {
    /// Customers for the sink to write.
    Customers(Vec<Customer>),
    /// Records the reader rendered itself while the writer was busy; `failed` stopped the
    /// rendering after `count` records.
    Rendered {
        records: Vec<u8>,
        count: u64,
        failed: Option<FormatError>,
    },
}

/// Reads the customers a page at a time. When the writer is behind and the sink's records
/// stand alone (CSV), renders the page here rather than wait: the two threads share the
/// formatting, whichever is free.
fn read(
    store: &dyn Store,
    query: &CustomerQuery,
    mut renderer: Option<Box<dyn RecordRenderer>>,
    pages: SyncSender<Page>,
    written: Receiver<Vec<Customer>>,
) -> Result<(), EngineError> {
    let mut sent = 0;
    store
        .customers()
        .scan(query, PAGE.max(store.chunk_rows()), &mut |page| {
            written.try_iter().for_each(drop);
            let count = page.len() as u64;
            let went = match pages.try_send(Page::Customers(page)) {
                Ok(()) => true,
                // The writer stopped: its error says why.
                Err(TrySendError::Disconnected(_)) => false,
                Err(TrySendError::Full(page)) => {
                    let page = match (page, renderer.as_deref_mut()) {
                        (Page::Customers(customers), Some(renderer)) => {
                            render(renderer, &customers, sent + 1)
                        }
                        (page, _) => page,
                    };
                    pages.send(page).is_ok()
                }
            };
            sent += count;
            went
        })?;
    Ok(())
}

/// Renders `customers`, the first being the file's row `first_row`, up to the first that
/// fails.
fn render(renderer: &mut dyn RecordRenderer, customers: &[Customer], first_row: u64) -> Page {
    let mut records = Vec::with_capacity(customers.len() * 256);
    let mut count = 0;
    let mut failed = None;
    for customer in customers {
        if let Err(e) = renderer.render(customer, first_row + count, &mut records) {
            failed = Some(e);
            break;
        }
        count += 1;
    }
    Page::Rendered {
        records,
        count,
        failed,
    }
}
