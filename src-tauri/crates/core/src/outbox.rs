//! The outbox towards the provincial hub (办件中心).
//!
//! A case change that must reach the hub writes its messages here in the same transaction as
//! the change ([`enqueue`]); the sync worker takes the oldest undelivered message of each case
//! ([`Desk::outbox_due`]), and marks it delivered only once the hub acknowledged it. A message
//! that fails waits with exponential backoff and jitter; one the hub refuses, or that failed
//! too often, goes to the dead-letter list until an administrator retries it. A dead message
//! holds back the later messages of its case, so a case's messages always arrive in order.

use chrono::Duration;

use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::model::{
    CaseRecord, CaseState, CaseSync, OutboxEntry, OutboxOperation, OutboxStats, OutboxStatus,
    SyncState,
};
use crate::store;
use crate::store::outbox::NewMessage;
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
    tx: &mut sqlx::SqliteConnection,
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
            if !store::outbox::file_queued(tx, case_id, key).await? {
                queue_doc(key, &mut out);
            }
        }
        for doc_no in wanted {
            let uploaded = case
                .documents
                .iter()
                .any(|d| d.doc_no == doc_no && d.attachguid.is_some());
            if !uploaded && !store::outbox::file_queued(tx, case_id, doc_no).await? {
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
    tx: &mut sqlx::SqliteConnection,
    case_id: i64,
    case: &CaseRecord,
    messages: &[(OutboxOperation, String)],
    at: &str,
) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let version = store::outbox::project_version(tx, case_id).await?;
    let snapshot = desk.keys.seal(&serde_json::to_vec(case)?)?;
    for (op, event) in messages {
        store::outbox::insert(
            tx,
            &NewMessage {
                case_id,
                project_no: &case.project_no,
                operation: *op,
                event_code: event,
                version,
                idem_key: &idem_key(&case.project_no, *op, event, version as u32),
                snapshot_enc: &snapshot,
                created_at: at,
            },
        )
        .await?;
    }
    store::outbox::mark_case_unsynced(tx, case_id).await
}

/// The sync status of a case, from its outbox entries and sync fields.
pub(crate) async fn case_sync(conn: &mut sqlx::SqliteConnection, case_id: i64) -> Result<CaseSync> {
    let row = store::outbox::case_sync(conn, case_id).await?;
    let (total, pending, dead) = (row.total, row.pending, row.dead);
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
        last_error: row.last_error.unwrap_or_default(),
        cd_sign: row.cd_sign,
        cd_time: row.cd_time,
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
        store::outbox::due(self.store.pool(), &now, i64::from(limit))
            .await?
            .into_iter()
            .map(|(entry, sealed)| {
                let case: CaseRecord = serde_json::from_slice(&self.keys.open(&sealed)?)?;
                Ok((entry, case))
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
        let cd_time = now.format("%Y%m%d%H%M%S").to_string();
        let mut tx = self.store.write().await?;
        for &id in ids {
            store::outbox::mark_delivered(&mut tx, id, &at, &cd_time).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Message `id` failed with `error` (Chinese, shown to the clerk). `retry`: a transient
    /// failure (hub down, slow, HTTP 5xx, malformed answer), retried after a backoff until
    /// [`MAX_ATTEMPTS`]; otherwise (the hub refused it) it goes to the dead-letter list now.
    /// Returns the entry as it now stands.
    pub async fn outbox_failed(&self, id: i64, error: &str, retry: bool) -> Result<OutboxEntry> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let attempts = store::outbox::attempts(&mut tx, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("同步消息 {id}")))?;
        let attempts = attempts as u32 + 1;
        let dead = !retry || attempts >= MAX_ATTEMPTS;
        let next = now + backoff(attempts, &mut fastrand::Rng::new());
        let status = if dead {
            OutboxStatus::Dead
        } else {
            OutboxStatus::Pending
        };
        let e = store::outbox::record_failure(
            &mut tx,
            id,
            i64::from(attempts),
            error,
            &spec_time(&next),
            status,
        )
        .await?
        .ok_or_else(|| CoreError::Conflict(format!("同步消息 {id} 已不在待发送队列中")))?;
        tx.commit().await?;
        Ok(e)
    }

    /// Puts a dead message back in the queue, to be sent at once.
    pub async fn outbox_retry(&self, id: i64) -> Result<OutboxEntry> {
        let at = spec_time(&self.now());
        store::outbox::retry(self.store.pool(), id, &at)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("失败列表中的同步消息 {id}")))
    }

    /// Messages, newest first, of one status or all.
    pub async fn outbox_list(
        &self,
        status: Option<OutboxStatus>,
        limit: u32,
    ) -> Result<Vec<OutboxEntry>> {
        store::outbox::list(self.store.pool(), status, i64::from(limit)).await
    }

    pub async fn outbox_stats(&self) -> Result<OutboxStats> {
        store::outbox::stats(self.store.pool()).await
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
