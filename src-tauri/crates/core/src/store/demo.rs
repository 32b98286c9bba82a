//! What a trainers' demo desk does to its whole store: mark the seeded history as sent, move
//! the recorded times along with the demo clock, and wipe the cases for a reset.

use chrono::DateTime;
use sqlx::{SqliteConnection, SqliteExecutor};

use crate::error::Result;

/// The seeded history reached the hub on the days it happened; its notifications were read.
pub async fn mark_seed_settled(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("UPDATE outbox SET status = 'delivered', delivered_at = created_at")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE cases SET cd_sign = '1',
            cd_time = replace(replace(replace(updated_at, '-', ''), ' ', ''), ':', '')",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE notifications SET read_at = created_at")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves the last-seen time of every open session by `delta`.
pub async fn shift_open_sessions(
    conn: &mut SqliteConnection,
    delta: chrono::Duration,
) -> Result<()> {
    shift_times(
        conn,
        "SELECT id_hash, last_seen_at FROM sessions WHERE ended_at IS NULL",
        "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?",
        delta,
    )
    .await
}

/// Moves the end of every sign-in lockout by `delta`.
pub async fn shift_lockouts(conn: &mut SqliteConnection, delta: chrono::Duration) -> Result<()> {
    shift_times(
        conn,
        "SELECT login, locked_until FROM sign_in_throttle WHERE locked_until IS NOT NULL",
        "UPDATE sign_in_throttle SET locked_until = ? WHERE login = ?",
        delta,
    )
    .await
}

/// Reads (key, RFC 3339 time) pairs with `select` and writes each time moved by `delta` with
/// `update` (time, key); a time that does not parse stays.
async fn shift_times(
    conn: &mut SqliteConnection,
    select: &'static str,
    update: &'static str,
    delta: chrono::Duration,
) -> Result<()> {
    let rows: Vec<(String, String)> = sqlx::query_as(select).fetch_all(&mut *conn).await?;
    for (key, time) in rows {
        if let Ok(t) = DateTime::parse_from_rfc3339(&time) {
            sqlx::query(update)
                .bind((t + delta).to_rfc3339())
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// The names of the database's own tables.
pub async fn table_names(ex: impl SqliteExecutor<'_>) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(ex)
    .await?)
}

/// Empties the tables `tables` (foreign keys checked at commit), restarts the id sequences
/// of every table but the accounts' and sessions', and deletes the settings `settings`.
pub async fn wipe(conn: &mut SqliteConnection, tables: &[&str], settings: &[&str]) -> Result<()> {
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    for t in tables {
        // Names come from sqlite_master; quoted all the same.
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new("DELETE FROM \"");
        q.push(t.replace('"', "\"\"")).push("\"");
        q.build().execute(&mut *conn).await?;
    }
    let has_sequence: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if has_sequence > 0 {
        sqlx::query("DELETE FROM sqlite_sequence WHERE name NOT IN ('accounts', 'sessions')")
            .execute(&mut *conn)
            .await?;
    }
    for key in settings {
        super::settings::delete(&mut *conn, key).await?;
    }
    Ok(())
}
