//! The outbox towards the provincial hub (办件中心).
//!
//! A case change that must reach the hub writes its messages here in the same transaction as
//! the change ([`enqueue`]); the sync worker takes the oldest undelivered message of each case
//! ([`Desk::outbox_due`]), and marks it delivered only once the hub acknowledged it. A message
//! that fails waits with exponential backoff and jitter; one the hub refuses, or that failed
//! too often, goes to the dead-letter list until an administrator retries it. A dead message
//! holds back the later messages of its case, so a case's messages always arrive in order.

use chrono::Duration;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::desk::{Desk, code};
use crate::error::{CoreError, Result};
use crate::model::{
    CaseRecord, CaseState, CaseSync, OutboxEntry, OutboxOperation, OutboxStats, OutboxStatus,
    SyncState,
};
use crate::time::spec_time;
use crate::workflow::Action;

/// After this many failed attempts a message goes to the dead-letter list.
pub const MAX_ATTEMPTS: u32 = 12;
/// The first retry waits about this long; each further one twice as long, up to [`MAX_DELAY`].
pub const BASE_DELAY_SECS: i64 = 2;
pub const MAX_DELAY_SECS: i64 = 600;

/// The hub messages a transition produces (seed 000 7.2.2, 7.2.4 and 7.2.5 with the event
/// codes of table 5). Changes before acceptance stay at the counter.
pub fn messages_for(
    from: Option<CaseState>,
    to: CaseState,
    action: Action,
) -> Vec<(OutboxOperation, &'static str)> {
    use Action as A;
    use CaseState as S;
    use OutboxOperation as O;
    match (from, to, action) {
        (_, S::Accepted, A::Accept) => vec![(O::Accept, "")],
        // B5 需补正, then B1 已补正 with the 7.2.4 push.
        (Some(S::Accepted), S::AwaitingSupplement, A::RequestSupplement) => {
            vec![(O::Process, "B5")]
        }
        (Some(S::AwaitingSupplement), S::Accepted, A::CompleteSupplement) => {
            vec![(O::SupplyFinished, ""), (O::Process, "B1")]
        }
        // B11 特殊程序（除延长审批之外）, B9 back to the normal procedure, B10 延长审批.
        (_, S::Suspended, A::Suspend) => vec![(O::Process, "B11")],
        (Some(S::Suspended), S::Accepted, A::Resume) => vec![(O::Process, "B9")],
        (_, _, A::Extend) => vec![(O::Process, "B10")],
        // 统一受办: the desk concluded the case itself and pushes it whole (7.2.1). A result
        // from the department arrives through the inbox and pushes nothing.
        (_, S::Concluded, A::Conclude) => vec![(O::All, "")],
        _ => vec![],
    }
}

/// The event code of an upload of a material's scanned pages: `material:{no}`.
pub const MATERIAL_PREFIX: &str = "material:";

/// The stable key of a message: the same for every retry, after any restart.
pub fn idem_key(project_no: &str, op: OutboxOperation, event: &str, version: u32) -> String {
    if event.is_empty() {
        format!("{project_no}:{}:{version}", op.as_str())
    } else {
        format!("{project_no}:{}:{event}:{version}", op.as_str())
    }
}

/// How long to wait after the `attempts`-th failure: exponential, capped, with ±20 % jitter so
/// that desks coming back together do not retry in step.
pub fn backoff(attempts: u32, rng: &mut fastrand::Rng) -> Duration {
    let exp = BASE_DELAY_SECS.saturating_mul(1_i64 << attempts.min(20).saturating_sub(1));
    let secs = exp.min(MAX_DELAY_SECS) as f64;
    let jittered = secs * (0.8 + 0.4 * rng.f64());
    Duration::milliseconds((jittered * 1000.0) as i64)
}

/// The messages of a transition with the 7.2.7 uploads they need in front of them: a process
/// step (7.2.5) refers in its `doclist` to the document the transition issued (a 补齐补正通知书
/// after acceptance), a 统一受办 push (7.2.1) to every document of the case, and an acceptance
/// (7.2.2) or a 7.2.1 push to the scanned pages of each material (`sm_file_attach`, one PDF per
/// material, event code `material:{no}`). Each upload
/// is an outbox entry of its own (`file`, with the document number as its event code), so it
/// is retried on its own and delivered before the message that refers to it. A document
/// already uploaded, or already queued, is not queued again.
/// Whether a department's file for the material came in through 帮我传 (已完成).
fn shared_file(case: &CaseRecord, material_no: &str) -> bool {
    case.sharing.as_ref().is_some_and(|s| {
        s.shares.iter().any(|sh| {
            sh.material_no == material_no
                && sh.status == crate::model::ShareStatus::Completed
                && sh.file_name.is_some()
        })
    })
}

pub(crate) async fn with_uploads(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    case_id: i64,
    case: &CaseRecord,
    issued: Option<crate::model::NoticeKind>,
    messages: &[(OutboxOperation, &'static str)],
) -> Result<Vec<(OutboxOperation, String)>> {
    let mut out: Vec<(OutboxOperation, String)> = Vec::new();
    let queue_doc = |doc_no: &str, out: &mut Vec<(OutboxOperation, String)>| {
        if !out
            .iter()
            .any(|(o, e)| *o == OutboxOperation::File && e == doc_no)
        {
            out.push((OutboxOperation::File, doc_no.to_string()));
        }
    };
    for (op, _) in messages {
        let wanted: Vec<&str> = match op {
            OutboxOperation::Process => issued
                .and_then(|k| case.documents.iter().rev().find(|d| d.kind == k))
                .map(|d| vec![d.doc_no.as_str()])
                .unwrap_or_default(),
            OutboxOperation::All => case.documents.iter().map(|d| d.doc_no.as_str()).collect(),
            _ => Vec::new(),
        };
        let scanned: Vec<String> = match op {
            OutboxOperation::Accept | OutboxOperation::All => case
                .materials
                .iter()
                .filter(|m| m.attachguid.is_none())
                .filter(|m| {
                    case.material_pages.iter().any(|p| p.material_no == m.no)
                        || shared_file(case, &m.no)
                })
                .map(|m| format!("{MATERIAL_PREFIX}{}", m.no))
                .collect(),
            _ => Vec::new(),
        };
        for key in &scanned {
            let queued: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND operation = 'file'
                   AND event_code = ? AND status <> 'dead'",
            )
            .bind(case_id)
            .bind(key)
            .fetch_one(&mut **tx)
            .await?;
            if queued == 0 {
                queue_doc(key, &mut out);
            }
        }
        for doc_no in wanted {
            let uploaded = case
                .documents
                .iter()
                .any(|d| d.doc_no == doc_no && d.attachguid.is_some());
            let queued: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND operation = 'file'
                   AND event_code = ? AND status <> 'dead'",
            )
            .bind(case_id)
            .bind(doc_no)
            .fetch_one(&mut **tx)
            .await?;
            if !uploaded && queued == 0 {
                queue_doc(doc_no, &mut out);
            }
        }
    }
    out.extend(messages.iter().map(|(o, e)| (*o, e.to_string())));
    Ok(out)
}

/// Writes the messages of a transition, inside the transaction that made it. `case` is the
/// case as it now stands in that transaction.
pub(crate) async fn enqueue(
    desk: &Desk,
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    case_id: i64,
    case: &CaseRecord,
    messages: &[(OutboxOperation, String)],
    at: &str,
) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let version: i64 = sqlx::query_scalar("SELECT project_version FROM cases WHERE id = ?")
        .bind(case_id)
        .fetch_one(&mut **tx)
        .await?;
    let snapshot = desk.keys.seal(&serde_json::to_vec(case)?)?;
    for (op, event) in messages {
        sqlx::query(
            "INSERT INTO outbox (case_id, project_no, operation, event_code, version, idem_key,
                snapshot_enc, created_at, next_attempt_at)
             VALUES (?,?,?,?,?,?,?,?,?)",
        )
        .bind(case_id)
        .bind(&case.project_no)
        .bind(op.as_str())
        .bind(event)
        .bind(version)
        .bind(idem_key(&case.project_no, *op, event, version as u32))
        .bind(&snapshot)
        .bind(at)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    let delivered_before: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND status = 'delivered'",
    )
    .bind(case_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE cases SET cd_sign = '0', cd_operation = ? WHERE id = ?")
        .bind(if delivered_before == 0 { "I" } else { "U" })
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn entry(r: &SqliteRow) -> Result<OutboxEntry> {
    Ok(OutboxEntry {
        id: r.try_get("id")?,
        project_no: r.try_get("project_no")?,
        operation: code(r, "operation", OutboxOperation::parse)?,
        event_code: r.try_get("event_code")?,
        version: r.try_get::<i64, _>("version")? as u32,
        idem_key: r.try_get("idem_key")?,
        created_at: r.try_get("created_at")?,
        status: code(r, "status", OutboxStatus::parse)?,
        attempts: r.try_get::<i64, _>("attempts")? as u32,
        next_attempt_at: r.try_get("next_attempt_at")?,
        last_error: r.try_get("last_error")?,
        delivered_at: r.try_get("delivered_at")?,
    })
}

/// The sync status of a case, from its outbox entries and sync fields.
pub(crate) async fn case_sync(conn: &mut sqlx::SqliteConnection, case_id: i64) -> Result<CaseSync> {
    let row = sqlx::query(
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
    .await?;
    let total: i64 = row.try_get("total")?;
    let pending: i64 = row.try_get("pending")?;
    let dead: i64 = row.try_get("dead")?;
    let state = if total == 0 {
        SyncState::Local
    } else if dead > 0 {
        SyncState::Failed
    } else if pending > 0 {
        SyncState::Pending
    } else {
        SyncState::Synced
    };
    Ok(CaseSync {
        state,
        pending: pending as u32,
        last_error: row
            .try_get::<Option<String>, _>("last_error")?
            .unwrap_or_default(),
        cd_sign: row.try_get("cd_sign")?,
        cd_time: row.try_get("cd_time")?,
    })
}

impl Desk {
    /// The messages due now: of each case, its oldest undelivered one, if it is pending and
    /// its retry time has come; oldest first, at most `limit`. Each comes with the case as it
    /// stood when the message was written.
    pub async fn outbox_due(&self, limit: u32) -> Result<Vec<(OutboxEntry, CaseRecord)>> {
        self.outbox_due_at(limit, &self.now()).await
    }

    /// [`Desk::outbox_due`] as of `at`. A sync run passes its start time, so that a message
    /// that failed during the run (its retry time is then at least a second later) is not
    /// tried again in the same run.
    pub async fn outbox_due_at(
        &self,
        limit: u32,
        at: &chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Vec<(OutboxEntry, CaseRecord)>> {
        let now = spec_time(at);
        let rows = sqlx::query(
            "SELECT o.* FROM outbox o
             WHERE o.status = 'pending' AND o.next_attempt_at <= ?1
               AND o.id = (SELECT MIN(p.id) FROM outbox p
                           WHERE p.case_id = o.case_id AND p.status <> 'delivered')
             ORDER BY o.id LIMIT ?2",
        )
        .bind(&now)
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let sealed: Vec<u8> = r.try_get("snapshot_enc")?;
                let case: CaseRecord = serde_json::from_slice(&self.keys.open(&sealed)?)?;
                Ok((entry(r)?, case))
            })
            .collect()
    }

    /// The hub acknowledged message `id`. When it was the case's last undelivered one, the
    /// case is marked synced (Cd_sign 1, Cd_time now). Idempotent.
    pub async fn outbox_delivered(&self, id: i64) -> Result<()> {
        self.outbox_delivered_many(&[id]).await
    }

    /// [`Desk::outbox_delivered`] for several messages (one request of a batch), in one
    /// transaction.
    pub async fn outbox_delivered_many(&self, ids: &[i64]) -> Result<()> {
        let now = self.now();
        let at = spec_time(&now);
        let mut tx = self.store.write().await?;
        for &id in ids {
            Self::mark_delivered(&mut tx, id, &now, &at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn mark_delivered(
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        id: i64,
        now: &chrono::DateTime<chrono::FixedOffset>,
        at: &str,
    ) -> Result<()> {
        let case_id: Option<i64> = sqlx::query_scalar(
            "UPDATE outbox SET status = 'delivered', delivered_at = ?, last_error = ''
             WHERE id = ? AND status <> 'delivered' RETURNING case_id",
        )
        .bind(at)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(case_id) = case_id {
            let left: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND status <> 'delivered'",
            )
            .bind(case_id)
            .fetch_one(&mut **tx)
            .await?;
            if left == 0 {
                sqlx::query("UPDATE cases SET cd_sign = '1', cd_time = ? WHERE id = ?")
                    .bind(now.format("%Y%m%d%H%M%S").to_string())
                    .bind(case_id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Ok(())
    }

    /// Message `id` failed with `error` (Chinese, shown to the clerk). `retry`: a transient
    /// failure (hub down, slow, HTTP 5xx, malformed answer), retried after a backoff until
    /// [`MAX_ATTEMPTS`]; otherwise (the hub refused it) it goes to the dead-letter list now.
    /// Returns the entry as it now stands.
    pub async fn outbox_failed(&self, id: i64, error: &str, retry: bool) -> Result<OutboxEntry> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("同步消息 {id}")))?;
        let attempts = attempts as u32 + 1;
        let dead = !retry || attempts >= MAX_ATTEMPTS;
        let next = now + backoff(attempts, &mut fastrand::Rng::new());
        let row = sqlx::query(
            "UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, status = ?
             WHERE id = ? AND status = 'pending' RETURNING *",
        )
        .bind(i64::from(attempts))
        .bind(error)
        .bind(spec_time(&next))
        .bind(if dead { "dead" } else { "pending" })
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| CoreError::Conflict(format!("同步消息 {id} 已不在待发送队列中")))?;
        let e = entry(&row)?;
        tx.commit().await?;
        Ok(e)
    }

    /// Puts a dead message back in the queue, to be sent at once.
    pub async fn outbox_retry(&self, id: i64) -> Result<OutboxEntry> {
        let at = spec_time(&self.now());
        let row = sqlx::query(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?
             WHERE id = ? AND status = 'dead' RETURNING *",
        )
        .bind(&at)
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?
        .ok_or_else(|| CoreError::NotFound(format!("失败列表中的同步消息 {id}")))?;
        entry(&row)
    }

    /// Messages, newest first, of one status or all.
    pub async fn outbox_list(
        &self,
        status: Option<OutboxStatus>,
        limit: u32,
    ) -> Result<Vec<OutboxEntry>> {
        let rows = sqlx::query(
            "SELECT * FROM outbox WHERE (?1 IS NULL OR status = ?1) ORDER BY id DESC LIMIT ?2",
        )
        .bind(status.map(OutboxStatus::as_str))
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(entry).collect()
    }

    pub async fn outbox_stats(&self) -> Result<OutboxStats> {
        let row = sqlx::query(
            "SELECT
                COUNT(*) FILTER (WHERE status = 'pending') AS pending,
                COUNT(*) FILTER (WHERE status = 'dead') AS dead,
                COUNT(*) FILTER (WHERE status = 'delivered') AS delivered,
                MIN(created_at) FILTER (WHERE status = 'pending') AS oldest,
                MIN(next_attempt_at) FILTER (WHERE status = 'pending') AS next_attempt
             FROM outbox",
        )
        .fetch_one(self.store.pool())
        .await?;
        Ok(OutboxStats {
            pending: row.try_get::<i64, _>("pending")? as u32,
            dead: row.try_get::<i64, _>("dead")? as u32,
            delivered: row.try_get::<i64, _>("delivered")? as u32,
            oldest_pending_at: row.try_get("oldest")?,
            next_attempt_at: row.try_get("next_attempt")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let mut rng = fastrand::Rng::with_seed(1);
        let secs =
            |n| backoff(n, &mut fastrand::Rng::with_seed(9)).num_milliseconds() as f64 / 1000.0;
        assert!((1.6..=2.4).contains(&secs(1)), "{}", secs(1));
        assert!((3.2..=4.8).contains(&secs(2)));
        assert!((6.4..=9.6).contains(&secs(3)));
        assert!((480.0..=720.0).contains(&secs(30)));
        let spread: std::collections::HashSet<i64> = (0..50)
            .map(|_| backoff(5, &mut rng).num_milliseconds())
            .collect();
        assert!(spread.len() > 40, "jitter spreads retries");
    }

    #[test]
    fn only_accepted_cases_talk_to_the_hub() {
        use Action as A;
        use CaseState as S;
        assert!(messages_for(None, S::Received, A::Receive).is_empty());
        assert!(messages_for(Some(S::Received), S::Rejected, A::Reject).is_empty());
        assert!(
            messages_for(
                Some(S::SupplementRequested),
                S::SupplementDone,
                A::CompleteSupplement
            )
            .is_empty()
        );
        assert_eq!(
            messages_for(None, S::Accepted, A::Accept),
            [(OutboxOperation::Accept, "")]
        );
        assert_eq!(
            messages_for(
                Some(S::AwaitingSupplement),
                S::Accepted,
                A::CompleteSupplement
            ),
            [
                (OutboxOperation::SupplyFinished, ""),
                (OutboxOperation::Process, "B1")
            ]
        );
        assert_eq!(
            idem_key("P1", OutboxOperation::Process, "B5", 3),
            "P1:process:B5:3"
        );
    }
}
