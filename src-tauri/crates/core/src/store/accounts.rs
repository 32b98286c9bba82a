//! Accounts (`accounts`) and the failed sign-ins counted per login name
//! (`sign_in_throttle`). Logins are passed in normalized (trimmed, lower case); roles as
//! their stored text (comma-separated codes).

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::error::Result;

/// An account as stored, with its lockout (from `sign_in_throttle`, if any).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub window_no: String,
    pub roles: String,
    pub active: bool,
    pub password_hash: String,
    pub created_at: String,
    pub locked_until: Option<String>,
}

/// The columns of [`AccountRow`], from `accounts a` and `sign_in_throttle t`.
macro_rules! account_select {
    ($rest:literal) => {
        concat!(
            "SELECT a.id, a.login, a.display_name, a.window_no, a.roles, a.active,
                a.password_hash, a.created_at, t.locked_until
             FROM accounts a LEFT JOIN sign_in_throttle t ON t.login = a.login ",
            $rest
        )
    };
}

/// How many accounts there are.
pub async fn count(db: impl SqliteExecutor<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(db)
        .await?)
}

/// Whether an account has this login.
pub async fn login_taken(conn: &mut SqliteConnection, login: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE login = ?")
        .bind(login)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// A new account, active.
pub struct NewAccountRow<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub window_no: &'a str,
    pub roles: &'a str,
    pub password_hash: &'a str,
    pub created_at: &'a str,
}

pub async fn insert(conn: &mut SqliteConnection, a: &NewAccountRow<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO accounts (login, display_name, window_no, roles, active, password_hash,
            created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
    )
    .bind(a.login)
    .bind(a.display_name)
    .bind(a.window_no)
    .bind(a.roles)
    .bind(a.password_hash)
    .bind(a.created_at)
    .bind(a.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The account with this login.
pub async fn find(conn: &mut SqliteConnection, login: &str) -> Result<Option<AccountRow>> {
    Ok(sqlx::query_as(account_select!("WHERE a.login = ?"))
        .bind(login)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Every account, by login.
pub async fn list(db: impl SqliteExecutor<'_>) -> Result<Vec<AccountRow>> {
    Ok(sqlx::query_as(account_select!("ORDER BY a.login"))
        .fetch_all(db)
        .await?)
}

/// The id of the account with this login.
pub async fn id_of(conn: &mut SqliteConnection, login: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM accounts WHERE login = ?")
            .bind(login)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub async fn set_password_hash(
    conn: &mut SqliteConnection,
    id: i64,
    hash: &str,
    at: &str,
) -> Result<()> {
    sqlx::query("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?")
        .bind(hash)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The roles of every active account but `id`.
pub async fn other_active_roles(conn: &mut SqliteConnection, id: i64) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT roles FROM accounts WHERE active = 1 AND id <> ?")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?,
    )
}

pub async fn set_active(
    conn: &mut SqliteConnection,
    id: i64,
    active: bool,
    at: &str,
) -> Result<()> {
    sqlx::query("UPDATE accounts SET active = ?, updated_at = ? WHERE id = ?")
        .bind(active)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Until when `login` is locked out, if a lockout was ever set (it may have run out).
pub async fn locked_until(db: impl SqliteExecutor<'_>, login: &str) -> Result<Option<String>> {
    let until: Option<Option<String>> =
        sqlx::query_scalar("SELECT locked_until FROM sign_in_throttle WHERE login = ?")
            .bind(login)
            .fetch_optional(db)
            .await?;
    Ok(until.flatten())
}

/// Counts a failed sign-in of `login` at `now` (RFC 3339) and returns the failures in a row.
/// A lockout that ran out by `now` starts the count afresh; failures older than
/// `forget_before` (and not locked) are forgotten.
pub async fn count_failure(
    conn: &mut SqliteConnection,
    login: &str,
    now: &str,
    forget_before: &str,
) -> Result<i64> {
    sqlx::query(
        "UPDATE sign_in_throttle SET failures = 0, locked_until = NULL
         WHERE login = ? AND locked_until IS NOT NULL AND locked_until <= ?",
    )
    .bind(login)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM sign_in_throttle WHERE last_failure_at < ?
         AND (locked_until IS NULL OR locked_until <= ?)",
    )
    .bind(forget_before)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO sign_in_throttle (login, failures, last_failure_at) VALUES (?, 1, ?)
         ON CONFLICT (login) DO UPDATE SET failures = failures + 1,
            last_failure_at = excluded.last_failure_at
         RETURNING failures",
    )
    .bind(login)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?)
}

/// Locks `login` out until `until`; its count starts afresh.
pub async fn lock_out(conn: &mut SqliteConnection, login: &str, until: &str) -> Result<()> {
    sqlx::query("UPDATE sign_in_throttle SET failures = 0, locked_until = ? WHERE login = ?")
        .bind(until)
        .bind(login)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Forgets the failures (and any lockout) of `login`.
pub async fn clear_failures(db: impl SqliteExecutor<'_>, login: &str) -> Result<()> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE login = ?")
        .bind(login)
        .execute(db)
        .await?;
    Ok(())
}
