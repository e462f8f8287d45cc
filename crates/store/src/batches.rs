//! Import batches and their buffer: one row per line of the file, with its typed patch,
//! its plan and its outcome. The original record is kept where it is needed (the
//! rejected-rows file, the edit form).

use custio_model::{CustomerPatch, DateTime, FieldChange, RowIssue, RowNote, codec};
use serde::{Deserialize, Serialize, Serializer};

use crate::Result;

/// Where a batch stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
    pub const ALL: &[BatchStatus] = &[
        Self::Checking,
        Self::NeedsMapping,
        Self::Checked,
        Self::Committed,
        Self::Failed,
    ];

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
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
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
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Batch {
    pub id: i64,
    #[schema(value_type = String, example = "2024-03-01T12:30:00")]
    pub created_at: DateTime,
    pub source: String,
    pub dialect: String,
    /// The encoding the file was read in.
    pub encoding: Option<String>,
    pub status: BatchStatus,
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
    /// The file's header cells.
    pub header: Vec<String>,
    /// Unknown columns with suggestions, while the batch needs a mapping.
    #[schema(value_type = Option<Vec<Object>>)]
    pub unknown_columns: serde_json::Value,
    /// Things the user should know that do not reject rows (a shop that will be created).
    pub warnings: Vec<String>,
    /// Why the file could not be read, for a failed batch.
    pub error: Option<String>,
    /// When the buffer was purged; the batch then keeps only its counts.
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub purged_at: Option<DateTime>,
    /// The row counts as they were when the buffer was purged.
    #[serde(skip)]
    pub purged_counts: Option<RowCounts>,
}

/// A staged row's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Valid, waiting for commit.
    #[default]
    Pending,
    /// Has errors; fix it (edit) or leave it.
    Invalid,
    /// Left out by the user or by a pairing rule.
    Skipped,
    Imported,
    /// The commit could not apply it; see its issues.
    Failed,
}

impl RowStatus {
    /// Whether the row is valid (waiting, left out by a rule or the user, or imported): a
    /// first occurrence of its keys.
    pub fn is_valid(self) -> bool {
        matches!(self, Self::Pending | Self::Skipped | Self::Imported)
    }

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    New,
    Update,
    Unchanged,
}

impl RowAction {
    pub const ALL: &[RowAction] = &[Self::New, Self::Update, Self::Unchanged];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Update => "update",
            Self::Unchanged => "unchanged",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// What the check planned for a pending row: the commit applies it as it is when the
/// customer is still at the planned version, and never evaluates the row again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub action: Option<RowAction>,
    /// The paired customer and the version the plan was made against.
    pub customer: Option<(i64, i64)>,
    /// What paired the row (`guid`, `login`, `email`).
    pub paired_by: Option<String>,
    /// The fields the commit changes, from their stored value to the row's.
    pub changes: Vec<FieldChange>,
}

fn change_names<S: Serializer>(changes: &[FieldChange], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(changes.iter().map(|c| c.field.name()))
}

/// One row of a batch's buffer: the "not imported" list.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct StagedRow {
    /// The file line the row starts on.
    pub line: u64,
    pub status: RowStatus,
    pub action: Option<RowAction>,
    /// `guid`, `login` or `email`: what paired the row with a stored customer.
    pub paired_by: Option<String>,
    pub customer_id: Option<i64>,
    /// The version of the paired customer the plan was made against.
    #[serde(skip)]
    pub version: Option<i64>,
    /// The row's cells as read (the original record), where it is kept.
    #[serde(rename = "cells")]
    pub record: Vec<String>,
    /// What the row sets and clears; `None` once the row is imported.
    #[serde(skip)]
    pub patch: Option<CustomerPatch>,
    pub issues: Vec<RowIssue>,
    /// The fields the commit will change (or changed) on the paired customer.
    #[serde(serialize_with = "change_names")]
    #[schema(value_type = Vec<String>)]
    pub changes: Vec<FieldChange>,
    /// The commit's outcome or a skip reason.
    pub note: Option<RowNote>,
    /// A short label (name or e-mail) for listings.
    pub label: String,
    /// Hashes of the row's login and e-mail: in-file duplicates are found through them.
    #[serde(skip)]
    pub keys: [Option<i64>; 2],
}

impl StagedRow {
    /// The row's plan, as the commit applies it.
    pub fn plan(&self) -> Plan {
        Plan {
            action: self.action,
            customer: self.customer_id.zip(self.version),
            paired_by: self.paired_by.clone(),
            changes: self.changes.clone(),
        }
    }
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowCounts {
    /// Every row of the file.
    pub rows: u64,
    /// Valid rows waiting for the commit.
    pub pending: u64,
    pub invalid: u64,
    pub skipped: u64,
    pub imported: u64,
    pub failed: u64,
    /// Rows, pending or imported, that create a customer.
    pub new: u64,
    /// Rows, pending or imported, that change a stored customer.
    pub update: u64,
    /// Rows, pending or imported, that find their customer as it is.
    pub unchanged: u64,
}

impl RowCounts {
    /// Adds `n` rows of one status and action.
    pub(crate) fn add(&mut self, status: RowStatus, action: Option<RowAction>, n: u64) {
        self.rows += n;
        if matches!(status, RowStatus::Pending | RowStatus::Imported) {
            match action {
                Some(RowAction::New) => self.new += n,
                Some(RowAction::Update) => self.update += n,
                Some(RowAction::Unchanged) => self.unchanged += n,
                None => {}
            }
        }
        match status {
            RowStatus::Pending => self.pending += n,
            RowStatus::Invalid => self.invalid += n,
            RowStatus::Skipped => self.skipped += n,
            RowStatus::Imported => self.imported += n,
            RowStatus::Failed => self.failed += n,
        }
    }
}

/// A staged row's values as every backend stores them: states as codes, the patch, plan
/// and record as compact binary (`custio_model::codec`), issues and a note as JSON, each
/// only where the row has it.
pub(crate) struct StagedColumns {
    pub(crate) line: i64,
    pub(crate) status: i16,
    pub(crate) action: Option<i16>,
    pub(crate) paired_by: Option<String>,
    pub(crate) customer_id: Option<i64>,
    pub(crate) version: Option<i64>,
    pub(crate) label: String,
    pub(crate) patch: Option<Vec<u8>>,
    pub(crate) changes: Option<Vec<u8>>,
    pub(crate) issues: Option<serde_json::Value>,
    pub(crate) note: Option<serde_json::Value>,
    pub(crate) record: Option<Vec<u8>>,
    pub(crate) keys: [Option<i64>; 2],
}

/// The stored code of a status or action (its position); a status index of the stores
/// holds the codes of rows set aside (1, 2, 4).
pub(crate) fn code<T: PartialEq>(all: &[T], value: &T) -> i16 {
    all.iter().position(|v| v == value).unwrap_or(0) as i16
}

fn encoded<T: ?Sized>(value: &T, encode: impl Fn(&T, &mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    encode(value, &mut out);
    out
}

fn corrupt(what: &'static str) -> impl Fn(codec::CodecError) -> crate::StoreError {
    move |e| crate::StoreError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

fn json<T: serde::de::DeserializeOwned>(what: &'static str, value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| crate::StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}

impl StagedColumns {
    /// The values to store for `row`.
    pub(crate) fn of(row: &StagedRow) -> Self {
        let implied = implied_note(row.status, row.action, row.customer_id);
        Self {
            line: row.line as i64,
            status: code(RowStatus::ALL, &row.status),
            action: row.action.map(|a| code(RowAction::ALL, &a)),
            paired_by: row.paired_by.clone(),
            customer_id: row.customer_id,
            version: row.version,
            label: row.label.clone(),
            patch: row.patch.as_ref().map(|p| encoded(p, codec::encode_patch)),
            changes: (!row.changes.is_empty())
                .then(|| encoded(&row.changes[..], codec::encode_changes)),
            issues: (!row.issues.is_empty())
                .then(|| serde_json::to_value(&row.issues).expect("issues serialise")),
            note: row
                .note
                .as_ref()
                .filter(|n| Some(*n) != implied.as_ref())
                .map(|n| serde_json::to_value(n).expect("notes serialise")),
            record: (!row.record.is_empty()).then(|| encoded(&row.record[..], codec::encode_texts)),
            keys: row.keys,
        }
    }

    /// The row these values were stored for.
    pub(crate) fn into_row(self) -> Result<StagedRow> {
        let status = RowStatus::ALL
            .get(self.status as usize)
            .copied()
            .unwrap_or(RowStatus::Invalid);
        let action = self
            .action
            .and_then(|a| RowAction::ALL.get(a as usize).copied());
        Ok(StagedRow {
            line: self.line as u64,
            status,
            action,
            paired_by: self.paired_by,
            customer_id: self.customer_id,
            version: self.version,
            label: self.label,
            patch: self
                .patch
                .map(|b| codec::decode_patch(&b))
                .transpose()
                .map_err(corrupt("staged row patch"))?,
            changes: self
                .changes
                .map(|b| codec::decode_changes(&b))
                .transpose()
                .map_err(corrupt("staged row plan"))?
                .unwrap_or_default(),
            issues: self
                .issues
                .map(|i| json("staged row issues", i))
                .transpose()?
                .unwrap_or_default(),
            note: match self.note {
                Some(n) => Some(json("staged row note", n)?),
                None => implied_note(status, action, self.customer_id),
            },
            record: self
                .record
                .map(|b| codec::decode_texts(&b))
                .transpose()
                .map_err(corrupt("staged row record"))?
                .unwrap_or_default(),
            keys: self.keys,
        })
    }
}

/// The note an imported row's action and customer imply; stores keep only other notes.
fn implied_note(
    status: RowStatus,
    action: Option<RowAction>,
    customer: Option<i64>,
) -> Option<RowNote> {
    let customer = customer.filter(|_| status == RowStatus::Imported)?;
    Some(match action? {
        RowAction::New => RowNote::Created { customer },
        RowAction::Update => RowNote::Updated { customer },
        RowAction::Unchanged => RowNote::Unchanged { customer },
    })
}

/// The lines among `rows` (line, login hash, e-mail hash), in line order, whose hash, one
/// of `hashes`, appeared on an earlier line.
pub(crate) fn repeated_among(
    rows: impl IntoIterator<Item = (u64, [Option<i64>; 2])>,
    hashes: &[i64],
) -> Vec<Repeated> {
    let wanted: std::collections::HashSet<i64> = hashes.iter().copied().collect();
    let mut first: std::collections::HashMap<(usize, i64), u64> = Default::default();
    let mut repeated = Vec::new();
    for (line, keys) in rows {
        for (key, hash) in keys.into_iter().enumerate() {
            let Some(hash) = hash.filter(|h| wanted.contains(h)) else {
                continue;
            };
            match first.get(&(key, hash)) {
                Some(earlier) => repeated.push(Repeated {
                    line,
                    first: *earlier,
                    key,
                }),
                None => {
                    first.insert((key, hash), line);
                }
            }
        }
    }
    repeated
}

/// A line whose login or e-mail appeared on an earlier line of the same batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repeated {
    pub line: u64,
    /// The earliest line with the same key.
    pub first: u64,
    /// Which key: 0 the login, 1 the e-mail (the index into [`StagedRow::keys`]).
    pub key: usize,
}

/// The shops of a staged chunk as [`BatchStore::chunk_staged`] keeps them.
pub(crate) fn shops_text(shops: &[u32]) -> String {
    shops
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The shops of every staged chunk of a check, each once, from their kept texts.
pub(crate) fn shops_of(texts: impl IntoIterator<Item = String>) -> Vec<u32> {
    let mut shops: Vec<u32> = texts
        .into_iter()
        .flat_map(|t| {
            t.split(',')
                .filter_map(|id| id.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect();
    shops.sort_unstable();
    shops.dedup();
    shops
}

/// The stored codes of the statuses of a valid row (pending, skipped or imported), as a
/// list for `status IN (...)`: the rows whose keys count as taken within a batch.
pub(crate) fn valid_status_codes() -> String {
    [RowStatus::Pending, RowStatus::Skipped, RowStatus::Imported]
        .iter()
        .map(|s| code(RowStatus::ALL, s).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// The statement that finds the key hashes two valid rows of a batch share (`$1`/`?1`:
/// the batch).
pub(crate) fn shared_hashes_sql(placeholder: &str) -> String {
    let valid = valid_status_codes();
    format!(
        "SELECT h FROM (
             SELECT login_hash AS h FROM staged_rows
                 WHERE batch_id = {placeholder} AND status IN ({valid}) AND login_hash IS NOT NULL
             UNION ALL
             SELECT email_hash FROM staged_rows
                 WHERE batch_id = {placeholder} AND status IN ({valid}) AND email_hash IS NOT NULL
         ) AS keys GROUP BY h HAVING COUNT(*) > 1 ORDER BY h"
    )
}

/// Import batches and their buffers.
pub trait BatchStore {
    /// Opens a batch and returns its id.
    fn create(&self, batch: &NewBatch) -> Result<i64>;
    fn get(&self, id: i64) -> Result<Option<Batch>>;
    /// Every batch, newest first.
    fn list(&self) -> Result<Vec<Batch>>;
    /// Saves a batch's status, header, unknown columns, options, warnings and error.
    fn update(&self, batch: &Batch) -> Result<()>;
    fn row(&self, batch: i64, line: u64) -> Result<Option<StagedRow>>;
    /// Up to `limit` rows matching `filter` with lines above `after`, by line.
    fn rows(
        &self,
        batch: i64,
        filter: &RowFilter,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedRow>>;
    /// Saves rows after an edit or a skip.
    fn put_rows(&self, batch: i64, rows: &[StagedRow]) -> Result<()>;
    fn counts(&self, batch: i64) -> Result<RowCounts>;
    /// The valid rows (pending, skipped or imported) whose login or e-mail hash, one of
    /// `hashes`, appeared on an earlier valid row: candidates for in-file duplicates, found
    /// in one pass over the buffer after the check.
    fn repeated_keys(&self, batch: i64, hashes: &[i64]) -> Result<Vec<Repeated>>;
    /// The lines of a batch whose login (`key` 0) or e-mail (`key` 1) hash is `hash`
    /// (checking one edited row; a scan of the batch's buffer).
    fn lines_with_key(&self, batch: i64, key: usize, hash: i64) -> Result<Vec<u64>>;
    /// The key hashes (login or e-mail) that two or more valid rows of the batch share:
    /// the exact suspects of [`repeated_keys`](Self::repeated_keys), for a check whose rows
    /// several workers staged (each saw only its own).
    fn shared_hashes(&self, batch: i64) -> Result<Vec<i64>>;
    /// A check shared by several workers: the next of the batch's chunks for one of them
    /// (0, 1, 2, ... across all of them; each chunk is given once).
    fn take_chunk(&self, batch: i64) -> Result<u64>;
    /// Records chunk `chunk` of a shared check as staged, with the shops its rows name.
    fn chunk_staged(&self, batch: i64, chunk: u64, shops: &[u32]) -> Result<()>;
    /// How many chunks of a shared check are staged, and the shops their rows name.
    fn staged_chunks(&self, batch: i64) -> Result<(u64, Vec<u32>)>;
    /// Deletes a batch's buffer, keeping the batch with its counts. Returns whether there
    /// was anything to delete.
    fn purge(&self, batch: i64) -> Result<bool>;
    /// Gives the space of deleted rows back (after purges).
    fn compact(&self) -> Result<()>;
}
