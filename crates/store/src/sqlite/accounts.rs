//! Users, sessions and API tokens in SQLite.

use custio_model::DateTime;
use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, corrupt, json, now, parse_time, time};
use crate::{AccountStore, ApiToken, Result, Role, Session, StoreError, TakenKey, User};

/// How stale a token's "last used" time may be.
const TOKEN_USE_MARK: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

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

impl AccountStore for SqliteStore {
    fn create_user(&self, username: &str, password_hash: &str, role: Role) -> Result<i64> {
        let conn = self.writer();
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
            _ => e.into(),
        })?;
        Ok(conn.last_insert_rowid())
    }

    fn user(&self, id: i64) -> Result<Option<User>> {
        let conn = self.reader();
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1");
        conn.query_row(&sql, [id], user_from)
            .optional()?
            .map(finish_user)
            .transpose()
    }

    fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let conn = self.reader();
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = ?1");
        conn.query_row(&sql, [name], user_from)
            .optional()?
            .map(finish_user)
            .transpose()
    }

    fn users(&self) -> Result<Vec<User>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        ))?;
        let rows = stmt.query_map([], user_from)?;
        rows.map(|r| finish_user(r?)).collect()
    }

    fn count_users(&self) -> Result<u64> {
        let conn = self.reader();
        Ok(conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0))? as u64)
    }

    fn set_password(&self, id: i64, hash: &str) -> Result<bool> {
        let conn = self.writer();
        let changed = conn.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![id, hash],
        )?;
        conn.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
        Ok(changed > 0)
    }

    fn set_view_columns(&self, id: i64, columns: &[String]) -> Result<()> {
        let conn = self.writer();
        conn.execute(
            "UPDATE users SET view_columns = ?2 WHERE id = ?1",
            params![id, json(&columns)],
        )?;
        Ok(())
    }

    fn create_session(&self, s: &Session) -> Result<()> {
        let conn = self.writer();
        conn.execute(
        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![s.id_hash, s.user_id, s.csrf, time(s.created_at), time(s.expires_at)],
    )?;
        Ok(())
    }

    fn session(&self, id_hash: &str, at: DateTime) -> Result<Option<Session>> {
        let conn = self.reader();
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

    fn delete_session(&self, id_hash: &str) -> Result<()> {
        let conn = self.writer();
        conn.execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])?;
        Ok(())
    }

    fn purge_sessions(&self, at: DateTime) -> Result<u64> {
        let conn = self.writer();
        Ok(conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [time(at)])? as u64)
    }

    fn create_api_token(&self, user_id: i64, name: &str, hash: &str) -> Result<i64> {
        let conn = self.writer();
        conn.execute(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![user_id, name, hash, now()],
    )?;
        Ok(conn.last_insert_rowid())
    }

    /// Read beside the writer; the mark is written at most once a [`TOKEN_USE_MARK`], so a
    /// request waits for a running import's write at most that often.
    fn use_api_token(&self, hash: &str) -> Result<Option<ApiToken>> {
        let token = self
            .reader()
            .prepare_cached(&format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ?1"
            ))?
            .query_row([hash], token_from)
            .optional()?;
        let Some(mut token) = token else {
            return Ok(None);
        };
        let at = chrono::Local::now().naive_local();
        if token
            .last_used_at
            .is_none_or(|last| at - last >= TOKEN_USE_MARK)
        {
            self.writer().execute(
                "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
                params![token.id, time(at)],
            )?;
            token.last_used_at = Some(at);
        }
        Ok(Some(token))
    }

    fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = ?1 ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([user_id], token_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn delete_api_token(&self, user_id: i64, id: i64) -> Result<bool> {
        let conn = self.writer();
        Ok(conn.execute(
            "DELETE FROM api_tokens WHERE user_id = ?1 AND id = ?2",
            params![user_id, id],
        )? > 0)
    }
}
