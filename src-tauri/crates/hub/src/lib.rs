//! Yichuang hub integration: the 办件中心 (project center) interfaces of seed 000, 7.2.1–7.2.9.
//!
//! - [`crypto`]: SM4 protection of `projectinfo` (the seed's default and a hardened scheme);
//! - [`protocol`]: typed requests and responses, field names exactly as tables 1–9 spell them,
//!   and the required-field check with Chinese labels;
//! - [`profile`]: how a request becomes an HTTP body and headers for one hub (Xinjiang JSON);
//! - [`client`]: the async HTTP client, typed errors with clerk messages, the call log entry;
//! - [`share`]: 帮我传 (seed 004): the department interfaces for material sharing;
//! - [`sim`]: a hub simulator (real HTTP) with a department side and fault injection.
//!
//! The desk's side (the sync worker, the mapping of outbox entries to requests, incoming
//! messages, `hub.json`) is the `yichuang-sync` crate, which reaches the desk through a port:
//! this crate knows nothing of the desk.

pub mod calllog;
pub mod client;
pub mod crypto;
pub mod profile;
pub mod protocol;
pub mod share;

pub use calllog::{CallLogEntry, CallLogSink, CallOutcome, MemoryCallLog, mask_pii};
pub use client::{ClientConfig, HubClient, HubError, Incoming, IncomingMessage, PollBatch};
pub use crypto::{CryptoConfig, CryptoError};
pub use profile::{HubProfile, XinjiangJson, XinjiangJsonConfig};
pub use protocol::{HubResponse, Interface, MissingField};
pub mod sim;
