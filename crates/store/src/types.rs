//! The records the store keeps besides customers.

use std::collections::BTreeMap;

use custio_model::{Customer, CustomerPatch, DateTime, RowIssue, RowNote};
use serde::{Deserialize, Serialize};

/// A shop of the customer base.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shop {
    pub id: u32,
    pub name: String,
    pub url: Option<String>,
    pub language: Option<String>,
}

/// A consent the shop asks for; UPgates agreement columns pair with it by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementKind {
    pub name: String,
    /// How long a consent stays valid when a file gives no end date.
    pub validity_days: Option<u32>,
}

/// A saved mapping: which file column means which field, for files of one dialect whose
/// headers are not the dialect's own (`--mapping NAME`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingProfile {
    pub name: String,
    /// The dialect the profile is for (`csv`, `xlsx`, `idosell`, ...).
    pub dialect: String,
    /// `(column, target)`: a header (or 1-based position) and a field or dialect column.
    pub columns: Vec<(String, String)>,
    /// Columns to read past.
    pub ignored: Vec<String>,
}

/// A key that pairs a row with a stored customer. E-mail keys are lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerKey {
    Guid(String),
    Login(String),
    Email(String),
}

/// Which customers a listing or an export takes. Every filter that is set must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerQuery {
    /// Text found in the login, e-mail, name or company (case-insensitive).
    pub search: Option<String>,
    /// Only customers of this shop.
    pub shop: Option<u32>,
    /// Only these customers (a selection in the panel); empty: no such limit.
    pub ids: Vec<i64>,
    /// Only customers in this group.
    pub group: Option<String>,
    /// Only customers of this kind (`contact`, `person`, `company`).
    pub kind: Option<String>,
    /// Only customers with this e-mail newsletter consent (`yes`, `no`, `notset`, `excluded`).
    pub newsletter: Option<String>,
    /// Registered on or after this date (`YYYY-MM-DD`).
    pub registered_from: Option<String>,
    /// Registered on or before this date (`YYYY-MM-DD`).
    pub registered_to: Option<String>,
}

/// Where a batch stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// The file is being read.
    Checking,
    /// Unknown columns wait for a mapping.
    NeedsMapping,
    /// Rows are staged and wait for review and commit.
    Checked,
    /// Every committable row was committed.
    Committed,
    /// The file could not be read; see the batch's error.
    Failed,
}

impl BatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Checking => "checking",
            Self::NeedsMapping => "needs_mapping",
            Self::Checked => "checked",
            Self::Committed => "committed",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Checking,
            Self::NeedsMapping,
            Self::Checked,
            Self::Committed,
            Self::Failed,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// What opens a batch.
#[derive(Clone, Debug)]
pub struct NewBatch {
    /// The file's name as the user gave it (`-` for standard input).
    pub source: String,
    pub dialect: String,
    /// Engine options (pairing policy, mappings, ...), kept as the engine wrote them.
    pub options: serde_json::Value,
}

/// An import batch.
#[derive(Clone, Debug, Serialize)]
pub struct Batch {
    pub id: i64,
    pub created_at: DateTime,
    pub source: String,
    pub dialect: String,
    /// The encoding the file was read in.
    pub encoding: Option<String>,
    pub status: BatchStatus,
    pub options: serde_json::Value,
    /// The file's header cells.
    pub header: Vec<String>,
    /// Unknown columns with suggestions, while the batch needs a mapping.
    pub unknown_columns: serde_json::Value,
    /// Things the user should know that do not reject rows (a shop that will be created).
    pub warnings: Vec<String>,
    /// Why the file could not be read, for a failed batch.
    pub error: Option<String>,
}

/// A staged row's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Valid, waiting for commit.
    Pending,
    /// Has errors; fix it (edit) or leave it.
    Invalid,
    /// Left out by the user or by a pairing rule.
    Skipped,
    Imported,
    /// The commit could not apply it; see its message.
    Failed,
}

impl RowStatus {
    pub const ALL: &[RowStatus] = &[
        Self::Pending,
        Self::Invalid,
        Self::Skipped,
        Self::Imported,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Invalid => "invalid",
            Self::Skipped => "skipped",
            Self::Imported => "imported",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// What committing a row will do (or did).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    New,
    Update,
    Unchanged,
}

impl RowAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Update => "update",
            Self::Unchanged => "unchanged",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::New, Self::Update, Self::Unchanged]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// One row of a batch's buffer: the "not imported" list.
#[derive(Clone, Debug, Serialize)]
pub struct StagedRow {
    /// The file line the row starts on.
    pub line: u64,
    pub status: RowStatus,
    pub action: Option<RowAction>,
    /// `guid`, `login` or `email`: what paired the row with a stored customer.
    pub paired_by: Option<String>,
    pub customer_id: Option<i64>,
    /// The row's cells as in the file (after edits), for the rejected-rows file.
    pub cells: Vec<String>,
    /// Values typed in review for fields that have no cell in the file (field → text).
    pub edits: BTreeMap<String, String>,
    #[serde(skip)]
    pub patch: CustomerPatch,
    pub issues: Vec<RowIssue>,
    /// Fields the commit will change on the paired customer.
    pub changes: Vec<String>,
    /// The commit's outcome or a skip reason.
    pub note: Option<RowNote>,
    /// Pairing keys of the row (login and lower-cased e-mail).
    #[serde(skip)]
    pub login_key: Option<String>,
    #[serde(skip)]
    pub email_key: Option<String>,
    /// A short label (name or e-mail) for listings.
    pub label: String,
}

/// Which staged rows to list.
#[derive(Clone, Debug, Default)]
pub struct RowFilter {
    /// Rows in any of these states; empty: every row.
    pub statuses: Vec<RowStatus>,
    /// Only these lines (the user's selection).
    pub lines: Option<Vec<u64>>,
}

/// How many rows of a batch are in each state, and what the pending ones will do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    pub rows: u64,
    pub pending: u64,
    pub invalid: u64,
    pub skipped: u64,
    pub imported: u64,
    pub failed: u64,
    pub new: u64,
    pub update: u64,
    pub unchanged: u64,
}

/// One row's part of a commit chunk.
#[derive(Clone, Debug)]
pub enum CommitOp {
    /// Insert a new customer.
    Insert { line: u64, customer: Box<Customer> },
    /// Replace a stored customer; `before` goes to the journal.
    Update {
        line: u64,
        before: Box<Customer>,
        after: Box<Customer>,
    },
    /// Record an outcome without touching customers (unchanged, skipped or failed).
    Outcome {
        line: u64,
        status: RowStatus,
        note: Option<RowNote>,
        /// Why the row failed (a failed outcome).
        issues: Vec<RowIssue>,
    },
}

/// One journalled change.
#[derive(Clone, Debug)]
pub struct JournalEntry {
    pub batch: i64,
    pub line: u64,
    pub customer_id: i64,
    /// `None` for an insert.
    pub before: Option<Customer>,
    pub after: Customer,
    pub at: DateTime,
}

/// One line of the audit log.
#[derive(Clone, Debug, Serialize)]
pub struct AuditEntry {
    pub at: DateTime,
    /// Who did it (`cli:$USER`, a panel user).
    pub actor: String,
    pub action: String,
    pub detail: String,
}
