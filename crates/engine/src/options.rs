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
    /// Whether the file's first row is a header, for dialects without fixed headers
    /// (CloudCart); `None`: the dialect's default.
    #[serde(default)]
    pub has_header: Option<bool>,
}
