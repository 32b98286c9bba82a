//! The outbox towards the hub (`outbox`), the sync fields of a case (`cd_sign`, `cd_time`,
//! `cd_operation`), the hub's `attachguid` of uploaded documents, and the sync worker's lease
//! (`sync_lease`).

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::error::Result;
use crate::model::{OutboxEntry, OutboxOperation, OutboxStats, OutboxStatus};
use crate::store::rows::decode;

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    project_no: String,
    operation: String,
    event_code: String,
    version: i64,
    idem_key: String,
    created_at: String,
    status: String,
    attempts: i64,
    next_attempt_at: String,
    last_error: String,
    delivered_at: Option<String>,
}

impl EntryRow {
    fn into_entry(self) -> Result<OutboxEntry> {
        Ok(OutboxEntry {
            id: self.id,
            project_no: self.project_no,
            operation: decode("operation", &self.operation, OutboxOperation::parse)?,
            event_code: self.event_code,
            version: self.version as u32,
            idem_key: self.idem_key,
            created_at: self.created_at,
            status: decode("status", &self.status, OutboxStatus::parse)?,
            attempts: self.attempts as u32,
            next_attempt_at: self.next_attempt_at,
            last_error: self.last_error,
            delivered_at: self.delivered_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DueRow {
    #[sqlx(flatten)]
    entry: EntryRow,
    snapshot_enc: Vec<u8>,
}

/// A message to write.
pub struct NewMessage<'a> {
    pub case_id: i64,
    pub project_no: &'a str,
    pub operation: OutboxOperation,
    pub event_code: &'a str,
    pub version: i64,
    pub idem_key: &'a str,
    /// The case as it stands after the change, sealed.
    pub snapshot_enc: &'a [u8],
    pub created_at: &'a str,
}

/// Whether an upload (`file`) with `event_code` is queued for the case, or was delivered.
pub async fn file_queued(
    conn: &mut SqliteConnection,
    case_id: i64,
    event_code: &str,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND operation = 'file'
           AND event_code = ? AND status <> 'dead'",
    )
    .bind(case_id)
    .bind(event_code)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// The case's ProjectVersion.
pub async fn project_version(conn: &mut SqliteConnection, case_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT project_version FROM cases WHERE id = ?")
            .bind(case_id)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Writes a message, due at once.
pub async fn insert(conn: &mut SqliteConnection, m: &NewMessage<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (case_id, project_no, operation, event_code, version, idem_key,
            snapshot_enc, created_at, next_attempt_at)
         VALUES (?,?,?,?,?,?,?,?,?)",
    )
    .bind(m.case_id)
    .bind(m.project_no)
    .bind(m.operation.as_str())
    .bind(m.event_code)
    .bind(m.version)
    .bind(m.idem_key)
    .bind(m.snapshot_enc)
    .bind(m.created_at)
    .bind(m.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks the case as not synced: Cd_sign 0, Cd_operation I before anything was delivered,
/// U after.
pub async fn mark_case_unsynced(conn: &mut SqliteConnection, case_id: i64) -> Result<()> {
    let delivered_before: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND status = 'delivered'",
    )
    .bind(case_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE cases SET cd_sign = '0', cd_operation = ? WHERE id = ?")
        .bind(if delivered_before == 0 { "I" } else { "U" })
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What the sync status of a case is made of.
#[derive(sqlx::FromRow)]
pub struct CaseSyncRow {
    pub total: i64,
    pub pending: i64,
    pub dead: i64,
    pub last_error: Option<String>,
    pub cd_sign: String,
    pub cd_time: String,
}

pub async fn case_sync(conn: &mut SqliteConnection, case_id: i64) -> Result<CaseSyncRow> {
    Ok(sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM outbox WHERE case_id = ?1) AS total,
            (SELECT COUNT(*) FROM outbox WHERE case_id = ?1 AND status = 'pending') AS pending,
            (SELECT COUNT(*) FROM outbox WHERE case_id = ?1 AND status = 'dead') AS dead,
            (SELECT last_error FROM outbox WHERE case_id = ?1 AND last_error <> ''
                AND status <> 'delivered' ORDER BY id LIMIT 1) AS last_error,
            cd_sign, cd_time
         FROM cases WHERE id = ?1",
    )
    .bind(case_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Of each case, its oldest undelivered message, when it is pending and due by `now`;
/// oldest first, at most `limit`; each with its sealed snapshot.
pub async fn due(
    db: impl SqliteExecutor<'_>,
    now: &str,
    limit: i64,
) -> Result<Vec<(OutboxEntry, Vec<u8>)>> {
    let rows: Vec<DueRow> = sqlx::query_as(
        "SELECT o.* FROM outbox o
         WHERE o.status = 'pending' AND o.next_attempt_at <= ?1
           AND o.id = (SELECT MIN(p.id) FROM outbox p
                       WHERE p.case_id = o.case_id AND p.status <> 'delivered')
         ORDER BY o.id LIMIT ?2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| Ok((r.entry.into_entry()?, r.snapshot_enc)))
        .collect()
}

/// Marks message `id` delivered at `at`; when it was its case's last undelivered one, the
/// case is marked synced (Cd_sign 1, Cd_time `cd_time`). Idempotent.
pub async fn mark_delivered(
    conn: &mut SqliteConnection,
    id: i64,
    at: &str,
    cd_time: &str,
) -> Result<()> {
    let case_id: Option<i64> = sqlx::query_scalar(
        "UPDATE outbox SET status = 'delivered', delivered_at = ?, last_error = ''
         WHERE id = ? AND status <> 'delivered' RETURNING case_id",
    )
    .bind(at)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(case_id) = case_id else {
        return Ok(());
    };
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND status <> 'delivered'",
    )
    .bind(case_id)
    .fetch_one(&mut *conn)
    .await?;
    if left == 0 {
        sqlx::query("UPDATE cases SET cd_sign = '1', cd_time = ? WHERE id = ?")
            .bind(cd_time)
            .bind(case_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The attempts of message `id` so far.
pub async fn attempts(conn: &mut SqliteConnection, id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT attempts FROM outbox WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Records a failed attempt of a pending message; `None` when it is no longer pending.
pub async fn record_failure(
    conn: &mut SqliteConnection,
    id: i64,
    attempts: i64,
    error: &str,
    next_attempt_at: &str,
    status: OutboxStatus,
) -> Result<Option<OutboxEntry>> {
    let row: Option<EntryRow> = sqlx::query_as(
        "UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, status = ?
         WHERE id = ? AND status = 'pending' RETURNING *",
    )
    .bind(attempts)
    .bind(error)
    .bind(next_attempt_at)
    .bind(status.as_str())
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(EntryRow::into_entry).transpose()
}

/// Puts a dead message back in the queue, due at `at`; `None` when it is not dead.
pub async fn retry(db: impl SqliteExecutor<'_>, id: i64, at: &str) -> Result<Option<OutboxEntry>> {
    let row: Option<EntryRow> = sqlx::query_as(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?
         WHERE id = ? AND status = 'dead' RETURNING *",
    )
    .bind(at)
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(EntryRow::into_entry).transpose()
}

/// Messages, newest first, of one status or all.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    status: Option<OutboxStatus>,
    limit: i64,
) -> Result<Vec<OutboxEntry>> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT * FROM outbox WHERE (?1 IS NULL OR status = ?1) ORDER BY id DESC LIMIT ?2",
    )
    .bind(status.map(OutboxStatus::as_str))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(EntryRow::into_entry).collect()
}

#[derive(sqlx::FromRow)]
struct StatsRow {
    pending: i64,
    dead: i64,
    delivered: i64,
    oldest: Option<String>,
    next_attempt: Option<String>,
}

/// The size of the queue.
pub async fn stats(db: impl SqliteExecutor<'_>) -> Result<OutboxStats> {
    let r: StatsRow = sqlx::query_as(
        "SELECT
            COUNT(*) FILTER (WHERE status = 'pending') AS pending,
            COUNT(*) FILTER (WHERE status = 'dead') AS dead,
            COUNT(*) FILTER (WHERE status = 'delivered') AS delivered,
            MIN(created_at) FILTER (WHERE status = 'pending') AS oldest,
            MIN(next_attempt_at) FILTER (WHERE status = 'pending') AS next_attempt
         FROM outbox",
    )
    .fetch_one(db)
    .await?;
    Ok(OutboxStats {
        pending: r.pending as u32,
        dead: r.dead as u32,
        delivered: r.delivered as u32,
        oldest_pending_at: r.oldest,
        next_attempt_at: r.next_attempt,
    })
}

/// Records the `attachguid` the hub returned for an uploaded document (7.2.7).
pub async fn set_document_attachguid(
    db: impl SqliteExecutor<'_>,
    doc_no: &str,
    attachguid: &str,
) -> Result<()> {
    sqlx::query("UPDATE documents SET attachguid = ? WHERE doc_no = ?")
        .bind(attachguid)
        .bind(doc_no)
        .execute(db)
        .await?;
    Ok(())
}

/// The uploaded documents of a case: (document number, attachguid).
pub async fn document_attachguids(
    db: impl SqliteExecutor<'_>,
    project_no: &str,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT d.doc_no, d.attachguid FROM documents d JOIN cases c ON c.id = d.case_id
         WHERE c.project_no = ? AND d.attachguid IS NOT NULL ORDER BY d.id",
    )
    .bind(project_no)
    .fetch_all(db)
    .await?)
}

/// Takes (or renews) the sync lease for `holder` until `expires_ms` (Unix milliseconds),
/// unless another holder's lease runs past `now_ms`. Returns whether `holder` holds it.
pub async fn take_lease(
    conn: &mut SqliteConnection,
    holder: &str,
    expires_ms: i64,
    now_ms: i64,
) -> Result<bool> {
    // SQLite (and PostgreSQL) upsert with a condition on the existing row.
    let done = sqlx::query(
        "INSERT INTO sync_lease (id, holder, expires_ms) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET holder = ?1, expires_ms = ?2
         WHERE sync_lease.holder = ?1 OR sync_lease.expires_ms < ?3",
    )
    .bind(holder)
    .bind(expires_ms)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Takes the lease over from `dead`; returns whether it worked.
pub async fn take_over_lease(
    db: impl SqliteExecutor<'_>,
    dead: &str,
    holder: &str,
    expires_ms: i64,
) -> Result<bool> {
    let done = sqlx::query("UPDATE sync_lease SET holder = ?, expires_ms = ? WHERE holder = ?")
        .bind(holder)
        .bind(expires_ms)
        .bind(dead)
        .execute(db)
        .await?
        .rows_affected();
    Ok(done > 0)
}

/// Gives the lease back.
pub async fn release_lease(db: impl SqliteExecutor<'_>, holder: &str) -> Result<()> {
    sqlx::query("DELETE FROM sync_lease WHERE holder = ?")
        .bind(holder)
        .execute(db)
        .await?;
    Ok(())
}

/// Who holds the lease at `now_ms`, if anyone.
pub async fn lease_holder(db: impl SqliteExecutor<'_>, now_ms: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT holder FROM sync_lease WHERE expires_ms >= ?")
            .bind(now_ms)
            .fetch_optional(db)
            .await?,
    )
}
