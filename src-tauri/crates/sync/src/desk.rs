//! [`DeskPort`] for the desk: each method calls the `Desk` method of the same purpose.
//!
//! It lives here while the model types are in `yichuang-core`; once they have a crate of their
//! own below sync, this file moves to the core (`core/src/sync_port.rs`) and the dependency
//! turns round: the desk's services depend on sync, not sync on the desk.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use yichuang_core::Desk;
use yichuang_core::error::Result;
use yichuang_core::inbox::{Envelope, HubInstruction, InboxOutcome};
use yichuang_core::model::{
    CallLogRecord, CaseRecord, CatalogItem, DeskProfile, IntakeForm, NoticeKind, OutboxEntry,
    ShareMethod,
};
use yichuang_core::sharing::{SendOutcome, ShareInstruction, ShareTick, ShareWire};

use crate::port::DeskPort;

impl DeskPort for Desk {
    fn data_dir(&self) -> &Path {
        Desk::data_dir(self)
    }
    fn seal(&self, plain: &[u8]) -> Result<Vec<u8>> {
        self.keys().seal(plain)
    }
    fn open(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        self.keys().open(sealed)
    }
    fn now(&self) -> DateTime<FixedOffset> {
        self.clock().now()
    }
    async fn is_demo(&self) -> Result<bool> {
        Desk::is_demo(self).await
    }
    async fn profile(&self) -> Result<DeskProfile> {
        Desk::profile(self).await
    }
    async fn catalog(&self) -> Result<Vec<CatalogItem>> {
        Desk::catalog(self).await
    }
    async fn get_case(&self, project_no: &str) -> Result<CaseRecord> {
        Desk::get_case(self, project_no).await
    }

    async fn take_lease(&self, holder: &str, ttl_ms: i64) -> Result<bool> {
        self.take_sync_lease(holder, ttl_ms).await
    }
    async fn take_over_lease(&self, gone: &str, holder: &str, ttl_ms: i64) -> Result<bool> {
        self.take_over_sync_lease(gone, holder, ttl_ms).await
    }
    async fn lease_holder(&self) -> Result<Option<String>> {
        self.sync_lease_holder().await
    }
    async fn release_lease(&self, holder: &str) -> Result<()> {
        self.release_sync_lease(holder).await
    }

    async fn outbox_due(
        &self,
        limit: u32,
        at: &DateTime<FixedOffset>,
    ) -> Result<Vec<(OutboxEntry, CaseRecord)>> {
        self.outbox_due_at(limit, at).await
    }
    async fn outbox_pending(&self) -> Result<u32> {
        Ok(self.outbox_stats().await?.pending)
    }
    async fn mark_delivered(&self, ids: &[i64]) -> Result<()> {
        self.outbox_delivered_many(ids).await
    }
    async fn mark_failed(&self, id: i64, reason: &str, retry: bool) -> Result<OutboxEntry> {
        self.outbox_failed(id, reason, retry).await
    }

    async fn document_attachguids(&self, project_no: &str) -> Result<Vec<(String, String)>> {
        Desk::document_attachguids(self, project_no).await
    }
    async fn material_attachguids(&self, project_no: &str) -> Result<Vec<(String, String)>> {
        Desk::material_attachguids(self, project_no).await
    }
    async fn material_pdf(&self, project_no: &str, material_no: &str) -> Result<Vec<u8>> {
        Desk::material_pdf(self, project_no, material_no).await
    }
    async fn document_pdf(&self, doc_no: &str) -> Result<(String, NoticeKind, Vec<u8>)> {
        Desk::document_pdf(self, doc_no).await
    }
    async fn set_material_attachguid(
        &self,
        project_no: &str,
        material_no: &str,
        attachguid: &str,
    ) -> Result<()> {
        Desk::set_material_attachguid(self, project_no, material_no, attachguid).await
    }
    async fn set_document_attachguid(&self, doc_no: &str, attachguid: &str) -> Result<()> {
        Desk::set_document_attachguid(self, doc_no, attachguid).await
    }

    async fn hub_cursor(&self) -> Result<u64> {
        Desk::hub_cursor(self).await
    }
    async fn set_hub_cursor(&self, cursor: u64) -> Result<()> {
        Desk::set_hub_cursor(self, cursor).await
    }
    async fn record_poll(&self, failure: Option<&str>) -> Result<()> {
        Desk::record_poll(self, failure).await
    }
    async fn apply_incoming(
        &self,
        env: &Envelope,
        decoded: std::result::Result<HubInstruction, String>,
    ) -> Result<InboxOutcome> {
        Desk::apply_incoming(self, env, decoded).await
    }
    async fn apply_share_message(
        &self,
        env: &Envelope,
        decoded: std::result::Result<ShareInstruction, String>,
    ) -> Result<InboxOutcome> {
        Desk::apply_share_message(self, env, decoded).await
    }
    async fn hub_documents_to_fetch(&self, limit: u32) -> Result<Vec<(i64, String)>> {
        Desk::hub_documents_to_fetch(self, limit).await
    }
    async fn store_hub_document(
        &self,
        id: i64,
        fetched: std::result::Result<&[u8], &str>,
    ) -> Result<()> {
        Desk::store_hub_document(self, id, fetched).await
    }

    async fn shares_to_send(&self) -> Result<Vec<ShareWire>> {
        Desk::shares_to_send(self).await
    }
    async fn share_sent(&self, share_id: &str, outcome: &SendOutcome) -> Result<()> {
        Desk::share_sent(self, share_id, outcome).await
    }
    async fn share_tick(&self) -> Result<ShareTick> {
        Desk::share_tick(self).await
    }
    async fn share_query_wire(
        &self,
        form: &IntakeForm,
        material_no: &str,
        method: ShareMethod,
    ) -> Result<ShareWire> {
        Desk::share_query_wire(self, form, material_no, method).await
    }

    async fn call_log_append(&self, entries: &[CallLogRecord]) -> Result<()> {
        Desk::call_log_append(self, entries).await
    }
}
