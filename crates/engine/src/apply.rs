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

use crate::plan::{PlannedRow, Planner, Repeat, Step};

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

/// What became of one planned row.
struct Outcome {
    status: RowStatus,
    customer: Option<i64>,
    note: Option<RowNote>,
    issue: Option<RowIssue>,
    journal: Option<JournalOp>,
}

impl Outcome {
    fn imported(customer: i64, note: RowNote, journal: Option<JournalOp>) -> Self {
        Self {
            status: RowStatus::Imported,
            customer: Some(customer),
            note: Some(note),
            issue: None,
            journal,
        }
    }

    fn set_aside(status: RowStatus, note: Option<RowNote>, issue: Option<RowIssue>) -> Self {
        Self {
            status,
            customer: None,
            note,
            issue,
            journal: None,
        }
    }

    fn repeat(repeat: Repeat) -> Self {
        match repeat {
            Repeat::Skip(note) => Self::set_aside(RowStatus::Skipped, Some(note), None),
            Repeat::Reject(issue) => Self::set_aside(RowStatus::Invalid, None, Some(issue)),
        }
    }
}

/// Applies `rows` and records their outcomes in the batch's buffer. Returns the rows as
/// staged.
pub(crate) fn apply(
    unit: &mut dyn Unit,
    planner: &Planner<'_>,
    rows: Vec<PlannedRow>,
) -> custio_store::Result<Vec<StagedRow>> {
    let batch = planner.batch;
    // A new customer whose row a check did not prepare: written from its patch.
    let mut rows = rows;
    for row in &mut rows {
        if let Step::Insert {
            row: prepared @ None,
        } = &mut row.step
        {
            let mut customer = custio_model::Customer::default();
            row.patch.write_to(&mut customer);
            *prepared = Some(custio_store::CustomerRow::new(&customer));
        }
    }
    let writes: Vec<CustomerWrite<'_>> = rows
        .iter()
        .filter_map(|row| {
            let origin = Some(Origin {
                batch,
                line: row.line,
            });
            match &row.step {
                Step::Insert { row: Some(row) } => Some(CustomerWrite::Insert { row, origin }),
                Step::Update { paired, row, .. } => Some(CustomerWrite::Update {
                    id: paired.id,
                    version: paired.version,
                    row,
                    origin,
                }),
                _ => None,
            }
        })
        .collect();
    let mut outcomes = unit.write(&writes)?.into_iter();
    drop(writes);
    let mut journal = Vec::new();
    let mut staged = Vec::with_capacity(rows.len());
    for row in rows {
        let action = match &row.step {
            Step::Insert { .. } => Some(RowAction::New),
            Step::Update { .. } => Some(RowAction::Update),
            Step::Unchanged { .. } => Some(RowAction::Unchanged),
            _ => None,
        };
        let outcome = match row.step {
            Step::Reject => Outcome::set_aside(RowStatus::Invalid, None, None),
            Step::Fail(issue) => Outcome::set_aside(RowStatus::Failed, None, Some(issue)),
            Step::Skip { note, paired } => Outcome {
                customer: paired.map(|p| p.id),
                ..Outcome::set_aside(RowStatus::Skipped, Some(note), None)
            },
            Step::Unchanged { paired } => Outcome::imported(
                paired.id,
                RowNote::Unchanged {
                    customer: paired.id,
                },
                None,
            ),
            step @ (Step::Insert { .. } | Step::Update { .. }) => {
                match (step, outcomes.next().expect("one outcome per write")) {
                    (Step::Insert { .. }, WriteOutcome::Inserted(id)) => Outcome::imported(
                        id,
                        RowNote::Created { customer: id },
                        Some(JournalOp::Inserted),
                    ),
                    (
                        Step::Update {
                            paired, changes, ..
                        },
                        WriteOutcome::Done,
                    ) => Outcome::imported(
                        paired.id,
                        RowNote::Updated {
                            customer: paired.id,
                        },
                        Some(JournalOp::Updated(changes)),
                    ),
                    (_, WriteOutcome::Taken { key, value }) => {
                        match planner.repeat_of(unit, key, &value)? {
                            Some(repeat) => Outcome::repeat(repeat),
                            None => Outcome::set_aside(
                                RowStatus::Failed,
                                None,
                                Some(taken_issue(key, value)),
                            ),
                        }
                    }
                    (step, _) => {
                        let customer = match step {
                            Step::Update { paired, .. } => paired.id,
                            _ => 0,
                        };
                        let issue = RowIssue::row(IssueCode::ChangedSinceCheck { customer });
                        Outcome::set_aside(RowStatus::Failed, None, Some(issue))
                    }
                }
            }
        };
        if let (Some(op), Some(customer)) = (outcome.journal, outcome.customer) {
            journal.push(JournalEntry {
                batch: Some(batch),
                line: Some(row.line),
                customer,
                through: None,
                op,
                actor: None,
            });
        }
        let mut out = StagedRow {
            line: row.line,
            status: outcome.status,
            action: action.filter(|_| outcome.status == RowStatus::Imported),
            customer_id: outcome.customer,
            note: outcome.note,
            label: row.label,
            keys: row.keys,
            issues: row.issues,
            ..StagedRow::default()
        };
        out.issues.extend(outcome.issue);
        if out.status != RowStatus::Imported {
            out.record = row.record;
            out.patch = Some(row.patch);
        }
        staged.push(out);
    }
    unit.journal(&journal)?;
    unit.stage(batch, &staged)?;
    Ok(staged)
}
