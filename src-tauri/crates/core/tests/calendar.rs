//! The working-day calendar at the desk: a promised date over a year without an official
//! holiday arrangement carries its warning everywhere (intake, the case, the notice and its
//! record, the supervisors' view); importing that year's arrangement replaces the estimate and
//! moves the open cases' dates, each change in the case history.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use yichuang_core::Desk;
use yichuang_core::catalog::CatalogFile;
use yichuang_core::dict::TimeUnit;
use yichuang_core::model::*;
use yichuang_testkit::fixed as at;

const WARNING_2027: &str = "2027年节假日安排尚未导入，日期按法定节日估算";

/// A made-up State Council arrangement for 2027: New Year's Day with a working Saturday after
/// it, and a long Spring Festival with a working Sunday.
const MADE_UP_2027: &str = r#"{
  "source": "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
  "years": [2027],
  "holidays": [
    {"date": "2027-01-01", "name": "元旦"},
    {"date": "2027-02-05", "name": "春节"},
    {"date": "2027-02-06", "name": "春节"},
    {"date": "2027-02-07", "name": "春节"},
    {"date": "2027-02-08", "name": "春节"},
    {"date": "2027-02-09", "name": "春节"},
    {"date": "2027-02-10", "name": "春节"},
    {"date": "2027-02-11", "name": "春节"},
    {"date": "2027-02-12", "name": "春节"},
    {"date": "2027-02-13", "name": "春节"}
  ],
  "workdays": [
    {"date": "2027-01-09", "name": "元旦调休上班"},
    {"date": "2027-02-14", "name": "春节调休上班"}
  ]
}"#;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A desk in `dir` at `time`, whose first catalog item is promised in 3 working days.
async fn desk_at(dir: &Path, time: &str) -> Desk {
    let desk = Desk::open_with_clock(dir, at(time)).await.unwrap();
    let mut catalog = CatalogFile::sample().unwrap();
    catalog.items[0].promise = 3;
    catalog.items[0].promise_type = TimeUnit::WorkingDays;
    desk.store().replace_catalog(&catalog).await.unwrap();
    desk
}

/// Accepts a case for the 3-working-day item at `time`; returns its number.
async fn accept_at(dir: &Path, time: &str, name: &str, id: &str) -> String {
    let desk = Desk::open_with_clock(dir, at(time)).await.unwrap();
    let item = desk.catalog().await.unwrap()[0].clone();
    yichuang_testkit::accepted(&desk, &IntakeForm::natural_person(&item, name, id))
        .await
        .project_no
}

fn pdf_text(pdf: &[u8], dir: &Path) -> String {
    let path = dir.join("n.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is required by the tests: run .ci/setup");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect()
}

#[tokio::test]
async fn a_date_within_official_years_carries_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-11-02T10:00:00+08:00").await;
    let item = desk.catalog().await.unwrap()[0].clone();
    let preview = desk
        .promised_date_if_accepted_now(&item.dept_ql_reg_no)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(preview.date, "2026-11-05");
    assert_eq!(preview.estimate, None);
    let case = yichuang_testkit::accepted(
        &desk,
        &IntakeForm::natural_person(&item, "赵堃", "11010519491231002X"),
    )
    .await
    .case;
    assert_eq!(case.promised_date.as_deref(), Some("2026-11-05"));
    assert_eq!(case.promised_date_estimate, None);
    assert!(case.history.iter().all(|e| e.action != "日期估算"));
}

#[tokio::test]
async fn a_date_over_an_unimported_year_says_it_is_an_estimate_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    // 2026-12-30 (Wednesday) + 3 working days runs into 2027, which has no official data.
    let desk = desk_at(dir.path(), "2026-12-30T10:00:00+08:00").await;
    let item = desk.catalog().await.unwrap()[0].clone();

    // At intake, before the decision.
    let preview = desk
        .promised_date_if_accepted_now(&item.dept_ql_reg_no)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(preview.estimate.as_deref(), Some(WARNING_2027));
    // 2026-12-31, then 2027-01-01 (元旦, estimated by law) is skipped: 01-04, 01-05.
    assert_eq!(preview.date, "2027-01-05");

    // On the case.
    let out = yichuang_testkit::accepted(
        &desk,
        &IntakeForm::natural_person(&item, "赵堃", "11010519491231002X"),
    )
    .await;
    let case = desk.get_case(&out.project_no).await.unwrap();
    assert_eq!(case.promised_date.as_deref(), Some("2027-01-05"));
    assert_eq!(case.promised_date_estimate.as_deref(), Some(WARNING_2027));

    // The case records that its notice's date was an estimate.
    let note = case
        .history
        .iter()
        .find(|e| e.action == "日期估算")
        .expect("the history records the estimate");
    assert!(note.opinion.contains("受理通知书"), "{}", note.opinion);
    assert!(note.opinion.contains("2027-01-05"), "{}", note.opinion);
    assert!(note.opinion.contains(WARNING_2027), "{}", note.opinion);

    // The notice is printed all the same, and says so.
    let pdf = desk
        .notice_pdf(&out.project_no, NoticeKind::Acceptance)
        .await
        .unwrap();
    let text = pdf_text(&pdf, dir.path());
    assert!(text.contains("2027年1月5日前"), "{text}");
    assert!(text.contains(WARNING_2027), "{text}");

    // The supervisors' view.
    let review = desk
        .pending_cases(&yichuang_core::supervision::PendingFilter::default())
        .await
        .unwrap();
    let row = review
        .cases
        .iter()
        .find(|c| c.project_no == out.project_no)
        .unwrap();
    assert_eq!(row.due_date.as_deref(), Some("2027-01-05"));
    assert_eq!(row.due_estimate.as_deref(), Some(WARNING_2027));
}

#[tokio::test]
async fn a_supplement_deadline_over_an_unimported_year_is_marked_too() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-12-30T10:00:00+08:00").await;
    let item = desk.catalog().await.unwrap()[0].clone();
    let request = SupplementRequest {
        materials: vec![SupplementItem {
            no: item.materials[0].no.clone(),
            sj_file_name: String::new(),
            reason: "复印件不清晰".into(),
        }],
        limit_days: 5,
        opinion: String::new(),
    };
    let out = desk
        .clerk()
        .await
        .unwrap()
        .intake_with(
            &IntakeForm::natural_person(&item, "赵堃", "11010519491231002X"),
            &IntakeDecision::RequestSupplement { request },
        )
        .await
        .unwrap();
    let case = desk.get_case(&out.project_no).await.unwrap();
    assert_eq!(
        case.supplements[0].due_estimate.as_deref(),
        Some(WARNING_2027)
    );
    assert!(case.history.iter().any(|e| e.action == "日期估算"));
    let pdf = desk
        .notice_pdf(&out.project_no, NoticeKind::Supplement)
        .await
        .unwrap();
    assert!(pdf_text(&pdf, dir.path()).contains(WARNING_2027));
}

#[tokio::test]
async fn importing_the_year_replaces_the_estimate_and_moves_open_cases() {
    let dir = tempfile::tempdir().unwrap();
    desk_at(dir.path(), "2027-01-06T09:00:00+08:00").await;
    // A: accepted Wednesday 2027-01-06: estimated 01-07, 01-08, 01-11; officially the
    // Saturday 01-09 is worked, so it moves earlier.
    let a = accept_at(
        dir.path(),
        "2027-01-06T10:00:00+08:00",
        "赵堃",
        "11010519491231002X",
    )
    .await;
    // B: accepted Wednesday 2027-02-03, before the Spring Festival, which the official
    // arrangement makes longer than the statutory days: it moves later.
    let b = accept_at(
        dir.path(),
        "2027-02-03T10:00:00+08:00",
        "钱玥",
        "11010519491231002X",
    )
    .await;
    let desk = Desk::open_with_clock(dir.path(), at("2027-02-03T11:00:00+08:00"))
        .await
        .unwrap();
    let before_a = desk.get_case(&a).await.unwrap();
    let before_b = desk.get_case(&b).await.unwrap();
    assert_eq!(before_a.promised_date.as_deref(), Some("2027-01-11"));
    assert_eq!(
        before_a.promised_date_estimate.as_deref(),
        Some(WARNING_2027)
    );
    assert_eq!(
        before_b.promised_date_estimate.as_deref(),
        Some(WARNING_2027)
    );
    let estimated_b = before_b.promised_date.clone().unwrap();
    assert!(
        d(&estimated_b) > d("2027-02-08"),
        "the Spring Festival is skipped even before the import: {estimated_b}"
    );

    let overview = desk.calendar_overview().await.unwrap();
    let y2027 = overview.years.iter().find(|y| y.year == 2027).unwrap();
    assert!(!y2027.official);
    assert!(
        overview
            .reminder
            .as_deref()
            .unwrap()
            .contains("2027年节假日安排尚未导入")
    );

    // A broken file changes nothing, and names the entry.
    let actor = desk.profile_actor().await.unwrap();
    let broken = MADE_UP_2027.replace("2027-02-14", "2027-02-30");
    let err = desk.import_calendar(&broken, &actor).await.unwrap_err();
    assert!(err.to_string().contains("2027-02-30"), "{err}");
    assert!(err.to_string().contains("第2条"), "{err}");
    assert_eq!(
        desk.get_case(&a).await.unwrap().promised_date,
        before_a.promised_date
    );

    let done = desk.import_calendar(MADE_UP_2027, &actor).await.unwrap();
    assert_eq!(done.years, vec![2027]);
    let change_a = done.changes.iter().find(|c| c.project_no == a).unwrap();
    assert_eq!(
        (change_a.from.as_str(), change_a.to.as_str()),
        ("2027-01-11", "2027-01-09")
    );
    let change_b = done.changes.iter().find(|c| c.project_no == b).unwrap();
    assert_eq!(change_b.from, estimated_b);
    // 02-04, then the official holiday to 02-13, the working Sunday 02-14, then 02-15.
    assert_eq!(change_b.to, "2027-02-15");

    let after_a = desk.get_case(&a).await.unwrap();
    assert_eq!(after_a.promised_date.as_deref(), Some("2027-01-09"));
    assert_eq!(after_a.promised_date_estimate, None);
    let moved = after_a
        .history
        .iter()
        .find(|e| e.action == "调整日期")
        .expect("the change is in the history");
    assert!(
        moved
            .opinion
            .starts_with("承诺办结日期由2027年1月11日调整为2027年1月9日"),
        "{}",
        moved.opinion
    );
    let after_b = desk.get_case(&b).await.unwrap();
    assert_eq!(after_b.promised_date.as_deref(), Some("2027-02-15"));
    assert_eq!(after_b.promised_date_estimate, None);

    // Only the date that moved earlier notifies.
    let notes = desk.notifications(true, 20).await.unwrap();
    let earlier: Vec<_> = notes
        .iter()
        .filter(|n| n.kind == yichuang_core::workdays::DATE_MOVED_KIND)
        .collect();
    assert_eq!(earlier.len(), 1, "{notes:?}");
    assert_eq!(earlier[0].project_no, a);

    // The year is now official, on this desk and on one opened afresh.
    let overview = desk.calendar_overview().await.unwrap();
    assert!(overview.years.iter().any(|y| y.year == 2027 && y.official));
    let reopened = Desk::open_with_clock(dir.path(), at("2027-02-03T12:00:00+08:00"))
        .await
        .unwrap();
    assert!(reopened.calendar().is_official(2027));
    assert!(!reopened.calendar().is_working_day(d("2027-02-12")));
    assert!(reopened.calendar().is_working_day(d("2027-02-14")));
    // 2026 is untouched by the import.
    assert!(!reopened.calendar().is_working_day(d("2026-10-01")));
}

#[tokio::test]
async fn a_running_window_sees_an_import_made_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let window = desk_at(dir.path(), "2027-01-06T09:00:00+08:00").await;
    let a = accept_at(
        dir.path(),
        "2027-01-06T10:00:00+08:00",
        "赵堃",
        "11010519491231002X",
    )
    .await;
    assert_eq!(
        window.get_case(&a).await.unwrap().promised_date.as_deref(),
        Some("2027-01-11")
    );
    // The CLI, another Desk on the same data directory, imports.
    let cli = Desk::open_with_clock(dir.path(), at("2027-01-06T11:00:00+08:00"))
        .await
        .unwrap();
    let actor = cli.profile_actor().await.unwrap();
    cli.import_calendar(MADE_UP_2027, &actor).await.unwrap();
    let case = window.get_case(&a).await.unwrap();
    assert_eq!(case.promised_date.as_deref(), Some("2027-01-09"));
    assert_eq!(case.promised_date_estimate, None);
}

#[tokio::test]
async fn the_reminder_comes_from_the_first_of_november() {
    let dir = tempfile::tempdir().unwrap();
    let october = desk_at(dir.path(), "2026-10-31T10:00:00+08:00").await;
    assert_eq!(october.calendar_overview().await.unwrap().reminder, None);
    let november = Desk::open_with_clock(dir.path(), at("2026-11-01T10:00:00+08:00"))
        .await
        .unwrap();
    let o = november.calendar_overview().await.unwrap();
    assert_eq!(o.reminder_year, Some(2027));
    assert!(o.reminder.unwrap().contains("2027年节假日安排尚未导入"));
    assert!(!o.reminder_seen);
    november.calendar_reminder_seen(2027).await.unwrap();
    assert!(november.calendar_overview().await.unwrap().reminder_seen);
    // After the import, no reminder.
    let actor = november.profile_actor().await.unwrap();
    november
        .import_calendar(MADE_UP_2027, &actor)
        .await
        .unwrap();
    assert_eq!(november.calendar_overview().await.unwrap().reminder, None);
}
