//! Typed requests and responses of the nine 办件中心 interfaces (seed 000, 7.2.1–7.2.9).
//!
//! Field names are exactly those of tables 1–9. Where the seed contradicts itself, the table of
//! the interface wins:
//! - `sj_file_statu` (tables 1–4) but `sj_file_status` (table 9): [`Material`] and
//!   [`ReceiveMaterial`] each follow their tables;
//! - table 2 lists `materialist` once (next to `instanceCode`) and `materiallist` in its
//!   continuation, like every other table: we send `materiallist` and accept `materialist` when
//!   reading;
//! - the path of 7.2.7 is `/share/projectCenter/pushFileInfo` (capital C, as in 7.2.7), all
//!   others `/share/projectcenter/...`;
//! - table 9 puts `no`, `internal_no`, `operationtype` and `sign` on the project list entry
//!   (example C.9 puts them inside `projectinfo`): we follow table 9.
//!
//! Every payload field is optional in the Rust types; which ones are required is a property of
//! the interface (the same field is 是 in one table and 否 in another), checked by
//! [`required_missing`] on the plain JSON form, by the desk before sending and by the simulator
//! on receipt. Dictionary fields (appendix B) are enums that serialize to their code values.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use yichuang_types::code_enum;
use yichuang_types::dict::{
    ApplicantType, ApplyWay, DataSource, GetType, HandleResult, ItemType, PaperType, ProjectStatus,
    Satisfaction, TimeUnit,
};

code_enum! {
    /// B.1 是否.
    pub enum YesNo { Yes = "true" => "是", No = "false" => "否" }
}

code_enum! {
    /// Event codes of table 5 (`event_code`), B1–B11.
    pub enum EventCode {
        B1 = "B1" => "已补正",
        B2 = "B2" => "已现场勘察",
        B3 = "B3" => "已专家评审",
        B4 = "B4" => "已批前公示",
        B5 = "B5" => "需补正",
        B6 = "B6" => "需现场勘察",
        B7 = "B7" => "需专家评审",
        B8 = "B8" => "批前公示",
        B9 = "B9" => "正常审批程序",
        B10 = "B10" => "特殊程序（延长审批）",
        B11 = "B11" => "特殊程序（除延长审批之外）",
    }
}

code_enum! {
    /// Operation types of table 9 (`operationtype`).
    pub enum OperationType { Receive = "1" => "接件", SupplyFinished = "3" => "补正完成", Accept = "8" => "受理" }
}

/// The nine interfaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Interface {
    /// 7.2.1 办件全量信息汇聚接口.
    #[serde(rename = "pushAllProjectInfo")]
    PushAll,
    /// 7.2.2 办件受理接口.
    #[serde(rename = "pushAcceptProjectInfo")]
    PushAccept,
    /// 7.2.3 办件补正接口.
    #[serde(rename = "pushSupplyProjectInfo")]
    PushSupply,
    /// 7.2.4 办件补正完成接口.
    #[serde(rename = "pushSupplyFinishedProjectInfo")]
    PushSupplyFinished,
    /// 7.2.5 办件审批过程接口.
    #[serde(rename = "pushSpProjectInfo")]
    PushProcess,
    /// 7.2.6 办件办结接口.
    #[serde(rename = "pushFinishProjectInfo")]
    PushFinish,
    /// 7.2.7 推送附件信息接口.
    #[serde(rename = "pushFileInfo")]
    PushFile,
    /// 7.2.8 办件材料下载接口.
    #[serde(rename = "bjzxfjxzjk_jk")]
    DownloadFile,
    /// 7.2.9 办件接收接口.
    #[serde(rename = "receiveProjectInfo")]
    Receive,
}

impl Interface {
    pub const ALL: [Interface; 9] = [
        Interface::PushAll,
        Interface::PushAccept,
        Interface::PushSupply,
        Interface::PushSupplyFinished,
        Interface::PushProcess,
        Interface::PushFinish,
        Interface::PushFile,
        Interface::DownloadFile,
        Interface::Receive,
    ];

    /// The path under the hub's base URL, as the seed spells it.
    pub fn path(self) -> &'static str {
        match self {
            Interface::PushAll => "/share/projectcenter/pushAllProjectInfo",
            Interface::PushAccept => "/share/projectcenter/pushAcceptProjectInfo",
            Interface::PushSupply => "/share/projectcenter/pushSupplyProjectInfo",
            Interface::PushSupplyFinished => "/share/projectcenter/pushSupplyFinishedProjectInfo",
            Interface::PushProcess => "/share/projectcenter/pushSpProjectInfo",
            Interface::PushFinish => "/share/projectcenter/pushFinishProjectInfo",
            // 7.2.7 spells it with a capital C.
            Interface::PushFile => "/share/projectCenter/pushFileInfo",
            Interface::DownloadFile => "/share/bjzxfjxzjk_jk",
            Interface::Receive => "/share/projectcenter/receiveProjectInfo",
        }
    }

    pub fn from_path(path: &str) -> Option<Interface> {
        Interface::ALL.into_iter().find(|i| i.path() == path)
    }

    /// The section of seed 000.
    pub fn section(self) -> &'static str {
        match self {
            Interface::PushAll => "7.2.1",
            Interface::PushAccept => "7.2.2",
            Interface::PushSupply => "7.2.3",
            Interface::PushSupplyFinished => "7.2.4",
            Interface::PushProcess => "7.2.5",
            Interface::PushFinish => "7.2.6",
            Interface::PushFile => "7.2.7",
            Interface::DownloadFile => "7.2.8",
            Interface::Receive => "7.2.9",
        }
    }

    /// The Chinese name of the interface.
    pub fn label(self) -> &'static str {
        match self {
            Interface::PushAll => "办件全量信息汇聚接口",
            Interface::PushAccept => "办件受理接口",
            Interface::PushSupply => "办件补正接口",
            Interface::PushSupplyFinished => "办件补正完成接口",
            Interface::PushProcess => "办件审批过程接口",
            Interface::PushFinish => "办件办结接口",
            Interface::PushFile => "推送附件信息接口",
            Interface::DownloadFile => "办件材料下载接口",
            Interface::Receive => "办件接收接口",
        }
    }

    /// The wire name (last path segment).
    pub fn name(self) -> &'static str {
        self.path().rsplit('/').next().unwrap_or_default()
    }

    /// Whether the request carries `params.projectlist[]` with an encrypted `projectinfo`.
    pub fn is_project_list(self) -> bool {
        !matches!(self, Interface::PushFile | Interface::DownloadFile)
    }
}

/// Declares a wire struct: every field optional, omitted when absent.
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    };
}

wire_struct! {
    /// `basicinfo` of tables 1, 2 and 9 (the union of their fields).
    pub struct BasicInfo {
        area_no: String,
        area_name: String,
        org_id: String,
        org_name: String,
        dept_ql_reg_no: String,
        dept_ql_name: String,
        dept_yw_reg_no: String,
        dept_yw_name: String,
        department: String,
        transact_affair_name: String,
        content: String,
        sq_way: ApplyWay,
        splb: String,
        applicant_type: ApplicantType,
        applicant_name: String,
        applicant_paper_type: PaperType,
        applicant_paper_code: String,
        applicant_mobile: String,
        applicant_phone: String,
        applicant_address: String,
        applicant_zipcode: String,
        applicant_email: String,
        applicant_code: String,
        oper_man_name: String,
        oper_man_code: String,
        linkman_name: String,
        linkman_paper_type: PaperType,
        linkman_paper_code: String,
        linkman_mobile: String,
        linkman_phone: String,
        linkman_address: String,
        linkman_zipcode: String,
        linkman_email: String,
        ye_ms: String,
        sj_file_remark: String,
        anticipate: String,
        anticipate_day_type: TimeUnit,
        promise: String,
        promise_type: TimeUnit,
        wapply_date: String,
        apply_date: String,
        bj_statu: ProjectStatus,
        apply_type: ItemType,
        data_sources: DataSource,
        forms: String,
        acceptdate: String,
        acceptusername: String,
        itemno: String,
        catalog_code: String,
        task_version: String,
        apply_docno: String,
        extinfo: String,
        applicantlist: Vec<Applicant>,
    }
}

wire_struct! {
    /// `applicantlist[]` of tables 1 and 2.
    pub struct Applicant {
        applicant_address: String,
        applicant_code: String,
        applicant_email: String,
        applicant_mobile: String,
        applicant_name: String,
        applicant_paper_code: String,
        applicant_paper_type: PaperType,
        applicant_phone: String,
        applicant_type: ApplicantType,
        applicant_zipcode: String,
        extinfo: String,
        linkman_address: String,
        linkman_email: String,
        linkman_mobile: String,
        linkman_name: String,
        linkman_paper_code: String,
        linkman_paper_type: PaperType,
        linkman_phone: String,
        linkman_zipcode: String,
        oper_man_name: String,
    }
}

wire_struct! {
    /// `materiallist[]` of tables 1–4 (`sj_file_statu`).
    pub struct Material {
        no: String,
        sj_file_name: String,
        sj_no: String,
        sm_file_name: String,
        sm_file_attach: String,
        sj_file_if: YesNo,
        sj_file_statu: String,
        if_ec_page: YesNo,
        ord: String,
        gettype: GetType,
        data_sources: DataSource,
        extinfo: String,
        materialid: String,
    }
}

wire_struct! {
    /// `materiallist[]` of table 9: `sj_file_status` and an integer `sj_no`.
    pub struct ReceiveMaterial {
        no: String,
        sj_file_name: String,
        sj_no: u32,
        sm_file_name: String,
        sm_file_attach: String,
        sj_file_if: YesNo,
        sj_file_status: String,
        if_ec_page: YesNo,
        ord: String,
        gettype: GetType,
        data_sources: DataSource,
        extinfo: String,
    }
}

impl From<Material> for ReceiveMaterial {
    fn from(m: Material) -> Self {
        ReceiveMaterial {
            no: m.no,
            sj_file_name: m.sj_file_name,
            sj_no: m.sj_no.and_then(|n| n.trim().parse().ok()),
            sm_file_name: m.sm_file_name,
            sm_file_attach: m.sm_file_attach,
            sj_file_if: m.sj_file_if,
            sj_file_status: m.sj_file_statu,
            if_ec_page: m.if_ec_page,
            ord: m.ord,
            gettype: m.gettype,
            data_sources: m.data_sources,
            extinfo: m.extinfo,
        }
    }
}

wire_struct! {
    /// `processlist[]` of tables 1 and 5.
    pub struct Process {
        no: String,
        event_number: String,
        event_code: EventCode,
        event_name: String,
        department: String,
        start_time: String,
        event_time: String,
        event_time_type: TimeUnit,
        start_note: String,
        start_user_name: String,
        start_tel: String,
        start_phone: String,
        end_time: String,
        end_note: String,
        process_report_name: String,
        process_report: String,
        end_user_name: String,
        remark: String,
        data_sources: DataSource,
        extinfo: String,
    }
}

wire_struct! {
    /// `doclist[]` of tables 1 and 5.
    pub struct Doc {
        no: String,
        docname: String,
        docnumber: String,
        docattach: String,
        data_sources: DataSource,
        extinfo: String,
    }
}

wire_struct! {
    /// `resultinfo` of tables 1 and 6 (an array in examples C.1 and C.6).
    pub struct ResultInfo {
        no: String,
        status: HandleResult,
        result_no: String,
        note: String,
        resultname: String,
        create_date: String,
        resultcetrname: String,
        resultcetrno: String,
        satisfaction: Satisfaction,
        clientguid: String,
        handleusername: String,
        data_sources: DataSource,
        extinfo: String,
    }
}

wire_struct! {
    /// `certresultinfo` of tables 1 and 6 (an object in examples C.1 and C.6).
    pub struct CertResultInfo {
        no: String,
        certcatalogname: String,
        certcatalogno: String,
        ecertinfo: String,
        extinfo: String,
    }
}

wire_struct! {
    /// 7.2.1 `projectinfo`.
    pub struct AllProjectInfo {
        basicinfo: BasicInfo,
        materiallist: Vec<Material>,
        processlist: Vec<Process>,
        doclist: Vec<Doc>,
        resultinfo: Vec<ResultInfo>,
        certresultinfo: CertResultInfo,
    }
}

wire_struct! {
    /// 7.2.2 `projectinfo`.
    pub struct AcceptProjectInfo {
        basicinfo: BasicInfo,
        /// Table 2 also spells it `materialist`; accepted when reading.
        #[serde(alias = "materialist")]
        materiallist: Vec<Material>,
    }
}

wire_struct! {
    /// 7.2.3 and 7.2.4 `projectinfo`: the materials to supplement, or supplemented.
    pub struct SupplyProjectInfo {
        materiallist: Vec<Material>,
    }
}

wire_struct! {
    /// 7.2.5 `projectinfo`.
    pub struct ProcessProjectInfo {
        processlist: Vec<Process>,
        doclist: Vec<Doc>,
    }
}

wire_struct! {
    /// 7.2.6 `projectinfo`.
    pub struct FinishProjectInfo {
        resultinfo: Vec<ResultInfo>,
        certresultinfo: CertResultInfo,
    }
}

wire_struct! {
    /// 7.2.9 `projectinfo`.
    pub struct ReceiveProjectInfo {
        basicinfo: BasicInfo,
        materiallist: Vec<ReceiveMaterial>,
    }
}

/// The `projectinfo` of one interface.
pub trait ProjectInfo:
    Serialize + for<'de> Deserialize<'de> + Clone + std::fmt::Debug + Send + Sync + 'static
{
    const INTERFACE: Interface;
}

impl ProjectInfo for AllProjectInfo {
    const INTERFACE: Interface = Interface::PushAll;
}
impl ProjectInfo for AcceptProjectInfo {
    const INTERFACE: Interface = Interface::PushAccept;
}
impl ProjectInfo for ProcessProjectInfo {
    const INTERFACE: Interface = Interface::PushProcess;
}
impl ProjectInfo for FinishProjectInfo {
    const INTERFACE: Interface = Interface::PushFinish;
}
impl ProjectInfo for ReceiveProjectInfo {
    const INTERFACE: Interface = Interface::Receive;
}

/// 7.2.3 and 7.2.4 share their `projectinfo`; these wrappers pick the interface.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SupplyRequestInfo(pub SupplyProjectInfo);
impl ProjectInfo for SupplyRequestInfo {
    const INTERFACE: Interface = Interface::PushSupply;
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SupplyFinishedInfo(pub SupplyProjectInfo);
impl ProjectInfo for SupplyFinishedInfo {
    const INTERFACE: Interface = Interface::PushSupplyFinished;
}

/// One entry of `params.projectlist[]`, with `projectinfo` in the clear. The profile encrypts
/// `projectinfo` and adds `sign` when it encodes the request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectItem<P> {
    #[serde(default)]
    pub no: String,
    #[serde(default)]
    pub internal_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pro_year: Option<String>,
    #[serde(
        rename = "taskHandleItem",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub task_handle_item: Option<String>,
    #[serde(
        rename = "instanceCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub instance_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
    /// Table 9 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operationtype: Option<OperationType>,
    pub projectinfo: P,
}

/// A request of 7.2.1–7.2.6 or 7.2.9: `{"params":{"projectlist":[...]}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRequest<P> {
    pub projectlist: Vec<ProjectItem<P>>,
}

#[derive(Serialize, Deserialize)]
struct ParamsOut<T> {
    params: T,
}
#[derive(Serialize, Deserialize)]
struct ListOut<P> {
    projectlist: Vec<ProjectItem<P>>,
}

impl<P: ProjectInfo> ProjectRequest<P> {
    pub fn single(item: ProjectItem<P>) -> Self {
        ProjectRequest {
            projectlist: vec![item],
        }
    }

    pub fn interface(&self) -> Interface {
        P::INTERFACE
    }

    /// The plain JSON form (`projectinfo` as an object, no `sign`).
    pub fn to_plain(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(ParamsOut {
            params: ListOut {
                projectlist: self.projectlist.clone(),
            },
        })
    }

    /// Reads the plain JSON form.
    pub fn from_plain(plain: &Value) -> Result<Self, serde_json::Error> {
        let p: ParamsOut<ListOut<P>> = serde_json::from_value(plain.clone())?;
        Ok(ProjectRequest {
            projectlist: p.params.projectlist,
        })
    }

    /// The required fields of this interface that are missing or empty.
    pub fn required_missing(&self) -> Vec<MissingField> {
        match self.to_plain() {
            Ok(plain) => required_missing(P::INTERFACE, &plain),
            Err(_) => vec![MissingField {
                path: "params".into(),
                name: "params",
                label: "入参信息",
            }],
        }
    }
}

/// 7.2.7 `params` (after decryption). The seed does not list its fields (its example C.7 is a
/// copy of C.6); ours name the case and carry the file as Base64, like 7.2.8's `filecontent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileParams {
    /// 办件唯一标识.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_no: Option<String>,
    /// File name, e.g. `受理通知书.pdf`.
    #[serde(default)]
    pub attachname: String,
    /// The file, Base64.
    #[serde(default)]
    pub filecontent: String,
}

impl FileParams {
    pub fn new(no: &str, attachname: &str, bytes: &[u8]) -> Self {
        use base64::Engine;
        FileParams {
            no: Some(no.to_string()),
            internal_no: None,
            attachname: attachname.to_string(),
            filecontent: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    pub fn to_plain(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(ParamsOut { params: self })
    }

    pub fn required_missing(&self) -> Vec<MissingField> {
        self.to_plain()
            .map(|p| required_missing(Interface::PushFile, &p))
            .unwrap_or_default()
    }
}

/// 7.2.8 request `params`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DownloadParams {
    #[serde(default)]
    pub attachguid: String,
}

impl DownloadParams {
    pub fn to_plain(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(ParamsOut { params: self })
    }

    pub fn required_missing(&self) -> Vec<MissingField> {
        self.to_plain()
            .map(|p| required_missing(Interface::DownloadFile, &p))
            .unwrap_or_default()
    }
}

/// The response envelope: `{"status":{"code":200,"text":""},"custom":{"code":1,"text":"…"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubResponse {
    pub status: ResponseStatus,
    pub custom: Custom,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseStatus {
    #[serde(deserialize_with = "lenient_int")]
    pub code: i64,
    #[serde(default)]
    pub text: String,
}

/// `custom`: `code` 1 success, 0 failure; `text` the reason; `attachguid` (7.2.7) and
/// `filecontent` (7.2.8); anything else is kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Custom {
    #[serde(deserialize_with = "lenient_int")]
    pub code: i64,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachguid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filecontent: Option<String>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

impl HubResponse {
    pub fn ok(text: &str) -> Self {
        HubResponse {
            status: ResponseStatus {
                code: 200,
                text: String::new(),
            },
            custom: Custom {
                code: 1,
                text: text.to_string(),
                attachguid: None,
                filecontent: None,
                extra: Default::default(),
            },
        }
    }

    pub fn refused(text: &str) -> Self {
        let mut r = HubResponse::ok(text);
        r.custom.code = 0;
        r
    }

    pub fn is_success(&self) -> bool {
        self.custom.code == 1
    }
}

/// Some hubs send codes as strings ("1"); accept both.
fn lenient_int<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().ok_or_else(|| D::Error::custom("code 不是整数")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| D::Error::custom("code 不是整数")),
        _ => Err(D::Error::custom("code 不是整数")),
    }
}

// ---------------------------------------------------------------------------------------------
// Required fields and dictionary values.

/// A required field that is missing or empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingField {
    /// Where, e.g. `params.projectlist[0].projectinfo.materiallist[1].sj_file_name`.
    pub path: String,
    /// The wire name, e.g. `sj_file_name`.
    pub name: &'static str,
    /// The Chinese label, e.g. `材料名称`.
    pub label: &'static str,
}

impl std::fmt::Display for MissingField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}（{}）", self.label, self.name)
    }
}

/// "缺少必填项：办件唯一标识（no）、材料名称（sj_file_name）".
pub fn missing_message(missing: &[MissingField]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for m in missing {
        let s = m.to_string();
        if !seen.contains(&s) {
            seen.push(s);
        }
    }
    format!("缺少必填项：{}", seen.join("、"))
}

/// Levels of a project request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Item,
    Basic,
    Applicant,
    Material,
    Process,
    Doc,
    Result,
    Cert,
    Params,
}

impl Level {
    /// (key under projectinfo, is an array).
    fn key(self) -> Option<(&'static str, bool)> {
        match self {
            Level::Basic => Some(("basicinfo", false)),
            Level::Material => Some(("materiallist", true)),
            Level::Process => Some(("processlist", true)),
            Level::Doc => Some(("doclist", true)),
            Level::Result => Some(("resultinfo", true)),
            Level::Cert => Some(("certresultinfo", false)),
            Level::Item | Level::Applicant | Level::Params => None,
        }
    }
}

const BASIC_APPLICANT: &[&str] = &[
    "applicant_name",
    "applicant_paper_type",
    "applicant_paper_code",
    "linkman_name",
    "linkman_paper_type",
    "linkman_paper_code",
];
const APPLICANTLIST: &[&str] = &[
    "applicant_name",
    "applicant_paper_code",
    "applicant_paper_type",
    "applicant_type",
    "linkman_name",
    "linkman_paper_code",
    "linkman_paper_type",
];
const BASIC_LIMITS: &[&str] = &[
    "anticipate",
    "anticipate_day_type",
    "promise",
    "promise_type",
    "bj_statu",
    "data_sources",
    "catalog_code",
    "task_version",
];
const PROCESS: &[&str] = &["no", "event_number", "event_code", "end_time"];
const DOC: &[&str] = &["no", "docname", "docnumber", "docattach"];
const RESULT: &[&str] = &["no", "create_date", "data_sources"];
const CERT: &[&str] = &["no", "certcatalogname", "certcatalogno"];
const ITEM_FULL: &[&str] = &["no", "area_no", "pro_year", "internal_no", "taskHandleItem"];
const ITEM_SHORT: &[&str] = &["no", "internal_no", "taskHandleItem"];

/// The required fields of an interface, level by level, as its table marks them 是.
fn required_spec(interface: Interface) -> Vec<(Level, Vec<&'static str>)> {
    let cat = |parts: &[&[&'static str]]| parts.concat();
    match interface {
        Interface::PushAll => vec![
            (Level::Item, ITEM_FULL.to_vec()),
            (
                Level::Basic,
                cat(&[
                    &[
                        "area_name",
                        "org_id",
                        "org_name",
                        "dept_ql_reg_no",
                        "dept_ql_name",
                        "dept_yw_reg_no",
                        "dept_yw_name",
                        "sq_way",
                    ],
                    BASIC_APPLICANT,
                    BASIC_LIMITS,
                    &["apply_type", "acceptdate", "acceptusername"],
                ]),
            ),
            (Level::Applicant, APPLICANTLIST.to_vec()),
            (
                Level::Material,
                vec![
                    "no",
                    "sj_file_name",
                    "sj_file_if",
                    "sj_file_statu",
                    "if_ec_page",
                    "data_sources",
                ],
            ),
            (Level::Process, PROCESS.to_vec()),
            (Level::Doc, DOC.to_vec()),
            (Level::Result, RESULT.to_vec()),
            (Level::Cert, CERT.to_vec()),
        ],
        Interface::PushAccept => vec![
            (Level::Item, ITEM_FULL.to_vec()),
            (
                Level::Basic,
                cat(&[
                    &[
                        "area_name",
                        "acceptusername",
                        "acceptdate",
                        "org_id",
                        "org_name",
                        "dept_ql_reg_no",
                        "dept_ql_name",
                        "dept_yw_reg_no",
                        "dept_yw_name",
                        "sq_way",
                        "applicant_type",
                    ],
                    BASIC_APPLICANT,
                    BASIC_LIMITS,
                ]),
            ),
            (Level::Applicant, APPLICANTLIST.to_vec()),
            (
                Level::Material,
                vec![
                    "sj_file_name",
                    "sj_file_statu",
                    "if_ec_page",
                    "data_sources",
                ],
            ),
        ],
        Interface::PushSupply => vec![
            (Level::Item, ITEM_FULL.to_vec()),
            (
                Level::Material,
                vec![
                    "sj_file_name",
                    "sj_file_if",
                    "sj_file_statu",
                    "if_ec_page",
                    "data_sources",
                ],
            ),
        ],
        Interface::PushSupplyFinished => vec![
            (Level::Item, ITEM_FULL.to_vec()),
            (
                Level::Material,
                vec![
                    "no",
                    "sj_file_name",
                    "sj_file_if",
                    "sj_file_statu",
                    "if_ec_page",
                    "data_sources",
                ],
            ),
        ],
        Interface::PushProcess => vec![
            (Level::Item, ITEM_SHORT.to_vec()),
            (Level::Process, PROCESS.to_vec()),
            (Level::Doc, DOC.to_vec()),
        ],
        Interface::PushFinish => vec![
            (Level::Item, ITEM_SHORT.to_vec()),
            (Level::Result, RESULT.to_vec()),
            (Level::Cert, CERT.to_vec()),
        ],
        Interface::PushFile => vec![(Level::Params, vec!["attachname", "filecontent"])],
        Interface::DownloadFile => vec![(Level::Params, vec!["attachguid"])],
        Interface::Receive => vec![
            (Level::Item, vec!["no", "internal_no", "operationtype"]),
            (
                Level::Basic,
                cat(&[
                    &[
                        "area_no",
                        "area_name",
                        "org_id",
                        "org_name",
                        "dept_ql_reg_no",
                        "dept_ql_name",
                        "dept_yw_name",
                        "sq_way",
                        "applicant_type",
                    ],
                    BASIC_APPLICANT,
                    BASIC_LIMITS,
                ]),
            ),
            (
                Level::Material,
                vec![
                    "no",
                    "sj_file_name",
                    "sj_file_if",
                    "sj_file_status",
                    "if_ec_page",
                    "data_sources",
                ],
            ),
        ],
    }
}

/// The Chinese label of a wire field (the tables' 描述 column).
pub fn label_of(name: &str) -> &'static str {
    LABELS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

const LABELS: &[(&str, &str)] = &[
    ("params", "入参信息"),
    ("projectlist", "办件列表"),
    ("projectinfo", "办件数据包"),
    ("sign", "数字签名"),
    ("no", "唯一标识"),
    ("area_no", "行政区划编码"),
    ("pro_year", "办件年份"),
    ("internal_no", "全疆办件唯一编号"),
    ("taskHandleItem", "申请事项业务办理项编码"),
    ("instanceCode", "主题联办编码"),
    ("opinion", "操作意见"),
    ("operationtype", "操作类型"),
    ("area_name", "行政区划名称"),
    ("org_id", "部门编码"),
    ("org_name", "部门名称"),
    ("dept_ql_reg_no", "事项编码"),
    ("dept_ql_name", "申请事项名称"),
    ("dept_yw_reg_no", "业务编码"),
    ("dept_yw_name", "申请业务名称"),
    ("sq_way", "申请方式"),
    ("applicant_type", "申请人类型"),
    ("applicant_name", "申请者名称"),
    ("applicant_paper_type", "证件类型"),
    ("applicant_paper_code", "证件号码"),
    ("linkman_name", "申请方经办人姓名"),
    ("linkman_paper_type", "申请方经办人证件类型"),
    ("linkman_paper_code", "申请方经办人证件号码"),
    ("anticipate", "法定办结时间"),
    ("anticipate_day_type", "法定办结时间单位"),
    ("promise", "承诺办结时间"),
    ("promise_type", "承诺办结时间单位"),
    ("bj_statu", "办件状态"),
    ("apply_type", "办件类型"),
    ("data_sources", "数据来源"),
    ("acceptdate", "受理时间"),
    ("acceptusername", "受理人名称"),
    ("catalog_code", "目录编码"),
    ("task_version", "事项版本号"),
    ("sj_file_name", "材料名称"),
    ("sj_file_if", "材料是否必须"),
    ("sj_file_statu", "收料收取情况"),
    ("sj_file_status", "收料收取情况"),
    ("if_ec_page", "是否需要电子版"),
    ("gettype", "收取方式"),
    ("event_number", "序号"),
    ("event_code", "事件代码"),
    ("event_time_type", "过程时限单位"),
    ("end_time", "事件实际结束时间"),
    ("docname", "文书名称"),
    ("docnumber", "文书编号"),
    ("docattach", "文书附件标识"),
    ("status", "办理结果"),
    ("satisfaction", "满意度"),
    ("create_date", "决定时间"),
    ("certcatalogname", "证照目录名称"),
    ("certcatalogno", "证照目录编号"),
    ("attachname", "附件名称"),
    ("filecontent", "附件内容"),
    ("attachguid", "附件标识"),
];

fn present(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

fn check_object(obj: &Value, names: &[&'static str], path: &str, out: &mut Vec<MissingField>) {
    for name in names {
        if !present(obj.get(*name)) {
            out.push(MissingField {
                path: format!("{path}.{name}"),
                name,
                label: label_of(name),
            });
        }
    }
}

/// The required fields of `interface` missing from the plain JSON form of a request
/// (`projectinfo` decrypted, as an object). Levels marked 否 in a table (such as `basicinfo`) may
/// be absent; when present, their 是 fields are required.
pub fn required_missing(interface: Interface, plain: &Value) -> Vec<MissingField> {
    let mut out = Vec::new();
    let spec = required_spec(interface);
    let Some(params) = plain.get("params").filter(|p| p.is_object()) else {
        out.push(MissingField {
            path: "params".into(),
            name: "params",
            label: "入参信息",
        });
        return out;
    };
    if !interface.is_project_list() {
        for (level, names) in &spec {
            if *level == Level::Params {
                check_object(params, names, "params", &mut out);
            }
        }
        return out;
    }
    let list = match params.get("projectlist").and_then(Value::as_array) {
        Some(l) if !l.is_empty() => l,
        _ => {
            out.push(MissingField {
                path: "params.projectlist".into(),
                name: "projectlist",
                label: "办件列表",
            });
            return out;
        }
    };
    for (i, item) in list.iter().enumerate() {
        let ipath = format!("params.projectlist[{i}]");
        let info = item.get("projectinfo").filter(|p| p.is_object());
        for (level, names) in &spec {
            match level {
                Level::Item => check_object(item, names, &ipath, &mut out),
                Level::Params => {}
                Level::Applicant => {
                    if let Some(list) = info
                        .and_then(|i| i.get("basicinfo"))
                        .and_then(|b| b.get("applicantlist"))
                        .and_then(Value::as_array)
                    {
                        for (j, a) in list.iter().enumerate() {
                            let p = format!("{ipath}.projectinfo.basicinfo.applicantlist[{j}]");
                            check_object(a, names, &p, &mut out);
                        }
                    }
                }
                other => {
                    let Some((key, is_array)) = other.key() else {
                        continue;
                    };
                    let Some(v) = info.and_then(|i| i.get(key)) else {
                        continue;
                    };
                    let base = format!("{ipath}.projectinfo.{key}");
                    if is_array {
                        if let Some(arr) = v.as_array() {
                            for (j, e) in arr.iter().enumerate() {
                                check_object(e, names, &format!("{base}[{j}]"), &mut out);
                            }
                        }
                    } else if !v.is_null() {
                        check_object(v, names, &base, &mut out);
                    }
                }
            }
        }
        if info.is_none() {
            out.push(MissingField {
                path: format!("{ipath}.projectinfo"),
                name: "projectinfo",
                label: "办件数据包",
            });
        }
    }
    out
}

/// A dictionary value that is not in its dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadCode {
    pub path: String,
    pub name: String,
    pub value: String,
    /// The dictionary, e.g. `证件类型`.
    pub dictionary: &'static str,
}

impl std::fmt::Display for BadCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}（{}）的值“{}”不在数据字典“{}”中",
            label_of(&self.name),
            self.name,
            self.value,
            self.dictionary
        )
    }
}

type CodeCheck = fn(&str) -> bool;

const DICTIONARY_FIELDS: &[(&str, &str, CodeCheck)] = &[
    ("sq_way", "申请方式", |c| {
        ApplyWay::from_code(c).is_some()
    }),
    ("applicant_type", "申请人类型", |c| {
        ApplicantType::from_code(c).is_some()
    }),
    ("applicant_paper_type", "证件类型", |c| {
        PaperType::from_code(c).is_some()
    }),
    ("linkman_paper_type", "证件类型", |c| {
        PaperType::from_code(c).is_some()
    }),
    ("anticipate_day_type", "时间单位", |c| {
        TimeUnit::from_code(c).is_some()
    }),
    ("promise_type", "时间单位", |c| {
        TimeUnit::from_code(c).is_some()
    }),
    ("event_time_type", "时间单位", |c| {
        TimeUnit::from_code(c).is_some()
    }),
    ("bj_statu", "办件状态", |c| {
        ProjectStatus::from_code(c).is_some()
    }),
    ("apply_type", "办件类型", |c| {
        ItemType::from_code(c).is_some()
    }),
    ("data_sources", "数据来源", |c| {
        DataSource::from_code(c).is_some()
    }),
    ("gettype", "收取方式", |c| {
        GetType::from_code(c).is_some()
    }),
    ("satisfaction", "满意度", |c| {
        Satisfaction::from_code(c).is_some()
    }),
    ("sj_file_if", "是否", |c| YesNo::from_code(c).is_some()),
    ("if_ec_page", "是否", |c| YesNo::from_code(c).is_some()),
    ("event_code", "事件代码", |c| {
        EventCode::from_code(c).is_some()
    }),
    ("operationtype", "操作类型", |c| {
        OperationType::from_code(c).is_some()
    }),
];

/// Dictionary fields (appendix B, and the code lists of tables 5 and 9) whose values are not in
/// their dictionary. `status` is checked only under `resultinfo`, where it means 办理结果.
pub fn bad_codes(plain: &Value) -> Vec<BadCode> {
    let mut out = Vec::new();
    walk_codes(plain, "", None, &mut out);
    out
}

fn walk_codes(v: &Value, path: &str, parent: Option<&str>, out: &mut Vec<BadCode>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if let Some(value) = scalar_text(child) {
                    let rule = DICTIONARY_FIELDS
                        .iter()
                        .find(|(n, _, _)| n == k)
                        .map(|(_, d, f)| (*d, *f))
                        .or_else(|| {
                            (k == "status" && parent == Some("resultinfo")).then_some((
                                "办理结果",
                                (|c: &str| HandleResult::from_code(c).is_some()) as CodeCheck,
                            ))
                        });
                    if let Some((dictionary, ok)) = rule
                        && !value.is_empty()
                        && !ok(&value)
                    {
                        out.push(BadCode {
                            path: p.clone(),
                            name: k.clone(),
                            value,
                            dictionary,
                        });
                    }
                } else {
                    walk_codes(child, &p, Some(k), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_codes(child, &format!("{path}[{i}]"), parent, out);
            }
        }
        _ => {}
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_follow_the_tables() {
        assert_eq!(
            Interface::PushFile.path(),
            "/share/projectCenter/pushFileInfo"
        );
        assert_eq!(
            Interface::PushAccept.path(),
            "/share/projectcenter/pushAcceptProjectInfo"
        );
        assert_eq!(Interface::DownloadFile.path(), "/share/bjzxfjxzjk_jk");
        for i in Interface::ALL {
            assert_eq!(Interface::from_path(i.path()), Some(i));
        }
        assert_eq!(
            Interface::from_path("/share/projectcenter/pushFileInfo"),
            None
        );
    }

    #[test]
    fn dictionaries_serialize_to_codes() {
        let m = Material {
            sj_file_if: Some(YesNo::Yes),
            if_ec_page: Some(YesNo::No),
            gettype: Some(GetType::Window),
            data_sources: Some(DataSource::Hall),
            sj_file_statu: Some("已收取".into()),
            ..Default::default()
        };
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(
            v,
            json!({"sj_file_if":"true","if_ec_page":"false","gettype":"1","data_sources":"1","sj_file_statu":"已收取"})
        );
        let r: ReceiveMaterial = m.into();
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["sj_file_status"], "已收取");
        assert!(v.get("sj_file_statu").is_none());
        let p = Process {
            event_code: Some(EventCode::B10),
            ..Default::default()
        };
        assert_eq!(serde_json::to_value(&p).unwrap()["event_code"], "B10");
        assert_eq!(
            serde_json::to_value(OperationType::Accept).unwrap(),
            json!("8")
        );
    }

    #[test]
    fn item_field_names_are_the_tables() {
        let req = ProjectRequest::single(ProjectItem {
            no: "N1".into(),
            internal_no: "I1".into(),
            task_handle_item: Some("T".into()),
            instance_code: Some("C".into()),
            projectinfo: SupplyFinishedInfo::default(),
            ..Default::default()
        });
        let v = req.to_plain().unwrap();
        let item = &v["params"]["projectlist"][0];
        assert_eq!(item["taskHandleItem"], "T");
        assert_eq!(item["instanceCode"], "C");
        assert!(item.get("area_no").is_none());
    }

    #[test]
    fn table2_materialist_spelling_is_read() {
        let v = json!({"materialist":[{"sj_file_name":"身份证"}]});
        let info: AcceptProjectInfo = serde_json::from_value(v).unwrap();
        assert_eq!(info.materiallist.unwrap().len(), 1);
    }

    #[test]
    fn required_missing_names_field_and_label() {
        let req = ProjectRequest::single(ProjectItem {
            no: "".into(),
            internal_no: "I1".into(),
            area_no: Some("650102".into()),
            pro_year: Some("2026".into()),
            task_handle_item: Some("T".into()),
            projectinfo: SupplyFinishedInfo(SupplyProjectInfo {
                materiallist: Some(vec![Material {
                    no: Some("M1".into()),
                    sj_file_if: Some(YesNo::Yes),
                    sj_file_statu: Some("已收取".into()),
                    if_ec_page: Some(YesNo::No),
                    data_sources: Some(DataSource::Hall),
                    ..Default::default()
                }]),
            }),
            ..Default::default()
        });
        let missing = req.required_missing();
        let names: Vec<_> = missing.iter().map(|m| m.name).collect();
        assert_eq!(names, vec!["no", "sj_file_name"]);
        assert_eq!(
            missing[1].path,
            "params.projectlist[0].projectinfo.materiallist[0].sj_file_name"
        );
        assert_eq!(
            missing_message(&missing),
            "缺少必填项：唯一标识（no）、材料名称（sj_file_name）"
        );
    }

    #[test]
    fn bad_codes_are_found() {
        let v = json!({"params":{"projectlist":[{"operationtype":"2","projectinfo":{
            "basicinfo":{"applicant_paper_type":"11","sq_way":"0"},
            "resultinfo":[{"status":"9"}],
            "processlist":[{"event_code":"B12"}]}}]}});
        let bad = bad_codes(&v);
        let names: Vec<_> = bad.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "operationtype",
                "applicant_paper_type",
                "event_code",
                "status"
            ]
        );
        assert_eq!(
            bad[1].to_string(),
            "证件类型（applicant_paper_type）的值“11”不在数据字典“证件类型”中"
        );
    }

    #[test]
    fn response_envelope_reads_both_code_kinds() {
        let r: HubResponse = serde_json::from_str(
            r#"{"status":{"code":200,"text":""},"custom":{"code":"0","text":"失败原因"}}"#,
        )
        .unwrap();
        assert!(!r.is_success());
        assert_eq!(r.custom.text, "失败原因");
        let r: HubResponse = serde_json::from_str(
            r#"{"custom":{"code":1,"text":"返回内容","attachguid":"g-1"},"status":{"code":200}}"#,
        )
        .unwrap();
        assert!(r.is_success());
        assert_eq!(r.custom.attachguid.as_deref(), Some("g-1"));
    }
}
