//! The counter's first slice through the real store: accept, list, show, restart, notice.

use std::path::Path;
use std::process::Command;

use yichuang_core::catalog::CatalogFile;
use yichuang_core::idcard::testdata;
use yichuang_core::model::*;
use yichuang_core::{CoreError, Desk};
use yichuang_testkit::fixed as at;
use yichuang_testkit::{Person, for_item};

fn form_for(item: &CatalogItem, name: &str, id: &str) -> IntakeForm {
    let applicant = Person {
        name: name.into(),
        id: id.into(),
        mobile: "13999012345".into(),
    };
    IntakeForm {
        applicant_address: "乌鲁木齐市天山区解放南路100号".into(),
        ..for_item(item, &applicant)
    }
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
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn accept_stores_the_case_and_issues_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open_with_clock(dir.path(), at("2026-11-22T10:30:00+08:00"))
        .await
        .unwrap();
    let item = desk.catalog().await.unwrap()[3].clone();
    let id = "11010519491231002X";
    let out = yichuang_testkit::accepted(&desk, &form_for(&item, "赵堃", id)).await;

    // 31-character implementation code + YYYYMMDD + 4-digit sequence.
    assert_eq!(
        out.project_no,
        format!("{}202611220001", item.dept_ql_reg_no)
    );
    assert_eq!(out.project_no.len(), 31 + 8 + 4);
    let case = &out.case;
    assert_eq!(case.state, CaseState::Accepted);
    assert_eq!(case.applicant_paper_code, id);
    assert_eq!(case.acceptdate, "2026-11-22 10:30:00");
    assert_eq!(case.history.len(), 1);
    assert_eq!(case.history[0].to_state, CaseState::Accepted);
    assert_eq!(case.documents[0].kind, NoticeKind::Acceptance);
    assert_eq!(
        case.materials
            .iter()
            .map(|m| m.no.as_str())
            .collect::<Vec<_>>(),
        item.materials
            .iter()
            .filter(|m| m.sj_file_if)
            .map(|m| m.no.as_str())
            .collect::<Vec<_>>()
    );

    let text = pdf_text(
        &desk
            .notice_pdf(&out.project_no, NoticeKind::Acceptance)
            .await
            .unwrap(),
        dir.path(),
    );
    let profile = desk.profile().await.unwrap();
    for expected in [
        "受理通知书",
        out.project_no.as_str(),
        "赵堃",
        item.org_name.as_str(),
        "2026-11-22 10:30:00",
        profile.clerk_name.as_str(),
        case.promise_text.as_str(),
        case.delivery_method.label(),
        item.materials[0].sj_file_name.as_str(),
    ] {
        assert!(text.contains(expected), "notice lacks {expected}:\n{text}");
    }
    // Masked on paper.
    assert!(text.contains("110105********002X") && !text.contains(id));
}

#[tokio::test]
async fn sequence_counts_per_item_and_hall_day() {
    let dir = tempfile::tempdir().unwrap();
    // 23:30 UTC on the 21st is already the 22nd in the hall (UTC+8).
    let desk = Desk::open_with_clock(dir.path(), at("2026-11-21T17:30:00Z"))
        .await
        .unwrap();
    let cat = desk.catalog().await.unwrap();
    let mut rng = fastrand::Rng::with_seed(1);
    let mut numbers = Vec::new();
    for item in [&cat[0], &cat[0], &cat[1], &cat[0]] {
        let f = form_for(
            item,
            &testdata::random_name(&mut rng),
            &testdata::random_id(&mut rng),
        );
        numbers.push(yichuang_testkit::accepted(&desk, &f).await.project_no);
    }
    let tails: Vec<&str> = numbers.iter().map(|n| &n[31..]).collect();
    assert_eq!(
        tails,
        [
            "202611220001",
            "202611220002",
            "202611220001",
            "202611220003"
        ]
    );
}

#[tokio::test]
async fn concurrent_accepts_get_distinct_numbers() {
    let dir = tempfile::tempdir().unwrap();
    // Numbers run per day: on the system clock a run across the hall's midnight would start
    // them again.
    let desk = Desk::open_with_clock(dir.path(), at("2026-11-23T10:00:00+08:00"))
        .await
        .unwrap();
    let item = desk.catalog().await.unwrap()[0].clone();
    let mut tasks = Vec::new();
    for i in 0..20u64 {
        let desk = desk.clone();
        let mut rng = fastrand::Rng::with_seed(i);
        let f = form_for(
            &item,
            &testdata::random_name(&mut rng),
            &testdata::random_id(&mut rng),
        );
        tasks.push(tokio::spawn(async move {
            desk.clerk()
                .await
                .unwrap()
                .accept(&f)
                .await
                .map(|o| o.project_no)
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap());
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 20);
    assert!(numbers.last().unwrap().ends_with("202611230020"));
}

#[tokio::test]
async fn the_case_and_its_notice_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (no, pdf) = {
        let desk = Desk::open(dir.path()).await.unwrap();
        let item = desk.catalog().await.unwrap()[0].clone();
        let no = yichuang_testkit::accepted(&desk, &form_for(&item, "钱玥", "11010519491231002X"))
            .await
            .project_no;
        let pdf = desk.notice_pdf(&no, NoticeKind::Acceptance).await.unwrap();
        desk.store().pool().close().await;
        (no, pdf)
    };
    let desk = Desk::open(dir.path()).await.unwrap();
    let list = desk.list_cases(None, None).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].project_no, no);
    assert_eq!(list[0].applicant_paper_code_masked, "110105********002X");
    // The same document, byte for byte, as issued.
    assert_eq!(
        desk.notice_pdf(&no, NoticeKind::Acceptance).await.unwrap(),
        pdf
    );
    // Search by name, by case-number tail and by whole ID number.
    assert_eq!(desk.list_cases(Some("钱"), None).await.unwrap().len(), 1);
    assert_eq!(
        desk.list_cases(Some(&no[31..]), None).await.unwrap().len(),
        1
    );
    assert_eq!(
        desk.list_cases(Some("11010519491231002x"), None)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        desk.list_cases(Some("110105"), None).await.unwrap().len(),
        0
    );
    let out = dir.path().join("copy.pdf");
    desk.export_notice(&no, NoticeKind::Acceptance, Some(&out))
        .await
        .unwrap();
    assert_eq!(std::fs::read(out).unwrap(), pdf);
}

#[tokio::test]
async fn personal_data_is_not_stored_in_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).await.unwrap();
    let item = desk.catalog().await.unwrap()[0].clone();
    yichuang_testkit::accepted(&desk, &form_for(&item, "孙昇", "11010519491231002X")).await;
    desk.store().pool().close().await;
    let mut bytes = Vec::new();
    for f in ["yichuang.db", "yichuang.db-wal"] {
        if let Ok(b) = std::fs::read(dir.path().join(f)) {
            bytes.extend(b);
        }
    }
    assert!(!bytes.is_empty());
    for secret in ["11010519491231002X", "13999012345", "解放南路"] {
        let needle = secret.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{secret} found in the database file"
        );
    }
}

#[tokio::test]
async fn invalid_input_stores_nothing_and_uses_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open_with_clock(dir.path(), at("2026-11-22T09:00:00+08:00"))
        .await
        .unwrap();
    let item = desk.catalog().await.unwrap()[0].clone();
    let mut bad = form_for(&item, "周犇", "110105194912310021");
    let err = desk.clerk().await.unwrap().accept(&bad).await.unwrap_err();
    let CoreError::Validation(errors) = err else {
        panic!("expected validation, got {err:?}")
    };
    assert_eq!(errors[0].field, "applicant_paper_code");

    bad.applicant_paper_code = "11010519491231002X".into();
    bad.dept_ql_reg_no = "9".repeat(31);
    assert!(matches!(
        desk.clerk().await.unwrap().accept(&bad).await,
        Err(CoreError::Validation(_))
    ));
    assert!(desk.list_cases(None, None).await.unwrap().is_empty());

    let ok =
        yichuang_testkit::accepted(&desk, &form_for(&item, "周犇", "11010519491231002X")).await;
    assert!(ok.project_no.ends_with("202611220001"));
    assert!(matches!(
        desk.get_case("nope").await,
        Err(CoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn catalog_import_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).await.unwrap();
    let before = desk.catalog().await.unwrap();
    let mut cat = CatalogFile::sample().unwrap();
    cat.items.truncate(3);
    cat.items[2].materials.clear();
    let err = desk
        .import_catalog(&serde_json::to_string(&cat).unwrap())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("第3个事项"), "{err}");
    assert_eq!(desk.catalog().await.unwrap(), before);
    cat.items.truncate(2);
    assert_eq!(
        desk.import_catalog(&serde_json::to_string(&cat).unwrap())
            .await
            .unwrap(),
        2
    );
    assert_eq!(desk.catalog().await.unwrap().len(), 2);
}

#[tokio::test]
async fn desk_profile_is_checked_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).await.unwrap();
    let mut p = desk.profile().await.unwrap();
    p.clerk_name = "  ".into();
    p.area_no = "65".into();
    let Err(CoreError::Validation(errors)) = desk.set_profile(p.clone()).await else {
        panic!()
    };
    assert_eq!(
        errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["clerk_name", "area_no"]
    );
    p.clerk_name = "李玥".into();
    p.area_no = "650102".into();
    desk.set_profile(p.clone()).await.unwrap();
    assert_eq!(
        Desk::open(dir.path())
            .await
            .unwrap()
            .profile()
            .await
            .unwrap(),
        p
    );
}
