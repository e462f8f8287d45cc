//! Shops, groups, agreements, pricelists, mapping profiles and settings in SQLite.

use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, corrupt, json, now};
use crate::{AgreementKind, CatalogStore, MappingProfile, Result, Shop};

fn names(conn: &rusqlite::Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn profile_from(row: &Row) -> Result<MappingProfile> {
    Ok(MappingProfile {
        name: row.get(0)?,
        dialect: row.get(1)?,
        columns: serde_json::from_str(&row.get::<_, String>(2)?)
            .map_err(corrupt("mapping profile"))?,
        ignored: serde_json::from_str(&row.get::<_, String>(3)?)
            .map_err(corrupt("mapping profile"))?,
    })
}

const PROFILE_COLUMNS: &str = "name, dialect, columns, ignored";

impl CatalogStore for SqliteStore {
    fn shops(&self) -> Result<Vec<Shop>> {
        let conn = self.reader();
        let mut stmt = conn.prepare("SELECT id, name, url, language FROM shops ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Shop {
                id: r.get(0)?,
                name: r.get(1)?,
                url: r.get(2)?,
                language: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_shop(&self, shop: &Shop) -> Result<()> {
        self.writer().execute(
            "INSERT INTO shops (id, name, url, language) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url, language = excluded.language",
            params![shop.id, shop.name, shop.url, shop.language],
        )?;
        Ok(())
    }

    fn groups(&self) -> Result<Vec<String>> {
        names(
            &self.reader(),
            "SELECT name FROM customer_groups ORDER BY name",
        )
    }

    fn agreements(&self) -> Result<Vec<AgreementKind>> {
        let conn = self.reader();
        let mut stmt = conn.prepare("SELECT name, validity_days FROM agreements ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(AgreementKind {
                name: r.get(0)?,
                validity_days: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_agreement(&self, agreement: &AgreementKind) -> Result<()> {
        self.writer().execute(
            "INSERT INTO agreements (name, validity_days) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET validity_days = excluded.validity_days",
            params![agreement.name, agreement.validity_days],
        )?;
        Ok(())
    }

    fn pricelists(&self) -> Result<Vec<String>> {
        names(&self.reader(), "SELECT name FROM pricelists ORDER BY name")
    }

    fn put_pricelist(&self, name: &str) -> Result<()> {
        self.writer().execute(
            "INSERT OR IGNORE INTO pricelists (name) VALUES (?1)",
            [name],
        )?;
        Ok(())
    }

    fn mapping_profiles(&self) -> Result<Vec<MappingProfile>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {PROFILE_COLUMNS} FROM mapping_profiles ORDER BY name"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(profile_from(row)?);
        }
        Ok(out)
    }

    fn mapping_profile(&self, name: &str) -> Result<Option<MappingProfile>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {PROFILE_COLUMNS} FROM mapping_profiles WHERE name = ?1"
        ))?;
        stmt.query_row([name], |row| Ok(profile_from(row)))
            .optional()?
            .transpose()
    }

    fn put_mapping_profile(&self, profile: &MappingProfile) -> Result<()> {
        self.writer().execute(
            "INSERT INTO mapping_profiles (name, dialect, columns, ignored, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (name) DO UPDATE SET dialect = excluded.dialect, columns = excluded.columns,
             ignored = excluded.ignored, updated_at = excluded.updated_at",
            params![profile.name, profile.dialect, json(&profile.columns), json(&profile.ignored), now()],
        )?;
        Ok(())
    }

    fn delete_mapping_profile(&self, name: &str) -> Result<bool> {
        Ok(self
            .writer()
            .execute("DELETE FROM mapping_profiles WHERE name = ?1", [name])?
            > 0)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .reader()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn put_setting(&self, key: &str, value: Option<&str>) -> Result<()> {
        let conn = self.writer();
        match value {
            Some(v) => conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        Ok(())
    }
}
