//! Records of the running service: panel users, their sessions and API tokens, settings,
//! persisted jobs, and the sorted, filtered customer listing of the panel.

use custio_model::DateTime;
use serde::{Deserialize, Serialize};

/// What a panel user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including managing users and exporting password hashes.
    Admin,
    /// Imports, exports and customers; no user management.
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }
}

/// A panel (and API) user. The password hash is an argon2 PHC string.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    /// The columns of the customer list the user chose: the "current view" that the
    /// `view` export writes. Empty: the default columns.
    pub view_columns: Vec<String>,
    pub created_at: DateTime,
}

/// A logged-in browser. The store keeps only a hash of the cookie's secret.
#[derive(Clone, Debug)]
pub struct Session {
    /// SHA-256 of the cookie value, hex.
    pub id_hash: String,
    pub user_id: i64,
    /// The token every form and cookie-authenticated API call of this session must carry.
    pub csrf: String,
    pub created_at: DateTime,
    pub expires_at: DateTime,
}

/// A bearer token for the REST API, created by a user. Only its hash is kept.
#[derive(Clone, Debug, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: DateTime,
    pub last_used_at: Option<DateTime>,
}

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Queued, Self::Running, Self::Succeeded, Self::Failed]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    /// Whether the job will not change any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

/// What enqueues a job.
#[derive(Clone, Debug)]
pub struct NewJob {
    /// `check`, `commit`, `export`, ...
    pub kind: String,
    /// What the job works on, as its runner reads it.
    pub payload: serde_json::Value,
    /// Who asked for it (a user name).
    pub created_by: String,
}

/// A persisted job.
#[derive(Clone, Debug, Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub state: JobState,
    pub payload: serde_json::Value,
    /// What the job produced (a batch id, row counts, a file).
    pub result: Option<serde_json::Value>,
    /// Units of work done so far.
    pub done: u64,
    /// Units of work expected, when known.
    pub total: Option<u64>,
    /// Units per second over the run so far.
    pub rate: Option<f64>,
    /// Why the job failed.
    pub error: Option<String>,
    /// What happened to the job besides its work (resumed after a restart, ...).
    pub note: Option<String>,
    /// How many times a worker started it.
    pub attempts: u32,
    pub created_by: String,
    pub created_at: DateTime,
    pub started_at: Option<DateTime>,
    pub finished_at: Option<DateTime>,
}

/// The orders the customer list offers; each is backed by an index, so that any page of
/// any order is a short index range scan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSort {
    /// custio id (the order customers arrived in).
    #[default]
    Id,
    /// Lower-cased e-mail.
    Email,
    /// Last name, then first name, lower-cased.
    Name,
    /// Registration date.
    Registered,
    /// Date of the last order.
    LastOrder,
}

impl CustomerSort {
    pub const ALL: &[CustomerSort] = &[
        Self::Id,
        Self::Email,
        Self::Name,
        Self::Registered,
        Self::LastOrder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Email => "email",
            Self::Name => "name",
            Self::Registered => "registered",
            Self::LastOrder => "last_order",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// Where a keyset page starts: the sort value and id of the last customer of the
/// previous page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCursor {
    pub value: String,
    pub id: i64,
}

/// A page of the customer list.
#[derive(Clone, Debug)]
pub struct CustomerPage {
    pub customers: Vec<custio_model::Customer>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<CustomerCursor>,
}
