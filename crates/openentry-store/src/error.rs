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
    /// The database refused a value of the request as invalid data (PostgreSQL: an SQLSTATE
    /// class 22 data exception such as a NUL in text, or 54000 such as an index row too large):
    /// the caller's fault, not the server's.
    #[error("the database refused a value: {0}")]
    Invalid(String),
    /// A stored value that does not decode into its record (JSON that does not parse into its
    /// column's type, say): a bug or a hand-edited database. Never replaced by a default.
    #[error("stored data is corrupt: column `{column}`: {reason}")]
    Corrupt {
        /// The column (and, where the store knows it, the table or key).
        column: String,
        /// Why it does not decode.
        reason: String,
    },
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
    /// An operator's command (backup, restore, migrate) refused to run, and says why.
    #[error("{0}")]
    Refused(String),
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
            if let Some(code) = db.code().filter(|c| refuses_input(c)) {
                return Self::Invalid(format!("{code}: {}", db.message()));
            }
        }
        match err {
            sqlx::Error::RowNotFound => Self::NotFound,
            // A column that does not decode into its record's field (see `json`).
            sqlx::Error::ColumnDecode { index, source } => Self::Corrupt {
                column: index,
                reason: source.to_string(),
            },
            other => Self::Database(other),
        }
    }
}

/// Whether a PostgreSQL SQLSTATE says the data given was unacceptable: class 22 (data
/// exception: 22021 invalid byte sequence, 22P05 untranslatable character, 22003 numeric value
/// out of range, 22001 string too long, …) or 54000 (program limit exceeded, e.g. an index row
/// larger than a B-tree page allows).
fn refuses_input(code: &str) -> bool {
    code.starts_with("22") || code == "54000"
}

#[cfg(test)]
mod tests {
    use super::refuses_input;

    #[test]
    fn data_exceptions_are_the_callers() {
        for code in ["22021", "22P05", "22003", "22001", "54000"] {
            assert!(refuses_input(code), "{code}");
        }
        for code in ["23505", "40001", "53300", "08006", "XX000"] {
            assert!(!refuses_input(code), "{code}");
        }
    }
}
