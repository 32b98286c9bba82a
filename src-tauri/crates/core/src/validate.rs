//! Field-level validation of what the clerk enters. Every problem names the field (its JSON
//! name and its Chinese label) and says how to fix it; validation never changes the input.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::dict::PaperType;
use crate::idcard;
use crate::model::{CatalogItem, FieldError, IntakeForm};

/// The Chinese label of an intake field.
pub fn label(field: &str) -> &'static str {
    match field {
        "dept_ql_reg_no" => "办理事项",
        "applicant_type" => "申请人类型",
        "applicant_name" => "申请人姓名",
        "applicant_paper_type" => "证件类型",
        "applicant_paper_code" => "证件号码",
        "applicant_mobile" => "手机号码",
        "applicant_address" => "联系地址",
        "delivery_method" => "送达方式",
        "materiallist" => "收取材料",
        _ => "输入项",
    }
}

fn err(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    let field = field.into();
    let base = field.split('[').next().unwrap_or_default().to_string();
    FieldError {
        label: label(&base).to_string(),
        field,
        message: message.into(),
    }
}

/// GB 32100-2015 unified social credit code: 18 characters from the code set
/// `0-9 A-H J-N P-R T U W-Y`, the last a MOD 31 check character.
pub fn uscc_is_valid(code: &str) -> bool {
    const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let code = code.trim();
    if code.chars().count() != 18 {
        return false;
    }
    let values: Option<Vec<u32>> = code
        .chars()
        .map(|c| CHARSET.find(c).map(|i| i as u32))
        .collect();
    let Some(values) = values else { return false };
    let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31 == values[17]
}

/// A mainland mobile number: 11 digits, 1 then 3–9.
pub fn mobile_is_valid(mobile: &str) -> bool {
    let b = mobile.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// Checks a name for printing: not empty, not too long, no digits or control characters, and
/// every character present in the notice font.
fn name_problem(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return Some("请填写申请人姓名".into());
    }
    if name.chars().count() > 50 {
        return Some("姓名过长，最多50个字".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || c.is_ascii_digit() || "<>{}[]@#$%^&*_=+|\\/;:\"".contains(*c))
    {
        return Some(format!("姓名中不应含有字符“{c}”，请核对"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !yichuang_pdf::font_covers(&c.to_string()))
    {
        return Some(format!(
            "姓名中的“{c}”无法在文书上打印，请核对是否录入了正确的汉字"
        ));
    }
    None
}

/// Validates an intake against the catalog. Returns every problem; empty means valid.
/// `for_acceptance` also requires every required material: a receipt, a rejection or a
/// supplement request may be issued with materials missing.
pub fn validate_intake(
    form: &IntakeForm,
    catalog: &[CatalogItem],
    today: NaiveDate,
    for_acceptance: bool,
) -> Vec<FieldError> {
    let mut errors = Vec::new();

    let item = if form.dept_ql_reg_no.trim().is_empty() {
        errors.push(err("dept_ql_reg_no", "请选择办理事项"));
        None
    } else {
        let found = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == form.dept_ql_reg_no.trim());
        if found.is_none() {
            errors.push(err(
                "dept_ql_reg_no",
                format!(
                    "事项编码“{}”不在本大厅的事项目录中，请从目录中重新选择",
                    form.dept_ql_reg_no.trim()
                ),
            ));
        }
        found
    };

    if let Some(problem) = name_problem(&form.applicant_name) {
        errors.push(err("applicant_name", problem));
    }

    let code = form.applicant_paper_code.trim();
    if code.is_empty() {
        errors.push(err("applicant_paper_code", "请填写证件号码"));
    } else if form.applicant_paper_type == PaperType::IdCard {
        if let Err(e) = idcard::validate(code, today) {
            errors.push(err("applicant_paper_code", e.to_string()));
        }
    } else if code.chars().count() > 50
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '(' || c == ')')
    {
        errors.push(err(
            "applicant_paper_code",
            "证件号码只能包含字母、数字和连字符，最多50位",
        ));
    }

    let mobile = form.applicant_mobile.trim();
    if mobile.is_empty() {
        errors.push(err("applicant_mobile", "请填写手机号码"));
    } else if !mobile_is_valid(mobile) {
        errors.push(err(
            "applicant_mobile",
            "手机号码应为11位数字，以1开头、第二位为3至9",
        ));
    }

    if form.applicant_address.chars().count() > 200 {
        errors.push(err("applicant_address", "联系地址过长，最多200个字"));
    }

    if let Some(item) = item {
        if !item.delivery_methods.contains(&form.delivery_method) {
            errors.push(err(
                "delivery_method",
                format!(
                    "本事项不支持“{}”，请重新选择送达方式",
                    form.delivery_method.label()
                ),
            ));
        }
        let mut received = HashSet::new();
        for (i, m) in form.materiallist.iter().enumerate() {
            let found = item.materials.iter().find(|c| {
                (!m.no.is_empty() && c.no == m.no)
                    || (m.no.is_empty() && c.sj_file_name == m.sj_file_name.trim())
            });
            match found {
                None => errors.push(err(
                    format!("materiallist[{i}]"),
                    format!(
                        "材料“{}”不在本事项的材料目录中",
                        if m.no.is_empty() {
                            &m.sj_file_name
                        } else {
                            &m.no
                        }
                    ),
                )),
                Some(c) => {
                    if !received.insert(c.no.clone()) {
                        errors.push(err(
                            format!("materiallist[{i}]"),
                            format!("材料“{}”重复录入", c.sj_file_name),
                        ));
                    }
                    if m.sj_no == 0 || m.sj_no > 99 {
                        errors.push(err(
                            format!("materiallist[{i}].sj_no"),
                            format!("材料“{}”的份数应为1至99", c.sj_file_name),
                        ));
                    }
                }
            }
        }
        let missing: Vec<&str> = item
            .materials
            .iter()
            .filter(|c| c.sj_file_if && !received.contains(&c.no))
            .map(|c| c.sj_file_name.as_str())
            .collect();
        if for_acceptance && !missing.is_empty() {
            errors.push(err(
                "materiallist",
                format!(
                    "必须材料未收齐：{}。请收齐后受理，或出具补齐补正通知书",
                    missing.join("、")
                ),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogFile;
    use crate::dict::DeliveryMethod;
    use crate::model::MaterialReceipt;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn good_form(item: &CatalogItem) -> IntakeForm {
        IntakeForm {
            dept_ql_reg_no: item.dept_ql_reg_no.clone(),
            applicant_type: crate::dict::ApplicantType::NaturalPerson,
            applicant_name: "王喆".into(),
            applicant_paper_type: PaperType::IdCard,
            applicant_paper_code: "11010519491231002X".into(),
            applicant_mobile: "13912345678".into(),
            applicant_address: String::new(),
            delivery_method: item.delivery_methods[0],
            materiallist: item
                .materials
                .iter()
                .filter(|m| m.sj_file_if)
                .map(|m| MaterialReceipt {
                    no: m.no.clone(),
                    sj_file_name: String::new(),
                    sj_no: m.sj_no,
                })
                .collect(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn uscc_check_character() {
        assert!(uscc_is_valid("91350100M000100Y43"));
        assert!(!uscc_is_valid("91350100M000100Y44"));
        assert!(!uscc_is_valid("91350100M000100Y4"));
        assert!(!uscc_is_valid("91350100M000100I43")); // I is not in the code set
    }

    #[test]
    fn mobile_numbers() {
        assert!(mobile_is_valid("13912345678"));
        assert!(mobile_is_valid("19912345678"));
        assert!(!mobile_is_valid("12912345678"));
        assert!(!mobile_is_valid("1391234567"));
        assert!(!mobile_is_valid("1391234567a"));
    }

    #[test]
    fn a_complete_form_is_valid() {
        let cat = CatalogFile::sample().unwrap();
        let form = good_form(&cat.items[0]);
        assert_eq!(validate_intake(&form, &cat.items, today(), true), vec![]);
    }

    #[test]
    fn wrong_check_digit_is_named_at_the_field() {
        let cat = CatalogFile::sample().unwrap();
        let mut form = good_form(&cat.items[0]);
        form.applicant_paper_code = "110105194912310021".into();
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert_eq!(fields(&errors), ["applicant_paper_code"]);
        assert_eq!(errors[0].label, "证件号码");
        assert!(errors[0].message.contains("校验码"));
    }

    #[test]
    fn missing_required_fields_are_all_reported() {
        let cat = CatalogFile::sample().unwrap();
        let mut form = good_form(&cat.items[0]);
        form.applicant_name = "  ".into();
        form.applicant_paper_code = String::new();
        form.applicant_mobile = String::new();
        form.materiallist.clear();
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert_eq!(
            fields(&errors),
            [
                "applicant_name",
                "applicant_paper_code",
                "applicant_mobile",
                "materiallist"
            ]
        );
        assert!(errors[3].message.contains("必须材料未收齐"));
    }

    #[test]
    fn unknown_item_code_is_refused() {
        let cat = CatalogFile::sample().unwrap();
        let mut form = good_form(&cat.items[0]);
        form.dept_ql_reg_no = "0000000000000000000000000000000".into();
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert_eq!(fields(&errors), ["dept_ql_reg_no"]);
        assert!(errors[0].message.contains("不在本大厅的事项目录中"));
    }

    #[test]
    fn other_paper_types_are_not_checked_as_resident_ids() {
        let cat = CatalogFile::sample().unwrap();
        let mut form = good_form(&cat.items[0]);
        form.applicant_paper_type = PaperType::Passport;
        form.applicant_paper_code = "E12345678".into();
        assert!(validate_intake(&form, &cat.items, today(), true).is_empty());
        form.applicant_paper_code = "E1234 5678".into();
        assert_eq!(
            fields(&validate_intake(&form, &cat.items, today(), true)),
            ["applicant_paper_code"]
        );
    }

    #[test]
    fn materials_must_exist_once_with_sane_copies() {
        let cat = CatalogFile::sample().unwrap();
        let item = &cat.items[0];
        let mut form = good_form(item);
        let first = form.materiallist[0].clone();
        form.materiallist.push(first);
        form.materiallist.push(MaterialReceipt {
            no: "NOPE".into(),
            sj_file_name: String::new(),
            sj_no: 1,
        });
        form.materiallist[0].sj_no = 0;
        let errors = validate_intake(&form, &cat.items, today(), true);
        let n = form.materiallist.len();
        assert_eq!(
            fields(&errors),
            [
                "materiallist[0].sj_no".to_string(),
                format!("materiallist[{}]", n - 2),
                format!("materiallist[{}]", n - 1)
            ]
        );
        // Materials may also be named instead of numbered.
        let mut form = good_form(item);
        for m in &mut form.materiallist {
            m.sj_file_name = item
                .materials
                .iter()
                .find(|c| c.no == m.no)
                .unwrap()
                .sj_file_name
                .clone();
            m.no.clear();
        }
        assert!(validate_intake(&form, &cat.items, today(), true).is_empty());
    }

    #[test]
    fn names_must_be_printable() {
        let cat = CatalogFile::sample().unwrap();
        let mut form = good_form(&cat.items[0]);
        for ok in ["李堃", "王玥", "阿依古丽·买买提", "张珺犇"] {
            form.applicant_name = ok.into();
            assert!(
                validate_intake(&form, &cat.items, today(), true).is_empty(),
                "{ok}"
            );
        }
        form.applicant_name = "张3".into();
        assert_eq!(
            fields(&validate_intake(&form, &cat.items, today(), true)),
            ["applicant_name"]
        );
        form.applicant_name = "张😀".into();
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert!(errors[0].message.contains("无法在文书上打印"));
    }

    #[test]
    fn delivery_method_must_be_offered_by_the_item() {
        let cat = CatalogFile::sample().unwrap();
        let Some(item) = cat.items.iter().find(|i| i.delivery_methods.len() < 3) else {
            return;
        };
        let missing = [
            DeliveryMethod::WindowPickup,
            DeliveryMethod::Post,
            DeliveryMethod::Electronic,
        ]
        .into_iter()
        .find(|d| !item.delivery_methods.contains(d))
        .unwrap();
        let mut form = good_form(item);
        form.delivery_method = missing;
        assert_eq!(
            fields(&validate_intake(&form, &cat.items, today(), true)),
            ["delivery_method"]
        );
    }
}
