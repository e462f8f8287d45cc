//! A unit of work: the reads and writes of one chunk of an import (or of one panel edit)
//! in one transaction. Reads take a whole chunk at once; writes carry the version they
//! were planned against, so a customer changed meanwhile is reported, never overwritten.

use custio_model::{Customer, FieldChange, codec};

use crate::{CustomerKey, CustomerRow, Result, StagedRow, Stored, TakenKey};

/// Where a customer's data last came from: a batch's line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub batch: i64,
    pub line: u64,
}

/// One write of a customer.
#[derive(Clone, Copy, Debug)]
pub enum CustomerWrite<'a> {
    /// Store a new customer.
    Insert {
        row: &'a CustomerRow,
        /// The batch line it comes from (`None`: the panel or the API).
        origin: Option<Origin>,
    },
    /// Replace customer `id`, if it is still at `version`.
    Update {
        id: i64,
        version: i64,
        row: &'a CustomerRow,
        origin: Option<Origin>,
    },
    /// Delete customer `id` (if it is still at `version`, when one is given).
    Delete { id: i64, version: Option<i64> },
}

/// What became of one [`CustomerWrite`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    /// Stored under this id.
    Inserted(i64),
    /// Replaced or deleted.
    Done,
    /// A unique key of the customer belongs to another one; nothing was written.
    Taken { key: TakenKey, value: String },
    /// The customer is gone or at another version than planned; nothing was written.
    Changed,
}

/// A change to one customer, as the journal keeps it for undo and history.
#[derive(Clone, Debug, PartialEq)]
pub enum JournalOp {
    /// The customer was created (undo deletes it).
    Inserted,
    /// These fields changed, from before to after (undo puts back what is still as after).
    Updated(Vec<FieldChange>),
    /// The customer was deleted; this is what it was.
    Deleted(Box<Customer>),
}

impl JournalOp {
    /// How stores keep the kind of a change.
    pub(crate) const INSERTED: i16 = 0;
    pub(crate) const UPDATED: i16 = 1;
    pub(crate) const DELETED: i16 = 2;

    /// The stored code and data: nothing for an insert, the changed fields of an update,
    /// the whole customer of a delete.
    pub(crate) fn encode(&self) -> (i16, Option<Vec<u8>>) {
        let mut data = Vec::new();
        match self {
            JournalOp::Inserted => return (Self::INSERTED, None),
            JournalOp::Updated(changes) => codec::encode_changes(changes, &mut data),
            JournalOp::Deleted(customer) => codec::encode_customer(customer, &[], &mut data),
        }
        let code = match self {
            JournalOp::Updated(_) => Self::UPDATED,
            _ => Self::DELETED,
        };
        (code, Some(data))
    }

    /// Reads back what [`encode`](Self::encode) wrote.
    pub(crate) fn decode(code: i16, data: &[u8]) -> Result<Self, codec::CodecError> {
        Ok(match code {
            Self::INSERTED => JournalOp::Inserted,
            Self::UPDATED => JournalOp::Updated(codec::decode_changes(data)?),
            _ => JournalOp::Deleted(Box::new(codec::decode_customer(data)?)),
        })
    }
}

/// One journalled change.
#[derive(Clone, Debug, PartialEq)]
pub struct JournalEntry {
    /// The batch that made it (`None`: the panel or the API).
    pub batch: Option<i64>,
    /// The batch's line that made it.
    pub line: Option<u64>,
    pub customer: i64,
    /// For [`JournalOp::Inserted`] read back: the last id of a run of consecutive
    /// inserts that starts at `customer` (the journal keeps such a run as one entry).
    pub through: Option<i64>,
    pub op: JournalOp,
    /// Who made it, outside a batch.
    pub actor: Option<String>,
}

/// The transaction a chunk works in. See the module documentation.
pub trait Unit {
    /// The stored customers `keys` point at: one answer per key, in order.
    fn find(&mut self, keys: &[CustomerKey]) -> Result<Vec<Option<Stored>>>;
    /// The ids of the customers `keys` point at (no customer is read): one answer per
    /// key, in order.
    fn owners(&mut self, keys: &[CustomerKey]) -> Result<Vec<Option<i64>>>;
    /// Customers by id: one answer per id, in order.
    fn get(&mut self, ids: &[i64]) -> Result<Vec<Option<Stored>>>;
    /// The highest customer id ever given (ids are never reused), `None` before the first:
    /// another writer's new customers show as a change of it.
    fn last_customer_id(&mut self) -> Result<Option<i64>>;
    /// Applies the writes in order; each one is done or answered with why not, and the
    /// unit goes on (a taken key fails only its own write). Shops and customer groups that
    /// the written customers name and the store lacks are created.
    fn write(&mut self, writes: &[CustomerWrite<'_>]) -> Result<Vec<WriteOutcome>>;
    /// Records changes in the journal.
    fn journal(&mut self, entries: &[JournalEntry]) -> Result<()>;
    /// Adds rows to a batch's buffer, or replaces the rows of the same lines.
    fn stage(&mut self, batch: i64, rows: &[StagedRow]) -> Result<()>;
}

/// The answers to `keys` in their order, from the customers found by key: each customer
/// goes to the first key that asks for it, and is cloned for a key asked again.
pub(crate) fn answers_in_order(
    keys: &[CustomerKey],
    mut found: std::collections::HashMap<CustomerKey, Stored>,
) -> Vec<Option<Stored>> {
    let mut answered: std::collections::HashMap<&CustomerKey, usize> = Default::default();
    let mut answers: Vec<Option<Stored>> = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let answer = match found.remove(key) {
            Some(stored) => {
                answered.insert(key, i);
                Some(stored)
            }
            None => answered.get(key).and_then(|at| answers[*at].clone()),
        };
        answers.push(answer);
    }
    answers
}

/// Journal entries as stores keep them: a run of inserts of consecutive customers of one
/// batch and actor is one entry, through the run's last customer.
pub(crate) struct JournalRow<'a> {
    pub(crate) entry: &'a JournalEntry,
    /// The entry's line; none for a run of several inserts.
    pub(crate) line: Option<u64>,
    /// The last customer of the run (or the entry's own `through`).
    pub(crate) last_id: Option<i64>,
}

/// Groups `entries` into [`JournalRow`]s.
pub(crate) fn journal_rows(entries: &[JournalEntry]) -> Vec<JournalRow<'_>> {
    let mut rows = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let entry = &entries[i];
        let mut last = i;
        if entry.op == JournalOp::Inserted {
            while let Some(next) = entries.get(last + 1) {
                let follows = next.op == JournalOp::Inserted
                    && next.batch == entry.batch
                    && next.actor == entry.actor
                    && next.customer == entries[last].customer + 1;
                if !follows {
                    break;
                }
                last += 1;
            }
        }
        rows.push(JournalRow {
            entry,
            line: if last > i { None } else { entry.line },
            last_id: entry
                .through
                .or_else(|| (last > i).then(|| entries[last].customer)),
        });
        i = last + 1;
    }
    rows
}
