//! The trainers' demo: a desk filled with realistic cases in every state, spread over the past
//! weeks, made of generated identities (never a real person's data), with the demo hall's logo
//! and seal, and a watermark on every document it issues.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, FixedOffset, Timelike, Weekday};

use crate::Desk;
use crate::dict::{ApplicantType, PaperType};
use crate::error::{CoreError, Result};
use crate::idcard::testdata;
use crate::model::*;
use crate::store;
use crate::time::FixedClock;

pub use crate::time::CLOCK_OFFSET_SETTING;
/// The desk setting holding when the demo was seeded (RFC 3339); its cases are anchored there.
pub const SEEDED_AT_SETTING: &str = "demo_seeded";
/// How far the clock may be moved forward in all: a year.
pub const MAX_CLOCK_OFFSET_SECS: i64 = 366 * 24 * 3600;
/// The seed of the demo's generated cases (the window uses it; a reset too).
pub const DEMO_SEED: u64 = 2026;

/// Tables a reset keeps: the desk's configuration and its people, not its cases.
const KEPT_TABLES: &[&str] = &[
    "settings",
    "catalog_items",
    "hall_images",
    "accounts",
    "sign_in_throttle",
    "sessions",
    "sync_lease",
    "_sqlx_migrations",
    "sqlite_sequence",
];

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

/// Reasons for 不予受理 at intake.
const REJECTIONS: &[&str] = &[
    "申请事项不属于本机关职权范围，请向有关行政机关申请",
    "申请人不具备申请资格",
    "申请材料不齐全且申请人不同意补正",
    "申请事项依法不需要取得行政许可",
];

/// Fills the desk in `data_dir` for a training session, once: `now` is the session's start.
/// Returns how many cases were made (0 when the desk was already seeded). Deterministic for a
/// given `seed`.
pub async fn seed(data_dir: &Path, now: DateTime<FixedOffset>, seed: u64) -> Result<usize> {
    let desk = Desk::open_with_clock(data_dir, Arc::new(FixedClock(now))).await?;
    if desk.store.setting(SEEDED_AT_SETTING).await?.is_some() {
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
    // Counters that spread the cases over the outcomes of their first step.
    let (mut received, mut supplemented) = (0u32, 0u32);
    let (mut overdue_kept, mut concluded_late) = (0u32, 0u32);
    for i in 0..40 {
        let item = &catalog[rng.usize(..catalog.len())];
        // A small hall's last two weeks: a working-hours moment 1 to 14 days ago, then the
        // steps that followed.
        let mut at = work_time(now - Duration::days(rng.i64(1..=14)), &mut rng);
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
                reason: REJECTIONS[rng.usize(..REJECTIONS.len())].into(),
            }
        };
        let out = on(at)
            .await?
            .clerk()
            .await?
            .intake_with(&form, &first)
            .await?;
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
                    on(at).await?.clerk().await?.apply(&no, &special).await?;
                }
                1 if later(&mut rng, &mut at) => {
                    let request = CaseAction::RequestSupplement {
                        request: supplement_request(item, &mut rng),
                    };
                    on(at).await?.clerk().await?.apply(&no, &request).await?;
                }
                2 if later(&mut rng, &mut at) => {
                    let extend = CaseAction::Extend {
                        amount: item.promise.div_ceil(2).max(1),
                        reason: "情况复杂，经本机关负责人批准延长".into(),
                    };
                    on(at).await?.clerk().await?.apply(&no, &extend).await?;
                }
                // The department's result came back through the hub; some were handed over.
                3 | 4 if later(&mut rng, &mut at) => {
                    let desk = on(at).await?;
                    department_result(&desk, &no, at, i).await?;
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
                            .clerk()
                            .await?
                            .apply(&no, &CaseAction::HandOver { recipient })
                            .await?;
                    }
                }
                _ => {}
            }
        }
        // Departments finish most cases in time: of the accepted cases past their promised
        // date, two stay overdue (红牌, for the supervisors); the others were concluded.
        if first == IntakeDecision::Accept {
            let case = on(now).await?.get_case(&no).await?;
            let today = now.format("%Y-%m-%d").to_string();
            let overdue = case.state == CaseState::Accepted
                && case
                    .promised_date
                    .as_deref()
                    .is_some_and(|d| d < today.as_str());
            if overdue {
                if overdue_kept < 2 {
                    overdue_kept += 1;
                } else if later(&mut rng, &mut at) {
                    department_result(&on(at).await?, &no, at, i).await?;
                    // Most results were collected (出件) since.
                    concluded_late += 1;
                    if concluded_late % 3 != 0 && later(&mut rng, &mut at) {
                        let recipient = form.applicant_name.clone();
                        on(at)
                            .await?
                            .clerk()
                            .await?
                            .apply(&no, &CaseAction::HandOver { recipient })
                            .await?;
                    }
                }
            }
        }
        // Of the cases only received, every third was withdrawn by the applicant.
        if first == IntakeDecision::Receive {
            received += 1;
            if received % 3 == 1 && later(&mut rng, &mut at) {
                let withdraw = CaseAction::Withdraw {
                    reason: "申请人主动撤回申请".into(),
                };
                on(at).await?.clerk().await?.apply(&no, &withdraw).await?;
            }
        }
        // Of the supplement requests at intake: a third still waits, a third was supplemented
        // (补正完成, to be accepted), a third supplemented and accepted.
        let supplement_step =
            matches!(first, IntakeDecision::RequestSupplement { .. }).then(|| {
                supplemented += 1;
                supplemented % 3
            });
        if let Some(step @ (1 | 2)) = supplement_step
            && later(&mut rng, &mut at)
        {
            let brought = required_receipts(item);
            let desk = on(at).await?;
            desk.clerk()
                .await?
                .apply(
                    &no,
                    &CaseAction::CompleteSupplement {
                        materiallist: brought,
                    },
                )
                .await?;
            if step == 2 {
                desk.clerk().await?.apply(&no, &CaseAction::Accept).await?;
            }
        }
    }
    // The seeded history reached the hub on the days it happened; its notifications were read.
    let mut tx = desk.store.write().await?;
    store::demo::mark_seed_settled(&mut tx).await?;
    tx.commit().await?;
    desk.store
        .set_setting(SEEDED_AT_SETTING, &now.to_rfc3339())
        .await?;
    Ok(made)
}

/// Prepares the demo desk in `data_dir` for a class starting `now`, each time the demo window
/// starts: a new data directory is seeded; a demo seeded on an earlier day (hall time) is put
/// back as seeded ([`reset`]), anchored on `now`. So a demo desk left for weeks shows a class
/// the same picture as on its first day (a few 红牌, not all), while a class that restarts the
/// window during the day keeps its work. Returns how many cases were seeded (0 when today's
/// seed is kept, or when the directory is not a demo desk).
pub async fn anchor(data_dir: &Path, now: DateTime<FixedOffset>) -> Result<usize> {
    let desk = Desk::open_with_clock(data_dir, Arc::new(FixedClock(now))).await?;
    let Some(seeded) = desk.store.setting(SEEDED_AT_SETTING).await? else {
        return seed(data_dir, now, DEMO_SEED).await;
    };
    if !desk.is_demo().await? {
        return Ok(0);
    }
    let hall = crate::time::hall_offset();
    // Before 0.2 the setting held "1": when it was seeded is unknown, so it is stale.
    let seeded_day = DateTime::parse_from_rfc3339(seeded.trim())
        .ok()
        .map(|t| t.with_timezone(&hall).date_naive());
    if seeded_day.is_some_and(|d| d >= now.with_timezone(&hall).date_naive()) {
        return Ok(0);
    }
    reset(&desk).await
}

/// When the demo's cases were seeded, as the setting holds it.
pub async fn seeded_at(desk: &Desk) -> Result<Option<String>> {
    Ok(desk.store.setting(SEEDED_AT_SETTING).await?)
}

/// The department's result of case `no`, approved, as it came back through the hub at `at`.
async fn department_result(
    desk: &Desk,
    no: &str,
    at: DateTime<FixedOffset>,
    i: usize,
) -> Result<()> {
    let env = crate::inbox::Envelope {
        msgid: format!("demo-result-{i}"),
        seq: 0,
        interface: "pushFinishProjectInfo".into(),
        project_no: no.to_string(),
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
    Ok(())
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
        materiallist: required_receipts(item),
    }
}

/// Every required material of `item`, received in the number of copies asked for.
fn required_receipts(item: &CatalogItem) -> Vec<MaterialReceipt> {
    item.materials
        .iter()
        .filter(|m| m.sj_file_if)
        .map(|m| MaterialReceipt {
            no: m.no.clone(),
            sj_file_name: String::new(),
            sj_no: m.sj_no,
            share: None,
        })
        .collect()
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

/// Refuses trainer controls on a desk that is not a demo desk.
async fn ensure_demo(desk: &Desk) -> Result<()> {
    if desk.is_demo().await? {
        Ok(())
    } else {
        Err(CoreError::Conflict(
            "这不是演示（培训）窗口：调整时钟、重置演示数据等培训操作只能在演示窗口（yichuang-app --demo）中进行"
                .into(),
        ))
    }
}

/// The desk's trainers' clock as it stands.
pub fn clock(desk: &Desk) -> DemoClock {
    let offset = desk.clock_offset.load(std::sync::atomic::Ordering::SeqCst);
    DemoClock {
        offset_secs: offset,
        now: crate::time::spec_time(&desk.now()),
        offset_text: offset_text(offset),
    }
}

/// `已前移3天2小时`, or `未调整`.
pub fn offset_text(secs: i64) -> String {
    if secs == 0 {
        return "未调整".into();
    }
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (hours, minutes) = (rest / 3600, rest % 3600 / 60);
    let mut s = String::from("已前移");
    if days > 0 {
        s.push_str(&format!("{days}天"));
    }
    if hours > 0 {
        s.push_str(&format!("{hours}小时"));
    }
    if minutes > 0 || (days == 0 && hours == 0) {
        s.push_str(&format!("{minutes}分钟"));
    }
    s
}

/// Reads a forward move of the clock: `+3d`, `3d`, `+12h`, `90m` (days, hours, minutes).
pub fn parse_shift(text: &str) -> Result<i64> {
    let bad = || {
        CoreError::Validation(vec![crate::model::FieldError {
            field: "shift".into(),
            label: "时钟前移量".into(),
            message: format!(
                "“{text}”无法识别：请写成 +3d（3天）、+12h（12小时）或 +30m（30分钟），只能向前调整"
            ),
        }])
    };
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    let (num, unit) = t.split_at(t.len().saturating_sub(1));
    let n: i64 = num.trim().parse().map_err(|_| bad())?;
    let per = match unit {
        "d" | "D" => 86_400,
        "h" | "H" => 3600,
        "m" | "M" => 60,
        _ => return Err(bad()),
    };
    if n <= 0 {
        return Err(bad());
    }
    n.checked_mul(per).ok_or_else(bad)
}

/// Moves the demo desk's clock forward by `secs` (more than 0; a year at most in all). Every
/// time the core computes from then on (due dates, 黄牌/红牌, the supervisors' review, dates on
/// documents) follows. Persisted, so a restart or the CLI keeps it; signed-in sessions move
/// with it, so nobody is locked out as idle by the jump.
pub async fn move_clock(desk: &Desk, secs: i64) -> Result<DemoClock> {
    ensure_demo(desk).await?;
    if secs <= 0 {
        return Err(CoreError::Validation(vec![crate::model::FieldError {
            field: "shift".into(),
            label: "时钟前移量".into(),
            message: "时钟只能向前调整，前移量应大于0；要回到真实时间请使用“恢复真实时间”".into(),
        }]));
    }
    let old = desk.clock_offset.load(std::sync::atomic::Ordering::SeqCst);
    let new = old.saturating_add(secs);
    if new > MAX_CLOCK_OFFSET_SECS {
        return Err(CoreError::Validation(vec![crate::model::FieldError {
            field: "shift".into(),
            label: "时钟前移量".into(),
            message: format!(
                "时钟最多前移366天（现在{}），请先恢复真实时间",
                offset_text(old)
            ),
        }]));
    }
    set_offset(desk, old, new).await?;
    Ok(clock(desk))
}

/// Back to the real time (offset 0).
pub async fn reset_clock(desk: &Desk) -> Result<DemoClock> {
    ensure_demo(desk).await?;
    let old = desk.clock_offset.load(std::sync::atomic::Ordering::SeqCst);
    set_offset(desk, old, 0).await?;
    Ok(clock(desk))
}

async fn set_offset(desk: &Desk, old: i64, new: i64) -> Result<()> {
    let delta = chrono::Duration::seconds(new - old);
    let mut tx = desk.store.write().await?;
    store::settings::set(&mut *tx, CLOCK_OFFSET_SETTING, &new.to_string()).await?;
    // Sessions were last seen in the old desk time: move them along, so the jump is not
    // taken for idleness (and lockouts keep their real length).
    store::demo::shift_open_sessions(&mut tx, delta).await?;
    store::demo::shift_lockouts(&mut tx, delta).await?;
    // The stored due dates of paused cases depend on today: recompute them all.
    store::cases::clear_all_due_dates(&mut *tx).await?;
    tx.commit().await?;
    desk.clock_offset
        .store(new, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

/// Puts the demo desk back as it was seeded, in place (the window keeps running): every case,
/// its documents, materials (and their scanned pages), the hub queue and what came from the
/// hub, the notifications and the call log are deleted in one transaction, the clock offset
/// and the intake draft are cleared, then the demo is seeded again as of now. The accounts
/// and their sessions, the catalog and the desk's settings stay. Refused on a desk that is not
/// a demo desk. Returns how many cases were seeded.
pub async fn reset(desk: &Desk) -> Result<usize> {
    ensure_demo(desk).await?;
    let tables = store::demo::table_names(desk.store.pool()).await?;
    let old = desk.clock_offset.load(std::sync::atomic::Ordering::SeqCst);
    let wiped: Vec<&str> = tables
        .iter()
        .map(String::as_str)
        .filter(|t| !KEPT_TABLES.contains(t))
        .collect();
    let mut tx = desk.store.write().await?;
    store::demo::wipe(
        &mut tx,
        &wiped,
        &[SEEDED_AT_SETTING, "intake_draft", CLOCK_OFFSET_SETTING],
    )
    .await?;
    tx.commit().await?;
    desk.clock_offset
        .store(0, std::sync::atomic::Ordering::SeqCst);
    // Sessions were seen in the moved time: back to the real one.
    if old != 0 {
        let mut conn = desk.store.pool().acquire().await?;
        store::demo::shift_open_sessions(&mut conn, chrono::Duration::seconds(-old)).await?;
    }
    let blobs = desk.data_dir().join("blobs");
    match std::fs::remove_dir_all(&blobs) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(CoreError::io(&blobs, e)),
    }
    seed(desk.data_dir(), desk.now(), DEMO_SEED).await
}

/// The names of the materials a department may ask to be supplemented on case `project_no`
/// (the trainer's 模拟部门要求补正): the case must be accepted, with its clock running, on a
/// demo desk. The materials received at the counter, else those of the catalog item.
pub async fn supplement_materials(desk: &Desk, project_no: &str) -> Result<Vec<String>> {
    ensure_demo(desk).await?;
    let case = desk.get_case(project_no).await?;
    if case.state != CaseState::Accepted {
        return Err(CoreError::Conflict(format!(
            "办件 {project_no} 的状态是“{}”，部门只能对“已受理”的办件要求补正",
            case.state.label()
        )));
    }
    let mut names: Vec<String> = case
        .materials
        .iter()
        .map(|m| m.sj_file_name.clone())
        .filter(|n| !n.trim().is_empty())
        .collect();
    names.truncate(1);
    if names.is_empty() {
        names.push("申请材料".into());
    }
    Ok(names)
}
