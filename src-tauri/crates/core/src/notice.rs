//! What each counter document says. The layout engine is `yichuang-pdf`; this module decides
//! the content, so the rules of seed 003 (which fields a notice must carry) live here.

use chrono::NaiveDateTime;

use yichuang_pdf::{DocumentSpec, Table};

use crate::model::{CaseRecord, DeskProfile, NoticeKind};
use crate::time::chinese_date;

/// Builds the document for `kind`. Seed 003 五(二)1(2)③: an acceptance notice carries the
/// case number, acceptance time, accepting department, clerk, promised time limit, the
/// materials received, the delivery method and a QR code.
pub fn build(kind: NoticeKind, case: &CaseRecord, desk: &DeskProfile) -> DocumentSpec {
    match kind {
        NoticeKind::Acceptance => acceptance(case, desk),
    }
}

fn accepted_on(case: &CaseRecord) -> String {
    NaiveDateTime::parse_from_str(&case.acceptdate, "%Y-%m-%d %H:%M:%S")
        .map(|t| chinese_date(t.date()))
        .unwrap_or_else(|_| case.acceptdate.clone())
}

fn acceptance(case: &CaseRecord, desk: &DeskProfile) -> DocumentSpec {
    let on = accepted_on(case);
    DocumentSpec {
        hall_name: desk.hall_name.clone(),
        title: NoticeKind::Acceptance.title().to_string(),
        doc_no: Some(format!("办件编号：{}", case.project_no)),
        addressee: Some(format!("{}：", case.applicant_name)),
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
        fields: vec![
            ("办件编号".into(), case.project_no.clone()),
            ("事项名称".into(), case.dept_ql_name.clone()),
            ("申请人".into(), case.applicant_name.clone()),
            (
                "证件号码".into(),
                format!(
                    "{}（{}）",
                    crate::idcard::mask(&case.applicant_paper_code),
                    case.applicant_paper_type.label()
                ),
            ),
            ("受理部门".into(), case.org_name.clone()),
            ("受理时间".into(), case.acceptdate.clone()),
            (
                "窗口人员".into(),
                format!("{}（{}号窗口）", case.acceptusername, case.window_no),
            ),
            ("承诺办结时限".into(), case.promise_text.clone()),
            ("送达方式".into(), case.delivery_method.label().to_string()),
        ],
        table: Some(Table {
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
        }),
        qr_payload: Some(case.project_no.clone()),
        qr_caption: Some("扫码调取办件".into()),
        closing: vec![
            "请妥善保管本通知书，凭此查询办理进度、领取办理结果。".into(),
            "扫描右侧二维码或报办件编号即可调取本办件。".into(),
        ],
        signature: vec![case.org_name.clone(), "（受理专用章）".into(), on],
        watermark: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::*;
    use crate::model::*;

    pub(crate) fn sample_case() -> CaseRecord {
        CaseRecord {
            project_no: format!("{}{}", "0001050010001165010200000000X0", "0202611220001"),
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
            state: CaseState::Accepted,
            acceptdate: "2026-11-22 10:30:00".into(),
            acceptusername: "李玥".into(),
            window_no: "03".into(),
            promise: 5,
            promise_type: TimeUnit::WorkingDays,
            promise_text: "5个工作日".into(),
            delivery_method: DeliveryMethod::WindowPickup,
            materials: vec![CaseMaterial {
                ord: 1,
                no: "M01".into(),
                sj_file_name: "居民身份证".into(),
                sj_no: 1,
                form: MaterialForm::Original,
                sj_file_if: true,
            }],
            documents: vec![],
            history: vec![],
        }
    }

    #[test]
    fn acceptance_notice_carries_every_required_field() {
        let desk = DeskProfile {
            hall_name: "乌鲁木齐市天山区政务服务中心".into(),
            area_no: "650102".into(),
            window_no: "03".into(),
            clerk_name: "李玥".into(),
        };
        let case = sample_case();
        let doc = build(NoticeKind::Acceptance, &case, &desk);
        let labels: Vec<&str> = doc.fields.iter().map(|(l, _)| l.as_str()).collect();
        for required in [
            "办件编号",
            "受理时间",
            "受理部门",
            "窗口人员",
            "承诺办结时限",
            "送达方式",
        ] {
            assert!(labels.contains(&required), "missing {required}");
        }
        assert_eq!(doc.qr_payload.as_deref(), Some(case.project_no.as_str()));
        let table = doc.table.unwrap();
        assert_eq!(table.rows[0][1], "居民身份证");
        // The ID number is masked on paper.
        assert!(
            doc.fields
                .iter()
                .any(|(_, v)| v.starts_with("110105********002X"))
        );
        assert_eq!(doc.signature.last().unwrap(), "2026年11月22日");
    }
}
