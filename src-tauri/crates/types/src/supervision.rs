//! Supervision orders (督办) on a case and the clerk's replies.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One message of the clerk's side of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SupervisionReply {
    /// `YYYY-MM-DD HH:MM:SS`, hall time.
    pub at: String,
    pub by: String,
    pub window_no: String,
    pub text: String,
}

/// A supervision order (督办单) and its exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SupervisionOrder {
    #[ts(type = "number")]
    pub id: i64,
    pub project_no: String,
    pub issued_at: String,
    pub issued_by: String,
    pub issued_window: String,
    pub text: String,
    /// 要求回复日期 (`YYYY-MM-DD`), if set.
    pub reply_by: Option<String>,
    /// The clerk's replies, oldest first.
    pub replies: Vec<SupervisionReply>,
    /// When the supervisor closed it; `None` while open.
    pub closed_at: Option<String>,
    pub closed_by: String,
    pub closed_window: String,
    pub close_note: String,
}
