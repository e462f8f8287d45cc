PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE shops (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT,
        language TEXT
    );
INSERT INTO shops VALUES(1,'Shop 1',NULL,NULL);
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
    , list_email TEXT
        GENERATED ALWAYS AS (COALESCE(email_key, '')) VIRTUAL, list_name TEXT
        GENERATED ALWAYS AS (lower(COALESCE(json_extract(data, '$.last_name'), '') || ' ' || COALESCE(json_extract(data, '$.first_name'), ''))) VIRTUAL, list_registered TEXT
        GENERATED ALWAYS AS (COALESCE(json_extract(data, '$.registered_at'), '')) VIRTUAL, list_last_order TEXT
        GENERATED ALWAYS AS (COALESCE(json_extract(data, '$.last_order_at'), '')) VIRTUAL, list_kind TEXT
        GENERATED ALWAYS AS (json_extract(data, '$.kind')) VIRTUAL, list_newsletter TEXT
        GENERATED ALWAYS AS (json_extract(data, '$.newsletter_email')) VIRTUAL);
INSERT INTO customers VALUES(1,NULL,'jkowalski','jan.kowalski@example.pl',',,','jkowalski jan.kowalski@example.pl janek kowalski warszawa','{"active":true,"billing":{"city":"Warszawa","street":"Jasna 5","zip":"00-950"},"blocked":false,"company":{"vat_payer":false},"email":"jan.kowalski@example.pl","email_verified":false,"first_name":"Janek","kind":"person","last_login_at":"2026-12-01T06:26:51","last_name":"Kowalski","login":"jkowalski","newsletter_email":"notset","newsletter_sms":"notset","registered_at":"2026-12-01T06:26:51","wholesaler":false}','$argon2id$v=19$m=19456,t=2,p=1$uCbSAhlKkWfYCjNqbWCTsQ$MI7kMuqRCS7eVaHC4PZCcXF/oqTN8j7vfSIHkROVFdo','2026-12-01 06:26:51','2026-12-01 06:26:51');
INSERT INTO customers VALUES(2,NULL,'anowak','anna.nowak@example.pl',',,','anowak anna.nowak@example.pl anna nowak kraków','{"active":true,"billing":{"city":"Kraków","street":"Długa 1","zip":"31-001"},"blocked":false,"company":{"vat_payer":false},"email":"anna.nowak@example.pl","email_verified":false,"first_name":"Anna","kind":"person","last_login_at":"2026-12-01T06:26:51","last_name":"Nowak","login":"anowak","newsletter_email":"notset","newsletter_sms":"notset","registered_at":"2026-12-01T06:26:51","wholesaler":false}',NULL,'2026-12-01 06:26:51','2026-12-01 06:26:51');
INSERT INTO customers VALUES(3,NULL,'pzielinski','piotr@example.pl',',,','pzielinski piotr@example.pl piotr zieliński gdańsk','{"active":true,"billing":{"city":"Gdańsk","street":"Polna 2","zip":"80-001"},"blocked":false,"company":{"vat_payer":false},"email":"piotr@example.pl","email_verified":false,"first_name":"Piotr","kind":"person","last_login_at":"2026-12-01T06:26:51","last_name":"Zieliński","login":"pzielinski","newsletter_email":"notset","newsletter_sms":"notset","registered_at":"2026-12-01T06:26:51","wholesaler":false}',NULL,'2026-12-01 06:26:51','2026-12-01 06:26:51');
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
INSERT INTO batches VALUES(1,'2026-12-01 06:26:50','a.csv','idosell','utf-8','committed','{"bindings":[],"default_group":null,"delimiter":null,"encoding":null,"has_header":null,"mappings":[],"on_existing":"update"}','["login","email","firstname","lastname","street","zipcode","city","password"]','null','[]',NULL);
INSERT INTO batches VALUES(2,'2026-12-01 06:26:51','b.csv','idosell','utf-8','committed','{"bindings":[],"default_group":null,"delimiter":null,"encoding":null,"has_header":null,"mappings":[],"on_existing":"update"}','["login","email","firstname","lastname","street","zipcode","city"]','null','[]',NULL);
INSERT INTO batches VALUES(3,'2026-12-01 06:26:51','c.csv','idosell','utf-8','checked','{"bindings":[],"default_group":null,"delimiter":null,"encoding":null,"has_header":null,"mappings":[],"on_existing":"update"}','["login","email","firstname","lastname","street","zipcode","city"]','null','[]',NULL);
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
INSERT INTO staged_rows VALUES(1,2,'imported','new',NULL,1,'["jkowalski","jan.kowalski@example.pl","Jan","Kowalski","Jasna 5","00-950","Warszawa","tajne123"]','{}','{"billing.city":"Warszawa","billing.street":"Jasna 5","billing.zip":"00-950","email":"jan.kowalski@example.pl","first_name":"Jan","last_name":"Kowalski","login":"jkowalski","password":"$argon2id$v=19$m=19456,t=2,p=1$uCbSAhlKkWfYCjNqbWCTsQ$MI7kMuqRCS7eVaHC4PZCcXF/oqTN8j7vfSIHkROVFdo"}','[]','["login","email","first_name","last_name","billing.street","billing.city","billing.zip","password"]','created customer 1','jkowalski','jan.kowalski@example.pl','Jan Kowalski');
INSERT INTO staged_rows VALUES(1,3,'imported','new',NULL,2,'["anowak","anna.nowak@example.pl","Anna","Nowak","Długa 1","31-001","Kraków",""]','{}','{"billing.city":"Kraków","billing.street":"Długa 1","billing.zip":"31-001","email":"anna.nowak@example.pl","first_name":"Anna","last_name":"Nowak","login":"anowak"}','[]','["login","email","first_name","last_name","billing.street","billing.city","billing.zip"]','created customer 2','anowak','anna.nowak@example.pl','Anna Nowak');
INSERT INTO staged_rows VALUES(1,4,'imported','new',NULL,3,'["pzielinski","piotr@example.pl","Piotr","Zieliński","Polna 2","80-001","Gdańsk",""]','{}','{"billing.city":"Gdańsk","billing.street":"Polna 2","billing.zip":"80-001","email":"piotr@example.pl","first_name":"Piotr","last_name":"Zieliński","login":"pzielinski"}','[]','["login","email","first_name","last_name","billing.street","billing.city","billing.zip"]','created customer 3','pzielinski','piotr@example.pl','Piotr Zieliński');
INSERT INTO staged_rows VALUES(2,2,'imported','update','login',1,'["jkowalski","jan.kowalski@example.pl","Janek","Kowalski","Jasna 5","00-950","Warszawa"]','{}','{"billing.city":"Warszawa","billing.street":"Jasna 5","billing.zip":"00-950","email":"jan.kowalski@example.pl","first_name":"Janek","last_name":"Kowalski","login":"jkowalski"}','[]','["first_name"]','updated customer 1','jkowalski','jan.kowalski@example.pl','Janek Kowalski');
INSERT INTO staged_rows VALUES(3,2,'pending','new',NULL,NULL,'["mwisniewska","maria@example.pl","Maria","Wiśniewska","Leśna 3","60-001","Poznań"]','{}','{"billing.city":"Poznań","billing.street":"Leśna 3","billing.zip":"60-001","email":"maria@example.pl","first_name":"Maria","last_name":"Wiśniewska","login":"mwisniewska"}','[]','["login","email","first_name","last_name","billing.street","billing.city","billing.zip"]',NULL,'mwisniewska','maria@example.pl','Maria Wiśniewska');
INSERT INTO staged_rows VALUES(3,3,'invalid','new',NULL,NULL,'["zly","not-an-email","Zły","Adres","Krótka 4","90-001","Łódź"]','{}','{"billing.city":"Łódź","billing.street":"Krótka 4","billing.zip":"90-001","first_name":"Zły","last_name":"Adres","login":"zly"}','[{"column":"email","field":"email","code":"invalid_email","message":"''not-an-email'' is not a valid e-mail address; write it as name@domain, e.g. jan@example.pl","value":"not-an-email"}]','["login","first_name","last_name","billing.street","billing.city","billing.zip"]',NULL,'zly',NULL,'Zły Adres');
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
INSERT INTO journal VALUES(1,1,2,1,NULL,NULL,'{"active":true,"billing":{"city":"Warszawa","street":"Jasna 5","zip":"00-950"},"blocked":false,"company":{"vat_payer":false},"email":"jan.kowalski@example.pl","email_verified":false,"first_name":"Jan","kind":"person","last_login_at":"2026-12-01T06:26:51","last_name":"Kowalski","login":"jkowalski","newsletter_email":"notset","newsletter_sms":"notset","registered_at":"2026-12-01T06:26:51","wholesaler":false}','$argon2id$v=19$m=19456,t=2,p=1$uCbSAhlKkWfYCjNqbWCTsQ$MI7kMuqRCS7eVaHC4PZCcXF/oqTN8j7vfSIHkROVFdo','2026-12-01 06:26:51');
INSERT INTO journal VALUES(2,1,3,2,NULL,NULL,'{"active":true,"billing":{"city":"Kraków","street":"Długa 1","zip":"31-001"},"blocked":false,"company":{"vat_payer":false},"email":"anna.nowak@example.pl","email_verified":false,"first_name":"Anna","kind":"person","last_login_at":"2026-12-01T06:26:51","last_name":"Nowak","login":"anowak","newsletter_email":"notset","newsletter_sms":"notset","registered_at":"2026-12-01T06:26:51","wholesaler":false}',NULL,'2026-12-01 06:26:51');
INSERT INTO journal VALUES(3,1,4,3,NULL,NULL,'{"active":true,"billing":{"city":"Gdańsk","street":"Polna 2","zip":"80-001"},"blocked":false,"company":{"vat_payer":false},"email":"piotr@example.pl","email_verified":false,"first_name":"Piotr","kind":"person","last_login_at":"2026-12-01T06:26:51","last_name":"Zieliński","login":"pzielinski","newsletter_email":"notset","newsletter_sms":"notset","registered_at":"2026-12-01T06:26:51","wholesaler":false}',NULL,'2026-12-01 06:26:51');
INSERT INTO journal VALUES(4,2,2,1,'{"active":true,"billing":{"city":"Warszawa","street":"Jasna 5","zip":"00-950"},"blocked":false,"company":{"vat_payer":false},"email":"jan.kowalski@example.pl","email_verified":false,"first_name":"Jan","kind":"person","last_login_at":"2026-12-01T06:26:51","last_name":"Kowalski","login":"jkowalski","newsletter_email":"notset","newsletter_sms":"notset","registered_at":"2026-12-01T06:26:51","wholesaler":false}','$argon2id$v=19$m=19456,t=2,p=1$uCbSAhlKkWfYCjNqbWCTsQ$MI7kMuqRCS7eVaHC4PZCcXF/oqTN8j7vfSIHkROVFdo','{"active":true,"billing":{"city":"Warszawa","street":"Jasna 5","zip":"00-950"},"blocked":false,"company":{"vat_payer":false},"email":"jan.kowalski@example.pl","email_verified":false,"first_name":"Janek","kind":"person","last_login_at":"2026-12-01T06:26:51","last_name":"Kowalski","login":"jkowalski","newsletter_email":"notset","newsletter_sms":"notset","registered_at":"2026-12-01T06:26:51","wholesaler":false}','$argon2id$v=19$m=19456,t=2,p=1$uCbSAhlKkWfYCjNqbWCTsQ$MI7kMuqRCS7eVaHC4PZCcXF/oqTN8j7vfSIHkROVFdo','2026-12-01 06:26:51');
CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
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
CREATE UNIQUE INDEX customers_login ON customers (login) WHERE login IS NOT NULL;
CREATE UNIQUE INDEX customers_email ON customers (email_key) WHERE email_key IS NOT NULL;
CREATE UNIQUE INDEX customers_guid ON customers (guid) WHERE guid IS NOT NULL;
CREATE INDEX staged_rows_login ON staged_rows (batch_id, login_key, line);
CREATE INDEX staged_rows_email ON staged_rows (batch_id, email_key, line);
CREATE INDEX staged_rows_status ON staged_rows (batch_id, status, line);
CREATE INDEX journal_batch ON journal (batch_id, id);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX jobs_state ON jobs (state, id);
CREATE INDEX customers_list_email ON customers (list_email, id);
CREATE INDEX customers_list_name ON customers (list_name, id);
CREATE INDEX customers_list_registered ON customers (list_registered, id);
CREATE INDEX customers_list_last_order ON customers (list_last_order, id);
CREATE INDEX customers_list_kind ON customers (list_kind, id);
CREATE INDEX customers_list_newsletter ON customers (list_newsletter, id);
COMMIT;
PRAGMA user_version=3;
