//! Hub profiles: how a request in its plain JSON form becomes an HTTP body and headers for one
//! hub, and how the hub's answer is read.
//!
//! Implemented: [`XinjiangJson`], seed 000. TODO: Shanghai (seed 001: accessToken in the body,
//! multipart upload of notices) and Foshan (seed 002: XML `Package/Head/Body`) profiles.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::crypto::{CryptoConfig, CryptoError, new_sign};
use crate::protocol::{HubResponse, Interface};

/// An HTTP request ready to send: the path under the base URL, extra headers, the body.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedRequest {
    pub interface: Interface,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a message could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("请求不是有效的JSON：{0}")]
    Json(String),
    #[error("第{0}个办件缺少数字签名（sign）")]
    MissingSign(usize),
    #[error("第{0}个办件的办件数据包（projectinfo）缺失或未加密")]
    NotEncrypted(usize),
    #[error("第{0}个办件的办件数据包（projectinfo）解密后不是有效的JSON")]
    PlainNotJson(usize),
    #[error("请求结构错误：{0}")]
    Shape(String),
}

/// One hub's wire format.
pub trait HubProfile: Send + Sync {
    fn name(&self) -> &'static str;
    /// Authentication headers sent on every call (the user token of 5.1).
    fn auth_headers(&self) -> Vec<(String, String)>;
    /// The plain form (projectinfo as an object) to an HTTP request. A `sign` already present
    /// on an item is kept, so a re-encoded retry is recognisably the same message.
    fn encode_request(
        &self,
        interface: Interface,
        plain: &Value,
    ) -> Result<EncodedRequest, ProfileError>;
    /// An HTTP body back to the plain form (used by the simulator and for polled messages).
    fn decode_request(&self, interface: Interface, body: &Value) -> Result<Value, ProfileError>;
    /// The hub's answer.
    fn decode_response(&self, body: &[u8]) -> Result<HubResponse, ProfileError>;
}

/// Configuration of the Xinjiang JSON profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XinjiangJsonConfig {
    #[serde(default)]
    pub crypto: CryptoConfig,
    /// Header carrying the user token (5.1). Default `token`.
    #[serde(default = "default_token_header")]
    pub token_header: String,
    #[serde(default)]
    pub token: String,
    /// Whether 7.2.7 `params` is encrypted (`encrypt` empty) or sent in the clear
    /// (`encrypt` = "0"). Default: encrypted.
    #[serde(default = "yes")]
    pub encrypt_files: bool,
}

fn default_token_header() -> String {
    "token".to_string()
}
fn yes() -> bool {
    true
}

impl Default for XinjiangJsonConfig {
    fn default() -> Self {
        XinjiangJsonConfig {
            crypto: CryptoConfig::default(),
            token_header: default_token_header(),
            token: String::new(),
            encrypt_files: true,
        }
    }
}

/// Seed 000's format: HTTP POST + JSON, token header, `sign` + SM4-encrypted `projectinfo`.
#[derive(Debug, Clone)]
pub struct XinjiangJson {
    pub config: XinjiangJsonConfig,
}

impl XinjiangJson {
    pub fn new(config: XinjiangJsonConfig) -> Self {
        XinjiangJson { config }
    }
}

fn projectlist_mut(v: &mut Value) -> Result<&mut Vec<Value>, ProfileError> {
    v.get_mut("params")
        .and_then(|p| p.get_mut("projectlist"))
        .and_then(Value::as_array_mut)
        .ok_or_else(|| ProfileError::Shape("缺少 params.projectlist".into()))
}

impl HubProfile for XinjiangJson {
    fn name(&self) -> &'static str {
        "xinjiang-json"
    }

    fn auth_headers(&self) -> Vec<(String, String)> {
        if self.config.token.is_empty() {
            Vec::new()
        } else {
            vec![(self.config.token_header.clone(), self.config.token.clone())]
        }
    }

    fn encode_request(
        &self,
        interface: Interface,
        plain: &Value,
    ) -> Result<EncodedRequest, ProfileError> {
        let crypto = &self.config.crypto;
        let wire = if interface.is_project_list() {
            let mut wire = plain.clone();
            for item in projectlist_mut(&mut wire)? {
                let sign = match item.get("sign").and_then(Value::as_str) {
                    Some(s) if !s.is_empty() => s.to_string(),
                    _ => new_sign(),
                };
                let info = item
                    .get("projectinfo")
                    .filter(|p| p.is_object())
                    .ok_or_else(|| ProfileError::Shape("projectinfo 应为对象".into()))?;
                let text =
                    serde_json::to_vec(info).map_err(|e| ProfileError::Json(e.to_string()))?;
                let ct = crypto.encrypt(&text, &sign)?;
                item["sign"] = Value::String(sign);
                item["projectinfo"] = Value::String(ct);
            }
            wire
        } else if interface == Interface::PushFile {
            let params = plain
                .get("params")
                .ok_or_else(|| ProfileError::Shape("缺少 params".into()))?;
            let text =
                serde_json::to_string(params).map_err(|e| ProfileError::Json(e.to_string()))?;
            // A `sign` given beside `params` (the desk's stable one for a queued upload) is
            // kept, so a resent upload is recognised; otherwise a fresh one.
            let sign = match plain.get("sign").and_then(Value::as_str) {
                Some(s) if !s.is_empty() => s.to_string(),
                _ => new_sign(),
            };
            if self.config.encrypt_files {
                let ct = crypto.encrypt(text.as_bytes(), &sign)?;
                serde_json::json!({"encrypt": "", "sign": sign, "params": ct})
            } else {
                serde_json::json!({"encrypt": "0", "sign": sign, "params": text})
            }
        } else {
            plain.clone()
        };
        let body = serde_json::to_vec(&wire).map_err(|e| ProfileError::Json(e.to_string()))?;
        let mut headers = vec![(
            "content-type".to_string(),
            "application/json;charset=UTF-8".to_string(),
        )];
        headers.extend(self.auth_headers());
        Ok(EncodedRequest {
            interface,
            path: interface.path().to_string(),
            headers,
            body,
        })
    }

    fn decode_request(&self, interface: Interface, body: &Value) -> Result<Value, ProfileError> {
        let crypto = &self.config.crypto;
        if interface.is_project_list() {
            let mut plain = body.clone();
            for (i, item) in projectlist_mut(&mut plain)?.iter_mut().enumerate() {
                let n = i + 1;
                let Some(ct) = item.get("projectinfo").and_then(Value::as_str) else {
                    return Err(ProfileError::NotEncrypted(n));
                };
                let sign = item
                    .get("sign")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .ok_or(ProfileError::MissingSign(n))?;
                let text = crypto.decrypt(ct, sign)?;
                let info: Value =
                    serde_json::from_slice(&text).map_err(|_| ProfileError::PlainNotJson(n))?;
                if !info.is_object() {
                    return Err(ProfileError::PlainNotJson(n));
                }
                item["projectinfo"] = info;
            }
            Ok(plain)
        } else if interface == Interface::PushFile {
            let encrypt = body.get("encrypt").and_then(Value::as_str).unwrap_or("");
            let params = body
                .get("params")
                .ok_or_else(|| ProfileError::Shape("缺少 params".into()))?;
            // Table 7: "值为0或者非空时 params 不进行加密".
            let params = if !encrypt.is_empty() {
                match params {
                    Value::String(s) => {
                        serde_json::from_str(s).map_err(|e| ProfileError::Json(e.to_string()))?
                    }
                    other => other.clone(),
                }
            } else {
                let ct = params
                    .as_str()
                    .ok_or_else(|| ProfileError::Shape("params 应为密文字符串".into()))?;
                let sign = body
                    .get("sign")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .ok_or(ProfileError::MissingSign(1))?;
                let text = crypto.decrypt(ct, sign)?;
                serde_json::from_slice(&text).map_err(|_| ProfileError::PlainNotJson(1))?
            };
            Ok(serde_json::json!({ "params": params }))
        } else {
            Ok(body.clone())
        }
    }

    fn decode_response(&self, body: &[u8]) -> Result<HubResponse, ProfileError> {
        serde_json::from_slice(body).map_err(|e| ProfileError::Json(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn project_info_is_encrypted_with_its_sign() {
        let profile = XinjiangJson::new(XinjiangJsonConfig {
            token: "T0K".into(),
            ..Default::default()
        });
        let plain = json!({"params":{"projectlist":[
            {"no":"N1","projectinfo":{"materiallist":[{"sj_file_name":"身份证"}]}},
            {"no":"N2","sign":"0123456789abcdeffedcba9876543210","projectinfo":{"materiallist":[]}}
        ]}});
        let enc = profile
            .encode_request(Interface::PushSupplyFinished, &plain)
            .unwrap();
        assert_eq!(
            enc.path,
            "/share/projectcenter/pushSupplyFinishedProjectInfo"
        );
        assert!(enc.headers.contains(&("token".into(), "T0K".into())));
        let wire: Value = serde_json::from_slice(&enc.body).unwrap();
        let items = wire["params"]["projectlist"].as_array().unwrap();
        assert!(items[0]["projectinfo"].is_string());
        assert_eq!(items[0]["sign"].as_str().unwrap().len(), 36);
        assert_eq!(items[1]["sign"], "0123456789abcdeffedcba9876543210");
        assert!(!String::from_utf8_lossy(&enc.body).contains("身份证"));
        let back = profile
            .decode_request(Interface::PushSupplyFinished, &wire)
            .unwrap();
        assert_eq!(
            back["params"]["projectlist"][0]["projectinfo"],
            plain["params"]["projectlist"][0]["projectinfo"]
        );
    }

    #[test]
    fn custom_token_header_and_file_params() {
        let profile = XinjiangJson::new(XinjiangJsonConfig {
            token: "abc".into(),
            token_header: "X-Hub-Token".into(),
            ..Default::default()
        });
        let plain = json!({"params":{"attachname":"a.pdf","filecontent":"QUJD"}});
        let enc = profile.encode_request(Interface::PushFile, &plain).unwrap();
        assert!(enc.headers.contains(&("X-Hub-Token".into(), "abc".into())));
        let wire: Value = serde_json::from_slice(&enc.body).unwrap();
        assert_eq!(wire["encrypt"], "");
        assert!(wire["params"].is_string());
        assert_eq!(
            profile.decode_request(Interface::PushFile, &wire).unwrap(),
            plain
        );
        // encrypt = "0": params in the clear.
        let clear = json!({"encrypt":"0","sign":"","params":"{\"attachname\":\"b\"}"});
        assert_eq!(
            profile.decode_request(Interface::PushFile, &clear).unwrap(),
            json!({"params":{"attachname":"b"}})
        );
    }

    #[test]
    fn decode_errors_are_precise() {
        let profile = XinjiangJson::new(XinjiangJsonConfig::default());
        let no_sign = json!({"params":{"projectlist":[{"no":"1","projectinfo":"AAAA"}]}});
        assert_eq!(
            profile.decode_request(Interface::PushAccept, &no_sign),
            Err(ProfileError::MissingSign(1))
        );
        let clear = json!({"params":{"projectlist":[{"no":"1","sign":"x","projectinfo":{}}]}});
        assert_eq!(
            profile.decode_request(Interface::PushAccept, &clear),
            Err(ProfileError::NotEncrypted(1))
        );
    }
}
