//! The types that cross the seam to the UI and the CLI. TypeScript bindings are generated
//! from them (`ui/src/bindings/`), and the JSON field names follow seed 000 wherever the
//! spec names the field.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dict::{
    ApplicantType, DeliveryMethod, GetType, HandleResult, ItemType, MaterialForm, PaperType,
    TimeUnit,
};

/// One service item (事项) of the hall's implementation list (实施清单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogItem {
    /// 基本编码 (12 characters).
    pub catalog_code: String,
    /// 实施编码 (31 characters): the prefix of every case number of this item.
    pub dept_ql_reg_no: String,
    /// 事项名称.
    pub dept_ql_name: String,
    /// 事项版本号.
    pub task_version: String,
    /// 部门编码 (the department's unified social credit code).
    pub org_id: String,
    /// 部门名称.
    pub org_name: String,
    /// 办件类型 (B.8).
    pub item_type: ItemType,
    /// 法定办结时限 and its unit (B.5).
    pub anticipate: u32,
    pub anticipate_day_type: TimeUnit,
    /// 承诺办结时限 and its unit (B.5).
    pub promise: u32,
    pub promise_type: TimeUnit,
    /// Whether a fee is charged, and the fee's description (收费标准及依据).
    pub charged: bool,
    pub fee_description: String,
    /// The ways the result can be delivered.
    pub delivery_methods: Vec<DeliveryMethod>,
    /// 材料目录.
    pub materials: Vec<CatalogMaterial>,
    /// 情形: each selects extra materials.
    #[serde(default)]
    pub situations: Vec<Situation>,
}

/// One material an item asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogMaterial {
    /// The material's code within the item (唯一标识 in `materiallist.no`).
    pub no: String,
    /// 材料名称.
    pub sj_file_name: String,
    /// 材料是否必须.
    pub sj_file_if: bool,
    /// 材料份数 asked for.
    pub sj_no: u32,
    /// Original, copy, or both.
    pub form: MaterialForm,
    /// 是否需要电子版.
    pub if_ec_page: bool,
    /// 收取方式 accepted (B.9).
    pub gettype: Vec<GetType>,
}

/// A situation (情形) that adds materials, for example "委托代理人办理".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Situation {
    pub code: String,
    pub name: String,
    /// Codes (`no`) of the materials this situation requires in addition.
    pub material_nos: Vec<String>,
}

/// What the clerk fills in at intake, and what `yichuang case accept --json` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeForm {
    /// 实施编码 of the chosen item.
    pub dept_ql_reg_no: String,
    /// 申请人类型 (B.3). The first slice handles natural persons.
    #[serde(default = "default_applicant_type")]
    pub applicant_type: ApplicantType,
    /// 申请者名称.
    pub applicant_name: String,
    /// 证件类型 (B.4).
    pub applicant_paper_type: PaperType,
    /// 证件号码.
    pub applicant_paper_code: String,
    /// 手机.
    pub applicant_mobile: String,
    /// 联系地址 (optional).
    #[serde(default)]
    pub applicant_address: String,
    /// The rest of the applicant's and the agent's details (all optional for a natural person
    /// applying in person).
    #[serde(flatten)]
    pub party: PartyDetails,
    /// How the result is delivered.
    pub delivery_method: DeliveryMethod,
    /// The situations (情形) that apply, by code: each adds its materials to the required ones.
    #[serde(default)]
    pub situations: Vec<String>,
    /// The materials received (ticked).
    pub materiallist: Vec<MaterialReceipt>,
}

/// Contact details of the applicant beyond name, ID and mobile; the legal representative of a
/// legal person; and the agent (经办人, `linkman_*`) who comes to the counter for the applicant.
/// Field names are seed 000's (table 1 basicinfo). Empty strings mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct PartyDetails {
    /// 联系电话 (a landline, such as 0991-1234567).
    pub applicant_phone: String,
    /// 邮政编码.
    pub applicant_zipcode: String,
    /// 电子邮箱.
    pub applicant_email: String,
    /// 组织机构代码: for a legal person, derived from the unified social credit code when empty.
    pub applicant_code: String,
    /// 法定代表人姓名: required for applicant types 02–05.
    pub oper_man_name: String,
    /// 法定代表人身份证号 (optional).
    pub oper_man_code: String,
    /// 申请方经办人姓名: required for a legal person, and whenever someone applies for another.
    pub linkman_name: String,
    /// 申请方经办人证件类型 (B.4).
    pub linkman_paper_type: PaperType,
    /// 申请方经办人证件号码.
    pub linkman_paper_code: String,
    /// 申请方经办人手机.
    pub linkman_mobile: String,
}

impl PartyDetails {
    /// Whether an agent was entered at all.
    pub fn has_linkman(&self) -> bool {
        !(self.linkman_name.trim().is_empty()
            && self.linkman_paper_code.trim().is_empty()
            && self.linkman_mobile.trim().is_empty())
    }
}

fn default_applicant_type() -> ApplicantType {
    ApplicantType::NaturalPerson
}

/// One received material: names a catalog material by `no` (or by `sj_file_name`), with the
/// number of copies received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaterialReceipt {
    #[serde(default)]
    pub no: String,
    #[serde(default)]
    pub sj_file_name: String,
    /// 材料份数 received.
    pub sj_no: u32,
}

/// One field-level problem with the input: the field's JSON name, its Chinese label and
/// what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub label: String,
    pub message: String,
}

/// The counter states of a case. Transitions between them are in `workflow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 已收件: materials received, a receipt (收件凭证) issued, not yet decided.
    Received,
    /// 已受理.
    Accepted,
    /// 不予受理.
    Rejected,
    /// 待补正: a supplement notice (补齐补正通知书) was issued; waiting for the applicant.
    SupplementRequested,
    /// 补正完成: the supplemented materials were received; next, acceptance.
    SupplementDone,
    /// 已撤回: withdrawn or cancelled, with the reason; everything is kept.
    Withdrawn,
    /// 受理后待补正: accepted, then a supplement was asked for; the clock is paused.
    AwaitingSupplement,
    /// 特别程序中: a special procedure (hearing, inspection, expert review…) runs; the clock is
    /// paused.
    Suspended,
    /// 已办结: the result is in (from the department through the hub, 7.2.6, or the desk's own
    /// in 统一受办 mode); ready for hand-over to the applicant.
    Concluded,
    /// 已出件: the result was handed over (or sent) to the applicant.
    HandedOver,
}

impl CaseState {
    pub const ALL: &'static [CaseState] = &[
        CaseState::Received,
        CaseState::Accepted,
        CaseState::Rejected,
        CaseState::SupplementRequested,
        CaseState::SupplementDone,
        CaseState::Withdrawn,
        CaseState::AwaitingSupplement,
        CaseState::Suspended,
        CaseState::Concluded,
        CaseState::HandedOver,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Received => "received",
            CaseState::Accepted => "accepted",
            CaseState::Rejected => "rejected",
            CaseState::SupplementRequested => "supplement_requested",
            CaseState::SupplementDone => "supplement_done",
            CaseState::Withdrawn => "withdrawn",
            CaseState::AwaitingSupplement => "awaiting_supplement",
            CaseState::Suspended => "suspended",
            CaseState::Concluded => "concluded",
            CaseState::HandedOver => "handed_over",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseState::Received => "已收件",
            CaseState::Accepted => "已受理",
            CaseState::Rejected => "不予受理",
            CaseState::SupplementRequested => "待补正",
            CaseState::SupplementDone => "补正完成",
            CaseState::Withdrawn => "已撤回",
            CaseState::AwaitingSupplement => "受理后待补正",
            CaseState::Suspended => "特别程序中",
            CaseState::Concluded => "已办结",
            CaseState::HandedOver => "已出件",
        }
    }
}

/// The kinds of documents the counter issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 收件凭证.
    Receipt,
    /// 受理通知书.
    Acceptance,
    /// 不予受理通知书.
    Rejection,
    /// 补齐补正通知书.
    Supplement,
}

impl NoticeKind {
    pub const ALL: &'static [NoticeKind] = &[
        NoticeKind::Receipt,
        NoticeKind::Acceptance,
        NoticeKind::Rejection,
        NoticeKind::Supplement,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "receipt",
            NoticeKind::Acceptance => "acceptance",
            NoticeKind::Rejection => "rejection",
            NoticeKind::Supplement => "supplement",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "收件凭证",
            NoticeKind::Acceptance => "受理通知书",
            NoticeKind::Rejection => "不予受理通知书",
            NoticeKind::Supplement => "补齐补正通知书",
        }
    }

    /// The character of its document number: 收〔2026〕…, 受〔2026〕…
    pub fn doc_char(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "收",
            NoticeKind::Acceptance => "受",
            NoticeKind::Rejection => "不受",
            NoticeKind::Supplement => "补",
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

/// A card read by the ID card reader, for the intake form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IdCardRead {
    pub name: String,
    pub sex: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub address: String,
    pub id_number: String,
    pub issuing_authority: String,
    pub valid_from: String,
    pub valid_to: String,
    /// The photo, JPEG as Base64, when the reader gives one.
    pub photo_jpeg_base64: Option<String>,
    /// Why the number looks wrong, if it does (the clerk checks the card).
    pub problem: Option<String>,
}

/// How pages are cleaned up when they are attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum PageOutput {
    /// 彩色.
    Color,
    /// 灰度 (the default: legible and compact).
    Gray,
    /// 黑白.
    BlackWhite,
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
    /// Supervision orders (督办) on the case and their exchange, oldest first.
    pub supervision_orders: Vec<crate::orders::SupervisionOrder>,
    /// The applicant's satisfaction (满意度, B.10), once rated.
    pub satisfaction: Option<crate::dict::Satisfaction>,
    /// When it was rated (`YYYY-MM-DD HH:MM:SS`).
    pub satisfaction_at: Option<String>,
}

/// What stopped or moved a case's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// 受理后补齐补正: paused until the supplement is received.
    Supplement,
    /// 特别程序 of kind B (hearing, inspection, testing, expert review…): paused until it ends.
    Special,
    /// 特别程序 of kind A, 延长审批: the limit is extended by `amount` (in the limit's unit).
    Extension,
}

impl ClockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::Supplement => "supplement",
            ClockKind::Special => "special",
            ClockKind::Extension => "extension",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ClockKind::Supplement,
            ClockKind::Special,
            ClockKind::Extension,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

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
    /// 窗口人员 (the clerk signed in at this desk).
    pub clerk_name: String,
    /// This desk's place among the hall's desks that number cases (1-based), and how many
    /// there are: the case-number sequence is split into that many blocks (see README).
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

/// The hall's images printed on documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum HallImage {
    /// 大厅标志, at the left of the header.
    Logo,
    /// 印章, stamped over the signature.
    Seal,
}

impl HallImage {
    pub fn as_str(self) -> &'static str {
        match self {
            HallImage::Logo => "logo",
            HallImage::Seal => "seal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HallImage::Logo => "大厅标志",
            HallImage::Seal => "印章图片",
        }
    }
}

fn one() -> u32 {
    1
}

/// The outcome of an action on a case: the case as it is now, and the document issued, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AcceptOutcome {
    pub project_no: String,
    pub case: CaseRecord,
    pub document: Option<NoticeKind>,
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

/// What the clerk decides at intake, for a new case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum IntakeDecision {
    /// 收件 only: a receipt (收件凭证) now, the decision later.
    Receive,
    /// 受理.
    Accept,
    /// 不予受理, with the reason.
    Reject { reason: String },
    /// 补齐补正.
    RequestSupplement { request: SupplementRequest },
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

/// What the local store knows of an applicant from earlier cases, offered when the clerk types
/// a known ID number. Never fetched from anywhere else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KnownApplicant {
    pub applicant_type: ApplicantType,
    pub applicant_name: String,
    pub applicant_paper_type: PaperType,
    pub applicant_paper_code: String,
    pub applicant_mobile: String,
    pub applicant_address: String,
    #[serde(flatten)]
    pub party: PartyDetails,
    /// How many earlier cases, and the latest one's 收件时间.
    pub cases: u32,
    pub last_seen: String,
}

/// What an outbox entry pushes to the hub (seed 000 section 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum OutboxOperation {
    /// 7.2.2 受理信息推送.
    Accept,
    /// 7.2.4 补正完成信息推送.
    SupplyFinished,
    /// 7.2.5 审批过程信息推送, with an event code B1–B11.
    Process,
    /// 7.2.7 附件上传: an issued document (its number in `event_code`), before the message
    /// that refers to it.
    File,
    /// 7.2.1 统一受办办件信息推送: the whole concluded case.
    All,
}

impl OutboxOperation {
    pub const ALL: &'static [OutboxOperation] = &[
        OutboxOperation::Accept,
        OutboxOperation::SupplyFinished,
        OutboxOperation::Process,
        OutboxOperation::File,
        OutboxOperation::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxOperation::Accept => "accept",
            OutboxOperation::SupplyFinished => "supply_finished",
            OutboxOperation::Process => "process",
            OutboxOperation::File => "file",
            OutboxOperation::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OutboxOperation::Accept => "受理信息推送",
            OutboxOperation::SupplyFinished => "补正完成推送",
            OutboxOperation::Process => "办理过程推送",
            OutboxOperation::File => "附件上传",
            OutboxOperation::All => "统一受办办件推送",
        }
    }
}

/// Where an outbox entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Not yet acknowledged by the hub; retried with backoff.
    Pending,
    /// Acknowledged by the hub (`custom.code = 1`).
    Delivered,
    /// Given up on (the hub refused it, or too many attempts): in the dead-letter list until
    /// an administrator retries it.
    Dead,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Delivered => "delivered",
            OutboxStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            OutboxStatus::Pending,
            OutboxStatus::Delivered,
            OutboxStatus::Dead,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
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

/// How a case stands with the hub, as the clerk sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Nothing of this case goes to the hub (for example, not yet accepted).
    Local,
    /// Messages are waiting for the hub.
    Pending,
    /// A message was refused or given up on; see the reason.
    Failed,
    /// Everything was acknowledged.
    Synced,
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
    /// When the oldest waiting message was written.
    pub oldest_pending_at: Option<String>,
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
