//! The counter workflow through the real store: receipt, acceptance, rejection, supplements,
//! withdrawal, the history of each case, its documents, and case numbers across desks.

use std::collections::HashSet;
use std::process::Command;

use yichuang_core::dict::{ApplicantType, PaperType};
use yichuang_core::idcard::testdata;
use yichuang_core::model::*;
use yichuang_core::{CoreError, Desk};
use yichuang_testkit::catalog::item_with_two_materials as item;
use yichuang_testkit::{Person, desk_at, for_item};

/// An intake of `item` by the applicant seeded with `seed`: every required material, or only
/// the first.
fn form(item: &CatalogItem, seed: u64, all_required: bool) -> IntakeForm {
    let mut f = for_item(item, &Person::seeded(seed));
    if !all_required {
        f.materiallist.truncate(1);
    }
    f
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is required by the tests: run .ci/setup");
    String::from_utf8(out.stdout).unwrap()
}

fn actions(case: &CaseRecord) -> Vec<&str> {
    case.history.iter().map(|e| e.action.as_str()).collect()
}

#[tokio::test]
async fn receive_then_accept() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    let item = item(&desk).await;
    let out = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&form(&item, 1, true), &IntakeDecision::Receive)
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::Received);
    assert_eq!(out.document, Some(NoticeKind::Receipt));
    assert!(out.case.acceptdate.is_empty());
    let text = pdf_text(
        &desk
            .notice_pdf(&out.project_no, NoticeKind::Receipt)
            .await
            .unwrap(),
    );
    assert!(
        text.contains("收件凭证")
            && text.contains("不代表已受理")
            && text.contains(&out.project_no)
    );

    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(&out.project_no, &CaseAction::Accept)
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::Accepted);
    assert_eq!(out.case.acceptdate, "2026-11-23 09:00:00");
    assert_eq!(actions(&out.case), ["收件", "受理"]);
    assert_eq!(out.case.history[1].from_state, Some(CaseState::Received));
    let kinds: Vec<NoticeKind> = out.case.documents.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [NoticeKind::Receipt, NoticeKind::Acceptance]);
    assert_eq!(out.case.documents[0].doc_no, "收字〔2026〕第01-00001号");
    assert_eq!(out.case.documents[1].doc_no, "受字〔2026〕第01-00001号");
}

#[tokio::test]
async fn supplement_then_resume_by_number_then_accept() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-09-30T16:00:00+08:00").await;
    let item = item(&desk).await;
    let missing = item
        .materials
        .iter()
        .filter(|m| m.sj_file_if)
        .nth(1)
        .unwrap()
        .clone();
    let request = SupplementRequest {
        materials: vec![SupplementItem {
            no: missing.no.clone(),
            sj_file_name: String::new(),
            reason: "未提供原件".into(),
        }],
        limit_days: 5,
        opinion: String::new(),
    };
    // The applicant brought every required material but one.
    let mut incomplete = form(&item, 2, true);
    incomplete.materiallist.retain(|m| m.no != missing.no);
    // Accepting with a required material missing is refused and names the material.
    let err = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&incomplete, &IntakeDecision::Accept)
        .await
        .unwrap_err();
    let CoreError::Validation(errors) = err else {
        panic!()
    };
    assert!(errors[0].message.contains(&missing.sj_file_name));

    let out = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&incomplete, &IntakeDecision::RequestSupplement { request })
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::SupplementRequested);
    // 5 working days from 30 September 2026 across National Day: 8, 9, 10 (Saturday, worked), 12, 13.
    assert_eq!(out.case.supplements[0].due_date, "2026-10-13");
    assert_eq!(out.case.supplements[0].sj_file_name, missing.sj_file_name);
    let text = pdf_text(
        &desk
            .notice_pdf(&out.project_no, NoticeKind::Supplement)
            .await
            .unwrap(),
    );
    for expected in [
        "补齐补正通知书",
        out.project_no.as_str(),
        &missing.sj_file_name,
        "未提供原件",
        "2026年10月13日",
        &item.org_name,
    ] {
        assert!(
            text.contains(expected),
            "supplement notice lacks {expected}:\n{text}"
        );
    }

    // Not acceptable while waiting.
    let err = desk
        .clerk()
        .await
        .unwrap()
        .apply(&out.project_no, &CaseAction::Accept)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "不允许的操作：办件当前为“待补正”，不能受理"
    );

    // The applicant returns; the clerk calls the case up by its number (as a QR scan types it).
    let found = desk.list_cases(Some(&out.project_no), None).await.unwrap();
    assert_eq!(found.len(), 1);
    let brought = vec![MaterialReceipt {
        no: missing.no.clone(),
        sj_file_name: String::new(),
        sj_no: 1,
        share: None,
    }];
    let done = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &out.project_no,
            &CaseAction::CompleteSupplement {
                materiallist: brought,
            },
        )
        .await
        .unwrap();
    assert_eq!(done.case.state, CaseState::SupplementDone);
    assert!(done.case.supplements[0].done_at.is_some());
    assert!(done.case.materials.iter().any(|m| m.no == missing.no));

    let accepted = desk
        .clerk()
        .await
        .unwrap()
        .apply(&out.project_no, &CaseAction::Accept)
        .await
        .unwrap();
    assert_eq!(accepted.case.state, CaseState::Accepted);
    assert_eq!(actions(&accepted.case), ["补齐补正", "补正完成", "受理"]);
}

#[tokio::test]
async fn rejection_needs_a_reason_and_is_final() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T10:00:00+08:00").await;
    let item = item(&desk).await;
    let received = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&form(&item, 3, false), &IntakeDecision::Receive)
        .await
        .unwrap();
    let no = received.project_no;

    let err = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::Reject {
                reason: "  ".into(),
            },
        )
        .await
        .unwrap_err();
    let CoreError::Validation(errors) = err else {
        panic!()
    };
    assert_eq!(errors[0].field, "reason");

    let reason = "申请事项依法不属于本机关职权范围";
    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::Reject {
                reason: reason.into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::Rejected);
    assert_eq!(out.case.history.last().unwrap().opinion, reason);
    let text = pdf_text(&desk.notice_pdf(&no, NoticeKind::Rejection).await.unwrap());
    for expected in [
        "不予受理通知书",
        no.as_str(),
        reason,
        &item.org_name,
        "2026-11-23 10:00:00",
    ] {
        assert!(
            text.contains(expected),
            "rejection notice lacks {expected}:\n{text}"
        );
    }

    for action in [
        CaseAction::Accept,
        CaseAction::Withdraw { reason: "x".into() },
    ] {
        let err = desk
            .clerk()
            .await
            .unwrap()
            .apply(&no, &action)
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::Conflict(_)), "{err:?}");
    }
    // A refused action changes nothing.
    assert_eq!(desk.get_case(&no).await.unwrap().history.len(), 2);
}

#[tokio::test]
async fn withdrawal_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T10:00:00+08:00").await;
    let item = item(&desk).await;
    let out = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&form(&item, 4, true), &IntakeDecision::Accept)
        .await
        .unwrap();
    let err = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &out.project_no,
            &CaseAction::Withdraw {
                reason: String::new(),
            },
        )
        .await;
    assert!(matches!(err, Err(CoreError::Validation(_))));
    let w = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &out.project_no,
            &CaseAction::Withdraw {
                reason: "申请人书面申请撤回".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(w.case.state, CaseState::Withdrawn);
    assert_eq!(w.case.materials, out.case.materials);
    assert_eq!(w.case.documents.len(), 1);
    assert!(
        desk.notice_pdf(&out.project_no, NoticeKind::Acceptance)
            .await
            .is_ok()
    );
    assert!(matches!(
        desk.clerk()
            .await
            .unwrap()
            .apply("NOPE", &CaseAction::Accept)
            .await,
        Err(CoreError::NotFound(_))
    ));
}

/// Two desks of one hall accept offline, on the same item, on the same day. Each numbers
/// from its own block, so no number collides when their cases meet.
#[tokio::test]
async fn two_offline_desks_never_collide() {
    let a_dir = tempfile::tempdir().unwrap();
    let b_dir = tempfile::tempdir().unwrap();
    let when = "2026-11-23T11:00:00+08:00";
    let a = desk_at(a_dir.path(), when).await;
    let b = desk_at(b_dir.path(), when).await;
    for (desk, index, window) in [(&a, 1, "01"), (&b, 2, "02")] {
        let mut p = desk.profile().await.unwrap();
        p.desk_index = index;
        p.desk_count = 2;
        p.window_no = window.into();
        desk.set_profile(p).await.unwrap();
    }
    let item = item(&a).await;
    let mut numbers = HashSet::new();
    let mut docs = HashSet::new();
    for i in 0..30u64 {
        for desk in [&a, &b] {
            let out = desk
                .clerk()
                .await
                .unwrap()
                .intake_with(&form(&item, i, true), &IntakeDecision::Accept)
                .await
                .unwrap();
            assert!(
                numbers.insert(out.project_no.clone()),
                "{} collided",
                out.project_no
            );
            assert!(docs.insert(out.case.documents[0].doc_no.clone()));
        }
    }
    assert_eq!(numbers.len(), 60);
    // Desk 1 draws from 0001–4999, desk 2 from 5000–9998.
    let seqs = |prefix: &str| -> Vec<u32> {
        let mut v: Vec<u32> = numbers
            .iter()
            .filter(|n| n.starts_with(prefix))
            .map(|n| n[39..].parse().unwrap())
            .collect();
        v.sort();
        v
    };
    let all = seqs(&format!("{}20261123", item.dept_ql_reg_no));
    assert_eq!(all.iter().filter(|s| **s <= 4999).count(), 30);
    assert_eq!(all.first(), Some(&1));
    assert_eq!(all.iter().find(|s| **s > 4999), Some(&5000));
}

#[tokio::test]
async fn a_desk_refuses_numbers_outside_its_block() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T11:00:00+08:00").await;
    let mut p = desk.profile().await.unwrap();
    p.desk_count = 99;
    p.desk_index = 99; // block 9899–9999 with 101 numbers per desk per item and day
    desk.set_profile(p.clone()).await.unwrap();
    p.desk_index = 100;
    assert!(matches!(
        desk.set_profile(p).await,
        Err(CoreError::Validation(_))
    ));
    let item = item(&desk).await;
    let first = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&form(&item, 9, true), &IntakeDecision::Accept)
        .await
        .unwrap();
    assert!(first.project_no.ends_with("9899"), "{}", first.project_no);
}

#[tokio::test]
async fn returning_applicants_are_offered_from_the_local_store() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    let item = item(&desk).await;
    let mut f = form(&item, 11, true);
    f.applicant_address = "乌鲁木齐市天山区人民路1号".into();
    assert_eq!(
        desk.known_applicant(&f.applicant_paper_code).await.unwrap(),
        None
    );
    desk.clerk()
        .await
        .unwrap()
        .intake_with(&f, &IntakeDecision::Receive)
        .await
        .unwrap();
    f.applicant_mobile = "13800000000".into();
    desk.clerk()
        .await
        .unwrap()
        .intake_with(&f, &IntakeDecision::Accept)
        .await
        .unwrap();
    let known = desk
        .known_applicant(&f.applicant_paper_code.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(known.applicant_name, f.applicant_name);
    assert_eq!(
        known.applicant_mobile, "13800000000",
        "the latest case's details win"
    );
    assert_eq!(known.applicant_address, "乌鲁木齐市天山区人民路1号");
    assert_eq!(known.cases, 2);
    // A prefix is not enough: lookup is by the whole number only.
    assert_eq!(
        desk.known_applicant(&f.applicant_paper_code[..17])
            .await
            .unwrap(),
        None
    );
}

/// An item promised in working days, with at least two required materials.
async fn working_day_item(desk: &Desk) -> CatalogItem {
    desk.catalog()
        .await
        .unwrap()
        .into_iter()
        .find(|i| {
            i.promise >= 5
                && i.promise_type == yichuang_core::dict::TimeUnit::WorkingDays
                && i.materials.iter().filter(|m| m.sj_file_if).count() >= 2
        })
        .unwrap()
}

#[tokio::test]
async fn pauses_and_extensions_move_the_promised_date() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 2 November 2026: no holidays near.
    let desk = desk_at(dir.path(), "2026-11-02T10:00:00+08:00").await;
    let mut item = working_day_item(&desk).await;
    item.promise = 5;
    let no = {
        // Fix the promised limit at 5 working days, through the admin's export and import.
        let mut cat: serde_json::Value =
            serde_json::from_str(&desk.export_catalog_json().await.unwrap()).unwrap();
        for i in cat["items"].as_array_mut().unwrap() {
            if i["dept_ql_reg_no"] == item.dept_ql_reg_no.as_str() {
                i["promise"] = 5.into();
            }
        }
        desk.import_catalog(&cat.to_string()).await.unwrap();
        desk.clerk()
            .await
            .unwrap()
            .intake_with(&form(&item, 21, true), &IntakeDecision::Accept)
            .await
            .unwrap()
            .project_no
    };
    let case = desk.get_case(&no).await.unwrap();
    // 3, 4, 5, 6, 9 November.
    assert_eq!(case.promised_date.as_deref(), Some("2026-11-09"));
    assert!(!case.clock_paused);
    let text = pdf_text(&desk.notice_pdf(&no, NoticeKind::Acceptance).await.unwrap());
    assert!(text.contains("2026年11月9日前"), "{text}");

    // A hearing from Wednesday 4th; on Thursday the clock still stands.
    let desk = desk_at(dir.path(), "2026-11-04T09:00:00+08:00").await;
    let err = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::Suspend {
                special_name: "听证".into(),
                reason: String::new(),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, CoreError::Validation(ref e) if e[0].field == "reason"));
    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::Suspend {
                special_name: "听证".into(),
                reason: "涉及申请人与他人之间重大利益关系，申请人申请听证".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::Suspended);
    let desk = desk_at(dir.path(), "2026-11-05T15:00:00+08:00").await;
    let case = desk.get_case(&no).await.unwrap();
    assert!(case.clock_paused);
    assert_eq!(case.promised_date.as_deref(), Some("2026-11-11"));
    // Nothing but the end of the procedure (or a withdrawal) while it runs.
    let err = desk
        .clerk()
        .await
        .unwrap()
        .apply(&no, &CaseAction::Accept)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("特别程序中"), "{err}");

    // It ends on Friday 6th: 4th and 5th did not count.
    let desk = desk_at(dir.path(), "2026-11-06T11:00:00+08:00").await;
    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::Resume {
                result: "听证结束，同意继续审查".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::Accepted);
    assert!(!out.case.clock_paused);
    assert_eq!(out.case.promised_date.as_deref(), Some("2026-11-11"));
    let hearing = &out.case.clock[0];
    assert_eq!(hearing.kind, ClockKind::Special);
    assert_eq!(hearing.special_name, "听证");
    assert_eq!(hearing.ended_at.as_deref(), Some("2026-11-06 11:00:00"));
    assert_eq!(hearing.result, "听证结束，同意继续审查");

    // 延长审批 by 3 working days: no more than the limit itself, and with a reason.
    for (amount, reason, field) in [(6, "情况复杂", "amount"), (3, "", "reason")] {
        let err = desk
            .clerk()
            .await
            .unwrap()
            .apply(
                &no,
                &CaseAction::Extend {
                    amount,
                    reason: reason.into(),
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::Validation(ref e) if e[0].field == field));
    }
    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::Extend {
                amount: 3,
                reason: "情况复杂，经负责人批准延长".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(out.case.promised_date.as_deref(), Some("2026-11-16"));

    // A supplement after acceptance pauses the clock too: Tuesday 10th to Thursday 12th.
    let desk = desk_at(dir.path(), "2026-11-10T09:30:00+08:00").await;
    let m = &item.materials[0];
    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::RequestSupplement {
                request: SupplementRequest {
                    materials: vec![SupplementItem {
                        no: m.no.clone(),
                        sj_file_name: m.sj_file_name.clone(),
                        reason: "复印件不清晰".into(),
                    }],
                    limit_days: 5,
                    opinion: String::new(),
                },
            },
        )
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::AwaitingSupplement);
    assert!(out.case.clock_paused);
    let text: String = pdf_text(&desk.notice_pdf(&no, NoticeKind::Supplement).await.unwrap())
        .split_whitespace()
        .collect();
    assert!(
        text.contains("已于2026年11月2日受理") && text.contains("暂停计算办理时限"),
        "{text}"
    );
    let desk = desk_at(dir.path(), "2026-11-12T16:00:00+08:00").await;
    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::CompleteSupplement {
                materiallist: vec![MaterialReceipt {
                    no: m.no.clone(),
                    sj_file_name: String::new(),
                    sj_no: m.sj_no,
                    share: None,
                }],
            },
        )
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::Accepted);
    assert_eq!(out.case.promised_date.as_deref(), Some("2026-11-18"));
    let kinds: Vec<ClockKind> = out.case.clock.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ClockKind::Special,
            ClockKind::Extension,
            ClockKind::Supplement
        ]
    );
    assert_eq!(
        actions(&out.case),
        [
            "受理",
            "启动特别程序",
            "结束特别程序",
            "延长审批",
            "补齐补正",
            "补正完成"
        ]
    );
}

#[tokio::test]
async fn a_legal_person_with_an_agent_is_sealed_and_printed() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    let item = item(&desk).await;
    let mut rng = fastrand::Rng::with_seed(99);
    let mut f = form(&item, 31, true);
    f.applicant_type = ApplicantType::EnterpriseLegalPerson;
    f.applicant_name = "乌鲁木齐天山区雪莲餐饮有限公司".into();
    f.applicant_paper_type = PaperType::BusinessLicense;
    f.applicant_paper_code = testdata::random_uscc(&mut rng);
    f.party.oper_man_name = "马建国".into();
    f.party.linkman_name = testdata::random_name(&mut rng);
    f.party.linkman_paper_code = testdata::random_id(&mut rng);
    f.party.linkman_mobile = testdata::random_mobile(&mut rng);
    f.party.applicant_email = "office@xuelian.example.cn".into();
    f.party.applicant_zipcode = "830002".into();

    // Without the legal representative nothing is stored, and the message names the field.
    let mut missing = f.clone();
    missing.party.oper_man_name.clear();
    let err = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&missing, &IntakeDecision::Accept)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("法定代表人姓名"), "{err}");
    assert!(desk.list_cases(None, None).await.unwrap().is_empty());

    let out = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&f, &IntakeDecision::Accept)
        .await
        .unwrap();
    let case = &out.case;
    assert_eq!(case.applicant_type, ApplicantType::EnterpriseLegalPerson);
    assert_eq!(case.party.oper_man_name, "马建国");
    assert_eq!(case.party.linkman_paper_code, f.party.linkman_paper_code);
    assert_eq!(case.party.applicant_code, &f.applicant_paper_code[8..17]);
    let text = pdf_text(
        &desk
            .notice_pdf(&out.project_no, NoticeKind::Acceptance)
            .await
            .unwrap(),
    );
    for needle in [
        "申请单位",
        "雪莲餐饮有限公司",
        "统一社会信用代码",
        f.applicant_paper_code.as_str(),
        "法定代表人",
        "马建国",
        "经办人",
        f.party.linkman_name.as_str(),
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    // The agent's ID number is masked on paper and sealed at rest.
    assert!(!text.contains(&f.party.linkman_paper_code));
    drop(desk);
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        if entry.path().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            for secret in [&f.party.linkman_paper_code, &f.party.linkman_mobile] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{secret} in plain text in {}",
                    entry.path().display()
                );
            }
        }
    }

    // The returning applicant's agent and representative are offered too.
    let desk = desk_at(dir.path(), "2026-11-24T09:00:00+08:00").await;
    let known = desk
        .known_applicant(&f.applicant_paper_code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(known.party.oper_man_name, "马建国");
    assert_eq!(known.party.linkman_name, f.party.linkman_name);
}

#[tokio::test]
async fn every_document_is_kept_and_found_by_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    let item = item(&desk).await;
    let m = &item.materials[0];
    let request = |reason: &str| SupplementRequest {
        materials: vec![SupplementItem {
            no: m.no.clone(),
            sj_file_name: m.sj_file_name.clone(),
            reason: reason.into(),
        }],
        limit_days: 5,
        opinion: String::new(),
    };
    let no = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(
            &form(&item, 41, true),
            &IntakeDecision::RequestSupplement {
                request: request("第一次：缺少原件"),
            },
        )
        .await
        .unwrap()
        .project_no;
    let back = vec![MaterialReceipt {
        no: m.no.clone(),
        sj_file_name: String::new(),
        sj_no: m.sj_no,
        share: None,
    }];
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::CompleteSupplement {
                materiallist: back.clone(),
            },
        )
        .await
        .unwrap();
    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::RequestSupplement {
                request: request("第二次：复印件模糊"),
            },
        )
        .await
        .unwrap();
    let supplements: Vec<&DocumentInfo> = out
        .case
        .documents
        .iter()
        .filter(|d| d.kind == NoticeKind::Supplement)
        .collect();
    assert_eq!(supplements.len(), 2);
    assert_ne!(supplements[0].doc_no, supplements[1].doc_no);
    let (owner, kind, first) = desk.document_pdf(&supplements[0].doc_no).await.unwrap();
    assert_eq!(
        (owner.as_str(), kind),
        (no.as_str(), NoticeKind::Supplement)
    );
    let first = pdf_text(&first);
    assert!(
        first.contains("第一次：缺少原件") && !first.contains("第二次"),
        "{first}"
    );
    let (_, _, second) = desk.document_pdf(&supplements[1].doc_no).await.unwrap();
    assert!(pdf_text(&second).contains("第二次：复印件模糊"));
    // The latest of a kind is the second one.
    assert_eq!(
        desk.notice_pdf(&no, NoticeKind::Supplement).await.unwrap(),
        desk.document_pdf(&supplements[1].doc_no).await.unwrap().2
    );
    assert!(matches!(
        desk.document_pdf("补字〔2026〕第99-99999号").await,
        Err(CoreError::NotFound(_))
    ));
}

/// The signed-in clerk, not the desk profile's, is 窗口人员 on the notice, in the case and in
/// its history, with their own window number (issue 6).
#[tokio::test]
async fn the_signed_in_clerk_signs_the_notice_and_the_history() {
    use yichuang_core::accounts::{NewAccount, Permission, Role};
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    let profile = desk.profile().await.unwrap();
    assert_eq!(profile.clerk_name, "窗口工作人员");
    desk.bootstrap_admin("admin", "王管理", "Admin2026x")
        .await
        .unwrap();
    let admin = desk.sign_in("admin", "Admin2026x").await.unwrap();
    desk.create_account(
        &admin,
        &NewAccount {
            login: "clerk07".into(),
            display_name: "赵敏".into(),
            window_no: "07".into(),
            roles: vec![Role::Clerk],
            password: "Clerk2026x".into(),
        },
    )
    .await
    .unwrap();
    let session = desk.sign_in("clerk07", "Clerk2026x").await.unwrap();
    let actor = desk.authorize(&session, Permission::Intake).await.unwrap();
    let item = item(&desk).await;
    let out = desk
        .acting_as(actor.clone())
        .accept(&form(&item, 77, true))
        .await
        .unwrap();
    assert_eq!(out.case.acceptusername, "赵敏");
    assert_eq!(out.case.window_no, "07");
    let last = out.case.history.last().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.window_no.as_str()),
        ("赵敏", "07")
    );
    let text = pdf_text(
        &desk
            .notice_pdf(&out.project_no, NoticeKind::Acceptance)
            .await
            .unwrap(),
    );
    assert!(text.contains("赵敏"), "{text}");
    assert!(!text.contains("窗口工作人员"), "{text}");
    assert!(
        text.contains("第07-"),
        "the document number carries window 07: {text}"
    );

    // Printing is recorded as the person who printed (the dialog print needs no printer).
    desk.acting_as(actor)
        .record_dialog_print(&out.project_no, NoticeKind::Acceptance)
        .await
        .unwrap();
    let case = desk.get_case(&out.project_no).await.unwrap();
    let print = case.history.last().unwrap();
    assert_eq!(
        (print.action.as_str(), print.actor.as_str()),
        ("打印", "赵敏")
    );
}
