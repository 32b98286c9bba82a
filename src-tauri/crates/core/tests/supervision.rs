//! Supervision through the real store: the pending-case review with its 黄牌/红牌 levels,
//! filters and order, the stored due dates kept right across clock changes, and the seed 002
//! export of the same history.

use std::path::Path;

use chrono::NaiveDate;
use yichuang_core::model::*;
use yichuang_core::supervision::{PendingFilter, PendingReview};
use yichuang_core::supervision_xml::{self, ExportOptions, Stage};
use yichuang_core::timelimit::{WarningLevel, YellowThreshold};
use yichuang_core::{CoreError, Desk};

use yichuang_testkit::catalog::{five_working_day_item as item, intake};
use yichuang_testkit::{desk_at, with_profile};

async fn as_clerk(dir: &Path, when: &str, clerk: &str) -> Desk {
    let desk = desk_at(dir, when).await;
    with_profile(&desk, |p| p.clerk_name = clerk.into()).await;
    desk
}

fn nos(r: &PendingReview) -> Vec<&str> {
    r.cases.iter().map(|c| c.project_no.as_str()).collect()
}

async fn review(desk: &Desk, f: PendingFilter) -> PendingReview {
    let r = desk.pending_cases(&f).await.unwrap();
    // Every row's due date is the one the case itself shows today.
    for row in &r.cases {
        let case = desk.get_case(&row.project_no).await.unwrap();
        assert_eq!(row.due_date, case.promised_date, "{}", row.project_no);
        assert_eq!(row.clock_paused, case.clock_paused);
        assert_eq!(row.state, case.state);
    }
    r
}

struct Hall {
    dir: tempfile::TempDir,
    item: CatalogItem,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    f: String,
}

/// Mon 2 Nov 2026: A accepted by 张三; C accepted, then a hearing from Wed 4th (still on);
/// D only received; E accepted then withdrawn; F refused. Tue 3rd: B accepted by 李四.
async fn hall() -> Hall {
    let dir = tempfile::tempdir().unwrap();
    let desk = as_clerk(dir.path(), "2026-11-02T10:00:00+08:00", "张三").await;
    let item = item(&desk).await;
    let a = intake(&desk, &item, 1, IntakeDecision::Accept).await;
    let c = intake(&desk, &item, 3, IntakeDecision::Accept).await;
    let d = intake(&desk, &item, 4, IntakeDecision::Receive).await;
    let e = intake(&desk, &item, 5, IntakeDecision::Accept).await;
    let f = intake(
        &desk,
        &item,
        6,
        IntakeDecision::Reject {
            reason: "不属于本机关职权范围".into(),
        },
    )
    .await;
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &e,
            &CaseAction::Withdraw {
                reason: "申请人撤回申请".into(),
            },
        )
        .await
        .unwrap();
    let desk = as_clerk(dir.path(), "2026-11-03T09:30:00+08:00", "李四").await;
    let b = intake(&desk, &item, 2, IntakeDecision::Accept).await;
    let desk = as_clerk(dir.path(), "2026-11-04T09:00:00+08:00", "张三").await;
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &c,
            &CaseAction::Suspend {
                special_name: "听证".into(),
                reason: "申请人申请听证".into(),
            },
        )
        .await
        .unwrap();
    Hall {
        dir,
        item,
        a,
        b,
        c,
        d,
        e,
        f,
    }
}

#[tokio::test]
async fn the_review_lists_pending_cases_by_due_date_with_their_levels() {
    let h = hall().await;
    use WarningLevel::*;
    // Friday 6th, threshold 1 working day.
    let desk = desk_at(h.dir.path(), "2026-11-06T09:00:00+08:00").await;
    let r = review(&desk, PendingFilter::default()).await;
    assert_eq!(r.today, "2026-11-06");
    assert_eq!(r.threshold, YellowThreshold::WorkingDaysLeft(1));
    assert!(!r.truncated);
    // A due Mon 9th (1 left: yellow), B due Tue 10th, C paused with 4 days left (due the 12th
    // if it restarted tomorrow), D not accepted (last, no date). E and F are finished.
    assert_eq!(nos(&r), [&h.a, &h.b, &h.c, &h.d]);
    let levels: Vec<_> = r.cases.iter().map(|c| c.level).collect();
    assert_eq!(levels, [Yellow, Normal, Normal, Normal]);
    let dues: Vec<_> = r.cases.iter().map(|c| c.due_date.as_deref()).collect();
    assert_eq!(
        dues,
        [
            Some("2026-11-09"),
            Some("2026-11-10"),
            Some("2026-11-12"),
            None
        ]
    );
    let left: Vec<_> = r.cases.iter().map(|c| c.working_days_left).collect();
    assert_eq!(left, [Some(1), Some(2), Some(4), None]);
    assert!(r.cases[2].clock_paused);
    assert_eq!(r.cases[0].acceptusername, "张三");
    assert_eq!(r.cases[0].promise_text, "5个工作日");

    // Tuesday 10th: A is red, B on its due day is yellow, C still has 4 days.
    let desk = desk_at(h.dir.path(), "2026-11-10T09:00:00+08:00").await;
    let r = review(&desk, PendingFilter::default()).await;
    assert_eq!(nos(&r), [&h.a, &h.b, &h.c, &h.d]);
    let levels: Vec<_> = r.cases.iter().map(|c| c.level).collect();
    assert_eq!(levels, [Red, Yellow, Normal, Normal]);
    assert_eq!(r.cases[0].working_days_left, Some(-1));
    assert_eq!(r.cases[2].due_date.as_deref(), Some("2026-11-16"));

    // Filters.
    let only = |f: PendingFilter| {
        let desk = desk.clone();
        async move {
            review(&desk, f)
                .await
                .cases
                .into_iter()
                .map(|c| c.project_no)
                .collect::<Vec<_>>()
        }
    };
    let red = only(PendingFilter {
        level: Some(Red),
        ..Default::default()
    })
    .await;
    assert_eq!(red, [h.a.as_str()]);
    let yellow = only(PendingFilter {
        level: Some(Yellow),
        ..Default::default()
    })
    .await;
    assert_eq!(yellow, [h.b.as_str()]);
    let normal = only(PendingFilter {
        level: Some(Normal),
        ..Default::default()
    })
    .await;
    assert_eq!(normal, [h.c.clone(), h.d.clone()]);
    let li = only(PendingFilter {
        clerk: Some(" 李四 ".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(li, [h.b.as_str()]);
    let suspended = only(PendingFilter {
        state: Some(CaseState::Suspended),
        ..Default::default()
    })
    .await;
    assert_eq!(suspended, [h.c.as_str()]);
    let received = only(PendingFilter {
        state: Some(CaseState::Received),
        ..Default::default()
    })
    .await;
    assert_eq!(received, [h.d.as_str()]);
    // A due-date range leaves out the cases without one; the paused case's date is today's.
    let range = only(PendingFilter {
        due_from: Some("2026-11-10".into()),
        due_to: Some("2026-11-16".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(range, [h.b.clone(), h.c.clone()]);
    let range = only(PendingFilter {
        due_to: Some("2026-11-09".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(range, [h.a.as_str()]);
    let by_item = only(PendingFilter {
        item: Some(h.item.dept_ql_reg_no.clone()),
        department: Some(h.item.org_name.clone()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_item.len(), 4);
    let other = only(PendingFilter {
        department: Some("不存在的部门".into()),
        ..Default::default()
    })
    .await;
    assert!(other.is_empty());
    // A limit keeps the earliest and says more matched.
    let r = review(
        &desk,
        PendingFilter {
            limit: Some(2),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(nos(&r), [&h.a, &h.b]);
    assert!(r.truncated);

    // Finished states and bad dates are refused with the field named.
    for f in [
        PendingFilter {
            state: Some(CaseState::Rejected),
            ..Default::default()
        },
        PendingFilter {
            due_from: Some("2026-13-01".into()),
            ..Default::default()
        },
    ] {
        let err = desk.pending_cases(&f).await.unwrap_err();
        assert!(matches!(err, CoreError::Validation(_)), "{err}");
    }
    assert!(!nos(&review(&desk, PendingFilter::default()).await).contains(&h.e.as_str()));
    assert!(!nos(&review(&desk, PendingFilter::default()).await).contains(&h.f.as_str()));
}

#[tokio::test]
async fn stored_due_dates_follow_every_clock_change_and_the_threshold() {
    let h = hall().await;
    // Thresholds: 40% of 5 working days is 2, so on Friday 6th B (2 left) turns yellow too.
    let desk = desk_at(h.dir.path(), "2026-11-06T09:00:00+08:00").await;
    let before = review(&desk, PendingFilter::default()).await;
    assert_eq!(before.cases[1].level, WarningLevel::Normal);
    desk.set_yellow_threshold(YellowThreshold::PercentLeft(40))
        .await
        .unwrap();
    let r = review(&desk, PendingFilter::default()).await;
    assert_eq!(r.threshold, YellowThreshold::PercentLeft(40));
    assert_eq!(r.cases[1].project_no, h.b);
    assert_eq!(r.cases[1].level, WarningLevel::Yellow);
    let yellow = review(
        &desk,
        PendingFilter {
            level: Some(WarningLevel::Yellow),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(nos(&yellow), [&h.a, &h.b]);
    assert!(
        desk.set_yellow_threshold(YellowThreshold::PercentLeft(101))
            .await
            .is_err()
    );
    desk.set_yellow_threshold(YellowThreshold::WorkingDaysLeft(1))
        .await
        .unwrap();

    // The hearing ends on Wed 11th: 4, 5, 6, 9 and 10 Nov stood still, so C is due on the
    // 16th, now from the stored column (it was stored as the 12th on Friday).
    let desk = desk_at(h.dir.path(), "2026-11-11T10:00:00+08:00").await;
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &h.c,
            &CaseAction::Resume {
                result: "听证结束".into(),
            },
        )
        .await
        .unwrap();
    let r = review(
        &desk,
        PendingFilter {
            state: Some(CaseState::Accepted),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(nos(&r), [&h.a, &h.b, &h.c]);
    assert_eq!(r.cases[2].due_date.as_deref(), Some("2026-11-16"));
    assert!(!r.cases[2].clock_paused);
    // An extension of B by 3 working days: due Fri 13th, no longer red.
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &h.b,
            &CaseAction::Extend {
                amount: 3,
                reason: "情况复杂".into(),
            },
        )
        .await
        .unwrap();
    let r = review(
        &desk,
        PendingFilter {
            level: Some(WarningLevel::Red),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(nos(&r), [&h.a]);
    // D accepted now: due 5 working days later, listed by date.
    desk.clerk()
        .await
        .unwrap()
        .apply(&h.d, &CaseAction::Accept)
        .await
        .unwrap();
    let r = review(&desk, PendingFilter::default()).await;
    assert_eq!(nos(&r), [&h.a, &h.b, &h.c, &h.d]);
    assert_eq!(r.cases[1].due_date.as_deref(), Some("2026-11-13"));
    assert_eq!(r.cases[3].due_date.as_deref(), Some("2026-11-18"));
    // Withdrawn cases leave the review.
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &h.a,
            &CaseAction::Withdraw {
                reason: "申请人撤回".into(),
            },
        )
        .await
        .unwrap();
    let r = review(&desk, PendingFilter::default()).await;
    assert_eq!(nos(&r), [&h.b, &h.c, &h.d]);
}

#[tokio::test]
async fn the_history_exports_as_a_seed_002_package() {
    let h = hall().await;
    let desk = desk_at(h.dir.path(), "2026-11-06T17:00:00+08:00").await;
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &h.c,
            &CaseAction::Resume {
                result: "听证结束，继续审查".into(),
            },
        )
        .await
        .unwrap();
    desk.clerk()
        .await
        .unwrap()
        .apply(
            &h.b,
            &CaseAction::RequestSupplement {
                request: SupplementRequest {
                    materials: vec![SupplementItem {
                        no: h.item.materials[0].no.clone(),
                        sj_file_name: String::new(),
                        reason: "复印件不清晰".into(),
                    }],
                    limit_days: 5,
                    opinion: "请补正材料".into(),
                },
            },
        )
        .await
        .unwrap();
    let day = |s: &str| s.parse::<NaiveDate>().unwrap();
    let (xml, n) = desk
        .supervision_package(
            day("2026-11-01"),
            day("2026-11-30"),
            &ExportOptions::default(),
        )
        .await
        .unwrap()
        .unwrap();
    let pkg = supervision_xml::read_package(&xml).unwrap();
    assert_eq!(pkg.events.len(), n);
    assert_eq!(pkg.head.destination_id, supervision_xml::BROADCAST);
    assert_eq!(pkg.head.send_date, "2026-11-06 17:00:00");
    let of = |no: &str| -> Vec<(Stage, String)> {
        pkg.events
            .iter()
            .filter(|e| e.project_no == no)
            .map(|e| (e.stage, e.result.clone()))
            .collect()
    };
    assert_eq!(of(&h.a), [(Stage::Acceptance, "受理".to_string())]);
    assert_eq!(of(&h.d), [(Stage::PreAcceptance, "收件".to_string())]);
    assert_eq!(of(&h.f), [(Stage::Acceptance, "不予受理".to_string())]);
    assert_eq!(
        of(&h.e),
        [
            (Stage::Acceptance, "受理".to_string()),
            (Stage::Conclusion, "作废".to_string())
        ]
    );
    assert_eq!(
        of(&h.c),
        [
            (Stage::Acceptance, "受理".to_string()),
            (Stage::SpecialApplication, String::new()),
            (Stage::SpecialResult, "听证结束，继续审查".to_string())
        ]
    );
    assert_eq!(
        of(&h.b),
        [
            (Stage::Acceptance, "受理".to_string()),
            (Stage::SupplementNotice, "补交告知".to_string())
        ]
    );
    let special: Vec<_> = pkg
        .events
        .iter()
        .filter(|e| e.project_no == h.c && e.stage != Stage::Acceptance)
        .collect();
    assert!(
        special
            .iter()
            .all(|e| e.special_type == "B" && e.special_name == "听证")
    );
    let accept = pkg.events.iter().find(|e| e.project_no == h.a).unwrap();
    assert_eq!(accept.handler, "张三");
    assert_eq!(accept.promise_limit, "5个工作日");
    assert_eq!(accept.handle_time, "2026-11-02 10:00:00");
    assert!(accept.jhid.starts_with("20261102100000"));
    assert_eq!(accept.jhid.len(), 21);
    // Exchange numbers are unique and stable: exporting again gives the same events.
    let mut ids: Vec<_> = pkg.events.iter().map(|e| e.jhid.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
    let again = desk
        .supervision_events(day("2026-11-01"), day("2026-11-30"))
        .await
        .unwrap();
    assert_eq!(again, pkg.events);
    // The range is by day, inclusive: only Tuesday 3rd has B's acceptance.
    let tue = desk
        .supervision_events(day("2026-11-03"), day("2026-11-03"))
        .await
        .unwrap();
    assert_eq!(tue.len(), 1);
    assert_eq!(tue[0].project_no, h.b);
    // No events: no package; a backwards range is refused.
    assert!(
        desk.supervision_package(
            day("2026-12-01"),
            day("2026-12-31"),
            &ExportOptions::default()
        )
        .await
        .unwrap()
        .is_none()
    );
    assert!(
        desk.supervision_package(
            day("2026-11-30"),
            day("2026-11-01"),
            &ExportOptions::default()
        )
        .await
        .is_err()
    );
}
