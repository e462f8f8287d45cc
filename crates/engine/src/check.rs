//! Reading a file into a batch: the check (rows staged with their plans, nothing written
//! to the customers) and the one-pass import (`import --commit`: rows applied as they
//! stream). Both bind the header first: unknown columns stop the batch for a mapping.

use std::collections::BTreeSet;
use std::io::Read;
use std::time::{Duration, Instant};

use custio_formats::{ColumnRef, Dialect, ReadOptions, TextEncoding, UnknownColumn};
use custio_model::Field;
use custio_store::{Batch, BatchStatus, NewBatch, RowCounts, Store};
use serde::Serialize;

use crate::pipeline::{Mode, Profile, Share, stream};
use crate::plan::{Planner, repeated};
use crate::rules::{Rules, key_of};
use crate::{EngineError, ImportOptions, Progress};

/// What a check (or an import) found.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CheckReport {
    pub batch: i64,
    pub status: BatchStatus,
    pub dialect: String,
    pub encoding: Option<String>,
    /// Columns that need a mapping (status `needs_mapping`).
    pub unknown_columns: Vec<UnknownColumn>,
    /// Things to know that reject no row (shops that the commit will create).
    pub warnings: Vec<String>,
    /// Why the file could not be read (status `failed`).
    pub error: Option<String>,
    pub counts: RowCounts,
    /// Where the time went (a run that read the file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

/// The parser of a batch's rows: its dialect and header, read as the check read them.
pub(crate) fn batch_parser(batch: &Batch) -> Result<custio_formats::RowParser, EngineError> {
    let options = ImportOptions::of_batch(batch)?;
    let dialect = crate::Engine::dialect(&batch.dialect)?;
    Ok(dialect.row_parser(&batch.header, &read_options(&options)?)?)
}

/// A staged row's cells: as read where they were kept (rejected rows), else written back
/// from its patch in the file's own columns.
pub(crate) fn record_of(
    parser: &custio_formats::RowParser,
    row: &custio_store::StagedRow,
) -> Vec<String> {
    if !row.record.is_empty() {
        return row.record.clone();
    }
    let mut customer = custio_model::Customer::default();
    if let Some(patch) = &row.patch {
        patch.write_to(&mut customer);
    }
    parser.cells_of(&customer)
}

pub(crate) fn read_options(options: &ImportOptions) -> Result<ReadOptions, EngineError> {
    Ok(ReadOptions {
        encoding: options
            .encoding
            .as_deref()
            .map(str::parse::<TextEncoding>)
            .transpose()?,
        mappings: options.mappings.clone(),
        bindings: options
            .bindings
            .iter()
            .map(|(target, column)| (target.clone(), ColumnRef::parse(column)))
            .collect(),
        has_header: options.has_header,
        delimiter: options.delimiter.map(|c| c as u8),
        default_group: options.default_group.clone(),
    })
}

/// A big check that other workers may help with: they take chunks of its rows from a
/// common count, each stages its own, and the worker that opened the batch (the lead)
/// waits for every chunk before it looks for repeated keys across all of them.
pub(crate) struct Sharing<'a> {
    /// Queues a job that asks one more worker to help with the batch.
    pub invite: &'a dyn Fn(i64) -> Result<(), EngineError>,
    /// Opens the file again: when the chunks stop coming in (a helper stopped), the lead
    /// checks the whole file itself (a row staged twice is replaced).
    pub reopen: &'a dyn Fn() -> Result<Box<dyn Read + 'a>, EngineError>,
    /// How long the staged chunks may stay as they are before the lead stops waiting.
    pub patience: Duration,
}

/// Reads `input` into a new batch as `reading` says: staging (`Mode::Stage`) or applying
/// (`Mode::Commit`) every row, a check with `sharing` sharing its rows with the workers
/// that help. A file that cannot be read at all leaves a `failed` batch with the reason.
pub(crate) fn read(
    store: &dyn Store,
    reading: &Reading<'_, '_>,
    input: Box<dyn Read + '_>,
    source: &str,
    progress: &dyn Progress,
) -> Result<CheckReport, EngineError> {
    let Reading {
        dialect,
        options,
        mode,
        ..
    } = *reading;
    let read_options = read_options(options)?;
    let batches = store.batches();
    let id = batches.create(&NewBatch {
        source: source.to_string(),
        dialect: dialect.id().to_string(),
        options: serde_json::to_value(options).expect("options serialise"),
    })?;
    let mut batch = batches.get(id)?.ok_or(EngineError::BatchNotFound(id))?;
    let mut profile = None;
    let outcome = dialect
        .open_reader(input, &read_options)
        .map_err(EngineError::from)
        .and_then(|reader| reading.rows(store, &mut batch, reader, progress));
    match outcome {
        Ok(p) => profile = p,
        Err(err) => {
            batch.status = BatchStatus::Failed;
            batch.error = Some(format!("{source}: {err}"));
        }
    }
    if mode == Mode::Commit {
        store.finish_bulk()?;
    }
    batches.update(&batch)?;
    let mut report = report(store, &batch)?;
    report.profile = profile;
    Ok(report)
}

/// How a file is read into its batch.
pub(crate) struct Reading<'a, 'b> {
    pub dialect: &'static dyn Dialect,
    pub options: &'a ImportOptions,
    pub mode: Mode,
    pub sharing: Option<&'a Sharing<'b>>,
}

impl Reading<'_, '_> {
    fn rows(
        &self,
        store: &dyn Store,
        batch: &mut Batch,
        mut reader: Box<dyn custio_formats::RowSource + '_>,
        progress: &dyn Progress,
    ) -> Result<Option<Profile>, EngineError> {
        let Reading {
            dialect,
            options,
            mode,
            sharing,
        } = *self;
        let binding = reader.binding();
        batch.header = binding.header.clone();
        let ignored: Vec<String> = binding
            .unknown
            .iter()
            .map(|c| format!("'{}'", c.header.trim()))
            .collect();
        let ignored = (!ignored.is_empty()).then(|| {
            format!(
                "{} ignores columns it does not know: {}",
                dialect.name(),
                custio_formats::listed(&ignored, 10)
            )
        });
        if ignored.is_some() && !dialect.rules().ignore_unknown_columns {
            batch.status = BatchStatus::NeedsMapping;
            batch.unknown_columns =
                serde_json::to_value(&binding.unknown).expect("unknown columns serialise");
            return Ok(None);
        }
        let mut rules = Rules::new(store.catalog(), dialect)?;
        rules.writes_customers = mode == Mode::Commit;
        // An import into an empty base pairs with nothing stored; a dialect that pairs by
        // guid (a generated guid may repeat one of the file) still pairs.
        let empty = mode == Mode::Commit
            && !rules.rules().pair_by.contains(&Field::Guid)
            && store.customers().count(&Default::default())? == 0;
        let planner = Planner {
            rules: &rules,
            on_existing: options.on_existing,
            batch: batch.id,
            committing: mode == Mode::Commit,
            pair_stored: !empty,
        };
        let run = |reader: &mut dyn custio_formats::RowSource, share: Option<&Share<'_>>| {
            stream(store, reader, &rules, &planner, mode, share, progress)
        };
        let streamed = match (mode, sharing) {
            (Mode::Stage, Some(sharing)) => {
                let invite = || (sharing.invite)(batch.id);
                let mut streamed = run(reader.as_mut(), Some(&Share { invite: &invite }))?;
                let chunks = streamed.passed.div_ceil(store.chunk_rows() as u64);
                match wait_for_chunks(store, batch.id, chunks, sharing.patience)? {
                    Some(shops) => {
                        streamed.suspects = store.batches().shared_hashes(batch.id)?;
                        streamed.shops = shops.into_iter().collect();
                        streamed
                    }
                    None => {
                        tracing::warn!(
                            "batch {}: the workers helping with its check stopped; checking the whole file here",
                            batch.id
                        );
                        let input = (sharing.reopen)()?;
                        run(
                            dialect
                                .open_reader(input, &read_options(options)?)?
                                .as_mut(),
                            None,
                        )?
                    }
                }
            }
            _ => run(reader.as_mut(), None)?,
        };
        if mode == Mode::Stage {
            mark_repeated(store, &rules, batch.id, &streamed.suspects)?;
        }
        batch.warnings = shop_warnings(store, &streamed.shops)?;
        batch.warnings.extend(ignored);
        batch.encoding = Some(reader.encoding().name().to_string());
        batch.status = match mode {
            Mode::Stage => BatchStatus::Checked,
            Mode::Commit => BatchStatus::Committed,
        };
        Ok(Some(streamed.profile))
    }
}

/// Waits until the `chunks` chunks of a shared check are staged; returns the shops their
/// rows name, or `None` when none was staged for `patience` (a helper stopped).
fn wait_for_chunks(
    store: &dyn Store,
    batch: i64,
    chunks: u64,
    patience: Duration,
) -> Result<Option<Vec<u32>>, EngineError> {
    let mut seen = (u64::MAX, Instant::now());
    loop {
        let (staged, shops) = store.batches().staged_chunks(batch)?;
        if staged >= chunks {
            return Ok(Some(shops));
        }
        if staged != seen.0 {
            seen = (staged, Instant::now());
        } else if seen.1.elapsed() > patience {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A helper's part of a shared check of `batch` (still `checking`): the chunks it takes
/// of `input`, staged. Returns how many rows it checked.
pub(crate) fn help(
    store: &dyn Store,
    batch: &Batch,
    input: Box<dyn Read + '_>,
    invite: &dyn Fn() -> Result<(), EngineError>,
    progress: &dyn Progress,
) -> Result<u64, EngineError> {
    let options = ImportOptions::of_batch(batch)?;
    let dialect = crate::Engine::dialect(&batch.dialect)?;
    let mut reader = dialect.open_reader(input, &read_options(&options)?)?;
    let rules = Rules::new(store.catalog(), dialect)?;
    let planner = Planner {
        rules: &rules,
        on_existing: options.on_existing,
        batch: batch.id,
        committing: false,
        pair_stored: true,
    };
    let share = Share { invite };
    let streamed = stream(
        store,
        reader.as_mut(),
        &rules,
        &planner,
        Mode::Stage,
        Some(&share),
        progress,
    )?;
    Ok(streamed.rows)
}

fn shop_warnings(store: &dyn Store, shops: &BTreeSet<u32>) -> Result<Vec<String>, EngineError> {
    let known: Vec<u32> = store.catalog().shops()?.iter().map(|s| s.id).collect();
    Ok(shops
        .iter()
        .filter(|id| !known.contains(id))
        .map(|id| format!("shop {id} does not exist yet; the commit creates it as 'Shop {id}' (rename it with custio shops add {id} NAME)"))
        .collect())
}

/// After a check: rows whose login or e-mail appeared on an earlier valid row are
/// rejected (or, where the dialect imports the first occurrence only, skipped). The
/// buffer finds the rows with a suspect hash in one pass; each is confirmed by its real
/// key.
fn mark_repeated(
    store: &dyn Store,
    rules: &Rules,
    batch: i64,
    suspects: &[i64],
) -> Result<(), EngineError> {
    let batches = store.batches();
    let mut changed: Vec<custio_store::StagedRow> = Vec::new();
    for found in batches.repeated_keys(batch, suspects)? {
        let field = [Field::Login, Field::Email][found.key].clone();
        let Some(first) = batches.row(batch, found.first)? else {
            continue;
        };
        // A line repeated by both its login and its e-mail comes twice in a row.
        let again = changed
            .last()
            .is_some_and(|r: &custio_store::StagedRow| r.line == found.line);
        let row = if again {
            changed.pop()
        } else {
            batches.row(batch, found.line)?
        };
        let Some(mut row) = row else { continue };
        let key = |r: &custio_store::StagedRow| r.patch.as_ref().and_then(|p| key_of(&field, p));
        let Some(value) = key(&row).filter(|k| Some(k) == key(&first).as_ref()) else {
            if again {
                changed.push(row);
            }
            continue;
        };
        repeated(rules, &field, value.value(), found.first).mark(&mut row);
        changed.push(row);
        if changed.len() == store.chunk_rows() {
            batches.put_rows(batch, &changed)?;
            changed.clear();
        }
    }
    batches.put_rows(batch, &changed)?;
    Ok(())
}

pub(crate) fn report(store: &dyn Store, batch: &Batch) -> Result<CheckReport, EngineError> {
    Ok(CheckReport {
        batch: batch.id,
        status: batch.status,
        dialect: batch.dialect.clone(),
        encoding: batch.encoding.clone(),
        unknown_columns: serde_json::from_value(batch.unknown_columns.clone()).unwrap_or_default(),
        warnings: batch.warnings.clone(),
        error: batch.error.clone(),
        counts: store.batches().counts(batch.id)?,
        profile: None,
    })
}
