use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What to do with a row that pairs with a stored customer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnExisting {
    /// Apply the row's changes to the customer (the default).
    #[default]
    Update,
    /// Leave the customer as it is; the row is skipped.
    Skip,
    /// Reject the row: it is listed with the other rejected rows.
    Fail,
}

impl FromStr for OnExisting {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "update" => Ok(Self::Update),
            "skip" => Ok(Self::Skip),
            "fail" => Ok(Self::Fail),
            _ => Err(format!("'{s}' is not a policy; use update, skip or fail")),
        }
    }
}

/// How a batch reads its file; kept with the batch so that edits re-validate rows exactly
/// as the check did.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Encoding name that overrides detection.
    pub encoding: Option<String>,
    /// `(header, target)` pairs for unknown columns.
    pub mappings: Vec<(String, String)>,
    pub on_existing: OnExisting,
    /// `(target, column)` bindings for files without fixed headers (CloudCart): the column
    /// is a 1-based position or a header name.
    #[serde(default)]
    pub bindings: Vec<(String, String)>,
    /// Whether the first row is a header (`None`: the dialect's default).
    #[serde(default)]
    pub has_header: Option<bool>,
    /// The field separator (`None`: the dialect's own, or sniffed).
    #[serde(default)]
    pub delimiter: Option<char>,
    /// The customer group of rows that name none (CloudCart).
    #[serde(default)]
    pub default_group: Option<String>,
}

impl ImportOptions {
    /// The options a batch was checked with. Options that no longer read (a damaged or
    /// hand-edited database, a newer custio) are an error: falling back to defaults would
    /// silently change what the batch does (`skip` would become `update`).
    pub fn of_batch(batch: &custio_store::Batch) -> Result<Self, crate::EngineError> {
        serde_json::from_value(batch.options.clone()).map_err(|e| {
            crate::EngineError::BatchOptions {
                batch: batch.id,
                detail: e.to_string(),
            }
        })
    }
}
