//! The sync tests' fixtures: the shared test kit, and a worker for a simulator.
#![allow(dead_code, unused_imports)]

use std::sync::Arc;

use yichuang_hub::sim::{SimConfig, SimHandle};
use yichuang_hub::{ClientConfig, XinjiangJson};
use yichuang_sync::SyncWorker;

pub use yichuang_testkit::desk::step_desk as desk;
pub use yichuang_testkit::{StepClock, bounded, intake, start_sim, temp_desk};

/// A worker for `sim`, with short timeouts, `batch` messages per request.
pub fn worker(sim: &SimHandle, batch: usize) -> SyncWorker {
    let mut cfg = ClientConfig::new(&sim.base_url());
    cfg.connect_timeout_ms = 1_000;
    cfg.timeout_ms = 2_000;
    cfg.caller = "01窗口/测试".into();
    SyncWorker::new(
        cfg,
        Arc::new(XinjiangJson::new(SimConfig::default().profile)),
        batch,
    )
    .unwrap()
}
