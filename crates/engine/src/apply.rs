//! Applying plans: inside a chunk's unit of work, new customers are inserted, updates
//! are written only over the version they were planned against, every change is
//! journalled, and each row's outcome goes to the buffer. Shared by `import --commit`
//! (plans made a moment before, in the same transaction) and the commit of a checked
//! batch (plans read back from the buffer).

use custio_model::{IssueCode, KeyClash, RowIssue, RowNote};
use custio_store::{
    CustomerWrite, JournalEntry, JournalOp, Origin, RowAction, RowStatus, StagedRow, TakenKey,
    Unit, WriteOutcome,
};

use crate::plan::{PlannedRow, Step};

/// The issue of a row whose key another customer took.
pub(crate) fn taken_issue(key: TakenKey, value: String) -> RowIssue {
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
    RowIssue::field(code, field).with_value(value)
}

/// Applies `rows` and records their outcomes in the buffer of `batch`. Returns the rows
/// as staged.
pub(crate) fn apply(
    unit: &mut dyn Unit,
    batch: i64,
    rows: Vec<PlannedRow>,
) -> custio_store::Result<Vec<StagedRow>> {
    let writes: Vec<CustomerWrite<'_>> = rows
        .iter()
        .filter_map(|row| match &row.step {
            Step::Insert { customer } => Some(CustomerWrite::Insert {
                customer,
                origin: Some(Origin {
                    batch,
                    line: row.line,
                }),
            }),
            Step::Update { paired, after, .. } => Some(CustomerWrite::Update {
                id: paired.id,
                version: paired.version,
                customer: after,
                origin: Some(Origin {
                    batch,
                    line: row.line,
                }),
            }),
            _ => None,
        })
        .collect();
    let mut outcomes = unit.write(&writes)?.into_iter();
    drop(writes);
    let mut journal = Vec::new();
    let mut staged = Vec::with_capacity(rows.len());
    for row in rows {
        let mut out = StagedRow {
            line: row.line,
            label: row.label,
            keys: row.keys,
            issues: row.issues,
            ..StagedRow::default()
        };
        out.action = match &row.step {
            Step::Insert { .. } => Some(RowAction::New),
            Step::Update { .. } => Some(RowAction::Update),
            Step::Unchanged { .. } => Some(RowAction::Unchanged),
            _ => None,
        };
        let (status, id, note) = match row.step {
            Step::Reject => (RowStatus::Invalid, None, None),
            Step::Fail(issue) => {
                out.issues.push(issue);
                (RowStatus::Failed, None, None)
            }
            Step::Skip { note, paired } => (RowStatus::Skipped, paired.map(|p| p.id), Some(note)),
            Step::Unchanged { paired } => (
                RowStatus::Imported,
                Some(paired.id),
                Some(RowNote::Unchanged {
                    customer: paired.id,
                }),
            ),
            Step::Insert { .. } | Step::Update { .. } => {
                let outcome = outcomes.next().expect("one outcome per write");
                let (op, id) = match (&row.step, outcome) {
                    (Step::Insert { .. }, WriteOutcome::Inserted(id)) => (JournalOp::Inserted, id),
                    (
                        Step::Update {
                            paired, changes, ..
                        },
                        WriteOutcome::Done,
                    ) => (JournalOp::Updated(changes.clone()), paired.id),
                    (_, WriteOutcome::Taken { key, value }) => {
                        out.issues.push(taken_issue(key, value));
                        (JournalOp::Inserted, 0)
                    }
                    (step, _) => {
                        let customer = match step {
                            Step::Update { paired, .. } => paired.id,
                            _ => 0,
                        };
                        out.issues
                            .push(RowIssue::row(IssueCode::ChangedSinceCheck { customer }));
                        (JournalOp::Inserted, 0)
                    }
                };
                if id == 0 {
                    (RowStatus::Failed, None, None)
                } else {
                    let note = match op {
                        JournalOp::Inserted => RowNote::Created { customer: id },
                        _ => RowNote::Updated { customer: id },
                    };
                    journal.push(JournalEntry {
                        batch: Some(batch),
                        line: Some(row.line),
                        customer: id,
                        through: None,
                        op,
                        actor: None,
                    });
                    (RowStatus::Imported, Some(id), Some(note))
                }
            }
        };
        out.status = status;
        out.customer_id = id;
        out.note = note;
        if matches!(
            status,
            RowStatus::Invalid | RowStatus::Failed | RowStatus::Skipped
        ) {
            out.record = row.record;
            out.patch = Some(row.patch);
        }
        staged.push(out);
    }
    unit.journal(&journal)?;
    unit.stage(batch, &staged)?;
    Ok(staged)
}
