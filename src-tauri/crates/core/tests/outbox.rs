//! The outbox towards the hub, through the real store: written with the case change,
//! delivered in order per case, retried with backoff, dead-lettered and retried by hand.

use yichuang_core::model::*;
use yichuang_testkit::{desk_at, example};

#[tokio::test]
async fn acceptance_writes_one_message_delivered_once() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    // A receipt stays at the counter.
    let received = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(&example(), &IntakeDecision::Receive)
        .await
        .unwrap();
    assert_eq!(received.case.sync.state, SyncState::Local);
    assert!(desk.outbox_due(10).await.unwrap().is_empty());

    let out = desk
        .clerk()
        .await
        .unwrap()
        .apply(&received.project_no, &CaseAction::Accept)
        .await
        .unwrap();
    assert_eq!(out.case.sync.state, SyncState::Pending);
    assert_eq!(out.case.sync.cd_sign, "0");
    let due = desk.outbox_due(10).await.unwrap();
    assert_eq!(due.len(), 1);
    let (entry, snapshot) = &due[0];
    assert_eq!(entry.operation, OutboxOperation::Accept);
    assert_eq!(entry.version, 2);
    assert_eq!(entry.idem_key, format!("{}:accept:2", out.project_no));
    assert_eq!(snapshot.state, CaseState::Accepted);
    assert_eq!(snapshot.acceptdate, "2026-11-23 09:00:00");

    desk.outbox_delivered(entry.id).await.unwrap();
    // A repeated acknowledgement (a retry that crossed the first) changes nothing.
    desk.outbox_delivered(entry.id).await.unwrap();
    let case = desk.get_case(&out.project_no).await.unwrap();
    assert_eq!(case.sync.state, SyncState::Synced);
    assert_eq!(case.sync.cd_sign, "1");
    assert_eq!(case.sync.cd_time, "20261123090000");
    assert!(desk.outbox_due(10).await.unwrap().is_empty());
    let stats = desk.outbox_stats().await.unwrap();
    assert_eq!((stats.pending, stats.dead, stats.delivered), (0, 0, 1));
}

#[tokio::test]
async fn messages_of_a_case_go_in_order_with_backoff() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    let no = yichuang_testkit::accepted(&desk, &example())
        .await
        .project_no;
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::Suspend {
                special_name: "听证".into(),
                reason: "申请人申请听证".into(),
            },
        )
        .await
        .unwrap();
    let other = yichuang_testkit::accepted(&desk, &example())
        .await
        .project_no;

    // Of each case only its oldest message is due.
    let due = desk.outbox_due(10).await.unwrap();
    let keys: Vec<&str> = due.iter().map(|(e, _)| e.idem_key.as_str()).collect();
    assert_eq!(
        keys,
        [format!("{no}:accept:1"), format!("{other}:accept:1")]
    );

    // The hub is down: the first message waits, and so does the case's second.
    let first = due[0].0.id;
    let failed = desk
        .outbox_failed(first, "办件中心无法连接", true)
        .await
        .unwrap();
    assert_eq!(failed.status, OutboxStatus::Pending);
    assert_eq!(failed.attempts, 1);
    assert!(failed.next_attempt_at.as_str() > "2026-11-23 09:00:00");
    let due = desk.outbox_due(10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].1.project_no, other);
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.sync.state, SyncState::Pending);
    assert_eq!(case.sync.last_error, "办件中心无法连接");

    // A minute later it is due again; once delivered, the B11 step follows.
    let desk = desk_at(dir.path(), "2026-11-23T09:01:00+08:00").await;
    let due = desk.outbox_due(10).await.unwrap();
    assert_eq!(due[0].0.id, first);
    desk.outbox_delivered(first).await.unwrap();
    let due = desk.outbox_due(10).await.unwrap();
    let next = due.iter().find(|(e, _)| e.project_no == no).unwrap();
    assert_eq!(next.0.operation, OutboxOperation::Process);
    assert_eq!(next.0.event_code, "B11");
    assert_eq!(next.1.state, CaseState::Suspended);
}

#[tokio::test]
async fn refused_messages_are_dead_lettered_and_retried_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    let no = yichuang_testkit::accepted(&desk, &example())
        .await
        .project_no;
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &no,
            &CaseAction::Extend {
                amount: 1,
                reason: "经负责人批准".into(),
            },
        )
        .await
        .ok();
    let (entry, _) = desk.outbox_due(10).await.unwrap().remove(0);
    let dead = desk
        .outbox_failed(entry.id, "办件中心拒收：缺少必填项 事项编码", false)
        .await
        .unwrap();
    assert_eq!(dead.status, OutboxStatus::Dead);
    // A dead message holds back the rest of its case.
    assert!(desk.outbox_due(10).await.unwrap().is_empty());
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.sync.state, SyncState::Failed);
    assert!(case.sync.last_error.contains("拒收"));
    let listed = desk
        .outbox_list(Some(OutboxStatus::Dead), 10)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].last_error, "办件中心拒收：缺少必填项 事项编码");
    // Failing it again is refused: it is not in the queue.
    assert!(desk.outbox_failed(entry.id, "x", true).await.is_err());

    let back = desk.outbox_retry(entry.id).await.unwrap();
    assert_eq!((back.status, back.attempts), (OutboxStatus::Pending, 0));
    assert_eq!(desk.outbox_due(10).await.unwrap()[0].0.id, entry.id);
    assert!(
        desk.outbox_retry(entry.id).await.is_err(),
        "not dead any more"
    );
}

#[tokio::test]
async fn a_refused_change_writes_no_message() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    let mut form = example();
    form.applicant_mobile = "123".into();
    assert!(desk.clerk().await.unwrap().accept(&form).await.is_err());
    let no = yichuang_testkit::accepted(&desk, &example())
        .await
        .project_no;
    assert!(
        desk.clerk()
            .await
            .unwrap()
            .apply(
                &no,
                &CaseAction::Suspend {
                    special_name: String::new(),
                    reason: String::new()
                }
            )
            .await
            .is_err()
    );
    let all = desk.outbox_list(None, 100).await.unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
}

#[tokio::test]
async fn after_many_failures_a_message_is_given_up_on() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-23T09:00:00+08:00").await;
    yichuang_testkit::accepted(&desk, &example()).await;
    let id = desk.outbox_due(1).await.unwrap()[0].0.id;
    let mut last = None;
    for _ in 0..yichuang_core::outbox::MAX_ATTEMPTS {
        last = Some(desk.outbox_failed(id, "响应超时", true).await.unwrap());
    }
    let last = last.unwrap();
    assert_eq!(last.status, OutboxStatus::Dead);
    assert_eq!(last.attempts, yichuang_core::outbox::MAX_ATTEMPTS);
}
