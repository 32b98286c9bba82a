//! 帮我传 (seed 004): materials fetched from the departments that hold them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::code_enum;

code_enum! {
    /// How a material is fetched from the department that holds it (seed 004).
    #[ts(export)]
    pub enum ShareMethod {
        /// 电子材料共享: the department sends the file by an asynchronous callback.
        Electronic = "electronic" => "电子材料共享",
        /// 纸档材料共享: the department signs the paper out, the counter signs it in.
        Paper = "paper" => "纸档材料共享",
    }
}

/// One way a material can be fetched (seed 004 3.1.1 材料管理 and 3.1.2 材料配置).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShareChannel {
    pub method: ShareMethod,
    /// 所属部门: the department that holds the material.
    pub dept_name: String,
    /// 归属单位.
    #[serde(default)]
    pub unit_name: String,
    /// 电子材料查询接口 / 纸档材料查询接口: the department's interface, as the hub routes it
    /// (`interface` in the sharing calls, see docs/sharing.md).
    pub query_interface: String,
    /// 电子材料调取时限 / 纸档材料调取时限, in hours from the request.
    pub limit_hours: u32,
    /// 材料签出权限 (paper only): who at the providing department may sign the paper out.
    #[serde(default)]
    pub signout_permission: String,
    /// 材料签入权限 (paper only): who at the counter may sign it in.
    #[serde(default)]
    pub signin_permission: String,
}

code_enum! {
    /// The state of one material fetched through 帮我传 (seed 004 表1, 综窗版).
    #[ts(export)]
    pub enum ShareStatus {
        /// 待共享: electronic, requested; waiting for the department's callback.
        Requested = "requested" => "待共享",
        /// 待签出: paper, requested; waiting for the department to sign it out.
        AwaitingSignOut = "awaiting_sign_out" => "待签出",
        /// 待签入: paper, signed out; waiting for the counter to sign it in.
        AwaitingSignIn = "awaiting_sign_in" => "待签入",
        /// 已完成.
        Completed = "completed" => "已完成",
        /// 材料缺失: the department cannot provide it.
        Missing = "missing" => "材料缺失",
        /// 共享超时: not in within the time limit.
        TimedOut = "timed_out" => "共享超时",
        /// 已变更: the clerk chose another collection method; this request no longer counts.
        Superseded = "superseded" => "已变更",
        /// 已取消: the case was cancelled.
        Cancelled = "cancelled" => "已取消",
    }
}

impl ShareStatus {
    /// Still waiting for the department or the counter.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ShareStatus::Requested | ShareStatus::AwaitingSignOut | ShareStatus::AwaitingSignIn
        )
    }
}

/// One request to fetch a material (帮我传).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaterialShare {
    /// The request's id, sent to the department and named in its callbacks.
    pub share_id: String,
    pub material_no: String,
    pub sj_file_name: String,
    pub method: ShareMethod,
    pub status: ShareStatus,
    /// 所属部门.
    pub dept_name: String,
    pub requested_at: String,
    /// The time limit: 共享超时 after it.
    pub deadline: String,
    /// Whether the department has the request (it answered the apply call).
    pub sent: bool,
    /// Why the request has not reached the department yet, if it failed.
    pub send_error: Option<String>,
    /// The department's reason (材料缺失) or other detail.
    pub detail: String,
    /// Who signed the paper out, and when (paper).
    pub signed_out_by: Option<String>,
    pub updated_at: String,
    /// The file the department sent (electronic, 已完成).
    pub file_name: Option<String>,
    #[ts(type = "number | null")]
    pub file_size: Option<u64>,
}

/// A case submitted with materials fetched through 帮我传.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseSharing {
    /// When it was (last) submitted: the 24-hour rule counts from here.
    pub submitted_at: String,
    /// Why it is 异常 (more than 24 hours without acceptance, or a material 材料缺失); `None`:
    /// normal.
    pub abnormal: Option<String>,
    /// Every request, the superseded ones included, oldest first.
    pub shares: Vec<MaterialShare>,
}

/// A row of the 受理中 list (我的事务 - 受理中).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InAcceptanceCase {
    pub project_no: String,
    pub dept_ql_name: String,
    pub applicant_name: String,
    pub applicant_paper_code_masked: String,
    pub submitted_at: String,
    /// 材料状态: the state of the material that needs attention most (共享超时, 材料缺失…),
    /// else the earliest pending one's.
    pub material_status: String,
    /// 材料异常: "异常" or "正常".
    pub abnormal: bool,
    pub abnormal_reason: String,
    /// The current request of each shared material.
    pub shares: Vec<MaterialShare>,
}

/// Whether a material can be fetched (the 帮我传 query).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShareAvailability {
    pub material_no: String,
    pub sj_file_name: String,
    pub method: ShareMethod,
    pub available: bool,
    /// The department's text, or why the query failed.
    pub text: String,
}

/// The interface names of the department's callbacks, as polled.
pub const SHARE_RESULT: &str = "shareResult";
pub const SHARE_SIGN_OUT: &str = "shareSignOut";

/// What the desk sends to a department (the `params` of the query and apply calls; see
/// docs/sharing.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareWire {
    /// The request's id; empty for a query.
    #[serde(default)]
    pub share_id: String,
    pub method: ShareMethod,
    /// The department's interface, from the catalog (`query_interface`).
    pub interface: String,
    pub dept_name: String,
    #[serde(default)]
    pub unit_name: String,
    /// The case number; empty for a query before submission.
    #[serde(default)]
    pub project_no: String,
    pub dept_ql_reg_no: String,
    pub dept_ql_name: String,
    pub material_no: String,
    pub sj_file_name: String,
    pub applicant_name: String,
    pub applicant_paper_type: String,
    pub applicant_paper_code: String,
    /// The time limit (`YYYY-MM-DD HH:MM:SS`); empty for a query.
    #[serde(default)]
    pub deadline: String,
}
