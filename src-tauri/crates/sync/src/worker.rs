//! The sync worker: delivers the desk's outbox to the hub.
//!
//! Each round takes what is due ([`DeskPort::outbox_due`]: the oldest undelivered message of each
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
//! **Uploads.** A `file` entry uploads an issued document through 7.2.7 (with a `sign`
//! derived from its idempotency key, so a resend gets the first `attachguid` back); the
//! desk records the `attachguid`, and the message after it refers to it in its `doclist`.
//!
//! **Incoming.** After delivering, the worker polls the hub for what departments sent this
//! desk (7.2.3, 7.2.5, 7.2.6; see [`yichuang_core::inbox`]) and applies each message once
//! (deduplicated by `msgid`), then stores the cursor; then it fetches the documents those
//! messages listed (7.2.8).
//!
//! **One worker per desk.** Each run first takes the desk's sync lease
//! ([`DeskPort::take_lease`]); while the window's worker holds it, a CLI `yichuang sync`
//! on the same data directory waits its turn instead of sending side by side.
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
use yichuang_core::error::{CoreError, Result as CoreResult};
use yichuang_core::model::{CallLogRecord, OutboxEntry};

use yichuang_core::inbox::{Envelope, InboxOutcome};
use yichuang_core::model::OutboxOperation;
use yichuang_core::sharing::SendOutcome;

use yichuang_hub::calllog::{CallLogEntry, CallLogSink};
use yichuang_hub::client::{ClientConfig, HubClient, HubError};
use yichuang_hub::profile::HubProfile;
use yichuang_hub::protocol::FileParams;

use crate::mapping::{MapContext, Mapped, map_entry, request_of, sign_for};
use crate::port::DeskPort;

/// At most this many rounds per [`SyncWorker::run_once`].
pub const MAX_ROUNDS: u32 = 10_000;
/// Messages taken per round.
pub const ROUND_LIMIT: u32 = 200;
/// Messages asked for per poll, and polls per run at most.
pub const POLL_BATCH: u32 = 100;
pub const MAX_POLLS: u32 = 100;
/// How long a worker's hold on the desk lasts without renewal.
pub const LEASE_MS: i64 = 60_000;

/// The call log of a desk: entries are buffered as the client makes calls, and written to the
/// desk's SQLite store ([`DeskPort::call_log_append`]) by [`DeskCallLog::flush`], which the
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
    pub async fn flush(&self, desk: &impl DeskPort) -> CoreResult<()> {
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
    /// Requests made to the hub to deliver the outbox.
    pub requests: u32,
    /// Requests made to poll and to fetch documents.
    pub poll_requests: u32,
    pub failures: Vec<SyncFailure>,
    /// Incoming messages that changed a case (a supplement request, a result).
    pub incoming_applied: u32,
    /// Incoming messages kept in the history only (process steps).
    pub incoming_recorded: u32,
    /// Incoming messages seen before (same `msgid`).
    pub incoming_duplicates: u32,
    /// Incoming messages that could not be applied (unknown case, wrong state, unreadable).
    pub incoming_ignored: u32,
    /// Department documents fetched (7.2.8).
    pub documents_fetched: u32,
    /// Why polling failed, if it did.
    pub poll_error: Option<String>,
    /// 帮我传 requests the departments took, and requests that could not be sent (sent again
    /// next round).
    #[serde(default)]
    pub shares_sent: u32,
    #[serde(default)]
    pub shares_failed: u32,
    /// 受理中 cases accepted automatically, their materials all in.
    #[serde(default)]
    pub auto_accepted: Vec<String>,
    /// Another worker holds the desk: nothing was done.
    pub busy: Option<String>,
}

/// Delivers the outbox of a desk.
pub struct SyncWorker {
    client: HubClient,
    log: Arc<DeskCallLog>,
    batch_size: usize,
    /// This worker's name in the desk's sync lease.
    holder: String,
    /// Whether to poll for incoming messages after delivering.
    poll: bool,
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

/// Whether the process that holds a lease (`[name:]pid:tag`) has ended on this machine: a
/// worker killed mid-run leaves its lease behind, and waiting for it to expire would hold the
/// desk back for no reason. Only known on Linux (`/proc`); elsewhere the lease expires.
fn holder_is_gone(holder: &str) -> bool {
    let mut parts = holder.rsplit(':');
    let _tag = parts.next();
    let Some(pid) = parts.next().and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    if pid == std::process::id() {
        return false;
    }
    cfg!(target_os = "linux")
        && std::path::Path::new("/proc/self").exists()
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

impl SyncWorker {
    pub fn new(
        config: ClientConfig,
        profile: Arc<dyn HubProfile>,
        batch_size: usize,
    ) -> Result<Self, HubError> {
        let log = Arc::new(DeskCallLog::default());
        let client = HubClient::new(config, profile, log.clone())?;
        let holder = format!(
            "{}:{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Ok(SyncWorker {
            client,
            log,
            batch_size: batch_size.max(1),
            holder,
            poll: true,
        })
    }

    /// Names this worker in the sync lease, such as `窗口` or `命令行`.
    pub fn with_holder(mut self, name: &str) -> Self {
        self.holder = format!("{name}:{}", self.holder);
        self
    }

    /// Turns polling for incoming messages off (delivery only).
    pub fn without_polling(mut self) -> Self {
        self.poll = false;
        self
    }

    /// Gives the desk's sync lease back.
    pub async fn release(&self, desk: &impl DeskPort) -> CoreResult<()> {
        desk.release_lease(&self.holder).await
    }

    pub fn client(&self) -> &HubClient {
        &self.client
    }

    /// Delivers everything due now; see the module documentation.
    pub async fn run_once(&self, desk: &impl DeskPort) -> CoreResult<SyncReport> {
        let mut report = SyncReport::default();
        // A demo desk talks only to a simulator started in this process: checked before
        // anything is sent, and again by the client on every call.
        if desk.is_demo().await? {
            self.client.restrict_to_embedded_sim();
            let url = &self.client.config().base_url;
            if !yichuang_hub::sim::is_embedded(url) {
                return Err(CoreError::Conflict(yichuang_hub::sim::demo_refusal(url)));
            }
        }
        if !desk.take_lease(&self.holder, LEASE_MS).await? {
            let holder = desk.lease_holder().await?.unwrap_or_default();
            let gone = holder_is_gone(&holder)
                && desk
                    .take_over_lease(&holder, &self.holder, LEASE_MS)
                    .await?;
            if !gone {
                report.busy = Some(holder);
                report.remaining = desk.outbox_pending().await?;
                return Ok(report);
            }
        }
        self.send_shares(desk, &mut report).await?;
        self.deliver(desk, &mut report).await?;
        if self.poll {
            self.poll_incoming(desk, &mut report).await?;
            self.fetch_documents(desk, &mut report).await?;
        }
        // 帮我传: time limits, 异常, and the automatic acceptance of cases whose materials are
        // all in, whose 7.2.2 then goes out in the same round.
        let tick = desk.share_tick().await?;
        if !tick.accepted.is_empty() {
            report.auto_accepted = tick.accepted;
            self.deliver(desk, &mut report).await?;
        }
        report.remaining = desk.outbox_pending().await?;
        Ok(report)
    }

    async fn deliver(&self, desk: &impl DeskPort, report: &mut SyncReport) -> CoreResult<()> {
        let ctx = MapContext::load(desk).await?;
        // Messages that fail in this run wait past its start, so each is tried once per run.
        let started = desk.now();
        for _ in 0..MAX_ROUNDS {
            let due = desk.outbox_due(ROUND_LIMIT, &started).await?;
            if due.is_empty() {
                break;
            }
            desk.take_lease(&self.holder, LEASE_MS).await?;
            let mut ready: Vec<(OutboxEntry, Mapped)> = Vec::with_capacity(due.len());
            for (entry, mut case) in due {
                if entry.operation == OutboxOperation::File {
                    self.upload(desk, &entry, report).await?;
                    continue;
                }
                // The snapshot predates the uploads of its documents: take their attachguid.
                let guids = desk.document_attachguids(&case.project_no).await?;
                for d in &mut case.documents {
                    if let Some((_, g)) = guids.iter().find(|(no, _)| *no == d.doc_no) {
                        d.attachguid = Some(g.clone());
                    }
                }
                let guids = desk.material_attachguids(&case.project_no).await?;
                for m in &mut case.materials {
                    if let Some((_, g)) = guids.iter().find(|(no, _)| *no == m.no) {
                        m.attachguid = Some(g.clone());
                    }
                }
                match map_entry(&entry, &case, &ctx) {
                    Ok(m) => ready.push((entry, m)),
                    Err(reason) => self.fail(desk, &entry, &reason, false, report).await?,
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
                self.send(desk, group, report).await?;
            }
        }
        Ok(())
    }

    /// A `file` entry: uploads the document (7.2.7) and records its `attachguid`.
    async fn upload(
        &self,
        desk: &impl DeskPort,
        entry: &OutboxEntry,
        report: &mut SyncReport,
    ) -> CoreResult<()> {
        let key = entry.event_code.as_str();
        let material = key.strip_prefix(yichuang_core::outbox::MATERIAL_PREFIX);
        let file = match material {
            // A material's scanned pages, as one PDF.
            Some(no) => match desk.material_pdf(&entry.project_no, no).await {
                Ok(pdf) => {
                    let name = desk
                        .get_case(&entry.project_no)
                        .await?
                        .materials
                        .iter()
                        .find(|m| m.no == no)
                        .map_or_else(|| no.to_string(), |m| m.sj_file_name.clone());
                    Ok((format!("{name}.pdf"), pdf))
                }
                Err(e) => Err(e),
            },
            // An issued document.
            None => desk
                .document_pdf(key)
                .await
                .map(|(_, kind, pdf)| (format!("{}（{key}）.pdf", kind.title()), pdf)),
        };
        let (attachname, pdf) = match file {
            Ok(f) => f,
            Err(e) => {
                return self
                    .fail(desk, entry, &format!("附件无法读取：{e}"), false, report)
                    .await;
            }
        };
        let params = FileParams::new(&entry.project_no, &attachname, &pdf);
        report.requests += 1;
        let result = self
            .client
            .push_file_signed(&params, Some(&sign_for(&entry.idem_key)))
            .await;
        self.log.flush(desk).await?;
        match result {
            Ok(guid) => {
                match material {
                    Some(no) => {
                        desk.set_material_attachguid(&entry.project_no, no, &guid)
                            .await?
                    }
                    None => desk.set_document_attachguid(key, &guid).await?,
                }
                desk.mark_delivered(&[entry.id]).await?;
                report.delivered += 1;
            }
            Err(e) => {
                let retry = transient(&e);
                let reason = match &e {
                    HubError::Refused { text } => format!("办件中心拒绝附件：{text}"),
                    other => other.stored_text(),
                };
                self.fail(desk, entry, &reason, retry, report).await?;
            }
        }
        Ok(())
    }

    /// Polls for incoming messages and applies them; the cursor moves only past messages
    /// that are stored.
    async fn poll_incoming(&self, desk: &impl DeskPort, report: &mut SyncReport) -> CoreResult<()> {
        let mut cursor = desk.hub_cursor().await?;
        for _ in 0..MAX_POLLS {
            report.poll_requests += 1;
            let batch = self.client.poll(cursor, POLL_BATCH).await;
            self.log.flush(desk).await?;
            let batch = match batch {
                Ok(b) => {
                    desk.record_poll(None).await?;
                    b
                }
                Err(e) => {
                    let message = yichuang_hub::client::with_detail(
                        &format!("接收部门消息失败：{e}"),
                        e.detail(),
                    );
                    desk.record_poll(Some(&message)).await?;
                    report.poll_error = Some(e.to_string());
                    return Ok(());
                }
            };
            for msg in &batch.messages {
                let decoded = self.client.decode_incoming(msg);
                let items = match &decoded {
                    Ok(inc) => crate::incoming::instructions(inc),
                    Err(e) => vec![(String::new(), Err(e.to_string()))],
                };
                for (i, (no, ins)) in items.into_iter().enumerate() {
                    let env = Envelope {
                        msgid: format!("{}#{i}", msg.msgid),
                        seq: msg.seq,
                        interface: msg.interface.name().to_string(),
                        project_no: no,
                    };
                    match desk.apply_incoming(&env, ins).await? {
                        InboxOutcome::Applied => report.incoming_applied += 1,
                        InboxOutcome::Recorded => report.incoming_recorded += 1,
                        InboxOutcome::Duplicate => report.incoming_duplicates += 1,
                        InboxOutcome::UnknownCase
                        | InboxOutcome::Refused(_)
                        | InboxOutcome::Malformed(_) => report.incoming_ignored += 1,
                    }
                }
            }
            for msg in &batch.shares {
                let env = Envelope {
                    msgid: msg.msgid.clone(),
                    seq: msg.seq,
                    interface: msg.interface.clone(),
                    project_no: yichuang_hub::share::project_no(msg),
                };
                match desk
                    .apply_share_message(&env, crate::share::decode(msg))
                    .await?
                {
                    InboxOutcome::Applied => report.incoming_applied += 1,
                    InboxOutcome::Recorded => report.incoming_recorded += 1,
                    InboxOutcome::Duplicate => report.incoming_duplicates += 1,
                    InboxOutcome::UnknownCase
                    | InboxOutcome::Refused(_)
                    | InboxOutcome::Malformed(_) => report.incoming_ignored += 1,
                }
            }
            let done =
                (batch.messages.is_empty() && batch.shares.is_empty()) || batch.cursor <= cursor;
            if batch.cursor > cursor {
                cursor = batch.cursor;
                desk.set_hub_cursor(cursor).await?;
            }
            if done {
                break;
            }
        }
        Ok(())
    }

    /// Sends the 帮我传 requests not yet taken by their department.
    async fn send_shares(&self, desk: &impl DeskPort, report: &mut SyncReport) -> CoreResult<()> {
        for wire in desk.shares_to_send().await? {
            let outcome = match self
                .client
                .share_call(yichuang_hub::share::APPLY_PATH, &wire)
                .await
            {
                Ok(a) if a.available => SendOutcome::Taken,
                Ok(a) => SendOutcome::Unavailable(if a.text.trim().is_empty() {
                    "部门告知材料不可共享".to_string()
                } else {
                    a.text
                }),
                Err(e) => SendOutcome::Failed(format!("帮我传请求未送达：{e}")),
            };
            match &outcome {
                SendOutcome::Failed(_) => report.shares_failed += 1,
                _ => report.shares_sent += 1,
            }
            desk.share_sent(&wire.share_id, &outcome).await?;
        }
        Ok(())
    }

    /// Fetches the documents departments listed (7.2.8). A failure is kept with the document
    /// and shown; it is not retried by itself.
    async fn fetch_documents(
        &self,
        desk: &impl DeskPort,
        report: &mut SyncReport,
    ) -> CoreResult<()> {
        for (id, guid) in desk.hub_documents_to_fetch(20).await? {
            report.poll_requests += 1;
            let got = self.client.download_file(&guid).await;
            self.log.flush(desk).await?;
            match got {
                Ok(bytes) => {
                    desk.store_hub_document(id, Ok(&bytes)).await?;
                    report.documents_fetched += 1;
                }
                Err(e) if transient(&e) => {
                    report.poll_error.get_or_insert_with(|| e.to_string());
                    break;
                }
                Err(e) => desk.store_hub_document(id, Err(&e.to_string())).await?,
            }
        }
        Ok(())
    }

    async fn send(
        &self,
        desk: &impl DeskPort,
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
                desk.mark_delivered(&ids).await?;
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
                    other => other.stored_text(),
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
        desk: &impl DeskPort,
        entry: &OutboxEntry,
        reason: &str,
        retry: bool,
        report: &mut SyncReport,
    ) -> CoreResult<()> {
        let now = desk.mark_failed(entry.id, reason, retry).await?;
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
    pub async fn run<F: Future<Output = ()>>(
        &self,
        desk: &impl DeskPort,
        interval: Duration,
        shutdown: F,
    ) {
        tokio::pin!(shutdown);
        loop {
            match self.run_once(desk).await {
                Ok(r) if r.delivered + r.failed + r.dead + r.incoming_applied > 0 => {
                    tracing::info!(
                        delivered = r.delivered,
                        failed = r.failed,
                        dead = r.dead,
                        remaining = r.remaining,
                        "hub sync"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("hub sync: {e}"),
            }
            tokio::select! {
                _ = &mut shutdown => {
                    let _ = self.release(desk).await;
                    return;
                }
                _ = tokio::time::sleep(interval) => {}
            }
        }
    }
}
