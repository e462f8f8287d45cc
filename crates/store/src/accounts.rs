//! Panel users, their sessions and API tokens.

use custio_model::DateTime;
use serde::{Deserialize, Serialize};

use crate::Result;

/// What a panel user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    /// The columns of the customer list the user chose: the "current view" that the
    /// `view` export writes. Empty: the default columns.
    pub view_columns: Vec<String>,
    #[schema(value_type = String, example = "2024-03-01T12:30:00")]
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
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    #[schema(value_type = String, example = "2024-03-01T12:30:00")]
    pub created_at: DateTime,
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub last_used_at: Option<DateTime>,
}

/// Users, sessions and tokens.
pub trait AccountStore {
    /// Adds a user with an argon2 password hash; a taken name (case-insensitive) is a
    /// [`StoreError::Taken`](crate::StoreError::Taken). Returns the new id.
    fn create_user(&self, username: &str, password_hash: &str, role: Role) -> Result<i64>;
    fn user(&self, id: i64) -> Result<Option<User>>;
    /// One user by name (case-insensitive).
    fn user_by_name(&self, username: &str) -> Result<Option<User>>;
    /// Every user, by name.
    fn users(&self) -> Result<Vec<User>>;
    fn count_users(&self) -> Result<u64>;
    /// Replaces a user's password hash and ends every session of that user. Returns
    /// whether the user exists.
    fn set_password(&self, user_id: i64, password_hash: &str) -> Result<bool>;
    /// Saves the customer-list columns a user chose (the "current view").
    fn set_view_columns(&self, user_id: i64, columns: &[String]) -> Result<()>;
    fn create_session(&self, session: &Session) -> Result<()>;
    /// The session whose cookie hashes to `id_hash`, if it has not expired at `now`.
    fn session(&self, id_hash: &str, now: DateTime) -> Result<Option<Session>>;
    fn delete_session(&self, id_hash: &str) -> Result<()>;
    /// Deletes the sessions that expired before `now`; returns how many.
    fn purge_sessions(&self, now: DateTime) -> Result<u64>;
    /// Stores an API token's hash under a name for a user; returns its id.
    fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str) -> Result<i64>;
    /// The token with this hash, marking it used (the mark may lag a use by a minute).
    fn use_api_token(&self, token_hash: &str) -> Result<Option<ApiToken>>;
    /// A user's tokens, newest first.
    fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>>;
    /// Revokes one of a user's tokens; returns whether it existed.
    fn delete_api_token(&self, user_id: i64, id: i64) -> Result<bool>;
}
