//! The desk: who works there, its images, the app, the trainers' panel and notifications.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::code_enum;

/// Who works at this desk, and where. Printed on notices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeskProfile {
    /// 政务服务大厅名称.
    pub hall_name: String,
    /// 行政区划编码.
    pub area_no: String,
    /// 窗口号.
    pub window_no: String,
    /// 窗口人员 on a desk without accounts ([`crate::Desk::profile_actor`]); with accounts,
    /// the signed-in person is.
    pub clerk_name: String,
    /// This desk's place among the hall's desks that number cases (1-based), and how many
    /// there are: the case-number sequence is split into that many blocks (see docs/counter.md).
    #[serde(default = "one")]
    pub desk_index: u32,
    #[serde(default = "one")]
    pub desk_count: u32,
    /// Whether the hall's logo and seal images are set (read only here: they are set with
    /// `set_hall_image`).
    #[serde(default)]
    pub has_logo: bool,
    #[serde(default)]
    pub has_seal: bool,
    /// 统一受办 mode (seed 000 7.2.1): this hall's own system handles cases to the end, so the
    /// desk records the result itself and pushes the whole concluded case. Otherwise the
    /// result comes from the department through the hub (7.2.6).
    #[serde(default)]
    pub unified_intake: bool,
}

code_enum! {
    /// The hall's images printed on documents.
    #[ts(export)]
    pub enum HallImage {
        /// 大厅标志, at the left of the header.
        Logo = "logo" => "大厅标志",
        /// 印章, stamped over the signature.
        Seal = "seal" => "印章图片",
    }
}

fn one() -> u32 {
    1
}

/// What the window shows about the running app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub demo: bool,
    /// Whether a hub (办件中心) is configured and the sync worker runs.
    pub hub_connected: bool,
}

/// Something the clerk should know: a department asks for a supplement, a result arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Notification {
    #[ts(type = "number")]
    pub id: i64,
    pub created_at: String,
    /// `supplement_requested`, `concluded`, `process_step`, `refused`, `supervision_order`
    /// (a supervisor's 督办 for the clerk), `supervision_reply` (the clerk's answer).
    pub kind: String,
    pub project_no: String,
    pub title: String,
    pub body: String,
    pub read: bool,
}

/// The trainers' clock of a demo desk (培训控制): how far it was moved forward, and the desk's
/// "now" with the offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoClock {
    /// Seconds the desk's clock runs ahead of the real time (0: not moved).
    #[ts(type = "number")]
    pub offset_secs: i64,
    /// The desk's now, `YYYY-MM-DD HH:MM:SS` (hall time).
    pub now: String,
    /// The offset in words, e.g. `已前移3天2小时` or `未调整`.
    pub offset_text: String,
}

code_enum! {
    /// How the demo's embedded hub simulator behaves, as the trainer sets it (培训控制).
    #[ts(export)]
    pub enum DemoHubMode {
        /// 正常: answers at once.
        Normal = "normal" => "正常",
        /// 断开: connections are refused.
        Down = "down" => "断开（无法连接）",
        /// 缓慢: answers after several seconds.
        Slow = "slow" => "缓慢（延迟应答）",
        /// 拒收: answers `custom.code = 0` (the messages become dead letters).
        Reject = "reject" => "拒收（custom.code = 0）",
    }
}

/// What the trainers' panel shows: the desk's clock and, in the window, the simulated hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoStatus {
    pub clock: DemoClock,
    /// The embedded simulator's mode; `None` outside the demo window (the CLI has none).
    pub hub_mode: Option<DemoHubMode>,
}
