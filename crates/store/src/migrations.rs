//! Migrations from shop platforms' APIs: where each comes from, its sealed credentials,
//! its status, and its state (fetch checkpoint, counts, files), which the engine owns and
//! the store keeps as JSON.

use custio_model::DateTime;
use serde::{Deserialize, Serialize};

use crate::Result;

/// A migration as the store keeps it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Migration {
    pub id: i64,
    pub created_at: DateTime,
    /// Who started it.
    pub created_by: String,
    /// `shoper`, `prestashop` or `woocommerce`.
    pub platform: String,
    /// The shop's address.
    pub url: String,
    /// `queued`, `fetching`, `verifying`, `imported`, `failed` or `deleted`.
    pub status: String,
    /// The credentials, sealed by the engine; `None` once the source is deleted.
    #[serde(skip)]
    pub credentials: Option<Vec<u8>>,
    /// The engine's state of the migration.
    pub state: serde_json::Value,
    pub updated_at: DateTime,
}

/// What starts a migration.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewMigration {
    pub created_by: String,
    pub platform: String,
    pub url: String,
    pub status: String,
    #[serde(skip)]
    pub credentials: Vec<u8>,
    pub state: serde_json::Value,
}

/// Migrations, newest first.
pub trait MigrationStore {
    /// Records a new migration; returns its id.
    fn create_migration(&self, new: &NewMigration) -> Result<i64>;
    fn migration(&self, id: i64) -> Result<Option<Migration>>;
    /// Every migration, newest first.
    fn migrations(&self) -> Result<Vec<Migration>>;
    /// Stores a migration's status and state.
    fn update_migration(&self, id: i64, status: &str, state: &serde_json::Value) -> Result<()>;
    /// Erases a migration's credentials for good.
    fn erase_credentials(&self, id: i64) -> Result<()>;
}
