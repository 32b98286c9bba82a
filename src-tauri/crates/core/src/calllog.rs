//! The log of calls to the provincial hub (办件中心), and the hub status a desk shows.
//!
//! The hub crate builds each entry and masks its personal data before it gets here; this
//! module only stores and reads them.

use crate::desk::Desk;
use crate::error::Result;
use crate::model::{CallLogRecord, HubStatus};
use crate::store;

impl Desk {
    /// Appends calls to the log, in one transaction. `id` of each record is ignored.
    pub async fn call_log_append(&self, entries: &[CallLogRecord]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.write().await?;
        store::calllog::append(&mut tx, entries).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest calls, newest first; only failures when `failures_only`.
    pub async fn call_log_list(
        &self,
        failures_only: bool,
        limit: u32,
    ) -> Result<Vec<CallLogRecord>> {
        store::calllog::latest(self.store.pool(), failures_only, i64::from(limit)).await
    }

    /// The calls about one case (its number in the request or the response), newest first.
    pub async fn call_log_for_case(
        &self,
        project_no: &str,
        limit: u32,
    ) -> Result<Vec<CallLogRecord>> {
        let no = project_no.trim();
        if no.is_empty() {
            return Err(crate::error::CoreError::Validation(vec![
                crate::model::FieldError {
                    field: "project_no".into(),
                    label: "办件编号".into(),
                    message: "请填写办件编号".into(),
                },
            ]));
        }
        store::calllog::mentioning(self.store.pool(), no, i64::from(limit.clamp(1, 1000))).await
    }

    /// How the hub stands for this desk: the last successful and the last failed call, and
    /// the queue.
    pub async fn hub_status(&self) -> Result<HubStatus> {
        let mut ok = store::calllog::last_success(self.store.pool()).await?;
        let (mut last_failure_at, mut last_failure): (Option<String>, String) =
            match store::calllog::last_failure(self.store.pool()).await? {
                Some((time, message)) => (Some(time), message),
                None => (None, String::new()),
            };
        // Polls are not interface calls, but they tell whether the hub answers too.
        if let Some(t) = self.store.setting("hub_poll_ok_at").await?
            && ok.as_ref().is_none_or(|o| *o < t)
        {
            ok = Some(t);
        }
        if let Some(t) = self.store.setting("hub_poll_failed_at").await?
            && last_failure_at.as_ref().is_none_or(|f| *f < t)
        {
            last_failure = self
                .store
                .setting("hub_poll_failure")
                .await?
                .unwrap_or_default();
            last_failure_at = Some(t);
        }
        let online = match (&ok, &last_failure_at) {
            (Some(ok), Some(f)) => ok > f,
            (Some(_), None) => true,
            _ => false,
        };
        Ok(HubStatus {
            online,
            last_success_at: ok,
            last_failure_at,
            last_failure,
            outbox: self.outbox_stats().await?,
        })
    }

    /// Records how a poll of the hub went, for [`Desk::hub_status`] (times in RFC 3339, UTC,
    /// like the call log's).
    pub async fn record_poll(&self, failure: Option<&str>) -> Result<()> {
        let now = chrono::Utc::now().to_rfc3339();
        match failure {
            None => self.store.set_setting("hub_poll_ok_at", &now).await,
            Some(message) => {
                self.store.set_setting("hub_poll_failure", message).await?;
                self.store.set_setting("hub_poll_failed_at", &now).await
            }
        }
    }

    /// The desk's keys, to seal secrets of the hub configuration.
    pub fn keys(&self) -> &crate::pii::DeskKeys {
        &self.keys
    }
}
