//! `yichuang calendar` and `case show` over a year without an official holiday arrangement.
//! The case is accepted through the core with a pinned clock, so nothing here depends on the
//! date the test runs (a promised date of an accepted case does not move with today).

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::DateTime;
use yichuang_core::Desk;
use yichuang_core::catalog::CatalogFile;
use yichuang_core::dict::TimeUnit;
use yichuang_core::model::*;
use yichuang_core::time::FixedClock;

const WARNING_2027: &str = "2027年节假日安排尚未导入，日期按法定节日估算";

fn yichuang(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yichuang"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("YICHUANG_DATA_DIR")
        .env_remove("YICHUANG_SESSION")
        .output()
        .expect("run yichuang")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A case of a 3-working-day item accepted on Wednesday 2026-12-30: due in 2027.
async fn accepted_over_new_year(dir: &Path) -> String {
    let clock = Arc::new(FixedClock(
        DateTime::parse_from_rfc3339("2026-12-30T10:00:00+08:00").unwrap(),
    ));
    let desk = Desk::open_with_clock(dir, clock).await.unwrap();
    let mut catalog = CatalogFile::sample().unwrap();
    catalog.items[0].promise = 3;
    catalog.items[0].promise_type = TimeUnit::WorkingDays;
    desk.store().replace_catalog(&catalog).await.unwrap();
    let item = desk.catalog().await.unwrap()[0].clone();
    let form = IntakeForm::natural_person(&item, "赵堃", "11010519491231002X");
    desk.clerk()
        .await
        .unwrap()
        .accept(&form)
        .await
        .unwrap()
        .project_no
}

#[tokio::test]
async fn case_show_warns_and_an_import_replaces_the_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let no = accepted_over_new_year(dir.path()).await;

    let out = yichuang(dir.path(), &["case", "show", &no]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("2027-01-05前"), "{shown}");
    assert!(
        shown.contains(&format!("日期说明  {WARNING_2027}")),
        "{shown}"
    );
    assert!(
        shown.contains("日期估算"),
        "the history records it: {shown}"
    );

    let out = yichuang(dir.path(), &["calendar", "show"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let years = text(&out.stdout);
    assert!(years.contains("2025年  官方安排"), "{years}");
    assert!(years.contains("2026年  官方安排"), "{years}");

    // A file with a bad entry: exit 2, the entry named, nothing changed.
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"source":"x","years":[2027],"holidays":[{"date":"2027-01-01","name":"元旦"},{"date":"2027-13-01","name":"春节"}],"workdays":[]}"#,
    )
    .unwrap();
    let out = yichuang(dir.path(), &["calendar", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("放假日（holidays）第2条"), "{err}");
    assert!(err.contains("2027-13-01"), "{err}");
    let still = text(&yichuang(dir.path(), &["case", "show", &no]).stdout);
    assert!(still.contains(WARNING_2027), "{still}");

    // The real thing: 2027-01-04 is a holiday in this made-up arrangement.
    let good = dir.path().join("2027.json");
    std::fs::write(
        &good,
        r#"{"source":"国务院办公厅关于2027年部分节假日安排的通知（测试用）","years":[2027],
            "holidays":[{"date":"2027-01-01","name":"元旦"},{"date":"2027-01-04","name":"元旦"}],
            "workdays":[]}"#,
    )
    .unwrap();
    let out = yichuang(dir.path(), &["calendar", "import", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let done = text(&out.stdout);
    assert!(done.contains("已导入2027年节假日安排"), "{done}");
    assert!(
        done.contains(&format!("{no}  赵堃"))
            && done.contains("承诺办结日期由2027-01-05调整为2027-01-06"),
        "{done}"
    );

    let shown = text(&yichuang(dir.path(), &["case", "show", &no]).stdout);
    assert!(shown.contains("2027-01-06前"), "{shown}");
    assert!(!shown.contains("日期说明"), "{shown}");
    assert!(
        shown.contains("承诺办结日期由2027年1月5日调整为2027年1月6日"),
        "{shown}"
    );
    let years = text(&yichuang(dir.path(), &["calendar", "show", "--json"]).stdout);
    let v: serde_json::Value = serde_json::from_str(&years).unwrap();
    let y2027 = v["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2027)
        .unwrap();
    assert_eq!(y2027["official"], true);
}
