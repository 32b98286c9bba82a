//! The desk's hub configuration: `hub.json` in the data directory.
//!
//! ```json
//! {"base_url":"http://10.1.2.3:8080","token_header":"token",
//!  "crypto":{"mode":"ecb","padding":"pkcs7","encoding":"base64","pre_shared_key":false},
//!  "batch_size":1,"connect_timeout_ms":3000,"timeout_ms":15000,"interval_ms":30000,
//!  "secrets":"…"}
//! ```
//!
//! The secrets (the user token, the pre-shared SM4 key) are never in the file in the clear:
//! `secrets` is their JSON sealed with the desk key (SM4-GCM, [`yichuang_core::pii::DeskKeys`]),
//! Base64-encoded. `YICHUANG_HUB_URL` overrides `base_url`.

use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use yichuang_core::error::{CoreError, Result};

use yichuang_hub::client::ClientConfig;
use yichuang_hub::crypto::{CipherMode, CryptoConfig, KeySource, PaddingScheme, TextEncoding};
use yichuang_hub::profile::{XinjiangJson, XinjiangJsonConfig};

use crate::port::DeskPort;
use crate::worker::SyncWorker;

/// The environment variable that overrides the hub's base URL.
pub const HUB_URL_ENV: &str = "YICHUANG_HUB_URL";
/// The file name in the data directory.
pub const FILE_NAME: &str = "hub.json";

/// The encryption settings as stored: the key itself is among the sealed secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CryptoSettings {
    pub mode: CipherMode,
    pub padding: PaddingScheme,
    pub encoding: TextEncoding,
    /// The hardened scheme's pre-shared key (in the secrets) instead of the key from `sign`.
    #[serde(default)]
    pub pre_shared_key: bool,
}

impl Default for CryptoSettings {
    fn default() -> Self {
        CryptoSettings {
            mode: CipherMode::Ecb,
            padding: PaddingScheme::Pkcs7,
            encoding: TextEncoding::Base64,
            pre_shared_key: false,
        }
    }
}

/// The secrets, sealed in `hub.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HubSecrets {
    #[serde(default)]
    pub token: String,
    /// 32 hex digits.
    #[serde(default)]
    pub pre_shared_key_hex: String,
}

/// `hub.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubSettings {
    #[serde(default)]
    pub base_url: String,
    #[serde(default = "default_token_header")]
    pub token_header: String,
    #[serde(default)]
    pub crypto: CryptoSettings,
    #[serde(default = "one")]
    pub batch_size: usize,
    #[serde(default = "connect_ms")]
    pub connect_timeout_ms: u64,
    #[serde(default = "timeout_ms")]
    pub timeout_ms: u64,
    /// How often `yichuang sync` runs a round.
    #[serde(default = "interval_ms")]
    pub interval_ms: u64,
    /// The endpoint, relative to the base URL, that the desk polls for what departments send
    /// it (7.2.3, 7.2.5, 7.2.6); empty: the desk does not poll.
    #[serde(default = "poll_path")]
    pub poll_path: String,
    /// [`HubSecrets`] sealed with the desk key, Base64.
    #[serde(default)]
    pub secrets: String,
}

fn default_token_header() -> String {
    "token".into()
}
fn one() -> usize {
    1
}
fn connect_ms() -> u64 {
    3_000
}
fn timeout_ms() -> u64 {
    15_000
}
fn interval_ms() -> u64 {
    30_000
}
fn poll_path() -> String {
    yichuang_hub::sim::POLL_PATH.into()
}

impl Default for HubSettings {
    fn default() -> Self {
        HubSettings {
            base_url: String::new(),
            token_header: default_token_header(),
            crypto: CryptoSettings::default(),
            batch_size: 1,
            connect_timeout_ms: connect_ms(),
            timeout_ms: timeout_ms(),
            interval_ms: interval_ms(),
            poll_path: poll_path(),
            secrets: String::new(),
        }
    }
}

fn path(desk: &impl DeskPort) -> PathBuf {
    desk.data_dir().join(FILE_NAME)
}

fn invalid(msg: String) -> CoreError {
    CoreError::Data(msg)
}

impl HubSettings {
    /// Reads `hub.json` (defaults when absent), then applies `YICHUANG_HUB_URL`.
    pub fn load(desk: &impl DeskPort) -> Result<Self> {
        let mut s = Self::load_file(desk)?;
        if let Some(url) = std::env::var_os(HUB_URL_ENV).filter(|v| !v.is_empty()) {
            s.base_url = url.to_string_lossy().into_owned();
        }
        Ok(s)
    }

    /// The settings for display: the secrets replaced by whether they are set.
    pub fn masked(&self, desk: &impl DeskPort) -> Result<serde_json::Value> {
        let secrets = self.secrets(desk)?;
        let mut v = serde_json::to_value(self)?;
        let set = |x: &str| {
            if x.is_empty() {
                "未设置"
            } else {
                "已设置（已用本窗口密钥加密保存）"
            }
        };
        v["secrets"] = serde_json::json!({
            "token": set(&secrets.token),
            "pre_shared_key": set(&secrets.pre_shared_key_hex),
        });
        Ok(v)
    }

    /// Reads `hub.json` as it is on disk (defaults when absent).
    pub fn load_file(desk: &impl DeskPort) -> Result<Self> {
        let p = path(desk);
        let s = match std::fs::read(&p) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| invalid(format!("办件中心配置文件 {FILE_NAME} 格式错误：{e}")))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HubSettings::default(),
            Err(e) => return Err(invalid(format!("无法读取 {FILE_NAME}：{e}"))),
        };
        Ok(s)
    }

    /// Writes `hub.json` (mode 0600 on Unix), atomically.
    pub fn save(&self, desk: &impl DeskPort) -> Result<()> {
        let p = path(desk);
        let tmp = p.with_extension("json.tmp");
        let text = serde_json::to_vec_pretty(self)?;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let io = |e: std::io::Error| invalid(format!("无法写入 {FILE_NAME}：{e}"));
        {
            use std::io::Write;
            let mut f = opts.open(&tmp).map_err(io)?;
            f.write_all(&text).map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, &p).map_err(io)?;
        Ok(())
    }

    pub fn secrets(&self, desk: &impl DeskPort) -> Result<HubSecrets> {
        if self.secrets.is_empty() {
            return Ok(HubSecrets::default());
        }
        let sealed = BASE64
            .decode(self.secrets.trim())
            .map_err(|_| invalid(format!("{FILE_NAME} 中的 secrets 不是有效的Base64")))?;
        let plain = desk.open(&sealed)?;
        Ok(serde_json::from_slice(&plain)?)
    }

    pub fn set_secrets(&mut self, desk: &impl DeskPort, secrets: &HubSecrets) -> Result<()> {
        let sealed = desk.seal(&serde_json::to_vec(secrets)?)?;
        self.secrets = BASE64.encode(sealed);
        Ok(())
    }

    /// The client settings; `caller` names the desk and clerk in the call log.
    pub fn client_config(&self, caller: &str) -> Result<ClientConfig> {
        if self.base_url.trim().is_empty() {
            return Err(invalid(format!(
                "未配置办件中心地址：请运行 yichuang hub config --url URL，或设置环境变量 {HUB_URL_ENV}"
            )));
        }
        let mut c = ClientConfig::new(self.base_url.trim());
        c.connect_timeout_ms = self.connect_timeout_ms;
        c.timeout_ms = self.timeout_ms;
        c.caller = caller.to_string();
        if !self.poll_path.trim().is_empty() {
            c.poll_path = self.poll_path.trim().to_string();
        }
        Ok(c)
    }

    pub fn profile(&self, desk: &impl DeskPort) -> Result<XinjiangJsonConfig> {
        let secrets = self.secrets(desk)?;
        let key_source = if self.crypto.pre_shared_key {
            if secrets.pre_shared_key_hex.len() != 32 {
                return Err(invalid(
                    "已启用预共享密钥，但未配置32位十六进制密钥（yichuang hub config --pre-shared-key）"
                        .into(),
                ));
            }
            KeySource::PreShared {
                key_hex: secrets.pre_shared_key_hex.clone(),
            }
        } else {
            KeySource::Sign
        };
        Ok(XinjiangJsonConfig {
            crypto: CryptoConfig {
                mode: self.crypto.mode,
                padding: self.crypto.padding,
                encoding: self.crypto.encoding,
                key_source,
            },
            token_header: self.token_header.clone(),
            token: secrets.token,
            encrypt_files: true,
        })
    }

    /// Refuses, on a demo (training) desk, any hub but a simulator started in this process.
    pub async fn check_demo(&self, desk: &impl DeskPort) -> Result<()> {
        if desk.is_demo().await? && !yichuang_hub::sim::is_embedded(&self.base_url) {
            return Err(CoreError::Conflict(yichuang_hub::sim::demo_refusal(
                &self.base_url,
            )));
        }
        Ok(())
    }

    /// Writes `hub.json` after [`check_demo`](Self::check_demo): a demo desk's file can name
    /// no real hub.
    pub async fn save_checked(&self, desk: &impl DeskPort) -> Result<()> {
        if desk.is_demo().await? && !self.base_url.trim().is_empty() {
            return Err(CoreError::Conflict(
                "这是演示（培训）窗口的数据目录，不能配置真实的办件中心；演示窗口只连接内置的模拟器".into(),
            ));
        }
        self.save(desk)
    }

    /// The sync worker for this desk.
    pub async fn worker(&self, desk: &impl DeskPort) -> Result<SyncWorker> {
        self.check_demo(desk).await?;
        let p = desk.profile().await?;
        let caller = format!("{}窗口/{}", p.window_no, p.clerk_name);
        let worker = SyncWorker::new(
            self.client_config(&caller)?,
            Arc::new(XinjiangJson::new(self.profile(desk)?)),
            self.batch_size,
        )
        .map_err(|e| invalid(e.to_string()))?;
        if desk.is_demo().await? {
            worker.client().restrict_to_embedded_sim();
        }
        Ok(if self.poll_path.trim().is_empty() {
            worker.without_polling()
        } else {
            worker
        })
    }
}
