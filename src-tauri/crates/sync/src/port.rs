//! The port through which sync reaches a desk: what the worker reads and records, and
//! nothing else. The desk implements it ([`crate::desk`]); a test can implement it with a fake.
//!
//! The arguments and results are the model types of the desk; the methods do what the desk's
//! methods of the same purpose do (the implementation for `Desk` calls them one to one).

use std::future::Future;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use yichuang_core::error::Result;
use yichuang_core::inbox::{Envelope, HubInstruction, InboxOutcome};
use yichuang_core::model::{
    CallLogRecord, CaseRecord, CatalogItem, DeskProfile, IntakeForm, NoticeKind, OutboxEntry,
    ShareMethod,
};
use yichuang_core::sharing::{SendOutcome, ShareInstruction, ShareTick, ShareWire};

/// What sync needs from a desk.
pub trait DeskPort: Sync {
    // --- The desk itself ---------------------------------------------------------------

    /// The desk's data directory (where `hub.json` lives).
    fn data_dir(&self) -> &Path;
    /// Seals bytes with the desk key.
    fn seal(&self, plain: &[u8]) -> Result<Vec<u8>>;
    /// Opens bytes sealed with the desk key.
    fn open(&self, sealed: &[u8]) -> Result<Vec<u8>>;
    /// Now, by the desk's clock.
    fn now(&self) -> DateTime<FixedOffset>;
    /// Whether this is a demo (training) desk, which talks only to an embedded simulator.
    fn is_demo(&self) -> impl Future<Output = Result<bool>> + Send;
    fn profile(&self) -> impl Future<Output = Result<DeskProfile>> + Send;
    fn catalog(&self) -> impl Future<Output = Result<Vec<CatalogItem>>> + Send;
    fn get_case(&self, project_no: &str) -> impl Future<Output = Result<CaseRecord>> + Send;

    // --- The sync lease: one worker per desk -------------------------------------------

    fn take_lease(&self, holder: &str, ttl_ms: i64) -> impl Future<Output = Result<bool>> + Send;
    /// Takes the lease over from a holder known to be gone.
    fn take_over_lease(
        &self,
        gone: &str,
        holder: &str,
        ttl_ms: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
    fn lease_holder(&self) -> impl Future<Output = Result<Option<String>>> + Send;
    fn release_lease(&self, holder: &str) -> impl Future<Output = Result<()>> + Send;

    // --- The outbox --------------------------------------------------------------------

    /// The messages due at `at`, each with its case snapshot.
    fn outbox_due(
        &self,
        limit: u32,
        at: &DateTime<FixedOffset>,
    ) -> impl Future<Output = Result<Vec<(OutboxEntry, CaseRecord)>>> + Send;
    /// How many messages are still pending.
    fn outbox_pending(&self) -> impl Future<Output = Result<u32>> + Send;
    fn mark_delivered(&self, ids: &[i64]) -> impl Future<Output = Result<()>> + Send;
    /// Records a failure: pending again (`retry`) or dead; returns the entry as it is now.
    fn mark_failed(
        &self,
        id: i64,
        reason: &str,
        retry: bool,
    ) -> impl Future<Output = Result<OutboxEntry>> + Send;

    // --- Uploads (7.2.7) ----------------------------------------------------------------

    /// The `attachguid`s of a case's uploaded documents, by document number.
    fn document_attachguids(
        &self,
        project_no: &str,
    ) -> impl Future<Output = Result<Vec<(String, String)>>> + Send;
    /// The `attachguid`s of a case's uploaded materials, by material number.
    fn material_attachguids(
        &self,
        project_no: &str,
    ) -> impl Future<Output = Result<Vec<(String, String)>>> + Send;
    /// A material's scanned pages as one PDF.
    fn material_pdf(
        &self,
        project_no: &str,
        material_no: &str,
    ) -> impl Future<Output = Result<Vec<u8>>> + Send;
    /// An issued document as PDF: its case number, its kind and the file.
    fn document_pdf(
        &self,
        doc_no: &str,
    ) -> impl Future<Output = Result<(String, NoticeKind, Vec<u8>)>> + Send;
    fn set_material_attachguid(
        &self,
        project_no: &str,
        material_no: &str,
        attachguid: &str,
    ) -> impl Future<Output = Result<()>> + Send;
    fn set_document_attachguid(
        &self,
        doc_no: &str,
        attachguid: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    // --- Incoming messages ---------------------------------------------------------------

    fn hub_cursor(&self) -> impl Future<Output = Result<u64>> + Send;
    fn set_hub_cursor(&self, cursor: u64) -> impl Future<Output = Result<()>> + Send;
    /// Records the outcome of a poll (`None`: it worked).
    fn record_poll(&self, failure: Option<&str>) -> impl Future<Output = Result<()>> + Send;
    /// Applies a hub message once (deduplicated by `msgid`).
    fn apply_incoming(
        &self,
        env: &Envelope,
        decoded: std::result::Result<HubInstruction, String>,
    ) -> impl Future<Output = Result<InboxOutcome>> + Send;
    /// Applies a department's 帮我传 callback once.
    fn apply_share_message(
        &self,
        env: &Envelope,
        decoded: std::result::Result<ShareInstruction, String>,
    ) -> impl Future<Output = Result<InboxOutcome>> + Send;
    /// The department documents to fetch (7.2.8): id and `attachguid`.
    fn hub_documents_to_fetch(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<(i64, String)>>> + Send;
    fn store_hub_document(
        &self,
        id: i64,
        fetched: std::result::Result<&[u8], &str>,
    ) -> impl Future<Output = Result<()>> + Send;

    // --- 帮我传 ----------------------------------------------------------------------------

    fn shares_to_send(&self) -> impl Future<Output = Result<Vec<ShareWire>>> + Send;
    fn share_sent(
        &self,
        share_id: &str,
        outcome: &SendOutcome,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Time limits, 异常, and the automatic acceptance of cases whose materials are all in.
    fn share_tick(&self) -> impl Future<Output = Result<ShareTick>> + Send;
    /// The request a 帮我传 query sends for one material of an intake.
    fn share_query_wire(
        &self,
        form: &IntakeForm,
        material_no: &str,
        method: ShareMethod,
    ) -> impl Future<Output = Result<ShareWire>> + Send;

    // --- The call log ----------------------------------------------------------------------

    fn call_log_append(&self, entries: &[CallLogRecord])
    -> impl Future<Output = Result<()>> + Send;
}
