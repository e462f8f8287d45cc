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
