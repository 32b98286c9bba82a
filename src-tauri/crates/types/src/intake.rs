//! What the clerk enters at intake, and what the desk offers while they do.

use crate::case::SupplementRequest;
use crate::catalog::CatalogItem;
use crate::dict::{ApplicantType, DeliveryMethod, PaperType};
use crate::sharing::ShareMethod;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
            applicant_type: ApplicantType::NaturalPerson,
            applicant_name: name.into(),
            applicant_paper_type: PaperType::IdCard,
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

/// The promised date of a case accepted now, as the intake page previews it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromisedDatePreview {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The warning when the date rests on estimated holidays.
    pub estimate: Option<String>,
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
