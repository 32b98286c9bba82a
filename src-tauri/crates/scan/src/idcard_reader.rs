//! ID card readers (居民身份证阅读器, seed 003 五(二)1(2)⑨).
//!
//! Readers sold in China come with a vendor SDK or, more and more, a local service that the
//! vendor installs on the counter PC and that answers over HTTP on loopback. [`HttpIdCardReader`]
//! is that style of adapter, configurable by URL; [`SimulatedIdCardReader`] stands in for the
//! device in the trainers' demo and in tests, behind the same [`IdCardReader`] interface.
//!
//! **The service's answer.** `GET {url}` returns JSON:
//!
//! ```json
//! {"resultCode": 0, "resultMsg": "",
//!  "data": {"partyName": "…", "gender": "男", "nation": "汉", "bornDay": "19880612",
//!           "certAddress": "…", "certNumber": "…", "certOrg": "…公安局",
//!           "effDate": "20200101", "expDate": "20400101", "identityPic": "<Base64 JPEG>"}}
//! ```
//!
//! `resultCode` 0 is a card read; 1 means no card on the reader; anything else is the
//! service's error with its message. This is the field set the common vendor services share;
//! another service is adapted here, not in the window.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use base64::Engine;
use serde::{Deserialize, Serialize};

/// What the chip of a 居民身份证 holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdCardData {
    pub name: String,
    /// 男 / 女.
    pub sex: String,
    /// 民族, e.g. 汉.
    pub ethnicity: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    pub address: String,
    pub id_number: String,
    /// 签发机关.
    pub issuing_authority: String,
    /// 有效期限, `YYYY-MM-DD` each; `valid_to` is 长期 for a card without end.
    pub valid_from: String,
    pub valid_to: String,
    /// The photo (JPEG), when the reader gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_jpeg: Option<Vec<u8>>,
}

/// Why a read failed; the text is for the clerk.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReaderError {
    #[error(
        "身份证阅读器服务未启动或地址有误（{url}）：请确认阅读器已连接、厂商服务已运行，或在窗口设置中更正地址"
    )]
    NotConnected { url: String },
    #[error("未检测到身份证：请将身份证平放在阅读器感应区后重试")]
    NoCard,
    #[error("读取身份证超时（{secs} 秒）：请重新放置身份证后重试")]
    Timeout { secs: u64 },
    #[error("身份证阅读器返回的数据无法识别：{0}")]
    Malformed(String),
    #[error("身份证阅读器报告错误：{0}")]
    Service(String),
    #[error("未配置身份证阅读器：请在窗口设置中填写阅读器服务地址")]
    NotConfigured,
}

/// A device that reads 居民身份证.
pub trait IdCardReader: Send {
    /// A name for the clerk, such as the service's address.
    fn describe(&self) -> String;
    /// Reads the card on the reader, within `timeout`.
    fn read(&mut self, timeout: Duration) -> Result<IdCardData, ReaderError>;
}

/// A vendor's local HTTP service.
#[derive(Debug, Clone)]
pub struct HttpIdCardReader {
    url: String,
}

impl HttpIdCardReader {
    /// `url` such as `http://127.0.0.1:19196/readcard` (plain HTTP; the service is local).
    pub fn new(url: &str) -> Result<Self, ReaderError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(ReaderError::NotConfigured);
        }
        if !url.starts_with("http://") {
            return Err(ReaderError::NotConnected { url: url.into() });
        }
        Ok(HttpIdCardReader { url: url.into() })
    }
}

/// Largest answer accepted (a photo is about 40 KB).
const MAX_ANSWER: usize = 2 * 1024 * 1024;

fn http_get(url: &str, timeout: Duration) -> Result<Vec<u8>, ReaderError> {
    let not_connected = || ReaderError::NotConnected { url: url.into() };
    let rest = url.strip_prefix("http://").ok_or_else(not_connected)?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = host
        .to_socket_addrs()
        .map_err(|_| not_connected())?
        .next()
        .ok_or_else(not_connected)?;
    let deadline = Instant::now() + timeout;
    let secs = timeout.as_secs().max(1);
    let mut stream = TcpStream::connect_timeout(&addr, timeout.min(Duration::from_secs(3)))
        .map_err(|_| not_connected())?;
    let left = || {
        deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
    };
    stream
        .set_write_timeout(Some(left()))
        .map_err(|_| not_connected())?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|_| not_connected())?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        if Instant::now() >= deadline {
            return Err(ReaderError::Timeout { secs });
        }
        stream
            .set_read_timeout(Some(left()))
            .map_err(|_| not_connected())?;
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                if answer.len() > MAX_ANSWER {
                    return Err(ReaderError::Malformed("应答过大".into()));
                }
                if let Some(body) = complete_body(&answer) {
                    return body;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(ReaderError::Timeout { secs });
            }
            Err(_) => return Err(not_connected()),
        }
    }
    complete_body(&answer).unwrap_or_else(|| Err(ReaderError::Malformed("应答不完整".into())))
}

/// The body once the whole answer is in (by Content-Length), with the status checked.
fn complete_body(answer: &[u8]) -> Option<Result<Vec<u8>, ReaderError>> {
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&answer[..end]);
    let body = &answer[end + 4..];
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse::<u16>().ok());
    let length = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())
            .flatten()
    });
    match length {
        Some(n) if body.len() < n => None,
        Some(n) => Some(check_status(status, body[..n].to_vec())),
        // No length: the answer ends when the service closes the connection.
        None => Some(check_status(status, body.to_vec())),
    }
}

fn check_status(status: Option<u16>, body: Vec<u8>) -> Result<Vec<u8>, ReaderError> {
    match status {
        Some(200) => Ok(body),
        Some(code) => Err(ReaderError::Service(format!("HTTP {code}"))),
        None => Err(ReaderError::Malformed("不是HTTP应答".into())),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceAnswer {
    result_code: i64,
    #[serde(default)]
    result_msg: String,
    #[serde(default)]
    data: Option<ServiceCard>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceCard {
    party_name: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    nation: String,
    #[serde(default)]
    born_day: String,
    #[serde(default)]
    cert_address: String,
    cert_number: String,
    #[serde(default)]
    cert_org: String,
    #[serde(default)]
    eff_date: String,
    #[serde(default)]
    exp_date: String,
    #[serde(default)]
    identity_pic: String,
}

/// `YYYYMMDD` as `YYYY-MM-DD`; anything else as it is.
fn date(d: &str) -> String {
    let d = d.trim();
    if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
    } else {
        d.to_string()
    }
}

/// Reads the service's JSON answer.
pub fn parse_answer(body: &[u8]) -> Result<IdCardData, ReaderError> {
    let a: ServiceAnswer =
        serde_json::from_slice(body).map_err(|e| ReaderError::Malformed(e.to_string()))?;
    match a.result_code {
        0 => {}
        1 => return Err(ReaderError::NoCard),
        _ => {
            let msg = if a.result_msg.trim().is_empty() {
                format!("错误码 {}", a.result_code)
            } else {
                a.result_msg
            };
            return Err(ReaderError::Service(msg));
        }
    }
    let c = a
        .data
        .ok_or_else(|| ReaderError::Malformed("缺少 data".into()))?;
    if c.party_name.trim().is_empty() || c.cert_number.trim().is_empty() {
        return Err(ReaderError::Malformed("缺少姓名或公民身份号码".into()));
    }
    let photo = if c.identity_pic.trim().is_empty() {
        None
    } else {
        Some(
            base64::engine::general_purpose::STANDARD
                .decode(c.identity_pic.trim())
                .map_err(|_| ReaderError::Malformed("照片不是有效的Base64".into()))?,
        )
    };
    Ok(IdCardData {
        name: c.party_name.trim().into(),
        sex: c.gender.trim().into(),
        ethnicity: c.nation.trim().into(),
        birth_date: date(&c.born_day),
        address: c.cert_address.trim().into(),
        id_number: c.cert_number.trim().to_ascii_uppercase(),
        issuing_authority: c.cert_org.trim().into(),
        valid_from: date(&c.eff_date),
        valid_to: if c.exp_date.trim() == "长期" {
            "长期".into()
        } else {
            date(&c.exp_date)
        },
        photo_jpeg: photo,
    })
}

impl IdCardReader for HttpIdCardReader {
    fn describe(&self) -> String {
        format!("身份证阅读器服务 {}", self.url)
    }

    fn read(&mut self, timeout: Duration) -> Result<IdCardData, ReaderError> {
        parse_answer(&http_get(&self.url, timeout)?)
    }
}

/// The trainers' demo and the tests: the cards it was given, in turn (an empty list reads as
/// no card on the reader).
#[derive(Debug, Clone, Default)]
pub struct SimulatedIdCardReader {
    cards: Vec<IdCardData>,
    next: usize,
}

impl SimulatedIdCardReader {
    pub fn new(cards: Vec<IdCardData>) -> Self {
        SimulatedIdCardReader { cards, next: 0 }
    }
}

impl IdCardReader for SimulatedIdCardReader {
    fn describe(&self) -> String {
        "模拟身份证阅读器（培训演示）".into()
    }

    fn read(&mut self, _timeout: Duration) -> Result<IdCardData, ReaderError> {
        if self.cards.is_empty() {
            return Err(ReaderError::NoCard);
        }
        let card = self.cards[self.next % self.cards.len()].clone();
        self.next += 1;
        Ok(card)
    }
}
