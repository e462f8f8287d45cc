//! The review step: edit a staged row (re-validated at once) or skip rows.

use custio_formats::Dialect;
use custio_model::{Field, RowNote};
use custio_store::{Batch, BatchStatus, RowFilter, RowStatus, StagedRow, Store};

use crate::check::read_options;
use crate::evaluate::Evaluator;
use crate::{EngineError, ImportOptions};

pub(crate) fn batch_options(batch: &Batch) -> ImportOptions {
    serde_json::from_value(batch.options.clone()).unwrap_or_default()
}

fn ensure_reviewable(batch: &Batch) -> Result<(), EngineError> {
    match batch.status {
        BatchStatus::Checked | BatchStatus::Committed => Ok(()),
        other => Err(EngineError::NotAllowed(format!(
            "batch {} is {}; only checked batches can be reviewed",
            batch.id,
            other.as_str()
        ))),
    }
}

/// Sets `name` (a field or one of the file's columns) to `value` on the row at `line`,
/// then re-validates the whole row exactly as the check did.
pub(crate) fn edit_row(
    store: &dyn Store,
    dialect: &'static dyn Dialect,
    batch: &Batch,
    line: u64,
    name: &str,
    value: &str,
) -> Result<StagedRow, EngineError> {
    ensure_reviewable(batch)?;
    let row = store
        .staged_row(batch.id, line)?
        .ok_or(EngineError::RowNotFound {
            batch: batch.id,
            line,
        })?;
    if matches!(row.status, RowStatus::Imported) {
        return Err(EngineError::NotAllowed(format!(
            "line {line} is already imported; edit the customer instead"
        )));
    }
    let options = batch_options(batch);
    let parser = dialect.row_parser(&batch.header, &read_options(&options)?)?;
    let mut cells = row.cells;
    let mut edits = row.edits;
    match parser.column_of(name) {
        Some(index) if index < cells.len() => cells[index] = value.to_string(),
        _ => {
            let field = Field::parse(name).map_err(|e| EngineError::InvalidEdit(e.to_string()))?;
            edits.insert(field.name().into_owned(), value.to_string());
        }
    }
    let evaluator = Evaluator::new(store, dialect, batch.id, options.on_existing)?;
    let (mut staged, _) = evaluator.evaluate(parser.parse(line, cells), edits, &[])?;
    if row.status == RowStatus::Skipped && staged.status == RowStatus::Pending {
        staged.status = RowStatus::Skipped;
        staged.note = row.note;
    }
    store.update_staged_row(batch.id, &staged)?;
    Ok(staged)
}

/// Marks the rows at `lines` skipped; returns how many changed. Imported rows stay.
pub(crate) fn skip_rows(
    store: &dyn Store,
    batch: &Batch,
    lines: &[u64],
) -> Result<u64, EngineError> {
    ensure_reviewable(batch)?;
    let filter = RowFilter {
        statuses: Vec::new(),
        lines: Some(lines.to_vec()),
    };
    let rows = store.staged_rows(batch.id, &filter, None, lines.len().max(1))?;
    if let Some(missing) = lines.iter().find(|l| !rows.iter().any(|r| r.line == **l)) {
        return Err(EngineError::RowNotFound {
            batch: batch.id,
            line: *missing,
        });
    }
    let mut changed = 0;
    for mut row in rows {
        if matches!(
            row.status,
            RowStatus::Pending | RowStatus::Invalid | RowStatus::Failed
        ) {
            row.status = RowStatus::Skipped;
            row.note = Some(RowNote::SkippedByUser);
            store.update_staged_row(batch.id, &row)?;
            changed += 1;
        }
    }
    Ok(changed)
}
