//! 帮我传 (seed 004) between a desk and the departments that hold materials. Seed 004 leaves
//! the interfaces "to be agreed" (接口详细需求另行商定); these are ours, HTTP + JSON like the
//! rest of the hub protocol (see the README, "Material sharing: the department interfaces"):
//!
//! - `POST {base}/yichuang/share/query`: can this material be fetched for this applicant?
//! - `POST {base}/yichuang/share/apply`: fetch it for this case (`share_id` names the request);
//! - the department's answers come back through the desk's polling, as messages with
//!   `interface` = `shareResult` (electronic: the file, or why not) or `shareSignOut` (paper:
//!   signed out, with the code printed on the paper), applied once per `msgid`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use yichuang_core::sharing::{SHARE_RESULT, SHARE_SIGN_OUT, ShareInstruction, ShareWire};

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

/// Decodes a callback; `Err` says why it cannot be read.
pub fn decode(msg: &ShareMessage) -> Result<ShareInstruction, String> {
    match msg.interface.as_str() {
        SHARE_RESULT => {
            let b: ShareResultBody = serde_json::from_value(msg.body.clone())
                .map_err(|e| format!("共享结果格式错误：{e}"))?;
            let outcome = if b.success {
                let bytes = BASE64
                    .decode(b.file_base64.trim())
                    .map_err(|e| format!("共享材料文件不是有效的Base64：{e}"))?;
                Ok((b.file_name, bytes))
            } else {
                Err(b.reason)
            };
            Ok(ShareInstruction::Result {
                share_id: b.share_id,
                outcome,
            })
        }
        SHARE_SIGN_OUT => {
            let b: ShareSignOutBody = serde_json::from_value(msg.body.clone())
                .map_err(|e| format!("签出消息格式错误：{e}"))?;
            Ok(ShareInstruction::SignOut {
                share_id: b.share_id,
                code: b.code,
                by: b.signed_out_by,
            })
        }
        other => Err(format!("未知的帮我传消息：{other}")),
    }
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

/// 帮我传 query for one material and method: the department's answer, or why it could not be
/// asked (as "not available", with the reason).
pub async fn query(
    desk: &yichuang_core::Desk,
    client: &crate::client::HubClient,
    form: &yichuang_core::model::IntakeForm,
    material_no: &str,
    method: yichuang_core::model::ShareMethod,
) -> yichuang_core::error::Result<yichuang_core::model::ShareAvailability> {
    let wire = desk.share_query_wire(form, material_no, method).await?;
    let (available, text) = match client.share_call(QUERY_PATH, &wire).await {
        Ok(a) => (
            a.available,
            if a.text.trim().is_empty() {
                if a.available {
                    "可共享"
                } else {
                    "部门告知材料不可共享"
                }
                .to_string()
            } else {
                a.text
            },
        ),
        Err(e) => (false, format!("帮我传查询失败：{e}")),
    };
    Ok(yichuang_core::model::ShareAvailability {
        material_no: wire.material_no,
        sj_file_name: wire.sj_file_name,
        method,
        available,
        text,
    })
}

/// The 帮传清单: every material of the intake's item that has sharing channels, asked for
/// each channel.
pub async fn query_all(
    desk: &yichuang_core::Desk,
    client: &crate::client::HubClient,
    form: &yichuang_core::model::IntakeForm,
) -> yichuang_core::error::Result<Vec<yichuang_core::model::ShareAvailability>> {
    let catalog = desk.catalog().await?;
    let Some(item) = catalog
        .iter()
        .find(|i| i.dept_ql_reg_no == form.dept_ql_reg_no.trim())
    else {
        return Err(yichuang_core::CoreError::NotFound(format!(
            "事项 {}",
            form.dept_ql_reg_no
        )));
    };
    let mut out = Vec::new();
    for m in &item.materials {
        for c in &m.sharing {
            out.push(query(desk, client, form, &m.no, c.method).await?);
        }
    }
    Ok(out)
}
