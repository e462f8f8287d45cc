//! The review step: an edit changes fields of a staged row's patch (a file column is read
//! again with its own codec, a field takes a value as typed), then the row is validated,
//! paired and planned again; skips leave rows out.

use custio_formats::Dialect;
use custio_model::{Field, RowNote};
use custio_store::{Batch, BatchStatus, RowFilter, RowStatus, StagedRow, Store};

use crate::check::{read_options, record_of};
use crate::plan::{Planner, repeated};
use crate::rules::{Rules, Validated, key_hash, key_of};
use crate::{EngineError, ImportOptions};

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

/// Sets `name` (a field, or one of the file's columns) to `value` on the row at `line`,
/// then validates, pairs and plans the row again.
pub(crate) fn edit_row(
    store: &dyn Store,
    dialect: &'static dyn Dialect,
    batch: &Batch,
    line: u64,
    name: &str,
    value: &str,
) -> Result<StagedRow, EngineError> {
    ensure_reviewable(batch)?;
    let batches = store.batches();
    let row = batches
        .row(batch.id, line)?
        .ok_or(EngineError::RowNotFound {
            batch: batch.id,
            line,
        })?;
    if matches!(row.status, RowStatus::Imported) {
        return Err(EngineError::NotAllowed(format!(
            "line {line} is already imported; edit the customer instead"
        )));
    }
    let options = ImportOptions::of_batch(batch)?;
    let parser = dialect.row_parser(&batch.header, &read_options(&options)?)?;
    let mut edited = Validated {
        line,
        record: record_of(&parser, &row),
        patch: row.patch.clone().unwrap_or_default(),
        issues: row.issues.clone(),
        label: String::new(),
        keys: [None; 2],
        new: None,
    };
    match parser.column_of(name) {
        Some(index) if index < edited.record.len() => {
            let mut cell = parser.parse_cell(index, value);
            edited.record[index] = std::mem::take(&mut cell.kept);
            for field in &cell.fields {
                edited.patch.keep(field);
            }
            let names: Vec<String> = cell.fields.iter().map(|f| f.name().into_owned()).collect();
            edited.issues.retain(|i| {
                i.column.as_deref() != Some(cell.column.as_str())
                    && !i.field.as_ref().is_some_and(|f| names.contains(f))
            });
            for (field, change) in cell.patch.iter() {
                match change {
                    custio_model::Change::Set(v) => edited.patch.set(field.clone(), v.clone()),
                    custio_model::Change::Clear => edited.patch.clear(field.clone()),
                }
            }
            edited.issues.extend(cell.issues);
        }
        _ => {
            let field = Field::parse(name).map_err(|e| EngineError::InvalidEdit(e.to_string()))?;
            let field_name = field.name().into_owned();
            edited
                .issues
                .retain(|i| i.field.as_deref() != Some(field_name.as_str()));
            if value.trim().is_empty() {
                edited.patch.clear(field);
            } else {
                match field.parse_value(value) {
                    Ok(v) => edited.patch.set(field, v),
                    Err(err) => edited.issues.push(custio_model::RowIssue::cell(
                        &format!("{field_name} (edited)"),
                        Some(field_name.clone()),
                        value,
                        &err,
                    )),
                }
            }
        }
    }
    let rules = Rules::new(store.catalog(), dialect)?;
    rules.revalidate(&mut edited);
    let planner = Planner {
        rules: &rules,
        on_existing: options.on_existing,
        batch: batch.id,
        committing: false,
        pair_stored: true,
    };
    let mut planned = Vec::new();
    let mut rows = Some(edited);
    store.unit_of_work(&mut |unit| {
        planned = planner.plan(unit, rows.take().into_iter().collect())?;
        Ok(())
    })?;
    let mut staged = planned.pop().expect("one row planned").staged();
    mark_if_repeated(store, &rules, batch.id, &mut staged)?;
    if row.status == RowStatus::Skipped && staged.status == RowStatus::Pending {
        staged.status = RowStatus::Skipped;
        staged.note = row.note;
    }
    batches.put_rows(batch.id, std::slice::from_ref(&staged))?;
    Ok(staged)
}

/// An edited row whose login or e-mail now repeats an earlier valid line.
fn mark_if_repeated(
    store: &dyn Store,
    rules: &Rules,
    batch: i64,
    row: &mut StagedRow,
) -> Result<(), EngineError> {
    let Some(patch) = row.patch.clone() else {
        return Ok(());
    };
    if !matches!(row.status, RowStatus::Pending | RowStatus::Skipped) {
        return Ok(());
    }
    for field in [Field::Login, Field::Email] {
        let Some(key) = key_of(&field, &patch) else {
            continue;
        };
        let index = usize::from(field == Field::Email);
        let first = store
            .batches()
            .lines_with_key(batch, index, key_hash(key.value()))?
            .into_iter()
            .filter(|l| *l < row.line)
            .find_map(|l| {
                let other = store.batches().row(batch, l).ok()??;
                let valid = matches!(
                    other.status,
                    RowStatus::Pending | RowStatus::Skipped | RowStatus::Imported
                );
                let same = other.patch.as_ref().and_then(|p| key_of(&field, p))
                    == Some(key.clone())
                    || other.status == RowStatus::Imported;
                (valid && same).then_some(l)
            });
        if let Some(first) = first {
            repeated(rules, &field, key.value(), first).mark(row);
            return Ok(());
        }
    }
    Ok(())
}

/// Marks the rows at `lines` skipped; returns how many changed. Imported rows stay.
pub(crate) fn skip_rows(
    store: &dyn Store,
    batch: &Batch,
    lines: &[u64],
) -> Result<u64, EngineError> {
    ensure_reviewable(batch)?;
    let batches = store.batches();
    let filter = RowFilter {
        statuses: Vec::new(),
        lines: Some(lines.to_vec()),
    };
    let mut rows = batches.rows(batch.id, &filter, None, lines.len().max(1))?;
    if let Some(missing) = lines.iter().find(|l| !rows.iter().any(|r| r.line == **l)) {
        return Err(EngineError::RowNotFound {
            batch: batch.id,
            line: *missing,
        });
    }
    rows.retain(|r| {
        matches!(
            r.status,
            RowStatus::Pending | RowStatus::Invalid | RowStatus::Failed
        )
    });
    for row in &mut rows {
        row.status = RowStatus::Skipped;
        row.note = Some(RowNote::SkippedByUser);
    }
    batches.put_rows(batch.id, &rows)?;
    Ok(rows.len() as u64)
}
