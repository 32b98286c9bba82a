//! The demo re-anchors itself: a demo desk seeded on an earlier day is put back as seeded,
//! anchored on the day the demo window starts, so a class sees a few 红牌, never all.

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset};
use yichuang_core::supervision::PendingFilter;
use yichuang_core::time::FixedClock;
use yichuang_core::timelimit::WarningLevel;
use yichuang_core::{Desk, demo};

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

async fn reds_at(dir: &std::path::Path, now: DateTime<FixedOffset>) -> (usize, usize) {
    let desk = Desk::open_with_clock(dir, Arc::new(FixedClock(now)))
        .await
        .unwrap();
    let review = desk.pending_cases(&PendingFilter::default()).await.unwrap();
    let red = review
        .cases
        .iter()
        .filter(|c| c.level == WarningLevel::Red)
        .count();
    (red, desk.list_cases(None, None).await.unwrap().len())
}

#[tokio::test]
async fn a_demo_left_for_weeks_shows_the_first_days_picture_again() {
    let dir = tempfile::tempdir().unwrap();
    let first = t("2026-11-23T09:00:00+08:00");
    assert_eq!(demo::anchor(dir.path(), first).await.unwrap(), 40);
    let (red_first, _) = reds_at(dir.path(), first).await;
    assert!(
        (1..=4).contains(&red_first),
        "{red_first} red on the first day"
    );

    // The same day, later: the class's work stays.
    let desk = Desk::open_with_clock(dir.path(), Arc::new(FixedClock(first)))
        .await
        .unwrap();
    let seeded = demo::seeded_at(&desk).await.unwrap().unwrap();
    assert_eq!(DateTime::parse_from_rfc3339(&seeded).unwrap(), first);
    assert_eq!(
        demo::anchor(dir.path(), first + Duration::hours(8))
            .await
            .unwrap(),
        0
    );

    // Left for three weeks, the old cases would be mostly red.
    let later = first + Duration::days(21);
    let (red_stale, _) = reds_at(dir.path(), later).await;
    assert!(red_stale > 4, "{red_stale}: stale cases turn red");
    // Started again: re-anchored on that day, the same picture as the first day.
    assert_eq!(demo::anchor(dir.path(), later).await.unwrap(), 40);
    let (red_again, cases) = reds_at(dir.path(), later).await;
    assert_eq!(cases, 40);
    assert!(
        (1..=4).contains(&red_again),
        "{red_again} red after re-anchoring"
    );
}

#[tokio::test]
async fn a_desk_that_is_not_a_demo_is_never_reset() {
    let dir = tempfile::tempdir().unwrap();
    let now = t("2026-11-23T09:00:00+08:00");
    let desk = Desk::open_with_clock(dir.path(), Arc::new(FixedClock(now)))
        .await
        .unwrap();
    desk.store()
        .set_setting(demo::SEEDED_AT_SETTING, "2026-01-01T09:00:00+08:00")
        .await
        .unwrap();
    assert_eq!(
        demo::anchor(dir.path(), now + Duration::days(30))
            .await
            .unwrap(),
        0
    );
}
