//! The `settings` table: the desk's key–value settings.

use sqlx::SqliteExecutor;

use crate::error::Result;

pub async fn get(ex: impl SqliteExecutor<'_>, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(ex)
            .await?,
    )
}

pub async fn set(ex: impl SqliteExecutor<'_>, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete(ex: impl SqliteExecutor<'_>, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM settings WHERE key = ?")
        .bind(key)
        .execute(ex)
        .await?;
    Ok(())
}
