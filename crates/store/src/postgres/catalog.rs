//! Shops, groups, agreements, pricelists, mapping profiles and settings in PostgreSQL.
//! Names sort in byte order (`COLLATE "C"`), as SQLite sorts them.

use postgres::Row;

use super::{PostgresStore, corrupt, from_json, json, now};
use crate::{AgreementKind, CatalogStore, MappingProfile, Result, Shop};

fn names(store: &PostgresStore, sql: &str) -> Result<Vec<String>> {
    let rows = store.conn()?.query(sql, &[])?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

fn shop_from(r: &Row) -> Result<Shop> {
    Ok(Shop {
        id: u32::try_from(r.try_get::<_, i64>(0)?).map_err(corrupt("shop"))?,
        name: r.try_get(1)?,
        url: r.try_get(2)?,
        language: r.try_get(3)?,
    })
}

fn agreement_from(r: &Row) -> Result<AgreementKind> {
    Ok(AgreementKind {
        name: r.try_get(0)?,
        validity_days: r
            .try_get::<_, Option<i64>>(1)?
            .map(u32::try_from)
            .transpose()
            .map_err(corrupt("agreement"))?,
    })
}

fn profile_from(r: &Row) -> Result<MappingProfile> {
    Ok(MappingProfile {
        name: r.try_get(0)?,
        dialect: r.try_get(1)?,
        columns: from_json("mapping profile", r.try_get(2)?)?,
        ignored: from_json("mapping profile", r.try_get(3)?)?,
    })
}

const PROFILE_COLUMNS: &str = "name, dialect, columns, ignored";

impl CatalogStore for PostgresStore {
    fn shops(&self) -> Result<Vec<Shop>> {
        self.conn()?
            .query("SELECT id, name, url, language FROM shops ORDER BY id", &[])?
            .iter()
            .map(shop_from)
            .collect()
    }

    fn put_shop(&self, shop: &Shop) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO shops (id, name, url, language) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url, language = excluded.language",
            &[&i64::from(shop.id), &shop.name, &shop.url, &shop.language],
        )?;
        Ok(())
    }

    fn groups(&self) -> Result<Vec<String>> {
        names(
            self,
            r#"SELECT name FROM customer_groups ORDER BY name COLLATE "C""#,
        )
    }

    fn agreements(&self) -> Result<Vec<AgreementKind>> {
        self.conn()?
            .query(
                r#"SELECT name, validity_days FROM agreements ORDER BY name COLLATE "C""#,
                &[],
            )?
            .iter()
            .map(agreement_from)
            .collect()
    }

    fn put_agreement(&self, agreement: &AgreementKind) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO agreements (name, validity_days) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET validity_days = excluded.validity_days",
            &[&agreement.name, &agreement.validity_days.map(i64::from)],
        )?;
        Ok(())
    }

    fn pricelists(&self) -> Result<Vec<String>> {
        names(
            self,
            r#"SELECT name FROM pricelists ORDER BY name COLLATE "C""#,
        )
    }

    fn put_pricelist(&self, name: &str) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO pricelists (name) VALUES ($1) ON CONFLICT DO NOTHING",
            &[&name],
        )?;
        Ok(())
    }

    fn mapping_profiles(&self) -> Result<Vec<MappingProfile>> {
        let sql =
            format!(r#"SELECT {PROFILE_COLUMNS} FROM mapping_profiles ORDER BY name COLLATE "C""#);
        self.conn()?
            .query(&sql, &[])?
            .iter()
            .map(profile_from)
            .collect()
    }

    fn mapping_profile(&self, name: &str) -> Result<Option<MappingProfile>> {
        let sql = format!("SELECT {PROFILE_COLUMNS} FROM mapping_profiles WHERE name = $1");
        self.conn()?
            .query_opt(&sql, &[&name])?
            .as_ref()
            .map(profile_from)
            .transpose()
    }

    fn put_mapping_profile(&self, profile: &MappingProfile) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO mapping_profiles (name, dialect, columns, ignored, updated_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (name) DO UPDATE SET dialect = excluded.dialect, columns = excluded.columns,
             ignored = excluded.ignored, updated_at = excluded.updated_at",
            &[&profile.name, &profile.dialect, &json(&profile.columns), &json(&profile.ignored), &now()],
        )?;
        Ok(())
    }

    fn delete_mapping_profile(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn()?
            .execute("DELETE FROM mapping_profiles WHERE name = $1", &[&name])?
            > 0)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = self
            .conn()?
            .query_opt("SELECT value FROM settings WHERE key = $1", &[&key])?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    fn put_setting(&self, key: &str, value: Option<&str>) -> Result<()> {
        let mut conn = self.conn()?;
        match value {
            Some(v) => conn.execute(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&key, &v],
            )?,
            None => conn.execute("DELETE FROM settings WHERE key = $1", &[&key])?,
        };
        Ok(())
    }
}
