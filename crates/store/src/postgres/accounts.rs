//! Users, sessions and API tokens in PostgreSQL.

use custio_model::DateTime;
use postgres::Row;
use postgres::error::SqlState;

use super::{PostgresStore, from_json, json, now};
use crate::{AccountStore, ApiToken, Result, Role, Session, StoreError, TakenKey, User};

/// How stale a token's "last used" time may be.
const TOKEN_USE_MARK: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

const USER_COLUMNS: &str = "id, username, password_hash, role, view_columns, created_at";

fn user_from(r: &Row) -> Result<User> {
    Ok(User {
        id: r.try_get(0)?,
        username: r.try_get(1)?,
        password_hash: r.try_get(2)?,
        role: Role::parse(r.try_get(3)?).unwrap_or(Role::Staff),
        view_columns: from_json("user view", r.try_get(4)?)?,
        created_at: r.try_get(5)?,
    })
}

const TOKEN_COLUMNS: &str = "id, user_id, name, token_hash, created_at, last_used_at";

fn token_from(r: &Row) -> Result<ApiToken> {
    Ok(ApiToken {
        id: r.try_get(0)?,
        user_id: r.try_get(1)?,
        name: r.try_get(2)?,
        token_hash: r.try_get(3)?,
        created_at: r.try_get(4)?,
        last_used_at: r.try_get(5)?,
    })
}

fn session_from(r: &Row) -> Result<Session> {
    Ok(Session {
        id_hash: r.try_get(0)?,
        user_id: r.try_get(1)?,
        csrf: r.try_get(2)?,
        created_at: r.try_get(3)?,
        expires_at: r.try_get(4)?,
    })
}

impl AccountStore for PostgresStore {
    fn create_user(&self, username: &str, password_hash: &str, role: Role) -> Result<i64> {
        let row = self
            .conn()?
            .query_one(
                "INSERT INTO users (username, password_hash, role, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id",
                &[&username, &password_hash, &role.as_str(), &now()],
            )
            .map_err(|e| match e.code() {
                Some(code) if *code == SqlState::UNIQUE_VIOLATION => StoreError::Taken {
                    key: TakenKey::UserName,
                    value: username.to_string(),
                    owner: "user",
                },
                _ => e.into(),
            })?;
        Ok(row.try_get(0)?)
    }

    fn user(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        self.conn()?
            .query_opt(&sql, &[&id])?
            .as_ref()
            .map(user_from)
            .transpose()
    }

    fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE lower(username) = lower($1)");
        self.conn()?
            .query_opt(&sql, &[&name])?
            .as_ref()
            .map(user_from)
            .transpose()
    }

    /// By name regardless of case, in byte order, as SQLite's `NOCASE` sorts them.
    fn users(&self) -> Result<Vec<User>> {
        let sql =
            format!(r#"SELECT {USER_COLUMNS} FROM users ORDER BY lower(username) COLLATE "C""#);
        self.conn()?
            .query(&sql, &[])?
            .iter()
            .map(user_from)
            .collect()
    }

    fn count_users(&self) -> Result<u64> {
        let row = self.conn()?.query_one("SELECT COUNT(*) FROM users", &[])?;
        Ok(row.try_get::<_, i64>(0)? as u64)
    }

    fn set_password(&self, id: i64, hash: &str) -> Result<bool> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let changed = tx.execute(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            &[&id, &hash],
        )?;
        tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&id])?;
        tx.commit()?;
        Ok(changed > 0)
    }

    fn set_view_columns(&self, id: i64, columns: &[String]) -> Result<()> {
        self.conn()?.execute(
            "UPDATE users SET view_columns = $2 WHERE id = $1",
            &[&id, &json(&columns)],
        )?;
        Ok(())
    }

    fn create_session(&self, s: &Session) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &s.id_hash,
                &s.user_id,
                &s.csrf,
                &s.created_at,
                &s.expires_at,
            ],
        )?;
        Ok(())
    }

    fn session(&self, id_hash: &str, at: DateTime) -> Result<Option<Session>> {
        let row = self.conn()?.query_opt(
            "SELECT id_hash, user_id, csrf, created_at, expires_at FROM sessions
             WHERE id_hash = $1 AND expires_at > $2",
            &[&id_hash, &at],
        )?;
        row.as_ref().map(session_from).transpose()
    }

    fn delete_session(&self, id_hash: &str) -> Result<()> {
        self.conn()?
            .execute("DELETE FROM sessions WHERE id_hash = $1", &[&id_hash])?;
        Ok(())
    }

    fn purge_sessions(&self, at: DateTime) -> Result<u64> {
        Ok(self
            .conn()?
            .execute("DELETE FROM sessions WHERE expires_at <= $1", &[&at])?)
    }

    fn create_api_token(&self, user_id: i64, name: &str, hash: &str) -> Result<i64> {
        let row = self.conn()?.query_one(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
            &[&user_id, &name, &hash, &now()],
        )?;
        Ok(row.try_get(0)?)
    }

    /// The mark is written at most once a [`TOKEN_USE_MARK`], so most requests only read.
    fn use_api_token(&self, hash: &str) -> Result<Option<ApiToken>> {
        let mut conn = self.conn()?;
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1");
        let Some(mut token) = conn
            .query_opt(&sql, &[&hash])?
            .as_ref()
            .map(token_from)
            .transpose()?
        else {
            return Ok(None);
        };
        let at = now();
        if token
            .last_used_at
            .is_none_or(|last| at - last >= TOKEN_USE_MARK)
        {
            conn.execute(
                "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
                &[&token.id, &at],
            )?;
            token.last_used_at = Some(at);
        }
        Ok(Some(token))
    }

    fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let sql =
            format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC");
        self.conn()?
            .query(&sql, &[&user_id])?
            .iter()
            .map(token_from)
            .collect()
    }

    fn delete_api_token(&self, user_id: i64, id: i64) -> Result<bool> {
        Ok(self.conn()?.execute(
            "DELETE FROM api_tokens WHERE user_id = $1 AND id = $2",
            &[&user_id, &id],
        )? > 0)
    }
}
