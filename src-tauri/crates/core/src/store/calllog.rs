//! The `call_log` table: the calls to the provincial hub, masked.

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::error::Result;
use crate::model::CallLogRecord;

#[derive(sqlx::FromRow)]
pub struct CallLogRow {
    pub id: i64,
    pub caller: String,
    pub time: String,
    pub interface: String,
    pub request: String,
    pub response: Option<String>,
    pub http_status: Option<i64>,
    pub duration_ms: i64,
    pub outcome: String,
    pub message: String,
}

impl From<CallLogRow> for CallLogRecord {
    fn from(r: CallLogRow) -> Self {
        CallLogRecord {
            id: r.id,
            caller: r.caller,
            time: r.time,
            interface: r.interface,
            request: r.request,
            response: r.response,
            http_status: r.http_status.map(|s| s as u16),
            duration_ms: r.duration_ms as u64,
            outcome: r.outcome,
            message: r.message,
        }
    }
}

/// Appends calls; `id` of each record is ignored.
pub async fn append(conn: &mut SqliteConnection, entries: &[CallLogRecord]) -> Result<()> {
    for e in entries {
        sqlx::query(
            "INSERT INTO call_log (caller, time, interface, request, response, http_status,
                duration_ms, outcome, message) VALUES (?,?,?,?,?,?,?,?,?)",
        )
        .bind(&e.caller)
        .bind(&e.time)
        .bind(&e.interface)
        .bind(&e.request)
        .bind(&e.response)
        .bind(e.http_status.map(i64::from))
        .bind(e.duration_ms as i64)
        .bind(&e.outcome)
        .bind(&e.message)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The latest calls, newest first; only failures when `failures_only`.
pub async fn latest(
    ex: impl SqliteExecutor<'_>,
    failures_only: bool,
    limit: i64,
) -> Result<Vec<CallLogRecord>> {
    let rows: Vec<CallLogRow> = sqlx::query_as(
        "SELECT * FROM call_log WHERE (?1 = 0 OR outcome <> 'ok') ORDER BY id DESC LIMIT ?2",
    )
    .bind(failures_only)
    .bind(limit)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(CallLogRecord::from).collect())
}

/// The calls whose request or response holds `text`, newest first.
pub async fn mentioning(
    ex: impl SqliteExecutor<'_>,
    text: &str,
    limit: i64,
) -> Result<Vec<CallLogRecord>> {
    let rows: Vec<CallLogRow> = sqlx::query_as(
        "SELECT * FROM call_log
         WHERE instr(request, ?1) > 0 OR instr(COALESCE(response, ''), ?1) > 0
         ORDER BY id DESC LIMIT ?2",
    )
    .bind(text)
    .bind(limit)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(CallLogRecord::from).collect())
}

/// The time of the last successful call.
pub async fn last_success(ex: impl SqliteExecutor<'_>) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT time FROM call_log WHERE outcome = 'ok' ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(ex)
    .await?)
}

/// The time and message of the last failed call.
pub async fn last_failure(ex: impl SqliteExecutor<'_>) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT time, message FROM call_log WHERE outcome <> 'ok' ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(ex)
    .await?)
}
