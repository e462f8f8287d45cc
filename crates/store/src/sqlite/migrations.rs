//! Migrations in SQLite.

use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, corrupt, now, parse_time};
use crate::{Migration, MigrationStore, NewMigration, Result};

const COLUMNS: &str =
    "id, created_at, created_by, platform, url, status, credentials, state, updated_at";

fn migration_from(row: &Row) -> Result<Migration> {
    Ok(Migration {
        id: row.get(0)?,
        created_at: parse_time(&row.get::<_, String>(1)?),
        created_by: row.get(2)?,
        platform: row.get(3)?,
        url: row.get(4)?,
        status: row.get(5)?,
        credentials: row.get(6)?,
        state: serde_json::from_str(&row.get::<_, String>(7)?).map_err(corrupt("migration"))?,
        updated_at: parse_time(&row.get::<_, String>(8)?),
    })
}

impl MigrationStore for SqliteStore {
    fn create_migration(&self, new: &NewMigration) -> Result<i64> {
        let conn = self.writer();
        let at = now();
        conn.execute(
            "INSERT INTO migrations (created_at, created_by, platform, url, status, credentials, state, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1)",
            params![
                at,
                new.created_by,
                new.platform,
                new.url,
                new.status,
                new.credentials,
                new.state.to_string()
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn migration(&self, id: i64) -> Result<Option<Migration>> {
        let conn = self.reader();
        let row = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM migrations WHERE id = ?1"),
                [id],
                |r| Ok(migration_from(r)),
            )
            .optional()?;
        row.transpose()
    }

    fn migrations(&self) -> Result<Vec<Migration>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM migrations ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([], |r| Ok(migration_from(r)))?;
        rows.map(|r| r?).collect()
    }

    fn update_migration(&self, id: i64, status: &str, state: &serde_json::Value) -> Result<()> {
        self.writer().execute(
            "UPDATE migrations SET status = ?2, state = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, status, state.to_string(), now()],
        )?;
        Ok(())
    }

    fn erase_credentials(&self, id: i64) -> Result<()> {
        // They are sealed: what an old page of the file may still hold is ciphertext.
        self.writer().execute(
            "UPDATE migrations SET credentials = NULL WHERE id = ?1",
            [id],
        )?;
        Ok(())
    }
}
