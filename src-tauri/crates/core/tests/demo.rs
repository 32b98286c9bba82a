//! The trainers' demo desk: realistic cases in many states, made once, watermarked.

use std::process::Command;

use chrono::DateTime;
use yichuang_core::model::*;
use yichuang_core::{Desk, demo};
use yichuang_testkit::fixed;

#[tokio::test]
async fn a_demo_desk_is_seeded_once_with_cases_in_many_states() {
    let dir = tempfile::tempdir().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-11-23T10:00:00+08:00").unwrap();
    let made = demo::seed(dir.path(), now, demo::DEMO_SEED).await.unwrap();
    assert_eq!(made, 40);
    assert_eq!(
        demo::seed(dir.path(), now, demo::DEMO_SEED).await.unwrap(),
        0,
        "seeded once"
    );

    // Judged at the instant it was seeded: the red cases are those of that day, whatever day
    // the test runs.
    let desk = Desk::open_with_clock(dir.path(), fixed_at(now))
        .await
        .unwrap();
    assert!(desk.is_demo().await.unwrap());
    let trainee = desk.sign_in("clerk01", yichuang_core::accounts::DEMO_PASSWORD);
    assert_eq!(trainee.await.unwrap().account.display_name, "培训学员");
    let profile = desk.profile().await.unwrap();
    assert!(profile.has_logo && profile.has_seal);
    let cases = desk.list_cases(None, None).await.unwrap();
    assert_eq!(cases.len(), 40);
    let states: std::collections::HashSet<CaseState> = cases.iter().map(|c| c.state).collect();
    // Every state of the counter workflow.
    for s in [
        CaseState::Received,
        CaseState::Accepted,
        CaseState::Rejected,
        CaseState::SupplementRequested,
        CaseState::SupplementDone,
        CaseState::Withdrawn,
        CaseState::AwaitingSupplement,
        CaseState::Suspended,
        CaseState::Concluded,
        CaseState::HandedOver,
    ] {
        assert!(states.contains(&s), "no {s:?} case in {states:?}");
    }
    // A realistic hall: a few overdue cases for the supervisors, not most of them.
    let review = desk
        .pending_cases(&yichuang_core::supervision::PendingFilter::default())
        .await
        .unwrap();
    let red = red_count(&review);
    eprintln!("red at the start: {red} of {}", review.cases.len());
    assert!((1..=4).contains(&red), "{red} red cases");
    // An extension among the accepted ones.
    let mut extended = false;
    for c in cases.iter().filter(|c| c.state == CaseState::Accepted) {
        let c = desk.get_case(&c.project_no).await.unwrap();
        extended |= c.clock.iter().any(|e| e.kind == ClockKind::Extension);
    }
    assert!(extended, "no extended case");
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
    assert!(days.len() >= 6, "{days:?}");
    assert!(
        cases.iter().all(|c| c.apply_date.as_str() >= "2026-11-09"),
        "a small hall's last two weeks"
    );
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

fn fixed_at(t: DateTime<chrono::FixedOffset>) -> std::sync::Arc<yichuang_core::time::FixedClock> {
    std::sync::Arc::new(yichuang_core::time::FixedClock(t))
}

async fn reds(desk: &Desk) -> (String, usize) {
    let review = desk
        .pending_cases(&yichuang_core::supervision::PendingFilter::default())
        .await
        .unwrap();
    let reds = red_count(&review);
    (review.today, reds)
}

fn red_count(review: &yichuang_core::supervision::PendingReview) -> usize {
    review
        .cases
        .iter()
        .filter(|c| c.level == yichuang_core::timelimit::WarningLevel::Red)
        .count()
}

#[tokio::test]
async fn the_trainer_moves_the_demo_clock_and_warnings_and_dates_follow() {
    let dir = tempfile::tempdir().unwrap();
    let now = "2026-11-23T10:00:00+08:00";
    demo::seed(dir.path(), DateTime::parse_from_rfc3339(now).unwrap(), 7)
        .await
        .unwrap();
    let desk = Desk::open_with_clock(dir.path(), fixed(now)).await.unwrap();
    let trainer = desk
        .sign_in("trainer", yichuang_core::accounts::DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(demo::clock(&desk).offset_text, "未调整");
    let (today, before) = reds(&desk).await;
    assert_eq!(today, "2026-11-23");

    let moved = demo::move_clock(&desk, demo::parse_shift("+30d").unwrap())
        .await
        .unwrap();
    assert_eq!(moved.offset_secs, 30 * 86_400);
    assert_eq!(moved.now, "2026-12-23 10:00:00");
    assert_eq!(moved.offset_text, "已前移30天");
    let (today, after) = reds(&desk).await;
    assert_eq!(today, "2026-12-23");
    assert!(after > before, "red before {before}, after {after}");
    // A case accepted now carries the moved date.
    let case = desk
        .list_cases(None, None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.state == CaseState::Received)
        .unwrap();
    let accepted = desk
        .clerk()
        .await
        .unwrap()
        .apply(&case.project_no, &CaseAction::Accept)
        .await
        .unwrap();
    assert!(
        accepted.case.acceptdate.starts_with("2026-12-23"),
        "{}",
        accepted.case.acceptdate
    );
    // The jump is not idleness: the trainer's session still works.
    desk.authorize(
        &trainer,
        yichuang_core::accounts::Permission::TrainerControls,
    )
    .await
    .unwrap();
    // Persisted: a desk opened later (the CLI) sees the same time.
    let again = Desk::open_with_clock(dir.path(), fixed(now)).await.unwrap();
    assert_eq!(demo::clock(&again).offset_secs, 30 * 86_400);

    let back = demo::reset_clock(&desk).await.unwrap();
    assert_eq!(
        (back.offset_secs, back.now.as_str()),
        (0, "2026-11-23 10:00:00")
    );
    assert_eq!(reds(&desk).await, ("2026-11-23".to_string(), before));
    desk.authorize(
        &trainer,
        yichuang_core::accounts::Permission::TrainerControls,
    )
    .await
    .unwrap();

    // Sad paths: backwards, nonsense, too far.
    for bad in ["-3d", "3", "3w", "+0d", "abc", ""] {
        let err = demo::parse_shift(bad).unwrap_err();
        assert!(err.to_string().contains("时钟前移量"), "{bad}: {err}");
    }
    assert_eq!(demo::parse_shift("12h").unwrap(), 12 * 3600);
    assert!(demo::move_clock(&desk, -60).await.is_err());
    let err = demo::move_clock(&desk, 400 * 86_400).await.unwrap_err();
    assert!(err.to_string().contains("最多前移366天"), "{err}");
    assert_eq!(demo::clock(&desk).offset_secs, 0);
}

#[tokio::test]
async fn trainer_controls_are_refused_on_a_real_desk() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).await.unwrap();
    for err in [
        demo::move_clock(&desk, 3600).await.unwrap_err(),
        demo::reset_clock(&desk).await.unwrap_err(),
        demo::reset(&desk).await.unwrap_err(),
    ] {
        assert!(
            matches!(err, yichuang_core::CoreError::Conflict(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains("这不是演示（培训）窗口"), "{err}");
    }
    assert_eq!(demo::clock(&desk).offset_secs, 0);
}

#[tokio::test]
async fn a_reset_puts_the_demo_back_as_seeded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let now = "2026-11-23T10:00:00+08:00";
    demo::seed(
        dir.path(),
        DateTime::parse_from_rfc3339(now).unwrap(),
        demo::DEMO_SEED,
    )
    .await
    .unwrap();
    let desk = Desk::open_with_clock(dir.path(), fixed(now)).await.unwrap();
    let trainer = desk
        .sign_in("trainer", yichuang_core::accounts::DEMO_PASSWORD)
        .await
        .unwrap();
    let seeded: Vec<String> = desk
        .list_cases(None, None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.project_no)
        .collect();
    // The trainee's work: a new case (waiting for the hub), and the clock moved.
    let form = yichuang_testkit::example();
    let new = yichuang_testkit::accepted(&desk, &form).await.project_no;
    assert!(!seeded.contains(&new));
    assert!(desk.outbox_stats().await.unwrap().pending > 0);
    std::fs::create_dir_all(dir.path().join("blobs/ab")).unwrap();
    std::fs::write(dir.path().join("blobs/ab/page"), b"scan").unwrap();
    desk.save_draft(&form).await.unwrap();
    demo::move_clock(&desk, 5 * 86_400).await.unwrap();

    let made = demo::reset(&desk).await.unwrap();
    assert_eq!(made, 40);
    let after: Vec<String> = desk
        .list_cases(None, None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.project_no)
        .collect();
    assert!(
        matches!(
            desk.get_case(&new).await,
            Err(yichuang_core::CoreError::NotFound(_))
        ) || after.contains(&new) && seeded.contains(&new)
    );
    let mut a = after.clone();
    let mut s = seeded.clone();
    a.sort();
    s.sort();
    assert_eq!(a, s, "the same seeded cases, numbered alike");
    assert_eq!(demo::clock(&desk).offset_secs, 0);
    assert_eq!(desk.outbox_stats().await.unwrap().pending, 0);
    assert!(desk.notifications(true, 10).await.unwrap().is_empty());
    assert!(desk.load_draft().await.unwrap().is_none());
    assert!(!dir.path().join("blobs").exists());
    // The people and their sessions stay; the desk is still a demo desk.
    assert!(desk.is_demo().await.unwrap());
    desk.authorize(
        &trainer,
        yichuang_core::accounts::Permission::TrainerControls,
    )
    .await
    .unwrap();
    assert_eq!(desk.list_cases(None, None).await.unwrap().len(), 40);
}

/// Pages of a PDF, and the text of page `p` without whitespace.
fn pdf_pages(path: &std::path::Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

fn pdf_page_text(path: &std::path::Path, p: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &p.to_string(), "-l", &p.to_string()])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect()
}

#[tokio::test]
async fn every_page_of_every_kind_of_demo_document_carries_the_watermark() {
    let dir = tempfile::tempdir().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-11-23T10:00:00+08:00").unwrap();
    demo::seed(dir.path(), now, demo::DEMO_SEED).await.unwrap();
    let desk = Desk::open_with_clock(dir.path(), fixed_at(now))
        .await
        .unwrap();
    let cases = desk.list_cases(None, None).await.unwrap();
    let of = |s: CaseState| {
        cases
            .iter()
            .find(|c| c.state == s)
            .map(|c| c.project_no.clone())
            .unwrap()
    };
    let mark: String = demo::WATERMARK.split_whitespace().collect();
    for (state, kind) in [
        (CaseState::Received, NoticeKind::Receipt),
        (CaseState::Accepted, NoticeKind::Acceptance),
        (CaseState::Rejected, NoticeKind::Rejection),
        (CaseState::SupplementRequested, NoticeKind::Supplement),
    ] {
        let pdf = desk.notice_pdf(&of(state), kind).await.unwrap();
        let path = dir.path().join(format!("{kind:?}.pdf"));
        std::fs::write(&path, pdf).unwrap();
        let pages = pdf_pages(&path);
        assert!(pages >= 1);
        for p in 1..=pages {
            let text = pdf_page_text(&path, p);
            assert!(text.contains(&mark), "{kind:?} page {p}: {text}");
        }
    }

    // A real desk's documents carry none.
    let real = tempfile::tempdir().unwrap();
    let desk = Desk::open_with_clock(real.path(), fixed_at(now))
        .await
        .unwrap();
    let no = yichuang_testkit::accepted(&desk, &yichuang_testkit::example())
        .await
        .project_no;
    let path = real.path().join("a.pdf");
    std::fs::write(
        &path,
        desk.notice_pdf(&no, NoticeKind::Acceptance).await.unwrap(),
    )
    .unwrap();
    assert!(!pdf_page_text(&path, 1).contains("培训演示"));
}
