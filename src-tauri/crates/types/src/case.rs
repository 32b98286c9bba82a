//! A case as the counter keeps it: its states, documents, clock, history and the actions on it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::code_enum;
use crate::dict::{ApplicantType, DeliveryMethod, HandleResult, MaterialForm, PaperType, TimeUnit};
use crate::intake::{MaterialReceipt, PartyDetails};
use crate::outbox::CaseSync;
use crate::sharing::CaseSharing;

code_enum! {
    /// The counter states of a case. Transitions between them are in `workflow`.
    #[ts(export)]
    pub enum CaseState {
        /// 已收件: materials received, a receipt (收件凭证) issued, not yet decided.
        Received = "received" => "已收件",
        /// 已受理.
        Accepted = "accepted" => "已受理",
        /// 不予受理.
        Rejected = "rejected" => "不予受理",
        /// 待补正: a supplement notice (补齐补正通知书) was issued; waiting for the applicant.
        SupplementRequested = "supplement_requested" => "待补正",
        /// 补正完成: the supplemented materials were received; next, acceptance.
        SupplementDone = "supplement_done" => "补正完成",
        /// 已撤回: withdrawn or cancelled, with the reason; everything is kept.
        Withdrawn = "withdrawn" => "已撤回",
        /// 受理后待补正: accepted, then a supplement was asked for; the clock is paused.
        AwaitingSupplement = "awaiting_supplement" => "受理后待补正",
        /// 特别程序中: a special procedure (hearing, inspection, expert review…) runs; the clock is
        /// paused.
        Suspended = "suspended" => "特别程序中",
        /// 受理中 (seed 004): submitted with materials still being fetched from departments
        /// (帮我传); accepted automatically once all of them are in.
        InAcceptance = "in_acceptance" => "受理中",
        /// 已办结: the result is in (from the department through the hub, 7.2.6, or the desk's own
        /// in 统一受办 mode); ready for hand-over to the applicant.
        Concluded = "concluded" => "已办结",
        /// 已出件: the result was handed over (or sent) to the applicant.
        HandedOver = "handed_over" => "已出件",
    }
    all = [Received, Accepted, Rejected, SupplementRequested, SupplementDone, Withdrawn, AwaitingSupplement, Suspended, Concluded, HandedOver, InAcceptance]
}

code_enum! {
    /// The kinds of documents the counter issues.
    #[ts(export)]
    pub enum NoticeKind {
        /// 收件凭证.
        Receipt = "receipt" => "收件凭证",
        /// 受理通知书.
        Acceptance = "acceptance" => "受理通知书",
        /// 不予受理通知书.
        Rejection = "rejection" => "不予受理通知书",
        /// 补齐补正通知书.
        Supplement = "supplement" => "补齐补正通知书",
        /// 临时回执 (seed 004): a case submitted while materials are fetched (受理中).
        TemporaryReceipt = "temporary_receipt" => "临时回执",
    }
}

impl NoticeKind {
    /// The document's title: its label.
    pub fn title(self) -> &'static str {
        self.label()
    }
}

impl NoticeKind {
    /// The character of its document number: 收〔2026〕…, 受〔2026〕…
    pub fn doc_char(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "收",
            NoticeKind::Acceptance => "受",
            NoticeKind::Rejection => "不受",
            NoticeKind::Supplement => "补",
            NoticeKind::TemporaryReceipt => "临",
        }
    }
}

/// One material the applicant must supplement, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SupplementItem {
    /// The catalog material's code (`no`).
    pub no: String,
    /// Filled in from the catalog; may be left empty in input.
    #[serde(default)]
    pub sj_file_name: String,
    /// What is missing or wrong (补正原因).
    pub reason: String,
}

/// A supplement request (补齐补正): the materials, and how many working days the applicant has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SupplementRequest {
    pub materials: Vec<SupplementItem>,
    /// 补正时限, in working days.
    pub limit_days: u32,
    /// An overall opinion (optional).
    #[serde(default)]
    pub opinion: String,
}

/// A supplement asked for on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SupplementRecord {
    pub requested_at: String,
    pub due_date: String,
    pub no: String,
    pub sj_file_name: String,
    pub reason: String,
    pub done_at: Option<String>,
    /// "2027年节假日安排尚未导入，日期按法定节日估算" when the deadline was counted over a year
    /// without an official holiday arrangement.
    #[serde(default)]
    pub due_estimate: Option<String>,
}

/// A material as recorded on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseMaterial {
    /// 收件材料序号.
    pub ord: u32,
    pub no: String,
    pub sj_file_name: String,
    pub sj_no: u32,
    pub form: MaterialForm,
    pub sj_file_if: bool,
    /// The hub's `attachguid` of this material's pages as one PDF, once uploaded (7.2.7).
    #[serde(default)]
    pub attachguid: Option<String>,
}

/// One page of a material: scanned, photographed or imported, cleaned up and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaterialPageInfo {
    #[ts(type = "number")]
    pub id: i64,
    /// The material (收件材料编号) it belongs to.
    pub material_no: String,
    /// Its place among the material's pages, from 1.
    pub ord: u32,
    #[ts(type = "number")]
    pub size: u64,
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    /// A4 or A3.
    pub paper: String,
    /// The file it came from, or the device.
    pub source: String,
    pub created_at: String,
}

/// One entry of a case's history (seed 000 A.2): who did what, when, from which state to which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseEvent {
    pub at: String,
    pub actor: String,
    pub window_no: String,
    pub action: String,
    pub from_state: Option<CaseState>,
    pub to_state: CaseState,
    pub opinion: String,
}

/// A document issued on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentInfo {
    pub kind: NoticeKind,
    /// 受理文书编号 (apply_docno).
    pub doc_no: String,
    pub title: String,
    pub created_at: String,
    #[ts(type = "number")]
    pub size: u64,
    /// The hub's `attachguid` once the document was uploaded (7.2.7).
    #[serde(default)]
    pub attachguid: Option<String>,
}

/// The result of a case (seed 000 table 6 `resultinfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseResult {
    /// 办理结果 (dictionary B.9).
    pub status: HandleResult,
    /// 结果文书编号 / 证照编号.
    pub result_no: String,
    /// 办理意见.
    pub note: String,
    pub resultname: String,
    /// 办理人.
    pub handleusername: String,
    /// 办结时间 as the department gave it.
    pub create_date: String,
    /// Whether the department sent it through the hub (7.2.6) or this desk recorded it
    /// (统一受办).
    pub from_hub: bool,
    pub recorded_at: String,
}

/// A document a department attached to a step (7.2.5 `doclist`), fetched through 7.2.8.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HubDocumentInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub attachguid: String,
    pub docname: String,
    pub docnumber: String,
    pub received_at: String,
    /// Size once fetched; `None` while it is not (see `fetch_error`).
    #[ts(type = "number | null")]
    pub size: Option<u64>,
    pub fetch_error: String,
}

/// A case as the counter sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseRecord {
    /// 办件编号: 31-character 实施编码 + YYYYMMDD + 4-digit sequence.
    pub project_no: String,
    pub dept_ql_reg_no: String,
    pub dept_ql_name: String,
    pub org_id: String,
    pub org_name: String,
    pub applicant_type: ApplicantType,
    pub applicant_name: String,
    pub applicant_paper_type: PaperType,
    pub applicant_paper_code: String,
    pub applicant_mobile: String,
    pub applicant_address: String,
    #[serde(flatten)]
    pub party: PartyDetails,
    /// The situations (情形) chosen at intake, by code.
    pub situations: Vec<String>,
    pub state: CaseState,
    /// 收件时间, `YYYY-MM-DD HH:MM:SS` in the hall's time (UTC+8).
    pub apply_date: String,
    /// 受理时间, same format; empty until the case is accepted.
    pub acceptdate: String,
    /// 受理人名称.
    pub acceptusername: String,
    pub window_no: String,
    pub promise: u32,
    pub promise_type: TimeUnit,
    /// The promised limit in words, such as "5个工作日".
    pub promise_text: String,
    /// The promised completion date (`YYYY-MM-DD`) as it stands now: from the acceptance day,
    /// moved by every paused span and extension. While the clock is paused it is the date if
    /// the clock restarted tomorrow. `None` before acceptance.
    pub promised_date: Option<String>,
    /// The warning "2027年节假日安排尚未导入，日期按法定节日估算" when the promised date was
    /// counted over a year without an official holiday arrangement; shown wherever the date is.
    #[serde(default)]
    pub promised_date_estimate: Option<String>,
    /// Whether the clock is paused now.
    pub clock_paused: bool,
    /// Pauses of the clock and extensions of the limit, oldest first.
    pub clock: Vec<ClockEntry>,
    pub delivery_method: DeliveryMethod,
    pub materials: Vec<CaseMaterial>,
    pub supplements: Vec<SupplementRecord>,
    pub documents: Vec<DocumentInfo>,
    pub history: Vec<CaseEvent>,
    /// How the case stands with the hub.
    pub sync: CaseSync,
    /// The result, once concluded.
    pub result: Option<CaseResult>,
    /// Documents the department attached to its steps.
    pub hub_documents: Vec<HubDocumentInfo>,
    /// The pages of its materials, by material then order.
    pub material_pages: Vec<MaterialPageInfo>,
    /// 帮我传: its materials fetched from departments, if it was submitted that way.
    pub sharing: Option<CaseSharing>,
    /// Supervision orders (督办) on the case and their exchange, oldest first.
    pub supervision_orders: Vec<crate::supervision::SupervisionOrder>,
    /// The applicant's satisfaction (满意度, B.10), once rated.
    pub satisfaction: Option<crate::dict::Satisfaction>,
    /// When it was rated (`YYYY-MM-DD HH:MM:SS`).
    pub satisfaction_at: Option<String>,
}

code_enum! {
    /// What stopped or moved a case's clock.
    #[ts(export)]
    pub enum ClockKind {
        /// 受理后补齐补正: paused until the supplement is received.
        Supplement = "supplement" => "补正暂停",
        /// 特别程序 of kind B (hearing, inspection, testing, expert review…): paused until it ends.
        Special = "special" => "特别程序",
        /// 特别程序 of kind A, 延长审批: the limit is extended by `amount` (in the limit's unit).
        Extension = "extension" => "延长审批",
    }
}

impl ClockKind {
    /// 特别程序种类 (seed 003 五, seed 000 A.5 SpecialType): A 延长审批, B the others.
    /// A supplement pause is not a special procedure.
    pub fn special_type(self) -> Option<&'static str> {
        match self {
            ClockKind::Supplement => None,
            ClockKind::Special => Some("B"),
            ClockKind::Extension => Some("A"),
        }
    }
}

/// One pause of a case's clock, or one extension of its limit (seed 000 A.5 特别程序信息).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClockEntry {
    pub kind: ClockKind,
    /// 特别程序种类名称 (such as 听证, 专家评审); for a supplement pause, 补齐补正.
    pub special_name: String,
    /// 特别程序启动理由或依据.
    pub reason: String,
    /// When it started (`YYYY-MM-DD HH:MM:SS`).
    pub started_at: String,
    /// When it ended; `None` while the clock is still paused. An extension has no end.
    pub ended_at: Option<String>,
    /// 特别程序结果.
    pub result: String,
    /// For an extension, by how much (in the unit of the promised limit).
    pub amount: u32,
}

/// A row of the case list. The ID number is masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseSummary {
    pub project_no: String,
    pub dept_ql_name: String,
    pub org_name: String,
    pub applicant_name: String,
    pub applicant_paper_code_masked: String,
    pub state: CaseState,
    pub apply_date: String,
    pub acceptdate: String,
    pub acceptusername: String,
}

/// The outcome of an action on a case: the case as it is now, and the document issued, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AcceptOutcome {
    pub project_no: String,
    pub case: CaseRecord,
    pub document: Option<NoticeKind>,
}

/// What the clerk does to an existing case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseAction {
    /// 受理 (from 已收件 or 补正完成).
    Accept,
    /// 不予受理, with the reason.
    Reject { reason: String },
    /// 补齐补正.
    RequestSupplement { request: SupplementRequest },
    /// 补正完成: the materials the applicant brought back.
    CompleteSupplement { materiallist: Vec<MaterialReceipt> },
    /// 撤回 / 作废, with the reason.
    Withdraw { reason: String },
    /// 特别程序 (kind B): the clock pauses until [`CaseAction::Resume`].
    Suspend {
        special_name: String,
        reason: String,
    },
    /// The special procedure ended, with its result: the clock runs again.
    Resume { result: String },
    /// 延长审批 (特别程序 kind A): the limit grows by `amount` in its own unit.
    Extend { amount: u32, reason: String },
    /// 办结, recorded at this desk: only in 统一受办 mode (otherwise the result comes from the
    /// department through the hub).
    Conclude {
        status: HandleResult,
        #[serde(default)]
        result_no: String,
        note: String,
    },
    /// 出件: the result is handed over to `recipient` (the applicant or their agent).
    HandOver { recipient: String },
}
