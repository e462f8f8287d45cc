//! Migrations in PostgreSQL.

use postgres::Row;

use super::{PostgresStore, now};
use crate::{Migration, MigrationStore, NewMigration, Result};

const COLUMNS: &str =
    "id, created_at, created_by, platform, url, status, credentials, state, updated_at";

fn migration_from(r: &Row) -> Result<Migration> {
    Ok(Migration {
        id: r.try_get(0)?,
        created_at: r.try_get(1)?,
        created_by: r.try_get(2)?,
        platform: r.try_get(3)?,
        url: r.try_get(4)?,
        status: r.try_get(5)?,
        credentials: r.try_get(6)?,
        state: r.try_get(7)?,
        updated_at: r.try_get(8)?,
    })
}

impl MigrationStore for PostgresStore {
    fn create_migration(&self, new: &NewMigration) -> Result<i64> {
        let at = now();
        let row = self.conn()?.query_one(
            "INSERT INTO migrations (created_at, created_by, platform, url, status, credentials, state, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $1) RETURNING id",
            &[&at, &new.created_by, &new.platform, &new.url, &new.status, &new.credentials, &new.state],
        )?;
        Ok(row.try_get(0)?)
    }

    fn migration(&self, id: i64) -> Result<Option<Migration>> {
        self.conn()?
            .query_opt(
                &format!("SELECT {COLUMNS} FROM migrations WHERE id = $1"),
                &[&id],
            )?
            .as_ref()
            .map(migration_from)
            .transpose()
    }

    fn migrations(&self) -> Result<Vec<Migration>> {
        self.conn()?
            .query(
                &format!("SELECT {COLUMNS} FROM migrations ORDER BY id DESC"),
                &[],
            )?
            .iter()
            .map(migration_from)
            .collect()
    }

    fn update_migration(&self, id: i64, status: &str, state: &serde_json::Value) -> Result<()> {
        self.conn()?.execute(
            "UPDATE migrations SET status = $2, state = $3, updated_at = $4 WHERE id = $1",
            &[&id, &status, state, &now()],
        )?;
        Ok(())
    }

    fn erase_credentials(&self, id: i64) -> Result<()> {
        self.conn()?.execute(
            "UPDATE migrations SET credentials = NULL WHERE id = $1",
            &[&id],
        )?;
        Ok(())
    }
}
