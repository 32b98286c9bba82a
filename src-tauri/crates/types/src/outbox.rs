//! The outbox to the hub (办件中心), a case's standing with it, and the call log.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::code_enum;

code_enum! {
    /// What an outbox entry pushes to the hub (seed 000 section 7.2).
    #[ts(export)]
    pub enum OutboxOperation {
        /// 7.2.2 受理信息推送.
        Accept = "accept" => "受理信息推送",
        /// 7.2.4 补正完成信息推送.
        SupplyFinished = "supply_finished" => "补正完成推送",
        /// 7.2.5 审批过程信息推送, with an event code B1–B11.
        Process = "process" => "办理过程推送",
        /// 7.2.7 附件上传: an issued document (its number in `event_code`), before the message
        /// that refers to it.
        File = "file" => "附件上传",
        /// 7.2.1 统一受办办件信息推送: the whole concluded case.
        All = "all" => "统一受办办件推送",
    }
}

impl OutboxOperation {
    /// The operation as the desk's lists name it (the label without 推送).
    pub fn short_label(self) -> &'static str {
        match self {
            OutboxOperation::Accept => "受理信息",
            OutboxOperation::SupplyFinished => "补正完成",
            OutboxOperation::Process => "办理过程",
            OutboxOperation::File => "附件上传",
            OutboxOperation::All => "统一受办办件",
        }
    }
}

code_enum! {
    /// Where an outbox entry is.
    #[ts(export)]
    pub enum OutboxStatus {
        /// Not yet acknowledged by the hub; retried with backoff.
        Pending = "pending" => "待发送",
        /// Acknowledged by the hub (`custom.code = 1`).
        Delivered = "delivered" => "已送达",
        /// Given up on (the hub refused it, or too many attempts): in the dead-letter list until
        /// an administrator retries it.
        Dead = "dead" => "已放弃",
    }
}

/// One message for the hub, written in the same transaction as the case change it reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub project_no: String,
    pub operation: OutboxOperation,
    /// For [`OutboxOperation::Process`]: B1–B11.
    pub event_code: String,
    /// The case's ProjectVersion after the change.
    pub version: u32,
    /// `{project_no}:{operation}[:{event}]:{version}`: the same for every retry of this message.
    pub idem_key: String,
    pub created_at: String,
    pub status: OutboxStatus,
    pub attempts: u32,
    pub next_attempt_at: String,
    pub last_error: String,
    pub delivered_at: Option<String>,
}

code_enum! {
    /// How a case stands with the hub, as the clerk sees it.
    #[ts(export)]
    pub enum SyncState {
        /// Nothing of this case goes to the hub (for example, not yet accepted).
        Local = "local" => "未上报",
        /// Messages are waiting for the hub.
        Pending = "pending" => "待上报",
        /// A message was refused or given up on; see the reason.
        Failed = "failed" => "上报失败",
        /// Everything was acknowledged.
        Synced = "synced" => "已上报",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseSync {
    pub state: SyncState,
    /// Messages still waiting.
    pub pending: u32,
    /// Why the latest failure failed (Chinese, from the hub or the network).
    pub last_error: String,
    /// Appendix A Cd_sign: "1" once everything is synced, else "0".
    pub cd_sign: String,
    /// Appendix A Cd_time of the last acknowledged message (YYYYMMDDHHMMSS).
    pub cd_time: String,
}

/// The size of the queue, for the desk's status bar and the admin view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxStats {
    pub pending: u32,
    pub dead: u32,
    pub delivered: u32,
    /// When the oldest waiting message was written (hall time, `YYYY-MM-DD HH:MM:SS`).
    pub oldest_pending_at: Option<String>,
    /// When the next waiting message is due to be sent (hall time, `YYYY-MM-DD HH:MM:SS`).
    pub next_attempt_at: Option<String>,
}

/// One call to the hub, as stored in the call log. Personal data is masked before it is
/// recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CallLogRecord {
    #[ts(type = "number")]
    pub id: i64,
    /// Who called (desk and clerk).
    pub caller: String,
    /// When (RFC 3339, UTC).
    pub time: String,
    /// The interface's path name, such as `pushAcceptProjectInfo`.
    pub interface: String,
    /// The data submitted (masked JSON).
    pub request: String,
    /// The data returned (masked JSON or text), if any.
    pub response: Option<String>,
    pub http_status: Option<u16>,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// `ok`, `refused`, `unreachable`, `timeout`, `http_status`, `malformed`, `dropped`,
    /// `not_sent`.
    pub outcome: String,
    /// The clerk's message when the call failed.
    pub message: String,
}

/// How the hub stands for this desk, for the status bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HubStatus {
    /// Whether the latest call succeeded.
    pub online: bool,
    pub last_success_at: Option<String>,
    pub last_failure_at: Option<String>,
    /// The latest failure's message (Chinese).
    pub last_failure: String,
    pub outbox: OutboxStats,
}
