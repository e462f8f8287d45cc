//! A unit of work: the reads and writes of one chunk of an import (or of one panel edit)
//! in one transaction. Reads take a whole chunk at once; writes carry the version they
//! were planned against, so a customer changed meanwhile is reported, never overwritten.

use custio_model::{Customer, FieldChange};

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
