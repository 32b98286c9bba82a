//! `yichuang hub-sim`: the hub (办件中心) simulator, until the process is stopped. It opens no
//! desk, so it needs no permission.

use std::path::PathBuf;

use crate::error::CliError;
use crate::files::read_json;

/// `yichuang hub-sim`: runs until the process is stopped.
pub(crate) async fn run(
    listen: String,
    config: Option<PathBuf>,
    scenario: Option<PathBuf>,
    token: Option<String>,
) -> Result<(), CliError> {
    use yichuang_hub::sim;
    let mut cfg: sim::SimConfig = match &config {
        Some(path) => read_json(path)?,
        None => sim::SimConfig::default(),
    };
    if let Some(path) = &scenario {
        cfg.scenario = read_json(path)?;
    }
    if let Some(t) = token {
        cfg.profile.token = t;
    }
    let listen_err = |e: std::io::Error| CliError::Listen {
        addr: listen.clone(),
        message: e.to_string(),
    };
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(listen_err)?;
    let header = cfg.profile.token_header.clone();
    let handle = sim::serve(cfg, listener).await.map_err(listen_err)?;
    println!("{}", handle.base_url());
    eprintln!(
        "办件中心模拟器已启动：{}（令牌请求头 {header}；控制接口 /sim/received、/sim/faults、/sim/outbox；窗口轮询 {}）",
        handle.base_url(),
        sim::POLL_PATH
    );
    handle.wait().await;
    Ok(())
}
