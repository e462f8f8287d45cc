use thiserror::Error;

/// Why the store could not do what was asked.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database URL names a backend this build does not have.
    #[error(
        "unsupported database URL '{0}'; use sqlite://PATH (PostgreSQL support comes with the scale-out release)"
    )]
    UnsupportedUrl(String),
    /// The database file cannot be opened or created.
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    /// The database was written by a newer custio.
    #[error(
        "the database has schema version {found}, newer than this custio ({supported}); upgrade custio"
    )]
    TooNew { found: i64, supported: i64 },
    /// A query failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored document no longer reads back (a bug, or a file edited by hand).
    #[error("stored {what} is damaged: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// A unique key is already taken (two customers with one login, two users with one
    /// name).
    #[error("the {key} '{value}' is taken by another {owner}")]
    Taken {
        key: TakenKey,
        value: String,
        owner: &'static str,
    },
}

/// Which unique key a [`StoreError::Taken`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TakenKey {
    Login,
    Email,
    Guid,
    UserName,
}

impl std::fmt::Display for TakenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Login => "login",
            Self::Email => "e-mail",
            Self::Guid => "guid",
            Self::UserName => "user name",
        })
    }
}
