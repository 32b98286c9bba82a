//! Code dictionaries of seed 000, appendix B. Each enum serializes to the spec's code value,
//! so the same type is used on the wire, in the store and in the UI.

use crate::code_enum;

code_enum! {
    /// B.2 申请方式.
    #[ts(export)]
    pub enum ApplyWay { Window = "0" => "窗口申请", Online = "1" => "网上申请", Post = "2" => "邮寄" }
}

code_enum! {
    /// B.3 申请人类型.
    #[ts(export)]
    pub enum ApplicantType {
        NaturalPerson = "01" => "自然人",
        EnterpriseLegalPerson = "02" => "企业法人",
        GovernmentAgency = "03" => "行政机关",
        PublicInstitution = "04" => "事业法人及其他社团组织",
        UnincorporatedEnterprise = "05" => "非法人企业",
    }
}

code_enum! {
    /// B.4 证件类型.
    #[ts(export)]
    pub enum PaperType {
        IdCard = "0" => "身份证",
        Passport = "1" => "护照",
        HomeReturnPermit = "2" => "回乡证",
        ResidencePermit = "3" => "居住证",
        MilitaryOfficerCard = "4" => "军官证",
        SarPassport = "5" => "特区护照",
        TravelPermit = "6" => "通行证",
        TaiwanCompatriotPermit = "7" => "台胞证",
        BusinessLicense = "8" => "营业执照",
        RegistrationCertificate = "9" => "注册证书",
        Other = "10" => "其他",
    }
}

impl Default for PaperType {
    /// Most people at a counter show a resident identity card.
    fn default() -> Self {
        PaperType::IdCard
    }
}

impl PaperType {
    /// Documents that identify an organisation rather than a person.
    pub fn is_for_organisations(self) -> bool {
        matches!(
            self,
            PaperType::BusinessLicense | PaperType::RegistrationCertificate
        )
    }
}

impl ApplicantType {
    /// Types 02–05: a legal person or other organisation.
    pub fn is_organisation(self) -> bool {
        self != ApplicantType::NaturalPerson
    }
}

code_enum! {
    /// B.5 时间单位.
    #[ts(export)]
    pub enum TimeUnit { Days = "0" => "天", WorkingDays = "1" => "工作日", Months = "2" => "月", Years = "3" => "年" }
}

code_enum! {
    /// B.6 办件状态 (the hub's coarse status; the counter keeps finer states in `CaseState`).
    #[ts(export)]
    pub enum ProjectStatus { Online = "H" => "在线申办", Accepted = "Y" => "收件/受理", InProgress = "B" => "办理中", Concluded = "C" => "办结" }
}

code_enum! {
    /// B.7 数据来源.
    #[ts(export)]
    pub enum DataSource { Hall = "1" => "大厅系统产生", Department = "2" => "部门系统产生" }
}

code_enum! {
    /// B.8 办件类型.
    #[ts(export)]
    pub enum ItemType { Immediate = "1" => "即办件", Promised = "2" => "承诺件" }
}

code_enum! {
    /// B.9 收取方式 (how a material is collected).
    #[ts(export)]
    pub enum GetType { Window = "1" => "窗口办理", Online = "2" => "网上办理", Courier = "3" => "快递申请" }
}

code_enum! {
    /// B.10 满意度.
    #[ts(export)]
    pub enum Satisfaction {
        VeryDissatisfied = "1" => "很不满意",
        Dissatisfied = "2" => "不满意",
        Neutral = "3" => "基本满意",
        Satisfied = "4" => "满意",
        VerySatisfied = "5" => "很满意",
    }
}

code_enum! {
    /// B.11 业务动作.
    #[ts(export)]
    pub enum BusinessAction { Pass = "1" => "通过", Return = "2" => "退回", Other = "9" => "其他" }
}

code_enum! {
    /// B.12 办理结果.
    #[ts(export)]
    pub enum HandleResult { NotApproved = "0" => "不予批准", Approved = "1" => "批准", Forwarded = "2" => "转报", Terminated = "3" => "终止办件" }
}

code_enum! {
    /// How the result is delivered to the applicant (送达方式). Not a seed 000 dictionary:
    /// the codes are ours, the labels follow seed 003's wording.
    #[ts(export)]
    pub enum DeliveryMethod { WindowPickup = "window" => "窗口领取", Post = "post" => "邮政寄递", Electronic = "electronic" => "电子送达" }
}

code_enum! {
    /// Whether the applicant brought the original, a copy, or both.
    #[ts(export)]
    pub enum MaterialForm { Original = "original" => "原件", Copy = "copy" => "复印件", OriginalAndCopy = "both" => "原件及复印件" }
}

impl TimeUnit {
    /// The unit as it follows a number: 5个工作日, 2个月.
    pub fn after_number(self) -> &'static str {
        match self {
            TimeUnit::Days => "天",
            TimeUnit::WorkingDays => "个工作日",
            TimeUnit::Months => "个月",
            TimeUnit::Years => "年",
        }
    }
}

/// Formats a time limit such as "5个工作日" or "20天".
pub fn time_limit_text(amount: u32, unit: TimeUnit) -> String {
    if amount == 0 {
        return "当场办结".to_string();
    }
    format!("{amount}{}", unit.after_number())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_to_spec_code_values() {
        assert_eq!(serde_json::to_string(&PaperType::IdCard).unwrap(), "\"0\"");
        assert_eq!(serde_json::to_string(&PaperType::Other).unwrap(), "\"10\"");
        assert_eq!(
            serde_json::to_string(&ApplicantType::NaturalPerson).unwrap(),
            "\"01\""
        );
        assert_eq!(
            serde_json::from_str::<TimeUnit>("\"1\"").unwrap(),
            TimeUnit::WorkingDays
        );
        assert!(serde_json::from_str::<PaperType>("\"11\"").is_err());
    }

    #[test]
    fn codes_round_trip() {
        for p in PaperType::ALL {
            assert_eq!(PaperType::from_code(p.code()), Some(p));
        }
        assert_eq!(PaperType::ALL.len(), 11);
        assert_eq!(ApplicantType::ALL.len(), 5);
        assert_eq!(time_limit_text(5, TimeUnit::WorkingDays), "5个工作日");
        assert_eq!(time_limit_text(0, TimeUnit::WorkingDays), "当场办结");
        assert_eq!(time_limit_text(2, TimeUnit::Months), "2个月");
    }
}
