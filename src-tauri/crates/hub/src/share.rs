//! 帮我传 (seed 004) between a desk and the departments that hold materials. Seed 004 leaves
//! the interfaces "to be agreed" (接口详细需求另行商定); these are ours, HTTP + JSON like the
//! rest of the hub protocol (see docs/sharing.md, the department interfaces):
//!
//! - `POST {base}/yichuang/share/query`: can this material be fetched for this applicant?
//! - `POST {base}/yichuang/share/apply`: fetch it for this case (`share_id` names the request);
//! - the department's answers come back through the desk's polling, as messages with
//!   `interface` = `shareResult` (electronic: the file, or why not) or `shareSignOut` (paper:
//!   signed out, with the code printed on the paper), applied once per `msgid`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use yichuang_types::sharing::{SHARE_RESULT, SHARE_SIGN_OUT, ShareWire};

/// The query path.
pub const QUERY_PATH: &str = "/yichuang/share/query";
/// The apply path.
pub const APPLY_PATH: &str = "/yichuang/share/apply";

/// A department's answer to a query or an apply: `custom.available` and `custom.text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareAnswer {
    pub available: bool,
    #[serde(default)]
    pub text: String,
}

/// A polled callback from a department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareMessage {
    pub seq: u64,
    /// Unique per message; a message delivered twice has the same `msgid`.
    pub msgid: String,
    /// `shareResult` or `shareSignOut`.
    pub interface: String,
    pub body: Value,
}

/// The body of `shareResult`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareResultBody {
    pub share_id: String,
    #[serde(default)]
    pub project_no: String,
    /// `true`: the file is in `file_base64`; `false`: `reason` says why not (材料缺失).
    pub success: bool,
    #[serde(default)]
    pub file_name: String,
    #[serde(default)]
    pub file_base64: String,
    #[serde(default)]
    pub reason: String,
}

/// The body of `shareSignOut`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareSignOutBody {
    pub share_id: String,
    #[serde(default)]
    pub project_no: String,
    /// The code on the paper (a barcode): the counter scans it to sign the paper in.
    pub code: String,
    #[serde(default)]
    pub signed_out_by: String,
    #[serde(default)]
    pub signed_out_at: String,
}

/// Whether a polled message's interface is one of the sharing callbacks.
pub fn is_share_interface(name: &str) -> bool {
    name == SHARE_RESULT || name == SHARE_SIGN_OUT
}

/// The project number a callback names (for the inbox), if any.
pub fn project_no(msg: &ShareMessage) -> String {
    msg.body["project_no"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The request as sent: `{"params": wire}`.
pub fn request_body(wire: &ShareWire) -> Value {
    serde_json::json!({ "params": wire })
}
