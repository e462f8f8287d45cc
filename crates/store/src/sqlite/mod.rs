//! The embedded SQLite store: one file, WAL mode, customers as JSON documents beside the
//! indexed keys that pairing and listing need.

mod schema;
mod service;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::Local;
use custio_model::{Customer, CustomerPatch, DateTime, PasswordHash, RowNote};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use crate::service::*;
use crate::types::*;
use crate::{Result, Store, StoreError, TakenKey};

const TIME: &str = "%Y-%m-%d %H:%M:%S";

/// The SQLite implementation of [`Store`]. One connection behind a mutex: SQLite writes
/// one transaction at a time anyway, and bulk writes are fastest on a single connection.
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Self::setup(conn)
    }

    /// A private in-memory database, for tests and `convert`.
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let supported = schema::MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::TooNew {
                found: version,
                supported,
            });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn now() -> String {
    Local::now().naive_local().format(TIME).to_string()
}

fn parse_time(s: &str) -> DateTime {
    DateTime::parse_from_str(s, TIME).unwrap_or_default()
}

fn corrupt(what: &'static str) -> impl Fn(serde_json::Error) -> StoreError {
    move |e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("store documents serialise")
}

/// A customer as stored: its JSON form without the id (a column of its own) and without
/// empty values, which deserialisation fills back in. Keeps the file small.
fn document(customer: &Customer) -> String {
    fn compact(value: &mut serde_json::Value) -> bool {
        match value {
            serde_json::Value::Null => false,
            serde_json::Value::Array(items) => !items.is_empty(),
            serde_json::Value::Object(map) => {
                map.retain(|_, v| compact(v));
                !map.is_empty()
            }
            _ => true,
        }
    }
    let mut value = serde_json::to_value(customer).expect("customers serialise");
    if let serde_json::Value::Object(map) = &mut value {
        map.remove("id");
    }
    compact(&mut value);
    value.to_string()
}

fn customer_from(id: i64, data: &str, password: Option<String>) -> Result<Customer> {
    let mut customer: Customer = serde_json::from_str(data).map_err(corrupt("customer"))?;
    customer.id = Some(id);
    customer.password = password.map(PasswordHash::from_encoded);
    Ok(customer)
}

fn read_customer(row: &Row) -> rusqlite::Result<(i64, String, Option<String>)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
}

/// The lower-cased text a search matches against.
fn search_text(c: &Customer) -> String {
    [
        c.login.as_deref(),
        c.email.as_ref().map(|e| e.as_str()),
        c.first_name.as_deref(),
        c.last_name.as_deref(),
        c.full_name.as_deref(),
        c.company.name.as_deref(),
        c.billing.city.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase()
}

fn shops_text(c: &Customer) -> String {
    let ids: Vec<String> = c.shops.iter().map(u32::to_string).collect();
    format!(",{},", ids.join(","))
}

fn unique_conflict(e: rusqlite::Error, c: &Customer) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, Some(msg))
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            let (key, value) = if msg.contains("login") {
                (TakenKey::Login, c.login.clone())
            } else if msg.contains("email") {
                (TakenKey::Email, c.email.as_ref().map(|e| e.to_string()))
            } else if msg.contains("guid") {
                (TakenKey::Guid, c.guid.clone())
            } else {
                return StoreError::Sqlite(e);
            };
            StoreError::Taken {
                key,
                value: value.unwrap_or_default(),
                owner: "customer",
            }
        }
        _ => StoreError::Sqlite(e),
    }
}

type ProfileParts = (String, String, String, String);

fn profile_from(row: &Row) -> rusqlite::Result<ProfileParts> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn finish_profile((name, dialect, columns, ignored): ProfileParts) -> Result<MappingProfile> {
    Ok(MappingProfile {
        name,
        dialect,
        columns: serde_json::from_str(&columns).map_err(corrupt("mapping profile"))?,
        ignored: serde_json::from_str(&ignored).map_err(corrupt("mapping profile"))?,
    })
}

fn staged_from(row: &Row) -> rusqlite::Result<(StagedRow, String, String, String, String, String)> {
    let status: String = row.get(1)?;
    let action: Option<String> = row.get(2)?;
    Ok((
        StagedRow {
            line: row.get::<_, i64>(0)? as u64,
            status: RowStatus::parse(&status).unwrap_or(RowStatus::Invalid),
            action: action.as_deref().and_then(RowAction::parse),
            paired_by: row.get(3)?,
            customer_id: row.get(4)?,
            cells: Vec::new(),
            edits: Default::default(),
            patch: CustomerPatch::default(),
            issues: Vec::new(),
            changes: Vec::new(),
            note: row
                .get::<_, Option<String>>(10)?
                .and_then(|n| serde_json::from_str(&n).ok()),
            login_key: row.get(11)?,
            email_key: row.get(12)?,
            label: row.get(13)?,
        },
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
    ))
}

const STAGED_COLUMNS: &str = "line, status, action, paired_by, customer_id, cells, edits, patch, issues, changes, message, login_key, email_key, label";

fn finish_staged(parts: (StagedRow, String, String, String, String, String)) -> Result<StagedRow> {
    let (mut row, cells, edits, patch, issues, changes) = parts;
    row.cells = serde_json::from_str(&cells).map_err(corrupt("staged row cells"))?;
    row.edits = serde_json::from_str(&edits).map_err(corrupt("staged row edits"))?;
    let patch: serde_json::Value =
        serde_json::from_str(&patch).map_err(corrupt("staged row patch"))?;
    row.patch = CustomerPatch::from_json(&patch).map_err(|detail| StoreError::Corrupt {
        what: "staged row patch",
        detail,
    })?;
    row.issues = serde_json::from_str(&issues).map_err(corrupt("staged row issues"))?;
    row.changes = serde_json::from_str(&changes).map_err(corrupt("staged row changes"))?;
    Ok(row)
}

fn batch_from(row: &Row) -> rusqlite::Result<(Batch, [String; 4])> {
    let status: String = row.get(5)?;
    Ok((
        Batch {
            id: row.get(0)?,
            created_at: parse_time(&row.get::<_, String>(1)?),
            source: row.get(2)?,
            dialect: row.get(3)?,
            encoding: row.get(4)?,
            status: BatchStatus::parse(&status).unwrap_or(BatchStatus::Failed),
            options: serde_json::Value::Null,
            header: Vec::new(),
            unknown_columns: serde_json::Value::Null,
            warnings: Vec::new(),
            error: row.get(9)?,
        },
        [row.get(6)?, row.get(7)?, row.get(8)?, row.get(10)?],
    ))
}

fn finish_batch(parts: (Batch, [String; 4])) -> Result<Batch> {
    let (mut batch, [options, header, unknown, warnings]) = parts;
    batch.warnings = serde_json::from_str(&warnings).map_err(corrupt("batch warnings"))?;
    batch.options = serde_json::from_str(&options).map_err(corrupt("batch options"))?;
    batch.header = serde_json::from_str(&header).map_err(corrupt("batch header"))?;
    batch.unknown_columns =
        serde_json::from_str(&unknown).map_err(corrupt("batch unknown columns"))?;
    Ok(batch)
}

const BATCH_COLUMNS: &str = "id, created_at, source, dialect, encoding, status, options, header, unknown_columns, error, warnings";

impl Store for SqliteStore {
    fn shops(&self) -> Result<Vec<Shop>> {
        let conn = self.conn();
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
        self.conn().execute(
            "INSERT INTO shops (id, name, url, language) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url, language = excluded.language",
            params![shop.id, shop.name, shop.url, shop.language],
        )?;
        Ok(())
    }

    fn groups(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT name FROM customer_groups ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn agreements(&self) -> Result<Vec<AgreementKind>> {
        let conn = self.conn();
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
        self.conn().execute(
            "INSERT INTO agreements (name, validity_days) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET validity_days = excluded.validity_days",
            params![agreement.name, agreement.validity_days],
        )?;
        Ok(())
    }

    fn pricelists(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT name FROM pricelists ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_pricelist(&self, name: &str) -> Result<()> {
        self.conn().execute(
            "INSERT OR IGNORE INTO pricelists (name) VALUES (?1)",
            [name],
        )?;
        Ok(())
    }

    fn mapping_profiles(&self) -> Result<Vec<MappingProfile>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT name, dialect, columns, ignored FROM mapping_profiles ORDER BY name",
        )?;
        let rows = stmt.query_map([], profile_from)?;
        rows.map(|r| finish_profile(r?)).collect()
    }

    fn mapping_profile(&self, name: &str) -> Result<Option<MappingProfile>> {
        let found = self
            .conn()
            .query_row(
                "SELECT name, dialect, columns, ignored FROM mapping_profiles WHERE name = ?1",
                [name],
                profile_from,
            )
            .optional()?;
        found.map(finish_profile).transpose()
    }

    fn put_mapping_profile(&self, profile: &MappingProfile) -> Result<()> {
        self.conn().execute(
            "INSERT INTO mapping_profiles (name, dialect, columns, ignored, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (name) DO UPDATE SET dialect = excluded.dialect, columns = excluded.columns,
             ignored = excluded.ignored, updated_at = excluded.updated_at",
            params![profile.name, profile.dialect, json(&profile.columns), json(&profile.ignored), now()],
        )?;
        Ok(())
    }

    fn delete_mapping_profile(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM mapping_profiles WHERE name = ?1", [name])?
            > 0)
    }

    fn customer(&self, id: i64) -> Result<Option<Customer>> {
        let found = self
            .conn()
            .query_row(
                "SELECT id, data, password FROM customers WHERE id = ?1",
                [id],
                read_customer,
            )
            .optional()?;
        found
            .map(|(id, data, pw)| customer_from(id, &data, pw))
            .transpose()
    }

    fn find_customer(&self, key: &CustomerKey) -> Result<Option<Customer>> {
        let (sql, value) = match key {
            CustomerKey::Guid(g) => (
                "SELECT id, data, password FROM customers WHERE guid = ?1",
                g,
            ),
            CustomerKey::Login(l) => (
                "SELECT id, data, password FROM customers WHERE login = ?1",
                l,
            ),
            CustomerKey::Email(e) => (
                "SELECT id, data, password FROM customers WHERE email_key = ?1",
                e,
            ),
        };
        let found = self
            .conn()
            .prepare_cached(sql)?
            .query_row([value], read_customer)
            .optional()?;
        found
            .map(|(id, data, pw)| customer_from(id, &data, pw))
            .transpose()
    }

    fn customers_page(
        &self,
        query: &CustomerQuery,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        let mut sql = String::from("SELECT id, data, password FROM customers WHERE id > ?1");
        let mut args: Vec<rusqlite::types::Value> = vec![after.unwrap_or(0).into()];
        service::query_filter(query, &mut sql, &mut args);
        args.push((limit as i64).into());
        sql.push_str(&format!(" ORDER BY id LIMIT ?{}", args.len()));
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), read_customer)?;
        rows.map(|r| {
            let (id, data, pw) = r?;
            customer_from(id, &data, pw)
        })
        .collect()
    }

    fn custom_field_keys(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT DISTINCT je.key FROM customers, json_each(customers.data, '$.custom_fields') AS je ORDER BY je.key",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn count_customers(&self) -> Result<u64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM customers", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    fn create_batch(&self, batch: &NewBatch) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO batches (created_at, source, dialect, status, options, header, unknown_columns)
             VALUES (?1, ?2, ?3, ?4, ?5, '[]', 'null')",
            params![now(), batch.source, batch.dialect, BatchStatus::Checking.as_str(), json(&batch.options)],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn batch(&self, id: i64) -> Result<Option<Batch>> {
        let sql = format!("SELECT {BATCH_COLUMNS} FROM batches WHERE id = ?1");
        let found = self.conn().query_row(&sql, [id], batch_from).optional()?;
        found.map(finish_batch).transpose()
    }

    fn batches(&self) -> Result<Vec<Batch>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([], batch_from)?;
        rows.map(|r| finish_batch(r?)).collect()
    }

    fn update_batch(&self, batch: &Batch) -> Result<()> {
        self.conn().execute(
            "UPDATE batches SET encoding = ?2, status = ?3, options = ?4, header = ?5, unknown_columns = ?6, error = ?7, warnings = ?8 WHERE id = ?1",
            params![
                batch.id,
                batch.encoding,
                batch.status.as_str(),
                json(&batch.options),
                json(&batch.header),
                json(&batch.unknown_columns),
                batch.error,
                json(&batch.warnings)
            ],
        )?;
        Ok(())
    }

    fn stage_rows(&self, batch: i64, rows: &[StagedRow]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(&format!(
                "INSERT OR REPLACE INTO staged_rows (batch_id, {STAGED_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
            ))?;
            for row in rows {
                stmt.execute(params_from_iter(staged_params(batch, row)))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn staged_row(&self, batch: i64, line: u64) -> Result<Option<StagedRow>> {
        let sql =
            format!("SELECT {STAGED_COLUMNS} FROM staged_rows WHERE batch_id = ?1 AND line = ?2");
        let found = self
            .conn()
            .query_row(&sql, params![batch, line as i64], staged_from)
            .optional()?;
        found.map(finish_staged).transpose()
    }

    fn staged_rows(
        &self,
        batch: i64,
        filter: &RowFilter,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedRow>> {
        let mut sql =
            format!("SELECT {STAGED_COLUMNS} FROM staged_rows WHERE batch_id = ?1 AND line > ?2");
        let mut args: Vec<rusqlite::types::Value> =
            vec![batch.into(), (after.unwrap_or(0) as i64).into()];
        if !filter.statuses.is_empty() {
            let list: Vec<String> = filter
                .statuses
                .iter()
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            sql.push_str(&format!(" AND status IN ({})", list.join(",")));
        }
        if let Some(lines) = &filter.lines {
            let list: Vec<String> = lines.iter().map(u64::to_string).collect();
            sql.push_str(&format!(" AND line IN ({})", list.join(",")));
        }
        args.push((limit as i64).into());
        sql.push_str(&format!(" ORDER BY line LIMIT ?{}", args.len()));
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), staged_from)?;
        rows.map(|r| finish_staged(r?)).collect()
    }

    fn update_staged_row(&self, batch: i64, row: &StagedRow) -> Result<()> {
        self.stage_rows(batch, std::slice::from_ref(row))
    }

    fn find_staged(&self, batch: i64, key: &CustomerKey, line: u64) -> Result<Option<u64>> {
        let (sql, value) = match key {
            CustomerKey::Login(l) => (
                "SELECT MIN(line) FROM staged_rows INDEXED BY staged_rows_login WHERE batch_id = ?1 AND login_key = ?2 AND line < ?3",
                l,
            ),
            CustomerKey::Email(e) => (
                "SELECT MIN(line) FROM staged_rows INDEXED BY staged_rows_email WHERE batch_id = ?1 AND email_key = ?2 AND line < ?3",
                e,
            ),
            CustomerKey::Guid(_) => return Ok(None),
        };
        let found: Option<i64> = self
            .conn()
            .prepare_cached(sql)?
            .query_row(params![batch, value, line as i64], |r| r.get(0))?;
        Ok(found.map(|l| l as u64))
    }

    fn row_counts(&self, batch: i64) -> Result<RowCounts> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT status, action, COUNT(*) FROM staged_rows WHERE batch_id = ?1 GROUP BY status, action",
        )?;
        let mut counts = RowCounts::default();
        let rows = stmt.query_map([batch], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, i64>(2)? as u64,
            ))
        })?;
        for row in rows {
            let (status, action, n) = row?;
            counts.rows += n;
            match RowStatus::parse(&status) {
                Some(RowStatus::Pending) => {
                    counts.pending += n;
                    match action.as_deref().and_then(RowAction::parse) {
                        Some(RowAction::New) => counts.new += n,
                        Some(RowAction::Update) => counts.update += n,
                        Some(RowAction::Unchanged) => counts.unchanged += n,
                        None => {}
                    }
                }
                Some(RowStatus::Invalid) => counts.invalid += n,
                Some(RowStatus::Skipped) => counts.skipped += n,
                Some(RowStatus::Imported) => counts.imported += n,
                Some(RowStatus::Failed) | None => counts.failed += n,
            }
        }
        Ok(counts)
    }

    fn commit_chunk(&self, batch: i64, ops: &[CommitOp]) -> Result<Vec<i64>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let at = now();
        let mut inserted = Vec::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO customers (guid, login, email_key, shops, search, data, password, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE customers SET guid = ?2, login = ?3, email_key = ?4, shops = ?5, search = ?6, data = ?7, password = ?8, updated_at = ?9 WHERE id = ?1",
            )?;
            let mut journal = tx.prepare_cached(
                "INSERT INTO journal (batch_id, line, customer_id, before_data, before_password, after_data, after_password, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut outcome = tx.prepare_cached(
                "UPDATE staged_rows SET status = ?3, message = ?4, customer_id = COALESCE(?5, customer_id), issues = COALESCE(?6, issues) WHERE batch_id = ?1 AND line = ?2",
            )?;
            let mut shop = tx.prepare_cached(
                "INSERT OR IGNORE INTO shops (id, name) VALUES (?1, 'Shop ' || ?1)",
            )?;
            let mut group =
                tx.prepare_cached("INSERT OR IGNORE INTO customer_groups (name) VALUES (?1)")?;
            for op in ops {
                let outcome_of = match op {
                    CommitOp::Insert { line, customer } => {
                        let data = document(customer);
                        insert
                            .execute(params![
                                customer.guid,
                                customer.login,
                                customer.email.as_ref().map(|e| e.key()),
                                shops_text(customer),
                                search_text(customer),
                                data,
                                customer.password.as_ref().map(|p| p.encoded()),
                                at
                            ])
                            .map_err(|e| unique_conflict(e, customer))?;
                        let id = tx.last_insert_rowid();
                        inserted.push(id);
                        journal.execute(params![
                            batch,
                            *line as i64,
                            id,
                            None::<String>,
                            None::<String>,
                            data,
                            customer.password.as_ref().map(|p| p.encoded()),
                            at
                        ])?;
                        ensure_refs(&mut shop, &mut group, customer)?;
                        (
                            *line,
                            Some(id),
                            RowStatus::Imported,
                            Some(RowNote::Created { customer: id }),
                            None,
                        )
                    }
                    CommitOp::Update {
                        line,
                        before,
                        after,
                    } => {
                        let id = before.id.expect("an update names a stored customer");
                        let data = document(after);
                        update
                            .execute(params![
                                id,
                                after.guid,
                                after.login,
                                after.email.as_ref().map(|e| e.key()),
                                shops_text(after),
                                search_text(after),
                                data,
                                after.password.as_ref().map(|p| p.encoded()),
                                at
                            ])
                            .map_err(|e| unique_conflict(e, after))?;
                        journal.execute(params![
                            batch,
                            *line as i64,
                            id,
                            document(before),
                            before.password.as_ref().map(|p| p.encoded()),
                            data,
                            after.password.as_ref().map(|p| p.encoded()),
                            at
                        ])?;
                        ensure_refs(&mut shop, &mut group, after)?;
                        (
                            *line,
                            Some(id),
                            RowStatus::Imported,
                            Some(RowNote::Updated { customer: id }),
                            None,
                        )
                    }
                    CommitOp::Outcome {
                        line,
                        status,
                        note,
                        issues,
                    } => (
                        *line,
                        None,
                        *status,
                        note.clone(),
                        (!issues.is_empty()).then(|| json(issues)),
                    ),
                };
                let (line, id, status, note, issues) = outcome_of;
                outcome.execute(params![
                    batch,
                    line as i64,
                    status.as_str(),
                    note.as_ref().map(json),
                    id,
                    issues
                ])?;
            }
        }
        tx.commit()?;
        Ok(inserted)
    }

    fn journal(&self, batch: i64) -> Result<Vec<JournalEntry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT line, customer_id, before_data, before_password, after_data, after_password, at FROM journal WHERE batch_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([batch], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        rows.map(|r| {
            let (line, id, before, before_pw, after, after_pw, at) = r?;
            Ok(JournalEntry {
                batch,
                line: line as u64,
                customer_id: id,
                before: before
                    .map(|b| customer_from(id, &b, before_pw))
                    .transpose()?,
                after: customer_from(id, &after, after_pw)?,
                at: parse_time(&at),
            })
        })
        .collect()
    }

    fn audit(&self, entry: &AuditEntry) -> Result<()> {
        self.conn().execute(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![
                entry.at.format(TIME).to_string(),
                entry.actor,
                entry.action,
                entry.detail
            ],
        )?;
        Ok(())
    }

    fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AuditEntry {
                at: parse_time(&r.get::<_, String>(0)?),
                actor: r.get(1)?,
                action: r.get(2)?,
                detail: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn customer_list(
        &self,
        query: &CustomerQuery,
        sort: CustomerSort,
        desc: bool,
        after: Option<&CustomerCursor>,
        limit: usize,
    ) -> Result<CustomerPage> {
        service::customer_list(&self.conn(), query, sort, desc, after, limit)
    }

    fn insert_customer(&self, customer: &Customer) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let id = service::insert_customer(&tx, customer)?;
        tx.commit()?;
        Ok(id)
    }

    fn update_customer(&self, customer: &Customer) -> Result<bool> {
        service::update_customer(&self.conn(), customer)
    }

    fn delete_customer(&self, id: i64) -> Result<bool> {
        service::delete_customer(&self.conn(), id)
    }

    fn create_user(&self, username: &str, password_hash: &str, role: Role) -> Result<i64> {
        service::create_user(&self.conn(), username, password_hash, role)
    }

    fn user(&self, id: i64) -> Result<Option<User>> {
        service::user(&self.conn(), id)
    }

    fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        service::user_by_name(&self.conn(), username)
    }

    fn users(&self) -> Result<Vec<User>> {
        service::users(&self.conn())
    }

    fn count_users(&self) -> Result<u64> {
        service::count_users(&self.conn())
    }

    fn set_password(&self, user_id: i64, password_hash: &str) -> Result<bool> {
        service::set_password(&self.conn(), user_id, password_hash)
    }

    fn set_view_columns(&self, user_id: i64, columns: &[String]) -> Result<()> {
        service::set_view_columns(&self.conn(), user_id, columns)
    }

    fn create_session(&self, session: &Session) -> Result<()> {
        service::create_session(&self.conn(), session)
    }

    fn session(&self, id_hash: &str, now: DateTime) -> Result<Option<Session>> {
        service::session(&self.conn(), id_hash, now)
    }

    fn delete_session(&self, id_hash: &str) -> Result<()> {
        service::delete_session(&self.conn(), id_hash)
    }

    fn purge_sessions(&self, now: DateTime) -> Result<u64> {
        service::purge_sessions(&self.conn(), now)
    }

    fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str) -> Result<i64> {
        service::create_api_token(&self.conn(), user_id, name, token_hash)
    }

    fn use_api_token(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        service::use_api_token(&self.conn(), token_hash)
    }

    fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        service::api_tokens(&self.conn(), user_id)
    }

    fn delete_api_token(&self, user_id: i64, id: i64) -> Result<bool> {
        service::delete_api_token(&self.conn(), user_id, id)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        service::setting(&self.conn(), key)
    }

    fn put_setting(&self, key: &str, value: Option<&str>) -> Result<()> {
        service::put_setting(&self.conn(), key, value)
    }

    fn create_job(&self, job: &NewJob) -> Result<i64> {
        service::create_job(&self.conn(), job)
    }

    fn job(&self, id: i64) -> Result<Option<Job>> {
        service::job(&self.conn(), id)
    }

    fn jobs(&self, limit: usize) -> Result<Vec<Job>> {
        service::jobs(&self.conn(), limit)
    }

    fn claim_job(&self) -> Result<Option<Job>> {
        service::claim_job(&mut self.conn())
    }

    fn job_progress(
        &self,
        id: i64,
        done: u64,
        total: Option<u64>,
        rate: Option<f64>,
    ) -> Result<()> {
        service::job_progress(&self.conn(), id, done, total, rate)
    }

    fn finish_job(
        &self,
        id: i64,
        state: JobState,
        result: Option<&serde_json::Value>,
        error: Option<&str>,
    ) -> Result<()> {
        service::finish_job(&self.conn(), id, state, result, error)
    }

    fn requeue_job(&self, id: i64, note: &str) -> Result<()> {
        service::requeue_job(&self.conn(), id, note)
    }

    fn running_jobs(&self) -> Result<Vec<Job>> {
        service::running_jobs(&self.conn())
    }
}

fn ensure_refs(
    shop: &mut rusqlite::CachedStatement,
    group: &mut rusqlite::CachedStatement,
    c: &Customer,
) -> Result<()> {
    for id in &c.shops {
        shop.execute([id])?;
    }
    for name in &c.groups {
        group.execute([name])?;
    }
    Ok(())
}

fn staged_params(batch: i64, row: &StagedRow) -> Vec<Box<dyn rusqlite::ToSql + '_>> {
    vec![
        Box::new(batch),
        Box::new(row.line as i64),
        Box::new(row.status.as_str()),
        Box::new(row.action.map(RowAction::as_str)),
        Box::new(row.paired_by.as_deref()),
        Box::new(row.customer_id),
        Box::new(json(&row.cells)),
        Box::new(json(&row.edits)),
        Box::new(row.patch.to_json().to_string()),
        Box::new(json(&row.issues)),
        Box::new(json(&row.changes)),
        Box::new(row.note.as_ref().map(json)),
        Box::new(row.login_key.as_deref()),
        Box::new(row.email_key.as_deref()),
        Box::new(row.label.as_str()),
    ]
}
