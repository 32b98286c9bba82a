//! The HTTP client of the hub.
//!
//! Every call is checked locally first (required fields, with their Chinese labels), encoded by
//! the hub profile, sent with a connect timeout and an overall timeout, and logged as a
//! [`CallLogEntry`] with personal data masked. Failures are [`HubError`]s whose `Display` is the
//! clerk's message.
//!
//! Connections are not pooled: every call opens its own, so "the hub is down" (connection
//! refused) and "the connection dropped after the request was sent" stay distinguishable.
//! The latter is ambiguous (the hub may have stored the message), which is why a retry must
//! resend the same encoded body (same `sign`), see [`HubClient::encode`] and
//! [`HubClient::send_encoded`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::calllog::{CallLogEntry, CallLogSink, CallOutcome, mask_pii};
use crate::profile::{EncodedRequest, HubProfile, ProfileError};
use crate::protocol::{
    DownloadParams, FileParams, FinishProjectInfo, HubResponse, Interface, MissingField,
    ProcessProjectInfo, ProjectInfo, ProjectRequest, SupplyRequestInfo, missing_message,
};

/// Client settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// e.g. `http://10.1.2.3:8080`; the interface paths are appended.
    pub base_url: String,
    #[serde(default = "default_connect_ms")]
    pub connect_timeout_ms: u64,
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Who calls, for the call log (desk and clerk).
    #[serde(default)]
    pub caller: String,
    /// The polling endpoint for incoming messages (7.2.3, 7.2.5, 7.2.6), relative to
    /// `base_url`. Not part of seed 000; see docs/hub-protocol.md.
    #[serde(default = "default_poll_path")]
    pub poll_path: String,
}

fn default_connect_ms() -> u64 {
    3_000
}
fn default_timeout_ms() -> u64 {
    15_000
}
fn default_poll_path() -> String {
    "/yichuang/poll".to_string()
}

impl ClientConfig {
    pub fn new(base_url: &str) -> Self {
        ClientConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            connect_timeout_ms: default_connect_ms(),
            timeout_ms: default_timeout_ms(),
            caller: String::new(),
            poll_path: default_poll_path(),
        }
    }
}

/// A failed hub call. `Display` is the message for the clerk, in Chinese.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HubError {
    /// A required field is missing; nothing was sent.
    #[error("{}", missing_message(.0))]
    MissingFields(Vec<MissingField>),
    /// The hub could not be reached (connection refused, no route, DNS, TLS). `Display` says
    /// what happened in Chinese; `detail` keeps the HTTP library's text for the 详情 toggle.
    #[error("{}", unreachable_message(*.cause, .url))]
    Unreachable {
        url: String,
        cause: ConnectFailure,
        detail: String,
    },
    /// No answer within the time limit. The hub may have received the data.
    #[error("办件中心在{after_ms}毫秒内没有响应，数据可能已送达，请稍后核对或重试")]
    Timeout { after_ms: u64 },
    /// The hub answered with an HTTP error status.
    #[error("办件中心返回HTTP错误{code}{}", if .text.is_empty() { String::new() } else { format!("：{}", .text) })]
    HttpStatus { code: u16, text: String },
    /// `custom.code` = 0: the hub refused, with its reason.
    #[error("办件中心拒绝：{text}")]
    Refused { text: String },
    /// The answer is not the expected envelope.
    #[error("办件中心返回的数据格式错误：{detail}")]
    Malformed { detail: String },
    /// The connection closed before an answer. The hub may have received the data.
    #[error("与办件中心的连接中断，未收到答复；数据可能已送达，请稍后核对或重试")]
    Dropped { detail: String },
    /// The request could not be encoded (configuration or encryption).
    #[error("办件数据无法加密或编码：{0}")]
    Encode(String),
    #[error("办件中心配置错误：{0}")]
    Config(String),
}

/// Why a connection to the hub could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectFailure {
    /// Nothing listens at the address (the hub is down).
    Refused,
    /// No answer while connecting.
    Timeout,
    /// The host name could not be resolved.
    Dns,
    /// The secure connection (https) could not be set up.
    Tls,
    /// Anything else (no route, network down…).
    Other,
}

/// Separates the clerk's message from the technical detail in stored failure texts (call log,
/// outbox `last_error`, hub status); the UI shows the detail behind a 详情 toggle.
pub const DETAIL_SEPARATOR: &str = "\n详情：";

/// The clerk's message for a connection that could not be made to `url`.
pub fn unreachable_message(cause: ConnectFailure, url: &str) -> String {
    match cause {
        ConnectFailure::Refused => {
            format!("无法连接办件中心（地址 {url}），对方未响应连接，请检查网络或稍后重试")
        }
        ConnectFailure::Timeout => format!("连接办件中心超时（地址 {url}），请检查网络"),
        ConnectFailure::Dns => {
            format!("无法连接办件中心：找不到地址 {url}，请检查网络或办件中心地址设置")
        }
        ConnectFailure::Tls => {
            format!("无法与办件中心建立安全连接（地址 {url}），请检查证书或办件中心地址设置")
        }
        ConnectFailure::Other => format!("无法连接办件中心（地址 {url}），请检查网络"),
    }
}

/// Classifies a failed connection from the error chain's text and its io error kind.
pub fn classify_connect(
    chain: &str,
    io_kind: Option<std::io::ErrorKind>,
    timed_out: bool,
) -> ConnectFailure {
    let text = chain.to_ascii_lowercase();
    if io_kind == Some(std::io::ErrorKind::ConnectionRefused) || text.contains("connection refused")
    {
        ConnectFailure::Refused
    } else if text.contains("dns error")
        || text.contains("failed to lookup address")
        || text.contains("name or service not known")
        || text.contains("no address associated")
    {
        ConnectFailure::Dns
    } else if ["tls", "ssl", "certificate", "handshake"]
        .iter()
        .any(|w| text.contains(w))
    {
        ConnectFailure::Tls
    } else if timed_out
        || io_kind == Some(std::io::ErrorKind::TimedOut)
        || text.contains("timed out")
    {
        ConnectFailure::Timeout
    } else {
        ConnectFailure::Other
    }
}

impl HubError {
    /// The technical detail behind the clerk's message (the HTTP library's text), if any.
    pub fn detail(&self) -> Option<&str> {
        match self {
            HubError::Unreachable { detail, .. } | HubError::Dropped { detail } => {
                Some(detail.as_str()).filter(|d| !d.is_empty())
            }
            _ => None,
        }
    }

    /// The text stored for the clerk (call log, outbox, hub status): the Chinese message,
    /// then the technical detail after [`DETAIL_SEPARATOR`] when there is one.
    pub fn stored_text(&self) -> String {
        with_detail(&self.to_string(), self.detail())
    }

    /// Whether resending the same message later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            HubError::Unreachable { .. }
                | HubError::Timeout { .. }
                | HubError::Dropped { .. }
                | HubError::HttpStatus { .. }
        )
    }

    /// Whether the hub may have received the message although the call failed.
    pub fn maybe_delivered(&self) -> bool {
        matches!(
            self,
            HubError::Timeout { .. } | HubError::Dropped { .. } | HubError::Malformed { .. }
        )
    }

    fn outcome(&self) -> CallOutcome {
        match self {
            HubError::MissingFields(_) | HubError::Encode(_) | HubError::Config(_) => {
                CallOutcome::NotSent
            }
            HubError::Unreachable { .. } => CallOutcome::Unreachable,
            HubError::Timeout { .. } => CallOutcome::Timeout,
            HubError::HttpStatus { .. } => CallOutcome::HttpStatus,
            HubError::Refused { .. } => CallOutcome::Refused,
            HubError::Malformed { .. } => CallOutcome::Malformed,
            HubError::Dropped { .. } => CallOutcome::Dropped,
        }
    }
}

impl From<ProfileError> for HubError {
    fn from(e: ProfileError) -> Self {
        HubError::Encode(e.to_string())
    }
}

/// Messages waiting for this desk, from the polling endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollBatch {
    /// Pass this back on the next poll once the messages are safely stored.
    pub cursor: u64,
    pub messages: Vec<IncomingMessage>,
    /// The departments' 帮我传 callbacks (`shareResult`, `shareSignOut`).
    #[serde(default)]
    pub shares: Vec<crate::share::ShareMessage>,
}

/// One message forwarded by the hub: the body exactly as the department pushed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomingMessage {
    pub seq: u64,
    /// Unique per message; a message delivered twice has the same `msgid`.
    pub msgid: String,
    pub interface: Interface,
    pub body: Value,
}

/// A decoded incoming message.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// 7.2.3: the department asks for a supplement.
    Supply(ProjectRequest<SupplyRequestInfo>),
    /// 7.2.5: approval steps and documents.
    Process(ProjectRequest<ProcessProjectInfo>),
    /// 7.2.6: the result.
    Finish(ProjectRequest<FinishProjectInfo>),
}

/// The hub client.
pub struct HubClient {
    http: reqwest::Client,
    config: ClientConfig,
    profile: Arc<dyn HubProfile>,
    log: Arc<dyn CallLogSink>,
    /// Once set (a demo desk used this client), every call goes only to a simulator started
    /// in this process, and only its answers are taken. Never unset.
    embedded_only: std::sync::atomic::AtomicBool,
}

impl HubClient {
    pub fn new(
        config: ClientConfig,
        profile: Arc<dyn HubProfile>,
        log: Arc<dyn CallLogSink>,
    ) -> Result<Self, HubError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
            .timeout(Duration::from_millis(config.timeout_ms))
            .pool_max_idle_per_host(0)
            .no_proxy()
            .build()
            .map_err(|e| HubError::Config(e.to_string()))?;
        if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
            return Err(HubError::Config(format!(
                "地址“{}”应以 http:// 或 https:// 开头",
                config.base_url
            )));
        }
        Ok(HubClient {
            http,
            config,
            profile,
            log,
            embedded_only: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Restricts this client, for good, to a hub simulator started in this process (see
    /// [`crate::sim::embedded_identity`]): a demo desk's calls never reach another address.
    pub fn restrict_to_embedded_sim(&self) {
        self.embedded_only
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether [`restrict_to_embedded_sim`](Self::restrict_to_embedded_sim) was called.
    pub fn is_restricted_to_embedded_sim(&self) -> bool {
        self.embedded_only.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Sends a request of 7.2.1–7.2.6 or 7.2.9.
    pub async fn send<P: ProjectInfo>(
        &self,
        req: &ProjectRequest<P>,
    ) -> Result<HubResponse, HubError> {
        let missing = req.required_missing();
        if !missing.is_empty() {
            return Err(HubError::MissingFields(missing));
        }
        let plain = req
            .to_plain()
            .map_err(|e| HubError::Encode(e.to_string()))?;
        self.call_plain(P::INTERFACE, &plain).await
    }

    /// 7.2.7: uploads an attachment, returns its `attachguid`.
    pub async fn push_file(&self, params: &FileParams) -> Result<String, HubError> {
        self.push_file_signed(params, None).await
    }

    /// 7.2.7 with a given `sign`: the same for every retry of one queued upload, so the hub
    /// recognises a resend and answers with the `attachguid` it gave the first time.
    pub async fn push_file_signed(
        &self,
        params: &FileParams,
        sign: Option<&str>,
    ) -> Result<String, HubError> {
        let missing = params.required_missing();
        if !missing.is_empty() {
            return Err(HubError::MissingFields(missing));
        }
        let mut plain = params
            .to_plain()
            .map_err(|e| HubError::Encode(e.to_string()))?;
        if let Some(sign) = sign {
            plain["sign"] = Value::String(sign.to_string());
        }
        let resp = self.call_plain(Interface::PushFile, &plain).await?;
        match resp.custom.attachguid {
            Some(g) if !g.is_empty() => Ok(g),
            _ => Err(HubError::Malformed {
                detail: "成功答复中没有附件标识（attachguid）".into(),
            }),
        }
    }

    /// 7.2.8: downloads an attachment.
    pub async fn download_file(&self, attachguid: &str) -> Result<Vec<u8>, HubError> {
        let params = DownloadParams {
            attachguid: attachguid.to_string(),
        };
        let missing = params.required_missing();
        if !missing.is_empty() {
            return Err(HubError::MissingFields(missing));
        }
        let plain = params
            .to_plain()
            .map_err(|e| HubError::Encode(e.to_string()))?;
        let resp = self.call_plain(Interface::DownloadFile, &plain).await?;
        let content = resp.custom.filecontent.ok_or_else(|| HubError::Malformed {
            detail: "成功答复中没有附件内容（filecontent）".into(),
        })?;
        base64::engine::general_purpose::STANDARD
            .decode(content.trim())
            .map_err(|_| HubError::Malformed {
                detail: "附件内容（filecontent）不是有效的Base64".into(),
            })
    }

    /// Encodes a plain request once, so that retries resend exactly the same body.
    pub fn encode(&self, interface: Interface, plain: &Value) -> Result<EncodedRequest, HubError> {
        Ok(self.profile.encode_request(interface, plain)?)
    }

    /// Encodes and sends a request given in its plain form (not checked for required fields).
    pub async fn call_plain(
        &self,
        interface: Interface,
        plain: &Value,
    ) -> Result<HubResponse, HubError> {
        let encoded = match self.encode(interface, plain) {
            Ok(e) => e,
            Err(e) => {
                self.record(interface, plain, None, None, 0, &Err(e.clone()));
                return Err(e);
            }
        };
        self.send_encoded(&encoded, plain).await
    }

    /// Sends an encoded request; `plain` is what the call log records (masked).
    pub async fn send_encoded(
        &self,
        encoded: &EncodedRequest,
        plain: &Value,
    ) -> Result<HubResponse, HubError> {
        let started = Instant::now();
        let (status, body, result) = self
            .post(&encoded.path, &encoded.headers, &encoded.body)
            .await;
        let result = result.and_then(|()| self.interpret(status, &body));
        let elapsed = started.elapsed().as_millis() as u64;
        self.record(
            encoded.interface,
            plain,
            status,
            Some(&body),
            elapsed,
            &result,
        );
        result
    }

    /// Polls the hub for messages after `cursor` (7.2.3, 7.2.5 and 7.2.6 forwarded to this desk).
    pub async fn poll(&self, cursor: u64, max: u32) -> Result<PollBatch, HubError> {
        let plain = serde_json::json!({"params": {"cursor": cursor, "max": max}});
        let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
        headers.extend(self.profile.auth_headers());
        let body = serde_json::to_vec(&plain).map_err(|e| HubError::Encode(e.to_string()))?;
        let (status, resp_body, result) = self.post(&self.config.poll_path, &headers, &body).await;
        let resp = result.and_then(|()| self.interpret(status, &resp_body))?;
        let cursor = resp
            .custom
            .extra
            .get("cursor")
            .and_then(Value::as_u64)
            .unwrap_or(cursor);
        let bad = |e: serde_json::Error| HubError::Malformed {
            detail: format!("消息列表格式错误：{e}"),
        };
        let mut messages = Vec::new();
        let mut shares = Vec::new();
        if let Some(list) = resp.custom.extra.get("messages") {
            let list: Vec<Value> = serde_json::from_value(list.clone()).map_err(bad)?;
            for m in list {
                if crate::share::is_share_interface(m["interface"].as_str().unwrap_or_default()) {
                    shares.push(serde_json::from_value(m).map_err(bad)?);
                } else {
                    messages.push(serde_json::from_value(m).map_err(bad)?);
                }
            }
        }
        Ok(PollBatch {
            cursor,
            messages,
            shares,
        })
    }

    /// Sends a 帮我传 query or apply (`path`: [`crate::share::QUERY_PATH`] or
    /// [`crate::share::APPLY_PATH`]) and returns the department's answer.
    pub async fn share_call(
        &self,
        path: &str,
        wire: &yichuang_types::sharing::ShareWire,
    ) -> Result<crate::share::ShareAnswer, HubError> {
        let plain = crate::share::request_body(wire);
        let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
        headers.extend(self.profile.auth_headers());
        let body = serde_json::to_vec(&plain).map_err(|e| HubError::Encode(e.to_string()))?;
        let (status, resp_body, result) = self.post(path, &headers, &body).await;
        let resp = result.and_then(|()| self.interpret(status, &resp_body))?;
        let available = resp
            .custom
            .extra
            .get("available")
            .and_then(Value::as_bool)
            .ok_or_else(|| HubError::Malformed {
                detail: "帮我传应答缺少 available".into(),
            })?;
        Ok(crate::share::ShareAnswer {
            available,
            text: resp.custom.text,
        })
    }

    /// Decrypts and types a polled message.
    pub fn decode_incoming(&self, msg: &IncomingMessage) -> Result<Incoming, HubError> {
        let plain = self
            .profile
            .decode_request(msg.interface, &msg.body)
            .map_err(|e| HubError::Malformed {
                detail: e.to_string(),
            })?;
        let bad = |e: serde_json::Error| HubError::Malformed {
            detail: e.to_string(),
        };
        match msg.interface {
            Interface::PushSupply => Ok(Incoming::Supply(
                ProjectRequest::from_plain(&plain).map_err(bad)?,
            )),
            Interface::PushProcess => Ok(Incoming::Process(
                ProjectRequest::from_plain(&plain).map_err(bad)?,
            )),
            Interface::PushFinish => Ok(Incoming::Finish(
                ProjectRequest::from_plain(&plain).map_err(bad)?,
            )),
            other => Err(HubError::Malformed {
                detail: format!("不应转发到窗口的接口：{}", other.label()),
            }),
        }
    }

    async fn post(
        &self,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> (Option<u16>, Vec<u8>, Result<(), HubError>) {
        let url = format!("{}{}", self.config.base_url, path);
        let identity = if self.is_restricted_to_embedded_sim() {
            match crate::sim::embedded_identity(&self.config.base_url) {
                Some(id) => Some(id),
                None => {
                    let refusal = crate::sim::demo_refusal(&self.config.base_url);
                    return (None, Vec::new(), Err(HubError::Config(refusal)));
                }
            }
        } else {
            None
        };
        let mut req = self.http.post(&url).body(body.to_vec());
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return (None, Vec::new(), Err(self.map_transport(e))),
        };
        let status = resp.status().as_u16();
        if let Some(id) = identity {
            let answered = resp
                .headers()
                .get(crate::sim::IDENTITY_HEADER)
                .and_then(|v| v.to_str().ok());
            if answered != Some(id.as_str()) {
                let refusal = crate::sim::demo_refusal(&self.config.base_url);
                return (Some(status), Vec::new(), Err(HubError::Config(refusal)));
            }
        }
        match resp.bytes().await {
            Ok(b) => (Some(status), b.to_vec(), Ok(())),
            Err(e) => (Some(status), Vec::new(), Err(self.map_transport(e))),
        }
    }

    fn map_transport(&self, e: reqwest::Error) -> HubError {
        let detail = error_chain(&e);
        if e.is_connect() {
            HubError::Unreachable {
                url: self.config.base_url.clone(),
                cause: classify_connect(&detail, io_kind(&e), e.is_timeout()),
                detail,
            }
        } else if e.is_timeout() {
            HubError::Timeout {
                after_ms: self.config.timeout_ms,
            }
        } else {
            HubError::Dropped { detail }
        }
    }

    fn interpret(&self, status: Option<u16>, body: &[u8]) -> Result<HubResponse, HubError> {
        let code = status.unwrap_or(0);
        if !(200..300).contains(&code) {
            let text = self
                .profile
                .decode_response(body)
                .map(|r| r.custom.text)
                .unwrap_or_default();
            return Err(HubError::HttpStatus { code, text });
        }
        let resp = self
            .profile
            .decode_response(body)
            .map_err(|e| HubError::Malformed {
                detail: match e {
                    ProfileError::Json(d) => d,
                    other => other.to_string(),
                },
            })?;
        match resp.custom.code {
            1 => Ok(resp),
            0 => Err(HubError::Refused {
                text: if resp.custom.text.is_empty() {
                    "（未说明原因）".to_string()
                } else {
                    resp.custom.text
                },
            }),
            other => Err(HubError::Malformed {
                detail: format!("custom.code 应为 1 或 0，实为 {other}"),
            }),
        }
    }

    fn record(
        &self,
        interface: Interface,
        plain: &Value,
        status: Option<u16>,
        body: Option<&[u8]>,
        duration_ms: u64,
        result: &Result<HubResponse, HubError>,
    ) {
        let response = body.filter(|b| !b.is_empty()).map(|b| {
            serde_json::from_slice::<Value>(b)
                .map(|v| mask_pii(&v))
                .unwrap_or_else(|_| {
                    Value::String(String::from_utf8_lossy(b).chars().take(2000).collect())
                })
        });
        let (outcome, message) = match result {
            Ok(_) => (CallOutcome::Ok, None),
            Err(e) => (e.outcome(), Some(e.stored_text())),
        };
        self.log.record(CallLogEntry {
            caller: self.config.caller.clone(),
            time: chrono::Utc::now(),
            interface,
            path: interface.path().to_string(),
            request: mask_pii(plain),
            response,
            http_status: status,
            duration_ms,
            outcome,
            message,
        });
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

/// The first io error kind in `e`'s chain.
fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(inner) = src {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        src = inner.source();
    }
    None
}

/// `message`, then `detail` after [`DETAIL_SEPARATOR`] when there is one.
pub fn with_detail(message: &str, detail: Option<&str>) -> String {
    match detail.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("{message}{DETAIL_SEPARATOR}{d}"),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;

    const REFUSED: &str = "error sending request for url (http://127.0.0.1:9/yichuang/poll): \
        client error (Connect): tcp connect error: Connection refused (os error 111)";

    #[test]
    fn connect_failures_are_classified() {
        assert_eq!(
            classify_connect(REFUSED, Some(ErrorKind::ConnectionRefused), false),
            ConnectFailure::Refused
        );
        assert_eq!(
            classify_connect(REFUSED, None, false),
            ConnectFailure::Refused
        );
        assert_eq!(
            classify_connect(
                "error sending request: client error (Connect): dns error: failed to lookup \
                 address information: Name or service not known",
                None,
                false
            ),
            ConnectFailure::Dns
        );
        assert_eq!(
            classify_connect(
                "client error (Connect): invalid peer certificate: UnknownIssuer",
                None,
                false
            ),
            ConnectFailure::Tls
        );
        assert_eq!(
            classify_connect("client error (Connect): operation timed out", None, true),
            ConnectFailure::Timeout
        );
        assert_eq!(
            classify_connect(
                "tcp connect error: Network is unreachable (os error 101)",
                Some(ErrorKind::NetworkUnreachable),
                false
            ),
            ConnectFailure::Other
        );
    }

    #[test]
    fn unreachable_says_what_happened_in_chinese_and_keeps_the_detail() {
        let url = "http://10.1.2.3:8080";
        for cause in [
            ConnectFailure::Refused,
            ConnectFailure::Timeout,
            ConnectFailure::Dns,
            ConnectFailure::Tls,
            ConnectFailure::Other,
        ] {
            let e = HubError::Unreachable {
                url: url.into(),
                cause,
                detail: REFUSED.into(),
            };
            let shown = e.to_string();
            assert!(shown.contains(url), "{shown}");
            assert!(!shown.contains("error"), "no library English: {shown}");
            assert!(!shown.contains("os error"), "{shown}");
            let stored = e.stored_text();
            let (message, detail) = stored.split_once(DETAIL_SEPARATOR).expect("detail kept");
            assert_eq!(message, shown);
            assert_eq!(detail, REFUSED);
        }
        let refused = HubError::Unreachable {
            url: url.into(),
            cause: ConnectFailure::Refused,
            detail: String::new(),
        };
        assert!(
            refused
                .to_string()
                .starts_with("无法连接办件中心（地址 http://10.1.2.3:8080）")
        );
        assert_eq!(
            refused.stored_text(),
            refused.to_string(),
            "no empty detail"
        );
        assert!(
            HubError::Unreachable {
                url: url.into(),
                cause: ConnectFailure::Dns,
                detail: String::new()
            }
            .to_string()
            .contains("找不到地址")
        );
        assert!(
            HubError::Unreachable {
                url: url.into(),
                cause: ConnectFailure::Timeout,
                detail: String::new()
            }
            .to_string()
            .starts_with("连接办件中心超时")
        );
        assert!(
            HubError::Unreachable {
                url: url.into(),
                cause: ConnectFailure::Tls,
                detail: String::new()
            }
            .to_string()
            .contains("安全连接")
        );
    }

    #[test]
    fn other_failures_store_their_message_alone_or_with_detail() {
        let t = HubError::Timeout { after_ms: 800 };
        assert_eq!(t.stored_text(), t.to_string());
        let d = HubError::Dropped {
            detail: "connection closed before message completed".into(),
        };
        assert!(d.stored_text().starts_with("与办件中心的连接中断"));
        assert!(
            d.stored_text()
                .ends_with("详情：connection closed before message completed")
        );
    }

    #[tokio::test]
    async fn a_refused_connection_is_told_in_chinese() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        drop(listener);
        let log: Arc<dyn CallLogSink> = Arc::new(crate::calllog::MemoryCallLog::default());
        let client = HubClient::new(
            ClientConfig::new(&format!("http://{addr}")),
            Arc::new(crate::profile::XinjiangJson::new(Default::default())),
            log,
        )
        .expect("client");
        let err = client.poll(0, 1).await.expect_err("nothing listens");
        match &err {
            HubError::Unreachable { cause, .. } => assert_eq!(*cause, ConnectFailure::Refused),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            err.to_string(),
            format!("无法连接办件中心（地址 http://{addr}），对方未响应连接，请检查网络或稍后重试")
        );
        assert!(err.detail().is_some_and(|d| d.contains("refused")));
    }
}
