//! Signed-in sessions (`sessions`), kept by the SHA-256 of their id.

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::error::Result;
use crate::store::accounts::AccountRow;

/// A session with its account (and the account's lockout).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    #[sqlx(flatten)]
    pub account: AccountRow,
    pub issued_at: String,
    pub last_seen_at: String,
    pub locked: bool,
    pub ended_at: Option<String>,
}

pub async fn insert(
    db: impl SqliteExecutor<'_>,
    id_hash: &str,
    account_id: i64,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, issued_at, last_seen_at) VALUES (?, ?, ?, ?)",
    )
    .bind(id_hash)
    .bind(account_id)
    .bind(at)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// The session whose id hashes to `id_hash`, ended or not.
pub async fn find(db: impl SqliteExecutor<'_>, id_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.login, a.display_name, a.window_no, a.roles, a.active, a.password_hash,
            a.created_at, t.locked_until, s.issued_at, s.last_seen_at, s.locked, s.ended_at
         FROM sessions s JOIN accounts a ON a.id = s.account_id
         LEFT JOIN sign_in_throttle t ON t.login = a.login WHERE s.id_hash = ?",
    )
    .bind(id_hash)
    .fetch_optional(db)
    .await?)
}

/// Locks an idle session: the password is needed again.
pub async fn lock(db: impl SqliteExecutor<'_>, id_hash: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET locked = 1 WHERE id_hash = ?")
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks the session used at `at`.
pub async fn touch(db: impl SqliteExecutor<'_>, id_hash: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?")
        .bind(at)
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Unlocks the session, used at `at`.
pub async fn unlock(db: impl SqliteExecutor<'_>, id_hash: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET locked = 0, last_seen_at = ? WHERE id_hash = ?")
        .bind(at)
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends the session at `at` (sign-out), if it has not ended.
pub async fn end(db: impl SqliteExecutor<'_>, id_hash: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL")
        .bind(at)
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every open session of the account at `at`, except the one hashing to `keep` (pass
/// `""` to end them all).
pub async fn end_all_of(
    conn: &mut SqliteConnection,
    account_id: i64,
    at: &str,
    keep: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE sessions SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL
         AND id_hash <> ?",
    )
    .bind(at)
    .bind(account_id)
    .bind(keep)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
