//! SQLite side of the service records (schema 3): users, sessions, API tokens, settings,
//! jobs, and the customer list with its indexed sort columns.

use custio_model::{Customer, DateTime};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::{TIME, corrupt, customer_from, json, now, parse_time, search_text, shops_text};
use crate::service::*;
use crate::types::CustomerQuery;
use crate::{Result, StoreError, TakenKey};

fn time(t: DateTime) -> String {
    t.format(TIME).to_string()
}

/// Appends the `WHERE` conditions of `query` (each starting with ` AND `) and their
/// arguments.
pub(super) fn query_filter(query: &CustomerQuery, sql: &mut String, args: &mut Vec<SqlValue>) {
    query_filter_for(query, None, sql, args)
}

/// [`query_filter`] for a listing in `sort` order. When the order is not by id, the
/// filters' own indexes are disqualified (`+column`) unless the filter is on the sort
/// column: the planner then walks the sort index and stops after a page, instead of
/// collecting every match of an unselective filter (a fifth of the base for a kind) and
/// sorting it.
fn query_filter_for(
    query: &CustomerQuery,
    sort: Option<&str>,
    sql: &mut String,
    args: &mut Vec<SqlValue>,
) {
    let col = |name: &str| -> String {
        match sort {
            Some(s) if s != "id" && s != name => format!("+{name}"),
            _ => name.to_string(),
        }
    };
    let (kind, newsletter, registered) = (
        col("list_kind"),
        col("list_newsletter"),
        col("list_registered"),
    );
    let mut push = |cond: &str, value: SqlValue, sql: &mut String| {
        args.push(value);
        sql.push_str(&cond.replace('?', &format!("?{}", args.len())));
    };
    if let Some(search) = query.search.as_deref().filter(|s| !s.trim().is_empty()) {
        push(
            " AND search LIKE ?",
            format!("%{}%", search.trim().to_lowercase()).into(),
            sql,
        );
    }
    if let Some(shop) = query.shop {
        push(" AND shops LIKE ?", format!("%,{shop},%").into(), sql);
    }
    if let Some(group) = query.group.as_deref().filter(|s| !s.is_empty()) {
        push(
            " AND EXISTS (SELECT 1 FROM json_each(customers.data, '$.groups') AS g WHERE g.value = ?)",
            group.to_string().into(),
            sql,
        );
    }
    if let Some(kind_filter) = query.kind.as_deref().filter(|s| !s.is_empty()) {
        push(
            &format!(" AND {kind} = ?"),
            kind_filter.to_string().into(),
            sql,
        );
    }
    if let Some(n) = query.newsletter.as_deref().filter(|s| !s.is_empty()) {
        push(&format!(" AND {newsletter} = ?"), n.to_string().into(), sql);
    }
    if let Some(from) = query.registered_from.as_deref().filter(|s| !s.is_empty()) {
        push(
            &format!(" AND {registered} >= ? AND {registered} <> ''"),
            from.to_string().into(),
            sql,
        );
    }
    if let Some(to) = query.registered_to.as_deref().filter(|s| !s.is_empty()) {
        // Dates are stored as `YYYY-MM-DDTHH:MM:SS`: the whole last day is included.
        push(
            &format!(" AND {registered} <> '' AND {registered} <= ?"),
            format!("{to}T99").into(),
            sql,
        );
    }
    if !query.ids.is_empty() {
        let list: Vec<String> = query.ids.iter().map(i64::to_string).collect();
        sql.push_str(&format!(" AND id IN ({})", list.join(",")));
    }
}

fn sort_column(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::Id => "id",
        CustomerSort::Email => "list_email",
        CustomerSort::Name => "list_name",
        CustomerSort::Registered => "list_registered",
        CustomerSort::LastOrder => "list_last_order",
    }
}

pub(super) fn customer_list(
    conn: &Connection,
    query: &CustomerQuery,
    sort: CustomerSort,
    desc: bool,
    after: Option<&CustomerCursor>,
    limit: usize,
) -> Result<CustomerPage> {
    let col = sort_column(sort);
    let (cmp, dir) = if desc { ("<", "DESC") } else { (">", "ASC") };
    let mut args: Vec<SqlValue> = Vec::new();
    let mut filters = String::new();
    query_filter_for(query, Some(col), &mut filters, &mut args);
    args.push(((limit + 1) as i64).into());
    let n = args.len();
    let select = format!("SELECT id, data, password, {col} AS k FROM customers WHERE");
    let order = if sort == CustomerSort::Id {
        format!("ORDER BY id {dir}")
    } else {
        format!("ORDER BY {col} {dir}, id {dir}")
    };
    let sql = match after {
        None => format!("{select} 1 = 1{filters} {order} LIMIT ?{n}"),
        Some(cursor) if sort == CustomerSort::Id => {
            args.push(cursor.id.into());
            format!(
                "{select} id {cmp} ?{}{filters} {order} LIMIT ?{n}",
                args.len()
            )
        }
        Some(cursor) => {
            // The rest of the cursor's tie (same value, further ids), then the values
            // beyond it: two index seeks. A row-value comparison `(k, id) > (?, ?)` only
            // seeks on `k` and walks the whole tie, which is slow when many customers
            // share a value (every customer without an order has an empty date).
            args.push(cursor.value.clone().into());
            args.push(cursor.id.into());
            let (v, i) = (args.len() - 1, args.len());
            format!(
                "SELECT * FROM ({select} {col} = ?{v} AND id {cmp} ?{i}{filters} {order} LIMIT ?{n})
                 UNION ALL
                 SELECT * FROM ({select} {col} {cmp} ?{v}{filters} {order} LIMIT ?{n})
                 ORDER BY k {dir}, id {dir} LIMIT ?{n}"
            )
        }
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, rusqlite::types::Value>(3)?,
        ))
    })?;
    let mut customers = Vec::with_capacity(limit);
    let mut next = None;
    let mut last: Option<CustomerCursor> = None;
    for row in rows {
        let (id, data, pw, key) = row?;
        if customers.len() == limit {
            next = last.take();
            break;
        }
        customers.push(customer_from(id, &data, pw)?);
        let value = match key {
            SqlValue::Text(t) => t,
            SqlValue::Integer(i) => i.to_string(),
            _ => String::new(),
        };
        last = Some(CustomerCursor { value, id });
    }
    Ok(CustomerPage { customers, next })
}

fn customer_doc(c: &Customer) -> String {
    json(&Customer {
        id: None,
        password: None,
        ..c.clone()
    })
}

pub(super) fn insert_customer(conn: &Connection, c: &Customer) -> Result<i64> {
    let at = now();
    conn.execute(
        "INSERT INTO customers (guid, login, email_key, shops, search, data, password, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            c.guid,
            c.login,
            c.email.as_ref().map(|e| e.key()),
            shops_text(c),
            search_text(c),
            customer_doc(c),
            c.password.as_ref().map(|p| p.encoded()),
            at
        ],
    )
    .map_err(|e| super::unique_conflict(e, c))?;
    let id = conn.last_insert_rowid();
    for shop in &c.shops {
        conn.execute(
            "INSERT OR IGNORE INTO shops (id, name) VALUES (?1, 'Shop ' || ?1)",
            [shop],
        )?;
    }
    for group in &c.groups {
        conn.execute(
            "INSERT OR IGNORE INTO customer_groups (name) VALUES (?1)",
            [group],
        )?;
    }
    Ok(id)
}

pub(super) fn update_customer(conn: &Connection, c: &Customer) -> Result<bool> {
    let Some(id) = c.id else { return Ok(false) };
    let changed = conn
        .execute(
            "UPDATE customers SET guid = ?2, login = ?3, email_key = ?4, shops = ?5, search = ?6, data = ?7,
             password = COALESCE(?8, password), updated_at = ?9 WHERE id = ?1",
            params![
                id,
                c.guid,
                c.login,
                c.email.as_ref().map(|e| e.key()),
                shops_text(c),
                search_text(c),
                customer_doc(c),
                c.password.as_ref().map(|p| p.encoded()),
                now()
            ],
        )
        .map_err(|e| super::unique_conflict(e, c))?;
    for group in &c.groups {
        conn.execute(
            "INSERT OR IGNORE INTO customer_groups (name) VALUES (?1)",
            [group],
        )?;
    }
    Ok(changed > 0)
}

pub(super) fn delete_customer(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM customers WHERE id = ?1", [id])? > 0)
}

const USER_COLUMNS: &str = "id, username, password_hash, role, view_columns, created_at";

fn user_from(r: &Row) -> rusqlite::Result<(User, String)> {
    let role: String = r.get(3)?;
    Ok((
        User {
            id: r.get(0)?,
            username: r.get(1)?,
            password_hash: r.get(2)?,
            role: Role::parse(&role).unwrap_or(Role::Staff),
            view_columns: Vec::new(),
            created_at: parse_time(&r.get::<_, String>(5)?),
        },
        r.get(4)?,
    ))
}

fn finish_user((mut user, columns): (User, String)) -> Result<User> {
    user.view_columns = serde_json::from_str(&columns).map_err(corrupt("user view"))?;
    Ok(user)
}

pub(super) fn create_user(
    conn: &Connection,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![username, password_hash, role.as_str(), now()],
    )
    .map_err(|e| match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Taken {
                key: TakenKey::UserName,
                value: username.to_string(),
                owner: "user",
            }
        }
        _ => StoreError::Sqlite(e),
    })?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn user(conn: &Connection, id: i64) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1");
    conn.query_row(&sql, [id], user_from)
        .optional()?
        .map(finish_user)
        .transpose()
}

pub(super) fn user_by_name(conn: &Connection, name: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = ?1");
    conn.query_row(&sql, [name], user_from)
        .optional()?
        .map(finish_user)
        .transpose()
}

pub(super) fn users(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY username"
    ))?;
    let rows = stmt.query_map([], user_from)?;
    rows.map(|r| finish_user(r?)).collect()
}

pub(super) fn count_users(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0))? as u64)
}

pub(super) fn set_password(conn: &Connection, id: i64, hash: &str) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![id, hash],
    )?;
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
    Ok(changed > 0)
}

pub(super) fn set_view_columns(conn: &Connection, id: i64, columns: &[String]) -> Result<()> {
    conn.execute(
        "UPDATE users SET view_columns = ?2 WHERE id = ?1",
        params![id, json(&columns)],
    )?;
    Ok(())
}

pub(super) fn create_session(conn: &Connection, s: &Session) -> Result<()> {
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![s.id_hash, s.user_id, s.csrf, time(s.created_at), time(s.expires_at)],
    )?;
    Ok(())
}

pub(super) fn session(conn: &Connection, id_hash: &str, at: DateTime) -> Result<Option<Session>> {
    Ok(conn
        .query_row(
            "SELECT id_hash, user_id, csrf, created_at, expires_at FROM sessions WHERE id_hash = ?1 AND expires_at > ?2",
            params![id_hash, time(at)],
            |r| {
                Ok(Session {
                    id_hash: r.get(0)?,
                    user_id: r.get(1)?,
                    csrf: r.get(2)?,
                    created_at: parse_time(&r.get::<_, String>(3)?),
                    expires_at: parse_time(&r.get::<_, String>(4)?),
                })
            },
        )
        .optional()?)
}

pub(super) fn delete_session(conn: &Connection, id_hash: &str) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])?;
    Ok(())
}

pub(super) fn purge_sessions(conn: &Connection, at: DateTime) -> Result<u64> {
    Ok(conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [time(at)])? as u64)
}

fn token_from(r: &Row) -> rusqlite::Result<ApiToken> {
    Ok(ApiToken {
        id: r.get(0)?,
        user_id: r.get(1)?,
        name: r.get(2)?,
        token_hash: r.get(3)?,
        created_at: parse_time(&r.get::<_, String>(4)?),
        last_used_at: r.get::<_, Option<String>>(5)?.map(|t| parse_time(&t)),
    })
}

const TOKEN_COLUMNS: &str = "id, user_id, name, token_hash, created_at, last_used_at";

pub(super) fn create_api_token(
    conn: &Connection,
    user_id: i64,
    name: &str,
    hash: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![user_id, name, hash, now()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn use_api_token(conn: &Connection, hash: &str) -> Result<Option<ApiToken>> {
    conn.execute(
        "UPDATE api_tokens SET last_used_at = ?2 WHERE token_hash = ?1",
        params![hash, now()],
    )?;
    Ok(conn
        .query_row(
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ?1"),
            [hash],
            token_from,
        )
        .optional()?)
}

pub(super) fn api_tokens(conn: &Connection, user_id: i64) -> Result<Vec<ApiToken>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([user_id], token_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn delete_api_token(conn: &Connection, user_id: i64, id: i64) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM api_tokens WHERE user_id = ?1 AND id = ?2",
        params![user_id, id],
    )? > 0)
}

pub(super) fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub(super) fn put_setting(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, v],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

const JOB_COLUMNS: &str = "id, kind, state, payload, result, done, total, rate, error, note, attempts, created_by, created_at, started_at, finished_at";

type JobParts = (Job, String, Option<String>);

fn job_from(r: &Row) -> rusqlite::Result<JobParts> {
    let state: String = r.get(2)?;
    let opt_time = |i: usize| -> rusqlite::Result<Option<DateTime>> {
        Ok(r.get::<_, Option<String>>(i)?.map(|t| parse_time(&t)))
    };
    Ok((
        Job {
            id: r.get(0)?,
            kind: r.get(1)?,
            state: JobState::parse(&state).unwrap_or(JobState::Failed),
            payload: serde_json::Value::Null,
            result: None,
            done: r.get::<_, i64>(5)? as u64,
            total: r.get::<_, Option<i64>>(6)?.map(|t| t as u64),
            rate: r.get(7)?,
            error: r.get(8)?,
            note: r.get(9)?,
            attempts: r.get(10)?,
            created_by: r.get(11)?,
            created_at: parse_time(&r.get::<_, String>(12)?),
            started_at: opt_time(13)?,
            finished_at: opt_time(14)?,
        },
        r.get(3)?,
        r.get(4)?,
    ))
}

fn finish_job_row((mut job, payload, result): JobParts) -> Result<Job> {
    job.payload = serde_json::from_str(&payload).map_err(corrupt("job payload"))?;
    job.result = result
        .map(|r| serde_json::from_str(&r))
        .transpose()
        .map_err(corrupt("job result"))?;
    Ok(job)
}

pub(super) fn create_job(conn: &Connection, job: &NewJob) -> Result<i64> {
    conn.execute(
        "INSERT INTO jobs (kind, state, payload, created_by, created_at) VALUES (?1, 'queued', ?2, ?3, ?4)",
        params![job.kind, json(&job.payload), job.created_by, now()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn job(conn: &Connection, id: i64) -> Result<Option<Job>> {
    conn.query_row(
        &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
        [id],
        job_from,
    )
    .optional()?
    .map(finish_job_row)
    .transpose()
}

pub(super) fn jobs(conn: &Connection, limit: usize) -> Result<Vec<Job>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit as i64], job_from)?;
    rows.map(|r| finish_job_row(r?)).collect()
}

pub(super) fn claim_job(conn: &mut Connection) -> Result<Option<Job>> {
    let tx = conn.transaction()?;
    let id: Option<i64> = tx
        .query_row(
            "SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else { return Ok(None) };
    tx.execute(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    tx.commit()?;
    job(conn, id)
}

pub(super) fn job_progress(
    conn: &Connection,
    id: i64,
    done: u64,
    total: Option<u64>,
    rate: Option<f64>,
) -> Result<()> {
    conn.execute(
        "UPDATE jobs SET done = ?2, total = COALESCE(?3, total), rate = ?4 WHERE id = ?1",
        params![id, done as i64, total.map(|t| t as i64), rate],
    )?;
    Ok(())
}

pub(super) fn finish_job(
    conn: &Connection,
    id: i64,
    state: JobState,
    result: Option<&serde_json::Value>,
    error: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE jobs SET state = ?2, result = ?3, error = ?4, finished_at = ?5 WHERE id = ?1",
        params![id, state.as_str(), result.map(json), error, now()],
    )?;
    Ok(())
}

pub(super) fn requeue_job(conn: &Connection, id: i64, note: &str) -> Result<()> {
    conn.execute(
        "UPDATE jobs SET state = 'queued', note = ?2 WHERE id = ?1",
        params![id, note],
    )?;
    Ok(())
}

pub(super) fn running_jobs(conn: &Connection) -> Result<Vec<Job>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE state = 'running' ORDER BY id"
    ))?;
    let rows = stmt.query_map([], job_from)?;
    rows.map(|r| finish_job_row(r?)).collect()
}
