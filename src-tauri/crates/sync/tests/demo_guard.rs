//! A demo (training) desk sends only to a hub simulator started in this process: not to the
//! address in `hub.json`, not to `YICHUANG_HUB_URL`, not to a simulator that was stopped. And
//! the trainers' controls of a running simulator: a department's supplement request on a
//! chosen case, a reset.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use yichuang_core::CoreError;
use yichuang_core::model::*;
use yichuang_hub::sim::{self, Faults, SimConfig};
use yichuang_sync::HubSettings;

use common::{bounded, intake, start_sim, temp_desk, worker};

/// A stand-in for a real hub: a loopback socket that counts the connections it gets.
async fn real_hub() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_desk_never_sends_to_a_hub_that_is_not_the_embedded_simulator() {
    let (_dir, desk, clock) = temp_desk().await;
    desk.set_demo(true).await.unwrap();
    let mut rng = fastrand::Rng::with_seed(11);
    yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    let (url, hits) = real_hub().await;
    assert!(!sim::is_embedded(&url));

    // A worker made by hand for the real address: refused before anything is sent.
    let mut cfg = yichuang_hub::ClientConfig::new(&url);
    cfg.timeout_ms = 1_000;
    let w = yichuang_sync::SyncWorker::new(
        cfg,
        Arc::new(yichuang_hub::XinjiangJson::new(
            SimConfig::default().profile,
        )),
        1,
    )
    .unwrap();
    let err = bounded(w.run_once(&desk)).await.unwrap_err();
    assert!(matches!(err, CoreError::Conflict(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("演示（培训）窗口只能连接本程序内置的办件中心模拟器")
    );
    assert!(err.to_string().contains(&url));

    // hub.json edited by hand to name the real hub: no worker.
    let settings = HubSettings {
        base_url: url.clone(),
        ..Default::default()
    };
    settings.save(&desk).unwrap();
    let loaded = HubSettings::load(&desk).unwrap();
    let Err(err) = loaded.worker(&desk).await else {
        panic!("a worker for a real hub on a demo desk");
    };
    assert!(matches!(err, CoreError::Conflict(_)), "{err:?}");
    // And it cannot be written through the checked path (the CLI's).
    let err = settings.save_checked(&desk).await.unwrap_err();
    assert!(err.to_string().contains("不能配置真实的办件中心"), "{err}");

    assert_eq!(
        desk.outbox_stats().await.unwrap().pending,
        1,
        "kept for later"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing reached the real hub"
    );

    // A client that once served a demo desk stays restricted, even for a real desk.
    assert!(w.client().is_restricted_to_embedded_sim());
    desk.set_demo(false).await.unwrap();
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.failed, 1, "{r:?}");
    assert!(r.failures[0].error.contains("演示（培训）窗口"), "{r:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    // A fresh worker of a real desk sends (the guard is the demo flag, nothing else).
    clock.advance(chrono::Duration::minutes(11));
    w.release(&desk).await.unwrap();
    let w = loaded.worker(&desk).await.unwrap();
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.failed, 1, "{r:?}");
    assert!(hits.load(Ordering::SeqCst) > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_desk_delivers_to_its_embedded_simulator_and_stops_when_it_is_gone() {
    let (_dir, desk, _) = temp_desk().await;
    desk.set_demo(true).await.unwrap();
    let sim = start_sim(SimConfig::default()).await;
    assert!(sim::is_embedded(&sim.base_url()));
    assert_eq!(
        sim::embedded_identity(&sim.base_url()).as_deref(),
        Some(sim.identity())
    );
    let mut rng = fastrand::Rng::with_seed(12);
    let no = yichuang_testkit::accepted(&desk, &intake(&mut rng))
        .await
        .project_no;
    let w = worker(&sim, 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.delivered, 1, "{r:?}");
    assert!(w.client().is_restricted_to_embedded_sim());

    // A department asks for a supplement on that case; the next round brings it to the desk.
    sim.request_supplement(
        &no,
        "营业执照复印件不清晰，请补正",
        &["营业执照复印件".into()],
    );
    assert_eq!(sim.outbox().len(), 1);
    let r = bounded(w.run_once(&desk)).await.unwrap();
    assert_eq!(r.incoming_applied, 1, "{r:?}");
    let case = desk.get_case(&no).await.unwrap();
    assert_eq!(case.state, CaseState::AwaitingSupplement);
    let notes = desk.notifications(true, 10).await.unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.project_no == no && n.kind == "supplement_requested"),
        "{notes:?}"
    );

    // Reject mode and back.
    sim.set_faults(Faults {
        refuse: Some("培训演示：办件中心拒绝".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(
        sim.faults().refuse.as_deref(),
        Some("培训演示：办件中心拒绝")
    );
    sim.clear_faults().await;
    assert_eq!(sim.faults(), Faults::default());

    // A reset forgets the cases.
    sim.reset();
    assert!(sim.received().is_empty() && sim.outbox().is_empty());

    // Stopped: the address is no longer the embedded simulator, and the client refuses it.
    let url = sim.base_url();
    sim.shutdown().await;
    assert!(!sim::is_embedded(&url));
    yichuang_testkit::accepted(&desk, &intake(&mut rng)).await;
    let err = bounded(w.run_once(&desk)).await.unwrap_err();
    assert!(matches!(err, CoreError::Conflict(_)), "{err:?}");
}
