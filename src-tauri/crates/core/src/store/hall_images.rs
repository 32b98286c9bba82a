//! The `hall_images` table: the hall's logo and seal.

use sqlx::SqliteExecutor;

use crate::error::Result;
use crate::model::HallImage;

/// The PNG of `kind`, if set.
pub async fn get(ex: impl SqliteExecutor<'_>, kind: HallImage) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT png FROM hall_images WHERE kind = ?")
            .bind(kind.as_str())
            .fetch_optional(ex)
            .await?,
    )
}

/// The kinds set.
pub async fn kinds(ex: impl SqliteExecutor<'_>) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT kind FROM hall_images")
        .fetch_all(ex)
        .await?)
}

pub async fn set(ex: impl SqliteExecutor<'_>, kind: HallImage, png: &[u8], at: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO hall_images (kind, png, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET png = excluded.png, updated_at = excluded.updated_at",
    )
    .bind(kind.as_str())
    .bind(png)
    .bind(at)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete(ex: impl SqliteExecutor<'_>, kind: HallImage) -> Result<()> {
    sqlx::query("DELETE FROM hall_images WHERE kind = ?")
        .bind(kind.as_str())
        .execute(ex)
        .await?;
    Ok(())
}
