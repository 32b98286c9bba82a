//! 帮我传 (seed 004): materials fetched from the departments that hold them instead of
//! brought by the applicant.
//!
//! - **Configuration.** A catalog material lists its [`ShareChannel`]s: 电子材料共享 and/or
//!   纸档材料共享, each with its department, interface and time limit.
//! - **Submission.** A case whose intake names a sharing method for some materials is
//!   submitted (`Action::Submit`) into 受理中 with a 临时回执. Each shared material gets a
//!   request ([`MaterialShare`]): 待共享 (electronic) or 待签出 (paper). The sync worker sends
//!   it to the department (`yichuang_hub::share`); a department that cannot provide it makes it
//!   材料缺失.
//! - **Callbacks.** The department's answers reach the desk through the hub's polling, like
//!   7.2.3–7.2.6, and are applied once per `msgid` ([`Desk::apply_share_message`]): the file
//!   (已完成, stored sealed like scanned pages) or 材料缺失; for paper, the sign-out (待签入),
//!   then the counter signs it in by scanning the code on the paper (已完成).
//! - **The clock** ([`Desk::share_tick`], run by the sync worker and whenever the 受理中 list is
//!   read): a request still open after its time limit is 共享超时; a case with a 材料缺失 or
//!   submitted more than 24 hours ago is flagged 异常; a case whose materials are all in is
//!   accepted through the normal path (受理通知书, 7.2.2 in the outbox).

use chrono::{Duration, NaiveDateTime};
use sqlx::SqliteConnection;

use crate::desk::{Desk, field_error};
use crate::error::{CoreError, Result};
use crate::inbox::{Envelope, InboxOutcome};
use crate::model::*;
use crate::store;
use crate::store::inbox::HistoryLine;
use crate::store::notifications::notify;
use crate::store::shares::{CallbackShare, NewShare};
use crate::time::spec_time;

/// Hours after submission without acceptance before a case is flagged 异常.
pub const ABNORMAL_AFTER_HOURS: i64 = 24;

pub use yichuang_types::sharing::{SHARE_RESULT, SHARE_SIGN_OUT, ShareWire};

/// A department's callback, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareInstruction {
    /// Electronic: the file, or why it cannot be provided.
    Result {
        share_id: String,
        outcome: std::result::Result<(String, Vec<u8>), String>,
    },
    /// Paper: signed out by the providing department, with the code on the paper.
    SignOut {
        share_id: String,
        code: String,
        by: String,
    },
}

impl ShareInstruction {
    pub fn share_id(&self) -> &str {
        match self {
            ShareInstruction::Result { share_id, .. }
            | ShareInstruction::SignOut { share_id, .. } => share_id,
        }
    }
}

/// How sending a request to the department went.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    /// The department took it.
    Taken,
    /// The department cannot provide the material: 材料缺失.
    Unavailable(String),
    /// Not delivered (network, hub); it is sent again next round.
    Failed(String),
}

/// What a tick did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShareTick {
    pub timed_out: u32,
    pub flagged: u32,
    /// Cases accepted automatically.
    pub accepted: Vec<String>,
}

fn parse_time(at: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S").ok()
}

fn plus_hours(at: &str, hours: i64) -> String {
    parse_time(at)
        .map(|t| {
            (t + Duration::hours(hours))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|| at.to_string())
}

fn channel(item: &CatalogItem, material_no: &str, method: ShareMethod) -> Option<ShareChannel> {
    item.materials
        .iter()
        .find(|m| m.no == material_no)
        .and_then(|m| m.sharing.iter().find(|c| c.method == method))
        .cloned()
}

/// The problems of the sharing choices of a submission.
pub(crate) fn submit_problems(form: &IntakeForm, item: &CatalogItem) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut any = false;
    for (i, m) in form.materiallist.iter().enumerate() {
        let Some(method) = m.share else { continue };
        any = true;
        let cat = item
            .materials
            .iter()
            .find(|c| c.no == m.no || (m.no.is_empty() && c.sj_file_name == m.sj_file_name.trim()));
        match cat {
            Some(c) if c.sharing.iter().any(|s| s.method == method) => {}
            Some(c) => out.push(field_error(
                &format!("materiallist[{i}].share"),
                "帮我传",
                &format!(
                    "材料“{}”未配置{}，请选择其他收取方式",
                    c.sj_file_name,
                    method.label()
                ),
            )),
            None => {}
        }
    }
    if !any {
        out.push(field_error(
            "materiallist",
            "帮我传",
            "没有选择帮我传的材料：材料已收齐的请直接受理",
        ));
    }
    out
}

/// The requests of a new submission, inside its transaction.
pub(crate) async fn insert_submitted(
    tx: &mut SqliteConnection,
    case_id: i64,
    item: &CatalogItem,
    form: &IntakeForm,
    at: &str,
) -> Result<()> {
    store::shares::insert_case_sharing(tx, case_id, at).await?;
    for m in &form.materiallist {
        let Some(method) = m.share else { continue };
        let Some(c) = item
            .materials
            .iter()
            .find(|c| c.no == m.no || (m.no.is_empty() && c.sj_file_name == m.sj_file_name.trim()))
        else {
            continue;
        };
        if let Some(ch) = channel(item, &c.no, method) {
            insert_share(tx, case_id, &c.no, &ch, at).await?;
        }
    }
    Ok(())
}

async fn insert_share(
    tx: &mut SqliteConnection,
    case_id: i64,
    material_no: &str,
    ch: &ShareChannel,
    at: &str,
) -> Result<()> {
    let status = match ch.method {
        ShareMethod::Electronic => ShareStatus::Requested,
        ShareMethod::Paper => ShareStatus::AwaitingSignOut,
    };
    Ok(store::shares::insert_share(
        tx,
        &NewShare {
            case_id,
            material_no,
            share_id: &uuid::Uuid::new_v4().to_string(),
            method: ch.method,
            status,
            dept_name: &ch.dept_name,
            requested_at: at,
            deadline: &plus_hours(at, i64::from(ch.limit_hours)),
        },
    )
    .await?)
}

pub(crate) use crate::store::shares::read_sharing;

mod waiting;

/// The current request of each shared material (the last one not superseded or cancelled).
pub fn current_shares(sharing: &CaseSharing) -> Vec<MaterialShare> {
    let mut out: Vec<MaterialShare> = Vec::new();
    for s in &sharing.shares {
        if matches!(s.status, ShareStatus::Superseded | ShareStatus::Cancelled) {
            continue;
        }
        out.retain(|o| o.material_no != s.material_no);
        out.push(s.clone());
    }
    out
}

impl Desk {
    fn blob_store(&self) -> Result<yichuang_scan::blob::BlobStore> {
        yichuang_scan::blob::BlobStore::open(self.data_dir().join("blobs"))
            .map_err(|e| CoreError::Data(e.to_string()))
    }

    /// What the 帮我传 query asks the department: can `material_no` of the intake's item be
    /// fetched for this applicant by `method`? Nothing is stored.
    pub async fn share_query_wire(
        &self,
        form: &IntakeForm,
        material_no: &str,
        method: ShareMethod,
    ) -> Result<ShareWire> {
        let catalog = self.catalog().await?;
        let item = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == form.dept_ql_reg_no.trim())
            .ok_or_else(|| {
                CoreError::Validation(vec![field_error(
                    "dept_ql_reg_no",
                    "事项",
                    "请先选择目录中的事项",
                )])
            })?;
        let material = item
            .materials
            .iter()
            .find(|m| m.no == material_no.trim())
            .ok_or_else(|| CoreError::NotFound(format!("材料 {material_no}")))?;
        let ch = channel(item, &material.no, method).ok_or_else(|| {
            CoreError::Validation(vec![field_error(
                "share",
                "帮我传",
                &format!("材料“{}”未配置{}", material.sj_file_name, method.label()),
            )])
        })?;
        if form.applicant_name.trim().is_empty() || form.applicant_paper_code.trim().is_empty() {
            return Err(CoreError::Validation(vec![field_error(
                "applicant_paper_code",
                "申请人",
                "帮我传需要申请人姓名和证件号码，请先填写",
            )]));
        }
        Ok(ShareWire {
            share_id: String::new(),
            method,
            interface: ch.query_interface.clone(),
            dept_name: ch.dept_name.clone(),
            unit_name: ch.unit_name.clone(),
            project_no: String::new(),
            dept_ql_reg_no: item.dept_ql_reg_no.clone(),
            dept_ql_name: item.dept_ql_name.clone(),
            material_no: material.no.clone(),
            sj_file_name: material.sj_file_name.clone(),
            applicant_name: form.applicant_name.trim().to_string(),
            applicant_paper_type: form.applicant_paper_type.code().to_string(),
            applicant_paper_code: form.applicant_paper_code.trim().to_ascii_uppercase(),
            deadline: String::new(),
        })
    }

    /// 提交受理 with materials fetched through 帮我传: the case waits in 受理中 and a 临时回执
    /// is issued.
    /// As the desk profile's clerk; the window and the CLI with a session use
    /// [`crate::desk::Acting::submit`].
    pub async fn submit(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.clerk().await?.submit(form).await
    }

    /// The requests not yet taken by their department, to send.
    pub async fn shares_to_send(&self) -> Result<Vec<ShareWire>> {
        let catalog = self.catalog().await?;
        let rows = store::shares::unsent(self.store.pool()).await?;
        let mut out = Vec::new();
        for r in rows {
            let project_no = r.project_no;
            let item_code = r.dept_ql_reg_no;
            let method = store::rows::decode("method", &r.method, ShareMethod::parse)?;
            let material_no = r.material_no;
            let Some(item) = catalog.iter().find(|i| i.dept_ql_reg_no == item_code) else {
                continue;
            };
            let Some(ch) = channel(item, &material_no, method) else {
                continue;
            };
            let case = self.get_case(&project_no).await?;
            let name = case
                .materials
                .iter()
                .find(|m| m.no == material_no)
                .map(|m| m.sj_file_name.clone())
                .unwrap_or_default();
            out.push(ShareWire {
                share_id: r.share_id,
                method,
                interface: ch.query_interface,
                dept_name: ch.dept_name,
                unit_name: ch.unit_name,
                project_no,
                dept_ql_reg_no: item.dept_ql_reg_no.clone(),
                dept_ql_name: item.dept_ql_name.clone(),
                material_no,
                sj_file_name: name,
                applicant_name: case.applicant_name,
                applicant_paper_type: case.applicant_paper_type.code().to_string(),
                applicant_paper_code: case.applicant_paper_code,
                deadline: r.deadline,
            });
        }
        Ok(out)
    }

    /// Records how sending a request went.
    pub async fn share_sent(&self, share_id: &str, outcome: &SendOutcome) -> Result<()> {
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        match outcome {
            SendOutcome::Taken => store::shares::mark_sent(&mut tx, share_id, &at).await?,
            SendOutcome::Failed(why) => store::shares::send_failed(&mut tx, share_id, why).await?,
            SendOutcome::Unavailable(why) => {
                let missing = store::shares::mark_unavailable(&mut tx, share_id, why, &at).await?;
                if let Some((case_id, no)) = missing {
                    self.after_missing(&mut tx, case_id, &no, why, &at).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn after_missing(
        &self,
        tx: &mut SqliteConnection,
        case_id: i64,
        material_no: &str,
        why: &str,
        at: &str,
    ) -> Result<()> {
        let (project_no, name) =
            store::shares::case_and_material_name(tx, case_id, material_no).await?;
        let reason = format!("材料缺失：{name}");
        store::shares::set_abnormal(tx, case_id, &reason).await?;
        Ok(notify(
            tx,
            at,
            "share_missing",
            &project_no,
            &format!("帮我传材料缺失：{project_no}"),
            &format!("“{name}”无法调取（{why}）。请更改材料收取方式或取消办件。"),
        )
        .await?)
    }

    /// Applies one callback from a department; once per `msgid` (see the module
    /// documentation).
    pub async fn apply_share_message(
        &self,
        env: &Envelope,
        decoded: std::result::Result<ShareInstruction, String>,
    ) -> Result<InboxOutcome> {
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        if store::inbox::seen(&mut tx, &env.msgid).await? {
            return Ok(InboxOutcome::Duplicate);
        }
        let mut project_no = env.project_no.trim().to_string();
        let outcome = match decoded {
            Err(reason) => InboxOutcome::Malformed(reason),
            Ok(ins) => match store::shares::by_share_id(&mut tx, ins.share_id().trim()).await? {
                None => InboxOutcome::UnknownCase,
                Some(share) => {
                    project_no = share.project_no.clone();
                    self.share_callback(&mut tx, share, ins, &at).await?
                }
            },
        };
        let detail = match &outcome {
            InboxOutcome::Refused(r) | InboxOutcome::Malformed(r) => r.clone(),
            InboxOutcome::UnknownCase => "本窗口没有这个帮我传请求".to_string(),
            _ => String::new(),
        };
        store::inbox::record(&mut tx, &env.record(&project_no, &at, &outcome, &detail)).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn share_callback(
        &self,
        tx: &mut SqliteConnection,
        share: CallbackShare,
        ins: ShareInstruction,
        at: &str,
    ) -> Result<InboxOutcome> {
        let CallbackShare {
            id,
            case_id,
            material_no,
            method,
            status,
            project_no,
        } = share;
        let refuse = |what: &str| {
            Ok(InboxOutcome::Refused(format!(
                "帮我传请求当前为“{}”，不再接收{what}",
                status.label()
            )))
        };
        match ins {
            ShareInstruction::Result { outcome, .. } => {
                if method != ShareMethod::Electronic || status != ShareStatus::Requested {
                    return refuse("电子材料回调");
                }
                match outcome {
                    Ok((name, bytes)) => {
                        if bytes.is_empty() {
                            return Ok(InboxOutcome::Malformed("回调的材料文件为空".into()));
                        }
                        let sealed = self.keys.seal(&bytes)?;
                        let info = self
                            .blob_store()?
                            .put(&sealed)
                            .map_err(|e| CoreError::Data(e.to_string()))?;
                        let name = if name.trim().is_empty() {
                            format!("{material_no}.pdf")
                        } else {
                            name.trim().to_string()
                        };
                        store::shares::complete_with_file(
                            tx,
                            id,
                            &name,
                            &info.hash,
                            bytes.len() as i64,
                            at,
                        )
                        .await?;
                    }
                    Err(why) => {
                        let why = if why.trim().is_empty() {
                            "部门回调告知材料无法共享".to_string()
                        } else {
                            why.trim().to_string()
                        };
                        store::shares::mark_missing(tx, id, &why, at).await?;
                        self.after_missing(tx, case_id, &material_no, &why, at)
                            .await?;
                    }
                }
            }
            ShareInstruction::SignOut { code, by, .. } => {
                if method != ShareMethod::Paper || status != ShareStatus::AwaitingSignOut {
                    return refuse("纸档材料签出");
                }
                if code.trim().is_empty() {
                    return Ok(InboxOutcome::Malformed("签出消息缺少签出码".into()));
                }
                store::shares::mark_signed_out(tx, id, code.trim(), by.trim(), at).await?;
                notify(
                    tx,
                    at,
                    "share_signed_out",
                    &project_no,
                    &format!("纸档材料已签出，待签入：{project_no}"),
                    &format!(
                        "材料 {material_no} 已由{}签出，收到后请扫码签入。",
                        by.trim()
                    ),
                )
                .await?;
            }
        }
        Ok(InboxOutcome::Applied)
    }

    /// Signs in a paper material that arrived: `code` is what the barcode scanner typed from
    /// the paper, and must be the code the department signed it out with.
    pub async fn share_sign_in(
        &self,
        project_no: &str,
        material_no: &str,
        scanned: &str,
    ) -> Result<CaseRecord> {
        let project_no = project_no.trim();
        let at = spec_time(&self.now());
        let mut tx = self.store.write().await?;
        let (id, status, expected) =
            store::shares::current_paper_share(&mut tx, project_no, material_no.trim())
                .await?
                .ok_or_else(|| {
                    CoreError::NotFound(format!(
                        "办件 {project_no} 中以纸档材料共享收取的材料 {material_no}"
                    ))
                })?;
        if status != ShareStatus::AwaitingSignIn {
            return Err(CoreError::Conflict(format!(
                "纸档材料当前为“{}”，不能签入",
                status.label()
            )));
        }
        let scanned = scanned.trim();
        if scanned.is_empty()
            || !expected
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(scanned))
        {
            return Err(CoreError::Validation(vec![field_error(
                "code",
                "签入码",
                &format!("签入码“{scanned}”与签出的纸档材料不符，请核对材料后重新扫描材料上的条码"),
            )]));
        }
        store::shares::mark_signed_in(&mut tx, id, &at).await?;
        tx.commit().await?;
        self.share_tick().await?;
        self.get_case(project_no).await
    }

    /// 更改材料收取方式 of a 受理中 case: the material's request is superseded (a later
    /// callback for it is refused) and, for a sharing method, a new one is made; `None`: the
    /// applicant brought it to the counter. The case counts as submitted again now.
    pub async fn share_set_method(
        &self,
        project_no: &str,
        material_no: &str,
        method: Option<ShareMethod>,
    ) -> Result<CaseRecord> {
        let project_no = project_no.trim();
        let material_no = material_no.trim();
        let at = spec_time(&self.now());
        let desk = self.profile().await?;
        let catalog = self.catalog().await?;
        let mut tx = self.store.write().await?;
        let (case_id, state, item_code) = store::shares::case_of(&mut tx, project_no)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))?;
        if state != CaseState::InAcceptance {
            return Err(CoreError::Conflict(format!(
                "办件当前为“{}”，只有受理中的办件可以更改材料收取方式",
                state.label()
            )));
        }
        let item = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == item_code)
            .ok_or_else(|| CoreError::NotFound(format!("事项 {item_code}（已不在目录中）")))?;
        let name = store::shares::material_name(&mut tx, case_id, material_no)
            .await?
            .ok_or_else(|| {
                CoreError::NotFound(format!("办件 {project_no} 的材料 {material_no}"))
            })?;
        let ch = match method {
            Some(m) => Some(channel(item, material_no, m).ok_or_else(|| {
                CoreError::Validation(vec![field_error(
                    "method",
                    "材料收取方式",
                    &format!("材料“{name}”未配置{}，请选择其他收取方式", m.label()),
                )])
            })?),
            None => None,
        };
        store::shares::supersede(&mut tx, case_id, material_no, &at).await?;
        if let Some(ch) = &ch {
            insert_share(&mut tx, case_id, material_no, ch, &at).await?;
        }
        store::shares::resubmit(&mut tx, case_id, &at).await?;
        let how = method.map_or("窗口收取", ShareMethod::label);
        store::inbox::insert_history_line(
            &mut tx,
            &HistoryLine {
                case_id,
                at: &at,
                actor: &desk.clerk_name,
                window_no: &desk.window_no,
                action: "更改材料收取方式",
                state,
                opinion: &format!("“{name}”改为{how}，重新提交受理"),
            },
        )
        .await?;
        tx.commit().await?;
        self.share_tick().await?;
        self.get_case(project_no).await
    }

    /// The file a department sent for a material (electronic, 已完成): its name and bytes.
    pub async fn share_file(
        &self,
        project_no: &str,
        material_no: &str,
    ) -> Result<(String, Vec<u8>)> {
        let (name, blob) =
            store::shares::shared_file(self.store.pool(), project_no.trim(), material_no.trim())
                .await?
                .ok_or_else(|| {
                    CoreError::NotFound(format!(
                        "办件 {} 材料 {} 的共享文件",
                        project_no.trim(),
                        material_no.trim()
                    ))
                })?;
        let sealed = self
            .blob_store()?
            .get(&blob)
            .map_err(|e| CoreError::Data(e.to_string()))?;
        Ok((name, self.keys.open(&sealed)?))
    }
}
