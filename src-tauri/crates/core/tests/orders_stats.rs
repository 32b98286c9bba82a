//! Supervision orders (督办), the applicant's satisfaction and the statistics, through the
//! real store; and the supervisors' .xlsx exports read back.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use yichuang_core::dict::{HandleResult, Satisfaction};
use yichuang_core::model::*;
use yichuang_core::stats::{StatCount, StatsFilter};
use yichuang_core::supervision::PendingFilter;
use yichuang_core::supervision_xlsx;
use yichuang_core::timelimit::WarningLevel;
use yichuang_core::{CoreError, Desk};

use yichuang_testkit::catalog::{five_working_day_item as item, intake};
use yichuang_testkit::{desk_at, with_profile};

async fn as_clerk(dir: &Path, when: &str, clerk: &str, window: &str) -> Desk {
    let desk = desk_at(dir, when).await;
    with_profile(&desk, |p| {
        p.clerk_name = clerk.into();
        p.window_no = window.into();
        p.unified_intake = true;
    })
    .await;
    desk
}

struct Hall {
    dir: tempfile::TempDir,
    item: CatalogItem,
    /// Accepted at intake, Mon 2 Nov, window 01 (overdue from Tue 10th).
    a: String,
    /// Received Mon 10:00, accepted 10:30 (overdue from Tue 10th).
    r: String,
    /// Accepted Tue 3 Nov at window 02, concluded, rated 很满意.
    b: String,
}

/// Mon 2 Nov 2026 at window 01 (张三): A accepted, R received (accepted half an hour later),
/// F refused, S asked for a supplement. Tue 3rd at window 02 (李四): B and C accepted,
/// concluded, rated 很满意 and 不满意.
async fn hall() -> Hall {
    let dir = tempfile::tempdir().unwrap();
    let desk = as_clerk(dir.path(), "2026-11-02T10:00:00+08:00", "张三", "01").await;
    let item = item(&desk).await;
    let a = intake(&desk, &item, 1, IntakeDecision::Accept).await;
    let r = intake(&desk, &item, 2, IntakeDecision::Receive).await;
    intake(
        &desk,
        &item,
        3,
        IntakeDecision::Reject {
            reason: "不属于本机关职权范围".into(),
        },
    )
    .await;
    let request = SupplementRequest {
        materials: vec![SupplementItem {
            no: item.materials[0].no.clone(),
            sj_file_name: String::new(),
            reason: "复印件不清晰".into(),
        }],
        limit_days: 5,
        opinion: String::new(),
    };
    intake(
        &desk,
        &item,
        4,
        IntakeDecision::RequestSupplement { request },
    )
    .await;
    let desk = as_clerk(dir.path(), "2026-11-02T10:30:00+08:00", "张三", "01").await;
    desk.clerk()
        .await
        .unwrap()
        .apply(&r, &CaseAction::Accept)
        .await
        .unwrap();
    let desk = as_clerk(dir.path(), "2026-11-03T09:00:00+08:00", "李四", "02").await;
    let b = intake(&desk, &item, 5, IntakeDecision::Accept).await;
    let c = intake(&desk, &item, 6, IntakeDecision::Accept).await;
    for no in [&b, &c] {
        desk.clerk()
            .await
            .unwrap()
            .apply(
                no,
                &CaseAction::Conclude {
                    status: HandleResult::Approved,
                    result_no: String::new(),
                    note: "准予许可".into(),
                },
            )
            .await
            .unwrap();
    }
    desk.record_satisfaction(&b, Satisfaction::VerySatisfied, "李四")
        .await
        .unwrap();
    desk.record_satisfaction(&c, Satisfaction::Dissatisfied, "李四")
        .await
        .unwrap();
    Hall { dir, item, a, r, b }
}

#[tokio::test]
async fn an_order_is_issued_answered_and_closed_and_kept_with_the_case() {
    let h = hall().await;
    let desk = desk_at(h.dir.path(), "2026-11-10T09:00:00+08:00").await;
    let order = desk
        .issue_supervision_order(
            &h.a,
            "王督查",
            "监察室",
            " 已超期，请说明原因 ",
            Some("2026-11-12"),
        )
        .await
        .unwrap();
    assert_eq!(order.project_no, h.a);
    assert_eq!(order.text, "已超期，请说明原因");
    assert_eq!(order.reply_by.as_deref(), Some("2026-11-12"));
    assert_eq!(order.issued_at, "2026-11-10 09:00:00");
    assert_eq!(order.issued_by, "王督查");
    assert!(order.closed_at.is_none() && order.replies.is_empty());

    // The clerk is told.
    let n = desk.notifications(true, 10).await.unwrap();
    assert_eq!(n[0].kind, "supervision_order");
    assert_eq!(n[0].project_no, h.a);
    assert!(
        n[0].body.contains("已超期") && n[0].body.contains("2026-11-12"),
        "{:?}",
        n[0]
    );

    let desk = desk_at(h.dir.path(), "2026-11-10T11:00:00+08:00").await;
    let replied = desk
        .reply_supervision_order(order.id, "张三", "01", "部门审核中，今日催办")
        .await
        .unwrap();
    assert_eq!(replied.replies.len(), 1);
    assert_eq!(replied.replies[0].by, "张三");
    assert_eq!(replied.replies[0].window_no, "01");
    assert_eq!(replied.replies[0].at, "2026-11-10 11:00:00");
    let n = desk.notifications(true, 10).await.unwrap();
    assert_eq!(n[0].kind, "supervision_reply");
    assert!(n[0].body.starts_with("张三："), "{}", n[0].body);

    assert_eq!(desk.supervision_orders(None, true).await.unwrap().len(), 1);
    let closed = desk
        .close_supervision_order(order.id, "王督查", "监察室", "情况属实，继续跟踪")
        .await
        .unwrap();
    assert_eq!(closed.closed_at.as_deref(), Some("2026-11-10 11:00:00"));
    assert_eq!(closed.closed_by, "王督查");
    assert_eq!(closed.close_note, "情况属实，继续跟踪");
    assert!(
        desk.supervision_orders(None, true)
            .await
            .unwrap()
            .is_empty()
    );
    let listed = desk.supervision_orders(Some(&h.a), false).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], closed);

    // The case carries the whole exchange.
    let case = desk.get_case(&h.a).await.unwrap();
    assert_eq!(case.supervision_orders, [closed]);
    assert!(
        desk.get_case(&h.b)
            .await
            .unwrap()
            .supervision_orders
            .is_empty()
    );
}

#[tokio::test]
async fn orders_refuse_empty_text_closed_orders_and_unknown_cases() {
    let h = hall().await;
    let desk = desk_at(h.dir.path(), "2026-11-10T09:00:00+08:00").await;
    let e = desk
        .issue_supervision_order(&h.a, "王督查", "", "   ", Some("2026-11-01"))
        .await
        .unwrap_err();
    let CoreError::Validation(fields) = e else {
        panic!("{e:?}")
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["text", "reply_by"]);
    assert_eq!(fields[0].message, "请填写督办内容");
    let e = desk
        .issue_supervision_order(&h.a, "王督查", "", "请说明", Some("11月12日"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Validation(ref f) if f[0].field == "reply_by"),
        "{e:?}"
    );
    let e = desk
        .issue_supervision_order("11650100MB0000000X0001", "王督查", "", "请说明", None)
        .await
        .unwrap_err();
    assert!(matches!(e, CoreError::NotFound(_)), "{e:?}");
    // Nothing was stored, nobody was told.
    assert!(
        desk.supervision_orders(None, false)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(desk.notifications(true, 10).await.unwrap().is_empty());

    let order = desk
        .issue_supervision_order(&h.a, "王督查", "", "请说明", None)
        .await
        .unwrap();
    let e = desk
        .reply_supervision_order(order.id, "张三", "01", "")
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Validation(ref f) if f[0].field == "text"),
        "{e:?}"
    );
    let e = desk
        .reply_supervision_order(order.id + 100, "张三", "01", "好的")
        .await
        .unwrap_err();
    assert!(matches!(e, CoreError::NotFound(_)), "{e:?}");
    desk.close_supervision_order(order.id, "王督查", "", "")
        .await
        .unwrap();
    let e = desk
        .reply_supervision_order(order.id, "张三", "01", "补充说明")
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Conflict(ref m) if m.contains("已办结")),
        "{e:?}"
    );
    let e = desk
        .close_supervision_order(order.id, "王督查", "", "")
        .await
        .unwrap_err();
    assert!(matches!(e, CoreError::Conflict(_)), "{e:?}");
    let case = desk.get_case(&h.a).await.unwrap();
    assert!(case.supervision_orders[0].replies.is_empty());
}

#[tokio::test]
async fn satisfaction_is_recorded_only_after_conclusion() {
    let h = hall().await;
    let desk = desk_at(h.dir.path(), "2026-11-10T09:00:00+08:00").await;
    let b = desk.get_case(&h.b).await.unwrap();
    assert_eq!(b.satisfaction, Some(Satisfaction::VerySatisfied));
    assert_eq!(b.satisfaction_at.as_deref(), Some("2026-11-03 09:00:00"));
    let e = desk
        .record_satisfaction(&h.a, Satisfaction::Satisfied, "张三")
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Conflict(ref m) if m.contains("已受理")),
        "{e:?}"
    );
    assert_eq!(desk.get_case(&h.a).await.unwrap().satisfaction, None);
    let e = desk
        .record_satisfaction("nope", Satisfaction::Satisfied, "张三")
        .await
        .unwrap_err();
    assert!(matches!(e, CoreError::NotFound(_)), "{e:?}");
    // A later rating replaces the earlier one.
    desk.record_satisfaction(&h.b, Satisfaction::Satisfied, "李四")
        .await
        .unwrap();
    assert_eq!(
        desk.get_case(&h.b).await.unwrap().satisfaction,
        Some(Satisfaction::Satisfied)
    );
}

fn pairs(l: &[StatCount]) -> Vec<(String, u64)> {
    l.iter().map(|c| (c.key.clone(), c.count)).collect()
}

#[tokio::test]
async fn statistics_count_the_seeded_hall() {
    let h = hall().await;
    let desk = desk_at(h.dir.path(), "2026-11-16T09:00:00+08:00").await;
    let s = desk.case_stats(&StatsFilter::default()).await.unwrap();
    assert_eq!(s.today, "2026-11-16");
    assert_eq!(s.total, 6);
    assert_eq!(
        pairs(&s.per_day),
        [("2026-11-02".to_string(), 4), ("2026-11-03".to_string(), 2)]
    );
    assert_eq!(
        pairs(&s.per_window),
        [("01".to_string(), 4), ("02".to_string(), 2)]
    );
    assert_eq!(pairs(&s.per_item), [(h.item.dept_ql_reg_no.clone(), 6)]);
    assert_eq!(s.per_item[0].label, h.item.dept_ql_name);
    assert_eq!(s.per_department[0].label, h.item.org_name);
    assert_eq!(s.accepted, 4);
    // A, B, C accepted at intake (0 minutes), R half an hour after it was received.
    assert!(
        (s.avg_accept_minutes.unwrap() - 7.5).abs() < 0.01,
        "{:?}",
        s.avg_accept_minutes
    );
    assert_eq!(s.supplemented, 1);
    assert!((s.supplement_rate - 1.0 / 6.0).abs() < 1e-9);
    assert_eq!(s.rejected, 1);
    // A and R were due Mon 9th; B and C are concluded.
    assert_eq!(s.overdue, 2);
    assert_eq!(s.yellow, 0);
    assert_eq!(s.rated, 2);
    assert_eq!(s.satisfaction_avg, Some(3.5));
    let sat: Vec<_> = s.satisfaction.iter().map(|c| (c.rating, c.count)).collect();
    assert_eq!(
        sat,
        [
            (Satisfaction::VeryDissatisfied, 0),
            (Satisfaction::Dissatisfied, 1),
            (Satisfaction::Neutral, 0),
            (Satisfaction::Satisfied, 0),
            (Satisfaction::VerySatisfied, 1),
        ]
    );

    // The range is on the intake day.
    let tue = desk
        .case_stats(&StatsFilter {
            from: Some("2026-11-03".into()),
            to: Some("2026-11-03".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        (tue.total, tue.accepted, tue.overdue, tue.rated),
        (2, 2, 0, 2)
    );
    assert_eq!(tue.rejection_rate, 0.0);
    let none = desk
        .case_stats(&StatsFilter {
            from: Some("2026-12-01".into()),
            to: None,
        })
        .await
        .unwrap();
    assert_eq!((none.total, none.supplement_rate), (0, 0.0));
    assert!(none.avg_accept_minutes.is_none() && none.per_day.is_empty());

    let e = desk
        .case_stats(&StatsFilter {
            from: Some("2026-11-05".into()),
            to: Some("2026-11-01".into()),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Validation(ref f) if f[0].field == "to"),
        "{e:?}"
    );
    let e = desk
        .case_stats(&StatsFilter {
            from: Some("2026/11/05".into()),
            to: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(e, CoreError::Validation(ref f) if f[0].field == "from"),
        "{e:?}"
    );
}

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_pending_view_and_the_statistics_export_to_xlsx() {
    let h = hall().await;
    let desk = desk_at(h.dir.path(), "2026-11-16T09:00:00+08:00").await;
    let red = PendingFilter {
        level: Some(WarningLevel::Red),
        window_no: Some("01".into()),
        ..Default::default()
    };
    let path = desk.export_pending_file(&red).await.unwrap();
    assert!(path.starts_with(h.dir.path().join("exports")));
    let rows = sheet(&std::fs::read(&path).unwrap(), "在办件");
    assert_eq!(rows[0], supervision_xlsx::PENDING_COLS);
    let nos: Vec<_> = rows[1..3].iter().map(|r| r[3].clone()).collect();
    assert_eq!(nos, [h.a.clone(), h.r.clone()]);
    assert_eq!(rows[1][0], "红牌");
    assert_eq!(rows[1][1], "2026-11-09");
    assert_eq!(rows[1][2], "-5");
    assert_eq!(rows[1][7], "01");
    assert!(rows.last().unwrap()[0].starts_with("今日 2026-11-16"));
    // The window filter leaves window 02's cases out (and concluded ones are pending).
    let other = desk
        .pending_cases(&PendingFilter {
            window_no: Some("02".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(other.cases.len(), 2);
    assert!(other.cases.iter().all(|c| c.window_no == "02"));

    let path = desk
        .export_stats_file(&StatsFilter::default())
        .await
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let summary = sheet(&bytes, "汇总");
    let value = |k: &str| {
        summary
            .iter()
            .find(|r| r[0] == k)
            .map(|r| r[1].clone())
            .unwrap()
    };
    assert_eq!(value("收件总数"), "6");
    assert_eq!(value("超期在办（红牌）"), "2");
    assert_eq!(value("补正率"), "16.7%");
    assert_eq!(value("平均受理用时（分钟）"), "7.5");
    let per_window = sheet(&bytes, "按窗口");
    assert_eq!(per_window[1], ["01", "01", "4"]);
    let sat = sheet(&bytes, "满意度");
    assert_eq!(sat[5], ["5", "很满意", "1"]);
}

#[tokio::test]
async fn the_call_log_of_one_case() {
    let h = hall().await;
    let desk = desk_at(h.dir.path(), "2026-11-10T09:00:00+08:00").await;
    let call = |n: i64, no: &str, outcome: &str| CallLogRecord {
        id: 0,
        caller: "01".into(),
        time: format!("2026-11-10T01:00:0{n}Z"),
        interface: "pushAcceptProjectInfo".into(),
        request: format!(r#"{{"projectno":"{no}","applyername":"张*"}}"#),
        response: None,
        http_status: Some(200),
        duration_ms: 12,
        outcome: outcome.into(),
        message: String::new(),
    };
    desk.call_log_append(&[
        call(1, &h.a, "ok"),
        call(2, &h.b, "ok"),
        call(3, &h.a, "refused"),
    ])
    .await
    .unwrap();
    let log = desk.call_log_for_case(&h.a, 50).await.unwrap();
    let outcomes: Vec<_> = log.iter().map(|c| c.outcome.as_str()).collect();
    assert_eq!(outcomes, ["refused", "ok"]);
    assert!(desk.call_log_for_case(&h.r, 50).await.unwrap().is_empty());
    assert!(matches!(
        desk.call_log_for_case(" ", 50).await,
        Err(CoreError::Validation(_))
    ));
}
