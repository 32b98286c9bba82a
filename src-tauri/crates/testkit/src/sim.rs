//! A running hub simulator, and a bound on every wait of a test.

use std::time::Duration;

use yichuang_hub::sim::{self, SimConfig, SimHandle};

/// A simulator serving `config` on a free loopback port.
pub async fn start_sim(config: SimConfig) -> SimHandle {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    sim::serve(config, listener).await.expect("serve")
}

/// Bounds every wait of a test.
pub async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .expect("test step took more than 10 s")
}
