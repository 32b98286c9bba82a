//! Code dictionaries of seed 000, appendix B. Each enum serializes to the spec's code value,
//! so the same type is used on the wire, in the store and in the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! dictionary {
    (
        $(#[$meta:meta])*
        $name:ident { $( $variant:ident = $code:literal => $label:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub enum $name {
            $( #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in the spec's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code value on the wire.
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// The Chinese name of the code (代码名称).
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// Parses a code value.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $( $code => Some($name::$variant), )+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

dictionary! {
    /// B.2 申请方式.
    ApplyWay { Window = "0" => "窗口申请", Online = "1" => "网上申请", Post = "2" => "邮寄" }
}

dictionary! {
    /// B.3 申请人类型.
    ApplicantType {
        NaturalPerson = "01" => "自然人",
        EnterpriseLegalPerson = "02" => "企业法人",
        GovernmentAgency = "03" => "行政机关",
        PublicInstitution = "04" => "事业法人及其他社团组织",
        UnincorporatedEnterprise = "05" => "非法人企业",
    }
}

dictionary! {
    /// B.4 证件类型.
    PaperType {
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

dictionary! {
    /// B.5 时间单位.
    TimeUnit { Days = "0" => "天", WorkingDays = "1" => "工作日", Months = "2" => "月", Years = "3" => "年" }
}

dictionary! {
    /// B.6 办件状态 (the hub's coarse status; the counter keeps finer states in `CaseState`).
    ProjectStatus { Online = "H" => "在线申办", Accepted = "Y" => "收件/受理", InProgress = "B" => "办理中", Concluded = "C" => "办结" }
}

dictionary! {
    /// B.7 数据来源.
    DataSource { Hall = "1" => "大厅系统产生", Department = "2" => "部门系统产生" }
}

dictionary! {
    /// B.8 办件类型.
    ItemType { Immediate = "1" => "即办件", Promised = "2" => "承诺件" }
}

dictionary! {
    /// B.9 收取方式 (how a material is collected).
    GetType { Window = "1" => "窗口办理", Online = "2" => "网上办理", Courier = "3" => "快递申请" }
}

dictionary! {
    /// B.10 满意度.
    Satisfaction {
        VeryDissatisfied = "1" => "很不满意",
        Dissatisfied = "2" => "不满意",
        Neutral = "3" => "基本满意",
        Satisfied = "4" => "满意",
        VerySatisfied = "5" => "很满意",
    }
}

dictionary! {
    /// B.11 业务动作.
    BusinessAction { Pass = "1" => "通过", Return = "2" => "退回", Other = "9" => "其他" }
}

dictionary! {
    /// B.12 办理结果.
    HandleResult { NotApproved = "0" => "不予批准", Approved = "1" => "批准", Forwarded = "2" => "转报", Terminated = "3" => "终止办件" }
}

dictionary! {
    /// How the result is delivered to the applicant (送达方式). Not a seed 000 dictionary:
    /// the codes are ours, the labels follow seed 003's wording.
    DeliveryMethod { WindowPickup = "window" => "窗口领取", Post = "post" => "邮政寄递", Electronic = "electronic" => "电子送达" }
}

dictionary! {
    /// Whether the applicant brought the original, a copy, or both.
    MaterialForm { Original = "original" => "原件", Copy = "copy" => "复印件", OriginalAndCopy = "both" => "原件及复印件" }
}

/// Formats a time limit such as "5个工作日" or "20天".
pub fn time_limit_text(amount: u32, unit: TimeUnit) -> String {
    if amount == 0 {
        return "当场办结".to_string();
    }
    match unit {
        TimeUnit::Days => format!("{amount}天"),
        TimeUnit::WorkingDays => format!("{amount}个工作日"),
        TimeUnit::Months => format!("{amount}个月"),
        TimeUnit::Years => format!("{amount}年"),
    }
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
            assert_eq!(PaperType::from_code(p.code()), Some(*p));
        }
        assert_eq!(PaperType::ALL.len(), 11);
        assert_eq!(ApplicantType::ALL.len(), 5);
        assert_eq!(time_limit_text(5, TimeUnit::WorkingDays), "5个工作日");
        assert_eq!(time_limit_text(0, TimeUnit::WorkingDays), "当场办结");
        assert_eq!(time_limit_text(2, TimeUnit::Months), "2个月");
    }
}
