//! 帮我传 (seed 004) end to end over real loopback HTTP: the desk submits a case with materials
//! to fetch, its sync worker sends the requests to the simulated departments, polls their
//! callbacks, and the tick applies time limits, the 异常 flag and the automatic acceptance.
//! Every path of seed 004's 表1; the desk's clock is moved, never slept on; every wait is
//! bounded.

mod common;

use chrono::Duration;
use yichuang_core::model::*;
use yichuang_core::{CoreError, Desk};
use yichuang_hub::Interface;
use yichuang_hub::sim::{
    Faults, Scenario, ShareBehaviour, ShareCallback, ShareScenario, SimConfig, SimHandle,
};

use yichuang_testkit::Person;

use common::{bounded, start_sim, temp_desk, worker};

/// 城乡居民基本养老保险参保登记: M03 居民户口簿 can be fetched electronically (公安, 24 h) or on
/// paper (档案馆, 72 h).
const ITEM: &str = "20011200400011650102030128283R0";

fn form(rng: &mut fastrand::Rng, share: Option<ShareMethod>) -> IntakeForm {
    let p = Person::random(rng);
    let mut f: IntakeForm = serde_json::from_value(serde_json::json!({
        "dept_ql_reg_no": ITEM,
        "applicant_name": p.name,
        "applicant_paper_type": "0",
        "applicant_paper_code": p.id,
        "applicant_mobile": p.mobile,
        "delivery_method": "window",
        "materiallist": [
            {"no": "M01", "sj_no": 1},
            {"no": "M02", "sj_no": 1},
            {"no": "M03", "sj_no": 1}
        ]
    }))
    .unwrap();
    f.materiallist[2].share = share;
    f
}

/// Submits the intake of the applicant seeded with `seed`, M03 shared by `method`.
async fn submit(desk: &Desk, seed: u64, method: ShareMethod) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    desk.submit(&form(&mut rng, Some(method)))
        .await
        .unwrap()
        .project_no
}

async fn sim_with(m03: ShareBehaviour) -> SimHandle {
    let mut share = ShareScenario::default();
    share.materials.insert("M03".into(), m03);
    start_sim(SimConfig {
        scenario: Scenario {
            share,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
}

fn current(case: &CaseRecord) -> MaterialShare {
    let sharing = case.sharing.as_ref().expect("submitted through 帮我传");
    yichuang_core::sharing::current_shares(sharing)
        .into_iter()
        .find(|s| s.material_no == "M03")
        .expect("M03 is shared")
}

fn accepted_at_hub(sim: &SimHandle, no: &str) -> usize {
    sim.received()
        .iter()
        .filter(|r| {
            r.interface == Some(Interface::PushAccept)
                && r.outcome == "accepted"
                && !r.duplicate
                && r.plain.to_string().contains(no)
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn electronic_sharing_completes_and_the_case_is_accepted_automatically() {
    let (dir, desk, _clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour::default()).await;
    let w = worker(&sim, 1);
    let mut rng = fastrand::Rng::with_seed(4001);
    let f = form(&mut rng, Some(ShareMethod::Electronic));

    // 帮我传 asks the department first.
    let a = yichuang_sync::share::query(&desk, w.client(), &f, "M03", ShareMethod::Electronic)
        .await
        .unwrap();
    assert!(a.available, "{a:?}");
    assert_eq!(a.sj_file_name, "居民户口簿");
    assert!(
        sim.share_requests().0.is_empty(),
        "a query requests nothing"
    );

    let out = desk.submit(&f).await.unwrap();
    let no = out.project_no.clone();
    assert_eq!(out.case.state, CaseState::InAcceptance);
    assert_eq!(out.document, Some(NoticeKind::TemporaryReceipt));
    assert!(out.case.acceptdate.is_empty(), "not accepted yet");
    let s = current(&out.case);
    assert_eq!(
        (s.status, s.method, s.sent),
        (ShareStatus::Requested, ShareMethod::Electronic, false)
    );
    let pdf = desk
        .notice_pdf(&no, NoticeKind::TemporaryReceipt)
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let list = desk.in_acceptance_cases().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].material_status, "待共享");
    assert!(!list[0].abnormal);
    // The supervisors count it as pending.
    let pending = desk.pending_cases(&Default::default()).await.unwrap();
    assert!(
        pending.cases.iter().any(|r| r.project_no == no),
        "受理中 is pending"
    );

    // One round: the request goes out, the callback comes back with the file, the case is
    // accepted and its 7.2.2 delivered.
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.shares_sent, 1, "{r:?}");
    assert_eq!(r.incoming_applied, 1, "{r:?}");
    assert_eq!(r.auto_accepted, vec![no.clone()]);
    let (requests, _) = sim.share_requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].project_no, no);
    assert_eq!(requests[0].interface, "gaj.hukou.electronic");

    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.state, CaseState::Accepted);
    assert!(!case.acceptdate.is_empty());
    assert!(
        case.documents
            .iter()
            .any(|d| d.kind == NoticeKind::Acceptance)
    );
    let s = current(&case);
    assert_eq!(s.status, ShareStatus::Completed);
    assert_eq!(s.file_name.as_deref(), Some("居民户口簿.pdf"));
    let (name, bytes) = desk.share_file(&no, "M03").await.unwrap();
    assert_eq!(name, "居民户口簿.pdf");
    assert!(
        bytes.starts_with(b"%PDF"),
        "the department's file, viewable"
    );
    // Stored sealed: no blob holds the PDF in the clear.
    for entry in std::fs::read_dir(dir.path().join("blobs"))
        .unwrap()
        .flatten()
    {
        if entry.path().is_file() {
            let raw = std::fs::read(entry.path()).unwrap();
            assert!(!raw.starts_with(b"%PDF"), "{:?}", entry.path());
        }
    }
    assert_eq!(accepted_at_hub(&sim, &no), 1, "7.2.2 went out once");
    // The shared file is the material's attachment: uploaded through 7.2.7 before the 7.2.2,
    // byte-identical, and its attachguid recorded on the material.
    let guid = case
        .materials
        .iter()
        .find(|m| m.no == "M03")
        .and_then(|m| m.attachguid.clone())
        .expect("the shared material's attachguid");
    assert_eq!(sim.file(&guid).unwrap(), bytes);
    assert_eq!(desk.material_pdf(&no, "M03").await.unwrap(), bytes);
    assert!(desk.in_acceptance_cases().await.unwrap().is_empty());
    let steps: Vec<&str> = case.history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(steps, ["提交受理", "受理"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unavailable_material_is_reported_and_makes_the_case_abnormal() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour {
        available: false,
        reason: Some("公安户籍系统中无该申请人户口簿".into()),
        ..Default::default()
    })
    .await;
    let w = worker(&sim, 1);
    let mut rng = fastrand::Rng::with_seed(4002);
    let f = form(&mut rng, Some(ShareMethod::Electronic));
    let a = yichuang_sync::share::query(&desk, w.client(), &f, "M03", ShareMethod::Electronic)
        .await
        .unwrap();
    assert!(!a.available);
    assert_eq!(
        a.text, "公安户籍系统中无该申请人户口簿",
        "the clerk is told why"
    );
    let all = yichuang_sync::share::query_all(&desk, w.client(), &f)
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "M03 electronic and paper: {all:?}");

    // Submitted anyway: the request is refused at once: 材料缺失, 异常.
    let no = desk.submit(&f).await.unwrap().project_no;
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.shares_sent, 1);
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.state, CaseState::InAcceptance);
    let s = current(&case);
    assert_eq!(s.status, ShareStatus::Missing);
    assert_eq!(s.detail, "公安户籍系统中无该申请人户口簿");
    let list = desk.in_acceptance_cases().await.unwrap();
    assert_eq!(list[0].material_status, "材料缺失");
    assert!(list[0].abnormal);
    assert_eq!(list[0].abnormal_reason, "材料缺失：居民户口簿");
    assert!(
        desk.notifications(false, 50)
            .await
            .unwrap()
            .iter()
            .any(|n| n.title.contains("材料缺失"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_callback_is_missing_and_abnormal_until_the_method_changes() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour {
        callback: ShareCallback::Failure,
        ..Default::default()
    })
    .await;
    let w = worker(&sim, 1);
    let no = submit(&desk, 4003, ShareMethod::Electronic).await;
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert!(r.auto_accepted.is_empty());
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(
        case.state,
        CaseState::InAcceptance,
        "材料缺失: not accepted"
    );
    assert_eq!(current(&case).status, ShareStatus::Missing);
    assert!(case.sharing.as_ref().unwrap().abnormal.is_some());
    assert!(desk.share_file(&no, "M03").await.is_err(), "no file");

    // The clerk changes the method to paper: a new request, the case counts as submitted
    // again and is no longer abnormal.
    let case = desk
        .share_set_method(&no, "M03", Some(ShareMethod::Paper))
        .await
        .unwrap();
    let shares = &case.sharing.as_ref().unwrap().shares;
    assert_eq!(shares.len(), 2);
    assert_eq!(shares[0].status, ShareStatus::Superseded);
    assert_eq!(shares[1].status, ShareStatus::AwaitingSignOut);
    assert_eq!(case.sharing.as_ref().unwrap().abnormal, None);
    assert!(case.history.iter().any(|e| e.action == "更改材料收取方式"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_callback_within_the_limit_is_a_timeout() {
    let (_dir, desk, clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour {
        callback: ShareCallback::Never,
        ..Default::default()
    })
    .await;
    let w = worker(&sim, 1);
    let no = submit(&desk, 4004, ShareMethod::Electronic).await;
    bounded(w.run_once(&desk)).await.unwrap();
    clock.advance(Duration::hours(23));
    bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(
        current(&desk.get_case(&no).await.unwrap()).status,
        ShareStatus::Requested,
        "within the 24-hour limit"
    );
    clock.advance(Duration::hours(2));
    // The listing checks the clock too.
    let list = desk.in_acceptance_cases().await.unwrap();
    assert_eq!(list[0].material_status, "共享超时");
    assert_eq!(list[0].shares[0].status, ShareStatus::TimedOut);
    assert_eq!(
        desk.get_case(&no).await.unwrap().state,
        CaseState::InAcceptance
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_is_signed_out_then_signed_in_with_the_code_on_it() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour::default()).await;
    let w = worker(&sim, 1);
    let no = submit(&desk, 4005, ShareMethod::Paper).await;
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.shares_sent, 1);
    let s = current(&desk.get_case(&no).await.unwrap());
    assert_eq!((s.status, s.sent), (ShareStatus::AwaitingSignOut, true));

    // Signing in before the paper was signed out is refused.
    let err = desk.share_sign_in(&no, "M03", "ZD000").await.unwrap_err();
    assert!(matches!(err, CoreError::Conflict(_)), "{err}");

    // The providing department signs it out.
    let code = sim.sign_out(&s.share_id, "档案馆签出员").unwrap();
    bounded(w.run_once(&desk)).await.unwrap();
    let s = current(&desk.get_case(&no).await.unwrap());
    assert_eq!(s.status, ShareStatus::AwaitingSignIn);
    assert_eq!(s.signed_out_by.as_deref(), Some("档案馆签出员"));

    // The wrong paper is refused and changes nothing.
    let err = desk
        .share_sign_in(&no, "M03", "ZD123456789ABC")
        .await
        .unwrap_err();
    match err {
        CoreError::Validation(errors) => {
            assert_eq!(errors[0].field, "code");
            assert!(errors[0].message.contains("不符"), "{}", errors[0].message);
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        current(&desk.get_case(&no).await.unwrap()).status,
        ShareStatus::AwaitingSignIn
    );

    // The scanner types the code on the paper (lower case and a trailing newline are fine).
    let case = desk
        .share_sign_in(&no, "M03", &format!("{}\n", code.to_lowercase()))
        .await
        .unwrap();
    assert_eq!(current(&case).status, ShareStatus::Completed);
    assert_eq!(case.state, CaseState::Accepted, "accepted automatically");
    bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(accepted_at_hub(&sim, &no), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_24_hours_a_case_is_abnormal_then_paper_times_out() {
    let (_dir, desk, clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour::default()).await;
    let w = worker(&sim, 1);
    let no = submit(&desk, 4006, ShareMethod::Paper).await;
    bounded(w.run_once(&desk)).await.unwrap();
    clock.advance(Duration::hours(23));
    assert!(!desk.in_acceptance_cases().await.unwrap()[0].abnormal);
    clock.advance(Duration::hours(2));
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert!(r.auto_accepted.is_empty());
    let list = desk.in_acceptance_cases().await.unwrap();
    assert!(list[0].abnormal, "24 h without acceptance");
    assert_eq!(list[0].abnormal_reason, "提交超过24小时未自动受理");
    assert_eq!(
        list[0].material_status, "待签出",
        "the paper's 72 h are not over"
    );
    clock.advance(Duration::hours(48));
    let list = desk.in_acceptance_cases().await.unwrap();
    assert_eq!(list[0].material_status, "共享超时");
    assert_eq!(
        desk.get_case(&no).await.unwrap().state,
        CaseState::InAcceptance
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_method_refuses_the_old_callback_and_the_counter_completes_the_case() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour::default()).await;
    let no = submit(&desk, 4007, ShareMethod::Electronic).await;
    // The request goes out (the department queues its callback) but is not polled yet.
    let send_only = worker(&sim, 1).without_polling();
    bounded(send_only.run_once(&desk)).await.unwrap();
    send_only.release(&desk).await.unwrap();
    assert_eq!(sim.share_outbox().len(), 1);
    desk.share_set_method(&no, "M03", Some(ShareMethod::Paper))
        .await
        .unwrap();
    let r = bounded(worker(&sim, 1).run_once(&desk)).await.unwrap();
    assert_eq!(r.incoming_ignored, 1, "the old request's callback: {r:?}");
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.state, CaseState::InAcceptance);
    assert_eq!(current(&case).status, ShareStatus::AwaitingSignOut);
    assert!(
        desk.share_file(&no, "M03").await.is_err(),
        "the late file is not taken"
    );
    let inbox = desk.inbox_list(10).await.unwrap();
    assert!(
        inbox
            .iter()
            .any(|m| m.outcome == "refused" && m.detail.contains("已变更")),
        "{inbox:?}"
    );

    // A method the catalog does not offer is refused.
    let err = desk
        .share_set_method(&no, "M01", Some(ShareMethod::Paper))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("未配置纸档材料共享"), "{err}");

    // The applicant brought it after all: collected at the counter, nothing left to fetch,
    // accepted.
    let case = desk.share_set_method(&no, "M03", None).await.unwrap();
    assert_eq!(case.state, CaseState::Accepted);
    let err = desk
        .share_set_method(&no, "M03", Some(ShareMethod::Paper))
        .await
        .unwrap_err();
    assert!(matches!(err, CoreError::Conflict(_)), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_case_leaves_the_list_and_takes_no_callback() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour::default()).await;
    let no = submit(&desk, 4008, ShareMethod::Electronic).await;
    let send_only = worker(&sim, 1).without_polling();
    bounded(send_only.run_once(&desk)).await.unwrap();
    send_only.release(&desk).await.unwrap();
    // A reason is required.
    assert!(matches!(
        desk.share_cancel(&no, " ").await.unwrap_err(),
        CoreError::Validation(_)
    ));
    let case = desk.share_cancel(&no, "申请人决定暂不办理").await.unwrap();
    assert_eq!(case.state, CaseState::Withdrawn);
    assert_eq!(current_or_last(&case), ShareStatus::Cancelled);
    assert!(desk.in_acceptance_cases().await.unwrap().is_empty());
    let r = bounded(worker(&sim, 1).run_once(&desk)).await.unwrap();
    assert_eq!(r.incoming_ignored, 1);
    assert_eq!(
        desk.get_case(&no).await.unwrap().state,
        CaseState::Withdrawn
    );
    assert_eq!(accepted_at_hub(&sim, &no), 0);
    // Only a 受理中 case can be cancelled this way.
    assert!(matches!(
        desk.share_cancel(&no, "再次取消").await.unwrap_err(),
        CoreError::Conflict(_)
    ));
}

fn current_or_last(case: &CaseRecord) -> ShareStatus {
    case.sharing.as_ref().unwrap().shares.last().unwrap().status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_delivered_twice_is_applied_once() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour::default()).await;
    sim.set_faults(Faults {
        duplicate_delivery: true,
        ..Default::default()
    })
    .await;
    let no = submit(&desk, 4009, ShareMethod::Electronic).await;
    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.incoming_applied, r.incoming_duplicates), (1, 1), "{r:?}");
    // Polled again from the start, as after a crash before the cursor was stored.
    desk.set_hub_cursor(0).await.unwrap();
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.incoming_applied, 0);
    assert_eq!(r.incoming_duplicates, 2);
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(
        case.history.iter().filter(|e| e.action == "受理").count(),
        1
    );
    assert_eq!(accepted_at_hub(&sim, &no), 1);
    // The request itself, resent, is taken once by the department.
    assert_eq!(sim.share_requests().0.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_wait_while_the_hub_is_down_and_go_out_when_it_is_back() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = sim_with(ShareBehaviour::default()).await;
    let no = submit(&desk, 4010, ShareMethod::Electronic).await;
    sim.set_faults(Faults {
        down: true,
        ..Default::default()
    })
    .await;
    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.shares_failed, 1);
    let s = current(&desk.get_case(&no).await.unwrap());
    assert!(!s.sent);
    assert!(s.send_error.unwrap().contains("帮我传请求未送达"));
    sim.clear_faults().await;
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.auto_accepted, vec![no]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_must_name_a_configured_sharing_method() {
    let (_dir, desk, _clock) = temp_desk().await;
    let mut rng = fastrand::Rng::with_seed(4011);
    // Nothing to fetch: accept it instead.
    let err = desk.submit(&form(&mut rng, None)).await.unwrap_err();
    assert!(err.to_string().contains("请直接受理"), "{err}");
    // M01 has no sharing channel.
    let mut f = form(&mut rng, Some(ShareMethod::Electronic));
    f.materiallist[0].share = Some(ShareMethod::Paper);
    match desk.submit(&f).await.unwrap_err() {
        CoreError::Validation(e) => {
            assert_eq!(e.len(), 1);
            assert_eq!(e[0].field, "materiallist[0].share");
        }
        other => panic!("{other}"),
    }
    // Accepting a form that asks for 帮我传 is refused: it must be submitted.
    let err = desk
        .clerk()
        .await
        .unwrap()
        .accept(&form(&mut rng, Some(ShareMethod::Electronic)))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("提交受理"), "{err}");
    assert!(desk.list_cases(None, None).await.unwrap().is_empty());
}
