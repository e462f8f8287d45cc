//! The commit step: apply the chosen pending rows, a chunk per transaction, each row ending
//! imported or failed with its reason. Every change goes to the journal.

use std::collections::BTreeMap;

use custio_formats::{Dialect, SourceRow};
use custio_model::{IssueCode, KeyClash, RowIssue, RowNote};
use custio_store::{
    Batch, BatchStatus, CommitOp, RowCounts, RowFilter, RowStatus, StagedRow, Store, StoreError,
    TakenKey,
};

use crate::evaluate::{Evaluator, Plan};
use crate::review::batch_options;
use crate::{EngineError, Progress};

/// Rows per commit transaction.
const CHUNK: usize = 500;

pub(crate) fn commit(
    store: &dyn Store,
    dialect: &'static dyn Dialect,
    batch: &mut Batch,
    lines: Option<Vec<u64>>,
    progress: &dyn Progress,
) -> Result<RowCounts, EngineError> {
    if !matches!(batch.status, BatchStatus::Checked | BatchStatus::Committed) {
        return Err(EngineError::NotAllowed(format!(
            "batch {} is {}; only a checked batch can be committed",
            batch.id,
            batch.status.as_str()
        )));
    }
    let options = batch_options(batch);
    let mut evaluator = Evaluator::new(store, dialect, batch.id, options.on_existing)?;
    evaluator.find_duplicates = false;
    let filter = RowFilter {
        statuses: vec![RowStatus::Pending],
        lines,
    };
    progress.start(Some(store.row_counts(batch.id)?.pending), "rows");
    let mut after = None;
    let mut done = 0;
    loop {
        let rows = store.staged_rows(batch.id, &filter, after, CHUNK)?;
        let Some(last) = rows.last() else { break };
        after = Some(last.line);
        let ops = rows
            .into_iter()
            .map(|row| plan_row(&evaluator, row))
            .collect::<Result<Vec<_>, _>>()?;
        apply(store, batch.id, &ops)?;
        done += ops.len() as u64;
        progress.update(done);
    }
    progress.finish();
    if store.row_counts(batch.id)?.pending == 0 {
        batch.status = BatchStatus::Committed;
        store.update_batch(batch)?;
    }
    Ok(store.row_counts(batch.id)?)
}

/// Re-evaluates a pending row against the store as it is now and turns it into an op.
fn plan_row(evaluator: &Evaluator, row: StagedRow) -> Result<CommitOp, EngineError> {
    let line = row.line;
    let source = SourceRow {
        line,
        cells: row.cells,
        patch: row.patch,
        issues: Vec::new(),
    };
    let (staged, plan) = evaluator.evaluate(source, BTreeMap::new(), &[])?;
    Ok(match plan {
        Some(Plan::Insert(customer)) => CommitOp::Insert { line, customer },
        Some(Plan::Update { before, after }) => CommitOp::Update {
            line,
            before,
            after,
        },
        Some(Plan::Unchanged) => CommitOp::Outcome {
            line,
            status: RowStatus::Imported,
            note: staged
                .customer_id
                .map(|customer| RowNote::Unchanged { customer }),
            issues: Vec::new(),
        },
        None if staged.status == RowStatus::Skipped => CommitOp::Outcome {
            line,
            status: RowStatus::Skipped,
            note: staged.note,
            issues: Vec::new(),
        },
        None => CommitOp::Outcome {
            line,
            status: RowStatus::Failed,
            note: None,
            issues: staged.issues,
        },
    })
}

/// Commits a chunk; when a row conflicts with another (a unique key taken meanwhile), the
/// chunk is retried row by row so that only that row fails.
fn apply(store: &dyn Store, batch: i64, ops: &[CommitOp]) -> Result<(), EngineError> {
    match store.commit_chunk(batch, ops) {
        Ok(_) => Ok(()),
        Err(StoreError::Taken { .. }) if ops.len() > 1 => {
            for op in ops {
                apply(store, batch, std::slice::from_ref(op))?;
            }
            Ok(())
        }
        Err(StoreError::Taken { key, value, .. }) => {
            let line = match &ops[0] {
                CommitOp::Insert { line, .. }
                | CommitOp::Update { line, .. }
                | CommitOp::Outcome { line, .. } => *line,
            };
            let clash = KeyClash {
                customer: None,
                paired_by: None,
                stored: None,
            };
            let (code, field) = match key {
                TakenKey::Login => (IssueCode::LoginTaken(clash), "login"),
                TakenKey::Guid => (IssueCode::GuidTaken(clash), "guid"),
                _ => (IssueCode::EmailTaken(clash), "email"),
            };
            store.commit_chunk(
                batch,
                &[CommitOp::Outcome {
                    line,
                    status: RowStatus::Failed,
                    note: None,
                    issues: vec![RowIssue::field(code, field).with_value(value)],
                }],
            )?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
