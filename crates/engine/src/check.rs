//! The check step: stream the file once, bind its header, evaluate every row and stage it.

use std::collections::BTreeSet;
use std::io::Read;

use custio_model::{Field, Value};

use custio_formats::{Dialect, ReadOptions, RowSource, TextEncoding, UnknownColumn};
use custio_store::{Batch, BatchStatus, NewBatch, RowCounts, StagedRow, Store};
use serde::Serialize;

use crate::evaluate::Evaluator;
use crate::{EngineError, ImportOptions, Progress};

/// Rows staged per transaction.
pub(crate) const CHUNK: usize = 1000;

/// What a check found.
#[derive(Clone, Debug, Serialize)]
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
}

pub(crate) fn read_options(options: &ImportOptions) -> Result<ReadOptions, EngineError> {
    Ok(ReadOptions {
        encoding: options
            .encoding
            .as_deref()
            .map(str::parse::<TextEncoding>)
            .transpose()?,
        mappings: options.mappings.clone(),
        has_header: options.has_header,
        ..ReadOptions::default()
    })
}

/// Runs the check of `input` into a new batch. A file that cannot be read at all leaves a
/// `failed` batch with the reason; the customers are never touched.
pub(crate) fn check(
    store: &dyn Store,
    dialect: &'static dyn Dialect,
    input: Box<dyn Read + '_>,
    source: &str,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<CheckReport, EngineError> {
    let read_options = read_options(options)?;
    let id = store.create_batch(&NewBatch {
        source: source.to_string(),
        dialect: dialect.id().to_string(),
        options: serde_json::to_value(options).expect("options serialise"),
    })?;
    let mut batch = store.batch(id)?.ok_or(EngineError::BatchNotFound(id))?;
    let outcome = dialect
        .open_reader(input, &read_options)
        .map_err(EngineError::from)
        .and_then(|reader| stage_all(store, dialect, &mut batch, reader, options, progress));
    if let Err(err) = outcome {
        batch.status = BatchStatus::Failed;
        batch.error = Some(format!("{source}: {err}"));
    }
    store.update_batch(&batch)?;
    report(store, &batch)
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
        counts: store.row_counts(batch.id)?,
    })
}

fn stage_all(
    store: &dyn Store,
    dialect: &'static dyn Dialect,
    batch: &mut Batch,
    mut reader: Box<dyn RowSource + '_>,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<(), EngineError> {
    let binding = reader.binding();
    batch.header = binding.header.clone();
    if !binding.unknown.is_empty() {
        batch.status = BatchStatus::NeedsMapping;
        batch.unknown_columns =
            serde_json::to_value(&binding.unknown).expect("unknown columns serialise");
        return Ok(());
    }
    let evaluator = Evaluator::new(store, dialect, batch.id, options.on_existing);
    let mut chunk: Vec<StagedRow> = Vec::with_capacity(CHUNK);
    let mut done = 0u64;
    let mut shops = BTreeSet::new();
    progress.start(None, "rows");
    while let Some(row) = reader.next_row() {
        let (staged, _) = evaluator.evaluate(row?, Default::default(), &chunk)?;
        for field in [
            Field::Shops,
            Field::NewsletterEmailShops,
            Field::NewsletterSmsShops,
        ] {
            if let Some(Value::Ids(ids)) = staged.patch.value(&field) {
                shops.extend(ids.iter().copied());
            }
        }
        chunk.push(staged);
        if chunk.len() == CHUNK {
            store.stage_rows(batch.id, &chunk)?;
            chunk.clear();
        }
        done += 1;
        if done.is_multiple_of(256) {
            progress.update(done);
        }
    }
    store.stage_rows(batch.id, &chunk)?;
    progress.update(done);
    progress.finish();
    let known: Vec<u32> = store.shops()?.iter().map(|s| s.id).collect();
    batch.warnings = shops
        .into_iter()
        .filter(|id| !known.contains(id))
        .map(|id| format!("shop {id} does not exist yet; the commit creates it as 'Shop {id}' (rename it with custio shops add {id} NAME)"))
        .collect();
    batch.encoding = Some(reader.encoding().name().to_string());
    batch.status = BatchStatus::Checked;
    Ok(())
}
