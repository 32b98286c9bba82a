//! What comes back from the hub: the desk polls the simulator, which plays the department
//! side, and applies supplement requests (7.2.3), process steps (7.2.5) and results (7.2.6)
//! exactly once; 统一受办 pushes the concluded case (7.2.1) with its uploaded documents; two
//! workers on one desk take turns. Real loopback HTTP; every loop is bounded.

mod common;

use chrono::Duration;
use yichuang_core::dict::HandleResult;
use yichuang_core::inbox::{Envelope, HubInstruction, InboxOutcome};
use yichuang_core::model::*;
use yichuang_hub::Interface;
use yichuang_hub::protocol::EventCode;
use yichuang_hub::sim::{DeptStep, Faults, Scenario, SimConfig};

use common::{bounded, intake, start_sim, temp_desk, worker};

fn department() -> Scenario {
    Scenario {
        on_accept: vec![
            DeptStep::Process {
                event_code: EventCode::B9,
                note: Some("材料齐全，进入审批程序".into()),
                docname: Some("受理审查意见书".into()),
            },
            // No materials named: the case's first material.
            DeptStep::Supplement {
                opinion: "复印件不清晰，请补正".into(),
                materials: vec![],
            },
        ],
        on_supply_finished: vec![DeptStep::Result {
            status: HandleResult::Approved,
            note: Some("准予许可".into()),
            result_no: Some("JY16501020012345".into()),
        }],
        step_delay_secs: 0,
        share: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_asks_for_a_supplement_then_concludes_and_the_clerk_hands_over() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = start_sim(SimConfig {
        scenario: department(),
        ..Default::default()
    })
    .await;
    // Every message reaches the desk twice: each must be applied once.
    sim.set_faults(Faults {
        duplicate_delivery: true,
        ..Default::default()
    })
    .await;
    let mut rng = fastrand::Rng::with_seed(31);
    let out = yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    let no = out.project_no.clone();
    let first = out.case.materials[0].clone();
    let w = worker(&sim, 1);

    // The acceptance goes out; the department's step and supplement request come back.
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.delivered, 1);
    assert_eq!((r.incoming_applied, r.incoming_recorded), (1, 1), "{r:?}");
    assert_eq!(r.incoming_duplicates, 2, "each message was delivered twice");
    assert_eq!(r.documents_fetched, 1);
    assert_eq!(r.poll_error, None);

    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.state, CaseState::AwaitingSupplement);
    assert!(
        case.clock_paused,
        "the department's supplement request pauses the clock"
    );
    let asked = case.supplements.last().unwrap();
    assert_eq!(asked.no, first.no, "matched to the item's catalog by name");
    assert_eq!(asked.sj_file_name, first.sj_file_name);
    assert!(
        case.documents
            .iter()
            .any(|d| d.kind == NoticeKind::Supplement),
        "a 补齐补正通知书 is ready for the applicant"
    );
    let step = case
        .history
        .iter()
        .find(|h| h.action.starts_with("部门办理"))
        .expect("the department's step is in the history");
    assert_eq!(
        step.action, "部门办理：正常审批程序",
        "no event code on screen"
    );
    assert_eq!(step.opinion, "材料齐全，进入审批程序");
    // The department's document was fetched through 7.2.8, a real PDF.
    assert_eq!(case.hub_documents.len(), 1);
    let hd = &case.hub_documents[0];
    assert_eq!(hd.docname, "受理审查意见书");
    let (_, pdf) = desk.hub_document(hd.id).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(Some(pdf.len() as u64), hd.size);

    let unread = desk.notifications(true, 10).await.unwrap();
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0].kind, "supplement_requested");
    assert_eq!(unread[0].project_no, no);
    assert!(
        unread[0].body.contains(&first.sj_file_name),
        "{}",
        unread[0].body
    );

    // The applicant brings the material: 7.2.4 + B1 go out, the result comes back.
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::CompleteSupplement {
                materiallist: vec![MaterialReceipt {
                    no: first.no.clone(),
                    sj_file_name: String::new(),
                    sj_no: first.sj_no,
                    share: None,
                }],
            },
        )
        .await
        .unwrap();
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.delivered, 2);
    assert_eq!(r.incoming_applied, 1);
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.state, CaseState::Concluded);
    assert!(!case.clock_paused);
    let result = case.result.as_ref().expect("the result is recorded");
    assert_eq!(result.status, HandleResult::Approved);
    assert_eq!(result.result_no, "JY16501020012345");
    assert!(result.from_hub);
    let unread = desk.notifications(true, 10).await.unwrap();
    assert_eq!(unread[0].kind, "concluded");
    assert!(unread[0].title.contains("可出件"));

    // Nothing is applied twice, whatever the next polls bring.
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.incoming_applied + r.incoming_recorded, 0);

    // 出件 needs the recipient, then ends the case; nothing more goes to the hub.
    let err = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::HandOver {
                recipient: " ".into(),
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("领取人"), "{err}");
    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::HandOver {
                recipient: case.applicant_name.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(out.case.state, CaseState::HandedOver);
    assert_eq!(desk.outbox_stats().await.unwrap().pending, 0);
    assert_eq!(desk.mark_notifications_read(&[]).await.unwrap(), 2);
    assert!(desk.notifications(true, 10).await.unwrap().is_empty());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_repeated_after_a_crash_applies_nothing_twice() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = start_sim(SimConfig {
        scenario: department(),
        ..Default::default()
    })
    .await;
    let mut rng = fastrand::Rng::with_seed(32);
    let mut nos = Vec::new();
    for _ in 0..5 {
        nos.push(
            yichuang_testkit::accepted(&desk, &intake(&mut rng))
                .await
                .project_no,
        );
    }
    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.incoming_applied, 5);
    let history_len: Vec<usize> = {
        let mut v = Vec::new();
        for no in &nos {
            v.push(desk.get_case(no).await.unwrap().history.len());
        }
        v
    };
    // As if the desk died after applying the messages but before storing the cursor.
    desk.set_hub_cursor(0).await.unwrap();
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.incoming_applied + r.incoming_recorded, 0);
    assert_eq!(r.incoming_duplicates, 10);
    for (no, len) in nos.iter().zip(history_len) {
        let case = desk.get_case(no).await.unwrap();
        assert_eq!(case.history.len(), len, "{no}: a step applied twice");
        assert_eq!(case.supplements.len(), 1);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn messages_that_do_not_fit_are_kept_with_the_reason_and_change_nothing() {
    let (_dir, desk, _clock) = temp_desk().await;
    let mut rng = fastrand::Rng::with_seed(33);
    // Only received, not accepted: a department cannot have it yet.
    let received = desk
        .clerk()
        .await
        .unwrap()
        .receive(&intake(&mut rng))
        .await
        .unwrap()
        .project_no;
    let env = |msgid: &str, no: &str| Envelope {
        msgid: msgid.into(),
        seq: 1,
        interface: Interface::PushFinish.name().into(),
        project_no: no.into(),
    };
    let result = || HubInstruction::Result {
        status: HandleResult::Approved,
        result_no: String::new(),
        note: String::new(),
        resultname: String::new(),
        handleusername: String::new(),
        create_date: String::new(),
    };
    let out = desk
        .apply_incoming(&env("m1", &received), Ok(result()))
        .await
        .unwrap();
    assert!(
        matches!(&out, InboxOutcome::Refused(r) if r.contains("已收件")),
        "{out:?}"
    );
    assert_eq!(
        desk.get_case(&received).await.unwrap().state,
        CaseState::Received
    );
    let out = desk
        .apply_incoming(&env("m2", "NO-SUCH-CASE"), Ok(result()))
        .await
        .unwrap();
    assert_eq!(out, InboxOutcome::UnknownCase);
    let out = desk
        .apply_incoming(&env("m3", &received), Err("不是有效的JSON".into()))
        .await
        .unwrap();
    assert_eq!(out, InboxOutcome::Malformed("不是有效的JSON".into()));
    // Each is in the inbox with what became of it; a refusal also tells the clerk.
    let inbox = desk.inbox_list(10).await.unwrap();
    let outcomes: Vec<&str> = inbox.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(outcomes, ["malformed", "unknown_case", "refused"]);
    let notes = desk.notifications(true, 10).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].kind, "refused");
    // The same message again is a duplicate, even though it was refused.
    let out = desk
        .apply_incoming(&env("m1", &received), Ok(result()))
        .await
        .unwrap();
    assert_eq!(out, InboxOutcome::Duplicate);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unified_intake_concludes_at_the_desk_and_pushes_the_whole_case() {
    let (_dir, desk, clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    let mut rng = fastrand::Rng::with_seed(34);
    let out = yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    let no = out.project_no;
    let conclude = CaseAction::Conclude {
        status: HandleResult::Approved,
        result_no: "SL-2026-0001".into(),
        note: "准予许可".into(),
    };
    // Not in 统一受办 mode: the result must come from the department.
    let err = desk
        .clerk()
        .await
        .unwrap()
        .apply(&no, &conclude)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("统一受办"), "{err}");

    let mut profile = desk.profile().await.unwrap();
    profile.unified_intake = true;
    desk.set_profile(profile).await.unwrap();
    let done = desk
        .clerk()
        .await
        .unwrap()
        .apply(&no, &conclude)
        .await
        .unwrap();
    assert_eq!(done.case.state, CaseState::Concluded);
    assert!(!done.case.result.as_ref().unwrap().from_hub);

    let w = worker(&sim, 1);
    for _ in 0..5 {
        let r = bounded(w.run_once(&desk)).await.unwrap();
        if r.remaining == 0 {
            break;
        }
        clock.advance(Duration::minutes(11));
    }
    let received = sim.received();
    let kinds: Vec<Interface> = received.iter().filter_map(|r| r.interface).collect();
    // 7.2.2, the acceptance notice uploaded (7.2.7), then 7.2.1.
    assert_eq!(
        kinds,
        [
            Interface::PushAccept,
            Interface::PushFile,
            Interface::PushAll
        ]
    );
    assert!(
        received.iter().all(|r| r.outcome == "accepted"),
        "{received:?}"
    );
    let info = &received[2].plain["params"]["projectlist"][0]["projectinfo"];
    assert_eq!(info["basicinfo"]["bj_statu"], "C");
    assert_eq!(info["resultinfo"][0]["status"], "1");
    assert_eq!(info["resultinfo"][0]["result_no"], "SL-2026-0001");
    let case = desk.get_case(&no).await.unwrap();
    let notice = &case.documents[0];
    assert_eq!(
        info["doclist"][0]["docattach"],
        notice.attachguid.clone().unwrap().as_str()
    );
    assert_eq!(case.sync.state, SyncState::Synced);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_desk_take_turns() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    let mut rng = fastrand::Rng::with_seed(35);
    for _ in 0..3 {
        yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    }
    let window = worker(&sim, 1).with_holder("窗口");
    let cli = worker(&sim, 1).with_holder("命令行");
    assert!(desk.take_sync_lease("窗口:test", 60_000).await.unwrap());
    // Someone else holds the desk: the worker does nothing and says who.
    let r = bounded(cli.run_once(&desk)).await.unwrap();
    assert_eq!(r.delivered + r.requests, 0);
    assert_eq!(r.busy.as_deref(), Some("窗口:test"));
    assert_eq!(r.remaining, 3);
    desk.release_sync_lease("窗口:test").await.unwrap();
    // Side by side, they deliver everything once between them.
    let (a, b) = tokio::join!(window.run_once(&desk), cli.run_once(&desk));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.delivered + b.delivered, 3);
    assert!(a.busy.is_some() || b.busy.is_some());
    assert!(sim.received().iter().all(|r| !r.duplicate));
    // A worker that stops gives the desk back.
    window.release(&desk).await.unwrap();
    cli.release(&desk).await.unwrap();
    assert_eq!(desk.sync_lease_holder().await.unwrap(), None);
    sim.shutdown().await;
}
