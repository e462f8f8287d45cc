//! A unit of work on SQLite: the statements of one chunk inside the writer's transaction.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use custio_model::codec;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Transaction, params};

use super::customers::{AFTER_SELECT, SELECT, stored_from};
use crate::{
    CustomerKey, CustomerRow, CustomerWrite, JournalEntry, JournalOp, Result, StagedRow, Stored,
    TakenKey, Unit, WriteOutcome,
};

/// Journal operations as stored.
pub(super) const OP_INSERTED: i64 = 0;
pub(super) const OP_UPDATED: i64 = 1;
pub(super) const OP_DELETED: i64 = 2;

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
    fn find(&mut self, keys: &[CustomerKey]) -> Result<Vec<Option<Stored>>> {
        let mut found: HashMap<CustomerKey, Stored> = HashMap::with_capacity(keys.len());
        for (kind, values) in by_kind(keys).into_iter().enumerate() {
            for (stored, value) in self.select_where(KEY_COLUMNS[kind], values)? {
                if let Some(key) = key_of(kind, value) {
                    found.insert(key, stored);
                }
            }
        }
        // Each customer is moved to the first key that asks for it, cloned for a repeat.
        let mut answered: HashMap<&CustomerKey, usize> = HashMap::new();
        let mut answers: Vec<Option<Stored>> = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let answer = match found.remove(key) {
                Some(stored) => {
                    answered.insert(key, i);
                    Some(stored)
                }
                None => answered.get(key).and_then(|at| answers[*at].clone()),
            };
            answers.push(answer);
        }
        Ok(answers)
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
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO customers (version, batch, line, guid, login, email, first_name, last_name, registered, last_order, kind, newsletter, doc)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        let mut update = self.tx.prepare_cached(
            "UPDATE customers SET version = version + 1, batch = ?3, line = ?4, guid = ?5, login = ?6,
                 email = ?7, first_name = ?8, last_name = ?9, registered = ?10, last_order = ?11,
                 kind = ?12, newsletter = ?13, doc = ?14
             WHERE id = ?1 AND version = ?2",
        )?;
        let mut delete = self.tx.prepare_cached(
            "DELETE FROM customers WHERE id = ?1 AND (?2 IS NULL OR version = ?2)",
        )?;
        let mut shops = BTreeSet::new();
        let mut groups = BTreeSet::new();
        let mut keys = BTreeSet::new();
        let mut outcomes = Vec::with_capacity(writes.len());
        for write in writes {
            let outcome = match write {
                CustomerWrite::Insert { row: c, origin } => {
                    let done = insert.execute(params![
                        origin.map(|o| o.batch),
                        origin.map(|o| o.line as i64),
                        c.guid,
                        c.login,
                        c.email,
                        c.first_name,
                        c.last_name,
                        c.registered,
                        c.last_order,
                        c.kind,
                        c.newsletter,
                        c.doc
                    ]);
                    match done {
                        Ok(_) => WriteOutcome::Inserted(self.tx.last_insert_rowid()),
                        Err(e) => taken(e, c)?,
                    }
                }
                CustomerWrite::Update {
                    id,
                    version,
                    row: c,
                    origin,
                } => {
                    let done = update.execute(params![
                        id,
                        version,
                        origin.map(|o| o.batch),
                        origin.map(|o| o.line as i64),
                        c.guid,
                        c.login,
                        c.email,
                        c.first_name,
                        c.last_name,
                        c.registered,
                        c.last_order,
                        c.kind,
                        c.newsletter,
                        c.doc
                    ]);
                    match done {
                        Ok(0) => WriteOutcome::Changed,
                        Ok(_) => WriteOutcome::Done,
                        Err(e) => taken(e, c)?,
                    }
                }
                CustomerWrite::Delete { id, version } => {
                    match delete.execute(params![id, version])? {
                        0 => WriteOutcome::Changed,
                        _ => WriteOutcome::Done,
                    }
                }
            };
            if let (
                CustomerWrite::Insert { row, .. } | CustomerWrite::Update { row, .. },
                WriteOutcome::Inserted(_) | WriteOutcome::Done,
            ) = (write, &outcome)
            {
                shops.extend(row.shops.iter().copied());
                groups.extend(row.groups.iter().cloned());
                keys.extend(row.custom_keys.iter().cloned());
            }
            outcomes.push(outcome);
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
        let mut i = 0;
        while i < entries.len() {
            let entry = &entries[i];
            let (op, data, last) = match &entry.op {
                JournalOp::Inserted => {
                    // Consecutive inserts of one batch are one range.
                    let mut last = i;
                    while let Some(next) = entries.get(last + 1) {
                        let follows = next.op == JournalOp::Inserted
                            && next.batch == entry.batch
                            && next.actor == entry.actor
                            && next.customer == entries[last].customer + 1;
                        if !follows {
                            break;
                        }
                        last += 1;
                    }
                    (OP_INSERTED, None, last)
                }
                JournalOp::Updated(changes) => {
                    let mut data = Vec::new();
                    codec::encode_changes(changes, &mut data);
                    (OP_UPDATED, Some(data), i)
                }
                JournalOp::Deleted(customer) => {
                    let mut data = Vec::new();
                    codec::encode_customer(customer, &[], &mut data);
                    (OP_DELETED, Some(data), i)
                }
            };
            let last_id = match entry.through {
                Some(through) => Some(through),
                None => (last > i).then(|| entries[last].customer),
            };
            let line = if last > i { None } else { entry.line };
            stmt.execute(params![
                entry.batch,
                line.map(|l| l as i64),
                at,
                entry.actor,
                op,
                entry.customer,
                last_id,
                data
            ])?;
            i = last + 1;
        }
        Ok(())
    }

    fn stage(&mut self, batch: i64, rows: &[StagedRow]) -> Result<()> {
        super::batches::put_rows(self.tx, batch, rows)
    }
}
