//! The log of every hub call (seed 000, 5.5: caller, time, data submitted, data returned), with
//! personal data masked. The persistent log lives in the core store; this module produces the
//! entries and hands them to a [`CallLogSink`].

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use yichuang_rules::idcard::{mask, mask_phone};

use crate::protocol::Interface;

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// `custom.code` = 1.
    Ok,
    /// `custom.code` = 0.
    Refused,
    Unreachable,
    Timeout,
    HttpStatus,
    Malformed,
    Dropped,
    /// The request could not be encoded (configuration, encryption).
    NotSent,
}

/// One call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallLogEntry {
    /// Who called: the desk / clerk identity from the client configuration.
    pub caller: String,
    pub time: DateTime<Utc>,
    pub interface: Interface,
    pub path: String,
    /// The data submitted, in its plain form, masked.
    pub request: Value,
    /// The data returned (parsed JSON, masked; or the text, cut to 2,000 characters).
    pub response: Option<Value>,
    pub http_status: Option<u16>,
    pub duration_ms: u64,
    pub outcome: CallOutcome,
    /// The clerk message when the call failed.
    pub message: Option<String>,
}

/// Where entries go.
pub trait CallLogSink: Send + Sync {
    fn record(&self, entry: CallLogEntry);
}

/// Keeps entries in memory (tests, the simulator's CLI).
#[derive(Debug, Default)]
pub struct MemoryCallLog {
    entries: Mutex<Vec<CallLogEntry>>,
}

impl MemoryCallLog {
    pub fn entries(&self) -> Vec<CallLogEntry> {
        match self.entries.lock() {
            Ok(e) => e.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl CallLogSink for MemoryCallLog {
    fn record(&self, entry: CallLogEntry) {
        match self.entries.lock() {
            Ok(mut e) => e.push(entry),
            Err(poisoned) => poisoned.into_inner().push(entry),
        }
    }
}

/// Drops entries.
#[derive(Debug, Default)]
pub struct NoCallLog;

impl CallLogSink for NoCallLog {
    fn record(&self, _entry: CallLogEntry) {}
}

/// Masks personal data in a JSON document, recursively, by field name:
/// - ID-like numbers (`*_paper_code`, `oper_man_code`): first 6 and last 4 characters kept;
/// - phones (`*_mobile`, `*_phone`, `*_tel`): first 3 and last 4 digits kept;
/// - addresses (`*_address`): first 6 characters kept;
/// - e-mail (`*_email`): the first character of the local part kept;
/// - file contents (`filecontent`) and ciphertexts (`projectinfo` as a string, which the
///   default scheme lets anyone holding `sign` decrypt) are replaced by their length.
pub fn mask_pii(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, child)| (k.clone(), mask_field(k, child)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask_pii).collect()),
        other => other.clone(),
    }
}

fn mask_field(key: &str, v: &Value) -> Value {
    let Value::String(s) = v else {
        return mask_pii(v);
    };
    if s.is_empty() {
        return v.clone();
    }
    let masked = if key.ends_with("_paper_code") || key == "oper_man_code" {
        // Several numbers may be joined with "^" (A.1).
        s.split('^').map(mask).collect::<Vec<_>>().join("^")
    } else if key.ends_with("_mobile") || key.ends_with("_phone") || key.ends_with("_tel") {
        mask_phone(s)
    } else if key.ends_with("_address") {
        let head: String = s.chars().take(6).collect();
        format!("{head}****")
    } else if key.ends_with("_email") {
        match s.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".to_string(),
        }
    } else if key == "filecontent" {
        format!("[附件内容{}字符，未记录]", s.len())
    } else if key == "projectinfo" {
        format!("[密文{}字符，未记录]", s.len())
    } else {
        return v.clone();
    };
    Value::String(masked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_ids_phones_addresses_and_files() {
        let v = json!({"params":{"projectlist":[{"no":"N1","projectinfo":{
            "basicinfo":{
                "applicant_name":"张三",
                "applicant_paper_code":"11010519491231002X",
                "linkman_paper_code":"11010519491231002X^650102199001011234",
                "applicant_mobile":"13912345678",
                "linkman_phone":"09914567890",
                "applicant_address":"新疆乌鲁木齐市天山区解放北路100号",
                "applicant_email":"zhangsan@example.cn",
                "oper_man_code":"650102199001011234"
            },
            "materiallist":[{"sj_file_name":"身份证","extinfo":""}]
        }}]}});
        let m = mask_pii(&v);
        let b = &m["params"]["projectlist"][0]["projectinfo"]["basicinfo"];
        assert_eq!(b["applicant_name"], "张三");
        assert_eq!(b["applicant_paper_code"], "110105********002X");
        assert_eq!(
            b["linkman_paper_code"],
            "110105********002X^650102********1234"
        );
        assert_eq!(b["applicant_mobile"], "139****5678");
        assert_eq!(b["linkman_phone"], "099****7890");
        assert_eq!(b["applicant_address"], "新疆乌鲁木齐****");
        assert_eq!(b["applicant_email"], "z***@example.cn");
        assert_eq!(b["oper_man_code"], "650102********1234");
        assert_eq!(
            m["params"]["projectlist"][0]["projectinfo"]["materiallist"][0]["sj_file_name"],
            "身份证"
        );
        let text = m.to_string();
        for secret in ["19491231", "12345678", "解放北路", "zhangsan", "199001011"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }

    #[test]
    fn masks_ciphertext_and_file_contents() {
        let v =
            json!({"params":{"filecontent":"QUJDREVG","projectlist":[{"projectinfo":"c2VjcmV0"}]}});
        let m = mask_pii(&v);
        assert_eq!(m["params"]["filecontent"], "[附件内容8字符，未记录]");
        assert_eq!(
            m["params"]["projectlist"][0]["projectinfo"],
            "[密文8字符，未记录]"
        );
    }
}
