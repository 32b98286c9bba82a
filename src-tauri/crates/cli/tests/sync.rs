//! `yichuang sync` as a process: killed with SIGKILL in the middle of a push, then run again.
//! Nothing is lost, and the message that was in flight reaches the hub once more with the same
//! `no` and `sign`, which the simulator recognises as a duplicate.

mod common;

use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use yichuang_core::Desk;
use yichuang_core::idcard::testdata;
use yichuang_core::model::IntakeForm;
use yichuang_hub::Interface;
use yichuang_hub::sim::{self, Faults, SimConfig};
use yichuang_sync::HubSettings;

const EXAMPLE: &str = include_str!("../../../../assets/examples/accept.json");

fn sync_once(dir: &std::path::Path) -> Command {
    let mut c = common::yichuang_in(dir, &["sync", "--once"]);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_killed_mid_push_loses_nothing_and_the_hub_sees_one_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open_with_clock(dir.path(), common::clock())
        .await
        .unwrap();
    let mut rng = fastrand::Rng::with_seed(42);
    let mut nos = Vec::new();
    for _ in 0..20 {
        let mut f: IntakeForm = serde_json::from_str(EXAMPLE).unwrap();
        f.applicant_name = testdata::random_name(&mut rng);
        f.applicant_paper_code = testdata::random_id(&mut rng);
        nos.push(
            desk.clerk()
                .await
                .unwrap()
                .accept(&f)
                .await
                .unwrap()
                .project_no,
        );
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim = sim::serve(SimConfig::default(), listener).await.unwrap();
    // Slow: each message is stored at once, answered a second later.
    sim.set_faults(Faults {
        delay_ms: 1_000,
        ..Default::default()
    })
    .await;
    common::save_hub_for_sim(
        &desk,
        HubSettings {
            base_url: sim.base_url(),
            timeout_ms: 10_000,
            ..Default::default()
        },
    );
    // The token is not in the file in the clear.
    let file = std::fs::read_to_string(dir.path().join("hub.json")).unwrap();
    assert!(!file.contains(&SimConfig::default().profile.token));

    let mut child = sync_once(dir.path()).spawn().unwrap();
    // Kill it while the second message waits for its answer.
    let deadline = Instant::now() + Duration::from_secs(20);
    while sim.received().len() < 2 {
        assert!(Instant::now() < deadline, "the push never started");
        assert!(child.try_wait().unwrap().is_none(), "sync ended early");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    let at_kill = sim.received().len();

    sim.clear_faults().await;
    let out = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::task::spawn_blocking(move || sync_once(dir.path()).output().map(|o| (o, dir))),
    )
    .await
    .expect("second sync took more than 60 s")
    .unwrap()
    .unwrap();
    let (out, dir) = out;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();

    let received = sim.received();
    let firsts: Vec<_> = received
        .iter()
        .filter(|r| r.interface == Some(Interface::PushAccept) && !r.duplicate)
        .collect();
    let dups: Vec<_> = received.iter().filter(|r| r.duplicate).collect();
    // Every case reached the hub exactly once as a first delivery.
    let mut by_no: HashMap<String, usize> = HashMap::new();
    for r in &firsts {
        assert_eq!(r.outcome, "accepted");
        let no = r.plain["params"]["projectlist"][0]["no"]
            .as_str()
            .unwrap()
            .to_string();
        *by_no.entry(no).or_default() += 1;
    }
    assert_eq!(by_no.len(), 20, "{stdout}");
    assert!(by_no.values().all(|n| *n == 1));
    assert_eq!(
        by_no.keys().cloned().collect::<HashSet<_>>(),
        nos.iter().cloned().collect()
    );
    // The message in flight at the kill came again, with the same key (interface, no, sign).
    let first_keys: HashSet<_> = firsts.iter().map(|r| r.key.clone()).collect();
    assert_eq!(dups.len(), 1, "received at kill {at_kill}; {stdout}");
    assert!(first_keys.contains(&dups[0].key));
    eprintln!(
        "crash test: {} calls received, {} first deliveries, {} duplicate ({:?}); second run: {}",
        received.len(),
        firsts.len(),
        dups.len(),
        dups[0].key,
        stdout.trim()
    );

    let desk = Desk::open_with_clock(dir.path(), common::clock())
        .await
        .unwrap();
    let stats = desk.outbox_stats().await.unwrap();
    assert_eq!((stats.pending, stats.dead, stats.delivered), (0, 0, 20));
    // Both runs logged their calls, the killed one up to its last answer.
    let log = desk.call_log_list(false, 100).await.unwrap();
    assert!(log.len() >= 20, "{}", log.len());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_message_is_listed_dead_then_retried_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim = sim::serve(SimConfig::default(), listener).await.unwrap();
    let d = dir.path().to_path_buf();
    let url = sim.base_url();
    let out = common::yichuang_blocking(
        &d,
        &["hub", "config", "--url", &url, "--token", "sim-token"],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let form = dir.path().join("form.json");
    std::fs::write(&form, EXAMPLE).unwrap();
    let out =
        common::yichuang_blocking(&d, &["case", "accept", "--json", form.to_str().unwrap()]).await;
    assert!(out.status.success());
    sim.set_faults(Faults {
        refuse: Some("事项编码未在本系统登记".into()),
        remaining: Some(1),
        ..Default::default()
    })
    .await;
    let out = common::yichuang_blocking(&d, &["sync", "--once"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("办件中心拒绝：事项编码未在本系统登记"),
        "{err}"
    );
    let out = common::yichuang_blocking(&d, &["sync", "dead"]).await;
    let listed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(listed.contains("事项编码未在本系统登记"), "{listed}");
    let id = listed.split('\t').next().unwrap().to_string();
    let out = common::yichuang_blocking(&d, &["sync", "retry", &id]).await;
    assert!(out.status.success());
    let out = common::yichuang_blocking(&d, &["sync", "--once"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("已送达 1"));
    let out = common::yichuang_blocking(&d, &["hub", "log", "--failures"]).await;
    let log = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.contains("pushAcceptProjectInfo\trefused"), "{log}");
    let out = common::yichuang_blocking(&d, &["hub", "log", "--json"]).await;
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let out = common::yichuang_blocking(&d, &["sync", "retry", "999"]).await;
    assert_eq!(out.status.code(), Some(3));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_keeps_delivering_until_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim = sim::serve(SimConfig::default(), listener).await.unwrap();
    let desk = Desk::open_with_clock(dir.path(), common::clock())
        .await
        .unwrap();
    common::save_hub_for_sim(
        &desk,
        HubSettings {
            base_url: sim.base_url(),
            interval_ms: 100,
            ..Default::default()
        },
    );
    let mut child = common::yichuang_in(dir.path(), &["sync"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A case accepted while the worker runs reaches the hub at its next round.
    let f: IntakeForm = serde_json::from_str(EXAMPLE).unwrap();
    desk.clerk().await.unwrap().accept(&f).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while accepted(&sim) < 1 {
        assert!(
            Instant::now() < deadline,
            "not delivered by the running worker"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "sync did not stop on Ctrl-C");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success());
    sim.shutdown().await;
}

fn accepted(sim: &sim::SimHandle) -> usize {
    sim.received()
        .iter()
        .filter(|r| r.interface == Some(Interface::PushAccept) && r.outcome == "accepted")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_once_applies_what_the_department_sends_and_the_clerk_hands_over() {
    use yichuang_core::dict::HandleResult;
    use yichuang_hub::sim::{DeptStep, Scenario};
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim = sim::serve(
        SimConfig {
            scenario: Scenario {
                on_accept: vec![DeptStep::Supplement {
                    opinion: "复印件不清晰".into(),
                    materials: vec![],
                }],
                on_supply_finished: vec![DeptStep::Result {
                    status: HandleResult::Approved,
                    note: Some("准予许可".into()),
                    result_no: Some("XK-0001".into()),
                }],
                step_delay_secs: 0,
                share: Default::default(),
            },
            ..Default::default()
        },
        listener,
    )
    .await
    .unwrap();
    let desk = Desk::open_with_clock(dir.path(), common::clock())
        .await
        .unwrap();
    let f: IntakeForm = serde_json::from_str(EXAMPLE).unwrap();
    let out = desk.clerk().await.unwrap().accept(&f).await.unwrap();
    let no = out.project_no.clone();
    let first = out.case.materials[0].clone();
    drop(desk);
    let d = dir.path().to_path_buf();
    let url = sim.base_url();
    let ok = |o: &std::process::Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    ok(&common::yichuang_blocking(
        &d,
        &["hub", "config", "--url", &url, "--token", "sim-token"],
    )
    .await);
    let out = ok(&common::yichuang_blocking(&d, &["sync", "--once"]).await);
    assert!(out.contains("已处理 1"), "{out}");
    let list = ok(&common::yichuang_blocking(
        &d,
        &["case", "list", "--state", "awaiting_supplement", "--json"],
    )
    .await);
    assert!(list.contains(&no), "{list}");
    let notes =
        ok(&common::yichuang_blocking(&d, &["notifications", "--json", "--mark-read"]).await);
    let notes: serde_json::Value = serde_json::from_str(&notes).unwrap();
    assert_eq!(notes[0]["kind"], "supplement_requested");
    // Read now: nothing new.
    let notes = ok(&common::yichuang_blocking(&d, &["notifications", "--json"]).await);
    assert_eq!(notes.trim(), "[]");

    let brought = dir.path().join("brought.json");
    std::fs::write(
        &brought,
        serde_json::json!({"materiallist": [{"no": first.no, "sj_no": first.sj_no}]}).to_string(),
    )
    .unwrap();
    ok(&common::yichuang_blocking(
        &d,
        &[
            "case",
            "supplement-done",
            &no,
            "--json",
            brought.to_str().unwrap(),
        ],
    )
    .await);
    let out = ok(&common::yichuang_blocking(&d, &["sync", "--once"]).await);
    assert!(out.contains("已送达 2"), "{out}");
    let shown = ok(&common::yichuang_blocking(&d, &["case", "show", &no]).await);
    assert!(shown.contains("已办结"), "{shown}");
    assert!(shown.contains("XK-0001"), "{shown}");
    let inbox = ok(&common::yichuang_blocking(&d, &["hub", "inbox"]).await);
    assert_eq!(inbox.lines().filter(|l| l.contains("applied")).count(), 2);

    // The clerk cannot conclude by hand outside 统一受办, and hands the result over.
    let refused = common::yichuang_blocking(
        &d,
        &[
            "case", "conclude", &no, "--status", "approved", "--note", "x",
        ],
    )
    .await;
    assert!(!refused.status.success());
    ok(&common::yichuang_blocking(&d, &["case", "hand-over", &no, "--recipient", "本人"]).await);
    let shown = ok(&common::yichuang_blocking(&d, &["case", "show", &no]).await);
    assert!(shown.contains("已出件"), "{shown}");
    sim.shutdown().await;
}
