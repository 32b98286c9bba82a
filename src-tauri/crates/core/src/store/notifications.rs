//! The `notifications` table: what the clerk (or a supervisor) is told.

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::error::Result;
use crate::model::Notification;

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    created_at: String,
    kind: String,
    project_no: String,
    title: String,
    body: String,
    read_at: Option<String>,
}

impl From<NotificationRow> for Notification {
    fn from(r: NotificationRow) -> Self {
        Notification {
            id: r.id,
            created_at: r.created_at,
            kind: r.kind,
            project_no: r.project_no,
            title: r.title,
            body: r.body,
            read: r.read_at.is_some(),
        }
    }
}

/// Adds a notification, inside the transaction of the change it tells about.
pub async fn notify(
    conn: &mut SqliteConnection,
    at: &str,
    kind: &str,
    project_no: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO notifications (created_at, kind, project_no, title, body) VALUES (?,?,?,?,?)",
    )
    .bind(at)
    .bind(kind)
    .bind(project_no)
    .bind(title)
    .bind(body)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Notifications, newest first; only the unread ones when `unread_only`.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    unread_only: bool,
    limit: i64,
) -> Result<Vec<Notification>> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT * FROM notifications WHERE (?1 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT ?2",
    )
    .bind(unread_only)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Notification::from).collect())
}

/// Marks every unread notification read at `at`; returns how many.
pub async fn mark_all_read(conn: &mut SqliteConnection, at: &str) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE notifications SET read_at = ? WHERE read_at IS NULL")
            .bind(at)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

/// Marks notification `id` read at `at`, if it was unread; returns how many (0 or 1).
pub async fn mark_read(conn: &mut SqliteConnection, id: i64, at: &str) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}
