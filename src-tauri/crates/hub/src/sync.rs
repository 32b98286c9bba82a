//! The sync worker: delivers the desk's outbox to the hub.
//!
//! Each round takes what is due ([`Desk::outbox_due`]: the oldest undelivered message of each
//! case), maps it to its request ([`crate::mapping`]), sends it, and records the outcome:
//! - `custom.code = 1`: delivered;
//! - `custom.code = 0`: dead at once, with the hub's text (the clerk must correct the case);
//! - a case that lacks a required field is not sent: dead, with `缺少必填项：…`;
//! - anything transient (hub down, timeout, HTTP error status, malformed answer, dropped
//!   connection): pending, retried after a backoff with jitter.
//!
//! Rounds repeat until nothing is due now (a delivered message can make the next one of its
//! case due), at most [`MAX_ROUNDS`]. Every call is recorded in the desk's call log.
//!
//! **Batching.** With `batch_size > 1`, messages of the same interface share one
//! `projectlist` request. The hub answers a request as a whole, so a refused batch is split
//! and each message is sent alone: only the message the hub refuses goes to the dead letters.
//! The simulator recognises duplicates per request (interface, `no` and `sign` of each item),
//! so a batch resent after a crash is recognised only if it has the same composition; with
//! `batch_size = 1` (the default) every resend is.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use yichuang_core::Desk;
use yichuang_core::error::Result as CoreResult;
use yichuang_core::model::{CallLogRecord, OutboxEntry};

use crate::calllog::{CallLogEntry, CallLogSink};
use crate::client::{ClientConfig, HubClient, HubError};
use crate::mapping::{MapContext, Mapped, map_entry, request_of};
use crate::profile::HubProfile;

/// At most this many rounds per [`SyncWorker::run_once`].
pub const MAX_ROUNDS: u32 = 10_000;
/// Messages taken per round.
pub const ROUND_LIMIT: u32 = 200;

/// The call log of a desk: entries are buffered as the client makes calls, and written to the
/// desk's SQLite store ([`Desk::call_log_append`]) by [`DeskCallLog::flush`], which the
/// worker calls after every request.
#[derive(Debug, Default)]
pub struct DeskCallLog {
    buffer: Mutex<Vec<CallLogEntry>>,
}

impl CallLogSink for DeskCallLog {
    fn record(&self, entry: CallLogEntry) {
        match self.buffer.lock() {
            Ok(mut b) => b.push(entry),
            Err(p) => p.into_inner().push(entry),
        }
    }
}

/// A call log entry as the desk stores it (the entry is already masked by the client).
pub fn to_record(e: &CallLogEntry) -> CallLogRecord {
    let outcome = serde_json::to_value(e.outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    CallLogRecord {
        id: 0,
        caller: e.caller.clone(),
        time: e.time.to_rfc3339(),
        interface: e.interface.name().to_string(),
        request: e.request.to_string(),
        response: e.response.as_ref().map(|r| r.to_string()),
        http_status: e.http_status,
        duration_ms: e.duration_ms,
        outcome,
        message: e.message.clone().unwrap_or_default(),
    }
}

impl DeskCallLog {
    /// Writes the buffered entries to the desk's call log.
    pub async fn flush(&self, desk: &Desk) -> CoreResult<()> {
        let entries: Vec<CallLogEntry> = match self.buffer.lock() {
            Ok(mut b) => std::mem::take(&mut *b),
            Err(p) => std::mem::take(&mut *p.into_inner()),
        };
        let records: Vec<CallLogRecord> = entries.iter().map(to_record).collect();
        desk.call_log_append(&records).await
    }
}

/// One message that failed in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncFailure {
    pub id: i64,
    pub project_no: String,
    pub idem_key: String,
    /// The clerk's reason, in Chinese.
    pub error: String,
    /// Whether it went to the dead letters (else it waits for a retry).
    pub dead: bool,
}

/// What one [`SyncWorker::run_once`] did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncReport {
    pub delivered: u32,
    /// Failed and waiting for a retry.
    pub failed: u32,
    /// Failed and moved to the dead letters.
    pub dead: u32,
    /// Messages still pending after the run (due later).
    pub remaining: u32,
    /// Requests made to the hub.
    pub requests: u32,
    pub failures: Vec<SyncFailure>,
}

/// Delivers the outbox of a desk.
pub struct SyncWorker {
    client: HubClient,
    log: Arc<DeskCallLog>,
    batch_size: usize,
}

/// Whether a failure may go away by itself (retry later) or needs a person (dead letter).
fn transient(e: &HubError) -> bool {
    match e {
        HubError::Unreachable { .. }
        | HubError::Timeout { .. }
        | HubError::HttpStatus { .. }
        | HubError::Malformed { .. }
        | HubError::Dropped { .. }
        | HubError::Config(_) => true,
        HubError::Refused { .. } | HubError::MissingFields(_) | HubError::Encode(_) => false,
    }
}

impl SyncWorker {
    pub fn new(
        config: ClientConfig,
        profile: Arc<dyn HubProfile>,
        batch_size: usize,
    ) -> Result<Self, HubError> {
        let log = Arc::new(DeskCallLog::default());
        let client = HubClient::new(config, profile, log.clone())?;
        Ok(SyncWorker {
            client,
            log,
            batch_size: batch_size.max(1),
        })
    }

    pub fn client(&self) -> &HubClient {
        &self.client
    }

    /// Delivers everything due now; see the module documentation.
    pub async fn run_once(&self, desk: &Desk) -> CoreResult<SyncReport> {
        let ctx = MapContext::load(desk).await?;
        let mut report = SyncReport::default();
        // Messages that fail in this run wait past its start, so each is tried once per run.
        let started = desk.clock().now();
        for _ in 0..MAX_ROUNDS {
            let due = desk.outbox_due_at(ROUND_LIMIT, &started).await?;
            if due.is_empty() {
                break;
            }
            let mut ready: Vec<(OutboxEntry, Mapped)> = Vec::with_capacity(due.len());
            for (entry, case) in due {
                match map_entry(&entry, &case, &ctx) {
                    Ok(m) => ready.push((entry, m)),
                    Err(reason) => self.fail(desk, &entry, &reason, false, &mut report).await?,
                }
            }
            // Group by interface, keeping the order of the queue within each group.
            let mut groups: Vec<Vec<(OutboxEntry, Mapped)>> = Vec::new();
            for (e, m) in ready {
                match groups
                    .iter_mut()
                    .find(|g| g[0].1.interface == m.interface && g.len() < self.batch_size)
                {
                    Some(g) => g.push((e, m)),
                    None => groups.push(vec![(e, m)]),
                }
            }
            for group in &groups {
                self.send(desk, group, &mut report).await?;
            }
        }
        report.remaining = desk.outbox_stats().await?.pending;
        Ok(report)
    }

    async fn send(
        &self,
        desk: &Desk,
        group: &[(OutboxEntry, Mapped)],
        report: &mut SyncReport,
    ) -> CoreResult<()> {
        let items: Vec<&Mapped> = group.iter().map(|(_, m)| m).collect();
        let plain = request_of(&items);
        let interface = group[0].1.interface;
        report.requests += 1;
        let result = match self.client.encode(interface, &plain) {
            Ok(encoded) => self.client.send_encoded(&encoded, &plain).await,
            Err(e) => Err(e),
        };
        self.log.flush(desk).await?;
        match result {
            Ok(_) => {
                let ids: Vec<i64> = group.iter().map(|(e, _)| e.id).collect();
                desk.outbox_delivered_many(&ids).await?;
                report.delivered += ids.len() as u32;
            }
            Err(HubError::Refused { .. }) if group.len() > 1 => {
                // Which one? Each alone.
                for one in group {
                    Box::pin(self.send(desk, std::slice::from_ref(one), report)).await?;
                }
            }
            Err(e) => {
                let retry = transient(&e);
                let reason = match &e {
                    HubError::Refused { text } => format!("办件中心拒绝：{text}"),
                    other => other.to_string(),
                };
                for (entry, _) in group {
                    self.fail(desk, entry, &reason, retry, report).await?;
                }
            }
        }
        Ok(())
    }

    async fn fail(
        &self,
        desk: &Desk,
        entry: &OutboxEntry,
        reason: &str,
        retry: bool,
        report: &mut SyncReport,
    ) -> CoreResult<()> {
        let now = desk.outbox_failed(entry.id, reason, retry).await?;
        let dead = now.status == yichuang_core::model::OutboxStatus::Dead;
        if dead {
            report.dead += 1;
        } else {
            report.failed += 1;
        }
        report.failures.push(SyncFailure {
            id: entry.id,
            project_no: entry.project_no.clone(),
            idem_key: entry.idem_key.clone(),
            error: reason.to_string(),
            dead,
        });
        Ok(())
    }

    /// Runs [`run_once`](Self::run_once) every `interval` until `shutdown` completes. A
    /// store error is logged and the loop goes on.
    pub async fn run<F: Future<Output = ()>>(&self, desk: &Desk, interval: Duration, shutdown: F) {
        tokio::pin!(shutdown);
        loop {
            match self.run_once(desk).await {
                Ok(r) if r.delivered + r.failed + r.dead > 0 => tracing::info!(
                    delivered = r.delivered,
                    failed = r.failed,
                    dead = r.dead,
                    remaining = r.remaining,
                    "hub sync"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!("hub sync: {e}"),
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(interval) => {}
            }
        }
    }
}
