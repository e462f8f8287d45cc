//! The SQLite schema, as numbered migrations applied in order on open
//! (`PRAGMA user_version` holds how many ran). Each runs in its own transaction; a
//! migration that SQL alone cannot express (re-encoding documents) is a Rust function.

use custio_model::{Customer, FieldChange, PasswordHash};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::now;
use crate::CustomerRow;
use crate::{Result, RowAction, RowCounts, RowStatus, StoreError};

/// One migration.
enum Step {
    Sql(&'static str),
    Rust(fn(&Connection) -> Result<()>),
}

/// Applies the migrations a database lacks; refuses one written by a newer custio. Each
/// step reads the version inside its own write transaction, so two processes that open
/// a new file at once apply every step once: the second waits, then finds it done.
pub(super) fn migrate(conn: &Connection) -> Result<()> {
    let supported = STEPS.len() as i64;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > supported {
        return Err(StoreError::TooNew { found, supported });
    }
    // An up-to-date file is opened without taking the write lock (an import may hold it).
    if found < supported {
        while apply_next_step(conn)? {}
    }
    if (1..COMPACTED).contains(&found) {
        // The old tables' pages still hold their text (the buffer kept cells as read, a
        // plain password among them): rewrite the file without them.
        conn.execute_batch("VACUUM")?;
    }
    // A bulk import that stopped half-way left the list's indexes dropped.
    conn.execute_batch(LIST_INDEXES)?;
    Ok(())
}

/// Applies the first step the database lacks, reading its version under the write lock;
/// `false` when none is missing.
fn apply_next_step(conn: &Connection) -> Result<bool> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let Some(step) = STEPS.get(version as usize) else {
        return Ok(false);
    };
    match step {
        Step::Sql(sql) => tx.execute_batch(sql)?,
        Step::Rust(run) => run(&tx)?,
    }
    tx.pragma_update(None, "user_version", version + 1)?;
    tx.commit()?;
    Ok(true)
}

/// The schema version from which documents are compact and the buffer holds no cells.
const COMPACTED: i64 = 4;

const STEPS: &[Step] = &[
    Step::Sql(MIGRATIONS[0]),
    Step::Sql(MIGRATIONS[1]),
    Step::Sql(MIGRATIONS[2]),
    Step::Rust(compact_store),
    Step::Sql(COUNTS_CACHE),
    Step::Sql(LEASES),
    Step::Sql(SHARED_CHECKS),
    Step::Sql(SOURCE_MIGRATIONS),
];

/// Schema 8: migrations from shop platforms' APIs: where from, their sealed credentials
/// (erased when the source is deleted), their state as JSON (the engine's), and the ids
/// each source's customers have in custio, so that a migration run again updates them.
const SOURCE_MIGRATIONS: &str = "
    CREATE TABLE migrations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        platform TEXT NOT NULL,
        url TEXT NOT NULL,
        status TEXT NOT NULL,
        credentials BLOB,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
";

/// Schema 7: a big check shared by several workers: how many of its chunks were taken,
/// and which are staged with the shops their rows name.
const SHARED_CHECKS: &str = "
    CREATE TABLE check_shares (batch_id INTEGER PRIMARY KEY, taken INTEGER NOT NULL);
    CREATE TABLE check_chunks (
        batch_id INTEGER NOT NULL,
        chunk INTEGER NOT NULL,
        shops TEXT NOT NULL,
        PRIMARY KEY (batch_id, chunk)
    ) WITHOUT ROWID;
";

/// Schema 6: who runs a job and until when its claim holds, so that workers in several
/// processes share the queue and a dead one's job is taken over.
const LEASES: &str = "
    ALTER TABLE jobs ADD COLUMN worker TEXT;
    ALTER TABLE jobs ADD COLUMN lease_until TEXT;
";

/// Schema 5: a batch's row counts kept beside it, so that the import log does not read
/// every buffered row of every batch. `rows_version` grows with every write to the
/// batch's rows; the cached counts hold for the version they were tallied at.
const COUNTS_CACHE: &str = "
    ALTER TABLE batches ADD COLUMN rows_version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE batches ADD COLUMN tally TEXT;
    ALTER TABLE batches ADD COLUMN tally_version INTEGER;
";

/// Schema 1 to 3, as they were written.
const MIGRATIONS: &[&str] = &[
    // 1: shops, customers, batches, staged rows, journal, audit log.
    "
    CREATE TABLE shops (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT,
        language TEXT
    );
    INSERT INTO shops (id, name) VALUES (1, 'Shop 1');

    CREATE TABLE customer_groups (name TEXT PRIMARY KEY);

    CREATE TABLE customers (
        id INTEGER PRIMARY KEY,
        guid TEXT,
        login TEXT,
        email_key TEXT,
        shops TEXT NOT NULL,
        search TEXT NOT NULL,
        data TEXT NOT NULL,
        password TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX customers_login ON customers (login) WHERE login IS NOT NULL;
    CREATE UNIQUE INDEX customers_email ON customers (email_key) WHERE email_key IS NOT NULL;
    CREATE UNIQUE INDEX customers_guid ON customers (guid) WHERE guid IS NOT NULL;

    CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        source TEXT NOT NULL,
        dialect TEXT NOT NULL,
        encoding TEXT,
        status TEXT NOT NULL,
        options TEXT NOT NULL,
        header TEXT NOT NULL,
        unknown_columns TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',
        error TEXT
    );

    CREATE TABLE staged_rows (
        batch_id INTEGER NOT NULL REFERENCES batches (id),
        line INTEGER NOT NULL,
        status TEXT NOT NULL,
        action TEXT,
        paired_by TEXT,
        customer_id INTEGER,
        cells TEXT NOT NULL,
        edits TEXT NOT NULL,
        patch TEXT NOT NULL,
        issues TEXT NOT NULL,
        changes TEXT NOT NULL,
        message TEXT,
        login_key TEXT,
        email_key TEXT,
        label TEXT NOT NULL,
        UNIQUE (batch_id, line)
    );
    CREATE INDEX staged_rows_login ON staged_rows (batch_id, login_key, line);
    CREATE INDEX staged_rows_email ON staged_rows (batch_id, email_key, line);
    CREATE INDEX staged_rows_status ON staged_rows (batch_id, status, line);

    CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES batches (id),
        line INTEGER NOT NULL,
        customer_id INTEGER NOT NULL,
        before_data TEXT,
        before_password TEXT,
        after_data TEXT NOT NULL,
        after_password TEXT,
        at TEXT NOT NULL
    );
    CREATE INDEX journal_batch ON journal (batch_id, id);

    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    ",
    // 2: what dialect rules pair against (agreements, pricelists) and saved mapping profiles.
    "
    CREATE TABLE agreements (
        name TEXT PRIMARY KEY,
        validity_days INTEGER
    );
    CREATE TABLE pricelists (name TEXT PRIMARY KEY);
    CREATE TABLE mapping_profiles (
        name TEXT PRIMARY KEY,
        dialect TEXT NOT NULL,
        columns TEXT NOT NULL,
        ignored TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    ",
    // 3: the web service: users, sessions, API tokens, settings, persisted jobs; and the
    // maintained (generated) columns that the customer list sorts and filters on, each
    // indexed so that every page of every order is an index range scan.
    "
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL,
        view_columns TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        payload TEXT NOT NULL,
        result TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER,
        rate REAL,
        error TEXT,
        note TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
    );
    CREATE INDEX jobs_state ON jobs (state, id);

    ALTER TABLE customers ADD COLUMN list_email TEXT
        GENERATED ALWAYS AS (COALESCE(email_key, '')) VIRTUAL;
    ALTER TABLE customers ADD COLUMN list_name TEXT
        GENERATED ALWAYS AS (lower(COALESCE(json_extract(data, '$.last_name'), '') || ' ' || COALESCE(json_extract(data, '$.first_name'), ''))) VIRTUAL;
    ALTER TABLE customers ADD COLUMN list_registered TEXT
        GENERATED ALWAYS AS (COALESCE(json_extract(data, '$.registered_at'), '')) VIRTUAL;
    ALTER TABLE customers ADD COLUMN list_last_order TEXT
        GENERATED ALWAYS AS (COALESCE(json_extract(data, '$.last_order_at'), '')) VIRTUAL;
    ALTER TABLE customers ADD COLUMN list_kind TEXT
        GENERATED ALWAYS AS (json_extract(data, '$.kind')) VIRTUAL;
    ALTER TABLE customers ADD COLUMN list_newsletter TEXT
        GENERATED ALWAYS AS (json_extract(data, '$.newsletter_email')) VIRTUAL;
    CREATE INDEX customers_list_email ON customers (list_email, id);
    CREATE INDEX customers_list_name ON customers (list_name, id);
    CREATE INDEX customers_list_registered ON customers (list_registered, id);
    CREATE INDEX customers_list_last_order ON customers (list_last_order, id);
    CREATE INDEX customers_list_kind ON customers (list_kind, id);
    CREATE INDEX customers_list_newsletter ON customers (list_newsletter, id);
    ",
];

/// Schema 4: customers as compact documents beside the plain columns that pairing and
/// the list use (computed in Rust, no JSON parsed by SQLite), a version per customer; a
/// buffer that keeps typed patches and plans; a journal of field-level changes. Customers
/// and the journal of a schema-3 database are re-encoded; buffers of batches not yet
/// committed cannot be (their rows were English sentences), so those batches are marked
/// failed with a request to import the file again.
const SCHEMA_4: &str = "
    CREATE TABLE customers_v4 (
        -- AUTOINCREMENT: a deleted customer's id is never given to another, so the journal
        -- and the audit log never point at the wrong customer.
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        version INTEGER NOT NULL DEFAULT 1,
        batch INTEGER,
        line INTEGER,
        guid TEXT,
        login TEXT,
        email TEXT,
        first_name TEXT,
        last_name TEXT,
        registered INTEGER,
        last_order INTEGER,
        kind INTEGER NOT NULL,
        newsletter INTEGER NOT NULL,
        doc BLOB NOT NULL
    );
    CREATE TABLE custom_field_keys (key TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE journal_v4 (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER,
        line INTEGER,
        at TEXT NOT NULL,
        actor TEXT,
        op INTEGER NOT NULL,
        customer_id INTEGER NOT NULL,
        last_id INTEGER,
        data BLOB
    );
    CREATE TABLE staged_rows_v4 (
        batch_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        status INTEGER NOT NULL,
        action INTEGER,
        paired_by TEXT,
        customer_id INTEGER,
        version INTEGER,
        label TEXT NOT NULL,
        patch BLOB,
        changes BLOB,
        issues TEXT,
        note TEXT,
        record BLOB,
        login_hash INTEGER,
        email_hash INTEGER,
        PRIMARY KEY (batch_id, line)
    ) WITHOUT ROWID;
    ALTER TABLE batches ADD COLUMN purged_at TEXT;
    ALTER TABLE batches ADD COLUMN counts TEXT;
";

/// The indexes of schema 4. Rows set aside (invalid 1, skipped 2, failed 4: usually few)
/// are listed through `staged_rows_set_aside`; pending and imported rows, most of a batch,
/// are read in line order and need no index of their own. (also re-created after a bulk import dropped the list's).
pub(super) const INDEXES_4: &str = "
    CREATE UNIQUE INDEX IF NOT EXISTS customers_login ON customers (login) WHERE login IS NOT NULL;
    CREATE UNIQUE INDEX IF NOT EXISTS customers_email ON customers (email);
    CREATE UNIQUE INDEX IF NOT EXISTS customers_guid ON customers (guid) WHERE guid IS NOT NULL;
    CREATE INDEX IF NOT EXISTS journal_batch ON journal (batch_id, id);
    CREATE INDEX IF NOT EXISTS staged_rows_set_aside ON staged_rows (batch_id, status, line)
        WHERE status IN (1, 2, 4);
";

/// The customer list's sort and filter indexes: each page of each order is an index range
/// scan. A bulk import drops and rebuilds them (a sort is far faster than a million
/// scattered inserts). The name order is an expression (`custio_name`, last and first
/// name folded to lower case, a function every connection registers), so the table keeps
/// the names once; indexes of values most customers lack or share leave those out
/// (customers without an order, private persons), which the list then reads in id order.
pub(super) const LIST_INDEXES: &str = "
    CREATE INDEX IF NOT EXISTS customers_name ON customers (custio_name(last_name, first_name));
    CREATE INDEX IF NOT EXISTS customers_registered ON customers (registered);
    CREATE INDEX IF NOT EXISTS customers_last_order ON customers (last_order)
        WHERE last_order IS NOT NULL;
    CREATE INDEX IF NOT EXISTS customers_kind ON customers (kind) WHERE kind <> 1;
    CREATE INDEX IF NOT EXISTS customers_newsletter ON customers (newsletter);
";

/// Drops the list's indexes before a bulk import.
pub(super) const DROP_LIST_INDEXES: &str = "
    DROP INDEX IF EXISTS customers_name;
    DROP INDEX IF EXISTS customers_registered;
    DROP INDEX IF EXISTS customers_last_order;
    DROP INDEX IF EXISTS customers_kind;
    DROP INDEX IF EXISTS customers_newsletter;
";

fn compact_store(conn: &Connection) -> Result<()> {
    conn.execute_batch(SCHEMA_4)?;
    copy_customers(conn)?;
    copy_journal(conn)?;
    close_old_batches(conn)?;
    conn.execute_batch(
        "DROP TABLE customers; ALTER TABLE customers_v4 RENAME TO customers;
         DROP TABLE journal; ALTER TABLE journal_v4 RENAME TO journal;
         DROP TABLE staged_rows; ALTER TABLE staged_rows_v4 RENAME TO staged_rows;",
    )?;
    conn.execute_batch(INDEXES_4)?;
    conn.execute_batch(LIST_INDEXES)?;
    Ok(())
}

fn old_customer(data: &str, password: Option<String>) -> Result<Customer> {
    let mut customer: Customer = serde_json::from_str(data).map_err(super::corrupt("customer"))?;
    customer.password = password.map(PasswordHash::from_encoded);
    Ok(customer)
}

fn copy_customers(conn: &Connection) -> Result<()> {
    let mut read = conn.prepare("SELECT id, data, password FROM customers ORDER BY id")?;
    let mut write = conn.prepare(
        "INSERT INTO customers_v4 (id, version, guid, login, email, first_name, last_name, registered, last_order, kind, newsletter, doc)
         VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut keys = conn.prepare("INSERT OR IGNORE INTO custom_field_keys (key) VALUES (?1)")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let customer = old_customer(&row.get::<_, String>(1)?, row.get(2)?)?;
        let CustomerRow {
            guid,
            login,
            email,
            first_name,
            last_name,
            registered,
            last_order,
            kind,
            newsletter,
            doc,
            ..
        } = CustomerRow::new(&customer);
        write.execute(params![
            id, guid, login, email, first_name, last_name, registered, last_order, kind,
            newsletter, doc
        ])?;
        for key in customer.custom_fields.keys() {
            keys.execute([key])?;
        }
    }
    Ok(())
}

fn copy_journal(conn: &Connection) -> Result<()> {
    let mut read = conn.prepare(
        "SELECT batch_id, line, customer_id, before_data, before_password, after_data, after_password, at FROM journal ORDER BY id",
    )?;
    let mut write = conn.prepare(
        "INSERT INTO journal_v4 (batch_id, line, at, op, customer_id, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let before: Option<String> = row.get(3)?;
        let (op, data) = match before {
            None => (crate::JournalOp::INSERTED, None),
            Some(before) => {
                let before = old_customer(&before, row.get(4)?)?;
                let after = old_customer(&row.get::<_, String>(5)?, row.get(6)?)?;
                crate::JournalOp::Updated(FieldChange::between(&before, &after)).encode()
            }
        };
        write.execute(params![
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(7)?,
            op,
            row.get::<_, i64>(2)?,
            data
        ])?;
    }
    Ok(())
}

fn close_old_batches(conn: &Connection) -> Result<()> {
    let mut counts: std::collections::BTreeMap<i64, RowCounts> = Default::default();
    {
        let mut stmt = conn.prepare(
            "SELECT batch_id, status, action, COUNT(*) FROM staged_rows GROUP BY 1, 2, 3",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let status: String = row.get(1)?;
            let action: Option<String> = row.get(2)?;
            counts.entry(row.get(0)?).or_default().add(
                RowStatus::parse(&status).unwrap_or(RowStatus::Failed),
                action.as_deref().and_then(RowAction::parse),
                row.get::<_, i64>(3)? as u64,
            );
        }
    }
    for (batch, counts) in counts {
        conn.execute(
            "UPDATE batches SET counts = ?2, purged_at = ?3 WHERE id = ?1",
            params![batch, super::json(&counts), now()],
        )?;
    }
    conn.execute(
        "UPDATE batches SET status = 'failed',
             error = 'this file was checked by an earlier version of custio; import it again'
         WHERE status IN ('checking', 'needs_mapping', 'checked')",
        [],
    )?;
    Ok(())
}
