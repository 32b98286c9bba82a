//! The trainers' demo: a desk filled with realistic cases in every state, spread over the past
//! weeks, made of generated identities (never a real person's data), with the demo hall's logo
//! and seal, and a watermark on every document it issues.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, FixedOffset, Timelike, Weekday};

use crate::Desk;
use crate::dict::{ApplicantType, PaperType};
use crate::error::Result;
use crate::idcard::testdata;
use crate::model::*;
use crate::time::FixedClock;

/// Printed across every document of a demo desk.
pub const WATERMARK: &str = "培训演示 · 非正式文书";
pub const DEMO_LOGO: &[u8] = include_bytes!("../../../../assets/branding/demo-logo.png");
pub const DEMO_SEAL: &[u8] = include_bytes!("../../../../assets/branding/demo-seal.png");

const COMPANIES: &[&str] = &[
    "乌鲁木齐天山区雪莲餐饮有限公司",
    "新疆天池商贸有限责任公司",
    "乌鲁木齐红山物业服务有限公司",
    "新疆博格达建筑工程有限公司",
    "乌鲁木齐丝路文化传媒有限公司",
];

/// Fills the desk in `data_dir` for a training session, once: `now` is the session's start.
/// Returns how many cases were made (0 when the desk was already seeded). Deterministic for a
/// given `seed`.
pub async fn seed(data_dir: &Path, now: DateTime<FixedOffset>, seed: u64) -> Result<usize> {
    let desk = Desk::open_with_clock(data_dir, Arc::new(FixedClock(now))).await?;
    if desk.store.setting("demo_seeded").await?.is_some() {
        return Ok(0);
    }
    desk.set_demo(true).await?;
    let mut profile = desk.profile().await?;
    profile.clerk_name = "培训学员".into();
    profile.window_no = "01".into();
    desk.set_profile(profile).await?;
    desk.set_hall_image(HallImage::Logo, Some(DEMO_LOGO))
        .await?;
    desk.set_hall_image(HallImage::Seal, Some(DEMO_SEAL))
        .await?;
    crate::accounts::seed_demo_accounts(&desk).await?;

    let catalog = desk.catalog().await?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut made = 0;
    for i in 0..40 {
        let item = &catalog[rng.usize(..catalog.len())];
        // A working-hours moment 1 to 30 days ago, then the steps that followed.
        let mut at = work_time(now - Duration::days(rng.i64(1..=30)), &mut rng);
        let organisation = item.org_name.contains("市场监督管理") && rng.bool();
        let form = demo_form(item, organisation, &mut rng);
        let on = |t| Desk::open_with_clock(data_dir, Arc::new(FixedClock(t)));
        let roll = rng.u32(0..100);
        let first = if roll < 60 {
            IntakeDecision::Accept
        } else if roll < 72 {
            IntakeDecision::Receive
        } else if roll < 88 {
            IntakeDecision::RequestSupplement {
                request: supplement_request(item, &mut rng),
            }
        } else {
            IntakeDecision::Reject {
                reason: "申请事项不属于本机关职权范围，请向户籍所在地民政部门申请".into(),
            }
        };
        let out = on(at).await?.intake_with(&form, &first).await?;
        made += 1;
        let no = out.project_no;
        // Later steps, a day or two apart, never past `now`.
        let later = |rng: &mut fastrand::Rng, at: &mut DateTime<FixedOffset>| {
            let next = work_time(*at + Duration::days(rng.i64(1..=3)), rng);
            if next < now {
                *at = next;
                true
            } else {
                false
            }
        };
        if first == IntakeDecision::Accept && item.promise > 0 {
            match i % 6 {
                0 if later(&mut rng, &mut at) => {
                    let special = CaseAction::Suspend {
                        special_name: ["现场勘验", "专家评审", "听证"][rng.usize(..3)].into(),
                        reason: "依法需进行特别程序，所需时间不计入办理时限".into(),
                    };
                    on(at).await?.apply(&no, &special).await?;
                }
                1 if later(&mut rng, &mut at) => {
                    let request = CaseAction::RequestSupplement {
                        request: supplement_request(item, &mut rng),
                    };
                    on(at).await?.apply(&no, &request).await?;
                }
                2 if later(&mut rng, &mut at) => {
                    let extend = CaseAction::Extend {
                        amount: item.promise.div_ceil(2).max(1),
                        reason: "情况复杂，经本机关负责人批准延长".into(),
                    };
                    on(at).await?.apply(&no, &extend).await?;
                }
                // The department's result came back through the hub; some were handed over.
                3 | 4 if later(&mut rng, &mut at) => {
                    let desk = on(at).await?;
                    let env = crate::inbox::Envelope {
                        msgid: format!("demo-result-{i}"),
                        seq: 0,
                        interface: "pushFinishProjectInfo".into(),
                        project_no: no.clone(),
                    };
                    let result = crate::inbox::HubInstruction::Result {
                        status: crate::dict::HandleResult::Approved,
                        result_no: format!("XK{}{:04}", at.format("%Y%m%d"), i),
                        note: "准予许可".into(),
                        resultname: "批准".into(),
                        handleusername: "部门审批人".into(),
                        create_date: crate::time::spec_time(&at),
                    };
                    desk.apply_incoming(&env, Ok(result)).await?;
                    // Most applicants rate the service (满意度, B.10) at the counter; no draw
                    // from `rng`, so the rest of the demo stays as it was.
                    use crate::dict::Satisfaction::*;
                    let ratings = [VerySatisfied, Satisfied, VerySatisfied, Neutral, Satisfied];
                    if i % 5 != 2 {
                        desk.record_satisfaction(&no, ratings[(i / 6) % 5], "培训学员")
                            .await?;
                    }
                    if i % 6 == 4 && later(&mut rng, &mut at) {
                        let recipient = form.applicant_name.clone();
                        on(at)
                            .await?
                            .apply(&no, &CaseAction::HandOver { recipient })
                            .await?;
                    }
                }
                _ => {}
            }
        }
        if matches!(first, IntakeDecision::RequestSupplement { .. })
            && rng.bool()
            && later(&mut rng, &mut at)
        {
            let brought = item
                .materials
                .iter()
                .filter(|m| m.sj_file_if)
                .map(|m| MaterialReceipt {
                    no: m.no.clone(),
                    sj_file_name: String::new(),
                    sj_no: m.sj_no,
                })
                .collect();
            let desk = on(at).await?;
            desk.apply(
                &no,
                &CaseAction::CompleteSupplement {
                    materiallist: brought,
                },
            )
            .await?;
            if rng.bool() {
                desk.apply(&no, &CaseAction::Accept).await?;
            }
        }
    }
    // The seeded history reached the hub on the days it happened; its notifications were read.
    let mut tx = desk.store.write().await?;
    sqlx::query("UPDATE outbox SET status = 'delivered', delivered_at = created_at")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE cases SET cd_sign = '1',
            cd_time = replace(replace(replace(updated_at, '-', ''), ' ', ''), ':', '')",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE notifications SET read_at = created_at")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    desk.store.set_setting("demo_seeded", "1").await?;
    Ok(made)
}

/// A moment in working hours on the nearest weekday on or before `t`'s day.
fn work_time(t: DateTime<FixedOffset>, rng: &mut fastrand::Rng) -> DateTime<FixedOffset> {
    let mut t = t;
    while matches!(t.weekday(), Weekday::Sat | Weekday::Sun) {
        t -= Duration::days(1);
    }
    t.with_hour(rng.u32(9..17))
        .and_then(|t| t.with_minute(rng.u32(0..60)))
        .and_then(|t| t.with_second(rng.u32(0..60)))
        .unwrap_or(t)
}

fn demo_form(item: &CatalogItem, organisation: bool, rng: &mut fastrand::Rng) -> IntakeForm {
    let mut party = PartyDetails::default();
    let (applicant_type, name, paper_type, code) = if organisation {
        party.oper_man_name = testdata::random_name(rng);
        party.linkman_name = testdata::random_name(rng);
        party.linkman_paper_code = testdata::random_id(rng);
        party.linkman_mobile = testdata::random_mobile(rng);
        (
            ApplicantType::EnterpriseLegalPerson,
            COMPANIES[rng.usize(..COMPANIES.len())].to_string(),
            PaperType::BusinessLicense,
            testdata::random_uscc(rng),
        )
    } else {
        (
            ApplicantType::NaturalPerson,
            testdata::random_name(rng),
            PaperType::IdCard,
            testdata::random_id(rng),
        )
    };
    IntakeForm {
        dept_ql_reg_no: item.dept_ql_reg_no.clone(),
        applicant_type,
        applicant_name: name,
        applicant_paper_type: paper_type,
        applicant_paper_code: code,
        applicant_mobile: testdata::random_mobile(rng),
        applicant_address: format!(
            "乌鲁木齐市天山区{}路{}号",
            ["解放南", "新华北", "中山", "人民"][rng.usize(..4)],
            rng.u32(1..300)
        ),
        party,
        delivery_method: item.delivery_methods[0],
        situations: vec![],
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

fn supplement_request(item: &CatalogItem, rng: &mut fastrand::Rng) -> SupplementRequest {
    let m = &item.materials[rng.usize(..item.materials.len())];
    SupplementRequest {
        materials: vec![SupplementItem {
            no: m.no.clone(),
            sj_file_name: m.sj_file_name.clone(),
            reason: [
                "复印件不清晰，请提供清晰复印件",
                "缺少原件，请携带原件核验",
                "材料已过有效期",
            ][rng.usize(..3)]
            .into(),
        }],
        limit_days: 5,
        opinion: String::new(),
    }
}
