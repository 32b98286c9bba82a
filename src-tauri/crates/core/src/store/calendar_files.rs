//! The `calendar_files` table: the State Council holiday arrangements imported on this desk.

use sqlx::SqliteExecutor;

use crate::error::Result;

/// Every imported file, oldest first: (id, JSON body).
pub async fn all(ex: impl SqliteExecutor<'_>) -> Result<Vec<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, body FROM calendar_files ORDER BY id")
            .fetch_all(ex)
            .await?,
    )
}

/// The id of the newest imported file (0 with none).
pub async fn newest_id(ex: impl SqliteExecutor<'_>) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM calendar_files")
            .fetch_one(ex)
            .await?,
    )
}

/// An imported file, as stored.
pub struct NewCalendarFile<'a> {
    /// Its years, comma-separated.
    pub years: String,
    pub source: &'a str,
    pub body: &'a str,
    pub imported_at: &'a str,
    pub imported_by: &'a str,
}

/// Stores an imported file and returns its id.
pub async fn insert(ex: impl SqliteExecutor<'_>, f: &NewCalendarFile<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO calendar_files (years, source, body, imported_at, imported_by)
         VALUES (?,?,?,?,?) RETURNING id",
    )
    .bind(&f.years)
    .bind(f.source)
    .bind(f.body)
    .bind(f.imported_at)
    .bind(f.imported_by)
    .fetch_one(ex)
    .await?)
}
