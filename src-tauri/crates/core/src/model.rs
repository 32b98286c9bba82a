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
    /// 材料收取方式 through 帮我传 (seed 004 3.1.2): the departments it can be fetched from,
    /// electronically and/or on paper. Empty: the applicant brings it.
    #[serde(default)]
    pub sharing: Vec<ShareChannel>,
}

/// How a material is fetched from the department that holds it (seed 004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ShareMethod {
    /// 电子材料共享: the department sends the file by an asynchronous callback.
    Electronic,
    /// 纸档材料共享: the department signs the paper out, the counter signs it in.
    Paper,
}

impl ShareMethod {
    pub const ALL: [ShareMethod; 2] = [ShareMethod::Electronic, ShareMethod::Paper];

    pub fn as_str(self) -> &'static str {
        match self {
            ShareMethod::Electronic => "electronic",
            ShareMethod::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ShareMethod::Electronic => "电子材料共享",
            ShareMethod::Paper => "纸档材料共享",
        }
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
    /// (`interface` in the sharing calls, see README "Material sharing").
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

impl IntakeForm {
    /// A natural person's form for `item` with every required material received once, shown
    /// with a 居民身份证: what a complete intake looks like (tests, scripts, the demo).
    pub fn natural_person(item: &CatalogItem, name: &str, id_number: &str) -> Self {
        IntakeForm {
            dept_ql_reg_no: item.dept_ql_reg_no.clone(),
            applicant_type: crate::dict::ApplicantType::NaturalPerson,
            applicant_name: name.into(),
            applicant_paper_type: crate::dict::PaperType::IdCard,
            applicant_paper_code: id_number.into(),
            applicant_mobile: "13912345678".into(),
            applicant_address: String::new(),
            party: Default::default(),
            situations: vec![],
            delivery_method: item
                .delivery_methods
                .first()
                .copied()
                .unwrap_or(DeliveryMethod::WindowPickup),
            materiallist: item
                .materials
                .iter()
                .filter(|m| m.sj_file_if)
                .map(|m| MaterialReceipt {
                    no: m.no.clone(),
                    sj_file_name: String::new(),
                    sj_no: m.sj_no,
                    share: None,
                })
                .collect(),
        }
    }
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
    /// 帮我传: fetch this material from its department instead (`case submit` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub share: Option<ShareMethod>,
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
    /// 受理中 (seed 004): submitted with materials still being fetched from departments
    /// (帮我传); accepted automatically once all of them are in.
    InAcceptance,
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
        CaseState::InAcceptance,
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
            CaseState::InAcceptance => "in_acceptance",
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
            CaseState::InAcceptance => "受理中",
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
    /// 临时回执 (seed 004): a case submitted while materials are fetched (受理中).
    TemporaryReceipt,
}

impl NoticeKind {
    pub const ALL: &'static [NoticeKind] = &[
        NoticeKind::Receipt,
        NoticeKind::Acceptance,
        NoticeKind::Rejection,
        NoticeKind::Supplement,
        NoticeKind::TemporaryReceipt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "receipt",
            NoticeKind::Acceptance => "acceptance",
            NoticeKind::Rejection => "rejection",
            NoticeKind::Supplement => "supplement",
            NoticeKind::TemporaryReceipt => "temporary_receipt",
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
            NoticeKind::TemporaryReceipt => "临时回执",
        }
    }

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

/// The capture device this desk scans with and how (窗口设置), remembered per desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureSettings {
    /// `sane:NAME` (a scanner), `v4l2:/dev/videoN` (a document camera) or `file` (文件导入).
    pub device: String,
    /// Resolution asked of the device, dots per inch (200–600).
    pub dpi: u32,
    pub mode: PageOutput,
    /// A4 or A3.
    pub page_size: String,
    /// Feed from the automatic document feeder (every page in it), where the device has one.
    #[serde(default)]
    pub adf: bool,
    /// With the feeder: both sides of each sheet, where the device can.
    #[serde(default)]
    pub duplex: bool,
}

impl Default for CaptureSettings {
    fn default() -> Self {
        CaptureSettings {
            device: "file".into(),
            dpi: 300,
            mode: PageOutput::Gray,
            page_size: "A4".into(),
            adf: false,
            duplex: false,
        }
    }
}

/// A capture device the desk can choose, with what it offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureDeviceInfo {
    /// As stored in [`CaptureSettings::device`].
    pub id: String,
    /// For the clerk: vendor and model, or 文件导入.
    pub label: String,
    /// 扫描仪, 高拍仪 or 文件导入.
    pub kind: String,
    /// Resolutions offered (empty: any).
    pub dpis: Vec<u32>,
    pub modes: Vec<PageOutput>,
    /// A4, A3: the sizes that fit (empty when the device's bed is smaller than A4).
    pub page_sizes: Vec<String>,
    pub has_adf: bool,
    /// The feeder can scan both sides.
    pub has_duplex: bool,
}

/// The devices found, and why scanners could not be listed, if they could not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureDevices {
    pub devices: Vec<CaptureDeviceInfo>,
    pub problem: Option<String>,
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
    pub supervision_orders: Vec<crate::orders::SupervisionOrder>,
    /// The applicant's satisfaction (满意度, B.10), once rated.
    pub satisfaction: Option<crate::dict::Satisfaction>,
    /// When it was rated (`YYYY-MM-DD HH:MM:SS`).
    pub satisfaction_at: Option<String>,
}

/// The state of one material fetched through 帮我传 (seed 004 表1, 综窗版).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ShareStatus {
    /// 待共享: electronic, requested; waiting for the department's callback.
    Requested,
    /// 待签出: paper, requested; waiting for the department to sign it out.
    AwaitingSignOut,
    /// 待签入: paper, signed out; waiting for the counter to sign it in.
    AwaitingSignIn,
    /// 已完成.
    Completed,
    /// 材料缺失: the department cannot provide it.
    Missing,
    /// 共享超时: not in within the time limit.
    TimedOut,
    /// 已变更: the clerk chose another collection method; this request no longer counts.
    Superseded,
    /// 已取消: the case was cancelled.
    Cancelled,
}

impl ShareStatus {
    pub const ALL: [ShareStatus; 8] = [
        ShareStatus::Requested,
        ShareStatus::AwaitingSignOut,
        ShareStatus::AwaitingSignIn,
        ShareStatus::Completed,
        ShareStatus::Missing,
        ShareStatus::TimedOut,
        ShareStatus::Superseded,
        ShareStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ShareStatus::Requested => "requested",
            ShareStatus::AwaitingSignOut => "awaiting_sign_out",
            ShareStatus::AwaitingSignIn => "awaiting_sign_in",
            ShareStatus::Completed => "completed",
            ShareStatus::Missing => "missing",
            ShareStatus::TimedOut => "timed_out",
            ShareStatus::Superseded => "superseded",
            ShareStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ShareStatus::Requested => "待共享",
            ShareStatus::AwaitingSignOut => "待签出",
            ShareStatus::AwaitingSignIn => "待签入",
            ShareStatus::Completed => "已完成",
            ShareStatus::Missing => "材料缺失",
            ShareStatus::TimedOut => "共享超时",
            ShareStatus::Superseded => "已变更",
            ShareStatus::Cancelled => "已取消",
        }
    }

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
    /// 窗口人员 on a desk without accounts ([`crate::Desk::profile_actor`]); with accounts,
    /// the signed-in person is.
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

/// How the demo's embedded hub simulator behaves, as the trainer sets it (培训控制).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum DemoHubMode {
    /// 正常: answers at once.
    Normal,
    /// 断开: connections are refused.
    Down,
    /// 缓慢: answers after several seconds.
    Slow,
    /// 拒收: answers `custom.code = 0` (the messages become dead letters).
    Reject,
}

impl DemoHubMode {
    pub fn label(self) -> &'static str {
        match self {
            DemoHubMode::Normal => "正常",
            DemoHubMode::Down => "断开（无法连接）",
            DemoHubMode::Slow => "缓慢（延迟应答）",
            DemoHubMode::Reject => "拒收（custom.code = 0）",
        }
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

/// The promised date of a case accepted now, as the intake page previews it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromisedDatePreview {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The warning when the date rests on estimated holidays.
    pub estimate: Option<String>,
}
