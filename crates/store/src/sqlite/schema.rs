//! The SQLite schema, as numbered migrations applied in order on open
//! (`PRAGMA user_version` holds how many ran).

pub(super) const MIGRATIONS: &[&str] = &[
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
];
