//! The sync worker against the simulator over real loopback HTTP: an outage with 1,000
//! acceptances, refusals, transient faults, missing fields, the call log and batching.
//! Every loop is bounded; backoff is skipped by moving the desk's clock, never by sleeping.

mod common;

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use yichuang_core::Desk;
use yichuang_core::model::*;
use yichuang_hub::Interface;
use yichuang_hub::sim::{Faults, SimConfig, SimHandle};
use yichuang_sync::SyncWorker;
use yichuang_sync::mapping::{MapContext, map_entry, sign_for};

use common::{StepClock, bounded, desk, intake, start_sim, temp_desk, worker};

/// Runs the worker until nothing is pending, moving the clock past each backoff.
async fn drain(w: &SyncWorker, desk: &Desk, clock: &StepClock) -> u32 {
    let mut delivered = 0;
    for _ in 0..50 {
        let r = bounded(w.run_once(desk)).await.unwrap();
        delivered += r.delivered;
        if r.remaining == 0 {
            return delivered;
        }
        clock.advance(Duration::minutes(11));
    }
    panic!("outbox not drained in 50 runs");
}

fn accepted_firsts(sim: &SimHandle, interface: Interface) -> Vec<yichuang_hub::sim::Received> {
    sim.received()
        .into_iter()
        .filter(|r| r.interface == Some(interface) && r.outcome == "accepted" && !r.duplicate)
        .collect()
}

fn no_of(r: &yichuang_hub::sim::Received) -> Vec<String> {
    r.plain["params"]["projectlist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["no"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outage_of_the_hub_loses_nothing_and_duplicates_nothing() {
    let (_dir, desk, clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    sim.set_faults(Faults {
        down: true,
        ..Default::default()
    })
    .await;

    let mut rng = fastrand::Rng::with_seed(7);
    let mut nos = Vec::new();
    for _ in 0..1_000 {
        nos.push(
            yichuang_testkit::accepted(&desk, &intake(&mut rng))
                .await
                .project_no,
        );
    }
    // Every 50th case is also suspended: its B11 must follow its acceptance.
    for no in nos.iter().step_by(50) {
        desk.clerk()
            .await
            .unwrap()
            .apply(
                no,
                &CaseAction::Suspend {
                    special_name: "听证".into(),
                    reason: "申请人申请听证".into(),
                },
            )
            .await
            .unwrap();
    }

    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.delivered, 0);
    assert_eq!(r.dead, 0);
    assert_eq!(r.failed, 1_000, "each case's first message failed once");
    assert_eq!(r.remaining, 1_020);
    assert!(
        r.failures[0].error.contains("无法连接办件中心"),
        "{:?}",
        r.failures[0]
    );
    let case = desk.get_case(&nos[0]).await.unwrap();
    assert_eq!(case.sync.state, SyncState::Pending);
    assert!(case.sync.last_error.contains("无法连接办件中心"));
    let status = desk.hub_status().await.unwrap();
    assert!(!status.online);
    assert!(status.last_failure.contains("无法连接办件中心"));
    // Each waits for its retry, with the reason.
    let pending = desk
        .outbox_list(Some(OutboxStatus::Pending), 2_000)
        .await
        .unwrap();
    assert_eq!(pending.iter().filter(|e| e.attempts == 1).count(), 1_000);

    sim.clear_faults().await;
    let delivered = drain(&w, &desk, &clock).await;
    assert_eq!(delivered, 1_020);

    let accepts = accepted_firsts(&sim, Interface::PushAccept);
    assert_eq!(accepts.len(), 1_000);
    let distinct: HashSet<String> = accepts.iter().flat_map(no_of).collect();
    assert_eq!(distinct.len(), 1_000);
    assert_eq!(distinct, nos.iter().cloned().collect());
    assert!(sim.received().iter().all(|r| !r.duplicate), "no duplicates");
    // In order per case: the acceptance before the B11.
    let seq_of: HashMap<String, u64> = accepts
        .iter()
        .map(|r| (no_of(r)[0].clone(), r.seq))
        .collect();
    let processes = accepted_firsts(&sim, Interface::PushProcess);
    assert_eq!(processes.len(), 20);
    for p in &processes {
        let no = &no_of(p)[0];
        assert!(seq_of[no] < p.seq, "{no}: B11 before its acceptance");
        let info = &p.plain["params"]["projectlist"][0]["projectinfo"];
        assert_eq!(info["processlist"][0]["event_code"], "B11");
    }
    let case = desk.get_case(&nos[0]).await.unwrap();
    assert_eq!(case.sync.state, SyncState::Synced);
    assert_eq!(case.sync.cd_sign, "1");
    assert!(desk.hub_status().await.unwrap().online);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_a_dead_letter_with_the_hubs_text() {
    let (_dir, desk, clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    let mut rng = fastrand::Rng::with_seed(8);
    let no = yichuang_testkit::accepted(&desk, &intake(&mut rng))
        .await
        .project_no;
    sim.set_faults(Faults {
        refuse: Some("办件编号与已有办件重复".into()),
        remaining: Some(1),
        ..Default::default()
    })
    .await;
    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.delivered, r.failed, r.dead), (0, 0, 1));
    assert_eq!(r.failures[0].error, "办件中心拒绝：办件编号与已有办件重复");
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.sync.state, SyncState::Failed);
    assert!(case.sync.last_error.contains("办件编号与已有办件重复"));
    let dead = desk
        .outbox_list(Some(OutboxStatus::Dead), 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 1);
    // Later runs leave it alone, until an administrator retries it.
    clock.advance(Duration::hours(1));
    assert_eq!(bounded(w.run_once(&desk)).await.unwrap().requests, 0);
    desk.outbox_retry(dead[0].id).await.unwrap();
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.delivered, 1);
    assert_eq!(
        desk.get_case(&no).await.unwrap().sync.state,
        SyncState::Synced
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_faults_wait_with_the_reason_then_resend_the_same_message() {
    let faults = [
        (
            Faults {
                http_500: true,
                remaining: Some(1),
                ..Default::default()
            },
            "HTTP错误500",
            false,
        ),
        (
            Faults {
                malformed: true,
                remaining: Some(1),
                ..Default::default()
            },
            "数据格式错误",
            true,
        ),
        (
            Faults {
                drop_after_receive: true,
                remaining: Some(1),
                ..Default::default()
            },
            "连接中断",
            true,
        ),
        (
            Faults {
                delay_ms: 2_500,
                remaining: Some(1),
                ..Default::default()
            },
            "没有响应",
            true,
        ),
    ];
    for (fault, reason, stored) in faults {
        let dir = tempfile::tempdir().unwrap();
        let (desk, clock) = desk(dir.path()).await;
        let sim = start_sim(SimConfig::default()).await;
        let mut rng = fastrand::Rng::with_seed(9);
        let no = yichuang_testkit::accepted(&desk, &intake(&mut rng))
            .await
            .project_no;
        sim.set_faults(fault).await;
        let w = worker(&sim, 1);
        let r = bounded(w.run_once(&desk)).await.unwrap();
        assert_eq!((r.delivered, r.failed, r.dead), (0, 1, 0), "{reason}");
        let case = desk.get_case(&no).await.unwrap();
        assert_eq!(case.sync.state, SyncState::Pending);
        assert!(
            case.sync.last_error.contains(reason),
            "{reason}: {}",
            case.sync.last_error
        );
        let pending = desk
            .outbox_list(Some(OutboxStatus::Pending), 10)
            .await
            .unwrap();
        assert_eq!(pending[0].attempts, 1);
        let idem_key = pending[0].idem_key.clone();
        // Backoff: not due yet.
        assert_eq!(bounded(w.run_once(&desk)).await.unwrap().requests, 0);
        clock.advance(Duration::seconds(5));
        let r = bounded(w.run_once(&desk)).await.unwrap();
        assert_eq!(r.delivered, 1, "{reason}");
        let received = sim.received();
        assert_eq!(received.len(), 2);
        // The resend carries the same no and sign.
        if stored {
            assert_eq!(received[0].key, received[1].key);
        }
        assert_eq!(
            received[1].plain["params"]["projectlist"][0]["sign"],
            sign_for(&idem_key)
        );
        // When the first was stored, the hub saw the resend as a duplicate.
        assert_eq!(received[1].duplicate, stored, "{reason}");
        // Every call is in the desk's call log, the ID number masked.
        let log = desk.call_log_list(false, 10).await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].outcome, "ok");
        assert_ne!(log[1].outcome, "ok");
        assert_eq!(log[1].interface, "pushAcceptProjectInfo");
        assert!(!log[1].message.is_empty());
        assert!(!log[0].request.contains(&case.applicant_paper_code));
        assert!(log[0].request.contains(&case.applicant_paper_code[..6]));
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn a_case_lacking_a_required_field_is_not_sent() {
    let (_dir, desk, _clock) = temp_desk().await;
    let mut rng = fastrand::Rng::with_seed(10);
    yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    let ctx = MapContext::load(&desk).await.unwrap();
    let (entry, mut case) = desk.outbox_due(1).await.unwrap().remove(0);
    let ok = map_entry(&entry, &case, &ctx).unwrap();
    assert_eq!(ok.interface, Interface::PushAccept);
    let info = &ok.item["projectinfo"]["basicinfo"];
    assert_eq!(info["applicant_name"], case.applicant_name.as_str());
    assert_eq!(info["sq_way"], "0");
    assert_eq!(ok.item["sign"], sign_for(&entry.idem_key));
    case.applicant_name = String::new();
    assert_eq!(
        map_entry(&entry, &case, &ctx).unwrap_err(),
        // Coming in person, the applicant is also the 经办人.
        "缺少必填项：申请者名称（applicant_name）、申请方经办人姓名（linkman_name）"
    );
}

#[tokio::test]
async fn a_case_whose_item_left_the_catalog_goes_to_the_dead_letters() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    let mut rng = fastrand::Rng::with_seed(11);
    let no = yichuang_testkit::accepted(&desk, &intake(&mut rng))
        .await
        .project_no;
    // The item is renumbered in a new catalog: its limits and codes are no longer known.
    let json = desk.export_catalog_json().await.unwrap();
    let code = &no[..31];
    let mut other = code.to_string();
    other.replace_range(30..31, if code.ends_with('0') { "1" } else { "0" });
    desk.import_catalog(&json.replace(code, &other))
        .await
        .unwrap();
    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.requests, r.dead), (0, 1));
    assert!(
        r.failures[0].error.starts_with("缺少必填项："),
        "{}",
        r.failures[0].error
    );
    assert!(r.failures[0].error.contains("（anticipate）"));
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.sync.state, SyncState::Failed);
    assert!(sim.received().is_empty());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_deliver_and_a_refused_batch_is_split() {
    let (_dir, desk, _clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    let mut rng = fastrand::Rng::with_seed(12);
    for _ in 0..25 {
        yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    }
    // The first request (a batch of 10) is refused; then each of its messages goes alone.
    sim.set_faults(Faults {
        refuse: Some("批量数据中有错误".into()),
        remaining: Some(1),
        ..Default::default()
    })
    .await;
    let w = worker(&sim, 10);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!((r.delivered, r.dead, r.failed), (25, 0, 0));
    // 1 refused batch, 10 alone, then batches of 10 and 5.
    assert_eq!(r.requests, 13);
    let accepts = accepted_firsts(&sim, Interface::PushAccept);
    let total: usize = accepts.iter().map(|r| no_of(r).len()).sum();
    assert_eq!(total, 25);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_json_seals_its_secrets_and_drives_the_hardened_scheme() {
    use yichuang_sync::HubSettings;
    use yichuang_sync::config::HubSecrets;
    let (dir, desk, _clock) = temp_desk().await;
    let key_hex = "00112233445566778899aabbccddeeff";
    let mut sim_cfg = SimConfig::default();
    sim_cfg.profile.crypto = yichuang_hub::CryptoConfig::hardened(hex_key(key_hex));
    sim_cfg.profile.token = "t0ken-secret-1".into();
    let sim = start_sim(sim_cfg).await;

    let mut s = HubSettings {
        base_url: sim.base_url(),
        ..Default::default()
    };
    s.crypto.pre_shared_key = true;
    s.crypto.mode = yichuang_hub::crypto::CipherMode::Cbc;
    s.set_secrets(
        &desk,
        &HubSecrets {
            token: "t0ken-secret-1".into(),
            pre_shared_key_hex: key_hex.into(),
        },
    )
    .unwrap();
    s.save(&desk).unwrap();
    let file = std::fs::read_to_string(dir.path().join("hub.json")).unwrap();
    assert!(!file.contains("t0ken-secret-1"));
    assert!(!file.contains(key_hex));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("hub.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let loaded = HubSettings::load_file(&desk).unwrap();
    assert_eq!(loaded, s);
    let masked = loaded.masked(&desk).unwrap().to_string();
    assert!(!masked.contains("t0ken-secret-1"));

    let mut rng = fastrand::Rng::with_seed(13);
    yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    let w = loaded.worker(&desk).await.unwrap();
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.delivered, 1, "{:?}", r.failures);

    // Another desk's key cannot open the secrets.
    let other = tempfile::tempdir().unwrap();
    let other_desk = Desk::open(other.path()).await.unwrap();
    std::fs::copy(dir.path().join("hub.json"), other.path().join("hub.json")).unwrap();
    assert!(
        HubSettings::load_file(&other_desk)
            .unwrap()
            .secrets(&other_desk)
            .is_err()
    );
    sim.shutdown().await;
}

fn hex_key(h: &str) -> [u8; 16] {
    let mut k = [0u8; 16];
    for (i, b) in k.iter_mut().enumerate() {
        *b = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap();
    }
    k
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_of_a_case_is_accepted_by_the_hub_in_order() {
    let (_dir, desk, clock) = temp_desk().await;
    let sim = start_sim(SimConfig::default()).await;
    let mut rng = fastrand::Rng::with_seed(14);
    let out = yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    let no = out.project_no;
    let m = out.case.materials[0].clone();
    let steps = [
        CaseAction::RequestSupplement {
            request: SupplementRequest {
                materials: vec![SupplementItem {
                    no: m.no.clone(),
                    sj_file_name: String::new(),
                    reason: "复印件不清晰".into(),
                }],
                limit_days: 5,
                opinion: String::new(),
            },
        },
        CaseAction::CompleteSupplement {
            materiallist: vec![MaterialReceipt {
                no: m.no.clone(),
                sj_file_name: String::new(),
                sj_no: m.sj_no,
                share: None,
            }],
        },
        CaseAction::Suspend {
            special_name: "现场勘验".into(),
            reason: "需要现场勘验".into(),
        },
        CaseAction::Resume {
            result: "勘验合格".into(),
        },
        CaseAction::Extend {
            amount: 1,
            reason: "情况复杂".into(),
        },
    ];
    for s in &steps {
        desk.clerk().await.unwrap().apply(&no, s).await.unwrap();
    }
    let w = worker(&sim, 1);
    // Seven messages, and the upload of the 补齐补正通知书 before the B5 step that refers to it.
    assert_eq!(drain(&w, &desk, &clock).await, 8);
    let received = sim.received();
    let got: Vec<(Interface, String)> = received
        .iter()
        .map(|r| {
            assert_eq!(r.outcome, "accepted", "{:?}", r.reason);
            assert!(!r.duplicate);
            let info = &r.plain["params"]["projectlist"][0]["projectinfo"];
            (
                r.interface.unwrap(),
                info["processlist"][0]["event_code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    let want: Vec<(Interface, String)> = [
        (Interface::PushAccept, ""),
        (Interface::PushFile, ""),
        (Interface::PushProcess, "B5"),
        (Interface::PushSupplyFinished, ""),
        (Interface::PushProcess, "B1"),
        (Interface::PushProcess, "B11"),
        (Interface::PushProcess, "B9"),
        (Interface::PushProcess, "B10"),
    ]
    .into_iter()
    .map(|(i, c)| (i, c.to_string()))
    .collect();
    assert_eq!(got, want);
    let supplied = &received[3].plain["params"]["projectlist"][0]["projectinfo"]["materiallist"];
    assert_eq!(supplied[0]["no"], m.no.as_str());
    assert_eq!(supplied[0]["sj_file_statu"], "已补正");
    // The B5 step names the uploaded notice by the attachguid the hub gave it, and the hub
    // holds exactly the document the desk issued.
    let case = desk.get_case(&no).await.unwrap();
    let notice = case
        .documents
        .iter()
        .find(|d| d.kind == NoticeKind::Supplement)
        .unwrap();
    let guid = notice.attachguid.clone().expect("the notice was uploaded");
    let doc = &received[2].plain["params"]["projectlist"][0]["projectinfo"]["doclist"][0];
    assert_eq!(doc["docattach"], guid.as_str());
    assert_eq!(doc["docnumber"], notice.doc_no.as_str());
    let (_, _, pdf) = desk.document_pdf(&notice.doc_no).await.unwrap();
    assert_eq!(sim.file(&guid).unwrap(), pdf);
    sim.shutdown().await;
}
