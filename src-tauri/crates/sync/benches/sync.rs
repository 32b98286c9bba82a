//! Sync throughput to the simulator over loopback: acceptances delivered per second by one
//! `SyncWorker::run_once`, with batching off (1 message per request) and on (10 and 50).
//! Setting up the desk and its cases is not timed. The store writes with `synchronous=FULL`,
//! so each acknowledgement costs an fsync: the figure includes the disk.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use yichuang_core::Desk;
use yichuang_core::idcard::testdata;
use yichuang_core::model::IntakeForm;
use yichuang_hub::sim::{self, SimConfig};
use yichuang_hub::{ClientConfig, XinjiangJson};
use yichuang_sync::SyncWorker;

const CASES: usize = 200;
const EXAMPLE: &str = include_str!("../../../../assets/examples/accept.json");

fn bench_sync(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let sim = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        sim::serve(SimConfig::default(), listener)
            .await
            .expect("serve")
    });
    let mut g = c.benchmark_group("sync_200_acceptances");
    g.sample_size(10);
    // Only run_once is timed, but every iteration also sets up 200 acceptances: keep the
    // timed budget small so the wall-clock time stays a few minutes.
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    g.throughput(Throughput::Elements(CASES as u64));
    for batch in [1usize, 10, 50] {
        g.bench_function(format!("batch_{batch}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for i in 0..iters {
                    total += rt.block_on(async {
                        let dir = tempfile::tempdir().expect("tempdir");
                        let desk = Desk::open(dir.path()).await.expect("desk");
                        let mut rng = fastrand::Rng::with_seed(i);
                        for _ in 0..CASES {
                            let mut f: IntakeForm = serde_json::from_str(EXAMPLE).expect("example");
                            f.applicant_name = testdata::random_name(&mut rng);
                            f.applicant_paper_code = testdata::random_id(&mut rng);
                            desk.clerk()
                                .await
                                .unwrap()
                                .accept(&f)
                                .await
                                .expect("accept");
                        }
                        let mut cfg = ClientConfig::new(&sim.base_url());
                        cfg.caller = "bench".into();
                        let w = SyncWorker::new(
                            cfg,
                            Arc::new(XinjiangJson::new(SimConfig::default().profile)),
                            batch,
                        )
                        .expect("worker");
                        let t = Instant::now();
                        let r = w.run_once(&desk).await.expect("run");
                        let took = t.elapsed();
                        assert_eq!(r.delivered as usize, CASES);
                        took
                    });
                }
                total
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench_sync);
criterion_main!(benches);
