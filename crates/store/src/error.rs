use thiserror::Error;

/// Why the store could not do what was asked. Backend-neutral: what a backend reports is
/// carried as text, so no caller depends on the database library.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database URL names a backend this build does not have.
    #[error("unsupported database URL '{0}'; use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    /// The database cannot be opened or created.
    #[error("cannot open the database {path}: {detail}")]
    Open { path: String, detail: String },
    /// The database was written by a newer custio.
    #[error(
        "the database has schema version {found}, newer than this custio ({supported}); upgrade custio"
    )]
    TooNew { found: i64, supported: i64 },
    /// The database is busy (another process holds the write lock for too long).
    #[error("the database is busy; try again")]
    Busy,
    /// The database failed a query (a bug, a full disk, a damaged file).
    #[error("database error: {0}")]
    Backend(String),
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
