//! Yichuang sync: the desk's side of the hub.
//!
//! - [`port`]: [`DeskPort`], everything sync needs from a desk, and nothing more;
//! - [`worker`]: the sync worker that delivers the desk's outbox and polls for incoming
//!   messages, and the desk's call log sink;
//! - [`mapping`]: outbox entries and case snapshots to the requests of 7.2.2, 7.2.4, 7.2.5;
//! - [`incoming`]: polled messages (7.2.3, 7.2.5, 7.2.6) to what they mean for the desk;
//! - [`share`]: 帮我传 callbacks and queries on the desk's side;
//! - [`config`]: `hub.json`, with the secrets sealed by the desk key.
//!
//! The protocol, the client and the simulator are in `yichuang-hub`.

pub mod config;
pub mod desk;
pub mod incoming;
pub mod mapping;
pub mod port;
pub mod share;
pub mod worker;

pub use config::HubSettings;
pub use port::DeskPort;
pub use worker::{SyncReport, SyncWorker};
