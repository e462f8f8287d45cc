//! A unit of work on PostgreSQL: one chunk's reads and writes in one transaction, each a
//! set-based statement over arrays (`= ANY($1)`, `unnest`). A statement that fails on a
//! unique key is rolled back to its savepoint and its rows are written one by one, so
//! that only the row whose key is taken fails.

use std::collections::{BTreeSet, HashMap};

use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::Type;

use super::customers::{AFTER_SELECT, SELECT, stored_from};
use crate::unit::{answers_in_order, journal_rows};
use crate::{
    CustomerKey, CustomerRow, CustomerWrite, JournalEntry, Origin, Result, StagedRow, Stored,
    TakenKey, Unit, WriteOutcome,
};

/// Writes of one kind sent in one statement.
const RUN: usize = 1000;

/// Separates the groups of a customer in the text an array is built from (a group name
/// never holds a control character: the model refuses them).
const GROUP_SEPARATOR: &str = "\u{1f}";

/// The customer columns a write sets, and the `unnest` of arrays they come from (after
/// the id and, for updates, the version).
const COLUMNS: &str = "batch, line, guid, login, email, first_name, last_name, registered, last_order, kind, newsletter, doc, shops, groups, search";
const ARRAYS: &str = "$3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bytea[], $15::text[], $16::text[], $17::text[]";

/// The value a column is written from: the `unnest` column of its name, or for shops and
/// groups the array built from its text.
fn value(column: &str) -> String {
    match column {
        "shops" => "string_to_array(u.shops, ',')::bigint[]".to_string(),
        "groups" => "string_to_array(u.groups, E'\\x1f')".to_string(),
        _ => format!("u.{column}"),
    }
}

/// Inserts customers from [`Columns`].
fn insert_sql() -> String {
    format!(
        "INSERT INTO customers (id, version, {COLUMNS})
         SELECT u.id, u.version, {}
         FROM unnest($1::bigint[], $2::bigint[], {ARRAYS}) AS u(id, version, {COLUMNS})",
        COLUMNS
            .split(", ")
            .map(value)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Replaces customers from [`Columns`] where they are still at the given version;
/// returns the ids replaced.
fn update_sql() -> String {
    let set: Vec<String> = COLUMNS
        .split(", ")
        .map(|column| format!("{column} = {}", value(column)))
        .collect();
    format!(
        "UPDATE customers AS c SET version = c.version + 1, {}
         FROM unnest($1::bigint[], $2::bigint[], {ARRAYS}) AS u(id, version, {COLUMNS})
         WHERE c.id = u.id AND c.version = u.version
         RETURNING c.id",
        set.join(", ")
    )
}

/// Customer rows as columns of arrays, for `unnest`.
#[derive(Default)]
struct Columns {
    ids: Vec<i64>,
    versions: Vec<i64>,
    batch: Vec<Option<i64>>,
    line: Vec<Option<i64>>,
    guid: Vec<Option<String>>,
    login: Vec<Option<String>>,
    email: Vec<Option<String>>,
    first_name: Vec<Option<String>>,
    last_name: Vec<Option<String>>,
    registered: Vec<Option<i64>>,
    last_order: Vec<Option<i64>>,
    kind: Vec<i64>,
    newsletter: Vec<i64>,
    doc: Vec<Vec<u8>>,
    shops: Vec<String>,
    groups: Vec<String>,
    search: Vec<String>,
}

impl Columns {
    fn push(&mut self, id: i64, version: i64, row: &CustomerRow, origin: Option<Origin>) {
        self.ids.push(id);
        self.versions.push(version);
        self.batch.push(origin.map(|o| o.batch));
        self.line.push(origin.map(|o| o.line as i64));
        self.guid.push(row.guid.clone());
        self.login.push(row.login.clone());
        self.email.push(row.email.clone());
        self.first_name.push(row.first_name.clone());
        self.last_name.push(row.last_name.clone());
        self.registered.push(row.registered);
        self.last_order.push(row.last_order);
        self.kind.push(row.kind);
        self.newsletter.push(row.newsletter);
        self.doc.push(row.doc.clone());
        let shops: Vec<String> = row.shops.iter().map(u32::to_string).collect();
        self.shops.push(shops.join(","));
        self.groups.push(row.groups.join(GROUP_SEPARATOR));
        self.search.push(row.search_text());
    }

    fn params(&self) -> [&(dyn postgres::types::ToSql + Sync); 17] {
        [
            &self.ids,
            &self.versions,
            &self.batch,
            &self.line,
            &self.guid,
            &self.login,
            &self.email,
            &self.first_name,
            &self.last_name,
            &self.registered,
            &self.last_order,
            &self.kind,
            &self.newsletter,
            &self.doc,
            &self.shops,
            &self.groups,
            &self.search,
        ]
    }
}

/// The column of each kind of key, in [`by_kind`]'s order.
const KEY_COLUMNS: [&str; 3] = ["guid", "login", "email"];

/// The values of `keys`, by kind: guids, logins, e-mails.
fn by_kind(keys: &[CustomerKey]) -> [Vec<String>; 3] {
    let mut by_kind: [Vec<String>; 3] = Default::default();
    for key in keys {
        let kind = match key {
            CustomerKey::Guid(_) => 0,
            CustomerKey::Login(_) => 1,
            CustomerKey::Email(_) => 2,
        };
        by_kind[kind].push(key.value().to_string());
    }
    by_kind
}

/// The key of a kind with a column's value.
fn key_of(kind: usize, value: String) -> CustomerKey {
    match kind {
        0 => CustomerKey::Guid(value),
        1 => CustomerKey::Login(value),
        _ => CustomerKey::Email(value),
    }
}

/// The unique key a failed write names, or the error itself when it is another one.
fn taken(e: postgres::Error, row: &CustomerRow) -> Result<WriteOutcome> {
    let Some(db) = e
        .as_db_error()
        .filter(|_| e.code() == Some(&SqlState::UNIQUE_VIOLATION))
    else {
        return Err(e.into());
    };
    let (key, value) = match db.constraint() {
        Some("customers_login") => (TakenKey::Login, &row.login),
        Some("customers_email") => (TakenKey::Email, &row.email),
        Some("customers_guid") => (TakenKey::Guid, &row.guid),
        _ => return Err(e.into()),
    };
    Ok(WriteOutcome::Taken {
        key,
        value: value.clone().unwrap_or_default(),
    })
}

/// Streams new customers into the table with `COPY ... BINARY`, under the given ids.
fn copy_customers(
    tx: &mut Transaction<'_>,
    run: &[CustomerWrite<'_>],
    ids: &[i64],
) -> std::result::Result<(), postgres::Error> {
    let sink = tx.copy_in(&format!(
        "COPY customers (id, version, {COLUMNS}) FROM STDIN BINARY"
    ))?;
    let mut writer = BinaryCopyInWriter::new(
        sink,
        &[
            Type::INT8,
            Type::INT8,
            Type::INT8,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::INT8,
            Type::INT8,
            Type::INT8,
            Type::INT8,
            Type::BYTEA,
            Type::INT8_ARRAY,
            Type::TEXT_ARRAY,
            Type::TEXT,
        ],
    );
    for (write, id) in run.iter().zip(ids) {
        let CustomerWrite::Insert { row, origin } = write else {
            continue;
        };
        let shops: Vec<i64> = row.shops.iter().map(|s| i64::from(*s)).collect();
        writer.write(&[
            id,
            &1_i64,
            &origin.map(|o| o.batch),
            &origin.map(|o| o.line as i64),
            &row.guid,
            &row.login,
            &row.email,
            &row.first_name,
            &row.last_name,
            &row.registered,
            &row.last_order,
            &row.kind,
            &row.newsletter,
            &row.doc,
            &shops,
            &row.groups,
            &row.search_text(),
        ])?;
    }
    writer.finish()?;
    Ok(())
}

fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

pub(super) struct PostgresUnit<'a, 'b> {
    tx: &'a mut Transaction<'b>,
    /// Rows staged into a batch's buffer by this unit.
    staged: usize,
}

impl<'a, 'b> PostgresUnit<'a, 'b> {
    pub(super) fn new(tx: &'a mut Transaction<'b>) -> Self {
        Self { tx, staged: 0 }
    }

    /// Whether the unit is a chunk of an import (it staged rows of a batch), rather than
    /// an edit by hand.
    pub(super) fn is_chunk(&self) -> bool {
        self.staged > 1
    }

    /// Inserts a run of new customers under ids taken from the sequence first (so each
    /// outcome knows its id), streamed with `COPY ... BINARY`; when a key is taken, one by
    /// one.
    fn insert_run(&mut self, run: &[CustomerWrite<'_>]) -> Result<Vec<WriteOutcome>> {
        let ids = self
            .tx
            .query(
                "SELECT nextval('customers_id_seq') FROM generate_series(1, $1::bigint)",
                &[&(run.len() as i64)],
            )?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<Vec<i64>, _>>()?;
        let mut savepoint = self.tx.transaction()?;
        match copy_customers(&mut savepoint, run, &ids) {
            Ok(()) => {
                savepoint.commit()?;
                Ok(ids.into_iter().map(WriteOutcome::Inserted).collect())
            }
            Err(e) if is_unique_violation(&e) => {
                drop(savepoint);
                run.iter().map(|w| self.write_one(w)).collect()
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Replaces a run of customers that are still at their planned versions; when a key is
    /// taken, one by one.
    fn update_run(&mut self, run: &[CustomerWrite<'_>]) -> Result<Vec<WriteOutcome>> {
        let mut columns = Columns::default();
        for write in run {
            if let CustomerWrite::Update {
                id,
                version,
                row,
                origin,
            } = write
            {
                columns.push(*id, *version, row, *origin);
            }
        }
        let mut savepoint = self.tx.transaction()?;
        match savepoint.query(&update_sql(), &columns.params()) {
            Ok(rows) => {
                savepoint.commit()?;
                let done = rows
                    .iter()
                    .map(|r| r.try_get(0))
                    .collect::<std::result::Result<BTreeSet<i64>, _>>()?;
                Ok(columns
                    .ids
                    .iter()
                    .map(|id| {
                        if done.contains(id) {
                            WriteOutcome::Done
                        } else {
                            WriteOutcome::Changed
                        }
                    })
                    .collect())
            }
            Err(e) if is_unique_violation(&e) => {
                drop(savepoint);
                run.iter().map(|w| self.write_one(w)).collect()
            }
            Err(e) => Err(e.into()),
        }
    }

    /// One write; an insert or update in a savepoint of its own.
    fn write_one(&mut self, write: &CustomerWrite<'_>) -> Result<WriteOutcome> {
        let (id, version, row, origin) = match *write {
            CustomerWrite::Delete { id, version } => {
                let n = self.tx.execute(
                    "DELETE FROM customers WHERE id = $1 AND ($2::bigint IS NULL OR version = $2)",
                    &[&id, &version],
                )?;
                return Ok(if n == 0 {
                    WriteOutcome::Changed
                } else {
                    WriteOutcome::Done
                });
            }
            CustomerWrite::Insert { row, origin } => {
                let id: i64 = self
                    .tx
                    .query_one("SELECT nextval('customers_id_seq')", &[])?
                    .try_get(0)?;
                (id, None, row, origin)
            }
            CustomerWrite::Update {
                id,
                version,
                row,
                origin,
            } => (id, Some(version), row, origin),
        };
        let mut columns = Columns::default();
        columns.push(id, version.unwrap_or(1), row, origin);
        let sql = if version.is_some() {
            update_sql()
        } else {
            insert_sql()
        };
        let mut savepoint = self.tx.transaction()?;
        match savepoint.execute(&sql, &columns.params()) {
            Ok(n) => {
                savepoint.commit()?;
                Ok(match (version, n) {
                    (None, _) => WriteOutcome::Inserted(id),
                    (Some(_), 0) => WriteOutcome::Changed,
                    (Some(_), _) => WriteOutcome::Done,
                })
            }
            Err(e) => taken(e, row),
        }
    }

    /// The customers whose `column` is one of `values`, each with that value.
    fn select_where(&mut self, column: &str, values: &[String]) -> Result<Vec<(Stored, String)>> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.tx.query(
            &format!("SELECT {SELECT}, {column} FROM customers WHERE {column} = ANY($1)"),
            &[&values],
        )?;
        rows.iter()
            .map(|row| Ok((stored_from(row)?, row.try_get(AFTER_SELECT)?)))
            .collect()
    }
}

impl Unit for PostgresUnit<'_, '_> {
    fn last_customer_id(&mut self) -> Result<Option<i64>> {
        // The sequence keeps the highest id given, even when that customer was deleted.
        let row = self
            .tx
            .query_one("SELECT last_value, is_called FROM customers_id_seq", &[])?;
        let called: bool = row.try_get(1)?;
        Ok(if called { Some(row.try_get(0)?) } else { None })
    }

    fn find(&mut self, keys: &[CustomerKey]) -> Result<Vec<Option<Stored>>> {
        let mut found: HashMap<CustomerKey, Stored> = HashMap::with_capacity(keys.len());
        for (kind, values) in by_kind(keys).into_iter().enumerate() {
            for (stored, value) in self.select_where(KEY_COLUMNS[kind], &values)? {
                found.insert(key_of(kind, value), stored);
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
            let rows = self.tx.query(
                &format!("SELECT id, {column} FROM customers WHERE {column} = ANY($1)"),
                &[&values],
            )?;
            for row in rows {
                found.insert(key_of(kind, row.try_get(1)?), row.try_get(0)?);
            }
        }
        Ok(keys.iter().map(|k| found.get(k).copied()).collect())
    }

    fn get(&mut self, ids: &[i64]) -> Result<Vec<Option<Stored>>> {
        let rows = self.tx.query(
            &format!("SELECT {SELECT} FROM customers WHERE id = ANY($1)"),
            &[&ids],
        )?;
        let mut found: HashMap<i64, Stored> = HashMap::with_capacity(rows.len());
        for row in &rows {
            let stored = stored_from(row)?;
            found.insert(stored.id(), stored);
        }
        Ok(ids.iter().map(|id| found.get(id).cloned()).collect())
    }

    fn write(&mut self, writes: &[CustomerWrite<'_>]) -> Result<Vec<WriteOutcome>> {
        let mut outcomes = Vec::with_capacity(writes.len());
        let mut at = 0;
        while at < writes.len() {
            let same = |w: &CustomerWrite<'_>| {
                std::mem::discriminant(w) == std::mem::discriminant(&writes[at])
            };
            let run = writes[at..]
                .iter()
                .take(RUN)
                .take_while(|w| same(w))
                .count();
            let slice = &writes[at..at + run];
            match writes[at] {
                CustomerWrite::Insert { .. } => outcomes.extend(self.insert_run(slice)?),
                CustomerWrite::Update { .. } => outcomes.extend(self.update_run(slice)?),
                CustomerWrite::Delete { .. } => {
                    for write in slice {
                        outcomes.push(self.write_one(write)?);
                    }
                }
            }
            at += run;
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
                shops.extend(row.shops.iter().map(|s| i64::from(*s)));
                groups.extend(row.groups.iter().cloned());
                keys.extend(row.custom_keys.iter().cloned());
            }
        }
        let (shops, groups, keys): (Vec<i64>, Vec<String>, Vec<String>) = (
            shops.into_iter().collect(),
            groups.into_iter().collect(),
            keys.into_iter().collect(),
        );
        if !shops.is_empty() {
            self.tx.execute(
                "INSERT INTO shops (id, name) SELECT s, 'Shop ' || s FROM unnest($1::bigint[]) AS s
                 ON CONFLICT DO NOTHING",
                &[&shops],
            )?;
        }
        if !groups.is_empty() {
            self.tx.execute(
                "INSERT INTO customer_groups (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                &[&groups],
            )?;
        }
        if !keys.is_empty() {
            self.tx.execute(
                "INSERT INTO custom_field_keys (key) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                &[&keys],
            )?;
        }
        Ok(outcomes)
    }

    fn journal(&mut self, entries: &[JournalEntry]) -> Result<()> {
        let mut batch: Vec<Option<i64>> = Vec::new();
        let mut line: Vec<Option<i64>> = Vec::new();
        let mut actor: Vec<Option<String>> = Vec::new();
        let mut op: Vec<i16> = Vec::new();
        let mut customer: Vec<i64> = Vec::new();
        let mut last_id: Vec<Option<i64>> = Vec::new();
        let mut data: Vec<Option<Vec<u8>>> = Vec::new();
        for row in journal_rows(entries) {
            let (code, bytes) = row.entry.op.encode();
            batch.push(row.entry.batch);
            line.push(row.line.map(|l| l as i64));
            actor.push(row.entry.actor.clone());
            op.push(code);
            customer.push(row.entry.customer);
            last_id.push(row.last_id);
            data.push(bytes);
        }
        if op.is_empty() {
            return Ok(());
        }
        self.tx.execute(
            "INSERT INTO journal (batch_id, line, at, actor, op, customer_id, last_id, data)
             SELECT u.batch, u.line, $8, u.actor, u.op, u.customer, u.last_id, u.data
             FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::smallint[], $5::bigint[],
                         $6::bigint[], $7::bytea[])
                 AS u(batch, line, actor, op, customer, last_id, data)",
            &[
                &batch,
                &line,
                &actor,
                &op,
                &customer,
                &last_id,
                &data,
                &super::now(),
            ],
        )?;
        Ok(())
    }

    fn stage(&mut self, batch: i64, rows: &[StagedRow]) -> Result<()> {
        self.staged += rows.len();
        super::batches::put_rows(&mut *self.tx, batch, rows)
    }
}
