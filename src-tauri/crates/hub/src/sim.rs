//! A hub simulator: a real HTTP/1.1 server implementing the nine interfaces of seed 000, a
//! department side that answers acceptances per a scenario, a polling endpoint for desks, and
//! fault injection.
//!
//! Built on hyper directly rather than a router framework: the "connection dropped after
//! receiving" fault needs to close the connection without an answer, which a handler returning
//! a response cannot express.
//!
//! Endpoints (see docs/hub-protocol.md):
//! - the nine interface paths of [`Interface::path`] (token and IP whitelist enforced);
//! - `POST /yichuang/poll` — desks fetch messages forwarded to them (7.2.3, 7.2.5, 7.2.6, and
//!   the departments' 帮我传 callbacks);
//! - `POST /yichuang/share/query`, `POST /yichuang/share/apply` — 帮我传 (seed 004), answered
//!   by the simulated departments per [`ShareScenario`];
//! - `GET /sim/health`, `GET /sim/received`, `GET /sim/outbox`, `GET|POST /sim/faults`,
//!   `POST /sim/scenario`, `POST /sim/reset`, `GET /sim/share/requests`,
//!   `POST /sim/share/sign-out` — control (IP whitelist only).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming as HyperBody;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use yichuang_types::desk::DemoHubMode;
use yichuang_types::dict::{DataSource, HandleResult};

use crate::client::IncomingMessage;
use crate::profile::{HubProfile, XinjiangJson, XinjiangJsonConfig};
use crate::protocol::{
    AcceptProjectInfo, AllProjectInfo, Doc, EventCode, FileParams, FinishProjectInfo, HubResponse,
    Interface, Material, Process, ProcessProjectInfo, ProjectItem, ProjectRequest,
    ReceiveProjectInfo, ResultInfo, SupplyFinishedInfo, SupplyProjectInfo, SupplyRequestInfo,
    YesNo, bad_codes, missing_message, required_missing,
};
use crate::share::{ShareMessage, ShareResultBody, ShareSignOutBody};
use yichuang_types::sharing::ShareMethod;
use yichuang_types::sharing::{SHARE_RESULT, SHARE_SIGN_OUT, ShareWire};

/// The polling path desks use (not part of seed 000).
pub const POLL_PATH: &str = "/yichuang/poll";

/// The header by which a simulator started in this process identifies itself on every answer.
pub const IDENTITY_HEADER: &str = "x-yichuang-sim";

/// The simulators running in this process, by base URL, each with its identity (a random id).
/// [`serve`] registers one; stopping or dropping its [`SimHandle`] removes it. A demo desk sends
/// only to a base URL found here, and only accepts answers carrying that identity, so neither
/// `hub.json` nor `YICHUANG_HUB_URL` nor another process can point it at a real hub.
fn registry() -> MutexGuard<'static, HashMap<String, String>> {
    static EMBEDDED: std::sync::OnceLock<Mutex<HashMap<String, String>>> =
        std::sync::OnceLock::new();
    let m = EMBEDDED.get_or_init(Default::default);
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The identity of the simulator this process started at `base_url`, if any.
pub fn embedded_identity(base_url: &str) -> Option<String> {
    registry()
        .get(base_url.trim().trim_end_matches('/'))
        .cloned()
}

/// Whether `base_url` is a simulator started in this process (see [`embedded_identity`]).
pub fn is_embedded(base_url: &str) -> bool {
    embedded_identity(base_url).is_some()
}

/// The refusal for a demo desk configured with another address.
pub fn demo_refusal(base_url: &str) -> String {
    if base_url.trim().is_empty() {
        return "演示（培训）窗口只能连接本程序内置的办件中心模拟器，本程序中没有运行模拟器，不发送任何数据；请在演示窗口（yichuang-app --demo）中上报".into();
    }
    format!(
        "演示（培训）窗口只能连接本程序内置的办件中心模拟器，已拒绝向“{}”发送任何数据；请用 yichuang-app --demo 打开演示窗口",
        base_url.trim()
    )
}

/// Simulator settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    /// Encryption scheme, token header and the token the simulator expects (empty: no check).
    #[serde(default)]
    pub profile: XinjiangJsonConfig,
    /// Addresses allowed to call (5.3). Empty: everyone.
    #[serde(default = "loopback")]
    pub whitelist: Vec<IpAddr>,
    #[serde(default)]
    pub scenario: Scenario,
    #[serde(default)]
    pub faults: Faults,
}

fn loopback() -> Vec<IpAddr> {
    vec![
        IpAddr::from([127, 0, 0, 1]),
        IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1]),
    ]
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            profile: XinjiangJsonConfig {
                token: "sim-token".into(),
                ..Default::default()
            },
            whitelist: loopback(),
            scenario: Scenario::default(),
            faults: Faults::default(),
        }
    }
}

/// What the department does after the hub forwards a case to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// After a 7.2.2 acceptance.
    #[serde(default)]
    pub on_accept: Vec<DeptStep>,
    /// After a 7.2.4 supplement completion.
    #[serde(default)]
    pub on_supply_finished: Vec<DeptStep>,
    /// Seconds between the case's arrival and the department's first step, and between its
    /// steps: messages become visible to desks polling only then (0: at once).
    #[serde(default)]
    pub step_delay_secs: u64,
    /// How departments answer 帮我传 (seed 004).
    #[serde(default)]
    pub share: ShareScenario,
}

/// How the departments answer 帮我传 queries and requests: per material number, else the
/// default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareScenario {
    #[serde(default)]
    pub default: ShareBehaviour,
    /// By material number (`no`), e.g. `{"M03": {"callback": "failure"}}`.
    #[serde(default)]
    pub materials: HashMap<String, ShareBehaviour>,
}

/// What the department does with one material.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareBehaviour {
    /// Whether it answers "available" to a query or a request.
    #[serde(default = "yes")]
    pub available: bool,
    /// Electronic: what the callback says.
    #[serde(default)]
    pub callback: ShareCallback,
    /// Seconds between the request and the callback (or the automatic sign-out).
    #[serde(default)]
    pub delay_secs: u64,
    /// Paper: sign out by itself after `delay_secs` (otherwise only through
    /// `POST /sim/share/sign-out`).
    #[serde(default)]
    pub auto_sign_out: bool,
    /// The reason given when it is not available or fails.
    #[serde(default)]
    pub reason: Option<String>,
}

fn yes() -> bool {
    true
}

impl Default for ShareBehaviour {
    fn default() -> Self {
        ShareBehaviour {
            available: true,
            callback: ShareCallback::Success,
            delay_secs: 0,
            auto_sign_out: false,
            reason: None,
        }
    }
}

/// The electronic callback.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareCallback {
    /// The file (a PDF).
    #[default]
    Success,
    /// 材料缺失.
    Failure,
    /// No callback at all (the desk's time limit makes it 共享超时).
    Never,
}

/// One department action, queued for the desk as the message the department would push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeptStep {
    /// 7.2.5, one process step.
    Process {
        event_code: EventCode,
        #[serde(default)]
        note: Option<String>,
        /// A document of the step (`doclist`), e.g. 补正告知书.
        #[serde(default)]
        docname: Option<String>,
    },
    /// 7.2.3, a supplement request for the named materials (none named: the case's first
    /// material).
    Supplement {
        opinion: String,
        #[serde(default)]
        materials: Vec<String>,
    },
    /// 7.2.6, the result.
    Result {
        status: HandleResult,
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        result_no: Option<String>,
    },
}

/// Faults, settable in the configuration, through [`SimHandle::set_faults`] and
/// `POST /sim/faults`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Faults {
    /// Down: the listening socket is closed, connections are refused.
    #[serde(default)]
    pub down: bool,
    /// With `POST /sim/faults`: go down for this long, then come back.
    #[serde(default)]
    pub down_for_ms: u64,
    /// Slow: the request is processed and stored, the answer is delayed by this much.
    #[serde(default)]
    pub delay_ms: u64,
    /// HTTP 500, request not processed.
    #[serde(default)]
    pub http_500: bool,
    /// `custom.code` = 0 with this text, request not processed.
    #[serde(default)]
    pub refuse: Option<String>,
    /// Processed and stored, then answered with truncated JSON.
    #[serde(default)]
    pub malformed: bool,
    /// Processed and stored, then the connection is closed without an answer.
    #[serde(default)]
    pub drop_after_receive: bool,
    /// Polling returns every message twice.
    #[serde(default)]
    pub duplicate_delivery: bool,
    /// The per-call faults (delay, 500, refuse, malformed, drop) apply to this many interface
    /// calls, then clear. None: until changed.
    #[serde(default)]
    pub remaining: Option<u32>,
}

/// What the simulator received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Received {
    pub seq: u64,
    pub time: DateTime<Utc>,
    pub interface: Option<Interface>,
    pub path: String,
    pub peer: String,
    /// The request with `projectinfo` decrypted (null when it could not be read).
    pub plain: Value,
    /// Idempotency key: interface, `no` and `sign` of each item.
    pub key: Option<String>,
    /// The same message was received before.
    pub duplicate: bool,
    /// `accepted`, `refused` or `fault:<name>`.
    pub outcome: String,
    /// The reason given with a refusal.
    pub reason: Option<String>,
}

#[derive(Default)]
struct Inner {
    faults: Faults,
    scenario: Scenario,
    received: Vec<Received>,
    seen: HashMap<String, u64>,
    files: HashMap<String, Vec<u8>>,
    file_by_key: HashMap<String, String>,
    outbox: Vec<IncomingMessage>,
    /// 帮我传 callbacks queued for desks (numbered with the same `seq` as `outbox`).
    share_outbox: Vec<ShareMessage>,
    /// 帮我传 requests received (each `share_id` once), and the codes of signed-out papers.
    share_requests: Vec<ShareWire>,
    share_duplicates: u32,
    sign_outs: HashMap<String, String>,
    /// When a queued message becomes visible to desks, by `seq` (absent: at once).
    ready_at: HashMap<u64, tokio::time::Instant>,
    next_seq: u64,
    next_msg: u64,
}

struct Shared {
    config: SimConfig,
    profile: XinjiangJson,
    inner: Mutex<Inner>,
    down: watch::Sender<bool>,
    /// Whether the accept loop currently has a listening socket.
    listening: watch::Sender<bool>,
    /// Sent in [`IDENTITY_HEADER`] on every answer.
    identity: String,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Waits (at most 2 s) until the listening socket matches the down flag, so that a call
    /// made right after a fault change sees it.
    async fn settle(&self) {
        let want_listening = !*self.down.borrow();
        let mut rx = self.listening.subscribe();
        let _ = tokio::time::timeout(
            Duration::from_secs(2),
            rx.wait_for(|l| *l == want_listening),
        )
        .await;
    }

    fn set_faults(self: &Arc<Self>, faults: Faults) {
        let down_for = faults.down_for_ms;
        let down = faults.down || down_for > 0;
        let mut stored = faults;
        stored.down = false;
        stored.down_for_ms = 0;
        self.lock().faults = stored;
        self.down.send_replace(down);
        if down_for > 0 {
            let me = Arc::clone(self);
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(down_for)).await;
                me.down.send_replace(false);
            });
        }
    }
}

/// A running simulator.
pub struct SimHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().received.clone()
    }

    /// Messages queued for desks.
    pub fn outbox(&self) -> Vec<IncomingMessage> {
        self.shared.lock().outbox.clone()
    }

    /// 帮我传 callbacks queued for desks.
    pub fn share_outbox(&self) -> Vec<ShareMessage> {
        self.shared.lock().share_outbox.clone()
    }

    /// 帮我传 requests received, each once, and how many duplicates were acknowledged again.
    pub fn share_requests(&self) -> (Vec<ShareWire>, u32) {
        let inner = self.shared.lock();
        (inner.share_requests.clone(), inner.share_duplicates)
    }

    /// The providing department signs a paper material out (its permission holder `by`):
    /// queues `shareSignOut` for desks and returns the code printed on the paper. `None`: no
    /// such paper request.
    pub fn sign_out(&self, share_id: &str, by: &str) -> Option<String> {
        sign_out(&self.shared, share_id, by)
    }

    /// An uploaded attachment.
    pub fn file(&self, attachguid: &str) -> Option<Vec<u8>> {
        self.shared.lock().files.get(attachguid).cloned()
    }

    /// Sets the faults; returns once the listening socket reflects `down`.
    pub async fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
        self.shared.settle().await;
    }

    pub async fn clear_faults(&self) {
        self.set_faults(Faults::default()).await;
    }

    pub fn set_scenario(&self, scenario: Scenario) {
        self.shared.lock().scenario = scenario;
    }

    /// The faults in force (the per-call ones; `down` as the listening socket stands).
    pub fn faults(&self) -> Faults {
        let mut f = self.shared.lock().faults.clone();
        f.down = *self.shared.down.borrow();
        f
    }

    /// How long the demo's 缓慢 mode holds each answer (under the desks' 15 s timeout).
    pub const SLOW_MS: u64 = 6_000;
    /// The refusal text of the demo's 拒收 mode.
    pub const REJECT_TEXT: &'static str = "培训演示：办件中心拒收（模拟）";

    /// Puts the simulator in one of the trainers' modes (at run time; see [`DemoHubMode`]).
    pub async fn set_mode(&self, mode: DemoHubMode) {
        let faults = match mode {
            DemoHubMode::Normal => Faults::default(),
            DemoHubMode::Down => Faults {
                down: true,
                ..Default::default()
            },
            DemoHubMode::Slow => Faults {
                delay_ms: Self::SLOW_MS,
                ..Default::default()
            },
            DemoHubMode::Reject => Faults {
                refuse: Some(Self::REJECT_TEXT.into()),
                ..Default::default()
            },
        };
        self.set_faults(faults).await;
    }

    /// The trainers' mode the faults amount to (other faults count as 正常 unless down).
    pub fn mode(&self) -> DemoHubMode {
        let f = self.faults();
        if f.down {
            DemoHubMode::Down
        } else if f.refuse.is_some() {
            DemoHubMode::Reject
        } else if f.delay_ms > 0 {
            DemoHubMode::Slow
        } else {
            DemoHubMode::Normal
        }
    }

    /// The identity this simulator sends in [`IDENTITY_HEADER`].
    pub fn identity(&self) -> &str {
        &self.shared.identity
    }

    /// Forgets everything received and queued, and the uploaded files (the scenario and the
    /// faults stay).
    pub fn reset(&self) {
        let mut inner = self.shared.lock();
        let scenario = inner.scenario.clone();
        let faults = inner.faults.clone();
        *inner = Inner {
            scenario,
            faults,
            ..Default::default()
        };
    }

    /// A department asks for a supplement (7.2.3) on case `project_no`, at once: the message
    /// is queued for desks to poll. `materials` names what is missing (at least one).
    pub fn request_supplement(&self, project_no: &str, opinion: &str, materials: &[String]) {
        let plain = json!({"params": {"projectlist": [{
            "no": project_no,
            "internal_no": project_no,
            "projectinfo": {"materiallist": materials
                .iter()
                .map(|m| json!({"sj_file_name": m}))
                .collect::<Vec<_>>()},
        }]}});
        let step = DeptStep::Supplement {
            opinion: opinion.to_string(),
            materials: materials.to_vec(),
        };
        run_steps_after(&self.shared, &plain, &[step], Duration::ZERO);
    }

    /// Stops the simulator.
    pub async fn shutdown(mut self) {
        registry().remove(&self.base_url());
        self.shutdown.send_replace(true);
        let _ = (&mut self.task).await;
    }

    /// Runs until the process ends (the CLI).
    pub async fn wait(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let url = self.base_url();
        let mut reg = registry();
        if reg.get(&url) == Some(&self.shared.identity) {
            reg.remove(&url);
        }
    }
}

/// Starts the simulator on `listener`.
pub async fn serve(config: SimConfig, listener: TcpListener) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    if let Err(e) = config.profile.crypto.validate() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, e));
    }
    let (down_tx, _) = watch::channel(false);
    let (listening_tx, _) = watch::channel(true);
    let shared = Arc::new(Shared {
        profile: XinjiangJson::new(config.profile.clone()),
        inner: Mutex::new(Inner {
            scenario: config.scenario.clone(),
            ..Default::default()
        }),
        config: config.clone(),
        down: down_tx,
        listening: listening_tx,
        identity: uuid::Uuid::new_v4().simple().to_string(),
    });
    shared.set_faults(config.faults.clone());
    let settle = Arc::clone(&shared);
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let task = tokio::spawn(accept_loop(
        Arc::clone(&shared),
        listener,
        addr,
        shutdown_rx,
    ));
    settle.settle().await;
    registry().insert(format!("http://{addr}"), shared.identity.clone());
    Ok(SimHandle {
        addr,
        shared,
        shutdown: shutdown_tx,
        task,
    })
}

async fn accept_loop(
    shared: Arc<Shared>,
    listener: TcpListener,
    addr: SocketAddr,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut down_rx = shared.down.subscribe();
    let mut listener = Some(listener);
    loop {
        let down = *down_rx.borrow_and_update();
        if down {
            // Closing the socket makes connection attempts fail with "refused".
            listener = None;
            shared.listening.send_replace(false);
        } else if listener.is_none() {
            match TcpListener::bind(addr).await {
                Ok(l) => {
                    listener = Some(l);
                    shared.listening.send_replace(true);
                }
                Err(e) => {
                    tracing::warn!("hub-sim: cannot listen again on {addr}: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
        }
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = down_rx.changed() => continue,
            accepted = accept(&listener) => {
                let Ok((stream, peer)) = accepted else { continue };
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let svc = service_fn(move |req| {
                        let shared = Arc::clone(&shared);
                        async move {
                            let identity = shared.identity.clone();
                            let mut resp = handle(shared, peer, req).await?;
                            if let Ok(v) = identity.parse() {
                                resp.headers_mut().insert(IDENTITY_HEADER, v);
                            }
                            Ok::<_, DropConnection>(resp)
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        }
    }
}

async fn accept(
    listener: &Option<TcpListener>,
) -> std::io::Result<(tokio::net::TcpStream, SocketAddr)> {
    match listener {
        Some(l) => l.accept().await,
        None => std::future::pending().await,
    }
}

/// Returned by the service to close the connection without an answer.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}
impl std::error::Error for DropConnection {}

type Resp = Response<Full<Bytes>>;

fn respond(status: StatusCode, body: Vec<u8>) -> Resp {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    if let Ok(v) = "application/json;charset=UTF-8".parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

fn respond_json<T: Serialize>(status: StatusCode, v: &T) -> Resp {
    respond(status, serde_json::to_vec(v).unwrap_or_default())
}

fn envelope(status: StatusCode, r: &HubResponse) -> Resp {
    respond_json(status, r)
}

fn normalise(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

async fn handle(
    shared: Arc<Shared>,
    peer: SocketAddr,
    req: Request<HyperBody>,
) -> Result<Resp, DropConnection> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let token_ok = {
        let expected = &shared.config.profile.token;
        expected.is_empty()
            || req
                .headers()
                .get(shared.config.profile.token_header.as_str())
                .and_then(|v| v.to_str().ok())
                == Some(expected.as_str())
    };
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Err(DropConnection),
    };

    let ip = normalise(peer.ip());
    let whitelist = &shared.config.whitelist;
    if !whitelist.is_empty() && !whitelist.iter().any(|w| normalise(*w) == ip) {
        return Ok(envelope(
            StatusCode::FORBIDDEN,
            &HubResponse::refused(&format!("IP地址{ip}不在白名单中")),
        ));
    }

    if path.starts_with("/sim/") {
        let resp = control(&shared, &method, &path, &body);
        shared.settle().await;
        return Ok(resp);
    }

    if path == crate::share::QUERY_PATH || path == crate::share::APPLY_PATH {
        if !token_ok {
            return Ok(envelope(
                StatusCode::OK,
                &HubResponse::refused("用户标识令牌（token）无效或缺失"),
            ));
        }
        return Ok(share_endpoint(
            &shared,
            path == crate::share::APPLY_PATH,
            &body,
        ));
    }

    if path == POLL_PATH {
        if !token_ok {
            return Ok(envelope(
                StatusCode::OK,
                &HubResponse::refused("用户标识令牌（token）无效或缺失"),
            ));
        }
        return Ok(poll(&shared, &body));
    }

    let Some(interface) = Interface::from_path(&path) else {
        return Ok(envelope(
            StatusCode::NOT_FOUND,
            &HubResponse::refused(&format!("接口不存在：{path}")),
        ));
    };
    if method != Method::POST {
        return Ok(envelope(
            StatusCode::METHOD_NOT_ALLOWED,
            &HubResponse::refused("接口只接受POST"),
        ));
    }

    // Per-call faults.
    let faults = {
        let mut inner = shared.lock();
        let f = inner.faults.clone();
        if let Some(n) = inner.faults.remaining {
            if n <= 1 {
                let keep_dup = inner.faults.duplicate_delivery;
                inner.faults = Faults {
                    duplicate_delivery: keep_dup,
                    ..Faults::default()
                };
            } else {
                inner.faults.remaining = Some(n - 1);
            }
        }
        f
    };
    if faults.http_500 {
        record(
            &shared,
            interface,
            &path,
            peer,
            Value::Null,
            None,
            false,
            "fault:http_500",
            None,
        );
        return Ok(respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            b"Internal Server Error".to_vec(),
        ));
    }
    if let Some(text) = &faults.refuse {
        record(
            &shared,
            interface,
            &path,
            peer,
            Value::Null,
            None,
            false,
            "fault:refuse",
            Some(text.clone()),
        );
        return Ok(envelope(StatusCode::OK, &HubResponse::refused(text)));
    }
    if !token_ok {
        let reason = "用户标识令牌（token）无效或缺失";
        record(
            &shared,
            interface,
            &path,
            peer,
            Value::Null,
            None,
            false,
            "refused",
            Some(reason.into()),
        );
        return Ok(envelope(StatusCode::OK, &HubResponse::refused(reason)));
    }

    let answer = process(&shared, interface, &path, peer, &body);

    if faults.drop_after_receive {
        return Err(DropConnection);
    }
    if faults.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.delay_ms)).await;
    }
    if faults.malformed {
        return Ok(respond(
            StatusCode::OK,
            br#"{"status":{"code":200,"text":""},"custom":{"code":1,"te"#.to_vec(),
        ));
    }
    Ok(envelope(StatusCode::OK, &answer))
}

#[allow(clippy::too_many_arguments)]
fn record(
    shared: &Shared,
    interface: Interface,
    path: &str,
    peer: SocketAddr,
    plain: Value,
    key: Option<String>,
    duplicate: bool,
    outcome: &str,
    reason: Option<String>,
) -> u64 {
    let mut inner = shared.lock();
    inner.next_seq += 1;
    let seq = inner.next_seq;
    inner.received.push(Received {
        seq,
        time: Utc::now(),
        interface: Some(interface),
        path: path.to_string(),
        peer: peer.to_string(),
        plain,
        key,
        duplicate,
        outcome: outcome.to_string(),
        reason,
    });
    seq
}

/// Decrypts, checks and stores one interface call; returns the answer.
fn process(
    shared: &Arc<Shared>,
    interface: Interface,
    path: &str,
    peer: SocketAddr,
    body: &[u8],
) -> HubResponse {
    let refuse = |plain: Value, key: Option<String>, reason: String| {
        record(
            shared,
            interface,
            path,
            peer,
            plain,
            key,
            false,
            "refused",
            Some(reason.clone()),
        );
        HubResponse::refused(&reason)
    };
    let wire: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return refuse(Value::Null, None, format!("请求不是有效的JSON：{e}")),
    };
    let plain = match shared.profile.decode_request(interface, &wire) {
        Ok(p) => p,
        Err(e) => return refuse(wire, None, e.to_string()),
    };
    let key = message_key(interface, &plain, &wire);

    // Idempotency: the same message (interface, no, sign) is acknowledged once more, not
    // processed again.
    if let Some(k) = &key {
        let first = shared.lock().seen.get(k).copied();
        if let Some(first) = first {
            let mut answer = HubResponse::ok(&format!("重复推送，已于第{first}次接收时处理"));
            if interface == Interface::PushFile
                && let Some(guid) = shared.lock().file_by_key.get(k).cloned()
            {
                answer.custom.attachguid = Some(guid);
            }
            record(
                shared, interface, path, peer, plain, key, true, "accepted", None,
            );
            return answer;
        }
    }

    let missing = required_missing(interface, &plain);
    if !missing.is_empty() {
        return refuse(plain, key, missing_message(&missing));
    }
    let bad = bad_codes(&plain);
    if !bad.is_empty() {
        let text: Vec<String> = bad.iter().map(|b| b.to_string()).collect();
        return refuse(plain, key, format!("数据字典取值错误：{}", text.join("；")));
    }
    if let Err(e) = typed_check(interface, &plain) {
        return refuse(plain, key, format!("数据格式错误：{e}"));
    }

    let mut answer = match interface {
        Interface::Receive => HubResponse::ok("办件数据接收成功!"),
        _ => HubResponse::ok("推送成功"),
    };
    match interface {
        Interface::PushFile => {
            let params: FileParams =
                serde_json::from_value(plain["params"].clone()).unwrap_or_default();
            let Ok(bytes) = BASE64.decode(params.filecontent.trim()) else {
                return refuse(plain, key, "附件内容（filecontent）不是有效的Base64".into());
            };
            let guid = uuid::Uuid::new_v4().to_string();
            let mut inner = shared.lock();
            inner.files.insert(guid.clone(), bytes);
            if let Some(k) = &key {
                inner.file_by_key.insert(k.clone(), guid.clone());
            }
            answer = HubResponse::ok("返回内容");
            answer.custom.attachguid = Some(guid);
        }
        Interface::DownloadFile => {
            let guid = plain["params"]["attachguid"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let found = shared.lock().files.get(&guid).cloned();
            match found {
                Some(bytes) => answer.custom.filecontent = Some(BASE64.encode(bytes)),
                None => {
                    return refuse(plain, key, format!("附件标识（attachguid）不存在：{guid}"));
                }
            }
        }
        // Department → hub → counter: forward to desks. What a hall system pushed itself
        // (its process steps, `data_sources` = 1) is not echoed back to it.
        Interface::PushSupply | Interface::PushProcess | Interface::PushFinish
            if from_department(&plain) =>
        {
            queue(shared, interface, wire.clone());
        }
        Interface::PushAccept => {
            let steps = shared.lock().scenario.on_accept.clone();
            run_steps(shared, &plain, &steps);
        }
        Interface::PushSupplyFinished => {
            let steps = shared.lock().scenario.on_supply_finished.clone();
            run_steps(shared, &plain, &steps);
        }
        // A hall system's own steps and results: stored, not forwarded.
        Interface::PushSupply
        | Interface::PushProcess
        | Interface::PushFinish
        | Interface::PushAll
        | Interface::Receive => {}
    }
    let seq = record(
        shared,
        interface,
        path,
        peer,
        plain,
        key.clone(),
        false,
        "accepted",
        None,
    );
    if let Some(k) = key {
        shared.lock().seen.insert(k, seq);
    }
    answer
}

fn message_key(interface: Interface, plain: &Value, wire: &Value) -> Option<String> {
    match interface {
        Interface::DownloadFile => None,
        Interface::PushFile => wire
            .get("sign")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{}:{s}", interface.name())),
        _ => {
            let items = plain["params"]["projectlist"].as_array()?;
            let parts: Vec<String> = items
                .iter()
                .map(|i| {
                    format!(
                        "{}/{}",
                        i["no"].as_str().unwrap_or_default(),
                        i["sign"].as_str().unwrap_or_default()
                    )
                })
                .collect();
            Some(format!("{}:{}", interface.name(), parts.join(",")))
        }
    }
}

fn typed_check(interface: Interface, plain: &Value) -> Result<(), serde_json::Error> {
    match interface {
        Interface::PushAll => ProjectRequest::<AllProjectInfo>::from_plain(plain).map(|_| ()),
        Interface::PushAccept => ProjectRequest::<AcceptProjectInfo>::from_plain(plain).map(|_| ()),
        Interface::PushSupply => ProjectRequest::<SupplyRequestInfo>::from_plain(plain).map(|_| ()),
        Interface::PushSupplyFinished => {
            ProjectRequest::<SupplyFinishedInfo>::from_plain(plain).map(|_| ())
        }
        Interface::PushProcess => {
            ProjectRequest::<ProcessProjectInfo>::from_plain(plain).map(|_| ())
        }
        Interface::PushFinish => ProjectRequest::<FinishProjectInfo>::from_plain(plain).map(|_| ()),
        Interface::Receive => ProjectRequest::<ReceiveProjectInfo>::from_plain(plain).map(|_| ()),
        Interface::PushFile => {
            serde_json::from_value::<FileParams>(plain["params"].clone()).map(|_| ())
        }
        Interface::DownloadFile => Ok(()),
    }
}

/// Whether a pushed 7.2.3, 7.2.5 or 7.2.6 message comes from a department system: no entry
/// of its lists says `data_sources` = 1 (大厅系统产生).
fn from_department(plain: &Value) -> bool {
    let hall = DataSource::Hall.code();
    let lists = ["materiallist", "processlist", "resultinfo"];
    !plain["params"]["projectlist"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|item| {
            lists
                .iter()
                .filter_map(move |l| item["projectinfo"][*l].as_array())
                .flatten()
        })
        .any(|e| e["data_sources"].as_str() == Some(hall))
}

fn queue(shared: &Shared, interface: Interface, body: Value) {
    queue_after(shared, interface, body, Duration::ZERO);
}

fn queue_after(shared: &Shared, interface: Interface, body: Value, delay: Duration) {
    let mut inner = shared.lock();
    inner.next_msg += 1;
    let seq = inner.next_msg;
    if !delay.is_zero() {
        inner
            .ready_at
            .insert(seq, tokio::time::Instant::now() + delay);
    }
    inner.outbox.push(IncomingMessage {
        seq,
        msgid: uuid::Uuid::new_v4().to_string(),
        interface,
        body,
    });
}

/// The department's answers to an accepted (or supplemented) case, queued for desks.
fn run_steps(shared: &Arc<Shared>, plain: &Value, steps: &[DeptStep]) {
    let delay = Duration::from_secs(shared.lock().scenario.step_delay_secs);
    run_steps_after(shared, plain, steps, delay);
}

/// [`run_steps`], each step `delay` after the previous one.
fn run_steps_after(shared: &Arc<Shared>, plain: &Value, steps: &[DeptStep], delay: Duration) {
    let Some(items) = plain["params"]["projectlist"].as_array() else {
        return;
    };
    // Hall time, UTC+8.
    let now = (Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    for item in items {
        let s = |k: &str| item[k].as_str().map(str::to_string);
        let no = s("no").unwrap_or_default();
        let first_material = item["projectinfo"]["materiallist"][0]["sj_file_name"]
            .as_str()
            .unwrap_or("申请材料")
            .to_string();
        for (n, step) in steps.iter().enumerate() {
            let base = || ProjectItem::<()> {
                no: no.clone(),
                internal_no: s("internal_no").unwrap_or_default(),
                area_no: s("area_no"),
                pro_year: s("pro_year"),
                task_handle_item: s("taskHandleItem"),
                instance_code: s("instanceCode"),
                opinion: None,
                operationtype: None,
                projectinfo: (),
            };
            let (interface, plain) = match step {
                DeptStep::Process {
                    event_code,
                    note,
                    docname,
                } => {
                    let b = base();
                    let req = ProjectRequest::single(ProjectItem {
                        projectinfo: ProcessProjectInfo {
                            processlist: Some(vec![Process {
                                no: Some(format!("{no}-P{}", n + 1)),
                                event_number: Some((n + 1).to_string()),
                                event_code: Some(*event_code),
                                event_name: Some(event_code.label().to_string()),
                                end_time: Some(now.clone()),
                                end_note: note.clone(),
                                end_user_name: Some("部门审批人".into()),
                                data_sources: Some(DataSource::Department),
                                ..Default::default()
                            }]),
                            doclist: docname.as_ref().map(|d| {
                                // The department's document, downloadable through 7.2.8.
                                let guid = uuid::Uuid::new_v4().to_string();
                                let number = format!("SIM-{}", n + 1);
                                let pdf = department_document(d, &number, note.as_deref());
                                shared.lock().files.insert(guid.clone(), pdf);
                                vec![Doc {
                                    no: Some(format!("{no}-D{}", n + 1)),
                                    docname: Some(d.clone()),
                                    docnumber: Some(number),
                                    docattach: Some(guid),
                                    data_sources: Some(DataSource::Department),
                                    extinfo: None,
                                }]
                            }),
                        },
                        no: b.no,
                        internal_no: b.internal_no,
                        area_no: b.area_no,
                        pro_year: b.pro_year,
                        task_handle_item: b.task_handle_item,
                        instance_code: b.instance_code,
                        opinion: note.clone(),
                        operationtype: None,
                    });
                    (Interface::PushProcess, req.to_plain())
                }
                DeptStep::Supplement { opinion, materials } => {
                    let b = base();
                    let first = [first_material.clone()];
                    let materials: &[String] = if materials.is_empty() {
                        &first
                    } else {
                        materials
                    };
                    let req = ProjectRequest::single(ProjectItem {
                        projectinfo: SupplyRequestInfo(SupplyProjectInfo {
                            materiallist: Some(
                                materials
                                    .iter()
                                    .enumerate()
                                    .map(|(i, m)| Material {
                                        no: Some(format!("{no}-M{}", i + 1)),
                                        sj_file_name: Some(m.clone()),
                                        sj_file_if: Some(YesNo::Yes),
                                        sj_file_statu: Some("需补正".into()),
                                        if_ec_page: Some(YesNo::No),
                                        data_sources: Some(DataSource::Department),
                                        ..Default::default()
                                    })
                                    .collect(),
                            ),
                        }),
                        no: b.no,
                        internal_no: b.internal_no,
                        area_no: b.area_no,
                        pro_year: b.pro_year,
                        task_handle_item: b.task_handle_item,
                        instance_code: b.instance_code,
                        opinion: Some(opinion.clone()),
                        operationtype: None,
                    });
                    (Interface::PushSupply, req.to_plain())
                }
                DeptStep::Result {
                    status,
                    note,
                    result_no,
                } => {
                    let b = base();
                    let req = ProjectRequest::single(ProjectItem {
                        projectinfo: FinishProjectInfo {
                            resultinfo: Some(vec![ResultInfo {
                                no: Some(format!("{no}-R")),
                                status: Some(*status),
                                result_no: result_no.clone(),
                                note: note.clone(),
                                resultname: Some(status.label().to_string()),
                                create_date: Some(now.clone()),
                                handleusername: Some("部门审批人".into()),
                                data_sources: Some(DataSource::Department),
                                ..Default::default()
                            }]),
                            certresultinfo: None,
                        },
                        no: b.no,
                        internal_no: b.internal_no,
                        area_no: b.area_no,
                        pro_year: b.pro_year,
                        task_handle_item: b.task_handle_item,
                        instance_code: b.instance_code,
                        opinion: note.clone(),
                        operationtype: None,
                    });
                    (Interface::PushFinish, req.to_plain())
                }
            };
            let Ok(plain) = plain else { continue };
            match shared.profile.encode_request(interface, &plain) {
                Ok(enc) => match serde_json::from_slice(&enc.body) {
                    Ok(body) => queue_after(shared, interface, body, delay * (n as u32 + 1)),
                    Err(e) => tracing::warn!("hub-sim: department message not queued: {e}"),
                },
                Err(e) => tracing::warn!("hub-sim: department message not encoded: {e}"),
            }
        }
    }
}

/// A department's document, as a real PDF (marked as the simulator's).
fn department_document(docname: &str, number: &str, note: Option<&str>) -> Vec<u8> {
    let spec = yichuang_pdf::DocumentSpec {
        hall_name: "办件中心模拟器 · 审批部门".into(),
        title: docname.to_string(),
        doc_no: Some(format!("文书编号：{number}")),
        paragraphs: vec![note.unwrap_or("（模拟部门文书）").to_string()],
        watermark: Some("模拟数据 · 非正式文书".into()),
        ..Default::default()
    };
    yichuang_pdf::render(&spec).unwrap_or_else(|_| b"%PDF-1.4\n%%EOF\n".to_vec())
}

fn poll(shared: &Shared, body: &[u8]) -> Resp {
    let params: Value = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("params").cloned())
        .unwrap_or(Value::Null);
    let cursor = params["cursor"].as_u64().unwrap_or(0);
    let max = params["max"].as_u64().unwrap_or(100).clamp(1, 1000) as usize;
    let inner = shared.lock();
    let now = tokio::time::Instant::now();
    // Only the messages visible now, and only up to the first that is not: the cursor never
    // passes a message a desk has not seen.
    let mut all: Vec<(u64, Value)> = inner
        .outbox
        .iter()
        .filter(|m| m.seq > cursor)
        .map(|m| (m.seq, serde_json::to_value(m).unwrap_or_default()))
        .chain(
            inner
                .share_outbox
                .iter()
                .filter(|m| m.seq > cursor)
                .map(|m| (m.seq, serde_json::to_value(m).unwrap_or_default())),
        )
        .collect();
    all.sort_by_key(|(seq, _)| *seq);
    let batch: Vec<(u64, Value)> = all
        .into_iter()
        .take_while(|(seq, _)| inner.ready_at.get(seq).is_none_or(|t| *t <= now))
        .take(max)
        .collect();
    let next = batch.last().map(|(seq, _)| *seq).unwrap_or(cursor);
    let messages: Vec<Value> = if inner.faults.duplicate_delivery {
        batch
            .iter()
            .flat_map(|(_, m)| [m.clone(), m.clone()])
            .collect()
    } else {
        batch.into_iter().map(|(_, m)| m).collect()
    };
    let mut answer = HubResponse::ok("");
    answer.custom.extra.insert("cursor".into(), json!(next));
    answer.custom.extra.insert(
        "messages".into(),
        serde_json::to_value(messages).unwrap_or_default(),
    );
    envelope(StatusCode::OK, &answer)
}

/// The code printed on a signed-out paper: derived from the request, so signing out twice
/// gives the same code.
fn paper_code(share_id: &str) -> String {
    let hex: String = share_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(12)
        .collect();
    format!("ZD{}", hex.to_ascii_uppercase())
}

fn hall_now() -> String {
    (Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn queue_share(shared: &Shared, interface: &str, body: Value, delay: Duration) {
    let mut inner = shared.lock();
    inner.next_msg += 1;
    let seq = inner.next_msg;
    if !delay.is_zero() {
        inner
            .ready_at
            .insert(seq, tokio::time::Instant::now() + delay);
    }
    inner.share_outbox.push(ShareMessage {
        seq,
        msgid: uuid::Uuid::new_v4().to_string(),
        interface: interface.to_string(),
        body,
    });
}

fn sign_out(shared: &Shared, share_id: &str, by: &str) -> Option<String> {
    let (wire, already) = {
        let inner = shared.lock();
        let wire = inner
            .share_requests
            .iter()
            .find(|w| w.share_id == share_id && w.method == ShareMethod::Paper)
            .cloned()?;
        (wire, inner.sign_outs.get(share_id).cloned())
    };
    if let Some(code) = already {
        return Some(code);
    }
    let code = paper_code(share_id);
    shared
        .lock()
        .sign_outs
        .insert(share_id.to_string(), code.clone());
    let body = ShareSignOutBody {
        share_id: wire.share_id,
        project_no: wire.project_no,
        code: code.clone(),
        signed_out_by: by.to_string(),
        signed_out_at: hall_now(),
    };
    queue_share(
        shared,
        SHARE_SIGN_OUT,
        serde_json::to_value(body).unwrap_or_default(),
        Duration::ZERO,
    );
    Some(code)
}

/// The departments' side of 帮我传: a query is answered; a request is answered, remembered
/// and, per the scenario, called back (electronic) or signed out (paper).
fn share_endpoint(shared: &Arc<Shared>, apply: bool, body: &[u8]) -> Resp {
    let wire: ShareWire = match serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("params").cloned())
        .map(serde_json::from_value)
    {
        Some(Ok(w)) => w,
        Some(Err(e)) => {
            return envelope(
                StatusCode::OK,
                &HubResponse::refused(&format!("帮我传请求格式错误：{e}")),
            );
        }
        None => {
            return envelope(
                StatusCode::OK,
                &HubResponse::refused("帮我传请求缺少 params"),
            );
        }
    };
    let behaviour = {
        let inner = shared.lock();
        inner
            .scenario
            .share
            .materials
            .get(&wire.material_no)
            .cloned()
            .unwrap_or_else(|| inner.scenario.share.default.clone())
    };
    let answer = |available: bool, text: &str| {
        let mut a = HubResponse::ok(text);
        a.custom.extra.insert("available".into(), json!(available));
        envelope(StatusCode::OK, &a)
    };
    if !behaviour.available {
        let reason = behaviour
            .reason
            .clone()
            .unwrap_or_else(|| format!("{}未查询到申请人的该材料", wire.dept_name));
        return answer(false, &reason);
    }
    if !apply {
        return answer(true, "材料可共享");
    }
    if wire.share_id.trim().is_empty() {
        return envelope(
            StatusCode::OK,
            &HubResponse::refused("帮我传请求缺少 share_id"),
        );
    }
    {
        let mut inner = shared.lock();
        if inner
            .share_requests
            .iter()
            .any(|w| w.share_id == wire.share_id)
        {
            inner.share_duplicates += 1;
            drop(inner);
            return answer(true, "重复请求，已受理");
        }
        inner.share_requests.push(wire.clone());
    }
    let delay = Duration::from_secs(behaviour.delay_secs);
    match wire.method {
        ShareMethod::Electronic => {
            let body = match behaviour.callback {
                ShareCallback::Never => None,
                ShareCallback::Success => Some(ShareResultBody {
                    share_id: wire.share_id.clone(),
                    project_no: wire.project_no.clone(),
                    success: true,
                    file_name: format!("{}.pdf", wire.sj_file_name),
                    file_base64: BASE64.encode(department_document(
                        &wire.sj_file_name,
                        &wire.share_id,
                        Some(&format!("{}共享的电子材料（模拟）", wire.dept_name)),
                    )),
                    reason: String::new(),
                }),
                ShareCallback::Failure => Some(ShareResultBody {
                    share_id: wire.share_id.clone(),
                    project_no: wire.project_no.clone(),
                    success: false,
                    file_name: String::new(),
                    file_base64: String::new(),
                    reason: behaviour
                        .reason
                        .clone()
                        .unwrap_or_else(|| "部门档案中的材料已损毁，无法共享".into()),
                }),
            };
            if let Some(b) = body {
                queue_share(
                    shared,
                    SHARE_RESULT,
                    serde_json::to_value(b).unwrap_or_default(),
                    delay,
                );
            }
        }
        ShareMethod::Paper if behaviour.auto_sign_out => {
            let me = Arc::clone(shared);
            let id = wire.share_id.clone();
            if delay.is_zero() {
                sign_out(shared, &id, "档案馆签出员");
            } else {
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    sign_out(&me, &id, "档案馆签出员");
                });
            }
        }
        ShareMethod::Paper => {}
    }
    answer(true, "共享请求已受理")
}

fn control(shared: &Arc<Shared>, method: &Method, path: &str, body: &[u8]) -> Resp {
    let bad_request = |e: String| respond_json(StatusCode::BAD_REQUEST, &json!({ "error": e }));
    match (method.as_str(), path) {
        ("GET", "/sim/health") => respond_json(StatusCode::OK, &json!({"ok": true})),
        ("GET", "/sim/received") => {
            let inner = shared.lock();
            let duplicates = inner.received.iter().filter(|r| r.duplicate).count();
            respond_json(
                StatusCode::OK,
                &json!({"received": inner.received, "duplicates": duplicates}),
            )
        }
        ("GET", "/sim/outbox") => respond_json(StatusCode::OK, &shared.lock().outbox),
        ("GET", "/sim/share/requests") => {
            let inner = shared.lock();
            respond_json(
                StatusCode::OK,
                &json!({"requests": inner.share_requests, "duplicates": inner.share_duplicates,
                        "callbacks": inner.share_outbox}),
            )
        }
        ("POST", "/sim/share/sign-out") => {
            let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
            let id = v["share_id"].as_str().unwrap_or_default();
            let by = v["signed_out_by"].as_str().unwrap_or("档案馆签出员");
            match sign_out(shared, id, by) {
                Some(code) => respond_json(StatusCode::OK, &json!({"ok": true, "code": code})),
                None => respond_json(
                    StatusCode::NOT_FOUND,
                    &json!({"error": format!("no paper request {id}")}),
                ),
            }
        }
        ("GET", "/sim/faults") => respond_json(StatusCode::OK, &shared.lock().faults),
        ("POST", "/sim/faults") => match serde_json::from_slice::<Faults>(body) {
            // Once down, the control endpoint is unreachable too: only a timed outage is
            // possible over HTTP.
            Ok(f) if f.down && f.down_for_ms == 0 => bad_request(
                "不能通过HTTP设置 down（关闭后控制接口也无法访问，模拟器无法恢复），请使用 down_for_ms".into(),
            ),
            Ok(f) => {
                shared.set_faults(f);
                respond_json(StatusCode::OK, &json!({"ok": true}))
            }
            Err(e) => bad_request(e.to_string()),
        },
        ("POST", "/sim/scenario") => match serde_json::from_slice::<Scenario>(body) {
            Ok(s) => {
                shared.lock().scenario = s;
                respond_json(StatusCode::OK, &json!({"ok": true}))
            }
            Err(e) => bad_request(e.to_string()),
        },
        ("POST", "/sim/reset") => {
            let mut inner = shared.lock();
            let scenario = inner.scenario.clone();
            *inner = Inner {
                scenario,
                ..Default::default()
            };
            respond_json(StatusCode::OK, &json!({"ok": true}))
        }
        _ => respond_json(
            StatusCode::NOT_FOUND,
            &json!({"error": format!("no such control endpoint: {method} {path}")}),
        ),
    }
}
