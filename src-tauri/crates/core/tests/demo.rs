//! The trainers' demo desk: realistic cases in many states, made once, watermarked.

use std::process::Command;

use chrono::DateTime;
use yichuang_core::model::*;
use yichuang_core::{Desk, demo};

#[tokio::test]
async fn a_demo_desk_is_seeded_once_with_cases_in_many_states() {
    let dir = tempfile::tempdir().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-11-23T10:00:00+08:00").unwrap();
    let made = demo::seed(dir.path(), now, 7).await.unwrap();
    assert_eq!(made, 40);
    assert_eq!(
        demo::seed(dir.path(), now, 7).await.unwrap(),
        0,
        "seeded once"
    );

    let desk = Desk::open(dir.path()).await.unwrap();
    assert!(desk.is_demo().await.unwrap());
    let trainee = desk.sign_in("clerk01", yichuang_core::accounts::DEMO_PASSWORD);
    assert_eq!(trainee.await.unwrap().account.display_name, "培训学员");
    let profile = desk.profile().await.unwrap();
    assert!(profile.has_logo && profile.has_seal);
    let cases = desk.list_cases(None, None).await.unwrap();
    assert_eq!(cases.len(), 40);
    let states: std::collections::HashSet<CaseState> = cases.iter().map(|c| c.state).collect();
    for s in [
        CaseState::Accepted,
        CaseState::Received,
        CaseState::SupplementRequested,
        CaseState::Rejected,
        CaseState::Concluded,
    ] {
        assert!(states.contains(&s), "no {s:?} case in {states:?}");
    }
    assert!(
        states.contains(&CaseState::Suspended) || states.contains(&CaseState::AwaitingSupplement),
        "{states:?}"
    );
    // The seeded history counts as synced long ago: nothing waits for the hub, no unread
    // notifications.
    assert_eq!(desk.outbox_stats().await.unwrap().pending, 0);
    assert!(desk.notifications(true, 10).await.unwrap().is_empty());
    let concluded = cases
        .iter()
        .find(|c| c.state == CaseState::Concluded)
        .unwrap();
    let concluded = desk.get_case(&concluded.project_no).await.unwrap();
    assert!(concluded.result.as_ref().is_some_and(|r| r.from_hub));
    // Spread over the past weeks, never in the future.
    let days: std::collections::HashSet<&str> = cases.iter().map(|c| &c.apply_date[..10]).collect();
    assert!(days.len() > 10, "{days:?}");
    assert!(
        cases
            .iter()
            .all(|c| c.apply_date.as_str() < "2026-11-23 10:00:00")
    );

    // Every document carries the watermark.
    let accepted = cases
        .iter()
        .find(|c| c.state == CaseState::Accepted)
        .unwrap();
    let pdf = desk
        .notice_pdf(&accepted.project_no, NoticeKind::Acceptance)
        .await
        .unwrap();
    let path = dir.path().join("n.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text: String = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect();
    assert!(text.contains("培训演示"), "{text}");
}
