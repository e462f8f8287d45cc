//! Accounts of the panel and the API: users with argon2id password hashes, browser
//! sessions (each with its CSRF token), per-user API tokens, the one-time setup token
//! that creates the first admin, and each user's chosen customer-list columns.
//!
//! Secrets are kept only as hashes: session cookies and API tokens as SHA-256 (they are
//! long random values), passwords as argon2id PHC strings. Hashing and verifying a
//! password is slow on purpose and runs on the calling thread: the web calls these use
//! cases on a blocking thread (`spawn_blocking`), the CLI where it stands. How often a
//! login may fail, per account and client address, is [`Engine::log_in`]'s
//! (`throttle.rs`); `verify_login` under it only answers whether a name and password
//! match.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use chrono::Local;
use custio_store::{ApiToken, Role, Session, StoreError, User};
use rand_core::{OsRng, RngCore};
use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::Engine;

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 8;
/// The longest user name accepted.
pub const MAX_USERNAME: usize = 64;
/// The longest API token name accepted.
pub const MAX_TOKEN_NAME: usize = 100;
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// What every API token starts with (so that a leaked one is recognisable).
pub const TOKEN_PREFIX: &str = "cio_";
/// The setting that holds the SHA-256 of the one-time setup token.
const SETUP_KEY: &str = "setup_token_sha256";

/// Why an account use case was refused.
#[derive(Debug, Error)]
pub enum AccountError {
    /// A user name that is empty or longer than [`MAX_USERNAME`].
    #[error("a user name needs 1 to {MAX_USERNAME} characters")]
    InvalidUserName,
    /// A new password shorter than [`MIN_PASSWORD`].
    #[error("the password needs at least {MIN_PASSWORD} characters")]
    PasswordTooShort,
    /// The user name and password of a login do not match (which one is wrong is not
    /// told).
    #[error("wrong user name or password")]
    WrongLogin,
    /// The current password given with a change of password is wrong.
    #[error("the current password is wrong")]
    WrongPassword,
    /// No user has this id.
    #[error("there is no user {0}")]
    UserNotFound(i64),
    /// No user has this name.
    #[error("there is no user '{0}'")]
    UnknownUser(String),
    /// The setup token is not the current one, or an admin exists already.
    #[error("this setup link is not valid (any more); an admin exists or the server was restarted")]
    SetupTokenInvalid,
    /// An API token name that is empty or longer than [`MAX_TOKEN_NAME`].
    #[error("a token needs a name of 1 to {MAX_TOKEN_NAME} characters")]
    InvalidTokenName,
    /// The user has no API token with this id.
    #[error("you have no token {0}")]
    TokenNotFound(i64),
    /// Too many failed logins of this account from this client address: the pair waits
    /// this long before its next try ([`Engine::log_in`]).
    #[error("too many failed logins; try again in {} s", wait.as_secs().max(1))]
    Throttled { wait: std::time::Duration },
    /// Hashing a password failed (argon2 refused its parameters).
    #[error("hashing a password: {0}")]
    Hashing(String),
    /// The store failed, or the user name is taken ([`StoreError::Taken`]).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A random 256-bit token, URL-safe: session cookies, CSRF tokens, API tokens, the setup
/// token, upload names.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a token, hex: what the store keeps of cookies and API tokens.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares secrets without leaking where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks a new password against the policy.
pub fn check_new_password(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::PasswordTooShort);
    }
    Ok(())
}

/// Hashes a password with argon2id. Slow on purpose.
fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hashing(e.to_string()))
}

/// Checks a password against a stored hash. Slow on purpose.
fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password, verified against when a user name does not exist, so
/// that timing does not tell which names exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

fn check_username(username: &str) -> Result<String, AccountError> {
    let username = username.trim();
    if username.is_empty() || username.chars().count() > MAX_USERNAME {
        return Err(AccountError::InvalidUserName);
    }
    Ok(username.to_string())
}

/// Who asks for a use case whose answer depends on who asks: the user, whether an admin,
/// and the actor the audit log names (`web:ola`, `api:ola:token3`). The adapters make it
/// from the logged-in user ([`Caller::of`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The user's id.
    pub user: i64,
    /// Whether the user is an admin.
    pub admin: bool,
    /// Who did it, for the audit log.
    pub actor: String,
}

impl Caller {
    /// The caller a logged-in user is, under `actor`.
    pub fn of(user: &User, actor: impl Into<String>) -> Self {
        Self {
            user: user.id,
            admin: user.role == Role::Admin,
            actor: actor.into(),
        }
    }
}

/// A session just started: the cookie's secret (given to the browser, never stored) and
/// the stored session with its CSRF token.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub secret: String,
    pub session: Session,
}

/// An API token just created: the secret is shown this once and never stored.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NewApiToken {
    pub id: i64,
    pub name: String,
    /// The bearer token (`cio_...`).
    pub token: String,
}

impl Engine {
    /// Adds a user (the name trimmed, 1 to 64 characters; the password by the policy,
    /// hashed with argon2id) and writes it to the audit log under `actor`. A name taken
    /// in any case is a [`StoreError::Taken`].
    pub fn create_user(
        &self,
        username: &str,
        password: &str,
        role: Role,
        actor: &str,
    ) -> Result<User, AccountError> {
        let user = self.insert_user(username, password, role)?;
        self.record(actor, "user_created", format!("user '{}'", user.username))?;
        Ok(user)
    }

    fn insert_user(
        &self,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<User, AccountError> {
        let username = check_username(username)?;
        check_new_password(password)?;
        let hash = hash_password(password)?;
        let id = self
            .store()
            .accounts()
            .create_user(&username, &hash, role)?;
        self.user(id)
    }

    /// The user whose name (any case) and password match, or [`AccountError::WrongLogin`]
    /// whichever was wrong. Takes as long for a name that does not exist. Not throttled:
    /// the adapters log users in through [`Engine::log_in`].
    pub(crate) fn verify_login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<User, AccountError> {
        let user = self.store().accounts().user_by_name(username.trim())?;
        let hash = match &user {
            Some(u) => u.password_hash.as_str(),
            None => dummy_hash(),
        };
        let ok = verify_password(hash, password);
        user.filter(|_| ok).ok_or(AccountError::WrongLogin)
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<User>, AccountError> {
        Ok(self.store().accounts().users()?)
    }

    /// One user by id.
    pub fn user(&self, id: i64) -> Result<User, AccountError> {
        self.store()
            .accounts()
            .user(id)?
            .ok_or(AccountError::UserNotFound(id))
    }

    /// One user by name (any case).
    pub fn user_by_name(&self, username: &str) -> Result<User, AccountError> {
        self.store()
            .accounts()
            .user_by_name(username.trim())?
            .ok_or_else(|| AccountError::UnknownUser(username.trim().to_string()))
    }

    /// Sets a user's password and ends every session of that user; written to the audit
    /// log under `actor`. With `current`, that must be the user's present password (a
    /// user changing its own); without, the caller has decided that `actor` may (an admin,
    /// the command line).
    pub fn change_password(
        &self,
        user_id: i64,
        current: Option<&str>,
        password: &str,
        actor: &str,
    ) -> Result<(), AccountError> {
        check_new_password(password)?;
        if let Some(current) = current {
            let user = self.user(user_id)?;
            if !verify_password(&user.password_hash, current) {
                return Err(AccountError::WrongPassword);
            }
        }
        let hash = hash_password(password)?;
        if !self.store().accounts().set_password(user_id, &hash)? {
            return Err(AccountError::UserNotFound(user_id));
        }
        self.record(actor, "password_changed", format!("user {user_id}"))?;
        Ok(())
    }

    /// Saves the customer-list columns a user chose (the "current view", which the `view`
    /// export writes).
    pub fn set_view_columns(&self, user_id: i64, columns: &[String]) -> Result<(), AccountError> {
        Ok(self.store().accounts().set_view_columns(user_id, columns)?)
    }

    // --- Sessions -------------------------------------------------------------------------

    /// Starts a session of [`SESSION_HOURS`] for a user, with a fresh CSRF token; expired
    /// sessions are purged on the way.
    pub fn start_session(&self, user_id: i64) -> Result<NewSession, AccountError> {
        let secret = random_token();
        let now = Local::now().naive_local();
        let session = Session {
            id_hash: token_hash(&secret),
            user_id,
            csrf: random_token(),
            created_at: now,
            expires_at: now + chrono::Duration::hours(SESSION_HOURS),
        };
        self.store().accounts().purge_sessions(now)?;
        self.store().accounts().create_session(&session)?;
        Ok(NewSession { secret, session })
    }

    /// The unexpired session a cookie's secret belongs to, with its user.
    pub fn session_user(&self, secret: &str) -> Result<Option<(Session, User)>, AccountError> {
        let now = Local::now().naive_local();
        let Some(session) = self.store().accounts().session(&token_hash(secret), now)? else {
            return Ok(None);
        };
        Ok(self
            .store()
            .accounts()
            .user(session.user_id)?
            .map(|u| (session, u)))
    }

    /// Ends the session a cookie's secret belongs to (logout).
    pub fn end_session(&self, secret: &str) -> Result<(), AccountError> {
        Ok(self
            .store()
            .accounts()
            .delete_session(&token_hash(secret))?)
    }

    /// Deletes the sessions that have expired; returns how many.
    pub fn purge_sessions(&self) -> Result<u64, AccountError> {
        Ok(self
            .store()
            .accounts()
            .purge_sessions(Local::now().naive_local())?)
    }

    // --- API tokens -----------------------------------------------------------------------

    /// Creates an API token for a user (the name trimmed, 1 to 100 characters), written to
    /// the audit log under `actor`. The returned secret is the only copy.
    pub fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        actor: &str,
    ) -> Result<NewApiToken, AccountError> {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > MAX_TOKEN_NAME {
            return Err(AccountError::InvalidTokenName);
        }
        let token = format!("{TOKEN_PREFIX}{}", random_token());
        let id = self
            .store()
            .accounts()
            .create_api_token(user_id, &name, &token_hash(&token))?;
        self.record(actor, "token_created", format!("token {id} '{name}'"))?;
        Ok(NewApiToken { id, name, token })
    }

    /// The token a bearer secret is, with its user; the token is marked used.
    pub fn token_user(&self, secret: &str) -> Result<Option<(ApiToken, User)>, AccountError> {
        let Some(token) = self.store().accounts().use_api_token(&token_hash(secret))? else {
            return Ok(None);
        };
        Ok(self
            .store()
            .accounts()
            .user(token.user_id)?
            .map(|u| (token, u)))
    }

    /// A user's API tokens (never the secrets), newest first.
    pub fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>, AccountError> {
        Ok(self.store().accounts().api_tokens(user_id)?)
    }

    /// Revokes one of a user's tokens; written to the audit log under `actor`.
    pub fn revoke_api_token(&self, user_id: i64, id: i64, actor: &str) -> Result<(), AccountError> {
        if !self.store().accounts().delete_api_token(user_id, id)? {
            return Err(AccountError::TokenNotFound(id));
        }
        self.record(actor, "token_revoked", format!("token {id}"))?;
        Ok(())
    }

    // --- The first admin ------------------------------------------------------------------

    /// On a store without users, makes a new one-time setup token (only its hash is kept,
    /// replacing any earlier one) and returns it; `None` once a user exists.
    pub fn setup_token(&self) -> Result<Option<String>, AccountError> {
        let store = self.store();
        if store.accounts().count_users()? > 0 {
            store.catalog().put_setting(SETUP_KEY, None)?;
            return Ok(None);
        }
        let token = random_token();
        store
            .catalog()
            .put_setting(SETUP_KEY, Some(&token_hash(&token)))?;
        Ok(Some(token))
    }

    /// Whether `token` is the current setup token (and no user exists yet).
    pub fn setup_token_valid(&self, token: &str) -> Result<bool, AccountError> {
        let store = self.store();
        Ok(store.accounts().count_users()? == 0
            && store
                .catalog()
                .setting(SETUP_KEY)?
                .is_some_and(|h| same_secret(&h, &token_hash(token))))
    }

    /// Creates the first admin with the setup token, which stops working at once.
    pub fn complete_setup(
        &self,
        token: &str,
        username: &str,
        password: &str,
    ) -> Result<User, AccountError> {
        check_new_password(password)?;
        if !self.setup_token_valid(token)? {
            return Err(AccountError::SetupTokenInvalid);
        }
        let user = self.insert_user(username, password, Role::Admin)?;
        self.store().catalog().put_setting(SETUP_KEY, None)?;
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use custio_store::TakenKey;

    fn engine() -> Engine {
        Engine::new(custio_store::open(&custio_testdb::memory()).unwrap())
    }

    #[test]
    fn users_log_in_change_passwords_and_lose_their_sessions() {
        let engine = engine();
        assert!(matches!(
            engine.create_user(" ", "long enough", Role::Staff, "cli:t"),
            Err(AccountError::InvalidUserName)
        ));
        assert_eq!(
            engine
                .create_user("ola", "short", Role::Staff, "cli:t")
                .unwrap_err()
                .to_string(),
            "the password needs at least 8 characters"
        );
        let ola = engine
            .create_user(" ola ", "ola-password-1", Role::Staff, "web:admin")
            .unwrap();
        assert_eq!(ola.username, "ola");
        assert!(ola.password_hash.starts_with("$argon2id$"));
        assert!(matches!(
            engine.create_user("OLA", "ola-password-1", Role::Staff, "web:admin"),
            Err(AccountError::Store(StoreError::Taken {
                key: TakenKey::UserName,
                ..
            }))
        ));
        assert_eq!(
            engine.verify_login("OLA", "ola-password-1").unwrap().id,
            ola.id
        );
        assert!(matches!(
            engine.verify_login("ola", "wrong-password"),
            Err(AccountError::WrongLogin)
        ));
        assert!(matches!(
            engine.verify_login("nobody", "ola-password-1"),
            Err(AccountError::WrongLogin)
        ));

        let session = engine.start_session(ola.id).unwrap();
        assert_ne!(session.secret, session.session.csrf);
        let (found, user) = engine.session_user(&session.secret).unwrap().unwrap();
        assert_eq!(
            (found.csrf, user.id),
            (session.session.csrf.clone(), ola.id)
        );
        assert!(engine.session_user("forged").unwrap().is_none());

        assert!(matches!(
            engine.change_password(ola.id, Some("wrong-password"), "new-password-2", "web:ola"),
            Err(AccountError::WrongPassword)
        ));
        engine
            .change_password(ola.id, Some("ola-password-1"), "new-password-2", "web:ola")
            .unwrap();
        assert!(
            engine.session_user(&session.secret).unwrap().is_none(),
            "a new password ends the sessions"
        );
        assert!(engine.verify_login("ola", "new-password-2").is_ok());
        assert!(matches!(
            engine.change_password(999, None, "new-password-2", "web:admin"),
            Err(AccountError::UserNotFound(999))
        ));

        let again = engine.start_session(ola.id).unwrap();
        engine.end_session(&again.secret).unwrap();
        assert!(engine.session_user(&again.secret).unwrap().is_none());

        let actions: Vec<String> = engine
            .audit_log(10)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["password_changed", "user_created"]);
    }

    #[test]
    fn api_tokens_are_shown_once_used_by_hash_and_revoked() {
        let engine = engine();
        let ola = engine
            .create_user("ola", "ola-password-1", Role::Staff, "cli:t")
            .unwrap();
        assert!(matches!(
            engine.create_api_token(ola.id, "  ", "web:ola"),
            Err(AccountError::InvalidTokenName)
        ));
        let created = engine.create_api_token(ola.id, " ci ", "web:ola").unwrap();
        assert!(created.token.starts_with(TOKEN_PREFIX));
        assert_eq!(created.name, "ci");
        let (token, user) = engine.token_user(&created.token).unwrap().unwrap();
        assert_eq!((token.id, user.id), (created.id, ola.id));
        assert_ne!(token.token_hash, created.token, "only the hash is kept");
        assert!(engine.api_tokens(ola.id).unwrap()[0].last_used_at.is_some());
        assert!(matches!(
            engine.revoke_api_token(ola.id, 999, "web:ola"),
            Err(AccountError::TokenNotFound(999))
        ));
        engine
            .revoke_api_token(ola.id, created.id, "web:ola")
            .unwrap();
        assert!(engine.token_user(&created.token).unwrap().is_none());
    }

    #[test]
    fn the_setup_token_creates_one_admin_once() {
        let engine = engine();
        let token = engine.setup_token().unwrap().unwrap();
        assert!(engine.setup_token_valid(&token).unwrap());
        assert!(!engine.setup_token_valid("guess").unwrap());
        assert!(matches!(
            engine.complete_setup("guess", "admin", "admin-password"),
            Err(AccountError::SetupTokenInvalid)
        ));
        assert!(matches!(
            engine.complete_setup(&token, "admin", "short"),
            Err(AccountError::PasswordTooShort)
        ));
        let admin = engine
            .complete_setup(&token, "admin", "admin-password")
            .unwrap();
        assert_eq!(admin.role, Role::Admin);
        assert!(!engine.setup_token_valid(&token).unwrap());
        assert!(engine.setup_token().unwrap().is_none());
        assert!(matches!(
            engine.complete_setup(&token, "second", "admin-password"),
            Err(AccountError::SetupTokenInvalid)
        ));
    }
}
