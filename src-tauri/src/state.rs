//! What the window keeps while it runs.

use std::sync::Arc;

use yichuang_core::Desk;
use yichuang_hub::SyncWorker;
use yichuang_hub::sim::SimHandle;

pub struct AppState {
    pub desk: Desk,
    pub demo: bool,
    /// The sync worker towards the hub, when a hub is configured (or simulated in the demo).
    pub sync: Option<Arc<SyncWorker>>,
    /// The trainers' demo runs its own hub simulator on loopback; kept alive here.
    pub hub_sim: Option<SimHandle>,
}

impl AppState {
    /// A desk without a hub (tests, or before the hub is configured).
    pub fn offline(desk: Desk, demo: bool) -> Self {
        AppState {
            desk,
            demo,
            sync: None,
            hub_sim: None,
        }
    }
}
