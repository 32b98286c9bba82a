//! 帮我传 (seed 004) on the desk's side: the department's polled callbacks decoded into what
//! they mean for the desk, and the 帮传清单 queries. The wire format is in
//! [`yichuang_hub::share`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use yichuang_core::sharing::{SHARE_RESULT, SHARE_SIGN_OUT, ShareInstruction};
use yichuang_hub::share::{QUERY_PATH, ShareMessage, ShareResultBody, ShareSignOutBody};

use crate::port::DeskPort;

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

/// 帮我传 query for one material and method: the department's answer, or why it could not be
/// asked (as "not available", with the reason).
pub async fn query(
    desk: &impl DeskPort,
    client: &yichuang_hub::HubClient,
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
    desk: &impl DeskPort,
    client: &yichuang_hub::HubClient,
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
