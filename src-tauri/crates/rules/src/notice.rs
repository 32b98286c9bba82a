//! What each counter document says. The layout engine is `yichuang-pdf`; this module decides
//! the content, so the rules of seed 003 (which fields a notice must carry) live here.

use chrono::NaiveDateTime;

use yichuang_pdf::{DocumentSpec, Table};

use yichuang_types::case::{CaseRecord, NoticeKind};
use yichuang_types::desk::DeskProfile;

/// Builds the document for `kind`, numbered `doc_no` (受理文书编号).
///
/// Seed 003 五(二)1(2)③ names what each carries:
/// - 受理通知书: case number, acceptance time, department, clerk, promised time limit, the
///   materials received, delivery method, and a QR code;
/// - 不予受理通知书: case number, time, department, clerk, and the reason;
/// - 补齐补正通知书: case number, time, department, clerk, time limit, and the materials to
///   supplement.
///
/// Every document also carries its number and a QR code of the case number, so the case can
/// be called up again by scanning any of them.
pub fn build(
    kind: NoticeKind,
    case: &CaseRecord,
    desk: &DeskProfile,
    doc_no: &str,
) -> DocumentSpec {
    let mut doc = match kind {
        NoticeKind::Receipt => receipt(case),
        NoticeKind::Acceptance => acceptance(case),
        NoticeKind::Rejection => rejection(case),
        NoticeKind::Supplement => supplement(case),
        NoticeKind::TemporaryReceipt => temporary_receipt(case),
    };
    doc.hall_name = desk.hall_name.clone();
    doc.title = kind.title().to_string();
    doc.doc_no = Some(format!("文书编号：{doc_no}"));
    doc.addressee = Some(format!("{}：", case.applicant_name));
    doc.qr_payload = Some(case.project_no.clone());
    doc.qr_caption = Some("扫码调取办件".into());
    doc
}

/// The seal placeholder in a signature, replaced by the seal image when the hall has one.
const SEAL_PLACEHOLDER: &str = "（受理专用章）";

/// Stamps `seal` (PNG) on the document: the image takes the place of the placeholder line.
pub fn stamp(doc: &mut DocumentSpec, seal: Vec<u8>) {
    doc.signature.retain(|l| l != SEAL_PLACEHOLDER);
    doc.seal = Some(seal);
}

/// The date of the latest step, as printed: 2026年11月22日.
fn day_of(at: &str) -> String {
    NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S")
        .map(|t| chinese_date(t.date()))
        .unwrap_or_else(|_| at.to_string())
}

fn last_step(case: &CaseRecord) -> (&str, &str) {
    case.history
        .last()
        .map(|e| (e.at.as_str(), e.opinion.as_str()))
        .unwrap_or((case.apply_date.as_str(), ""))
}

/// The rows every document starts with: case number, item, applicant and ID number; for an
/// organisation its code (public, not masked) and legal representative; the agent, if any.
fn head_fields(case: &CaseRecord) -> Vec<(String, String)> {
    let mut rows = vec![
        ("办件编号".into(), case.project_no.clone()),
        ("事项名称".into(), case.dept_ql_name.clone()),
    ];
    if case.applicant_type.is_organisation() {
        rows.push(("申请单位".into(), case.applicant_name.clone()));
        rows.push((
            if case.applicant_paper_type == yichuang_types::dict::PaperType::BusinessLicense {
                "统一社会信用代码".into()
            } else {
                format!("{}号码", case.applicant_paper_type.label())
            },
            case.applicant_paper_code.clone(),
        ));
        rows.push(("法定代表人".into(), case.party.oper_man_name.clone()));
    } else {
        rows.push(("申请人".into(), case.applicant_name.clone()));
        rows.push((
            "证件号码".into(),
            format!(
                "{}（{}）",
                crate::idcard::mask(&case.applicant_paper_code),
                case.applicant_paper_type.label()
            ),
        ));
    }
    if case.party.has_linkman() {
        rows.push((
            "经办人".into(),
            format!(
                "{}（{}：{}）",
                case.party.linkman_name,
                case.party.linkman_paper_type.label(),
                crate::idcard::mask(&case.party.linkman_paper_code)
            ),
        ));
    }
    rows
}

fn clerk_line(case: &CaseRecord) -> (String, String) {
    // The last step taken at a window: a department's step (through the hub) is no clerk.
    let last = case
        .history
        .iter()
        .rev()
        .find(|e| is_window_no(&e.window_no));
    let actor = last.map_or(case.acceptusername.as_str(), |e| e.actor.as_str());
    let window = last.map_or(case.window_no.as_str(), |e| e.window_no.as_str());
    let line = if is_window_no(window) {
        format!("{actor}（{window}号窗口）")
    } else {
        actor.to_string()
    };
    ("窗口人员".into(), line)
}

/// Whether `s` is a window's number (such as `08` or `A3`), not a name such as 办件中心.
fn is_window_no(s: &str) -> bool {
    !s.trim().is_empty()
        && s.trim()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The promised limit, with the promised date as it stands (extensions and paused clocks
/// included) where the case has one.
fn promise_line(case: &CaseRecord) -> String {
    if case.promise == 0 {
        return case.promise_text.clone();
    }
    match case
        .promised_date
        .as_deref()
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
    {
        Some(due) => format!("{}（{}前）", case.promise_text, chinese_date(due)),
        None => case.promise_text.clone(),
    }
}

/// The note a notice carries when one of its dates was counted over a year without an
/// official holiday arrangement: the applicant is told the date is an estimate.
fn estimate_rows(warnings: &[Option<&str>]) -> Vec<(String, String)> {
    let mut seen: Vec<&str> = Vec::new();
    for w in warnings.iter().flatten() {
        if !seen.contains(w) {
            seen.push(w);
        }
    }
    if seen.is_empty() {
        return vec![];
    }
    vec![("日期说明".into(), seen.join("；"))]
}

fn materials_table(case: &CaseRecord) -> Table {
    Table {
        headers: vec![
            "序号".into(),
            "收取材料".into(),
            "形式".into(),
            "份数".into(),
        ],
        rows: case
            .materials
            .iter()
            .map(|m| {
                vec![
                    m.ord.to_string(),
                    m.sj_file_name.clone(),
                    m.form.label().to_string(),
                    m.sj_no.to_string(),
                ]
            })
            .collect(),
        widths: vec![0.1, 0.58, 0.2, 0.12],
    }
}

fn receipt(case: &CaseRecord) -> DocumentSpec {
    DocumentSpec {
        paragraphs: vec![format!(
            "你（单位）于{}申请办理“{}”，本窗口已收取下列申请材料。",
            day_of(&case.apply_date),
            case.dept_ql_name
        )],
        fields: [
            head_fields(case),
            vec![
                ("收件部门".into(), case.org_name.clone()),
                ("收件时间".into(), case.apply_date.clone()),
                clerk_line(case),
            ],
        ]
        .concat(),
        table: Some(materials_table(case)),
        closing: vec![
            "本凭证仅证明已收取上述材料，不代表已受理；受理结果将另行告知。".into(),
            "扫描右侧二维码或报办件编号即可调取本办件。".into(),
        ],
        signature: vec![case.org_name.clone(), day_of(&case.apply_date)],
        ..DocumentSpec::default()
    }
}

fn acceptance(case: &CaseRecord) -> DocumentSpec {
    let on = day_of(&case.acceptdate);
    DocumentSpec {
        paragraphs: vec![format!(
            "你（单位）于{on}提出的“{}”申请，经审查，申请材料齐全、符合法定形式，本机关决定予以受理。\
             {}，办理结果以{}方式送达。",
            case.dept_ql_name,
            if case.promise == 0 {
                "本事项当场办结".to_string()
            } else {
                format!("承诺自受理之日起{}内办结", case.promise_text)
            },
            case.delivery_method.label()
        )],
        fields: [
            head_fields(case),
            vec![
                ("受理部门".into(), case.org_name.clone()),
                ("受理时间".into(), case.acceptdate.clone()),
                clerk_line(case),
                ("承诺办结时限".into(), promise_line(case)),
                ("送达方式".into(), case.delivery_method.label().to_string()),
            ],
            estimate_rows(&[case.promised_date_estimate.as_deref()]),
        ]
        .concat(),
        table: Some(materials_table(case)),
        closing: vec![
            "请妥善保管本通知书，凭此查询办理进度、领取办理结果。".into(),
            "扫描右侧二维码或报办件编号即可调取本办件。".into(),
        ],
        signature: vec![case.org_name.clone(), SEAL_PLACEHOLDER.into(), on],
        ..DocumentSpec::default()
    }
}

fn rejection(case: &CaseRecord) -> DocumentSpec {
    let (at, reason) = last_step(case);
    DocumentSpec {
        paragraphs: vec![
            format!(
                "你（单位）于{}提出的“{}”申请，经审查，本机关决定不予受理。理由如下：",
                day_of(&case.apply_date),
                case.dept_ql_name
            ),
            reason.to_string(),
        ],
        fields: [
            head_fields(case),
            vec![
            ("受理部门".into(), case.org_name.clone()),
            ("决定时间".into(), at.to_string()),
            clerk_line(case),
            ("不予受理原因".into(), reason.to_string()),
            ],
        ]
        .concat(),
        closing: vec![
            "如对本决定不服，可以自收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。".into(),
        ],
        signature: vec![case.org_name.clone(), SEAL_PLACEHOLDER.into(), day_of(at)],
        ..DocumentSpec::default()
    }
}

fn supplement(case: &CaseRecord) -> DocumentSpec {
    let (at, opinion) = last_step(case);
    let open: Vec<_> = case
        .supplements
        .iter()
        .filter(|s| s.done_at.is_none())
        .collect();
    let due = open
        .first()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s.due_date, "%Y-%m-%d").ok())
        .map(chinese_date)
        .unwrap_or_default();
    let accepted = !case.acceptdate.is_empty();
    let mut paragraphs = vec![if accepted {
        format!(
            "你（单位）申请的“{}”已于{}受理。经审查，需补齐补正下列材料，请于{due}前一次性补齐补正。\
             补齐补正期间暂停计算办理时限，自收到补正材料之日起恢复计算。",
            case.dept_ql_name,
            day_of(&case.acceptdate)
        )
    } else {
        format!(
            "你（单位）于{}提出的“{}”申请，经审查，申请材料不齐全或者不符合法定形式。\
             请于{due}前一次性补齐补正下列材料。逾期未补齐补正的，视为放弃本次申请。",
            day_of(&case.apply_date),
            case.dept_ql_name
        )
    }];
    if !opinion.trim().is_empty() {
        paragraphs.push(opinion.to_string());
    }
    DocumentSpec {
        paragraphs,
        fields: [
            head_fields(case),
            vec![
                ("受理部门".into(), case.org_name.clone()),
                ("告知时间".into(), at.to_string()),
                clerk_line(case),
                ("承诺办结时限".into(), promise_line(case)),
                ("补正时限".into(), format!("{due}前")),
            ],
            estimate_rows(&[
                case.promised_date_estimate.as_deref(),
                open.first().and_then(|s| s.due_estimate.as_deref()),
            ]),
        ]
        .concat(),
        table: Some(Table {
            headers: vec!["序号".into(), "需补齐补正的材料".into(), "补正原因".into()],
            rows: open
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    vec![
                        (i + 1).to_string(),
                        s.sj_file_name.clone(),
                        s.reason.clone(),
                    ]
                })
                .collect(),
            widths: vec![0.1, 0.45, 0.45],
        }),
        closing: vec![
            "补正时请携带本通知书，扫描右侧二维码或报办件编号即可调取本办件继续办理。".into(),
        ],
        signature: vec![case.org_name.clone(), day_of(at)],
        ..DocumentSpec::default()
    }
}

/// 临时回执 (seed 004): the case is submitted, but not accepted until the materials fetched
/// from departments are all in.
fn temporary_receipt(case: &CaseRecord) -> DocumentSpec {
    let shares: Vec<&yichuang_types::sharing::MaterialShare> = case
        .sharing
        .iter()
        .flat_map(|s| &s.shares)
        .filter(|s| {
            !matches!(
                s.status,
                yichuang_types::sharing::ShareStatus::Superseded
                    | yichuang_types::sharing::ShareStatus::Cancelled
            )
        })
        .collect();
    let submitted = case
        .sharing
        .as_ref()
        .map(|s| s.submitted_at.clone())
        .unwrap_or_else(|| case.apply_date.clone());
    DocumentSpec {
        paragraphs: vec![format!(
            "你（单位）于{}提出的“{}”申请已提交受理，部分材料由本窗口向材料提供部门调取（帮我传）。\
             材料全部调取到位后，本申请自动受理，受理通知书另行送达。",
            day_of(&submitted),
            case.dept_ql_name
        )],
        fields: [
            head_fields(case),
            vec![
                ("受理部门".into(), case.org_name.clone()),
                ("提交时间".into(), submitted.clone()),
                clerk_line(case),
                ("办件状态".into(), case.state.label().to_string()),
            ],
        ]
        .concat(),
        table: Some(Table {
            headers: vec![
                "序号".into(),
                "材料".into(),
                "收取方式".into(),
                "材料状态".into(),
            ],
            rows: case
                .materials
                .iter()
                .map(|m| {
                    let share = shares.iter().rev().find(|s| s.material_no == m.no);
                    vec![
                        m.ord.to_string(),
                        m.sj_file_name.clone(),
                        share.map_or("窗口收取", |s| s.method.label()).to_string(),
                        share.map_or("已收取", |s| s.status.label()).to_string(),
                    ]
                })
                .collect(),
            widths: vec![0.1, 0.46, 0.24, 0.2],
        }),
        closing: vec![
            "本回执为临时回执，不代表已受理；材料调取超时或缺失的，窗口将与你联系。".into(),
            "扫描右侧二维码或报办件编号即可查询办件进度。".into(),
        ],
        signature: vec![case.org_name.clone(), day_of(&submitted)],
        ..DocumentSpec::default()
    }
}

/// A date in the form notices print it: 2026年11月22日.
pub fn chinese_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;
    use yichuang_types::dict::*;
    use yichuang_types::{case::*, intake::*, outbox::*, sharing::*};

    #[test]
    fn a_window_number_is_not_a_name() {
        assert!(is_window_no("08"));
        assert!(is_window_no("A3"));
        assert!(!is_window_no("办件中心"));
        assert!(!is_window_no(" "));
    }

    fn sample_case() -> CaseRecord {
        CaseRecord {
            project_no: "000105001000116501020000000000X0202611230001".into(),
            dept_ql_reg_no: "0001050010001165010200000000X0".into(),
            dept_ql_name: "内地居民婚姻登记".into(),
            org_id: "11650102000000000X".into(),
            org_name: "乌鲁木齐市天山区民政局".into(),
            applicant_type: ApplicantType::NaturalPerson,
            applicant_name: "王喆".into(),
            applicant_paper_type: PaperType::IdCard,
            applicant_paper_code: "11010519491231002X".into(),
            applicant_mobile: "13912345678".into(),
            applicant_address: String::new(),
            party: PartyDetails::default(),
            situations: vec![],
            state: CaseState::Accepted,
            apply_date: "2026-09-30 10:00:00".into(),
            acceptdate: "2026-09-30 10:30:00".into(),
            acceptusername: "李玥".into(),
            window_no: "03".into(),
            promise: 5,
            promise_type: TimeUnit::WorkingDays,
            promise_text: "5个工作日".into(),
            promised_date: Some(
                WorkCalendar::shared()
                    .due_date(
                        chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
                        5,
                        TimeUnit::WorkingDays,
                    )
                    .to_string(),
            ),
            promised_date_estimate: None,
            supervision_orders: vec![],
            satisfaction: None,
            satisfaction_at: None,
            clock_paused: false,
            clock: vec![],
            delivery_method: DeliveryMethod::WindowPickup,
            materials: vec![CaseMaterial {
                ord: 1,
                no: "M01".into(),
                sj_file_name: "居民身份证".into(),
                sj_no: 1,
                form: MaterialForm::Original,
                sj_file_if: true,
                attachguid: None,
            }],
            supplements: vec![],
            documents: vec![],
            history: vec![CaseEvent {
                at: "2026-09-30 10:30:00".into(),
                actor: "李玥".into(),
                window_no: "03".into(),
                action: "受理".into(),
                from_state: None,
                to_state: CaseState::Accepted,
                opinion: String::new(),
            }],
            sync: CaseSync {
                state: SyncState::Local,
                pending: 0,
                last_error: String::new(),
                cd_sign: "0".into(),
                cd_time: String::new(),
            },
            result: None,
            hub_documents: Vec::new(),
            material_pages: Vec::new(),
            sharing: None,
        }
    }

    fn desk() -> DeskProfile {
        DeskProfile {
            hall_name: "乌鲁木齐市天山区政务服务中心".into(),
            area_no: "650102".into(),
            window_no: "03".into(),
            clerk_name: "李玥".into(),
            desk_index: 1,
            desk_count: 1,
            has_logo: false,
            has_seal: false,
            unified_intake: false,
        }
    }

    fn value<'a>(doc: &'a DocumentSpec, label: &str) -> &'a str {
        doc.fields
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no field {label}"))
    }

    #[test]
    fn acceptance_notice_carries_every_required_field() {
        let case = sample_case();
        let doc = build(
            NoticeKind::Acceptance,
            &case,
            &desk(),
            "受字〔2026〕第03-00001号",
        );
        for required in [
            "办件编号",
            "受理时间",
            "受理部门",
            "窗口人员",
            "承诺办结时限",
            "送达方式",
        ] {
            value(&doc, required);
        }
        assert_eq!(doc.title, "受理通知书");
        assert_eq!(
            doc.doc_no.as_deref(),
            Some("文书编号：受字〔2026〕第03-00001号")
        );
        assert_eq!(doc.qr_payload.as_deref(), Some(case.project_no.as_str()));
        assert_eq!(doc.table.as_ref().unwrap().rows[0][1], "居民身份证");
        // Masked on paper.
        assert_eq!(value(&doc, "证件号码"), "110105********002X（身份证）");
        // 5 working days from 30 September 2026 skip the National Day holiday (1–7 October)
        // and count Saturday 10 October, an adjusted working day: 8, 9, 10, 12, 13 October.
        assert_eq!(value(&doc, "承诺办结时限"), "5个工作日（2026年10月13日前）");
        assert_eq!(doc.signature.last().unwrap(), "2026年9月30日");
    }

    #[test]
    fn rejection_notice_carries_the_reason() {
        let mut case = sample_case();
        case.state = CaseState::Rejected;
        case.history[0].opinion = "申请人不属于本行政区域户籍，不属于本机关管辖".into();
        case.history[0].at = "2026-10-09 15:00:00".into();
        let doc = build(
            NoticeKind::Rejection,
            &case,
            &desk(),
            "不受字〔2026〕第03-00001号",
        );
        assert_eq!(value(&doc, "不予受理原因"), case.history[0].opinion);
        assert_eq!(value(&doc, "决定时间"), "2026-10-09 15:00:00");
        value(&doc, "受理部门");
        value(&doc, "窗口人员");
        assert!(doc.closing[0].contains("行政复议"));
        assert_eq!(doc.signature.last().unwrap(), "2026年10月9日");
    }

    #[test]
    fn supplement_notice_lists_the_materials_and_the_limit() {
        let mut case = sample_case();
        case.state = CaseState::SupplementRequested;
        case.supplements = vec![
            SupplementRecord {
                requested_at: "2026-10-09 15:00:00".into(),
                due_date: "2026-10-16".into(),
                no: "M02".into(),
                sj_file_name: "户口簿".into(),
                reason: "未提供原件".into(),
                done_at: None,
                due_estimate: None,
            },
            SupplementRecord {
                requested_at: "2026-01-01 09:00:00".into(),
                due_date: "2026-01-09".into(),
                no: "M09".into(),
                sj_file_name: "早已补正的材料".into(),
                reason: "旧".into(),
                done_at: Some("2026-01-05 09:00:00".into()),
                due_estimate: None,
            },
        ];
        let doc = build(
            NoticeKind::Supplement,
            &case,
            &desk(),
            "补字〔2026〕第03-00001号",
        );
        assert_eq!(value(&doc, "补正时限"), "2026年10月16日前");
        value(&doc, "承诺办结时限");
        let table = doc.table.unwrap();
        assert_eq!(
            table.rows,
            vec![vec!["1".to_string(), "户口簿".into(), "未提供原件".into()]]
        );
    }

    #[test]
    fn temporary_receipt_lists_each_material_with_its_collection_state() {
        let mut case = sample_case();
        case.state = CaseState::InAcceptance;
        case.acceptdate.clear();
        let no = case.materials[0].no.clone();
        let share = |status, method| MaterialShare {
            share_id: "s".into(),
            material_no: no.clone(),
            sj_file_name: "x".into(),
            method,
            status,
            dept_name: "公安局".into(),
            requested_at: "2026-09-30 10:00:00".into(),
            deadline: "2026-10-01 10:00:00".into(),
            sent: true,
            send_error: None,
            detail: String::new(),
            signed_out_by: None,
            updated_at: "2026-09-30 10:00:00".into(),
            file_name: None,
            file_size: None,
        };
        case.sharing = Some(CaseSharing {
            submitted_at: "2026-09-30 10:00:00".into(),
            abnormal: None,
            shares: vec![
                share(ShareStatus::Superseded, ShareMethod::Electronic),
                share(ShareStatus::AwaitingSignOut, ShareMethod::Paper),
            ],
        });
        let doc = build(
            NoticeKind::TemporaryReceipt,
            &case,
            &desk(),
            "临字〔2026〕第03-00001号",
        );
        assert_eq!(doc.title, "临时回执");
        assert_eq!(value(&doc, "办件状态"), "受理中");
        let row = &doc.table.unwrap().rows[0];
        assert_eq!(row[2], "纸档材料共享");
        assert_eq!(row[3], "待签出");
        assert!(doc.closing[0].contains("不代表已受理"));
    }

    #[test]
    fn receipt_says_it_is_not_an_acceptance() {
        let mut case = sample_case();
        case.state = CaseState::Received;
        case.acceptdate.clear();
        let doc = build(
            NoticeKind::Receipt,
            &case,
            &desk(),
            "收字〔2026〕第03-00001号",
        );
        assert_eq!(value(&doc, "收件时间"), "2026-09-30 10:00:00");
        assert!(doc.closing[0].contains("不代表已受理"));
        assert_eq!(doc.table.unwrap().rows.len(), 1);
    }
}
