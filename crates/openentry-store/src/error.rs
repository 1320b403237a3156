//! Store errors.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write.
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    /// A row is still referenced by others (foreign key).
    #[error("still referenced: {0}")]
    InUse(String),
    /// Stored JSON that does not parse: a bug or a hand-edited database.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A value could not be bound.
    #[error("could not bind a value: {0}")]
    Encode(sqlx::error::BoxDynError),
    /// The database could not be opened.
    #[error("{0}")]
    Open(String),
    /// The migrations could not be applied.
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Any other failure of the embedded SQLite database.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// Another process held the database's write lock past the busy timeout.
    #[error("the database is busy: {0}")]
    Busy(String),
    /// A group commit failed; the transaction's work was not kept.
    #[error("the transaction could not be committed: {0}")]
    Commit(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            let what = db.constraint().unwrap_or_else(|| db.message()).to_owned();
            if db.is_unique_violation() {
                return Self::Conflict(what);
            }
            if db.is_foreign_key_violation() {
                return Self::InUse(what);
            }
        }
        match err {
            sqlx::Error::RowNotFound => Self::NotFound,
            other => Self::Database(other),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        Self::Corrupt(err.to_string())
    }
}
