//! A unit of work on SQLite: the statements of one chunk inside the writer's transaction.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use rusqlite::OptionalExtension;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Transaction, params};

use super::customers::{AFTER_SELECT, SELECT, stored_from};
use crate::unit::{answers_in_order, journal_rows};
use crate::{
    CustomerKey, CustomerRow, CustomerWrite, JournalEntry, Origin, Result, StagedRow, Stored,
    TakenKey, Unit, WriteOutcome,
};

/// New customers inserted by one statement.
const INSERTS_PER_STATEMENT: usize = 32;

/// The columns an insert writes: the version, then [`row_values`].
const CUSTOMER_COLUMNS: &str = "version, batch, line, guid, login, email, first_name, last_name, registered, last_order, kind, newsletter, doc";

/// A customer row's values, in the order of [`CUSTOMER_COLUMNS`] after the version
/// (borrowed: nothing is copied to bind them).
fn row_values(row: &CustomerRow, origin: Option<Origin>) -> [ToSqlOutput<'_>; 12] {
    fn text(t: &Option<String>) -> ToSqlOutput<'_> {
        match t {
            Some(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            None => ToSqlOutput::Owned(SqlValue::Null),
        }
    }
    let number = |n: Option<i64>| ToSqlOutput::Owned(n.map_or(SqlValue::Null, SqlValue::Integer));
    [
        number(origin.map(|o| o.batch)),
        number(origin.map(|o| o.line as i64)),
        text(&row.guid),
        text(&row.login),
        text(&row.email),
        text(&row.first_name),
        text(&row.last_name),
        number(row.registered),
        number(row.last_order),
        number(Some(row.kind)),
        number(Some(row.newsletter)),
        ToSqlOutput::Borrowed(ValueRef::Blob(&row.doc)),
    ]
}

/// The column of each kind of key, in [`by_kind`]'s order.
const KEY_COLUMNS: [&str; 3] = ["guid", "login", "email"];

/// The values of `keys`, by kind: guids, logins, e-mails.
fn by_kind(keys: &[CustomerKey]) -> [Vec<SqlValue>; 3] {
    let mut by_kind: [Vec<SqlValue>; 3] = Default::default();
    for key in keys {
        let kind = match key {
            CustomerKey::Guid(_) => 0,
            CustomerKey::Login(_) => 1,
            CustomerKey::Email(_) => 2,
        };
        by_kind[kind].push(SqlValue::Text(key.value().to_string()));
    }
    by_kind
}

/// The key of a kind with a column's value.
fn key_of(kind: usize, value: SqlValue) -> Option<CustomerKey> {
    let SqlValue::Text(value) = value else {
        return None;
    };
    Some(match kind {
        0 => CustomerKey::Guid(value),
        1 => CustomerKey::Login(value),
        _ => CustomerKey::Email(value),
    })
}

pub(super) struct SqliteUnit<'a> {
    tx: &'a Transaction<'a>,
}

impl<'a> SqliteUnit<'a> {
    pub(super) fn new(tx: &'a Transaction<'a>) -> Self {
        Self { tx }
    }

    /// Inserts a run of new customers in one statement; when a key is taken, one by one,
    /// so that only that insert fails. Rowids of one statement are consecutive.
    fn insert_run(&mut self, run: &[CustomerWrite<'_>]) -> Result<Vec<WriteOutcome>> {
        let mut values = Vec::with_capacity(run.len() * 12);
        for write in run {
            if let CustomerWrite::Insert { row, origin } = write {
                values.extend(row_values(row, *origin));
            }
        }
        let one = format!("(1, {})", ["?"; 12].join(", "));
        let mut stmt = self.tx.prepare_cached(&format!(
            "INSERT INTO customers ({CUSTOMER_COLUMNS}) VALUES {}",
            vec![one; run.len()].join(", ")
        ))?;
        match stmt.execute(rusqlite::params_from_iter(values)) {
            Ok(_) => {
                let last = self.tx.last_insert_rowid();
                let first = last - run.len() as i64 + 1;
                Ok((first..=last).map(WriteOutcome::Inserted).collect())
            }
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                run.iter().map(|w| self.write_one(w)).collect()
            }
            Err(e) => Err(e.into()),
        }
    }

    /// One write.
    fn write_one(&mut self, write: &CustomerWrite<'_>) -> Result<WriteOutcome> {
        Ok(match write {
            CustomerWrite::Insert { row, origin } => {
                let mut insert = self.tx.prepare_cached(&format!(
                    "INSERT INTO customers ({CUSTOMER_COLUMNS}) VALUES (1, {})",
                    ["?"; 12].join(", ")
                ))?;
                match insert.execute(rusqlite::params_from_iter(row_values(row, *origin))) {
                    Ok(_) => WriteOutcome::Inserted(self.tx.last_insert_rowid()),
                    Err(e) => taken(e, row)?,
                }
            }
            CustomerWrite::Update {
                id,
                version,
                row,
                origin,
            } => {
                let mut update = self.tx.prepare_cached(
                    "UPDATE customers SET version = version + 1, batch = ?3, line = ?4, guid = ?5, login = ?6,
                         email = ?7, first_name = ?8, last_name = ?9, registered = ?10, last_order = ?11,
                         kind = ?12, newsletter = ?13, doc = ?14
                     WHERE id = ?1 AND version = ?2",
                )?;
                let values = [
                    ToSqlOutput::Owned(SqlValue::Integer(*id)),
                    ToSqlOutput::Owned(SqlValue::Integer(*version)),
                ]
                .into_iter()
                .chain(row_values(row, *origin));
                match update.execute(rusqlite::params_from_iter(values)) {
                    Ok(0) => WriteOutcome::Changed,
                    Ok(_) => WriteOutcome::Done,
                    Err(e) => taken(e, row)?,
                }
            }
            CustomerWrite::Delete { id, version } => {
                let mut delete = self.tx.prepare_cached(
                    "DELETE FROM customers WHERE id = ?1 AND (?2 IS NULL OR version = ?2)",
                )?;
                match delete.execute(params![id, version])? {
                    0 => WriteOutcome::Changed,
                    _ => WriteOutcome::Done,
                }
            }
        })
    }

    fn select_where(&self, column: &str, values: Vec<SqlValue>) -> Result<Vec<(Stored, SqlValue)>> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {SELECT}, {column} FROM customers WHERE {column} IN rarray(?1)"
        ))?;
        let mut rows = stmt.query([Rc::new(values)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push((stored_from(row)?, row.get::<_, SqlValue>(AFTER_SELECT)?));
        }
        Ok(out)
    }
}

/// Which unique key a constraint failure names.
fn taken(e: rusqlite::Error, columns: &CustomerRow) -> Result<WriteOutcome> {
    let message = e.to_string();
    let constraint = e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation);
    let (key, value) = match () {
        _ if !constraint => return Err(e.into()),
        _ if message.contains("customers.login") => (TakenKey::Login, &columns.login),
        _ if message.contains("customers.email") => (TakenKey::Email, &columns.email),
        _ if message.contains("customers.guid") => (TakenKey::Guid, &columns.guid),
        _ => return Err(e.into()),
    };
    Ok(WriteOutcome::Taken {
        key,
        value: value.clone().unwrap_or_default(),
    })
}

impl Unit for SqliteUnit<'_> {
    fn last_customer_id(&mut self) -> Result<Option<i64>> {
        // AUTOINCREMENT keeps the highest id given, even when that customer was deleted.
        let seq: Option<i64> = self
            .tx
            .prepare_cached("SELECT seq FROM sqlite_sequence WHERE name = 'customers'")?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(seq)
    }

    fn find(&mut self, keys: &[CustomerKey]) -> Result<Vec<Option<Stored>>> {
        let mut found: HashMap<CustomerKey, Stored> = HashMap::with_capacity(keys.len());
        for (kind, values) in by_kind(keys).into_iter().enumerate() {
            for (stored, value) in self.select_where(KEY_COLUMNS[kind], values)? {
                if let Some(key) = key_of(kind, value) {
                    found.insert(key, stored);
                }
            }
        }
        Ok(answers_in_order(keys, found))
    }

    fn owners(&mut self, keys: &[CustomerKey]) -> Result<Vec<Option<i64>>> {
        let mut found: HashMap<CustomerKey, i64> = HashMap::with_capacity(keys.len());
        for (kind, values) in by_kind(keys).into_iter().enumerate() {
            if values.is_empty() {
                continue;
            }
            let column = KEY_COLUMNS[kind];
            let mut stmt = self.tx.prepare_cached(&format!(
                "SELECT id, {column} FROM customers WHERE {column} IN rarray(?1)"
            ))?;
            let mut rows = stmt.query([Rc::new(values)])?;
            while let Some(row) = rows.next()? {
                if let Some(key) = key_of(kind, row.get(1)?) {
                    found.insert(key, row.get(0)?);
                }
            }
        }
        Ok(keys.iter().map(|k| found.get(k).copied()).collect())
    }

    fn get(&mut self, ids: &[i64]) -> Result<Vec<Option<Stored>>> {
        let values = ids.iter().map(|id| SqlValue::Integer(*id)).collect();
        let found: HashMap<i64, Stored> = self
            .select_where("id", values)?
            .into_iter()
            .map(|(s, _)| (s.id(), s))
            .collect();
        Ok(ids.iter().map(|id| found.get(id).cloned()).collect())
    }

    fn write(&mut self, writes: &[CustomerWrite<'_>]) -> Result<Vec<WriteOutcome>> {
        let mut outcomes = Vec::with_capacity(writes.len());
        let mut at = 0;
        while at < writes.len() {
            // A run of inserts goes in statements of many rows.
            let run = writes[at..]
                .iter()
                .take(INSERTS_PER_STATEMENT)
                .take_while(|w| matches!(w, CustomerWrite::Insert { .. }))
                .count();
            if run > 0 {
                outcomes.extend(self.insert_run(&writes[at..at + run])?);
                at += run;
            } else {
                outcomes.push(self.write_one(&writes[at])?);
                at += 1;
            }
        }
        let mut shops = BTreeSet::new();
        let mut groups = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for (write, outcome) in writes.iter().zip(&outcomes) {
            if let (
                CustomerWrite::Insert { row, .. } | CustomerWrite::Update { row, .. },
                WriteOutcome::Inserted(_) | WriteOutcome::Done,
            ) = (write, outcome)
            {
                shops.extend(row.shops.iter().copied());
                groups.extend(row.groups.iter().cloned());
                keys.extend(row.custom_keys.iter().cloned());
            }
        }
        let mut shop = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO shops (id, name) VALUES (?1, 'Shop ' || ?1)")?;
        for id in shops {
            shop.execute([id])?;
        }
        let mut group = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO customer_groups (name) VALUES (?1)")?;
        for name in groups {
            group.execute([name])?;
        }
        let mut key = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO custom_field_keys (key) VALUES (?1)")?;
        for name in keys {
            key.execute([name])?;
        }
        Ok(outcomes)
    }

    fn journal(&mut self, entries: &[JournalEntry]) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO journal (batch_id, line, at, actor, op, customer_id, last_id, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let at = super::now();
        for row in journal_rows(entries) {
            let (op, data) = row.entry.op.encode();
            stmt.execute(params![
                row.entry.batch,
                row.line.map(|l| l as i64),
                at,
                row.entry.actor,
                op,
                row.entry.customer,
                row.last_id,
                data
            ])?;
        }
        Ok(())
    }

    fn stage(&mut self, batch: i64, rows: &[StagedRow]) -> Result<()> {
        super::batches::put_rows(self.tx, batch, rows)
    }
}
