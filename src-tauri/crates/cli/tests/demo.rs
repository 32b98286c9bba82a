//! The trainers' demo from the command line: a demo data directory can be pointed at no real
//! hub (neither by `hub config` nor by editing `hub.json`), and `yichuang demo` moves the clock
//! and resets the demo, on demo desks only.

mod common;

use std::process::Output;

use chrono::DateTime;
use yichuang_core::{Desk, demo};
use yichuang_hub::sim::{self, SimConfig};
use yichuang_sync::HubSettings;

use common::{text, yichuang};

/// `yichuang` as the demo account `login` (password `DEMO_PASSWORD`), through its session.
fn yichuang_as(dir: &std::path::Path, login: &str, args: &[&str]) -> Output {
    let out = common::yichuang_cmd()
        .arg("--data-dir")
        .arg(dir)
        .args(["account", "login", login])
        .env("YICHUANG_PASSWORD", yichuang_core::accounts::DEMO_PASSWORD)
        .output()
        .expect("run yichuang");
    assert!(out.status.success(), "{}", text(&out));
    let session = String::from_utf8_lossy(&out.stdout).trim().to_string();
    common::yichuang_in(dir, args)
        .env("YICHUANG_SESSION", session)
        .output()
        .expect("run yichuang")
}

async fn demo_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // Seeded at the instant the CLI's clock is pinned at.
    let now = DateTime::parse_from_rfc3339(common::NOW).unwrap();
    demo::seed(dir.path(), now, 3).await.unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_data_dir_cannot_be_pointed_at_a_real_hub() {
    let dir = demo_dir().await;
    let out = yichuang(
        dir.path(),
        &["hub", "config", "--url", "http://127.0.0.1:9"],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(
        text(&out).contains("不能配置真实的办件中心"),
        "{}",
        text(&out)
    );
    assert!(!dir.path().join("hub.json").exists());

    // A hub that answers on loopback (a simulator of this test process, not of the CLI's):
    // written into hub.json by hand, it still gets nothing.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hub = sim::serve(SimConfig::default(), listener).await.unwrap();
    let desk = Desk::open_with_clock(dir.path(), common::clock())
        .await
        .unwrap();
    let form =
        serde_json::from_str(include_str!("../../../../assets/examples/accept.json")).unwrap();
    desk.clerk().await.unwrap().accept(&form).await.unwrap();
    HubSettings {
        base_url: hub.base_url(),
        ..Default::default()
    }
    .save(&desk)
    .unwrap();
    let out = yichuang(dir.path(), &["sync", "--once"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(
        text(&out).contains("演示（培训）窗口只能连接本程序内置的办件中心模拟器"),
        "{}",
        text(&out)
    );
    assert!(hub.received().is_empty(), "nothing reached the hub");
    let out = common::yichuang_cmd()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["sync", "--once"])
        .env("YICHUANG_HUB_URL", hub.base_url())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(hub.received().is_empty());
    hub.shutdown().await;
}

#[tokio::test]
async fn demo_clock_and_reset_from_the_command_line() {
    let dir = demo_dir().await;
    // The trainers' controls need a trainer's session: none, or a clerk's, is refused.
    let out = yichuang(dir.path(), &["demo", "clock", "+3d"]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    let out = yichuang_as(dir.path(), "clerk01", &["demo", "clock", "+3d"]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(text(&out).contains("无权使用培训控制"), "{}", text(&out));
    let out = yichuang_as(dir.path(), "trainer", &["demo", "clock", "+3d"]);
    assert!(out.status.success(), "{}", text(&out));
    let clock: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(clock["offset_secs"], 3 * 86_400);
    assert_eq!(clock["offset_text"], "已前移3天");
    let out = yichuang_as(dir.path(), "trainer", &["demo", "clock"]);
    let clock: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(clock["offset_secs"], 3 * 86_400, "persisted");

    let out = yichuang_as(dir.path(), "trainer", &["demo", "clock", "-1d"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("时钟前移量"), "{}", text(&out));
    let out = yichuang_as(dir.path(), "trainer", &["demo", "clock", "reset"]);
    assert!(out.status.success(), "{}", text(&out));
    let clock: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(clock["offset_secs"], 0);

    let out = yichuang_as(dir.path(), "trainer", &["demo", "hub", "down"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        text(&out).contains("只能在窗口的“培训控制”中切换"),
        "{}",
        text(&out)
    );

    // A new case, then a reset: gone; the 40 seeded cases are back.
    let desk = Desk::open_with_clock(dir.path(), common::clock())
        .await
        .unwrap();
    let form =
        serde_json::from_str(include_str!("../../../../assets/examples/accept.json")).unwrap();
    let new = desk
        .clerk()
        .await
        .unwrap()
        .accept(&form)
        .await
        .unwrap()
        .project_no;
    let out = yichuang_as(dir.path(), "trainer", &["demo", "reset"]);
    assert_eq!(out.status.code(), Some(2), "asks for --yes: {}", text(&out));
    assert!(desk.get_case(&new).await.is_ok());
    let out = yichuang_as(dir.path(), "trainer", &["demo", "reset", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("演示数据已重置，共 40 件演示办件"));
    let cases = desk.list_cases(None, None).await.unwrap();
    assert_eq!(cases.len(), 40);
    assert!(
        cases
            .iter()
            .all(|c| c.project_no != new || c.applicant_name != form_name())
    );
}

fn form_name() -> String {
    let f: serde_json::Value =
        serde_json::from_str(include_str!("../../../../assets/examples/accept.json")).unwrap();
    f["applicant_name"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn trainer_commands_are_refused_on_a_real_desk() {
    let dir = tempfile::tempdir().unwrap();
    Desk::open_with_clock(dir.path(), common::clock())
        .await
        .unwrap();
    for args in [
        &["demo", "clock", "+1d"][..],
        &["demo", "clock"][..],
        &["demo", "clock", "reset"][..],
        &["demo", "reset", "--yes"][..],
    ] {
        let out = yichuang(dir.path(), args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("这不是演示（培训）窗口"),
            "{}",
            text(&out)
        );
    }
}
