//! Committing a checked batch: the chosen pending rows are read back from the buffer a
//! chunk at a time and their stored plans applied, one transaction per chunk. A row is
//! not evaluated again: its plan is applied as it is when the paired customer is still at
//! the version the check saw. When someone changed the customer since (the panel, the
//! API, another import), the row still applies if every field it sets is as the check
//! saw it; otherwise it fails with its reason, and the other change is never overwritten.

use std::collections::HashMap;

use custio_formats::Dialect;
use custio_model::{Change, Customer, CustomerPatch, FieldChange, IssueCode, RowIssue};
use custio_store::{
    Batch, BatchStatus, CustomerRow, RowAction, RowCounts, RowFilter, RowStatus, StagedRow, Store,
    Stored, Unit,
};

use crate::apply::apply;
use crate::plan::{Paired, PlannedRow, Planner, Step};
use crate::rules::Rules;
use crate::{EngineError, ImportOptions, Progress};

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
    let options = ImportOptions::of_batch(batch)?;
    let rules = Rules::new(store.catalog(), dialect)?;
    let planner = Planner {
        rules: &rules,
        on_existing: options.on_existing,
        batch: batch.id,
        committing: true,
        pair_stored: true,
    };
    let batches = store.batches();
    let pending = batches.counts(batch.id)?.pending;
    progress.start(Some(pending), "rows");
    store.begin_bulk(pending)?;
    let filter = RowFilter {
        statuses: vec![RowStatus::Pending],
        lines,
    };
    let mut after = None;
    let mut done = 0;
    loop {
        let rows = batches.rows(batch.id, &filter, after, store.chunk_rows())?;
        let Some(last) = rows.last() else { break };
        after = Some(last.line);
        done += rows.len() as u64;
        let mut rows = Some(rows);
        store.unit_of_work(&mut |unit| {
            let planned = replan(unit, &planner, rows.take().unwrap_or_default())?;
            apply(unit, &planner, planned).map(drop)
        })?;
        progress.update(done);
    }
    store.finish_bulk()?;
    progress.finish();
    let counts = batches.counts(batch.id)?;
    if counts.pending == 0 {
        batch.status = BatchStatus::Committed;
        batches.update(batch)?;
    }
    Ok(counts)
}

/// The plans of pending rows, checked against the customers as they are now.
fn replan(
    unit: &mut dyn Unit,
    planner: &Planner<'_>,
    rows: Vec<StagedRow>,
) -> custio_store::Result<Vec<PlannedRow>> {
    let ids: Vec<i64> = rows
        .iter()
        .filter(|r| r.action != Some(RowAction::New))
        .filter_map(|r| r.customer_id)
        .collect();
    let current: HashMap<i64, Stored> = ids
        .iter()
        .copied()
        .zip(unit.get(&ids)?)
        .filter_map(|(id, s)| s.map(|s| (id, s)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let patch = row.patch.clone().unwrap_or_default();
            let step = match (row.action, row.customer_id) {
                (Some(RowAction::New) | None, _) | (_, None) => {
                    let mut customer = Customer::default();
                    patch.write_to(&mut customer);
                    Step::Insert {
                        row: Some(CustomerRow::new(&customer)),
                    }
                }
                (_, Some(id)) => match current.get(&id) {
                    Some(now) if still_applies(planner.rules, &row, &patch, now) => {
                        let paired = Paired {
                            id,
                            version: now.version,
                            by: row.paired_by.clone().unwrap_or_default(),
                        };
                        planner.update(paired, &patch, &now.customer)
                    }
                    _ => Step::Fail(RowIssue::row(IssueCode::ChangedSinceCheck { customer: id })),
                },
            };
            PlannedRow {
                line: row.line,
                label: row.label,
                keys: row.keys,
                record: row.record,
                patch,
                issues: row.issues,
                step,
            }
        })
        .collect())
}

/// Whether the row's plan still holds for the customer as it is now: the same version,
/// or every field the row sets still holds what the check saw (the row's before value
/// where it changes the field, its own value where it did not).
fn still_applies(rules: &Rules, row: &StagedRow, patch: &CustomerPatch, now: &Stored) -> bool {
    if Some(now.version) == row.version {
        return true;
    }
    let new_address = rules.adds_shipping_address(patch);
    patch.iter().all(|(field, change)| {
        if new_address && field.name().starts_with("shipping.") {
            return true;
        }
        let seen = match row
            .changes
            .iter()
            .find(|c: &&FieldChange| c.field == *field)
        {
            Some(c) => c.before.clone(),
            None => match change {
                Change::Set(v) => Some(v.clone()),
                Change::Clear => None,
            },
        };
        now.customer.get(field) == seen
    })
}
