//! The streaming pipeline: a file goes to the store in one pass. Parsing and validation
//! run on the calling thread, pairing and writing on a second one; a bounded channel of
//! chunks joins them, so memory does not grow with the file. Each chunk is one unit of
//! work: paired in one read, planned, and written (or staged) in one transaction.

use std::collections::BTreeSet;
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::{Duration, Instant};

use custio_formats::RowSource;
use custio_model::{Field, Value};
use custio_store::Store;
use serde::Serialize;

use crate::apply::apply;
use crate::plan::Planner;
use crate::repeats::KeyFilter;
use crate::rules::{Rules, Validated};
use crate::{EngineError, Progress};

/// Chunks that may wait between the two threads.
const QUEUE: usize = 2;

/// Where the time of a run went, stage by stage, in seconds. Parsing and validation run
/// on one thread, pairing and writing on another, so the stages may sum to more than the
/// wall time; the largest one limits the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Profile {
    /// Reading the file and splitting it into cells and typed values.
    pub parse: f64,
    /// The dialect's rules and the shop's catalogue applied to each row.
    pub validate: f64,
    /// Pairing each chunk with the stored customers and planning each row.
    pub pair: f64,
    /// The store's writes and transactions.
    pub write: f64,
    /// The whole run.
    pub wall: f64,
}

/// What the parsing side saw.
pub(crate) struct Streamed {
    pub rows: u64,
    /// Shops the rows name (for the "shop does not exist yet" warning); at most a few
    /// hundred are kept, a file naming more is told about those.
    pub shops: BTreeSet<u32>,
    pub profile: Profile,
    /// Key hashes the staged rows may repeat (a check): see [`crate::repeats`].
    pub suspects: Vec<i64>,
    /// Rows of the file read or passed over: all of them, unless a fatal error or a
    /// stopped writer ended the run early.
    pub passed: u64,
}

/// A check shared with other workers: the chunks this run stages are taken from the
/// batch's common count, and the others' are passed over unparsed. Each staged chunk is
/// recorded with the shops its rows name.
pub(crate) struct Share<'a> {
    /// Called once, when this run has a chunk of rows to check: asks one more worker to
    /// help (a file of one chunk asks no one).
    pub invite: &'a dyn Fn() -> Result<(), EngineError>,
}

/// A chunk of validated rows on its way to the writer.
struct Chunk {
    rows: Vec<Validated>,
    /// Its number in a shared check, and the shops its rows name.
    shared: Option<(u64, BTreeSet<u32>)>,
}

/// What the writing side does with a planned chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Keep the plans in the buffer (a check).
    Stage,
    /// Apply the plans at once (`import --commit`).
    Commit,
}

const MAX_SHOPS: usize = 256;

fn note_shops(row: &Validated, shops: &mut BTreeSet<u32>) {
    for field in [
        Field::Shops,
        Field::NewsletterEmailShops,
        Field::NewsletterSmsShops,
    ] {
        if let Some(Value::Ids(ids)) = row.patch.value(&field) {
            for id in ids {
                if shops.len() < MAX_SHOPS {
                    shops.insert(*id);
                }
            }
        }
    }
}

/// Streams every row of `reader` through validation, pairing and the store; in a
/// shared check, only the rows of the chunks this run takes.
pub(crate) fn stream(
    store: &dyn Store,
    reader: &mut dyn RowSource,
    rules: &Rules,
    planner: &Planner<'_>,
    mode: Mode,
    share: Option<&Share<'_>>,
    progress: &dyn Progress,
) -> Result<Streamed, EngineError> {
    let started = Instant::now();
    let chunk_rows = store.chunk_rows();
    let (sender, receiver) = sync_channel::<Chunk>(QUEUE);
    std::thread::scope(|scope| {
        let writer = std::thread::Builder::new()
            .name("custio-writer".into())
            .spawn_scoped(scope, move || write_chunks(store, planner, mode, receiver))
            .map_err(|e| EngineError::Format(e.into()))?;
        let mut streamed = Streamed {
            rows: 0,
            shops: BTreeSet::new(),
            profile: Profile::default(),
            suspects: Vec::new(),
            passed: 0,
        };
        let (mut parse, mut validate) = (Duration::ZERO, Duration::ZERO);
        let mut rows = Vec::with_capacity(chunk_rows);
        let mut failure = None;
        let mut invited = false;
        progress.start(None, "rows");
        // Timed a chunk at a time: a clock read per row costs more than some stages.
        loop {
            let t = Instant::now();
            let number = match share {
                None => None,
                Some(_) => {
                    let number = store.batches().take_chunk(planner.batch)?;
                    // Rows of chunks the other workers took are passed over.
                    let start = number * chunk_rows as u64;
                    while streamed.passed < start && failure.is_none() {
                        match reader.skip_row() {
                            None => break,
                            Some(Ok(())) => streamed.passed += 1,
                            Some(Err(e)) => failure = Some(EngineError::from(e)),
                        }
                    }
                    if streamed.passed < start {
                        parse += t.elapsed();
                        break; // The file ended before this chunk (or failed).
                    }
                    Some(number)
                }
            };
            while rows.len() < chunk_rows {
                match reader.next_row() {
                    None => break,
                    Some(Ok(row)) => rows.push(row),
                    Some(Err(e)) => {
                        failure = Some(EngineError::from(e));
                        break;
                    }
                }
            }
            streamed.passed += rows.len() as u64;
            parse += t.elapsed();
            if rows.is_empty() {
                break;
            }
            let t = Instant::now();
            let mut chunk = Vec::with_capacity(chunk_rows);
            let mut shops = BTreeSet::new();
            for row in rows.drain(..) {
                let row = rules.validate(row);
                note_shops(&row, &mut shops);
                chunk.push(row);
            }
            validate += t.elapsed();
            let last = chunk.len() < chunk_rows || failure.is_some();
            streamed.rows += chunk.len() as u64;
            if streamed.shops.len() < MAX_SHOPS {
                streamed.shops.extend(shops.iter().copied());
            }
            let chunk = Chunk {
                rows: chunk,
                shared: number.map(|n| (n, shops)),
            };
            if sender.send(chunk).is_err() || last {
                break; // A writer that stopped says why in its error.
            }
            if let (Some(share), false) = (share, invited) {
                invited = true;
                (share.invite)()?;
            }
            progress.update(streamed.passed);
        }
        drop(sender);
        let written = writer.join().map_err(|_| EngineError::WriterStopped)?;
        let Written {
            pair,
            write,
            suspects,
        } = written?;
        streamed.suspects = suspects;
        if let Some(e) = failure {
            return Err(e);
        }
        progress.update(streamed.passed);
        progress.finish();
        streamed.profile = Profile {
            parse: parse.as_secs_f64(),
            validate: validate.as_secs_f64(),
            pair: pair.as_secs_f64(),
            write: write.as_secs_f64(),
            wall: started.elapsed().as_secs_f64(),
        };
        Ok(streamed)
    })
}

/// What the writing thread did.
struct Written {
    pair: Duration,
    write: Duration,
    suspects: Vec<i64>,
}

/// The writing thread: each chunk is paired, planned and staged (or applied) in one unit
/// of work.
fn write_chunks(
    store: &dyn Store,
    planner: &Planner<'_>,
    mode: Mode,
    chunks: Receiver<Chunk>,
) -> Result<Written, EngineError> {
    let batch = planner.batch;
    let mut planner = *planner;
    let (mut pair, mut write) = (Duration::ZERO, Duration::ZERO);
    let mut filter = KeyFilter::new();
    let mut written = 0u64;
    // An import that found the base empty skips pairing, as long as the base holds only
    // what it wrote: another writer's new customers (a second import at the same time)
    // change the last id given, and from then on every chunk pairs.
    let mut last_id = None;
    for Chunk { rows, shared } in chunks {
        let started = Instant::now();
        let mut rows = Some(rows);
        let mut planned_in = Duration::ZERO;
        let unit_of_work = match mode {
            Mode::Stage => Store::staging_unit,
            Mode::Commit => Store::unit_of_work,
        };
        unit_of_work(store, &mut |unit| {
            let t = Instant::now();
            if !planner.pair_stored && unit.last_customer_id()? != last_id {
                planner.pair_stored = true;
            }
            let planned = planner.plan(unit, rows.take().unwrap_or_default())?;
            planned_in = t.elapsed();
            written += planned.len() as u64;
            match mode {
                Mode::Stage => {
                    let staged: Vec<_> = planned.into_iter().map(|p| p.staged()).collect();
                    for row in staged.iter().filter(|r| r.status.is_valid()) {
                        row.keys.iter().flatten().for_each(|h| filter.add(*h));
                    }
                    unit.stage(batch, &staged)
                }
                Mode::Commit => {
                    apply(unit, &planner, planned)?;
                    if !planner.pair_stored {
                        last_id = unit.last_customer_id()?;
                    }
                    Ok(())
                }
            }
        })?;
        if let Some((number, shops)) = shared {
            let shops: Vec<u32> = shops.into_iter().collect();
            store.batches().chunk_staged(batch, number, &shops)?;
        }
        pair += planned_in;
        write += started.elapsed() - planned_in;
        if mode == Mode::Commit
            && written >= BULK_AFTER
            && written - (store.chunk_rows() as u64) < BULK_AFTER
        {
            store.begin_bulk(written)?;
        }
    }
    Ok(Written {
        pair,
        write,
        suspects: filter.suspects(),
    })
}

/// An import that reaches this many rows tells the store it is a bulk write.
const BULK_AFTER: u64 = 50_000;
