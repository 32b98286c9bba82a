//! Field-level validation of what the clerk enters. Every problem names the field (its JSON
//! name and its Chinese label) and says how to fix it; validation never changes the input.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::idcard;
use yichuang_types::catalog::CatalogItem;
use yichuang_types::dict::PaperType;
use yichuang_types::error::FieldError;
use yichuang_types::intake::IntakeForm;

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
        "applicant_phone" => "联系电话",
        "applicant_zipcode" => "邮政编码",
        "applicant_email" => "电子邮箱",
        "applicant_code" => "组织机构代码",
        "oper_man_name" => "法定代表人姓名",
        "oper_man_code" => "法定代表人身份证号",
        "linkman_name" => "经办人姓名",
        "linkman_paper_type" => "经办人证件类型",
        "linkman_paper_code" => "经办人证件号码",
        "linkman_mobile" => "经办人手机",
        "delivery_method" => "送达方式",
        "situations" => "办理情形",
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
    let code = code.trim();
    code.chars().count() == 18
        && code.is_ascii()
        && uscc_check_char(&code[..17]) == code.chars().nth(17)
        && USCC_CHARSET.contains(&code[17..])
}

const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The GB 32100 check character (MOD 31) of the first 17 characters of a unified social credit
/// code, or `None` if they are not 17 characters of the code set.
pub fn uscc_check_char(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let values: Vec<u32> = first17
        .chars()
        .map(|c| USCC_CHARSET.find(c).map(|i| i as u32))
        .collect::<Option<_>>()?;
    if values.len() != 17 {
        return None;
    }
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    USCC_CHARSET.chars().nth(((31 - sum % 31) % 31) as usize)
}

/// A mainland mobile number: 11 digits, 1 then 3–9.
pub fn mobile_is_valid(mobile: &str) -> bool {
    let b = mobile.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// A postal code: six digits.
pub fn zipcode_is_valid(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// An e-mail address as counters meet them: one `@`, a local part of printable ASCII without
/// spaces, and a domain of at least two dot-separated labels of letters, digits and hyphens.
pub fn email_is_valid(email: &str) -> bool {
    if email.len() > 254 {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}

/// A landline as written at a counter: digits with optional hyphens or an area code in
/// parentheses, 7 to 20 characters, such as 0991-2345678 or (0991)2345678-806.
pub fn phone_is_valid(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&phone.chars().count())
        && digits >= 7
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || "-()（）".contains(c))
}

/// The 组织机构代码 embedded in a unified social credit code (characters 9–17).
pub fn org_code_from_uscc(uscc: &str) -> Option<String> {
    uscc_is_valid(uscc).then(|| uscc.trim().chars().skip(8).take(9).collect())
}

/// Checks a name for printing: not empty, not too long, no control or markup characters, and
/// every character present in the notice font. A person's name has no digits; an
/// organisation's may (第一中学, 3号楼).
fn name_problem(name: &str, what: &str, organisation: bool) -> Option<String> {
    let name = name.trim();
    let max = if organisation { 100 } else { 50 };
    if name.is_empty() {
        return Some(format!("请填写{what}"));
    }
    if name.chars().count() > max {
        return Some(format!("{what}过长，最多{max}个字"));
    }
    if let Some(c) = name.chars().find(|c| {
        c.is_control()
            || (!organisation && c.is_ascii_digit())
            || "<>{}[]@#$%^&*_=+|\\/;:\"".contains(*c)
    }) {
        return Some(format!("{what}中不应含有字符“{c}”，请核对"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !yichuang_pdf::font_covers(&c.to_string()))
    {
        return Some(format!(
            "{what}中的“{c}”无法在文书上打印，请核对是否录入了正确的汉字"
        ));
    }
    None
}

/// Checks an identity document number of a person.
fn person_id_problem(kind: PaperType, code: &str, today: NaiveDate) -> Option<String> {
    if code.is_empty() {
        return Some("请填写证件号码".into());
    }
    if kind.is_for_organisations() {
        return Some(format!(
            "“{}”不是个人证件，请选择身份证、护照等",
            kind.label()
        ));
    }
    if kind == PaperType::IdCard {
        return idcard::validate(code, today).err().map(|e| e.to_string());
    }
    other_number_problem(code)
}

fn other_number_problem(code: &str) -> Option<String> {
    (code.chars().count() > 50
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '(' || c == ')'))
    .then(|| "证件号码只能包含字母、数字和连字符，最多50位".into())
}

/// The materials an intake must bring for acceptance: the item's required ones and those of
/// every situation chosen.
pub fn required_materials<'a>(
    item: &'a CatalogItem,
    situations: &[String],
) -> Vec<&'a yichuang_types::catalog::CatalogMaterial> {
    let extra: HashSet<&str> = item
        .situations
        .iter()
        .filter(|s| situations.iter().any(|c| c.trim() == s.code))
        .flat_map(|s| s.material_nos.iter().map(String::as_str))
        .collect();
    item.materials
        .iter()
        .filter(|m| m.sj_file_if || extra.contains(m.no.as_str()))
        .collect()
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

    let organisation = form.applicant_type.is_organisation();
    let what = if organisation {
        "申请单位名称"
    } else {
        "申请人姓名"
    };
    if let Some(problem) = name_problem(&form.applicant_name, what, organisation) {
        errors.push(err("applicant_name", problem));
    }

    let code = form.applicant_paper_code.trim();
    let kind = form.applicant_paper_type;
    if !organisation && kind.is_for_organisations() {
        errors.push(err(
            "applicant_paper_type",
            format!(
                "“{}”是单位证件：自然人请选择身份证、护照等；单位申请请把申请人类型改为法人或其他组织",
                kind.label()
            ),
        ));
    } else if !organisation {
        if let Some(problem) = person_id_problem(kind, code, today) {
            errors.push(err("applicant_paper_code", problem));
        }
    } else if !matches!(
        kind,
        PaperType::BusinessLicense | PaperType::RegistrationCertificate | PaperType::Other
    ) {
        errors.push(err(
            "applicant_paper_type",
            format!(
                "“{}”为法人及其他组织，证件类型请选择营业执照、注册证书或其他",
                form.applicant_type.label()
            ),
        ));
    } else if code.is_empty() {
        errors.push(err(
            "applicant_paper_code",
            "请填写统一社会信用代码（18位）",
        ));
    } else if kind == PaperType::BusinessLicense || code.chars().count() == 18 {
        if !uscc_is_valid(code) {
            errors.push(err("applicant_paper_code", uscc_problem(code)));
        }
    } else if let Some(problem) = other_number_problem(code) {
        errors.push(err("applicant_paper_code", problem));
    }
    party_problems(form, organisation, today, &mut errors);

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

    for (i, code) in form.situations.iter().enumerate() {
        if let Some(item) = item
            && !item.situations.iter().any(|s| s.code == code.trim())
        {
            errors.push(err(
                format!("situations[{i}]"),
                format!("情形“{code}”不属于本事项，请重新选择"),
            ));
        }
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
        let missing: Vec<&str> = required_materials(item, &form.situations)
            .into_iter()
            .filter(|c| !received.contains(&c.no))
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

/// Why a unified social credit code is wrong, as precisely as can be said.
fn uscc_problem(code: &str) -> String {
    const CHARSET: &str = USCC_CHARSET;
    let n = code.chars().count();
    if n != 18 {
        return format!("统一社会信用代码应为18位，现为{n}位");
    }
    if let Some(c) = code.chars().find(|c| !CHARSET.contains(*c)) {
        return if c.is_ascii_lowercase() {
            format!("统一社会信用代码中的“{c}”应为大写字母")
        } else {
            format!("统一社会信用代码中不能含有“{c}”（不使用I、O、Z、S、V）")
        };
    }
    "统一社会信用代码校验位不正确，请逐位核对营业执照".into()
}

/// Contact details, the legal representative and the agent.
fn party_problems(
    form: &IntakeForm,
    organisation: bool,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) {
    let p = &form.party;
    let phone = p.applicant_phone.trim();
    if !phone.is_empty() && !phone_is_valid(phone) {
        errors.push(err(
            "applicant_phone",
            "联系电话只能包含数字、连字符和括号（7至20位），如0991-2345678",
        ));
    }
    let zip = p.applicant_zipcode.trim();
    if !zip.is_empty() && !zipcode_is_valid(zip) {
        errors.push(err("applicant_zipcode", "邮政编码应为6位数字，如830000"));
    }
    let email = p.applicant_email.trim();
    if !email.is_empty() && !email_is_valid(email) {
        errors.push(err(
            "applicant_email",
            "电子邮箱格式不正确，应如name@example.com",
        ));
    }
    let org_code = p.applicant_code.trim();
    if !org_code.is_empty()
        && (org_code.chars().count() != 9
            || !org_code
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()))
    {
        errors.push(err(
            "applicant_code",
            "组织机构代码应为9位数字或大写字母，可留空由统一社会信用代码自动生成",
        ));
    }

    if organisation && let Some(problem) = name_problem(&p.oper_man_name, "法定代表人姓名", false)
    {
        errors.push(err("oper_man_name", problem));
    }
    let rep_id = p.oper_man_code.trim();
    if !rep_id.is_empty()
        && let Err(e) = idcard::validate(rep_id, today)
    {
        errors.push(err("oper_man_code", e.to_string()));
    }

    // The agent: required for an organisation (a person must stand at the counter), optional
    // for a natural person, and complete once any part of it is given.
    if organisation || p.has_linkman() {
        if let Some(problem) = name_problem(&p.linkman_name, "经办人姓名", false) {
            errors.push(err("linkman_name", problem));
        }
        if let Some(problem) =
            person_id_problem(p.linkman_paper_type, p.linkman_paper_code.trim(), today)
        {
            let problem = problem.replace("证件号码", "经办人证件号码");
            let field = if p.linkman_paper_type.is_for_organisations() {
                "linkman_paper_type"
            } else {
                "linkman_paper_code"
            };
            errors.push(err(field, problem));
        }
        let mobile = p.linkman_mobile.trim();
        if !mobile.is_empty() && !mobile_is_valid(mobile) {
            errors.push(err(
                "linkman_mobile",
                "经办人手机应为11位数字，以1开头、第二位为3至9",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogFile;
    use yichuang_types::dict::DeliveryMethod;
    use yichuang_types::intake::MaterialReceipt;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn good_form(item: &CatalogItem) -> IntakeForm {
        IntakeForm::natural_person(item, "王喆", "11010519491231002X")
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
            share: None,
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

    fn organisation_form(item: &CatalogItem) -> IntakeForm {
        let mut form = good_form(item);
        form.applicant_type = yichuang_types::dict::ApplicantType::EnterpriseLegalPerson;
        form.applicant_name = "乌鲁木齐市天山区第1食品有限公司".into();
        form.applicant_paper_type = PaperType::BusinessLicense;
        form.applicant_paper_code = "91350100M000100Y43".into();
        form.party.oper_man_name = "马建国".into();
        form.party.linkman_name = "古丽娜尔".into();
        form.party.linkman_paper_code = "650102199001010025".into();
        form
    }

    #[test]
    fn uscc_edge_cases() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..200 {
            let code = idcard::testdata::random_uscc(&mut rng);
            assert!(uscc_is_valid(&code), "{code}");
            assert_eq!(org_code_from_uscc(&code).unwrap().len(), 9);
        }
        // Lower case, the letters GB 32100 leaves out, and non-ASCII never pass.
        assert!(!uscc_is_valid("91350100m000100y43"));
        assert!(!uscc_is_valid("91350100M000100O43"));
        assert!(!uscc_is_valid("９1350100M000100Y43"));
        assert!(!uscc_is_valid(""));
        assert_eq!(
            org_code_from_uscc("91350100M000100Y43").as_deref(),
            Some("M000100Y4")
        );
        assert_eq!(
            uscc_problem("91350100M000100Y4"),
            "统一社会信用代码应为18位，现为17位"
        );
        assert!(uscc_problem("91350100m000100Y43").contains("应为大写字母"));
        assert!(uscc_problem("91350100M000100I43").contains("不能含有“I”"));
        assert!(uscc_problem("91350100M000100Y44").contains("校验位"));
    }

    #[test]
    fn postal_codes_emails_and_landlines() {
        for ok in ["830000", "100101", "000000"] {
            assert!(zipcode_is_valid(ok), "{ok}");
        }
        for bad in ["83000", "8300001", "83000a", "８３００００", ""] {
            assert!(!zipcode_is_valid(bad), "{bad}");
        }
        for ok in [
            "wang.zhe@example.com",
            "a+b@mail.example.org.cn",
            "13912345678@139.com",
            "x_y-z@sub-domain.example.cn",
        ] {
            assert!(email_is_valid(ok), "{ok}");
        }
        for bad in [
            "wang.zhe",
            "@example.com",
            "wang@",
            "wang@example",
            "wang@@example.com",
            "wang zhe@example.com",
            "wang@example..com",
            ".wang@example.com",
            "wang@-example.com",
            "王喆@example.com",
            "wang@example.c0m",
        ] {
            assert!(!email_is_valid(bad), "{bad}");
        }
        for ok in [
            "0991-2345678",
            "(0991)2345678",
            "（0991）2345678-806",
            "2345678",
        ] {
            assert!(phone_is_valid(ok), "{ok}");
        }
        for bad in ["123456", "0991 2345678", "0991-234567a", "--------"] {
            assert!(!phone_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn contact_fields_are_checked_only_when_given() {
        let cat = CatalogFile::sample().unwrap();
        let mut form = good_form(&cat.items[0]);
        form.party.applicant_zipcode = "8300".into();
        form.party.applicant_email = "wang@example".into();
        form.party.applicant_phone = "0991 2345678".into();
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert_eq!(
            fields(&errors),
            ["applicant_phone", "applicant_zipcode", "applicant_email"]
        );
        assert_eq!(errors[1].label, "邮政编码");
        assert!(errors[2].message.contains("name@example.com"));
    }

    #[test]
    fn a_legal_person_needs_a_valid_code_a_representative_and_an_agent() {
        let cat = CatalogFile::sample().unwrap();
        let item = &cat.items[0];
        let form = organisation_form(item);
        assert_eq!(validate_intake(&form, &cat.items, today(), true), vec![]);

        let mut bad = form.clone();
        bad.applicant_paper_code = "91350100M000100Y44".into();
        bad.party.oper_man_name.clear();
        bad.party.linkman_name.clear();
        bad.party.linkman_paper_code.clear();
        let errors = validate_intake(&bad, &cat.items, today(), true);
        assert_eq!(
            fields(&errors),
            [
                "applicant_paper_code",
                "oper_man_name",
                "linkman_name",
                "linkman_paper_code"
            ]
        );
        assert!(errors[0].message.contains("校验位"));
        assert_eq!(errors[1].label, "法定代表人姓名");
        assert!(errors[1].message.contains("请填写法定代表人姓名"));

        // A legal person does not show a resident ID card.
        let mut bad = form.clone();
        bad.applicant_paper_type = PaperType::IdCard;
        assert_eq!(
            fields(&validate_intake(&bad, &cat.items, today(), true)),
            ["applicant_paper_type"]
        );
        // A natural person does not show a business licence.
        let mut bad = good_form(item);
        bad.applicant_paper_type = PaperType::BusinessLicense;
        let errors = validate_intake(&bad, &cat.items, today(), true);
        assert_eq!(fields(&errors), ["applicant_paper_type"]);
        assert!(errors[0].message.contains("单位证件"));
        // Registration certificates of other organisations may carry older numbers.
        let mut other = form.clone();
        other.applicant_type = yichuang_types::dict::ApplicantType::PublicInstitution;
        other.applicant_paper_type = PaperType::RegistrationCertificate;
        other.applicant_paper_code = "事证第1234号".into();
        assert_eq!(
            fields(&validate_intake(&other, &cat.items, today(), true)),
            ["applicant_paper_code"]
        );
        other.applicant_paper_code = "12650100-458".into();
        assert!(validate_intake(&other, &cat.items, today(), true).is_empty());
    }

    #[test]
    fn an_agent_for_a_natural_person_is_complete_once_begun() {
        let cat = CatalogFile::sample().unwrap();
        let mut form = good_form(&cat.items[0]);
        form.party.linkman_mobile = "13800000000".into();
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert_eq!(fields(&errors), ["linkman_name", "linkman_paper_code"]);
        assert_eq!(errors[1].message, "请填写经办人证件号码");
        form.party.linkman_name = "张伟".into();
        form.party.linkman_paper_code = "650102199001010026".into();
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert_eq!(fields(&errors), ["linkman_paper_code"]);
        assert!(errors[0].message.contains("校验码"));
        form.party.linkman_paper_code = "650102199001010033".into();
        form.party.linkman_mobile = "1380000000".into();
        assert_eq!(
            fields(&validate_intake(&form, &cat.items, today(), true)),
            ["linkman_mobile"]
        );
    }

    #[test]
    fn a_chosen_situation_requires_its_materials() {
        let cat = CatalogFile::sample().unwrap();
        let item = cat.items.iter().find(|i| !i.situations.is_empty()).unwrap();
        let situation = &item.situations[0];
        let mut form = good_form(item);
        assert!(validate_intake(&form, &cat.items, today(), true).is_empty());
        form.situations = vec![situation.code.clone()];
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert_eq!(fields(&errors), ["materiallist"]);
        let extra = item
            .materials
            .iter()
            .find(|m| m.no == situation.material_nos[0])
            .unwrap();
        assert!(errors[0].message.contains(&extra.sj_file_name));
        // A receipt may still be issued without them.
        assert!(validate_intake(&form, &cat.items, today(), false).is_empty());
        for no in &situation.material_nos {
            form.materiallist.push(MaterialReceipt {
                no: no.clone(),
                sj_file_name: String::new(),
                sj_no: 1,
                share: None,
            });
        }
        assert!(validate_intake(&form, &cat.items, today(), true).is_empty());
        form.situations.push("S99".into());
        let errors = validate_intake(&form, &cat.items, today(), true);
        assert_eq!(fields(&errors), ["situations[1]"]);
        assert_eq!(errors[0].label, "办理情形");
    }
}
